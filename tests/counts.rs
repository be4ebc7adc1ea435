//! Counting and listing as ripgrep does: `query -c`, `-l`, `--files-without-match`,
//! `--stats`. See: issue 17.

use crate::util::Dir;

/// Three files: `a.txt` with 3 passages about otters (of 4), `b/b.md` with 1 (of 2),
/// `c.txt` with none, and 12 more files with one otter passage each (15 matching
/// passages in 14 files in all).
fn otters() -> Dir {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "Otters hold hands.\n\nSea otters eat urchins.\n\nA raft of otters.\n\nNo match here.\n",
    );
    d.create(
        "corpus/b/b.md",
        "# Notes\n\nAn otter swims.\n\nNothing else.\n",
    );
    d.create("corpus/c.txt", "Badgers dig.\n");
    for i in 0..12 {
        d.create(&format!("corpus/more/m{i:02}.txt"), "One otter.\n");
    }
    d.ingest(&["--quiet"]);
    d
}

#[test]
fn count_prints_matching_passages_per_file_in_path_order() {
    let d = otters();
    let run = d.run(&["query", "-c", "-n", "1", "otter"]).success();
    let mut expected = String::from("corpus/a.txt:3\ncorpus/b/b.md:1\n");
    for i in 0..12 {
        expected.push_str(&format!("corpus/more/m{i:02}.txt:1\n"));
    }
    eqnice!(expected, run.stdout());
}

#[test]
fn files_with_matches_lists_every_matching_file_whatever_the_limit() {
    let d = otters();
    let run = d.run(&["query", "-l", "-n", "2", "otter"]).success();
    let lines: Vec<String> = run.stdout().lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 14, "{run}");
    assert_eq!(lines[..2], ["corpus/a.txt", "corpus/b/b.md"], "{run}");
}

#[test]
fn files_without_match_lists_indexed_files_with_no_matching_passage() {
    let d = otters();
    let run = d
        .run(&["query", "--files-without-match", "otter"])
        .success();
    eqnice!("corpus/c.txt\n", run.stdout());
    // Every file matches: nothing to print, exit 1.
    let run = d.run(&["query", "--files-without-match", "otter", "OR", "badgers"]);
    eqnice!("", run.code_is(1).stdout());
}

#[test]
fn counts_respect_path_filters() {
    let d = otters();
    let run = d
        .run(&["query", "-c", "--path", "*.md", "--path", "a.txt", "otter"])
        .success();
    eqnice!("corpus/a.txt:3\ncorpus/b/b.md:1\n", run.stdout());
    let run = d
        .run(&[
            "query",
            "--files-without-match",
            "--path",
            "!corpus/more/",
            "otter",
        ])
        .success();
    eqnice!("corpus/c.txt\n", run.stdout());
}

#[test]
fn count_with_no_match_exits_1() {
    let d = otters();
    let run = d.run(&["query", "-c", "walrus"]).code_is(1);
    eqnice!("", run.stdout());
}

#[test]
fn stats_gives_the_total_on_stderr_in_text_mode() {
    let d = otters();
    let run = d
        .run(&["query", "--stats", "-n", "10", "--color", "never", "otter"])
        .success();
    assert!(
        run.stderr()
            .contains("10 of 16 matching passages shown, in 14 files"),
        "{run}"
    );
    // Without --stats, no total.
    let run = d.run(&["query", "-n", "10", "otter"]).success();
    assert!(!run.stderr().contains("matching passage"), "{run}");
}

#[test]
fn stats_with_json_adds_one_summary_line_last() {
    let d = otters();
    let lines = d.query_json(&["--stats", "-n", "4", "otter"]);
    assert_eq!(lines.len(), 5);
    assert!(lines[..4]
        .iter()
        .all(|h| h.get("type").is_none() && h["rank"].is_u64()));
    let summary = &lines[4];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["total"], 16);
    assert_eq!(summary["files"], 14);
    assert_eq!(summary["shown"], 4);
    // Without --stats the contract is unchanged: hits only.
    let lines = d.query_json(&["-n", "4", "otter"]);
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|h| h.get("type").is_none()));
}

#[test]
fn stats_totals_respect_path_filters() {
    let d = otters();
    let lines = d.query_json(&["--stats", "--path", "corpus/more/*", "-n", "1", "otter"]);
    let summary = lines.last().unwrap();
    assert_eq!(summary["total"], 12);
    assert_eq!(summary["files"], 12);
    assert_eq!(summary["shown"], 1);
}

#[test]
fn lists_refuse_output_formats_they_have_no_place_for() {
    let d = otters();
    d.run(&["query", "-c", "--json", "otter"]).code_is(2);
    d.run(&["query", "-c", "-l", "otter"]).code_is(2);
}

/// Runs `passage ARGS` in `d` under a pseudo-terminal (util-linux `script`), stdout and
/// stderr together.
fn on_terminal(d: &Dir, args: &str) -> String {
    let cmd = format!("'{}' {args}", env!("CARGO_BIN_EXE_passage"));
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .current_dir(d.path())
        .env_remove("PASSAGE_INDEX")
        .env("TERM", "dumb")
        .output()
        .expect("util-linux `script` runs the binary on a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_terminal_is_told_when_the_limit_cut_the_list() {
    let d = otters();
    let out = on_terminal(&d, "query -n 2 otter");
    assert!(
        out.contains("2 of 16 matching passages shown, in 14 files"),
        "{out}"
    );
    // Everything shown: nothing to tell.
    let out = on_terminal(&d, "query -n 50 otter");
    assert!(!out.contains("matching passage"), "{out}");
}

/// A `--path` glob that no indexed file matches is named, in counting and listing modes
/// too (found by a helper trying the tool as a new user: `-l` said nothing).
#[test]
fn a_path_glob_that_matches_nothing_is_named_when_counting() {
    let d = Dir::new();
    d.create("corpus/a.txt", "warranty\n");
    d.ingest(&["-q"]);
    for mode in ["-l", "-c", "--files-without-match"] {
        let run = d
            .run(&["query", mode, "--path", "nope/*", "warranty"])
            .code_is(1);
        assert_eq!(
            run.stderr(),
            "warning: no indexed file matches --path `nope/*`\n",
            "{mode}{run}"
        );
    }
}
