//! The on-disk index: opening, creating, the stored settings and the file manifest.
//!
//! An index directory is a Tantivy index whose every commit carries a payload
//! ([`IndexInfo`], JSON) with the format version, the analyzer settings and the name of
//! the manifest file that lists the files indexed in that commit (path, size, mtime,
//! content hash). The manifest is written before the commit that names it, so the
//! index a reader opens and its manifest always agree.

pub(crate) mod folder;
pub mod ingest;
pub mod list;
pub mod memory;
pub mod schema;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::OpenReadError;
use tantivy::directory::Directory;
use tantivy::index::SegmentComponent;
use tantivy::{Index, IndexMeta};

use crate::analysis::{AnalyzerSettings, ANALYZER_NAME};
use crate::error::{Error, Result};
pub use schema::{Fields, FORMAT_VERSION};

/// zstd level of the document store.
///
/// Measured on the 100 MB benchmark corpus (format 2; 5 interleaved pairs): level 1
/// against zstd's default 3 takes ingest CPU from 6.65 to 6.41 s and the index from 94.1
/// to 96.6 MB (0.96x the corpus); the query geomean is unchanged (4.3-4.6 ms against
/// 4.6-5.0 ms in a timing loop), zstd decompressing as fast at either level. Level 2 was
/// slower than 3 here. Level 2 on 64 KiB blocks (format 1) made 1 GB queries slower
/// (geomean 13.0 -> 18.4-18.9 ms in `peers.sh`: twice the bytes to decompress per hit).
pub const STORE_ZSTD_LEVEL: i32 = 1;
/// Bytes of passages compressed together in the document store (Tantivy's default is
/// 16 KiB); see [`STORE_ZSTD_LEVEL`].
pub const STORE_BLOCK_BYTES: usize = 32 * 1024;

/// What every commit of a `passage` index stores in its payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexInfo {
    /// On-disk format version ([`FORMAT_VERSION`] when written by this build).
    pub format: u32,
    /// The analyzer settings used at ingest; queries use the same.
    pub analyzer: AnalyzerSettings,
    /// File name (inside the index directory) of this commit's [`Manifest`].
    pub manifest: Option<String>,
    /// When the commit was made, in seconds since the Unix epoch.
    pub ingested_at: u64,
    /// The folder that every relative stored path is relative to (a file's manifest key
    /// is this folder joined with its path), when there is one: queries then know a file's
    /// absolute path without reading the manifest. `None` when files were ingested from
    /// several folders, or by a build before this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths_relative_to: Option<String>,
}

/// One indexed file, as recorded at the last ingest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Size in bytes.
    pub len: u64,
    /// Modification time in nanoseconds since the Unix epoch; 0 when unknown.
    pub mtime_ns: u64,
    /// xxHash3 (64-bit) of the file's bytes.
    pub hash: u64,
    /// Number of passages indexed from the file.
    pub passages: u64,
    /// [`crate::index::ingest::IngestOptions::fingerprint`] of the run that indexed it
    /// (0 in manifests written before it existed: such files are read again once).
    #[serde(default)]
    pub settings: u64,
    /// The `path` the file's passages carry: the path as the user named it, or the
    /// absolute path where that would name another indexed file too. Empty in manifests
    /// written before keys were absolute; the key is then that path.
    #[serde(default)]
    pub path: String,
}

/// The files of one commit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Key ([`crate::index::ingest::file_key`]: the absolute path, without `.` and `..`
    /// components) -> record.
    pub files: BTreeMap<String, FileRecord>,
    /// The roots (files and folders named to `ingest`) that indexed files were found
    /// under, by key (absolute, as file keys); a root is kept while a file under it is
    /// indexed. Empty in manifests written before roots were recorded.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub roots: BTreeSet<String>,
}

impl Manifest {
    /// The keys of `files` at `key` or under it (as a folder), in key order: `/a/notes`
    /// takes `/a/notes` and `/a/notes/x.txt`, not `/a/notes-old/x.txt`.
    pub(crate) fn keys_under<'a, V>(
        files: &'a BTreeMap<String, V>,
        key: &str,
    ) -> impl Iterator<Item = &'a String> + 'a {
        let sep = std::path::MAIN_SEPARATOR;
        let prefix = if key.ends_with(sep) {
            key.to_owned()
        } else {
            format!("{key}{sep}")
        };
        let exact = files.get_key_value(key).map(|(k, _)| k);
        let below = files
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .map(|(k, _)| k)
            .take_while(move |k| k.starts_with(&prefix));
        exact.into_iter().chain(below)
    }
}

/// An opened `passage` index.
#[derive(Clone)]
pub struct PassageIndex {
    /// The Tantivy index, with our analyzer registered.
    pub index: Index,
    /// The schema's fields.
    pub fields: Fields,
    /// The settings of the last commit (`None` for an index never committed by us).
    pub info: Option<IndexInfo>,
    /// The index directory.
    pub dir: PathBuf,
}

impl PassageIndex {
    /// Opens the index at `dir` for reading.
    ///
    /// # Errors
    /// [`Error::IndexNotFound`] when `dir` holds no index, or one never committed;
    /// [`Error::NotAnIndex`] when it is a folder of other files;
    /// [`Error::IncompatibleIndex`] when it was written by another format version;
    /// [`Error::DamagedIndex`] when a file it refers to is missing or cut short.
    pub fn open(dir: &Path) -> Result<PassageIndex> {
        let Some(opened) = Self::open_existing(dir)? else {
            // A folder of other files is not "no index yet": say what it holds, as
            // ingest does, rather than advise an ingest that would refuse it.
            folder::ensure_index_or_empty(dir)?;
            return Err(Error::IndexNotFound {
                path: dir.to_owned(),
            });
        };
        if opened.info.is_none() {
            return Err(Error::IndexNotFound {
                path: dir.to_owned(),
            });
        }
        Ok(opened)
    }

    /// Opens the index at `dir` if there is one (`Ok(None)` when the directory holds no
    /// `meta.json`).
    ///
    /// # Errors
    /// As [`PassageIndex::open`], except for a missing index.
    pub fn open_existing(dir: &Path) -> Result<Option<PassageIndex>> {
        if !dir.join("meta.json").is_file() {
            if dir.exists() && !dir.is_dir() {
                return Err(Error::IncompatibleIndex {
                    path: dir.to_owned(),
                    reason: "not a directory".into(),
                });
            }
            return Ok(None);
        }
        let incompatible = |reason: String| Error::IncompatibleIndex {
            path: dir.to_owned(),
            reason,
        };
        let damaged = |reason: String| Error::DamagedIndex {
            path: dir.to_owned(),
            reason,
        };
        let index = Index::open_in_dir(dir).map_err(|e| damaged(format!("meta.json: {e}")))?;
        let metas = index
            .load_metas()
            .map_err(|e| damaged(format!("meta.json: {e}")))?;
        let info = match metas.payload.as_deref() {
            None => None,
            Some(p) => {
                let info: IndexInfo = serde_json::from_str(p)
                    .map_err(|e| incompatible(format!("unreadable settings: {e}")))?;
                if info.format != FORMAT_VERSION {
                    return Err(incompatible(format!(
                        "format version {}, this build reads {FORMAT_VERSION}",
                        info.format
                    )));
                }
                Some(info)
            }
        };
        // After the version: another version's schema differs too, and its message would
        // not say why.
        let fields = schema::fields_of(&index.schema()).map_err(incompatible)?;
        verify_segment_files(&index, &metas).map_err(damaged)?;
        let analyzer = info
            .as_ref()
            .map(|i| i.analyzer.clone())
            .unwrap_or_default();
        index.tokenizers().register(ANALYZER_NAME, analyzer.build());
        Ok(Some(PassageIndex {
            index,
            fields,
            info,
            dir: dir.to_owned(),
        }))
    }

    /// Creates an empty index at `dir` (creating the directory) with our schema.
    ///
    /// # Errors
    /// [`Error::NotAnIndex`] when `dir` holds files an index does not write; [`Error::Io`]
    /// when the directory cannot be created; [`Error::Index`] from Tantivy.
    pub fn create(dir: &Path, analyzer: AnalyzerSettings) -> Result<PassageIndex> {
        folder::ensure_index_or_empty(dir)?;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = schema::build_schema();
        // zstd on 32 KiB blocks stores passage text in about 0.7x the space of Tantivy's
        // default (LZ4, 16 KiB), which brings the whole index under the size of the corpus
        // (measured with level 3, format 1: 127 MB -> 94 MB on the 100 MB benchmark corpus).
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(STORE_ZSTD_LEVEL),
                },
            ),
            docstore_blocksize: STORE_BLOCK_BYTES,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(dir)?;
        index.tokenizers().register(ANALYZER_NAME, analyzer.build());
        Ok(PassageIndex {
            index,
            fields,
            info: None,
            dir: dir.to_owned(),
        })
    }

    /// The analyzer settings this index was built with.
    pub fn analyzer_settings(&self) -> AnalyzerSettings {
        self.info
            .as_ref()
            .map(|i| i.analyzer.clone())
            .unwrap_or_default()
    }

    /// Reads the manifest of the last commit (empty when there is none).
    ///
    /// # Errors
    /// [`Error::IncompatibleIndex`] when the manifest named by the commit is missing or
    /// unreadable.
    pub fn manifest(&self) -> Result<Manifest> {
        let Some(name) = self.info.as_ref().and_then(|i| i.manifest.as_ref()) else {
            return Ok(Manifest::default());
        };
        let path = self.dir.join(name);
        let damaged = |e: &dyn std::fmt::Display| Error::DamagedIndex {
            path: self.dir.clone(),
            reason: format!("manifest `{name}`: {e}"),
        };
        let bytes = std::fs::read(&path).map_err(|e| damaged(&e))?;
        // zstd-compressed JSON; indexes written before that hold plain JSON.
        let bytes = if bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
            zstd::decode_all(&bytes[..]).map_err(|e| damaged(&e))?
        } else {
            bytes
        };
        serde_json::from_slice(&bytes).map_err(|e| damaged(&e))
    }
}

/// The files every segment is made of (Tantivy writes each of them for every segment of
/// our schema); a segment with deletions also has its `.del` file.
const SEGMENT_COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::Terms,
    SegmentComponent::Store,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
];

/// Checks that every file of the commit `metas` is there and whole: Tantivy ends each
/// file with a footer (length, magic number), which a file cut short has lost. Cheap:
/// files are mapped, not read. See: issue 16 (Tantivy opens a segment without its
/// positions file, and a query failed later with an internal message).
///
/// # Errors
/// The first missing or damaged file, named.
fn verify_segment_files(index: &Index, metas: &IndexMeta) -> std::result::Result<(), String> {
    for seg in &metas.segments {
        let deletes = seg.has_deletes().then_some(SegmentComponent::Delete);
        for component in SEGMENT_COMPONENTS.into_iter().chain(deletes) {
            let rel = seg.relative_path(component);
            match index.directory().open_read(&rel) {
                Ok(_) => {}
                Err(OpenReadError::FileDoesNotExist(_)) => {
                    return Err(format!("`{}` is missing", rel.display()))
                }
                // Tantivy's footer check reports a cut file as invalid data, with a
                // long message about old versions that would mislead here.
                Err(OpenReadError::IoError { io_error, .. })
                    if io_error.kind() != std::io::ErrorKind::InvalidData =>
                {
                    return Err(format!("`{}` cannot be read: {io_error}", rel.display()))
                }
                Err(_) => return Err(format!("`{}` is cut short or corrupt", rel.display())),
            }
        }
    }
    Ok(())
}

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Segments of the last commit.
    pub segments: usize,
    /// Segment files whose checksums were verified (every file of every segment).
    pub files_verified: usize,
    /// What is wrong with the index, one item per problem, each naming the file
    /// (`meta.json`, a segment file, the manifest). Empty when the index is sound.
    pub damaged: Vec<String>,
    /// Files recorded in the manifest that were compared with the disk; `None` when the
    /// files were not checked.
    pub sources_checked: Option<usize>,
    /// Indexed files whose size or modification time differ from the last ingest, by
    /// the path their passages carry, sorted.
    pub changed: Vec<String>,
    /// Indexed files that no longer exist (or cannot be read), by path, sorted.
    pub missing: Vec<String>,
}

impl CheckReport {
    /// True when the index is damaged (a `passage ingest --rebuild` is needed).
    pub fn is_damaged(&self) -> bool {
        !self.damaged.is_empty()
    }

    /// True when some indexed file changed or vanished since the last ingest (a
    /// `passage ingest` brings the index up to date).
    pub fn is_stale(&self) -> bool {
        !self.changed.is_empty() || !self.missing.is_empty()
    }
}

/// Verifies every file of the index at `dir`, and with `files` the indexed files too.
///
/// First the checks of [`PassageIndex::open`] (every file there and whole), then every
/// segment file read in full against its checksum (Tantivy's CRC32 footer: a flipped bit
/// in a file of the right length is caught only here; reads the whole index, so it takes
/// about as long as reading its size from disk), then the manifest. With `files`, each
/// file the manifest lists is compared with the disk by size and modification time (as
/// `ingest` decides what to read again; contents are not hashed). Damage is reported, not
/// returned as an error, so that one report says all that is wrong.
///
/// # Errors
/// [`Error::IndexNotFound`] and [`Error::IncompatibleIndex`] as [`PassageIndex::open`];
/// Tantivy errors other than damaged files.
pub fn check(dir: &Path, files: bool) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let pidx = match PassageIndex::open(dir) {
        Ok(p) => p,
        Err(Error::DamagedIndex { reason, .. }) => {
            report.damaged.push(reason);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let metas = pidx.index.searchable_segment_metas()?;
    report.segments = metas.len();
    report.files_verified = metas
        .iter()
        .map(|m| SEGMENT_COMPONENTS.len() + usize::from(m.has_deletes()))
        .sum();
    match pidx.index.validate_checksum() {
        Ok(bad) => {
            let mut bad: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
            bad.sort();
            report.damaged.extend(
                bad.into_iter()
                    .map(|f| format!("`{f}` does not match its checksum")),
            );
        }
        Err(e) => report.damaged.push(format!("checksums: {e}")),
    }
    let manifest = match pidx.manifest() {
        Ok(m) => m,
        Err(Error::DamagedIndex { reason, .. }) => {
            report.damaged.push(reason);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    if files {
        report.sources_checked = Some(manifest.files.len());
        for (key, rec) in &manifest.files {
            let shown = if rec.path.is_empty() { key } else { &rec.path };
            match std::fs::metadata(key) {
                Err(_) => report.missing.push(shown.clone()),
                Ok(m) => {
                    let mtime = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos() as u64);
                    if m.len() != rec.len || (rec.mtime_ns != 0 && mtime != rec.mtime_ns) {
                        report.changed.push(shown.clone());
                    }
                }
            }
        }
        report.changed.sort();
        report.missing.sort();
    }
    Ok(report)
}

/// What `passage stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Files (JSON Lines files count once) in the index.
    pub files: usize,
    /// Passages in the index.
    pub passages: u64,
    /// Distinct terms of the passage text field, summed over segments.
    pub terms: u64,
    /// Bytes of all files in the index directory.
    pub size_bytes: u64,
    /// The stemmer language, or `none`.
    pub stemmer: String,
    /// The stop words: `none`, `english` (Lucene's list) or `N words` (a file's).
    pub stopwords: String,
    /// On-disk format version.
    pub format_version: u32,
    /// Time of the last ingest that changed the index, in seconds since the Unix epoch.
    pub last_ingest: u64,
}

/// Reads the statistics of the index at `dir`.
///
/// # Errors
/// As [`PassageIndex::open`]; Tantivy and I/O errors.
pub fn stats(dir: &Path) -> Result<IndexStats> {
    retry_while_committing(|| stats_once(dir))
}

/// Runs `f` again (up to 3 times in all, 50 ms apart) when it fails on a file that a
/// concurrent ingest's commit just replaced: another process's commit can remove the
/// files of the commit a reader is opening between its reading `meta.json` and opening
/// the rest. Other errors return at once.
pub fn retry_while_committing<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let mut attempt = 0;
    loop {
        match f() {
            Err(e) if attempt < 2 && is_vanished_file(&e) => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

fn is_vanished_file(e: &Error) -> bool {
    let text = e.to_string();
    text.contains("No such file")
        || text.contains("FileDoesNotExist")
        || text.contains("is missing")
}

/// The index at `dir` and a searcher over its last commit.
pub(crate) fn open_with_searcher(dir: &Path) -> Result<(PassageIndex, tantivy::Searcher)> {
    let pidx = PassageIndex::open(dir)?;
    let reader = pidx.index.reader().map_err(|e| Error::IncompatibleIndex {
        path: dir.to_owned(),
        reason: e.to_string(),
    })?;
    Ok((pidx, reader.searcher()))
}

fn stats_once(dir: &Path) -> Result<IndexStats> {
    let (pidx, searcher) = open_with_searcher(dir)?;
    let mut terms = 0;
    for seg in searcher.segment_readers() {
        terms += seg.inverted_index(pidx.fields.body)?.terms().num_terms() as u64;
    }
    let mut size_bytes = 0;
    for e in std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
    {
        size_bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
    }
    let info = pidx.info.clone().unwrap_or(IndexInfo {
        format: FORMAT_VERSION,
        analyzer: AnalyzerSettings::default(),
        manifest: None,
        ingested_at: 0,
        paths_relative_to: None,
    });
    Ok(IndexStats {
        files: pidx.manifest()?.files.len(),
        passages: searcher.num_docs(),
        terms,
        size_bytes,
        stemmer: info
            .analyzer
            .stemmer
            .map_or("none".into(), |l| format!("{l:?}").to_lowercase()),
        stopwords: info.analyzer.stopwords_name(),
        format_version: info.format,
        last_ingest: info.ingested_at,
    })
}
