//! JSON Lines output: one JSON object per hit, one per line, nothing else.
//!
//! # Format (version 1)
//! Every line is an object with these fields; fields may be added in later versions,
//! none renamed or removed without a format version bump.
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `rank` | int | 1-based rank in this result list |
//! | `score` | float | BM25 score, larger is better |
//! | `path` | string | file the passage came from, as named at ingest |
//! | `passage` | int | 0-based ordinal of the passage in its file |
//! | `line`, `end_line` | int | 1-based first and last (inclusive) line of the passage |
//! | `byte_start`, `byte_end` | int | 0-based half-open byte range of the passage in the file |
//! | `text` | string | the whole passage text |
//! | `highlights` | array of `[start, end]` | 0-based half-open byte ranges into `text` (UTF-8) of what matched, sorted, non-overlapping, on char boundaries |
//! | `heading` | string or null | heading breadcrumb (`Title > Section`), for Markdown |
//! | `encoding` | string (only when not UTF-8) | the file's encoding; `byte_start`/`byte_end` then count bytes of the UTF-8 text it was decoded to |
//! | `doc_id` | string (only for JSON Lines documents) | the document's id |
//! | `qid` | string (only with `--batch`) | the id of the query this hit answers |

use std::io::{self, Write};

use serde::Serialize;

use super::Printer;
use crate::search::Hit;

/// The wire form of one hit.
#[derive(Serialize)]
struct WireHit<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    qid: Option<&'a str>,
    rank: usize,
    score: f32,
    path: &'a str,
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
}

/// Prints hits as JSON Lines.
pub struct JsonPrinter<W: Write> {
    out: W,
    qid: Option<String>,
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        JsonPrinter { out, qid: None }
    }
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn begin_query(&mut self, qid: &str, _query: &str) -> io::Result<()> {
        self.qid = Some(qid.to_owned());
        Ok(())
    }

    fn hit(&mut self, rank: usize, hit: &Hit) -> io::Result<()> {
        let wire = WireHit {
            qid: self.qid.as_deref(),
            rank,
            score: hit.score,
            path: &hit.path,
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
        };
        serde_json::to_writer(&mut self.out, &wire)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
