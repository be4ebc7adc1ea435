//! The [`Hit`] type: one ranked passage as every front end sees it, and the candidate a
//! search ranks before it loads hits.

use std::ops::Range;

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::source::MatchLine;
use crate::index::schema::{Fields, Location};

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hit {
    /// 1-based rank in the result list, counting the request's `offset`; when hits are
    /// grouped by document, the rank of the hit's document (its passages share it).
    /// 0 for a context passage.
    pub rank: usize,
    /// BM25 score (Tantivy's, k1 = 1.2, b = 0.75, with the Robertson/Spärck Jones idf
    /// floored at 1e-6 as in SQLite FTS5's `bm25()`; Lucene's idf on an index with a stop
    /// list, see `score::uses_rsj_idf`), truncated to 16 significant bits
    /// (relative steps of 2^-15) so that near-equal scores tie; larger is better. With
    /// fused feedback ([`super::Feedback::Fused`]) the reciprocal rank fusion score
    /// instead ([`super::fusion`]).
    pub score: f32,
    /// The file the passage came from, as the user named it at ingest.
    pub path: String,
    /// The file's absolute path (its key in the index's file list: symbolic links of the
    /// root named at ingest resolved), when the index knows it and the request asked for
    /// text ([`super::QueryRequest::with_text`]); see [`super::shown_path`].
    pub abs_path: Option<String>,
    /// 0-based ordinal of the passage in its file.
    pub ordinal: u64,
    /// 1-based first line of the passage in the file; 0 when the request asked for no
    /// text ([`super::QueryRequest::with_text`]), as are the other location fields.
    pub line: u64,
    /// 1-based last line of the passage in the file (inclusive).
    pub end_line: u64,
    /// 0-based byte offset where the passage starts in the file (inclusive); for a
    /// transcoded file (see `encoding`), in the UTF-8 text it was decoded to.
    pub byte_start: u64,
    /// 0-based byte offset where the passage ends (exclusive); same reference as
    /// `byte_start`.
    pub byte_end: u64,
    /// 1-based page of the passage, for a PDF (then `line`, `end_line`, `byte_start` and
    /// `byte_end` count in the text extracted from that page); `None` for other files.
    pub page: Option<u64>,
    /// The passage text; empty when the request asked for no text.
    pub text: String,
    /// Heading breadcrumb (`Title > Section`), for structured documents.
    pub heading: Option<String>,
    /// Matched byte ranges in `heading`, in the shape of `highlights`; empty without a
    /// heading or a match in it.
    pub heading_highlights: Vec<Range<usize>>,
    /// The file's encoding when it was not UTF-8 (then offsets refer to the UTF-8 text).
    pub encoding: Option<String>,
    /// Document id, for passages of JSON Lines documents.
    pub doc_id: Option<String>,
    /// Matched byte ranges in `text`: 0-based, half-open, sorted, non-overlapping, on
    /// char boundaries.
    pub highlights: Vec<Range<usize>>,
    /// When [`super::QueryRequest::max_total_chars`] trimmed `text` to a window of the
    /// passage: the window (its `range` in bytes of the whole passage text, 0-based,
    /// half-open, on char boundaries, and whether text was cut before and after it).
    /// `highlights` then refer to the trimmed `text`; the location fields (`line` to
    /// `byte_end`) still describe the whole passage. By default `None`.
    pub trimmed: Option<crate::highlight::Snippet>,
    /// Up to `context` passages of the same file just before this one, in file order
    /// (rank and score 0, no highlights).
    pub context_before: Vec<Hit>,
    /// Up to `context` passages of the same file just after this one, in file order.
    pub context_after: Vec<Hit>,
    /// The BM25 explanation of the score, when asked for.
    pub explanation: Option<Explanation>,
    /// Where the first match is in the file, when asked for
    /// ([`super::QueryRequest::match_lines`]).
    pub match_line: Option<MatchLine>,
    /// With feedback, on the first hit of a query only: the terms of the feedback query
    /// (index terms, that is stems) and their weights, heaviest first, summing to 1.
    pub feedback_terms: Option<Vec<(String, f32)>>,
}

/// How a score was computed: a value, what it is, and the values it was computed from.
/// The shape of Tantivy's `Explanation` (per term: idf, term frequency, field length and
/// average field length), so that its JSON form is unchanged.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Explanation {
    /// The value of this node (a score, or a factor of one).
    pub value: f32,
    /// What the value is, in Tantivy's words (`BM25`, `idf, computed as ...`).
    pub description: String,
    /// The values this one was computed from; empty for a leaf.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Explanation>,
    /// Notes on the computation; empty for most nodes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
}

impl Explanation {
    /// The tree of Tantivy's explanation, read through its JSON form (the only public
    /// view of its children).
    pub(crate) fn from_tantivy(e: &tantivy::query::Explanation) -> Explanation {
        let value = serde_json::to_value(e).unwrap_or_default();
        Explanation::from_json(&value)
    }

    fn from_json(v: &serde_json::Value) -> Explanation {
        let strings = |key: &str| -> Vec<String> {
            v[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        Explanation {
            value: v["value"].as_f64().unwrap_or_default() as f32,
            description: v["description"].as_str().unwrap_or_default().to_owned(),
            details: v["details"]
                .as_array()
                .map(|a| a.iter().map(Explanation::from_json).collect())
                .unwrap_or_default(),
            context: strings("context"),
        }
    }
}

/// The name of the document a hit belongs to, as runs and `eval` write it: its JSON
/// Lines document id, else its file.
pub fn doc_key(hit: &Hit) -> &str {
    hit.doc_id.as_deref().unwrap_or(&hit.path)
}

/// A passage ranked but not loaded: what ranking, grouping and the path filter need.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    /// As [`Hit::score`].
    pub(crate) score: f32,
    /// Where the passage is in the searched snapshot.
    pub(crate) addr: DocAddress,
    /// As [`Hit::path`].
    pub(crate) path: String,
    /// As [`Hit::ordinal`].
    pub(crate) ordinal: u64,
    /// As [`Hit::doc_id`].
    pub(crate) doc_id: Option<String>,
    /// The stored passage, when ranking read it from the document store already (a few
    /// candidates): the hit is then not read twice.
    pub(crate) loaded: Option<Box<Hit>>,
}

impl Candidate {
    /// The identity of its document: its file and, for JSON Lines, its id (two files
    /// may use the same ids, and id-less lines are numbered per file).
    pub(crate) fn document(&self) -> (&str, Option<&str>) {
        (&self.path, self.doc_id.as_deref())
    }

    /// The hit it is when no text is asked for: score, path, ordinal and document id.
    pub(crate) fn bare_hit(&self) -> Hit {
        Hit {
            score: self.score,
            path: self.path.clone(),
            ordinal: self.ordinal,
            doc_id: self.doc_id.clone(),
            ..Hit::default()
        }
    }
}

/// Rank order: score descending, then path, then passage ordinal.
pub(crate) fn candidate_order(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.path.cmp(&b.path))
        .then(a.ordinal.cmp(&b.ordinal))
}

/// The hit stored as `doc`, with `score` (no rank, highlights or absolute path yet).
pub(crate) fn stored_hit(fields: &Fields, score: f32, doc: &TantivyDocument) -> Hit {
    let text_of = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let location = doc
        .get_first(fields.location)
        .and_then(|v| v.as_bytes())
        .and_then(Location::decode)
        .unwrap_or_default();
    // `body` is [heading, text] under a heading, [text] otherwise.
    let mut body: Vec<&str> = doc
        .get_all(fields.body)
        .filter_map(|v| v.as_str())
        .collect();
    let text = body.pop().unwrap_or_default().to_owned();
    let heading = body.first().map(|h| (*h).to_owned());
    Hit {
        score,
        path: text_of(fields.path).unwrap_or_default(),
        ordinal: location.ordinal,
        line: location.line,
        end_line: location.end_line,
        byte_start: location.byte_start,
        byte_end: location.byte_end,
        page: (location.page > 0).then_some(location.page),
        text,
        heading,
        encoding: text_of(fields.encoding),
        doc_id: text_of(fields.doc_id),
        ..Hit::default()
    }
}
