//! Hostile input (issue 6): huge and deeply nested queries, file names that are not UTF-8
//! or hold quotes and newlines, many files, a huge file, index directories that are not
//! an index or are damaged. Each run must end with a defined exit code and a clear
//! message, never a panic or a stack overflow.
//!
//! The heavy variants are `#[ignore]`d; run them with
//! `cargo test --test integration hostile -- --ignored`.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use crate::util::{Dir, Run};

/// Asserts that a run ended by itself with a status of 0, 1 or 2 and did not panic.
fn no_panic(run: &Run) {
    assert!((0..=2).contains(&run.code()), "{run}");
    assert!(!run.stderr().contains("panicked"), "{run}");
    assert!(!run.stderr().contains("overflowed its stack"), "{run}");
}

/// Asserts that a run exited 2 with exactly one line on stderr, and returns that line.
fn one_line_error(run: &Run) -> String {
    no_panic(run);
    assert_eq!(run.code(), 2, "{run}");
    let err = run.stderr();
    assert_eq!(err.lines().count(), 1, "not one line on stderr:{run}");
    assert!(err.starts_with("error: "), "{run}");
    err.trim_end().to_owned()
}

/// Asserts that a run said the index cannot be read and to ingest it anew.
fn suggests_reingest(run: &Run, index: &str) {
    let line = one_line_error(run);
    let prefix = format!("error: index at `{index}` cannot be read (");
    assert!(
        line.starts_with(&prefix) && line.ends_with("): delete it and run `passage ingest` again"),
        "no suggestion to re-ingest:{run}"
    );
}

/// Asserts that a run said the index is damaged and to rebuild it, naming what is wrong;
/// returns the reason.
fn suggests_rebuild(run: &Run, index: &str) -> String {
    let line = one_line_error(run);
    let prefix = format!("error: index at `{index}` is damaged (");
    let suffix = "): run `passage ingest --rebuild`";
    assert!(
        line.starts_with(&prefix) && line.ends_with(suffix),
        "no suggestion to rebuild:{run}"
    );
    line[prefix.len()..line.len() - suffix.len()].to_owned()
}

/// The summary of `passage ingest --json ARGS` (exit 0 asserted).
fn ingest_summary(d: &Dir, args: &[&str]) -> Value {
    let mut all = vec!["ingest", "--json"];
    all.extend_from_slice(args);
    let run = d.run(&all).success();
    serde_json::from_str(run.stdout().trim()).unwrap_or_else(|e| panic!("{e}{run}"))
}

/// `n` deterministic pseudo-random bytes.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// The stdout, stderr and exit code of a command run with non-UTF-8 arguments.
fn show(out: &Output) -> String {
    format!(
        "\nstatus: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A directory whose index `index/` holds the sample article.
fn indexed_article() -> Dir {
    let d = Dir::with_article();
    d.ingest(&["-q"]);
    d
}

/// The files of `index/` whose names end with `ext` (segment files: `.idx`, `.term`, ...).
fn segment_files(d: &Dir, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(d.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no `{ext}` file in the index");
    files
}

// ---- queries ----

// A pasted 100 KB text was refused (the limit was 100 000 characters). See: issue 12.
#[test]
fn query_of_100_kib_runs_and_one_over_a_million_characters_is_refused() {
    let d = indexed_article();
    // Words and spaces, 105 000 characters (about as much as one argument can hold): it
    // runs and finds NATO.
    let words = "nato ".repeat(21_000);
    let run = d.run(&["query", "--json", "-n", "1", &words]);
    no_panic(&run);
    assert_eq!(run.code(), 0, "{run}");
    assert_eq!(run.json_lines().len(), 1);
    // One word of 100 000 characters: runs, finds nothing.
    let word = "a".repeat(100_000);
    let run = d.run(&["query", &word]);
    no_panic(&run);
    assert_eq!(run.code(), 1, "{run}");
    // Past 1 000 000 characters (given through --batch, as no argument can be that
    // long): a clear error naming the position.
    d.create("long.tsv", format!("q1\t{}\n", "nato ".repeat(200_001)));
    let run = d.run(&["query", "--batch", "long.tsv"]);
    no_panic(&run);
    assert_eq!(run.code(), 2, "{run}");
    assert_eq!(
        run.stderr().trim_end(),
        "error: query q1: query error at position 1000001: query is 1000005 characters long; the limit is 1000000"
    );
}

#[test]
fn query_of_10_000_terms() {
    let d = indexed_article();
    let mut q = String::from("nato");
    for i in 1..10_000 {
        q.push_str(&format!(" zq{i}x"));
    }
    // OR: the one word that is in the text is enough.
    let run = d.run(&["query", "--json", "-n", "3", &q]);
    no_panic(&run);
    assert_eq!(run.code(), 0, "{run}");
    let hits = run.json_lines();
    assert_eq!(hits.len(), 3);
    assert!(hits[0]["text"].as_str().unwrap().contains("NATO"));
    // AND: no passage holds all 10 000.
    let run = d.run(&["query", "--json", "--all", &q]);
    no_panic(&run);
    assert_eq!(run.code(), 1, "{run}");
    assert_eq!(run.stdout(), "");
    // Strict: nothing malformed in it.
    let run = d.run(&["query", "--json", "--strict", "-n", "1", &q]);
    no_panic(&run);
    assert_eq!(run.code(), 0, "{run}");
}

#[test]
fn query_of_10_000_nested_parentheses_is_a_clear_error() {
    let d = indexed_article();
    let deep = format!("{}nato{}", "(".repeat(10_000), ")".repeat(10_000));
    let want = "error: query error at position 101: parentheses nested deeper than 100 levels";
    for args in [&["query", &deep][..], &["query", "--strict", &deep][..]] {
        assert_eq!(one_line_error(&d.run(args)), want);
    }
    // Only opening parentheses, and signed groups (`-(-(...`), nest just as deep.
    let open = "(".repeat(10_000);
    assert_eq!(one_line_error(&d.run(&["query", &open])), want);
    let signed = format!("{}nato", "-(".repeat(10_000));
    let run = d.run(&["query", "--", &signed]);
    assert_eq!(
        one_line_error(&run),
        "error: query error at position 201: parentheses nested deeper than 100 levels"
    );
    // 100 levels are fine.
    let ok = format!("{}nato{}", "(".repeat(100), ")".repeat(100));
    let run = d.run(&["query", "--json", "--strict", "-n", "1", &ok]);
    no_panic(&run);
    assert_eq!(run.code(), 0, "{run}");
}

// ---- file names and paths ----

#[test]
fn file_name_that_is_not_utf8() {
    let d = Dir::new();
    fs::create_dir_all(d.path().join("c")).unwrap();
    let name = OsStr::from_bytes(b"c/caf\xe9 \xff.txt");
    fs::write(
        d.path().join(name),
        "alpha words in a file with a Latin-1 name\n",
    )
    .unwrap();
    let s = ingest_summary(&d, &["c"]);
    assert_eq!(
        (s["added"].as_u64(), s["errors"].as_array().map(Vec::len)),
        (Some(1), Some(0))
    );
    let hits = d.query_json(&["alpha"]);
    assert_eq!(hits.len(), 1);
    // The path is shown with the bytes that are not UTF-8 written `\xNN`.
    assert_eq!(hits[0]["path"], "c/caf\\xE9 \\xFF.txt");
    // Nothing changed: the next ingest finds the file unchanged, neither removed nor added.
    let s = ingest_summary(&d, &["c"]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["removed"].as_u64()),
        (Some(1), Some(0))
    );
    // Named on the command line rather than found in a folder.
    let out = d
        .command(&["--index", "idx2", "ingest", "-q"])
        .arg(name)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let run = d
        .run(&["--index", "idx2", "query", "--json", "alpha"])
        .success();
    assert_eq!(run.json_lines()[0]["path"], "c/caf\\xE9 \\xFF.txt");
}

#[test]
fn two_file_names_that_differ_only_in_invalid_bytes_are_both_indexed() {
    let d = Dir::new();
    fs::create_dir_all(d.path().join("c")).unwrap();
    fs::write(
        d.path().join(OsStr::from_bytes(b"c/a\xfe.txt")),
        "alpha one\n",
    )
    .unwrap();
    fs::write(
        d.path().join(OsStr::from_bytes(b"c/a\xff.txt")),
        "alpha two\n",
    )
    .unwrap();
    let run = d.run(&["ingest", "c"]);
    no_panic(&run);
    let hits = d.query_json(&["alpha"]);
    assert_eq!(hits.len(), 2, "one file lost:{run}");
}

#[test]
fn path_with_spaces_quotes_and_a_newline() {
    let d = Dir::new();
    let rel = "c/a \"quoted\" dir/it's a 'file'\nwith a newline.txt";
    d.create(rel, "bravo words\n\nsecond bravo paragraph\n");
    let s = ingest_summary(&d, &["c"]);
    assert_eq!(s["added"], 1);
    let hits = d.query_json(&["bravo"]);
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["path"], rel);
    // JSON escapes the quotes and the newline: each hit is still one line.
    let run = d.run(&["query", "--json", "bravo"]).success();
    assert_eq!(run.stdout().lines().count(), 2, "{run}");
    assert!(run
        .stdout()
        .contains(r#""c/a \"quoted\" dir/it's a 'file'\nwith a newline.txt""#));
    // The terminal output shows the passage.
    let run = d.run(&["query", "--color", "never", "second"]).success();
    assert!(run.stdout().contains("second bravo paragraph"), "{run}");
    // Unchanged on the next run; also when the file itself is named.
    let s = ingest_summary(&d, &["c"]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["added"].as_u64()),
        (Some(1), Some(0))
    );
    let run = d.run(&["--index", "idx2", "ingest", "-q", rel]).success();
    let run2 = d
        .run(&["--index", "idx2", "query", "--json", "second"])
        .success();
    assert_eq!(run2.json_lines()[0]["path"], rel, "{run}");
}

fn many_tiny_files(n: usize) {
    let d = Dir::new();
    for i in 0..n {
        d.create(
            &format!("c/d{:03}/f{i:06}", i / 1000),
            format!("tiny{i} words\n"),
        );
    }
    let s = ingest_summary(&d, &["-q", "c"]);
    assert_eq!(s["added"].as_u64(), Some(n as u64));
    assert_eq!(s["total_passages"].as_u64(), Some(n as u64));
    assert_eq!(s["errors"].as_array().map(Vec::len), Some(0));
    let last = format!("tiny{}", n - 1);
    let hits = d.query_json(&[&last]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["path"],
        format!("c/d{:03}/f{:06}", (n - 1) / 1000, n - 1)
    );
    let hits = d.query_json(&["-n", "100000", "words"]);
    assert_eq!(hits.len(), n);
}

#[test]
fn directory_of_5_000_tiny_files() {
    many_tiny_files(5_000);
}

// 20 to 70 s in a debug build on the 2-core CI machine (creating the 100 000 files is most
// of it), too slow for every run: `cargo test --test integration hostile -- --ignored`.
#[test]
#[ignore = "slow: 100 000 files"]
fn directory_of_100_000_tiny_files() {
    many_tiny_files(100_000);
}

// ---- a huge file ----

/// Writes `rel` as a file of `len` bytes with no newline: words in its first 64 KiB, then
/// a hole (zeros that take no disk space where the file system supports it).
fn sparse_file(d: &Dir, rel: &str, len: u64) -> PathBuf {
    let p = d.create(rel, "hugeword ".repeat(64 * 1024 / 9));
    fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .unwrap()
        .set_len(len)
        .unwrap();
    p
}

#[test]
fn file_of_100_mb_above_max_filesize_is_skipped_with_a_message() {
    let d = Dir::new();
    sparse_file(&d, "c/huge.txt", 100 * 1024 * 1024);
    d.create("c/small.txt", "small words\n");
    let s = ingest_summary(&d, &["--max-filesize", "10M", "c"]);
    assert_eq!(
        (s["added"].as_u64(), s["skipped_too_large"].as_u64()),
        (Some(1), Some(1))
    );
    let run = d.run(&[
        "--index",
        "idx2",
        "ingest",
        "-v",
        "--max-filesize",
        "10M",
        "c",
    ]);
    no_panic(&run);
    assert_eq!(run.code(), 0, "{run}");
    assert!(
        run.stderr().contains(
            "warning: c/huge.txt: skipped, 104857600 bytes is over the size limit of 10485760 \
             bytes (--max-filesize)\n"
        ),
        "{run}"
    );
    assert!(run.stderr().contains("1 too large"), "{run}");
    assert_eq!(d.query_json(&["hugeword"]).len(), 0);
    assert_eq!(d.query_json(&["small"]).len(), 1);
}

#[test]
fn file_over_max_filesize_is_named_without_verbose() {
    let d = Dir::new();
    sparse_file(&d, "c/huge.txt", 100 * 1024 * 1024);
    let run = d.run(&["ingest", "--max-filesize", "10M", "c"]);
    no_panic(&run);
    assert!(run.stderr().contains("c/huge.txt: skipped"), "{run}");
}

// Writes 1 GiB of real text with no newline (about 1 s and 1 GiB of disk).
#[test]
#[ignore = "heavy: writes a 1 GiB file"]
fn gigabyte_file_without_a_newline_is_skipped_by_the_default_limit() {
    use std::io::Write;
    let d = Dir::new();
    let p = d.create("c/giga.txt", "");
    let mut f = std::io::BufWriter::new(fs::File::create(&p).unwrap());
    let chunk = "word ".repeat(1 << 16).into_bytes();
    for _ in 0..(1u64 << 30) / chunk.len() as u64 {
        f.write_all(&chunk).unwrap();
    }
    f.flush().unwrap();
    let run = d.run(&["ingest", "-v", "c"]);
    no_panic(&run);
    assert_eq!(run.code(), 0, "{run}");
    assert!(
        run.stderr().contains(
            "warning: c/giga.txt: skipped, 1073479680 bytes is over the size limit of 67108864 \
             bytes (--max-filesize)"
        ),
        "{run}"
    );
}

// ---- damaged index directories ----

#[test]
fn index_directory_of_random_files_is_not_an_index() {
    let d = Dir::with_article();
    for i in 0..5 {
        d.create(&format!("idx/file{i}.bin"), noise(i, 4096));
    }
    for args in [
        &["--index", "idx", "query", "nato"][..],
        &["--index", "idx", "stats"],
    ] {
        // Not "run ingest", which would refuse the folder: what it holds. See: issue 17.
        assert_eq!(
            one_line_error(&d.run(args)),
            "error: `idx` holds files that are not a passage index (`file0.bin`); no index \
             is read or written there"
        );
    }
    // A random `meta.json` too: an index we cannot read.
    d.create("idx/meta.json", noise(99, 600));
    for args in [
        &["--index", "idx", "query", "nato"][..],
        &["--index", "idx", "stats"],
        &["--index", "idx", "ingest", "corpus"],
    ] {
        suggests_rebuild(&d.run(args), "idx");
    }
}

#[test]
fn truncated_meta_json_suggests_rebuilding() {
    let d = indexed_article();
    let meta = d.path().join("index/meta.json");
    let bytes = fs::read(&meta).unwrap();
    fs::write(&meta, &bytes[..bytes.len() / 2]).unwrap();
    for args in [&["query", "nato"][..], &["stats"], &["ingest", "-q"]] {
        let reason = suggests_rebuild(&d.run(args), "index");
        assert!(reason.contains("meta.json"), "{reason}");
    }
    // Empty: the same.
    fs::write(&meta, "").unwrap();
    suggests_rebuild(&d.run(&["query", "nato"]), "index");
    // Following the advice works.
    d.ingest(&["-q", "--rebuild"]);
    assert!(!d.query_json(&["nato"]).is_empty());
}

#[test]
fn index_of_an_older_format_version_names_both_versions_and_suggests_reingesting() {
    let d = indexed_article();
    let meta = d.path().join("index/meta.json");
    let mut v: Value = serde_json::from_str(&fs::read_to_string(&meta).unwrap()).unwrap();
    // What a format-1 build wrote: format 1 in the payload, and another schema (it had a
    // `line` field where format 2 has `location`).
    let current = format!("\"format\":{}", passage::index::FORMAT_VERSION);
    let payload = v["payload"].as_str().unwrap().to_owned();
    assert!(payload.contains(&current), "{payload}");
    v["payload"] = payload.replace(&current, "\"format\":1").into();
    for field in v["schema"].as_array_mut().unwrap() {
        if field["name"] == "location" {
            field["name"] = "line".into();
        }
    }
    fs::write(&meta, v.to_string()).unwrap();
    for args in [&["query", "nato"][..], &["stats"], &["ingest", "-q"]] {
        let run = d.run(args);
        suggests_reingest(&run, "index");
        let expected = format!(
            "(format version 1, this build reads {})",
            passage::index::FORMAT_VERSION
        );
        assert!(run.stderr().contains(&expected), "{}", run.stderr());
    }
}

fn delete_segment_file(d: &Dir) -> PathBuf {
    let victim = segment_files(d, ".idx").remove(0);
    fs::remove_file(&victim).unwrap();
    victim
}

#[test]
fn deleted_segment_file_suggests_rebuilding() {
    let d = indexed_article();
    delete_segment_file(&d);
    suggests_rebuild(&d.run(&["query", "nato"]), "index");
    suggests_rebuild(&d.run(&["stats"]), "index");
}

#[test]
fn deleted_segment_file_is_an_error_not_a_panic() {
    let d = indexed_article();
    delete_segment_file(&d);
    for args in [&["query", "nato"][..], &["stats"]] {
        let line = one_line_error(&d.run(args));
        assert!(
            line.contains(".idx"),
            "the message names the missing file: {line}"
        );
    }
}

#[test]
fn ingest_over_a_deleted_segment_file_does_not_claim_success() {
    let d = indexed_article();
    delete_segment_file(&d);
    let ingest = d.run(&["ingest"]);
    no_panic(&ingest);
    if ingest.code() == 2 {
        suggests_rebuild(&ingest, "index");
    } else {
        assert_eq!(ingest.code(), 0, "{ingest}");
        let run = d.run(&["query", "nato"]);
        assert_eq!(
            run.code(),
            0,
            "ingest said it succeeded:{ingest}\nbut then:{run}"
        );
    }
}

#[test]
fn truncated_segment_file_suggests_rebuilding() {
    let d = indexed_article();
    for ext in [".term", ".idx"] {
        let victim = segment_files(&d, ext).remove(0);
        let bytes = fs::read(&victim).unwrap();
        fs::write(&victim, &bytes[..bytes.len() / 3]).unwrap();
    }
    suggests_rebuild(&d.run(&["query", "nato"]), "index");
}

#[test]
fn truncated_segment_file_is_an_error_not_a_panic() {
    let d = indexed_article();
    for ext in [".term", ".idx", ".store", ".pos", ".fast", ".fieldnorm"] {
        let victim = segment_files(&d, ext).remove(0);
        fs::write(&victim, &fs::read(&victim).unwrap()[..3]).unwrap();
    }
    let run = d.run(&["query", "nato"]);
    assert_eq!(run.code(), 2, "{run}");
    one_line_error(&run);
}

/// How many of a file's bytes to keep; `None`: remove the file.
type Cut = Option<fn(usize) -> usize>;

/// Damages one index file: removes it, or cuts it to `keep` of its bytes.
fn damage(path: &std::path::Path, cut: Cut) {
    match cut {
        None => fs::remove_file(path).unwrap(),
        Some(keep) => {
            let bytes = fs::read(path).unwrap();
            fs::write(path, &bytes[..keep(bytes.len())]).unwrap();
        }
    }
}

// See: issue 16. A missing `.pos` file passed for healthy: `query` printed Tantivy's
// "Failed to open field ... positions in the composite file" and `ingest` "unchanged".
#[test]
fn every_missing_or_cut_index_file_is_damage_that_rebuild_repairs() {
    let cuts: [(&str, Cut); 4] = [
        ("removed", None),
        ("emptied", Some(|_| 0)),
        ("cut to half", Some(|n| n / 2)),
        ("cut by one byte", Some(|n| n - 1)),
    ];
    for ext in [".idx", ".pos", ".term", ".store", ".fast", ".fieldnorm"] {
        for (how, cut) in cuts {
            let d = indexed_article();
            let victim = segment_files(&d, ext).remove(0);
            damage(&victim, cut);
            let name = victim.file_name().unwrap().to_string_lossy().into_owned();
            for args in [&["query", "nato"][..], &["stats"], &["ingest"]] {
                let reason = suggests_rebuild(&d.run(args), "index");
                assert!(reason.contains(&name), "{ext} {how}: {reason}");
            }
            let run = d.ingest(&["--rebuild"]);
            assert!(run.stderr().contains("added"), "{run}");
            assert!(!d.query_json(&["nato"]).is_empty(), "{ext} {how}");
            d.run(&["ingest", "-q"]).success();
            d.run(&["stats"]).success();
        }
    }
}

#[test]
fn rebuild_keeps_the_stemmer_and_works_without_an_index() {
    let d = Dir::with_article();
    d.ingest(&["-q", "--rebuild", "--stemmer", "none"]);
    damage(&segment_files(&d, ".pos").remove(0), None);
    d.ingest(&["-q", "--rebuild"]);
    let run = d.run(&["stats", "--json"]).success();
    assert!(run.stdout().contains(r#""stemmer":"none""#), "{run}");
    // Nothing is left beside the index.
    let mut names: Vec<String> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["corpus", "index"]);
}

/// A file rewritten while ingest reads it: no panic, a clean exit, and the next ingest
/// (once the file is still) indexes exactly its final content.
#[test]
fn file_that_changes_while_being_read() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let d = Dir::new();
    crate::hay::synthetic_corpus(d.path(), "c/bulk", 100, 20);
    let target = d.path().join("c/moving.txt");
    fs::write(&target, "alpha version\n").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, target) = (stop.clone(), target.clone());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let body = if i.is_multiple_of(2) {
                    "alpha version\n".repeat(1 + (i % 50) as usize)
                } else {
                    "beta version\n\n".repeat(1 + (i % 70) as usize)
                };
                fs::write(&target, body).unwrap();
                i += 1;
            }
        })
    };
    for _ in 0..3 {
        let run = d.run(&["ingest", "-q", "c"]);
        no_panic(&run);
        assert_eq!(run.code(), 0, "{run}");
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    fs::write(&target, "gamma final words\n").unwrap();
    d.run(&["ingest", "-q", "c"]).success();
    assert_eq!(d.query_json(&["gamma"]).len(), 1);
    assert!(d
        .query_json(&["--path", "c/moving.txt", "alpha beta"])
        .is_empty());
}
