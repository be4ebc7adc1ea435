//! A small DOM built by html5ever's tree builder, each node tagged with the source chunk
//! it came from.
//!
//! html5ever reports no source offsets, but it parses a stream: the text can be fed in
//! pieces and the tree is the same whatever the cuts. We cut the source before every tag
//! ([`cut_points`]), so that each chunk is at most one tag followed by text, and feed the
//! chunks one by one. Every node the tree builder creates and every text it appends is
//! then stamped with the index of the chunk being fed, which is a byte range of the
//! source. The parse itself never depends on the cuts. (The tree builder's `pop` calls
//! cannot place end tags: it does not make them for every element it closes, so an
//! element's end tag is looked for after its last descendant, see
//! [`Cuts::end_tag_after`].)

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::rc::Rc;

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{parse_document, Attribute, LocalName, ParseOpts, QualName};

/// Index of a node in [`Dom::nodes`].
pub(crate) type Id = usize;

/// What a node is.
#[derive(Debug)]
pub(crate) enum Kind {
    /// The document (also the content of a `template`).
    Document,
    /// An element: its local name (lower-case for HTML) and whether its attributes hide
    /// it (`hidden`, `aria-hidden="true"`, `role="navigation"`).
    Element { name: LocalName, hidden: bool },
    /// Text, entities decoded.
    Text(String),
    /// A comment, doctype or processing instruction.
    Other,
}

/// One node: its place in the tree and the chunks it came from.
#[derive(Debug)]
pub(crate) struct Node {
    /// The parent, `None` for the document and detached nodes.
    pub(crate) parent: Option<Id>,
    /// Children in document order.
    pub(crate) children: Vec<Id>,
    /// What the node is.
    pub(crate) kind: Kind,
    /// 0-based chunk in which the node was created.
    pub(crate) first: usize,
    /// 0-based chunk in which text was last appended to the text node; `first` for
    /// other nodes.
    pub(crate) last: usize,
    /// Ancestors when the node was attached (0 for the document and detached nodes).
    depth: usize,
}

/// A parsed document: nodes, the root is node 0.
#[derive(Debug)]
pub(crate) struct Dom {
    /// Every node created, in creation order.
    pub(crate) nodes: Vec<Node>,
}

/// Elements nested deeper than this end a parse: the rest of the source is parsed as a
/// new document (see [`parse`]). Blink caps the depth of the tree its HTML parser builds
/// at 512 too (`kMaximumHTMLParserDOMTreeDepth`).
pub(crate) const MAX_DEPTH: usize = 512;

/// Parses `html` into one or more [`Dom`]s, in source order, and the chunks their nodes
/// are stamped with.
///
/// One document, unless elements nest deeper than [`MAX_DEPTH`]: html5ever looks
/// through its stack of open elements at every tag, so a page of 100,000 nested `div`s
/// took 20 s. The parse then ends after the chunk that went past the limit and the
/// rest of the source is parsed as a new document, and so on: every text is kept, the
/// time stays linear, and only such a page's structure above the cut is lost.
///
/// Never fails and never panics: html5ever recovers from any input, as browsers do.
pub(crate) fn parse(html: &str) -> (Vec<Dom>, Cuts<'_>) {
    let cuts = Cuts::new(html);
    let mut doms = Vec::new();
    let mut k = 0;
    while doms.is_empty() || k < cuts.len() {
        let chunk = Rc::new(Cell::new(k));
        let deepest = Rc::new(Cell::new(0));
        let sink = Sink::new(Rc::clone(&chunk), Rc::clone(&deepest));
        let mut parser = parse_document(sink, ParseOpts::default());
        while k < cuts.len() && deepest.get() <= MAX_DEPTH {
            chunk.set(k);
            parser.process(StrTendril::from_slice(cuts.chunk(k)));
            k += 1;
        }
        chunk.set(k);
        doms.push(parser.finish());
    }
    (doms, cuts)
}

/// The cut points of a source: chunk `k` is the half-open byte range
/// `at[k]..at[k + 1]`, each starting at a `<` (the first one at 0).
#[derive(Debug)]
pub(crate) struct Cuts<'a> {
    text: &'a str,
    /// Chunk starts, then `text.len()`.
    at: Vec<usize>,
}

impl<'a> Cuts<'a> {
    fn new(text: &'a str) -> Cuts<'a> {
        let mut at = cut_points(text.as_bytes());
        at.push(text.len());
        Cuts { text, at }
    }

    /// The number of chunks.
    pub(crate) fn len(&self) -> usize {
        self.at.len() - 1
    }

    /// Byte range of chunk `k`; an empty range at the end for `k >= len()`.
    pub(crate) fn range(&self, k: usize) -> Range<usize> {
        if k >= self.len() {
            self.text.len()..self.text.len()
        } else {
            self.at[k]..self.at[k + 1]
        }
    }

    fn chunk(&self, k: usize) -> &'a str {
        &self.text[self.range(k)]
    }

    /// Byte offset where the text of chunk `k` starts: after the tag or comment that
    /// opens the chunk, if any.
    pub(crate) fn text_start(&self, k: usize) -> usize {
        let r = self.range(k);
        r.start + markup_len(&self.text.as_bytes()[r.clone()]).unwrap_or(0)
    }

    /// Byte offset where element `name`, whose last descendant is in chunk `k`, ends:
    /// after its end tag when one follows chunk `k`, past only other end tags and
    /// whitespace; `None` when it was closed implicitly.
    pub(crate) fn end_tag_after(&self, k: usize, name: &str) -> Option<usize> {
        for k in k + 1..self.len() {
            let r = self.range(k);
            let b = &self.text.as_bytes()[r.clone()];
            if !b.starts_with(b"</") {
                return None;
            }
            let tag_len = markup_len(b).unwrap_or(b.len());
            let n = name.len();
            if b.len() > n + 2
                && b[2..2 + n].eq_ignore_ascii_case(name.as_bytes())
                && matches!(
                    b[2 + n],
                    b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
                )
            {
                return Some(r.start + tag_len);
            }
            if !b[tag_len..].iter().all(u8::is_ascii_whitespace) {
                return None;
            }
        }
        None
    }

    /// The source text.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }
}

/// Elements whose content the tokenizer reads as raw text, up to their end tag.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"plaintext",
];

/// Chunk starts: 0 and every `<` that starts markup outside tags, comments and raw
/// text. A mirror of the tokenizer's states that matters only for how finely nodes are
/// placed, never for what is parsed.
fn cut_points(b: &[u8]) -> Vec<usize> {
    let mut at = vec![0];
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]).map(|p| p + i) {
        if p > 0 {
            at.push(p);
        }
        i = match markup_len(&b[p..]) {
            None => p + 1,
            Some(len) => {
                let end = p + len;
                match raw_text_element(&b[p..end]) {
                    Some(name) => find_end_tag(b, end, name),
                    None => end,
                }
            }
        };
    }
    at
}

/// The length of the tag, comment or declaration `b` starts with (up to and including
/// its `>`, or all of `b` when it never ends); `None` when `b` does not start with one.
fn markup_len(b: &[u8]) -> Option<usize> {
    if b.starts_with(b"<!--") {
        let end = memchr::memmem::find(&b[4..], b"-->").map_or(b.len(), |e| e + 7);
        return Some(end.min(b.len()));
    }
    let next = *b.get(1)?;
    if b[0] != b'<' || !(next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?')) {
        return None;
    }
    // Quotes count only around attribute values, as in the tokenizer.
    let mut i = 1;
    let mut after_eq = false;
    while i < b.len() {
        match b[i] {
            b'>' => return Some(i + 1),
            b'=' => after_eq = true,
            q @ (b'"' | b'\'') if after_eq => {
                i = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                after_eq = false;
            }
            c if c.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    Some(b.len())
}

/// The raw-text element a start tag opens, if any.
fn raw_text_element(tag: &[u8]) -> Option<&'static [u8]> {
    RAW_TEXT.iter().copied().find(|name| {
        tag.len() > name.len() + 1
            && tag[1..1 + name.len()].eq_ignore_ascii_case(name)
            && !tag[1 + name.len()].is_ascii_alphanumeric()
    })
}

/// The offset of `</name` (any case) in `b` at or after `from`, or `b.len()`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memmem::find(&b[i..], b"</").map(|p| p + i) {
        let rest = &b[p + 2..];
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
            return p;
        }
        i = p + 2;
    }
    b.len()
}

/// A node handle for the tree builder: the node's id, and its name for elements.
#[derive(Clone)]
struct Handle(Rc<(Id, QualName)>);

impl Handle {
    fn id(&self) -> Id {
        self.0 .0
    }
}

/// The tree builder's sink: builds [`Dom`] nodes stamped with the current chunk.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// Template contents, by template element id.
    templates: RefCell<Vec<(Id, Handle)>>,
    chunk: Rc<Cell<usize>>,
    /// The greatest [`Node::depth`] so far.
    deepest: Rc<Cell<usize>>,
}

fn no_name() -> QualName {
    QualName::new(None, html5ever::ns!(), html5ever::local_name!(""))
}

impl Sink {
    fn new(chunk: Rc<Cell<usize>>, deepest: Rc<Cell<usize>>) -> Sink {
        let sink = Sink {
            nodes: RefCell::new(Vec::new()),
            templates: RefCell::new(Vec::new()),
            chunk,
            deepest,
        };
        sink.new_node(Kind::Document);
        sink
    }

    fn new_node(&self, kind: Kind) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        let k = self.chunk.get();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            kind,
            first: k,
            last: k,
            depth: 0,
        });
        nodes.len() - 1
    }

    /// Moves `child` under `parent`, before `before` when given, else last.
    fn attach(&self, parent: Id, child: Id, before: Option<Id>) {
        self.detach(child);
        let mut nodes = self.nodes.borrow_mut();
        nodes[child].parent = Some(parent);
        let depth = nodes[parent].depth + 1;
        nodes[child].depth = depth;
        self.deepest.set(self.deepest.get().max(depth));
        let children = &mut nodes[parent].children;
        let at = before
            .and_then(|b| children.iter().position(|&c| c == b))
            .unwrap_or(children.len());
        children.insert(at, child);
    }

    fn detach(&self, child: Id) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(p) = nodes[child].parent.take() {
            nodes[p].children.retain(|&c| c != child);
        }
    }

    /// Appends `text` to the text node `prev` when it is one; else returns false.
    fn merge_text(&self, prev: Option<Id>, text: &str) -> bool {
        let mut nodes = self.nodes.borrow_mut();
        let k = self.chunk.get();
        match prev.map(|p| &mut nodes[p]) {
            Some(Node {
                kind: Kind::Text(t),
                last,
                ..
            }) => {
                t.push_str(text);
                *last = k;
                true
            }
            _ => false,
        }
    }

    /// Inserts `child` under `parent` before `before` (last when `None`); text merges
    /// into a text node just before the insertion point.
    fn insert(&self, parent: Id, child: NodeOrText<Handle>, before: Option<Id>) {
        match child {
            NodeOrText::AppendNode(h) => self.attach(parent, h.id(), before),
            NodeOrText::AppendText(t) => {
                let prev = {
                    let nodes = self.nodes.borrow();
                    let children = &nodes[parent].children;
                    let at = before
                        .and_then(|b| children.iter().position(|&c| c == b))
                        .unwrap_or(children.len());
                    at.checked_sub(1).map(|i| children[i])
                };
                if !self.merge_text(prev, &t) {
                    let id = self.new_node(Kind::Text(t.to_string()));
                    self.attach(parent, id, before);
                }
            }
        }
    }
}

fn hides(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| match &*a.name.local {
        "hidden" => true,
        "aria-hidden" => a.value.eq_ignore_ascii_case("true"),
        "role" => a.value.eq_ignore_ascii_case("navigation"),
        _ => false,
    })
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Dom;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle(Rc::new((0, no_name())))
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        &target.0 .1
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let id = self.new_node(Kind::Element {
            name: name.local.clone(),
            hidden: hides(&attrs),
        });
        if flags.template {
            let contents = self.new_node(Kind::Document);
            let h = Handle(Rc::new((contents, no_name())));
            self.templates.borrow_mut().push((id, h));
        }
        Handle(Rc::new((id, name)))
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Handle(Rc::new((self.new_node(Kind::Other), no_name())))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Handle(Rc::new((self.new_node(Kind::Other), no_name())))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.insert(parent.id(), child, None);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let parent = self.nodes.borrow()[element.id()].parent;
        match parent {
            Some(p) => self.insert(p, child, Some(element.id())),
            None => self.insert(prev_element.id(), child, None),
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let templates = self.templates.borrow();
        match templates.iter().find(|(id, _)| *id == target.id()) {
            Some((_, h)) => h.clone(),
            // Only asked of templates, which all have contents; a detached document
            // keeps any other call harmless.
            None => Handle(Rc::new((self.new_node(Kind::Document), no_name()))),
        }
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id() == y.id()
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, child: NodeOrText<Handle>) {
        let parent = self.nodes.borrow()[sibling.id()].parent;
        if let Some(p) = parent {
            self.insert(p, child, Some(sibling.id()));
        }
    }

    fn add_attrs_if_missing(&self, _target: &Handle, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Handle) {
        self.detach(target.id());
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let moved = std::mem::take(&mut nodes[node.id()].children);
        for &c in &moved {
            nodes[c].parent = Some(new_parent.id());
        }
        nodes[new_parent.id()].children.extend(moved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_before_tags_outside_quotes_comments_and_scripts() {
        let html = "a<p title=\"x<y>z\">b<!-- c<d -->e<script>if (a<b) x()</script><i>f";
        let cuts = Cuts::new(html);
        let chunks: Vec<&str> = (0..cuts.len()).map(|k| cuts.chunk(k)).collect();
        assert_eq!(
            chunks,
            [
                "a",
                "<p title=\"x<y>z\">b",
                "<!-- c<d -->e",
                "<script>if (a<b) x()",
                "</script>",
                "<i>f"
            ]
        );
        assert_eq!(html[cuts.text_start(1)..].chars().next(), Some('b'));
        assert_eq!(cuts.text_start(0), 0);
    }

    #[test]
    fn end_tags_are_found_past_other_end_tags_in_any_case() {
        let html = "<p><b>x</b> </P >y<p>z<i>w";
        let cuts = Cuts::new(html);
        assert_eq!(cuts.end_tag_after(1, "p"), Some(17));
        assert_eq!(cuts.end_tag_after(1, "pre"), None);
        assert_eq!(cuts.end_tag_after(4, "p"), None);
        assert_eq!(cuts.end_tag_after(5, "p"), None);
    }

    #[test]
    fn the_tree_is_built_and_stamped_with_chunks() {
        let (doms, cuts) = parse("<p>one<p>two</p>");
        assert_eq!(doms.len(), 1);
        let texts: Vec<(&str, usize)> = doms[0]
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                Kind::Text(t) => Some((t.as_str(), n.first)),
                _ => None,
            })
            .collect();
        assert_eq!(texts, [("one", 0), ("two", 1)]);
        assert_eq!(cuts.len(), 3);
    }
}
