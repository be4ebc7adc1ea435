//! `serve --watch`: the index kept fresh by [`crate::index::watch::watch`] on a thread of
//! the server's own, the one writer of the index; the engine sees each of its commits
//! (Tantivy's reload on commit), so answers follow the files without a restart.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::corpus::CorpusBuilder;
use crate::error::{Error, Result};
use crate::index::ingest::IngestOptions;
use crate::index::watch::{watch, WatchEvent, WatchSummary};

/// What `serve --watch` watches, and how it re-ingests.
pub(crate) struct WatchConfig {
    /// The roots to ingest and watch, with the walk's settings.
    pub(crate) corpus: CorpusBuilder,
    /// The settings of every ingest run.
    pub(crate) options: IngestOptions,
    /// Called with each event of the watch (on the watch's thread): the front end says
    /// what it wants of them.
    pub(crate) on_event: Box<dyn FnMut(WatchEvent<'_>) + Send>,
}

/// A running watch: a thread, and the flag that stops it.
pub(crate) struct Watching {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result<WatchSummary>>,
}

impl Watching {
    /// Starts watching into the index at `index` on a thread of its own; `ended` is
    /// called on that thread when the watch ends by itself (an error: the first ingest
    /// failed, or the roots cannot be watched), so that the server stops too.
    ///
    /// # Errors
    /// [`Error::Internal`] when the thread cannot be started.
    pub(crate) fn start(
        index: PathBuf,
        config: WatchConfig,
        ended: impl FnOnce() + Send + 'static,
    ) -> Result<Watching> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let WatchConfig {
            corpus,
            options,
            mut on_event,
        } = config;
        let thread = std::thread::Builder::new()
            .name("passage-watch".into())
            .spawn(move || {
                let result = watch(&index, &corpus, &options, &mut on_event, &flag);
                ended();
                result
            })
            .map_err(|e| Error::Internal(format!("cannot start the watch: {e}")))?;
        Ok(Watching { stop, thread })
    }

    /// Stops the watch and waits for it: a run under way ends with its commit (or none),
    /// a batch still gathering is dropped.
    ///
    /// # Errors
    /// The watch's own error, when it ended by one; [`Error::Internal`] when it panicked.
    pub(crate) fn stop(self) -> Result<WatchSummary> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .join()
            .map_err(|_| Error::Internal("the watch panicked".into()))?
    }
}
