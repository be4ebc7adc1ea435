//! The structured content of the tools' answers: a search's hits (in [`WireHit`], the
//! form `query --json` prints), its warnings worded with the tool's parameter names, and
//! the words no passage contains.

use serde::Serialize;

use crate::printer::wire::WireHit;
use crate::printer::wording::{Options, WireMissing, WireWarning};
use crate::search::{Hit, QueryResponse};

/// The `search` tool's option names, for warnings.
const MCP: Options = Options {
    fixed: "fixed: true",
    path: "paths",
};

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
                .map(|w| WireWarning::new(w, MCP))
                .collect(),
            missing: response.missing.iter().map(WireMissing::new).collect(),
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
