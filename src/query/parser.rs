//! The parser: tokens into a [`QueryAst`], analyzing each word with the index's analyzer.
//!
//! Operators bind as in Lucene: `+`/`-` signs and `NOT` set a clause's occur, `AND` and
//! `OR` set the occur of their two neighbours, and what is left gets the default (OR, or
//! AND with [`ParseOptions::all`]). A word the analyzer splits into several tokens is a
//! phrase of them, except a hyphenated compound of words (`non-circular`), whose parts are
//! searched as words, as in Lucene's query parser. A word with no token (punctuation) is
//! dropped.

use tantivy::query::Occur;
use tantivy::tokenizer::TextAnalyzer;

use super::ast::{with_field, FieldSel, LeafKind, QueryAst};
use super::lexer::{AtomBody, Problems, Tok};
use super::prose::is_function_word;
use super::warning::SyntaxProblem;
use super::{ParseOptions, MAX_DEPTH, MAX_TWO_EDIT_WORDS};
use crate::analysis::{analyze, fold_word, AnalyzerSettings};
use crate::error::{Error, Result};

/// Parses `toks` (from the lexer, with 1-based character positions) into the clauses of
/// the query's top-level group, analyzing words with `analyzer`. Returns the clauses and
/// `warnings` with the parser's own added, unsorted.
///
/// # Errors
/// [`Error::QueryParse`] for parentheses nested deeper than [`MAX_DEPTH`].
pub(super) fn parse(
    toks: Vec<(usize, Tok)>,
    warnings: Problems,
    analyzer: &mut TextAnalyzer,
    options: ParseOptions,
) -> Result<(Vec<(Occur, QueryAst)>, Problems)> {
    let mut p = Parser {
        toks,
        i: 0,
        warnings,
        analyzer,
        plain: None,
        options,
        two_edit_words: Vec::new(),
    };
    let clauses = p.sequence(0, false)?;
    Ok((clauses, p.warnings))
}

struct Parser<'a> {
    toks: Vec<(usize, Tok)>,
    i: usize,
    warnings: Problems,
    /// The index's analyzer.
    analyzer: &'a mut TextAnalyzer,
    /// The analyzer without stemming or stop words, built when a fuzzy word first needs it.
    plain: Option<TextAnalyzer>,
    options: ParseOptions,
    /// The distinct words searched within two edits so far (at most [`MAX_TWO_EDIT_WORDS`]).
    two_edit_words: Vec<String>,
}

/// The conjunction written before a clause.
#[derive(Clone, Copy, PartialEq)]
enum Conj {
    None,
    And,
    Or,
}

/// A clause read by [`Parser::sequence`]: its explicit occur (from a sign or `NOT`), the
/// node, the conjunction written before it, and for a hyphenated compound word the leaves
/// of its parts ([`Parser::compound_parts`]).
type Item = (Option<Occur>, QueryAst, Conj, Option<Vec<QueryAst>>);

impl Parser<'_> {
    /// Parses clauses until the end or a `)` closing depth `depth`; `excluded` when they
    /// are inside an excluded group (`-( )`, `NOT ( )`), where a compound word stays a
    /// phrase ([`resolve`]).
    fn sequence(&mut self, depth: usize, excluded: bool) -> Result<Vec<(Occur, QueryAst)>> {
        let mut items: Vec<Item> = Vec::new();
        let mut conj = Conj::None;
        let mut negate_next: Option<usize> = None;
        let open_pos = self.toks.get(self.i.saturating_sub(1)).map_or(1, |t| t.0);
        loop {
            let Some((pos, tok)) = self.toks.get(self.i).cloned() else {
                if depth > 0 {
                    self.warnings.push((open_pos, SyntaxProblem::UnclosedParen));
                }
                break;
            };
            self.i += 1;
            let mut parts = None;
            let (sign, node) = match tok {
                Tok::RParen => {
                    if depth > 0 {
                        break;
                    }
                    self.warnings.push((pos, SyntaxProblem::UnmatchedParen));
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
                    let negated = negate_next.is_some()
                        || matches!(
                            tok,
                            Tok::SignedParen {
                                sign: Some('-'),
                                ..
                            }
                        );
                    self.group(pos, tok, depth, excluded || negated)?
                }
                Tok::Atom {
                    sign,
                    field,
                    body,
                    boost,
                } => {
                    let body = self.within_two_edit_budget(pos, body);
                    let field = field.unwrap_or(FieldSel::Default);
                    parts = self.compound_parts(field, &body, boost);
                    match self.leaf(field, body, boost) {
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
            items.push((occur, node, conj, parts));
            conj = Conj::None;
        }
        let default = if self.options.all {
            Occur::Must
        } else {
            Occur::Should
        };
        Ok(resolve(items, default, excluded))
    }

    /// Parses the group opened by `tok` (`(`, or a sign or field before one) at 1-based
    /// character position `pos`, up to its `)`: the group's sign and its node. `excluded`
    /// when the group is excluded or inside an excluded one.
    ///
    /// # Errors
    /// [`Error::QueryParse`] when the group would nest deeper than [`MAX_DEPTH`].
    fn group(
        &mut self,
        pos: usize,
        tok: Tok,
        depth: usize,
        excluded: bool,
    ) -> Result<(Option<char>, QueryAst)> {
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
        let inner = QueryAst::Bool(self.sequence(depth + 1, excluded)?);
        let inner = match field {
            Some(f) => with_field(inner, f),
            None => inner,
        };
        Ok((sign, inner))
    }

    /// The leaf for `body` searching `field`, analyzed; `None` when nothing of it is
    /// searchable (punctuation only).
    fn leaf(&mut self, field: FieldSel, body: AtomBody, boost: f32) -> Option<QueryAst> {
        let kind = match body {
            AtomBody::Word(w) => self.phrase(&w, 0)?,
            AtomBody::Phrase(p, slop) => self.phrase(&p, slop)?,
            AtomBody::Prefix(w) => {
                let folded = fold_word(&w);
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
                        word: self.unstemmed(&w),
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
        let key = self.unstemmed(&word);
        if self.two_edit_words.contains(&key) || self.two_edit_words.len() < MAX_TWO_EDIT_WORDS {
            if !self.two_edit_words.contains(&key) {
                self.two_edit_words.push(key);
            }
            return AtomBody::Fuzzy(word, 2);
        }
        self.warnings.push((
            pos,
            SyntaxProblem::TooManyTwoEditWords { word: word.clone() },
        ));
        AtomBody::Fuzzy(word, 1)
    }

    /// The leaves of the parts of `body` when it is a hyphenated compound of words:
    /// words joined by single hyphens (`-`, U+2010, U+2011), each of two characters or
    /// more with a letter and none a function word ([`is_function_word`]). So `--dry-run`,
    /// `e-mail`, `UTF-8`, `2024-01-15` and `up-to-date` are not compounds: they stay
    /// phrases, where their parts alone would match too much.
    ///
    /// The parts are searched as words, as Lucene's classic query parser does (its
    /// `autoGeneratePhraseQueries` is off by default): a hyphen is spelling, so passages
    /// that use the words apart (`the flutter of a wing` for `wing-flutter`) still count.
    /// Measured on the shared collections (BENCHMARKS.md, session 8): as words, Cranfield
    /// nDCG@10 0.5128 -> 0.5172, CISI 0.3684 -> 0.3702, CACM flat.
    fn compound_parts(
        &mut self,
        field: FieldSel,
        body: &AtomBody,
        boost: f32,
    ) -> Option<Vec<QueryAst>> {
        let AtomBody::Word(word) = body else {
            return None;
        };
        let pieces: Vec<&str> = word.split(['-', '\u{2010}', '\u{2011}']).collect();
        let is_word = |p: &&str| {
            p.chars().nth(1).is_some() && p.chars().any(char::is_alphabetic) && !is_function_word(p)
        };
        if pieces.len() < 2 || !pieces.iter().all(is_word) {
            return None;
        }
        pieces
            .into_iter()
            .map(|p| self.leaf(field, AtomBody::Word(p.to_string()), boost))
            .collect()
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

    /// The texts of the tokens the index's analyzer makes of `text`.
    fn tokens(&mut self, text: &str) -> Vec<String> {
        analyze(self.analyzer, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    /// `word` analyzed without stemming (normalised, lower-cased, folded), as one string:
    /// its one token, or [`fold_word`] of it when it has several or none.
    fn unstemmed(&mut self, word: &str) -> String {
        let plain = self
            .plain
            .get_or_insert_with(|| AnalyzerSettings::unstemmed().build());
        match analyze(plain, word).as_slice() {
            [one] => one.text.clone(),
            _ => fold_word(word),
        }
    }
}

/// Resolves `AND` and `OR` between neighbours, then gives each clause without an occur
/// `default`. `AND` makes both neighbours required (over an `OR` before it), `OR` makes
/// optional the neighbours that have no occur yet. A compound word's clause becomes a
/// group of its parts, all required when it is required and optional otherwise, but an
/// excluded compound, or any in an excluded group (`excluded`), stays a phrase:
/// `-non-circular` leaves out that word, not every `non`.
fn resolve(items: Vec<Item>, default: Occur, excluded: bool) -> Vec<(Occur, QueryAst)> {
    let mut resolved: Vec<Option<Occur>> = items.iter().map(|(o, ..)| *o).collect();
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
    items
        .into_iter()
        .zip(resolved)
        .map(|((_, node, _, parts), occ)| {
            let occ = occ.unwrap_or(default);
            match parts {
                Some(parts) if occ != Occur::MustNot && !excluded => {
                    let each = if occ == Occur::Must {
                        Occur::Must
                    } else {
                        Occur::Should
                    };
                    (
                        occ,
                        QueryAst::Bool(parts.into_iter().map(|p| (each, p)).collect()),
                    )
                }
                _ => (occ, node),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;
    use crate::query::tests::{leaf, parse};

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
    fn deep_nesting_is_an_error_not_a_crash() {
        let q = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(parse(&q), Err(Error::QueryParse { .. })));
    }

    #[test]
    fn hyphenated_compounds_are_their_parts_but_flags_and_exclusions_are_phrases() {
        let parts = |occ| QueryAst::Bool(vec![(occ, leaf(&["wing"])), (occ, leaf(&["flutter"]))]);
        let p = parse("wing-flutter boundaries").unwrap();
        assert_eq!(
            p.ast.unwrap(),
            QueryAst::Bool(vec![
                (Occur::Should, parts(Occur::Should)),
                (Occur::Should, leaf(&["boundari"]))
            ])
        );
        // The top-level clauses of `q`.
        let clauses = |q: &str| match parse(q).unwrap().ast.unwrap() {
            QueryAst::Bool(cs) => cs,
            other => panic!("{q}: {other:?}"),
        };
        let cs = clauses("+wing\u{2010}flutter boundaries");
        assert_eq!(cs[0], (Occur::Must, parts(Occur::Must)));
        let all = ParseOptions {
            all: true,
            ..Default::default()
        };
        let p = parse_query(
            "wing-flutter",
            &mut AnalyzerSettings::default().build(),
            all,
        );
        assert_eq!(p.unwrap().ast.unwrap(), parts(Occur::Must));
        let cs = clauses("boundaries -wing-flutter");
        assert_eq!(cs[1], (Occur::MustNot, leaf(&["wing", "flutter"])));
        // In an excluded group too.
        for q in [
            "boundaries -(wing-flutter)",
            "boundaries NOT (wing-flutter OR x)",
        ] {
            let cs = clauses(q);
            let excluded = match &cs[1] {
                (Occur::MustNot, QueryAst::Bool(inner)) => &inner[0].1,
                (Occur::MustNot, node) => node,
                other => panic!("{q}: {other:?}"),
            };
            assert_eq!(*excluded, leaf(&["wing", "flutter"]), "{q}");
        }
        for flag in [
            "--dry-run",
            "wing--flutter",
            "wing-",
            "std::vec",
            "e-mail",
            "UTF-8",
            "2024-01-15",
            "up-to-date",
        ] {
            let cs = clauses(&format!("x {flag}"));
            assert!(
                matches!(cs[1].1, QueryAst::Leaf { .. }),
                "{flag}: {:?}",
                cs[1]
            );
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
            p.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["query position 50: more than 5 words within two edits (`~2`); `foxtrot~2` searched within one"]
        );
    }
}
