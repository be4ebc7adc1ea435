//! Suggestions for a query that matched nothing: its words no passage contains, and
//! indexed words close to each.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::DocAddress;

use super::request::{MissingWord, QueryRequest};
use super::snapshot::Snapshot;
use crate::error::Result;
use crate::query::{parse_query, LeafKind, ParsedQuery};

/// Only this many absent words get suggestions; the others are named alone.
pub const SUGGESTED_WORDS: usize = 5;

impl Snapshot {
    /// Explains an empty result: each query word that no passage contains, with up to
    /// three indexed words within two edits of it (words that share its first
    /// character), closest and most frequent first, spelled as they appear in the text.
    /// Only the first [`SUGGESTED_WORDS`] absent words get suggestions (each scans part
    /// of the term dictionary); the others are named alone. A query that does not parse
    /// has none.
    pub(crate) fn missing_words(&mut self, request: &QueryRequest) -> Result<Vec<MissingWord>> {
        use tantivy::schema::Term;
        let options = self.parse_options(request);
        let Ok(ParsedQuery { ast: Some(ast), .. }) =
            parse_query(&request.query, &mut self.query_analyzer, options)
        else {
            return Ok(Vec::new());
        };
        // How each analyzed token was written in the query.
        let written: HashMap<String, String> =
            crate::analysis::analyze(&mut self.query_analyzer, &request.query)
                .into_iter()
                .map(|t| (t.text, request.query[t.offset_from..t.offset_to].to_owned()))
                .collect();
        let body = self.fields().body;
        let mut messages = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (_, kind) in ast.positive_leaves() {
            let LeafKind::Phrase { tokens, .. } = kind else {
                continue;
            };
            for token in tokens {
                if !seen.insert(token.clone()) {
                    continue;
                }
                let term = Term::from_field_text(body, token);
                if self.searcher.doc_freq(&term)? > 0 {
                    continue;
                }
                let word = written.get(token).unwrap_or(token).clone();
                if messages.len() >= SUGGESTED_WORDS {
                    // See: issue 12 (a long query of absent words scanned the dictionary
                    // once per word).
                    messages.push(MissingWord {
                        word,
                        suggestions: Vec::new(),
                    });
                    continue;
                }
                let suggestions = self.close_words(token)?;
                messages.push(MissingWord { word, suggestions });
            }
        }
        Ok(messages)
    }

    /// Up to three indexed words within two edits of the index term `token` that share
    /// its first character, closest and most frequent first, as written in the text.
    fn close_words(&mut self, token: &str) -> Result<Vec<String>> {
        use crate::highlight::edit_distance;
        let searcher = self.searcher.clone();
        let body = self.fields().body;
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
                *found.entry(word.to_owned()).or_default() += u64::from(stream.value().doc_freq);
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
        Ok(shown)
    }

    /// A word of some passage that analyzes to the index term `term`, as written there.
    fn surface_form(&mut self, searcher: &tantivy::Searcher, term: &str) -> Result<Option<String>> {
        use tantivy::query::TermQuery;
        use tantivy::schema::{IndexRecordOption, Term};
        let q = TermQuery::new(
            Term::from_field_text(self.fields().body, term),
            IndexRecordOption::Basic,
        );
        let top: Vec<(f32, DocAddress)> =
            searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let hit = self.load(*addr, 0.0)?;
        let full = match &hit.heading {
            Some(h) => format!("{h}\n{}", hit.text),
            None => hit.text.clone(),
        };
        Ok(crate::analysis::analyze(&mut self.analyzer, &full)
            .into_iter()
            .find(|t| t.text == term)
            .map(|t| full[t.offset_from..t.offset_to].to_owned()))
    }
}
