//! `passage ingest --watch`: each change on disk seen by the next queries, and a clean
//! end on SIGTERM. See: issue 15.
#![cfg(unix)]

use std::fs;
use std::time::{Duration, Instant};

use crate::util::{Background, Dir};

/// How long a change may take to show (the debounce is 300 ms; CI machines are slow).
const PATIENCE: Duration = Duration::from_secs(10);

/// The paths of the passages that match `word` in the index `index`, or the error (no
/// index yet, before the first commit).
fn paths_of(d: &Dir, index: &str, word: &str) -> Vec<String> {
    let run = d.run(&["--index", index, "query", "--json", word]);
    if run.code() == 2 {
        return vec![format!("error: {}", run.stderr().trim())];
    }
    run.json_lines()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits until `word` is found in exactly `paths` (none: gone), or fails after PATIENCE.
fn wait_for(d: &Dir, w: &mut Background, index: &str, word: &str, paths: &[&str]) {
    let start = Instant::now();
    loop {
        let found = paths_of(d, index, word);
        if found == paths {
            return;
        }
        w.assert_running();
        assert!(
            start.elapsed() < PATIENCE,
            "`{word}`: found in {found:?}, not {paths:?}, after {PATIENCE:?}\n{}",
            w.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The number of runs the watch reported (one summary line each).
fn runs(w: &Background) -> usize {
    w.stderr()
        .lines()
        .filter(|l| l.starts_with("ingested "))
        .count()
}

/// Ends the watch with SIGTERM: it exits 0 within a few seconds, and the index is sound
/// and holds what is on disk.
fn stop_and_check(d: &Dir, w: &mut Background, index: &str) {
    let code = w.terminate(Duration::from_secs(5));
    assert_eq!(code, 0, "{}", w.stderr());
    d.run(&["--index", index, "check", "--files"]).success();
}

#[test]
fn edits_adds_deletes_and_renames_are_seen() {
    let d = Dir::new();
    d.create("notes/a.txt", "alpha walrus\n");
    d.create("notes/b.txt", "bravo walrus\n");
    // The index lies inside the watched folder, not hidden: its own writes must not
    // start the next run.
    let idx = "notes/idx";
    let mut w = d.spawn(&["--index", idx, "ingest", "--watch", "notes"]);
    wait_for(&d, &mut w, idx, "alpha", &["notes/a.txt"]);

    d.create("notes/a.txt", "amber walrus\n");
    wait_for(&d, &mut w, idx, "amber", &["notes/a.txt"]);
    wait_for(&d, &mut w, idx, "alpha", &[]);

    d.create("notes/c.txt", "cobalt walrus\n");
    wait_for(&d, &mut w, idx, "cobalt", &["notes/c.txt"]);

    fs::remove_file(d.path().join("notes/b.txt")).unwrap();
    wait_for(&d, &mut w, idx, "bravo", &[]);

    fs::rename(d.path().join("notes/c.txt"), d.path().join("notes/d.txt")).unwrap();
    wait_for(&d, &mut w, idx, "cobalt", &["notes/d.txt"]);

    // An editor's save: a temporary file, renamed over the old one.
    d.create("notes/.a.txt.swp", "azure walrus\n");
    fs::rename(
        d.path().join("notes/.a.txt.swp"),
        d.path().join("notes/a.txt"),
    )
    .unwrap();
    wait_for(&d, &mut w, idx, "azure", &["notes/a.txt"]);
    wait_for(&d, &mut w, idx, "amber", &[]);

    d.create("notes/sub/deep/e.txt", "delta walrus\n");
    wait_for(&d, &mut w, idx, "delta", &["notes/sub/deep/e.txt"]);

    // Quiet now: no run starts another (the index's writes, the ingest's reads). (The
    // last run prints its line just after its commit is seen.)
    std::thread::sleep(Duration::from_millis(500));
    let settled = runs(&w);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(runs(&w), settled, "{}", w.stderr());
    stop_and_check(&d, &mut w, idx);
}

#[test]
fn a_root_removed_and_created_again_is_watched_again() {
    let d = Dir::new();
    d.create("notes/a.txt", "alpha walrus\n");
    d.create("other/o.txt", "oscar walrus\n");
    let idx = "index";
    let mut w = d.spawn(&["ingest", "--watch", "notes", "other"]);
    wait_for(&d, &mut w, idx, "alpha", &["notes/a.txt"]);

    fs::remove_dir_all(d.path().join("notes")).unwrap();
    // Gone: its passages stay, the other root is still watched.
    d.create("other/p.txt", "papa walrus\n");
    wait_for(&d, &mut w, idx, "papa", &["other/p.txt"]);
    wait_for(&d, &mut w, idx, "alpha", &["notes/a.txt"]);
    assert!(w.stderr().contains("notes: gone"), "{}", w.stderr());

    d.create("notes/b.txt", "bravo walrus\n");
    wait_for(&d, &mut w, idx, "bravo", &["notes/b.txt"]);
    wait_for(&d, &mut w, idx, "alpha", &[]);
    // And watched: a change in the new folder is seen.
    d.create("notes/b.txt", "bingo walrus\n");
    wait_for(&d, &mut w, idx, "bingo", &["notes/b.txt"]);
    stop_and_check(&d, &mut w, idx);
}

#[test]
fn a_missing_root_fails_at_once() {
    let d = Dir::new();
    let run = d.run(&["ingest", "--watch", "nowhere"]).code_is(2);
    assert!(run.stderr().contains("nowhere"), "{run}");
}

#[test]
fn sigterm_during_the_first_ingest_lets_it_commit() {
    let d = Dir::new();
    let passages = crate::hay::synthetic_corpus(d.path(), "c", 400, 50);
    let mut w = d.spawn(&["ingest", "--watch", "c"]);
    // Once the writer lock is taken, the run is under way.
    let lock = d.path().join("index/.tantivy-writer.lock");
    let start = Instant::now();
    while !lock.exists() && start.elapsed() < PATIENCE {
        w.assert_running();
        std::thread::sleep(Duration::from_millis(5));
    }
    let code = w.terminate(Duration::from_secs(60));
    assert_eq!(code, 0, "{}", w.stderr());
    // The run ended with its commit: every passage is in, and nothing else ran.
    assert_eq!(runs(&w), 1, "{}", w.stderr());
    let stats = d.run(&["stats", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(stats.stdout().trim()).unwrap();
    assert_eq!(v["passages"].as_u64(), Some(passages as u64));
    d.run(&["check", "--files"]).success();
}
