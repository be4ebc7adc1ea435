//! Searching: one [`QueryRequest`] in, one [`QueryResponse`] out, answered by an
//! [`Engine`] over one index.
//!
//! The flow of one call ([`Engine::search`]): a snapshot of the index is taken
//! (`snapshot`), the query parsed with the index's own analyzer ([`crate::query`]), bounded
//! ([`budget`]), its fuzzy and prefix words expanded ([`expand`]), compiled to a Tantivy
//! query ([`compile`]) scored by BM25 ([`score`]), optionally rewritten with RM3 feedback
//! ([`feedback`]); passages are ranked and grouped, counted ([`count`]), loaded and
//! highlighted ([`hit`]), and kept within a budget of characters ([`fit`]); what went
//! wrong along the way becomes typed warnings (`diagnose`) and, when nothing matched,
//! suggestions (`suggest`).

pub mod budget;
mod collector;
pub mod compile;
pub mod count;
mod diagnose;
mod engine;
mod exclude;
pub mod expand;
pub mod feedback;
pub mod fit;
pub mod fusion;
mod heading;
pub mod hit;
mod paths;
mod request;
pub mod score;
mod snapshot;
mod source;
mod suggest;

pub use engine::Engine;
pub use hit::{doc_key, Explanation, Hit};
pub use paths::{shown_path, PathFilter};
pub use request::{Feedback, MissingWord, QueryRequest, QueryResponse, Warning};
pub use source::MatchLine;
pub use suggest::SUGGESTED_WORDS;

#[cfg(test)]
mod tests;
