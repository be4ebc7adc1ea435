//! `query --feedback`: RM3 pseudo-relevance feedback. See: issue 13.

use crate::util::{highlight_texts, Dir};

fn corpus() -> Dir {
    let d = Dir::new();
    let mut text = String::from(
        "The heron waits in the wetland.\n\nA heron and an egret share the wetland marsh.\n\n\
         Reeds grow in the wetland marsh.\n",
    );
    // Enough other passages that the wetland words are rare (RM3 keeps terms in at most
    // 10% of the passages).
    for i in 0..40 {
        text.push_str(&format!("\nIn passage {i} the trains run in time.\n"));
    }
    d.create("corpus/birds.txt", text);
    d.ingest(&["-q"]);
    d
}

#[test]
fn feedback_finds_passages_that_share_the_best_passages_words() {
    let d = corpus();
    let plain = d.query_json(&["heron"]);
    assert_eq!(plain.len(), 2);
    let hits = d.query_json(&["--feedback", "heron"]);
    let lines: Vec<u64> = hits.iter().map(|h| h["line"].as_u64().unwrap()).collect();
    assert_eq!(&lines[..2], [1, 3], "{hits:?}");
    assert_eq!(
        lines[2], 5,
        "the reeds passage shares `wetland` and `marsh`: {hits:?}"
    );
    // Highlights show only what the user typed.
    assert_eq!(highlight_texts(&hits[0]), ["heron"]);
    assert!(highlight_texts(&hits[2]).is_empty());
    // The feedback query is listed once, on the first hit: the typed word weighs most,
    // the weights sum to 1.
    let terms = hits[0]["feedback_terms"].as_array().unwrap();
    assert_eq!(terms[0][0], "heron");
    let sum: f64 = terms.iter().map(|t| t[1].as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-4, "{terms:?}");
    assert!(terms.iter().any(|t| t[0] == "marsh"), "{terms:?}");
    // Words in more than 10% of the passages are not expansion terms.
    assert!(
        !terms.iter().any(|t| t[0] == "the" || t[0] == "in"),
        "{terms:?}"
    );
    assert!(hits[1].get("feedback_terms").is_none());
}

#[test]
fn feedback_keeps_exclusions_and_an_empty_result_stays_empty() {
    let d = corpus();
    let hits = d.query_json(&["--feedback", "--", "heron -reeds"]);
    assert!(hits.iter().all(|h| h["line"] != 5), "{hits:?}");
    let run = d.run(&["query", "--feedback", "zymurgy"]).code_is(1);
    assert_eq!(run.stdout(), "");
}
