//! Keys and paths: the manifest key of a file (its absolute path) and the path its
//! passages carry (the path as the user named it).

use std::path::{Path, PathBuf};

use crate::corpus::{CorpusBuilder, FileEntry};

/// Where one run's files and index are, to key each file the walk finds.
///
/// Keys are absolute, so that relative paths named from different folders stay apart:
/// a file's key is its root's canonical path (symbolic links and `..` resolved on disk)
/// joined with the file's path under that root.
pub(crate) struct Keys<'a> {
    /// The roots as given, in [`CorpusBuilder::roots`] order.
    roots: &'a [PathBuf],
    /// The canonical path of each root (or [`file_key`] when it cannot be resolved).
    pub(crate) root_keys: Vec<PathBuf>,
    /// The canonical path of the index directory (or joined to `cwd`).
    pub(crate) index_key: PathBuf,
    /// The folder the run started in; relative paths are relative to it.
    pub(crate) cwd: PathBuf,
}

impl<'a> Keys<'a> {
    /// The keys of the roots of `corpus` and of `index_dir`, resolved on disk now.
    pub(crate) fn new(corpus: &'a CorpusBuilder, index_dir: &Path) -> Keys<'a> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root_keys = corpus
            .roots()
            .iter()
            .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| PathBuf::from(file_key(r, &cwd))))
            .collect();
        let index_key = std::fs::canonicalize(index_dir).unwrap_or_else(|_| cwd.join(index_dir));
        Keys {
            roots: corpus.roots(),
            root_keys,
            index_key,
            cwd,
        }
    }

    /// The roots as given.
    pub(crate) fn roots(&self) -> &'a [PathBuf] {
        self.roots
    }

    /// The manifest key of a file the walk found.
    pub(crate) fn of(&self, entry: &FileEntry) -> String {
        let root = &self.roots[entry.root];
        match entry.path.strip_prefix(root) {
            Ok(rel) if rel.as_os_str().is_empty() => path_key(&self.root_keys[entry.root]),
            Ok(rel) => path_key(&self.root_keys[entry.root].join(rel)),
            Err(_) => file_key(&entry.path, &self.cwd),
        }
    }

    /// True when `key` lies under one of the roots.
    pub(crate) fn under_a_root(&self, key: &str) -> bool {
        self.root_keys
            .iter()
            .any(|root| Path::new(key).starts_with(root))
    }

    /// True when `key` lies in the index directory (the index's own files, when it lies
    /// under a root).
    pub(crate) fn in_index(&self, key: &str) -> bool {
        Path::new(key).starts_with(&self.index_key)
    }
}

/// The key of a file in the manifest: `path` made absolute (joined to `cwd` when
/// relative) and without `.` and `..` components (a `..` removes the component before
/// it, without looking at the disk), as text ([`path_key`]).
pub fn file_key(path: &Path, cwd: &Path) -> String {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    path_key(&out)
}

/// The path a file's passages carry: its path as given, without `.` components
/// (`./corpus/a.txt` and `corpus/a.txt` are one file; see: issue 3); bytes of a name that
/// are not UTF-8 are written `\xNN`, so that two names differing only there stay two
/// paths (see: issue 6; a lossy conversion made them one). The path of `.` is "".
pub fn path_key(path: &Path) -> String {
    let path: PathBuf = path
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let mut out = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}
