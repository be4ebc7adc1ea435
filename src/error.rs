//! The crate's single error type.

use std::path::PathBuf;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in `passage`.
///
/// Messages are lower-case, have no trailing period, and name the file or the
/// query position involved, so that `main` can print them as one line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// There is no index at the given location.
    #[error("no index at `{}`: run `passage ingest` first", path.display())]
    IndexNotFound {
        /// The index directory that was looked for.
        path: PathBuf,
    },
    /// The index was written by an incompatible version of `passage` (another format
    /// version or schema), or is not a directory.
    #[error("index at `{}` cannot be read ({reason}): delete it and run `passage ingest` again", path.display())]
    IncompatibleIndex {
        /// The index directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file the index refers to (`meta.json`, a segment file, the manifest) is missing,
    /// cut short or unreadable; `passage ingest --rebuild` makes a new index.
    #[error("index at `{}` is damaged ({reason}): run `passage ingest --rebuild`", path.display())]
    DamagedIndex {
        /// The index directory.
        path: PathBuf,
        /// What is wrong, naming the file.
        reason: String,
    },
    /// Another process holds the index writer lock.
    #[error("another `passage ingest` is writing the index at `{}`; try again when it ends", path.display())]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
    },
    /// Writing the index failed; the last committed index is unchanged.
    #[error("writing the index at `{}` failed: {detail}; the previous index is unchanged", path.display())]
    IndexWrite {
        /// The index directory.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// An error from Tantivy.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The query could not be parsed (only in strict mode, or when nothing in it can run).
    #[error("query error at position {position}: {message}")]
    QueryParse {
        /// 1-based character position in the query string.
        position: usize,
        /// What is wrong.
        message: String,
    },
    /// The query contains no searchable word.
    #[error("{0}")]
    EmptyQuery(String),
    /// A root given to ingest does not exist.
    #[error("{}: no such file or directory", path.display())]
    MissingPath {
        /// The path as the user gave it.
        path: PathBuf,
    },
    /// The folder named for an index holds files that an index does not write (a user's
    /// notes, a web page): no index is written there, and nothing in it is touched.
    #[error("`{}` holds files that are not a passage index (`{entry}`); no index is read or written there", path.display())]
    NotAnIndex {
        /// The folder, as given.
        path: PathBuf,
        /// The first of its entries (by name) that is not an index file.
        entry: String,
    },
    /// Paths given to remove from the index match no indexed file; nothing was removed.
    #[error("not in the index: {}", quoted_paths(paths))]
    NotIndexed {
        /// The paths, as given, that match nothing.
        paths: Vec<PathBuf>,
    },
    /// A glob (of ingest's file selection or of a query's path filter) does not parse.
    #[error("invalid glob `{glob}`: {reason}")]
    InvalidGlob {
        /// The glob as given.
        glob: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An invalid setting or argument given by the user (a malformed input line, an
    /// unknown name, settings that contradict the index).
    #[error("{0}")]
    Config(String),
    /// Watching a root for changes is impossible (the system's limit of watches is
    /// reached, or the watcher failed); the index holds the last committed state.
    #[error("cannot watch `{}` for changes: {reason}", path.display())]
    Watch {
        /// The root (or folder) that could not be watched.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A failure inside `passage` that no input explains (a bug, or a broken invariant).
    #[error("internal error: {0}")]
    Internal(String),
}

/// What an [`Error`] is due to, for front ends that answer by cause (an HTTP status, an
/// exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request or its input is wrong: a bad query, glob, setting or input file.
    Input,
    /// There is no index (yet) where one was asked for.
    NotFound,
    /// The index is busy (another ingest holds its lock); try again later.
    Busy,
    /// The index or the system failed: I/O, a damaged or incompatible index, a bug.
    Internal,
}

impl Error {
    /// What the error is due to.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::QueryParse { .. }
            | Error::EmptyQuery(_)
            | Error::MissingPath { .. }
            | Error::InvalidGlob { .. }
            | Error::NotAnIndex { .. }
            | Error::NotIndexed { .. }
            | Error::Config(_) => ErrorKind::Input,
            Error::IndexNotFound { .. } => ErrorKind::NotFound,
            Error::IndexLocked { .. } => ErrorKind::Busy,
            Error::Io { .. }
            | Error::IncompatibleIndex { .. }
            | Error::DamagedIndex { .. }
            | Error::IndexWrite { .. }
            | Error::Watch { .. }
            | Error::Index(_)
            | Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `` `a`, `b` ``: paths quoted and joined for one line.
fn quoted_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}
