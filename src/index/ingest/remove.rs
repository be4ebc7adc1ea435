//! Remove: taking files and folders out of the index by the paths the user names, whether
//! or not they still exist on disk, in one commit (as ingest writes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::keys::{file_key, path_key};
use super::plan::{Plan, Step};
use super::write::{open_writer, Roots, Write};
use crate::error::{Error, Result};
use crate::index::{FileRecord, Manifest, PassageIndex};

/// Settings of a removal.
#[derive(Debug, Clone, Default)]
pub struct RemoveOptions {
    /// Only report what would be removed; the index is not written (nor locked). By
    /// default false.
    pub dry_run: bool,
    /// A path that matches no indexed file is listed in [`RemoveReport::unmatched`]
    /// instead of failing the removal. By default false.
    pub ignore_unmatched: bool,
}

/// One file taken out of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedFile {
    /// The path its passages carried (as [`crate::search::Hit::path`]).
    pub path: String,
    /// Its absolute path (its manifest key).
    pub abs_path: String,
    /// Passages it had in the index.
    pub passages: u64,
}

/// What a removal did, or with [`RemoveOptions::dry_run`] would do.
#[derive(Debug, Clone, Default)]
pub struct RemoveReport {
    /// The files removed, in order of absolute path.
    pub files: Vec<RemovedFile>,
    /// Passages removed (those of `files`).
    pub passages: u64,
    /// Passages in the index after the removal.
    pub total_passages: u64,
    /// Paths given that matched no indexed file, as given (only with
    /// [`RemoveOptions::ignore_unmatched`]).
    pub unmatched: Vec<PathBuf>,
    /// True when a new state of the index was committed.
    pub committed: bool,
}

/// Removes from the index at `index_dir` every file that `paths` name: a file, or every
/// indexed file under a folder. The paths need not exist on disk.
///
/// A relative path is relative to the current folder. A path names the files ingest keyed
/// under it: its folder resolved on disk joined with its name (as ingest keys the files
/// under a root), else the path resolved on disk (a symbolic link to a root), else the path
/// made absolute without looking at the disk (a path gone from disk). All removals are one
/// commit, with the manifest; roots with no file left are dropped from it.
///
/// # Errors
/// [`Error::IndexNotFound`] when there is no index; [`Error::NotIndexed`] naming the paths
/// that match no indexed file (without `ignore_unmatched`; nothing is removed);
/// [`Error::IndexLocked`] when an ingest holds the index; I/O and Tantivy errors. On error
/// nothing is removed.
pub fn remove(
    index_dir: &Path,
    paths: &[PathBuf],
    options: &RemoveOptions,
) -> Result<RemoveReport> {
    let pidx = PassageIndex::open(index_dir)?;
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let plan = Plan::migrated(pidx.manifest()?, &cwd);
    let (matched, unmatched) = match_paths(&plan.old, paths, &cwd);
    if !unmatched.is_empty() && !options.ignore_unmatched {
        return Err(Error::NotIndexed { paths: unmatched });
    }
    let mut report = report(&plan.old, &matched, unmatched);
    if options.dry_run || matched.is_empty() {
        return Ok(report);
    }
    let keys: Vec<String> = plan.old.keys().cloned().collect();
    let roots = Roots {
        new: plan.roots.clone(),
        old: plan.roots,
    };
    let writer = open_writer(&pidx, index_dir)?;
    let mut write = Write::new(
        writer,
        index_dir,
        pidx.fields.path,
        plan.old,
        0,
        roots,
        |_| {},
    );
    for path in &plan.twins {
        write.delete(path);
    }
    for key in keys {
        write.apply(if matched.contains(&key) {
            Step::Remove(key)
        } else {
            Step::Untouched(key)
        });
    }
    let analyzer = pidx.analyzer_settings();
    let result = write.finish(analyzer, plan.rekeyed, pidx.info.as_ref(), &cwd);
    if let Err(Error::IndexWrite { .. }) = &result {
        super::clean_up_failed_write(index_dir);
    }
    report.committed = result?.committed;
    Ok(report)
}

/// The report of removing the `matched` keys of `files`.
fn report(
    files: &BTreeMap<String, FileRecord>,
    matched: &BTreeSet<String>,
    unmatched: Vec<PathBuf>,
) -> RemoveReport {
    let removed: Vec<RemovedFile> = (matched.iter())
        .filter_map(|key| files.get_key_value(key))
        .map(|(key, rec)| RemovedFile {
            path: rec.path.clone(),
            abs_path: key.clone(),
            passages: rec.passages,
        })
        .collect();
    let passages: u64 = removed.iter().map(|f| f.passages).sum();
    RemoveReport {
        files: removed,
        passages,
        total_passages: files.values().map(|r| r.passages).sum::<u64>() - passages,
        unmatched,
        committed: false,
    }
}

/// The keys of `files` that `paths` name (see [`remove`]), and the paths that name none.
fn match_paths(
    files: &BTreeMap<String, FileRecord>,
    paths: &[PathBuf],
    cwd: &Path,
) -> (BTreeSet<String>, Vec<PathBuf>) {
    let mut matched = BTreeSet::new();
    let mut unmatched = Vec::new();
    for path in paths {
        let found = candidate_keys(path, cwd).into_iter().find_map(|key| {
            let keys: Vec<&String> = Manifest::keys_under(files, &key).collect();
            (!keys.is_empty()).then_some(keys)
        });
        match found {
            Some(keys) => matched.extend(keys.into_iter().cloned()),
            None => unmatched.push(path.clone()),
        }
    }
    (matched, unmatched)
}

/// The keys `path` may name, most likely first: its folder resolved on disk joined with
/// its name, the path resolved on disk, the path joined to `cwd` (`.` and `..` removed).
fn candidate_keys(path: &Path, cwd: &Path) -> Vec<String> {
    let abs = cwd.join(path);
    let mut out = Vec::new();
    if let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) {
        if let Ok(parent) = std::fs::canonicalize(parent) {
            out.push(path_key(&parent.join(name)));
        }
    }
    if let Ok(real) = std::fs::canonicalize(&abs) {
        out.push(path_key(&real));
    }
    out.push(file_key(path, cwd));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(passages: u64) -> FileRecord {
        FileRecord {
            len: 1,
            mtime_ns: 1,
            hash: 1,
            passages,
            settings: 1,
            path: String::new(),
        }
    }

    #[test]
    fn a_folder_matches_what_is_under_it_and_not_its_namesakes() {
        let files: BTreeMap<String, FileRecord> = [
            ("/n/notes/a.txt", 2),
            ("/n/notes/sub/b.txt", 3),
            ("/n/notes-old/a.txt", 2),
            ("/n/notes.txt", 1),
        ]
        .into_iter()
        .map(|(k, n)| (k.to_owned(), record(n)))
        .collect();
        let cwd = Path::new("/n/missing-cwd");
        let paths = [PathBuf::from("../notes"), PathBuf::from("/n/nope")];
        let (matched, unmatched) = match_paths(&files, &paths, cwd);
        assert_eq!(
            matched.iter().collect::<Vec<_>>(),
            ["/n/notes/a.txt", "/n/notes/sub/b.txt"]
        );
        assert_eq!(unmatched, [PathBuf::from("/n/nope")]);
        let r = report(&files, &matched, unmatched);
        assert_eq!((r.passages, r.total_passages), (5, 3));
    }
}
