//! Text extraction from roff manual pages: man(7), and the common macros of mdoc(7).
//!
//! A page is read line by line, as a pager shows it:
//! - `.TH name section` (mdoc: `.Dt`) is the top heading, `name(section)`; `.SH`/`.Sh`
//!   and `.SS`/`.Ss` are the headings below it;
//! - paragraph macros (`.PP`, `.P`, `.LP`, `.HP`, `.IP`, `.TP`, `.Pp`, `.It`, `.sp`, a
//!   blank line) end one [`MarkupItem::Block`] and start the next; a `.TP` tag (`-L,
//!   --dereference`) and its body are one block, the tag on a line of its own, as are an
//!   mdoc `.It` and its body;
//! - font macros (`.B`, `.BR`, ...) and mdoc inline macros (`.Fl`, `.Ar`, `.Op`, `.Xr`,
//!   ...) are their text; escapes are resolved (see [`escape`]); in filled text lines
//!   join with a space and whitespace collapses, in no-fill text (`.nf`, `.EX`, `.Bd
//!   -literal`) lines are kept;
//! - tbl(7) tables: each row is a block, cells joined by ` | `;
//! - comments, macro definitions (`.de`), conditionals (`.if`, `.ie`, `.el`, with a
//!   `\{ ... \}` body), equations and every unknown request are left out;
//! - `.so file` (a page that includes another, as `bunzip2.1` includes `bzip2.1`) is a
//!   block `see file`, a pointer to the page that holds the text.
//!
//! Each block carries the byte range of its source: from the start of the macro line that
//! opened it (`.TP`, `.PP`, ...), or of its first line of text, to the end of its last
//! line of text.

mod escape;
mod mdoc;

use std::borrow::Cow;
use std::ops::Range;

use super::item::MarkupItem;
use escape::{split_args, unescape, Strings};

/// How many lines [`is_man_page`] reads before it gives up looking for `.TH` or `.Dd`.
const SNIFF_LINES: usize = 2000;

/// True when `text` is a roff manual page: before its first line of text (comments,
/// blank lines, requests, macro definitions skipped) comes `.TH` (man), `.Dd` or `.Dt`
/// (mdoc), or a `.so` redirection. Names do not matter: content decides.
pub(crate) fn is_man_page(text: &str) -> bool {
    let mut lines = text.lines().take(SNIFF_LINES);
    let mut continued = false;
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        // A line after one that ends with an escaping `\` goes on with it.
        let was_continued = std::mem::replace(
            &mut continued,
            (line.len() - line.trim_end_matches('\\').len()) % 2 == 1,
        );
        if was_continued || line.is_empty() || line.starts_with("\\\"") {
            continue;
        }
        let Some((name, args)) = request(line) else {
            // A line of escapes that show nothing (`\t`, `\&`) is no text yet.
            let mut shown = String::new();
            unescape(line, &Strings::new(0), &mut shown);
            if shown.trim().is_empty() {
                continue;
            }
            return false;
        };
        match name {
            "TH" | "Dd" | "Dt" => return true,
            "so" => return !args.trim().is_empty(),
            "de" | "de1" | "am" | "ig" => {
                let end = split_args(args).get(usize::from(name != "ig")).cloned();
                let end = format!(".{}", end.as_deref().unwrap_or("."));
                lines.by_ref().find(|l| l.trim_end() == end);
            }
            _ => {}
        }
    }
    false
}

/// The name and the rest of a request or macro line (`.name args` or `'name args`,
/// spaces allowed after the control character); `None` for a text line. A comment line
/// (`.\"`) has the name `\"`.
fn request(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix(['.', '\''])?;
    let rest = rest.trim_start_matches([' ', '\t']);
    if rest.starts_with("\\\"") {
        return Some(("\\\"", ""));
    }
    let end = rest.find([' ', '\t']).unwrap_or(rest.len());
    Some((&rest[..end], &rest[end..]))
}

/// Extracts the headings and blocks of text of the manual page `text`, in page order.
///
/// Never fails and never panics: any input gives the items a pager would show, maybe none.
pub(crate) fn extract(text: &str) -> Vec<MarkupItem> {
    let mut reader = Reader::new(text.len());
    for (range, line) in logical_lines(text) {
        reader.line(range, &line);
    }
    reader.flush();
    reader.items
}

/// The page's lines, with their byte ranges (terminator excluded); a line that ends with
/// an escaping `\` goes on with the next (their ranges join).
fn logical_lines(text: &str) -> Vec<(Range<usize>, Cow<'_, str>)> {
    let mut out: Vec<(Range<usize>, Cow<'_, str>)> = Vec::new();
    let mut continued = false;
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let end = start + raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = start..start + line.len();
        start = end;
        let trailing = line.len() - line.trim_end_matches('\\').len();
        let (line, continues) = match trailing % 2 {
            1 => (&line[..line.len() - 1], true),
            _ => (line, false),
        };
        match out.last_mut() {
            Some((r, joined)) if continued => {
                r.end = range.end;
                joined.to_mut().push_str(line);
            }
            _ => out.push((range, Cow::Borrowed(line))),
        }
        continued = continues;
    }
    out
}

/// Appends `text` to `buf` with each run of whitespace as one space.
fn push_collapsed(buf: &mut String, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            buf.push(' ');
        }
        buf.push_str(word);
    }
}

/// What the next line of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Text of the current block.
    Text,
    /// A heading of this level (`.SH` alone on its line).
    Heading(u8),
    /// The tag of a `.TP` (or `.TQ`): the body goes on a line of its own after it.
    Tag,
}

/// Lines skipped until a closing line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Skip {
    /// Up to the line `.end` (a macro definition, `.ig`, `.EQ`).
    Until(String),
    /// Up to the `\}` that closes this many `\{`.
    Braces(usize),
}

/// The state of a tbl(7) table.
#[derive(Debug, Clone, Copy, Default)]
struct Table {
    /// The options and format lines are read (they end with `.`).
    format_done: bool,
    /// Inside a `T{ ... T}` text block.
    in_cell: bool,
}

struct Reader {
    items: Vec<MarkupItem>,
    strings: Strings,
    /// Text of the block being gathered.
    buf: String,
    /// Source of the text in `buf`.
    span: Option<Range<usize>>,
    /// Start of the macro line that opened the block being gathered.
    opener: Option<usize>,
    /// What goes between `buf` and the next text: `None` when the page joins them (`\c`).
    sep: Option<char>,
    /// Filled text (lines joined by spaces), false in `.nf`.
    fill: bool,
    next: Next,
    skip: Option<Skip>,
    table: Option<Table>,
    /// The target of an open `.UR` or `.MT`.
    link: Option<String>,
    /// The page's name, from the first mdoc `.Nm`.
    name: Option<String>,
    /// The block holds only tags so far (`.TP` or `.IP`): a next tag joins it, as in
    /// `.IP -a` `.PD 0` `.IP --all` (one option, two spellings).
    tag_only: bool,
    /// Lines of text added to the block so far.
    block_lines: usize,
}

impl Reader {
    fn new(len: usize) -> Reader {
        Reader {
            items: Vec::new(),
            strings: Strings::new(len),
            buf: String::new(),
            span: None,
            opener: None,
            sep: Some(' '),
            fill: true,
            next: Next::Text,
            skip: None,
            table: None,
            link: None,
            name: None,
            tag_only: false,
            block_lines: 0,
        }
    }

    fn line(&mut self, range: Range<usize>, line: &str) {
        if let Some(skip) = &mut self.skip {
            let done = match skip {
                Skip::Until(end) => line.trim_end() == end,
                Skip::Braces(depth) => {
                    *depth = (*depth + line.matches("\\{").count())
                        .saturating_sub(line.matches("\\}").count());
                    *depth == 0
                }
            };
            if done {
                self.skip = None;
            }
            return;
        }
        if self.table.is_some() {
            return self.table_line(range, line);
        }
        match request(line) {
            Some((name, args)) => self.request(range, name, args),
            None => self.text_line(range, line),
        }
    }

    fn text_line(&mut self, range: Range<usize>, line: &str) {
        if line.trim().is_empty() {
            if !self.fill {
                if !self.buf.is_empty() {
                    self.buf.push('\n');
                }
            } else if !self.tag_only {
                // A tag alone is no paragraph: its body may follow a blank line (gcloud).
                self.flush();
            }
            return;
        }
        if line.starts_with("\\\"") {
            return;
        }
        let mut text = String::new();
        let joined = unescape(line, &self.strings, &mut text);
        self.add(range, &text);
        if joined {
            self.sep = None;
        }
    }

    /// Adds `text` (escapes resolved) from the source `range` to the block, or makes it
    /// the pending heading.
    fn add(&mut self, range: Range<usize>, text: &str) {
        let text = match self.fill {
            true => text.trim(),
            false => text.trim_end(),
        };
        if text.is_empty() {
            return;
        }
        if let Next::Heading(level) = self.next {
            self.next = Next::Text;
            return self.heading(level, text.to_owned());
        }
        if !self.buf.is_empty() {
            if let Some(sep) = self.sep {
                self.buf.push(if self.fill { sep } else { '\n' });
            }
        }
        match self.fill {
            true => push_collapsed(&mut self.buf, text),
            false => self.buf.push_str(text),
        }
        self.block_lines += 1;
        self.sep = Some(' ');
        self.tag_only = self.next == Next::Tag;
        if self.next == Next::Tag {
            self.next = Next::Text;
            self.sep = Some('\n');
        }
        let start = self.opener.take().unwrap_or(range.start);
        match &mut self.span {
            Some(span) => span.end = range.end,
            None => self.span = Some(start.min(range.start)..range.end),
        }
    }

    /// Ends the block being gathered.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buf);
        let trimmed = text.trim();
        if let Some(range) = self.span.take() {
            if !trimmed.is_empty() && range.start < range.end {
                self.items.push(MarkupItem::Block {
                    text: trimmed.to_owned(),
                    range,
                });
            }
        }
        self.sep = Some(' ');
        self.opener = None;
        self.next = Next::Text;
        self.tag_only = false;
        self.block_lines = 0;
    }

    fn heading(&mut self, level: u8, text: String) {
        self.flush();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.items.push(MarkupItem::Heading { level, text });
    }

    /// Ends the block and starts one at the macro line `range`.
    fn paragraph(&mut self, range: &Range<usize>) {
        self.flush();
        self.opener = Some(range.start);
    }

    /// `.IP tag`: a tag with a letter or digit (`-a`, not a bullet) is on a line of its own,
    /// as a `.TP` tag; tags in a row join (see [`Reader::tag_only`]).
    fn indented_paragraph(&mut self, range: &Range<usize>, tag: Option<&String>) {
        if !self.tag_only {
            self.paragraph(range);
        }
        let tag = tag.map(|t| self.args_text(std::slice::from_ref(t), ""));
        match tag {
            Some(tag) if tag.chars().any(char::is_alphanumeric) => {
                self.next = Next::Tag;
                self.add(range.clone(), &tag);
            }
            Some(tag) => self.add(range.clone(), &tag),
            None => self.tag_only = false,
        }
    }

    /// The text of `args`, each unescaped, joined by `sep`.
    fn args_text(&self, args: &[String], sep: &str) -> String {
        let texts: Vec<String> = args
            .iter()
            .map(|a| {
                let mut out = String::new();
                unescape(a, &self.strings, &mut out);
                out
            })
            .collect();
        texts.join(sep)
    }

    fn request(&mut self, range: Range<usize>, name: &str, rest: &str) {
        if self.man_request(&range, name, rest) || self.mdoc_request(&range, name, rest) {
            return;
        }
        self.control_request(name, rest);
    }

    /// Handles a man(7) macro; false when `name` is not one.
    fn man_request(&mut self, range: &Range<usize>, name: &str, rest: &str) -> bool {
        let args = || split_args(rest);
        match name {
            "TH" => {
                let title = match args().as_slice() {
                    [] => String::new(),
                    [name] => self.args_text(std::slice::from_ref(name), ""),
                    [name, section, ..] => {
                        self.args_text(&[name.clone(), section.clone()], "(") + ")"
                    }
                };
                self.heading(1, title);
            }
            "SH" | "SS" => {
                let level = if name == "SH" { 2 } else { 3 };
                let args = args();
                match args.is_empty() {
                    true => {
                        self.flush();
                        self.next = Next::Heading(level);
                    }
                    false => {
                        let text = self.args_text(&args, " ");
                        self.heading(level, text);
                    }
                }
            }
            "PP" | "P" | "LP" | "HP" | "sp" | "Sp" => self.paragraph(range),
            "TP" => {
                if !self.tag_only {
                    self.paragraph(range);
                }
                self.next = Next::Tag;
            }
            "TQ" => {
                self.sep = Some('\n');
                self.next = Next::Tag;
            }
            "IP" => self.indented_paragraph(range, args().first()),
            // An indent after a tag, or after a one-line paragraph (the term of a
            // DocBook or AsciiDoc list: `.PP` `-v, --invert-match` `.RS 4` body), goes on
            // its block.
            "RS" if self.tag_only || self.block_lines == 1 => {
                self.sep = Some('\n');
                self.tag_only = true;
            }
            "RS" | "RE" | "YS" => self.flush(),
            "br" => self.sep = Some('\n'),
            "nf" | "EX" | "Vb" => {
                self.paragraph(range);
                self.fill = false;
            }
            "fi" | "EE" | "Ve" => {
                self.flush();
                self.fill = true;
            }
            "TS" => {
                self.flush();
                self.table = Some(Table::default());
            }
            _ => return self.inline_request(range, name, rest),
        }
        true
    }

    /// Handles a man(7) macro that gives text (fonts, synopsis, links, `.so`); false when
    /// `name` is not one.
    fn inline_request(&mut self, range: &Range<usize>, name: &str, rest: &str) -> bool {
        let args = || split_args(rest);
        match name {
            "B" | "I" | "SM" | "SB" => {
                let text = self.args_text(&args(), " ");
                self.add(range.clone(), &text);
            }
            "BR" | "RB" | "BI" | "IB" | "IR" | "RI" => {
                let text = self.args_text(&args(), "");
                self.add(range.clone(), &text);
            }
            "SY" => {
                self.paragraph(range);
                let text = self.args_text(&args(), " ");
                self.add(range.clone(), &text);
            }
            "OP" => {
                let text = format!("[{}]", self.args_text(&args(), " "));
                self.add(range.clone(), &text);
            }
            "UR" | "MT" => {
                self.link = args()
                    .first()
                    .map(|a| self.args_text(std::slice::from_ref(a), ""))
            }
            "UE" | "ME" => {
                let after = self.args_text(&args(), "");
                if let Some(link) = self.link.take() {
                    self.add(range.clone(), &format!("<{link}>{after}"));
                }
            }
            "so" => {
                self.paragraph(range);
                let target = self.args_text(&args(), " ");
                self.add(range.clone(), &format!("see {target}"));
                self.flush();
            }
            _ => return false,
        }
        true
    }

    /// Handles an mdoc(7) macro; false when `name` is not one.
    fn mdoc_request(&mut self, range: &Range<usize>, name: &str, rest: &str) -> bool {
        match name {
            "Dt" => {
                let args = split_args(rest);
                self.man_request(range, "TH", &args.join(" "));
            }
            "Sh" | "Ss" => {
                let text = self.mdoc_text(split_args(rest));
                self.heading(if name == "Sh" { 2 } else { 3 }, text);
            }
            "Pp" | "Lp" => self.paragraph(range),
            "Bl" | "El" | "Ed" => {
                self.flush();
                self.fill = self.fill || name == "Ed";
            }
            "Bd" => {
                self.paragraph(range);
                self.fill = !rest.contains("-literal") && !rest.contains("-unfilled");
            }
            "It" | "D1" | "Dl" => {
                self.paragraph(range);
                let text = self.mdoc_text(split_args(rest));
                self.add(range.clone(), &text);
                self.sep = Some('\n');
                if name != "It" {
                    self.flush();
                }
            }
            "Nd" => {
                let text = format!("\u{2014} {}", self.mdoc_text(split_args(rest)));
                self.add(range.clone(), &text);
            }
            _ if mdoc::is_callable(name) => {
                let mut tokens = vec![name.to_owned()];
                tokens.extend(split_args(rest));
                let text = self.mdoc_text(tokens);
                self.add(range.clone(), &text);
            }
            _ => return false,
        }
        true
    }

    fn mdoc_text(&mut self, tokens: Vec<String>) -> String {
        let mut cx = mdoc::Context {
            strings: &self.strings,
            name: &mut self.name,
        };
        mdoc::render(&tokens, &mut cx)
    }

    /// Requests that define or skip: strings, macros, conditionals, equations; any
    /// other request is left out.
    fn control_request(&mut self, name: &str, rest: &str) {
        match name {
            "ds" | "ds1" | "as" | "as1" => {
                let rest = rest.trim_start();
                let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                let value = rest[end..].trim_start_matches([' ', '\t']);
                self.strings
                    .define(&rest[..end], value, name.starts_with("as"));
            }
            "de" | "de1" | "dei" | "am" | "am1" | "ami" | "ig" => {
                let args = split_args(rest);
                let end = args.get(usize::from(name != "ig")).map(String::as_str);
                self.skip = Some(Skip::Until(format!(".{}", end.unwrap_or("."))));
            }
            "EQ" => self.skip = Some(Skip::Until(".EN".to_owned())),
            "if" | "ie" | "el" | "while" => {
                let depth = rest
                    .matches("\\{")
                    .count()
                    .saturating_sub(rest.matches("\\}").count());
                if depth > 0 {
                    self.skip = Some(Skip::Braces(depth));
                }
            }
            _ => {}
        }
    }

    /// A line inside a tbl(7) table (after `.TS`).
    fn table_line(&mut self, range: Range<usize>, line: &str) {
        let Some(mut table) = self.table else { return };
        match request(line) {
            Some(("TE", _)) => {
                self.flush();
                self.table = None;
                return;
            }
            Some(("T&", _)) => table.format_done = false,
            Some(_) => {}
            None if !table.format_done => table.format_done = line.trim_end().ends_with('.'),
            None => self.table_row(range, line, &mut table),
        }
        self.table = Some(table);
    }

    fn table_row(&mut self, range: Range<usize>, line: &str, table: &mut Table) {
        let mut line = line;
        if table.in_cell {
            match line.strip_prefix("T}") {
                Some(after) => {
                    table.in_cell = false;
                    line = after;
                }
                None => {
                    let mut text = String::new();
                    unescape(line, &self.strings, &mut text);
                    return self.add(range, &text);
                }
            }
        } else {
            if matches!(line.trim(), "_" | "=") {
                return;
            }
            self.flush();
            self.opener = Some(range.start);
        }
        for (i, cell) in line.split('\t').enumerate() {
            let starts_text = cell.trim_end() == "T{";
            if i > 0 && !self.buf.is_empty() {
                self.buf.push_str(" |");
                self.sep = Some(' ');
            }
            if starts_text {
                table.in_cell = true;
                continue;
            }
            let mut text = String::new();
            unescape(cell, &self.strings, &mut text);
            self.add(range.clone(), &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(page: &str) -> Vec<(String, &str)> {
        extract(page)
            .into_iter()
            .map(|item| match item {
                MarkupItem::Heading { level, text } => (format!("{level}:{text}"), ""),
                MarkupItem::Block { text, range } => (text, &page[range]),
            })
            .collect()
    }

    #[test]
    fn man_macros_read_as_headings_and_blocks() {
        let page = ".\\\" a comment\n.TH CP 1 \"2022\" \"GNU\"\n.SH NAME\ncp \\- copy files\n.SH DESCRIPTION\n.PP\nCopy SOURCE\nto DEST.\n.TP\n\\fB\\-L\\fR, \\fB\\-\\-dereference\\fR\nalways follow symbolic links in SOURCE\n.TP\n.B \\-a\nall\n.SS \"Exit status\"\n.BR ls (1),\n.IR find (1)\n";
        assert_eq!(
            blocks(page),
            [
                ("1:CP(1)".to_owned(), ""),
                ("2:NAME".to_owned(), ""),
                ("cp - copy files".to_owned(), "cp \\- copy files"),
                ("2:DESCRIPTION".to_owned(), ""),
                ("Copy SOURCE to DEST.".to_owned(), ".PP\nCopy SOURCE\nto DEST."),
                (
                    "-L, --dereference\nalways follow symbolic links in SOURCE".to_owned(),
                    ".TP\n\\fB\\-L\\fR, \\fB\\-\\-dereference\\fR\nalways follow symbolic links in SOURCE"
                ),
                ("-a\nall".to_owned(), ".TP\n.B \\-a\nall"),
                ("3:Exit status".to_owned(), ""),
                ("ls(1), find(1)".to_owned(), ".BR ls (1),\n.IR find (1)"),
            ]
        );
    }

    #[test]
    fn no_fill_text_keeps_its_lines_and_definitions_are_skipped() {
        let page = ".TH X 1\n.de Vb\n\\fBhidden\\fR\n..\n.ds Ex example\n.if n \\{\\\nhidden too\n.\\}\n.nf\n  a  b\n\\*(Ex\n.fi\nfilled \\\n  on\n";
        assert_eq!(
            blocks(page),
            [
                ("1:X(1)".to_owned(), ""),
                ("a  b\nexample".to_owned(), ".nf\n  a  b\n\\*(Ex"),
                ("filled on".to_owned(), "filled \\\n  on"),
            ]
        );
    }

    #[test]
    fn mdoc_macros_read_as_text() {
        let page = ".Dd May 1, 2020\n.Dt LS 1\n.Os\n.Sh NAME\n.Nm ls\n.Nd list directory contents\n.Sh SYNOPSIS\n.Nm\n.Op Fl ABC\n.Ar\n.Sh DESCRIPTION\n.Bl -tag -width indent\n.It Fl L , Fl \\-dereference\nFollow links.\n.El\n.Sh SEE ALSO\n.Xr find 1\n";
        let texts: Vec<String> = blocks(page).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            texts,
            [
                "1:LS(1)",
                "2:NAME",
                "ls — list directory contents",
                "2:SYNOPSIS",
                "ls [-ABC] file ...",
                "2:DESCRIPTION",
                "-L, --dereference\nFollow links.",
                "2:SEE ALSO",
                "find(1)",
            ]
        );
    }

    #[test]
    fn a_tag_keeps_its_body_across_a_blank_line_or_an_indent() {
        let page =
            ".TP 2m\n\\fB\\-\\-zone\\fR=\\fIZONE\\fR\n\nThe zone.\n.TP\n.B \\-x\n.RS\nEx.\n.RE\n";
        let texts: Vec<String> = blocks(page).into_iter().map(|(t, _)| t).collect();
        assert_eq!(texts, ["--zone=ZONE\nThe zone.", "-x\nEx."]);
        let page = ".PP\n\\-v, \\-\\-invert\\-match\n.RS 4\nSelect non\\-matching lines\\&.\n.RE\n.PP\nTwo\nlines\n.RS\nindented\n";
        let texts: Vec<String> = blocks(page).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            texts,
            [
                "-v, --invert-match\nSelect non-matching lines.",
                "Two lines",
                "indented"
            ]
        );
    }

    #[test]
    fn tables_are_rows_and_so_is_a_pointer() {
        let page = ".TH T 1\n.TS\nallbox;\nl l.\nName\tValue\n_\na\tT{\nlong\ntext\nT}\n.TE\n.so man1/other.1\n";
        let texts: Vec<String> = blocks(page).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            texts,
            [
                "1:T(1)",
                "Name | Value",
                "a | long text",
                "see man1/other.1"
            ]
        );
    }

    #[test]
    fn pages_are_told_by_content() {
        assert!(is_man_page(".\\\" comment\n.TH LS 1\n"));
        assert!(is_man_page("'\\\" t\n.\\\" x\n.TH LS 1\n"));
        assert!(is_man_page(
            ".de Sp\n\\fBtext\\fR\n..\n.nr X 0\n.TH PERL 1\n"
        ));
        assert!(is_man_page(".if n \\\n\\{\\\n.ds a b\n.\\}\n.TH PERL 1\n"));
        assert!(is_man_page(".Dd $Mdocdate$\n.Dt LS 1\n"));
        assert!(is_man_page(".so man1/bzip2.1\n"));
        assert!(is_man_page("'\\\" t\n\\t\n\\&\n.TH A64L 3\n"));
        assert!(!is_man_page("Plain text\n.TH later\n"));
        assert!(!is_man_page(".gitignore notes\n"));
        assert!(!is_man_page(""));
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_extracts_without_panic_inside_its_source(
            text in "([.'\\\\\"{}()\\[\\]*fBIRTPSHsnhcde\\- a\té\n]|\\.TH|\\.SH|\\.TP|\\.TS|\\.de|\\.if|\\.nf|\\.It|\\.Op Fl|T\\{|\\\\\\*\\(){0,300}",
        ) {
            let mut prev_end = 0;
            for item in extract(&text) {
                if let MarkupItem::Block { text: block, range } = item {
                    prop_assert!(!block.trim().is_empty());
                    prop_assert!(range.start < range.end && range.end <= text.len());
                    prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
                    prop_assert!(range.start >= prev_end, "{:?} overlaps the block before", range);
                    prev_end = range.end;
                }
            }
            let _ = is_man_page(&text);
        }
    }
}
