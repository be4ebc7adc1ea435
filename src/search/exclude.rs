//! Excluded clauses that tolerate a backward probe: a query wrapper for `MustNot`.
//!
//! Tantivy's `Exclude` asks its exclusion set about each candidate with `seek_danger`,
//! also after the set has moved past that candidate (a phrase's scorer starts at its first
//! match, which may be past the first candidate). Postings answer such a probe correctly,
//! but `PhraseScorer` asserts in debug builds that a seek never goes backward (Tantivy
//! 0.27, `phrase_scorer.rs`; reported upstream as quickwit-oss/tantivy#2811). A
//! docset positioned past `target` never holds `target`, so the wrapper answers a
//! backward probe itself and passes every other call through. Release builds answered
//! right before; this keeps `wing -"wing flutter"` from panicking in debug builds and
//! from depending on an assertion's absence.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term};

/// `inner`, to be used as a `MustNot` clause.
#[derive(Debug)]
pub(crate) struct Excluded(pub(crate) Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardOnly::new(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer whose seeks to a document before its current one answer "not here".
///
/// `floor` is a lower bound of the set's next document, kept from the answers themselves:
/// Tantivy's contract lets a scorer's `doc()` be meaningless after a `seek_danger` that
/// found nothing, so it is not asked then. `at_floor`: the scorer stands on `floor`.
struct ForwardOnly {
    inner: Box<dyn Scorer>,
    floor: DocId,
    at_floor: bool,
}

impl ForwardOnly {
    fn new(inner: Box<dyn Scorer>) -> ForwardOnly {
        let floor = inner.doc();
        ForwardOnly {
            inner,
            floor,
            at_floor: true,
        }
    }
}

impl DocSet for ForwardOnly {
    fn advance(&mut self) -> DocId {
        self.floor = self.inner.advance();
        self.at_floor = true;
        self.floor
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if !(self.at_floor && self.floor >= target) {
            self.floor = self.inner.seek(target.max(self.floor));
            self.at_floor = true;
        }
        self.floor
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target < self.floor {
            // Nothing lies between the last probe and `floor`: `target` is not in the set.
            return SeekDangerResult::SeekLowerBound(self.floor);
        }
        let found = self.inner.seek_danger(target);
        (self.floor, self.at_floor) = match found {
            SeekDangerResult::Found => (target, true),
            SeekDangerResult::SeekLowerBound(bound) => (bound, false),
        };
        found
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for ForwardOnly {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
