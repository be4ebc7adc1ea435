//! One call of the engine: a query run on one Tantivy searcher snapshot, from parsing to
//! loaded, highlighted, ranked hits.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::query::Query;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, TantivyDocument};

use super::engine::State;
use super::fusion;
use super::hit::{candidate_order, stored_hit, Candidate, Explanation, Hit};
use super::paths::PathFilter;
use super::request::{Feedback, MissingWord, QueryRequest, QueryResponse, Warning};
use super::source::SourceFiles;
use super::{collector, count, expand, score};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::index::schema::Fields;
use crate::query::{parse_query, ParseOptions, ParsedQuery, QueryAst};

/// Up to this many candidates are resolved from the document store (whose blocks the
/// hits are loaded from anyway) rather than from fast fields.
const STORE_LOOKUP_MAX: usize = 32;

/// Per-segment fast-field columns used to rank and group many candidates.
struct SegmentColumns {
    path: Option<tantivy::columnar::StrColumn>,
    doc_id: Option<tantivy::columnar::StrColumn>,
    ordinal: tantivy::columnar::Column<u64>,
}

/// Term ordinal -> string, for the ordinals met in one segment's column.
type OrdStrings = HashMap<u64, String>;

/// A query compiled for the snapshot, and what the later steps need of it.
pub(crate) struct Compiled {
    /// The parsed query after budget and expansion (highlights follow it).
    pub(crate) ast: QueryAst,
    /// The Tantivy query that ranks (with feedback, the feedback query).
    pub(crate) query: Box<dyn Query>,
    /// Syntax read in the query: position and text.
    pub(crate) syntax: Vec<(usize, String)>,
    /// With feedback: the feedback query's terms and weights.
    pub(crate) feedback_terms: Option<Vec<(String, f32)>>,
    /// With fused feedback: the query as written, whose ranking is fused with `query`'s
    /// ([`super::fusion`]).
    pub(crate) plain: Option<Box<dyn Query>>,
}

/// One call's view of the index: a Tantivy searcher fixed for the call, the commit's
/// state, and analyzers of its own (analyzing needs `&mut`).
pub(crate) struct Snapshot {
    pub(crate) state: Arc<State>,
    pub(crate) searcher: tantivy::Searcher,
    /// The analyzer of the text (highlights, feedback).
    pub(crate) analyzer: TextAnalyzer,
    /// The analyzer of query text.
    pub(crate) query_analyzer: TextAnalyzer,
    /// Passages the BM25 statistics see ([`score::passages_in`]).
    pub(crate) passages: u64,
    /// Fast-field columns per segment, opened on first use.
    columns: Vec<OnceCell<SegmentColumns>>,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let analyzer = std::mem::take(&mut self.analyzer);
        let query_analyzer = std::mem::take(&mut self.query_analyzer);
        self.state.give_back_analyzers((analyzer, query_analyzer));
    }
}

impl Snapshot {
    pub(crate) fn new(state: Arc<State>, searcher: tantivy::Searcher) -> Snapshot {
        let segments = searcher.segment_readers().len();
        let (analyzer, query_analyzer) = state.take_analyzers();
        Snapshot {
            analyzer,
            query_analyzer,
            passages: score::passages_in(&searcher),
            state,
            searcher,
            columns: (0..segments).map(|_| OnceCell::new()).collect(),
        }
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.state.index.fields
    }

    /// Runs `request`: see [`super::Engine::search`].
    pub(crate) fn run(mut self, request: &QueryRequest) -> Result<QueryResponse> {
        let filter = self.state.path_filter(&request.paths)?;
        let filter = filter.as_ref();
        let mut warnings = Vec::new();
        let Some(compiled) = self.compile_request(request, filter, &mut warnings)? else {
            return Ok(QueryResponse {
                missing: self.missing_words_if(request, false)?,
                warnings,
                ..QueryResponse::default()
            });
        };
        let (total, per_file) = if request.count {
            let per_file = self.count_per_file(&*compiled.query, filter)?;
            (Some(per_file.iter().map(|(_, n)| n).sum()), per_file)
        } else {
            (None, Vec::new())
        };
        let want = request.offset.saturating_add(request.limit);
        let ranked = if want == 0 {
            Vec::new()
        } else {
            self.rank(request, &compiled, want, filter)?
        };
        let matched = match (want, total) {
            (0, Some(n)) => n > 0,
            (0, None) => !self.top_passages(&*compiled.query, 1, filter)?.is_empty(),
            _ => !ranked.is_empty(),
        };
        if !matched {
            warnings.extend(self.path_warning(request, filter)?);
        }
        if want > 0 {
            warnings.extend(self.result_warning(request, &compiled, &ranked, filter)?);
        }
        let missing = self.missing_words_if(request, matched)?;
        let hits = self.hits(request, &compiled, ranked)?;
        let (hits, cut_to_fit) = match request.max_total_chars {
            Some(n) if request.with_text => super::fit::fit(hits, n),
            _ => (hits, false),
        };
        Ok(QueryResponse {
            hits,
            warnings,
            missing,
            matched,
            total,
            per_file,
            cut_to_fit,
        })
    }

    /// With [`QueryRequest::suggest`] and nothing `matched`: the query's missing words.
    fn missing_words_if(
        &mut self,
        request: &QueryRequest,
        matched: bool,
    ) -> Result<Vec<MissingWord>> {
        if matched || !request.suggest {
            return Ok(Vec::new());
        }
        self.missing_words(request)
    }

    /// `request`'s parser settings, with the function words kept on an index whose
    /// stemmer is not English (the list is English).
    pub(crate) fn parse_options(&self, request: &QueryRequest) -> ParseOptions {
        ParseOptions {
            keep_function_words: request.parse.keep_function_words || !self.state.english,
            ..request.parse
        }
    }

    /// Parses `request`'s query and compiles it within the budget, with feedback when
    /// asked; `None` (and a warning) when it can match nothing by construction.
    fn compile_request(
        &mut self,
        request: &QueryRequest,
        filter: Option<&PathFilter>,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Compiled>> {
        let options = self.parse_options(request);
        let parsed = match parse_query(&request.query, &mut self.query_analyzer, options) {
            Err(Error::EmptyQuery(_)) if !request.parse.strict => {
                let empty = request.query.trim().is_empty();
                warnings.push(Warning::NothingToSearch { empty });
                return Ok(None);
            }
            other => other?,
        };
        warnings.extend(syntax_warnings(&parsed));
        let Some(ast) = parsed.ast else {
            return Ok(None);
        };
        // See: issue 12 (a long pasted query ran for minutes).
        let (ast, over_budget) = self.within_budget(ast);
        warnings.extend(over_budget);
        let Some(ast) = ast else {
            return Ok(None);
        };
        let ast = self.expand(ast)?;
        if ast.only_excluded() {
            if request.parse.strict {
                return Err(Error::EmptyQuery(
                    "the query has only excluded terms, so nothing can match".into(),
                ));
            }
            warnings.push(Warning::OnlyExcluded);
            return Ok(None);
        }
        let query = self.compile(&ast);
        let (plain, query, feedback_terms) = match request.feedback {
            None => (None, query, None),
            Some(mode) => {
                let plain = (mode == Feedback::Fused).then(|| query.box_clone());
                let (query, terms) = self.with_feedback(&ast, query, filter)?;
                (plain, query, terms)
            }
        };
        Ok(Some(Compiled {
            ast,
            query,
            syntax: parsed.syntax,
            feedback_terms,
            plain,
        }))
    }

    /// `ast` with its fuzzy and prefix leaves replaced by the index terms they match
    /// ([`expand`]).
    pub(crate) fn expand(&self, ast: QueryAst) -> Result<QueryAst> {
        let stemmer = self.state.index.analyzer_settings().stemmer();
        expand::Expander::new(&self.searcher, stemmer).expand(ast, self.fields())
    }

    /// The Tantivy query for `ast`, scored with the Robertson/Spärck Jones idf, or with
    /// Lucene's on an index with a stop list ([`State::rsj_idf`]).
    pub(crate) fn compile(&self, ast: &QueryAst) -> Box<dyn Query> {
        let idf = |terms: &[tantivy::Term]| {
            if self.state.rsj_idf {
                score::rsj_idf_factor(&self.searcher, self.passages, terms)
            } else {
                1.0
            }
        };
        let mut query = super::compile::to_query(ast, self.fields(), &idf);
        if matches!(ast, QueryAst::Leaf { .. }) {
            // A boosted term alone would lose Tantivy's block-max pruning (BoostQuery does
            // not forward it); a one-clause BooleanQuery keeps it.
            query = Box::new(tantivy::query::BooleanQuery::new(vec![(
                tantivy::query::Occur::Should,
                query,
            )]));
        }
        let f = self.fields();
        super::heading::HeadingDiscount::wrap(query, ast, f.body, f.heading)
    }

    /// The best `want` candidates (grouped: documents, each with its passages), ranked;
    /// with fused feedback, by RRF of the plain and the feedback ranking.
    fn rank(
        &self,
        request: &QueryRequest,
        compiled: &Compiled,
        want: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<(usize, Candidate)>> {
        let query = &*compiled.query;
        let depth = fusion::depth(want);
        let ranked: Vec<(usize, Candidate)> = match (request.per_doc, &compiled.plain) {
            (None, None) => self
                .top_passages(query, want, filter)?
                .into_iter()
                .enumerate()
                .map(|(i, c)| (i + 1, c))
                .collect(),
            (None, Some(plain)) => fusion::fuse_passages(
                self.top_passages(&**plain, depth, filter)?,
                self.top_passages(query, depth, filter)?,
            )
            .into_iter()
            .take(want)
            .enumerate()
            .map(|(i, c)| (i + 1, c))
            .collect(),
            (Some(k), Some(plain)) => fusion::fuse_documents(
                self.top_documents(&**plain, depth, k.max(1), filter)?,
                self.top_documents(query, depth, k.max(1), filter)?,
            )
            .into_iter()
            .take(want)
            .enumerate()
            .flat_map(|(i, group)| group.into_iter().map(move |c| (i + 1, c)))
            .collect(),
            (Some(k), None) => self
                .top_documents(query, want, k.max(1), filter)?
                .into_iter()
                .enumerate()
                .flat_map(|(i, group)| group.into_iter().map(move |c| (i + 1, c)))
                .collect(),
        };
        Ok(ranked
            .into_iter()
            .filter(|(rank, _)| *rank > request.offset)
            .collect())
    }

    /// The hits of `ranked`: bare, or loaded with text, highlights, context and
    /// explanations as `request` asks.
    fn hits(
        &mut self,
        request: &QueryRequest,
        compiled: &Compiled,
        ranked: Vec<(usize, Candidate)>,
    ) -> Result<Vec<Hit>> {
        if !request.with_text {
            // Runs (`--format trec`, `eval`) name documents by stored path: no
            // `abs_path`, which would cost a read of the file list per query.
            return Ok(ranked
                .into_iter()
                .map(|(rank, c)| Hit {
                    rank,
                    ..c.bare_hit()
                })
                .collect());
        }
        let highlighter = Highlighter::new(&compiled.ast);
        let mut sources = SourceFiles::default();
        let mut hits = Vec::with_capacity(ranked.len());
        for (rank, c) in ranked {
            let loaded = match c.loaded {
                Some(h) => *h,
                None => self.load(c.addr, c.score)?,
            };
            // The candidate's score is the ranking's (fused feedback rescored it).
            let mut h = Hit {
                rank,
                score: c.score,
                ..loaded
            };
            h.highlights = highlighter.highlight(&mut self.analyzer, &h.text);
            if let Some(heading) = &h.heading {
                h.heading_highlights = highlighter.highlight_heading(&mut self.analyzer, heading);
            }
            if request.context > 0 {
                (h.context_before, h.context_after) = self.context(&h, request.context)?;
            }
            if request.explain {
                h.explanation = Some(self.explain(compiled, c.addr, c.score)?);
            }
            h.abs_path = self.state.abs_path(&h.path)?;
            for n in h.context_before.iter_mut().chain(&mut h.context_after) {
                n.abs_path.clone_from(&h.abs_path);
            }
            if request.match_lines {
                h.match_line = Some(sources.match_line(&h));
            }
            hits.push(h);
        }
        if let Some(first) = hits.first_mut() {
            first.feedback_terms.clone_from(&compiled.feedback_terms);
        }
        Ok(hits)
    }

    /// How the score `score` of the passage at `addr` was computed: Tantivy's BM25
    /// explanation, or with fused feedback, the RRF sum over both rankings' explanations.
    fn explain(&self, compiled: &Compiled, addr: DocAddress, score: f32) -> Result<Explanation> {
        let Some(plain) = &compiled.plain else {
            let e = compiled.query.explain(&self.searcher, addr)?;
            return Ok(Explanation::from_tantivy(&e));
        };
        let explain = |query: &dyn Query| match query.explain(&self.searcher, addr) {
            Ok(e) => Ok(Explanation::from_tantivy(&e)),
            // Found by one ranking only.
            Err(tantivy::TantivyError::InvalidArgument(_)) => Ok(Explanation {
                description: "does not match".into(),
                ..Explanation::default()
            }),
            Err(e) => Err(e),
        };
        let (plain, ranking) = (explain(&**plain)?, explain(&*compiled.query)?);
        Ok(Explanation {
            value: score,
            description: format!(
                "reciprocal rank fusion, sum of 1 / ({} + rank) over the query's ranking \
                 and the feedback query's (details: their BM25 scores)",
                fusion::RRF_K
            ),
            details: vec![plain, ranking],
            context: Vec::new(),
        })
    }

    /// The stored passage at `addr`, as a hit with `score`.
    pub(crate) fn load(&self, addr: DocAddress, score: f32) -> Result<Hit> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        Ok(stored_hit(self.fields(), score, &doc))
    }

    /// Every file with a passage matching `query` that passes `filter`, with how many,
    /// sorted by path ([`count::PathCounts`]).
    pub(crate) fn count_per_file(
        &self,
        query: &dyn Query,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<(String, u64)>> {
        let counts = self.searcher.search(query, &count::PathCounts)?;
        let mut per_file: Vec<(String, u64)> = counts
            .into_iter()
            .filter(|(path, _)| filter.is_none_or(|f| f.is_match(path)))
            .collect();
        per_file.sort_unstable();
        Ok(per_file)
    }

    /// The best `want` passages, ties at the cut broken by (path, ordinal).
    pub(crate) fn top_passages(
        &self,
        query: &dyn Query,
        want: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<Candidate>> {
        // Candidates include every tie with the cut's score; only a path filter that
        // drops some of them makes a wider fetch necessary.
        let mut fetch = want;
        loop {
            let (mut found, fetched) = self.candidates(query, fetch, filter, true)?;
            if fetched < fetch || found.len() >= want {
                found.truncate(want);
                return Ok(found);
            }
            fetch = fetched.max(fetch).saturating_mul(2);
        }
    }

    /// The best `want` documents, each with its best `per_doc` passages (in rank order);
    /// a document scores as its best passage.
    fn top_documents(
        &self,
        query: &dyn Query,
        want: usize,
        per_doc: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<Vec<Candidate>>> {
        let mut fetch = want.saturating_mul(2).max(16);
        let (found, all_seen) = loop {
            let (found, fetched) = self.candidates(query, fetch, filter, false)?;
            let docs: std::collections::HashSet<(&str, Option<&str>)> =
                found.iter().map(Candidate::document).collect();
            if fetched < fetch || docs.len() >= want {
                break (found, fetched < fetch);
            }
            fetch = fetched.max(fetch).saturating_mul(2);
        };
        let mut groups = group_by_document(found, want, per_doc);
        // A document's weaker passages may rank below the candidates fetched; ask for them.
        if !all_seen {
            for group in groups.iter_mut().filter(|g| g.len() < per_doc) {
                if let Some(best) = group.first() {
                    let more = self.document_passages(query, best, per_doc, filter)?;
                    if more.len() > group.len() {
                        *group = more;
                    }
                }
            }
        }
        Ok(groups)
    }

    /// The best `per_doc` passages matching `query` of the document `best` belongs to.
    fn document_passages(
        &self,
        query: &dyn Query,
        best: &Candidate,
        per_doc: usize,
        filter: Option<&PathFilter>,
    ) -> Result<Vec<Candidate>> {
        use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, TermQuery};
        use tantivy::schema::{IndexRecordOption, Term};
        let f = self.fields();
        let mut keys = vec![Term::from_field_text(f.path, &best.path)];
        if let Some(id) = &best.doc_id {
            keys.push(Term::from_field_text(f.doc_id, id));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query.box_clone())];
        for key in keys {
            // The key clauses score 0, so scores equal the query's own.
            let in_document =
                ConstScoreQuery::new(Box::new(TermQuery::new(key, IndexRecordOption::Basic)), 0.0);
            clauses.push((Occur::Must, Box::new(in_document)));
        }
        self.top_passages(&BooleanQuery::new(clauses), per_doc, filter)
    }

    /// The passages of `hit`'s file within `n` ordinals before and after it.
    pub(crate) fn context(&self, hit: &Hit, n: usize) -> Result<(Vec<Hit>, Vec<Hit>)> {
        use std::ops::Bound;
        use tantivy::query::{BooleanQuery, RangeQuery, TermQuery};
        use tantivy::schema::{IndexRecordOption, Term};
        let f = self.fields();
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
        let top: Vec<(f32, DocAddress)> = self
            .searcher
            .search(&query, &TopDocs::with_limit(2 * n + 1).order_by_score())?;
        let mut around = Vec::new();
        for (_, addr) in top {
            let h = self.load(addr, 0.0)?;
            if h.ordinal != hit.ordinal && h.doc_id == hit.doc_id {
                around.push(h);
            }
        }
        around.sort_by_key(|h| h.ordinal);
        Ok(around.into_iter().partition(|h| h.ordinal < hit.ordinal))
    }

    /// Scores and ranks the top `fetch` passages and every passage tied with the
    /// `fetch`-th score; also returns how many that was, before `filter`. With `only_best`
    /// and no `filter`, passages that cannot be among the best `fetch` by
    /// [`candidate_order`] may be left out (their paths are then not read).
    ///
    /// Path, ordinal and document id come from the document store for a few candidates
    /// (the common `-n 10`: opening a fast-field column reads per-block metadata
    /// proportional to the segment, milliseconds on a 1 GB index), and from fast fields
    /// (opened once per call) for many.
    fn candidates(
        &self,
        query: &dyn Query,
        fetch: usize,
        filter: Option<&PathFilter>,
        only_best: bool,
    ) -> Result<(Vec<Candidate>, usize)> {
        let top: Vec<(f32, DocAddress)> = self
            .searcher
            .search(query, &collector::TopWithTies::new(fetch))?;
        let fetched = top.len();
        let mut out = if fetched <= STORE_LOOKUP_MAX {
            let mut out = Vec::with_capacity(fetched);
            for (score, addr) in top {
                let h = self.load(addr, score)?;
                out.push(Candidate {
                    score,
                    addr,
                    path: h.path.clone(),
                    ordinal: h.ordinal,
                    doc_id: h.doc_id.clone(),
                    loaded: Some(Box::new(h)),
                });
            }
            out
        } else {
            let keep = (only_best && filter.is_none()).then_some(fetch);
            self.resolve_by_fast_fields(top, keep)?
        };
        out.retain(|c| filter.is_none_or(|g| g.is_match(&c.path)));
        out.sort_by(candidate_order);
        Ok((out, fetched))
    }

    /// Candidates with path, ordinal and document id read from fast fields; with `keep`,
    /// only each segment's best `keep` ([`best_per_segment`]).
    fn resolve_by_fast_fields(
        &self,
        top: Vec<(f32, DocAddress)>,
        keep: Option<usize>,
    ) -> Result<Vec<Candidate>> {
        // First pass: term ordinals; then each segment's distinct ordinals are resolved
        // to strings in one sorted sweep of its dictionary (one lookup each is slow).
        let mut raw = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let cols = self.columns(addr.segment_ord)?;
            let ord_of = |col: &Option<tantivy::columnar::StrColumn>| {
                col.as_ref().and_then(|c| c.term_ords(addr.doc_id).next())
            };
            let ordinal = cols.ordinal.first(addr.doc_id).unwrap_or(0);
            raw.push((
                score,
                addr,
                ord_of(&cols.path),
                ord_of(&cols.doc_id),
                ordinal,
            ));
        }
        if let Some(k) = keep {
            raw = best_per_segment(raw, k);
        }
        let mut wanted: HashMap<u32, (OrdStrings, OrdStrings)> = HashMap::new();
        for &(_, addr, path_ord, doc_ord, _) in &raw {
            let (paths, doc_ids) = wanted.entry(addr.segment_ord).or_default();
            if let Some(o) = path_ord {
                paths.insert(o, String::new());
            }
            if let Some(o) = doc_ord {
                doc_ids.insert(o, String::new());
            }
        }
        for (segment, (paths, doc_ids)) in &mut wanted {
            let cols = self.columns(*segment)?;
            resolve(&cols.path, paths)?;
            resolve(&cols.doc_id, doc_ids)?;
        }
        Ok(raw
            .into_iter()
            .map(|(score, addr, path_ord, doc_ord, ordinal)| {
                let (paths, doc_ids) = &wanted[&addr.segment_ord];
                Candidate {
                    score,
                    addr,
                    path: path_ord
                        .and_then(|o| paths.get(&o).cloned())
                        .unwrap_or_default(),
                    ordinal,
                    doc_id: doc_ord.and_then(|o| doc_ids.get(&o).cloned()),
                    loaded: None,
                }
            })
            .collect())
    }

    /// The fast-field columns of segment `segment`, opened on first use.
    fn columns(&self, segment: u32) -> Result<&SegmentColumns> {
        let cell = &self.columns[segment as usize];
        if let Some(cols) = cell.get() {
            return Ok(cols);
        }
        let ff = self.searcher.segment_reader(segment).fast_fields();
        let cols = SegmentColumns {
            path: ff.str("path")?,
            doc_id: ff.str("doc_id")?,
            ordinal: ff.u64("passage")?,
        };
        Ok(cell.get_or_init(|| cols))
    }
}

/// A candidate before its strings are read: score, address, path and document id term
/// ordinals in their segment's columns, passage ordinal.
type RawCandidate = (f32, DocAddress, Option<u64>, Option<u64>, u64);

/// The best `k` of each segment's candidates by [`candidate_order`]. Within a segment the
/// term ordinals of a string column sort as its strings do (the column's dictionary is
/// sorted), so a passage among the best `k` of all segments is among the best `k` of its
/// own, and those are found without reading a path (many passages of equal score, such as
/// short dictionary entries, would cost a path each).
fn best_per_segment(mut raw: Vec<RawCandidate>, k: usize) -> Vec<RawCandidate> {
    raw.sort_by(|a, b| {
        (a.1.segment_ord.cmp(&b.1.segment_ord))
            .then(b.0.total_cmp(&a.0))
            .then(a.2.cmp(&b.2))
            .then(a.4.cmp(&b.4))
    });
    let mut out = Vec::with_capacity(raw.len().min(k.saturating_mul(4)));
    let (mut segment, mut taken) = (None, 0);
    for r in raw {
        if segment != Some(r.1.segment_ord) {
            (segment, taken) = (Some(r.1.segment_ord), 0);
        }
        if taken < k {
            out.push(r);
            taken += 1;
        }
    }
    out
}

/// The parser's warnings, as the response's.
fn syntax_warnings(parsed: &ParsedQuery) -> Vec<Warning> {
    parsed
        .warnings
        .iter()
        .map(|w| Warning::Syntax {
            position: w.position,
            problem: w.problem.clone(),
        })
        .collect()
}

/// The first `want` documents of `found` (in rank order), each with up to `per_doc` of
/// its passages: the first passage of a document is its best.
fn group_by_document(found: Vec<Candidate>, want: usize, per_doc: usize) -> Vec<Vec<Candidate>> {
    type Doc = (String, Option<String>);
    let mut order: Vec<Doc> = Vec::new();
    let mut groups: HashMap<Doc, Vec<Candidate>> = HashMap::new();
    for c in found {
        let key: Doc = (c.path.clone(), c.doc_id.clone());
        let g = groups.entry(key.clone()).or_default();
        if g.is_empty() {
            order.push(key);
        }
        if g.len() < per_doc {
            g.push(c);
        }
    }
    order
        .into_iter()
        .take(want)
        .map(|k| groups.remove(&k).unwrap_or_default())
        .collect()
}

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
        .map_err(|e| Error::Index(e.into()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_per_segment_keeps_each_segments_best_by_score_path_and_ordinal() {
        let at = |segment, doc| DocAddress::new(segment, doc);
        let raw: Vec<RawCandidate> = vec![
            (1.0, at(0, 5), Some(3), None, 0),
            (2.0, at(1, 1), Some(9), None, 4),
            (1.0, at(0, 6), Some(1), None, 7),
            (1.0, at(0, 7), Some(1), None, 2),
            (1.0, at(1, 2), Some(0), None, 0),
            (2.0, at(1, 3), Some(9), None, 1),
        ];
        let kept: Vec<(u32, u32)> = best_per_segment(raw, 2)
            .iter()
            .map(|r| (r.1.segment_ord, r.1.doc_id))
            .collect();
        assert_eq!(kept, [(0, 7), (0, 6), (1, 3), (1, 1)]);
    }
}
