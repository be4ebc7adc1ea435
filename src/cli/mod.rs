//! Command-line interface: clap types, turning arguments into library settings, dispatch.
//!
//! This is the only module that knows about argv, environment variables, terminals and
//! exit codes.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::analysis::{parse_stemmer, AnalyzerSettings};
use crate::corpus::{CorpusBuilder, DEFAULT_MAX_FILESIZE};
use crate::error::{Error, Result};
use crate::index::writer::{ingest, IngestOptions, IngestReport};
use crate::passage::{SplitMode, SplitOptions, DEFAULT_MAX_PASSAGE_CHARS};
use crate::printer::{JsonPrinter, Printer, StandardBuilder};
use crate::search::{ParseOptions, SearchRequest, Searcher};

/// Exit status: success (ingest clean, or query found something).
pub const EXIT_OK: u8 = 0;
/// Exit status: the query found nothing.
pub const EXIT_NO_HITS: u8 = 1;
/// Exit status: an error.
pub const EXIT_ERROR: u8 = 2;

/// Full-text search for passages: paragraph-level BM25 ranking with exact highlights.
#[derive(Debug, Parser)]
#[command(name = "passage", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index directory.
    #[arg(long, global = true, env = "PASSAGE_INDEX", default_value = "index")]
    pub index: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split files into passages and index them (re-running updates only what changed).
    Ingest(IngestArgs),
    /// Print the passages that best match a query, ranked by BM25.
    #[command(after_long_help = QUERY_HELP)]
    Query(QueryArgs),
}

const QUERY_HELP: &str = "\
Query language:
  word word        either word (OR); with --all, both
  \"two words\"      the words next to each other, in order
  \"two words\"~2    ... with up to 2 other words in between
  +word  -word     word required / word excluded
  a AND b, a OR b, NOT a, (a OR b) AND c
  heading:word     search only Markdown headings (text: only the passage text)
  word^2           count this word twice as much
  guarant*         words starting with 'guarant'
  nato~1           words within 1 edit of 'nato' (~2: two edits)
Words are analyzed like the text: case, accents and word endings do not matter
(guarantee finds Guarantees). Punctuation that is not syntax is part of the text:
Ukraine's, 12:30, US-Russia all work.

Exit status: 0 if a passage matched, 1 if none did, 2 on error.";

/// How passages are found in plain text.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SplitArg {
    /// Blank lines separate passages; without blank lines, one passage per line when
    /// lines look like paragraphs (long, or ending in punctuation), else one block.
    Auto,
    /// Blank lines separate passages.
    Blank,
    /// Every non-blank line is a passage.
    Line,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// When stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `passage ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and folders to ingest (folders recursively) [default: corpus]
    pub paths: Vec<PathBuf>,
    /// How plain text is cut into passages.
    #[arg(long, value_enum, default_value = "auto")]
    pub split: SplitArg,
    /// Split passages longer than this many characters at sentence boundaries (0: never).
    #[arg(long, default_value_t = DEFAULT_MAX_PASSAGE_CHARS)]
    pub max_passage_chars: usize,
    /// Snowball stemmer language for a new index (`english`, `french`, ..., or `none`)
    /// [default: english]
    #[arg(long)]
    pub stemmer: Option<String>,
    /// Also ingest hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Do not respect .gitignore and .ignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Only ingest files matching GLOB (repeatable; `!GLOB` excludes).
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Follow symbolic links.
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// Skip files larger than this (bytes, or with a K, M or G suffix) [default: 64M]
    #[arg(long, value_name = "SIZE")]
    pub max_filesize: Option<String>,
    /// Decode files that are not UTF-8 with this encoding (e.g. `latin1`,
    /// `windows-1252`, `shift_jis`) instead of guessing.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Threads reading and splitting files [default: number of CPUs]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Print no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Also report files skipped as binary or decoded lossily.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Arguments of `passage query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query (see below).
    pub query: String,
    /// The most passages to print.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Skip this many of the best passages first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON Lines: one object per passage.
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Require every word (AND instead of OR).
    #[arg(long)]
    pub all: bool,
    /// Fail on a malformed query instead of running what is valid.
    #[arg(long)]
    pub strict: bool,
    /// Show at most this many characters of each passage around the matches (0: all).
    #[arg(long, default_value_t = crate::printer::standard::DEFAULT_MAX_CHARS)]
    pub max_chars: usize,
}

/// Runs a parsed command line and returns the exit status.
///
/// # Errors
/// Any error that stops the command; `main` prints it and exits with 2.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Ingest(args) => run_ingest(&cli.index, args),
        Command::Query(args) => run_query(&cli.index, args),
    }
}

fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1u64 << 10),
        Some((i, 'm' | 'M')) => (&t[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| Error::Config(format!("invalid size `{s}` (use e.g. 1000, 64K, 10M, 1G)")))
}

#[derive(Serialize)]
struct WireIngestReport<'a> {
    added: u64,
    updated: u64,
    removed: u64,
    unchanged: u64,
    skipped_binary: u64,
    skipped_too_large: u64,
    skipped_unreadable: u64,
    passages: u64,
    total_passages: u64,
    bytes: u64,
    seconds: f64,
    errors: &'a [String],
}

fn run_ingest(index: &std::path::Path, args: IngestArgs) -> Result<u8> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from("corpus")]
    } else {
        args.paths.clone()
    };
    let corpus = CorpusBuilder::new(roots)
        .hidden(args.hidden)
        .respect_ignore(!args.no_ignore)
        .follow_links(args.follow)
        .globs(args.globs.clone());
    let analyzer = match &args.stemmer {
        Some(name) => Some(AnalyzerSettings {
            stemmer: parse_stemmer(name)?,
        }),
        None => None,
    };
    let encoding = match &args.encoding {
        None => None,
        Some(name) => Some(
            encoding_rs::Encoding::for_label(name.as_bytes())
                .ok_or_else(|| Error::Config(format!("unknown encoding `{name}`")))?,
        ),
    };
    let mut options = IngestOptions {
        split: SplitOptions {
            mode: match args.split {
                SplitArg::Auto => SplitMode::Auto,
                SplitArg::Blank => SplitMode::Blank,
                SplitArg::Line => SplitMode::Line,
            },
            max_chars: args.max_passage_chars,
        },
        analyzer,
        max_filesize: match &args.max_filesize {
            Some(s) => parse_size(s)?,
            None => DEFAULT_MAX_FILESIZE,
        },
        encoding,
        ..IngestOptions::default()
    };
    if let Some(t) = args.threads {
        options.threads = t.max(1);
    }
    let verbose = args.verbose;
    let report = ingest(index, &corpus, &options, |msg, is_error| {
        if is_error {
            eprintln!("error: {msg}");
        } else if verbose {
            eprintln!("note: {msg}");
        }
    })?;
    if args.json {
        let wire = WireIngestReport {
            added: report.added,
            updated: report.updated,
            removed: report.removed,
            unchanged: report.unchanged,
            skipped_binary: report.skipped_binary,
            skipped_too_large: report.skipped_too_large,
            skipped_unreadable: report.skipped_unreadable,
            passages: report.passages,
            total_passages: report.total_passages,
            bytes: report.bytes,
            seconds: report.seconds,
            errors: &report.errors,
        };
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, &wire).map_err(|e| Error::Config(e.to_string()))?;
        writeln!(out).map_err(|e| Error::io("<stdout>", e))?;
    } else if !args.quiet {
        eprintln!("{}", summary_line(&report));
    }
    Ok(if report.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// The one-line human summary of an ingest run.
fn summary_line(r: &IngestReport) -> String {
    let files = r.added + r.updated + r.unchanged;
    let skipped = r.skipped_binary + r.skipped_too_large + r.skipped_unreadable;
    let mut s = format!(
        "ingested {files} file{} ({} added, {} updated, {} unchanged, {} removed",
        if files == 1 { "" } else { "s" },
        r.added,
        r.updated,
        r.unchanged,
        r.removed
    );
    if skipped > 0 {
        s.push_str(&format!(
            ", {skipped} skipped: {} binary, {} too large, {} unreadable",
            r.skipped_binary, r.skipped_too_large, r.skipped_unreadable
        ));
    }
    let mb = r.bytes as f64 / 1e6;
    s.push_str(&format!(
        "), {} passages in the index ({} new), {:.1} MB read in {:.2} s ({:.1} MB/s)",
        r.total_passages,
        r.passages,
        mb,
        r.seconds,
        if r.seconds > 0.0 { mb / r.seconds } else { 0.0 }
    ));
    s
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn run_query(index: &std::path::Path, args: QueryArgs) -> Result<u8> {
    let mut searcher = Searcher::open(index)?;
    let request = SearchRequest {
        query: args.query.clone(),
        limit: args.limit,
        offset: args.offset,
        parse: ParseOptions {
            all: args.all,
            strict: args.strict,
        },
    };
    let results = searcher.search(&request)?;
    for w in &results.warnings {
        eprintln!("warning: {w}");
    }
    let stdout = io::stdout().lock();
    let out = io::BufWriter::new(stdout);
    let mut printer: Box<dyn Printer> = if args.json {
        Box::new(JsonPrinter::new(out))
    } else {
        Box::new(
            StandardBuilder::new()
                .color(use_color(args.color))
                .max_chars(args.max_chars)
                .build(out),
        )
    };
    let write = |printer: &mut Box<dyn Printer>| -> io::Result<()> {
        for (i, hit) in results.hits.iter().enumerate() {
            printer.hit(args.offset + i + 1, hit)?;
        }
        printer.finish()
    };
    if let Err(e) = write(&mut printer) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Ok(EXIT_OK);
        }
        return Err(Error::io("<stdout>", e));
    }
    Ok(if results.hits.is_empty() {
        EXIT_NO_HITS
    } else {
        EXIT_OK
    })
}
