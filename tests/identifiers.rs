//! Words inside identifiers and after elided articles: found alone, highlighted alone,
//! while the whole identifier stays a word (and phrases across it still match).

use crate::util::{highlight_texts, Dir};

/// Each passage of the corpus, one per line of this list.
const PASSAGES: &[&str] = &[
    "Call fs.readFile( to read it.",
    "Set BASH_VERSINFO first.",
    "If histogram.exceedsBigInt is true.",
    "Use snake_case names.",
    "Use kebab-case names.",
    "The HTTPServer class.",
    "Call base64Encode on it.",
    "std::vec::Vec is a type.",
    "Nothing here reads a file.",
    "L'économie de l'agriculture.",
    "Dell'arte moderna.",
    "Qu'il vienne.",
    "The __init__ method.",
    "Call getElementById now.",
    "Read MAX_PATH_LEN bytes.",
    "Use os.path.join here.",
    "XMLHttpRequest objects.",
    "Set Content-Type headers.",
    "Search XDG_DATA_HOME:XDG_DATA_DIRS in order.",
];

/// (query, lines of the passages found in rank order with what is highlighted in each)
/// `--all` and exact spans: every case of issue 14's table and more.
/// The passages a query finds: each one's line and its highlighted texts, in rank order.
type Found = &'static [(u64, &'static [&'static str])];

const CASES: &[(&str, Found)] = &[
    ("readFile", &[(1, &["readFile"])]),
    ("VERSINFO", &[(3, &["VERSINFO"])]),
    ("BASH_VERSINFO", &[(3, &["BASH_VERSINFO"])]),
    ("exceedsBigInt", &[(5, &["exceedsBigInt"])]),
    ("histogram", &[(5, &["histogram"])]),
    ("big", &[(5, &["Big"])]),
    ("snake", &[(7, &["snake"])]),
    ("kebab", &[(9, &["kebab"])]),
    ("server", &[(11, &["Server"])]),
    ("http", &[(11, &["HTTP"]), (33, &["Http"])]),
    ("encode", &[(13, &["Encode"])]),
    ("std::vec", &[(15, &["std::vec"])]),
    ("fs.readFile", &[(1, &["fs.readFile"])]),
    ("économie", &[(19, &["économie"])]),
    ("agriculture", &[(19, &["agriculture"])]),
    ("arte", &[(21, &["arte"])]),
    ("vienne", &[(23, &["vienne"])]),
    ("init", &[(25, &["init"])]),
    ("element", &[(27, &["Element"])]),
    ("getElementById", &[(27, &["getElementById"])]),
    ("path", &[(29, &["PATH"]), (31, &["path"])]),
    ("join", &[(31, &["join"])]),
    ("xml request", &[(33, &["XML", "Request"])]),
    ("content type", &[(35, &["Content-Type"]), (15, &["type"])]),
    ("\"readFile to\"", &[(1, &["readFile( to"])]),
    // Found by a helper trying PDFs: names joined by `:` are found whole.
    ("XDG_DATA_DIRS", &[(37, &["XDG_DATA_DIRS"])]),
    ("xdg_data_home", &[(37, &["XDG_DATA_HOME"])]),
];

#[test]
fn words_inside_identifiers_are_found_and_highlighted_alone() {
    let d = Dir::new();
    d.create("notes.md", PASSAGES.join("\n\n") + "\n");
    d.ingest(&["notes.md"]);
    for (query, expected) in CASES {
        let hits = d.query_json(&["--path", "notes.md", "--", query]);
        let got: Vec<(u64, Vec<String>)> = hits
            .iter()
            .map(|h| (h["line"].as_u64().unwrap(), highlight_texts(h)))
            .collect();
        let want: Vec<(u64, Vec<String>)> = expected
            .iter()
            .map(|(l, hs)| (*l, hs.iter().map(|s| s.to_string()).collect()))
            .collect();
        assert_eq!(got, want, "query {query:?}");
    }
}

#[test]
fn a_word_of_an_identifier_does_not_match_across_identifiers() {
    let d = Dir::new();
    d.create("a.txt", "read the file\n\nreadFile\n");
    d.ingest(&["a.txt"]);
    // The whole identifier is one word: `readfile` finds only it.
    let hits = d.query_json(&["readfile"]);
    assert_eq!(crate::util::lines(&hits), [3]);
    // A phrase of its parts does not match the identifier (they share one position).
    let hits = d.query_json(&["\"read file\""]);
    assert_eq!(crate::util::lines(&hits), Vec::<u64>::new());
}
