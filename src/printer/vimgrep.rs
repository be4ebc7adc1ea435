//! `--vimgrep`: `path:line:column:text` per hit, for editors' quickfix lists.
//!
//! The line and column (1-based; the column counts bytes, as Vim's does) are those of
//! the first highlighted word, counted from the passage's first line; the text is that
//! line of the passage. For a passage that starts inside a line (a long paragraph split
//! at a sentence), columns on its first line count from the passage start.

use std::io::{self, Write};

use super::Printer;
use crate::search::Hit;

/// Prints hits in Vim's `errorformat` default for grep: `path:line:column:text`.
pub struct VimgrepPrinter<W: Write> {
    out: W,
}

impl<W: Write> VimgrepPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        VimgrepPrinter { out }
    }
}

impl<W: Write> Printer for VimgrepPrinter<W> {
    fn hit(&mut self, _rank: usize, hit: &Hit) -> io::Result<()> {
        if hit.doc_id.is_some() {
            // A JSON Lines document is one line of the file, its text escaped inside it:
            // point at that line.
            let first = hit.text.split(['\n', '\r']).next().unwrap_or("");
            return writeln!(self.out, "{}:{}:1:{}", hit.path, hit.line, first);
        }
        let at = hit.highlights.first().map_or(0, |r| r.start);
        let before = &hit.text[..at];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line =
            hit.line + before.matches('\n').count() as u64 + before.matches('\r').count() as u64
                - before.matches("\r\n").count() as u64;
        let rest = &hit.text[line_start..];
        let line_text = rest.split(['\n', '\r']).next().unwrap_or("");
        writeln!(
            self.out,
            "{}:{}:{}:{}",
            hit.path,
            line,
            at - line_start + 1,
            line_text
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
