//! What text extracted from markup is made of (HTML, manual pages): headings and blocks
//! of text, each block with its source.

use std::ops::Range;

/// One item of a document read from markup, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MarkupItem {
    /// A heading: its level (1 the highest: HTML's `h1` or `<title>`, a manual page's
    /// `.TH`; HTML goes down to 6, manual pages to 3) and its text, whitespace collapsed.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The heading's text, trimmed, runs of whitespace as one space.
        text: String,
    },
    /// A block of text.
    Block {
        /// The text as shown (entities or escapes resolved, markup out), never empty.
        text: String,
        /// Half-open byte range of the block's source in the document; `range.start <
        /// range.end`, on char boundaries.
        range: Range<usize>,
    },
}
