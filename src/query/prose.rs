//! The prose rule: when a query reads as prose, its operator words are words.
//!
//! DESIGN.md section 4: text is text, and syntax is syntax only where the user plainly
//! meant it, by one documented rule. A question, a pasted sentence or an all-capitals
//! title keeps `AND`, `OR` and `NOT` as words and `+`/`-` as text; the lexer asks
//! [`reads_as_prose`] once per query.

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
