//! The query language: a lenient parser from query text to a syntax tree.
//!
//! Tantivy's own `QueryParser` rejects much of what people type (`Ukraine's` opens a
//! quoted phrase, `12:30` names an unknown field), so we parse the query ourselves into a
//! small syntax tree ([`QueryAst`]). Search compiles the tree into Tantivy queries
//! (`search::compile`), and the highlighter marks exactly what each positive clause can
//! match; this module knows neither, so the parsed query flows one way, into both.
//!
//! Syntax (Tantivy's and Lucene's): words; `"phrases"` and `"phrases"~N` (slop);
//! `+required` and `-excluded`; `AND`, `OR`, `NOT`; parentheses; `field:value` for the
//! fields `text` and `heading`; `word^2.5` and `"phrase"^2` boosts; `prefix*`; and
//! `word~1`, `word~2` for fuzzy matching (Damerau-Levenshtein distance). Words combine
//! with OR by default (AND with [`ParseOptions::all`]). In a query that reads as prose
//! ([`reads_as_prose`]) operator words are words.
//!
//! A word is analyzed with the index's analyzer; when it yields several tokens
//! (`US-Russia`, `12:30`, a run of CJK characters) it becomes a phrase of them.
//! Problems (unbalanced quotes or parentheses, a lone operator, an unknown field) are
//! warnings naming the 1-based character position: what is valid still runs. With
//! [`ParseOptions::strict`] the first problem is an error instead.
//!
//! The files: `lexer` (characters to tokens), `prose` (the prose rule), `parser` (tokens
//! to the tree, with analysis of each word), `ast` (the tree and the pure functions over
//! it).

mod ast;
mod lexer;
mod parser;
mod prose;
mod warning;

use tantivy::tokenizer::TextAnalyzer;

pub(crate) use ast::simplify;
pub use ast::{FieldSel, LeafKind, QueryAst};
pub use prose::reads_as_prose;
pub use warning::{SyntaxProblem, SyntaxWarning};

use crate::error::{Error, Result};

/// The longest query accepted, in characters: a pasted text of up to about 1 MB runs
/// (its cost is bounded by search's clause budget, `search::budget::MAX_CLAUSES`, not by
/// its length).
pub const MAX_QUERY_CHARS: usize = 1_000_000;

/// The deepest nesting of parentheses accepted.
pub const MAX_DEPTH: usize = 100;

/// The most distinct words of one query searched within two edits (`word~2`); further ones
/// are searched within one edit, with a warning. Each costs a Levenshtein automaton of 30
/// to 75 ms (found by the `cost` fuzz target: 100 such words took 2.9 s), where a one-edit
/// word costs too little to measure. See: issue 16.
pub const MAX_TWO_EDIT_WORDS: usize = 5;

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
    /// Search the function words of a query that reads as prose too (English ones:
    /// `how`, `do`, `I`, `the`; NLTK's list, see README "How a query is read"). By
    /// default false: they are left out. Search sets it for an index whose stemmer is
    /// not English.
    pub keep_function_words: bool,
}

/// A parsed query with the warnings met while parsing it.
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    /// The syntax tree; `None` when nothing searchable remained.
    pub ast: Option<QueryAst>,
    /// Problems found, each at a 1-based character position, in position order.
    pub warnings: Vec<SyntaxWarning>,
    /// The pieces of the query read as syntax (operators, signs, quotes, parentheses,
    /// fields, boosts, prefixes, fuzzy terms), each with its 1-based character position;
    /// empty for a query of plain words.
    pub syntax: Vec<(usize, String)>,
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
    let prose = prose::reads_as_prose(query);
    let (tokens, lex_warnings, syntax) = if options.fixed {
        (lexer::plain_words(query), Vec::new(), Vec::new())
    } else {
        lexer::Lexer::new(query, prose).run()
    };
    let tokens = match prose && !options.keep_function_words {
        true => prose::without_function_words(tokens, query),
        false => tokens,
    };
    let (clauses, mut warnings) = parser::parse(tokens, lex_warnings, analyzer, options)?;
    warnings.sort_by_key(|(pos, _)| *pos);
    if options.strict {
        if let Some((position, problem)) = warnings.first() {
            // Without what the lenient parser would have done instead (`; read as text`):
            // a strict query does not run.
            return Err(Error::QueryParse {
                position: *position,
                message: problem.what(),
            });
        }
    }
    let warnings: Vec<SyntaxWarning> = warnings
        .into_iter()
        .map(|(position, problem)| SyntaxWarning { position, problem })
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::AnalyzerSettings;
    use tantivy::query::Occur;

    /// `q` parsed with the default analyzer and options, but every word searched (the
    /// syntax tests are about operators, not function words).
    pub(crate) fn parse(q: &str) -> Result<ParsedQuery> {
        parse_query(
            q,
            &mut AnalyzerSettings::default().build(),
            ParseOptions {
                keep_function_words: true,
                ..Default::default()
            },
        )
    }

    /// The tokens of the leaves of `q` parsed with the default options, in order.
    fn searched(q: &str) -> Vec<String> {
        let p = parse_query(
            q,
            &mut AnalyzerSettings::default().build(),
            ParseOptions::default(),
        );
        p.unwrap()
            .ast
            .unwrap()
            .positive_leaves()
            .into_iter()
            .flat_map(|(_, k)| match k {
                LeafKind::Phrase { tokens, .. } => tokens.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn function_words_of_prose_are_left_out_unless_nothing_else_is_left() {
        assert_eq!(
            searched("How do I undo the last commit but keep my changes?"),
            ["undo", "last", "commit", "keep", "chang"]
        );
        // Not prose: every word counts.
        assert_eq!(searched("the who"), ["the", "who"]);
        // Prose of function words only: searched whole.
        assert_eq!(
            searched("To be, or not to be?"),
            ["to", "be", "or", "not", "to", "be"]
        );
        // Quoted, with syntax, or not a word as typed (`-a`): kept.
        assert_eq!(
            searched("What does the -a flag do in \"what if\"? (heading:how)"),
            ["a", "flag", "what", "if", "how"]
        );
        // A compound with function words is a phrase of all its words.
        assert_eq!(
            searched("Is it state-of-the-art?"),
            ["state", "of", "the", "art"]
        );
        // Contractions of function words, curly apostrophes.
        assert_eq!(
            searched("What's the fix? I’m sure they’re shouldn’t wait."),
            ["fix", "sure", "wait"]
        );
        // In capitals, one-letter words stay: `A` and `I` name things there.
        assert_eq!(searched("WAR AND PEACE"), ["war", "peac"]);
        assert_eq!(searched("VITAMIN A OR B"), ["vitamin", "a", "b"]);
        assert!(prose::FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    /// A phrase leaf of `tokens` (one token: a term) on the default field.
    pub(super) fn leaf(tokens: &[&str]) -> QueryAst {
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

    /// The occur of each top-level clause of `q` (a single leaf: `Should`).
    pub(super) fn occurs(q: &str) -> Vec<Occur> {
        match parse(q).unwrap().ast.unwrap() {
            QueryAst::Bool(cs) => cs.iter().map(|(o, _)| *o).collect(),
            QueryAst::Leaf { .. } => vec![Occur::Should],
        }
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
    fn empty_and_punctuation_only() {
        assert!(matches!(parse("  "), Err(Error::EmptyQuery(_))));
        assert!(matches!(parse("!!! ..."), Err(Error::EmptyQuery(_))));
    }
}
