//! `passage ls`: the files an index holds, from the manifest of its last commit.

use std::path::Path;

use serde::Serialize;
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::{DocSet, TantivyDocument, TERMINATED};

use super::{open_with_searcher, retry_while_committing};
use crate::error::{Error, Result};

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexedFile {
    /// The path its passages carry (as [`crate::search::Hit::path`]).
    pub path: String,
    /// Its absolute path (the manifest key); `None` in a manifest written before keys
    /// were absolute.
    pub abs_path: Option<String>,
    /// Passages indexed from it.
    pub passages: u64,
    /// Its size in bytes when it was indexed.
    pub bytes: u64,
    /// Its modification time when it was indexed, in nanoseconds since the Unix epoch;
    /// 0 when unknown.
    pub mtime_ns: u64,
    /// The encoding it was decoded from when it was not UTF-8; `None` for UTF-8 (and for
    /// a file with no passage, whose encoding the index does not keep).
    pub encoding: Option<String>,
}

/// The roots of the index at `dir` (absolute paths of the files and folders named to
/// `ingest`, as its manifest records them), sorted; empty for a manifest written before
/// roots were recorded.
///
/// # Errors
/// As [`super::PassageIndex::open`] and [`super::PassageIndex::manifest`].
pub fn list_roots(dir: &Path) -> Result<Vec<String>> {
    retry_while_committing(|| {
        let manifest = super::PassageIndex::open(dir)?.manifest()?;
        Ok(manifest.roots.into_iter().collect())
    })
}

/// The files of the index at `dir`, sorted by stored path.
///
/// The encoding is read from the stored fields of each file's first passage (one
/// document-store read per file).
///
/// # Errors
/// As [`super::PassageIndex::open`] and [`super::PassageIndex::manifest`]; Tantivy errors.
pub fn list_files(dir: &Path) -> Result<Vec<IndexedFile>> {
    retry_while_committing(|| list_once(dir))
}

fn list_once(dir: &Path) -> Result<Vec<IndexedFile>> {
    let (pidx, searcher) = open_with_searcher(dir)?;
    let f = &pidx.fields;
    let mut out = Vec::new();
    for (key, rec) in pidx.manifest()?.files {
        let (path, abs_path) = if rec.path.is_empty() {
            (key, None)
        } else {
            (rec.path, Some(key))
        };
        // The first live passage of the file, for its encoding.
        let term = Term::from_field_text(f.path, &path);
        let mut encoding = None;
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let Some(mut postings) = seg
                .inverted_index(f.path)?
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| Error::Index(e.into()))?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED && seg.is_deleted(doc) {
                doc = postings.advance();
            }
            if doc != TERMINATED {
                let stored: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(ord as u32, doc))?;
                encoding = stored
                    .get_first(f.encoding)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                break;
            }
        }
        out.push(IndexedFile {
            path,
            abs_path,
            passages: rec.passages,
            bytes: rec.len,
            mtime_ns: rec.mtime_ns,
            encoding,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
