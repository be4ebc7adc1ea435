//! The wire form of a hit: one serde shape for JSON Lines and the servers, so that the
//! contract cannot drift between them.

use std::ops::Range;

use serde::Serialize;

use super::wording::{Options, WireMissing, WireWarning};
use crate::search::{Hit, QueryResponse};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u64>,
    text: &'a str,
    highlights: Vec<[usize; 2]>,
    highlights_chars: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trimmed: Option<[usize; 2]>,
    heading: Option<&'a str>,
    heading_highlights: Vec<[usize; 2]>,
    heading_highlights_chars: Vec<[usize; 2]>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u64>,
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
            page: h.page,
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
            page: hit.page,
            text: &hit.text,
            highlights: hit.highlights.iter().map(|r| [r.start, r.end]).collect(),
            highlights_chars: char_ranges(&hit.text, &hit.highlights),
            trimmed: hit.trimmed.as_ref().map(|w| [w.range.start, w.range.end]),
            heading: hit.heading.as_deref(),
            heading_highlights: hit
                .heading_highlights
                .iter()
                .map(|r| [r.start, r.end])
                .collect(),
            heading_highlights_chars: char_ranges(
                hit.heading.as_deref().unwrap_or_default(),
                &hit.heading_highlights,
            ),
            encoding: hit.encoding.as_deref(),
            doc_id: hit.doc_id.as_deref(),
            context_before: context.then(|| wire_context(&hit.context_before)),
            context_after: context.then(|| wire_context(&hit.context_after)),
            explain: hit.explanation.as_ref(),
            feedback_terms: hit.feedback_terms.as_deref(),
        }
    }
}

/// `ranges` (byte offsets into `text`, sorted, on char boundaries) as character offsets
/// (Unicode scalar values, 0-based, half-open), as JavaScript's `Array.from(text)` and
/// Python's `str` index them. One pass over `text`. An offset that is not on a char
/// boundary counts the chars that start before it.
pub(crate) fn char_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<[usize; 2]> {
    let mut bounds: Vec<usize> = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut chars_before = Vec::with_capacity(bounds.len());
    let (mut starts, mut count) = (text.char_indices().peekable(), 0);
    for &b in &bounds {
        while starts.next_if(|&(i, _)| i < b).is_some() {
            count += 1;
        }
        chars_before.push(count);
    }
    let at = |b: usize| chars_before[bounds.partition_point(|&x| x < b)];
    ranges.iter().map(|r| [at(r.start), at(r.end)]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_offsets_count_scalar_values() {
        let text = "Müller & Söhne: Müllers Co";
        let at = |w: &'static str| text.match_indices(w).map(|(i, w)| i..i + w.len());
        let ranges: Vec<_> = at("Müller").chain(at("Co")).collect();
        assert_eq!(ranges, vec![0..7, 18..25, 27..29]);
        assert_eq!(char_ranges(text, &ranges), vec![[0, 6], [16, 22], [24, 26]]);
        let chars: Vec<char> = text.chars().collect();
        let word: String = chars[16..22].iter().collect();
        assert_eq!(word, "Müller");
        assert_eq!(char_ranges("a😀b", &[1..5, 5..6]), vec![[1, 2], [2, 3]]);
        assert_eq!(char_ranges("", &[]), Vec::<[usize; 2]>::new());
    }
}

/// The wire form of a search's answer, shared by the HTTP API and the MCP `search` tool:
/// its hits (the objects `query --json` prints), its warnings worded with the front
/// end's `options`, the words no passage contains, and whether anything matched.
#[derive(Serialize)]
pub(crate) struct WireAnswer<'a> {
    /// Best first; with `context`, each with `context_before` and `context_after`.
    hits: Vec<WireHit<'a>>,
    warnings: Vec<WireWarning>,
    /// When nothing matched: each query word no passage contains.
    missing: Vec<WireMissing<'a>>,
    /// True when at least one passage matches.
    matched: bool,
    /// True when `max_total_chars` left out hits or trimmed the last one.
    cut_to_fit: bool,
}

impl<'a> WireAnswer<'a> {
    /// The answer of `response`; `context`: the call asked for neighbours; `options`:
    /// how the front end names the options its warnings point to.
    pub(crate) fn new(response: &'a QueryResponse, context: bool, options: Options) -> Self {
        WireAnswer {
            hits: response
                .hits
                .iter()
                .map(|h| WireHit::new(h, None, context))
                .collect(),
            warnings: response
                .warnings
                .iter()
                .map(|w| WireWarning::new(w, options))
                .collect(),
            missing: response.missing.iter().map(WireMissing::new).collect(),
            matched: response.matched,
            cut_to_fit: response.cut_to_fit,
        }
    }
}
