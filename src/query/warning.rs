//! Problems the lenient parser worked around, as data: what was wrong, where, and what
//! was done instead.

use std::fmt;

/// Something in a query that was not valid syntax, and was read otherwise or ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyntaxProblem {
    /// `name:value` with a name that is not a field; searched as text.
    UnknownField {
        /// The name before the colon.
        name: String,
    },
    /// A quote with no closing one; read as text.
    UnbalancedQuote,
    /// `"phrase"~N` with an `N` that is not a whole number; ignored.
    BadSlop {
        /// What followed the `~`.
        slop: String,
    },
    /// A sign or field with no word after it; ignored.
    NothingAfterOperator,
    /// `word^N` or `"phrase"^N` with an `N` that is not a number; ignored.
    BadBoost {
        /// What followed the `^`.
        boost: String,
    },
    /// A `)` with no `(` before it; ignored.
    UnmatchedParen,
    /// A `(` never closed; closed at the end.
    UnclosedParen,
    /// More than [`super::MAX_TWO_EDIT_WORDS`] distinct words within two edits; this one
    /// was searched within one.
    TooManyTwoEditWords {
        /// The word, as written before `~2`.
        word: String,
    },
}

impl SyntaxProblem {
    /// What is wrong, in lower case (a strict parse fails with this).
    pub fn what(&self) -> String {
        match self {
            SyntaxProblem::UnknownField { name } => {
                format!("unknown field `{name}` (known: text or body, heading or title)")
            }
            SyntaxProblem::UnbalancedQuote => "unbalanced quote".into(),
            SyntaxProblem::BadSlop { slop } => format!("slop `~{slop}` is not a whole number"),
            SyntaxProblem::NothingAfterOperator => "operator with nothing after it".into(),
            SyntaxProblem::BadBoost { boost } => format!("boost `^{boost}` is not a number"),
            SyntaxProblem::UnmatchedParen => "unmatched `)`".into(),
            SyntaxProblem::UnclosedParen => "unclosed parenthesis".into(),
            SyntaxProblem::TooManyTwoEditWords { .. } => format!(
                "more than {} words within two edits (`~2`)",
                super::MAX_TWO_EDIT_WORDS
            ),
        }
    }

    /// What the lenient parser did instead, in lower case.
    pub fn instead(&self) -> String {
        match self {
            SyntaxProblem::UnknownField { .. } => "searched as text".into(),
            SyntaxProblem::UnbalancedQuote => "read as text".into(),
            SyntaxProblem::UnclosedParen => "closed at the end".into(),
            SyntaxProblem::TooManyTwoEditWords { word } => {
                format!("`{word}~2` searched within one")
            }
            SyntaxProblem::BadSlop { .. }
            | SyntaxProblem::NothingAfterOperator
            | SyntaxProblem::BadBoost { .. }
            | SyntaxProblem::UnmatchedParen => "ignored".into(),
        }
    }
}

impl fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.what(), self.instead())
    }
}

/// A [`SyntaxProblem`] at a 1-based character position of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxWarning {
    /// 1-based character position in the query.
    pub position: usize,
    /// What was wrong and what was done.
    pub problem: SyntaxProblem,
}

impl fmt::Display for SyntaxWarning {
    /// `query position N: what; instead`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query position {}: {}", self.position, self.problem)
    }
}
