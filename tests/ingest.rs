//! `passage ingest`: passages, re-ingest, bad input.

use serde_json::Value;

use crate::util::{lines, Dir};

fn summary(d: &Dir, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let run = d.ingest(&all);
    serde_json::from_str(run.stdout().trim()).unwrap()
}

/// [`summary`] of an ingest run in `folder` (relative to `d`).
fn summary_in(d: &Dir, folder: &str, args: &[&str]) -> Value {
    let mut all = vec!["ingest", "--json"];
    all.extend_from_slice(args);
    let out = d
        .command(&all)
        .current_dir(d.path().join(folder))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_article_gives_18_passages_and_reingest_keeps_18() {
    let d = Dir::with_article();
    let s = summary(&d, &[]);
    assert_eq!(
        (s["added"].as_u64(), s["total_passages"].as_u64()),
        (Some(1), Some(18))
    );
    let s = summary(&d, &[]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["total_passages"].as_u64()),
        (Some(1), Some(18))
    );
    // No duplicates: the phrase still matches exactly two passages.
    assert_eq!(d.query_json(&["\"phone call\""]).len(), 2);
    // The `![]() |` line (line 6) is no passage: ordinal 5 is line 7.
    let hits = d.query_json(&["Elmendorf"]);
    assert_eq!(lines(&hits), [7, 8]);
    assert_eq!(hits[0]["passage"], 5);
}

#[test]
fn summary_line_on_stderr_nothing_on_stdout() {
    let d = Dir::with_article();
    let run = d.ingest(&[]);
    eqnice!("", run.stdout());
    let err = run.stderr();
    assert!(
        err.starts_with("ingested 1 file (1 added, 0 updated, 0 unchanged, 0 removed), 18 passages in the index (18 written, 0 deleted), 0.0 MB read in "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let run = d.ingest(&["-q"]);
    eqnice!("", run.stderr());
}

#[test]
fn touched_but_unchanged_file_is_not_reindexed() {
    let d = Dir::with_article();
    summary(&d, &[]);
    let p = d.path().join(crate::hay::ARTICLE);
    let bytes = std::fs::read(&p).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&p, &bytes).unwrap();
    let s = summary(&d, &[]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["passages"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn edit_delete_and_add_files_then_reingest() {
    let d = Dir::new();
    d.create("notes/a.txt", "alpha one\n\nalpha two\n");
    d.create("notes/b.txt", "beta\n");
    let s = summary(&d, &["notes"]);
    assert_eq!(s["total_passages"], 3);
    d.create("notes/a.txt", "alpha changed\n");
    std::fs::remove_file(d.path().join("notes/b.txt")).unwrap();
    d.create("notes/sub/c.md", "gamma\n");
    let s = summary(&d, &["notes"]);
    assert_eq!(
        (
            s["added"].as_u64(),
            s["updated"].as_u64(),
            s["removed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(s["total_passages"], 2);
    assert!(d.query_json(&["beta"]).is_empty());
    let hits = d.query_json(&["alpha"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["text"], "alpha changed");
    assert_eq!(d.query_json(&["gamma"])[0]["path"], "notes/sub/c.md");
}

#[test]
fn other_roots_are_untouched() {
    let d = Dir::new();
    d.create("one/a.txt", "apple\n");
    d.create("two/b.txt", "banana\n");
    summary(&d, &["one"]);
    let s = summary(&d, &["two"]);
    assert_eq!(s["total_passages"], 2);
    assert_eq!(d.query_json(&["apple"]).len(), 1);
}

#[test]
fn missing_path_and_empty_directory_are_errors() {
    let d = Dir::new();
    let run = d.run(&["ingest", "nosuch"]).code_is(2);
    eqnice!("error: nosuch: no such file or directory\n", run.stderr());
    assert!(!d.path().join("index").exists());
    std::fs::create_dir(d.path().join("empty")).unwrap();
    let run = d.run(&["ingest", "empty"]).code_is(2);
    assert!(
        run.stderr().starts_with("error: empty: no files found"),
        "{run}"
    );
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let d = Dir::new();
    d.create("c/data", b"\x00\x01\x02binary");
    d.create("c/text", "plain words\n");
    let s = summary(&d, &["c"]);
    assert_eq!(
        (s["skipped_binary"].as_u64(), s["added"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn latin1_and_utf16_files_are_decoded() {
    let d = Dir::new();
    d.create(
        "c/latin1.txt",
        b"Le caf\xE9 est tr\xE8s bon, d\xE9j\xE0 vu.\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Ein Stra\u{DF}enfest in M\u{FC}nchen.\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    d.create("c/utf16.txt", utf16);
    let run = d.run(&["ingest", "-v", "c"]).success();
    assert!(
        run.stderr().contains(
            "note: c/latin1.txt: decoded from windows-1252; byte offsets refer to the UTF-8 text"
        ),
        "{run}"
    );
    assert!(
        run.stderr()
            .contains("note: c/utf16.txt: decoded from UTF-16LE"),
        "{run}"
    );
    let hits = d.query_json(&["cafe"]);
    assert_eq!(crate::util::highlight_texts(&hits[0]), ["café"]);
    assert_eq!(hits[0]["encoding"], "windows-1252");
    let hits = d.query_json(&["münchen"]);
    assert_eq!(crate::util::highlight_texts(&hits[0]), ["München"]);
    assert_eq!(hits[0]["encoding"], "UTF-16LE");
}

#[test]
fn crlf_gives_the_same_lines_as_lf() {
    let d = Dir::new();
    d.create("lf/a.txt", crate::hay::SHERLOCK);
    d.create("crlf/a.txt", crate::hay::SHERLOCK.replace('\n', "\r\n"));
    summary(&d, &["lf", "crlf"]);
    let hits = d.query_json(&["confession"]);
    assert_eq!(hits.len(), 2);
    assert_eq!(lines(&hits), [9, 9]);
    assert_eq!(hits[0]["end_line"], hits[1]["end_line"]);
}

#[test]
fn empty_and_whitespace_only_files_give_no_passages() {
    let d = Dir::new();
    d.create("c/empty.txt", "");
    d.create("c/blank.txt", " \n\t\n");
    let s = summary(&d, &["c"]);
    assert_eq!(
        (s["added"].as_u64(), s["total_passages"].as_u64()),
        (Some(2), Some(0))
    );
}

#[test]
fn hard_wrapped_text_without_blank_lines_is_one_passage() {
    let d = Dir::new();
    d.create(
        "c/abstract",
        "experimental investigation of the aerodynamics of a\nwing in a slipstream . an experimental study of a wing\nin a propeller slipstream was made in order to determine\nthe spanwise distribution of the lift increase\n",
    );
    let s = summary(&d, &["c"]);
    assert_eq!(s["total_passages"], 1);
    // A short abstract whose lines mostly end sentences (CISI document 1163) was cut at
    // every line; two of its five lines run on into lower case.
    d.create(
        "c/abstract",
        "It is suggested that the thesaurus be considered a hierarchical system for\nclassifying factors.\nThe problem of automatic construction of thesaurus is posed.\nA formal description \"input\" and \"output\" of this problem is given; a series\nof classificational concepts is formulated.\n",
    );
    let s = summary(&d, &["c"]);
    assert_eq!(s["total_passages"], 1);
}

const MARKDOWN: &str = "---\ntitle: Front matter is skipped\n---\n# Guide\n\nIntro paragraph\nspans two lines.\n\n## Install\n\n- first item\n- second item\n  - nested\n\n```sh\ncargo install passage\n```\n\n> quoted words\n\n| a | b |\n|---|---|\n| cell one | cell two |\n\n# Other\n\nLast paragraph.\n";

#[test]
fn markdown_structure_gives_exact_passages_and_headings() {
    let d = Dir::new();
    d.create("docs/guide.md", MARKDOWN);
    let s = summary(&d, &["docs"]);
    assert_eq!(s["total_passages"], 7);
    let run = d.run(&[
        "query",
        "--json",
        "-n",
        "20",
        "--all",
        "--path",
        "docs/guide.md",
        "-C",
        "0",
        "guide OR other",
    ]);
    let hits = run.json_lines();
    let mut got: Vec<(u64, String, String)> = hits
        .iter()
        .map(|h| {
            (
                h["line"].as_u64().unwrap(),
                h["text"].as_str().unwrap().to_owned(),
                h["heading"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(u64, String, String)> = [
        (6, "Intro paragraph\nspans two lines.", "Guide"),
        (11, "- first item", "Guide > Install"),
        (12, "- second item\n  - nested", "Guide > Install"),
        (15, "```sh\ncargo install passage\n```", "Guide > Install"),
        (19, "> quoted words", "Guide > Install"),
        (23, "| cell one | cell two |", "Guide > Install"),
        (27, "Last paragraph.", "Other"),
    ]
    .iter()
    .map(|(l, t, h)| (*l, t.to_string(), h.to_string()))
    .collect();
    assert_eq!(got, want);
    // Headings are searchable (`heading:` only in headings); front matter is not indexed.
    let hits = d.query_json(&["heading:install"]);
    assert_eq!(hits.len(), 5);
    assert!(d.query_json(&["front"]).is_empty());
    // Byte ranges slice the file.
    for h in &hits {
        let (s, e) = (
            h["byte_start"].as_u64().unwrap() as usize,
            h["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&MARKDOWN[s..e], h["text"].as_str().unwrap());
    }
}

#[test]
fn ignored_files_are_skipped_and_lose_their_passages_once_ignored() {
    let d = Dir::new();
    d.create("notes/keep.txt", "kept words\n");
    d.create("notes/drafts/secret.txt", "secret words\n");
    summary(&d, &["notes"]);
    assert_eq!(d.query_json(&["secret"]).len(), 1);
    d.create("notes/.gitignore", "drafts/\n");
    let s = summary(&d, &["notes"]);
    assert_eq!(
        (s["removed"].as_u64(), s["total_passages"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(d.query_json(&["secret"]).is_empty());
    let s = summary(&d, &["--no-ignore", "notes"]);
    assert_eq!(s["added"], 1);
    // Hidden files are skipped unless --hidden.
    d.create("notes/.hidden.txt", "hidden words\n");
    summary(&d, &["notes"]);
    assert!(d.query_json(&["hidden"]).is_empty());
    summary(&d, &["--hidden", "notes"]);
    assert_eq!(d.query_json(&["hidden"]).len(), 1);
}

#[test]
fn globs_include_and_exclude() {
    let d = Dir::new();
    d.create("c/a.md", "alpha\n");
    d.create("c/b.txt", "beta\n");
    d.create("c/sub/c.md", "gamma\n");
    let s = summary(&d, &["-g", "*.md", "-g", "!**/sub/**", "c"]);
    assert_eq!(s["total_passages"], 1);
    assert_eq!(d.query_json(&["alpha"]).len(), 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_skipped() {
    let d = Dir::new();
    d.create("c/a.txt", "looped words\n");
    std::os::unix::fs::symlink("..", d.path().join("c/loop")).unwrap();
    let run = d.run(&["ingest", "-L", "c"]).code_is(2);
    assert!(run.stderr().contains("symlink loop"), "{run}");
    assert_eq!(d.query_json(&["looped"]).len(), 1);
}

#[test]
fn oversized_files_are_skipped_with_a_message() {
    let d = Dir::new();
    d.create("c/big.txt", "word ".repeat(3000));
    d.create("c/small.txt", "small words\n");
    let run = d
        .run(&["ingest", "--json", "--max-filesize", "10K", "c"])
        .success();
    let s: Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(
        (s["skipped_too_large"].as_u64(), s["added"].as_u64()),
        (Some(1), Some(1))
    );
    let run = d
        .run(&["ingest", "-v", "--max-filesize", "10K", "c"])
        .success();
    assert!(
        run.stderr()
            .contains("c/big.txt: skipped, 15000 bytes is over the size limit of 10240 bytes"),
        "{run}"
    );
    let run = d.run(&["ingest", "--max-filesize", "ten", "c"]).code_is(2);
    eqnice!(
        "error: invalid size `ten` (use e.g. 1000, 64K, 10M, 1G)\n",
        run.stderr()
    );
}

/// A long line with no newline is cut into passages of at most --max-passage-chars.
#[test]
fn single_line_file_is_split_and_indexed() {
    let d = Dir::new();
    let sentence = "The quick brown fox jumps over the lazy dog near the river bank. ";
    d.create("c/one-line.txt", sentence.repeat(5_000)); // 325 KB, no newline
    let s = summary(&d, &["--max-passage-chars", "1000", "c"]);
    let n = s["total_passages"].as_u64().unwrap();
    assert_eq!(n, 334); // 15 sentences of 65 characters per passage: 5000 / 15, rounded up
    let hits = d.query_json(&["-n", "1", "fox"]);
    assert_eq!(hits[0]["line"], 1);
    assert!(hits[0]["text"].as_str().unwrap().chars().count() <= 1000);
}

/// The 50 MB variant of the test above (slow in debug builds):
/// `cargo test --release -- --ignored fifty_megabyte`.
#[test]
#[ignore = "50 MB: run with --release -- --ignored"]
fn fifty_megabyte_single_line_file_is_split_and_indexed() {
    let d = Dir::new();
    let sentence = "The quick brown fox jumps over the lazy dog near the river bank. ";
    d.create(
        "c/one-line.txt",
        sentence.repeat(50_000_000 / sentence.len()),
    );
    let s = summary(&d, &["c"]);
    assert!(s["total_passages"].as_u64().unwrap() > 20_000);
    assert_eq!(d.query_json(&["-n", "3", "fox"]).len(), 3);
}

// `ingest corpus`, then `ingest ./corpus` indexed every file twice (every hit printed
// twice): keys are paths without `.` components now.
#[test]
fn one_root_spelled_three_ways_is_indexed_once() {
    let d = Dir::new();
    d.create("corpus/a.txt", "the walrus\n");
    for root in ["corpus", "./corpus", "corpus/", "./corpus/./"] {
        d.ingest(&["-q", root]);
        let hits = d.query_json(&["walrus"]);
        assert_eq!(hits.len(), 1, "after `ingest {root}`");
        assert_eq!(hits[0]["path"], "corpus/a.txt");
    }
    let run = d.run(&["stats", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(v["files"], 1);
}

// Re-ingesting with other splitting options left unchanged files as they were, silently.
#[test]
fn other_split_options_re_split_unchanged_files() {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "One sentence about walruses. Another sentence about seals. A third about gulls.\n",
    );
    let count = |d: &Dir| d.query_json(&["-n", "50", "about"]).len();
    d.ingest(&["-q"]);
    assert_eq!(count(&d), 1);
    let run = d.ingest(&["--json", "--max-passage-chars", "40"]);
    let v: Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(v["updated"], 1, "{run}");
    assert_eq!(count(&d), 3);
    let run = d.ingest(&["--json", "--max-passage-chars", "40"]);
    let v: Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(v["unchanged"], 1, "{run}");
    d.ingest(&["-q"]);
    assert_eq!(count(&d), 1);
}

// `ingest .` run from another folder removed the files indexed from the first one: keys
// were paths relative to whatever folder ingest ran in. (Found by a helper trying the
// tool as a new user.)
#[test]
fn ingest_dot_from_another_folder_keeps_other_roots() {
    let d = Dir::new();
    d.create("a/notes/n.txt", "alpha walrus\n");
    d.create("b/o.txt", "beta walrus\n");
    let index = d.path().join("idx");
    let index = index.to_str().unwrap();
    let ingest_in = |folder: &str, root: &str| summary_in(&d, folder, &["--index", index, root]);
    ingest_in("a", "notes");
    let v = ingest_in("b", ".");
    assert_eq!(
        (v["added"].as_u64(), v["removed"].as_u64()),
        (Some(1), Some(0))
    );
    let mut paths: Vec<String> = d
        .query_json(&["--index", index, "walrus"])
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    assert_eq!(paths, ["notes/n.txt", "o.txt"]);
    // Each file again from its own folder: nothing changes.
    let v = ingest_in("b", ".");
    assert_eq!(
        (v["unchanged"].as_u64(), v["removed"].as_u64()),
        (Some(1), Some(0))
    );
    let v = ingest_in("a", "notes");
    assert_eq!(
        (v["unchanged"].as_u64(), v["removed"].as_u64()),
        (Some(1), Some(0))
    );
}

// `ingest notes`, then `ingest $PWD/notes`, indexed every file twice.
#[test]
fn a_root_spelled_absolute_is_the_same_root() {
    let d = Dir::new();
    d.create("notes/sub/x.txt", "the walrus\n");
    d.ingest(&["-q", "notes"]);
    let absolute = d.path().join("notes");
    let v = summary(&d, &[absolute.to_str().unwrap()]);
    assert_eq!(
        (v["unchanged"].as_u64(), v["added"].as_u64()),
        (Some(1), Some(0)),
        "{v}"
    );
    d.ingest(&["-q", "notes/sub/../sub"]);
    let hits = d.query_json(&["walrus"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["path"], "notes/sub/x.txt");
}

// Manifests of older versions: plain JSON, keys relative to the folder ingest ran in, no
// `path` in the records. They are still read, and their files count as unchanged.
#[test]
fn an_older_plain_manifest_with_relative_keys_is_read() {
    let d = Dir::new();
    d.create("corpus/a.txt", "one walrus\n");
    d.create("corpus/sub/b.txt", "two walruses\n");
    d.ingest(&["-q"]);
    let index = d.path().join("index");
    let manifest = std::fs::read_dir(&index)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("passage-manifest-"))
        .unwrap();
    let json = zstd::decode_all(&std::fs::read(&manifest).unwrap()[..]).unwrap();
    let v: Value = serde_json::from_slice(&json).unwrap();
    let cwd = format!("{}/", d.path().canonicalize().unwrap().display());
    let mut files = serde_json::Map::new();
    for (key, rec) in v["files"].as_object().unwrap() {
        let mut rec = rec.clone();
        rec.as_object_mut().unwrap().remove("path");
        let key = key
            .strip_prefix(&cwd)
            .or_else(|| key.strip_prefix(&format!("{}/", d.path().display())))
            .unwrap_or_else(|| panic!("{key} not under {cwd}"));
        files.insert(key.to_owned(), rec);
    }
    std::fs::write(&manifest, serde_json::json!({ "files": files }).to_string()).unwrap();
    let v = summary(&d, &[]);
    assert_eq!(
        (v["unchanged"].as_u64(), v["added"].as_u64()),
        (Some(2), Some(0)),
        "{v}"
    );
    assert_eq!(d.query_json(&["walrus"]).len(), 2);
    // The manifest is rewritten with absolute keys (found in a review: it was not, so
    // every later run took the keys relative to whatever folder it ran in).
    let rewritten = std::fs::read_dir(&index)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("passage-manifest-"))
        .any(|p| {
            std::fs::read(p)
                .unwrap()
                .starts_with(&[0x28, 0xB5, 0x2F, 0xFD])
        });
    assert!(rewritten);
}

// A folder reached through a symbolic link, named both ways, is one root; and a root
// with `..` after a link (`link/..`) is the link target's parent, not a folder of the
// current one. Keys were resolved on paper and went wrong both ways. (Found in a review.)
#[cfg(unix)]
#[test]
fn roots_through_symbolic_links_are_resolved_on_disk() {
    let d = Dir::new();
    d.create("real/notes/n.txt", "alpha walrus\n");
    d.create("docs/x.txt", "gamma walrus\n");
    d.create("data/sub/y.txt", "delta walrus\n");
    std::os::unix::fs::symlink(d.path().join("real"), d.path().join("link")).unwrap();
    std::os::unix::fs::symlink(d.path().join("data/sub"), d.path().join("sub-link")).unwrap();
    let index = d.path().join("idx");
    let index = index.to_str().unwrap();
    let ingest = |folder: &str, root: &str| summary_in(&d, folder, &["--index", index, root]);
    ingest("link", "notes");
    let through_link = d.path().join("link/notes");
    let v = ingest("link", through_link.to_str().unwrap());
    assert_eq!(
        (v["unchanged"].as_u64(), v["added"].as_u64()),
        (Some(1), Some(0))
    );
    ingest(".", "docs");
    let v = ingest(".", "sub-link/..");
    assert_eq!(
        (v["added"].as_u64(), v["removed"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(d.query_json(&["--index", index, "walrus"]).len(), 3);
}

// A file that grew past --max-filesize kept its passages, and was indexed twice once it
// shrank back. (Found in a review.)
#[test]
fn a_file_grown_too_large_loses_its_passages() {
    let d = Dir::new();
    d.create("corpus/a.txt", "one walrus\n");
    d.ingest(&["-q"]);
    d.create("corpus/a.txt", format!("one walrus {}\n", "x".repeat(2000)));
    let v = summary(&d, &["--max-filesize", "1K"]);
    assert_eq!(v["removed"], 1, "{v}");
    assert!(d.query_json(&["walrus"]).is_empty());
    d.create("corpus/a.txt", "one walrus\n");
    d.ingest(&["-q"]);
    assert_eq!(d.query_json(&["walrus"]).len(), 1);
}

// After appending one line to one file the summary said "(79 new)": it counted every
// passage of the changed file as new. It now says how many passages were written and
// how many deleted. See: issue 17.
#[test]
fn summary_counts_passages_written_and_deleted() {
    let d = Dir::new();
    d.create(
        "corpus/a.txt",
        "One walrus.\n\nTwo walrus.\n\nThree walrus.\n",
    );
    d.create("corpus/b.txt", "Unrelated.\n");
    let run = d.ingest(&[]);
    assert!(
        run.stderr().starts_with(
            "ingested 2 files (2 added, 0 updated, 0 unchanged, 0 removed), 4 passages in the index (4 written, 0 deleted), "
        ),
        "{run}"
    );
    let p = d.path().join("corpus/a.txt");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("\nFour walrus.\n");
    std::fs::write(&p, text).unwrap();
    let run = d.ingest(&[]);
    assert!(
        run.stderr().starts_with(
            "ingested 2 files (0 added, 1 updated, 1 unchanged, 0 removed), 5 passages in the index (4 written, 3 deleted), "
        ),
        "{run}"
    );
    let run = d.run(&["ingest", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["passages"], 0);
    assert_eq!(v["passages_deleted"], 0);
    std::fs::remove_file(&p).unwrap();
    let run = d.run(&["ingest", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["removed"], 1);
    assert_eq!(v["passages"], 0);
    assert_eq!(v["passages_deleted"], 4);
    assert_eq!(v["total_passages"], 1);
}
