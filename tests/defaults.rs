//! Defaults that cannot surprise: no corpus to fall back on, an index folder that holds
//! something else, one index kept for a notes folder. See: issue 17.

use std::fs;

use crate::util::Dir;

#[test]
fn ingest_without_a_path_and_without_corpus_says_what_to_type() {
    let d = Dir::new();
    let run = d.run(&["ingest"]).code_is(2);
    eqnice!(
        "error: no path given and no corpus/ folder here; name what to index: passage ingest ~/notes\n",
        run.stderr()
    );
    assert!(!d.path().join("index").exists());
}

/// The names in `dir`, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn no_index_is_written_into_a_folder_of_other_files() {
    let d = Dir::with_article();
    d.create("index/index.html", "<p>my page</p>\n");
    d.create("index/notes.txt", "mine\n");
    for args in [&["ingest"][..], &["ingest", "--rebuild"]] {
        let run = d.run(args).code_is(2);
        eqnice!(
            "error: `index` holds files that are not a passage index (`index.html`); \
             no index is read or written there: name another folder with --index\n",
            run.stderr()
        );
        assert_eq!(names(&d.path().join("index")), ["index.html", "notes.txt"]);
    }
    assert!(!d.path().join(".index.rebuild").exists());
    // The current folder is no index either.
    let run = d.run(&["--index", ".", "ingest"]).code_is(2);
    assert!(
        run.stderr()
            .contains("`.` holds files that are not a passage index"),
        "{run}"
    );
    // A missing or empty folder is fine, and so is an index.
    d.ingest(&["-q", "--index", "fresh"]);
    fs::create_dir(d.path().join("empty")).unwrap();
    d.ingest(&["-q", "--index", "empty"]);
    d.ingest(&["-q", "--index", "empty"]);
    d.ingest(&["-q", "--index", "empty", "--rebuild"]);
    assert!(!d.query_json(&["--index", "empty", "NATO"]).is_empty());
}

#[test]
fn one_index_for_a_notes_folder_from_anywhere() {
    let d = Dir::new();
    d.create("notes/a.txt", "The walrus sleeps.\n");
    d.create("elsewhere/x.txt", "unrelated\n");
    let index = d.path().join(".notes-index");
    let run = |dir: &str, args: &[&str]| {
        d.command(args)
            .env("PASSAGE_INDEX", &index)
            .current_dir(d.path().join(dir))
            .output()
            .unwrap()
    };
    assert_eq!(run("notes", &["ingest", "-q", "."]).status.code(), Some(0));
    let out = run("elsewhere", &["query", "--color=never", "walrus"]);
    assert_eq!(out.status.code(), Some(0));
    let abs = fs::canonicalize(d.path()).unwrap().join("notes/a.txt");
    let expected = format!("{}:1\n", abs.display());
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with(&expected),
        "{out:?}"
    );
    assert!(!d.path().join("elsewhere/index").exists());
}
