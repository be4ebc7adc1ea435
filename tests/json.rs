//! The JSON Lines contract of `query --json`.

use serde::Deserialize;

use crate::util::{highlight_texts, Dir};

/// Every field of the JSON Lines hit (`src/printer/json.rs`), decoded strictly: a field
/// added or renamed without this test knowing fails it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct WireHit {
    rank: u64,
    score: f64,
    path: String,
    abs_path: Option<String>,
    passage: u64,
    line: u64,
    end_line: u64,
    byte_start: u64,
    byte_end: u64,
    text: String,
    highlights: Vec<[usize; 2]>,
    highlights_chars: Vec<[usize; 2]>,
    heading: Option<String>,
    heading_highlights: Vec<[usize; 2]>,
    heading_highlights_chars: Vec<[usize; 2]>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    doc_id: Option<String>,
    #[serde(default)]
    qid: Option<String>,
    #[serde(default)]
    context_before: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    context_after: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    explain: Option<serde_json::Value>,
    #[serde(default)]
    feedback_terms: Option<Vec<(String, f64)>>,
}

#[test]
fn a_hit_is_exactly_this_object() {
    let d = Dir::new();
    d.create(
        "notes/walrus.md",
        "# Arctic\n\nThe walrus sleeps.\n\n## Ice\n\nA walrus on the ice.\n",
    );
    d.ingest(&["notes"]);
    let run = d.run(&["query", "--json", "-C", "1", "ice"]).success();
    let hits = run.json_lines();
    assert_eq!(hits.len(), 1, "{run}");
    let mut hit = hits[0].clone();
    // The score is BM25's (checked elsewhere); the absolute path is the folder's.
    assert!(hit["score"].as_f64().unwrap() > 0.0, "{run}");
    hit["score"] = serde_json::json!(0);
    let abs = std::fs::canonicalize(d.path())
        .unwrap()
        .join("notes/walrus.md");
    assert_eq!(hit["abs_path"].as_str(), abs.to_str(), "{run}");
    hit["abs_path"] = serde_json::json!(null);
    let expected = serde_json::json!({
        "rank": 1, "score": 0, "path": "notes/walrus.md", "abs_path": null,
        "passage": 1, "line": 7, "end_line": 7, "byte_start": 38, "byte_end": 58,
        "text": "A walrus on the ice.", "highlights": [[16, 19]], "highlights_chars": [[16, 19]],
        "heading": "Arctic > Ice", "heading_highlights": [[9, 12]],
        "heading_highlights_chars": [[9, 12]],
        "context_before": [{
            "passage": 0, "line": 3, "end_line": 3, "byte_start": 10, "byte_end": 28,
            "text": "The walrus sleeps.", "heading": "Arctic"
        }],
        "context_after": []
    });
    assert_eq!(hit, expected, "{run}");
    let _: WireHit = serde_json::from_value(hits[0].clone()).unwrap();
}

#[test]
fn every_field_is_present_and_consistent_with_the_file() {
    let d = Dir::with_article();
    d.ingest(&[]);
    let run = d
        .run(&["query", "--json", "-n", "20", "NATO security guarantee"])
        .success();
    eqnice!("", run.stderr());
    let file = std::fs::read(crate::hay::sample_article()).unwrap();
    let mut ranks = Vec::new();
    for line in run.stdout().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in [
            "rank",
            "score",
            "path",
            "passage",
            "line",
            "end_line",
            "byte_start",
            "byte_end",
            "text",
            "highlights",
            "highlights_chars",
            "heading",
            "heading_highlights",
            "heading_highlights_chars",
        ] {
            assert!(value.get(key).is_some(), "missing {key} in {line}");
        }
        let hit: WireHit = serde_json::from_str(line).unwrap();
        ranks.push(hit.rank);
        assert_eq!(hit.path, crate::hay::ARTICLE);
        assert_eq!(hit.heading, None);
        assert_eq!(hit.line, hit.end_line);
        // byte_start..byte_end slices the file to the passage text.
        assert_eq!(
            &file[hit.byte_start as usize..hit.byte_end as usize],
            hit.text.as_bytes()
        );
        // Highlights are sorted, disjoint, and each is a matched word.
        let mut prev = 0;
        for [s, e] in &hit.highlights {
            assert!(s >= &prev && s < e && *e <= hit.text.len());
            prev = *e;
        }
        // highlights_chars slices the same words by characters.
        let chars: Vec<char> = hit.text.chars().collect();
        let by_chars: Vec<String> = hit
            .highlights_chars
            .iter()
            .map(|[s, e]| chars[*s..*e].iter().collect())
            .collect();
        assert_eq!(by_chars, highlight_texts(&value));
        for word in highlight_texts(&value) {
            let w = word.to_lowercase();
            assert!(
                ["nato", "security", "guarantees"].contains(&w.as_str()),
                "unexpected highlight {word:?}"
            );
        }
        assert!(hit.score > 0.0);
    }
    assert_eq!(ranks, (1..=ranks.len() as u64).collect::<Vec<_>>());
    assert_eq!(ranks.len(), 9);
}

#[test]
fn scores_descend() {
    let d = Dir::with_article();
    d.ingest(&[]);
    let hits = d.query_json(&["-n", "50", "president trump summit"]);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}
