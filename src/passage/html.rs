//! HTML and XHTML passages: the text of each block (extracted by `corpus::html`), with
//! `h1`-`h6` as the heading breadcrumb (`Title > Section`), as for Markdown.
//!
//! A passage's `text` is the extracted text (tags out, entities decoded); its
//! `byte_range` and lines are those of the block's source: from the start tag to the end
//! tag of a paragraph, list item, table row, ..., or from the first to the last character
//! of a run of text. A block longer than the passage limit is cut at sentence bounds,
//! and each piece keeps the whole block's range and lines.

use std::ops::Range;

use super::{push_items, Breadcrumb, LineIndex, Passage, SplitOptions};
use crate::corpus::html::extract;

/// Splits the HTML document `text` into passages with heading breadcrumbs.
///
/// Passages come in document order, their byte ranges (into `text`) never overlap
/// except between the pieces of one long block, and line numbers are 1-based. Never
/// fails: broken markup is read as a browser reads it.
pub fn split_html<'a>(text: &'a str, options: &SplitOptions) -> Vec<Passage<'a>> {
    let index = LineIndex::new(text);
    let mut crumbs = Breadcrumb::default();
    let mut out = Vec::new();
    push_html(text, 0..text.len(), options, &index, &mut crumbs, &mut out);
    out
}

/// Adds the passages of the HTML at `range` of `text` (a document, or an HTML block of
/// a Markdown file) to `out`; its headings go into `crumbs`. Ordinals go on from
/// `out.len()`.
pub(crate) fn push_html<'a>(
    text: &'a str,
    range: Range<usize>,
    options: &SplitOptions,
    index: &LineIndex,
    crumbs: &mut Breadcrumb,
    out: &mut Vec<Passage<'a>>,
) {
    let items = extract(&text[range.clone()]);
    push_items(items, range.start, options.max_chars, index, crumbs, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_the_breadcrumb_and_lines_point_at_blocks() {
        let text = "<h1>Guide</h1>\n<p>Intro</p>\n<h2>Install</h2>\n<p>Run\nit</p>\n<h1>Other</h1>\n<p>Last</p>\n";
        let ps = split_html(text, &SplitOptions::default());
        let got: Vec<(&str, Option<&str>, u64, u64, &str)> = ps
            .iter()
            .map(|p| {
                (
                    p.text.as_ref(),
                    p.heading.as_deref(),
                    p.line,
                    p.end_line,
                    &text[p.byte_range.clone()],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Intro", Some("Guide"), 2, 2, "<p>Intro</p>"),
                ("Run it", Some("Guide > Install"), 4, 5, "<p>Run\nit</p>"),
                ("Last", Some("Other"), 7, 7, "<p>Last</p>"),
            ]
        );
        assert_eq!(ps.iter().map(|p| p.ordinal).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn a_long_block_is_cut_and_the_pieces_share_its_source() {
        let text = "<p>First sentence here. Second one is here.</p>";
        let options = SplitOptions {
            max_chars: 25,
            ..Default::default()
        };
        let ps = split_html(text, &options);
        let got: Vec<(&str, std::ops::Range<usize>)> = ps
            .iter()
            .map(|p| (p.text.as_ref(), p.byte_range.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("First sentence here.", 0..text.len()),
                ("Second one is here.", 0..text.len())
            ]
        );
    }
}
