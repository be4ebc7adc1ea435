//! Regression tests: each bug's failing input, kept.

use crate::util::{highlight_texts, Dir};

// Tantivy's own query parser reads `'` as the start of a phrase and `word:` as a field,
// so `don't` and `Re: budget` failed to parse. Our parser treats them as text.
#[test]
fn apostrophe_inside_a_word_is_not_a_quote() {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "I don't know.\n\nRe: budget for 12:30 meeting\n",
    );
    d.ingest(&[]);
    let hits = d.query_json(&["don't"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(highlight_texts(&hits[0]), ["don't"]);
    let hits = d.query_json(&["Re: budget"]);
    assert_eq!(hits[0]["line"], 3);
    let hits = d.query_json(&["12:30"]);
    assert_eq!(highlight_texts(&hits[0]), ["12:30"]);
}
