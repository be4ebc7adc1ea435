//! Queries as people and programs write them: several words on the command line, questions,
//! pasted paragraphs, all-capitals titles, command lines with flags, code with punctuation.
//! See: issue 12.

use crate::util::{highlight_texts, paths, Dir};

/// (query, the passage that contains all its words). Each passage is a file of its own;
/// the passage holding every word of the query must be the top hit.
const CASES: &[(&str, &str)] = &[
    (
        "Why does the build NOT fail when a test is skipped?",
        "The build does not fail when a test is skipped: why? Skipped tests are reported apart.",
    ),
    (
        "WAR AND PEACE",
        "War and Peace, the novel, follows five families through the wars.",
    ),
    (
        "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED",
        "The software is provided \"as is\", without warranty of any kind, express or implied.",
    ),
    (
        "apt-get --dry-run",
        "Run apt-get --dry-run to simulate an upgrade without changing anything.",
    ),
    (
        "-n, --line-number",
        "-n, --line-number  Prefix each line of output with its 1-based line number.",
    ),
    (
        "What is the difference between TCP AND UDP?",
        "TCP and UDP differ: what is the difference between them? One is reliable.",
    ),
    (
        "HOW TO CONFIGURE NOT FOUND PAGES IN NGINX",
        "How to configure the not found pages in nginx: set error_page 404 to a file.",
    ),
    (
        "NOT NULL constraint failed",
        "SQLite says NOT NULL constraint failed when a column is empty.",
    ),
    (
        "C++ templates OR generics",
        "C++ templates and Java generics are compared here.",
    ),
    (
        "std::vec::Vec<T> push",
        "Call std::vec::Vec<T>::push to append an element at the end.",
    ),
    (
        "fs.readFile(path, callback)",
        "Call fs.readFile(path, callback) to read a whole file asynchronously.",
    ),
    (
        "Ukraine's NATO membership, AND the Article 5 guarantee",
        "An Article 5 guarantee and NATO membership for Ukraine's future were discussed.",
    ),
    (
        "東京 Tokyo station 駅",
        "東京駅 (Tokyo station) opened in 1914 in Marunouchi.",
    ),
    (
        "Γειά σου κόσμε hello world",
        "Hello world in Greek is Γειά σου κόσμε, said the teacher.",
    ),
    (
        "Привет, мир! NOT translated",
        "Привет, мир is not translated in the subtitles.",
    ),
    (
        "e-mail AND/OR phone",
        "Contact the office by e-mail and/or phone before noon.",
    ),
    (
        "git commit -m \"fix: typo\"",
        "Run git commit -m \"fix: typo\" to record the change.",
    ),
    (
        "Extract it with tar -xzf archive.tar.gz.",
        "Extract it with tar -xzf archive.tar.gz first.",
    ),
    (
        "What does OR mean in a shell script?",
        "In a shell script, || means OR: what does it mean? Run the next command on failure.",
    ),
    (
        "Error: ENOENT: no such file or directory, open 'config.json'",
        "Node fails with Error: ENOENT: no such file or directory, open 'config.json' then.",
    ),
    (
        "--help",
        "Every command accepts --help and prints its usage.",
    ),
    ("-v", "Pass -v for verbose output."),
    (
        "R&D budget AND headcount",
        "The R&D budget and headcount grew in the third quarter.",
    ),
    (
        "Is it true that 3:2 pulldown is NOT used for PAL?",
        "3:2 pulldown is not used for PAL video, is it true? PAL uses 2:2 instead.",
    ),
    (
        "C# AND F# compared",
        "C# and F# compared: both compile for the same runtime.",
    ),
    (
        "Enterprise customers AND partners can request access; approval takes two days.",
        "Enterprise customers and partners can request access; approval takes two days.",
    ),
    (
        "foo^ bar^ baz",
        "The placeholders foo, bar and baz appear in examples.",
    ),
    (
        "NOT OR AND",
        "The Boolean words NOT, OR and AND are plain words here.",
    ),
    ("x OR y OR NOT", "Choose x or y, or not at all."),
    (
        "password -- reset",
        "To reset a password -- any password -- open settings.",
    ),
];

/// Passages that share words with the cases, so that OR matching has competition.
const DISTRACTORS: &str = "\
The test is a test of the build.

Tokyo is a large city.

The software is free to use.

Run the command to see what it does.

Files and directories are listed in order.

NULL values are allowed in this column.

A shell runs commands.

The budget was approved.

Hello to the world.

The station is closed.
";

fn table_index() -> Dir {
    let d = Dir::new();
    for (i, (_, passage)) in CASES.iter().enumerate() {
        d.create(&format!("corpus/case{i:02}.txt"), format!("{passage}\n"));
    }
    d.create("corpus/distractors.txt", DISTRACTORS);
    d.ingest(&["-q"]);
    d
}

#[test]
fn every_word_counts_in_questions_pastes_titles_and_command_lines() {
    assert!(CASES.len() >= 25);
    let d = table_index();
    for (i, (query, _)) in CASES.iter().enumerate() {
        let run = d.run(&["query", "--json", "-n", "3", "--", query]);
        assert_eq!(run.code(), 0, "case {i}: {query:?}{run}");
        let hits = run.json_lines();
        assert_eq!(
            hits[0]["path"],
            format!("corpus/case{i:02}.txt"),
            "case {i}: {query:?}{run}"
        );
        // Nothing was read as syntax that changed the result.
        assert!(
            !run.stderr().contains("warning"),
            "case {i}: {query:?}{run}"
        );
        // Fixed strings find the same top passage.
        let fixed = d.run(&["query", "--json", "-n", "1", "-F", "--", query]);
        assert_eq!(fixed.json_lines()[0]["path"], hits[0]["path"], "{fixed}");
    }
}

#[test]
fn several_words_on_the_command_line_are_one_query() {
    let d = table_index();
    let joined = d
        .run(&["query", "--json", "apt-get", "simulate", "upgrade"])
        .success();
    let quoted = d
        .run(&["query", "--json", "apt-get simulate upgrade"])
        .success();
    assert_eq!(joined.stdout(), quoted.stdout());
    assert_eq!(joined.json_lines()[0]["path"], "corpus/case03.txt");
    // Options after the words are still options; `--` ends them.
    let run = d
        .run(&["query", "the", "build", "--json", "-n", "1"])
        .success();
    assert_eq!(run.json_lines().len(), 1);
    let run = d
        .run(&["query", "--json", "--", "apt-get", "--dry-run"])
        .success();
    let hits = run.json_lines();
    assert_eq!(hits[0]["path"], "corpus/case03.txt");
    assert_eq!(highlight_texts(&hits[0]), ["apt-get", "dry-run"]);
}

#[test]
fn flags_are_text_and_a_lone_flag_finds_its_passage() {
    let d = table_index();
    for (query, case) in [("--dry-run", 3), ("--help", 20), ("-v", 21)] {
        let run = d.run(&["query", "--json", "--", query]).success();
        let hits = run.json_lines();
        assert_eq!(
            hits[0]["path"],
            format!("corpus/case{case:02}.txt"),
            "{run}"
        );
        assert!(!run.stderr().contains("excluded"), "{run}");
    }
}

#[test]
fn an_exclusion_that_looks_like_a_flag_is_named_when_it_changed_the_result() {
    let d = Dir::new();
    d.create(
        "corpus/ls.txt",
        "Run ls -la to list hidden files too.\n\nThe ls command lists files.\n",
    );
    d.ingest(&["-q"]);
    let run = d.run(&["query", "--json", "--", "ls -la"]).success();
    assert_eq!(run.json_lines().len(), 1);
    eqnice!(
        "warning: `-la` at position 4 read as an exclusion, which left out passages that match \
         the rest of the query; to search it as text, quote it or use -F/--fixed-strings\n",
        run.stderr()
    );
    // Read as text, both passages match, the one with both words first.
    let run = d.run(&["query", "--json", "-F", "--", "ls -la"]).success();
    let hits = run.json_lines();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["line"], 1);
    // A plainly meant exclusion that removes nothing says nothing.
    let run = d.run(&["query", "--json", "--", "ls -zz"]).success();
    assert_eq!(run.stderr(), "");
}

#[test]
fn syntax_that_empties_the_result_is_named() {
    let d = table_index();
    let run = d
        .run(&["query", "--json", "--", "constraint AND column NOT empty"])
        .code_is(1);
    assert!(
        run.stderr().contains(
            "warning: nothing matched the query read with syntax (`AND` at position 12, `NOT` at \
             position 23); its words as plain text match"
        ),
        "{run}"
    );
    let run = d
        .run(&[
            "query",
            "--json",
            "-F",
            "--",
            "constraint AND column NOT empty",
        ])
        .success();
    assert_eq!(run.json_lines()[0]["path"], "corpus/case07.txt");
}

#[test]
fn nothing_to_search_has_one_rule_in_every_format() {
    let d = table_index();
    // (query, the warning): no hit, exit 1, one warning, nothing on stdout.
    let cases = [
        ("", "warning: empty query; nothing to search\n"),
        (
            "🙂🎉",
            "warning: the query has no searchable words; nothing to search\n",
        ),
        (
            "*",
            "warning: the query has no searchable words; nothing to search\n",
        ),
        (
            "&&",
            "warning: the query has no searchable words; nothing to search\n",
        ),
        (
            "-budget",
            "warning: the query has only excluded terms, so nothing can match; to search them \
             as text (`-rf`), quote them or use -F/--fixed-strings\n",
        ),
    ];
    for (query, warning) in cases {
        for format in [
            &["--format", "text"][..],
            &["--json"],
            &["--format", "trec"],
        ] {
            let mut args = vec!["query"];
            args.extend_from_slice(format);
            args.extend(["--", query]);
            let run = d.run(&args).code_is(1);
            assert_eq!(run.stdout(), "", "{run}");
            assert!(run.stderr().starts_with(warning), "{query:?}{run}");
        }
        let run = d.run(&["query", "--strict", "--", query]).code_is(2);
        assert!(run.stderr().starts_with("error: "), "{run}");
    }
    // --limit 0 prints nothing and tells by its exit code whether anything matches.
    let run = d.run(&["query", "-n", "0", "budget"]).code_is(0);
    assert_eq!((run.stdout(), run.stderr()), (String::new(), String::new()));
    let run = d.run(&["query", "--json", "-n", "0", "zymurgy"]).code_is(1);
    assert_eq!(run.stdout(), "");
}

#[test]
fn fixed_strings_apply_to_batches() {
    let d = table_index();
    let batch = d.create(
        "q.tsv",
        "a\tconstraint AND column NOT empty\nb\theadcount -budget\n",
    );
    let batch = batch.to_str().unwrap();
    let run = d
        .run(&["query", "--json", "-F", "-n", "1", "--batch", batch])
        .success();
    let hits = run.json_lines();
    assert_eq!(hits.len(), 2, "{run}");
    assert_eq!(hits[0]["path"], "corpus/case07.txt");
    assert_eq!(hits[1]["path"], "corpus/case22.txt");
}

#[test]
fn language_names_with_plus_or_hash_are_their_own_words() {
    let d = Dir::new();
    d.create(
        "corpus/langs.txt",
        "C++ has templates.\n\nC has macros.\n\nC# has events.\n\nF# has pipes.\n",
    );
    d.ingest(&["-q"]);
    for (query, line, word) in [("C++", 1, "C++"), ("c#", 5, "C#"), ("C", 3, "C")] {
        let run = d.run(&["query", "--json", "--", query]).success();
        let hits = run.json_lines();
        assert_eq!(hits.len(), 1, "{query}{run}");
        assert_eq!(hits[0]["line"], line, "{run}");
        assert_eq!(highlight_texts(&hits[0]), [word]);
    }
}

/// A hyphenated compound in a question is its words, as in Lucene's query parser: the
/// passage that says them apart is found, but `-compound` leaves out only the compound.
/// The failing input came from Cranfield query 207 ("... affect wing-flutter boundaries").
#[test]
fn hyphenated_compounds_are_their_words_and_excluded_whole() {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "The flutter boundaries of a swept wing were measured in the tunnel.\n",
    );
    d.create("corpus/b.txt", "Boundaries of the estate were marked.\n");
    d.create("corpus/c.txt", "Wing-flutter trials end at dusk.\n");
    d.ingest(&["-q"]);
    let q = "How do mass ratios affect wing-flutter boundaries?";
    let hits = d.query_json(&[q]);
    assert_eq!(
        paths(&hits),
        ["corpus/a.txt", "corpus/c.txt", "corpus/b.txt"]
    );
    assert_eq!(highlight_texts(&hits[0]), ["flutter", "boundaries", "wing"]);
    let hits = d.query_json(&["--all", "wing-flutter"]);
    assert_eq!(hits.len(), 2);
    // An excluded phrase used to trip a debug assertion of Tantivy's phrase scorer.
    // In an excluded group the compound stayed words, which excluded every `wing`.
    for exclusion in ["-wing-flutter", "-\"wing flutter\"", "-(wing-flutter)"] {
        let hits = d.query_json(&["--", "wing", exclusion]);
        assert_eq!(paths(&hits), ["corpus/a.txt"], "{exclusion}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// For word sequences without syntax characters, the default reading and
    /// `--fixed-strings` find the same passages in the same order.
    #[test]
    fn plain_words_find_the_same_passages_with_and_without_syntax(
        words in proptest::collection::vec(
            proptest::sample::select(vec![
                "NATO", "treaty", "Ukraine", "guarantees", "and", "or", "not", "call",
                "Trump", "President", "security", "Europe", "AND", "OR", "NOT", "the",
                "of", "Article", "5", "Meloni", "peace", "ZZZ", "war",
            ]),
            1..8,
        ),
        all in proptest::bool::ANY,
    ) {
        let d = shared_article_index();
        let q = words.join(" ");
        // Operator words in capitals are syntax where the rule says so; the property is
        // about input with no syntax, so such queries must read as prose or have none.
        let has_operator = words.iter().any(|w| matches!(*w, "AND" | "OR" | "NOT"));
        proptest::prop_assume!(!has_operator || passage::query::reads_as_prose(&q));
        let mut args = vec!["query", "--json", "-n", "50"];
        if all {
            args.push("--all");
        }
        let default = d.run(&[&args[..], &["--", &q]].concat());
        let fixed = d.run(&[&args[..], &["-F", "--", &q]].concat());
        proptest::prop_assert_eq!(default.code(), fixed.code());
        proptest::prop_assert_eq!(default.stdout(), fixed.stdout());
    }
}

/// One index of the sample article for all cases of the property test.
fn shared_article_index() -> &'static Dir {
    static INDEX: std::sync::OnceLock<Dir> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let d = Dir::with_article();
        d.ingest(&["-q"]);
        d
    })
}
