//! JSON Lines output: one JSON object per hit, one per line, nothing else.
//!
//! # Format (version 1)
//! Every line is an object with these fields; fields may be added in later versions,
//! none renamed or removed without a format version bump.
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `rank` | int | 1-based rank in this result list |
//! | `score` | float | BM25 score, larger is better (with `--feedback`, the reciprocal rank fusion score) |
//! | `path` | string | file the passage came from, as named at ingest |
//! | `abs_path` | string or null | the file's absolute path (the root named at ingest with symbolic links resolved); null when the index does not know it (an index last written before absolute keys) |
//! | `passage` | int | 0-based ordinal of the passage in its file |
//! | `line`, `end_line` | int | 1-based first and last (inclusive) line of the passage; for a PDF, lines of the text extracted from its page |
//! | `byte_start`, `byte_end` | int | 0-based half-open byte range of the passage in the file; for a plain-text UTF-8 file, exactly the bytes of `text`; for a PDF, bytes of the UTF-8 text extracted from its page |
//! | `page` | int (only for PDF passages) | 1-based page the passage is on |
//! | `text` | string | the whole passage text, with the file's own line ends (`\r\n` or a lone `\r` kept) and control characters (JSON-escaped) |
//! | `highlights` | array of `[start, end]` | 0-based half-open byte ranges into `text` (UTF-8) of what matched, sorted, non-overlapping, on char boundaries |
//! | `highlights_chars` | array of `[start, end]` | the same ranges as `highlights`, in characters (Unicode code points, 0-based, half-open): what Python's `text[start:end]`, jq's `.text[start:end]` and JavaScript's `Array.from(text).slice(start, end)` take (JavaScript's own `slice` counts UTF-16 units, which differ after an emoji or another character outside the Basic Multilingual Plane) |
//! | `trimmed` | `[start, end]` (only with `--max-total-chars`, on a hit it trimmed) | `text` is this window of the passage text: a 0-based half-open byte range into the whole passage; `highlights` then refer to the trimmed `text`, and `line` to `byte_end` still describe the whole passage |
//! | `heading` | string or null | heading breadcrumb (`Title > Section`): Markdown and HTML headings above the passage, or a JSON Lines document's title |
//! | `heading_highlights`, `heading_highlights_chars` | arrays of `[start, end]` | what matched in `heading`, as `highlights` and `highlights_chars` are for `text` (empty without a heading) |
//! | `encoding` | string (only when not UTF-8) | the file's encoding; `byte_start`/`byte_end` then count bytes of the UTF-8 text it was decoded to |
//! | `doc_id` | string (only for JSON Lines documents) | the document's id |
//! | `qid` | string (only with `--batch`) | the id of the query this hit answers |
//! | `context_before`, `context_after` | arrays (only with `-C N`) | up to N neighbouring passages of the same file, in file order, each with `passage`, `line`, `end_line`, `byte_start`, `byte_end`, `page` (PDF only), `text`, `heading` |
//! | `feedback_terms` | array of `[term, weight]` (only with `--feedback`, on the first hit of each query) | the feedback query: index terms (stems) and weights, heaviest first, summing to 1 |
//! | `explain` | object (only with `--explain`) | Tantivy's BM25 explanation: `value`, `description`, `details` (nested), per term idf, term frequency, field length and average field length; a `Boost` node above each term or phrase is the factor that turns Tantivy's idf into the Robertson/Spärck Jones idf (none on an index with a stop list, scored with Lucene's idf) |
//!
//! With `--stats`, each query's hits are followed by one summary line, told apart from
//! hits by its `type` field (hits have none):
//! `{"type":"summary","total":11203,"files":87,"shown":10}` (`qid` first with
//! `--batch`): `total` passages match (after `--path`, whatever `-n`), in `files`
//! files, of which `shown` were printed. Without `--stats` there is no summary line.
//!
//! Strings are written by [`super::inert::write_json`]: control characters, DEL and the
//! C1 controls are `\u`-escaped, so the output holds none raw and decodes to the exact text.

use std::io::{self, Write};

use serde::Serialize;

use super::wire::WireHit;
use super::{Printer, Summary};
use crate::search::Hit;

/// Prints hits as JSON Lines.
pub struct JsonPrinter<W: Write> {
    out: W,
    qid: Option<String>,
    context: bool,
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        JsonPrinter {
            out,
            qid: None,
            context: false,
        }
    }

    /// Also write `context_before` and `context_after` (arrays, possibly empty).
    pub fn with_context(mut self, yes: bool) -> Self {
        self.context = yes;
        self
    }
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn begin_query(&mut self, qid: &str, _query: &str) -> io::Result<()> {
        self.qid = Some(qid.to_owned());
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let wire = WireHit::new(hit, self.qid.as_deref(), self.context);
        super::inert::write_json(&mut self.out, &wire)?;
        self.out.write_all(b"\n")
    }

    fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        #[derive(Serialize)]
        struct WireSummary<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            qid: Option<&'a str>,
            #[serde(rename = "type")]
            kind: &'a str,
            total: u64,
            files: u64,
            shown: u64,
        }
        let wire = WireSummary {
            qid: self.qid.as_deref(),
            kind: "summary",
            total: summary.total,
            files: summary.files,
            shown: summary.shown,
        };
        super::inert::write_json(&mut self.out, &wire)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
