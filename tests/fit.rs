//! Answers that fit a context window: `--max-total-chars` and the character offsets of
//! JSON hits (`highlights_chars`), on multi-byte text.

use serde_json::{json, Value};

use crate::util::Dir;

/// A folder with `corpus/firmen.txt` ([`crate::hay::FIRMEN`]) ingested.
fn firmen() -> Dir {
    let d = Dir::new();
    d.create("corpus/firmen.txt", crate::hay::FIRMEN);
    d.ingest(&[]);
    d
}

/// `(passage, text, trimmed)` of each hit.
fn shown(hits: &[Value]) -> Vec<(u64, &str, Option<&Value>)> {
    hits.iter()
        .map(|h| {
            let (passage, text) = (h["passage"].as_u64().unwrap(), h["text"].as_str().unwrap());
            (passage, text, h.get("trimmed"))
        })
        .collect()
}

#[test]
fn hits_are_added_while_their_characters_fit() {
    let d = firmen();
    let all = d.query_json(&["müller"]);
    assert_eq!(
        shown(&all).iter().map(|h| h.0).collect::<Vec<_>>(),
        [0, 2, 1]
    );
    // 40 + 46 characters (93 bytes): both first hits fit exactly.
    let two = d.query_json(&["--max-total-chars", "86", "müller"]);
    assert_eq!(
        shown(&two),
        [
            (0, "Müller & Söhne liefern Öl an Müllers Co.", None),
            (2, "Ölförderung im Nordmeer: Müller war nie dabei.", None),
        ]
    );
    // 40 left after the first hit: fewer than a trimmed hit keeps (80), so it ends.
    let one = d.query_json(&["--max-total-chars", "80", "müller"]);
    assert_eq!(shown(&one).len(), 1);
    assert_eq!(one[0]["text"], all[0]["text"]);
}

#[test]
fn the_last_hit_is_trimmed_around_its_match_with_exact_highlights() {
    let d = firmen();
    // 86 for the first two hits, 80 left for the third (240 characters).
    let hits = d.query_json(&["--max-total-chars", "166", "müller"]);
    let last = &hits[2];
    let text = "Die Brüder Müller gründeten die Firma 1901 in Köln; später übernahm Jürgen";
    assert_eq!(shown(&hits)[2], (1, text, Some(&json!([0, 81]))));
    assert_eq!(last["highlights"], json!([[12, 19]]));
    assert_eq!(last["highlights_chars"], json!([[11, 17]]));
    assert_eq!(&text[12..19], "Müller");
    // The location still names the whole passage.
    assert_eq!(
        (last["line"].as_u64(), last["byte_end"].as_u64()),
        (Some(3), Some(302))
    );
}

#[test]
fn at_least_one_hit_comes_back_trimmed_to_the_budget() {
    let d = firmen();
    let hits = d.query_json(&["--max-total-chars", "30", "müller"]);
    assert_eq!(
        shown(&hits),
        [(0, "Müller & Söhne liefern Öl an", Some(&json!([0, 31])))]
    );
    assert_eq!(hits[0]["highlights"], json!([[0, 7]]));
    assert_eq!(hits[0]["highlights_chars"], json!([[0, 6]]));
    // The terminal marks where the text was cut.
    let run = d.run(&[
        "query",
        "--color",
        "never",
        "--max-total-chars",
        "30",
        "müller",
    ]);
    eqnice!(
        "corpus/firmen.txt:1\nMüller & Söhne liefern Öl an…\n",
        run.success().stdout()
    );
    let run = d.run(&["query", "--max-total-chars", "0", "müller"]);
    run.code_is(2);
}

#[test]
fn character_offsets_slice_what_byte_offsets_do() {
    let d = firmen();
    let hits = d.query_json(&["müller"]);
    assert_eq!(hits[0]["highlights"], json!([[0, 7], [32, 40]]));
    assert_eq!(hits[0]["highlights_chars"], json!([[0, 6], [29, 36]]));
    assert_eq!(hits[1]["highlights_chars"], json!([[25, 31]]));
    assert_eq!(hits[2]["highlights_chars"], json!([[11, 17], [75, 81]]));
    for hit in &hits {
        let chars: Vec<char> = hit["text"].as_str().unwrap().chars().collect();
        for r in hit["highlights_chars"].as_array().unwrap() {
            let (s, e) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let word: String = chars[s..e].iter().collect();
            assert!(word.starts_with("Müller"), "{word:?}");
        }
    }
}
