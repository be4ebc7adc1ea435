//! The MCP tools: their parameters (JSON schemas derived by schemars), descriptions
//! written for a language model, and the translation of each call to one library call.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ServerHandler};
use schemars::JsonSchema;
use serde::Deserialize;

use super::answer::{passage_answer, search_answer};
use crate::query::ParseOptions;
use crate::search::{Engine, QueryRequest};

/// Most hits (or documents) one `search` may return.
const MAX_LIMIT: usize = 100;
/// Most hits one `search` may skip.
const MAX_OFFSET: usize = 10_000;
/// Most neighbours on each side of a passage.
const MAX_CONTEXT: usize = 10;

/// What the server tells a client at the handshake.
const INSTRUCTIONS: &str = "Full-text search over the user's indexed documents, split into \
paragraph passages. Use `search` to find passages (ranked by BM25, matched words marked), \
`get_passage` to read around a hit, `index_stats` to see what is indexed. Cite a hit as \
path:line.";

const SEARCH: &str = "Search the indexed documents and return the best passages (paragraphs), \
ranked by BM25, with the words that matched.

Query language: plain words are OR'ed and ranked (passages with more of the words, and rarer \
ones, rank higher; `all: true` requires every word). \"quoted phrase\": the words next to each \
other, in order (\"phone call\"~2 allows up to 2 words between). -word excludes passages \
containing it; +word requires it. guarant*: words starting with `guarant`. nato~1: words \
within 1 edit of `nato` (~2 at most). AND, OR, NOT and parentheses combine clauses. Case, \
accents and word endings do not matter (`guarantee` finds `Guarantees`). A question or pasted \
prose is read as plain words: its punctuation is not syntax, and its function words (how, do, \
I, the...) outside quotes are not searched. A hyphenated word is its words. `fixed: true` reads every \
character as text. Malformed syntax (an unbalanced quote, an unclosed parenthesis) is an \
error naming its 1-based character position, unless `strict: false`.

Each hit: `path` (the file, as indexed), `passage` (0-based ordinal of the passage in the \
file), `line` and `end_line` (1-based first and last line of the passage in the file), \
`byte_start`/`byte_end` (its bytes in the file), `text` (the passage), `highlights` (byte \
ranges in `text` of what matched) and `highlights_chars` (the same in characters), `heading` \
(Markdown or HTML section, or the document's title, or null; `heading_highlights` mark what \
matched in it), `score` and `rank`; a PDF's hits also have `page` (1-based; their lines and \
bytes count in the page's extracted text). Cite a hit as path:line, or a PDF's as path, page N. \
With \
`max_total_chars`, the last hit's `text` may be a window of its passage, marked `trimmed`; \
`get_passage(path, passage)` returns the whole passage and its neighbours.

The answer also holds `warnings` (code, position in the query, message), `missing` (when \
nothing matched: query words no passage contains, with close indexed words), `matched`, and \
`cut_to_fit` (true when `max_total_chars` left out hits or trimmed one).";

const GET_PASSAGE: &str = "Fetch one passage by its place, with its neighbours: passage number \
`passage` (0-based) of the file `path`, both exactly as a `search` hit gives them, and up to \
`context` passages before and after it in the same file (`context_before`, \
`context_after`). Use it to read around a hit, or to get the whole text of a trimmed hit. \
Answers the hit object of `search` (rank and score 0, no highlights).";

const INDEX_STATS: &str = "What the index holds: `files`, `passages`, distinct `terms`, \
`size_bytes`, `stemmer` language, `stopwords`, `format_version`, `last_ingest` (seconds since \
the Unix epoch) and the `index` folder. Call it to check that an index exists and how large \
the corpus is.";

/// Parameters of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct SearchParams {
    /// The query, in the language the tool description gives. Example:
    /// `"security guarantees" ukraine -russia`.
    query: String,
    /// Most hits to return, 1 to 100 (with `per_doc`: documents).
    #[serde(default = "default_limit")]
    #[schemars(range(min = 1, max = 100))]
    limit: usize,
    /// Skip this many of the best hits first (the next page: offset + limit), at most 10000.
    #[serde(default)]
    #[schemars(range(max = 10000))]
    offset: usize,
    /// Only passages whose file path matches one of these globs, gitignore-style: `*.md`
    /// matches the file name in any folder, a glob with `/` is anchored (`docs/**`), `!GLOB`
    /// excludes. Default: every file.
    #[serde(default)]
    paths: Vec<String>,
    /// Require every word of the query (AND) instead of ranking passages with any of them.
    #[serde(default)]
    all: bool,
    /// Read the query as plain words with no syntax (for pasted text with quotes, dashes,
    /// colons or parentheses).
    #[serde(default)]
    fixed: bool,
    /// Fail on malformed syntax with an error naming its position; false runs what is valid
    /// and reports a warning.
    #[serde(default = "yes")]
    strict: bool,
    /// Return documents (files, or JSON Lines documents) instead of passages: each
    /// document's best `per_doc` passages, documents ranked by their best; `limit` and
    /// `offset` then count documents. Default: passages, not grouped.
    #[serde(default)]
    #[schemars(range(min = 1))]
    per_doc: Option<usize>,
    /// Also return this many neighbouring passages of the same file before and after each
    /// hit (`context_before`, `context_after`), 0 to 10.
    #[serde(default)]
    #[schemars(range(max = 10))]
    context: usize,
    /// A budget for the answer's passage text, in characters: hits are added best first
    /// while their text (and their context passages') fits; the last may be trimmed to a
    /// window around its matches (marked `trimmed`). At least one hit comes back. Default:
    /// no budget.
    #[serde(default)]
    #[schemars(range(min = 1))]
    max_total_chars: Option<usize>,
}

fn default_limit() -> usize {
    10
}

fn yes() -> bool {
    true
}

/// Parameters of `get_passage`.
#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct PassageParams {
    /// The file, exactly as the `path` of a search hit.
    path: String,
    /// 0-based number of the passage in the file, as the `passage` of a search hit.
    passage: u64,
    /// Neighbouring passages to return before and after it, 0 to 10.
    #[serde(default)]
    #[schemars(range(max = 10))]
    context: usize,
}

impl SearchParams {
    /// The library request of these parameters.
    ///
    /// # Errors
    /// A one-line message naming the parameter out of range.
    fn request(self) -> Result<QueryRequest, String> {
        check("limit", self.limit, 1, MAX_LIMIT)?;
        check("offset", self.offset, 0, MAX_OFFSET)?;
        check("context", self.context, 0, MAX_CONTEXT)?;
        check("per_doc", self.per_doc.unwrap_or(1), 1, usize::MAX)?;
        check(
            "max_total_chars",
            self.max_total_chars.unwrap_or(1),
            1,
            usize::MAX,
        )?;
        Ok(QueryRequest {
            limit: self.limit,
            offset: self.offset,
            parse: ParseOptions {
                all: self.all,
                strict: self.strict,
                fixed: self.fixed,
                keep_function_words: false,
            },
            per_doc: self.per_doc,
            paths: self.paths,
            context: self.context,
            suggest: true,
            max_total_chars: self.max_total_chars,
            ..QueryRequest::new(self.query)
        })
    }
}

/// `Ok` when `lo <= value <= hi`, else a message naming `name`.
fn check(name: &str, value: usize, lo: usize, hi: usize) -> Result<(), String> {
    if (lo..=hi).contains(&value) {
        return Ok(());
    }
    Err(match hi {
        usize::MAX => format!("{name} must be at least {lo}, not {value}"),
        _ => format!("{name} must be {lo} to {hi}, not {value}"),
    })
}

/// What every call shares: the index folder and the engine, opened when an index is
/// first found there.
struct Shared {
    index: PathBuf,
    engine: OnceLock<Arc<Engine>>,
    /// Held while opening, so that concurrent calls open the index once.
    opening: Mutex<()>,
}

impl Shared {
    /// The engine, opening the index on first need. Blocking.
    ///
    /// # Errors
    /// As [`Engine::open`], worded: no index yet says to run `passage ingest`.
    fn engine(&self) -> Result<Arc<Engine>, String> {
        if let Some(engine) = self.engine.get() {
            return Ok(engine.clone());
        }
        // A poisoned lock only means another opening panicked; opening again is safe.
        let _guard = self.opening.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(engine) = self.engine.get() {
            return Ok(engine.clone());
        }
        let engine = Arc::new(Engine::open(&self.index).map_err(|e| e.to_string())?);
        Ok(self.engine.get_or_init(|| engine).clone())
    }
}

/// The MCP server: the tools over one index folder.
#[derive(Clone)]
pub(super) struct PassageServer {
    shared: Arc<Shared>,
}

impl PassageServer {
    /// A server over the index folder `index` (which may not hold an index yet).
    pub(super) fn new(index: PathBuf) -> PassageServer {
        PassageServer {
            shared: Arc::new(Shared {
                index,
                engine: OnceLock::new(),
                opening: Mutex::new(()),
            }),
        }
    }

    /// Runs `f` on Tokio's blocking pool (searching is synchronous and CPU-bound); its
    /// answer becomes the structured content, and its JSON text the text content.
    ///
    /// # Errors
    /// `f`'s message; a panic in `f` as an internal error.
    async fn blocking<F>(&self, f: F) -> Result<CallToolResult, String>
    where
        F: FnOnce(&Shared) -> Result<Json, String> + Send + 'static,
    {
        let shared = self.shared.clone();
        let Json { text, value } = match tokio::task::spawn_blocking(move || f(&shared)).await {
            Ok(json) => json?,
            Err(e) => return Err(format!("internal error: the call failed: {e}")),
        };
        let mut result = CallToolResult::structured(value);
        result.content = vec![ContentBlock::text(text)];
        Ok(result)
    }
}

/// An answer as JSON text (fields in the order of their struct, numbers as printed by
/// `query --json`) and as the value that text decodes to.
struct Json {
    text: String,
    value: serde_json::Value,
}

/// `answer` as [`Json`]. The value is decoded from the text, so that an `f32` score
/// reads the same in both (a direct conversion widens it to `f64` digits).
fn json(answer: impl serde::Serialize) -> Result<Json, String> {
    let internal = |e: serde_json::Error| format!("internal error: {e}");
    let text = serde_json::to_string(&answer).map_err(internal)?;
    let value = serde_json::from_str(&text).map_err(internal)?;
    Ok(Json { text, value })
}

#[tool_router]
impl PassageServer {
    #[tool(
        description = SEARCH,
        annotations(title = "Search passages", read_only_hint = true, open_world_hint = false)
    )]
    async fn search(
        &self,
        Parameters(params): Parameters<SearchParams>,
    ) -> Result<CallToolResult, String> {
        let request = params.request()?;
        self.blocking(move |shared| {
            let response = shared
                .engine()?
                .search(&request)
                .map_err(|e| e.to_string())?;
            json(search_answer(&response, request.context > 0))
        })
        .await
    }

    #[tool(
        description = GET_PASSAGE,
        annotations(title = "Get a passage", read_only_hint = true, open_world_hint = false)
    )]
    async fn get_passage(
        &self,
        Parameters(params): Parameters<PassageParams>,
    ) -> Result<CallToolResult, String> {
        check("context", params.context, 0, MAX_CONTEXT)?;
        self.blocking(move |shared| {
            let engine = shared.engine()?;
            let found = engine
                .passage(&params.path, params.passage, params.context)
                .map_err(|e| e.to_string())?;
            match found {
                Some(hit) => json(passage_answer(&hit)),
                None => Err(not_found(&engine, &params)),
            }
        })
        .await
    }

    #[tool(
        description = INDEX_STATS,
        annotations(title = "Index statistics", read_only_hint = true, open_world_hint = false)
    )]
    async fn index_stats(&self) -> Result<CallToolResult, String> {
        self.blocking(|shared| {
            #[derive(serde::Serialize)]
            struct Stats {
                index: String,
                #[serde(flatten)]
                stats: crate::index::IndexStats,
            }
            let stats = crate::index::stats(&shared.index).map_err(|e| e.to_string())?;
            let index = shared.index.display().to_string();
            json(Stats { index, stats })
        })
        .await
    }
}

/// Why `get_passage` found nothing: no such file in the index, or no such passage in it.
fn not_found(engine: &Engine, params: &PassageParams) -> String {
    let (path, n) = (&params.path, params.passage);
    match engine.indexed_paths() {
        Ok(paths) if !paths.contains(path) => {
            format!("the index has no file `{path}`: give `path` exactly as a search hit gives it")
        }
        _ => format!("`{path}` has no passage {n} (passages are numbered from 0)"),
    }
}

#[tool_handler]
impl ServerHandler for PassageServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("passage", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: serde_json::Value) -> SearchParams {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn search_parameters_default_to_the_cli_defaults_but_strict() {
        let r = params(serde_json::json!({"query": "otter"}))
            .request()
            .unwrap();
        assert_eq!((r.query.as_str(), r.limit, r.offset), ("otter", 10, 0));
        assert!(r.parse.strict && !r.parse.all && !r.parse.fixed && r.suggest);
        assert_eq!((r.per_doc, r.max_total_chars, r.context), (None, None, 0));
    }

    #[test]
    fn out_of_range_parameters_are_named() {
        let err = |json| params(json).request().unwrap_err();
        assert_eq!(
            err(serde_json::json!({"query": "x", "limit": 101})),
            "limit must be 1 to 100, not 101"
        );
        assert_eq!(
            err(serde_json::json!({"query": "x", "context": 11})),
            "context must be 0 to 10, not 11"
        );
        assert_eq!(
            err(serde_json::json!({"query": "x", "max_total_chars": 0})),
            "max_total_chars must be at least 1, not 0"
        );
        assert_eq!(
            err(serde_json::json!({"query": "x", "per_doc": 0})),
            "per_doc must be at least 1, not 0"
        );
    }

    #[test]
    fn every_tool_has_a_schema_and_a_description() {
        let tools = PassageServer::tool_router().list_all();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        for t in &tools {
            assert!(
                t.description.as_deref().is_some_and(|d| d.len() > 100),
                "{}",
                t.name
            );
            assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        }
    }
}
