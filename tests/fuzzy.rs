//! Fuzzy (`word~N`) and prefix (`word*`) queries compare the words as written, not their
//! stems, and rank by BM25. See: issue 12.

use crate::util::{highlight_texts, Dir};

const NOTES: &str = "\
Zelensky met the security council.

The treaties were signed; security guarantees followed.

Streams and streams of refugees crossed the stream.

A stream.

Nothing relevant here: seclusion and a cure.
";

fn notes_index() -> Dir {
    let d = Dir::new();
    d.create("corpus/notes.txt", NOTES);
    d.ingest(&[]);
    d
}

/// The highlighted words of every hit, in rank order.
fn marked(d: &Dir, query: &str) -> Vec<Vec<String>> {
    d.query_json(&["-n", "20", query])
        .iter()
        .map(highlight_texts)
        .collect()
}

// `Zelenskyy~1` compared stems (`zelenskyy`, `zelenski`: 2 edits) and found nothing.
#[test]
fn fuzzy_finds_and_highlights_the_word_as_written() {
    let d = notes_index();
    assert_eq!(marked(&d, "Zelenskyy~1"), [["Zelensky"]]);
    let d = Dir::with_article();
    d.ingest(&[]);
    let hits = d.query_json(&["-n", "20", "Zelenskyy~1"]);
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| highlight_texts(h) == ["Zelensky"]));
}

// `securty~1` compared `securti` with `secur` (2 edits).
#[test]
fn fuzzy_one_edit_reaches_a_word_whose_stem_is_further() {
    let d = notes_index();
    assert_eq!(
        marked(&d, "securty~1"),
        [vec!["security"], vec!["security"]]
    );
}

#[test]
fn fuzzy_two_edits() {
    let d = notes_index();
    // Two deletions.
    assert_eq!(marked(&d, "Zelenskiyy~2"), [["Zelensky"]]);
    // A transposition and an insertion.
    assert_eq!(marked(&d, "secruty~2").len(), 2);
    // Beyond the distance: nothing, exit 1.
    d.run(&["query", "Zelenskiyy~1"]).code_is(1);
    d.run(&["query", "secruty~1"]).code_is(1);
    assert_eq!(marked(&d, "sxcurxty~2").len(), 2);
    d.run(&["query", "sxcxrxty~2"]).code_is(1);
}

// `streams~1` was a constant-score query: every hit scored the same.
#[test]
fn fuzzy_and_prefix_are_ranked_by_bm25() {
    let d = notes_index();
    for q in ["streams~1", "stre*"] {
        let hits = d.query_json(&[q]);
        assert_eq!(hits.len(), 2, "{q}");
        // Three occurrences in a longer passage against one in a two-word passage: both
        // scored, and differently.
        let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
        assert!(scores[0] > scores[1] && scores[1] > 0.0, "{q}: {scores:?}");
        assert_eq!(
            highlight_texts(&hits[0]),
            ["Streams", "streams", "stream"],
            "{q}"
        );
    }
}

#[test]
fn prefix_matches_words_as_written() {
    let d = notes_index();
    assert_eq!(marked(&d, "secu*").len(), 2);
    // `security` is indexed as `secur`, which does not start with `securi`.
    assert_eq!(marked(&d, "securi*"), [vec!["security"], vec!["security"]]);
    assert_eq!(marked(&d, "treaty*"), [["treaties"]]);
    assert_eq!(marked(&d, "treatie*"), [["treaties"]]);
    d.run(&["query", "securix*"]).code_is(1);
}
