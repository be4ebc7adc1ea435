//! The settings of an ingest run.

use crate::analysis::AnalyzerSettings;
use crate::corpus::jsonl::JsonlFields;
use crate::corpus::{InputFormat, DEFAULT_MAX_FILESIZE};
use crate::passage::SplitOptions;

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
    /// Also remove every indexed file whose root (a file or folder named at an earlier
    /// run) no longer exists. By default false.
    pub prune: bool,
}

/// The version of how files are read and split, part of every file's fingerprint: when
/// it changes, the next ingest reads every file again. 2: HTML is extracted, Markdown
/// link definitions, footnotes and HTML blocks are passages (issue 14). 3: an HTML
/// page's `<title>` heads it; pages nested past 512 elements are parsed in parts. 4: roff
/// manual pages are extracted (told by content).
const READERS: u32 = 4;

impl IngestOptions {
    /// A hash of the options that decide a file's passages (splitting, input format,
    /// forced encoding, JSON Lines fields): a file indexed under other options is read
    /// again even when unchanged. See: issue 3.
    pub fn fingerprint(&self) -> u64 {
        let text = format!(
            "{READERS}|{:?}|{:?}|{:?}|{:?}",
            self.split,
            self.input,
            self.encoding.map(encoding_rs::Encoding::name),
            self.jsonl
        );
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
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
            prune: false,
        }
    }
}
