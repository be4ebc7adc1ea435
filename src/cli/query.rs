//! `passage query`: arguments settled once into a [`QueryConfig`] (the library request
//! and the output), then each query translated to one [`QueryRequest`] and its
//! [`crate::search::QueryResponse`] printed.

use std::io::{self, IsTerminal};

use super::{read_batch, use_color, ColorChoice, Format, GroupBy, QueryArgs};
use super::{EXIT_ERROR, EXIT_NO_HITS, EXIT_OK};
use crate::error::{Error, Result};
use crate::printer::wording;
use crate::printer::{
    inert, FilesPrinter, JsonPrinter, Printer, StandardBuilder, Summary, TrecPrinter,
    VimgrepPrinter,
};
use crate::query::ParseOptions;
use crate::search::{Engine, QueryRequest, QueryResponse, Warning};

/// At most this many "no passage contains" notes for one query.
const MAX_NOTES: usize = 5;

/// At most this many syntax warnings for one query; the rest are counted.
const MAX_SYNTAX_WARNINGS: usize = 3;

/// What the arguments of `passage query` ask for, with their interplay settled.
struct QueryConfig {
    /// Every option of the request but the query text.
    template: QueryRequest,
    /// The output format (`--json` is `Json`); `--vimgrep` overrides it.
    format: Format,
    vimgrep: bool,
    /// `--batch`: the queries, each with its id.
    batch: Option<Vec<(String, String)>>,
    /// Print totals (`--stats`).
    stats: bool,
    /// Tell a person at a terminal when `-n` cut the list.
    tell_cut: bool,
}

impl QueryConfig {
    fn new(args: &QueryArgs) -> Result<QueryConfig> {
        let per_doc = args
            .per_doc
            .map(|k| usize::try_from(k).unwrap_or(usize::MAX))
            .or(args.group_by.map(|GroupBy::Doc| 1));
        let format = if args.json { Format::Json } else { args.format };
        let batch = match &args.batch {
            Some(path) => Some(read_batch(path)?),
            None => None,
        };
        // A person at a terminal is told when -n cut the list (`10 of 11,203 matching
        // passages shown`); counting costs about 2 ms on a 10 MB index (BENCHMARKS.md).
        // Scripts (stdout or stderr not a terminal) get totals only with --stats.
        let tell_cut = format == Format::Text
            && !args.vimgrep
            && batch.is_none()
            && io::stdout().is_terminal()
            && io::stderr().is_terminal();
        let template = QueryRequest {
            limit: args.limit,
            offset: args.offset,
            parse: parse_options(args),
            per_doc,
            with_text: format != Format::Trec || args.vimgrep,
            paths: args.paths.clone(),
            context: args.context,
            explain: args.explain,
            feedback: args.feedback.map(Into::into),
            count: args.stats || tell_cut,
            // Vim's quickfix and editor links point at the first match.
            match_lines: args.vimgrep
                || (args
                    .hyperlink_format
                    .as_ref()
                    .is_some_and(|h| h.0.is_some())
                    && use_color(args.color)),
            // Say why nothing matched: absent words, and indexed words close to them.
            suggest: batch.is_none(),
            max_total_chars: args.max_total_chars,
            ..QueryRequest::new("")
        };
        Ok(QueryConfig {
            template,
            format,
            vimgrep: args.vimgrep,
            batch,
            stats: args.stats,
            tell_cut,
        })
    }

    /// The queries to run, each with its id.
    fn queries(&self, args: &QueryArgs) -> Vec<(String, String)> {
        match &self.batch {
            Some(b) => b.clone(),
            None => vec![("1".to_owned(), args.query.join(" "))],
        }
    }

    /// Warns about options the chosen output has no place for, rather than drop them
    /// silently.
    fn warn_ignored(&self, args: &QueryArgs) {
        let output = if self.vimgrep {
            "--vimgrep"
        } else if self.format == Format::Trec {
            "--format trec"
        } else {
            return;
        };
        let ignored = [
            (args.context > 0, "-C/--context"),
            (args.explain, "--explain"),
            (args.color == ColorChoice::Always, "--color always"),
            (
                args.max_total_chars.is_some() && !self.vimgrep,
                "--max-total-chars",
            ),
        ];
        for (_, flag) in ignored.iter().filter(|(given, _)| *given) {
            eprintln!("warning: {flag} is ignored with {output}");
        }
    }

    /// The printer of the chosen output, writing to stdout.
    fn printer(&self, args: &QueryArgs) -> Box<dyn Printer> {
        let out = io::BufWriter::new(io::stdout().lock());
        match self.format {
            _ if self.vimgrep => Box::new(VimgrepPrinter::new(out)),
            Format::Json => Box::new(JsonPrinter::new(out).with_context(args.context > 0)),
            Format::Trec => {
                let by_doc = self.template.per_doc == Some(1);
                Box::new(TrecPrinter::new(out, &args.tag, by_doc, args.offset))
            }
            Format::Text => Box::new(
                StandardBuilder::new()
                    .color(use_color(args.color))
                    .max_chars(args.max_chars)
                    .snippets(args.snippets)
                    .hyperlink(args.hyperlink_format.clone().and_then(|h| h.0))
                    .build(out),
            ),
        }
    }
}

/// The parser settings of the arguments.
fn parse_options(args: &QueryArgs) -> ParseOptions {
    ParseOptions {
        all: args.all,
        strict: args.strict,
        fixed: args.fixed_strings,
        keep_function_words: false,
    }
}

pub(super) fn run_query(index: &std::path::Path, args: QueryArgs) -> Result<u8> {
    let engine = Engine::open(index)?;
    if args.count || args.files_with_matches || args.files_without_match {
        return run_files(&engine, &args);
    }
    let config = QueryConfig::new(&args)?;
    config.warn_ignored(&args);
    let mut printer = config.printer(&args);
    let (mut any_hit, mut failed) = (false, false);
    for (qid, query) in config.queries(&args) {
        let request = QueryRequest {
            query: query.clone(),
            ..config.template.clone()
        };
        let response = match engine.search(&request) {
            Ok(r) => r,
            Err(e) if config.batch.is_some() => {
                eprintln!("error: query {qid}: {}", inert::line(&e.to_string()));
                failed = true;
                continue;
            }
            Err(e) => return Err(e),
        };
        report(&config, &qid, &response);
        any_hit |= response.matched;
        match print(&config, &mut *printer, &qid, &query, &response) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_OK),
            Err(e) => return Err(Error::io("<stdout>", e)),
            Ok(()) => {}
        }
    }
    match printer.finish() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_OK),
        Err(e) => return Err(Error::io("<stdout>", e)),
        Ok(()) => {}
    }
    Ok(if failed {
        EXIT_ERROR
    } else if any_hit {
        EXIT_OK
    } else {
        EXIT_NO_HITS
    })
}

/// Writes a query's warnings and, when nothing matched, its missing words on stderr.
fn report(config: &QueryConfig, qid: &str, response: &QueryResponse) {
    let say = |w: &str| match config.batch {
        Some(_) => eprintln!("warning: query {qid}: {}", inert::line(w)),
        None => eprintln!("warning: {}", inert::line(w)),
    };
    // A pasted page can hold dozens of `a)`-style list items: a few syntax warnings, then
    // how many more.
    let mut syntax = 0;
    for w in &response.warnings {
        if matches!(w, Warning::Syntax { .. }) {
            syntax += 1;
            if syntax > MAX_SYNTAX_WARNINGS {
                continue;
            }
        }
        say(&wording::warning(w, wording::CLI));
    }
    if syntax > MAX_SYNTAX_WARNINGS {
        let more = syntax - MAX_SYNTAX_WARNINGS;
        say(&format!(
            "... and {more} more syntax problems in the query (-F reads it as plain words)"
        ));
    }
    let notes = &response.missing;
    for m in notes.iter().take(MAX_NOTES) {
        eprintln!("note: {}", inert::line(&wording::missing_word(m))); // quotes indexed words
    }
    if notes.len() > MAX_NOTES {
        eprintln!(
            "note: ... and {} more words no passage contains",
            notes.len() - MAX_NOTES
        );
    }
}

/// Prints a query's hits and, when asked or when `-n` cut them at a terminal, its totals.
fn print(
    config: &QueryConfig,
    printer: &mut dyn Printer,
    qid: &str,
    query: &str,
    response: &QueryResponse,
) -> io::Result<()> {
    if config.batch.is_some() {
        printer.begin_query(qid, query)?;
    }
    for hit in &response.hits {
        printer.hit(hit)?;
    }
    let summary = Summary {
        total: response.total.unwrap_or(0),
        files: response.per_file.len() as u64,
        shown: response.hits.len() as u64,
    };
    if !(config.stats || (config.tell_cut && summary.total > summary.shown)) {
        return Ok(());
    }
    if config.format == Format::Json && !config.vimgrep {
        return printer.summary(&summary);
    }
    // After the hits, which may sit in the buffer of stdout (every printer's `finish`
    // only flushes).
    printer.finish()?;
    let prefix = match config.batch {
        Some(_) => format!("query {qid}: "),
        None => String::new(),
    };
    eprintln!("{prefix}{}", stats_line(&summary));
    Ok(())
}

/// `--stats` in words: `10 of 11,203 matching passages shown, in 87 files`.
fn stats_line(s: &Summary) -> String {
    let plural =
        |n: u64, word: &str| format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" });
    format!(
        "{} of {} shown, in {}",
        thousands(s.shown),
        plural(s.total, "matching passage"),
        plural(s.files, "file")
    )
}

/// `n` with a comma between groups of three digits.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `query -c`, `-l` and `--files-without-match`: files, not passages.
fn run_files(engine: &Engine, args: &QueryArgs) -> Result<u8> {
    let request = QueryRequest {
        limit: 0,
        parse: parse_options(args),
        paths: args.paths.clone(),
        count: true,
        ..QueryRequest::new(args.query.join(" "))
    };
    let response = engine.search(&request)?;
    for w in &response.warnings {
        eprintln!(
            "warning: {}",
            inert::line(&wording::warning(w, wording::CLI))
        );
    }
    // Paths as a terminal shows them (relative to here when under it), in that order.
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = |path: &str| -> Result<String> {
        let abs = engine.abs_path(path)?;
        Ok(crate::search::shown_path(path, abs.as_deref(), &cwd).to_owned())
    };
    let mut lines: Vec<(String, u64)> = Vec::new();
    if args.files_without_match {
        let filter = engine.path_filter(&args.paths)?;
        let matched: std::collections::HashSet<&str> =
            response.per_file.iter().map(|(p, _)| p.as_str()).collect();
        for path in engine.indexed_paths()? {
            if !matched.contains(path.as_str()) && filter.as_ref().is_none_or(|f| f.is_match(&path))
            {
                lines.push((shown(&path)?, 0));
            }
        }
    } else {
        for (path, n) in &response.per_file {
            lines.push((shown(path)?, *n));
        }
    }
    lines.sort_unstable();
    print_files(args, &lines)
}

/// Prints `-c`, `-l` or `--files-without-match` lines; exit 1 when there are none.
fn print_files(args: &QueryArgs, lines: &[(String, u64)]) -> Result<u8> {
    let mut printer = FilesPrinter::new(io::BufWriter::new(io::stdout().lock()));
    let res = (|| -> io::Result<()> {
        for (path, n) in lines {
            if args.count {
                printer.count(path, *n)?;
            } else {
                printer.path(path)?;
            }
        }
        printer.finish()
    })();
    match res {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_OK),
        Err(e) => return Err(Error::io("<stdout>", e)),
        Ok(()) => {}
    }
    Ok(if lines.is_empty() {
        EXIT_NO_HITS
    } else {
        EXIT_OK
    })
}
