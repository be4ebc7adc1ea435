//! Text extraction from HTML and XHTML, with html5ever (the HTML5 parser of Servo).
//!
//! The page is parsed as a browser would (entities decoded, unclosed tags closed,
//! tables repaired), then walked in document order:
//! - `script`, `style`, `noscript`, `template`, `head`, `nav`, form controls, embedded
//!   content and anything marked `hidden`, `aria-hidden="true"` or `role="navigation"`
//!   are left out, as are a page's own `header` and `footer` (outside `article`, `main`,
//!   `section` and `aside`) when most of their text is links: site navigation;
//! - `h1`-`h6` become [`MarkupItem::Heading`]s;
//! - paragraphs, list items, `dt`/`dd`, `pre`, block quotes, captions and table rows
//!   (cells joined by ` | `) become [`MarkupItem::Block`]s, and so does each run of text
//!   that sits directly in a container (`div`, `section`, `body`, ...) between blocks.
//!
//! Whitespace collapses to one space as on screen, except inside `pre`; `br` is a line
//! break. Source positions come from [`dom`]: each block carries the byte range of its
//! source, from its start tag to its end tag (or, for a run of text, from its first to
//! its last character).

mod dom;

use std::ops::Range;

use super::item::MarkupItem;
use dom::{Cuts, Dom, Id, Kind};

/// Extracts the headings and blocks of text of `html`, in document order.
///
/// Never fails and never panics: any input (broken markup, random bytes decoded to
/// text) gives the items a browser would show, maybe none.
pub(crate) fn extract(html: &str) -> Vec<MarkupItem> {
    let (doms, cuts) = dom::parse(html);
    let mut items = Vec::new();
    for dom in &doms {
        let mut walker = Walker::new(dom, &cuts);
        walker.walk();
        items.append(&mut walker.items);
    }
    items
}

/// How the walk treats an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Left out with everything in it.
    Skip,
    /// `h1`..`h6`, with its level.
    Heading(u8),
    /// One passage: `p`, `li`, `tr`, ...; `pre` keeps its whitespace.
    Block { pre: bool },
    /// Holds blocks; its own runs of text are blocks: `div`, `ul`, `table`, ...
    Container,
    /// A table cell: its text joins the row's, after ` | `.
    Cell,
    /// A line break.
    Break,
    /// Text-level: `a`, `em`, `span`, ...
    Inline,
}

fn role(name: &str) -> Role {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "nav" | "iframe" | "object"
        | "embed" | "svg" | "canvas" | "select" | "button" | "datalist" | "textarea" | "input"
        | "audio" | "video" | "map" => Role::Skip,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Heading(name.as_bytes()[1] - b'0'),
        "pre" | "listing" | "xmp" | "plaintext" => Role::Block { pre: true },
        "p" | "li" | "dt" | "dd" | "blockquote" | "tr" | "caption" | "figcaption" | "summary"
        | "legend" | "address" => Role::Block { pre: false },
        "html" | "body" | "div" | "section" | "article" | "main" | "aside" | "header"
        | "footer" | "ul" | "ol" | "dl" | "menu" | "dir" | "table" | "thead" | "tbody"
        | "tfoot" | "form" | "fieldset" | "figure" | "details" | "hgroup" | "center" | "hr"
        | "search" | "dialog" | "colgroup" => Role::Container,
        "td" | "th" => Role::Cell,
        "br" => Role::Break,
        _ => Role::Inline,
    }
}

/// A step of the depth-first walk (explicit, so that deep nesting cannot overflow the
/// stack).
enum Step {
    Enter(Id),
    Exit(Id, Exit),
}

/// What to do when leaving an element.
enum Exit {
    Heading(u8),
    /// A block: the number of flushes when it was entered.
    Block {
        flushes: usize,
        pre: bool,
    },
    Container,
    Sectioning,
}

struct Walker<'a> {
    dom: &'a Dom,
    cuts: &'a Cuts<'a>,
    items: Vec<MarkupItem>,
    /// Text of the block being gathered.
    buf: String,
    /// Whether `buf` holds `pre` text (kept as is when the block is made).
    buf_pre: bool,
    /// Source range of the text in `buf`.
    span: Option<Range<usize>>,
    /// Blocks ended so far (made or empty): tells whether a block was split by others.
    flushes: usize,
    /// Depth of `pre` elements around the current node.
    pre: usize,
    /// The heading being gathered.
    heading: Option<String>,
    /// Depth of `article`, `main`, `section` and `aside` around the current node.
    sectioning: usize,
    /// The last chunk of the nodes entered so far.
    seen: usize,
}

impl<'a> Walker<'a> {
    fn new(dom: &'a Dom, cuts: &'a Cuts<'a>) -> Walker<'a> {
        Walker {
            dom,
            cuts,
            items: Vec::new(),
            buf: String::new(),
            buf_pre: false,
            span: None,
            flushes: 0,
            pre: 0,
            heading: None,
            sectioning: 0,
            seen: 0,
        }
    }

    fn walk(&mut self) {
        let mut stack = vec![Step::Enter(0)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(id) => self.enter(id, &mut stack),
                Step::Exit(id, exit) => self.exit(id, exit),
            }
        }
        self.flush(None);
    }

    fn push_children(&self, id: Id, stack: &mut Vec<Step>) {
        stack.extend(
            self.dom.nodes[id]
                .children
                .iter()
                .rev()
                .map(|&c| Step::Enter(c)),
        );
    }

    fn enter(&mut self, id: Id, stack: &mut Vec<Step>) {
        let node = &self.dom.nodes[id];
        self.seen = self.seen.max(node.last);
        let (name, hidden) = match &node.kind {
            Kind::Text(t) => return self.text(id, t),
            Kind::Other => return,
            Kind::Document => return self.push_children(id, stack),
            Kind::Element { name, hidden } => (&**name, *hidden),
        };
        let mut role = if hidden { Role::Skip } else { role(name) };
        if matches!(name, "header" | "footer") && self.sectioning == 0 && self.is_chrome(id) {
            role = Role::Skip;
        }
        if self.heading.is_some() && role != Role::Skip {
            // Inside a heading everything is text.
            role = if role == Role::Break {
                role
            } else {
                Role::Inline
            };
        }
        match role {
            Role::Skip if name == "head" => return self.title(id),
            Role::Skip => return,
            Role::Heading(level) => {
                self.flush(None);
                self.heading = Some(String::new());
                stack.push(Step::Exit(id, Exit::Heading(level)));
            }
            Role::Block { pre } => {
                self.flush(None);
                self.pre += usize::from(pre);
                let flushes = self.flushes;
                stack.push(Step::Exit(id, Exit::Block { flushes, pre }));
            }
            Role::Container => {
                self.flush(None);
                let sectioning = matches!(name, "article" | "main" | "section" | "aside");
                self.sectioning += usize::from(sectioning);
                let exit = if sectioning {
                    Exit::Sectioning
                } else {
                    Exit::Container
                };
                stack.push(Step::Exit(id, exit));
            }
            Role::Cell => {
                let t = self.buf.trim_end();
                if !t.is_empty() && !t.ends_with('|') {
                    self.buf.truncate(t.len());
                    self.buf.push_str(" | ");
                }
            }
            Role::Break => self.push_break(),
            Role::Inline => {}
        }
        self.push_children(id, stack);
    }

    fn exit(&mut self, id: Id, exit: Exit) {
        match exit {
            Exit::Heading(level) => {
                let text = self.heading.take().unwrap_or_default();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                self.items.push(MarkupItem::Heading { level, text });
            }
            Exit::Block { flushes, pre } => {
                self.pre -= usize::from(pre);
                // A block not split by inner blocks is its element's whole source.
                let whole = (self.flushes == flushes).then(|| self.element_range(id));
                self.flush(whole);
            }
            Exit::Container => self.flush(None),
            Exit::Sectioning => {
                self.sectioning -= 1;
                self.flush(None);
            }
        }
    }

    /// The page's `<title>` in `head`, as a level-1 heading: the breadcrumb of what comes
    /// before the page's first heading, and the root of `h2`..`h6` when there is no
    /// `h1` (an `h1` takes its place, as the page's own title, usually the same words).
    fn title(&mut self, head: Id) {
        let nodes = &self.dom.nodes;
        let is_title =
            |&&c: &&Id| matches!(&nodes[c].kind, Kind::Element { name, .. } if &**name == "title");
        let Some(&title) = nodes[head].children.iter().find(is_title) else {
            return;
        };
        let mut text = String::new();
        for &c in &nodes[title].children {
            if let Kind::Text(t) = &nodes[c].kind {
                text.push_str(t);
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.items.push(MarkupItem::Heading { level: 1, text });
        }
    }

    /// Adds text node `id` with text `t` to the heading or block being gathered.
    fn text(&mut self, id: Id, t: &str) {
        if let Some(h) = &mut self.heading {
            h.push_str(t);
            return;
        }
        if self.pre > 0 {
            self.buf.push_str(t);
            self.buf_pre = true;
        } else {
            push_collapsed(&mut self.buf, t);
        }
        if t.chars().any(|c| !c.is_whitespace()) {
            let r = self.text_range(id);
            self.span = Some(match self.span.take() {
                Some(s) => s.start.min(r.start)..s.end.max(r.end),
                None => r,
            });
        }
    }

    fn push_break(&mut self) {
        match &mut self.heading {
            Some(h) => h.push(' '),
            None => {
                let t = self.buf.trim_end_matches(' ').len();
                self.buf.truncate(t);
                self.buf.push('\n');
            }
        }
    }

    /// Ends the block being gathered: it becomes an item when it has text, with `whole`
    /// as its source range when given, else the range of its text.
    fn flush(&mut self, whole: Option<Range<usize>>) {
        self.flushes += 1;
        let text = if self.buf_pre {
            self.buf.trim().to_owned()
        } else {
            tidy_lines(&self.buf)
        };
        self.buf.clear();
        self.buf_pre = false;
        let span = self.span.take();
        if text.is_empty() {
            return;
        }
        let range = match (whole, span) {
            (Some(w), Some(s)) => w.start.min(s.start)..w.end.max(s.end),
            (w, s) => w.or(s).unwrap_or(0..0),
        };
        let range = trim_range(self.cuts.text(), range);
        if !range.is_empty() {
            self.items.push(MarkupItem::Block { text, range });
        }
    }

    /// The source of text node `id`: from the end of the tag before it to the start of
    /// the tag after it, trimmed.
    fn text_range(&self, id: Id) -> Range<usize> {
        let node = &self.dom.nodes[id];
        let start = self.cuts.text_start(node.first);
        let end = self.cuts.range(node.last).end.max(start);
        trim_range(self.cuts.text(), start..end)
    }

    /// The source of element `id`, just left: from its start tag to the end of its end
    /// tag, or to the end of its text when it was closed implicitly.
    fn element_range(&self, id: Id) -> Range<usize> {
        let node = &self.dom.nodes[id];
        let start = self.cuts.range(node.first).start;
        let name = match &node.kind {
            Kind::Element { name, .. } => &**name,
            _ => "",
        };
        let end = self
            .cuts
            .end_tag_after(self.seen, name)
            .or_else(|| self.span.as_ref().map(|s| s.end))
            .unwrap_or_else(|| self.cuts.range(node.first).end);
        start..end.max(start)
    }

    /// Whether the `header` or `footer` `id` is site chrome: at least half of its shown
    /// text is link text.
    fn is_chrome(&self, id: Id) -> bool {
        let (mut all, mut links) = (0usize, 0usize);
        let mut stack = vec![(id, false)];
        while let Some((id, in_link)) = stack.pop() {
            let node = &self.dom.nodes[id];
            match &node.kind {
                Kind::Text(t) => {
                    let n = t.chars().filter(|c| !c.is_whitespace()).count();
                    all += n;
                    links += if in_link { n } else { 0 };
                }
                Kind::Element { name, hidden } if !hidden && role(name) != Role::Skip => {
                    let in_link = in_link || &**name == "a";
                    stack.extend(node.children.iter().map(|&c| (c, in_link)));
                }
                _ => {}
            }
        }
        all > 0 && links * 2 >= all
    }
}

/// Appends `t` to `buf` with each run of HTML whitespace as one space, and none at the
/// start of a line.
fn push_collapsed(buf: &mut String, t: &str) {
    for c in t.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !buf.is_empty() && !buf.ends_with([' ', '\n']) {
                buf.push(' ');
            }
        } else {
            buf.push(c);
        }
    }
}

/// `text` with each line trimmed and empty lines dropped.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// `range` of `text` without the whitespace at its ends.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    start..(range.start + s.trim_end().len()).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of `html` as (heading level or 0, text, source slice).
    fn items(html: &str) -> Vec<(u8, String, &str)> {
        extract(html)
            .into_iter()
            .map(|i| match i {
                MarkupItem::Heading { level, text } => (level, text, ""),
                MarkupItem::Block { text, range } => (0, text, &html[range]),
            })
            .collect()
    }

    #[test]
    fn a_page_gives_headings_and_blocks_with_their_source() {
        let html = "<!DOCTYPE html>\n<html><head><title>T</title><style>p{}</style></head>\n<body>\n<nav><a href=/>Home</a></nav>\n<h1>Caf&eacute; &amp; co</h1>\n<p>Fish &#38; <b>chips</b>\n  &#x263A;</p>\n<script>var x = '<p>no</p>';</script>\n<ul><li>one<li>two</ul>\n<table><tr><th>a</th><td>b</td></tr></table>\n<pre>  x  y\n z</pre>\n</body></html>\n";
        assert_eq!(
            items(html),
            [
                (1, "T".into(), ""),
                (1, "Café & co".into(), ""),
                (
                    0,
                    "Fish & chips ☺".into(),
                    "<p>Fish &#38; <b>chips</b>\n  &#x263A;</p>"
                ),
                (0, "one".into(), "<li>one"),
                (0, "two".into(), "<li>two"),
                (0, "a | b".into(), "<tr><th>a</th><td>b</td></tr>"),
                (0, "x  y\n z".into(), "<pre>  x  y\n z</pre>"),
            ]
        );
    }

    #[test]
    fn runs_of_text_between_blocks_are_blocks() {
        let html = "<div>\n  Intro <em>text</em>\n  <p>para</p>\n  tail &lt;end&gt;\n</div>";
        assert_eq!(
            items(html),
            [
                (0, "Intro text".into(), "Intro <em>text"),
                (0, "para".into(), "<p>para</p>"),
                (0, "tail <end>".into(), "tail &lt;end&gt;"),
            ]
        );
    }

    #[test]
    fn a_block_split_by_inner_blocks_keeps_its_runs() {
        let html = "<ul><li>top<ul><li>inner</li></ul>rest</li></ul>";
        let texts: Vec<String> = items(html).into_iter().map(|i| i.1).collect();
        assert_eq!(texts, ["top", "inner", "rest"]);
    }

    #[test]
    fn line_breaks_and_hidden_elements() {
        let html = "<p>one<br>two <span hidden>gone</span><span aria-hidden=true>gone</span></p><div role=navigation>menu</div>";
        assert_eq!(
            items(html),
            [(
                0,
                "one\ntwo".into(),
                "<p>one<br>two <span hidden>gone</span><span aria-hidden=true>gone</span></p>"
            )]
        );
    }

    #[test]
    fn site_header_and_footer_of_links_are_chrome() {
        let html = "<header><a href=/>Site</a> <a href=/b>Blog</a></header>\
                    <main><header>Post header</header><p>Body</p></main>\
                    <footer>Written by me, <a href=/>home</a></footer>";
        let texts: Vec<String> = items(html).into_iter().map(|i| i.1).collect();
        assert_eq!(texts, ["Post header", "Body", "Written by me, home"]);
    }

    #[test]
    fn headings_hold_their_inline_text_only() {
        let html = "<h2 id=x>Install <code>cargo</code><br>now</h2><h3></h3>";
        assert_eq!(
            items(html),
            [(2, "Install cargo now".into(), ""), (3, String::new(), "")]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = format!("{}deep{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        assert_eq!(items(&html).len(), 1);
    }

    /// Past `MAX_DEPTH` the rest is parsed anew: every text kept, in order, each with
    /// its own source.
    #[test]
    fn nesting_past_the_limit_keeps_every_text_in_order() {
        let open = |n: usize| "<div>".repeat(n);
        let html = format!(
            "<h1>Top</h1>{}first{}<p>second</p>{}third",
            open(400),
            open(400),
            open(2000)
        );
        let got = items(&html);
        let texts: Vec<&str> = got.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(texts, ["Top", "first", "second", "third"]);
        for (_, text, source) in got.iter().filter(|(level, ..)| *level == 0) {
            assert!(source.contains(text.as_str()), "{text:?} in {source:?}");
        }
        let (doms, _) = dom::parse(&html);
        assert!(doms.len() >= 2, "{}", doms.len());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_gives_ranges_inside_it(
            html in r#"(<(/?)(p|div|li|td|tr|table|pre|h1|script|b|br|!--)( a="[<>]?")?>|&(amp|#3[89]|eacute|x;|)|[a-z <>"'\n]){0,80}"#
        ) {
            for item in extract(&html) {
                if let MarkupItem::Block { text, range } = item {
                    prop_assert!(range.start < range.end && range.end <= html.len());
                    prop_assert!(html.is_char_boundary(range.start) && html.is_char_boundary(range.end));
                    prop_assert!(!text.is_empty());
                    prop_assert_eq!(text.trim(), text.as_str());
                }
            }
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = extract(&text);
        }
    }
}
