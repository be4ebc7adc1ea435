//! Command-line interface: clap types, turning arguments into library settings, dispatch.
//!
//! This is the only module that knows about argv, environment variables, terminals and
//! exit codes.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

mod man;
mod query;
mod rm;
mod watch;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::analysis::{parse_stemmer, parse_stopwords, AnalyzerSettings};
use crate::corpus::jsonl::JsonlFields;
use crate::corpus::{CorpusBuilder, DEFAULT_MAX_FILESIZE};
use crate::error::{Error, Result};
use crate::index::ingest::{
    ingest, rebuild, IngestEvent, IngestOptions, IngestReport, InputFormat, ProblemLevel,
};
use crate::passage::{SplitMode, SplitOptions, DEFAULT_MAX_PASSAGE_CHARS};
use crate::printer::inert;
use crate::search::{Engine, QueryRequest};

/// Exit status: success (ingest clean, or query found something).
pub const EXIT_OK: u8 = 0;
/// Exit status: the query found nothing.
pub const EXIT_NO_HITS: u8 = 1;
/// Exit status of `check --files`: indexed files changed or vanished since the last
/// ingest (the index itself is sound).
pub const EXIT_STALE: u8 = 1;
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
    /// Measure ranking quality against relevance judgements (nDCG@10, MAP, R@100, MRR@10, P@10).
    Eval(EvalArgs),
    /// Print what the index holds: files, passages, terms, size, settings.
    Stats(StatsArgs),
    /// List the indexed files: passages, bytes and modification time when indexed,
    /// encoding, path (from here).
    Ls(LsArgs),
    /// Remove files or folders (every indexed file under them) from the index, whether or
    /// not they still exist on disk, in one commit.
    Rm(rm::RmArgs),
    /// Verify every file of the index (checksums), and with --files the indexed files
    /// against the disk; for scripts and cron.
    #[command(after_long_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Answer queries over HTTP: a JSON API that keeps the index open (see the README).
    Serve(ServeArgs),
    /// Serve the index to AI agents: a Model Context Protocol server on stdin/stdout, with
    /// tools to search, fetch a passage and report index stats (see the README).
    Mcp,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout: passage(1), or a command's, e.g. passage-query(1).
    Man {
        /// The command whose page to print.
        #[arg(value_parser = ["ingest", "query", "eval", "stats", "ls", "rm", "check", "serve", "mcp", "completions", "man", "help"])]
        command: Option<String>,
    },
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

Prose is prose: in a query written in capitals or with sentence punctuation
(`, ; . ? !` before a space or at the end), AND/OR/NOT are words and +/- are text,
and function words (how, do, I, the...) outside quotes are not searched.
A hyphenated word (wing-flutter) is its words. `--dry-run`, `-n`, `C++` and a
lone quote are always text. -F reads every
character as text. A query with nothing to search exits 1 with a warning.

Exit status: 0 if a passage matched, 1 if none did, 2 on error.";

const CHECK_HELP: &str = "\
Prints `ok: N segments, M files verified` when all is well, else one line per
problem: `damaged: ...` (a file of the index), `changed: PATH` and `missing: PATH`
(with --files: indexed files whose size or modification time differ from the last
ingest, or that are gone). --json prints one object instead.

Exit status: 0 if all is well, 1 if --files found changed or missing files (the index
is sound: `passage ingest` updates it), 2 if the index is damaged (`passage ingest
--rebuild` makes it anew) or cannot be read.";

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

/// How files are read.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputArg {
    /// By extension: .jsonl/.ndjson JSON Lines, .md/.markdown Markdown, .html/.htm/.xhtml
    /// HTML, .pdf PDF (the text of each page); by content a roff manual page (.TH or .Dd
    /// first); else plain text.
    Auto,
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// HTML or XHTML: the text, tags out.
    Html,
    /// A roff manual page (man or mdoc): the text, macros out.
    #[value(alias = "roff")]
    Man,
    /// JSON Lines documents.
    Jsonl,
}

/// How `--feedback` ranks.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FeedbackArg {
    /// The query's ranking and the RM3 feedback query's, fused by reciprocal rank fusion.
    Fused,
    /// The RM3 feedback query alone, as Anserini ranks it.
    Rm3,
}

impl From<FeedbackArg> for crate::search::Feedback {
    fn from(a: FeedbackArg) -> Self {
        match a {
            FeedbackArg::Fused => crate::search::Feedback::Fused,
            FeedbackArg::Rm3 => crate::search::Feedback::Rm3,
        }
    }
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
    /// Stop words of a new index, left out of the index and of queries: `english`
    /// (Lucene's 33 words), `none`, or a file with one word per line [default: none]
    #[arg(long, value_name = "english|none|FILE")]
    pub stopwords: Option<String>,
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
    /// How files are read: by extension (`auto`), or all as one format. A file that starts
    /// with %PDF- is read as PDF whatever this says.
    #[arg(long, value_enum, default_value = "auto")]
    pub input: InputArg,
    /// JSON Lines: the field holding a document's id [default: id, _id or docid]
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// JSON Lines: the field holding a document's title [default: title]
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,
    /// JSON Lines: the field holding a document's text [default: text, contents or body]
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// Threads reading and splitting files, 1 or more [default: number of CPUs]
    #[arg(long, value_parser = parse_at_least_one::<usize>)]
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
    /// Discard the index and ingest from scratch (for a damaged index); the old index
    /// stays in place until the new one is complete.
    #[arg(long)]
    pub rebuild: bool,
    /// Also remove every indexed file whose root (a file or folder named at an earlier
    /// ingest) no longer exists: after a rename, `ingest --prune NEW` drops the old name.
    #[arg(long)]
    pub prune: bool,
    /// After ingesting, keep watching the paths and re-ingest what changes (300 ms after
    /// the last change), until Ctrl-C or SIGTERM.
    #[arg(long, conflicts_with_all = ["json", "rebuild"])]
    pub watch: bool,
}

/// Output formats of `passage query`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For a terminal: `path:line` headers, passages with highlights.
    Text,
    /// JSON Lines, one object per hit.
    Json,
    /// TREC run lines: `qid Q0 docid rank score tag`.
    Trec,
}

/// What hits are grouped by.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GroupBy {
    /// One hit per document (a JSON Lines document, or a file), ranked by its best passage.
    Doc,
}

/// Arguments of `passage query`.
#[derive(Debug, Args)]
// `-c`, `-l` and `--files-without-match` print files, one of them at a time.
#[command(group(clap::ArgGroup::new("list").multiple(false).conflicts_with_all([
    "json", "format", "vimgrep", "batch", "stats", "explain", "context", "group_by", "per_doc",
])))]
pub struct QueryArgs {
    /// The query (see below); several words are one query, joined with spaces. Not used
    /// with --batch.
    #[arg(required_unless_present = "batch", value_name = "QUERY")]
    pub query: Vec<String>,
    /// Run every query of FILE (`-` for stdin): one per line, `qid<TAB>query` or just the
    /// query (its qid is then the line number).
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// The most passages (or, grouped, documents) to print per query.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Skip this many of the best first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON Lines: one object per passage (same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// One hit per document, scored by its best passage.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub group_by: Option<GroupBy>,
    /// Show each document's best K matching passages (implies --group-by doc); K >= 1.
    #[arg(long, value_name = "K", value_parser = parse_at_least_one::<u64>)]
    pub per_doc: Option<u64>,
    /// Run name in the last column of --format trec.
    #[arg(long, default_value = "passage")]
    pub tag: String,
    /// When to colour the output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Require every word (AND instead of OR).
    #[arg(long)]
    pub all: bool,
    /// Fail on a malformed query instead of running what is valid.
    #[arg(long)]
    pub strict: bool,
    /// Read the query as plain words: no operators, quotes, signs or other syntax.
    #[arg(short = 'F', long)]
    pub fixed_strings: bool,
    /// Rank with pseudo-relevance feedback: RM3 expansion terms from the 10 best passages,
    /// fused with the plain ranking (`--feedback=rm3`: the RM3 ranking alone).
    #[arg(long, value_name = "MODE", num_args = 0..=1, require_equals = true,
          default_missing_value = "fused", value_enum)]
    pub feedback: Option<FeedbackArg>,
    /// Show at most this many characters of each passage around the matches (0: all).
    #[arg(long, default_value_t = crate::printer::standard::DEFAULT_MAX_CHARS)]
    pub max_chars: usize,
    /// Make paths terminal hyperlinks (when colouring), as ripgrep's option: an alias
    /// (default, file, grep+, kitty, macvim, none, textmate, vscode, vscode-insiders,
    /// vscodium) or a template with {path}, {line}, {column}, {host}, {wslprefix}.
    #[arg(long, value_name = "FORMAT", env = "PASSAGE_HYPERLINK_FORMAT", value_parser = parse_hyperlink)]
    pub hyperlink_format: Option<HyperlinkArg>,
    /// Stop adding hits once their passage text (with -C, their neighbours' too) reaches
    /// N characters; the last hit may be trimmed to a window around its matches. At
    /// least one hit is printed.
    #[arg(long, value_name = "N", value_parser = parse_at_least_one::<usize>)]
    pub max_total_chars: Option<usize>,
    /// Show up to K windows of a long passage (terminal output).
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub snippets: usize,
    /// Only passages whose path matches GLOB (repeatable: any of them).
    #[arg(long = "path", value_name = "GLOB")]
    pub paths: Vec<String>,
    /// Also print N neighbouring passages of the same file before and after each hit.
    #[arg(short = 'C', long, value_name = "N", default_value_t = 0)]
    pub context: usize,
    /// Print each hit's BM25 breakdown (idf, term frequency, field length per term; the
    /// `Boost` above each term turns Tantivy's idf into the Robertson/Spärck Jones idf).
    #[arg(long)]
    pub explain: bool,
    /// Print `path:line:column:text` per hit, for editors' quickfix lists.
    #[arg(long, conflicts_with_all = ["json", "format"])]
    pub vimgrep: bool,
    /// Print `path:N` per file with a matching passage, N its matching passages (all of
    /// them, not only the best -n), files in path order.
    #[arg(short = 'c', long, group = "list")]
    pub count: bool,
    /// Print the path of each file with a matching passage, in path order.
    #[arg(short = 'l', long, group = "list")]
    pub files_with_matches: bool,
    /// Print the path of each indexed file (passing --path) with no matching passage,
    /// in path order.
    #[arg(long, group = "list")]
    pub files_without_match: bool,
    /// Also count every matching passage: `10 of 11,203 matching passages shown, in 87
    /// files` on stderr after the hits; with --json, a last line
    /// `{"type":"summary","total":11203,"files":87,"shown":10}` on stdout.
    #[arg(long)]
    pub stats: bool,
}

/// Arguments of `passage eval`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["run", "queries"])))]
pub struct EvalArgs {
    /// Relevance judgements, TREC qrels format (`qid iter docid grade`).
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// A TREC run to evaluate (`qid Q0 docid rank score tag`).
    #[arg(long, value_name = "FILE")]
    pub run: Option<PathBuf>,
    /// Run these queries (`qid<TAB>query` lines) against the index, one hit per document,
    /// 1000 deep, and evaluate that.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Read the queries of --queries as plain words, with no syntax.
    #[arg(short = 'F', long)]
    pub fixed_strings: bool,
    /// Run the queries of --queries with pseudo-relevance feedback, as `query --feedback`
    /// (`--feedback=rm3`: the RM3 ranking alone).
    #[arg(long, value_name = "MODE", num_args = 0..=1, require_equals = true,
          default_missing_value = "fused", value_enum)]
    pub feedback: Option<FeedbackArg>,
    /// Also print each query's measures.
    #[arg(long)]
    pub per_query: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `passage stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `passage ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Print JSON Lines: one object per file (with --roots, per root).
    #[arg(long)]
    pub json: bool,
    /// List the roots instead: the files and folders named to `ingest` that indexed
    /// files were found under, and whether each still exists (`ingest --prune` drops
    /// those that do not).
    #[arg(long)]
    pub roots: bool,
}

/// Arguments of `passage check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also compare the indexed files with the disk: files changed since the last
    /// ingest, files gone.
    #[arg(long)]
    pub files: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `passage serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, IP:PORT or HOST:PORT such as localhost:7700 (port 0: any
    /// free port). Any address but a loopback one requires a token.
    #[arg(long, default_value = "127.0.0.1:7700", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on every request but /health and
    /// /openapi.json.
    #[arg(
        long,
        env = "PASSAGE_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Longest a request may take, in seconds, before it is answered 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Keep the index fresh while serving: ingest these files and folders (`corpus` when
    /// none is named), then re-ingest what changes, as `ingest --watch` does with
    /// ingest's default settings.
    #[arg(long, value_name = "PATH", num_args = 0..)]
    pub watch: Option<Vec<PathBuf>>,
}

/// Runs a parsed command line and returns the exit status.
///
/// # Errors
/// Any error that stops the command; `main` prints it and exits with 2.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Ingest(args) => run_ingest(&cli.index, args),
        Command::Query(args) => query::run_query(&cli.index, args),
        Command::Eval(args) => run_eval(&cli.index, args),
        Command::Stats(args) => run_stats(&cli.index, args),
        Command::Ls(args) => run_ls(&cli.index, args),
        Command::Rm(args) => rm::run_rm(&cli.index, args),
        Command::Check(args) => run_check(&cli.index, args),
        Command::Serve(args) => run_serve(&cli.index, args),
        Command::Mcp => run_mcp(&cli.index),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "passage", &mut buf);
            write_stdout(&buf)
        }
        Command::Man { command } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            cmd.build(); // names each subcommand `passage-NAME`, as SEE ALSO cites it
            let page = match &command {
                Some(name) => cmd
                    .find_subcommand(name)
                    .cloned()
                    .ok_or_else(|| Error::Config(format!("no command `{name}`")))?,
                None => cmd,
            };
            let mut buf = Vec::new();
            man::render(page, command.as_deref(), &mut buf)
                .map_err(|e| Error::io("<stdout>", e))?;
            write_stdout(&buf)
        }
    }
}

/// `passage serve`: serves until SIGTERM or SIGINT; says where it listens on stderr.
fn run_serve(index: &std::path::Path, args: ServeArgs) -> Result<u8> {
    let timeout = std::time::Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| Error::Config(format!("invalid --timeout {}", args.timeout)))?;
    let watch = match args.watch {
        Some(paths) => Some(crate::serve::WatchConfig {
            corpus: CorpusBuilder::new(roots_or_corpus(paths)?),
            options: IngestOptions::default(),
            on_event: Box::new(|e| watch::print(e, false, false)),
        }),
        None => None,
    };
    let config = crate::serve::ServeConfig {
        index: index.to_owned(),
        addr: args.addr,
        token: args.token,
        timeout,
        watch,
    };
    let shown = inert::line(&index.display().to_string()).into_owned();
    crate::serve::run(config, |addr| {
        eprintln!("passage: serving index `{shown}` on http://{addr}");
    })?;
    Ok(EXIT_OK)
}

/// `passage mcp`: serves until the client closes stdin. The index folder is made
/// absolute first, so that messages name it wherever the client started the server.
fn run_mcp(index: &std::path::Path) -> Result<u8> {
    let index = std::path::absolute(index).map_err(|e| Error::io(index, e))?;
    crate::mcp::run(index)?;
    Ok(EXIT_OK)
}

/// Writes `bytes` to stdout; a closed pipe (`| head`) ends quietly with 0, as ripgrep does.
fn write_stdout(bytes: &[u8]) -> Result<u8> {
    use std::io::Write;
    let mut out = io::stdout().lock();
    stdout_written(out.write_all(bytes).and_then(|()| out.flush()))
}

/// The outcome of writing results to stdout: a closed pipe (`| head`, `| true`) ends
/// quietly with 0, as ripgrep does; any other failure is an error.
fn stdout_written(res: io::Result<()>) -> Result<u8> {
    match res {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(EXIT_OK),
    }
}

/// An address to listen on: `IP:PORT`, or `HOST:PORT` resolved to its first address
/// (`localhost:7700`).
fn parse_addr(s: &str) -> std::result::Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    if let Ok(addr) = s.parse() {
        return Ok(addr);
    }
    s.to_socket_addrs()
        .map_err(|e| format!("`{s}` is not an address to listen on (IP:PORT or HOST:PORT): {e}"))?
        .next()
        .ok_or_else(|| format!("`{s}` resolves to no address"))
}

/// A parsed `--hyperlink-format` (`None` inside for `none`).
#[derive(Debug, Clone)]
pub struct HyperlinkArg(pub Option<crate::printer::HyperlinkFormat>);

fn parse_hyperlink(s: &str) -> std::result::Result<HyperlinkArg, String> {
    crate::printer::HyperlinkFormat::parse(s)
        .map(HyperlinkArg)
        .map_err(|e| e.to_string())
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
    pruned: u64,
    unchanged: u64,
    skipped_binary: u64,
    skipped_too_large: u64,
    skipped_unreadable: u64,
    skipped_no_text: u64,
    passages: u64,
    passages_deleted: u64,
    total_passages: u64,
    bytes: u64,
    seconds: f64,
    errors: &'a [String],
}

/// The paths to ingest: `paths`, or `corpus` when there are none.
///
/// # Errors
/// [`Error::Config`] when there are none and no `corpus` folder here.
fn roots_or_corpus(paths: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths);
    }
    // See: issue 17 (`corpus: no such file or directory` named a folder the user never
    // mentioned).
    if !std::path::Path::new("corpus").exists() {
        return Err(Error::Config(
            "no path given and no corpus/ folder here; name what to index: passage ingest ~/notes"
                .into(),
        ));
    }
    Ok(vec![PathBuf::from("corpus")])
}

fn run_ingest(index: &std::path::Path, args: IngestArgs) -> Result<u8> {
    let roots = roots_or_corpus(args.paths.clone())?;
    let corpus = CorpusBuilder::new(roots)
        .hidden(args.hidden)
        .respect_ignore(!args.no_ignore)
        .follow_links(args.follow)
        .globs(args.globs.clone());
    // Either setting given: both are the new index's (the other one its default), and an
    // existing index built otherwise is refused.
    let analyzer = match (&args.stemmer, &args.stopwords) {
        (None, None) => None,
        (stemmer, stopwords) => Some(AnalyzerSettings {
            stemmer: match stemmer {
                Some(name) => parse_stemmer(name)?,
                None => AnalyzerSettings::default().stemmer,
            },
            stopwords: match stopwords {
                Some(value) => parse_stopwords(value)?,
                None => Vec::new(),
            },
            identifier_parts: true,
        }),
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
        input: match args.input {
            InputArg::Auto => InputFormat::Auto,
            InputArg::Text => InputFormat::Text,
            InputArg::Markdown => InputFormat::Markdown,
            InputArg::Html => InputFormat::Html,
            InputArg::Man => InputFormat::Man,
            InputArg::Jsonl => InputFormat::Jsonl,
        },
        jsonl: JsonlFields {
            id: args.id_field.clone(),
            title: args.title_field.clone(),
            text: args.text_field.clone(),
        },
        prune: args.prune,
        ..IngestOptions::default()
    };
    if let Some(t) = args.threads {
        options.threads = t.max(1);
    }
    if args.watch {
        return watch::run_watch(index, &corpus, &options, args.quiet, args.verbose);
    }
    let verbose = args.verbose;
    // A progress bar on stderr when it is a terminal and the run takes more than a second.
    let show_progress = io::stderr().is_terminal() && !args.quiet && !args.json;
    let started = std::time::Instant::now();
    let mut bar: Option<indicatif::ProgressBar> = None;
    let on_event = |event: IngestEvent<'_>| match event {
        IngestEvent::Problem { message, level } => {
            // Messages name files: a file name must not control the terminal either.
            let message = inert::line(message);
            let line = match level {
                ProblemLevel::Error => format!("error: {message}"),
                ProblemLevel::Warning => format!("warning: {message}"),
                ProblemLevel::Note if verbose => format!("note: {message}"),
                ProblemLevel::Note => return,
            };
            match &bar {
                Some(b) => b.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
        }
        IngestEvent::Progress { done, total, bytes } => {
            if bar.is_none() && show_progress && started.elapsed().as_secs_f64() > 1.0 {
                let b = indicatif::ProgressBar::new(total);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} files, {msg} [{elapsed}, ETA {eta}]",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar = Some(b);
            }
            if let Some(b) = &bar {
                b.set_position(done);
                b.set_message(format!("{:.1} MB", bytes as f64 / 1e6));
            }
        }
    };
    let report = if args.rebuild {
        rebuild(index, &corpus, &options, on_event)
    } else {
        ingest(index, &corpus, &options, on_event)
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = report.map_err(|e| match e {
        Error::NotAnIndex { .. } => Error::Config(format!("{e}: name another folder with --index")),
        e => e,
    })?;
    if args.json {
        let wire = WireIngestReport {
            added: report.added,
            updated: report.updated,
            removed: report.removed,
            pruned: report.pruned,
            unchanged: report.unchanged,
            skipped_binary: report.skipped_binary,
            skipped_too_large: report.skipped_too_large,
            skipped_unreadable: report.skipped_unreadable,
            skipped_no_text: report.skipped_no_text,
            passages: report.passages,
            passages_deleted: report.passages_deleted,
            total_passages: report.total_passages,
            bytes: report.bytes,
            seconds: report.seconds,
            errors: &report.errors,
        };
        let mut out = io::stdout().lock();
        let res = inert::write_json(&mut out, &wire).and_then(|()| writeln!(out));
        stdout_written(res)?;
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
    let skipped = r.skipped_binary + r.skipped_too_large + r.skipped_unreadable + r.skipped_no_text;
    let mut s = format!(
        "ingested {files} file{} ({} added, {} updated, {} unchanged, {} removed",
        if files == 1 { "" } else { "s" },
        r.added,
        r.updated,
        r.unchanged,
        r.removed
    );
    if r.pruned > 0 {
        s.push_str(&format!(", {} pruned", r.pruned));
    }
    if skipped > 0 {
        s.push_str(&format!(
            ", {skipped} skipped: {} binary, {} too large, {} unreadable",
            r.skipped_binary, r.skipped_too_large, r.skipped_unreadable
        ));
        if r.skipped_no_text > 0 {
            s.push_str(&format!(", {} PDF without text", r.skipped_no_text));
        }
    }
    let mb = r.bytes as f64 / 1e6;
    s.push_str(&format!(
        "), {} passage{} in the index ({} written, {} deleted), {:.1} MB read in {:.2} s ({:.1} MB/s)",
        r.total_passages,
        if r.total_passages == 1 { "" } else { "s" },
        r.passages,
        r.passages_deleted,
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

/// Reads a batch of queries: `qid<TAB>query` or a bare query (qid = 1-based line number).
fn read_batch(path: &std::path::Path) -> Result<Vec<(String, String)>> {
    let text = if path == std::path::Path::new("-") {
        let mut s = String::new();
        io::Read::read_to_string(&mut io::stdin(), &mut s).map_err(|e| Error::io("<stdin>", e))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| match l.split_once('\t') {
            Some((qid, q)) => (qid.trim().to_owned(), q.to_owned()),
            None => ((i + 1).to_string(), l.to_owned()),
        })
        .collect())
}

fn run_eval(index: &std::path::Path, args: EvalArgs) -> Result<u8> {
    use crate::eval::{evaluate, format_text, per_query_map, read_qrels, read_run, Run};
    let qrels = read_qrels(&args.qrels)?;
    let run: Run = match (&args.run, &args.queries) {
        (Some(path), _) => read_run(path)?,
        (None, Some(path)) => {
            let engine = Engine::open(index)?;
            let mut template = QueryRequest::new("");
            template.parse.fixed = args.fixed_strings;
            template.feedback = args.feedback.map(Into::into);
            let (run, failed) = crate::eval::search_run(&engine, read_batch(path)?, &template);
            for (qid, e) in failed {
                eprintln!("warning: query {qid}: {}", inert::line(&e.to_string()));
            }
            run
        }
        (None, None) => unreachable!("clap requires --run or --queries"),
    };
    let judged: std::collections::HashSet<&str> = qrels
        .values()
        .flat_map(|docs| docs.keys().map(String::as_str))
        .collect();
    let mut run_docs = run
        .values()
        .flatten()
        .map(|(doc, _)| doc.as_str())
        .peekable();
    if run_docs.peek().is_some() && !run_docs.any(|doc| judged.contains(doc)) {
        eprintln!(
            "warning: no document id of the run appears in the qrels; a passage-level run \
             (`docid#passage`) needs `query --group-by doc`"
        );
    }
    let e = evaluate(&qrels, &run);
    let mut out = io::stdout().lock();
    let res = if args.json {
        #[derive(Serialize)]
        struct Wire<'a> {
            mean: crate::eval::Measures,
            judged_queries: usize,
            judged_queries_without_results: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            per_query: Option<std::collections::BTreeMap<&'a str, crate::eval::Measures>>,
        }
        let wire = Wire {
            mean: e.mean,
            judged_queries: e.judged_queries,
            judged_queries_without_results: e.judged_queries_without_results,
            per_query: args.per_query.then(|| per_query_map(&e)),
        };
        serde_json::to_writer(&mut out, &wire)
            .map_err(io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        out.write_all(format_text(&e, args.per_query).as_bytes())
    };
    stdout_written(res)
}

fn run_stats(index: &std::path::Path, args: StatsArgs) -> Result<u8> {
    let stats = crate::index::stats(index)?;
    let mut out = io::stdout().lock();
    let res = if args.json {
        serde_json::to_writer(&mut out, &stats)
            .map_err(io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        write!(
            out,
            "index:          {}\nfiles:          {}\npassages:       {}\nterms:          {}\nsize on disk:   {} bytes\nstemmer:        {}\nstop words:     {}\nformat version: {}\nlast ingest:    {} ({} Unix seconds)\n",
            inert::line(&index.display().to_string()),
            stats.files,
            stats.passages,
            stats.terms,
            stats.size_bytes,
            stats.stemmer,
            stats.stopwords,
            stats.format_version,
            humantime::format_rfc3339_seconds(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(stats.last_ingest)
            ),
            stats.last_ingest
        )
    };
    stdout_written(res)
}

/// `passage ls`: one line (or JSON object) per indexed file, in order of the path shown.
fn run_ls(index: &std::path::Path, args: LsArgs) -> Result<u8> {
    if args.roots {
        return run_ls_roots(index, &args);
    }
    #[derive(Serialize)]
    struct WireFile<'a> {
        path: &'a str,
        abs_path: Option<&'a str>,
        shown_path: &'a str,
        passages: u64,
        bytes: u64,
        modified: Option<String>,
        encoding: Option<&'a str>,
    }
    let files = crate::index::list::list_files(index)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut rows: Vec<WireFile> = files
        .iter()
        .map(|f| WireFile {
            path: &f.path,
            abs_path: f.abs_path.as_deref(),
            shown_path: crate::search::shown_path(&f.path, f.abs_path.as_deref(), &cwd),
            passages: f.passages,
            bytes: f.bytes,
            modified: (f.mtime_ns > 0).then(|| {
                let t = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(f.mtime_ns);
                humantime::format_rfc3339_seconds(t).to_string()
            }),
            // A file with no passage keeps no encoding.
            encoding: (f.passages > 0).then(|| f.encoding.as_deref().unwrap_or("UTF-8")),
        })
        .collect();
    rows.sort_by(|a, b| a.shown_path.cmp(b.shown_path));
    let mut out = io::BufWriter::new(io::stdout().lock());
    let res = (|| -> io::Result<()> {
        for r in &rows {
            if args.json {
                inert::write_json(&mut out, r)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:>8} {:>12}  {:<20}  {:<12}  {}",
                    r.passages,
                    r.bytes,
                    r.modified.as_deref().unwrap_or("-"),
                    r.encoding.unwrap_or("-"),
                    inert::line(r.shown_path)
                )?;
            }
        }
        out.flush()
    })();
    stdout_written(res)
}

/// `passage ls --roots`: each root, `gone` after it when it no longer exists.
fn run_ls_roots(index: &std::path::Path, args: &LsArgs) -> Result<u8> {
    #[derive(Serialize)]
    struct WireRoot<'a> {
        root: &'a str,
        exists: bool,
    }
    let roots = crate::index::list::list_roots(index)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let res = (|| -> io::Result<()> {
        for root in &roots {
            let exists = std::path::Path::new(root).exists();
            if args.json {
                inert::write_json(&mut out, &WireRoot { root, exists })?;
                writeln!(out)?;
            } else {
                let gone = if exists { "" } else { "  (gone)" };
                writeln!(out, "{}{gone}", inert::line(root))?;
            }
        }
        out.flush()
    })();
    stdout_written(res)
}

/// `passage check`: 0 sound (and up to date with --files), 1 stale, 2 damaged.
fn run_check(index: &std::path::Path, args: CheckArgs) -> Result<u8> {
    let report = crate::index::check(index, args.files)?;
    let code = if report.is_damaged() {
        EXIT_ERROR
    } else if report.is_stale() {
        EXIT_STALE
    } else {
        EXIT_OK
    };
    let status = match code {
        EXIT_OK => "ok",
        EXIT_STALE => "stale",
        _ => "damaged",
    };
    let mut out = io::stdout().lock();
    let res = if args.json {
        // `status` and `index` first, then the report's fields (see `CheckReport`).
        #[derive(serde::Serialize)]
        struct Wire<'a> {
            status: &'a str,
            index: String,
            #[serde(flatten)]
            report: &'a crate::index::CheckReport,
        }
        let value = Wire {
            status,
            index: index.display().to_string(),
            report: &report,
        };
        serde_json::to_writer(&mut out, &value)
            .map_err(io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        let mut text = String::new();
        for d in &report.damaged {
            text.push_str(&format!("damaged: {}\n", inert::line(d)));
        }
        for p in &report.changed {
            text.push_str(&format!("changed: {}\n", inert::line(p)));
        }
        for p in &report.missing {
            text.push_str(&format!("missing: {}\n", inert::line(p)));
        }
        if code == EXIT_OK {
            text.push_str(&format!(
                "ok: {} segments, {} files verified",
                report.segments, report.files_verified
            ));
            if let Some(n) = report.sources_checked {
                text.push_str(&format!(", {n} indexed files unchanged"));
            }
            text.push('\n');
        }
        out.write_all(text.as_bytes())
    };
    stdout_written(res)?;
    if report.is_damaged() {
        // The one-line message `query` and `ingest` give for the same index.
        let e = Error::DamagedIndex {
            path: index.to_owned(),
            reason: report.damaged.join("; "),
        };
        eprintln!("error: {}", inert::line(&e.to_string()));
    } else if report.is_stale() {
        let (changed, missing) = (report.changed.len(), report.missing.len());
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        // A file whose folder was renamed or removed stays missing after a plain ingest.
        let remedy = if missing > 0 {
            "run `passage ingest` (with `--prune` when a folder you ingested was renamed or \
             removed, or `passage rm PATH` for what should go)"
        } else {
            "run `passage ingest`"
        };
        eprintln!(
            "passage: {changed} changed {} and {missing} missing {} since the last ingest: {remedy}",
            files(changed),
            files(missing)
        );
    }
    Ok(code)
}

/// Parses a whole number of at least 1 (`--per-doc`, `--threads`).
fn parse_at_least_one<T: std::str::FromStr + PartialOrd + From<u8>>(
    s: &str,
) -> std::result::Result<T, String> {
    match s.parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err(format!("`{s}` is not a whole number of at least 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_addr;

    #[test]
    fn a_host_name_is_an_address_to_listen_on() {
        assert_eq!(parse_addr("127.0.0.1:7700").unwrap().port(), 7700);
        let local = parse_addr("localhost:7711").unwrap();
        assert!(local.ip().is_loopback() && local.port() == 7711, "{local}");
        assert!(parse_addr("localhost").is_err());
    }
}
