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
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, RegexQuery, TermQuery, TermSetQuery,
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
    /// Read the query as plain words with no syntax at all (`-F, --fixed-strings`): every
    /// character is text, as if each word were typed alone. By default false.
    pub fixed: bool,
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
        /// Each token's position in the phrase, the first at 0: consecutive, but for a
        /// gap where the index's stop words left a word out (`war and peace`: 0, 2).
        positions: Vec<u32>,
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
    /// Terms within this edit distance of the analyzed token, and the stems of the words
    /// within it of the typed word (see [`super::expand`]).
    Fuzzy {
        /// Analyzed token.
        token: String,
        /// Maximum Damerau-Levenshtein distance (1 or 2).
        distance: u8,
        /// The typed word normalised and folded as the analyzer does, unstemmed.
        word: String,
    },
    /// Exactly these index terms, the expansion of a fuzzy or prefix leaf, most frequent
    /// first: the first [`super::expand::MAX_SCORED_TERMS`] scored by BM25, the rest
    /// matched with a score of 0.
    Terms {
        /// Index terms (analyzed form).
        terms: Vec<String>,
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
    /// The pieces of the query read as syntax (operators, signs, quotes, parentheses,
    /// fields, boosts, prefixes, fuzzy terms), each with its 1-based character position;
    /// empty for a query of plain words.
    pub syntax: Vec<(usize, String)>,
}

impl Tok {
    /// True for a token that is syntax rather than a plain word.
    fn is_syntax(&self) -> bool {
        match self {
            Tok::Atom {
                sign,
                field,
                body,
                boost,
            } => {
                sign.is_some()
                    || field.is_some()
                    || !matches!(body, AtomBody::Word(_))
                    || (*boost - 1.0).abs() > f32::EPSILON
            }
            _ => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    /// An operator word, as written (`AND` or `&&`).
    And(String),
    /// `OR` or `||`, as written.
    Or(String),
    /// `NOT`, as written.
    Not(String),
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
    /// Operator words and `+`/`-` signs are syntax (false when the query reads as prose).
    operators: bool,
    /// The pieces read as syntax, with their 1-based character positions.
    syntax: Vec<(usize, String)>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            chars: src.char_indices().collect(),
            i: 0,
            src,
            warnings: Vec::new(),
            operators: !reads_as_prose(src),
            syntax: Vec::new(),
        }
    }

    /// True when the word before or after the word starting at char index `start` is
    /// written in capitals (`NOT NULL`, `EXPRESS OR IMPLIED`): an operator word there is
    /// a word of an all-capitals phrase.
    fn capitals_beside(&self, start: usize) -> bool {
        let is_space = |k: usize| self.chars[k].1.is_whitespace();
        let mut end = start;
        while end < self.chars.len() && !is_space(end) {
            end += 1;
        }
        let mut after = end;
        while after < self.chars.len() && is_space(after) {
            after += 1;
        }
        let mut after_end = after;
        while after_end < self.chars.len() && !is_space(after_end) {
            after_end += 1;
        }
        let mut before_end = start;
        while before_end > 0 && is_space(before_end - 1) {
            before_end -= 1;
        }
        let mut before = before_end;
        while before > 0 && !is_space(before - 1) {
            before -= 1;
        }
        let capitals = |from: usize, to: usize| {
            let word: String = self.chars[from..to].iter().map(|&(_, c)| c).collect();
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            letters >= 2
                && !word.chars().any(char::is_lowercase)
                && !matches!(word.as_str(), "AND" | "OR" | "NOT")
        };
        capitals(before, before_end) || capitals(after, after_end)
    }

    /// True when a `+` or `-` at char index `i` (the start of a word) is a sign: it is
    /// followed by a letter, a quote or a parenthesis, and it does not start a flag
    /// (`--dry-run`, `-n`) or a number (`-5`).
    fn sign_at(&self, i: usize) -> bool {
        let at = |k: usize| self.chars.get(k).map(|&(_, c)| c);
        let word_end = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c == ')');
        match at(i + 1) {
            Some('"' | '(') => true,
            // A single letter after the sign is a short flag (`-n`, `-C`), not a word.
            Some(c) if c.is_alphabetic() => !word_end(at(i + 2)),
            _ => false,
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

    /// Returns tokens with their 1-based character positions, warnings, and the pieces of
    /// the query read as syntax.
    fn run(mut self) -> (Vec<(usize, Tok)>, Positioned, Positioned) {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            let start = self.i;
            if c.is_whitespace() {
                self.i += 1;
                continue;
            }
            match c {
                '(' | ')' => {
                    self.i += 1;
                    self.syntax.push((start + 1, c.to_string()));
                    out.push((start + 1, if c == '(' { Tok::LParen } else { Tok::RParen }));
                }
                _ => {
                    let tok = self.atom(start);
                    if let Some(t) = tok {
                        if t.is_syntax() {
                            let lexeme = &self.src[self.byte_at(start)..self.byte_at(self.i)];
                            self.syntax.push((start + 1, lexeme.to_owned()));
                        }
                        out.push((start + 1, t));
                    }
                }
            }
        }
        (out, self.warnings, self.syntax)
    }

    /// Lexes an atom starting at char index `start`: sign, field, word or phrase,
    /// modifiers.
    fn atom(&mut self, start: usize) -> Option<Tok> {
        let mut sign = None;
        if let Some(c @ ('+' | '-')) = self.peek() {
            if self.operators && self.sign_at(self.i) {
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
                let Some(close) =
                    (quote_pos + 1..self.chars.len()).find(|&k| self.chars[k].1 == '"')
                else {
                    // A lone quote (an inch mark, a quote cut off by a paste) is text: the
                    // words after it stay words.
                    self.warn(quote_pos, "unbalanced quote; read as text".into());
                    self.i += 1;
                    return self.atom_word(start, sign, field);
                };
                let body = self.src[self.byte_at(quote_pos + 1)..self.byte_at(close)].to_owned();
                self.i = close + 1;
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
        self.atom_word(start, sign, field)
    }

    /// Lexes the word of an atom (after its sign and field) and its modifiers.
    fn atom_word(
        &mut self,
        start: usize,
        sign: Option<char>,
        field: Option<FieldSel>,
    ) -> Option<Tok> {
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
        if sign.is_none() && field.is_none() && self.operators && !self.capitals_beside(word_start)
        {
            match word.as_str() {
                "AND" | "&&" => return Some(Tok::And(word)),
                "OR" | "||" => return Some(Tok::Or(word)),
                "NOT" => return Some(Tok::Not(word)),
                _ => {}
            }
        }
        let mut boost = 1.0;
        // `word^2` is a boost; `x^y`, `foo^` and `2^-1` are text.
        if let Some(k) = word.rfind('^').filter(|&k| k > 0 && k + 1 < word.len()) {
            let number = &word[k + 1..];
            if number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                match number.parse::<f32>() {
                    Ok(b) if b.is_finite() => boost = b,
                    _ => self.warn(start, format!("boost `^{number}` is not a number; ignored")),
                }
                word.truncate(k);
            }
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
    let (tokens, lex_warnings, syntax) = if options.fixed {
        (plain_words(query), Vec::new(), Vec::new())
    } else {
        Lexer::new(query).run()
    };
    let mut p = Parser {
        toks: tokens,
        i: 0,
        warnings: lex_warnings,
        analyzer,
        options,
        two_edit_words: Vec::new(),
    };
    let clauses = p.sequence(0)?;
    let mut warnings = p.warnings;
    warnings.sort_by_key(|(pos, _)| *pos);
    if options.strict {
        if let Some((position, message)) = warnings.first().cloned() {
            // Without what the lenient parser would have done instead (`; read as text`):
            // a strict query does not run.
            let message = match message.split_once("; ") {
                Some((problem, _)) => problem.to_owned(),
                None => message,
            };
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
    Ok(ParsedQuery {
        ast,
        warnings,
        syntax,
    })
}

/// True when `query` reads as prose rather than as query syntax: it has letters and none
/// of them is lower-case (an all-capitals title or question), or it has sentence
/// punctuation (`,` `;` `.` `?` `!` followed by a space or ending the query) outside
/// quotes. In such a query `AND`, `OR`, `NOT`, `&&`, `||` are words and `+`/`-` are
/// text; quotes, parentheses, `field:`, `^`, `*` and `~` keep their meaning.
pub fn reads_as_prose(query: &str) -> bool {
    let all_capitals =
        query.chars().any(char::is_uppercase) && !query.chars().any(char::is_lowercase);
    all_capitals || sentence_punctuation(query)
}

/// True when `query` has `,` `;` `.` `?` or `!` followed by white space or at its end,
/// outside double quotes.
fn sentence_punctuation(query: &str) -> bool {
    let mut in_quote = false;
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quote = !in_quote,
            ',' | ';' | '.' | '?' | '!'
                if !in_quote && chars.peek().is_none_or(|n| n.is_whitespace()) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// The whitespace-separated words of `query` as plain word atoms, with their 1-based
/// character positions (the `fixed` reading: no syntax at all).
fn plain_words(query: &str) -> Vec<(usize, Tok)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (char index, byte offset)
    let push = |from: (usize, usize), to: usize, out: &mut Vec<(usize, Tok)>| {
        out.push((
            from.0 + 1,
            Tok::Atom {
                sign: None,
                field: None,
                body: AtomBody::Word(query[from.1..to].to_owned()),
                boost: 1.0,
            },
        ))
    };
    for (ci, (bi, c)) in query.char_indices().enumerate() {
        match (c.is_whitespace(), start) {
            (true, Some(from)) => {
                push(from, bi, &mut out);
                start = None;
            }
            (false, None) => start = Some((ci, bi)),
            _ => {}
        }
    }
    if let Some(from) = start {
        push(from, query.len(), &mut out);
    }
    out
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    i: usize,
    warnings: Vec<(usize, String)>,
    analyzer: &'a mut TextAnalyzer,
    options: ParseOptions,
    /// The distinct words searched within two edits so far (at most [`MAX_TWO_EDIT_WORDS`]).
    two_edit_words: Vec<String>,
}

/// The most distinct words of one query searched within two edits (`word~2`); further ones
/// are searched within one edit, with a warning. Each costs a Levenshtein automaton of 30
/// to 75 ms (found by the `cost` fuzz target: 100 such words took 2.9 s), where a one-edit
/// word costs too little to measure. See: issue 16.
pub const MAX_TWO_EDIT_WORDS: usize = 5;

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
                Tok::And(ref word) | Tok::Or(ref word) | Tok::Not(ref word) => {
                    let at_end = matches!(self.toks.get(self.i), None | Some((_, Tok::RParen)));
                    let not = matches!(tok, Tok::Not(_));
                    if at_end || (!not && items.is_empty()) {
                        // Nothing to join or negate: the operator word is a word (`&&`,
                        // which has no word in it, is dropped).
                        match self.leaf(FieldSel::Default, AtomBody::Word(word.clone()), 1.0) {
                            Some(node) => (None, node),
                            None => continue,
                        }
                    } else {
                        match tok {
                            Tok::Not(_) => negate_next = Some(pos),
                            Tok::And(_) => conj = Conj::And,
                            _ => conj = Conj::Or,
                        }
                        continue;
                    }
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
                } => {
                    let body = self.within_two_edit_budget(pos, body);
                    match self.leaf(field.unwrap_or(FieldSel::Default), body, boost) {
                        Some(node) => (sign, node),
                        None => {
                            negate_next = None;
                            continue; // punctuation only: nothing to search
                        }
                    }
                }
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
            AtomBody::Word(w) => self.phrase(&w, 0)?,
            AtomBody::Phrase(p, slop) => self.phrase(&p, slop)?,
            AtomBody::Prefix(w) => {
                let folded = crate::analysis::fold_word(&w);
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
                        word: unstemmed(&w),
                    },
                    _ => self.phrase(&w, 0)?,
                }
            }
        };
        Some(QueryAst::Leaf { field, kind, boost })
    }

    /// `body`, with a two-edit fuzzy word past [`MAX_TWO_EDIT_WORDS`] distinct ones
    /// lowered to one edit (with a warning at `pos`).
    fn within_two_edit_budget(&mut self, pos: usize, body: AtomBody) -> AtomBody {
        let AtomBody::Fuzzy(word, 2) = body else {
            return body;
        };
        let key = unstemmed(&word);
        if self.two_edit_words.contains(&key) || self.two_edit_words.len() < MAX_TWO_EDIT_WORDS {
            if !self.two_edit_words.contains(&key) {
                self.two_edit_words.push(key);
            }
            return AtomBody::Fuzzy(word, 2);
        }
        self.warnings.push((
            pos,
            format!(
                "more than {MAX_TWO_EDIT_WORDS} words within two edits (`~2`); `{word}~2` searched within one"
            ),
        ));
        AtomBody::Fuzzy(word, 1)
    }

    /// `text` analyzed into a phrase leaf (one token: a term); `None` without a token.
    fn phrase(&mut self, text: &str, slop: u32) -> Option<LeafKind> {
        let analyzed = analyze(self.analyzer, text);
        let first = analyzed.first()?.position;
        Some(LeafKind::Phrase {
            positions: analyzed
                .iter()
                .map(|t| (t.position - first) as u32)
                .collect(),
            tokens: analyzed.into_iter().map(|t| t.text).collect(),
            slop,
        })
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        analyze(self.analyzer, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }
}

/// `word` analyzed without stemming (normalised, lower-cased, folded), as one string:
/// its one token, or [`crate::analysis::fold_word`] of it when it has several or none.
fn unstemmed(word: &str) -> String {
    let mut plain = crate::analysis::AnalyzerSettings::unstemmed().build();
    match analyze(&mut plain, word).as_slice() {
        [one] => one.text.clone(),
        _ => crate::analysis::fold_word(word),
    }
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

    /// This tree without its excluded clauses (`-word`, `NOT word`); `None` when it has
    /// none.
    pub fn without_exclusions(&self) -> Option<QueryAst> {
        let QueryAst::Bool(cs) = self else {
            return None;
        };
        let mut changed = false;
        let kept: Vec<(Occur, QueryAst)> = cs
            .iter()
            .filter_map(|(o, c)| {
                if *o == Occur::MustNot {
                    changed = true;
                    return None;
                }
                Some((
                    *o,
                    c.without_exclusions()
                        .inspect(|_| changed = true)
                        .unwrap_or_else(|| c.clone()),
                ))
            })
            .collect();
        changed.then(|| simplify(QueryAst::Bool(kept))).flatten()
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
        LeafKind::Phrase {
            tokens,
            slop,
            positions,
        } => {
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
                let offsets = positions.iter().map(|&p| p as usize);
                let mut q = PhraseQuery::new_with_offset(offsets.zip(terms).collect());
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
        LeafKind::Fuzzy {
            token, distance, ..
        } => Box::new(FuzzyTermQuery::new(
            Term::from_field_text(field, token),
            *distance,
            true,
        )),
        LeafKind::Terms { terms } => {
            // BM25 for the most frequent terms, as a disjunction; the rest match, scoring 0.
            let split = terms.len().min(super::expand::MAX_SCORED_TERMS);
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms[..split]
                .iter()
                .map(|t| {
                    let term = Term::from_field_text(field, t);
                    let factor = idf(std::slice::from_ref(&term));
                    let q = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, boosted(q, factor))
                })
                .collect();
            if split < terms.len() {
                let rest = TermSetQuery::new(
                    terms[split..]
                        .iter()
                        .map(|t| Term::from_field_text(field, t)),
                );
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(rest), 0.0)),
                ));
            }
            match clauses.len() {
                0 => Box::new(EmptyQuery),
                1 => clauses.remove(0).1,
                _ => Box::new(BooleanQuery::new(clauses)),
            }
        }
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
                positions: (0..tokens.len() as u32).collect(),
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
        let p = parse("ab AND bc OR cd -de +ef NOT fg").unwrap();
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

    fn occurs(q: &str) -> Vec<Occur> {
        match parse(q).unwrap().ast.unwrap() {
            QueryAst::Bool(cs) => cs.iter().map(|(o, _)| *o).collect(),
            QueryAst::Leaf { .. } => vec![Occur::Should],
        }
    }

    #[test]
    fn prose_is_recognised() {
        for q in [
            "WAR AND PEACE",
            "WHAT IS NOT KNOWN ABOUT FLUTTER?",
            "Why does the build NOT fail?",
            "Cats, dogs AND birds",
            "It works. OR does it",
        ] {
            assert!(reads_as_prose(q), "{q}");
        }
        for q in [
            "cats AND dogs",
            "NATO OR treaty",
            "\"a, b\" AND c",
            "v1.2 NOT beta",
            "",
        ] {
            assert!(!reads_as_prose(q), "{q}");
        }
    }

    #[test]
    fn operator_words_in_prose_are_words() {
        assert_eq!(occurs("WAR AND PEACE"), [Occur::Should; 3]);
        assert_eq!(occurs("Is it NOT here?"), [Occur::Should; 4]);
        assert_eq!(occurs("war AND peace"), [Occur::Must; 2]);
        // Beside a word in capitals, an operator word is part of an all-capitals phrase.
        assert_eq!(occurs("NOT NULL constraint failed"), [Occur::Should; 4]);
        assert_eq!(occurs("express OR IMPLIED"), [Occur::Should; 3]);
        assert_eq!(occurs("a AND NOT b"), [Occur::Must, Occur::MustNot]);
        assert_eq!(occurs("C AND D"), [Occur::Should; 3]);
    }

    #[test]
    fn flags_numbers_and_lone_quotes_are_text() {
        // `--dry-run` is the phrase `dry run`; `-n` and `-5` are words.
        assert_eq!(
            parse("apt-get --dry-run").unwrap().ast.unwrap(),
            QueryAst::Bool(vec![
                (Occur::Should, leaf(&["apt", "get"])),
                (Occur::Should, leaf(&["dri", "run"]))
            ])
        );
        assert_eq!(
            parse("-- --dry-run").unwrap().ast.unwrap(),
            leaf(&["dri", "run"])
        );
        assert_eq!(occurs("ls -n -5"), [Occur::Should; 3]);
        assert_eq!(occurs("nato -treaty"), [Occur::Should, Occur::MustNot]);
        assert_eq!(
            occurs("nato -\"phone call\""),
            [Occur::Should, Occur::MustNot]
        );
        let p = parse("12\" pipe fitting").unwrap();
        assert_eq!(
            p.warnings,
            ["query position 3: unbalanced quote; read as text"]
        );
        assert_eq!(occurs("12\" pipe fitting"), [Occur::Should; 3]);
        assert!(p.syntax.is_empty(), "{:?}", p.syntax);
    }

    #[test]
    fn syntax_is_reported_with_positions() {
        let p = parse("nato AND -treaty \"a b\" c*").unwrap();
        assert_eq!(
            p.syntax,
            [
                (6, "AND".to_owned()),
                (10, "-treaty".to_owned()),
                (18, "\"a b\"".to_owned()),
                (24, "c*".to_owned())
            ]
        );
        assert!(parse("plain words only").unwrap().syntax.is_empty());
    }

    #[test]
    fn fixed_strings_have_no_syntax() {
        let fixed = ParseOptions {
            fixed: true,
            ..ParseOptions::default()
        };
        let p = parse_query(
            "a AND -b \"c (d) e* f~1 g^2 heading:h",
            &mut AnalyzerSettings::default().build(),
            fixed,
        )
        .unwrap();
        assert!(p.warnings.is_empty() && p.syntax.is_empty(), "{p:?}");
        let QueryAst::Bool(cs) = p.ast.unwrap() else {
            panic!()
        };
        assert!(cs.iter().all(|(o, _)| *o == Occur::Should));
        assert_eq!(cs.len(), 9, "{cs:?}");
    }

    proptest::proptest! {
        /// Without syntax characters, the default reading and `fixed` are the same query.
        #[test]
        fn plain_words_read_the_same_in_both_modes(
            words in proptest::collection::vec("[A-Za-z][a-z]{0,7}|[0-9]{1,4}|[A-Z]{2,5}", 1..12),
            all in proptest::bool::ANY,
        ) {
            let words: Vec<String> = words
                .into_iter()
                .filter(|w| !matches!(w.as_str(), "AND" | "OR" | "NOT"))
                .collect();
            proptest::prop_assume!(!words.is_empty());
            let q = words.join(" ");
            let mut a = AnalyzerSettings::default().build();
            let default = parse_query(&q, &mut a, ParseOptions { all, ..ParseOptions::default() }).unwrap();
            let fixed = parse_query(&q, &mut a, ParseOptions { all, fixed: true, ..ParseOptions::default() }).unwrap();
            proptest::prop_assert_eq!(default.ast, fixed.ast);
        }
    }

    #[test]
    fn stop_words_leave_gaps_in_phrases() {
        let settings = AnalyzerSettings {
            stopwords: crate::analysis::parse_stopwords("english").unwrap(),
            ..AnalyzerSettings::default()
        };
        let mut a = settings.build();
        let p = parse_query("\"war and peace\"", &mut a, ParseOptions::default()).unwrap();
        assert_eq!(
            p.ast.unwrap(),
            QueryAst::Leaf {
                field: FieldSel::Default,
                kind: LeafKind::Phrase {
                    tokens: vec!["war".into(), "peac".into()],
                    slop: 0,
                    positions: vec![0, 2],
                },
                boost: 1.0,
            }
        );
        assert!(matches!(
            parse_query("the and of", &mut a, ParseOptions::default()),
            Err(Error::EmptyQuery(_))
        ));
    }

    #[test]
    fn at_most_five_words_are_searched_within_two_edits() {
        let q = "alpha~2 bravo~2 alpha~2 charlie~2 delta~2 echo~2 foxtrot~2 golf~1";
        let p = parse(q).unwrap();
        let QueryAst::Bool(cs) = p.ast.unwrap() else {
            panic!()
        };
        let distances: Vec<u8> = cs
            .iter()
            .map(|(_, c)| match c {
                QueryAst::Leaf {
                    kind: LeafKind::Fuzzy { distance, .. },
                    ..
                } => *distance,
                _ => panic!("{c:?}"),
            })
            .collect();
        assert_eq!(distances, [2, 2, 2, 2, 2, 2, 1, 1]);
        assert_eq!(
            p.warnings,
            ["query position 50: more than 5 words within two edits (`~2`); `foxtrot~2` searched within one"]
        );
    }
}
