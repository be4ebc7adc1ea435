//! The syntax tree of a parsed query: [`QueryAst`] with its leaves ([`LeafKind`]) and
//! field choice ([`FieldSel`]), and the pure functions over it.
//!
//! The tree is what parsing yields and what search (compilation to Tantivy, expansion,
//! the clause budget) and the highlighter read; it holds no Tantivy query, only
//! Tantivy's [`Occur`] for how a clause combines.

use tantivy::query::Occur;

/// Which field a clause searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSel {
    /// The passage text and its heading (the default).
    Default,
    /// The same as `Default`, named explicitly (`text:`).
    Text,
    /// Only the heading (`heading:`).
    Heading,
}

/// How a leaf matches index terms.
#[derive(Debug, Clone, PartialEq)]
pub enum LeafKind {
    /// The analyzed tokens in order (one token: a term; several: a phrase), with slop.
    Phrase {
        /// Analyzed tokens.
        tokens: Vec<String>,
        /// How many positions the words may move (0 = exactly adjacent).
        slop: u32,
        /// Each token's position in the phrase, the first at 0: consecutive, but for a
        /// gap where the index's stop words left a word out (`war and peace`: 0, 2).
        positions: Vec<u32>,
    },
    /// Terms starting with `prefix` (normalised, unstemmed), and the term `stem`: the
    /// typed word as the index holds it (`treaty*` must find `treaty`, indexed as its
    /// stem `treati`). See: issue 4.
    Prefix {
        /// Normalised, unstemmed prefix.
        prefix: String,
        /// The analyzed (stemmed) prefix word, when it differs from `prefix`.
        stem: Option<String>,
    },
    /// Terms within this edit distance of the analyzed token, and the stems of the words
    /// within it of the typed word (search expands it: see `search::expand`).
    Fuzzy {
        /// Analyzed token.
        token: String,
        /// Maximum Damerau-Levenshtein distance (1 or 2).
        distance: u8,
        /// The typed word normalised and folded as the analyzer does, unstemmed.
        word: String,
    },
    /// Exactly these index terms, the expansion of a fuzzy or prefix leaf, most frequent
    /// first (never written by the parser: search expands fuzzy and prefix leaves into
    /// it, and scores the first `search::expand::MAX_SCORED_TERMS` by BM25, the rest 0).
    Terms {
        /// Index terms (analyzed form).
        terms: Vec<String>,
    },
}

/// A node of the parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryAst {
    /// A word, phrase, prefix or fuzzy term.
    Leaf {
        /// The field searched.
        field: FieldSel,
        /// How it matches.
        kind: LeafKind,
        /// Score multiplier (1.0 when none was given).
        boost: f32,
    },
    /// Clauses combined as in a Lucene boolean query.
    Bool(Vec<(Occur, QueryAst)>),
}

/// `ast` with each leaf that searches the default field set to search `f` instead (a
/// group after `field:`); leaves with a field of their own keep it.
pub(super) fn with_field(ast: QueryAst, f: FieldSel) -> QueryAst {
    match ast {
        QueryAst::Leaf { kind, boost, field } => QueryAst::Leaf {
            field: if field == FieldSel::Default { f } else { field },
            kind,
            boost,
        },
        QueryAst::Bool(cs) => {
            QueryAst::Bool(cs.into_iter().map(|(o, c)| (o, with_field(c, f))).collect())
        }
    }
}

/// Drops empty groups and unwraps single-clause groups; `None` when nothing remains.
pub(crate) fn simplify(ast: QueryAst) -> Option<QueryAst> {
    match ast {
        leaf @ QueryAst::Leaf { .. } => Some(leaf),
        QueryAst::Bool(cs) => {
            let cs: Vec<(Occur, QueryAst)> = cs
                .into_iter()
                .filter_map(|(o, c)| simplify(c).map(|c| (o, c)))
                .collect();
            match cs.len() {
                0 => None,
                1 if cs[0].0 != Occur::MustNot => cs.into_iter().next().map(|(_, c)| c),
                _ => Some(QueryAst::Bool(cs)),
            }
        }
    }
}

impl QueryAst {
    /// True when no clause can match (only excluded clauses).
    pub fn only_excluded(&self) -> bool {
        match self {
            QueryAst::Leaf { .. } => false,
            QueryAst::Bool(cs) => cs.iter().all(|(o, _)| *o == Occur::MustNot),
        }
    }

    /// This tree without its excluded clauses (`-word`, `NOT word`); `None` when it has
    /// none.
    pub fn without_exclusions(&self) -> Option<QueryAst> {
        let QueryAst::Bool(cs) = self else {
            return None;
        };
        let mut changed = false;
        let kept: Vec<(Occur, QueryAst)> = cs
            .iter()
            .filter_map(|(o, c)| {
                if *o == Occur::MustNot {
                    changed = true;
                    return None;
                }
                Some((
                    *o,
                    c.without_exclusions()
                        .inspect(|_| changed = true)
                        .unwrap_or_else(|| c.clone()),
                ))
            })
            .collect();
        changed.then(|| simplify(QueryAst::Bool(kept))).flatten()
    }

    /// The leaves that can contribute to a match (not under an excluded clause).
    pub fn positive_leaves(&self) -> Vec<(FieldSel, &LeafKind)> {
        let mut out = Vec::new();
        self.collect_positive(&mut out);
        out
    }

    fn collect_positive<'a>(&'a self, out: &mut Vec<(FieldSel, &'a LeafKind)>) {
        match self {
            QueryAst::Leaf { field, kind, .. } => out.push((*field, kind)),
            QueryAst::Bool(cs) => {
                for (o, c) in cs {
                    if *o != Occur::MustNot {
                        c.collect_positive(out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::tests::{leaf, parse};

    #[test]
    fn exclusions_are_left_out_of_positive_leaves_and_can_be_removed() {
        let ast = parse("nato -treaty heading:(war -peace)")
            .unwrap()
            .ast
            .unwrap();
        let positive: Vec<(FieldSel, &LeafKind)> = ast.positive_leaves();
        assert_eq!(positive.len(), 2, "{positive:?}");
        assert_eq!(positive[1].0, FieldSel::Heading);
        assert!(!ast.only_excluded());
        let QueryAst::Bool(cs) = ast.without_exclusions().unwrap() else {
            panic!()
        };
        assert_eq!(cs[0], (Occur::Should, leaf(&["nato"])));
        assert!(matches!(
            &cs[1].1,
            QueryAst::Leaf {
                field: FieldSel::Heading,
                ..
            }
        ));
        assert_eq!(leaf(&["nato"]).without_exclusions(), None);
    }

    #[test]
    fn simplify_unwraps_single_clauses_but_not_a_lone_exclusion() {
        let one = QueryAst::Bool(vec![(
            Occur::Must,
            QueryAst::Bool(vec![(Occur::Should, leaf(&["a"]))]),
        )]);
        assert_eq!(simplify(one), Some(leaf(&["a"])));
        assert_eq!(
            simplify(QueryAst::Bool(vec![(
                Occur::Must,
                QueryAst::Bool(Vec::new())
            )])),
            None
        );
        let excluded = QueryAst::Bool(vec![(Occur::MustNot, leaf(&["a"]))]);
        assert!(excluded.only_excluded());
        assert_eq!(simplify(excluded.clone()), Some(excluded));
    }
}
