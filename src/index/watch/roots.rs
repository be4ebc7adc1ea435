//! The roots of a watch: which are there, and the watches on them.
//!
//! A folder root is watched recursively; a file root through its folder (not
//! recursively), so that a save by rename, which puts a new file in its place, is still
//! seen. Each watch remembers the identity (device and inode) of what it watches: a root
//! removed and created again is a new folder with a new identity, and is watched again.

use std::path::{Path, PathBuf};

use notify::{RecursiveMode, Watcher};

use crate::error::{Error, Result};

/// Device and inode of a watched folder or file (on other platforms, nothing: a root
/// created again under the same path is then only seen through its events).
type FileId = Option<(u64, u64)>;

/// One root as given, and its watch when it is there.
struct Root {
    /// The root as the user gave it (what the ingest walks).
    given: PathBuf,
    /// The watch on it, while the root is there.
    watched: Option<Target>,
    /// True once its absence was reported (reported once until it is back).
    gone: bool,
}

/// What is watched for one root.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    /// The canonical path passed to the watcher: the root, or the folder of a file root.
    path: PathBuf,
    /// The canonical path of the root itself: events below it (or on it) matter.
    scope: PathBuf,
    /// Recursive for a folder root, not for the folder of a file root.
    recursive: bool,
    /// The identity of `path` when it was watched.
    id: FileId,
}

/// A change in the roots found by [`Roots::refresh`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RootChange {
    /// The root vanished (reported once).
    Gone(PathBuf),
    /// The root is back after it was reported gone.
    Back(PathBuf),
    /// The root is watched only in part, for this reason.
    Partly(PathBuf, String),
}

/// The roots of a watch.
pub(crate) struct Roots {
    roots: Vec<Root>,
}

impl Roots {
    /// The roots as given, none watched yet.
    pub(crate) fn new(given: &[PathBuf]) -> Roots {
        let roots = given
            .iter()
            .map(|g| Root {
                given: g.clone(),
                watched: None,
                gone: false,
            })
            .collect();
        Roots { roots }
    }

    /// Brings the watches up to date with the disk: a root that vanished is unwatched, a
    /// root that is there (again, or anew under its path) is watched. Returns true when a
    /// watch changed (the roots must be walked again), with the changes worth reporting in
    /// `changes`.
    ///
    /// # Errors
    /// [`Error::Watch`] when the system's limit of watches is reached.
    pub(crate) fn refresh(
        &mut self,
        watcher: &mut impl Watcher,
        changes: &mut Vec<RootChange>,
    ) -> Result<bool> {
        let mut changed = false;
        for root in &mut self.roots {
            let now = target(&root.given);
            if root.watched.is_some() && root.watched == now {
                continue;
            }
            changed = true;
            if let Some(old) = root.watched.take() {
                // The watcher may have dropped it already (the folder was deleted).
                let _ = watcher.unwatch(&old.path);
            }
            match now {
                Some(t) => {
                    let mode = if t.recursive {
                        RecursiveMode::Recursive
                    } else {
                        RecursiveMode::NonRecursive
                    };
                    match watcher.watch(&t.path, mode) {
                        Ok(()) => {}
                        // Gone again already: the next refresh sees it.
                        Err(e) if is_not_found(&e) => continue,
                        Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                            return Err(watch_error(&root.given, e))
                        }
                        // A subfolder that cannot be watched (no permission): the rest is.
                        Err(e) => {
                            changes.push(RootChange::Partly(root.given.clone(), e.to_string()))
                        }
                    }
                    root.watched = Some(t);
                    if std::mem::take(&mut root.gone) {
                        changes.push(RootChange::Back(root.given.clone()));
                    }
                }
                None if !root.gone => {
                    root.gone = true;
                    changes.push(RootChange::Gone(root.given.clone()));
                }
                None => {}
            }
        }
        Ok(changed)
    }

    /// The roots that are there (watched), as given.
    pub(crate) fn present(&self) -> Vec<PathBuf> {
        self.roots
            .iter()
            .filter(|r| r.watched.is_some())
            .map(|r| r.given.clone())
            .collect()
    }

    /// The first root as given, to name in an error that names none.
    pub(crate) fn first(&self) -> PathBuf {
        self.roots
            .first()
            .map(|r| r.given.clone())
            .unwrap_or_default()
    }

    /// The part of `path` below the watched root it lies in (empty for the root itself),
    /// or `None` when it lies in none (beside a file root, in its folder).
    pub(crate) fn below<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        self.roots
            .iter()
            .filter_map(|r| r.watched.as_ref())
            .find_map(|t| path.strip_prefix(&t.scope).ok())
    }
}

/// What to watch for the root `given` now, or `None` when it is not there.
fn target(given: &Path) -> Option<Target> {
    let scope = std::fs::canonicalize(given).ok()?;
    let meta = std::fs::metadata(&scope).ok()?;
    if meta.is_dir() {
        return Some(Target {
            id: file_id(&meta),
            path: scope.clone(),
            scope,
            recursive: true,
        });
    }
    let folder = scope.parent()?.to_owned();
    let meta = std::fs::metadata(&folder).ok()?;
    Some(Target {
        id: file_id(&meta),
        path: folder,
        scope,
        recursive: false,
    })
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> FileId {
    None
}

/// True when the watcher failed because the path is not there (any more).
fn is_not_found(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound => true,
        notify::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// A watcher error as an [`Error::Watch`] naming `path`, saying what to do about a limit.
pub(crate) fn watch_error(path: &Path, e: notify::Error) -> Error {
    let reason = match e.kind {
        notify::ErrorKind::MaxFilesWatch => "the system's limit of watched folders is reached \
             (on Linux raise fs.inotify.max_user_watches with sysctl, or watch fewer folders)"
            .to_owned(),
        _ => e.to_string(),
    };
    Error::Watch {
        path: e.paths.first().cloned().unwrap_or_else(|| path.to_owned()),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_says_what_to_raise() {
        let e = watch_error(
            Path::new("notes"),
            notify::Error::new(notify::ErrorKind::MaxFilesWatch),
        );
        let msg = e.to_string();
        assert!(
            msg.starts_with("cannot watch `notes` for changes: "),
            "{msg}"
        );
        assert!(msg.contains("max_user_watches"), "{msg}");
    }

    #[test]
    fn a_file_root_is_watched_through_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "x").unwrap();
        let t = target(&file).unwrap();
        assert!(!t.recursive);
        assert_eq!(t.path, std::fs::canonicalize(dir.path()).unwrap());
        assert!(target(&dir.path().join("missing")).is_none());
    }
}
