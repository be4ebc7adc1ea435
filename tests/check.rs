//! `passage check`: every file of the index verified, the indexed files compared with the
//! disk with `--files`; exit 0 sound, 1 stale, 2 damaged. See: issue 16.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

use crate::util::{Dir, Run};

/// A directory whose index `index/` holds the sample article and two small files.
fn indexed() -> Dir {
    let d = Dir::with_article();
    d.create("corpus/a.txt", "alpha walrus\n\nbeta walrus\n");
    d.create("corpus/b.txt", "gamma walrus\n");
    d.ingest(&["-q", "corpus"]);
    d
}

/// The largest index file whose name ends with `ext`.
fn largest(d: &Dir, ext: &str) -> PathBuf {
    let mut files: Vec<(u64, PathBuf)> = fs::read_dir(d.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .map(|p| (fs::metadata(&p).unwrap().len(), p))
        .collect();
    files.sort();
    files.pop().unwrap_or_else(|| panic!("no `{ext}` file")).1
}

/// Flips one bit of `path`'s byte at `at`: the file keeps its length and its footer.
fn flip(path: &std::path::Path, at: usize) {
    let mut bytes = fs::read(path).unwrap();
    bytes[at] ^= 0x10;
    fs::write(path, bytes).unwrap();
}

fn json(run: &Run) -> Value {
    assert_eq!(run.stdout().lines().count(), 1, "not one JSON line{run}");
    serde_json::from_str(run.stdout().trim()).unwrap_or_else(|e| panic!("{e}{run}"))
}

#[test]
fn sound_index_is_ok_and_exits_0() {
    let d = indexed();
    let run = d.run(&["check"]).success();
    let out = run.stdout();
    assert!(out.starts_with("ok: "), "{run}");
    assert!(out.ends_with(" files verified\n"), "{run}");
    assert_eq!(out.lines().count(), 1, "{run}");
    assert_eq!(run.stderr(), "", "{run}");
    let run = d.run(&["check", "--files"]).success();
    assert!(
        run.stdout().ends_with(", 3 indexed files unchanged\n"),
        "{run}"
    );
}

#[test]
fn json_shape() {
    let d = indexed();
    let v = json(&d.run(&["check", "--json"]).success());
    assert_eq!(v["status"], "ok");
    assert_eq!(v["index"], "index");
    assert!(v["segments"].as_u64().unwrap() >= 1, "{v}");
    // Six files per segment (no deletions yet).
    assert_eq!(
        v["files_verified"].as_u64().unwrap(),
        6 * v["segments"].as_u64().unwrap(),
        "{v}"
    );
    assert_eq!(v["damaged"], serde_json::json!([]));
    assert_eq!(v["changed"], serde_json::json!([]));
    assert_eq!(v["missing"], serde_json::json!([]));
    assert_eq!(v["sources_checked"], Value::Null);
    let v = json(&d.run(&["check", "--json", "--files"]).success());
    assert_eq!(v["sources_checked"], 3);
}

#[test]
fn changed_and_deleted_files_are_stale_and_exit_1() {
    let d = indexed();
    // One byte more (a size change, whatever the file system's mtime resolution).
    d.create("corpus/a.txt", "alpha walrus\n\nbeta walrus!\n");
    fs::remove_file(d.path().join("corpus/b.txt")).unwrap();
    // Without --files the index itself is sound.
    d.run(&["check"]).success();
    let run = d.run(&["check", "--files"]).code_is(1);
    eqnice!(
        "changed: corpus/a.txt\nmissing: corpus/b.txt\n",
        run.stdout()
    );
    assert!(run.stderr().contains("run `passage ingest`"), "{run}");
    let v = json(&d.run(&["check", "--files", "--json"]).code_is(1));
    assert_eq!(v["status"], "stale");
    assert_eq!(v["changed"], serde_json::json!(["corpus/a.txt"]));
    assert_eq!(v["missing"], serde_json::json!(["corpus/b.txt"]));
    assert_eq!(v["sources_checked"], 3);
    // An ingest brings it up to date.
    d.ingest(&["-q", "corpus"]);
    d.run(&["check", "--files"]).success();
}

#[test]
fn file_name_with_controls_is_shown_inert() {
    let d = indexed();
    d.create("corpus/esc\x1b[2Jname.txt", "delta walrus\n");
    d.ingest(&["-q", "corpus"]);
    fs::remove_file(d.path().join("corpus/esc\x1b[2Jname.txt")).unwrap();
    let run = d.run(&["check", "--files"]).code_is(1);
    assert!(!run.stdout().contains('\x1b'), "{run}");
    assert!(run.stdout().contains("missing: corpus/esc"), "{run}");
    let v = json(&d.run(&["check", "--files", "--json"]).code_is(1));
    assert_eq!(
        v["missing"],
        serde_json::json!(["corpus/esc\x1b[2Jname.txt"])
    );
}

// A flipped bit inside a file of the right length: the footer is whole, so `query` and
// `stats` open the index; only the checksum pass of `check` sees it.
#[test]
fn flipped_byte_is_caught_only_by_check_and_rebuild_repairs_it() {
    for ext in [".idx", ".term", ".store", ".pos"] {
        let d = indexed();
        let victim = largest(&d, ext);
        let name = victim.file_name().unwrap().to_string_lossy().into_owned();
        flip(&victim, 0);
        d.run(&["stats"]).success();
        let run = d.run(&["check"]).code_is(2);
        eqnice!(
            format!("damaged: `{name}` does not match its checksum\n"),
            run.stdout()
        );
        eqnice!(
            format!(
                "error: index at `index` is damaged (`{name}` does not match its checksum): \
                 run `passage ingest --rebuild`\n"
            ),
            run.stderr()
        );
        let v = json(&d.run(&["check", "--json"]).code_is(2));
        assert_eq!(v["status"], "damaged");
        assert_eq!(
            v["damaged"],
            serde_json::json!([format!("`{name}` does not match its checksum")])
        );
        d.ingest(&["-q", "--rebuild", "corpus"]);
        d.run(&["check", "--files"]).success();
    }
}

#[test]
fn deleted_or_cut_segment_file_is_damage_and_exits_2() {
    for cut in [false, true] {
        let d = indexed();
        let victim = largest(&d, ".pos");
        let name = victim.file_name().unwrap().to_string_lossy().into_owned();
        if cut {
            let bytes = fs::read(&victim).unwrap();
            fs::write(&victim, &bytes[..bytes.len() - 1]).unwrap();
        } else {
            fs::remove_file(&victim).unwrap();
        }
        let run = d.run(&["check", "--files"]).code_is(2);
        assert!(run.stdout().starts_with("damaged: "), "{run}");
        assert!(run.stdout().contains(&name), "{run}");
        assert_eq!(run.stderr().lines().count(), 1, "{run}");
        assert!(
            run.stderr()
                .ends_with("): run `passage ingest --rebuild`\n"),
            "{run}"
        );
        let v = json(&d.run(&["check", "--json"]).code_is(2));
        assert_eq!(v["status"], "damaged");
        assert!(v["damaged"][0].as_str().unwrap().contains(&name), "{v}");
    }
}

#[test]
fn no_index_is_an_error() {
    let d = Dir::new();
    let run = d.run(&["check"]).code_is(2);
    assert_eq!(run.stdout(), "", "{run}");
    assert!(run.stderr().starts_with("error: "), "{run}");
}
