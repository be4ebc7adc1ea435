//! The wire form of a hit: one serde shape for JSON Lines and the servers, so that the
//! contract cannot drift between them.

use serde::Serialize;

use crate::search::Hit;

/// The wire form of one hit: the object JSON Lines prints per line, and what the
/// servers answer for each hit. Fields are documented in [`super::json`].
#[derive(Debug, Serialize)]
pub(crate) struct WireHit<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    qid: Option<&'a str>,
    rank: usize,
    score: f32,
    path: &'a str,
    abs_path: Option<&'a str>,
    passage: u64,
    line: u64,
    end_line: u64,
    byte_start: u64,
    byte_end: u64,
    text: &'a str,
    highlights: Vec<[usize; 2]>,
    heading: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_before: Option<Vec<WireContext<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_after: Option<Vec<WireContext<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a crate::search::Explanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feedback_terms: Option<&'a [(String, f32)]>,
}

/// A neighbouring passage (`-C`).
#[derive(Debug, Serialize)]
pub(crate) struct WireContext<'a> {
    passage: u64,
    line: u64,
    end_line: u64,
    byte_start: u64,
    byte_end: u64,
    text: &'a str,
    heading: Option<&'a str>,
}

pub(crate) fn wire_context(hits: &[Hit]) -> Vec<WireContext<'_>> {
    hits.iter()
        .map(|h| WireContext {
            passage: h.ordinal,
            line: h.line,
            end_line: h.end_line,
            byte_start: h.byte_start,
            byte_end: h.byte_end,
            text: &h.text,
            heading: h.heading.as_deref(),
        })
        .collect()
}

impl<'a> WireHit<'a> {
    /// The wire form of `hit`, answering query `qid` (in a batch); with `context`, its
    /// neighbours (arrays, possibly empty).
    pub(crate) fn new(hit: &'a Hit, qid: Option<&'a str>, context: bool) -> WireHit<'a> {
        WireHit {
            qid,
            rank: hit.rank,
            score: hit.score,
            path: &hit.path,
            abs_path: hit.abs_path.as_deref(),
            passage: hit.ordinal,
            line: hit.line,
            end_line: hit.end_line,
            byte_start: hit.byte_start,
            byte_end: hit.byte_end,
            text: &hit.text,
            highlights: hit.highlights.iter().map(|r| [r.start, r.end]).collect(),
            heading: hit.heading.as_deref(),
            encoding: hit.encoding.as_deref(),
            doc_id: hit.doc_id.as_deref(),
            context_before: context.then(|| wire_context(&hit.context_before)),
            context_after: context.then(|| wire_context(&hit.context_after)),
            explain: hit.explanation.as_ref(),
            feedback_terms: hit.feedback_terms.as_deref(),
        }
    }
}
