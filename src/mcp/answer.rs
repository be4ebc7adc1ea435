//! The structured content of the tools' answers: a search's hits (in [`WireHit`], the
//! form `query --json` prints), its warnings worded with the tool's parameter names, and
//! the words no passage contains.

use crate::printer::wire::{WireAnswer, WireHit};
use crate::printer::wording::Options;
use crate::search::{Hit, QueryResponse};

/// The `search` tool's option names, for warnings.
const MCP: Options = Options {
    fixed: "fixed: true",
    path: "paths",
};

/// The answer of `search`: the shared wire answer, worded with the tool's names.
pub(super) fn search_answer(response: &QueryResponse, context: bool) -> WireAnswer<'_> {
    WireAnswer::new(response, context, MCP)
}

/// The answer of `get_passage`: the passage as a hit of `query --json -C` (rank and
/// score 0, no highlights), its neighbours in `context_before` and `context_after`.
pub(super) fn passage_answer(hit: &Hit) -> WireHit<'_> {
    WireHit::new(hit, None, true)
}
