//! Plan: the walk and the last commit's manifest -> what to read, keep, skip and remove.
//!
//! Nothing here reads a file or touches the index: the plan is data, which the write
//! stage applies ([`super::write::Write::apply`]) and the read stage reads
//! ([`super::read::read_all`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::keys::{file_key, path_key, Keys};
use super::options::IngestOptions;
use super::report::{Skip, SkipWhy};
use crate::corpus::{FileEntry, WalkItem};
use crate::index::{FileRecord, Manifest};

/// A file to read, decode and split.
#[derive(Debug)]
pub(crate) struct ToRead {
    /// The file as the walk found it.
    pub(crate) entry: FileEntry,
    /// Its manifest key ([`Keys::of`]).
    pub(crate) key: String,
    /// The path its passages carry: [`path_key`] of the path as found, or the key when
    /// an earlier run's file (named alike from another folder) carries that path.
    pub(crate) path: String,
}

/// What a run does with a file it does not read; the String is the manifest key.
#[derive(Debug)]
pub(crate) enum Step {
    /// Keep the file's record and passages: found unchanged since the last run (size,
    /// modification time and settings).
    Unchanged(String),
    /// Keep the file's record and passages: not found, but outside every root of this run.
    Untouched(String),
    /// Do not index the file, for the reason given; binary and oversized files lose their
    /// old passages, unreadable ones keep them. No key for a walk error.
    Skip(Option<String>, Skip),
    /// Remove the file's passages: it vanished from under a root (or is now ignored).
    Remove(String),
    /// Remove the file's passages: the root it was found under is gone (`--prune`).
    Prune(String),
}

/// What one ingest run does with every file, decided before any is read.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The last commit's manifest records by key, older keys migrated ([`Plan::migrated`]).
    pub(crate) old: BTreeMap<String, FileRecord>,
    /// The last commit's roots ([`Manifest::roots`]).
    pub(crate) roots: BTreeSet<String>,
    /// True when keys were migrated: the manifest is rewritten even if nothing else changed.
    pub(crate) rekeyed: bool,
    /// Paths of records that were one file with another record after migration: their
    /// passages are deleted first.
    pub(crate) twins: Vec<String>,
    /// Files found and not read (kept or skipped), in walk order.
    pub(crate) found: Vec<Step>,
    /// Files to read, in walk order.
    pub(crate) read: Vec<ToRead>,
    /// Records of the last commit the walk did not find (kept or removed), in key order;
    /// applied after the reads.
    pub(crate) unseen: Vec<Step>,
    /// Roots under which the walk found no file (each is an error).
    pub(crate) empty_roots: Vec<PathBuf>,
}

impl Plan {
    /// The plan for the walk's `items` against `manifest`, the last commit's.
    ///
    /// Found files are keyed with `keys`; the index's own files and a file found again
    /// (under a second root) are left out. A file is skipped when binary by name or larger
    /// than `options.max_filesize`, kept when its size, modification time and settings
    /// ([`IngestOptions::fingerprint`]) match its record, and read otherwise. A record the
    /// walk did not find is removed when under a root of this run; else, with
    /// `options.prune`, pruned when its root is gone ([`pruned_keys`]); else kept.
    pub(crate) fn new(
        items: Vec<WalkItem>,
        manifest: Manifest,
        keys: &Keys<'_>,
        options: &IngestOptions,
    ) -> Plan {
        let mut plan = Plan::migrated(manifest, &keys.cwd);
        let mut found_per_root = vec![0u64; keys.root_keys.len()];
        let mut seen: HashSet<String> = HashSet::new();
        {
            let chooser = Chooser::new(&plan.old, options);
            for item in items {
                let entry = match item {
                    Ok(e) => e,
                    Err(e) => {
                        let skip = Skip::new(SkipWhy::Unreadable, e.to_string());
                        plan.found.push(Step::Skip(None, skip));
                        continue;
                    }
                };
                found_per_root[entry.root] += 1;
                let key = keys.of(&entry);
                if keys.in_index(&key) || !seen.insert(key.clone()) {
                    continue; // the index's own files; the same file under two roots
                }
                match chooser.choose(entry, key) {
                    Choice::Read(file) => plan.read.push(file),
                    Choice::Other(step) => plan.found.push(step),
                }
            }
        }
        let pruned = if options.prune {
            pruned_keys(&plan.old, &plan.roots)
        } else {
            HashSet::new()
        };
        for key in plan.old.keys().filter(|k| !seen.contains(*k)) {
            plan.unseen.push(if keys.under_a_root(key) {
                Step::Remove(key.clone())
            } else if pruned.contains(key) {
                Step::Prune(key.clone())
            } else {
                Step::Untouched(key.clone())
            });
        }
        let roots = keys.roots().iter().zip(&found_per_root);
        plan.empty_roots = roots
            .filter(|(_, n)| **n == 0)
            .map(|(r, _)| r.clone())
            .collect();
        plan
    }

    /// A plan with no steps yet, over the records of `manifest`.
    ///
    /// Records written before keys were absolute: their key is their path, relative to
    /// the folder ingest ran in, assumed to be `cwd`. The manifest is then rewritten, and
    /// when two records turn out to be one file, the passages of one are deleted.
    pub(super) fn migrated(manifest: Manifest, cwd: &Path) -> Plan {
        let mut plan = Plan {
            roots: manifest.roots,
            ..Plan::default()
        };
        for (key, mut rec) in manifest.files {
            let key = if rec.path.is_empty() {
                plan.rekeyed = true;
                rec.path = key.clone();
                file_key(Path::new(&key), cwd)
            } else {
                key
            };
            if let Some(twin) = plan.old.insert(key, rec) {
                plan.twins.push(twin.path);
            }
        }
        plan
    }
}

/// The keys of `files` whose root no longer exists on disk: those under a root of `roots`
/// that is gone, and those under none of them (recorded before roots were) that are gone
/// themselves. A root that cannot be looked at (permissions) is not gone.
fn pruned_keys(files: &BTreeMap<String, FileRecord>, roots: &BTreeSet<String>) -> HashSet<String> {
    let gone = |path: &str| matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
    let mut out = HashSet::new();
    let mut rooted: HashSet<&String> = HashSet::new();
    for root in roots {
        let root_gone = gone(root);
        for key in Manifest::keys_under(files, root) {
            rooted.insert(key);
            if root_gone {
                out.insert(key.clone());
            }
        }
    }
    for key in files.keys().filter(|k| !rooted.contains(k)) {
        if gone(key) {
            out.insert(key.clone());
        }
    }
    out
}

/// A file to read, or what to do instead.
enum Choice {
    Read(ToRead),
    Other(Step),
}

/// Decides, for each file found, whether it is read.
struct Chooser<'a> {
    old: &'a BTreeMap<String, FileRecord>,
    /// Which file each indexed path belongs to, to keep paths unambiguous. In one run a
    /// path names one file (relative paths start from one folder), so only the paths of
    /// earlier runs can name another.
    path_owner: HashMap<&'a str, &'a str>,
    /// [`IngestOptions::fingerprint`] of this run.
    settings: u64,
    /// Bytes; larger files are skipped.
    max_filesize: u64,
}

impl<'a> Chooser<'a> {
    fn new(old: &'a BTreeMap<String, FileRecord>, options: &IngestOptions) -> Chooser<'a> {
        Chooser {
            old,
            path_owner: old
                .iter()
                .map(|(key, rec)| (rec.path.as_str(), key.as_str()))
                .collect(),
            settings: options.fingerprint(),
            max_filesize: options.max_filesize,
        }
    }

    /// Whether the file found as `entry`, keyed `key`, is read.
    fn choose(&self, entry: FileEntry, key: String) -> Choice {
        if entry.binary_by_name {
            let msg = format!("{}: skipped, binary file type", entry.path.display());
            return Choice::Other(Step::Skip(Some(key), Skip::new(SkipWhy::Binary, msg)));
        }
        if entry.len > self.max_filesize {
            // A file that grew too large loses its old passages.
            let msg = format!(
                "{}: skipped, {} bytes is over the size limit of {} bytes (--max-filesize)",
                entry.path.display(),
                entry.len,
                self.max_filesize
            );
            return Choice::Other(Step::Skip(Some(key), Skip::new(SkipWhy::TooLarge, msg)));
        }
        let mtime_ns = mtime_ns(entry.modified);
        if let Some(rec) = self.old.get(&key) {
            if rec.len == entry.len
                && rec.mtime_ns == mtime_ns
                && mtime_ns != 0
                && rec.settings == self.settings
            {
                return Choice::Other(Step::Unchanged(key));
            }
        }
        let path = path_key(&entry.path);
        let clash = self
            .path_owner
            .get(path.as_str())
            .is_some_and(|owner| *owner != key);
        let path = if clash { key.clone() } else { path }; // named alike from another folder
        Choice::Read(ToRead { entry, key, path })
    }
}

/// A modification time in nanoseconds since the Unix epoch; 0 when unknown.
pub(crate) fn mtime_ns(t: Option<SystemTime>) -> u64 {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}
