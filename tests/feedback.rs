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

/// `--feedback` (fused) scores each passage `1 / (60 + rank)` summed over the plain
/// ranking and the RM3 ranking (`--feedback=rm3`), ranks 1-based (Cormack et al. 2009).
#[test]
fn fused_feedback_is_reciprocal_rank_fusion_of_the_plain_and_the_rm3_ranking() {
    let d = corpus();
    let key = |h: &serde_json::Value| h["line"].as_u64().unwrap();
    let rank_in = |args: &[&str]| -> std::collections::HashMap<u64, usize> {
        let mut all = vec!["-n", "100"];
        all.extend_from_slice(args);
        let hits = d.query_json(&all);
        hits.iter()
            .enumerate()
            .map(|(i, h)| (key(h), i + 1))
            .collect()
    };
    let plain = rank_in(&["heron"]);
    let rm3 = rank_in(&["--feedback=rm3", "heron"]);
    let fused = d.query_json(&["-n", "100", "--feedback", "heron"]);
    assert_eq!(fused.len(), rm3.len(), "every passage of either ranking");
    let mut last = f64::MAX;
    for h in &fused {
        let want: f64 = [&plain, &rm3]
            .iter()
            .filter_map(|r| r.get(&key(h)))
            .map(|&r| 1.0 / (60.0 + r as f64))
            .sum();
        let got = h["score"].as_f64().unwrap();
        assert!((got - want).abs() < want * 1e-4, "{h}: {got} != {want}");
        assert!(got <= last);
        last = got;
    }
    // Both rankings put the two heron passages first, so they lead the fused one.
    let top = fused[0]["score"].as_f64().unwrap();
    assert!((top - 2.0 / 61.0).abs() < 1e-5, "{top}");
    let explained = d.query_json(&["--feedback", "--explain", "heron"]);
    let e = &explained[0]["explain"];
    assert!(e["description"]
        .as_str()
        .unwrap()
        .starts_with("reciprocal rank fusion"));
    assert_eq!(e["details"].as_array().unwrap().len(), 2, "{e}");
}

#[test]
fn feedback_takes_its_mode_only_after_an_equals_sign() {
    let d = corpus();
    // `--feedback rm3` is the flag and the word `rm3`, as `--feedback heron` is.
    let run = d.run(&["query", "--feedback", "rm3"]).code_is(1);
    assert_eq!(run.stdout(), "");
    let run = d.run(&["query", "--feedback=rocchio", "heron"]).code_is(2);
    assert!(run.stderr().contains("invalid value 'rocchio'"), "{run}");
}
