//! The query language: a lenient parser in front of Tantivy's query types.
//!
//! Tantivy's own `QueryParser` rejects much of what people type (`Ukraine's` opens a
//! quoted phrase, `12:30` names an unknown field), so we parse the query ourselves into a
//! small syntax tree ([`QueryAst`]) and build Tantivy queries from it. The same tree
//! drives the highlighter, which marks exactly what each positive clause can match.
//!
//! Syntax (Tantivy's and Lucene's): words; `"phrases"` and `"phrases"~N` (slop);
//! `+required` and `-excluded`; `AND`, `OR`, `NOT`; parentheses; `field:value` for the
//! fields `text` and `heading`; `word^2.5` and `"phrase"^2` boosts; `prefix*`; and
//! `word~1`, `word~2` for fuzzy matching (Damerau-Levenshtein distance). Words combine
//! with OR by default (AND with [`ParseOptions::all`]).
//!
//! A word is analyzed with the index's analyzer; when it yields several tokens
//! (`US-Russia`, `12:30`, a run of CJK characters) it becomes a phrase of them.
//! Problems (unbalanced quotes or parentheses, a lone operator, an unknown field) are
//! warnings naming the 1-based character position: what is valid still runs. With
//! [`ParseOptions::strict`] the first problem is an error instead.

use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::analyze;
use crate::error::{Error, Result};
use crate::index::Fields;

/// The longest query accepted, in characters: a pasted text of up to about 1 MB runs
/// (its cost is bounded by [`super::budget::MAX_CLAUSES`], not by its length).
pub const MAX_QUERY_CHARS: usize = 1_000_000;

/// The deepest nesting of parentheses accepted.
pub const MAX_DEPTH: usize = 100;

/// Parser settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Words without an operator are required (AND) instead of optional (OR).
    pub all: bool,
    /// Fail on the first problem instead of warning and running what is valid.
    pub strict: bool,
}

/// Which field a clause searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSel {
    /// The passage text and its heading (the default).
    Default,
    /// The same as `Default`, named explicitly (`text:`).
    Text,
    /// Only the heading (`heading:`).
    Heading,
}

/// How a leaf matches index terms.
#[derive(Debug, Clone, PartialEq)]
pub enum LeafKind {
    /// The analyzed tokens in order (one token: a term; several: a phrase), with slop.
    Phrase {
        /// Analyzed tokens.
        tokens: Vec<String>,
        /// How many positions the words may move (0 = exactly adjacent).
        slop: u32,
    },
    /// Terms starting with `prefix` (normalised, unstemmed), and the term `stem`: the
    /// typed word as the index holds it (`treaty*` must find `treaty`, indexed as its
    /// stem `treati`). See: issue 4.
    Prefix {
        /// Normalised, unstemmed prefix.
        prefix: String,
        /// The analyzed (stemmed) prefix word, when it differs from `prefix`.
        stem: Option<String>,
    },
    /// Terms within this edit distance of the analyzed token.
    Fuzzy {
        /// Analyzed token.
        token: String,
        /// Maximum Damerau-Levenshtein distance (1 or 2).
        distance: u8,
    },
}

/// A node of the parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryAst {
    /// A word, phrase, prefix or fuzzy term.
    Leaf {
        /// The field searched.
        field: FieldSel,
        /// How it matches.
        kind: LeafKind,
        /// Score multiplier (1.0 when none was given).
        boost: f32,
    },
    /// Clauses combined as in a Lucene boolean query.
    Bool(Vec<(Occur, QueryAst)>),
}

/// A parsed query with the warnings met while parsing it.
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    /// The syntax tree; `None` when nothing searchable remained.
    pub ast: Option<QueryAst>,
    /// Problems found, each naming a 1-based character position.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// A word or phrase with its modifiers; `prefix` is `+` or `-` or none.
    Atom {
        sign: Option<char>,
        field: Option<FieldSel>,
        body: AtomBody,
        boost: f32,
    },
    /// `+(` or `-(`, or `field:(`: a sign or field in front of a parenthesis.
    SignedParen {
        sign: Option<char>,
        field: Option<FieldSel>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum AtomBody {
    Word(String),
    Prefix(String),
    Fuzzy(String, u8),
    Phrase(String, u32),
}

/// Messages with the 1-based character position they refer to.
type Positioned = Vec<(usize, String)>;

struct Lexer<'a> {
    chars: Vec<(usize, char)>,
    i: usize,
    src: &'a str,
    warnings: Vec<(usize, String)>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            chars: src.char_indices().collect(),
            i: 0,
            src,
            warnings: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).map(|&(_, c)| c)
    }

    fn byte_at(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.src.len(), |&(b, _)| b)
    }

    fn warn(&mut self, char_pos: usize, msg: String) {
        self.warnings.push((char_pos + 1, msg));
    }

    /// Returns tokens with their 1-based character positions.
    fn run(mut self) -> (Vec<(usize, Tok)>, Positioned) {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            let start = self.i;
            if c.is_whitespace() {
                self.i += 1;
                continue;
            }
            match c {
                '(' => {
                    self.i += 1;
                    out.push((start + 1, Tok::LParen));
                }
                ')' => {
                    self.i += 1;
                    out.push((start + 1, Tok::RParen));
                }
                _ => {
                    let tok = self.atom(start);
                    if let Some(t) = tok {
                        out.push((start + 1, t));
                    }
                }
            }
        }
        (out, self.warnings)
    }

    /// Lexes an atom starting at char index `start`: sign, field, word or phrase,
    /// modifiers.
    fn atom(&mut self, start: usize) -> Option<Tok> {
        let mut sign = None;
        if let Some(c @ ('+' | '-')) = self.peek() {
            let next = self.chars.get(self.i + 1).map(|&(_, c)| c);
            if next.is_some_and(|n| !n.is_whitespace()) {
                sign = Some(c);
                self.i += 1;
            }
        }
        // Field prefix: an identifier followed by ':' and something that is not space. An
        // unknown name is text, with a warning when what follows starts a value (a word, a
        // phrase or a group), silently otherwise: `http://` and `std::vec` are text.
        let mut field = None;
        let ident_end = {
            let mut j = self.i;
            while let Some(&(_, c)) = self.chars.get(j) {
                if c.is_ascii_alphanumeric() || c == '_' {
                    j += 1;
                } else {
                    break;
                }
            }
            j
        };
        let starts_alpha = self
            .chars
            .get(self.i)
            .is_some_and(|&(_, c)| c.is_ascii_alphabetic());
        if starts_alpha
            && ident_end > self.i
            && self.chars.get(ident_end).map(|&(_, c)| c) == Some(':')
            && self
                .chars
                .get(ident_end + 1)
                .is_some_and(|&(_, c)| !c.is_whitespace())
        {
            let name = &self.src[self.byte_at(self.i)..self.byte_at(ident_end)];
            let value_start = self
                .chars
                .get(ident_end + 1)
                .is_some_and(|&(_, c)| c.is_alphanumeric() || matches!(c, '"' | '(' | '_'));
            match name {
                "text" | "body" => field = Some(FieldSel::Text),
                "heading" | "title" => field = Some(FieldSel::Heading),
                _ if !value_start => {}
                _ => {
                    self.warn(
                        self.i,
                        format!(
                            "unknown field `{name}` (known: text or body, heading or title); searched as text"
                        ),
                    );
                }
            }
            if field.is_some() {
                self.i = ident_end + 1;
            }
        }
        match self.peek() {
            Some('(') if sign.is_some() || field.is_some() => {
                self.i += 1;
                return Some(Tok::SignedParen { sign, field });
            }
            Some('"') => {
                let quote_pos = self.i;
                self.i += 1;
                let body_start = self.i;
                while self.peek().is_some_and(|c| c != '"') {
                    self.i += 1;
                }
                let body = self.src[self.byte_at(body_start)..self.byte_at(self.i)].to_owned();
                if self.peek() == Some('"') {
                    self.i += 1;
                } else {
                    self.warn(
                        quote_pos,
                        "unbalanced quote; the phrase runs to the end of the query".into(),
                    );
                }
                let slop = self.modifier('~').map_or(0, |s| {
                    s.parse::<u32>().unwrap_or_else(|_| {
                        self.warn(start, format!("slop `~{s}` is not a whole number; ignored"));
                        0
                    })
                });
                let boost = self.boost(start);
                return Some(Tok::Atom {
                    sign,
                    field,
                    body: AtomBody::Phrase(body, slop),
                    boost,
                });
            }
            _ => {}
        }
        // A word: up to whitespace, a parenthesis or a quote.
        let word_start = self.i;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"'))
        {
            self.i += 1;
        }
        let mut word = self.src[self.byte_at(word_start)..self.byte_at(self.i)].to_owned();
        if word.is_empty() {
            if sign.is_some() || field.is_some() {
                self.warn(start, "operator with nothing after it; ignored".into());
            }
            return None;
        }
        if sign.is_none() && field.is_none() {
            match word.as_str() {
                "AND" | "&&" => return Some(Tok::And),
                "OR" | "||" => return Some(Tok::Or),
                "NOT" => return Some(Tok::Not),
                _ => {}
            }
        }
        let mut boost = 1.0;
        if let Some(k) = word.rfind('^').filter(|&k| k > 0 && k + 1 < word.len()) {
            match word[k + 1..].parse::<f32>() {
                Ok(b) if b.is_finite() && b >= 0.0 => boost = b,
                _ => self.warn(
                    start,
                    format!("boost `{}` is not a number >= 0; ignored", &word[k..]),
                ),
            }
            word.truncate(k);
        }
        let body = if word.len() > 1 && word.ends_with('*') {
            AtomBody::Prefix(word.trim_end_matches('*').to_owned())
        } else if let Some(k) = word.rfind('~').filter(|&k| k > 0) {
            let digits = &word[k + 1..];
            match digits.parse::<u8>() {
                Ok(d @ 0..=2) => AtomBody::Fuzzy(word[..k].to_owned(), d),
                _ if digits.is_empty() => AtomBody::Fuzzy(word[..k].to_owned(), 1),
                _ if digits.bytes().all(|b| b.is_ascii_digit()) => {
                    self.warn(
                        start,
                        format!("edit distance `~{digits}` is more than 2; using 2"),
                    );
                    AtomBody::Fuzzy(word[..k].to_owned(), 2)
                }
                _ => AtomBody::Word(word),
            }
        } else {
            AtomBody::Word(word)
        };
        Some(Tok::Atom {
            sign,
            field,
            body,
            boost,
        })
    }

    /// Reads `~N` or `^N` right after a phrase: returns the text after the marker.
    fn modifier(&mut self, marker: char) -> Option<String> {
        if self.peek() != Some(marker) {
            return None;
        }
        self.i += 1;
        let s = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.i += 1;
        }
        Some(self.src[self.byte_at(s)..self.byte_at(self.i)].to_owned())
    }

    fn boost(&mut self, start: usize) -> f32 {
        match self.modifier('^') {
            None => 1.0,
            Some(s) => s.parse::<f32>().unwrap_or_else(|_| {
                self.warn(start, format!("boost `^{s}` is not a number; ignored"));
                1.0
            }),
        }
    }
}

/// Parses `query` with `analyzer` (the index's) into a [`ParsedQuery`].
///
/// # Errors
/// [`Error::EmptyQuery`] for an empty query or one with no searchable word;
/// [`Error::QueryParse`] for a query over [`MAX_QUERY_CHARS`] characters or nested deeper
/// than [`MAX_DEPTH`], and, with `options.strict`, for the first problem found.
pub fn parse_query(
    query: &str,
    analyzer: &mut TextAnalyzer,
    options: ParseOptions,
) -> Result<ParsedQuery> {
    if query.trim().is_empty() {
        return Err(Error::EmptyQuery("empty query".into()));
    }
    let nchars = query.chars().count();
    if nchars > MAX_QUERY_CHARS {
        return Err(Error::QueryParse {
            position: MAX_QUERY_CHARS + 1,
            message: format!("query is {nchars} characters long; the limit is {MAX_QUERY_CHARS}"),
        });
    }
    let (tokens, lex_warnings) = Lexer::new(query).run();
    let mut p = Parser {
        toks: tokens,
        i: 0,
        warnings: lex_warnings,
        analyzer,
        options,
    };
    let clauses = p.sequence(0)?;
    let mut warnings = p.warnings;
    warnings.sort_by_key(|(pos, _)| *pos);
    if options.strict {
        if let Some((position, message)) = warnings.first().cloned() {
            return Err(Error::QueryParse { position, message });
        }
    }
    let warnings: Vec<String> = warnings
        .into_iter()
        .map(|(pos, msg)| format!("query position {pos}: {msg}"))
        .collect();
    let ast = simplify(QueryAst::Bool(clauses));
    if ast.is_none() {
        return Err(Error::EmptyQuery(
            "the query has no searchable words".into(),
        ));
    }
    Ok(ParsedQuery { ast, warnings })
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    i: usize,
    warnings: Vec<(usize, String)>,
    analyzer: &'a mut TextAnalyzer,
    options: ParseOptions,
}

#[derive(Clone, Copy, PartialEq)]
enum Conj {
    None,
    And,
    Or,
}

impl Parser<'_> {
    /// Parses clauses until the end or a `)` closing depth `depth`.
    fn sequence(&mut self, depth: usize) -> Result<Vec<(Occur, QueryAst)>> {
        // (explicit occur or None, node, conjunction before it)
        let mut items: Vec<(Option<Occur>, QueryAst, Conj)> = Vec::new();
        let mut conj = Conj::None;
        let mut negate_next: Option<usize> = None;
        let open_pos = self.toks.get(self.i.saturating_sub(1)).map_or(1, |t| t.0);
        loop {
            let Some((pos, tok)) = self.toks.get(self.i).cloned() else {
                if depth > 0 {
                    self.warnings
                        .push((open_pos, "unclosed parenthesis; closed at the end".into()));
                }
                break;
            };
            self.i += 1;
            let (sign, node) = match tok {
                Tok::RParen => {
                    if depth > 0 {
                        break;
                    }
                    self.warnings.push((pos, "unmatched `)`; ignored".into()));
                    continue;
                }
                Tok::And | Tok::Or => {
                    let at_edge = items.is_empty()
                        || matches!(self.toks.get(self.i), None | Some((_, Tok::RParen)));
                    let name = if tok == Tok::And { "AND" } else { "OR" };
                    if at_edge {
                        self.warnings.push((
                            pos,
                            format!("`{name}` needs a clause on each side; ignored"),
                        ));
                    } else {
                        conj = if tok == Tok::And { Conj::And } else { Conj::Or };
                    }
                    continue;
                }
                Tok::Not => {
                    if matches!(self.toks.get(self.i), None | Some((_, Tok::RParen))) {
                        self.warnings
                            .push((pos, "`NOT` needs a clause after it; ignored".into()));
                    } else {
                        negate_next = Some(pos);
                    }
                    continue;
                }
                Tok::LParen | Tok::SignedParen { .. } => {
                    if depth + 1 > MAX_DEPTH {
                        return Err(Error::QueryParse {
                            position: pos,
                            message: format!("parentheses nested deeper than {MAX_DEPTH} levels"),
                        });
                    }
                    let (sign, field) = match tok {
                        Tok::SignedParen { sign, field } => (sign, field),
                        _ => (None, None),
                    };
                    let inner = self.sequence(depth + 1)?;
                    let inner = match field {
                        Some(f) => with_field(QueryAst::Bool(inner), f),
                        None => QueryAst::Bool(inner),
                    };
                    (sign, inner)
                }
                Tok::Atom {
                    sign,
                    field,
                    body,
                    boost,
                } => match self.leaf(field.unwrap_or(FieldSel::Default), body, boost) {
                    Some(node) => (sign, node),
                    None => {
                        negate_next = None;
                        continue; // punctuation only: nothing to search
                    }
                },
            };
            let mut occur = match sign {
                Some('+') => Some(Occur::Must),
                Some('-') => Some(Occur::MustNot),
                _ => None,
            };
            if negate_next.take().is_some() {
                occur = Some(Occur::MustNot);
            }
            items.push((occur, node, conj));
            conj = Conj::None;
        }
        // Resolve AND / OR between neighbours, then the default operator.
        let default = if self.options.all {
            Occur::Must
        } else {
            Occur::Should
        };
        let mut resolved: Vec<Option<Occur>> = items.iter().map(|(o, _, _)| *o).collect();
        for (k, item) in items.iter().enumerate().skip(1) {
            let c = item.2;
            let want = match c {
                Conj::And => Occur::Must,
                Conj::Or => Occur::Should,
                Conj::None => continue,
            };
            for j in [k - 1, k] {
                if resolved[j].is_none() || (c == Conj::And && resolved[j] == Some(Occur::Should)) {
                    resolved[j] = Some(want);
                }
            }
        }
        Ok(items
            .into_iter()
            .zip(resolved)
            .map(|((_, node, _), occ)| (occ.unwrap_or(default), node))
            .collect())
    }

    fn leaf(&mut self, field: FieldSel, body: AtomBody, boost: f32) -> Option<QueryAst> {
        let kind = match body {
            AtomBody::Word(w) => {
                let tokens = self.tokens(&w);
                if tokens.is_empty() {
                    return None;
                }
                LeafKind::Phrase { tokens, slop: 0 }
            }
            AtomBody::Phrase(p, slop) => {
                let tokens = self.tokens(&p);
                if tokens.is_empty() {
                    return None;
                }
                LeafKind::Phrase { tokens, slop }
            }
            AtomBody::Prefix(w) => {
                let norm = crate::analysis::normalize_word(&w);
                let folded = fold(&norm);
                if folded.is_empty() || !folded.chars().any(char::is_alphanumeric) {
                    return None;
                }
                let mut tokens = self.tokens(&w);
                let stem = match tokens.len() {
                    1 => Some(tokens.remove(0)).filter(|t| !t.starts_with(folded.as_str())),
                    _ => None,
                };
                LeafKind::Prefix {
                    prefix: folded,
                    stem,
                }
            }
            AtomBody::Fuzzy(w, d) => {
                let mut tokens = self.tokens(&w);
                match tokens.len() {
                    0 => return None,
                    1 => LeafKind::Fuzzy {
                        token: tokens.remove(0),
                        distance: d,
                    },
                    _ => LeafKind::Phrase { tokens, slop: 0 },
                }
            }
        };
        Some(QueryAst::Leaf { field, kind, boost })
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        analyze(self.analyzer, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }
}

/// ASCII-folds a normalised word the way the analyzer does, without stemming.
fn fold(word: &str) -> String {
    use tantivy::tokenizer::{AsciiFoldingFilter, RawTokenizer, TextAnalyzer};
    let mut a = TextAnalyzer::builder(RawTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build();
    analyze(&mut a, word)
        .into_iter()
        .next()
        .map(|t| t.text)
        .unwrap_or_default()
}

fn with_field(ast: QueryAst, f: FieldSel) -> QueryAst {
    match ast {
        QueryAst::Leaf { kind, boost, field } => QueryAst::Leaf {
            field: if field == FieldSel::Default { f } else { field },
            kind,
            boost,
        },
        QueryAst::Bool(cs) => {
            QueryAst::Bool(cs.into_iter().map(|(o, c)| (o, with_field(c, f))).collect())
        }
    }
}

/// Drops empty groups and unwraps single-clause groups; `None` when nothing remains.
pub(crate) fn simplify(ast: QueryAst) -> Option<QueryAst> {
    match ast {
        leaf @ QueryAst::Leaf { .. } => Some(leaf),
        QueryAst::Bool(cs) => {
            let cs: Vec<(Occur, QueryAst)> = cs
                .into_iter()
                .filter_map(|(o, c)| simplify(c).map(|c| (o, c)))
                .collect();
            match cs.len() {
                0 => None,
                1 if cs[0].0 != Occur::MustNot => cs.into_iter().next().map(|(_, c)| c),
                _ => Some(QueryAst::Bool(cs)),
            }
        }
    }
}

impl QueryAst {
    /// True when no clause can match (only excluded clauses).
    pub fn only_excluded(&self) -> bool {
        match self {
            QueryAst::Leaf { .. } => false,
            QueryAst::Bool(cs) => cs.iter().all(|(o, _)| *o == Occur::MustNot),
        }
    }

    /// Builds the Tantivy query for this tree. `idf(terms)` is the factor each term or
    /// phrase leaf's score is multiplied by (a `BoostQuery`; 1.0 leaves it as it is).
    pub fn to_query(&self, fields: &Fields, idf: &dyn Fn(&[Term]) -> f32) -> Box<dyn Query> {
        match self {
            QueryAst::Leaf { field, kind, boost } => {
                let targets: &[Field] = match field {
                    FieldSel::Default | FieldSel::Text => &[fields.body],
                    FieldSel::Heading => &[fields.heading],
                };
                let mut per_field: Vec<Box<dyn Query>> =
                    targets.iter().map(|&f| leaf_query(f, kind, idf)).collect();
                let q: Box<dyn Query> = if per_field.len() == 1 {
                    per_field.remove(0)
                } else {
                    Box::new(BooleanQuery::new(
                        per_field.into_iter().map(|q| (Occur::Should, q)).collect(),
                    ))
                };
                boosted(q, *boost)
            }
            QueryAst::Bool(cs) => {
                if cs.is_empty() {
                    return Box::new(EmptyQuery);
                }
                Box::new(BooleanQuery::new(
                    cs.iter()
                        .map(|(o, c)| (*o, c.to_query(fields, idf)))
                        .collect(),
                ))
            }
        }
    }

    /// The leaves that can contribute to a match (not under an excluded clause).
    pub fn positive_leaves(&self) -> Vec<(FieldSel, &LeafKind)> {
        let mut out = Vec::new();
        self.collect_positive(&mut out);
        out
    }

    fn collect_positive<'a>(&'a self, out: &mut Vec<(FieldSel, &'a LeafKind)>) {
        match self {
            QueryAst::Leaf { field, kind, .. } => out.push((*field, kind)),
            QueryAst::Bool(cs) => {
                for (o, c) in cs {
                    if *o != Occur::MustNot {
                        c.collect_positive(out);
                    }
                }
            }
        }
    }
}

fn leaf_query(field: Field, kind: &LeafKind, idf: &dyn Fn(&[Term]) -> f32) -> Box<dyn Query> {
    match kind {
        LeafKind::Phrase { tokens, slop } => {
            let terms: Vec<Term> = tokens
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            let factor = idf(&terms);
            let q: Box<dyn Query> = if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                let mut q = PhraseQuery::new_with_offset(terms.into_iter().enumerate().collect());
                q.set_slop(*slop);
                Box::new(q)
            };
            boosted(q, factor)
        }
        LeafKind::Prefix { prefix, stem } => {
            let mut pattern = format!("{}.*", regex_escape(prefix));
            if let Some(stem) = stem {
                pattern = format!("{pattern}|{}", regex_escape(stem));
            }
            match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(EmptyQuery),
            }
        }
        LeafKind::Fuzzy { token, distance } => Box::new(FuzzyTermQuery::new(
            Term::from_field_text(field, token),
            *distance,
            true,
        )),
    }
}

/// `q` with its score multiplied by `factor` (`q` itself for a factor of 1).
fn boosted(q: Box<dyn Query>, factor: f32) -> Box<dyn Query> {
    if (factor - 1.0).abs() > f32::EPSILON {
        Box::new(BoostQuery::new(q, factor))
    } else {
        q
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"'".contains(c) || c.is_whitespace() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalyzerSettings;

    fn parse(q: &str) -> Result<ParsedQuery> {
        parse_query(
            q,
            &mut AnalyzerSettings::default().build(),
            ParseOptions::default(),
        )
    }

    fn leaf(tokens: &[&str]) -> QueryAst {
        QueryAst::Leaf {
            field: FieldSel::Default,
            kind: LeafKind::Phrase {
                tokens: tokens.iter().map(|s| s.to_string()).collect(),
                slop: 0,
            },
            boost: 1.0,
        }
    }

    #[test]
    fn words_are_or_and_possessives_work() {
        let p = parse("Ukraine's treaty").unwrap();
        assert!(p.warnings.is_empty());
        assert_eq!(
            p.ast.unwrap(),
            QueryAst::Bool(vec![
                (Occur::Should, leaf(&["ukrain"])),
                (Occur::Should, leaf(&["treati"]))
            ])
        );
    }

    #[test]
    fn colon_text_is_searched_as_text() {
        assert_eq!(parse("12:30").unwrap().ast.unwrap(), leaf(&["12", "30"]));
        let p = parse("Re: budget").unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn unknown_field_warns_with_position() {
        let p = parse("x foo:bar").unwrap();
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].starts_with("query position 3:"),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn strict_fails_on_unbalanced_quote() {
        let e = parse_query(
            "a \"b c",
            &mut AnalyzerSettings::default().build(),
            ParseOptions {
                strict: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, Error::QueryParse { position: 3, .. }), "{e}");
    }

    #[test]
    fn operators() {
        let p = parse("a AND b OR c -d +e NOT f").unwrap();
        let QueryAst::Bool(cs) = p.ast.unwrap() else {
            panic!()
        };
        let occ: Vec<Occur> = cs.iter().map(|(o, _)| *o).collect();
        assert_eq!(
            occ,
            [
                Occur::Must,
                Occur::Must,
                Occur::Should,
                Occur::MustNot,
                Occur::Must,
                Occur::MustNot
            ]
        );
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert!(matches!(parse("  "), Err(Error::EmptyQuery(_))));
        assert!(matches!(parse("!!! ..."), Err(Error::EmptyQuery(_))));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let q = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(parse(&q), Err(Error::QueryParse { .. })));
    }

    #[test]
    fn prefix_fuzzy_boost_slop() {
        let p = parse("guarant* nato~1 \"phone call\"~2^3 treaty^2").unwrap();
        let QueryAst::Bool(cs) = p.ast.unwrap() else {
            panic!()
        };
        assert!(
            matches!(&cs[0].1, QueryAst::Leaf { kind: LeafKind::Prefix { prefix, stem: None }, .. } if prefix == "guarant")
        );
        assert!(matches!(
            &cs[1].1,
            QueryAst::Leaf {
                kind: LeafKind::Fuzzy { distance: 1, .. },
                ..
            }
        ));
        assert!(
            matches!(&cs[2].1, QueryAst::Leaf { kind: LeafKind::Phrase { slop: 2, .. }, boost, .. } if *boost == 3.0)
        );
        assert!(matches!(&cs[3].1, QueryAst::Leaf { boost, .. } if *boost == 2.0));
    }
}
