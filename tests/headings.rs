//! Headings (issue 13): a match only in a passage's heading weighs less than a match in
//! its text, and a hit shows what matched in its heading (`heading_highlights`, the
//! heading coloured on a terminal, `--vimgrep` on the heading's line).

use serde_json::Value;

use crate::util::Dir;

/// A docs tree like Node's: list items under a "Worker threads" heading, a paragraph
/// about worker threads in another file, and unrelated passages (so that the words are
/// rare, as in real documentation).
fn docs() -> Dir {
    let d = Dir::new();
    d.create(
        "docs/worker_threads.md",
        "# Worker threads\n\n* Extends: {EventEmitter}\n\n* Type: {integer}\n\n\
         Spawning a worker thread costs memory; a pool of worker threads reuses them for \
         many tasks in a long-running server process.\n",
    );
    d.create(
        "docs/cluster.md",
        "# Cluster\n\nClusters of processes can run several instances of a program that \
         share the load among their application threads.\n\nWhen isolation is not needed, \
         use worker threads instead: they run many application threads within one \
         process.\n",
    );
    let filler = [
        "The file system module reads and writes files.",
        "A buffer holds raw bytes outside the heap.",
        "Streams move data in chunks between a source and a sink.",
        "The event loop runs callbacks when their events arrive.",
        "Timers schedule a callback after a delay.",
        "A socket is one end of a network connection.",
        "The path module joins and normalises file paths.",
        "The crypto module hashes, signs and encrypts data.",
        "zlib compresses and decompresses data in memory.",
        "The console prints messages for debugging.",
    ];
    d.create(
        "docs/fs.md",
        format!("# File system\n\n{}\n", filler.join("\n\n")),
    );
    d.ingest(&["-q", "docs"]);
    d
}

fn where_is(hit: &Value) -> String {
    format!("{}:{}", hit["path"].as_str().unwrap(), hit["line"])
}

#[test]
fn passages_matching_in_their_text_rank_above_heading_only_ones() {
    let d = docs();
    let hits = d.query_json(&["worker", "threads"]);
    let got: Vec<String> = hits.iter().map(where_is).collect();
    // Before: the two list items (`* Type: {integer}`, `* Extends: {EventEmitter}`),
    // short and under the heading, ranked first and third.
    assert_eq!(
        got,
        [
            "docs/worker_threads.md:7",
            "docs/cluster.md:5",
            "docs/worker_threads.md:5",
            "docs/worker_threads.md:3",
            "docs/cluster.md:3",
        ]
    );
}

#[test]
fn a_heading_only_match_keeps_half_its_score_and_says_so() {
    let d = docs();
    let plain = d.query_json(&["--path", "docs/worker_threads.md", "-n", "3", "worker"]);
    let explained = d.query_json(&["--explain", "--path", "docs/worker_threads.md", "worker"]);
    let item = explained
        .iter()
        .find(|h| h["line"] == 3)
        .expect("the list item matches through its heading");
    let e = &item["explain"];
    assert_eq!(e["description"], "matched only in the heading, scaled by");
    let inner = e["details"][1]["value"].as_f64().unwrap();
    assert!(
        (e["value"].as_f64().unwrap() - inner * 0.5).abs() < 1e-6,
        "{e}"
    );
    // The paragraph holds the word: no scaling, and it ranks first.
    assert_eq!(where_is(&plain[0]), "docs/worker_threads.md:7");
    assert!(explained[0]["explain"]["description"]
        .as_str()
        .is_some_and(|s| !s.contains("heading")));
}

#[test]
fn a_query_on_the_heading_field_is_not_scaled() {
    let d = docs();
    let hits = d.query_json(&["--explain", "heading:worker"]);
    assert_eq!(hits.len(), 3, "every passage under the heading");
    for h in &hits {
        let desc = h["explain"]["description"].as_str().unwrap();
        assert!(!desc.contains("heading"), "{desc}");
    }
}

#[test]
fn heading_highlights_mark_what_matched_in_the_heading_in_bytes_and_chars() {
    let d = Dir::new();
    d.create(
        "notes.md",
        "# Über die Größe\n\n## Größe der Städte\n\nDie Einwohnerzahl zählt.\n",
    );
    d.ingest(&["-q", "notes.md"]);
    let hits = d.query_json(&["größe", "einwohnerzahl"]);
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!(h["heading"], "Über die Größe > Größe der Städte");
    // "Größe" at bytes 10..17 and 20..27 (Ü, ö and ß are two bytes each), chars 9..14
    // and 17..22.
    assert_eq!(
        h["heading_highlights"],
        serde_json::json!([[10, 17], [20, 27]])
    );
    assert_eq!(
        h["heading_highlights_chars"],
        serde_json::json!([[9, 14], [17, 22]])
    );
    assert_eq!(h["highlights"], serde_json::json!([[4, 17]]));
}

#[test]
fn hits_without_a_heading_have_empty_heading_highlights() {
    let d = Dir::new();
    d.create("plain.txt", "Worker threads run in parallel.\n");
    d.ingest(&["-q", "plain.txt"]);
    let hits = d.query_json(&["worker"]);
    assert_eq!(hits[0]["heading"], Value::Null);
    assert_eq!(hits[0]["heading_highlights"], serde_json::json!([]));
}

#[test]
fn vimgrep_points_at_the_heading_line_when_only_the_heading_matched() {
    let d = docs();
    let run = d
        .run(&[
            "query",
            "--vimgrep",
            "--path",
            "docs/worker_threads.md",
            "worker",
        ])
        .success();
    assert_eq!(
        run.stdout(),
        "docs/worker_threads.md:7:12:Spawning a worker thread costs memory; a pool of worker \
         threads reuses them for many tasks in a long-running server process.\n\
         docs/worker_threads.md:1:3:# Worker threads\n\
         docs/worker_threads.md:1:3:# Worker threads\n"
    );
}

#[test]
fn the_terminal_colours_the_heading_match_as_a_text_match() {
    let d = docs();
    let run = d
        .run(&[
            "query",
            "--color",
            "always",
            "-n",
            "1",
            "--path",
            "docs/fs.md",
            "file",
            "system",
        ])
        .success();
    let out = run.stdout();
    let first = out.lines().next().unwrap();
    let second = out.lines().nth(1).unwrap();
    // The match style is whatever starts "file" in the text line; the heading line
    // starts "File" and "system" with the same style.
    let at = second.find("file").expect("text match");
    let before = &second[..at];
    let plain_end = before.rfind("\u{1b}[0m").map_or(0, |i| i + 4);
    let style = &before[plain_end..];
    let style = &style[style.find('\u{1b}').expect("a style")..];
    assert!(first.contains(&format!("{style}File")), "{first:?}");
    assert!(first.contains(&format!("{style}system")), "{first:?}");
}
