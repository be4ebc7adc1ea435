//! `passage rm PATH...`: files and folders out of the index, in one commit.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{stdout_written, EXIT_OK};
use crate::error::{Error, Result};
use crate::index::ingest::{remove, RemoveOptions, RemoveReport, RemovedFile};
use crate::printer::inert;

/// Arguments of `passage rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Files and folders to remove (a folder: every indexed file under it), relative to
    /// the current folder or absolute; they need not exist on disk.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// List the files that would be removed (stdout) and their count (stderr); change
    /// nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// A PATH that matches no indexed file is no error: the others are removed.
    #[arg(long)]
    pub ignore_unmatch: bool,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// The JSON summary of `passage rm --json`.
#[derive(Serialize)]
struct Wire<'a> {
    dry_run: bool,
    removed: usize,
    passages: u64,
    total_passages: u64,
    files: &'a [RemovedFile],
    unmatched: Vec<String>,
}

/// Runs `passage rm`: exit 0, or an error (exit 2) when a path matches nothing indexed
/// (without `--ignore-unmatch`) and nothing is removed.
pub(crate) fn run_rm(index: &Path, args: RmArgs) -> Result<u8> {
    let options = RemoveOptions {
        dry_run: args.dry_run,
        ignore_unmatched: args.ignore_unmatch,
    };
    let report = remove(index, &args.paths, &options).map_err(|e| match e {
        Error::NotIndexed { .. } => Error::Config(format!(
            "{e}; nothing was removed (--ignore-unmatch removes the rest)"
        )),
        e => e,
    })?;
    if args.json {
        let wire = Wire {
            dry_run: args.dry_run,
            removed: report.files.len(),
            passages: report.passages,
            total_passages: report.total_passages,
            files: &report.files,
            unmatched: report
                .unmatched
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        };
        let mut out = io::stdout().lock();
        return stdout_written(inert::write_json(&mut out, &wire).and_then(|()| writeln!(out)));
    }
    if args.dry_run {
        stdout_written(list(&report))?;
    }
    let n = report.files.len();
    eprintln!(
        "{} {n} file{} ({} passage{})",
        if args.dry_run {
            "would remove"
        } else {
            "removed"
        },
        if n == 1 { "" } else { "s" },
        report.passages,
        if report.passages == 1 { "" } else { "s" },
    );
    Ok(EXIT_OK)
}

/// Writes the path of each file of `report` from the current folder, sorted, one a line.
fn list(report: &RemoveReport) -> io::Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut shown: Vec<&str> = (report.files.iter())
        .map(|f| crate::search::shown_path(&f.path, Some(&f.abs_path), &cwd))
        .collect();
    shown.sort();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for path in shown {
        writeln!(out, "{}", inert::line(path))?;
    }
    out.flush()
}
