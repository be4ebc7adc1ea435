//! Terminal output: a `path:line` header (`path:page N` for a PDF), the passage (or a snippet of it) with the
//! matched words highlighted, and a blank line between hits.
//!
//! Everything taken from documents (passages, headings, paths) is written through
//! [`super::inert`]: control characters are shown visibly, line breaks as `\n`.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::hyperlink::HyperlinkFormat;
use super::inert;
use super::Printer;
use crate::highlight::{snippet, snippets};
use crate::search::{Explanation, Hit};

/// By default passages longer than this many characters are shown as a snippet.
pub const DEFAULT_MAX_CHARS: usize = 400;

/// Builds a [`StandardPrinter`].
#[derive(Debug, Clone)]
pub struct StandardBuilder {
    color: bool,
    max_chars: usize,
    snippets: usize,
    hyperlink: Option<HyperlinkFormat>,
}

impl Default for StandardBuilder {
    fn default() -> Self {
        StandardBuilder {
            color: false,
            max_chars: DEFAULT_MAX_CHARS,
            snippets: 1,
            hyperlink: None,
        }
    }
}

impl StandardBuilder {
    /// A builder with the defaults: no colour, snippets of [`DEFAULT_MAX_CHARS`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Colour the output with ANSI escapes (by default off).
    pub fn color(mut self, yes: bool) -> Self {
        self.color = yes;
        self
    }

    /// Show at most this many characters of a passage, as a window around the matches;
    /// `0` shows whole passages.
    pub fn max_chars(mut self, n: usize) -> Self {
        self.max_chars = n;
        self
    }

    /// Show up to `k` windows of a long passage, each of at most `max_chars` characters,
    /// joined by ` … ` (by default 1).
    pub fn snippets(mut self, k: usize) -> Self {
        self.snippets = k.max(1);
        self
    }

    /// Make each path a terminal hyperlink in `format` (OSC 8), when colouring and the
    /// file's absolute path is known (as ripgrep: links only with colour). By default
    /// none.
    pub fn hyperlink(mut self, format: Option<HyperlinkFormat>) -> Self {
        self.hyperlink = format;
        self
    }

    /// Builds a printer writing to `out`.
    pub fn build<W: Write>(&self, out: W) -> StandardPrinter<W> {
        StandardPrinter {
            out,
            config: self.clone(),
            first: true,
        }
    }
}

/// Prints hits for a person at a terminal.
pub struct StandardPrinter<W: Write> {
    out: W,
    config: StandardBuilder,
    first: bool,
}

const PATH: Style = AnsiColor::Magenta.on_default();
const LINE: Style = AnsiColor::Green.on_default();
const HEADING: Style = AnsiColor::Cyan.on_default();
const MATCH: Style = AnsiColor::Red.on_default().bold();

/// Where a hit is, after its path: its first line, or `page N` for a PDF (whose lines
/// count in a page's extracted text, which no editor shows).
fn place(hit: &Hit) -> String {
    match hit.page {
        Some(page) => format!("page {page}"),
        None => hit.line.to_string(),
    }
}

/// Writes the explanation tree of a score, one node per line, indented by depth.
fn write_explanation<W: Write>(out: &mut W, e: &Explanation, depth: usize) -> io::Result<()> {
    let desc = inert::line(&e.description);
    writeln!(
        out,
        "{:indent$}{:.4} {desc}",
        "",
        e.value,
        indent = depth * 2
    )?;
    for ctx in &e.context {
        let s = inert::line(ctx);
        writeln!(out, "{:indent$}{s}", "", indent = depth * 2 + 2)?;
    }
    for d in &e.details {
        write_explanation(out, d, depth + 1)?;
    }
    Ok(())
}

impl<W: Write> StandardPrinter<W> {
    /// A neighbouring passage (`-C`): `path-line` header (as ripgrep marks context lines),
    /// then its text, without highlights.
    fn context_passage(&mut self, hit: &Hit, c: &Hit) -> io::Result<()> {
        self.path(hit, Some((c.line, 1)))?;
        self.out.write_all(b"-")?;
        self.styled(LINE, &place(c))?;
        self.out.write_all(b"\n")?;
        let snip = snippet(&c.text, &[], self.config.max_chars);
        self.plain(&c.text, snip.range)?;
        if snip.cut_after {
            self.out.write_all("…".as_bytes())?;
        }
        self.out.write_all(b"\n")
    }

    /// Writes the path of `hit`'s file, coloured and, with a hyperlink format and
    /// colour, as a link to `at` (line and column, 1-based; by default the first match,
    /// else the passage's first line; line 1 for a PDF).
    fn path(&mut self, hit: &Hit, at: Option<(u64, u64)>) -> io::Result<()> {
        let shown = inert::line(super::shown_path(hit));
        // A PDF's lines count in its page's extracted text: the link opens the file.
        let at = if hit.page.is_some() { Some((1, 1)) } else { at };
        let (line, column) = at.unwrap_or((hit.line, 1));
        let link = match (&self.config.hyperlink, &hit.abs_path) {
            (Some(format), Some(abs)) if self.config.color => Some(format.link(abs, line, column)),
            _ => None,
        };
        let Some(url) = link else {
            return self.styled(PATH, &shown);
        };
        let styled = format!("{}{shown}{}", PATH.render(), PATH.render_reset());
        super::hyperlink::write_link(&mut self.out, &url, &styled)
    }

    /// Writes the bytes `range` of the passage `text`, made inert.
    fn plain(&mut self, text: &str, range: std::ops::Range<usize>) -> io::Result<()> {
        self.out
            .write_all(inert::text_range(text, range).as_bytes())
    }

    /// Writes a heading breadcrumb (one line, inert), its matched spans (`highlights`,
    /// byte ranges into `heading`) in the match style.
    fn heading(&mut self, heading: &str, highlights: &[std::ops::Range<usize>]) -> io::Result<()> {
        let mut at = 0;
        for h in highlights {
            if h.start > at {
                self.styled(HEADING, &inert::line(&heading[at..h.start]))?;
            }
            self.styled(MATCH, &inert::line(&heading[h.clone()]))?;
            at = h.end;
        }
        if at < heading.len() || highlights.is_empty() {
            self.styled(HEADING, &inert::line(&heading[at..]))?;
        }
        Ok(())
    }

    /// Writes `text` (already inert) in `style` when colouring.
    fn styled(&mut self, style: Style, text: &str) -> io::Result<()> {
        if self.config.color {
            write!(
                self.out,
                "{}{}{}",
                style.render(),
                text,
                style.render_reset()
            )
        } else {
            self.out.write_all(text.as_bytes())
        }
    }
}

impl<W: Write> Printer for StandardPrinter<W> {
    fn begin_query(&mut self, qid: &str, query: &str) -> io::Result<()> {
        if !self.first {
            self.out.write_all(b"\n")?;
        }
        self.first = true;
        self.styled(HEADING, &inert::line(&format!("# {qid}: {query}")))?;
        self.out.write_all(b"\n")
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        if !self.first {
            self.out.write_all(b"\n")?;
        }
        self.first = false;
        for c in &hit.context_before {
            self.context_passage(hit, c)?;
        }
        self.path(hit, hit.match_line.as_ref().map(|m| (m.line, m.column)))?;
        self.out.write_all(b":")?;
        self.styled(LINE, &place(hit))?;
        if let Some(h) = &hit.heading {
            self.out.write_all(b"  ")?;
            self.heading(h, &hit.heading_highlights)?;
        }
        self.out.write_all(b"\n")?;
        let text = &hit.text;
        let windows = snippets(
            text,
            &hit.highlights,
            self.config.max_chars,
            self.config.snippets,
        );
        // A hit trimmed to fit (`--max-total-chars`) was cut where its text ends.
        let trimmed = hit.trimmed.as_ref();
        let (cut_first, cut_last) = trimmed.map_or((false, false), |w| (w.cut_before, w.cut_after));
        for (i, snip) in windows.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b" ")?;
            }
            if snip.cut_before || (cut_first && snip.range.start == 0) {
                self.out.write_all("…".as_bytes())?;
            }
            let mut at = snip.range.start;
            for h in &hit.highlights {
                if h.end <= snip.range.start || h.start >= snip.range.end {
                    continue;
                }
                let (s, e) = (h.start.max(at), h.end.min(snip.range.end));
                // Piece by piece, so that the spans (offsets into the raw text) stay right.
                self.plain(text, at..s)?;
                self.styled(MATCH, &inert::text_range(text, s..e))?;
                at = e;
            }
            self.plain(text, at..snip.range.end)?;
            if snip.cut_after || (cut_last && snip.range.end == text.len()) {
                self.out.write_all("…".as_bytes())?;
            }
        }
        self.out.write_all(b"\n")?;
        for c in &hit.context_after {
            self.context_passage(hit, c)?;
        }
        if let Some(e) = &hit.explanation {
            write_explanation(&mut self.out, e, 1)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
