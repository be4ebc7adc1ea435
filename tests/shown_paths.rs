//! Paths shown relative to the folder a query runs in (absolute when the file is not
//! under it), wherever ingest ran; JSON keeps `path` and adds `abs_path`. See: issue 17.

use std::path::{Path, PathBuf};

use crate::util::Dir;

/// `notes/a.md` and `notes/sub/b.txt`, both about kestrels, ingested from the folder
/// above `notes/` into `index/`; `elsewhere/` is an empty sibling folder.
fn kestrels() -> Dir {
    let d = Dir::new();
    d.create("notes/a.md", "# Birds\n\nA kestrel hovers.\n");
    d.create("notes/sub/b.txt", "Intro.\n\nThe kestrel nests.\n");
    std::fs::create_dir(d.path().join("elsewhere")).unwrap();
    d.ingest(&["-q", "notes"]);
    d
}

/// The folder, symbolic links resolved (as the index records it).
fn root(d: &Dir) -> PathBuf {
    std::fs::canonicalize(d.path()).unwrap()
}

/// Runs `passage --index ABS_INDEX ARGS` in `rel` under `d`; asserts exit 0; stdout.
fn run_in(d: &Dir, rel: &str, args: &[&str]) -> String {
    let index = root(d).join("index");
    let mut all = vec!["--index", index.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = d
        .command(&all)
        .current_dir(d.path().join(rel))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "in {rel}: {all:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The `path` of each `path:line...` line (passages here hold no colon), in order.
fn paths(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.split_once(':').map(|(p, _)| p.to_owned()))
        .collect()
}

#[test]
fn vimgrep_paths_open_from_a_folder_below_where_ingest_ran() {
    let d = kestrels();
    let out = run_in(&d, "notes", &["query", "--vimgrep", "kestrel"]);
    let mut got = paths(&out);
    got.sort();
    assert_eq!(got, ["a.md", "sub/b.txt"], "{out}");
    for p in got {
        assert!(d.path().join("notes").join(p).is_file());
    }
}

#[test]
fn vimgrep_and_terminal_paths_are_absolute_outside_the_folder() {
    let d = kestrels();
    let a = root(&d).join("notes/a.md").display().to_string();
    let b = root(&d).join("notes/sub/b.txt").display().to_string();
    let out = run_in(&d, "elsewhere", &["query", "--vimgrep", "kestrel"]);
    let mut got = paths(&out);
    got.sort();
    assert_eq!(got, [a.clone(), b.clone()], "{out}");
    // The column and line are read from the file, found by its absolute path.
    assert!(out.contains(&format!("{a}:3:3:A kestrel hovers.")), "{out}");
    let out = run_in(&d, "elsewhere", &["query", "--color", "never", "kestrel"]);
    let mut got = paths(&out);
    got.sort();
    assert_eq!(got, [a, b], "{out}");
}

#[test]
fn terminal_paths_are_relative_where_ingest_ran() {
    let d = kestrels();
    let out = run_in(&d, ".", &["query", "--color", "never", "hovers"]);
    assert!(out.starts_with("notes/a.md:3 "), "{out}");
}

#[test]
fn json_keeps_path_as_named_and_adds_an_absolute_path_that_exists() {
    let d = kestrels();
    let out = run_in(&d, "elsewhere", &["query", "--json", "hovers"]);
    let hit: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(hit["path"], "notes/a.md");
    let abs = hit["abs_path"].as_str().unwrap();
    assert!(Path::new(abs).is_absolute(), "{abs}");
    assert!(Path::new(abs).is_file(), "{abs}");
    assert_eq!(Path::new(abs), root(&d).join("notes/a.md"));
}

#[test]
fn file_lists_show_paths_from_where_the_query_runs() {
    let d = kestrels();
    let out = run_in(&d, "notes/sub", &["query", "-c", "kestrel"]);
    let a = root(&d).join("notes/a.md").display().to_string();
    eqnice!(format!("{a}:1\nb.txt:1\n"), out);
}

#[test]
fn path_globs_match_the_path_shown_from_where_the_query_runs() {
    let d = kestrels();
    let out = run_in(&d, "notes", &["query", "-l", "--path", "sub/*", "kestrel"]);
    eqnice!("sub/b.txt\n", out);
    let out = run_in(
        &d,
        "notes",
        &[
            "query",
            "--files-without-match",
            "--path",
            "sub/*",
            "hovers",
        ],
    );
    eqnice!("sub/b.txt\n", out);
    let out = run_in(
        &d,
        "elsewhere",
        &["query", "-l", "--path", "*.md", "kestrel"],
    );
    eqnice!(format!("{}\n", root(&d).join("notes/a.md").display()), out);
}

/// Files ingested from two folders: the index records no single folder for its relative
/// paths, and each file's path is still shown right (read from the file list).
#[test]
fn files_ingested_from_two_folders_are_shown_from_anywhere() {
    let d = kestrels();
    d.create("other/c.txt", "A kestrel again.\n");
    // From inside `other/`, with the same index: `c.txt` is relative to `other/`.
    run_in(&d, "other", &["ingest", "-q", "c.txt"]);
    let meta = std::fs::read_to_string(d.path().join("index/meta.json")).unwrap();
    assert!(!meta.contains("paths_relative_to"), "{meta}");
    let out = run_in(&d, ".", &["query", "-l", "kestrel"]);
    assert_eq!(out, "notes/a.md\nnotes/sub/b.txt\nother/c.txt\n");
    let out = run_in(&d, "elsewhere", &["query", "-l", "kestrel"]);
    let abs = |p: &str| root(&d).join(p).display().to_string();
    assert_eq!(
        out,
        format!(
            "{}\n{}\n{}\n",
            abs("notes/a.md"),
            abs("notes/sub/b.txt"),
            abs("other/c.txt")
        )
    );
}

/// Ingested from one folder, the index records it, so queries need no file list.
#[test]
fn one_ingest_folder_is_recorded() {
    let d = kestrels();
    let meta = std::fs::read_to_string(d.path().join("index/meta.json")).unwrap();
    assert!(meta.contains("paths_relative_to"), "{meta}");
    let out = run_in(&d, "notes", &["query", "-l", "kestrel"]);
    assert_eq!(out, "a.md\nsub/b.txt\n");
}
