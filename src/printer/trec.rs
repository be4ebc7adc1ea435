//! TREC run format: `qid Q0 docid rank score tag`, one line per hit.
//!
//! The docid is the document id (JSON Lines `id`, else the file path) when hits are
//! grouped by document, else `docid#passage` (the passage's 0-based ordinal in its file).
//! Ranks are 1-based and count the lines of a query, after the request's offset: with
//! several passages per document, a run lists passages (a docid may not repeat within a
//! query), each with a rank of its own. This is the input format of `trec_eval` and of `passage eval`.
//! Whitespace in a docid (line breaks included) becomes `_`, so a docid is one field of
//! one line; other control characters are shown in caret notation ([`super::inert`]),
//! as a run is often read on a terminal.

use std::io::{self, Write};

use super::inert;
use super::Printer;
use crate::search::{doc_key, Hit};

/// Prints hits as a TREC run.
pub struct TrecPrinter<W: Write> {
    out: W,
    qid: String,
    tag: String,
    by_doc: bool,
    /// The rank of the first line of each query, less one (the request's offset).
    offset: usize,
    /// Lines written for the current query.
    lines: usize,
}

impl<W: Write> TrecPrinter<W> {
    /// A printer writing to `out`; `tag` is the run's name (last column); with `by_doc`
    /// the docid is the document's, else the passage's; `offset` hits were skipped
    /// before each query's first.
    pub fn new(out: W, tag: &str, by_doc: bool, offset: usize) -> Self {
        TrecPrinter {
            out,
            qid: "1".into(),
            tag: tag.split_whitespace().collect::<Vec<_>>().join("_"),
            by_doc,
            offset,
            lines: 0,
        }
    }
}

impl<W: Write> Printer for TrecPrinter<W> {
    fn begin_query(&mut self, qid: &str, _query: &str) -> io::Result<()> {
        self.qid = inert::line(&qid.split_whitespace().collect::<Vec<_>>().join("_")).into_owned();
        self.lines = 0;
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.lines += 1;
        let rank = self.offset + self.lines;
        // A docid may not contain whitespace in this format.
        let doc: String = doc_key(hit)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("_");
        let doc = inert::line(&doc);
        if self.by_doc {
            writeln!(
                self.out,
                "{} Q0 {} {} {} {}",
                self.qid, doc, rank, hit.score, self.tag
            )
        } else {
            writeln!(
                self.out,
                "{} Q0 {}#{} {} {} {}",
                self.qid, doc, hit.ordinal, rank, hit.score, self.tag
            )
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
