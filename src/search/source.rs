//! Where a hit's first match is in its file, as an editor opens it: the line, the column
//! and the whole line's text ([`MatchLine`]), for `--vimgrep` and editors.
//!
//! As ripgrep's: the line and column (1-based; the column counts bytes, as Vim's does)
//! are those of the first highlighted word in the file, and the text is that whole line.
//! They are read from the file when it still holds the passage at its byte range; else
//! (the file changed, moved, or was transcoded from another encoding) the column counts
//! from the passage's own start on its first line, and the text is the passage's line.
//! A JSON Lines document is one line of its file, its text escaped inside it: the match
//! is placed at column 1 of that line. A PDF's match is placed at line 1, column 1 (its
//! page is in the hit), with the line of the extracted text that holds it.

use super::hit::Hit;

/// The line of a file that holds a hit's first match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatchLine {
    /// 1-based line number in the file.
    pub line: u64,
    /// 1-based column of the match's first byte, counting bytes from the line's start.
    pub column: u64,
    /// The whole line, without its line break (from the file when it still holds the
    /// passage, else from the passage text).
    pub text: String,
}

/// Reads source files for [`MatchLine`]s, keeping the last one read (hits of one file
/// come together more often than not, and a batch must not keep every file it touched).
#[derive(Default)]
pub(crate) struct SourceFiles {
    /// The last file read, by path (`None`: unreadable).
    last: Option<(String, Option<Vec<u8>>)>,
}

impl SourceFiles {
    /// Where `hit`'s first match is.
    pub(crate) fn match_line(&mut self, hit: &Hit) -> MatchLine {
        if hit.doc_id.is_some() {
            let first = hit.text.split(['\n', '\r']).next().unwrap_or("");
            return MatchLine {
                line: hit.line,
                column: 1,
                text: first.to_owned(),
            };
        }
        let at = hit.highlights.first().map_or(0, |r| r.start);
        let before = &hit.text[..at];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if hit.page.is_some() {
            // A PDF has no lines an editor shows: its first line, and the text of the match.
            let text = hit.text[line_start..].split(['\n', '\r']).next();
            return MatchLine {
                line: 1,
                column: 1,
                text: text.unwrap_or("").to_owned(),
            };
        }
        let line =
            hit.line + before.matches('\n').count() as u64 + before.matches('\r').count() as u64
                - before.matches("\r\n").count() as u64;
        let (column, text) = self.file_line(hit, at).unwrap_or_else(|| {
            let rest = &hit.text[line_start..];
            let text = rest.split(['\n', '\r']).next().unwrap_or("");
            (at - line_start + 1, text.to_owned())
        });
        MatchLine {
            line,
            column: column as u64,
            text,
        }
    }

    /// The line of the file that holds byte `at` of `hit`'s text, as (column of `at`,
    /// 1-based, in bytes; the line without its line break), when the file still holds
    /// the passage at its byte range.
    fn file_line(&mut self, hit: &Hit, at: usize) -> Option<(usize, String)> {
        if hit.encoding.is_some() {
            return None; // offsets count bytes of the transcoded text
        }
        let path = hit.abs_path.as_deref().unwrap_or(&hit.path);
        if self.last.as_ref().is_none_or(|(p, _)| p != path) {
            self.last = Some((path.to_owned(), std::fs::read(path).ok()));
        }
        let bytes = self.last.as_ref()?.1.as_deref()?;
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
