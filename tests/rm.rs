//! `passage rm PATH...` and `passage ingest --prune`: taking files out of the index, on
//! renamed, deleted and re-added folders. See: issue 17.

use std::fs;

use serde_json::Value;

use crate::util::Dir;

/// `notes/a.txt` (2 passages), `notes/sub/b.txt` (3 passages) and `other/c.txt`
/// (1 passage), all ingested.
fn notes() -> Dir {
    let d = Dir::new();
    d.create("notes/a.txt", "Alpha walrus.\n\nAlpha two.\n");
    d.create(
        "notes/sub/b.txt",
        "Beta one.\n\nBeta two.\n\nBeta walrus.\n",
    );
    d.create("other/c.txt", "Gamma walrus.\n");
    d.ingest(&["-q", "notes", "other"]);
    d
}

/// The paths `passage ls --json` lists, in order.
fn listed(d: &Dir) -> Vec<String> {
    let files = d.run(&["ls", "--json"]).success().json_lines();
    files
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect()
}

/// The passages `passage stats --json` counts.
fn passages(d: &Dir) -> u64 {
    let run = d.run(&["stats", "--json"]).success();
    let v: Value = serde_json::from_str(&run.stdout()).unwrap();
    v["passages"].as_u64().unwrap()
}

#[test]
fn rm_a_folder_removes_every_file_under_it() {
    let d = notes();
    let run = d.run(&["rm", "notes/sub"]).success();
    eqnice!("", run.stdout());
    eqnice!("removed 1 file (3 passages)\n", run.stderr());
    assert_eq!(listed(&d), ["notes/a.txt", "other/c.txt"]);
    assert_eq!(passages(&d), 3);
    assert!(d.query_json(&["beta"]).is_empty());
}

#[test]
fn rm_a_file_and_a_folder_in_one_commit() {
    let d = notes();
    let run = d.run(&["rm", "other/c.txt", "notes/"]).success();
    eqnice!("removed 3 files (6 passages)\n", run.stderr());
    assert!(listed(&d).is_empty());
    assert_eq!(passages(&d), 0);
    // Added again as new files.
    let run = d.ingest(&["notes"]);
    assert!(
        run.stderr().starts_with("ingested 2 files (2 added,"),
        "{run}"
    );
}

#[test]
fn rm_a_folder_gone_from_disk() {
    let d = notes();
    fs::remove_dir_all(d.path().join("notes")).unwrap();
    let run = d.run(&["rm", "notes"]).success();
    eqnice!("removed 2 files (5 passages)\n", run.stderr());
    assert_eq!(listed(&d), ["other/c.txt"]);
}

#[test]
fn a_rename_is_rm_and_ingest() {
    let d = notes();
    fs::rename(d.path().join("notes"), d.path().join("notes-old")).unwrap();
    d.ingest(&["-q", "notes-old"]);
    // Both copies are indexed until the old one is removed.
    assert_eq!(d.query_json(&["walrus"]).len(), 5);
    let run = d.run(&["rm", "notes"]).success();
    eqnice!("removed 2 files (5 passages)\n", run.stderr());
    assert_eq!(
        listed(&d),
        ["notes-old/a.txt", "notes-old/sub/b.txt", "other/c.txt"]
    );
    assert_eq!(d.query_json(&["walrus"]).len(), 3);
}

#[test]
fn rm_paths_are_relative_to_the_current_folder() {
    let d = notes();
    let index = d.path().join("index");
    let out = d
        .command(&["--index", index.to_str().unwrap(), "rm", "sub", "../other"])
        .current_dir(d.path().join("notes"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "removed 2 files (4 passages)\n"
    );
    assert_eq!(listed(&d), ["notes/a.txt"]);
    let abs = d.path().join("notes/a.txt");
    d.run(&["rm", abs.to_str().unwrap()]).success();
    assert!(listed(&d).is_empty());
}

#[test]
fn rm_does_not_take_a_folder_for_a_prefix_of_a_name() {
    let d = notes();
    d.create("notes-old/x.txt", "Delta.\n");
    d.ingest(&["-q", "notes-old"]);
    d.run(&["rm", "notes"]).success();
    assert_eq!(listed(&d), ["notes-old/x.txt", "other/c.txt"]);
}

#[test]
fn rm_of_a_path_not_indexed_removes_nothing() {
    let d = notes();
    let run = d.run(&["rm", "notes/a.txt", "nope"]).code_is(2);
    eqnice!("", run.stdout());
    eqnice!(
        "error: not in the index: `nope`; nothing was removed (--ignore-unmatch removes the rest)\n",
        run.stderr()
    );
    assert_eq!(listed(&d).len(), 3);
    // A file that exists but was never ingested is not in the index either.
    d.create("notes/new.txt", "New.\n");
    d.run(&["rm", "notes/new.txt"]).code_is(2);
    let run = d
        .run(&["rm", "--ignore-unmatch", "notes/a.txt", "nope"])
        .success();
    eqnice!("removed 1 file (2 passages)\n", run.stderr());
    assert_eq!(listed(&d), ["notes/sub/b.txt", "other/c.txt"]);
    let run = d.run(&["rm", "--ignore-unmatch", "nope"]).success();
    eqnice!("removed 0 files (0 passages)\n", run.stderr());
}

#[test]
fn rm_dry_run_lists_what_would_go() {
    let d = notes();
    let run = d.run(&["rm", "-n", "notes"]).success();
    eqnice!("notes/a.txt\nnotes/sub/b.txt\n", run.stdout());
    eqnice!("would remove 2 files (5 passages)\n", run.stderr());
    assert_eq!(listed(&d).len(), 3);
    let run = d
        .run(&["rm", "--dry-run", "--json", "notes/a.txt"])
        .success();
    let v: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["removed"], 1);
    assert_eq!(listed(&d).len(), 3);
}

#[test]
fn rm_json_is_one_object() {
    let d = notes();
    let run = d.run(&["rm", "--json", "notes"]).success();
    eqnice!("", run.stderr());
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1, "{run}");
    let v = &lines[0];
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["removed"], 2);
    assert_eq!(v["passages"], 5);
    assert_eq!(v["total_passages"], 1);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["notes/a.txt", "notes/sub/b.txt"]);
    assert_eq!(v["files"][1]["passages"], 3);
    assert_eq!(v["unmatched"], Value::Array(vec![]));
}

#[test]
fn rm_without_an_index_is_an_error() {
    let d = Dir::new();
    d.run(&["rm", "notes"]).code_is(2);
    assert!(!d.path().join("index").exists());
}

#[test]
fn prune_removes_the_files_of_a_renamed_folder() {
    let d = notes();
    fs::rename(d.path().join("notes"), d.path().join("notes-old")).unwrap();
    let run = d.ingest(&["--prune", "notes-old"]);
    let err = run.stderr();
    assert!(
        err.starts_with(
            "ingested 2 files (2 added, 0 updated, 0 unchanged, 0 removed, 2 pruned), 6 passages in the index (5 written, 5 deleted),"
        ),
        "{run}"
    );
    assert_eq!(
        listed(&d),
        ["notes-old/a.txt", "notes-old/sub/b.txt", "other/c.txt"]
    );
}

#[test]
fn prune_removes_a_deleted_root_and_keeps_the_others() {
    let d = notes();
    fs::remove_dir_all(d.path().join("other")).unwrap();
    let run = d.run(&["ingest", "--prune", "--json", "notes"]).success();
    let v: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["pruned"], 1);
    assert_eq!(v["unchanged"], 2);
    assert_eq!(v["total_passages"], 5);
    assert_eq!(listed(&d), ["notes/a.txt", "notes/sub/b.txt"]);
}

#[test]
fn prune_keeps_files_whose_root_still_exists() {
    let d = notes();
    // `other` is still there, so `other/c.txt` is kept until `other` is ingested again.
    fs::remove_file(d.path().join("other/c.txt")).unwrap();
    d.create("other/d.txt", "Delta.\n");
    let run = d.run(&["ingest", "--prune", "--json", "notes"]).success();
    let v: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["pruned"], 0);
    assert_eq!(listed(&d).len(), 3);
    d.ingest(&["-q", "other"]);
    assert_eq!(
        listed(&d),
        ["notes/a.txt", "notes/sub/b.txt", "other/d.txt"]
    );
}

#[test]
fn prune_removes_a_file_root_gone_and_a_root_named_inside_another() {
    let d = notes();
    d.create("single.txt", "Single walrus.\n");
    d.ingest(&["-q", "single.txt"]);
    d.ingest(&["-q", "notes/sub"]);
    fs::remove_file(d.path().join("single.txt")).unwrap();
    fs::rename(d.path().join("notes/sub"), d.path().join("sub2")).unwrap();
    let run = d.run(&["ingest", "--prune", "--json", "other"]).success();
    let v: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["pruned"], 2, "{run}");
    assert_eq!(listed(&d), ["notes/a.txt", "other/c.txt"]);
}

#[test]
fn without_prune_a_renamed_folder_stays_and_re_adding_it_restores_it() {
    let d = notes();
    fs::rename(d.path().join("notes"), d.path().join("gone")).unwrap();
    let run = d.ingest(&["other"]);
    assert!(!run.stderr().contains("pruned"), "{run}");
    assert_eq!(listed(&d).len(), 3);
    d.ingest(&["-q", "--prune", "other"]);
    assert_eq!(listed(&d), ["other/c.txt"]);
    fs::rename(d.path().join("gone"), d.path().join("notes")).unwrap();
    let run = d.ingest(&["notes"]);
    assert!(
        run.stderr().starts_with("ingested 2 files (2 added,"),
        "{run}"
    );
    assert_eq!(passages(&d), 6);
}
