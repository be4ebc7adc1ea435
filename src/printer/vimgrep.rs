//! `--vimgrep`: `path:line:column:text` per hit, for editors' quickfix lists.
//!
//! As ripgrep's: the line and column (1-based; the column counts bytes, as Vim's does)
//! are those of the first highlighted word in the file, and the text is that whole line.
//! They are read from the file when it still holds the passage at its byte range; else
//! (the file changed, moved, or was transcoded from another encoding) the column counts
//! from the passage's own start on its first line, and the text is the passage's line.
//! The path is shown relative to the current folder when the file is under it, else
//! absolute ([`super::shown_path`]), so that it opens from where the query ran.
//! The path and the text are written through [`super::inert`] (control characters shown
//! visibly; the column still counts bytes of the file).

use std::io::{self, Write};

use super::inert;
use super::Printer;
use crate::search::Hit;

/// Prints hits in Vim's `errorformat` default for grep: `path:line:column:text`.
pub struct VimgrepPrinter<W: Write> {
    out: W,
    /// The last file read, by path (`None`: unreadable); hits of one file come together
    /// more often than not, and a batch must not keep every file it touched.
    file: Option<(String, Option<Vec<u8>>)>,
}

impl<W: Write> VimgrepPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        VimgrepPrinter { out, file: None }
    }

    /// The line of the file that holds byte `at` of `hit`'s text, as (column of `at`,
    /// 1-based, in bytes; the line without its line break), when the file still holds
    /// the passage at its byte range.
    fn file_line(&mut self, hit: &Hit, at: usize) -> Option<(usize, String)> {
        if hit.encoding.is_some() {
            return None; // offsets count bytes of the transcoded text
        }
        let path = hit.abs_path.as_deref().unwrap_or(&hit.path);
        if self.file.as_ref().is_none_or(|(p, _)| p != path) {
            self.file = Some((path.to_owned(), std::fs::read(path).ok()));
        }
        let bytes = self.file.as_ref()?.1.as_deref()?;
        let range = usize::try_from(hit.byte_start).ok()?..usize::try_from(hit.byte_end).ok()?;
        if bytes.get(range.clone())? != hit.text.as_bytes() {
            return None;
        }
        let abs = range.start + at;
        let start = bytes[..abs]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let end = bytes[abs..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| abs + i);
        Some((
            abs - start + 1,
            String::from_utf8_lossy(&bytes[start..end]).into_owned(),
        ))
    }
}

impl<W: Write> Printer for VimgrepPrinter<W> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        if hit.doc_id.is_some() {
            // A JSON Lines document is one line of the file, its text escaped inside it:
            // point at that line.
            let first = hit.text.split(['\n', '\r']).next().unwrap_or("");
            return writeln!(
                self.out,
                "{}:{}:1:{}",
                inert::line(super::shown_path(hit)),
                hit.line,
                inert::line(first)
            );
        }
        let at = hit.highlights.first().map_or(0, |r| r.start);
        let before = &hit.text[..at];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line =
            hit.line + before.matches('\n').count() as u64 + before.matches('\r').count() as u64
                - before.matches("\r\n").count() as u64;
        let (column, line_text) = self.file_line(hit, at).unwrap_or_else(|| {
            let rest = &hit.text[line_start..];
            let text = rest.split(['\n', '\r']).next().unwrap_or("");
            (at - line_start + 1, text.to_owned())
        });
        writeln!(
            self.out,
            "{}:{}:{}:{}",
            inert::line(super::shown_path(hit)),
            line,
            column,
            inert::line(&line_text)
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
