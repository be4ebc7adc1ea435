//! `--vimgrep`: `path:line:column:text` per hit, for editors' quickfix lists.
//!
//! The line, column and text are those of the hit's first match in its file
//! ([`crate::search::MatchLine`], found by the engine). A PDF's hit points at line 1,
//! column 1 of the file, and its text starts with `page N: ` (PDFs have no lines an
//! editor shows). The path is shown relative to
//! the current folder when the file is under it, else absolute ([`super::shown_path`]),
//! so that it opens from where the query ran. The path and the text are written through
//! [`super::inert`] (control characters shown visibly; the column still counts bytes of
//! the file).

use std::io::{self, Write};

use super::inert;
use super::Printer;
use crate::search::Hit;

/// Prints hits in Vim's `errorformat` default for grep: `path:line:column:text`.
pub struct VimgrepPrinter<W: Write> {
    out: W,
}

impl<W: Write> VimgrepPrinter<W> {
    /// A printer writing to `out`; hits need [`Hit::match_line`]
    /// ([`crate::search::QueryRequest::match_lines`]), else they point at the passage's
    /// first line.
    pub fn new(out: W) -> Self {
        VimgrepPrinter { out }
    }
}

impl<W: Write> Printer for VimgrepPrinter<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let (line, column, text) = match &hit.match_line {
            Some(m) => (m.line, m.column, m.text.as_str()),
            None => (
                hit.line,
                1,
                hit.text.split(['\n', '\r']).next().unwrap_or(""),
            ),
        };
        // A PDF opens at its start; the page leads the text, as `page N: `.
        let page = hit.page.map(|p| format!("page {p}: ")).unwrap_or_default();
        writeln!(
            self.out,
            "{}:{line}:{column}:{page}{}",
            inert::line(super::shown_path(hit)),
            inert::line(text)
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
