//! The lexer: a query's characters into tokens (words, phrases, operators, parentheses),
//! each with its 1-based character position, and the warnings met on the way.
//!
//! Lenient by design: what does not read as syntax is text (an unknown `field:`, a lone
//! quote, `2^-1`, a flag such as `--dry-run`), and in a query that reads as prose
//! ([`reads_as_prose`](super::prose::reads_as_prose)) operator words and signs are words.

use super::ast::FieldSel;
use super::warning::SyntaxProblem;

/// One token of a query.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// An operator word, as written (`AND` or `&&`).
    And(String),
    /// `OR` or `||`, as written.
    Or(String),
    /// `NOT`, as written.
    Not(String),
    /// A word or phrase with its modifiers.
    Atom {
        /// `+` or `-`, or none.
        sign: Option<char>,
        /// `text:` or `heading:` (and their synonyms), or none.
        field: Option<FieldSel>,
        /// What is searched.
        body: AtomBody,
        /// `^N` (1.0 when none was given).
        boost: f32,
    },
    /// `+(` or `-(`, or `field:(`: a sign or field in front of a parenthesis.
    SignedParen {
        /// `+` or `-`, or none.
        sign: Option<char>,
        /// The field the group searches, or none.
        field: Option<FieldSel>,
    },
}

/// The searched part of an atom, as typed (not analyzed yet).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum AtomBody {
    /// A word.
    Word(String),
    /// `word*`: the word without its stars.
    Prefix(String),
    /// `word~N`: the word and the edit distance (0 to 2; a bare `~` is 1).
    Fuzzy(String, u8),
    /// `"words"~N`: the text between the quotes and the slop (0 without `~N`).
    Phrase(String, u32),
}

impl AtomBody {
    /// The text as typed: the word, the prefix without stars, the fuzzy word, the phrase.
    pub(super) fn text(&self) -> &str {
        match self {
            AtomBody::Word(s)
            | AtomBody::Prefix(s)
            | AtomBody::Fuzzy(s, _)
            | AtomBody::Phrase(s, _) => s,
        }
    }
}

impl Tok {
    /// True for a token that is syntax rather than a plain word.
    pub(super) fn is_syntax(&self) -> bool {
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

/// Pieces of the query, each with the 1-based character position it starts at.
pub(super) type Positioned = Vec<(usize, String)>;

/// Problems met, each with the 1-based character position it is at.
pub(super) type Problems = Vec<(usize, SyntaxProblem)>;

/// Reads a query's characters into [`Tok`]s, one pass, left to right.
pub(super) struct Lexer<'a> {
    chars: Vec<(usize, char)>,
    i: usize,
    src: &'a str,
    warnings: Problems,
    /// Operator words and `+`/`-` signs are syntax (false when the query reads as prose).
    operators: bool,
    /// The pieces read as syntax, with their 1-based character positions.
    syntax: Vec<(usize, String)>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`, reading operators as syntax unless `prose` (`src` reads as
    /// prose: [`reads_as_prose`](super::prose::reads_as_prose)).
    pub(super) fn new(src: &'a str, prose: bool) -> Self {
        Lexer {
            chars: src.char_indices().collect(),
            i: 0,
            src,
            warnings: Vec::new(),
            operators: !prose,
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

    fn warn(&mut self, char_pos: usize, msg: SyntaxProblem) {
        self.warnings.push((char_pos + 1, msg));
    }

    /// Returns tokens with their 1-based character positions, warnings, and the pieces of
    /// the query read as syntax.
    pub(super) fn run(mut self) -> (Vec<(usize, Tok)>, Problems, Positioned) {
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
        let sign = self.sign();
        let field = self.field();
        match self.peek() {
            Some('(') if sign.is_some() || field.is_some() => {
                self.i += 1;
                Some(Tok::SignedParen { sign, field })
            }
            Some('"') => self.quoted(start, sign, field),
            _ => self.atom_word(start, sign, field),
        }
    }

    /// Reads a `+` or `-` sign at the cursor, when operators are syntax and it is one
    /// ([`Self::sign_at`]).
    fn sign(&mut self) -> Option<char> {
        match self.peek() {
            Some(c @ ('+' | '-')) if self.operators && self.sign_at(self.i) => {
                self.i += 1;
                Some(c)
            }
            _ => None,
        }
    }

    /// Reads a field prefix at the cursor: an identifier followed by ':' and something
    /// that is not space. An unknown name is text, with a warning when what follows
    /// starts a value (a word, a phrase or a group), silently otherwise: `http://` and
    /// `std::vec` are text.
    fn field(&mut self) -> Option<FieldSel> {
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
        if !(starts_alpha
            && ident_end > self.i
            && self.chars.get(ident_end).map(|&(_, c)| c) == Some(':')
            && self
                .chars
                .get(ident_end + 1)
                .is_some_and(|&(_, c)| !c.is_whitespace()))
        {
            return None;
        }
        let name = &self.src[self.byte_at(self.i)..self.byte_at(ident_end)];
        let value_start = self
            .chars
            .get(ident_end + 1)
            .is_some_and(|&(_, c)| c.is_alphanumeric() || matches!(c, '"' | '(' | '_'));
        let field = match name {
            "text" | "body" => Some(FieldSel::Text),
            "heading" | "title" => Some(FieldSel::Heading),
            _ if !value_start => None,
            _ => {
                self.warn(
                    self.i,
                    SyntaxProblem::UnknownField {
                        name: name.to_owned(),
                    },
                );
                None
            }
        };
        if field.is_some() {
            self.i = ident_end + 1;
        }
        field
    }

    /// Lexes a quoted phrase at the cursor (a `"`) and its `~N` and `^N`; a quote with no
    /// closing one is text, and the atom a word.
    fn quoted(&mut self, start: usize, sign: Option<char>, field: Option<FieldSel>) -> Option<Tok> {
        let quote_pos = self.i;
        let Some(close) = (quote_pos + 1..self.chars.len()).find(|&k| self.chars[k].1 == '"')
        else {
            // A lone quote (an inch mark, a quote cut off by a paste) is text: the
            // words after it stay words.
            self.warn(quote_pos, SyntaxProblem::UnbalancedQuote);
            self.i += 1;
            return self.atom_word(start, sign, field);
        };
        let body = self.src[self.byte_at(quote_pos + 1)..self.byte_at(close)].to_owned();
        self.i = close + 1;
        let slop = self.modifier('~').map_or(0, |s| {
            s.parse::<u32>().unwrap_or_else(|_| {
                self.warn(start, SyntaxProblem::BadSlop { slop: s.clone() });
                0
            })
        });
        let boost = self.boost(start);
        Some(Tok::Atom {
            sign,
            field,
            body: AtomBody::Phrase(body, slop),
            boost,
        })
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
                self.warn(start, SyntaxProblem::NothingAfterOperator);
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
                    _ => self.warn(
                        start,
                        SyntaxProblem::BadBoost {
                            boost: number.to_owned(),
                        },
                    ),
                }
                word.truncate(k);
            }
        }
        let body = if word.len() > 1 && word.ends_with('*') {
            AtomBody::Prefix(word.trim_end_matches('*').to_owned())
        } else if let Some(k) = word.rfind('~').filter(|&k| k > 0) {
            let digits = &word[k + 1..];
            // An edit distance is 0 to 2 (as Lucene's); `HEAD~3`, pasted from a git
            // command, and `~300` are text.
            match digits.parse::<u8>() {
                Ok(d @ 0..=2) => AtomBody::Fuzzy(word[..k].to_owned(), d),
                _ if digits.is_empty() => AtomBody::Fuzzy(word[..k].to_owned(), 1),
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

    /// Reads `^N` right after a phrase: the boost, 1.0 when there is none or it is not a
    /// number (with a warning at `start`).
    fn boost(&mut self, start: usize) -> f32 {
        match self.modifier('^') {
            None => 1.0,
            Some(s) => s.parse::<f32>().unwrap_or_else(|_| {
                self.warn(start, SyntaxProblem::BadBoost { boost: s.clone() });
                1.0
            }),
        }
    }
}

/// The whitespace-separated words of `query` as plain word atoms, with their 1-based
/// character positions (the `fixed` reading: no syntax at all).
pub(super) fn plain_words(query: &str) -> Vec<(usize, Tok)> {
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

#[cfg(test)]
mod tests {
    use tantivy::query::Occur;

    use crate::analysis::AnalyzerSettings;
    use crate::query::tests::{leaf, occurs, parse};
    use crate::query::{parse_query, LeafKind, ParseOptions, QueryAst};

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
            p.warnings[0].to_string().starts_with("query position 3:"),
            "{:?}",
            p.warnings
        );
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
        // `--dry-run` is the phrase `dry run` (the compound `apt-get` is its parts); `-n`
        // and `-5` are words.
        let apt_get = vec![
            (Occur::Should, leaf(&["apt"])),
            (Occur::Should, leaf(&["get"])),
        ];
        assert_eq!(
            parse("apt-get --dry-run").unwrap().ast.unwrap(),
            QueryAst::Bool(vec![
                (Occur::Should, QueryAst::Bool(apt_get)),
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
            p.warnings[0].to_string(),
            "query position 3: unbalanced quote; read as text"
        );
        assert_eq!(p.warnings.len(), 1);
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
}
