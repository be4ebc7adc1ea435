//! Reciprocal rank fusion of the query's ranking and its feedback query's
//! ([`super::Feedback::Fused`]).
//!
//! RRF (Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and
//! individual Rank Learning Methods", SIGIR 2009) scores each item
//! `sum over runs of 1 / (k + rank)`, rank 1-based, with their `k` = [`RRF_K`] = 60.
//! Fusing the plain ranking with the RM3 ranking keeps what feedback adds where both
//! agree and limits what it can push out: a passage the query alone ranks first still
//! scores at least `1 / 61`. Measured on Cranfield, CISI and CACM (BENCHMARKS.md,
//! session 7) it is above plain RM3 on all three, where RM3 alone lowers CACM.
//!
//! Each run is read to depth `k + 2 * want`: an item below that depth in both runs
//! scores at most `2 / (k + depth + 1)`, no more than the `want`-th fused item's
//! `1 / (k + want)`, so the fused top `want` are those of the full runs, except that an
//! item's contribution from a run where it ranks below the depth is not counted.

use std::collections::HashMap;
use std::hash::Hash;

use super::hit::{candidate_order, Candidate};

/// RRF's `k` (Cormack et al. 2009, chosen there on TREC runs and used unchanged since).
pub const RRF_K: usize = 60;

/// How deep each run is read to fuse the best `want` items: `k + 2 * want`.
pub(crate) fn depth(want: usize) -> usize {
    RRF_K.saturating_add(want.saturating_mul(2))
}

/// The RRF score of each item of `runs` (each run best first, items unique within a
/// run), in the order items are first met.
pub fn rrf<K: Hash + Eq + Clone>(runs: &[Vec<K>]) -> Vec<(K, f32)> {
    let mut at: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<(K, f32)> = Vec::new();
    for run in runs {
        for (i, item) in run.iter().enumerate() {
            let share = 1.0 / (RRF_K + i + 1) as f32;
            match at.get(item) {
                Some(&j) => out[j].1 += share,
                None => {
                    at.insert(item.clone(), out.len());
                    out.push((item.clone(), share));
                }
            }
        }
    }
    out
}

/// Fuses two passage rankings: each candidate once, scored by RRF, in rank order.
pub(crate) fn fuse_passages(plain: Vec<Candidate>, feedback: Vec<Candidate>) -> Vec<Candidate> {
    let mut by_addr: HashMap<tantivy::DocAddress, Candidate> = HashMap::new();
    let mut runs = Vec::new();
    for run in [plain, feedback] {
        runs.push(run.iter().map(|c| c.addr).collect::<Vec<_>>());
        for c in run {
            by_addr.entry(c.addr).or_insert(c);
        }
    }
    let mut fused: Vec<Candidate> = rrf(&runs)
        .into_iter()
        .filter_map(|(addr, score)| {
            let mut c = by_addr.remove(&addr)?;
            c.score = super::collector::snap(score);
            Some(c)
        })
        .collect();
    fused.sort_by(candidate_order);
    fused
}

/// Fuses two document rankings (each document a group of its best passages, best
/// first): each document once, scored by RRF over document ranks, with the passages
/// of its group in the feedback ranking (else the plain one), all given its score.
pub(crate) fn fuse_documents(
    plain: Vec<Vec<Candidate>>,
    feedback: Vec<Vec<Candidate>>,
) -> Vec<Vec<Candidate>> {
    type Key = (String, Option<String>);
    let key = |g: &Vec<Candidate>| -> Key {
        let (path, id) = g[0].document();
        (path.to_owned(), id.map(str::to_owned))
    };
    let mut groups: HashMap<Key, Vec<Candidate>> = HashMap::new();
    let mut runs = Vec::new();
    for run in [feedback, plain] {
        let run: Vec<Vec<Candidate>> = run.into_iter().filter(|g| !g.is_empty()).collect();
        runs.push(run.iter().map(key).collect::<Vec<_>>());
        for g in run {
            groups.entry(key(&g)).or_insert(g);
        }
    }
    let mut fused: Vec<Vec<Candidate>> = rrf(&runs)
        .into_iter()
        .filter_map(|(k, score)| {
            let mut g = groups.remove(&k)?;
            for c in &mut g {
                c.score = super::collector::snap(score);
            }
            Some(g)
        })
        .collect();
    fused.sort_by(|a, b| candidate_order(&a[0], &b[0]));
    fused
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: run 1 = a, b, c; run 2 = c, a. a: 1/61 + 1/62; b: 1/62; c: 1/63 + 1/61.
    #[test]
    fn rrf_by_hand() {
        let got = rrf(&[vec!["a", "b", "c"], vec!["c", "a"]]);
        let want = [
            ("a", 1.0 / 61.0 + 1.0 / 62.0),
            ("b", 1.0 / 62.0),
            ("c", 1.0 / 63.0 + 1.0 / 61.0),
        ];
        assert_eq!(got.len(), want.len());
        for ((k, s), (wk, ws)) in got.iter().zip(want) {
            assert_eq!(*k, wk);
            assert!((s - ws as f32).abs() < 1e-7, "{k}: {s} != {ws}");
        }
    }

    #[test]
    fn the_depth_keeps_the_fused_top_exact() {
        // Below the depth in both runs scores at most 2 / (k + depth + 1), no more than
        // the want-th fused item's 1 / (k + want).
        for want in [1, 10, 100, 1000] {
            let d = depth(want);
            assert!(2.0 / (RRF_K + d + 1) as f64 <= 1.0 / (RRF_K + want) as f64);
        }
    }
}
