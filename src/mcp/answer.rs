//! The structured content of the tools' answers: a search's hits (in [`WireHit`], the
//! form `query --json` prints), its warnings worded with the tool's parameter names, and
//! the words no passage contains.

use serde::Serialize;

use crate::printer::wire::WireHit;
use crate::search::{Hit, QueryResponse, Warning};

/// Syntax places named in one warning; the rest are `...`.
const PLACES_SHOWN: usize = 3;

/// The answer of `search`.
#[derive(Serialize)]
pub(super) struct SearchAnswer<'a> {
    /// Best first; the objects of `query --json` (with `context_before` and
    /// `context_after` when the call asked for context).
    hits: Vec<WireHit<'a>>,
    warnings: Vec<WireWarning>,
    /// When nothing matched: each query word no passage contains.
    missing: Vec<WireMissing<'a>>,
    /// True when at least one passage matches.
    matched: bool,
    /// True when `max_total_chars` left out hits or trimmed the last one.
    cut_to_fit: bool,
}

/// One warning: a stable code, the 1-based character position in the query when it is
/// about one place, and a sentence.
#[derive(Serialize)]
struct WireWarning {
    code: &'static str,
    position: Option<usize>,
    message: String,
}

#[derive(Serialize)]
struct WireMissing<'a> {
    word: &'a str,
    /// Indexed words close to it, closest first.
    suggestions: &'a [String],
}

impl<'a> SearchAnswer<'a> {
    /// The answer of `response`; `context`: the call asked for neighbours.
    pub(super) fn new(response: &'a QueryResponse, context: bool) -> SearchAnswer<'a> {
        SearchAnswer {
            hits: response
                .hits
                .iter()
                .map(|h| WireHit::new(h, None, context))
                .collect(),
            warnings: response
                .warnings
                .iter()
                .map(|w| WireWarning {
                    code: w.code(),
                    position: w.position(),
                    message: warning_message(w),
                })
                .collect(),
            missing: response
                .missing
                .iter()
                .map(|m| WireMissing {
                    word: &m.word,
                    suggestions: &m.suggestions,
                })
                .collect(),
            matched: response.matched,
            cut_to_fit: response.cut_to_fit,
        }
    }
}

/// The answer of `get_passage`: the passage as a hit of `query --json -C` (rank and
/// score 0, no highlights), its neighbours in `context_before` and `context_after`.
pub(super) fn passage_answer(hit: &Hit) -> WireHit<'_> {
    WireHit::new(hit, None, true)
}

/// `warning` in one lower-case line, naming the `search` tool's parameters.
fn warning_message(warning: &Warning) -> String {
    match warning {
        Warning::Syntax { position, problem } => format!("query position {position}: {problem}"),
        Warning::NothingToSearch { empty: true } => "empty query; nothing to search".into(),
        Warning::NothingToSearch { empty: false } => {
            "the query has no searchable words; nothing to search".into()
        }
        Warning::OnlyExcluded => "the query has only excluded terms, so nothing can match".into(),
        Warning::TooManyClauses { total, kept } => format!(
            "the query has {total} distinct words and phrases, more than the {kept} a query \
             may use; searched with the {kept} that weigh most"
        ),
        Warning::NoPathMatches { globs } => {
            let globs: Vec<String> = globs.iter().map(|g| format!("`{g}`")).collect();
            format!("no indexed file matches paths {}", globs.join(" "))
        }
        Warning::SyntaxEmptied { places } => {
            let more = if places.len() > PLACES_SHOWN {
                ", ..."
            } else {
                ""
            };
            format!(
                "nothing matched the query read with syntax ({}{more}); its words as plain \
                 text match: search again with fixed: true",
                places_list(&places[..places.len().min(PLACES_SHOWN)])
            )
        }
        Warning::FlagExcluded { flags } => format!(
            "{} read as an exclusion, which left out passages that match the rest of the \
             query; to search it as text, quote it or set fixed: true",
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
