//! `query -c/--count`, `-l/--files-with-matches` and `--files-without-match`: one line
//! per file, as ripgrep writes them.
//!
//! `-c` writes `path:N` (N matching passages in the file), the others `path`. Paths are
//! written through [`super::inert`] (control characters shown visibly), so one file is
//! always one line.

use std::io::{self, Write};

use super::inert;

/// Writes file lists and per-file counts.
pub struct FilesPrinter<W: Write> {
    out: W,
}

impl<W: Write> FilesPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        FilesPrinter { out }
    }

    /// Writes `path:count`.
    ///
    /// # Errors
    /// Errors of the underlying writer.
    pub fn count(&mut self, path: &str, count: u64) -> io::Result<()> {
        writeln!(self.out, "{}:{count}", inert::line(path))
    }

    /// Writes `path`.
    ///
    /// # Errors
    /// Errors of the underlying writer.
    pub fn path(&mut self, path: &str) -> io::Result<()> {
        writeln!(self.out, "{}", inert::line(path))
    }

    /// Flushes the output.
    ///
    /// # Errors
    /// Errors of the underlying writer.
    pub fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
