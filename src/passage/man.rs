//! Manual pages (roff: man(7) and mdoc(7)): the text of each block (extracted by
//! `corpus::roff`), with `.TH`, `.SH` and `.SS` as the heading breadcrumb
//! (`CP(1) > DESCRIPTION`).
//!
//! A passage's `text` is the extracted text (macros out, escapes resolved); its
//! `byte_range` and lines are those of the block's source: from the macro line that
//! opened it (`.TP`, `.PP`, ...) to its last line of text. A block longer than the
//! passage limit is cut at sentence bounds, and each piece keeps the whole block's range
//! and lines.

use super::{push_items, Breadcrumb, LineIndex, Passage, SplitOptions};
use crate::corpus::roff::extract;

/// Splits the manual page `text` (roff source) into passages with heading breadcrumbs.
///
/// Passages come in page order, their byte ranges (into `text`) never overlap except
/// between the pieces of one long block, and line numbers are 1-based. Never fails: any
/// text is read as a pager would read it.
pub fn split_man<'a>(text: &'a str, options: &SplitOptions) -> Vec<Passage<'a>> {
    let index = LineIndex::new(text);
    let mut crumbs = Breadcrumb::default();
    let mut out = Vec::new();
    let items = extract(text);
    push_items(items, 0, options.max_chars, &index, &mut crumbs, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_the_breadcrumb_and_lines_point_at_blocks() {
        let text =
            ".TH LS 1\n.SH NAME\nls \\- list\n.SH DESCRIPTION\n.TP\n\\fB\\-a\\fR\nall entries\n";
        let ps = split_man(text, &SplitOptions::default());
        let got: Vec<(&str, Option<&str>, u64, u64)> = ps
            .iter()
            .map(|p| (p.text.as_ref(), p.heading.as_deref(), p.line, p.end_line))
            .collect();
        assert_eq!(
            got,
            [
                ("ls - list", Some("LS(1) > NAME"), 3, 3),
                ("-a\nall entries", Some("LS(1) > DESCRIPTION"), 5, 7),
            ]
        );
        assert_eq!(
            &text[ps[1].byte_range.clone()],
            ".TP\n\\fB\\-a\\fR\nall entries"
        );
    }
}
