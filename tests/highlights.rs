//! Table-driven highlight tests through the binary: each case is a file holding one
//! passage; the query runs restricted to that file with `--path`, and the highlighted
//! spans must be exactly the expected words.

use crate::util::{highlight_texts, Dir};

/// (query, passage text, expected highlighted texts)
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "guarantee",
        "Article 5-style guarantees for Ukraine",
        &["guarantees"],
    ),
    ("Guarantees", "a guarantee was given", &["guarantee"]),
    (
        "\"security guarantees\"",
        "security matters; guarantees too; security guarantees now",
        &["security guarantees"],
    ),
    ("Ukraine's", "Ukraine\u{2019}s border", &["Ukraine"]),
    ("Ukraine\u{2019}s", "Ukraine's army", &["Ukraine"]),
    ("ukraine", "Ukraine's membership", &["Ukraine"]),
    ("US-Russia", "after the US-Russia summit", &["US-Russia"]),
    ("5-style", "Article 5-style guarantees", &["5-style"]),
    ("16/8", "AFP reported on 16/8, citing a source", &["16/8"]),
    (
        "Zelensky's",
        "President Zelensky's government applied",
        &["Zelensky"],
    ),
    (
        "zelensky",
        "President Zelensky's government applied",
        &["Zelensky"],
    ),
    (
        "jane.doe@example.com",
        "write to jane.doe@example.com today",
        &["jane.doe@example.com"],
    ),
    (
        "https://example.org/path",
        "see https://example.org/path now",
        &["https://example.org/path"],
    ),
    ("Việt Nam", "Việt Nam là một quốc gia", &["Việt", "Nam"]),
    ("viet", "Người Việt", &["Việt"]),
    ("Vie\u{323}\u{302}t", "Người Việt", &["Việt"]),
    ("東京大学", "私は東京大学の学生です", &["東京大学"]),
    ("Tokyo 東京", "Tokyo は東京です", &["Tokyo", "東京"]),
    ("pizza", "I love 🍕 pizza 🍕!", &["pizza"]),
    ("family", "👩\u{200D}👩\u{200D}👧 family time", &["family"]),
    ("cafe", "Un café noir", &["café"]),
    ("CAFÉ", "Un café noir", &["café"]),
    (
        "guarant*",
        "guarantee and guaranteed, not guard",
        &["guarantee", "guaranteed"],
    ),
    ("nato~1", "NATA met NATO", &["NATA", "NATO"]),
    ("nato -treaty", "NATO alliance", &["NATO"]),
    ("nato NOT treaty", "NATO alliance", &["NATO"]),
    (
        "\"phone call\"~1",
        "a phone conference call",
        &["phone conference call"],
    ),
    (
        "\"phone call\" leaders",
        "phone call with leaders",
        &["phone call", "leaders"],
    ),
    ("treaty^3", "the treaty", &["treaty"]),
    ("nato nato", "NATO", &["NATO"]),
    ("السلام", "عليكم السلام", &["السلام"]),
    ("ΟΔΟΣ", "μια οδος", &["οδος"]),
    ("leaders", "the leaders' meeting", &["leaders"]),
    (
        "cooperation",
        "co\u{AD}operation matters",
        &["co\u{AD}operation"],
    ),
    (
        "(nato OR alliance) AND joint",
        "a joint NATO alliance",
        &["joint", "NATO", "alliance"],
    ),
];

#[test]
fn highlight_table() {
    let d = Dir::new();
    for (i, (_, text, _)) in CASES.iter().enumerate() {
        d.create(&format!("corpus/case{i:02}.txt"), format!("{text}\n"));
    }
    d.ingest(&["-q"]);
    let mut failures = Vec::new();
    for (i, (query, text, expected)) in CASES.iter().enumerate() {
        let path = format!("corpus/case{i:02}.txt");
        let hits = d.query_json(&["--path", &path, query]);
        let got: Vec<String> = hits.first().map(highlight_texts).unwrap_or_default();
        if got != *expected {
            failures.push(format!(
                "{query:?} in {text:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn cjk_runs_match_only_contiguously() {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "東京の大学に行く\n\n私は東京大学の学生です\n",
    );
    d.ingest(&["-q"]);
    let hits = d.query_json(&["東京大学"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["line"], 3);
}
