//! Which folders an index may be written into: a missing or empty one, or one that holds
//! only what a passage index writes. See: issue 17 (the default `index/` was written into
//! a user's folder that held an `index.html` and notes).

use std::path::Path;

use crate::error::{Error, Result};

/// Succeeds when an index may be written into `dir`: it does not exist, is empty, or
/// holds only files a passage index writes ([`is_index_file`]).
///
/// # Errors
/// [`Error::NotAnIndex`] naming the first other entry (by name); [`Error::Io`] when `dir`
/// exists but cannot be listed.
pub(crate) fn ensure_index_or_empty(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
        Ok(entries) => entries,
    };
    let mut foreign: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !is_index_file(name))
        .collect();
    foreign.sort();
    match foreign.into_iter().next() {
        None => Ok(()),
        Some(entry) => Err(Error::NotAnIndex {
            path: dir.to_owned(),
            entry,
        }),
    }
}

/// True for the names of files that Tantivy or `passage` write into an index folder:
/// `meta.json`, `.managed.json`, Tantivy's lock files and temporary files (`.tmp...`),
/// segment files (32 hexadecimal digits, a dot, an extension) and manifests
/// (`passage-manifest-...`).
pub(crate) fn is_index_file(name: &str) -> bool {
    let segment = name.len() > 33
        && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit)
        && name.as_bytes()[32] == b'.';
    segment
        || matches!(
            name,
            "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
        )
        || name.starts_with("passage-manifest-")
        || name.starts_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_files_are_recognised_by_name() {
        for name in [
            "meta.json",
            ".managed.json",
            ".tantivy-writer.lock",
            "0123456789abcdef0123456789abcdef.idx",
            "0123456789abcdef0123456789abcdef.12.del",
            "passage-manifest-1-2.json.zst",
            "passage-manifest-1-2.json.zst.tmp",
        ] {
            assert!(is_index_file(name), "{name}");
        }
        for name in [
            "index.html",
            "notes.txt",
            "0123456789abcdef.idx",
            "meta.json~",
        ] {
            assert!(!is_index_file(name), "{name}");
        }
    }

    #[test]
    fn a_folder_with_other_files_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("index");
        ensure_index_or_empty(&dir).unwrap();
        std::fs::create_dir(&dir).unwrap();
        ensure_index_or_empty(&dir).unwrap();
        std::fs::write(dir.join("meta.json"), "{}").unwrap();
        ensure_index_or_empty(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        std::fs::write(dir.join("index.html"), "").unwrap();
        match ensure_index_or_empty(&dir) {
            Err(Error::NotAnIndex { entry, .. }) => assert_eq!(entry, "index.html"),
            other => panic!("{other:?}"),
        }
    }
}
