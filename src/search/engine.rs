//! The [`Engine`]: one opened index that answers [`QueryRequest`]s, shared by every
//! front end and, in a server, by every request.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use tantivy::tokenizer::TextAnalyzer;
use tantivy::{IndexReader, ReloadPolicy};

use super::hit::Hit;
use super::paths::PathFilter;
use super::request::{QueryRequest, QueryResponse};
use super::snapshot::Snapshot;
use crate::error::{Error, Result};
use crate::index::{IndexInfo, PassageIndex};
use crate::query::QueryAst;

/// Answers queries on one index. `Send + Sync`: share one behind an `Arc` and call it
/// from any thread.
///
/// Each call searches a snapshot of the index as of the last commit the engine has
/// seen: a commit by a concurrent `ingest` becomes visible to later calls within about
/// half a second (Tantivy's reload on commit, which watches `meta.json`), and a call
/// under way is never disturbed by one.
pub struct Engine {
    reader: IndexReader,
    /// What belongs to the commit last seen: its settings, analyzer and file list.
    state: RwLock<Arc<State>>,
}

/// The index as of one commit: its settings (the analyzer is built from them) and,
/// read on first use, the absolute paths of its files.
pub(crate) struct State {
    /// Tantivy's id of the searcher generation this state belongs to.
    generation: u64,
    /// The index, with the settings of that commit.
    pub(crate) index: PassageIndex,
    /// The analyzer of those settings (the text's, for highlights), the model of the
    /// ones calls take ([`State::take_analyzers`]).
    pub(crate) analyzer: TextAnalyzer,
    /// The analyzer of query text ([`crate::AnalyzerSettings::build_for_queries`]).
    pub(crate) query_analyzer: TextAnalyzer,
    /// Whether queries score with the floored Robertson/Spärck Jones idf
    /// ([`super::score::uses_rsj_idf`]), else Lucene's.
    pub(crate) rsj_idf: bool,
    /// Whether the index's stemmer is English, so that a prose query's English function
    /// words are left out ([`crate::query::ParseOptions::keep_function_words`]).
    pub(crate) english: bool,
    /// Stored path -> absolute path, from the manifest, read on first use.
    abs_paths: OnceLock<Arc<HashMap<String, String>>>,
    /// Analyzers (text, query) that calls have finished with, for the next calls: a
    /// fresh clone starts with an empty stem cache, whose first use zeroes 2 MiB (a
    /// fifth of a server's time at 100 MB, and every word stemmed again per call).
    idle_analyzers: Mutex<Vec<(TextAnalyzer, TextAnalyzer)>>,
}

/// Most idle analyzer pairs kept per commit: more than the calls that can run at once.
const IDLE_ANALYZERS_MAX: usize = 16;

impl State {
    fn new(index: PassageIndex, generation: u64) -> State {
        let settings = index.analyzer_settings();
        State {
            generation,
            analyzer: settings.build(),
            query_analyzer: settings.build_for_queries(),
            rsj_idf: super::score::uses_rsj_idf(&settings),
            english: settings.stemmer == Some(tantivy::tokenizer::Language::English),
            index,
            abs_paths: OnceLock::new(),
            idle_analyzers: Mutex::new(Vec::new()),
        }
    }

    /// Analyzers (text, query) for one call: idle ones, else clones of this commit's.
    pub(crate) fn take_analyzers(&self) -> (TextAnalyzer, TextAnalyzer) {
        let idle = self.idle_analyzers.lock().ok().and_then(|mut v| v.pop());
        idle.unwrap_or_else(|| (self.analyzer.clone(), self.query_analyzer.clone()))
    }

    /// Gives back analyzers of [`State::take_analyzers`] when a call is done with them.
    pub(crate) fn give_back_analyzers(&self, pair: (TextAnalyzer, TextAnalyzer)) {
        if let Ok(mut idle) = self.idle_analyzers.lock() {
            if idle.len() < IDLE_ANALYZERS_MAX {
                idle.push(pair);
            }
        }
    }

    /// The folder every relative stored path is relative to, when the index records one.
    pub(crate) fn relative_to(&self) -> Option<PathBuf> {
        let info = self.index.info.as_ref()?;
        info.paths_relative_to.as_ref().map(PathBuf::from)
    }

    /// Stored path -> absolute path of every file whose stored path is relative, from
    /// the manifest (read on first use).
    pub(crate) fn abs_path_map(&self) -> Result<Arc<HashMap<String, String>>> {
        if let Some(map) = self.abs_paths.get() {
            return Ok(map.clone());
        }
        let map: HashMap<String, String> = self
            .index
            .manifest()?
            .files
            .into_iter()
            .filter(|(_, rec)| !rec.path.is_empty())
            .map(|(key, rec)| (rec.path, key))
            .collect();
        Ok(self.abs_paths.get_or_init(|| Arc::new(map)).clone())
    }

    /// The absolute path of the file whose passages carry the stored path `path`: `path`
    /// itself when absolute, else through the recorded folder or the manifest. `None`
    /// when the index does not know it.
    pub(crate) fn abs_path(&self, path: &str) -> Result<Option<String>> {
        if Path::new(path).is_absolute() {
            return Ok(Some(path.to_owned()));
        }
        if let Some(dir) = self.relative_to() {
            return Ok(Some(crate::index::ingest::file_key(Path::new(path), &dir)));
        }
        Ok(self.abs_path_map()?.get(path).cloned())
    }

    /// The path filter of `globs` matching each file by the path shown for it from the
    /// current folder, wherever ingest ran; `None` when there are no globs.
    pub(crate) fn path_filter(&self, globs: &[String]) -> Result<Option<PathFilter>> {
        let Some(mut filter) = PathFilter::new(globs)? else {
            return Ok(None);
        };
        match self.relative_to() {
            Some(dir) => filter.relative_to = Some(dir),
            None => filter.abs_paths = Some(self.abs_path_map()?),
        }
        Ok(Some(filter))
    }
}

impl Engine {
    /// Opens the index at `dir` for searching.
    ///
    /// # Errors
    /// As [`PassageIndex::open`]; [`Error::IncompatibleIndex`] when Tantivy cannot open
    /// a reader.
    pub fn open(dir: &Path) -> Result<Engine> {
        crate::index::retry_while_committing(|| Engine::new(PassageIndex::open(dir)?))
    }

    /// An engine over an opened index.
    ///
    /// # Errors
    /// [`Error::IncompatibleIndex`] when Tantivy cannot open a reader.
    pub fn new(index: PassageIndex) -> Result<Engine> {
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e: tantivy::TantivyError| Error::IncompatibleIndex {
                path: index.dir.clone(),
                reason: e.to_string(),
            })?;
        let generation = reader.searcher().generation().generation_id();
        Ok(Engine {
            reader,
            state: RwLock::new(Arc::new(State::new(index, generation))),
        })
    }

    /// Parses and runs `request` on the last commit seen.
    ///
    /// A query that cannot match anything by construction (no searchable word, such as
    /// an empty query, punctuation or emoji only, `*` or a lone operator; or only
    /// excluded terms) returns no hits and a warning saying why. With `limit` 0 no hit
    /// is returned, and [`QueryResponse::matched`] tells whether any passage matches.
    ///
    /// # Errors
    /// With `parse.strict`: [`Error::EmptyQuery`] for a query with nothing to search and
    /// [`Error::QueryParse`] for any problem; in any mode [`Error::QueryParse`] for a
    /// query nested too deep or too long, and [`Error::InvalidGlob`] for a bad path
    /// glob; Tantivy errors.
    pub fn search(&self, request: &QueryRequest) -> Result<QueryResponse> {
        self.snapshot()?.run(request)
    }

    /// The passage `ordinal` (0-based) of the file whose stored path is `path` (as
    /// [`super::Hit::path`]), with up to `context` passages of the same file before and
    /// after it ([`super::Hit::context_before`], [`super::Hit::context_after`]), from the
    /// last commit seen. The hit has rank 0, score 0 and no highlights. `None` when the
    /// index holds no such passage.
    ///
    /// # Errors
    /// Tantivy errors reading the index.
    pub fn passage(&self, path: &str, ordinal: u64, context: usize) -> Result<Option<Hit>> {
        use std::ops::Bound;
        use tantivy::collector::TopDocs;
        use tantivy::query::{BooleanQuery, RangeQuery, TermQuery};
        use tantivy::schema::{IndexRecordOption, Term};
        let snapshot = self.snapshot()?;
        let f = snapshot.fields();
        let at = Term::from_field_u64(f.ordinal, ordinal);
        let query = BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(f.path, path),
                IndexRecordOption::Basic,
            )),
            Box::new(RangeQuery::new(
                Bound::Included(at.clone()),
                Bound::Included(at),
            )),
        ]);
        let top = snapshot
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let mut hit = snapshot.load(*addr, 0.0)?;
        if context > 0 {
            (hit.context_before, hit.context_after) = snapshot.context(&hit, context)?;
        }
        hit.abs_path = snapshot.state.abs_path(&hit.path)?;
        for n in hit.context_before.iter_mut().chain(&mut hit.context_after) {
            n.abs_path.clone_from(&hit.abs_path);
        }
        Ok(Some(hit))
    }

    /// The stored path (as [`super::Hit::path`]) of every file the index holds, sorted,
    /// from the manifest of the last commit seen.
    ///
    /// # Errors
    /// As [`PassageIndex::manifest`].
    pub fn indexed_paths(&self) -> Result<Vec<String>> {
        let mut paths: Vec<String> = self
            .state()?
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
    /// itself when absolute, else its key in the manifest. `None` when the index does
    /// not know it (a manifest written before keys were absolute, or no such file).
    ///
    /// # Errors
    /// As [`PassageIndex::manifest`].
    pub fn abs_path(&self, path: &str) -> Result<Option<String>> {
        self.state()?.abs_path(path)
    }

    /// The path filter of `globs` ([`PathFilter`]), matching each file by the path shown
    /// for it from the current folder (through its absolute path), wherever ingest ran;
    /// `None` when there are no globs.
    ///
    /// # Errors
    /// As [`PathFilter::new`] and [`PassageIndex::manifest`].
    pub fn path_filter(&self, globs: &[String]) -> Result<Option<PathFilter>> {
        self.state()?.path_filter(globs)
    }

    /// `ast` with its fuzzy and prefix leaves replaced by the index terms they match in
    /// the last commit seen ([`super::expand`]), as a search runs it.
    ///
    /// # Errors
    /// Tantivy errors reading the term dictionaries.
    pub fn expand(&self, ast: QueryAst) -> Result<QueryAst> {
        self.snapshot()?.expand(ast)
    }

    /// The index as of the last commit seen.
    ///
    /// # Errors
    /// As [`Engine::search`], when a new commit's settings cannot be read.
    pub fn index(&self) -> Result<PassageIndex> {
        Ok(self.state()?.index.clone())
    }

    /// A snapshot of the last commit seen, with the state of that commit.
    fn snapshot(&self) -> Result<Snapshot> {
        let searcher = self.reader.searcher();
        let state = self.state_of(searcher.generation().generation_id())?;
        Ok(Snapshot::new(state, searcher))
    }

    fn state(&self) -> Result<Arc<State>> {
        self.state_of(self.reader.searcher().generation().generation_id())
    }

    /// The state of searcher generation `generation`: the cached one, or, after a new
    /// commit, one with that commit's settings (an ingest may have rebuilt the index
    /// with another analyzer).
    fn state_of(&self, generation: u64) -> Result<Arc<State>> {
        let current = self.state.read().map_err(|_| poisoned())?.clone();
        if current.generation == generation {
            return Ok(current);
        }
        let mut index = current.index.clone();
        let metas = index.index.load_metas()?;
        if let Some(payload) = metas.payload.as_deref() {
            index.info = serde_json::from_str::<IndexInfo>(payload)
                .ok()
                .or(index.info);
        }
        let fresh = Arc::new(State::new(index, generation));
        *self.state.write().map_err(|_| poisoned())? = fresh.clone();
        Ok(fresh)
    }
}

/// A lock poisoned by a panic in another thread: an internal failure.
fn poisoned() -> Error {
    Error::Internal("the engine's state lock was poisoned by a panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passage_comes_with_its_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "one\n\ntwo\n\nthree\n\nfour\n").unwrap();
        let index = dir.path().join("index");
        let corpus = crate::CorpusBuilder::new(vec![file.clone()]);
        crate::ingest(&index, &corpus, &Default::default(), |_| {}).unwrap();
        let engine = Engine::open(&index).unwrap();
        let path = engine.indexed_paths().unwrap().remove(0);
        let hit = engine.passage(&path, 1, 1).unwrap().unwrap();
        assert_eq!((hit.text.as_str(), hit.line, hit.rank), ("two", 3, 0));
        let texts = |hits: &[Hit]| hits.iter().map(|h| h.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&hit.context_before), ["one"]);
        assert_eq!(texts(&hit.context_after), ["three"]);
        assert!(engine.passage(&path, 4, 0).unwrap().is_none());
        assert!(engine.passage("nope.txt", 0, 0).unwrap().is_none());
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Engine>();
    }

    fn ingest_into(index: &Path, files: Vec<PathBuf>) {
        let corpus = crate::CorpusBuilder::new(files);
        crate::ingest(index, &corpus, &crate::IngestOptions::default(), |_| {}).unwrap();
    }

    #[test]
    fn a_new_commit_becomes_visible_without_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        std::fs::write(&a, "The walrus sleeps on the ice.\n").unwrap();
        std::fs::write(&b, "A narwhal swims below.\n").unwrap();
        let index = dir.path().join("index");
        ingest_into(&index, vec![a.clone()]);
        let engine = Engine::open(&index).unwrap();
        let narwhal = QueryRequest::new("narwhal");
        assert!(!engine.search(&narwhal).unwrap().matched);
        ingest_into(&index, vec![a, b]);
        // Tantivy polls `meta.json` every 500 ms.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let response = loop {
            let response = engine.search(&narwhal).unwrap();
            if response.matched || std::time::Instant::now() > deadline {
                break response;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert_eq!(response.hits.len(), 1);
        assert_eq!(response.hits[0].text, "A narwhal swims below.");
        assert_eq!(response.hits[0].rank, 1);
    }

    #[test]
    fn analyzers_are_reused_and_answers_stay_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "The walruses were sleeping.\n\nA walrus wakes.\n").unwrap();
        let index = dir.path().join("index");
        ingest_into(&index, vec![a]);
        let engine = Engine::open(&index).unwrap();
        let idle = |s: &State| s.idle_analyzers.lock().unwrap().len();
        let request = QueryRequest::new("walrus sleeps");
        // The reader may reload once after opening (a new generation, a new pool): each
        // step is checked on a call that began and ended on one state.
        let on_one_state = || loop {
            let before = engine.state().unwrap();
            let idle_before = idle(&before);
            let response = engine.search(&request).unwrap();
            let after = engine.state().unwrap();
            if Arc::ptr_eq(&before, &after) {
                return (response, idle_before, idle(&after), after);
            }
        };
        let (first, before, after, state) = on_one_state();
        assert_eq!(after, before.max(1), "the call gave its analyzers back");
        // The next call takes them, warm stem caches and all, and gives them back.
        let (second, before, after, next) = on_one_state();
        if Arc::ptr_eq(&state, &next) {
            assert_eq!((before, after), (1, 1));
        }
        assert_eq!(first.hits, second.hits);
        assert_eq!(first.hits[0].highlights.len(), 2, "{:?}", first.hits[0]);
    }

    #[test]
    fn calls_from_many_threads_share_one_engine() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "The walrus sleeps.\n\nThe walrus wakes.\n").unwrap();
        let index = dir.path().join("index");
        ingest_into(&index, vec![a]);
        let engine = Arc::new(Engine::open(&index).unwrap());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let engine = engine.clone();
                std::thread::spawn(move || engine.search(&QueryRequest::new("walrus")).unwrap())
            })
            .collect();
        for t in threads {
            let response = t.join().unwrap();
            let ranks: Vec<usize> = response.hits.iter().map(|h| h.rank).collect();
            assert_eq!(ranks, [1, 2]);
        }
    }
}
