//! Text from documents made inert for a terminal.
//!
//! Every printer that writes for people passes text that came from a document or a file
//! name (passages, context passages, headings, paths, the line `--vimgrep` quotes, words
//! quoted in notes, warnings and errors) through this module, so that a document can never
//! move the cursor, clear the screen, change colours or set the terminal's title: a
//! search result must not control the terminal of the person reading it.
//!
//! # Rendering
//! Control characters are shown visibly, as `cat -v` and `less` show them:
//!
//! | characters | shown as |
//! |---|---|
//! | C0 controls U+0000..=U+001F (but tab and line breaks) | caret notation: `^@`, `^A`, ..., `^[` (ESC), ..., `^_` |
//! | DEL U+007F | `^?` |
//! | C1 controls U+0080..=U+009F | `<U+0080>` ... `<U+009F>` (as `less` shows them) |
//! | tab | kept: it only moves the cursor forward over blank cells, it cannot hide or rewrite text |
//!
//! Line breaks depend on the kind of text. In a passage ([`text`], [`text_range`]) a line
//! break stays a line break, written as `\n`: CRLF becomes `\n` and a lone CR (which on a
//! terminal moves the cursor back and overwrites the line) becomes `\n` too. In one-line
//! text ([`line()`]: paths, headings, messages) `\n` and `\r` are shown as `^J` and `^M`, so
//! that a file name cannot forge a line of output.
//!
//! Caret notation is ambiguous with a document that holds a literal `^[`, as in `cat -v`;
//! JSON output (`--json`) keeps the exact text instead (see [`write_json`]).

use std::borrow::Cow;
use std::io;
use std::ops::Range;

/// True for the characters this module never writes as they are: C0 controls, DEL and
/// C1 controls (tab and line breaks included; the callers decide about those).
pub fn is_control(c: char) -> bool {
    c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Appends the visible form of the control character `c` (see the module docs).
fn push_visible(out: &mut String, c: char) {
    match c {
        '\u{7f}' => out.push_str("^?"),
        c if c < ' ' => {
            out.push('^');
            out.push(char::from(c as u8 + b'@'));
        }
        c => out.push_str(&format!("<U+{:04X}>", c as u32)),
    }
}

/// Escapes `s`; `prev` is the character just before `s` in the text it was cut from (a
/// `\n` right after a `\r` is the second half of a CRLF, already written as a line break).
fn escape(s: &str, prev: Option<char>, breaks: bool) -> Cow<'_, str> {
    let clean = !s
        .chars()
        .any(|c| is_control(c) && c != '\t' && !(breaks && c == '\n'));
    if clean && !(breaks && prev == Some('\r') && s.starts_with('\n')) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut prev = prev;
    for c in s.chars() {
        match c {
            '\t' => out.push(c),
            '\n' if breaks => {
                if prev != Some('\r') {
                    out.push('\n');
                }
            }
            '\r' if breaks => out.push('\n'),
            c if is_control(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// One-line text (a path, a heading, a message) for a terminal: every control character
/// but tab shown visibly, line breaks included (`^J`, `^M`). Borrows when nothing changes.
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, None, false)
}

/// A passage for a terminal: line breaks as `\n` (CRLF and a lone CR become `\n`), tab
/// kept, every other control character shown visibly. Borrows when nothing changes.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, None, true)
}

/// [`text`] of the bytes `range` of `s`, as if the whole of `s` were escaped and the part
/// that `range` gave cut out: escaping each part of a partition of `s` and joining them
/// gives `text(s)`. So a printer escapes a passage piece by piece (the text between
/// highlights, each highlight) and the highlight spans, byte offsets into `s`, stay right
/// whatever the escaping did to lengths.
///
/// # Panics
/// When `range` is not on char boundaries of `s`.
pub fn text_range(s: &str, range: Range<usize>) -> Cow<'_, str> {
    let prev = s[..range.start].chars().next_back();
    escape(&s[range], prev, true)
}

/// A `serde_json` formatter that also escapes DEL and the C1 controls (`\u007f`,
/// `\u009b`, ...), which JSON allows raw: JSON output is often read on a terminal, and
/// some terminals take U+009B for CSI. The decoded text is unchanged.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonFormatter;

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_control(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Writes `value` as one line of compact JSON (no newline) with [`JsonFormatter`]: no
/// control character reaches the output raw, and strings decode to their exact text.
///
/// # Errors
/// Errors of the writer, and of `value`'s `Serialize` implementation.
pub fn write_json<W: io::Write, T: serde::Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, JsonFormatter);
    // `From` keeps the kind of an I/O error (a closed pipe stays `BrokenPipe`).
    value.serialize(&mut ser).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(line("a b\tc é"), Cow::Borrowed(_)));
        assert!(matches!(text("a\nb\tc"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_are_shown_in_caret_notation() {
        assert_eq!(line("\x1b[2Jx\x1b]0;pwned\x07"), "^[[2Jx^[]0;pwned^G");
        assert_eq!(line("a\x08\x7f\0b"), "a^H^?^@b");
        assert_eq!(line("\u{9b}31m\u{80}"), "<U+009B>31m<U+0080>");
        assert_eq!(line("a\nb\rc\td"), "a^Jb^Mc\td");
        assert_eq!(text("\x0b\x0c\x1f"), "^K^L^_");
    }

    #[test]
    fn line_breaks_stay_line_breaks_in_text() {
        assert_eq!(text("a\r\nb\rc\nd\r"), "a\nb\nc\nd\n");
        assert_eq!(text("a\r\r\nb"), "a\n\nb");
    }

    #[test]
    fn ranges_of_a_partition_join_to_the_whole() {
        let s = "x\r\ny\x1bé\rz\r\n\u{9b}";
        let whole = text(s);
        for cut in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
            let joined = format!("{}{}", text_range(s, 0..cut), text_range(s, cut..s.len()));
            assert_eq!(joined, whole, "cut at {cut}");
        }
    }

    #[test]
    fn json_escapes_del_and_c1_and_keeps_the_text() {
        let s = "a\x1b[31m\x07\x08\x7f\u{9b}\r\nz";
        let mut out = Vec::new();
        write_json(&mut out, &serde_json::json!({ "text": s })).unwrap();
        assert!(out.iter().all(|&b| (0x20..0x7f).contains(&b)), "{out:?}");
        let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back["text"], s);
    }
}
