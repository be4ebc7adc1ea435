//! `passage`: full-text search for passages.
//!
//! Files are split into paragraph-sized passages ([`passage`]), analyzed with Unicode
//! word segmentation ([`analysis`]) and indexed with Tantivy ([`index`]); queries, parsed
//! in the query language of [`query`], return passages ranked by BM25 with the exact byte
//! spans that matched ([`search`], [`highlight`]), printed for a terminal or as JSON Lines
//! ([`printer`]).
//!
//! # Example
//! ```
//! # fn main() -> passage::Result<()> {
//! use passage::{ingest, CorpusBuilder, Engine, IngestOptions, QueryRequest};
//! let dir = tempfile::tempdir().unwrap();
//! let file = dir.path().join("notes.txt");
//! std::fs::write(&file, "The treaty was signed.\n\nSecurity guarantees followed.\n").unwrap();
//! let index = dir.path().join("index");
//! ingest(&index, &CorpusBuilder::new(vec![file]), &IngestOptions::default(), |_| {})?;
//! let engine = Engine::open(&index)?;
//! let results = engine.search(&QueryRequest::new("guarantee"))?;
//! assert_eq!(results.hits.len(), 1);
//! let hit = &results.hits[0];
//! assert_eq!((hit.line, &hit.text[hit.highlights[0].clone()]), (3, "guarantees"));
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod analysis;
/// The command-line front end of the `passage` binary (argument types, dispatch, exit
/// codes); public for the binary only, not a library API.
#[doc(hidden)]
pub mod cli;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod highlight;
pub mod index;
mod mcp;
pub mod passage;
pub mod printer;
pub mod query;
pub mod search;
mod serve;

// The library API: ingest, the engine, its request and response, the analyzer.
pub use analysis::AnalyzerSettings;
pub use corpus::CorpusBuilder;
pub use error::{Error, ErrorKind, Result};
pub use index::ingest::{ingest, IngestEvent, IngestOptions, IngestReport};
pub use index::memory::in_memory;
pub use index::watch::{watch, WatchEvent, WatchSummary};
pub use passage::{split_passages, Passage, SplitMode, SplitOptions};
pub use query::{ParseOptions, SyntaxProblem, SyntaxWarning};
pub use search::{Engine, Explanation, Hit, MissingWord, QueryRequest, QueryResponse, Warning};
