//! One query in, one answer out: [`QueryRequest`] and [`QueryResponse`], the library
//! call every front end (the CLI, the HTTP and MCP servers) translates to and from.

use super::hit::Hit;
use crate::query::{ParseOptions, SyntaxProblem};

/// One query to run, with every option a front end can set.
#[derive(Debug, Clone)]
pub struct QueryRequest {
    /// The query, in the language of [`crate::query`].
    pub query: String,
    /// The most hits returned. By default 10.
    pub limit: usize,
    /// How many of the best hits to skip first. By default 0.
    pub offset: usize,
    /// Parser settings.
    pub parse: ParseOptions,
    /// Return documents instead of passages: at most this many passages per document
    /// (a JSON Lines document, or a file), documents ranked by their best passage. By
    /// default `None` (passages, ungrouped); `limit` and `offset` then count documents.
    pub per_doc: Option<usize>,
    /// Load each hit's stored text and compute highlights. By default true; false gives
    /// hits with only rank, score, path, ordinal and document id (faster, for runs).
    pub with_text: bool,
    /// Keep only hits whose path passes these globs, in the language of ingest's globs
    /// (see [`super::PathFilter`]). By default empty: every path.
    pub paths: Vec<String>,
    /// Attach this many neighbouring passages of the same file before and after each hit.
    /// By default 0.
    pub context: usize,
    /// Attach the BM25 explanation of each hit's score. By default false.
    pub explain: bool,
    /// Rank with pseudo-relevance feedback ([`super::feedback`]), and how. By default
    /// `None`: the query alone.
    pub feedback: Option<Feedback>,
    /// Also count every matching passage, per file, into [`QueryResponse::total`] and
    /// [`QueryResponse::per_file`] (`paths` applies). Costs one more pass over every
    /// matching passage, unscored and unpruned. By default false.
    pub count: bool,
    /// Find where each hit's first match is in its file ([`super::Hit::match_line`]),
    /// reading the file when it still holds the passage. By default false.
    pub match_lines: bool,
    /// When nothing matches, name the query's words no passage contains, with indexed
    /// words close to them ([`QueryResponse::missing`]). By default false.
    pub suggest: bool,
    /// A budget for the answer's passage text, in characters (Unicode scalar values):
    /// hits are kept in rank order while their `text` and their context passages' add
    /// up to at most this many; the last one kept may be trimmed to a window around its
    /// highlights ([`Hit::trimmed`]). At least one hit is kept (trimmed to the budget if
    /// need be). See [`super::fit`]. By default `None`: no budget.
    pub max_total_chars: Option<usize>,
}

/// How pseudo-relevance feedback ranks ([`QueryRequest::feedback`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Feedback {
    /// The query's ranking and its RM3 feedback query's ranking, fused by reciprocal
    /// rank fusion ([`super::fusion`]): a passage both rank high stays high, and one
    /// only the expansion finds comes in below them. The default.
    #[default]
    Fused,
    /// The RM3 feedback query alone, exactly as Anserini's `Rm3Reranker` ranks.
    Rm3,
}

impl QueryRequest {
    /// A request for the 10 best hits of `query`, every other option at its default.
    pub fn new(query: impl Into<String>) -> QueryRequest {
        QueryRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            parse: ParseOptions::default(),
            per_doc: None,
            with_text: true,
            paths: Vec::new(),
            context: 0,
            explain: false,
            feedback: None,
            count: false,
            match_lines: false,
            suggest: false,
            max_total_chars: None,
        }
    }

    /// True when hits are ranked as documents ([`QueryRequest::per_doc`]).
    pub fn grouped(&self) -> bool {
        self.per_doc.is_some()
    }
}

/// The answer to one [`QueryRequest`].
#[derive(Debug, Clone, Default)]
pub struct QueryResponse {
    /// The hits, best first: score descending, then path, then passage ordinal (grouped:
    /// documents in that order, each document's passages best first).
    pub hits: Vec<Hit>,
    /// Problems with the query that did not stop it, in the order met.
    pub warnings: Vec<Warning>,
    /// With [`QueryRequest::suggest`], when nothing matched: each query word no passage
    /// contains, in query order.
    pub missing: Vec<MissingWord>,
    /// True when at least one passage matches the query: `hits` is not empty, or the
    /// request asked for no hit (`limit` 0) and some passage matches.
    pub matched: bool,
    /// With [`QueryRequest::count`]: how many passages match (exact, after the path
    /// filter, whatever `limit` and `offset`). `None` when not asked for, or when the
    /// query could match nothing (read it as 0).
    pub total: Option<u64>,
    /// With [`QueryRequest::count`]: each file (stored path, as [`Hit::path`]) with at
    /// least one matching passage, and how many, sorted by path.
    pub per_file: Vec<(String, u64)>,
    /// True when [`QueryRequest::max_total_chars`] left out hits or trimmed the last one.
    pub cut_to_fit: bool,
}

/// A word of the query that no passage contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingWord {
    /// The word as written in the query.
    pub word: String,
    /// Up to three indexed words within two edits of it (sharing its first character),
    /// closest and most frequent first, spelled as in the text. Empty when none is
    /// close, or when it is past the first [`super::SUGGESTED_WORDS`] missing words
    /// (each costs a scan of part of the term dictionary).
    pub suggestions: Vec<String>,
}

/// A problem with a query that did not stop it. Positions are 1-based character
/// positions in [`QueryRequest::query`]. Front ends word them ([`Warning::code`] is a
/// stable name for programs).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// Syntax the parser read otherwise or ignored.
    Syntax {
        /// Where.
        position: usize,
        /// What was wrong and what was done instead.
        problem: SyntaxProblem,
    },
    /// Nothing in the query can be searched: it is empty, or has no searchable word
    /// (punctuation, emoji, `*`, a lone operator).
    NothingToSearch {
        /// True when the query is empty or only white space.
        empty: bool,
    },
    /// Every term of the query is excluded, so nothing can match.
    OnlyExcluded,
    /// The query had more distinct words and phrases than a query may use; only the
    /// `kept` that weigh most were searched.
    TooManyClauses {
        /// Distinct words and phrases in the query.
        total: usize,
        /// How many were searched ([`super::budget::MAX_CLAUSES`]).
        kept: usize,
    },
    /// No indexed file passes the path filter ([`QueryRequest::paths`]).
    NoPathMatches {
        /// The globs, as given.
        globs: Vec<String>,
    },
    /// Nothing matched the query read with syntax, but its words read as plain text
    /// match.
    SyntaxEmptied {
        /// Where syntax was read: position and the text there, in query order.
        places: Vec<(usize, String)>,
    },
    /// Exclusions that look like command-line flags (`-la`, `-rf`, `-O2`) left out
    /// passages that match the rest of the query.
    FlagExcluded {
        /// Each such exclusion: position and its text (with the `-`).
        flags: Vec<(usize, String)>,
    },
}

impl Warning {
    /// A stable snake_case name of the kind of warning, for programs.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::Syntax { .. } => "syntax",
            Warning::NothingToSearch { .. } => "nothing_to_search",
            Warning::OnlyExcluded => "only_excluded",
            Warning::TooManyClauses { .. } => "too_many_clauses",
            Warning::NoPathMatches { .. } => "no_path_matches",
            Warning::SyntaxEmptied { .. } => "syntax_emptied",
            Warning::FlagExcluded { .. } => "flag_excluded",
        }
    }

    /// The 1-based character position in the query the warning is about, when it is
    /// about one place.
    pub fn position(&self) -> Option<usize> {
        match self {
            Warning::Syntax { position, .. } => Some(*position),
            Warning::SyntaxEmptied { places: p } | Warning::FlagExcluded { flags: p } => {
                p.first().map(|(pos, _)| *pos)
            }
            _ => None,
        }
    }
}
