//! `passage ingest --watch` (and `serve --watch`): the signal handler and the lines a
//! watch prints on stderr.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{summary_line, EXIT_ERROR, EXIT_OK};
use crate::corpus::CorpusBuilder;
use crate::error::{Error, Result};
use crate::index::ingest::{IngestEvent, IngestOptions, ProblemLevel};
use crate::index::watch::{watch, WatchEvent};
use crate::printer::inert;

/// Ingests, then watches the roots and re-ingests what changes until Ctrl-C, SIGTERM or
/// SIGHUP; a second signal ends the process at once (exit 130). Returns 0, or 2 when the
/// last run had errors.
///
/// # Errors
/// Those of [`watch`]; [`Error::Config`] when the signal handler cannot be set.
pub(super) fn run_watch(
    index: &Path,
    corpus: &CorpusBuilder,
    options: &IngestOptions,
    quiet: bool,
    verbose: bool,
) -> Result<u8> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        // A commit in progress is safe to interrupt too: the last one stays (DESIGN 6).
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
    .map_err(|e| Error::Config(format!("cannot handle Ctrl-C: {e}")))?;
    let summary = watch(index, corpus, options, |e| print(e, quiet, verbose), &stop)?;
    Ok(if summary.last_clean {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// Prints what a watch reports on stderr: problems as ingest prints them, a summary line
/// per run and the state of the watch unless `quiet`; notes only when `verbose`.
pub(super) fn print(event: WatchEvent<'_>, quiet: bool, verbose: bool) {
    let line = match event {
        WatchEvent::Ingest(IngestEvent::Problem { message, level }) => {
            let message = inert::line(message);
            match level {
                ProblemLevel::Error => format!("error: {message}"),
                ProblemLevel::Warning => format!("warning: {message}"),
                ProblemLevel::Note if verbose => format!("note: {message}"),
                ProblemLevel::Note => return,
            }
        }
        WatchEvent::Ingest(IngestEvent::Progress { .. }) => return,
        WatchEvent::Ingested { report, .. } if !quiet => summary_line(report),
        WatchEvent::Failed(e) => format!("error: {}", inert::line(&e.to_string())),
        WatchEvent::Watching { roots } if !quiet => {
            let n = roots.len();
            let s = if n == 1 { "" } else { "s" };
            format!("watching {n} path{s} for changes; Ctrl-C to stop")
        }
        WatchEvent::RootGone(p) => {
            let p = p.display().to_string();
            format!(
                "warning: {}: gone; waiting for it to come back",
                inert::line(&p)
            )
        }
        WatchEvent::RootBack(p) if !quiet => {
            let p = p.display().to_string();
            format!("{}: back; ingesting it again", inert::line(&p))
        }
        WatchEvent::Warning(msg) => format!("warning: {}", inert::line(msg)),
        _ => return,
    };
    eprintln!("{line}");
}
