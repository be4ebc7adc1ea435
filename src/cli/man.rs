//! `passage man [COMMAND]`: man pages from the clap definitions (`clap_mangen`), with
//! EXAMPLES, ENVIRONMENT and EXIT STATUS sections, and the long help after the options
//! kept line for line. See: issue 17 (`clap_mangen` reflowed the query-language block
//! into one paragraph).

use std::io::{self, Write};

/// Renders the man page of `cmd`, the command named `name` (`None` for `passage`
/// itself), as roff into `out`.
///
/// # Errors
/// Errors of writing to `out`.
pub(crate) fn render(
    cmd: clap::Command,
    name: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let has_options = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_commands = cmd.get_subcommands().any(|c| !c.is_hide_set());
    let after = cmd
        .get_after_long_help()
        .or_else(|| cmd.get_after_help())
        .map(|s| s.to_string());
    let has_version = cmd.get_version().is_some();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if has_options {
        man.render_options_section(out)?;
    }
    if has_commands {
        man.render_subcommands_section(out)?;
    }
    if let Some(text) = after {
        writeln!(out, ".SH DETAILS\n.nf\n{}\n.fi", verbatim(&text))?;
    }
    let examples = examples(name);
    if !examples.is_empty() {
        writeln!(out, ".SH EXAMPLES")?;
        for (command, what) in examples {
            // A text line, not `.B`: a macro's arguments lose their quotes.
            writeln!(out, ".TP\n\\fB{}\\fR\n{}", escape(command), escape(what))?;
        }
    }
    writeln!(out, ".SH ENVIRONMENT")?;
    for (var, what) in ENVIRONMENT {
        writeln!(out, ".TP\n.B {var}\n{}", escape(what))?;
    }
    writeln!(out, ".SH \"EXIT STATUS\"\n{}", escape(exit_status(name)))?;
    if has_version {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// The environment variables `passage` reads, and what for.
const ENVIRONMENT: [(&str, &str); 4] = [
    (
        "PASSAGE_INDEX",
        "The index directory, as --index (default: index, in the current folder). Set it to \
         keep one index for a notes folder and query it from anywhere: \
         export PASSAGE_INDEX=~/.notes-index",
    ),
    (
        "NO_COLOR",
        "When set and not empty, query output is not coloured (unless --color always).",
    ),
    (
        "PASSAGE_HYPERLINK_FORMAT",
        "The default of query --hyperlink-format: an alias (default, file, vscode, ...) or a \
         template with {path}, {line}, {column}, {host}, {wslprefix}.",
    ),
    (
        "TERM",
        "When dumb, query output is not coloured (unless --color always).",
    ),
];

/// The EXIT STATUS text of the page of `name`.
fn exit_status(name: Option<&str>) -> &'static str {
    match name {
        None => {
            "0 on success (query: a passage matched), 1 when query found nothing or check \
             --files found files changed or gone, 2 on an error (one line on stderr)."
        }
        Some("query") => "0 if a passage matched, 1 if none did, 2 on an error.",
        Some("check") => {
            "0 if all is well, 1 if --files found indexed files changed or gone (the index \
             is sound), 2 if the index is damaged or cannot be read."
        }
        Some("ingest") => {
            "0 if every file was ingested, 2 on an error, including files that could not be \
             read (the rest is indexed) and a path that does not exist (nothing changes)."
        }
        Some("rm") => {
            "0 on success, 2 on an error, including a PATH that matches no indexed file \
             without --ignore-unmatch (nothing is removed)."
        }
        Some(_) => "0 on success, 2 on an error.",
    }
}

/// Example command lines of the page of `name`, each with what it does.
fn examples(name: Option<&str>) -> &'static [(&'static str, &'static str)] {
    match name {
        None => &[
            ("passage ingest ~/notes", "Index a folder of notes into index/."),
            ("passage query \"NATO treaty\"", "The best passages for a query."),
            ("passage ls", "The files the index holds."),
            ("passage rm ~/notes/old", "Take a folder out of the index."),
        ],
        Some("ingest") => &[
            ("passage ingest", "Index corpus/ into index/ (re-running updates only what changed)."),
            ("passage ingest ~/notes docs/README.md", "Index a folder and a file."),
            ("passage ingest -g '*.md' -g '!drafts/' ~/notes", "Markdown files only, no drafts/ folders."),
            ("passage ingest ~/papers", "Index the text of PDFs (and any other files) there; each hit of a PDF names its page."),
            ("passage ingest --prune ~/notes-2024", "After mv ~/notes ~/notes-2024: index the new name and drop the files of the old one."),
            ("PASSAGE_INDEX=~/.notes-index passage ingest ~/notes", "Keep the index of a notes folder outside it."),
            ("passage --index ~/.man-index ingest /usr/share/man/man1", "The manual pages: compressed roff read as text, options with their descriptions, CP(1) > DESCRIPTION as the heading."),
        ],
        Some("query") => &[
            ("passage query \"NATO treaty\"", "The 10 best passages, highlighted."),
            ("passage query -n 3 --json 'guarant* +ukraine' | jq -r .text", "The text of the 3 best, for a script."),
            ("passage query -c walrus", "How many passages of each file match."),
            ("passage query -l '\"phone call\"'", "The files with a passage that holds the phrase."),
        ],
        Some("rm") => &[
            ("passage rm ~/notes/old", "Remove every indexed file under the folder, on disk or not."),
            ("passage rm -n notes", "List what would be removed; change nothing."),
            ("passage rm notes && passage ingest notes-2024", "A rename: remove the old name, ingest the new one."),
            ("passage rm --ignore-unmatch a.txt b.txt", "Remove whichever of the two is indexed."),
        ],
        Some("ls") => &[
            ("passage ls", "Passages, bytes, modification time, encoding and path of each file."),
            ("passage ls --json | jq -r 'select(.passages == 0) | .abs_path'", "The files with no passage."),
        ],
        Some("check") => &[
            ("passage check --files", "Verify the index, and the indexed files against the disk."),
            ("passage check --json", "One JSON object, for scripts."),
        ],
        Some("stats") => &[("passage stats --json", "Files, passages, terms and settings as JSON.")],
        Some("serve") => &[
            ("passage serve", "Answer on http://127.0.0.1:7700 with the index at ./index."),
            ("curl -s 'http://127.0.0.1:7700/search?q=walrus&n=3' | jq -r '.hits[].text'", "The text of the 3 best passages."),
            ("PASSAGE_TOKEN=secret passage serve --addr 0.0.0.0:7700", "Reachable from other machines: every request needs the token."),
            ("passage --index ~/.notes-index serve --watch ~/notes", "Ingest ~/notes, then re-ingest what changes while serving; Ctrl-C stops both."),
        ],
        Some("mcp") => &[(
            "passage --index ~/.notes-index mcp",
            "An MCP server on stdin/stdout, for an agent's configuration (see the README).",
        )],
        Some("eval") => &[(
            "passage eval --qrels qrels.txt --queries queries.tsv",
            "Run the queries and score the ranking against the judgements.",
        )],
        Some("completions") => &[(
            "passage completions bash > /etc/bash_completion.d/passage",
            "Install bash completions.",
        )],
        Some("man") => &[("passage man query > passage-query.1", "The page of passage query.")],
        Some(_) => &[],
    }
}

/// `text` as roff lines to be shown as written (between `.nf` and `.fi`).
fn verbatim(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("\n")
}

/// One line of text for roff: backslashes and hyphens escaped (a `-` would print as a
/// hyphen, which cannot be copied as an option), and a leading `.` or `'` kept from being
/// read as a request.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    if line.starts_with(['.', '\'']) {
        out.push_str("\\&");
    }
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_lines_from_being_requests() {
        assert_eq!(escape(".SH x"), "\\&.SH x");
        assert_eq!(escape("'quoted"), "\\&'quoted");
        assert_eq!(escape("a\\b --all"), "a\\eb \\-\\-all");
        assert_eq!(verbatim("one\n\n two"), "one\n\n two");
    }
}
