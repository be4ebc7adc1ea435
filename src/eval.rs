//! Retrieval evaluation with trec_eval's measures and conventions.
//!
//! Conventions are those of `trec_eval -c -M 1000` (and of `shared/bench/quality/eval.py`):
//! - a run is ranked by score descending, ties by docid descending (byte order); its rank
//!   column is ignored, as trec_eval ignores it; a docid repeated within a query keeps its
//!   highest score; each query's ranking is cut at [`DEPTH`];
//! - a document is relevant when its qrels grade is at least 1;
//! - means are over the judged queries (those with at least one relevant document); a
//!   judged query missing from the run scores 0 on every measure.
//!
//! Measures (trec_eval names in parentheses), for one query with R relevant documents:
//! - nDCG@10 (trec_eval `ndcg_cut_10`): DCG@10 / ideal DCG@10, DCG = sum of gain_i / log2(i + 1) over
//!   ranks i = 1..10, gain = the qrels grade (0 when below 1), the ideal ranking sorting
//!   all judged grades (Järvelin & Kekäläinen 2002, as trec_eval computes it);
//! - MAP (`map`): mean over queries of AP = (sum of precision@i at the ranks i of relevant
//!   documents) / R;
//! - R@100 (`recall_100`): relevant documents in the top 100 / R;
//! - MRR@10 (`recip_rank` on the top 10): 1 / rank of the first relevant document in the
//!   top 10, else 0;
//! - P@10 (`P_10`): relevant documents in the top 10 / 10.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// Depth at which a query's ranking is cut (trec_eval `-M 1000`).
pub const DEPTH: usize = 1000;

/// Relevance judgements: query id -> document id -> grade.
pub type Qrels = HashMap<String, HashMap<String, i64>>;

/// A run: query id -> ranked (document id, score), in trec_eval order.
pub type Run = HashMap<String, Vec<(String, f64)>>;

/// The measures of one query, or their means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    /// nDCG at rank 10.
    #[serde(rename = "nDCG@10")]
    pub ndcg10: f64,
    /// Average precision (mean: MAP), to depth 1000.
    #[serde(rename = "MAP")]
    pub map: f64,
    /// Recall at rank 100.
    #[serde(rename = "R@100")]
    pub recall100: f64,
    /// Reciprocal rank within the top 10.
    #[serde(rename = "MRR@10")]
    pub mrr10: f64,
    /// Precision at rank 10.
    #[serde(rename = "P@10")]
    pub p10: f64,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Means over the judged queries.
    pub mean: Measures,
    /// Per judged query, in query id order (numeric ids numerically).
    pub per_query: Vec<(String, Measures)>,
    /// Number of judged queries.
    pub judged_queries: usize,
    /// Judged queries with no line in the run.
    pub judged_queries_without_results: usize,
}

fn parse_err(path: &Path, line: usize, msg: String) -> Error {
    Error::Config(format!("{}:{line}: {msg}", path.display()))
}

/// Reads TREC qrels: `qid iter docid grade` per line.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Config`] naming the line for a
/// malformed line.
pub fn read_qrels(path: &Path) -> Result<Qrels> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut q: Qrels = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let p: Vec<&str> = line.split_whitespace().collect();
        if p.is_empty() {
            continue;
        }
        if p.len() != 4 {
            return Err(parse_err(
                path,
                i + 1,
                "expected `qid iter docid grade`".into(),
            ));
        }
        let grade: i64 = p[3]
            .parse()
            .map_err(|_| parse_err(path, i + 1, format!("grade `{}` is not an integer", p[3])))?;
        q.entry(p[0].to_owned())
            .or_default()
            .insert(p[2].to_owned(), grade);
    }
    Ok(q)
}

/// Parses a TREC run (`qid Q0 docid rank score tag` per line) into trec_eval order.
///
/// # Errors
/// [`Error::Config`] naming the line for a malformed line (`source` names the input).
pub fn parse_run(text: &str, source: &Path) -> Result<Run> {
    let mut raw: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let p: Vec<&str> = line.split_whitespace().collect();
        if p.is_empty() {
            continue;
        }
        if p.len() != 6 {
            return Err(parse_err(
                source,
                i + 1,
                "expected `qid Q0 docid rank score tag`".into(),
            ));
        }
        let score: f64 = p[4]
            .parse()
            .map_err(|_| parse_err(source, i + 1, format!("score `{}` is not a number", p[4])))?;
        let docs = raw.entry(p[0].to_owned()).or_default();
        let s = docs.entry(p[2].to_owned()).or_insert(score);
        *s = s.max(score);
    }
    Ok(raw
        .into_iter()
        .map(|(q, docs)| {
            let mut ranked: Vec<(String, f64)> = docs.into_iter().collect();
            trec_order(&mut ranked);
            ranked.truncate(DEPTH);
            (q, ranked)
        })
        .collect())
}

/// Reads a TREC run file; see [`parse_run`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`parse_run`].
pub fn read_run(path: &Path) -> Result<Run> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_run(&text, path)
}

/// Sorts a ranking into trec_eval order: score descending, ties by docid descending.
fn trec_order(ranked: &mut [(String, f64)]) {
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
}

/// The run of `queries` (each `(qid, query)`): each query searched as `template` says,
/// documents ranked by their best passage to [`DEPTH`], in trec_eval order; also the
/// queries that failed, with their error.
pub fn search_run(
    engine: &crate::search::Engine,
    queries: Vec<(String, String)>,
    template: &crate::search::QueryRequest,
) -> (Run, Vec<(String, Error)>) {
    let mut run = Run::new();
    let mut failed = Vec::new();
    for (qid, query) in queries {
        let request = crate::search::QueryRequest {
            query,
            limit: DEPTH,
            per_doc: Some(1),
            with_text: false,
            ..template.clone()
        };
        match engine.search(&request) {
            Ok(r) => {
                let mut ranked: Vec<(String, f64)> = r
                    .hits
                    .iter()
                    .map(|h| (crate::search::doc_key(h).to_owned(), f64::from(h.score)))
                    .collect();
                trec_order(&mut ranked);
                run.insert(qid, ranked);
            }
            Err(e) => failed.push((qid, e)),
        }
    }
    (run, failed)
}

/// Measures of one ranking against one query's judgements.
pub fn measure(ranking: &[(String, f64)], judged: &HashMap<String, i64>) -> Measures {
    let grade = |d: &str| judged.get(d).copied().unwrap_or(0);
    let n_rel = judged.values().filter(|&&g| g >= 1).count();
    if n_rel == 0 {
        return Measures::default();
    }
    let ranking = &ranking[..ranking.len().min(DEPTH)];
    let mut found = 0usize;
    let mut ap = 0.0;
    let mut rel_at_10 = 0usize;
    let mut rel_at_100 = 0usize;
    let mut rr = 0.0;
    let mut dcg = 0.0;
    for (i, (doc, _)) in ranking.iter().enumerate() {
        let g = grade(doc);
        if g >= 1 {
            found += 1;
            ap += found as f64 / (i + 1) as f64;
            if i < 10 {
                rel_at_10 += 1;
                if rr == 0.0 {
                    rr = 1.0 / (i + 1) as f64;
                }
                dcg += g as f64 / ((i + 2) as f64).log2();
            }
            if i < 100 {
                rel_at_100 += 1;
            }
        }
    }
    let mut ideal: Vec<i64> = judged.values().copied().filter(|&g| g >= 1).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, &g)| g as f64 / ((i + 2) as f64).log2())
        .sum();
    Measures {
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        map: ap / n_rel as f64,
        recall100: rel_at_100 as f64 / n_rel as f64,
        mrr10: rr,
        p10: rel_at_10 as f64 / 10.0,
    }
}

/// Evaluates `run` against `qrels`: see the module docs for the conventions.
pub fn evaluate(qrels: &Qrels, run: &Run) -> Evaluation {
    let mut judged: Vec<&String> = qrels
        .iter()
        .filter(|(_, d)| d.values().any(|&g| g >= 1))
        .map(|(q, _)| q)
        .collect();
    judged.sort_by(|a, b| match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    });
    let empty = Vec::new();
    let per_query: Vec<(String, Measures)> = judged
        .iter()
        .map(|q| {
            (
                (*q).clone(),
                measure(run.get(*q).unwrap_or(&empty), &qrels[*q]),
            )
        })
        .collect();
    let n = per_query.len().max(1) as f64;
    let sum = |f: fn(&Measures) -> f64| per_query.iter().map(|(_, m)| f(m)).sum::<f64>() / n;
    Evaluation {
        mean: Measures {
            ndcg10: sum(|m| m.ndcg10),
            map: sum(|m| m.map),
            recall100: sum(|m| m.recall100),
            mrr10: sum(|m| m.mrr10),
            p10: sum(|m| m.p10),
        },
        judged_queries: per_query.len(),
        judged_queries_without_results: judged
            .iter()
            .filter(|q| run.get(**q).is_none_or(|r| r.is_empty()))
            .count(),
        per_query,
    }
}

/// Formats an evaluation as aligned text lines.
pub fn format_text(e: &Evaluation, per_query: bool) -> String {
    let row = |label: &str, m: &Measures| {
        format!(
            "{label:<10} {:.4}  {:.4}  {:.4}  {:.4}  {:.4}\n",
            m.ndcg10, m.map, m.recall100, m.mrr10, m.p10
        )
    };
    let mut s = format!(
        "{:<10} {:<7} {:<7} {:<7} {:<7} {:<7}\n",
        "query", "nDCG@10", "MAP", "R@100", "MRR@10", "P@10"
    );
    if per_query {
        for (q, m) in &e.per_query {
            s.push_str(&row(q, m));
        }
    }
    s.push_str(&row("all", &e.mean));
    s.push_str(&format!(
        "{} judged queries, {} of them without results\n",
        e.judged_queries, e.judged_queries_without_results
    ));
    s
}

/// Builds qrels from lines for tests and examples (`qid docid grade`).
#[doc(hidden)]
pub fn qrels_from(triples: &[(&str, &str, i64)]) -> Qrels {
    let mut q: Qrels = HashMap::new();
    for (qid, doc, g) in triples {
        q.entry(qid.to_string())
            .or_default()
            .insert(doc.to_string(), *g);
    }
    q
}

/// The per-query measures as a map, for JSON output.
pub fn per_query_map(e: &Evaluation) -> BTreeMap<&str, Measures> {
    e.per_query.iter().map(|(q, m)| (q.as_str(), *m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-6, "{a} != {b}");
    }

    #[test]
    fn hand_computed_measures() {
        // q1: ranking a, x, b with a and b relevant (grade 1).
        // q2: d and y tie at 5.0: docid descending puts y first; ranking y, d, c.
        // q3: judged, absent from the run: all 0.  q4: nothing relevant: not judged.
        // q9: in the run, not judged: ignored.
        let qrels = qrels_from(&[
            ("1", "a", 1),
            ("1", "b", 1),
            ("2", "c", 2),
            ("2", "d", 1),
            ("3", "e", 1),
            ("4", "z", 0),
        ]);
        let run = parse_run(
            "1 Q0 a 1 3.0 t\n1 Q0 x 2 2.0 t\n1 Q0 b 3 1.0 t\n2 Q0 d 1 5.0 t\n2 Q0 y 2 5.0 t\n2 Q0 c 3 4.0 t\n9 Q0 a 1 1.0 t\n",
            Path::new("run"),
        )
        .unwrap();
        let e = evaluate(&qrels, &run);
        assert_eq!(e.judged_queries, 3);
        assert_eq!(e.judged_queries_without_results, 1);
        let q1 = e.per_query[0].1;
        // AP = (1/1 + 2/3) / 2; nDCG = (1 + 1/log2 4) / (1 + 1/log2 3).
        close(q1.map, (1.0 + 2.0 / 3.0) / 2.0);
        close(q1.ndcg10, 1.5 / (1.0 + 1.0 / 3f64.log2()));
        close(q1.mrr10, 1.0);
        close(q1.p10, 0.2);
        close(q1.recall100, 1.0);
        let q2 = e.per_query[1].1;
        // y (0), d (1), c (2): AP = (1/2 + 2/3) / 2; DCG = 1/log2 3 + 2/log2 4;
        // ideal = 2 + 1/log2 3.
        close(q2.map, (0.5 + 2.0 / 3.0) / 2.0);
        close(
            q2.ndcg10,
            (1.0 / 3f64.log2() + 1.0) / (2.0 + 1.0 / 3f64.log2()),
        );
        close(q2.mrr10, 0.5);
        assert_eq!(e.per_query[2].1, Measures::default());
        close(e.mean.map, (q1.map + q2.map) / 3.0);
    }

    #[test]
    fn duplicates_keep_the_best_score_and_depth_is_cut() {
        let run = parse_run(
            "1 Q0 a 1 1.0 t\n1 Q0 a 2 3.0 t\n1 Q0 b 3 2.0 t\n",
            Path::new("r"),
        )
        .unwrap();
        assert_eq!(run["1"], [("a".to_string(), 3.0), ("b".to_string(), 2.0)]);
        assert!(parse_run("1 Q0 a\n", Path::new("r")).is_err());
    }
}
