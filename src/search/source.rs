//! Where a hit's first match is in its file, as an editor opens it: the line, the column
//! and the whole line's text ([`MatchLine`]), for `--vimgrep` and editors.
//!
//! As ripgrep's: the line and column (1-based; the column counts bytes, as Vim's does)
//! are those of the first highlighted word in the file, and the text is that whole line.
//! They are read from the file when it still holds the passage at its byte range, or for
//! text extracted from HTML, when the passage's source block holds the matched word as
//! written; a passage that matched only in its heading points at the heading's line.
//! Else (the file changed, moved, or was transcoded from another encoding) the column
//! counts from the passage's own start on its first line, and the text is the passage's
//! line.
//! A JSON Lines document is one line of its file, its text escaped inside it: the match
//! is placed at column 1 of that line. A PDF's match is placed at line 1, column 1 (its
//! page is in the hit), with the line of the extracted text that holds it.

use std::ops::Range;

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
        if hit.page.is_some() {
            // A PDF has no lines an editor shows: its first line, and the text of the match.
            let at = hit.highlights.first().map_or(0, |r| r.start);
            let line_start = hit.text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let text = hit.text[line_start..].split(['\n', '\r']).next();
            return MatchLine {
                line: 1,
                column: 1,
                text: text.unwrap_or("").to_owned(),
            };
        }
        let found = match hit.highlights.first() {
            None => self.heading_line(hit),
            Some(first) => self
                .verbatim_line(hit, first.start)
                .or_else(|| self.extracted_line(hit, first.clone())),
        };
        found.unwrap_or_else(|| passage_line(hit))
    }

    /// Where `hit`'s first heading match is, for a hit that matched only in its heading:
    /// the last line before the passage that holds the breadcrumb part with that match
    /// (`## Worker threads` for `Guide > Worker threads`, `<h2>Worker threads</h2>`).
    /// `None` when the file is gone or no line above the passage holds that part as
    /// written (a heading with inline markup); the caller then points at the passage.
    fn heading_line(&mut self, hit: &Hit) -> Option<MatchLine> {
        let heading = hit.heading.as_deref()?;
        let first = hit.heading_highlights.first()?;
        let part_start = heading[..first.start].rfind(" > ").map_or(0, |i| i + 3);
        let part_end = heading[first.end..]
            .find(" > ")
            .map_or(heading.len(), |i| first.end + i);
        let part = &heading.as_bytes()[part_start..part_end];
        let bytes = self.file(hit)?;
        let head = bytes.get(..usize::try_from(hit.byte_start).ok()?)?;
        let (mut at, mut found) = (0, None);
        for line in head.split(|&b| b == b'\n' || b == b'\r') {
            if let Some(i) = find(line, part) {
                found = Some(at + i);
            }
            at += line.len() + 1;
        }
        Some(line_at(bytes, found? + first.start - part_start))
    }

    /// The line of the file that holds byte `at` of `hit`'s text, when the file still
    /// holds the passage verbatim at its byte range (plain text, Markdown).
    fn verbatim_line(&mut self, hit: &Hit, at: usize) -> Option<MatchLine> {
        let start = usize::try_from(hit.byte_start).ok()?;
        let end = usize::try_from(hit.byte_end).ok()?;
        let bytes = self.file(hit)?;
        (bytes.get(start..end)? == hit.text.as_bytes()).then(|| line_at(bytes, start + at))
    }

    /// For text extracted from markup (HTML): the first place in the passage's source
    /// block that holds the matched text `first` (a range of `hit.text`) as written.
    /// `None` when it is not there as written (an entity, markup inside the word) or the
    /// file changed.
    fn extracted_line(&mut self, hit: &Hit, first: Range<usize>) -> Option<MatchLine> {
        let start = usize::try_from(hit.byte_start).ok()?;
        let end = usize::try_from(hit.byte_end).ok()?;
        let bytes = self.file(hit)?;
        let i = find(bytes.get(start..end)?, hit.text.get(first)?.as_bytes())?;
        Some(line_at(bytes, start + i))
    }

    /// The bytes of `hit`'s file (read once per file in a row), when its offsets count
    /// the file's own bytes (not those of a transcoding).
    fn file(&mut self, hit: &Hit) -> Option<&[u8]> {
        if hit.encoding.is_some() {
            return None;
        }
        let path = hit.abs_path.as_deref().unwrap_or(&hit.path);
        if self.last.as_ref().is_none_or(|(p, _)| p != path) {
            self.last = Some((path.to_owned(), std::fs::read(path).ok()));
        }
        self.last.as_ref()?.1.as_deref()
    }
}

/// Where `hit`'s first match is, from the passage text alone (the file changed, or its
/// offsets count a transcoding): the line counted from the passage's first, the column
/// from the start of that line of the passage.
fn passage_line(hit: &Hit) -> MatchLine {
    let at = hit.highlights.first().map_or(0, |r| r.start);
    let before = &hit.text[..at];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = hit.line + before.matches('\n').count() as u64 + before.matches('\r').count() as u64
        - before.matches("\r\n").count() as u64;
    let rest = &hit.text[line_start..];
    MatchLine {
        line,
        column: (at - line_start + 1) as u64,
        text: rest.split(['\n', '\r']).next().unwrap_or("").to_owned(),
    }
}

/// The line of `bytes` that holds byte `at`: its number, the 1-based byte column of
/// `at`, and its text without the line break.
fn line_at(bytes: &[u8], at: usize) -> MatchLine {
    let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
    let start = bytes[..at].iter().rposition(is_break).map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(is_break)
        .map_or(bytes.len(), |i| at + i);
    MatchLine {
        line: line_number(bytes, start),
        column: (at - start + 1) as u64,
        text: String::from_utf8_lossy(&bytes[start..end]).into_owned(),
    }
}

/// The offset of the first `needle` in `hay` (`None` for an empty needle).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(hay, needle)
}

/// The 1-based number of the line starting at byte `at` of `bytes`: one more than the
/// line breaks before it (`\n`, `\r\n` or a lone `\r`, as passages count them).
fn line_number(bytes: &[u8], at: usize) -> u64 {
    let before = &bytes[..at];
    let lf = before.iter().filter(|&&b| b == b'\n').count();
    let cr = before.iter().filter(|&&b| b == b'\r').count();
    let crlf = before.windows(2).filter(|w| w == b"\r\n").count();
    (1 + lf + cr - crlf) as u64
}
