//! Matches only in the heading weigh less: a query wrapper that scales the score of a
//! passage whose every match of the query's words is in its heading.
//!
//! A heading belongs to every passage under it (the `body` field holds the heading and
//! the text), so a query that names a section's subject matches each of its passages
//! alike; BM25's preference for short passages then puts a list item such as
//! `* Extends: {EventEmitter}` under "Worker threads" ahead of paragraphs that discuss
//! worker threads. A passage whose text holds none of the query's words is scored
//! [`HEADING_ONLY_FACTOR`] times its BM25 score; one whose text holds any of them keeps
//! its score. A passage without a heading (plain text, a JSON Lines document without a
//! title) is never scaled.
//!
//! The test reads postings only: in `body` a term occurs in the text exactly when its
//! frequency there is above its frequency in the `heading` field (both are analyzed
//! alike, and the heading is `body`'s first value). Scaling only lowers scores, so the
//! wrapped query's block-max pruning stays exact: the wrapper passes Tantivy's
//! threshold to the inner query and scales what passes it.

use tantivy::postings::{Postings as _, SegmentPostings};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::query::{FieldSel, LeafKind, QueryAst};

/// The factor on the score of a passage that matches the query only in its heading: it
/// then ranks below a passage of equal BM25 that matches in its text, and a heading match
/// still counts for something. Chosen, not fitted: on the three shared collections
/// (titles are headings there) 0.25, 0.5 and 1 give the same nDCG@10 to four digits and
/// MAP within 0.0004 (BENCHMARKS.md, session 7).
pub(crate) const HEADING_ONLY_FACTOR: Score = 0.5;

/// `inner`, with passages that match only in their heading scaled by
/// [`HEADING_ONLY_FACTOR`].
#[derive(Debug)]
pub(crate) struct HeadingDiscount {
    inner: Box<dyn Query>,
    /// The query's positive words (index terms) that search the text.
    words: Vec<String>,
    body: Field,
    heading: Field,
}

impl HeadingDiscount {
    /// Wraps `inner` (compiled from `ast`); `inner` itself when `ast` has no positive
    /// word that searches the text (only `heading:` words, say), so nothing can match in
    /// the text.
    pub(crate) fn wrap(
        inner: Box<dyn Query>,
        ast: &QueryAst,
        body: Field,
        heading: Field,
    ) -> Box<dyn Query> {
        let mut words: Vec<String> = Vec::new();
        for (field, leaf) in ast.positive_leaves() {
            if field == FieldSel::Heading {
                continue;
            }
            match leaf {
                LeafKind::Phrase { tokens, .. } => words.extend(tokens.iter().cloned()),
                LeafKind::Terms { terms } => words.extend(terms.iter().cloned()),
                // Expanded into terms before compiling; unexpanded ones match as text.
                LeafKind::Prefix { .. } | LeafKind::Fuzzy { .. } => return inner,
            }
        }
        words.sort_unstable();
        words.dedup();
        if words.is_empty() {
            return inner;
        }
        Box::new(HeadingDiscount {
            inner,
            words,
            body,
            heading,
        })
    }
}

impl Clone for HeadingDiscount {
    fn clone(&self) -> Self {
        HeadingDiscount {
            inner: self.inner.box_clone(),
            words: self.words.clone(),
            body: self.body,
            heading: self.heading,
        }
    }
}

impl Query for HeadingDiscount {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(scoring)?;
        if !scoring.is_scoring_enabled() {
            return Ok(inner);
        }
        Ok(Box::new(DiscountWeight {
            inner,
            words: self.words.clone(),
            body: self.body,
            heading: self.heading,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct DiscountWeight {
    inner: Box<dyn Weight>,
    words: Vec<String>,
    body: Field,
    heading: Field,
}

impl DiscountWeight {
    fn check(&self, reader: &SegmentReader) -> tantivy::Result<HeadingCheck> {
        HeadingCheck::new(reader, &self.words, self.body, self.heading)
    }
}

impl Weight for DiscountWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let check = self.check(reader)?;
        Ok(Box::new(DiscountScorer { inner, check }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let factor = self.check(reader)?.factor(doc);
        if factor == 1.0 {
            return Ok(inner);
        }
        let mut e = Explanation::new(
            "matched only in the heading, scaled by",
            inner.value() * factor,
        );
        e.add_const("heading-only factor", factor);
        e.add_detail(inner);
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.inner.for_each_no_score(reader, callback)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let mut check = self.check(reader)?;
        self.inner.for_each(reader, &mut |doc, score| {
            callback(doc, score * check.factor(doc))
        })
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        // The inner query skips what cannot beat the threshold unscaled, and scaling
        // only lowers scores, so nothing skipped could have beaten it scaled.
        let mut check = self.check(reader)?;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                callback(doc, score * check.factor(doc))
            })
    }
}

/// The inner scorer, its scores scaled.
struct DiscountScorer {
    inner: Box<dyn Scorer>,
    check: HeadingCheck,
}

impl DocSet for DiscountScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }
    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }
    fn doc(&self) -> DocId {
        self.inner.doc()
    }
    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for DiscountScorer {
    fn score(&mut self) -> Score {
        let doc = self.inner.doc();
        self.inner.score() * self.check.factor(doc)
    }
}

/// Per segment: whether a passage matches the query's words only in its heading.
///
/// The postings are read when the first passage with a heading comes: an index without
/// headings (plain text) never opens the `heading` field, whose first opening cost a
/// query process about 220 page faults and 0.5 ms at 100 MB.
struct HeadingCheck {
    /// The heading lengths (0: no heading).
    heading_norms: tantivy::fieldnorm::FieldNormReader,
    postings: WordPostings,
}

/// The postings a [`HeadingCheck`] reads, once needed.
enum WordPostings {
    /// Not read yet.
    Unread {
        reader: Box<SegmentReader>,
        words: Vec<String>,
        body: Field,
        heading: Field,
    },
    /// Per word of the segment its postings in `body` and, if it occurs in a heading,
    /// in `heading`.
    Read(Vec<(Option<SegmentPostings>, Option<SegmentPostings>)>),
    /// No word of the query occurs in a heading of this segment (or its postings could
    /// not be read: nothing is scaled).
    Never,
}

impl HeadingCheck {
    fn new(
        reader: &SegmentReader,
        words: &[String],
        body: Field,
        heading: Field,
    ) -> tantivy::Result<HeadingCheck> {
        Ok(HeadingCheck {
            heading_norms: reader.get_fieldnorms_reader(heading)?,
            postings: WordPostings::Unread {
                reader: Box::new(reader.clone()),
                words: words.to_vec(),
                body,
                heading,
            },
        })
    }

    /// The factor on `doc`'s score: [`HEADING_ONLY_FACTOR`] when it has a heading and
    /// no word of the query in its text, else 1. Calls must come in increasing `doc`
    /// order (postings only move forward).
    fn factor(&mut self, doc: DocId) -> Score {
        if self.heading_norms.fieldnorm_id(doc) == 0 {
            return 1.0;
        }
        if let WordPostings::Unread {
            reader,
            words,
            body,
            heading,
        } = &self.postings
        {
            self.postings =
                read_postings(reader, words, *body, *heading).unwrap_or(WordPostings::Never);
        }
        let WordPostings::Read(words) = &mut self.postings else {
            return 1.0;
        };
        for (in_body, in_heading) in words.iter_mut() {
            let body_tf = in_body.as_mut().map_or(0, |p| freq_at(p, doc));
            if body_tf > in_heading.as_mut().map_or(0, |p| freq_at(p, doc)) {
                return 1.0;
            }
        }
        HEADING_ONLY_FACTOR
    }
}

/// The postings of `words` in `body` and `heading` of the segment `reader`.
fn read_postings(
    reader: &SegmentReader,
    words: &[String],
    body: Field,
    heading: Field,
) -> tantivy::Result<WordPostings> {
    let body_index = reader.inverted_index(body)?;
    let heading_index = reader.inverted_index(heading)?;
    let (mut postings, mut in_any_heading) = (Vec::new(), false);
    for word in words {
        let in_heading = heading_index.read_postings(
            &Term::from_field_text(heading, word),
            IndexRecordOption::WithFreqs,
        )?;
        let in_body = body_index.read_postings(
            &Term::from_field_text(body, word),
            IndexRecordOption::WithFreqs,
        )?;
        in_any_heading |= in_heading.is_some();
        if in_body.is_some() {
            postings.push((in_body, in_heading));
        }
    }
    Ok(if in_any_heading {
        WordPostings::Read(postings)
    } else {
        WordPostings::Never
    })
}

/// The frequency of `postings`' term in `doc` (0 when absent), moving the postings
/// forward to `doc`.
fn freq_at(postings: &mut SegmentPostings, doc: DocId) -> u32 {
    if postings.doc() < doc {
        postings.seek(doc);
    }
    if postings.doc() == doc {
        postings.term_freq()
    } else {
        0
    }
}
