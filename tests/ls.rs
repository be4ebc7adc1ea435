//! `passage ls [--json]`: the files an index holds. See: issue 17.

use crate::util::Dir;

/// `corpus/a.txt` (2 passages, 26 bytes), `corpus/latin.txt` (windows-1252, 1 passage)
/// and an empty `corpus/sub/empty.txt` (no passage).
fn small() -> Dir {
    let d = Dir::new();
    d.create("corpus/a.txt", "First passage.\n\nSecond.\n\n");
    d.create("corpus/latin.txt", b"caf\xe9 au lait\n".as_slice());
    d.create("corpus/sub/empty.txt", "");
    d.ingest(&["-q"]);
    d
}

#[test]
fn ls_json_lists_every_indexed_file_with_its_record() {
    let d = small();
    let files = d.run(&["ls", "--json"]).success().json_lines();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        ["corpus/a.txt", "corpus/latin.txt", "corpus/sub/empty.txt"]
    );
    assert_eq!(files[0]["passages"], 2);
    assert_eq!(files[0]["bytes"], 25);
    assert_eq!(files[0]["encoding"], "UTF-8");
    assert_eq!(files[1]["passages"], 1);
    assert_eq!(files[1]["encoding"], "windows-1252");
    assert_eq!(files[2]["passages"], 0);
    assert!(files[2]["encoding"].is_null());
    let root = std::fs::canonicalize(d.path()).unwrap();
    assert_eq!(
        files[0]["abs_path"].as_str().unwrap(),
        root.join("corpus/a.txt").to_str().unwrap()
    );
    assert!(files[0]["modified"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn ls_shows_paths_from_the_current_folder() {
    let d = small();
    let index = d.path().join("index");
    let out = d
        .command(&["--index", index.to_str().unwrap(), "ls"])
        .current_dir(d.path().join("corpus"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert_eq!(rows[0][0], "2");
    assert_eq!(rows[0][1], "25");
    assert_eq!(rows[0][3], "UTF-8");
    assert_eq!(rows[0][4], "a.txt");
    assert_eq!(rows[1][3], "windows-1252");
    assert_eq!(rows[2][3], "-");
    assert_eq!(rows[2][4], "sub/empty.txt");
}

#[test]
fn ls_of_a_missing_index_is_an_error() {
    let d = Dir::new();
    d.run(&["ls"]).code_is(2);
}

#[test]
fn ls_roots_names_each_root_and_which_are_gone() {
    let d = Dir::new();
    d.create("notes/a.txt", "walrus\n");
    d.create("docs/b.txt", "narwhal\n");
    d.ingest(&["-q", "notes", "docs"]);
    std::fs::rename(d.path().join("notes"), d.path().join("notes-old")).unwrap();
    let root = std::fs::canonicalize(d.path()).unwrap();
    let (docs, notes) = (root.join("docs"), root.join("notes"));
    let run = d.run(&["ls", "--roots"]).success();
    eqnice!(
        format!("{}\n{}  (gone)\n", docs.display(), notes.display()),
        run.stdout()
    );
    let json = d.run(&["ls", "--roots", "--json"]).success().json_lines();
    assert_eq!(json[1]["root"].as_str(), notes.to_str());
    assert_eq!(
        (json[0]["exists"].as_bool(), json[1]["exists"].as_bool()),
        (Some(true), Some(false))
    );
    // `ingest --prune` drops the gone root and its files.
    d.ingest(&["-q", "--prune", "notes-old"]);
    let run = d.run(&["ls", "--roots"]).success();
    eqnice!(
        format!("{}\n{}\n", docs.display(), root.join("notes-old").display()),
        run.stdout()
    );
}
