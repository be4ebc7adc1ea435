//! The CLI's wording of what the library reports as data: query warnings and the words
//! no passage contains. One line each, lower case, naming the CLI's own flags.

use crate::search::{MissingWord, Warning};

/// Syntax places named in one warning; the rest are `...`.
const PLACES_SHOWN: usize = 3;

/// `warning` as one line for stderr (without the `warning: ` prefix).
pub(crate) fn warning(warning: &Warning) -> String {
    match warning {
        Warning::Syntax { position, problem } => format!("query position {position}: {problem}"),
        Warning::NothingToSearch { empty: true } => "empty query; nothing to search".into(),
        Warning::NothingToSearch { empty: false } => {
            "the query has no searchable words; nothing to search".into()
        }
        Warning::OnlyExcluded => "the query has only excluded terms, so nothing can match".into(),
        Warning::TooManyClauses { total, kept } => format!(
            "the query has {total} distinct words and phrases, more than the {kept} a query \
             may use; searched with the {kept} that weigh most (rarest in the index, times \
             the times written), {} left out",
            total - kept
        ),
        Warning::NoPathMatches { globs } => {
            let globs: Vec<String> = globs.iter().map(|g| format!("`{g}`")).collect();
            format!("no indexed file matches --path {}", globs.join(" "))
        }
        Warning::SyntaxEmptied { places } => {
            let more = if places.len() > PLACES_SHOWN {
                ", ..."
            } else {
                ""
            };
            format!(
                "nothing matched the query read with syntax ({}{more}); its words as plain \
                 text match: search them with -F/--fixed-strings",
                places_list(&places[..places.len().min(PLACES_SHOWN)])
            )
        }
        Warning::FlagExcluded { flags } => format!(
            "{} read as an exclusion, which left out passages that match the rest of the \
             query; to search it as text, quote it or use -F/--fixed-strings",
            places_list(flags)
        ),
    }
}

/// `` `text` at position N ``, comma-separated.
fn places_list(places: &[(usize, String)]) -> String {
    places
        .iter()
        .map(|(pos, text)| format!("`{text}` at position {pos}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A word no passage contains, as one line for stderr (without the `note: ` prefix).
pub(crate) fn missing_word(missing: &MissingWord) -> String {
    let mut msg = format!("no passage contains `{}`", missing.word);
    if !missing.suggestions.is_empty() {
        msg.push_str("; indexed words close to it: ");
        msg.push_str(&missing.suggestions.join(", "));
    }
    msg
}
