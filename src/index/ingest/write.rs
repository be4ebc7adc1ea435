//! Write: replace and add passages in the Tantivy index, then commit once with the new
//! manifest, so that readers see all of a run or none of it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use tantivy::directory::error::LockError;
use tantivy::schema::{Field, Term};
use tantivy::{IndexWriter, TantivyDocument, TantivyError};

use super::keys::file_key;
use super::plan::{mtime_ns, Step, ToRead};
use super::read::FileDocs;
use super::report::{IngestEvent, IngestReport, ProblemLevel, Skip, SkipWhy};
use crate::analysis::AnalyzerSettings;
use crate::error::{Error, Result};
use crate::index::{FileRecord, IndexInfo, Manifest, PassageIndex, FORMAT_VERSION};

/// Tantivy's indexing threads share this many bytes of arena memory. Measured on the
/// 100 MB benchmark corpus: 96 MiB and 512 MiB ingest equally fast, so the smaller
/// budget keeps peak memory down.
pub(crate) const DEFAULT_WRITER_MEMORY: usize = 96 * 1024 * 1024;

/// Tantivy indexing threads: tokenising and building postings is most of ingest, so
/// both cores of the reference machine index (one thread: 1.6x slower, measured).
pub(crate) const WRITER_THREADS: usize = 2;

/// Segments with more passages than this are merged with others only when at least
/// half of their passages are deleted.
///
/// A merge reads its input segments through memory maps, and their pages count in the
/// process's resident memory: merging eight of the ~256 000-passage segments a 1 GB
/// ingest flushes took peak RSS from 277 MB to 628 MB (measured on the 1 GB benchmark
/// corpus). Segments that big are searched fine as they are (1 GB corpus, 26 segments:
/// 14.7 ms geomean query latency); the small segments of incremental re-ingests still merge.
pub(crate) const MAX_MERGE_PASSAGES: usize = 100_000;

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

/// A Tantivy writer on `pidx` with [`WRITER_THREADS`] threads, [`DEFAULT_WRITER_MEMORY`]
/// and the [`IngestMergePolicy`].
///
/// # Errors
/// [`Error::IndexLocked`] when another writer holds the index at `index_dir`; other
/// Tantivy errors as [`Error::Index`].
pub(crate) fn open_writer(
    pidx: &PassageIndex,
    index_dir: &Path,
) -> Result<IndexWriter<TantivyDocument>> {
    let writer = pidx
        .index
        .writer_with_num_threads(WRITER_THREADS, DEFAULT_WRITER_MEMORY)
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                path: index_dir.to_owned(),
            },
            other => Error::Index(other),
        })?;
    writer.set_merge_policy(Box::new(IngestMergePolicy::new()));
    Ok(writer)
}

/// The roots of the last commit's manifest, and the candidates for the next one's.
#[derive(Debug, Default)]
pub(crate) struct Roots {
    /// The last commit's ([`Manifest::roots`]).
    pub(crate) old: BTreeSet<String>,
    /// The last commit's and this run's; each is kept while a file under it is indexed.
    pub(crate) new: BTreeSet<String>,
}

/// The write stage of one run: the Tantivy writer, the last commit's manifest records,
/// and the records and report this run builds. Problems go to `on_event` as they are
/// recorded.
pub(crate) struct Write<'a, F: FnMut(IngestEvent<'_>)> {
    writer: IndexWriter<TantivyDocument>,
    index_dir: &'a Path,
    /// The field passages carry their file's path in (deletes go by it).
    path_field: Field,
    /// The last commit's records by key (keys migrated).
    old: BTreeMap<String, FileRecord>,
    /// This run's records by key: the next manifest.
    new: BTreeMap<String, FileRecord>,
    /// [`super::IngestOptions::fingerprint`] of this run.
    settings: u64,
    roots: Roots,
    report: IngestReport,
    on_event: F,
}

impl<'a, F: FnMut(IngestEvent<'_>)> Write<'a, F> {
    /// The write stage over `writer` (see [`open_writer`]) on the index at `index_dir`,
    /// replacing the records `old` and `roots.old`, for a run with the options fingerprint
    /// `settings`.
    pub(crate) fn new(
        writer: IndexWriter<TantivyDocument>,
        index_dir: &'a Path,
        path_field: Field,
        old: BTreeMap<String, FileRecord>,
        settings: u64,
        roots: Roots,
        on_event: F,
    ) -> Self {
        Write {
            writer,
            index_dir,
            path_field,
            old,
            new: BTreeMap::new(),
            settings,
            roots,
            report: IngestReport::default(),
            on_event,
        }
    }

    /// Deletes the passages that carry `path` (from the last commit; deletes apply to
    /// documents added before them).
    pub(crate) fn delete(&self, path: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.path_field, path));
    }

    /// Deletes the old passages of the file at `key` and counts them, when the last commit
    /// had it; returns whether it had.
    fn remove(&mut self, key: &str) -> bool {
        let Some(rec) = self.old.get(key) else {
            return false;
        };
        self.delete(&rec.path);
        self.report.passages_deleted += rec.passages;
        true
    }

    /// Keeps the last commit's record of the file at `key`, if there is one.
    fn keep(&mut self, key: String) {
        if let Some(rec) = self.old.get(&key) {
            self.new.insert(key, rec.clone());
        }
    }

    /// Applies a step of the plan: keep (counted unchanged when found), skip (a binary or
    /// oversized file is removed, an unreadable one kept), remove or prune.
    pub(crate) fn apply(&mut self, step: Step) {
        match step {
            Step::Unchanged(key) => {
                self.report.unchanged += 1;
                self.keep(key);
            }
            Step::Untouched(key) => self.keep(key),
            Step::Skip(key, skip) => self.skip(key, skip),
            Step::Remove(key) => self.report.removed += u64::from(self.remove(&key)),
            Step::Prune(key) => self.report.pruned += u64::from(self.remove(&key)),
        }
    }

    /// Counts and reports a skipped file; binary and oversized files lose their old
    /// passages, unreadable ones keep them.
    fn skip(&mut self, key: Option<String>, skip: Skip) {
        let why = skip.why;
        self.report.skip(skip, &mut self.on_event);
        match (key, why) {
            (None, _) => {}
            (Some(key), SkipWhy::Unreadable) => self.keep(key),
            (Some(key), SkipWhy::Binary | SkipWhy::TooLarge | SkipWhy::NoText) => {
                self.report.removed += u64::from(self.remove(&key));
            }
        }
    }

    /// Reports a problem that concerns no file (a root with no files).
    pub(crate) fn problem(&mut self, level: ProblemLevel, message: String) {
        self.report.record(level, message, &mut self.on_event);
    }

    /// Takes the outcome of reading `file`, the `done`-th of `total`: reports progress,
    /// then indexes its documents or skips it.
    ///
    /// # Errors
    /// [`Error::IndexWrite`] when a document cannot be added.
    pub(crate) fn file(
        &mut self,
        file: &ToRead,
        outcome: std::result::Result<FileDocs, Skip>,
        done: u64,
        total: u64,
    ) -> Result<()> {
        (self.on_event)(IngestEvent::Progress {
            done,
            total,
            bytes: self.report.bytes + file.entry.len,
        });
        match outcome {
            Ok(docs) => self.index(file, docs),
            Err(skip) => {
                self.skip(Some(file.key.clone()), skip);
                Ok(())
            }
        }
    }

    /// Indexes the documents of a file read: added when new, replacing the old ones when
    /// its content or settings changed, and nothing when its content hash is unchanged.
    fn index(&mut self, file: &ToRead, read: FileDocs) -> Result<()> {
        self.report.bytes += read.len;
        // A file with bad lines is read again next run (settings 0 never match), so that
        // its errors are reported until it is fixed.
        let settings = if read.errors.is_empty() {
            self.settings
        } else {
            0
        };
        for msg in read.errors {
            self.report
                .record(ProblemLevel::Error, msg, &mut self.on_event);
        }
        if let Some((level, msg)) = read.notice {
            self.report.record(level, msg, &mut self.on_event);
        }
        let record = FileRecord {
            len: read.len,
            mtime_ns: mtime_ns(file.entry.modified),
            hash: read.hash,
            passages: read.docs.len() as u64,
            settings,
            path: file.path.clone(),
        };
        match self.old.get(&file.key) {
            Some(rec)
                if rec.hash == read.hash && rec.len == read.len && rec.settings == settings =>
            {
                self.report.unchanged += 1;
                let record = FileRecord {
                    passages: rec.passages,
                    path: rec.path.clone(),
                    ..record
                };
                self.new.insert(file.key.clone(), record);
                return Ok(());
            }
            Some(_) => {
                self.remove(&file.key);
                self.report.updated += 1;
            }
            None => self.report.added += 1,
        }
        self.report.passages += read.docs.len() as u64;
        for doc in read.docs {
            self.writer
                .add_document(doc)
                .map_err(|e| write_failed(self.index_dir, e))?;
        }
        self.new.insert(file.key.clone(), record);
        Ok(())
    }

    /// Ends the run: commits the changes with a new manifest when the records or roots
    /// changed (or keys were migrated, `rekeyed`) or the index was never committed
    /// (`previous`, the last commit's settings, is `None`); else rolls back, leaving the
    /// index as it was. Relative stored paths are relative to `cwd`. The new manifest keeps
    /// the roots a file is indexed under.
    ///
    /// # Errors
    /// [`Error::IndexWrite`] when the commit fails; [`Error::Io`] when the manifest
    /// cannot be written; Tantivy errors of the merge threads or the rollback.
    pub(crate) fn finish(
        mut self,
        analyzer: AnalyzerSettings,
        rekeyed: bool,
        previous: Option<&IndexInfo>,
        cwd: &Path,
    ) -> Result<IngestReport> {
        self.report.total_passages = self.new.values().map(|r| r.passages).sum();
        let new = &self.new;
        let roots: BTreeSet<String> = (self.roots.new.iter())
            .filter(|root| Manifest::keys_under(new, root).next().is_some())
            .cloned()
            .collect();
        if self.new == self.old && roots == self.roots.old && !rekeyed && previous.is_some() {
            self.writer.rollback()?;
            return Ok(self.report);
        }
        // See: issue 17 (reading the whole manifest doubled a query's time at 100 MB).
        let paths_relative_to = self
            .new
            .iter()
            .all(|(key, rec)| {
                Path::new(&rec.path).is_absolute() || file_key(Path::new(&rec.path), cwd) == *key
            })
            .then(|| file_key(Path::new(""), cwd));
        let manifest = Manifest {
            files: self.new,
            roots,
        };
        let name = write_manifest(self.index_dir, &manifest)?;
        let info = IndexInfo {
            paths_relative_to,
            format: FORMAT_VERSION,
            analyzer,
            manifest: Some(name.clone()),
            ingested_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        commit(&mut self.writer, self.index_dir, &info)?;
        self.report.committed = true;
        self.writer.wait_merging_threads()?;
        // The previous manifest stays for readers that opened the previous commit just
        // before this one (see: issue 3, found by the concurrent query test).
        let previous = previous.and_then(|i| i.manifest.as_deref());
        remove_stale_manifests(self.index_dir, &[&name, previous.unwrap_or("")]);
        Ok(self.report)
    }
}

/// Commits what `writer` holds with `info` as the commit's payload.
///
/// # Errors
/// [`Error::IndexWrite`] when the commit fails; [`Error::Internal`] when `info` cannot be
/// encoded.
pub(crate) fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    index_dir: &Path,
    info: &IndexInfo,
) -> Result<()> {
    let payload = serde_json::to_string(info)
        .map_err(|e| Error::Internal(format!("cannot encode index settings: {e}")))?;
    let mut prepared = writer
        .prepare_commit()
        .map_err(|e| write_failed(index_dir, e))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| write_failed(index_dir, e))?;
    Ok(())
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
pub(crate) fn remove_stale_manifests(dir: &Path, keep: &[&str]) {
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
