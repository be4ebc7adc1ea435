//! `query --path` takes the glob language of `ingest -g`. See: issue 12.

use crate::util::Dir;

/// A folder with `man/`, `docs/` and a Pod file, every passage about walruses, indexed
/// with the roots named relative (`man`, `docs`, `notes.pod`) or, with `absolute`, as
/// absolute paths.
fn walrus_index(absolute: bool) -> Dir {
    let d = Dir::new();
    for rel in [
        "man/inode.7.txt",
        "man/sub/deep.txt",
        "man/perlfunc.pod",
        "docs/a.md",
        "notes.pod",
    ] {
        d.create(rel, format!("A walrus in {rel}.\n"));
    }
    let roots: Vec<String> = ["man", "docs", "notes.pod"]
        .iter()
        .map(|r| {
            if absolute {
                d.path().join(r).display().to_string()
            } else {
                r.to_string()
            }
        })
        .collect();
    let mut args: Vec<&str> = roots.iter().map(String::as_str).collect();
    args.push("--quiet");
    d.ingest(&args);
    d
}

/// The paths of the hits of `walrus` under these `--path` globs, relative to the folder,
/// sorted.
fn found(d: &Dir, globs: &[&str]) -> Vec<String> {
    let mut args = vec!["-n", "50"];
    for g in globs {
        args.extend(["--path", g]);
    }
    args.push("walrus");
    let prefix = format!("{}/", d.path().display());
    let mut paths: Vec<String> = d
        .query_json(&args)
        .iter()
        .map(|h| {
            let p = h["path"].as_str().unwrap();
            p.strip_prefix(&prefix).unwrap_or(p).to_owned()
        })
        .collect();
    paths.sort();
    paths
}

// All three exited 1 without a word: the globs were matched as globset patterns against
// the whole stored path.
#[test]
fn path_globs_follow_gitignore_rules_like_ingest_g() {
    for absolute in [false, true] {
        let d = walrus_index(absolute);
        // A slash anchors the glob; `*` stays within one folder.
        assert_eq!(
            found(&d, &["man/*"]),
            ["man/inode.7.txt", "man/perlfunc.pod"],
            "absolute: {absolute}"
        );
        // No slash: the file name, in any folder.
        assert_eq!(found(&d, &["inode.7.txt"]), ["man/inode.7.txt"]);
        assert_eq!(found(&d, &["*.pod"]), ["man/perlfunc.pod", "notes.pod"]);
        // Only excludes: everything else.
        assert_eq!(
            found(&d, &["!*.pod"]),
            ["docs/a.md", "man/inode.7.txt", "man/sub/deep.txt"]
        );
        // An include and an exclude: what the include takes and the exclude does not.
        assert_eq!(
            found(&d, &["man/**", "!*.pod"]),
            ["man/inode.7.txt", "man/sub/deep.txt"]
        );
        assert_eq!(
            found(&d, &["docs/*", "inode.7.txt"]),
            ["docs/a.md", "man/inode.7.txt"]
        );
        // An excluded folder excludes its files.
        assert_eq!(found(&d, &["!man/sub/"]).len(), 4);
    }
}

#[test]
fn a_path_filter_no_indexed_file_matches_is_a_warning_and_exit_1() {
    let d = walrus_index(false);
    let run = d
        .run(&["query", "--path", "nothing/*", "--path", "*.rs", "walrus"])
        .code_is(1);
    assert!(
        run.stderr()
            .contains("warning: no indexed file matches --path `nothing/*` `*.rs`"),
        "{run}"
    );
    // Files match but no passage does: no such warning.
    let run = d.run(&["query", "--path", "*.md", "unicorn"]).code_is(1);
    assert!(!run.stderr().contains("--path"), "{run}");
}

#[test]
fn an_invalid_path_glob_is_an_error_naming_it() {
    let d = walrus_index(false);
    let run = d.run(&["query", "--path", "a[b", "walrus"]).code_is(2);
    let err = run.stderr();
    assert_eq!(err.lines().count(), 1, "{run}");
    assert!(err.contains("`a[b`"), "{run}");
}

#[test]
fn an_absolute_glob_matches_files_inside_and_outside_the_current_folder() {
    let d = walrus_index(false);
    let root = std::fs::canonicalize(d.path()).unwrap();
    let glob = format!("{}/man/*.txt", root.display());
    let lines = |run: crate::util::Run| -> Vec<String> {
        let mut v: Vec<String> = run.stdout().lines().map(str::to_owned).collect();
        v.sort();
        v
    };
    // From the folder the files are in: paths shown relative.
    let run = d.run(&["query", "-l", "--path", &glob, "walrus"]).success();
    assert_eq!(lines(run), ["man/inode.7.txt"]);
    // From elsewhere (paths shown absolute), and excluded with `!`.
    d.create("elsewhere/.keep", "");
    let index = root.join("index");
    let out = d
        .command(&[
            "--index",
            index.to_str().unwrap(),
            "query",
            "-l",
            "--path",
            &glob,
            "walrus",
        ])
        .current_dir(root.join("elsewhere"))
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        shown,
        format!("{}\n", root.join("man/inode.7.txt").display())
    );
    let not = format!("!{}/man/**", root.display());
    let run = d.run(&["query", "-l", "--path", &not, "walrus"]).success();
    assert_eq!(lines(run), ["docs/a.md", "notes.pod"]);
}
