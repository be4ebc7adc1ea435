//! The JSON answers of the API: a search's hits (in [`WireHit`], the form `query --json`
//! prints), its warnings worded for HTTP, its missing words and totals.

use serde::Serialize;

use super::errors::{ApiError, WireErrorDetail};
use crate::printer::wire::WireHit;
use crate::search::{MissingWord, QueryResponse, Warning};

/// Syntax places named in one warning; the rest are `...`.
const PLACES_SHOWN: usize = 3;

/// The answer to one search.
#[derive(Serialize)]
pub(crate) struct SearchAnswer<'a> {
    /// Best first; the objects of `query --json`.
    hits: Vec<WireHit<'a>>,
    warnings: Vec<WireWarning>,
    missing: Vec<WireMissing<'a>>,
    matched: bool,
    /// True when `max_total_chars` left out hits or trimmed the last one.
    cut_to_fit: bool,
    /// With `count`: matching passages; else null.
    total: Option<u64>,
    /// With `count`: each file with a matching passage and how many; else null.
    per_file: Option<Vec<WireFileCount<'a>>>,
}

/// One warning: its stable code, the place in the query (1-based characters) when it is
/// about one, and a sentence.
#[derive(Serialize)]
struct WireWarning {
    code: &'static str,
    position: Option<usize>,
    message: String,
}

#[derive(Serialize)]
struct WireMissing<'a> {
    word: &'a str,
    suggestions: &'a [String],
}

#[derive(Serialize)]
struct WireFileCount<'a> {
    path: &'a str,
    passages: u64,
}

impl<'a> SearchAnswer<'a> {
    /// The answer of `response`; `context`: the request asked for neighbours (hits then
    /// carry `context_before` and `context_after`, as with `query --json -C`).
    pub(crate) fn new(response: &'a QueryResponse, context: bool) -> SearchAnswer<'a> {
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
                .map(|m: &'a MissingWord| WireMissing {
                    word: &m.word,
                    suggestions: &m.suggestions,
                })
                .collect(),
            matched: response.matched,
            cut_to_fit: response.cut_to_fit,
            total: response.total,
            per_file: response.total.map(|_| {
                let files = response.per_file.iter();
                files
                    .map(|(path, n)| WireFileCount { path, passages: *n })
                    .collect()
            }),
        }
    }
}

/// The answer to a batch: one entry per query, in order.
#[derive(Serialize)]
pub(crate) struct BatchAnswer<'a> {
    results: Vec<BatchEntry<'a>>,
}

/// A query's answer, or the error that stopped it.
#[derive(Serialize)]
#[serde(untagged)]
enum BatchEntry<'a> {
    Answer(SearchAnswer<'a>),
    Failed { error: WireErrorDetail<'a> },
}

impl<'a> BatchAnswer<'a> {
    /// The answer of `results`: each query's response (and whether it asked for
    /// neighbours), or its error.
    pub(crate) fn new(results: &'a [Result<(QueryResponse, bool), ApiError>]) -> BatchAnswer<'a> {
        let results = results
            .iter()
            .map(|r| match r {
                Ok((response, context)) => {
                    BatchEntry::Answer(SearchAnswer::new(response, *context))
                }
                Err(e) => BatchEntry::Failed { error: e.detail() },
            })
            .collect();
        BatchAnswer { results }
    }
}

/// `warning` in one lower-case line, naming the API's parameters.
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
             may use; searched with the {kept} that weigh most, {} left out",
            total.saturating_sub(*kept)
        ),
        Warning::NoPathMatches { globs } => {
            let globs: Vec<String> = globs.iter().map(|g| format!("`{g}`")).collect();
            format!("no indexed file matches path {}", globs.join(" "))
        }
        Warning::SyntaxEmptied { places } => {
            let more = if places.len() > PLACES_SHOWN {
                ", ..."
            } else {
                ""
            };
            format!(
                "nothing matched the query read with syntax ({}{more}); its words as plain \
                 text match: search them with fixed=true",
                places_list(&places[..places.len().min(PLACES_SHOWN)])
            )
        }
        Warning::FlagExcluded { flags } => format!(
            "{} read as an exclusion, which left out passages that match the rest of the \
             query; to search it as text, quote it or use fixed=true",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_name_http_parameters() {
        let w = Warning::FlagExcluded {
            flags: vec![(5, "-la".into())],
        };
        let m = warning_message(&w);
        assert!(
            m.starts_with("`-la` at position 5") && m.ends_with("fixed=true"),
            "{m}"
        );
    }
}
