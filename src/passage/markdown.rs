//! Markdown passages (CommonMark with tables and footnotes, via `pulldown-cmark`).
//!
//! Paragraphs, list items, block quotes, table rows, code blocks, footnote definitions
//! and link reference definitions (`[label]: https://...`) are passages; the outermost
//! such block is one passage (a list item with a nested list is one passage). Headings
//! are not passages: they become the `heading` breadcrumb (`Title > Section`) of the
//! passages under them. Offsets come from the parser's source map, so each passage's
//! text is the Markdown source of its block, markup included. An HTML block is read as
//! HTML ([`super::html`]): its text, tags out, one passage per HTML block element, its
//! `h1`-`h6` in the breadcrumb. YAML (`---`) and TOML (`+++`) front matter is skipped.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::html::push_html;
use super::{push_paragraph, Breadcrumb, LineIndex, Passage, SplitOptions};

/// Splits Markdown `text` into passages with heading breadcrumbs.
///
/// Passages come in text order and never overlap. `&text[p.byte_range]` equals
/// `p.text`, except for passages from HTML blocks, whose text is extracted from that
/// range.
pub fn split_markdown<'a>(text: &'a str, options: &SplitOptions) -> Vec<Passage<'a>> {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(text, opts);
    // Link reference definitions are no events: they come from the parser's table.
    let mut defs: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .map(|(_, d)| d.span.clone())
        .collect();
    defs.sort_by_key(|d| std::cmp::Reverse(d.start));
    let mut s = Splitter {
        text,
        options,
        index: LineIndex::new(text),
        crumbs: Breadcrumb::default(),
        heading_text: None,
        depth: 0,
        skip: 0,
        covered: 0,
        out: Vec::new(),
    };
    for (event, range) in parser.into_offset_iter() {
        while defs.last().is_some_and(|d| d.start < range.start) {
            let def = defs.pop().unwrap_or_default();
            // A definition inside a passage block is already in its text.
            if def.start >= s.covered {
                s.paragraph(def);
            }
        }
        s.event(event, range);
    }
    while let Some(def) = defs.pop() {
        if def.start >= s.covered {
            s.paragraph(def);
        }
    }
    let mut out = s.out;
    for (i, p) in out.iter_mut().enumerate() {
        p.ordinal = i as u64;
    }
    out
}

/// The state of one Markdown split.
struct Splitter<'a, 'o> {
    text: &'a str,
    options: &'o SplitOptions,
    index: LineIndex,
    crumbs: Breadcrumb,
    /// The text of the heading being read.
    heading_text: Option<String>,
    /// Nesting depth inside the current passage block; 0 = not in one.
    depth: usize,
    /// Nesting depth inside skipped blocks (front matter, HTML, tables' head).
    skip: usize,
    /// Where the source of the last passage ends (byte offset).
    covered: usize,
    out: Vec<Passage<'a>>,
}

impl<'a> Splitter<'a, '_> {
    /// Adds the paragraph at `range` of the source, under the current breadcrumb.
    fn paragraph(&mut self, range: Range<usize>) {
        let (text, max) = (self.text, self.options.max_chars);
        let heading = self.crumbs.current();
        self.covered = self.covered.max(range.end);
        push_paragraph(text, range, max, &self.index, heading, &mut self.out);
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { .. }) if self.depth == 0 => {
                self.heading_text = Some(String::new());
            }
            Event::End(TagEnd::Heading(level)) if self.depth == 0 => {
                let title = self.heading_text.take().unwrap_or_default();
                self.crumbs.heading(level as u8, &title);
            }
            Event::Text(t) | Event::Code(t) if self.heading_text.is_some() => {
                if let Some(h) = self.heading_text.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                if self.depth == 0 && self.skip == 0 {
                    let (text, options) = (self.text, self.options);
                    let (index, crumbs) = (&self.index, &mut self.crumbs);
                    push_html(text, range, options, index, crumbs, &mut self.out);
                }
                self.skip += 1;
            }
            Event::Start(Tag::MetadataBlock(_) | Tag::TableHead) => self.skip += 1,
            Event::End(TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock | TagEnd::TableHead) => {
                self.skip = self.skip.saturating_sub(1)
            }
            Event::Start(tag) if self.skip == 0 => {
                let is_block = matches!(
                    tag,
                    Tag::Paragraph
                        | Tag::Item
                        | Tag::BlockQuote(_)
                        | Tag::TableRow
                        | Tag::CodeBlock(_)
                        | Tag::FootnoteDefinition(_)
                );
                if self.depth > 0 {
                    self.depth += 1;
                } else if is_block {
                    self.depth = 1;
                    self.paragraph(range);
                }
            }
            Event::End(_) if self.skip == 0 && self.depth > 0 => self.depth -= 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_headings_lists_code_quotes_tables_front_matter() {
        let text = "---\ntitle: Front\n---\n# Guide\n\nIntro paragraph\nspans two lines.\n\n## Install\n\n- first item\n- second item\n  - nested\n\n```sh\ncargo install x\n```\n\n> quoted words\n\n| a | b |\n|---|---|\n| cell one | cell two |\n\n# Other\n\nLast.\n";
        let ps = split_markdown(text, &SplitOptions::default());
        let got: Vec<(&str, Option<&str>, u64)> = ps
            .iter()
            .map(|p| (p.text.as_ref(), p.heading.as_deref(), p.line))
            .collect();
        assert_eq!(
            got,
            [
                ("Intro paragraph\nspans two lines.", Some("Guide"), 6),
                ("- first item", Some("Guide > Install"), 11),
                ("- second item\n  - nested", Some("Guide > Install"), 12),
                ("```sh\ncargo install x\n```", Some("Guide > Install"), 15),
                ("> quoted words", Some("Guide > Install"), 19),
                ("| cell one | cell two |", Some("Guide > Install"), 23),
                ("Last.", Some("Other"), 27),
            ]
        );
        for p in &ps {
            assert_eq!(&text[p.byte_range.clone()], p.text);
        }
    }

    #[test]
    fn link_definitions_footnotes_and_html_blocks_are_passages() {
        let text = "# Node\n\nSee [The VM module].\n\n[The VM module]: https://nodejs.org/api/vm.html\n[b]: /b \"Bee\"\n\n> [inside]: /q\n\nA claim.[^1]\n\n[^1]: The footnote text.\n\n<div align=\"center\">\n<h2>Sub &amp; part</h2>\n<p>Shown <b>text</b></p>\n<script>hidden()</script>\n</div>\n\nAfter.\n";
        let ps = split_markdown(text, &SplitOptions::default());
        let got: Vec<(&str, Option<&str>, u64, &str)> = ps
            .iter()
            .map(|p| {
                (
                    p.text.as_ref(),
                    p.heading.as_deref(),
                    p.line,
                    &text[p.byte_range.clone()],
                )
            })
            .collect();
        let def = "[The VM module]: https://nodejs.org/api/vm.html";
        assert_eq!(
            got,
            [
                (
                    "See [The VM module].",
                    Some("Node"),
                    3,
                    "See [The VM module]."
                ),
                (def, Some("Node"), 5, def),
                ("[b]: /b \"Bee\"", Some("Node"), 6, "[b]: /b \"Bee\""),
                ("> [inside]: /q", Some("Node"), 8, "> [inside]: /q"),
                ("A claim.[^1]", Some("Node"), 10, "A claim.[^1]"),
                (
                    "[^1]: The footnote text.",
                    Some("Node"),
                    12,
                    "[^1]: The footnote text."
                ),
                (
                    "Shown text",
                    Some("Node > Sub & part"),
                    16,
                    "<p>Shown <b>text</b></p>"
                ),
                ("After.", Some("Node > Sub & part"), 20, "After."),
            ]
        );
        assert_eq!(
            ps.iter().map(|p| p.ordinal).collect::<Vec<_>>(),
            (0..8).collect::<Vec<_>>()
        );
    }
}
