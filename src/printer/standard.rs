//! Terminal output: a `path:line` header, the passage (or a snippet of it) with the
//! matched words highlighted, and a blank line between hits.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Printer;
use crate::highlight::snippet;
use crate::search::Hit;

/// By default passages longer than this many characters are shown as a snippet.
pub const DEFAULT_MAX_CHARS: usize = 400;

/// Builds a [`StandardPrinter`].
#[derive(Debug, Clone)]
pub struct StandardBuilder {
    color: bool,
    max_chars: usize,
}

impl Default for StandardBuilder {
    fn default() -> Self {
        StandardBuilder {
            color: false,
            max_chars: DEFAULT_MAX_CHARS,
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

impl<W: Write> StandardPrinter<W> {
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
        self.styled(HEADING, &format!("# {qid}: {query}"))?;
        self.out.write_all(b"\n")
    }

    fn hit(&mut self, _rank: usize, hit: &Hit) -> io::Result<()> {
        if !self.first {
            self.out.write_all(b"\n")?;
        }
        self.first = false;
        self.styled(PATH, &hit.path)?;
        self.out.write_all(b":")?;
        self.styled(LINE, &hit.line.to_string())?;
        if let Some(h) = &hit.heading {
            self.out.write_all(b"  ")?;
            self.styled(HEADING, h)?;
        }
        self.out.write_all(b"\n")?;
        let text = &hit.text;
        let snip = snippet(text, &hit.highlights, self.config.max_chars);
        if snip.cut_before {
            self.out.write_all("…".as_bytes())?;
        }
        let mut at = snip.range.start;
        for h in &hit.highlights {
            if h.end <= snip.range.start || h.start >= snip.range.end {
                continue;
            }
            let (s, e) = (h.start.max(at), h.end.min(snip.range.end));
            self.out.write_all(&text.as_bytes()[at..s])?;
            self.styled(MATCH, &text[s..e])?;
            at = e;
        }
        self.out.write_all(&text.as_bytes()[at..snip.range.end])?;
        if snip.cut_after {
            self.out.write_all("…".as_bytes())?;
        }
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
