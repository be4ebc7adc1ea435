//! `passage query` on the sample article: ranks, spans, exit codes, messages.

use crate::util::{highlight_texts, lines, Dir};

fn article_index() -> Dir {
    let d = Dir::with_article();
    d.ingest(&[]);
    d
}

#[test]
fn nato_treaty_ranks_article_5_first_with_exact_highlights() {
    let d = article_index();
    let hits = d.query_json(&["NATO treaty"]);
    let first = &hits[0];
    assert_eq!(first["line"], 9);
    assert!(first["text"]
        .as_str()
        .unwrap()
        .starts_with("Article 5 of the NATO treaty"));
    assert_eq!(highlight_texts(first), ["NATO", "treaty", "NATO"]);
}

#[test]
fn guarantee_finds_exactly_the_three_guarantees_passages() {
    let d = article_index();
    let hits = d.query_json(&["guarantee"]);
    let mut found = lines(&hits);
    found.sort();
    assert_eq!(found, [1, 3, 15]);
    for h in &hits {
        assert_eq!(highlight_texts(h), ["guarantees"]);
    }
}

#[test]
fn phrase_matches_only_adjacent_words() {
    let d = article_index();
    let hits = d.query_json(&["\"phone call\""]);
    let mut found = lines(&hits);
    found.sort();
    assert_eq!(found, [2, 14]);
    for h in &hits {
        assert_eq!(highlight_texts(h), ["phone call"]);
    }
}

#[test]
fn ukraine_finds_the_possessive_only_passage() {
    let d = article_index();
    let hits = d.query_json(&["ukraine", "-n", "20"]);
    let line12 = hits.iter().find(|h| h["line"] == 12).expect("line 12");
    assert_eq!(highlight_texts(line12), ["Ukraine"]);
}

#[test]
fn apostrophes_and_colons_are_text_not_syntax() {
    let d = article_index();
    let run = d.run(&["query", "--json", "Ukraine's"]).success();
    assert!(run.stderr().is_empty(), "{run}");
    let hits = run.json_lines();
    assert!(lines(&hits).contains(&12));
    assert!(lines(&hits).contains(&1));
    // `16/8` and `12:30` style tokens search the text.
    let hits = d.query_json(&["16/8"]);
    assert_eq!(lines(&hits), [1]);
    assert_eq!(highlight_texts(&hits[0]), ["16/8"]);
    let run = d.run(&["query", "12:30"]).code_is(1);
    assert!(
        !run.stderr().contains("warning") && !run.stderr().contains("error"),
        "{run}"
    );
    d.run(&["query", "Re: budget"]).code_is(1);
}

#[test]
fn no_hit_exits_1_with_empty_stdout() {
    let d = article_index();
    let run = d.run(&["query", "xylophone"]).code_is(1);
    eqnice!("", run.stdout());
    eqnice!("note: no passage contains `xylophone`\n", run.stderr());
}

#[test]
fn missing_index_exits_2_and_says_to_ingest() {
    let d = Dir::new();
    let run = d.run(&["query", "nato"]).code_is(2);
    eqnice!("", run.stdout());
    eqnice!(
        "error: no index at `index`: run `passage ingest` first\n",
        run.stderr()
    );
}

#[test]
fn index_flag_and_environment_variable_choose_the_index() {
    let d = Dir::with_article();
    d.ingest(&["--index", "elsewhere"]);
    assert!(d.path().join("elsewhere/meta.json").is_file());
    assert!(!d.path().join("index").exists());
    d.run(&["query", "--index", "elsewhere", "nato"]).success();
    let run = d
        .command(&["query", "nato"])
        .env("PASSAGE_INDEX", "elsewhere")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
}

#[test]
fn bad_queries_get_clear_messages_and_exit_codes() {
    let d = article_index();
    // Nothing to search: no hit (exit 1) and a warning saying why; with --strict an error.
    let run = d.run(&["query", ""]).code_is(1);
    eqnice!("warning: empty query; nothing to search\n", run.stderr());
    let run = d.run(&["query", "!!! ..."]).code_is(1);
    eqnice!(
        "warning: the query has no searchable words; nothing to search\n",
        run.stderr()
    );
    let run = d.run(&["query", "--strict", "!!! ..."]).code_is(2);
    eqnice!("error: the query has no searchable words\n", run.stderr());
    // Lenient: an unbalanced quote is text, with a warning naming the position.
    let run = d.run(&["query", "--json", "\"phone call"]).success();
    eqnice!(
        "warning: query position 1: unbalanced quote; read as text\n",
        run.stderr()
    );
    assert!(run.json_lines().len() > 2, "{run}");
    // Strict: the same query fails.
    let run = d.run(&["query", "--strict", "\"phone call"]).code_is(2);
    eqnice!(
        "error: query error at position 1: unbalanced quote\n",
        run.stderr()
    );
    // Unknown field: searched as text, with a warning.
    let run = d.run(&["query", "--json", "color:nato"]).code_is(1);
    assert!(run.stderr().contains("unknown field `color`"), "{run}");
    // Only excluded terms: nothing can match.
    // A query starting with `-` goes after `--`, as with grep.
    let run = d.run(&["query", "--", "-nato"]).code_is(1);
    assert!(run.stderr().contains("only excluded terms"), "{run}");
    // Unbalanced parentheses.
    let run = d.run(&["query", "--json", "(nato treaty"]).success();
    assert!(run.stderr().contains("unclosed parenthesis"), "{run}");
    let run = d.run(&["query", "--json", "nato)"]).success();
    assert!(run.stderr().contains("unmatched `)`"), "{run}");
}

#[test]
fn operators_required_excluded_and_all() {
    let d = article_index();
    let hits = d.query_json(&["+nato +treaty"]);
    let mut found = lines(&hits);
    found.sort();
    assert_eq!(found, [3, 9]);
    let hits = d.query_json(&["--all", "nato treaty"]);
    let mut found = lines(&hits);
    found.sort();
    assert_eq!(found, [3, 9]);
    let hits = d.query_json(&["treaty -nato"]);
    assert!(hits.is_empty());
    let hits = d.query_json(&["phone AND call NOT alaska"]);
    let mut found = lines(&hits);
    found.sort();
    assert_eq!(found, [13, 14]);
}

#[test]
fn limit_and_deterministic_ties() {
    let d = article_index();
    // Lines 7 and 8 hold the same caption: equal scores, ordered by passage.
    let hits = d.query_json(&["Elmendorf"]);
    assert_eq!(lines(&hits), [7, 8]);
    assert_eq!(hits[0]["score"], hits[1]["score"]);
    assert_eq!(
        (hits[0]["passage"].as_u64(), hits[1]["passage"].as_u64()),
        (Some(5), Some(6))
    );
    let hits = d.query_json(&["Elmendorf", "-n", "1"]);
    assert_eq!(lines(&hits), [7]);
    let a = d
        .run(&["query", "--json", "president trump putin"])
        .stdout();
    let b = d
        .run(&["query", "--json", "president trump putin"])
        .stdout();
    eqnice!(a, b);
}

#[test]
fn terminal_output_has_path_line_headers_and_no_colour_when_piped() {
    let d = article_index();
    let run = d.run(&["query", "\"phone call\""]).success();
    let expected = format!(
        "{a}:2\nAccording to the source, the proposal was made by President Trump during a phone call with Ukrainian President Volodymyr Zelensky and European leaders after the US-Russia summit in Alaska.\n\n{a}:14\nThe US side raised the joint security proposal during the phone call with President Zelensky and then reiterated it in the joint call with European leaders,\" the diplomatic source added.\n",
        a = crate::hay::ARTICLE
    );
    eqnice!(expected, run.stdout());
}

#[test]
fn colour_is_forced_by_always_and_suppressed_by_never() {
    let d = article_index();
    let run = d.run(&["query", "--color", "always", "treaty"]).success();
    assert!(
        run.stdout().contains("\x1b[1m\x1b[31mtreaty\x1b[0m"),
        "{run}"
    );
    let run = d.run(&["query", "--color", "never", "treaty"]).success();
    assert!(!run.stdout().contains('\x1b'), "{run}");
}

#[test]
fn long_passages_show_a_snippet_around_the_match() {
    let d = Dir::new();
    let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(30);
    d.create(
        "corpus/long.txt",
        format!("{filler}The needle is here. {filler}\n"),
    );
    d.ingest(&[]);
    let run = d.run(&["query", "--max-chars", "80", "needle"]).success();
    let body = run.stdout().lines().nth(1).unwrap().to_owned();
    assert!(body.starts_with('…') && body.ends_with('…'), "{run}");
    assert!(body.contains("needle"), "{run}");
    assert!(body.chars().count() <= 82, "{run}");
    // --json always carries the whole passage.
    let hits = d.query_json(&["needle"]);
    assert!(hits[0]["text"].as_str().unwrap().len() > 1000);
}

#[test]
fn zero_results_name_absent_words_and_suggest_close_ones() {
    let d = article_index();
    let run = d.run(&["query", "--all", "Ukrane guarantes"]).code_is(1);
    eqnice!(
        "note: no passage contains `Ukrane`; indexed words close to it: Ukraine\nnote: no passage contains `guarantes`; indexed words close to it: guarantees\n",
        run.stderr()
    );
}

#[test]
fn path_filter_context_explain_vimgrep_and_snippets() {
    let d = Dir::with_article();
    d.create(
        "corpus/notes/other.txt",
        "NATO summit notes.\n\nSecond paragraph.\n",
    );
    d.ingest(&[]);
    let hits = d.query_json(&["--path", "corpus/notes/*", "nato"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["path"], "corpus/notes/other.txt");
    let hits = d.query_json(&["--path", "**/us-*.txt", "-n", "50", "nato"]);
    assert!(hits.len() > 3 && hits.iter().all(|h| h["path"] == crate::hay::ARTICLE));
    // Context: the neighbours of the passage on line 9 are lines 8 and 10.
    let hits = d.query_json(&["-C", "1", "-n", "1", "NATO treaty"]);
    assert_eq!(hits[0]["context_before"][0]["line"], 8);
    assert_eq!(hits[0]["context_after"][0]["line"], 10);
    assert_eq!(hits[0]["context_after"].as_array().unwrap().len(), 1);
    let run = d
        .run(&["query", "-C", "1", "-n", "1", "NATO treaty"])
        .success();
    let out = run.stdout();
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("corpus/")).collect();
    assert_eq!(
        headers,
        [
            format!("{}-8", crate::hay::ARTICLE),
            format!("{}:9", crate::hay::ARTICLE),
            format!("{}-10", crate::hay::ARTICLE)
        ]
    );
    // Explain: the JSON score is the explanation's value.
    let hits = d.query_json(&["--explain", "-n", "1", "treaty"]);
    let e = &hits[0]["explain"];
    assert!((e["value"].as_f64().unwrap() - hits[0]["score"].as_f64().unwrap()).abs() < 1e-4);
    let run = d
        .run(&["query", "--explain", "-n", "1", "treaty"])
        .success();
    assert!(run.stdout().contains("idf"), "{run}");
    // Vimgrep: path:line:column:line text, column of the first match.
    let run = d
        .run(&["query", "--vimgrep", "-n", "1", "Elmendorf"])
        .success();
    let out = run.stdout();
    let expected_col = "US President Donald Trump at a joint press conference with Russian President Vladimir Putin at Joint Base ".len() + 1;
    assert!(
        out.starts_with(&format!(
            "{}:7:{expected_col}:US President",
            crate::hay::ARTICLE
        )),
        "{out}"
    );
}

/// Malformed queries: lenient by default (what is valid runs, one warning naming the
/// position), an error with --strict.
#[test]
fn malformed_query_table() {
    let d = article_index();
    // (query, lenient exit code, warning or error text, strict exit code)
    let cases: &[(&str, i32, &str, i32)] = &[
        ("\"phone call", 0, "query position 1: unbalanced quote", 2),
        (
            "(nato treaty",
            0,
            "query position 1: unclosed parenthesis",
            2,
        ),
        ("nato treaty)", 0, "query position 12: unmatched `)`", 2),
        // An operator word with nothing to join or negate is a word.
        ("nato AND", 0, "", 0),
        ("OR nato", 0, "", 0),
        ("nato NOT", 0, "", 0),
        (
            "colour:nato",
            1,
            "query position 1: unknown field `colour`",
            2,
        ),
        ("+ nato", 0, "", 0),
        ("-nato", 1, "only excluded terms", 2),
        // Not a number after `^`: text, no warning.
        // (`nato^x` is the phrase `nato x`, as `US-Russia` is `us russia`.)
        ("nato^", 0, "", 0),
        ("nato^x", 1, "", 1),
        (
            "nato^1.2.3",
            0,
            "query position 1: boost `^1.2.3` is not a number",
            2,
        ),
        // An edit distance over 2 is not one: text (`HEAD~3` is the phrase `head 3`).
        ("nato~5", 1, "", 1),
        (
            "\"phone call\"~x",
            0,
            "query position 1: slop `~` is not a whole number",
            2,
        ),
        (
            "!!! ???",
            1,
            "warning: the query has no searchable words",
            2,
        ),
        ("", 1, "warning: empty query", 2),
    ];
    for (query, lenient, message, strict) in cases {
        let run = d.run(&["query", "--json", "--", query]);
        assert_eq!(run.code(), *lenient, "{query:?}{run}");
        if message.is_empty() {
            assert!(!run.stderr().contains("warning"), "{query:?}{run}");
        } else {
            assert!(run.stderr().contains(message), "{query:?}{run}");
        }
        if *lenient != 2
            && !message.is_empty()
            && !message.contains("excluded")
            && !message.contains("searchable")
            && !message.contains("empty")
        {
            assert_eq!(
                run.stderr()
                    .lines()
                    .filter(|l| l.starts_with("warning"))
                    .count(),
                1,
                "{run}"
            );
        }
        let run = d.run(&["query", "--strict", "--json", "--", query]);
        assert_eq!(run.code(), *strict, "strict {query:?}{run}");
        assert!(!run.stderr().contains("panicked"), "{run}");
    }
}

// A few candidates are read from the document store, many from fast fields: the two
// must agree on every field a hit carries, for files and for JSON Lines documents.
#[test]
fn small_and_large_result_lists_agree() {
    let d = Dir::new();
    let mut jsonl = String::new();
    for i in 0..40 {
        d.create(
            &format!("corpus/f{i:02}.txt"),
            format!("river {i} flood\n\nriver bank {i}\n"),
        );
        jsonl.push_str(&format!(
            "{{\"id\": \"d{i}\", \"title\": \"River {i}\", \"text\": \"flood plain {i}\"}}\n"
        ));
    }
    d.create("corpus/docs.jsonl", jsonl);
    d.ingest(&["-q"]);
    for args in [&["river"][..], &["--group-by", "doc", "river flood"][..]] {
        let small = d.query_json(&[&["-n", "5"], args].concat());
        let large = d.query_json(&[&["-n", "200"], args].concat());
        assert_eq!(small.len(), 5);
        assert!(large.len() > 32, "{}", large.len());
        assert_eq!(small[..], large[..5]);
    }
}

// A word in more than half of the passages (`the` here, 9 of 10) adds almost nothing to a
// score (Robertson/Spärck Jones idf with FTS5's floor), so it cannot outrank a shorter
// passage on the rare word. With Tantivy's own idf (ln(1 + odds) = 0.15 per `the`), the
// passage with four `the` ranked first.
#[test]
fn a_word_in_most_passages_does_not_outweigh_length() {
    let d = Dir::new();
    d.create(
        "corpus/sea.txt",
        "the walrus sat on the rock by the sea in the sun\n\n\
         a walrus sat on a rock by a cold grey sea\n\n\
         the sun rose over the hill\n\nthe rain fell on the town\n\n\
         the wind blew\n\nthe tide turned\n\nthe moon set\n\n\
         the boats sailed home\n\nthe fox ran\n\nthe owl hooted\n",
    );
    d.ingest(&["-q"]);
    let hits = d.query_json(&["the walrus"]);
    assert_eq!(hits[0]["line"], 3, "{:?}", hits[0]["text"]);
    assert_eq!(hits[1]["line"], 1);
    // Every passage still matches `the`: nothing is dropped.
    assert_eq!(d.query_json(&["-n", "20", "the"]).len(), 9);
}

// `treaty*` found nothing: the prefix was compared with stemmed index terms (`treati`).
#[test]
fn prefix_of_a_whole_word_finds_the_word() {
    let d = article_index();
    let hits = d.query_json(&["treaty*"]);
    let mut found = lines(&hits);
    found.sort();
    assert_eq!(found, [3, 9]);
    for h in &hits {
        assert_eq!(highlight_texts(h), ["treaty"]);
    }
    let hits = d.query_json(&["guarantee*"]);
    assert_eq!(hits.len(), 3);
    assert!(hits.iter().all(|h| highlight_texts(h) == ["guarantees"]));
}

// --vimgrep counted columns from the passage start, not the line start, for an indented
// paragraph and for a passage split from a long line; ripgrep counts from the line
// start and prints the whole line (ripgrep: `ind.txt:3:28:`). (Found by a helper trying
// the tool as a new user.)
#[test]
fn vimgrep_columns_count_from_the_line_start() {
    let d = Dir::new();
    d.create(
        "corpus/ind.txt",
        "Intro.\n\n    Indented para mentions capybara.\n",
    );
    let long = format!(
        "{} The capybara ends here.\n",
        "A walrus sentence that fills the line. ".repeat(60)
    );
    d.create("corpus/long.txt", &long);
    d.ingest(&["-q"]);
    let run = d.run(&["query", "--vimgrep", "capybara"]).success();
    let out = run.stdout();
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort();
    let column = long.find("capybara").unwrap() + 1;
    assert_eq!(
        lines,
        [
            "corpus/ind.txt:3:28:    Indented para mentions capybara.".to_owned(),
            format!("corpus/long.txt:1:{column}:{}", long.trim_end()),
        ]
    );
}

// `http://example.com/page` and `std::vector` warned "unknown field", so `--strict`
// refused ordinary queries; `title:` and `body:` worked but the warning did not name
// them. (Found by a helper trying the tool as a new user.)
#[test]
fn colons_that_start_no_field_value_are_text() {
    let d = Dir::new();
    d.create(
        "corpus/a.md",
        "# Links\n\nSee http://example.com/page and std::vector here.\n",
    );
    d.ingest(&["-q"]);
    for q in ["http://example.com/page", "std::vector"] {
        let run = d.run(&["query", "--strict", "--json", q]).success();
        assert_eq!(run.stderr(), "", "{q}: {run}");
        assert_eq!(run.stdout().lines().count(), 1, "{q}: {run}");
    }
    // A known field keeps a value that starts with punctuation (found in a review).
    let hits = d.query_json(&["heading:.links"]);
    assert_eq!(hits.len(), 1);
    assert!(d.query_json(&["heading:.vector"]).is_empty());
    let run = d.run(&["query", "colour:red"]);
    assert!(
        run.stderr()
            .contains("unknown field `colour` (known: text or body, heading or title)"),
        "{run}"
    );
}

// `-C`, `--explain` and `--color always` were dropped silently with `--vimgrep` and
// `--format trec`. (Found by a helper trying the tool as a new user.)
#[test]
fn options_an_output_cannot_show_are_named() {
    let d = Dir::new();
    d.create("corpus/a.txt", "one walrus\n\ntwo seals\n");
    d.ingest(&["-q"]);
    let run = d
        .run(&["query", "--vimgrep", "-C", "1", "--explain", "walrus"])
        .success();
    assert_eq!(
        run.stderr(),
        "warning: -C/--context is ignored with --vimgrep\nwarning: --explain is ignored with --vimgrep\n"
    );
    assert_eq!(run.stdout(), "corpus/a.txt:1:5:one walrus\n");
    let run = d
        .run(&["query", "--format", "trec", "--color", "always", "walrus"])
        .success();
    assert_eq!(
        run.stderr(),
        "warning: --color always is ignored with --format trec\n"
    );
}

/// A made-up word for `n`, of letters only (`zb`, `zc`, ..., `zbab`, ...).
fn made_up_word(mut n: usize) -> String {
    let mut w = String::from("z");
    loop {
        w.push((b'b' + (n % 24) as u8) as char);
        n /= 24;
        if n == 0 {
            return w;
        }
    }
}

// A pasted text of thousands of words ran for minutes: every word was a clause, and the
// common ones walked their long posting lists once per occurrence. See: issue 12.
#[test]
fn long_pasted_query_finds_its_passage_first_and_warns_past_the_limit() {
    let d = Dir::new();
    // 300 passages, each with 10 words of its own among common ones.
    let passages: Vec<String> = (0..300)
        .map(|i| {
            let own: Vec<String> = (0..10).map(|k| made_up_word(i * 10 + k)).collect();
            format!(
                "The report on {} and the {}.",
                own[..5].join(" "),
                own[5..].join(" ")
            )
        })
        .collect();
    d.create("corpus/notes.txt", passages.join("\n\n"));
    d.ingest(&["-q"]);
    // The whole file pasted, with passage 42 pasted five times more: its words are
    // written six times, so they weigh most.
    let mut query = passages.join("\n\n");
    for _ in 0..5 {
        query.push_str("\n\n");
        query.push_str(&passages[42]);
    }
    assert!(query.split_whitespace().count() > 4_000);
    let run = d.run(&["query", "--json", "-n", "3", &query]).success();
    let hits = run.json_lines();
    assert_eq!(hits[0]["text"].as_str().unwrap(), passages[42], "{run}");
    assert_eq!(hits[0]["passage"], 42, "{run}");
    let stderr = run.stderr();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{run}");
    assert!(
        warnings[0].starts_with("warning: the query has ")
            && warnings[0].contains("more than the 256 a query may use"),
        "{run}"
    );
    // Past the limit, a query that finds nothing still exits 1.
    let absent: Vec<String> = (0..300)
        .map(|i| format!("+{}", made_up_word(5000 + i)))
        .collect();
    let run = d.run(&["query", &absent.join(" ")]).code_is(1);
    assert!(
        run.stderr().contains("warning: the query has 300 distinct"),
        "{run}"
    );
}

#[test]
fn a_repeated_word_weighs_as_often_as_it_is_written() {
    let d = article_index();
    let once = d.query_json(&["-n", "1", "nato"]);
    let thrice = d.query_json(&["-n", "1", "nato NATO Nato"]);
    let (s1, s3) = (
        once[0]["score"].as_f64().unwrap(),
        thrice[0]["score"].as_f64().unwrap(),
    );
    assert_eq!(once[0]["passage"], thrice[0]["passage"]);
    assert!((s3 / s1 - 3.0).abs() < 1e-3, "{s1} x 3 != {s3}");
    // Under the limit: no warning.
    let run = d.run(&["query", "nato nato nato treaty"]).success();
    assert_eq!(run.stderr(), "");
}

/// A git revision pasted from a command is text, not an edit distance over 2: `HEAD~3`
/// is the phrase `head 3`, found where it is written, with no warning.
#[test]
fn a_pasted_git_revision_is_text() {
    let d = Dir::new();
    d.create(
        "notes/git.md",
        "Run git rebase -i HEAD~3 to squash the last three commits.\n\n\
         The head of the list reads three entries.\n\nA lead and a read.\n",
    );
    d.ingest(&["-q", "notes"]);
    let run = d
        .run(&["query", "--json", "--", "git", "rebase", "-i", "HEAD~3"])
        .success();
    assert_eq!(run.stderr(), "", "{run}");
    let hits = run.json_lines();
    assert_eq!(hits[0]["line"], 1, "{run}");
    assert_eq!(
        crate::util::highlight_texts(&hits[0]),
        ["git", "rebase", "i", "HEAD~3"]
    );
    // Fuzzy words within 2 edits keep their syntax.
    let hits = d.query_json(&["lead~1"]);
    assert_eq!(crate::util::highlight_texts(&hits[0]), ["lead", "read"]);
}
