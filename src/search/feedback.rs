//! Pseudo-relevance feedback: RM3, as Anserini defines it.
//!
//! The relevance model of Lavrenko and Croft ("Relevance-Based Language Models", SIGIR
//! 2001), interpolated with the query (RM3, Abdul-Jaleel et al., "UMass at TREC 2004"),
//! computed exactly as Anserini's `Rm3Reranker` does, with its published defaults
//! ([`FB_DOCS`], [`FB_TERMS`], [`ORIGINAL_QUERY_WEIGHT`]):
//!
//! 1. The query's analyzed terms, counted, scaled to sum 1: `q(t)`.
//! 2. For each of the best [`FB_DOCS`] passages `D` of the query (score `s_D`): the counts
//!    of its terms, keeping only terms of 2 to 20 characters of `[a-z0-9]` found in at
//!    most [`MAX_DF_RATIO`] of the passages, cut to its [`FB_TERMS`] most frequent
//!    (`pruneToSize`), with `|D|` the sum of the counts kept.
//! 3. `rm(t) = sum over D of tf(t, D) / |D| * s_D`, cut to the [`FB_TERMS`] heaviest terms,
//!    scaled to sum 1.
//! 4. `w(t) = a * q(t) + (1 - a) * rm(t)` with `a` = [`ORIGINAL_QUERY_WEIGHT`]; the
//!    feedback query is the disjunction of every `t` weighted by `w(t)`.
//!
//! Ties in the cuts of steps 2 and 3 are broken by term, so the result is deterministic.

use std::collections::HashMap;

use tantivy::query::{Occur, Query};

use super::paths::PathFilter;
use super::snapshot::Snapshot;
use crate::error::Result;
use crate::query::{FieldSel, LeafKind, QueryAst};

/// Feedback passages (Anserini's `fbDocs` default).
pub const FB_DOCS: usize = 10;
/// Expansion terms, and terms kept per feedback passage (Anserini's `fbTerms` default).
pub const FB_TERMS: usize = 10;
/// Weight of the original query in the interpolation (Anserini's `originalQueryWeight`).
pub const ORIGINAL_QUERY_WEIGHT: f32 = 0.5;
/// A term in more than this share of the passages is not an expansion term (Anserini's
/// document-frequency cut, which stands in for a stop-word list).
pub const MAX_DF_RATIO: f32 = 0.1;

/// A term with its weight.
pub type Weighted = (String, f32);

/// Keeps the `k` heaviest entries (ties by term), heaviest first.
fn prune(mut v: Vec<Weighted>, k: usize) -> Vec<Weighted> {
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(k);
    v
}

/// Scales weights to sum 1 (unchanged when they sum to 0).
fn unit_l1(mut v: Vec<Weighted>) -> Vec<Weighted> {
    let sum: f32 = v.iter().map(|(_, w)| w).sum();
    if sum > 0.0 {
        for (_, w) in &mut v {
            *w /= sum;
        }
    }
    v
}

/// The query vector of step 1: each analyzed query term counted, scaled to sum 1.
pub fn query_vector(terms: &[String]) -> Vec<Weighted> {
    let mut counts: HashMap<&str, f32> = HashMap::new();
    for t in terms {
        *counts.entry(t).or_default() += 1.0;
    }
    let v = counts.into_iter().map(|(t, c)| (t.to_owned(), c)).collect();
    unit_l1(prune(v, usize::MAX))
}

/// The relevance model of steps 2 and 3 over `docs` (each a passage's score and its
/// analyzed terms, best first; only the first [`FB_DOCS`] are used); `df_ratio(t)` is the
/// share of passages holding `t`.
pub fn relevance_model(
    docs: &[(f32, Vec<String>)],
    df_ratio: impl Fn(&str) -> f32,
) -> Vec<Weighted> {
    let mut model: HashMap<String, f32> = HashMap::new();
    for (score, terms) in docs.iter().take(FB_DOCS) {
        let mut counts: HashMap<&str, f32> = HashMap::new();
        for t in terms {
            let n = t.chars().count();
            if (2..=20).contains(&n)
                && t.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                *counts.entry(t).or_default() += 1.0;
            }
        }
        let vector: Vec<Weighted> = counts
            .into_iter()
            .filter(|(t, _)| df_ratio(t) <= MAX_DF_RATIO)
            .map(|(t, c)| (t.to_owned(), c))
            .collect();
        let vector = prune(vector, FB_TERMS);
        let norm: f32 = vector.iter().map(|(_, c)| c).sum();
        if norm > 0.001 {
            for (t, c) in vector {
                *model.entry(t).or_default() += c / norm * score;
            }
        }
    }
    unit_l1(prune(model.into_iter().collect(), FB_TERMS))
}

/// Step 4: `a * query + (1 - a) * model` over the union of their terms, heaviest first.
pub fn interpolate(query: &[Weighted], model: &[Weighted], a: f32) -> Vec<Weighted> {
    let mut out: HashMap<String, f32> = HashMap::new();
    for (t, w) in query {
        *out.entry(t.clone()).or_default() += a * w;
    }
    for (t, w) in model {
        *out.entry(t.clone()).or_default() += (1.0 - a) * w;
    }
    prune(out.into_iter().collect(), usize::MAX)
}

/// A query to run and, with feedback, the weighted terms it was made of.
type FeedbackQuery = (Box<dyn Query>, Option<Vec<Weighted>>);

impl Snapshot {
    /// The RM3 feedback query of `ast` ([`self`]), run as `query` found its best
    /// passages, with the original query's exclusions; `query` itself when it matches
    /// nothing. Also returns the weighted terms.
    pub(crate) fn with_feedback(
        &mut self,
        ast: &QueryAst,
        query: Box<dyn Query>,
        filter: Option<&PathFilter>,
    ) -> Result<FeedbackQuery> {
        let top = self.top_passages(&*query, FB_DOCS, filter)?;
        if top.is_empty() {
            return Ok((query, None));
        }
        let mut docs = Vec::with_capacity(top.len());
        for c in top {
            let h = match c.loaded {
                Some(h) => *h,
                None => self.load(c.addr, c.score)?,
            };
            let text = match &h.heading {
                Some(heading) => format!("{heading}\n{}", h.text),
                None => h.text.clone(),
            };
            let terms = crate::analysis::analyze(&mut self.analyzer, &text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            docs.push((h.score, terms));
        }
        // The query's words, each counted as often as it was written (the budget folds
        // repeats into the boost).
        let mut words = Vec::new();
        for (field, kind) in ast.positive_leaves() {
            if let (FieldSel::Default | FieldSel::Text, LeafKind::Phrase { tokens, .. }) =
                (field, kind)
            {
                words.extend(tokens.iter().cloned());
            }
        }
        let n = self.passages;
        let body = self.fields().body;
        let searcher = &self.searcher;
        let df_ratio = |t: &str| {
            let df = searcher
                .doc_freq(&tantivy::Term::from_field_text(body, t))
                .unwrap_or(0);
            df as f32 / n.max(1) as f32
        };
        let model = relevance_model(&docs, df_ratio);
        let weights = interpolate(&query_vector(&words), &model, ORIGINAL_QUERY_WEIGHT);
        let mut clauses: Vec<(tantivy::query::Occur, QueryAst)> = weights
            .iter()
            .map(|(t, w)| {
                let leaf = QueryAst::Leaf {
                    field: FieldSel::Default,
                    kind: LeafKind::Phrase {
                        tokens: vec![t.clone()],
                        slop: 0,
                        positions: vec![0],
                    },
                    boost: *w,
                };
                (Occur::Should, leaf)
            })
            .collect();
        if let QueryAst::Bool(cs) = ast {
            clauses.extend(cs.iter().filter(|(o, _)| *o == Occur::MustNot).cloned());
        }
        Ok((self.compile(&QueryAst::Bool(clauses)), Some(weights)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    fn close(got: &[Weighted], want: &[(&str, f32)]) {
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((t, w), (wt, ww)) in got.iter().zip(want) {
            assert_eq!(t, wt, "{got:?}");
            assert!((w - ww).abs() < 1e-6, "{t}: {w} != {ww}");
        }
    }

    /// A hand computation. Query `heron heron egret`: q = heron 2/3, egret 1/3.
    /// Passage 1 (score 2): heron x2, fish x1, `a` (too short), `the` (in every passage),
    /// so |D1| = 3: heron 2/3 * 2 = 4/3, fish 1/3 * 2 = 2/3.
    /// Passage 2 (score 1): fish x1, reed x1, |D2| = 2: fish 1/2, reed 1/2.
    /// rm before scaling: heron 4/3, fish 2/3 + 1/2 = 7/6, reed 1/2; sum 3; scaled:
    /// heron 4/9, fish 7/18, reed 1/6.
    /// w = 0.5 q + 0.5 rm: heron 1/3 + 2/9 = 5/9, egret 1/6, fish 7/36, reed 1/12.
    #[test]
    fn rm3_by_hand() {
        let q = query_vector(&words("heron heron egret"));
        close(&q, &[("heron", 2.0 / 3.0), ("egret", 1.0 / 3.0)]);
        let docs = vec![
            (2.0, words("heron a the fish heron the")),
            (1.0, words("fish reed the")),
        ];
        let df = |t: &str| if t == "the" { 1.0 } else { 0.05 };
        let rm = relevance_model(&docs, df);
        close(
            &rm,
            &[
                ("heron", 4.0 / 9.0),
                ("fish", 7.0 / 18.0),
                ("reed", 1.0 / 6.0),
            ],
        );
        let w = interpolate(&q, &rm, ORIGINAL_QUERY_WEIGHT);
        close(
            &w,
            &[
                ("heron", 5.0 / 9.0),
                ("fish", 7.0 / 36.0),
                ("egret", 1.0 / 6.0),
                ("reed", 1.0 / 12.0),
            ],
        );
    }

    #[test]
    fn only_the_first_documents_and_terms_count() {
        let mut docs: Vec<(f32, Vec<String>)> = Vec::new();
        for i in 0..FB_DOCS + 5 {
            docs.push((1.0, vec![format!("w{i:02}")]));
        }
        let rm = relevance_model(&docs, |_| 0.0);
        assert_eq!(rm.len(), FB_TERMS);
        assert!(rm.iter().all(|(t, _)| t.as_str() < "w10"), "{rm:?}");
        // Non-ASCII or one-character terms are never expansion terms.
        let rm = relevance_model(&[(1.0, words("é x ab"))], |_| 0.0);
        close(&rm, &[("ab", 1.0)]);
    }
}
