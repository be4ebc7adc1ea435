//! Replays the saved fuzz inputs as plain tests, without libFuzzer.
//!
//! `corpus/<target>/*` are the seed and saved corpora: every file must pass its target's
//! checks. `regressions/<target>/*` are inputs that once broke an invariant: each must
//! pass the checks strictly, unless its name starts with the id of a bug still listed in
//! [`passage_fuzz::KNOWN_BUGS`], in which case it must still fail (so that the fix of the
//! bug is noticed and the id removed from the list).

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use passage_fuzz::{strict, KNOWN_BUGS, TARGETS};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("read dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `check` on `data`; the panic message when it fails.
fn failure(check: impl FnOnce()) -> Option<String> {
    catch_unwind(AssertUnwindSafe(check)).err().map(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(non-string panic)".into())
    })
}

#[test]
fn corpora_pass_their_checks() {
    let mut failures = Vec::new();
    for (name, check) in TARGETS {
        let inputs = files(&root().join("corpus").join(name));
        assert!(!inputs.is_empty(), "no corpus for target {name}");
        for path in inputs {
            let data = fs::read(&path).unwrap();
            if let Some(msg) = failure(|| check(&data)) {
                failures.push(format!("{}: {msg}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn regressions_pass_strictly_unless_their_bug_is_open() {
    let mut failures = Vec::new();
    let mut seen_bugs = Vec::new();
    for (name, check) in TARGETS {
        for path in files(&root().join("regressions").join(name)) {
            let data = fs::read(&path).unwrap();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let open = KNOWN_BUGS.iter().find(|id| file.starts_with(*id));
            let strict_failure = failure(|| strict(|| check(&data)));
            match (open, strict_failure) {
                (None, None) => {}
                (None, Some(msg)) => failures.push(format!("{}: {msg}", path.display())),
                (Some(id), Some(msg)) => {
                    assert!(
                        msg.contains(&format!("[{id}]")),
                        "{file}: other failure: {msg}"
                    );
                    // Fuzzing tolerates an open bug: the plain check passes.
                    if let Some(msg) = failure(|| check(&data)) {
                        failures.push(format!("{} (tolerant): {msg}", path.display()));
                    }
                    seen_bugs.push(*id);
                }
                (Some(id), None) => failures.push(format!(
                    "{}: bug `{id}` seems fixed: remove it from KNOWN_BUGS in fuzz/src/lib.rs",
                    path.display()
                )),
            }
        }
    }
    for id in KNOWN_BUGS {
        assert!(
            seen_bugs.contains(id),
            "known bug `{id}` has no input under regressions/"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
