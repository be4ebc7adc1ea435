//! The English of what the library reports as data (query warnings, missing words),
//! shared by the front ends; each names its own options ([`Options`]).

use serde::Serialize;

use crate::search::{MissingWord, Warning};

/// Syntax places named in one warning; the rest are `...`.
const PLACES_SHOWN: usize = 3;

/// How a front end names the options a warning points to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Reading the query as plain words (`-F/--fixed-strings`, `fixed=true`).
    pub(crate) fixed: &'static str,
    /// The path filter (`--path`, `path`).
    pub(crate) path: &'static str,
}

/// The CLI's option names.
pub(crate) const CLI: Options = Options {
    fixed: "-F/--fixed-strings",
    path: "--path",
};

/// `warning` as one lower-case line, naming `options`.
pub(crate) fn warning(warning: &Warning, options: Options) -> String {
    let fixed = options.fixed;
    match warning {
        Warning::Syntax { position, problem } => format!("query position {position}: {problem}"),
        Warning::NothingToSearch { empty: true } => "empty query; nothing to search".into(),
        Warning::NothingToSearch { empty: false } => {
            "the query has no searchable words; nothing to search".into()
        }
        Warning::OnlyExcluded => format!(
            "the query has only excluded terms, so nothing can match; to search them as \
             text (`-rf`), quote them or use {fixed}"
        ),
        Warning::TooManyClauses { total, kept } => format!(
            "the query has {total} distinct words and phrases, more than the {kept} a query \
             may use; searched with the {kept} that weigh most (rarest in the index, times \
             the times written), {} left out",
            total.saturating_sub(*kept)
        ),
        Warning::NoPathMatches { globs } => {
            let globs: Vec<String> = globs.iter().map(|g| format!("`{g}`")).collect();
            format!(
                "no indexed file matches {} {}",
                options.path,
                globs.join(" ")
            )
        }
        Warning::SyntaxEmptied { places } => {
            let more = if places.len() > PLACES_SHOWN {
                ", ..."
            } else {
                ""
            };
            format!(
                "nothing matched the query read with syntax ({}{more}); its words as plain \
                 text match: search them with {fixed}",
                places_list(&places[..places.len().min(PLACES_SHOWN)])
            )
        }
        Warning::FlagExcluded { flags } => format!(
            "{} read as an exclusion, which left out passages that match the rest of the \
             query; to search it as text, quote it or use {fixed}",
            places_list(flags)
        ),
    }
}

/// `` `text` at position N ``, comma-separated.
fn places_list(places: &[(usize, String)]) -> String {
    places
        .iter()
        .map(|(pos, text)| format!("`{text}` at position {pos}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A word no passage contains, as one line (indexed words close to it after it).
pub(crate) fn missing_word(missing: &MissingWord) -> String {
    let mut msg = format!("no passage contains `{}`", missing.word);
    if !missing.suggestions.is_empty() {
        msg.push_str("; indexed words close to it: ");
        msg.push_str(&missing.suggestions.join(", "));
    }
    msg
}

/// One warning on the wire (HTTP, MCP): a stable code, the 1-based character position in
/// the query when it is about one place, and a sentence.
#[derive(Serialize)]
pub(crate) struct WireWarning {
    code: &'static str,
    position: Option<usize>,
    message: String,
}

impl WireWarning {
    /// The wire form of `w`, worded with `options`.
    pub(crate) fn new(w: &Warning, options: Options) -> WireWarning {
        WireWarning {
            code: w.code(),
            position: w.position(),
            message: warning(w, options),
        }
    }
}

/// A word no passage contains, on the wire, with indexed words close to it.
#[derive(Serialize)]
pub(crate) struct WireMissing<'a> {
    word: &'a str,
    /// Closest first.
    suggestions: &'a [String],
}

impl<'a> WireMissing<'a> {
    pub(crate) fn new(m: &'a MissingWord) -> WireMissing<'a> {
        WireMissing {
            word: &m.word,
            suggestions: &m.suggestions,
        }
    }
}
