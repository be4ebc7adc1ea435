//! Answers that fit a context window: hits kept, in rank order, until their passage
//! text reaches a budget of characters ([`super::QueryRequest::max_total_chars`]).
//!
//! The text counted is each hit's `text` and the `text` of its context passages, in
//! characters (Unicode scalar values, as `str::chars` counts them). A hit whose text
//! does not fit in what is left is trimmed to a snippet window around its highlights
//! ([`crate::highlight::snippet`]) when it is the first hit, or when at least
//! [`MIN_TRIMMED_CHARS`] are left; otherwise the answer ends before it.

use std::ops::Range;

use super::hit::Hit;
use crate::highlight::snippet;

/// The fewest characters a trimmed hit may keep, unless it is the only hit: a shorter
/// window rarely holds a whole sentence around the match.
pub const MIN_TRIMMED_CHARS: usize = 80;

/// The first hits of `hits` whose passage text (with their context passages') adds up
/// to at most `max_chars` characters; the last one kept may be trimmed (its
/// [`Hit::trimmed`] set, its context dropped). At least one hit is kept when `hits` is
/// not empty, trimmed to `max_chars` (at least 1) characters if need be. Also returns
/// true when hits were left out or one was trimmed.
pub(crate) fn fit(hits: Vec<Hit>, max_chars: usize) -> (Vec<Hit>, bool) {
    let max_chars = max_chars.max(1);
    let total = hits.len();
    let (mut used, mut trimmed) = (0usize, false);
    let mut kept = Vec::with_capacity(total);
    for mut hit in hits {
        let cost = chars_of(&hit);
        if used + cost <= max_chars {
            used += cost;
            kept.push(hit);
            continue;
        }
        let left = max_chars - used;
        if kept.is_empty() || left >= MIN_TRIMMED_CHARS {
            trim(&mut hit, left);
            kept.push(hit);
            trimmed = true;
        }
        break;
    }
    let cut = trimmed || kept.len() < total;
    (kept, cut)
}

/// Characters of `hit`'s text and of its context passages' texts.
fn chars_of(hit: &Hit) -> usize {
    let context = hit.context_before.iter().chain(&hit.context_after);
    hit.text.chars().count() + context.map(|h| h.text.chars().count()).sum::<usize>()
}

/// Trims `hit`'s text to a window of at most `max_chars` characters around its
/// highlights, keeping the highlights inside it (clipped to it, shifted to the new
/// text), and drops its context passages. A text that fits is kept whole (only the
/// context is dropped).
fn trim(hit: &mut Hit, max_chars: usize) {
    hit.context_before.clear();
    hit.context_after.clear();
    if hit.text.chars().count() <= max_chars {
        return;
    }
    let window = snippet(&hit.text, &hit.highlights, max_chars);
    hit.highlights = clip(&hit.highlights, &window.range);
    hit.text = hit.text[window.range.clone()].to_owned();
    hit.trimmed = Some(window);
}

/// The parts of `highlights` inside `window`, as byte ranges relative to its start
/// (empty parts dropped).
fn clip(highlights: &[Range<usize>], window: &Range<usize>) -> Vec<Range<usize>> {
    highlights
        .iter()
        .map(|h| h.start.max(window.start)..h.end.min(window.end))
        .filter(|h| h.start < h.end)
        .map(|h| h.start - window.start..h.end - window.start)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, word: &str) -> Hit {
        let highlights = text
            .match_indices(word)
            .map(|(i, w)| i..i + w.len())
            .collect();
        Hit {
            text: text.to_owned(),
            highlights,
            ..Hit::default()
        }
    }

    fn texts(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.text.as_str()).collect()
    }

    #[test]
    fn hits_that_fit_are_kept_whole() {
        let hits = vec![hit("aa bb", "bb"), hit("cc bb", "bb"), hit("dd bb", "bb")];
        let (kept, cut) = fit(hits.clone(), 10);
        assert_eq!((texts(&kept), cut), (vec!["aa bb", "cc bb"], true));
        let (kept, cut) = fit(hits, 15);
        assert_eq!((kept.len(), cut), (3, false));
    }

    #[test]
    fn the_first_hit_is_trimmed_around_its_match_in_characters() {
        let text = format!(
            "{}Müller bürgt für Ölförderung.",
            "Ärger über Öl. ".repeat(10)
        );
        let (kept, cut) = fit(vec![hit(&text, "Müller")], 20);
        let h = &kept[0];
        assert!(cut);
        assert!(h.text.chars().count() <= 20, "{:?}", h.text);
        assert_eq!(h.highlights.len(), 1);
        assert_eq!(&h.text[h.highlights[0].clone()], "Müller");
        let window = h.trimmed.clone().unwrap();
        assert!(window.cut_before && window.cut_after);
        assert_eq!(&text[window.range], h.text);
    }

    #[test]
    fn a_small_remainder_ends_the_answer_and_a_large_one_trims() {
        let long = format!("{}the target {}", "ab cd ".repeat(20), "ef gh ".repeat(20));
        let hits = vec![hit("first target", "target"), hit(&long, "target")];
        let (kept, _) = fit(hits.clone(), 12 + MIN_TRIMMED_CHARS - 1);
        assert_eq!(kept.len(), 1);
        let (kept, _) = fit(hits, 12 + MIN_TRIMMED_CHARS);
        assert_eq!(kept.len(), 2);
        assert!(kept[1].trimmed.is_some());
        assert!(kept[1].text.chars().count() <= MIN_TRIMMED_CHARS);
        assert_eq!(&kept[1].text[kept[1].highlights[0].clone()], "target");
    }

    #[test]
    fn context_passages_count_and_a_trimmed_hit_loses_them() {
        let mut h = hit("abc target", "target");
        h.context_after = vec![hit("0123456789", "")];
        let (kept, cut) = fit(vec![h.clone()], 20);
        assert_eq!((kept[0].context_after.len(), cut), (1, false));
        let (kept, cut) = fit(vec![h], 15);
        assert_eq!((kept[0].context_after.len(), cut), (0, true));
        assert_eq!(kept[0].text, "abc target");
    }

    #[test]
    fn highlights_cut_by_the_window_are_clipped() {
        assert_eq!(clip(&[0..4, 6..10, 12..14], &(2..8)), vec![0..2, 4..6]);
    }
}
