//! `ingest --stopwords english|none|FILE`: an analyzer setting of the index, stored with
//! it. See: issue 13.

use crate::util::{highlight_texts, Dir};

fn corpus() -> Dir {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "War and Peace is a novel.\n\nThe war of the worlds.\n\nPeace at last, and war no more.\n",
    );
    d
}

#[test]
fn english_stop_words_are_left_out_and_phrases_still_match_across_them() {
    let d = corpus();
    d.ingest(&["-q", "--stopwords", "english"]);
    // A phrase across a removed word matches where the gap is, with the whole phrase
    // highlighted; words in the other order do not.
    let hits = d.query_json(&["\"war and peace\""]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["line"], 1);
    assert_eq!(highlight_texts(&hits[0]), ["War and Peace"]);
    // Any stop word fills the gap, as in Lucene.
    assert_eq!(d.query_json(&["\"war of peace\""]).len(), 1);
    assert_eq!(d.query_json(&["\"war peace\""]).len(), 0);
    // A query of stop words only has nothing to search.
    let run = d.run(&["query", "the and of"]).code_is(1);
    assert!(run.stderr().contains("no searchable words"), "{run}");
    // `stats` names the setting.
    let run = d.run(&["stats", "--json"]).success();
    let stats: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(stats["stopwords"], "english");
}

#[test]
fn without_stop_words_every_word_is_found() {
    let d = corpus();
    d.ingest(&["-q"]);
    assert_eq!(d.query_json(&["--all", "the of"]).len(), 1);
    assert_eq!(d.query_json(&["\"war peace\""]).len(), 0);
    let run = d.run(&["stats", "--json"]).success();
    let stats: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(stats["stopwords"], "none");
}

#[test]
fn a_stop_word_file_and_a_changed_setting_is_refused() {
    let d = corpus();
    d.create("stop.txt", "# my list\nWar\nnovel  # trailing comment\n");
    d.ingest(&["-q", "--stopwords", "stop.txt"]);
    assert_eq!(d.query_json(&["war"]).len(), 0);
    assert_eq!(d.query_json(&["peace"]).len(), 2);
    let run = d.run(&["stats"]).success();
    assert!(run.stdout().contains("stop words:     2 words"), "{run}");
    // The same setting again is fine; another one is refused, naming what the index has.
    d.ingest(&["-q", "--stopwords", "stop.txt"]);
    let run = d.run(&["ingest", "--stopwords", "english"]).code_is(2);
    assert!(
        run.stderr()
            .contains("was built with stemmer english and stop words 2 words"),
        "{run}"
    );
    let run = d.run(&["ingest", "--stopwords", "missing.txt"]).code_is(2);
    assert!(run.stderr().starts_with("error: missing.txt: "), "{run}");
}

/// With a stop list the index is scored as Lucene scores one (Tantivy's idf,
/// `ln(1 + (N - n + 0.5) / (n + 0.5))`); without, the floored Robertson/Spärck Jones idf
/// stands in for the list: a `Boost` factor over each term. Here `war` is in all three
/// passages, so its RSJ idf is floored to 1e-6 and its Lucene idf is ln(1 + 0.5/3.5).
#[test]
fn a_stop_list_scores_with_lucenes_idf() {
    let d = corpus();
    d.ingest(&["-q", "--stopwords", "english"]);
    let hits = d.query_json(&["--explain", "war"]);
    assert_eq!(hits.len(), 3);
    let e = &hits[0]["explain"];
    let text = e.to_string();
    assert!(!text.contains("Boost"), "{e}");
    let idf = (1.0f64 + 0.5 / 3.5).ln();
    assert!(text.contains("idf"), "{e}");
    let score = hits[0]["score"].as_f64().unwrap();
    assert!(
        score > idf,
        "tf part over 1 for a short passage: {score} vs idf {idf}"
    );

    let plain = corpus();
    plain.ingest(&["-q"]);
    let hits = plain.query_json(&["--explain", "war"]);
    let e = &hits[0]["explain"];
    assert!(e.to_string().contains("Boost"), "{e}");
    assert!(hits[0]["score"].as_f64().unwrap() < 1e-5);
}
