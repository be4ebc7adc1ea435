//! The JSON answers of the API: a search's hits (in [`WireHit`], the form `query --json`
//! prints), its warnings worded for HTTP, its missing words and totals.

use serde::Serialize;

use super::errors::{ApiError, WireErrorDetail};
use crate::printer::wire::WireAnswer;
use crate::printer::wording::Options;
use crate::search::QueryResponse;

/// The API's option names, for warnings.
const HTTP: Options = Options {
    fixed: "fixed=true",
    path: "path",
};

/// The answer to one search.
#[derive(Serialize)]
pub(crate) struct SearchAnswer<'a> {
    /// Hits, warnings, missing words, `matched` and `cut_to_fit`, as MCP answers them.
    #[serde(flatten)]
    answer: WireAnswer<'a>,
    /// With `count`: matching passages; else null.
    total: Option<u64>,
    /// With `count`: each file with a matching passage and how many; else null.
    per_file: Option<Vec<WireFileCount<'a>>>,
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
            answer: WireAnswer::new(response, context, HTTP),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_name_http_parameters() {
        let w = crate::search::Warning::FlagExcluded {
            flags: vec![(5, "-la".into())],
        };
        let m = crate::printer::wording::warning(&w, HTTP);
        assert!(
            m.starts_with("`-la` at position 5") && m.ends_with("fixed=true"),
            "{m}"
        );
    }
}
