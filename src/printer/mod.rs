//! Printers: turn [`Hit`]s into output for a terminal or for scripts.
//!
//! A printer never calls Tantivy; it takes hits and a writer. Adding a format means
//! adding one file here. Text from documents reaches a terminal only through [`inert`].

pub mod files;
pub mod hyperlink;
pub mod inert;
pub mod json;
pub mod standard;
pub mod trec;
pub mod vimgrep;
pub(crate) mod wire;
pub(crate) mod wording;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::search::Hit;

pub use files::FilesPrinter;
pub use hyperlink::HyperlinkFormat;
pub use json::JsonPrinter;
pub use standard::{StandardBuilder, StandardPrinter};
pub use trec::TrecPrinter;
pub use vimgrep::VimgrepPrinter;

/// The path a terminal or editor is shown for `hit`'s file: relative to the current
/// folder when the file is under it, else absolute ([`crate::search::shown_path`]), so
/// that it opens from where the query ran, wherever ingest ran.
pub fn shown_path(hit: &Hit) -> &str {
    static CWD: OnceLock<PathBuf> = OnceLock::new();
    let cwd: &Path = CWD.get_or_init(|| std::env::current_dir().unwrap_or_default());
    crate::search::shown_path(&hit.path, hit.abs_path.as_deref(), cwd)
}

/// Writes search hits in one output format.
pub trait Printer {
    /// Starts the hits of one query of a batch (`qid` is its id). By default nothing.
    ///
    /// # Errors
    /// Errors of the underlying writer.
    fn begin_query(&mut self, qid: &str, query: &str) -> io::Result<()> {
        let _ = (qid, query);
        Ok(())
    }

    /// Writes one hit (its rank is [`Hit::rank`]).
    ///
    /// # Errors
    /// Errors of the underlying writer.
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;

    /// Writes the totals of the query just printed (`--stats`), when the format has a
    /// place for them on stdout. By default nothing (the CLI writes them on stderr).
    ///
    /// # Errors
    /// Errors of the underlying writer.
    fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        let _ = summary;
        Ok(())
    }

    /// Ends the output (flushes).
    ///
    /// # Errors
    /// Errors of the underlying writer.
    fn finish(&mut self) -> io::Result<()>;
}

/// The totals of one query (`--stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Passages that match the query (after `--path`), whatever `--limit`.
    pub total: u64,
    /// Files with at least one matching passage.
    pub files: u64,
    /// Passages printed.
    pub shown: u64,
}
