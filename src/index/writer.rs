//! Ingest: walking, reading, splitting and indexing files as one atomic commit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tantivy::directory::error::LockError;
use tantivy::schema::Term;
use tantivy::{IndexWriter, TantivyDocument, TantivyError};

use super::schema::{Location, LOCATION_MAX_BYTES};
use super::{FileRecord, IndexInfo, Manifest, PassageIndex, FORMAT_VERSION};
use crate::analysis::AnalyzerSettings;
use crate::corpus::compressed::{decompress, inner_path, Compression, DecompressError};
use crate::corpus::jsonl::{parse_jsonl, JsonlFields};
use crate::corpus::read::{decode, Decoded};
use crate::corpus::{CorpusBuilder, FileEntry, DEFAULT_MAX_FILESIZE};
use crate::error::{Error, Result};
use crate::passage::markdown::split_markdown;
use crate::passage::{split_passages, SplitOptions};

/// Tantivy's indexing threads share this many bytes of arena memory. Measured on the
/// 100 MB benchmark corpus: 96 MiB and 512 MiB ingest equally fast, so the smaller
/// budget keeps peak memory down.
pub const DEFAULT_WRITER_MEMORY: usize = 96 * 1024 * 1024;

/// Tantivy indexing threads: tokenising and building postings is most of ingest, so
/// both cores of the reference machine index (one thread: 1.6x slower, measured).
pub const WRITER_THREADS: usize = 2;

/// Segments with more passages than this are merged with others only when at least
/// half of their passages are deleted.
///
/// A merge reads its input segments through memory maps, and their pages count in the
/// process's resident memory: merging eight of the ~256 000-passage segments a 1 GB
/// ingest flushes took peak RSS from 277 MB to 628 MB (measured on the 1 GB benchmark
/// corpus). Segments that big are searched fine as they are (1 GB corpus, 26 segments:
/// 14.7 ms geomean query latency); the small segments of incremental re-ingests still merge.
pub const MAX_MERGE_PASSAGES: usize = 100_000;

/// Tantivy's `LogMergePolicy` over segments of at most [`MAX_MERGE_PASSAGES`] live
/// passages, and any segment with at least half of its passages deleted (re-ingests
/// replace changed files) rewritten on its own, so that deletions are reclaimed.
#[derive(Debug)]
struct IngestMergePolicy {
    log: tantivy::merge_policy::LogMergePolicy,
}

impl IngestMergePolicy {
    fn new() -> IngestMergePolicy {
        let mut log = tantivy::merge_policy::LogMergePolicy::default();
        log.set_max_docs_before_merge(MAX_MERGE_PASSAGES);
        IngestMergePolicy { log }
    }
}

impl tantivy::merge_policy::MergePolicy for IngestMergePolicy {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::SegmentMeta],
    ) -> Vec<tantivy::merge_policy::MergeCandidate> {
        let mut out = self.log.compute_merge_candidates(segments);
        let taken: HashSet<tantivy::index::SegmentId> =
            out.iter().flat_map(|c| c.0.iter().copied()).collect();
        for seg in segments {
            let mostly_deleted = seg.max_doc() > 0 && 2 * seg.num_deleted_docs() >= seg.max_doc();
            if mostly_deleted && !taken.contains(&seg.id()) {
                out.push(tantivy::merge_policy::MergeCandidate(vec![seg.id()]));
            }
        }
        out
    }
}

/// Settings of an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// How files are cut into passages.
    pub split: SplitOptions,
    /// Analyzer for a new index. By default English stemming. For an existing index it
    /// must match the stored settings when given, or the run fails.
    pub analyzer: Option<AnalyzerSettings>,
    /// Files larger than this many bytes are skipped. By default [`DEFAULT_MAX_FILESIZE`].
    pub max_filesize: u64,
    /// Decode every file that is not UTF-8 (nor UTF-16 with a BOM) with this encoding
    /// instead of guessing. By default `None` (guess with `chardetng`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Threads that read and split files. By default the number of CPUs.
    pub threads: usize,
    /// How files are read. By default [`InputFormat::Auto`].
    pub input: InputFormat,
    /// Fields of JSON Lines documents.
    pub jsonl: JsonlFields,
}

impl IngestOptions {
    /// A hash of the options that decide a file's passages (splitting, input format,
    /// forced encoding, JSON Lines fields): a file indexed under other options is read
    /// again even when unchanged. See: issue 3.
    pub fn fingerprint(&self) -> u64 {
        let text = format!(
            "{:?}|{:?}|{:?}|{:?}",
            self.split,
            self.input,
            self.encoding.map(encoding_rs::Encoding::name),
            self.jsonl
        );
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

/// How a file's text is turned into passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By extension: `.jsonl` and `.ndjson` are JSON Lines, `.md`, `.markdown`, `.mdown`
    /// and `.mkd` Markdown, `.html`, `.htm` and `.xhtml` HTML, everything else plain text.
    #[default]
    Auto,
    /// Plain text.
    Text,
    /// Markdown (see [`crate::passage::markdown`]).
    Markdown,
    /// HTML or XHTML (see [`crate::passage::html`]).
    Html,
    /// JSON Lines documents (see [`crate::corpus::jsonl`]).
    Jsonl,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            split: SplitOptions::default(),
            analyzer: None,
            max_filesize: DEFAULT_MAX_FILESIZE,
            encoding: None,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            input: InputFormat::Auto,
            jsonl: JsonlFields::default(),
        }
    }
}

/// Something an ingest run reports while it runs.
#[derive(Debug, Clone, Copy)]
pub enum IngestEvent<'a> {
    /// A file could not be read, was skipped, or was decoded lossily or transcoded.
    Problem {
        /// One line naming the file.
        message: &'a str,
        /// How serious it is.
        level: ProblemLevel,
    },
    /// Another file was read: `done` of the `total` files that needed reading, `bytes`
    /// read so far.
    Progress {
        /// Files read so far.
        done: u64,
        /// Files to read in this run (unchanged files are not read).
        total: u64,
        /// Bytes read so far.
        bytes: u64,
    },
}

/// How serious an ingest problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemLevel {
    /// The file (or root) could not be ingested; the run exits 2.
    Error,
    /// Worth saying every time: a file skipped for its size, bytes replaced by U+FFFD.
    Warning,
    /// Worth saying when asked (`-v`): a binary file skipped, a file transcoded.
    Note,
}

/// What an ingest run did.
#[derive(Debug, Default, Clone)]
pub struct IngestReport {
    /// Files indexed for the first time.
    pub added: u64,
    /// Files whose content changed and were re-indexed.
    pub updated: u64,
    /// Files that vanished (or are now ignored) under the roots; their passages are gone.
    pub removed: u64,
    /// Files unchanged since the last run (not re-indexed).
    pub unchanged: u64,
    /// Files skipped as binary (a NUL byte in the first 8 KiB).
    pub skipped_binary: u64,
    /// Files skipped for being larger than the size limit.
    pub skipped_too_large: u64,
    /// Files skipped because they could not be read.
    pub skipped_unreadable: u64,
    /// Passages written in this run (from added and updated files).
    pub passages: u64,
    /// Passages in the index after the run.
    pub total_passages: u64,
    /// Bytes read from files in this run.
    pub bytes: u64,
    /// Wall-clock seconds of the whole run.
    pub seconds: f64,
    /// Per-file problems (unreadable files, walk errors, empty roots); they set exit 2.
    pub errors: Vec<String>,
    /// Notices that are not errors (binary or oversized files skipped, lossy decoding).
    pub notices: Vec<String>,
    /// True when the run committed a new state of the index.
    pub committed: bool,
}

impl IngestReport {
    /// Reports a problem through `on_event` and keeps it: errors in `errors` (they make
    /// the run exit 2), warnings and notes in `notices`.
    fn record(
        &mut self,
        level: ProblemLevel,
        message: String,
        on_event: &mut impl FnMut(IngestEvent<'_>),
    ) {
        on_event(IngestEvent::Problem {
            message: &message,
            level,
        });
        match level {
            ProblemLevel::Error => self.errors.push(message),
            ProblemLevel::Warning | ProblemLevel::Note => self.notices.push(message),
        }
    }
}

/// The outcome of reading and splitting one file on a worker thread.
enum Prepared {
    Docs {
        hash: u64,
        len: u64,
        docs: Vec<TantivyDocument>,
        notice: Option<(ProblemLevel, String)>,
        errors: Vec<String>,
    },
    Binary,
    /// Decompressed content over `--max-filesize`: the warning.
    TooLarge(String),
    Failed(String),
}

/// Runs ingest of the files `corpus` finds into the index at `index_dir`, creating it
/// when needed, and commits once at the end.
///
/// Files whose size and modification time match the last run are not read; files whose
/// content hash matches are not re-indexed. Files under the roots that have vanished lose
/// their passages. Files under other roots are untouched.
///
/// `on_event` is called with each per-file error or notice as it happens, and with the
/// progress after each file read ([`IngestEvent`]).
///
/// # Errors
/// [`Error::MissingPath`] for a root that does not exist; [`Error::IndexLocked`] when
/// another ingest holds the index; [`Error::Config`] when the requested analyzer differs
/// from the index's; I/O and Tantivy errors of the index itself. On error nothing of the
/// run is committed.
pub fn ingest(
    index_dir: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    on_event: impl FnMut(IngestEvent<'_>),
) -> Result<IngestReport> {
    let result = ingest_inner(index_dir, corpus, options, on_event);
    if let Err(Error::IndexWrite { .. }) = &result {
        // Remove what the failed run wrote (segments, a manifest), best effort.
        if let Ok(Some(p)) = PassageIndex::open_existing(index_dir) {
            if let Ok(w) = p
                .index
                .writer_with_num_threads::<TantivyDocument>(1, 15_000_000)
            {
                let _ = w.garbage_collect_files().wait();
            }
            if let Some(name) = p.info.as_ref().and_then(|i| i.manifest.as_deref()) {
                remove_stale_manifests(index_dir, &[name]);
            }
        }
    }
    result
}

/// Ingests `corpus` from scratch into a new index that replaces the one at `index_dir`
/// (damaged, of another format, or just to start over) once it is complete and committed.
///
/// The new index is built beside the old one, in the hidden folder `.NAME.rebuild` (a
/// leftover of an interrupted rebuild is removed first); then the old index is moved to
/// `.NAME.old`, the new one to `index_dir`, and the old one removed. Until the new index
/// is committed, the old one is untouched; a crash between the two moves leaves both
/// folders (the new one complete). Without `options.analyzer`, the stemmer stored in the
/// old index's `meta.json` is kept when it can be read.
///
/// # Errors
/// As [`ingest`]; [`Error::Config`] when `index_dir` has no folder name; [`Error::Io`]
/// when a folder cannot be moved or removed.
pub fn rebuild(
    index_dir: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    on_event: impl FnMut(IngestEvent<'_>),
) -> Result<IngestReport> {
    let name = index_dir
        .file_name()
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .ok_or_else(|| {
            Error::Config(format!(
                "cannot rebuild the index at `{}`: name its folder",
                index_dir.display()
            ))
        })?
        .to_string_lossy()
        .into_owned();
    let fresh = index_dir.with_file_name(format!(".{name}.rebuild"));
    let old = index_dir.with_file_name(format!(".{name}.old"));
    let remove = |dir: &Path| match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    };
    remove(&fresh)?;
    let mut options = options.clone();
    if options.analyzer.is_none() {
        options.analyzer = stored_analyzer(index_dir);
    }
    let report = match ingest(&fresh, corpus, &options, on_event) {
        Ok(r) => r,
        Err(e) => {
            let _ = remove(&fresh);
            return Err(e);
        }
    };
    if index_dir.exists() {
        remove(&old)?;
        std::fs::rename(index_dir, &old).map_err(|e| Error::io(index_dir, e))?;
    }
    std::fs::rename(&fresh, index_dir).map_err(|e| Error::io(&fresh, e))?;
    remove(&old)?;
    Ok(report)
}

/// The analyzer settings in the payload of the `meta.json` at `index_dir`, if it can be
/// read (the rest of the index may be damaged).
fn stored_analyzer(index_dir: &Path) -> Option<AnalyzerSettings> {
    #[derive(serde::Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let meta: Meta =
        serde_json::from_slice(&std::fs::read(index_dir.join("meta.json")).ok()?).ok()?;
    let info: IndexInfo = serde_json::from_str(&meta.payload?).ok()?;
    Some(info.analyzer)
}

fn ingest_inner(
    index_dir: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    mut on_event: impl FnMut(IngestEvent<'_>),
) -> Result<IngestReport> {
    let started = Instant::now();
    let items = corpus.walk()?;
    let pidx = match PassageIndex::open_existing(index_dir)? {
        Some(p) => {
            // A damaged index (a segment file missing or cut short) must not be taken as
            // "unchanged": `open_existing` checked every file; a reader checks the rest.
            p.index.reader().map_err(|e| Error::DamagedIndex {
                path: index_dir.to_owned(),
                reason: e.to_string(),
            })?;
            p
        }
        None => PassageIndex::create(index_dir, options.analyzer.clone().unwrap_or_default())?,
    };
    let analyzer = match (&pidx.info, &options.analyzer) {
        (Some(info), Some(wanted)) if info.analyzer != *wanted => {
            return Err(Error::Config(format!(
                "the index at `{}` was built with stemmer {} and stop words {}; use another --index, or delete it to rebuild",
                index_dir.display(),
                stemmer_name(&info.analyzer),
                info.analyzer.stopwords_name()
            )))
        }
        (Some(info), _) => info.analyzer.clone(),
        (None, wanted) => wanted.clone().unwrap_or_default(),
    };
    let mut writer: IndexWriter<TantivyDocument> = pidx
        .index
        .writer_with_num_threads(WRITER_THREADS, DEFAULT_WRITER_MEMORY)
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                path: index_dir.to_owned(),
            },
            other => Error::Index(other),
        })?;
    writer.set_merge_policy(Box::new(IngestMergePolicy::new()));
    // Keys are absolute, so that relative paths named from different folders stay apart:
    // a file's key is its root's canonical path (symbolic links and `..` resolved on
    // disk) joined with the file's path under that root.
    let cwd = std::env::current_dir().unwrap_or_default();
    let root_keys: Vec<PathBuf> = corpus
        .roots()
        .iter()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| PathBuf::from(file_key(r, &cwd))))
        .collect();
    let index_key = std::fs::canonicalize(index_dir).unwrap_or_else(|_| cwd.join(index_dir));
    let key_of = |entry: &FileEntry| -> String {
        let root = &corpus.roots()[entry.root];
        match entry.path.strip_prefix(root) {
            Ok(rel) if rel.as_os_str().is_empty() => path_key(&root_keys[entry.root]),
            Ok(rel) => path_key(&root_keys[entry.root].join(rel)),
            Err(_) => file_key(&entry.path, &cwd),
        }
    };
    let mut old = pidx.manifest()?;
    // Records written before keys were absolute: their key is their path, relative to
    // the folder ingest ran in, assumed to be this one. The manifest is then rewritten,
    // and when two records turn out to be one file, the passages of one are deleted.
    let mut rekeyed = false;
    let mut files: BTreeMap<String, FileRecord> = BTreeMap::new();
    for (key, mut rec) in std::mem::take(&mut old.files) {
        let key = if rec.path.is_empty() {
            rekeyed = true;
            rec.path = key.clone();
            file_key(Path::new(&key), &cwd)
        } else {
            key
        };
        if let Some(twin) = files.insert(key, rec) {
            writer.delete_term(Term::from_field_text(pidx.fields.path, &twin.path));
        }
    }
    old.files = files;
    // Which file each indexed path belongs to, to keep paths unambiguous. In one run a
    // path names one file (relative paths start from one folder), so only the paths of
    // earlier runs can name another.
    let path_owner: HashMap<&str, &str> = old
        .files
        .iter()
        .map(|(key, rec)| (rec.path.as_str(), key.as_str()))
        .collect();
    let settings = options.fingerprint();
    let mut new_files: BTreeMap<String, FileRecord> = BTreeMap::new();
    let mut report = IngestReport::default();
    let mut found_per_root = vec![0u64; corpus.roots().len()];
    let mut seen: HashSet<String> = HashSet::new();
    // Files to read, with the path their passages will carry when it is not
    // `path_key(&entry.path)`.
    let mut to_read: Vec<FileEntry> = Vec::new();
    let mut to_read_paths: Vec<Option<String>> = Vec::new();

    for item in items {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                report.skipped_unreadable += 1;
                let msg = e.to_string();
                report.record(ProblemLevel::Error, msg, &mut on_event);
                continue;
            }
        };
        found_per_root[entry.root] += 1;
        let key = key_of(&entry);
        if Path::new(&key).starts_with(&index_key) {
            continue; // the index's own files, when it lies under a root
        }
        if !seen.insert(key.clone()) {
            continue; // the same file under two roots
        }
        if entry.binary_by_name {
            report.skipped_binary += 1;
            let msg = format!("{}: skipped, binary file type", entry.path.display());
            report.record(ProblemLevel::Note, msg, &mut on_event);
            if let Some(rec) = old.files.get(&key) {
                writer.delete_term(Term::from_field_text(pidx.fields.path, &rec.path));
                report.removed += 1;
            }
            continue;
        }
        if entry.len > options.max_filesize {
            report.skipped_too_large += 1;
            // A file that grew too large loses its old passages.
            if let Some(rec) = old.files.get(&key) {
                writer.delete_term(Term::from_field_text(pidx.fields.path, &rec.path));
                report.removed += 1;
            }
            let msg = format!(
                "{}: skipped, {} bytes is over the size limit of {} bytes (--max-filesize)",
                entry.path.display(),
                entry.len,
                options.max_filesize
            );
            report.record(ProblemLevel::Warning, msg, &mut on_event);
            continue;
        }
        let mtime_ns = mtime_ns(entry.modified);
        if let Some(rec) = old.files.get(&key) {
            if rec.len == entry.len
                && rec.mtime_ns == mtime_ns
                && mtime_ns != 0
                && rec.settings == settings
            {
                report.unchanged += 1;
                new_files.insert(key, rec.clone());
                continue;
            }
        }
        let clash = path_owner
            .get(path_key(&entry.path).as_str())
            .is_some_and(|owner| *owner != key);
        to_read.push(entry);
        to_read_paths.push(clash.then_some(key)); // named alike from another folder
    }

    // Read, decode and split on worker threads; index on this one, in walk order.
    let next = AtomicUsize::new(0);
    let threads = options.threads.clamp(1, 16).min(to_read.len().max(1));
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel::<(usize, String, Prepared)>(threads);
        for _ in 0..threads {
            let tx = tx.clone();
            let (to_read, to_read_paths, next, pidx) = (&to_read, &to_read_paths, &next, &pidx);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(entry) = to_read.get(i) else { break };
                let path = to_read_paths[i]
                    .clone()
                    .unwrap_or_else(|| path_key(&entry.path));
                let prepared = prepare(entry, &path, pidx, options);
                if tx.send((i, path, prepared)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let total = to_read.len() as u64;
        for (done, (i, path, prepared)) in rx.into_iter().enumerate() {
            let entry = &to_read[i];
            on_event(IngestEvent::Progress {
                done: done as u64 + 1,
                total,
                bytes: report.bytes + entry.len,
            });
            let key = key_of(entry);
            match prepared {
                Prepared::Binary => {
                    report.skipped_binary += 1;
                    let msg = format!("{}: skipped, binary file", entry.path.display());
                    report.record(ProblemLevel::Note, msg, &mut on_event);
                    // A file that became binary loses its old passages.
                    if let Some(rec) = old.files.get(&key) {
                        writer.delete_term(Term::from_field_text(pidx.fields.path, &rec.path));
                        report.removed += 1;
                    }
                }
                Prepared::TooLarge(msg) => {
                    report.skipped_too_large += 1;
                    report.record(ProblemLevel::Warning, msg, &mut on_event);
                    if let Some(rec) = old.files.get(&key) {
                        writer.delete_term(Term::from_field_text(pidx.fields.path, &rec.path));
                        report.removed += 1;
                    }
                }
                Prepared::Failed(msg) => {
                    report.skipped_unreadable += 1;
                    report.record(ProblemLevel::Error, msg, &mut on_event);
                    if let Some(rec) = old.files.get(&key) {
                        new_files.insert(key, rec.clone()); // keep what we had
                    }
                }
                Prepared::Docs {
                    hash,
                    len,
                    docs,
                    notice,
                    errors,
                } => {
                    report.bytes += len;
                    // A file with bad lines is read again next run (settings 0 never
                    // match), so that its errors are reported until it is fixed.
                    let settings = if errors.is_empty() { settings } else { 0 };
                    for msg in errors {
                        report.record(ProblemLevel::Error, msg, &mut on_event);
                    }
                    if let Some((notice_level, msg)) = notice {
                        report.record(notice_level, msg, &mut on_event);
                    }
                    let record = FileRecord {
                        len,
                        mtime_ns: mtime_ns(entry.modified),
                        hash,
                        passages: docs.len() as u64,
                        settings,
                        path,
                    };
                    match old.files.get(&key) {
                        Some(rec)
                            if rec.hash == hash && rec.len == len && rec.settings == settings =>
                        {
                            report.unchanged += 1;
                            new_files.insert(
                                key,
                                FileRecord {
                                    passages: rec.passages,
                                    path: rec.path.clone(),
                                    ..record
                                },
                            );
                            continue;
                        }
                        Some(rec) => {
                            writer.delete_term(Term::from_field_text(pidx.fields.path, &rec.path));
                            report.updated += 1;
                        }
                        None => report.added += 1,
                    }
                    report.passages += docs.len() as u64;
                    for doc in docs {
                        writer
                            .add_document(doc)
                            .map_err(|e| write_failed(index_dir, e))?;
                    }
                    new_files.insert(key, record);
                }
            }
        }
        Ok(())
    })?;

    // Files that vanished under one of the roots.
    for (key, rec) in &old.files {
        if seen.contains(key) || new_files.contains_key(key) {
            continue;
        }
        if root_keys
            .iter()
            .any(|root| Path::new(key).starts_with(root))
        {
            writer.delete_term(Term::from_field_text(pidx.fields.path, &rec.path));
            report.removed += 1;
        } else {
            new_files.insert(key.clone(), rec.clone());
        }
    }
    for (root, count) in corpus.roots().iter().zip(&found_per_root) {
        if *count == 0 {
            let msg = format!("{}: no files found", root.display());
            report.record(ProblemLevel::Error, msg, &mut on_event);
        }
    }

    let manifest_changed = new_files != old.files || rekeyed;
    report.total_passages = new_files.values().map(|r| r.passages).sum();
    if manifest_changed || pidx.info.is_none() {
        // See: issue 17 (reading the whole manifest doubled a query's time at 100 MB).
        let cwd_key = file_key(Path::new(""), &cwd);
        let paths_relative_to = new_files
            .iter()
            .all(|(key, rec)| {
                Path::new(&rec.path).is_absolute() || file_key(Path::new(&rec.path), &cwd) == *key
            })
            .then_some(cwd_key);
        let name = write_manifest(index_dir, &Manifest { files: new_files })?;
        let info = IndexInfo {
            paths_relative_to,
            format: FORMAT_VERSION,
            analyzer,
            manifest: Some(name.clone()),
            ingested_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        let payload = serde_json::to_string(&info)
            .map_err(|e| Error::Config(format!("cannot encode index settings: {e}")))?;
        let mut prepared = writer
            .prepare_commit()
            .map_err(|e| write_failed(index_dir, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| write_failed(index_dir, e))?;
        report.committed = true;
        writer.wait_merging_threads()?;
        // The previous manifest stays for readers that opened the previous commit just
        // before this one (see: issue 3, found by the concurrent query test).
        let previous = pidx.info.as_ref().and_then(|i| i.manifest.as_deref());
        remove_stale_manifests(index_dir, &[&name, previous.unwrap_or("")]);
    } else {
        writer.rollback()?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The error for a failed write to the index directory. Tantivy reports an I/O error in
/// an indexing thread only as a dead worker, so the message names the likely causes.
/// Files the failed run wrote are removed, so that a full disk does not stay full.
fn write_failed(index_dir: &Path, e: TantivyError) -> Error {
    let detail = match &e {
        TantivyError::ErrorInThread(_) => {
            "an indexing thread failed to write (is the disk full, or the directory not writable?)"
                .to_owned()
        }
        other => other.to_string(),
    };
    Error::IndexWrite {
        path: index_dir.to_owned(),
        detail,
    }
}

fn stemmer_name(settings: &AnalyzerSettings) -> String {
    match settings.stemmer {
        Some(lang) => format!("{lang:?}").to_lowercase(),
        None => "none".into(),
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

fn mtime_ns(t: Option<SystemTime>) -> u64 {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

fn prepare(
    entry: &FileEntry,
    path: &str,
    pidx: &PassageIndex,
    options: &IngestOptions,
) -> Prepared {
    let bytes = match std::fs::read(&entry.path) {
        Ok(b) => b,
        Err(e) => return Prepared::Failed(Error::io(&entry.path, e).to_string()),
    };
    let len = bytes.len() as u64;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let compression = Compression::sniff(&bytes);
    let bytes = match compression {
        None => bytes,
        Some(kind) => match decompress(&bytes, kind, options.max_filesize) {
            Ok(inner) => inner,
            Err(DecompressError::TooLarge(kind)) => {
                return Prepared::TooLarge(format!(
                    "{}: skipped, {} content over the size limit of {} bytes (--max-filesize)",
                    entry.path.display(),
                    kind.name(),
                    options.max_filesize
                ))
            }
            Err(DecompressError::Corrupt(kind, e)) => {
                return Prepared::Failed(format!(
                    "{}: cannot decompress {}: {e}",
                    entry.path.display(),
                    kind.name()
                ))
            }
        },
    };
    let decoded = match decode(bytes, options.encoding) {
        Decoded::Binary => return Prepared::Binary,
        Decoded::Text(t) => t,
    };
    let notice = if decoded.lossy {
        Some((
            ProblemLevel::Warning,
            format!(
                "{}: some bytes are not valid {} and were replaced by U+FFFD",
                entry.path.display(),
                decoded.encoding
            ),
        ))
    } else if decoded.encoding != "UTF-8" {
        Some((
            ProblemLevel::Note,
            format!(
                "{}: decoded from {}; byte offsets refer to the UTF-8 text",
                entry.path.display(),
                decoded.encoding
            ),
        ))
    } else {
        None
    };
    let f = &pidx.fields;
    let key = path;
    let encoding = (decoded.encoding != "UTF-8").then_some(decoded.encoding);
    let format = match options.input {
        InputFormat::Auto => {
            let named = match compression {
                Some(_) => inner_path(&entry.path),
                None => entry.path.clone(),
            };
            let ext = named
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            match ext.as_deref() {
                Some("jsonl" | "ndjson") => InputFormat::Jsonl,
                Some("md" | "markdown" | "mdown" | "mkd") => InputFormat::Markdown,
                Some("html" | "htm" | "xhtml") => InputFormat::Html,
                _ => InputFormat::Text,
            }
        }
        other => other,
    };
    let is_jsonl = format == InputFormat::Jsonl;
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    if is_jsonl {
        // Each document is split on its own; line is the document's line in the file,
        // byte offsets point into the document's text, ordinals run over the whole file.
        let (documents, bad) = parse_jsonl(&decoded.text, &options.jsonl);
        for e in bad {
            errors.push(format!(
                "{}:{}: {}; line skipped",
                entry.path.display(),
                e.line,
                e.message
            ));
        }
        for d in documents {
            let mut passages = split_passages(&d.text, &options.split);
            let title_only = passages.is_empty();
            if title_only {
                // A document with a title and no text: the title is its one passage.
                passages = d
                    .title
                    .as_deref()
                    .map(|t| {
                        split_passages(
                            t.trim(),
                            &SplitOptions {
                                max_chars: 0,
                                ..options.split
                            },
                        )
                    })
                    .unwrap_or_default();
                passages.truncate(1);
            }
            for mut p in passages {
                p.ordinal = docs.len() as u64;
                p.line = d.line;
                p.end_line = d.line;
                if !title_only {
                    p.heading = d.title.clone();
                }
                docs.push(passage_doc(f, key, &p, 0, encoding, Some(&d.id)));
            }
        }
    } else {
        let shift = if decoded.offsets_are_file_offsets {
            decoded.bom_len as u64
        } else {
            0
        };
        let passages = if format == InputFormat::Markdown {
            split_markdown(&decoded.text, &options.split)
        } else if format == InputFormat::Html {
            crate::passage::html::split_html(&decoded.text, &options.split)
        } else {
            split_passages(&decoded.text, &options.split)
        };
        for p in passages {
            docs.push(passage_doc(f, key, &p, shift, encoding, None));
        }
    }
    Prepared::Docs {
        hash,
        len,
        docs,
        notice,
        errors,
    }
}

/// The Tantivy document of one passage; `shift` is added to its byte offsets.
fn passage_doc(
    f: &super::Fields,
    path: &str,
    p: &crate::passage::Passage,
    shift: u64,
    encoding: Option<&str>,
    doc_id: Option<&str>,
) -> TantivyDocument {
    // The value bytes sized to fit: the default reserves 1 KiB, and allocating and
    // freeing that per passage (in different threads) was 6 % of ingest CPU. Each value
    // takes its bytes and a length or type prefix of at most 5 bytes; a u64 takes 8.
    let heading_len = p.heading.as_ref().map_or(0, |h| 2 * h.len());
    let bytes = path.len()
        + 8
        + LOCATION_MAX_BYTES
        + heading_len
        + p.text.len()
        + encoding.map_or(0, str::len)
        + doc_id.map_or(0, str::len)
        + 7 * 5;
    let mut doc = TantivyDocument::with_capacity(bytes);
    doc.add_text(f.path, path);
    doc.add_u64(f.ordinal, p.ordinal);
    let location = Location {
        ordinal: p.ordinal,
        line: p.line,
        end_line: p.end_line,
        byte_start: p.byte_range.start as u64 + shift,
        byte_end: p.byte_range.end as u64 + shift,
    };
    doc.add_bytes(f.location, location.encode(&mut [0; LOCATION_MAX_BYTES]));
    if let Some(h) = &p.heading {
        doc.add_text(f.heading, h);
        doc.add_text(f.body, h); // first of two values: see `Fields::body`
    }
    doc.add_text(f.body, &p.text);
    if let Some(e) = encoding {
        doc.add_text(f.encoding, e);
    }
    if let Some(id) = doc_id {
        doc.add_text(f.doc_id, id);
    }
    doc
}

/// Writes `manifest` to a new file in `dir` (write to a temporary name, fsync, rename)
/// and returns its file name.
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<String> {
    use std::io::Write;
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!("passage-manifest-{stamp}-{}.json.zst", std::process::id());
    let tmp: PathBuf = dir.join(format!("{name}.tmp"));
    // zstd: the JSON repeats its field names per file, and 260 bytes a file counted in the
    // index size (1.4 MB of the 100 MB benchmark corpus's index; 0.2 MB compressed). It is
    // written as it is encoded, never whole in memory (14 MB for the 1 GB corpus).
    let f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let mut zst =
        zstd::Encoder::new(std::io::BufWriter::new(f), 3).map_err(|e| Error::io(&tmp, e))?;
    serde_json::to_writer(&mut zst, manifest).map_err(|e| Error::io(&tmp, e.into()))?;
    let f = zst
        .finish()
        .and_then(|mut w| w.flush().map(|()| w))
        .map_err(|e| Error::io(&tmp, e))?;
    let f = f
        .into_inner()
        .map_err(|e| Error::io(&tmp, e.into_error()))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    let dest = dir.join(&name);
    std::fs::rename(&tmp, &dest).map_err(|e| Error::io(&dest, e))?;
    Ok(name)
}

/// Deletes manifest files other than those in `keep` (left by earlier commits or killed
/// runs).
fn remove_stale_manifests(dir: &Path, keep: &[&str]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("passage-manifest-") && !keep.contains(&name.as_ref()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
    use tantivy::merge_policy::MergePolicy;

    #[test]
    fn big_segments_merge_only_when_mostly_deleted() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let big = |deleted: u32| {
            index
                .new_segment_meta(SegmentId::generate_random(), 256_000)
                .with_delete_meta(deleted, 1)
        };
        let (intact, half, most) = (big(0), big(128_000), big(200_000));
        let small: Vec<_> = (0..8)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 1_000))
            .collect();
        let mut segments = vec![intact.clone(), half.clone(), most.clone()];
        segments.extend(small.iter().cloned());
        let candidates = IngestMergePolicy::new().compute_merge_candidates(&segments);
        let merged: Vec<Vec<SegmentId>> = candidates.into_iter().map(|c| c.0).collect();
        // The eight small segments merge together (Tantivy's log policy); the half-deleted
        // big segment merges among them or alone; the intact big one never merges.
        assert!(
            merged.iter().all(|c| !c.contains(&intact.id())),
            "{merged:?}"
        );
        for seg in [&half, &most] {
            assert!(merged.iter().any(|c| c.contains(&seg.id())), "{merged:?}");
        }
        for seg in &small {
            assert!(merged.iter().any(|c| c.contains(&seg.id())), "{merged:?}");
        }
    }
}
