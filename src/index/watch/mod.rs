//! Watching: keeping an index fresh by re-ingesting what changes under its roots.
//!
//! [`watch`] watches the roots (through `notify`: inotify on Linux, FSEvents on macOS,
//! ReadDirectoryChangesW on Windows), runs an ingest, then gathers file system events into
//! batches: a batch ends [`QUIET`] after its last event, or [`MAX_DELAY`] after its first
//! when events keep coming. Each batch runs one incremental [`ingest`] (one commit, or none
//! when nothing changed).
//!
//! An event only says that something changed, never what: the ingest walks the roots
//! again and compares each file's size and modification time with the last commit. So a
//! lost, merged or reordered event costs nothing, and renames, saves by rename (a temporary
//! file renamed over the old one) and files created in new subfolders need no special case.
//! The price is a walk per batch: one `stat` per file under the roots.
//!
//! Events the ingest causes itself (its reads, its writes into an index folder that lies
//! under a root) are dropped, so an ingest never starts the next one.

mod filter;
mod roots;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::corpus::CorpusBuilder;
use crate::error::{Error, ErrorKind, Result};
use crate::index::ingest::{ingest, IngestEvent, IngestOptions, IngestReport};
use filter::Filter;
use roots::{watch_error, RootChange, Roots};

/// A batch ends this long after its last event (300 ms).
pub const QUIET: Duration = Duration::from_millis(300);

/// A batch ends at the latest this long after its first event, even while events keep
/// coming (2 s).
pub const MAX_DELAY: Duration = Duration::from_secs(2);

/// How often the stop flag and the roots (vanished, back) are looked at (250 ms).
const TICK: Duration = Duration::from_millis(250);

/// How long to wait before trying again when another ingest holds the index (1 s).
const RETRY: Duration = Duration::from_secs(1);

/// Something a watch reports while it runs.
#[derive(Debug)]
pub enum WatchEvent<'a> {
    /// An event of the running ingest (a problem with a file, progress).
    Ingest(IngestEvent<'a>),
    /// An ingest ended; `first` is true for the one before watching starts.
    Ingested {
        /// What the run did.
        report: &'a IngestReport,
        /// True for the first run.
        first: bool,
    },
    /// A re-ingest failed: nothing of it was committed, and watching goes on.
    Failed(&'a Error),
    /// The first ingest is committed and the roots are watched.
    Watching {
        /// The roots, as given.
        roots: &'a [PathBuf],
    },
    /// A root vanished: its passages stay until it is back, and it is waited for.
    RootGone(&'a Path),
    /// A root that had vanished is back; it is ingested again.
    RootBack(&'a Path),
    /// A problem of the watcher that does not stop the watch (one line).
    Warning(&'a str),
}

/// What a watch did, when it ends.
#[derive(Debug, Default, Clone)]
pub struct WatchSummary {
    /// Ingest runs, the first included.
    pub runs: u64,
    /// Runs that failed (nothing of them committed).
    pub failed: u64,
    /// True when the last run succeeded without per-file errors: the index holds what was
    /// on disk then.
    pub last_clean: bool,
}

/// Ingests `corpus` into the index at `index_dir`, then re-ingests whenever files under its
/// roots change, until `stop` is set.
///
/// The roots are watched before the first ingest, so nothing that changes during it is
/// missed. Each batch of events ([`QUIET`], [`MAX_DELAY`]) leads to one [`ingest`] run,
/// which commits once (or not at all when nothing changed). `stop` is looked at every
/// 250 ms and between runs, never during one: a run that started ends with its commit,
/// and a batch still gathering is dropped (the next ingest picks it up). A root that
/// vanishes is reported ([`WatchEvent::RootGone`]), its passages stay and the other roots
/// are ingested without it; when it is back (the same path, a new folder) it is watched
/// and ingested again. A failed re-ingest is reported ([`WatchEvent::Failed`]) and the
/// watch goes on; when another ingest holds the index, the run is tried again after 1 s.
///
/// Meant to run on a thread of its own (a server's), or on the main thread of a command
/// with `stop` set by a signal handler.
///
/// # Example
/// A watch on a thread of its own, stopped once it has started:
/// ```
/// # fn main() -> passage::Result<()> {
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use passage::{watch, CorpusBuilder, IngestOptions, WatchEvent};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("notes.txt"), "The treaty was signed.\n").unwrap();
/// let corpus = CorpusBuilder::new(vec![dir.path().to_owned()]);
/// let index = dir.path().join("index");
/// let stop = AtomicBool::new(false);
/// let summary = std::thread::scope(|s| {
///     let (ready, started) = std::sync::mpsc::channel();
///     let watching = s.spawn(|| {
///         watch(&index, &corpus, &IngestOptions::default(), move |e| {
///             if let WatchEvent::Watching { .. } = e {
///                 ready.send(()).unwrap();
///             }
///         }, &stop)
///     });
///     // A server would answer queries here; the index is fresh.
///     if started.recv().is_ok() {
///         stop.store(true, Ordering::SeqCst);
///     }
///     watching.join().unwrap()
/// })?;
/// assert_eq!((summary.runs, summary.last_clean), (1, true));
/// # Ok(()) }
/// ```
///
/// # Errors
/// As [`ingest`] for the first run (a root missing, the index locked or incompatible);
/// [`Error::Watch`] when the roots cannot be watched: the system's limit of watches (on
/// Linux `fs.inotify.max_user_watches`) is reached, or the watcher fails.
pub fn watch(
    index_dir: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    mut on_event: impl FnMut(WatchEvent<'_>),
    stop: &AtomicBool,
) -> Result<WatchSummary> {
    let first_root = corpus.roots().first().cloned().unwrap_or_default();
    // As `ingest` would, before anything is watched (a missing root is waited for later).
    if let Some(root) = corpus
        .roots()
        .iter()
        .find(|r| std::fs::symlink_metadata(r).is_err())
    {
        return Err(Error::MissingPath { path: root.clone() });
    }
    let (tx, rx) = mpsc::channel();
    let config = notify::Config::default().with_follow_symlinks(corpus.follows_links());
    let watcher = <notify::RecommendedWatcher as notify::Watcher>::new(tx, config)
        .map_err(|e| watch_error(&first_root, e))?;
    let mut w = Watch {
        rx,
        watcher,
        roots: Roots::new(corpus.roots()),
        summary: WatchSummary::default(),
    };
    w.refresh(&mut on_event)?;
    let report = ingest(index_dir, corpus, options, |e| {
        on_event(WatchEvent::Ingest(e))
    })?;
    w.done(Ok(&report));
    on_event(WatchEvent::Ingested {
        report: &report,
        first: true,
    });
    let filter = Filter::new(index_dir, corpus.walks_hidden());
    on_event(WatchEvent::Watching {
        roots: corpus.roots(),
    });
    let mut due = None;
    while w.next_batch(&filter, due, &mut on_event, stop)? {
        due = w.reingest(index_dir, corpus, options, &mut on_event)?;
    }
    Ok(w.summary)
}

/// The state of a running watch.
struct Watch<W> {
    /// Events (or watcher errors) from the watcher's thread.
    rx: Receiver<notify::Result<notify::Event>>,
    watcher: W,
    roots: Roots,
    summary: WatchSummary,
}

impl<W: notify::Watcher> Watch<W> {
    /// Waits until a batch is due and returns true, or returns false once `stop` is set.
    /// `due` is when a batch is already due (a retry), if one is.
    ///
    /// # Errors
    /// [`Error::Watch`] when the watcher fails or reaches the system's limit of watches.
    fn next_batch(
        &mut self,
        filter: &Filter,
        mut due: Option<Instant>,
        on_event: &mut impl FnMut(WatchEvent<'_>),
        stop: &AtomicBool,
    ) -> Result<bool> {
        let mut first: Option<Instant> = None;
        let mut next_tick = Instant::now() + TICK;
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(false);
            }
            let now = Instant::now();
            if due.is_some_and(|d| d <= now) {
                return Ok(true);
            }
            let wait = due.map_or(next_tick, |d| d.min(next_tick));
            match self.rx.recv_timeout(wait.saturating_duration_since(now)) {
                Ok(Ok(event)) => {
                    if filter.matters(&event, &self.roots) {
                        let now = Instant::now();
                        let first = *first.get_or_insert(now);
                        due = Some((now + QUIET).min(first + MAX_DELAY));
                    }
                }
                Ok(Err(e)) => self.watcher_error(e, on_event)?,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Error::Watch {
                        path: self.roots.first(),
                        reason: "the watcher stopped".into(),
                    })
                }
            }
            if Instant::now() >= next_tick {
                next_tick = Instant::now() + TICK;
                if self.refresh(on_event)? {
                    due = due.or(Some(Instant::now()));
                }
            }
        }
    }

    /// Runs one re-ingest of the roots that are there and reports it. Returns when the
    /// next run is due without an event (a retry), if it is.
    ///
    /// # Errors
    /// [`Error::Watch`] from updating the watches on the roots.
    fn reingest(
        &mut self,
        index_dir: &Path,
        corpus: &CorpusBuilder,
        options: &IngestOptions,
        on_event: &mut impl FnMut(WatchEvent<'_>),
    ) -> Result<Option<Instant>> {
        self.refresh(on_event)?;
        let present = self.roots.present();
        if present.is_empty() {
            return Ok(None);
        }
        let corpus = corpus.with_roots(present);
        let result = ingest(index_dir, &corpus, options, |e| {
            on_event(WatchEvent::Ingest(e))
        });
        self.done(result.as_ref());
        match &result {
            Ok(report) => on_event(WatchEvent::Ingested {
                report,
                first: false,
            }),
            Err(e) => on_event(WatchEvent::Failed(e)),
        }
        let busy = matches!(&result, Err(e) if e.kind() == ErrorKind::Busy);
        Ok(busy.then(|| Instant::now() + RETRY))
    }

    /// Counts an ingest run in the summary.
    fn done(&mut self, result: std::result::Result<&IngestReport, &Error>) {
        self.summary.runs += 1;
        self.summary.last_clean = matches!(result, Ok(r) if r.errors.is_empty());
        if result.is_err() {
            self.summary.failed += 1;
        }
    }

    /// Brings the watches up to date with the roots on disk ([`Roots::refresh`]) and
    /// reports roots gone and back. Returns true when a watch changed.
    fn refresh(&mut self, on_event: &mut impl FnMut(WatchEvent<'_>)) -> Result<bool> {
        let mut changes = Vec::new();
        let changed = self.roots.refresh(&mut self.watcher, &mut changes)?;
        for change in &changes {
            match change {
                RootChange::Gone(p) => on_event(WatchEvent::RootGone(p)),
                RootChange::Back(p) => on_event(WatchEvent::RootBack(p)),
                RootChange::Partly(p, why) => {
                    let msg = format!("{}: some folders are not watched: {why}", p.display());
                    on_event(WatchEvent::Warning(&msg))
                }
            }
        }
        Ok(changed)
    }

    /// Handles an error the watcher sent: the limit of watches ends the watch (changes
    /// in folders left unwatched would go unseen); any other is reported.
    fn watcher_error(
        &mut self,
        e: notify::Error,
        on_event: &mut impl FnMut(WatchEvent<'_>),
    ) -> Result<()> {
        if let notify::ErrorKind::MaxFilesWatch = e.kind {
            return Err(watch_error(&self.roots.first(), e));
        }
        on_event(WatchEvent::Warning(&format!("watching: {e}")));
        Ok(())
    }
}
