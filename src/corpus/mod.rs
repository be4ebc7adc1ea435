//! Finding the files to ingest and reading them as text.
//!
//! [`CorpusBuilder`] walks roots with the `ignore` crate (the walker of ripgrep and fd):
//! `.gitignore` and `.ignore` rules are respected and hidden files skipped unless asked
//! otherwise. Every file is taken, whatever its name, and judged by its content when it
//! is read (a NUL byte in its first block: binary; gzip, bzip2, xz or zstd magic bytes:
//! decompressed; `%PDF-`: a PDF, its text extracted), as ripgrep and fd do; inside folders, files whose extension names a
//! binary format ([`has_binary_extension`]) are marked [`FileEntry::binary_by_name`] so that
//! they are counted as skipped without being read. See: issue 14.

pub(crate) mod compressed;
pub(crate) mod formats;
pub(crate) mod html;
pub(crate) mod item;
pub mod jsonl;
pub mod pdf;
pub mod read;
pub(crate) mod roff;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::{Error, Result};
pub use formats::InputFormat;

/// By default files larger than this many bytes are skipped (64 MiB).
pub const DEFAULT_MAX_FILESIZE: u64 = 64 * 1024 * 1024;

/// A file found by the walk, before it is read.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The path as the walk produced it: the root as the user gave it, joined with the
    /// path below it.
    pub path: PathBuf,
    /// Index of the root (in [`CorpusBuilder::roots`] order) this file was found under.
    pub root: usize,
    /// Size in bytes.
    pub len: u64,
    /// Last modification time, when the platform gives one.
    pub modified: Option<SystemTime>,
    /// Found in a folder with the extension of a binary format ([`has_binary_extension`]):
    /// skipped without being read.
    pub binary_by_name: bool,
}

/// An item of the walk: a file, or an error that names its path.
pub type WalkItem = Result<FileEntry>;

/// Builds a walk over one or more roots.
#[derive(Debug, Clone)]
pub struct CorpusBuilder {
    roots: Vec<PathBuf>,
    hidden: bool,
    respect_ignore: bool,
    follow_links: bool,
    globs: Vec<String>,
}

impl CorpusBuilder {
    /// A walk over `roots` (files or folders), with the defaults: hidden files skipped,
    /// ignore files respected, symlinks not followed, no globs.
    pub fn new(roots: Vec<PathBuf>) -> CorpusBuilder {
        CorpusBuilder {
            roots,
            hidden: false,
            respect_ignore: true,
            follow_links: false,
            globs: Vec::new(),
        }
    }

    /// Also walk hidden files and folders (by default skipped).
    pub fn hidden(mut self, yes: bool) -> Self {
        self.hidden = yes;
        self
    }

    /// Respect `.gitignore`, `.ignore` and git's exclude files (by default true).
    pub fn respect_ignore(mut self, yes: bool) -> Self {
        self.respect_ignore = yes;
        self
    }

    /// Follow symbolic links (by default false). Loops are reported as errors.
    pub fn follow_links(mut self, yes: bool) -> Self {
        self.follow_links = yes;
        self
    }

    /// Glob patterns, gitignore syntax: a file is taken when it matches one; a pattern
    /// starting with `!` excludes instead.
    pub fn globs(mut self, globs: Vec<String>) -> Self {
        self.globs = globs;
        self
    }

    /// The roots, in the order given.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The same walk over other roots (the roots of a watch that are there now).
    pub(crate) fn with_roots(&self, roots: Vec<PathBuf>) -> CorpusBuilder {
        CorpusBuilder {
            roots,
            ..self.clone()
        }
    }

    /// True when hidden files are walked ([`Self::hidden`]).
    pub(crate) fn walks_hidden(&self) -> bool {
        self.hidden
    }

    /// True when symbolic links are followed ([`Self::follow_links`]).
    pub(crate) fn follows_links(&self) -> bool {
        self.follow_links
    }

    /// Walks every root and returns what it found, in a stable order (sorted by path
    /// within each root).
    ///
    /// # Errors
    /// [`Error::MissingPath`] when a root does not exist; [`Error::Config`] for a bad glob.
    /// Errors met during the walk (unreadable folders, symlink loops) are items of the
    /// returned list, not failures of the call.
    pub fn walk(&self) -> Result<Vec<WalkItem>> {
        for root in &self.roots {
            if std::fs::symlink_metadata(root).is_err() {
                return Err(Error::MissingPath { path: root.clone() });
            }
        }
        let overrides = if self.globs.is_empty() {
            None
        } else {
            let mut ob = ignore::overrides::OverrideBuilder::new(".");
            for g in &self.globs {
                ob.add(g)
                    .map_err(|e| Error::Config(format!("invalid glob `{g}`: {e}")))?;
            }
            Some(
                ob.build()
                    .map_err(|e| Error::Config(format!("invalid globs: {e}")))?,
            )
        };
        let mut items = Vec::new();
        for (root_ix, root) in self.roots.iter().enumerate() {
            let mut wb = ignore::WalkBuilder::new(root);
            wb.hidden(!self.hidden)
                .ignore(self.respect_ignore)
                .git_ignore(self.respect_ignore)
                .git_global(self.respect_ignore)
                .git_exclude(self.respect_ignore)
                .parents(self.respect_ignore)
                .require_git(false)
                .follow_links(self.follow_links)
                .sort_by_file_path(|a, b| a.cmp(b));
            if let Some(ov) = &overrides {
                wb.overrides(ov.clone());
            }
            for entry in wb.build() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let path = walk_error_path(&e).unwrap_or_else(|| root.clone());
                        items.push(Err(Error::io(path, std::io::Error::other(strip_path(&e)))));
                        continue;
                    }
                };
                let is_file = entry.file_type().is_some_and(|t| t.is_file())
                    || (entry.depth() == 0 && entry.path().is_file());
                if !is_file {
                    continue;
                }
                let binary_by_name = entry.depth() > 0 && has_binary_extension(entry.path());
                let meta = match entry.metadata() {
                    Ok(m) => m,
                    Err(e) => {
                        items.push(Err(Error::io(
                            entry.path(),
                            std::io::Error::other(strip_path(&e)),
                        )));
                        continue;
                    }
                };
                items.push(Ok(FileEntry {
                    path: entry.into_path(),
                    root: root_ix,
                    len: meta.len(),
                    modified: meta.modified().ok(),
                    binary_by_name,
                }));
            }
        }
        Ok(items)
    }
}

/// True when `path`'s extension names a binary format in the formats table, or it is a
/// compressed tar archive (`.tar.gz`, `.tar.xz`, ...).
pub fn has_binary_extension(path: &Path) -> bool {
    use formats::{kind_by_name, Kind};
    match kind_by_name(path) {
        Some(Kind::Binary) => true,
        Some(Kind::Compressed) => compressed::inner_path(path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tar")),
        _ => false,
    }
}

fn walk_error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The error's message without the path prefix that `ignore` adds (we print our own).
fn strip_path(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => strip_path(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symlink loop back to `{}`, skipped", ancestor.display())
        }
        other => other.to_string(),
    }
}
