//! The cost budget of a query: what a long query (a pasted page, a script's paragraph) is
//! allowed to make the scorer do.
//!
//! A query's cost is the posting lists its clauses walk. A pasted text repeats its common
//! words many times (`the` once every twenty words), and each occurrence used to be a
//! clause of its own that walked the same, longest, posting list again; pasted text also
//! holds words the analyzer splits into phrases (`on-chip`), and then Tantivy scores every
//! posting of every clause (block-max WAND needs a union of terms only, and even then
//! re-sorts its scorers at each candidate). So, applied to the parsed [`QueryAst`]
//! before it becomes a Tantivy query:
//!
//! 1. [`fold_repeats`]: clauses of one group that are the same leaf with the same
//!    occurrence become one clause whose boost is the sum of theirs. BM25 is additive
//!    over clauses, so a word written three times still weighs three times; the scores
//!    are the same (up to rounding), the work is that of one clause.
//! 2. [`limit`]: leaves that match no passage are dropped where that cannot change the
//!    result, and past [`MAX_CLAUSES`] distinct clauses the query runs with the
//!    [`MAX_CLAUSES`] that can add most to a score (idf, the rarer in the index the
//!    higher, times the number of times the query writes the word) and a warning says
//!    so.
//!
//! Parsing and analysis stay linear in the query's length; what follows is bounded by
//! [`MAX_CLAUSES`], whatever the length.

use std::collections::HashMap;

use tantivy::query::Occur;

use super::request::Warning;
use super::snapshot::Snapshot;
use crate::query::{simplify, FieldSel, LeafKind, QueryAst};

/// The most distinct clauses (words, phrases, prefixes, fuzzy terms) a query runs with.
///
/// Chosen by measurement on a 100 MB index (BENCHMARKS.md, "Long queries"): the time
/// spent scoring grows with the clauses kept (about 0.2 ms each there); with 256 a
/// query of any length takes about 100 ms of CPU or less, its top 10 shares about 8
/// passages with the unlimited query's, and every query of the evaluation collections
/// (at most 173 distinct words, CISI) runs whole.
pub const MAX_CLAUSES: usize = 256;

/// Merges repeated clauses in every group of `ast`: leaves that are equal and have the
/// same occurrence become one leaf, at the place of the first, whose boost is the sum of
/// their boosts (an excluded leaf keeps one copy). Groups are not merged.
pub fn fold_repeats(ast: QueryAst) -> QueryAst {
    let QueryAst::Bool(clauses) = ast else {
        return ast;
    };
    let mut out: Vec<(Occur, QueryAst)> = Vec::with_capacity(clauses.len());
    // (occur, field, kind) of a leaf -> its index in `out`. The key is the leaf's Debug
    // text, so that it needs no Hash on the syntax tree's types (and follows them when
    // they change).
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (occur, clause) in clauses {
        match clause {
            QueryAst::Leaf { field, kind, boost } => {
                let key = format!("{occur:?} {field:?} {kind:?}");
                if let Some(&i) = seen.get(&key) {
                    if let (Occur::Should | Occur::Must, QueryAst::Leaf { boost: b, .. }) =
                        (occur, &mut out[i].1)
                    {
                        *b += boost;
                    }
                    continue;
                }
                seen.insert(key, out.len());
                out.push((occur, QueryAst::Leaf { field, kind, boost }));
            }
            group => out.push((occur, fold_repeats(group))),
        }
    }
    QueryAst::Bool(out)
}

/// The number of leaves of `ast` (its clauses that are not groups).
pub fn count_leaves(ast: &QueryAst) -> usize {
    match ast {
        QueryAst::Leaf { .. } => 1,
        QueryAst::Bool(cs) => cs.iter().map(|(_, c)| count_leaves(c)).sum(),
    }
}

/// Bounds the clauses of `ast` to `max`.
///
/// `weight(field, kind)` is how informative a leaf is, called once per leaf: `None` when
/// it matches no passage (a word absent from the index), else its idf (larger: rarer).
/// First, leaves that match nothing are dropped from groups where that changes no
/// result: an optional or excluded leaf in a group that keeps a required or optional
/// clause. Then, when more than `max` leaves remain, only the `max` that can add the
/// most to a score are kept: highest idf times boost, where a folded word's boost is
/// the number of times it was written (ties: the earlier in the query). The warning
/// says how many were left out. Returns `None` as the tree when nothing searchable
/// remains.
pub fn limit(
    ast: QueryAst,
    max: usize,
    weight: &dyn Fn(FieldSel, &LeafKind) -> Option<f64>,
) -> (Option<QueryAst>, Option<Warning>) {
    let mut weights = Vec::new();
    collect_weights(&ast, weight, &mut weights);
    let mut keep = vec![true; weights.len()];
    mark_unmatchable(&ast, &weights, &mut keep, &mut 0);
    let total = keep.iter().filter(|&&k| k).count();
    let mut warning = None;
    if total > max {
        let mut order: Vec<usize> = (0..weights.len()).filter(|&i| keep[i]).collect();
        let w = |i: usize| weights[i].unwrap_or(f64::NEG_INFINITY);
        order.sort_by(|&a, &b| w(b).total_cmp(&w(a)).then(a.cmp(&b)));
        for &i in &order[max..] {
            keep[i] = false;
        }
        warning = Some(Warning::TooManyClauses { total, kept: max });
    }
    if keep.iter().all(|&k| k) {
        return (Some(ast), warning);
    }
    (simplify(retain_leaves(ast, &keep, &mut 0)), warning)
}

/// The weight of each leaf of `ast` in tree order: `weight` times the leaf's boost.
fn collect_weights(
    ast: &QueryAst,
    weight: &dyn Fn(FieldSel, &LeafKind) -> Option<f64>,
    out: &mut Vec<Option<f64>>,
) {
    match ast {
        QueryAst::Leaf { field, kind, boost } => {
            out.push(weight(*field, kind).map(|w| w * f64::from(*boost)))
        }
        QueryAst::Bool(cs) => {
            for (_, c) in cs {
                collect_weights(c, weight, out);
            }
        }
    }
}

/// Clears `keep` for the leaves that match nothing and can go without changing a result
/// (see [`limit`]); `next` is the tree-order index of the next leaf.
fn mark_unmatchable(ast: &QueryAst, weights: &[Option<f64>], keep: &mut [bool], next: &mut usize) {
    let QueryAst::Bool(cs) = ast else {
        *next += 1;
        return;
    };
    // The leaves of this group that match nothing and are not required.
    let mut unmatchable = Vec::new();
    let mut positive_left = false;
    for (o, c) in cs {
        if let QueryAst::Leaf { .. } = c {
            let i = *next;
            *next += 1;
            if *o != Occur::Must && weights[i].is_none() {
                unmatchable.push(i);
                continue;
            }
        } else {
            mark_unmatchable(c, weights, keep, next);
        }
        positive_left |= *o != Occur::MustNot;
    }
    if positive_left {
        for i in unmatchable {
            keep[i] = false;
        }
    }
}

/// `ast` with only the leaves whose tree-order index `next` has `keep` set.
fn retain_leaves(ast: QueryAst, keep: &[bool], next: &mut usize) -> QueryAst {
    match ast {
        leaf @ QueryAst::Leaf { .. } => {
            *next += 1;
            leaf
        }
        QueryAst::Bool(cs) => {
            let mut out = Vec::with_capacity(cs.len());
            for (o, c) in cs {
                let i = *next;
                let c = retain_leaves(c, keep, next);
                if !matches!(c, QueryAst::Leaf { .. }) || keep[i] {
                    out.push((o, c));
                }
            }
            QueryAst::Bool(out)
        }
    }
}

impl Snapshot {
    /// `ast` with repeated clauses folded and at most [`MAX_CLAUSES`] clauses
    /// (those that weigh most in the score), and the warning when some were left out.
    pub(crate) fn within_budget(&self, ast: QueryAst) -> (Option<QueryAst>, Option<Warning>) {
        let fields = self.fields();
        let (stats, passages) = (&self.searcher, self.passages);
        // The Robertson/Spärck Jones idf the score uses (see `rsj_idf_factor`; a phrase:
        // the sum of its words'); `None` for a word no passage holds. Prefix and fuzzy
        // terms were typed on purpose: they rank first.
        let weight = |field: FieldSel, kind: &LeafKind| -> Option<f64> {
            let LeafKind::Phrase { tokens, .. } = kind else {
                return Some(f64::INFINITY);
            };
            let f = match field {
                FieldSel::Heading => fields.heading,
                FieldSel::Default | FieldSel::Text => fields.body,
            };
            let n = passages as f64;
            let mut idf = 0.0;
            for t in tokens {
                let df = stats
                    .doc_freq(&tantivy::Term::from_field_text(f, t))
                    .unwrap_or(0);
                if df == 0 {
                    return None;
                }
                let df = df as f64;
                idf += ((n - df + 0.5) / (df + 0.5)).ln().max(1e-6);
            }
            Some(idf)
        };
        limit(fold_repeats(ast), MAX_CLAUSES, &weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `q` parsed with the default analyzer and options (it has a tree).
    fn parse(q: &str) -> QueryAst {
        crate::query::tests::parse(q).unwrap().ast.unwrap()
    }

    /// (first token, boost) of each leaf clause of a group.
    fn leaves(ast: &QueryAst) -> Vec<(Occur, String, f32)> {
        let QueryAst::Bool(cs) = ast else {
            panic!("not a group: {ast:?}")
        };
        cs.iter()
            .filter_map(|(o, c)| match c {
                QueryAst::Leaf {
                    kind: LeafKind::Phrase { tokens, .. },
                    boost,
                    ..
                } => Some((*o, tokens.join(" "), *boost)),
                _ => None,
            })
            .collect()
    }

    /// The length of a leaf's first token as its weight; `zzz` matches nothing.
    fn by_length(_: FieldSel, kind: &LeafKind) -> Option<f64> {
        match kind {
            LeafKind::Phrase { tokens, .. } if tokens[0] == "zzz" => None,
            LeafKind::Phrase { tokens, .. } => Some(tokens[0].len() as f64),
            _ => Some(100.0),
        }
    }

    #[test]
    fn repeats_fold_into_one_clause_weighted_by_their_count() {
        let ast = fold_repeats(parse("the cat and the hat and the bat^2 bat"));
        assert_eq!(
            leaves(&ast),
            [
                (Occur::Should, "the".to_string(), 3.0),
                (Occur::Should, "cat".to_string(), 1.0),
                (Occur::Should, "and".to_string(), 2.0),
                (Occur::Should, "hat".to_string(), 1.0),
                (Occur::Should, "bat".to_string(), 3.0),
            ]
        );
    }

    #[test]
    fn folding_keeps_occurrences_apart_and_excluded_words_once() {
        let ast = fold_repeats(parse("cat +cat -dog -dog cat \"cat\"~1"));
        let got = leaves(&ast);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], (Occur::Should, "cat".to_string(), 2.0));
        assert_eq!(got[1], (Occur::Must, "cat".to_string(), 1.0));
        assert_eq!(got[2], (Occur::MustNot, "dog".to_string(), 1.0));
        // A phrase with slop is another clause.
        assert_eq!(got[3], (Occur::Should, "cat".to_string(), 1.0));
    }

    #[test]
    fn folding_reaches_into_groups_but_does_not_merge_them() {
        let ast = fold_repeats(parse("(a a) (a a)"));
        let QueryAst::Bool(cs) = &ast else { panic!() };
        assert_eq!(cs.len(), 2);
        for (_, g) in cs {
            assert_eq!(leaves(g), [(Occur::Should, "a".to_string(), 2.0)]);
        }
    }

    #[test]
    fn under_the_limit_only_unmatchable_optional_words_go() {
        let (ast, warning) = limit(parse("zzz cat -zzz"), 10, &by_length);
        assert!(warning.is_none());
        assert_eq!(
            ast.unwrap(),
            parse("cat"),
            "an absent word changes no result"
        );
        // Required: it decides that nothing matches, so it stays.
        let (ast, _) = limit(parse("+zzz cat"), 10, &by_length);
        assert_eq!(count_leaves(&ast.unwrap()), 2);
        // Alone: the query stays as it was (and finds nothing).
        let (ast, _) = limit(parse("zzz"), 10, &by_length);
        assert_eq!(ast.unwrap(), parse("zzz"));
    }

    #[test]
    fn over_the_limit_the_rarest_words_are_kept_in_query_order() {
        let (ast, warning) = limit(parse("a bbbb cc dddddd e ff"), 3, &by_length);
        let ast = ast.unwrap();
        assert_eq!(
            leaves(&ast)
                .into_iter()
                .map(|(_, t, _)| t)
                .collect::<Vec<_>>(),
            ["bbbb", "cc", "dddddd"]
        );
        assert_eq!(warning, Some(Warning::TooManyClauses { total: 6, kept: 3 }));
        // Ties: the earlier word wins.
        let (ast, _) = limit(parse("aa bb cc dd"), 2, &by_length);
        assert_eq!(ast.unwrap(), parse("aa bb"));
    }

    #[test]
    fn limit_counts_leaves_inside_groups() {
        let (ast, warning) = limit(parse("+(a bbb) cc -dddd"), 2, &by_length);
        assert!(warning.is_some());
        // `a` and `cc` are the least informative; the group keeps `bbb`.
        assert_eq!(ast.unwrap(), parse("+bbb -dddd"));
    }
}
