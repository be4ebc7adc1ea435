//! The interface for scripts: JSON Lines documents, batch queries, grouping, TREC runs,
//! `eval` and `stats`.

use std::path::PathBuf;

use crate::util::{highlight_texts, Dir};

const DOCS: &str = r#"{"id": "d1", "title": "Wing flutter", "text": "Flutter of a swept wing was measured.\n\nThe wing was rigid at low speed."}
{"_id": "d2", "title": "Heat transfer", "contents": "Heat transfer to a flat plate in hypersonic flow."}
this line is not JSON
{"id": "d3", "title": "Boundary layers only in the title"}
{"id": "d4", "text": "A wing, a wing, another wing: the wing dominates this passage about the wing."}
"#;

fn docs_index() -> Dir {
    let d = Dir::new();
    d.create("docs.jsonl", DOCS);
    let run = d.run(&["ingest", "docs.jsonl"]).code_is(2);
    assert_eq!(
        run.stderr().lines().next().unwrap(),
        // The column is the line's; serde_json's own "line 1" was confusing next to `:3`.
        "error: docs.jsonl:3: not valid JSON at column 2: expected ident; line skipped",
        "{run}"
    );
    d
}

#[test]
fn jsonl_documents_are_split_titled_and_carry_their_id() {
    let d = docs_index();
    let hits = d.query_json(&["rigid"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc_id"], "d1");
    assert_eq!(hits[0]["heading"], "Wing flutter");
    assert_eq!(hits[0]["text"], "The wing was rigid at low speed.");
    assert_eq!(hits[0]["line"], 1);
    assert_eq!(hits[0]["passage"], 1);
    // The title is searchable, and a title-only document is its own passage.
    let hits = d.query_json(&["flutter"]);
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["doc_id"] == "d1"));
    let hits = d.query_json(&["boundary"]);
    assert_eq!(hits[0]["doc_id"], "d3");
    assert_eq!(hits[0]["text"], "Boundary layers only in the title");
    assert_eq!(highlight_texts(&hits[0]), ["Boundary"]);
    assert_eq!(d.query_json(&["hypersonic"])[0]["doc_id"], "d2");
}

#[test]
fn group_by_doc_keeps_the_best_passage_of_each_document() {
    let d = docs_index();
    let hits = d.query_json(&["wing"]);
    assert_eq!(hits.len(), 3); // d1 has two passages about wings, d4 one
    let hits = d.query_json(&["--group-by", "doc", "wing"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["doc_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["d4", "d1"]);
    assert_eq!(hits[1]["rank"], 2);
    let hits = d.query_json(&["--per-doc", "2", "wing"]);
    let ids: Vec<&str> = hits.iter().map(|h| h["doc_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["d4", "d1", "d1"]);
    let ranks: Vec<u64> = hits.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 2]);
}

#[test]
fn batch_queries_carry_qids_and_trec_runs_parse_back() {
    let d = docs_index();
    d.create("queries.tsv", "q1\twing flutter\nq2\txylophone\nheat\n");
    let run = d
        .run(&["query", "--json", "--batch", "queries.tsv"])
        .success();
    let hits = run.json_lines();
    let qids: Vec<&str> = hits.iter().map(|h| h["qid"].as_str().unwrap()).collect();
    assert_eq!(qids, ["q1", "q1", "q1", "3"]);
    let run = d
        .run(&[
            "query",
            "--batch",
            "queries.tsv",
            "--format",
            "trec",
            "--group-by",
            "doc",
            "--tag",
            "t1",
        ])
        .success();
    let lines: Vec<Vec<String>> = run
        .stdout()
        .lines()
        .map(|l| l.split(' ').map(str::to_owned).collect())
        .collect();
    assert_eq!(lines.len(), 3, "{run}");
    for l in &lines {
        assert_eq!(l.len(), 6);
        assert_eq!(l[1], "Q0");
        assert!(l[4].parse::<f64>().unwrap() > 0.0);
        assert_eq!(l[5], "t1");
    }
    let rows: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| (l[0].as_str(), l[2].as_str(), l[3].as_str()))
        .collect();
    assert_eq!(
        rows,
        [("q1", "d1", "1"), ("q1", "d4", "2"), ("3", "d2", "1")]
    );
    // Without grouping the docid names the passage.
    let run = d.run(&["query", "--format", "trec", "rigid"]).success();
    let out = run.stdout();
    eqnice!("d1#1", out.split(' ').nth(2).unwrap());
    // From stdin.
    let mut cmd = d.command(&["query", "--json", "--batch", "-"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"x\trigid\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"qid\":\"x\""));
}

#[test]
fn eval_computes_trec_eval_measures_on_a_hand_made_run() {
    let d = Dir::new();
    d.create(
        "qrels",
        "1 0 a 1\n1 0 b 1\n2 0 c 2\n2 0 d 1\n3 0 e 1\n4 0 z 0\n",
    );
    d.create(
        "run",
        "1 Q0 a 1 3.0 t\n1 Q0 x 2 2.0 t\n1 Q0 b 3 1.0 t\n2 Q0 d 1 5.0 t\n2 Q0 y 2 5.0 t\n2 Q0 c 3 4.0 t\n",
    );
    let run = d
        .run(&[
            "eval",
            "--qrels",
            "qrels",
            "--run",
            "run",
            "--json",
            "--per-query",
        ])
        .success();
    let v: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    let close = |x: &serde_json::Value, y: f64| {
        assert!((x.as_f64().unwrap() - y).abs() < 1e-9, "{x} != {y}")
    };
    let l3 = 3f64.log2();
    close(&v["per_query"]["1"]["MAP"], (1.0 + 2.0 / 3.0) / 2.0);
    close(&v["per_query"]["1"]["nDCG@10"], 1.5 / (1.0 + 1.0 / l3));
    close(
        &v["per_query"]["2"]["nDCG@10"],
        (1.0 / l3 + 1.0) / (2.0 + 1.0 / l3),
    );
    close(&v["per_query"]["2"]["MRR@10"], 0.5);
    close(&v["per_query"]["3"]["P@10"], 0.0);
    close(&v["mean"]["P@10"], 0.4 / 3.0);
    assert_eq!(v["judged_queries"], 3);
    assert_eq!(v["judged_queries_without_results"], 1);
    let run = d
        .run(&["eval", "--qrels", "qrels", "--run", "run"])
        .success();
    assert!(
        run.stdout()
            .contains("3 judged queries, 1 of them without results"),
        "{run}"
    );
    let run = d
        .run(&["eval", "--qrels", "run", "--run", "run"])
        .code_is(2);
    eqnice!(
        "error: run:1: expected `qid iter docid grade`\n",
        run.stderr()
    );
}

#[test]
fn stats_describe_the_index() {
    let d = docs_index();
    let run = d.run(&["stats", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(v["files"], 1);
    assert_eq!(v["passages"], 5);
    assert_eq!(v["stemmer"], "english");
    assert!(v["terms"].as_u64().unwrap() > 10);
    assert!(v["size_bytes"].as_u64().unwrap() > 0);
    d.run(&["stats"]).success();
}

/// Cranfield, end to end: a regression guard just under what is measured (binary qrels;
/// session 8: nDCG@10 0.5246, MAP 0.4302, with the function words of its questions left
/// out and hyphenated words searched as words; 0.5129 / 0.4134 before), not the goal. It
/// stays above the best peer (0.5189 / 0.4220) with a little room for noise.
#[test]
fn cranfield_quality_does_not_regress() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cranfield");
    // CI and every developer have ../shared beside the checkout: a guard that passes
    // silently without its data guards nothing.
    assert!(
        data.join("docs.jsonl").is_file(),
        "the Cranfield collection is missing at {}: the quality guard cannot run",
        data.display()
    );
    let d = Dir::new();
    let docs = data.join("docs.jsonl");
    d.run(&["ingest", "-q", docs.to_str().unwrap()]).success();
    let qrels = data.join("qrels.binary.txt");
    let queries = data.join("queries.tsv");
    let eval = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "--json",
            "--qrels",
            qrels.to_str().unwrap(),
            "--queries",
            queries.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let run = d.run(&args).success();
        let v: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
        assert_eq!(v["judged_queries"], 225);
        let mean = |m: &str| v["mean"][m].as_f64().unwrap();
        (mean("nDCG@10"), mean("MAP"))
    };
    let (ndcg, map) = eval(&[]);
    assert!(ndcg >= 0.522, "nDCG@10 fell to {ndcg}");
    assert!(map >= 0.428, "MAP fell to {map}");
    // Feedback fused with the plain ranking: 0.5375 / 0.4477 (session 8).
    let (ndcg, map) = eval(&["--feedback"]);
    assert!(ndcg >= 0.535, "nDCG@10 with --feedback fell to {ndcg}");
    assert!(map >= 0.445, "MAP with --feedback fell to {map}");
}

#[test]
fn completions_and_man_page() {
    let d = Dir::new();
    let run = d.run(&["completions", "bash"]).success();
    assert!(run.stdout().contains("_passage()"), "{run}");
    let run = d.run(&["man"]).success();
    assert!(run.stdout().starts_with(".ie \\n(.g .ds Aq"), "{run}");
    assert!(run.stdout().contains("passage"));
    // The page named passage-query(1) in SEE ALSO, with the subcommand's options. (Found
    // by a helper trying the tool as a new user: no subcommand page existed.)
    assert!(run.stdout().contains("passage\\-query(1)"), "{run}");
    let run = d.run(&["man", "query"]).success();
    assert!(run.stdout().contains(".TH passage-query 1"), "{run}");
    assert!(run.stdout().contains("vimgrep"), "{run}");
    d.run(&["man", "nosuch"]).code_is(2);
}

/// A word typed twice counts twice in BM25 (query-term frequency, as Lucene and Terrier
/// weigh it); Tantivy's own parser keeps it once.
#[test]
fn repeated_query_words_count_twice() {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "wing wing wing flutter\n\nflutter flutter flutter wing\n",
    );
    d.ingest(&["-q"]);
    let once = d.query_json(&["wing flutter"]);
    assert_eq!(once[0]["score"], once[1]["score"]);
    let twice = d.query_json(&["wing wing flutter"]);
    assert_eq!(twice[0]["line"], 1);
    assert!(twice[0]["score"].as_f64().unwrap() > twice[1]["score"].as_f64().unwrap());
}

// With --per-doc K > 1 the TREC run repeated a document id with one rank per document;
// a run lists each docid once per query, so it lists passages then.
#[test]
fn trec_run_with_several_passages_per_document_lists_passages() {
    let d = docs_index();
    let run = d
        .run(&["query", "--format", "trec", "--per-doc", "2", "wing"])
        .success();
    let rows: Vec<Vec<String>> = run
        .stdout()
        .lines()
        .map(|l| l.split(' ').map(str::to_owned).collect())
        .collect();
    let docs: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(docs, ["d4#4", "d1#0", "d1#1"]); // ordinals count passages in the file
    let ranks: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(ranks, ["1", "2", "3"]);
}

#[test]
fn eval_warns_when_no_run_document_is_judged() {
    let d = Dir::new();
    d.create("qrels.txt", "1 0 d1 1\n");
    d.create("run.txt", "1 Q0 d1#0 1 2.5 x\n");
    let run = d
        .run(&["eval", "--qrels", "qrels.txt", "--run", "run.txt"])
        .success();
    assert!(
        run.stderr()
            .contains("warning: no document id of the run appears in the qrels"),
        "{run}"
    );
    d.create("run.txt", "1 Q0 d1 1 2.5 x\n");
    let run = d
        .run(&["eval", "--qrels", "qrels.txt", "--run", "run.txt"])
        .success();
    assert!(run.stderr().is_empty(), "{run}");
}

// `passage man | head -1` printed "error: <stdout>: Broken pipe" and exited 2.
#[test]
fn man_and_completions_end_quietly_on_a_closed_pipe() {
    let d = Dir::new();
    for args in [&["man"][..], &["completions", "bash"][..]] {
        let mut child = d
            .command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before the output is written
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn per_doc_zero_is_refused() {
    let d = docs_index();
    let run = d.run(&["query", "--per-doc", "0", "wing"]).code_is(2);
    assert!(run.stderr().contains("--per-doc"), "{run}");
}

// --vimgrep counted the newlines inside a JSON Lines document's text as file lines, and
// columns inside the text as columns of the file line.
#[test]
fn vimgrep_points_at_the_json_lines_document_line() {
    let d = Dir::new();
    d.create(
        "docs.jsonl",
        "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"title\": \"T\", \"text\": \"first line\\nthen the walrus\"}\n",
    );
    d.ingest(&["-q", "docs.jsonl"]);
    let run = d.run(&["query", "--vimgrep", "walrus"]).success();
    assert_eq!(run.stdout(), "docs.jsonl:2:1:first line\n");
}

// A bad JSON Lines line was reported by the first ingest only; the next one, finding the
// file unchanged, exited 0.
#[test]
fn a_bad_json_lines_line_is_reported_until_fixed() {
    let d = docs_index(); // reports line 3 once
    let run = d.run(&["ingest", "docs.jsonl"]).code_is(2);
    assert!(
        run.stderr().contains("docs.jsonl:3: not valid JSON"),
        "{run}"
    );
    assert_eq!(d.query_json(&["rigid"]).len(), 1);
    d.create("docs.jsonl", DOCS.replace("this line is not JSON\n", ""));
    d.run(&["ingest", "docs.jsonl"]).success();
    d.run(&["ingest", "docs.jsonl"]).success();
    assert_eq!(d.query_json(&["rigid"]).len(), 1);
}

// `--per-doc 0` said "0 is not in 1..18446744073709551615", and `--threads 0` was taken.
// (Found by a helper trying the tool as a new user.)
#[test]
fn zero_counts_are_refused_plainly() {
    let d = Dir::new();
    let run = d.run(&["query", "--per-doc", "0", "x"]).code_is(2);
    assert!(
        run.stderr()
            .contains("`0` is not a whole number of at least 1"),
        "{run}"
    );
    let run = d.run(&["ingest", "--threads", "0"]).code_is(2);
    assert!(
        run.stderr()
            .contains("`0` is not a whole number of at least 1"),
        "{run}"
    );
    d.create("corpus/a.txt", "one walrus\n");
    let run = d.ingest(&[]);
    assert!(
        run.stderr()
            .contains(", 1 passage in the index (1 written, 0 deleted)"),
        "{run}"
    );
}

// `stats` printed the last ingest time as Unix seconds only. (Found by a helper trying
// the tool as a new user.)
#[test]
fn stats_prints_the_last_ingest_as_a_date() {
    let d = Dir::new();
    d.create("corpus/a.txt", "one walrus\n");
    d.ingest(&["-q"]);
    let run = d.run(&["stats"]).success();
    let line = run
        .stdout()
        .lines()
        .find(|l| l.starts_with("last ingest:"))
        .unwrap()
        .to_owned();
    let date = line.split_whitespace().nth(2).unwrap();
    assert!(
        date.len() == 20 && date.starts_with("20") && date.ends_with('Z') && &date[10..11] == "T",
        "{line}"
    );
    assert!(line.ends_with(" Unix seconds)"), "{line}");
}

/// `passage stats | true` and `passage ingest --json | true` exited 2 with "Broken
/// pipe"; a closed pipe ends quietly, as ripgrep does. See: issue 18.
#[test]
fn a_closed_pipe_ends_quietly_on_every_command() {
    let d = Dir::with_article();
    d.ingest(&["-q"]);
    let bin = env!("CARGO_BIN_EXE_passage");
    for args in [
        "stats",
        "stats --json",
        "ingest --json",
        "query nato",
        "query --json nato",
        "eval --json --qrels q.txt --run r.txt",
        "man",
        "completions bash",
    ] {
        d.create("q.txt", "1 0 doc 1\n");
        d.create("r.txt", "1 Q0 doc 1 1.0 run\n");
        // The reader closes its end at once, so that the first write meets a closed pipe.
        let script = format!("set -o pipefail; \"$0\" {args} | {{ exec 0<&-; sleep 0.3; }}");
        let out = std::process::Command::new("bash")
            .args(["-c", &script, bin])
            .current_dir(d.path())
            .env_remove("PASSAGE_INDEX")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args}: {stderr}");
        assert_eq!(stderr, "", "{args}");
    }
}
