//! Searching: parse a query with the index's analyzer, rank passages by BM25, return
//! [`Hit`]s with highlights.

pub mod budget;
mod collector;
pub mod count;
pub mod expand;
pub mod feedback;
pub mod query;

use std::collections::HashMap;

use std::ops::Range;
use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, TantivyDocument};

use crate::error::Result;
use crate::highlight::Highlighter;
use crate::index::schema::Location;
use crate::index::PassageIndex;
pub use query::{parse_query, reads_as_prose, ParseOptions, ParsedQuery, QueryAst};

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
    /// Return documents instead of passages: at most this many passages per document
    /// (a JSON Lines document, or a file), documents ranked by their best passage. By
    /// default `None` (passages, ungrouped); `limit` and `offset` then count documents.
    pub per_doc: Option<usize>,
    /// Load each hit's stored text and compute highlights. By default true; false gives
    /// hits with only score, path, ordinal and document id (faster, for runs).
    pub with_text: bool,
    /// Keep only hits whose path passes these globs, in the language of `ingest -g`
    /// (see [`PathFilter`]). By default empty: every path.
    pub paths: Vec<String>,
    /// Attach this many neighbouring passages of the same file before and after each hit.
    /// By default 0.
    pub context: usize,
    /// Attach Tantivy's BM25 explanation of each hit's score. By default false.
    pub explain: bool,
    /// Rank with RM3 pseudo-relevance feedback ([`feedback`]): the query's words and the
    /// best expansion terms of its best passages, weighted. By default false.
    pub feedback: bool,
    /// Also count every matching passage, per file, into [`SearchResults::total`] and
    /// [`SearchResults::per_file`] (`paths` applies). Costs one more pass over every
    /// matching passage, unscored and unpruned. By default false.
    pub count: bool,
}

impl SearchRequest {
    /// A request for the 10 best hits of `query`.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            parse: ParseOptions::default(),
            per_doc: None,
            with_text: true,
            paths: Vec::new(),
            context: 0,
            explain: false,
            feedback: false,
            count: false,
        }
    }
}

/// [`Searcher::explain_no_hits`] suggests indexed words for this many absent terms.
pub const SUGGESTED_WORDS: usize = 5;

/// Per-segment fast-field columns used to rank and group many candidates.
struct SegmentColumns {
    path: Option<tantivy::columnar::StrColumn>,
    doc_id: Option<tantivy::columnar::StrColumn>,
    ordinal: tantivy::columnar::Column<u64>,
}

/// A query to run and, with feedback, the weighted terms it was made of.
type FeedbackQuery = (
    Box<dyn tantivy::query::Query>,
    Option<Vec<feedback::Weighted>>,
);

/// Term ordinal -> string, for the ordinals met in one segment's column.
type OrdStrings = HashMap<u64, String>;

/// Up to this many candidates are resolved from the document store (whose blocks the
/// hits are loaded from anyway) rather than from fast fields.
const STORE_LOOKUP_MAX: usize = 32;

/// Fills in the strings of the term ordinals that are keys of `wanted`.
fn resolve(
    col: &Option<tantivy::columnar::StrColumn>,
    wanted: &mut HashMap<u64, String>,
) -> Result<()> {
    let Some(col) = col else { return Ok(()) };
    let mut ords: Vec<u64> = wanted.keys().copied().collect();
    ords.sort_unstable();
    let mut i = 0;
    col.dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(slot) = ords.get(i).and_then(|o| wanted.get_mut(o)) {
                *slot = String::from_utf8_lossy(bytes).into_owned();
            }
            i += 1;
        })
        .map_err(|e| crate::Error::Index(e.into()))?;
    Ok(())
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hit {
    /// BM25 score (Tantivy's, k1 = 1.2, b = 0.75, with the Robertson/Spärck Jones idf
    /// floored at 1e-6 as in SQLite FTS5's `bm25()`), truncated to 16 significant bits
    /// (relative steps of 2^-15) so that near-equal scores tie; larger is better.
    pub score: f32,
    /// The file the passage came from, as the user named it at ingest.
    pub path: String,
    /// The file's absolute path (its key in the index's file list: symbolic links of the
    /// root named at ingest resolved), when the index knows it and the request asked for
    /// text ([`SearchRequest::with_text`]); see [`shown_path`].
    pub abs_path: Option<String>,
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
    /// Where the passage is in the index (for loading it); `None` when not from an index.
    pub addr: Option<DocAddress>,
    /// Up to `context` passages of the same file just before this one, in file order
    /// (score 0, no highlights).
    pub context_before: Vec<Hit>,
    /// Up to `context` passages of the same file just after this one, in file order.
    pub context_after: Vec<Hit>,
    /// The BM25 explanation (Tantivy's `Explanation`: each term's idf, term frequency,
    /// field length and average field length), when asked for.
    pub explanation: Option<serde_json::Value>,
    /// With feedback, on the first hit of a query only: the terms of the feedback query
    /// (index terms, that is stems) and their weights, heaviest first, summing to 1.
    pub feedback_terms: Option<Vec<(String, f32)>>,
}

/// The result of one query.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// The hits, best first: score descending, then path, then passage ordinal.
    pub hits: Vec<Hit>,
    /// Problems with the query that did not stop it, each naming a position.
    pub warnings: Vec<String>,
    /// True when at least one passage matches the query: `hits` is not empty, or the
    /// request asked for no hit (`limit` 0) and some passage matches.
    pub matched: bool,
    /// With [`SearchRequest::count`]: how many passages match (exact, after the path
    /// filter, whatever `limit` and `offset`). `None` when not asked for, or when the
    /// query could match nothing (read it as 0).
    pub total: Option<u64>,
    /// With [`SearchRequest::count`]: each file (stored path, as [`Hit::path`]) with at
    /// least one matching passage, and how many, sorted by path.
    pub per_file: Vec<(String, u64)>,
}

impl SearchResults {
    /// No hits, with one warning saying why.
    fn nothing(why: String) -> SearchResults {
        SearchResults {
            warnings: vec![why],
            ..SearchResults::default()
        }
    }
}

/// Runs queries against one index. Cheap to reuse for many queries.
pub struct Searcher {
    index: PassageIndex,
    reader: IndexReader,
    analyzer: TextAnalyzer,
    /// Fast-field columns per segment of the reader's (fixed) searcher.
    columns: Vec<std::cell::OnceCell<SegmentColumns>>,
    /// Stored path -> absolute path, from the manifest, read on first use.
    abs_paths: std::cell::OnceCell<std::sync::Arc<HashMap<String, String>>>,
}

/// Passages in the index `searcher` sees, deleted ones included (as Tantivy's BM25
/// statistics count them).
fn passages_in(searcher: &tantivy::Searcher) -> u64 {
    searcher
        .segment_readers()
        .iter()
        .map(|r| u64::from(r.max_doc()))
        .sum()
}

/// The factor that turns Tantivy's BM25 idf of `terms` (summed, as for a phrase) into
/// the Robertson/Spärck Jones idf with SQLite FTS5's floor.
///
/// Tantivy, like Lucene, uses `idf = ln(1 + (N - n + 0.5) / (n + 0.5))` (N passages, n
/// passages containing the term), which stays well above zero for a word in most
/// passages. The RSJ weight of the original Okapi BM25 (Robertson and Zaragoza, "The
/// Probabilistic Relevance Framework: BM25 and Beyond", 2009, eq. 3.3),
/// `ln((N - n + 0.5) / (n + 0.5))`, falls to zero at n = N/2; like SQLite FTS5's
/// `bm25()` we floor it at 1e-6 so that every matching word still counts a little.
/// The effect: words in more than half of the passages (`the`, `of`) add almost
/// nothing to a score, without a stop-word list and without dropping them from the
/// index or the query. Measured on Cranfield, CISI and CACM: MAP +0.0005, +0.0052,
/// +0.0061 (BENCHMARKS.md). N and n count deleted passages too, as Tantivy's do.
fn rsj_idf_factor(stats: &tantivy::Searcher, passages: u64, terms: &[tantivy::Term]) -> f32 {
    const FLOOR: f64 = 1e-6;
    let n = passages as f64;
    let (mut tantivy_idf, mut rsj) = (0.0f64, 0.0f64);
    for term in terms {
        let df = stats.doc_freq(term).unwrap_or(0) as f64;
        let odds = (n - df + 0.5) / (df + 0.5);
        tantivy_idf += (1.0 + odds).ln();
        let w = odds.ln();
        rsj += if w > 0.0 { w } else { FLOOR };
    }
    if tantivy_idf > 0.0 {
        (rsj / tantivy_idf) as f32
    } else {
        1.0
    }
}

/// The `--path` filter: globs in the language of `ingest -g` (gitignore rules, through
/// the `ignore` crate's overrides), matched against a stored path as shown, relative to
/// the current folder when it is under it.
///
/// A glob without a slash matches a file name in any folder (`*.md`, `inode.7.txt`); one
/// with a slash is anchored to the current folder (`docs/*`); `!GLOB` excludes. As with
/// `-g`, a path is kept when it matches an include glob (or there are only excludes) and
/// no exclude glob, and a folder excluded (`!docs/`) excludes what is under it.
pub struct PathFilter {
    overrides: ignore::overrides::Override,
    root: std::path::PathBuf,
    /// Stored path -> absolute path ([`Searcher::path_filter`]); without it a relative
    /// stored path is read as relative to the current folder.
    abs_paths: Option<std::sync::Arc<HashMap<String, String>>>,
    /// The folder every relative stored path is relative to, when the index knows one
    /// (then `abs_paths` is not needed).
    relative_to: Option<std::path::PathBuf>,
}

impl PathFilter {
    /// Compiles `globs`, relative to the current folder; `None` when there are none.
    ///
    /// # Errors
    /// [`crate::Error::Config`] naming the first invalid glob.
    pub fn new(globs: &[String]) -> Result<Option<PathFilter>> {
        if globs.is_empty() {
            return Ok(None);
        }
        let root = std::env::current_dir().unwrap_or_default();
        let mut b = ignore::overrides::OverrideBuilder::new(&root);
        for g in globs {
            b.add(g)
                .map_err(|e| crate::Error::Config(format!("invalid --path glob `{g}`: {e}")))?;
        }
        let overrides = b
            .build()
            .map_err(|e| crate::Error::Config(format!("invalid --path globs: {e}")))?;
        Ok(Some(PathFilter {
            overrides,
            root,
            abs_paths: None,
            relative_to: None,
        }))
    }

    /// True when the stored path `path` passes the filter.
    pub fn is_match(&self, path: &str) -> bool {
        let joined;
        let path = match &self.relative_to {
            Some(dir) if Path::new(path).is_relative() => {
                joined = crate::index::ingest::file_key(Path::new(path), dir);
                joined.as_str()
            }
            _ => self
                .abs_paths
                .as_ref()
                .and_then(|m| m.get(path))
                .map_or(path, String::as_str),
        };
        let p = Path::new(path);
        let p = p.strip_prefix(&self.root).unwrap_or(p);
        let p = p.strip_prefix(".").unwrap_or(p);
        if self.overrides.matched(p, false).is_ignore() {
            return false;
        }
        // As the walk of `ingest -g` does, an excluded folder excludes its files.
        p.ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .all(|a| !self.overrides.matched(a, true).is_ignore())
    }
}

/// The path to show for a file whose stored path is `path` and absolute path `abs_path`:
/// relative to `cwd` when the file is under it (`docs/a.md`), else absolute; `path` when
/// the absolute path is unknown. Paths compare by components, as text: no disk access.
pub fn shown_path<'a>(path: &'a str, abs_path: Option<&'a str>, cwd: &Path) -> &'a str {
    let Some(abs) = abs_path else { return path };
    match Path::new(abs).strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_str().unwrap_or(abs),
        _ => abs,
    }
}

/// The name of the document a hit belongs to, as runs and `eval` write it: its JSON
/// Lines document id, else its file.
pub fn doc_key(hit: &Hit) -> &str {
    hit.doc_id.as_deref().unwrap_or(&hit.path)
}

/// The identity of the document a hit belongs to: its file and, for JSON Lines, its id
/// (two files may use the same ids, and id-less lines are numbered per file).
pub fn document_of(hit: &Hit) -> (&str, Option<&str>) {
    (&hit.path, hit.doc_id.as_deref())
}

/// Rank order: score descending, then path, then passage ordinal.
fn hit_order(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.path.cmp(&b.path))
        .then(a.ordinal.cmp(&b.ordinal))
}

impl Searcher {
    /// Opens the index at `dir` for searching.
    ///
    /// # Errors
    /// As [`PassageIndex::open`].
    pub fn open(dir: &Path) -> Result<Searcher> {
        crate::index::retry_while_committing(|| Searcher::new(PassageIndex::open(dir)?))
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
            .try_into()
            .map_err(|e: tantivy::TantivyError| crate::Error::IncompatibleIndex {
                path: index.dir.clone(),
                reason: e.to_string(),
            })?;
        let analyzer = index.analyzer_settings().build();
        let segments = reader.searcher().segment_readers().len();
        Ok(Searcher {
            index,
            reader,
            analyzer,
            columns: (0..segments).map(|_| std::cell::OnceCell::new()).collect(),
            abs_paths: std::cell::OnceCell::new(),
        })
    }

    /// `ast` with its fuzzy and prefix leaves replaced by the index terms they match
    /// ([`expand`]).
    ///
    /// # Errors
    /// Tantivy errors reading the term dictionaries.
    pub fn expand(&self, ast: QueryAst) -> Result<QueryAst> {
        let searcher = self.reader.searcher();
        let stemmer = self.index.analyzer_settings().stemmer();
        expand::Expander::new(&searcher, stemmer).expand(ast, &self.index.fields)
    }

    /// True when some indexed file passes `filter`.
    fn any_path_matches(&self, filter: &PathFilter) -> Result<bool> {
        let searcher = self.reader.searcher();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.index.fields.path)?;
            let mut stream = inv
                .terms()
                .stream()
                .map_err(|e| crate::Error::Index(e.into()))?;
            while stream.advance() {
                if filter.is_match(&String::from_utf8_lossy(stream.key())) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The stored path (as [`Hit::path`]) of every file the index holds, sorted, from
    /// the manifest of the commit being searched.
    ///
    /// # Errors
    /// As [`PassageIndex::manifest`].
    pub fn indexed_paths(&self) -> Result<Vec<String>> {
        let mut paths: Vec<String> = self
            .index
            .manifest()?
            .files
            .into_iter()
            .map(|(key, rec)| if rec.path.is_empty() { key } else { rec.path })
            .collect();
        paths.sort_unstable();
        Ok(paths)
    }

    /// The absolute path of the file whose passages carry the stored path `path`: `path`
    /// itself when absolute, else its key in the manifest (read once per searcher).
    /// `None` when the index does not know it (a manifest written before keys were
    /// absolute, or no such file).
    ///
    /// # Errors
    /// As [`PassageIndex::manifest`].
    pub fn abs_path(&self, path: &str) -> Result<Option<String>> {
        if Path::new(path).is_absolute() {
            return Ok(Some(path.to_owned()));
        }
        if let Some(dir) = self.relative_to() {
            return Ok(Some(crate::index::ingest::file_key(Path::new(path), &dir)));
        }
        Ok(self.abs_path_map()?.get(path).cloned())
    }

    /// The folder every relative stored path is relative to, when the index records one.
    fn relative_to(&self) -> Option<std::path::PathBuf> {
        let info = self.index.info.as_ref()?;
        info.paths_relative_to
            .as_ref()
            .map(std::path::PathBuf::from)
    }

    /// Stored path -> absolute path of every file whose stored path is relative, from
    /// the manifest (read on first use).
    fn abs_path_map(&self) -> Result<std::sync::Arc<HashMap<String, String>>> {
        if self.abs_paths.get().is_none() {
            let map = self
                .index
                .manifest()?
                .files
                .into_iter()
                .filter(|(_, rec)| !rec.path.is_empty())
                .map(|(key, rec)| (rec.path, key))
                .collect();
            let _ = self.abs_paths.set(std::sync::Arc::new(map));
        }
        Ok(self.abs_paths.get().cloned().unwrap_or_default())
    }

    /// The `--path` filter of `globs` ([`PathFilter`]), matching each file by the path
    /// shown for it from the current folder (through its absolute path), wherever
    /// ingest ran; `None` when there are no globs.
    ///
    /// # Errors
    /// As [`PathFilter::new`] and [`PassageIndex::manifest`].
    pub fn path_filter(&self, globs: &[String]) -> Result<Option<PathFilter>> {
        let Some(mut filter) = PathFilter::new(globs)? else {
            return Ok(None);
        };
        match self.relative_to() {
            Some(dir) => filter.relative_to = Some(dir),
            None => filter.abs_paths = Some(self.abs_path_map()?),
        }
        Ok(Some(filter))
    }

    /// Fills in [`Hit::abs_path`] of `hits` and of their context passages.
    fn fill_abs_paths(&self, hits: &mut [Hit]) -> Result<()> {
        for h in hits {
            h.abs_path = self.abs_path(&h.path)?;
            for c in h.context_before.iter_mut().chain(&mut h.context_after) {
                c.abs_path.clone_from(&h.abs_path);
            }
        }
        Ok(())
    }

    /// The index being searched.
    pub fn index(&self) -> &PassageIndex {
        &self.index
    }

    /// Parses and runs `request`.
    ///
    /// A query that cannot match anything by construction (no searchable word, such as
    /// an empty query, punctuation or emoji only, `*` or a lone operator; or only
    /// excluded terms) returns no hits and a warning saying why. With `limit` 0 no hit
    /// is returned, and [`SearchResults::matched`] tells whether any passage matches.
    ///
    /// # Errors
    /// With `parse.strict`: [`crate::Error::EmptyQuery`] for a query with nothing to
    /// search and [`crate::Error::QueryParse`] for any problem; in any mode
    /// [`crate::Error::QueryParse`] for a query nested too deep or too long; Tantivy
    /// errors.
    pub fn search(&mut self, request: &SearchRequest) -> Result<SearchResults> {
        let parsed = match parse_query(&request.query, &mut self.analyzer, request.parse) {
            Err(crate::Error::EmptyQuery(why)) if !request.parse.strict => {
                return Ok(SearchResults::nothing(format!("{why}; nothing to search")));
            }
            other => other?,
        };
        let mut warnings = parsed.warnings;
        let stats = self.reader.searcher();
        let passages = passages_in(&stats);
        // See: issue 12 (a long pasted query ran for minutes).
        let (ast, over_budget) = match parsed.ast {
            Some(ast) => self.within_budget(ast, &stats, passages),
            None => (None, None),
        };
        warnings.extend(over_budget);
        let Some(ast) = ast else {
            return Ok(SearchResults {
                warnings,
                ..SearchResults::default()
            });
        };
        let ast = self.expand(ast)?;
        if ast.only_excluded() {
            let why = "the query has only excluded terms, so nothing can match";
            if request.parse.strict {
                return Err(crate::Error::EmptyQuery(why.into()));
            }
            warnings.push(why.into());
            return Ok(SearchResults {
                warnings,
                ..SearchResults::default()
            });
        }
        let tantivy_query = self.compile(&ast);
        let filter = self.path_filter(&request.paths)?;
        let filter = filter.as_ref();
        let (tantivy_query, feedback_terms) = if request.feedback {
            self.with_feedback(&ast, tantivy_query, filter)?
        } else {
            (tantivy_query, None)
        };
        let (total, per_file) = if request.count {
            let per_file = self.count_per_file(&*tantivy_query, filter)?;
            (Some(per_file.iter().map(|(_, n)| n).sum()), per_file)
        } else {
            (None, Vec::new())
        };
        let want = request.offset.saturating_add(request.limit);
        if want == 0 {
            let matched = match total {
                Some(n) => n > 0,
                None => !self.top_passages(&*tantivy_query, 1, filter)?.is_empty(),
            };
            if !matched {
                warnings.extend(self.path_warning(request, filter)?);
            }
            return Ok(SearchResults {
                hits: Vec::new(),
                warnings,
                matched,
                total,
                per_file,
            });
        }
        let hits: Vec<Hit> = match request.per_doc {
            None => self
                .top_passages(&*tantivy_query, want, filter)?
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .collect(),
            Some(k) => self
                .top_documents(&*tantivy_query, want, k.max(1), filter)?
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .flatten()
                .collect(),
        };
        if hits.is_empty() {
            warnings.extend(self.path_warning(request, filter)?);
        }
        if hits.is_empty() && !parsed.syntax.is_empty() {
            if let Some(w) = self.syntax_emptied(request, &parsed.syntax, filter)? {
                warnings.push(w);
            }
        } else if let Some(w) = self.flag_excluded(&ast, &parsed.syntax, want, filter)? {
            warnings.push(w);
        }
        let matched = !hits.is_empty();
        if !request.with_text {
            // Runs (`--format trec`, `eval`) name documents by stored path: no
            // `abs_path`, which would cost a read of the file list per query.
            return Ok(SearchResults {
                hits,
                warnings,
                matched,
                total,
                per_file,
            });
        }
        let searcher = self.reader.searcher();
        let highlighter = Highlighter::new(&ast);
        let mut loaded = Vec::with_capacity(hits.len());
        for h in hits {
            let mut h = self.load(&searcher, h)?;
            h.highlights = highlighter.highlight(&mut self.analyzer, &h.text);
            if request.context > 0 {
                let (before, after) = self.context(&searcher, &h, request.context)?;
                h.context_before = before;
                h.context_after = after;
            }
            if request.explain {
                if let Some(addr) = h.addr {
                    let e = tantivy_query.explain(&searcher, addr)?;
                    h.explanation = serde_json::to_value(&e).ok();
                }
            }
            loaded.push(h);
        }
        if let Some(first) = loaded.first_mut() {
            first.feedback_terms = feedback_terms;
        }
        self.fill_abs_paths(&mut loaded)?;
        Ok(SearchResults {
            hits: loaded,
            warnings,
            matched,
            total,
            per_file,
        })
    }

    /// When `--path` globs are given and no indexed file passes them, a warning naming
    /// them (a typo in a glob must not look like "no match").
    fn path_warning(
        &self,
        request: &SearchRequest,
        filter: Option<&PathFilter>,
    ) -> Result<Option<String>> {
        let Some(f) = filter else { return Ok(None) };
        if self.any_path_matches(f)? {
            return Ok(None);
        }
        let globs: Vec<String> = request.paths.iter().map(|g| format!("`{g}`")).collect();
        Ok(Some(format!(
            "no indexed file matches --path {}",
            globs.join(" ")
        )))
    }

    /// The RM3 feedback query of `ast` ([`feedback`]), run as `query` found its best
    /// passages, with the original query's exclusions; `query` itself when it matches
    /// nothing. Also returns the weighted terms.
    fn with_feedback(
        &mut self,
        ast: &QueryAst,
        query: Box<dyn tantivy::query::Query>,
        filter: Option<&PathFilter>,
    ) -> Result<FeedbackQuery> {
        use query::{FieldSel, LeafKind};
        let top = self.top_passages(&*query, feedback::FB_DOCS, filter)?;
        if top.is_empty() {
            return Ok((query, None));
        }
        let searcher = self.reader.searcher();
        let mut docs = Vec::with_capacity(top.len());
        for hit in top {
            let h = self.load(&searcher, hit)?;
            let text = match &h.heading {
                Some(heading) => format!("{heading}\n{}", h.text),
                None => h.text.clone(),
            };
            let terms = crate::analysis::analyze(&mut self.analyzer, &text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            docs.push((h.score, terms));
        }
        // The query's words, each counted as often as it was written (the budget folds
        // repeats into the boost).
        let mut words = Vec::new();
        for (field, kind) in ast.positive_leaves() {
            if let (FieldSel::Default | FieldSel::Text, LeafKind::Phrase { tokens, .. }) =
                (field, kind)
            {
                words.extend(tokens.iter().cloned());
            }
        }
        let n = passages_in(&searcher);
        let body = self.index.fields.body;
        let df_ratio = |t: &str| {
            let df = searcher
                .doc_freq(&tantivy::Term::from_field_text(body, t))
                .unwrap_or(0);
            df as f32 / n.max(1) as f32
        };
        let model = feedback::relevance_model(&docs, df_ratio);
        let weights = feedback::interpolate(
            &feedback::query_vector(&words),
            &model,
            feedback::ORIGINAL_QUERY_WEIGHT,
        );
        let mut clauses: Vec<(tantivy::query::Occur, QueryAst)> = weights
            .iter()
            .map(|(t, w)| {
                let leaf = QueryAst::Leaf {
                    field: FieldSel::Default,
                    kind: LeafKind::Phrase {
                        tokens: vec![t.clone()],
                        slop: 0,
                        positions: vec![0],
                    },
                    boost: *w,
                };
                (tantivy::query::Occur::Should, leaf)
            })
            .collect();
        if let QueryAst::Bool(cs) = ast {
            clauses.extend(
                cs.iter()
                    .filter(|(o, _)| *o == tantivy::query::Occur::MustNot)
                    .cloned(),
            );
        }
        Ok((self.compile(&QueryAst::Bool(clauses)), Some(weights)))
    }

    /// Every file with a passage matching `query` that passes `filter`, with how many,
    /// sorted by path ([`count::PathCounts`]).
    fn count_per_file(
        &self,
        query: &dyn tantivy::query::Query,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<(String, u64)>> {
        let searcher = self.reader.searcher();
        let counts = searcher.search(query, &count::PathCounts)?;
        let mut per_file: Vec<(String, u64)> = counts
            .into_iter()
            .filter(|(path, _)| filter.is_none_or(|f| f.is_match(path)))
            .collect();
        per_file.sort_unstable();
        Ok(per_file)
    }

    /// The Tantivy query for `ast`, scored with the Robertson/Spärck Jones idf.
    fn compile(&self, ast: &QueryAst) -> Box<dyn tantivy::query::Query> {
        let stats = self.reader.searcher();
        let passages = passages_in(&stats);
        let idf = |terms: &[tantivy::Term]| rsj_idf_factor(&stats, passages, terms);
        let tantivy_query = ast.to_query(&self.index.fields, &idf);
        if matches!(ast, QueryAst::Leaf { .. }) {
            // A boosted term alone would lose Tantivy's block-max pruning (BoostQuery does
            // not forward it); a one-clause BooleanQuery keeps it.
            return Box::new(tantivy::query::BooleanQuery::new(vec![(
                tantivy::query::Occur::Should,
                tantivy_query,
            )]));
        }
        tantivy_query
    }

    /// When an exclusion that looks like a command-line flag (`-la`, `-rf`, `-O2`: at
    /// most three letters, or a digit or `=` in it) changed the best `want` passages, a
    /// warning naming it: the user may have pasted a command line.
    fn flag_excluded(
        &self,
        ast: &QueryAst,
        syntax: &[(usize, String)],
        want: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Option<String>> {
        let flags: Vec<String> = syntax
            .iter()
            .filter(|(_, l)| {
                let word = l.strip_prefix('-').unwrap_or_default();
                !word.is_empty()
                    && word.chars().all(|c| c.is_alphanumeric() || c == '=')
                    && (word.chars().count() <= 3 || !word.chars().all(char::is_alphabetic))
            })
            .map(|(pos, lexeme)| format!("`{lexeme}` at position {pos}"))
            .collect();
        let Some(positive) = ast.without_exclusions().filter(|_| !flags.is_empty()) else {
            return Ok(None);
        };
        let address = |hits: Vec<Hit>| -> Vec<Option<DocAddress>> {
            hits.into_iter().map(|h| h.addr).collect()
        };
        let before = address(self.top_passages(&*self.compile(&positive), want, filter)?);
        let after = address(self.top_passages(&*self.compile(ast), want, filter)?);
        Ok((before != after).then(|| {
            format!(
                "{} read as an exclusion, which left out passages that match the rest of the \
                 query; to search it as text, quote it or use -F/--fixed-strings",
                flags.join(", ")
            )
        }))
    }

    /// When a query read with syntax matched nothing but its words read as plain words
    /// (`fixed`) match, a warning naming where syntax was read (at most three places).
    fn syntax_emptied(
        &mut self,
        request: &SearchRequest,
        syntax: &[(usize, String)],
        filter: Option<&PathFilter>,
    ) -> Result<Option<String>> {
        let options = ParseOptions {
            fixed: true,
            strict: false,
            ..request.parse
        };
        // The plain reading without the operator words: `cats AND dogs` is not worth a
        // warning because some passage has `and`.
        let mut plain: Vec<char> = request.query.chars().collect();
        for (pos, lexeme) in syntax {
            if matches!(lexeme.as_str(), "AND" | "OR" | "NOT" | "&&" | "||") {
                let from = pos - 1;
                let to = (from + lexeme.chars().count()).min(plain.len());
                plain[from..to].fill(' ');
            }
        }
        let plain: String = plain.into_iter().collect();
        let Ok(ParsedQuery { ast: Some(ast), .. }) =
            parse_query(&plain, &mut self.analyzer, options)
        else {
            return Ok(None);
        };
        let query = self.compile(&ast);
        if self.top_passages(&*query, 1, filter)?.is_empty() {
            return Ok(None);
        }
        let places: Vec<String> = syntax
            .iter()
            .take(3)
            .map(|(pos, lexeme)| format!("`{lexeme}` at position {pos}"))
            .collect();
        let more = if syntax.len() > 3 { ", ..." } else { "" };
        Ok(Some(format!(
            "nothing matched the query read with syntax ({}{more}); its words as plain text \
             match: search them with -F/--fixed-strings",
            places.join(", ")
        )))
    }

    /// `ast` with repeated clauses folded and at most [`budget::MAX_CLAUSES`] clauses
    /// (those that weigh most in the score), and the warning when some were left out.
    fn within_budget(
        &self,
        ast: QueryAst,
        stats: &tantivy::Searcher,
        passages: u64,
    ) -> (Option<QueryAst>, Option<String>) {
        use query::{FieldSel, LeafKind};
        let fields = &self.index.fields;
        // The Robertson/Spärck Jones idf the score uses (see `rsj_idf_factor`; a phrase:
        // the sum of its words'); `None` for a word no passage holds. Prefix and fuzzy
        // terms were typed on purpose: they rank first.
        let weight = |field: FieldSel, kind: &LeafKind| -> Option<f64> {
            let LeafKind::Phrase { tokens, .. } = kind else {
                return Some(f64::INFINITY);
            };
            let f = match field {
                FieldSel::Heading => fields.heading,
                FieldSel::Default | FieldSel::Text => fields.body,
            };
            let n = passages as f64;
            let mut idf = 0.0;
            for t in tokens {
                let df = stats
                    .doc_freq(&tantivy::Term::from_field_text(f, t))
                    .unwrap_or(0);
                if df == 0 {
                    return None;
                }
                let df = df as f64;
                idf += ((n - df + 0.5) / (df + 0.5)).ln().max(1e-6);
            }
            Some(idf)
        };
        budget::limit(budget::fold_repeats(ast), budget::MAX_CLAUSES, &weight)
    }

    /// Scores and ranks the top `fetch` passages and every passage tied with the
    /// `fetch`-th score; also returns how many that was, before `filter`.
    ///
    /// Path, ordinal and document id come from the document store for a few candidates
    /// (the common `-n 10`: opening a fast-field column reads per-block metadata
    /// proportional to the segment, milliseconds on a 1 GB index), and from fast fields
    /// (opened once per searcher) for many.
    fn candidates(
        &self,
        query: &dyn tantivy::query::Query,
        fetch: usize,
        filter: Option<&PathFilter>,
    ) -> Result<(Vec<Hit>, usize)> {
        let searcher = self.reader.searcher();
        let top: Vec<(f32, DocAddress)> =
            searcher.search(query, &collector::TopWithTies::new(fetch))?;
        let fetched = top.len();
        let mut out = if fetched <= STORE_LOOKUP_MAX {
            let mut out = Vec::with_capacity(fetched);
            for (score, addr) in top {
                let doc: TantivyDocument = searcher.doc(addr)?;
                out.push(Hit {
                    addr: Some(addr),
                    ..self.hit(score, &doc)
                });
            }
            out
        } else {
            self.resolve_by_fast_fields(&searcher, top)?
        };
        out.retain(|h| filter.is_none_or(|g| g.is_match(&h.path)));
        out.sort_by(hit_order);
        Ok((out, fetched))
    }

    /// Candidates with path, ordinal and document id read from fast fields.
    fn resolve_by_fast_fields(
        &self,
        searcher: &tantivy::Searcher,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>> {
        // First pass: term ordinals; then each segment's distinct ordinals are resolved
        // to strings in one sorted sweep of its dictionary (one lookup each is slow).
        let mut wanted: HashMap<u32, (OrdStrings, OrdStrings)> = HashMap::new();
        let mut raw = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let cols = self.columns(searcher, addr.segment_ord)?;
            let ord_of = |col: &Option<tantivy::columnar::StrColumn>| {
                col.as_ref().and_then(|c| c.term_ords(addr.doc_id).next())
            };
            let path_ord = ord_of(&cols.path);
            let doc_ord = ord_of(&cols.doc_id);
            let (paths, doc_ids) = wanted.entry(addr.segment_ord).or_default();
            if let Some(o) = path_ord {
                paths.insert(o, String::new());
            }
            if let Some(o) = doc_ord {
                doc_ids.insert(o, String::new());
            }
            let ordinal = cols.ordinal.first(addr.doc_id).unwrap_or(0);
            raw.push((score, addr, path_ord, doc_ord, ordinal));
        }
        for (segment, (paths, doc_ids)) in &mut wanted {
            let cols = self.columns(searcher, *segment)?;
            resolve(&cols.path, paths)?;
            resolve(&cols.doc_id, doc_ids)?;
        }
        Ok(raw
            .into_iter()
            .map(|(score, addr, path_ord, doc_ord, ordinal)| {
                let (paths, doc_ids) = &wanted[&addr.segment_ord];
                Hit {
                    score,
                    path: path_ord
                        .and_then(|o| paths.get(&o).cloned())
                        .unwrap_or_default(),
                    ordinal,
                    doc_id: doc_ord.and_then(|o| doc_ids.get(&o).cloned()),
                    addr: Some(addr),
                    ..Hit::default()
                }
            })
            .collect())
    }

    /// The fast-field columns of segment `segment`, opened on first use.
    fn columns(&self, searcher: &tantivy::Searcher, segment: u32) -> Result<&SegmentColumns> {
        let cell = &self.columns[segment as usize];
        if let Some(cols) = cell.get() {
            return Ok(cols);
        }
        let ff = searcher.segment_reader(segment).fast_fields();
        let cols = SegmentColumns {
            path: ff.str("path")?,
            doc_id: ff.str("doc_id")?,
            ordinal: ff.u64("passage")?,
        };
        Ok(cell.get_or_init(|| cols))
    }

    /// The best `want` passages, ties at the cut broken by (path, ordinal).
    fn top_passages(
        &self,
        query: &dyn tantivy::query::Query,
        want: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<Hit>> {
        // Candidates include every tie with the cut's score; only a path filter that
        // drops some of them makes a wider fetch necessary.
        let mut fetch = want;
        loop {
            let (mut hits, fetched) = self.candidates(query, fetch, filter)?;
            if fetched < fetch || hits.len() >= want {
                hits.truncate(want);
                return Ok(hits);
            }
            fetch = fetched.max(fetch).saturating_mul(2);
        }
    }

    /// The best `want` documents, each with its best `per_doc` passages (in rank order);
    /// a document scores as its best passage.
    fn top_documents(
        &self,
        query: &dyn tantivy::query::Query,
        want: usize,
        per_doc: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<Vec<Hit>>> {
        let mut fetch = want.saturating_mul(2).max(16);
        let (hits, all_seen) = loop {
            let (hits, fetched) = self.candidates(query, fetch, filter)?;
            let docs: std::collections::HashSet<(&str, Option<&str>)> =
                hits.iter().map(document_of).collect();
            if fetched < fetch || docs.len() >= want {
                break (hits, fetched < fetch);
            }
            fetch = fetched.max(fetch).saturating_mul(2);
        };
        // Group in rank order: the first passage of a document is its best.
        type Doc = (String, Option<String>);
        let mut order: Vec<Doc> = Vec::new();
        let mut groups: HashMap<Doc, Vec<Hit>> = HashMap::new();
        for h in hits {
            let key: Doc = (h.path.clone(), h.doc_id.clone());
            let g = groups.entry(key.clone()).or_default();
            if g.is_empty() {
                order.push(key);
            }
            if g.len() < per_doc {
                g.push(h);
            }
        }
        let mut out: Vec<Vec<Hit>> = order
            .into_iter()
            .take(want)
            .map(|k| groups.remove(&k).unwrap_or_default())
            .collect();
        // A document's weaker passages may rank below the candidates fetched; ask for them.
        if !all_seen {
            for group in out.iter_mut().filter(|g| g.len() < per_doc) {
                if let Some(best) = group.first() {
                    let more = self.document_passages(query, best, per_doc, filter)?;
                    if more.len() > group.len() {
                        *group = more;
                    }
                }
            }
        }
        Ok(out)
    }

    /// The best `per_doc` passages matching `query` of the document `hit` belongs to.
    fn document_passages(
        &self,
        query: &dyn tantivy::query::Query,
        hit: &Hit,
        per_doc: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<Hit>> {
        use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, TermQuery};
        use tantivy::schema::{IndexRecordOption, Term};
        let f = &self.index.fields;
        let mut keys = vec![Term::from_field_text(f.path, &hit.path)];
        if let Some(id) = &hit.doc_id {
            keys.push(Term::from_field_text(f.doc_id, id));
        }
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
            vec![(Occur::Must, query.box_clone())];
        for key in keys {
            // The key clauses score 0, so scores equal the query's own.
            let in_document =
                ConstScoreQuery::new(Box::new(TermQuery::new(key, IndexRecordOption::Basic)), 0.0);
            clauses.push((Occur::Must, Box::new(in_document)));
        }
        self.top_passages(&BooleanQuery::new(clauses), per_doc, filter)
    }

    /// The passages of `hit`'s file within `n` ordinals before and after it.
    fn context(
        &self,
        searcher: &tantivy::Searcher,
        hit: &Hit,
        n: usize,
    ) -> Result<(Vec<Hit>, Vec<Hit>)> {
        use std::ops::Bound;
        use tantivy::query::{BooleanQuery, RangeQuery, TermQuery};
        use tantivy::schema::{IndexRecordOption, Term};
        let f = &self.index.fields;
        let lo = hit.ordinal.saturating_sub(n as u64);
        let hi = hit.ordinal.saturating_add(n as u64);
        let query = BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(f.path, &hit.path),
                IndexRecordOption::Basic,
            )),
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.ordinal, lo)),
                Bound::Included(Term::from_field_u64(f.ordinal, hi)),
            )),
        ]);
        let top: Vec<(f32, DocAddress)> =
            searcher.search(&query, &TopDocs::with_limit(2 * n + 1).order_by_score())?;
        let mut around = Vec::new();
        for (_, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let h = self.hit(0.0, &doc);
            if h.ordinal != hit.ordinal && h.doc_id == hit.doc_id {
                around.push(h);
            }
        }
        around.sort_by_key(|h| h.ordinal);
        let (before, after) = around.into_iter().partition(|h| h.ordinal < hit.ordinal);
        Ok((before, after))
    }

    /// Explains an empty result: for each query term that no passage contains, a message
    /// naming it, with up to three indexed words within two edits of it (words that share
    /// its first character), most frequent first, spelled as they appear in the text.
    /// Only the first [`SUGGESTED_WORDS`] absent terms get suggestions (each scans part of
    /// the term dictionary); the others are named alone.
    ///
    /// # Errors
    /// Parse and Tantivy errors.
    pub fn explain_no_hits(&mut self, request: &SearchRequest) -> Result<Vec<String>> {
        use crate::highlight::edit_distance;
        use tantivy::schema::Term;
        let parsed = parse_query(&request.query, &mut self.analyzer, request.parse)?;
        let Some(ast) = parsed.ast else {
            return Ok(Vec::new());
        };
        // How each analyzed token was written in the query.
        let written: HashMap<String, String> =
            crate::analysis::analyze(&mut self.analyzer, &request.query)
                .into_iter()
                .map(|t| (t.text, request.query[t.offset_from..t.offset_to].to_owned()))
                .collect();
        let searcher = self.reader.searcher();
        let body = self.index.fields.body;
        let mut messages = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (_, kind) in ast.positive_leaves() {
            let query::LeafKind::Phrase { tokens, .. } = kind else {
                continue;
            };
            for token in tokens {
                if !seen.insert(token.clone()) {
                    continue;
                }
                let term = Term::from_field_text(body, token);
                if searcher.doc_freq(&term)? > 0 {
                    continue;
                }
                let shown_token = written.get(token).unwrap_or(token);
                if messages.len() >= SUGGESTED_WORDS {
                    // See: issue 12 (a long query of absent words scanned the dictionary
                    // once per word).
                    messages.push(format!("no passage contains `{shown_token}`"));
                    continue;
                }
                // Candidates: indexed terms with the same first character, within 2 edits.
                let first: String = token.chars().take(1).collect();
                let mut upper = first.clone().into_bytes();
                if let Some(last) = upper.last_mut() {
                    *last = last.saturating_add(1);
                }
                let mut found: HashMap<String, u64> = HashMap::new();
                for seg in searcher.segment_readers() {
                    let inv = seg.inverted_index(body)?;
                    let mut stream = inv
                        .terms()
                        .range()
                        .ge(first.as_bytes())
                        .lt(&upper)
                        .into_stream()
                        .map_err(|e| crate::Error::Index(e.into()))?;
                    while stream.advance() {
                        let Ok(word) = std::str::from_utf8(stream.key()) else {
                            continue;
                        };
                        if word.len().abs_diff(token.len()) > 2 || edit_distance(word, token) > 2 {
                            continue;
                        }
                        *found.entry(word.to_owned()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
                let mut best: Vec<(usize, u64, String)> = found
                    .into_iter()
                    .map(|(w, df)| (edit_distance(&w, token), df, w))
                    .collect();
                best.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
                let mut shown: Vec<String> = Vec::new();
                for (_, _, w) in best.into_iter().take(3) {
                    let surface = self.surface_form(&searcher, &w)?.unwrap_or(w);
                    if !shown.contains(&surface) {
                        shown.push(surface);
                    }
                }
                let mut msg = format!("no passage contains `{shown_token}`");
                if !shown.is_empty() {
                    msg.push_str(&format!(
                        "; indexed words close to it: {}",
                        shown.join(", ")
                    ));
                }
                messages.push(msg);
            }
        }
        Ok(messages)
    }

    /// A word of some passage that analyzes to the index term `term`, as written there.
    fn surface_form(&mut self, searcher: &tantivy::Searcher, term: &str) -> Result<Option<String>> {
        use tantivy::query::TermQuery;
        use tantivy::schema::{IndexRecordOption, Term};
        let q = TermQuery::new(
            Term::from_field_text(self.index.fields.body, term),
            IndexRecordOption::Basic,
        );
        let top: Vec<(f32, DocAddress)> =
            searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        let hit = self.hit(0.0, &doc);
        let full = match &hit.heading {
            Some(h) => format!("{h}\n{}", hit.text),
            None => hit.text.clone(),
        };
        Ok(crate::analysis::analyze(&mut self.analyzer, &full)
            .into_iter()
            .find(|t| t.text == term)
            .map(|t| full[t.offset_from..t.offset_to].to_owned()))
    }

    /// Fills in a candidate's stored fields (text, lines, offsets, heading, encoding).
    fn load(&self, searcher: &tantivy::Searcher, hit: Hit) -> Result<Hit> {
        let Some(addr) = hit.addr else {
            return Ok(hit);
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        Ok(Hit {
            addr: Some(addr),
            ..self.hit(hit.score, &doc)
        })
    }

    fn hit(&self, score: f32, doc: &TantivyDocument) -> Hit {
        let f = &self.index.fields;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let location = doc
            .get_first(f.location)
            .and_then(|v| v.as_bytes())
            .and_then(Location::decode)
            .unwrap_or_default();
        // `body` is [heading, text] under a heading, [text] otherwise.
        let mut body: Vec<&str> = doc.get_all(f.body).filter_map(|v| v.as_str()).collect();
        let text = body.pop().unwrap_or_default().to_owned();
        let heading = body.first().map(|h| (*h).to_owned());
        Hit {
            score,
            path: text_of(f.path).unwrap_or_default(),
            ordinal: location.ordinal,
            line: location.line,
            end_line: location.end_line,
            byte_start: location.byte_start,
            byte_end: location.byte_end,
            text,
            heading,
            encoding: text_of(f.encoding),
            doc_id: text_of(f.doc_id),
            ..Hit::default()
        }
    }
}
