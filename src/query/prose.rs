//! The prose rule: when a query reads as prose, its operator words are words, and its
//! function words are not searched.
//!
//! DESIGN.md section 4: text is text, and syntax is syntax only where the user plainly
//! meant it, by one documented rule. A question, a pasted sentence or an all-capitals
//! title keeps `AND`, `OR` and `NOT` as words and `+`/`-` as text; the lexer asks
//! [`reads_as_prose`] once per query. Its function words (`how`, `do`, `I`, `the`)
//! name no subject, so they are left out ([`without_function_words`]).

use super::lexer::{AtomBody, Tok};

/// The English function words left out of a prose query: NLTK's English stop word list
/// (`nltk.corpus.stopwords.words('english')`, 179 words, the list bm25s calls `en_plus`),
/// less the 29 pieces its tokenizer cuts from contractions (`don`, `t`, `ll`, `won`...),
/// which our analyzer never makes (it keeps `don't` whole), so that a typed `won` or
/// `C AND D`'s `D` is still searched. Sorted, lower case, with `'` as the apostrophe.
///
/// Measured on the three shared collections (BENCHMARKS.md, session 8), whose queries
/// are questions and pasted abstracts: nDCG@10 / MAP rise on all three, with and without
/// `--stopwords english` and `--feedback` (Cranfield 0.5175 / 0.4196 -> 0.5250 / 0.4303 by
/// default). Corpus idf overrates such words when the passages are written in another
/// register than the question (documentation does not say `how do I`): an FAQ's list of
/// questions then outranks the answer.
#[rustfmt::skip]
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing",
    "don't", "down", "during", "each", "few", "for", "from", "further", "had", "hadn't", "has",
    "hasn't", "have", "haven't", "having", "he", "her", "here", "hers", "herself", "him",
    "himself", "his", "how", "i", "if", "in", "into", "is", "isn't", "it", "it's", "its",
    "itself", "just", "me", "mightn't", "more", "most", "mustn't", "my", "myself", "needn't",
    "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "ourselves", "out", "over", "own", "same", "shan't", "she", "she's", "should", "should've",
    "shouldn't", "so", "some", "such", "than", "that", "that'll", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "wasn't", "we", "were", "weren't", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won't",
    "wouldn't", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
    "yourselves",
];

/// True when `word`, as typed, is one of [`FUNCTION_WORDS`], or a contraction of one
/// (`what's`, `I'm`, `they're`, `we've`, `I'll`, `I'd`): compared in lower case with `’`
/// read as `'`, after sentence punctuation, quotes and brackets around it are trimmed
/// (`How`, `(the`, `it's,`); `-a` and `a*` are not.
pub(crate) fn is_function_word(word: &str) -> bool {
    let trimmed = word.trim_matches(|c: char| {
        matches!(
            c,
            ',' | ';'
                | '.'
                | '?'
                | '!'
                | ':'
                | '"'
                | '\''
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '«'
                | '»'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '¿'
                | '¡'
        )
    });
    if trimmed.is_empty() || trimmed.chars().nth(12).is_some() {
        return false;
    }
    let key = trimmed.to_lowercase().replace('’', "'");
    let listed = |w: &str| FUNCTION_WORDS.binary_search(&w).is_ok();
    listed(&key)
        || key.split_once('\'').is_some_and(|(head, tail)| {
            matches!(tail, "s" | "m" | "re" | "ve" | "ll" | "d") && listed(head)
        })
}

/// `toks` (of `query`, which reads as prose) without its plain words that are function
/// words ([`is_function_word`]), unless nothing else with a letter or digit would be
/// left (`To be, or not to be?` is searched whole). A word with syntax (a field, a boost,
/// a sign) is kept, and so are quoted phrases; in a query in capitals, so are one-letter
/// words (`VITAMIN A`, `WORLD WAR I`).
pub(super) fn without_function_words(toks: Vec<(usize, Tok)>, query: &str) -> Vec<(usize, Tok)> {
    let capitals = all_capitals(query);
    let droppable = |t: &Tok| match t {
        Tok::Atom {
            body: AtomBody::Word(w),
            ..
        } if !t.is_syntax() => is_function_word(w) && !(capitals && w.chars().nth(1).is_none()),
        _ => false,
    };
    let content = toks.iter().any(|(_, t)| {
        !droppable(t)
            && matches!(t, Tok::Atom { body, .. } if body.text().chars().any(char::is_alphanumeric))
    });
    if !content {
        return toks;
    }
    toks.into_iter().filter(|(_, t)| !droppable(t)).collect()
}

/// True when `query` reads as prose rather than as query syntax: it has letters and none
/// of them is lower-case (an all-capitals title or question), or it has sentence
/// punctuation (`,` `;` `.` `?` `!` followed by a space or ending the query) outside
/// quotes. In such a query `AND`, `OR`, `NOT`, `&&`, `||` are words and `+`/`-` are
/// text; quotes, parentheses, `field:`, `^`, `*` and `~` keep their meaning.
pub fn reads_as_prose(query: &str) -> bool {
    all_capitals(query) || sentence_punctuation(query)
}

/// True when `query` has letters in capitals and none in lower case.
fn all_capitals(query: &str) -> bool {
    query.chars().any(char::is_uppercase) && !query.chars().any(char::is_lowercase)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
