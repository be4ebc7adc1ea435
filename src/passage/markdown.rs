//! Markdown passages (CommonMark with tables, via `pulldown-cmark`).
//!
//! Paragraphs, list items, block quotes, table rows and code blocks are passages; the
//! outermost such block is one passage (a list item with a nested list is one passage).
//! Headings are not passages: they become the `heading` breadcrumb (`Title > Section`)
//! of the passages under them. YAML (`---`) and TOML (`+++`) front matter is skipped.
//! Offsets come from the parser's source map, so each passage's text is the Markdown
//! source of its block, markup included.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{push_paragraph, LineIndex, Passage, SplitOptions};

/// Splits Markdown `text` into passages with heading breadcrumbs.
///
/// Passages come in text order, never overlap, and `&text[p.byte_range]` equals `p.text`.
pub fn split_markdown<'a>(text: &'a str, options: &SplitOptions) -> Vec<Passage<'a>> {
    let index = LineIndex::new(text);
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut out = Vec::new();
    let mut headings: Vec<(HeadingLevel, String)> = Vec::new();
    let mut heading_text: Option<String> = None;
    // Nesting depth inside the current passage block; 0 = not in one.
    let mut depth = 0usize;
    // Nesting depth inside skipped blocks (front matter, HTML, tables' head).
    let mut skip = 0usize;
    let mut breadcrumb: Option<String> = None;
    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) if depth == 0 => {
                heading_text = Some(String::new());
            }
            Event::End(TagEnd::Heading(level)) if depth == 0 => {
                let title = heading_text.take().unwrap_or_default();
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                headings.retain(|(l, _)| *l < level);
                if !title.is_empty() {
                    headings.push((level, title));
                }
                breadcrumb = (!headings.is_empty()).then(|| {
                    headings
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .collect::<Vec<_>>()
                        .join(" > ")
                });
            }
            Event::Text(t) | Event::Code(t) if heading_text.is_some() => {
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::MetadataBlock(_) | Tag::HtmlBlock | Tag::TableHead) => skip += 1,
            Event::End(TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock | TagEnd::TableHead) => {
                skip = skip.saturating_sub(1)
            }
            Event::Start(tag) if skip == 0 => {
                let is_block = matches!(
                    tag,
                    Tag::Paragraph
                        | Tag::Item
                        | Tag::BlockQuote(_)
                        | Tag::TableRow
                        | Tag::CodeBlock(_)
                        | Tag::FootnoteDefinition(_)
                );
                if depth > 0 {
                    depth += 1;
                } else if is_block {
                    depth = 1;
                    push_paragraph(
                        text,
                        range,
                        options.max_chars,
                        &index,
                        breadcrumb.as_deref(),
                        &mut out,
                    );
                }
            }
            Event::End(_) if skip == 0 && depth > 0 => depth -= 1,
            _ => {}
        }
    }
    for (i, p) in out.iter_mut().enumerate() {
        p.ordinal = i as u64;
    }
    out
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
}
