//! Searching: parse a query with the index's analyzer, rank passages by BM25, return
//! [`Hit`]s with highlights.

pub mod query;

use std::ops::Range;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, TantivyDocument};

use crate::error::Result;
use crate::highlight::Highlighter;
use crate::index::PassageIndex;
pub use query::{parse_query, ParseOptions, ParsedQuery, QueryAst};

/// One query to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in the language of [`query`].
    pub query: String,
    /// The most hits returned. By default 10.
    pub limit: usize,
    /// How many of the best hits to skip first. By default 0.
    pub offset: usize,
    /// Parser settings.
    pub parse: ParseOptions,
}

impl SearchRequest {
    /// A request for the 10 best hits of `query`.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            parse: ParseOptions::default(),
        }
    }
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// BM25 score (Tantivy's, k1 = 1.2, b = 0.75); larger is better.
    pub score: f32,
    /// The file the passage came from, as the user named it at ingest.
    pub path: String,
    /// 0-based ordinal of the passage in its file.
    pub ordinal: u64,
    /// 1-based first line of the passage in the file.
    pub line: u64,
    /// 1-based last line of the passage in the file (inclusive).
    pub end_line: u64,
    /// 0-based byte offset where the passage starts in the file (inclusive); for a
    /// transcoded file (see `encoding`), in the UTF-8 text it was decoded to.
    pub byte_start: u64,
    /// 0-based byte offset where the passage ends (exclusive); same reference as
    /// `byte_start`.
    pub byte_end: u64,
    /// The passage text.
    pub text: String,
    /// Heading breadcrumb (`Title > Section`), for structured documents.
    pub heading: Option<String>,
    /// The file's encoding when it was not UTF-8 (then offsets refer to the UTF-8 text).
    pub encoding: Option<String>,
    /// Document id, for passages of JSON Lines documents.
    pub doc_id: Option<String>,
    /// Matched byte ranges in `text`: 0-based, half-open, sorted, non-overlapping, on
    /// char boundaries.
    pub highlights: Vec<Range<usize>>,
}

/// The result of one query.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// The hits, best first: score descending, then path, then passage ordinal.
    pub hits: Vec<Hit>,
    /// Problems with the query that did not stop it, each naming a position.
    pub warnings: Vec<String>,
}

/// Runs queries against one index. Cheap to reuse for many queries.
pub struct Searcher {
    index: PassageIndex,
    reader: IndexReader,
    analyzer: TextAnalyzer,
}

impl Searcher {
    /// Opens the index at `dir` for searching.
    ///
    /// # Errors
    /// As [`PassageIndex::open`].
    pub fn open(dir: &Path) -> Result<Searcher> {
        Searcher::new(PassageIndex::open(dir)?)
    }

    /// A searcher over an opened index.
    ///
    /// # Errors
    /// [`crate::Error::Index`] when Tantivy cannot open a reader.
    pub fn new(index: PassageIndex) -> Result<Searcher> {
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let analyzer = index.analyzer_settings().build();
        Ok(Searcher {
            index,
            reader,
            analyzer,
        })
    }

    /// The index being searched.
    pub fn index(&self) -> &PassageIndex {
        &self.index
    }

    /// Parses and runs `request`.
    ///
    /// # Errors
    /// Parse errors ([`crate::Error::EmptyQuery`], [`crate::Error::QueryParse`]) and
    /// Tantivy errors.
    pub fn search(&mut self, request: &SearchRequest) -> Result<SearchResults> {
        let parsed = parse_query(&request.query, &mut self.analyzer, request.parse)?;
        let mut warnings = parsed.warnings;
        let Some(ast) = parsed.ast else {
            return Ok(SearchResults {
                hits: Vec::new(),
                warnings,
            });
        };
        if ast.only_excluded() {
            warnings.push("the query has only excluded terms, so nothing can match".into());
            return Ok(SearchResults {
                hits: Vec::new(),
                warnings,
            });
        }
        let want = request.offset.saturating_add(request.limit);
        if want == 0 {
            return Ok(SearchResults {
                hits: Vec::new(),
                warnings,
            });
        }
        let tantivy_query = ast.to_query(&self.index.fields);
        let searcher = self.reader.searcher();
        // Fetch past `want` until the first score below the last kept one, so that ties at
        // the cut are broken by (path, ordinal), not by index order.
        let mut fetch = want + 1;
        let top = loop {
            let top: Vec<(f32, DocAddress)> = searcher.search(
                &*tantivy_query,
                &TopDocs::with_limit(fetch).order_by_score(),
            )?;
            if top.len() < fetch || top[fetch - 1].0 < top[want - 1].0 {
                break top;
            }
            fetch = fetch.saturating_mul(2);
        };
        let cutoff = top.get(want - 1).map(|t| t.0);
        let highlighter = Highlighter::new(&ast);
        let mut hits = Vec::with_capacity(top.len().min(want + 8));
        for (score, addr) in top {
            if cutoff.is_some_and(|c| score < c) {
                break;
            }
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(score, &doc));
        }
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
                .then(a.ordinal.cmp(&b.ordinal))
        });
        let hits: Vec<Hit> = hits
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|mut h| {
                h.highlights = highlighter.highlight(&mut self.analyzer, &h.text);
                h
            })
            .collect();
        Ok(SearchResults { hits, warnings })
    }

    fn hit(&self, score: f32, doc: &TantivyDocument) -> Hit {
        let f = &self.index.fields;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let u64_of = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        Hit {
            score,
            path: text_of(f.path).unwrap_or_default(),
            ordinal: u64_of(f.ordinal),
            line: u64_of(f.line),
            end_line: u64_of(f.end_line),
            byte_start: u64_of(f.byte_start),
            byte_end: u64_of(f.byte_end),
            text: text_of(f.text).unwrap_or_default(),
            heading: text_of(f.heading),
            encoding: text_of(f.encoding),
            doc_id: text_of(f.doc_id),
            highlights: Vec::new(),
        }
    }
}
