//! Ingest: walking, reading, splitting and indexing files as one atomic commit.
//!
//! A run goes through three stages, each in its own file:
//!
//! 1. `plan`: the walk and the last commit's manifest -> which files to read, which to
//!    keep unchanged, which to skip (binary, too large, unreadable) and which to remove
//!    (vanished), as data.
//! 2. `read`: a pool of worker threads reads, decompresses, decodes and splits each
//!    file to read into the Tantivy documents of its passages.
//! 3. `write`: on the calling thread, replaces changed files' passages, adds new ones,
//!    and commits once with the new manifest.
//!
//! `keys` names files (manifest keys and stored paths); which extension is which
//! format is the formats table in `corpus::formats`.

mod keys;
mod options;
mod plan;
mod read;
mod remove;
mod report;
mod write;

use std::path::Path;
use std::time::Instant;

use tantivy::TantivyDocument;

use crate::analysis::AnalyzerSettings;
use crate::corpus::CorpusBuilder;
pub use crate::corpus::InputFormat;
use crate::error::{Error, Result};
use crate::index::{IndexInfo, PassageIndex};
pub use keys::{file_key, path_key};
pub use options::IngestOptions;
use plan::Plan;
pub use remove::{remove, RemoveOptions, RemoveReport, RemovedFile};
pub use report::{IngestEvent, IngestReport, ProblemLevel};

pub(crate) use read::Docs;
pub(crate) use write::commit;
use write::{open_writer, remove_stale_manifests, Roots, Write};

/// Runs ingest of the files `corpus` finds into the index at `index_dir`, creating it
/// when needed, and commits once at the end.
///
/// Files whose size and modification time match the last run are not read; files whose
/// content hash matches are not re-indexed. Files under the roots that have vanished lose
/// their passages. Files under other roots are untouched, unless `options.prune` is set
/// and their root no longer exists.
///
/// `on_event` is called with each per-file error or notice as it happens, and with the
/// progress after each file read ([`IngestEvent`]).
///
/// # Errors
/// [`Error::MissingPath`] for a root that does not exist; [`Error::NotAnIndex`] when
/// `index_dir` holds no index but other files; [`Error::IndexLocked`] when another ingest
/// holds the index; [`Error::Config`] when the requested analyzer differs from the
/// index's; I/O and Tantivy errors of the index itself. On error nothing of the run is
/// committed.
pub fn ingest(
    index_dir: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    on_event: impl FnMut(IngestEvent<'_>),
) -> Result<IngestReport> {
    let result = run(index_dir, corpus, options, on_event);
    if let Err(Error::IndexWrite { .. }) = &result {
        clean_up_failed_write(index_dir);
    }
    result
}

/// Removes what a run that failed to write left in the index at `index_dir` (segments, a
/// manifest), best effort.
fn clean_up_failed_write(index_dir: &Path) {
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
/// As [`ingest`]; [`Error::Config`] when `index_dir` has no folder name;
/// [`Error::NotAnIndex`] when `index_dir` (or one of the two hidden folders) holds files
/// an index does not write, before anything is changed; [`Error::Io`] when a folder
/// cannot be moved or removed.
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
    // The three folders are removed whole below: never a folder of the user's files.
    for dir in [index_dir, &fresh, &old] {
        crate::index::folder::ensure_index_or_empty(dir)?;
    }
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

/// One ingest run: plan, read, write (see the module docs).
fn run(
    index_dir: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    on_event: impl FnMut(IngestEvent<'_>),
) -> Result<IngestReport> {
    let started = Instant::now();
    let items = corpus.walk()?;
    let (pidx, analyzer) = open_index(index_dir, options)?;
    let writer = open_writer(&pidx, index_dir)?;
    let keys = keys::Keys::new(corpus, index_dir);
    let plan = Plan::new(items, pidx.manifest()?, &keys, options);
    let settings = options.fingerprint();
    let mut roots = Roots {
        new: plan.roots.clone(),
        old: plan.roots,
    };
    roots.new.extend(keys.root_keys.iter().map(|r| path_key(r)));
    let mut write = Write::new(
        writer,
        index_dir,
        pidx.fields.path,
        plan.old,
        settings,
        roots,
        on_event,
    );
    for path in &plan.twins {
        write.delete(path);
    }
    for step in plan.found {
        write.apply(step);
    }
    let total = plan.read.len() as u64;
    let mut done = 0;
    read::read_all(&plan.read, &pidx.fields, options, |file, outcome| {
        done += 1;
        write.file(file, outcome, done, total)
    })?;
    for step in plan.unseen {
        write.apply(step);
    }
    for root in plan.empty_roots {
        let msg = format!("{}: no files found", root.display());
        write.problem(ProblemLevel::Error, msg);
    }
    let mut report = write.finish(analyzer, plan.rekeyed, pidx.info.as_ref(), &keys.cwd)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Opens the index at `index_dir`, or creates it with `options.analyzer` (by default
/// English stemming), and returns it with the analyzer settings its passages are
/// analysed with.
///
/// # Errors
/// [`Error::DamagedIndex`] when the index cannot be read; [`Error::Config`] when
/// `options.analyzer` differs from the index's; errors of opening or creating it.
fn open_index(
    index_dir: &Path,
    options: &IngestOptions,
) -> Result<(PassageIndex, AnalyzerSettings)> {
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
        // Identifier parts are not the user's to choose: an index written without them
        // keeps being written so (until `--rebuild`).
        (Some(info), Some(wanted))
            if (&info.analyzer.stemmer, &info.analyzer.stopwords)
                != (&wanted.stemmer, &wanted.stopwords) =>
        {
            return Err(Error::Config(format!(
                "the index at `{}` was built with stemmer {} and stop words {}; ingest into another index folder, or delete this one to rebuild it",
                index_dir.display(),
                stemmer_name(&info.analyzer),
                info.analyzer.stopwords_name()
            )))
        }
        (Some(info), _) => info.analyzer.clone(),
        (None, wanted) => wanted.clone().unwrap_or_default(),
    };
    Ok((pidx, analyzer))
}

fn stemmer_name(settings: &AnalyzerSettings) -> String {
    match settings.stemmer {
        Some(lang) => format!("{lang:?}").to_lowercase(),
        None => "none".into(),
    }
}
