//! What an ingest run reports: events while it runs, the [`IngestReport`] at the end.

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
    /// Files removed because the root they were found under is gone (`prune`).
    pub pruned: u64,
    /// Files unchanged since the last run (not re-indexed).
    pub unchanged: u64,
    /// Files skipped as binary (a NUL byte in the first 8 KiB).
    pub skipped_binary: u64,
    /// Files skipped for being larger than the size limit.
    pub skipped_too_large: u64,
    /// Files skipped because they could not be read.
    pub skipped_unreadable: u64,
    /// PDFs skipped because no text could be extracted from them: encrypted with a
    /// password, damaged, only images, or named `.pdf` without being one.
    pub skipped_no_text: u64,
    /// Passages written in this run: all of each added and updated file (a changed file
    /// is indexed anew, so this is not the number of passages that are new in it).
    pub passages: u64,
    /// Passages deleted in this run: all of each updated file's old passages, and those of
    /// removed, pruned and newly skipped files.
    pub passages_deleted: u64,
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
    pub(crate) fn record(
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

/// Why a file is not indexed in this run: the problem to report and the count it goes to.
#[derive(Debug)]
pub(crate) struct Skip {
    /// Which count of [`IngestReport`] it adds to, and what becomes of the file's old
    /// passages.
    pub(crate) why: SkipWhy,
    /// How serious it is.
    pub(crate) level: ProblemLevel,
    /// One line naming the file.
    pub(crate) message: String,
}

/// The reasons a file is skipped, one per count of [`IngestReport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SkipWhy {
    /// Binary (by its name in a folder, or a NUL byte in its first block): its old
    /// passages are removed.
    Binary,
    /// Larger than `--max-filesize` (on disk or decompressed): its old passages are removed.
    TooLarge,
    /// Could not be walked, read or decompressed: its old passages stay, in case the
    /// trouble passes.
    Unreadable,
    /// A PDF (by name or content) that gives no text: its old passages are removed.
    NoText,
}

impl Skip {
    /// A skip for `why`, at the level that reason is reported at (binary: a note; too
    /// large or a PDF without text: a warning; unreadable: an error).
    pub(crate) fn new(why: SkipWhy, message: String) -> Skip {
        let level = match why {
            SkipWhy::Binary => ProblemLevel::Note,
            SkipWhy::TooLarge | SkipWhy::NoText => ProblemLevel::Warning,
            SkipWhy::Unreadable => ProblemLevel::Error,
        };
        Skip {
            why,
            level,
            message,
        }
    }
}

impl IngestReport {
    /// Counts a skipped file and reports its problem through `on_event` ([`Self::record`]).
    pub(crate) fn skip(&mut self, skip: Skip, on_event: &mut impl FnMut(IngestEvent<'_>)) {
        match skip.why {
            SkipWhy::Binary => self.skipped_binary += 1,
            SkipWhy::TooLarge => self.skipped_too_large += 1,
            SkipWhy::Unreadable => self.skipped_unreadable += 1,
            SkipWhy::NoText => self.skipped_no_text += 1,
        }
        self.record(skip.level, skip.message, on_event);
    }
}
