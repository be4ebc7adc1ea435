//! Fuzzy (`word~N`) and prefix (`word*`) leaves expanded into the index terms they match,
//! comparing the words as written, not their stems.
//!
//! The index holds stems (`security` is `secur`), but a user compares the word they typed
//! with the words they read: `securty~1` should find `security`, `Zelenskyy~1` should find
//! `Zelensky` (stem `zelenski`), `treaty*` should find `treaties` (stem `treati`). So a
//! fuzzy leaf matches every indexed term that is the stem of some word within N edits of
//! the typed word (normalised, lower-cased and folded as the analyzer does, unstemmed),
//! plus what Tantivy's fuzzy automaton finds around the typed word's stem (what the leaf
//! matched before); a prefix leaf matches every indexed term that starts with the typed
//! prefix, plus the indexed stems of the prefix completed by up to
//! [`PREFIX_COMPLETION_CHARS`] characters (`securi*` reaches `secur` through `security`).
//!
//! The edit neighbourhood is generated in full: every string reachable from the word by
//! at most N insertions, deletions, substitutions or transpositions of adjacent characters
//! (the Damerau-Levenshtein distance), over an [`alphabet`] of `a-z`, `0-9` and the word's
//! own characters (for a word outside ASCII, also the characters of the indexed terms
//! that share its first character). Each string is stemmed with the index's stemmer and
//! kept when its stem is an indexed term. An ASCII word of [`WALK_MIN_CHARS`] or more
//! within 2 edits instead walks the term dictionary (`Near`): only the strings that an
//! indexed term can be the stem of are stemmed. A word outside ASCII over
//! [`MAX_TWO_EDIT_CHARS`] characters is compared within 1 edit. BENCHMARKS.md records
//! the costs.
//!
//! The expansion is an explicit list of terms, most frequent first; the query scores the
//! first [`MAX_SCORED_TERMS`] of them by BM25 as a disjunction, and matches the rest
//! without score.

use std::collections::HashMap;

use rustc_hash::FxHashSet;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::{Field, Term};

use crate::analysis::CachedStemmer;
use crate::error::{Error, Result};
use crate::index::Fields;
use crate::query::{FieldSel, LeafKind, QueryAst};

/// The most terms of one expansion scored by BM25 (the most frequent ones, the typed
/// word's own stem first); further terms match with a score of 0.
pub const MAX_SCORED_TERMS: usize = 50;

/// A typed word outside ASCII longer than this many characters is compared as written
/// within 1 edit only (and within 2 edits through its stem, as Tantivy's fuzzy query does): its 2-edit
/// neighbourhood would cost over a second to stem and look up.
pub const MAX_TWO_EDIT_CHARS: usize = 12;

/// The most characters a stem is taken to add after the longest prefix it shares with
/// its word (`i` for `y` in `treaties`, `le` for `iti` in `stability`): see `Near`.
pub const MAX_ADDED_CHARS: u8 = 2;

/// The most characters a word is taken to have after the longest prefix it shares with
/// its stem (`ity` of `security`, `ies` of `treaties`): see `Near`.
pub const MAX_STRIPPED_CHARS: usize = 5;

/// A word of at least this many bytes (ASCII) within 2 edits walks the term dictionary
/// (`Near`); a shorter one, or 1 edit, generates its neighbourhood, which costs less.
pub const WALK_MIN_CHARS: usize = 8;

/// A prefix `p*` also matches the indexed stems of `p` followed by up to this many
/// characters of its [`alphabet`].
pub const PREFIX_COMPLETION_CHARS: usize = 2;

/// The characters edits may insert or substitute into `word`: `a-z`, `0-9` and the
/// characters of `word`, sorted and without repeats.
pub fn alphabet(word: &str) -> Vec<char> {
    let mut chars: Vec<char> = ('a'..='z').chain('0'..='9').chain(word.chars()).collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// Every string within `distance` edits of `word` (insertions, deletions, substitutions
/// and transpositions of adjacent characters, each counting 1), `word` included, with
/// insertions and substitutions drawn from `alphabet`.
pub fn neighbourhood(word: &str, distance: u8, alphabet: &[char]) -> FxHashSet<String> {
    let mut all: FxHashSet<String> = FxHashSet::default();
    all.insert(word.to_owned());
    let mut frontier = vec![word.to_owned()];
    for _ in 0..distance {
        let mut next = Vec::new();
        for w in &frontier {
            one_edit(w, alphabet, |v| {
                if !all.contains(v) {
                    all.insert(v.to_owned());
                    next.push(v.to_owned());
                }
            });
        }
        frontier = next;
    }
    all
}

/// Calls `emit` with each string one edit away from `word` (with repeats).
fn one_edit(word: &str, alphabet: &[char], mut emit: impl FnMut(&str)) {
    let chars: Vec<char> = word.chars().collect();
    let mut buf = String::with_capacity(word.len() + 4);
    let build = |parts: &[&[char]], buf: &mut String| {
        buf.clear();
        for p in parts {
            buf.extend(p.iter());
        }
    };
    for i in 0..=chars.len() {
        let (head, tail) = chars.split_at(i);
        for &c in alphabet {
            build(&[head, &[c], tail], &mut buf);
            emit(&buf);
        }
        if let Some((&here, rest)) = tail.split_first() {
            build(&[head, rest], &mut buf);
            emit(&buf);
            for &c in alphabet.iter().filter(|&&c| c != here) {
                build(&[head, &[c], rest], &mut buf);
                emit(&buf);
            }
            if let Some((&next, rest2)) = rest.split_first() {
                if next != here {
                    build(&[head, &[next, here], rest2], &mut buf);
                    emit(&buf);
                }
            }
        }
    }
}

/// `prefix` followed by every string of up to `max_chars` characters of `alphabet`,
/// `prefix` itself included.
pub fn completions(prefix: &str, alphabet: &[char], max_chars: usize) -> Vec<String> {
    let mut out = vec![prefix.to_owned()];
    let mut level = vec![prefix.to_owned()];
    for _ in 0..max_chars {
        let mut next = Vec::with_capacity(level.len() * alphabet.len());
        for w in &level {
            for &c in alphabet {
                let mut v = String::with_capacity(w.len() + c.len_utf8());
                v.push_str(w);
                v.push(c);
                next.push(v);
            }
        }
        out.extend(next.iter().cloned());
        level = next;
    }
    out
}

/// An automaton over the bytes of indexed terms that compares them with the bytes of
/// `w` by optimal string alignment (edits, transpositions of adjacent bytes), one row of
/// the dynamic programme per byte read.
///
/// A prefix is *alive* while some prefix of `w` is within `n` edits of it. A word `u`
/// within `n` edits of `w` whose stem `s` is indexed shares a prefix `q` with `s`; `q`
/// is alive (a prefix of `u`), so `s` is `q` followed by at most `slack` characters when
/// the stemmer adds at most that many ([`MAX_ADDED_CHARS`]): the automaton matches
/// every term that is alive, or dead for at most `slack` bytes. Each alive prefix of a
/// matched term, followed by up to [`MAX_STRIPPED_CHARS`] characters, gives the words
/// to stem.
struct Near<'w> {
    w: &'w [u8],
    n: u8,
    slack: u8,
    /// The shortest alive prefix worth extending by `slack` bytes (shorter ones cannot
    /// start a word within `n` edits of `w` that has at most [`MAX_STRIPPED_CHARS`]
    /// more characters).
    min_alive: usize,
}

/// What [`Near::tails`] walks with: the alive prefixes of the matched terms, those
/// terms without up to `slack` bytes at their end, the bytes to add.
struct Walk<'a> {
    alive: &'a HashMap<Vec<u8>, NearState>,
    bases: &'a FxHashSet<Vec<u8>>,
    alphabet: &'a [u8],
}

/// A state of `Near`.
#[derive(Clone)]
enum NearState {
    /// The last two rows and the last byte read.
    Alive {
        prev: Vec<u8>,
        row: Vec<u8>,
        last: Option<u8>,
    },
    /// Bytes read since the prefix died.
    Dead(u8),
}

impl Near<'_> {
    fn alive(&self, s: &NearState) -> bool {
        matches!(s, NearState::Alive { .. })
    }

    /// Within `n` edits of the whole of `w`.
    fn complete(&self, s: &NearState) -> bool {
        match s {
            NearState::Alive { row, .. } => row[self.w.len()] <= self.n,
            NearState::Dead(_) => false,
        }
    }

    /// Calls the words `buf` followed by up to [`MAX_STRIPPED_CHARS`] - `depth` bytes of
    /// `alphabet` that are within `n` edits of `w`, pushing them to `out`; the first
    /// byte added leaves `alive` (a longer alive prefix enumerates those words).
    fn tails(
        &self,
        walk: &Walk<'_>,
        state: &NearState,
        buf: &mut Vec<u8>,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        // The stem of a word from here shares with it a prefix of `p` (`buf` without the
        // `depth` bytes added) no more than MAX_STRIPPED_CHARS shorter than the word.
        let p = buf.len() - depth;
        let lo = buf.len().saturating_sub(MAX_STRIPPED_CHARS);
        if !(lo..=p).any(|k| walk.bases.contains(&buf[..k])) {
            return;
        }
        if self.complete(state) {
            out.push(String::from_utf8_lossy(buf).into_owned());
        }
        if depth == MAX_STRIPPED_CHARS {
            return;
        }
        let left = MAX_STRIPPED_CHARS - depth - 1;
        for &c in walk.alphabet {
            buf.push(c);
            if depth > 0 || !walk.alive.contains_key(buf.as_slice()) {
                let next = self.accept(state, c);
                if let NearState::Alive { row, .. } = &next {
                    // Can `w` still be reached within `left` more bytes?
                    let reach = row.iter().enumerate().any(|(j, &d)| {
                        usize::from(d) + (self.w.len() - j).saturating_sub(left)
                            <= usize::from(self.n)
                    });
                    if reach {
                        self.tails(walk, &next, buf, depth + 1, out);
                    }
                }
            }
            buf.pop();
        }
    }
}

impl tantivy_fst::Automaton for &Near<'_> {
    type State = NearState;

    fn start(&self) -> NearState {
        let row: Vec<u8> = (0..=self.w.len()).map(|j| j.min(255) as u8).collect();
        NearState::Alive {
            prev: row.clone(),
            row,
            last: None,
        }
    }

    fn is_match(&self, s: &NearState) -> bool {
        self.can_match(s)
    }

    fn can_match(&self, s: &NearState) -> bool {
        match s {
            NearState::Alive { .. } => true,
            NearState::Dead(k) => *k <= self.slack,
        }
    }

    fn accept(&self, s: &NearState, b: u8) -> NearState {
        Near::accept(self, s, b)
    }
}

impl Near<'_> {
    fn start(&self) -> NearState {
        tantivy_fst::Automaton::start(&self)
    }

    fn accept(&self, s: &NearState, b: u8) -> NearState {
        match s {
            NearState::Dead(k) => NearState::Dead(k.saturating_add(1)),
            NearState::Alive { prev, row, last } => {
                let w = self.w;
                let mut next = Vec::with_capacity(row.len());
                next.push(row[0].saturating_add(1));
                for j in 1..=w.len() {
                    let sub = row[j - 1].saturating_add(u8::from(w[j - 1] != b));
                    let mut d = sub
                        .min(row[j].saturating_add(1))
                        .min(next[j - 1].saturating_add(1));
                    if j >= 2 && *last == Some(w[j - 1]) && w[j - 2] == b {
                        d = d.min(prev[j - 2].saturating_add(1));
                    }
                    next.push(d);
                }
                if next.iter().min().is_some_and(|&m| m <= self.n) {
                    NearState::Alive {
                        prev: row.clone(),
                        row: next,
                        last: Some(b),
                    }
                } else if usize::from(row[0]) < self.min_alive {
                    NearState::Dead(u8::MAX)
                } else {
                    NearState::Dead(1)
                }
            }
        }
    }
}

/// Expands leaves against one index snapshot.
pub(crate) struct Expander<'a> {
    searcher: &'a tantivy::Searcher,
    stemmer: Option<CachedStemmer>,
}

/// Terms with their document frequency (summed over segments).
type Found = HashMap<String, u64>;

impl<'a> Expander<'a> {
    /// An expander over `searcher` stemming with `stemmer` (the index's; `None`: no
    /// stemming).
    pub(crate) fn new(searcher: &'a tantivy::Searcher, stemmer: Option<CachedStemmer>) -> Self {
        Expander { searcher, stemmer }
    }

    /// `ast` with each fuzzy and prefix leaf replaced by the terms it matches.
    ///
    /// # Errors
    /// Tantivy errors reading the term dictionaries.
    pub(crate) fn expand(&self, ast: QueryAst, fields: &Fields) -> Result<QueryAst> {
        Ok(match ast {
            QueryAst::Leaf { field, kind, boost } => {
                let target = match field {
                    FieldSel::Default | FieldSel::Text => fields.body,
                    FieldSel::Heading => fields.heading,
                };
                let kind = match kind {
                    LeafKind::Fuzzy {
                        token,
                        distance,
                        word,
                    } => LeafKind::Terms {
                        terms: self.fuzzy(target, &word, &token, distance)?,
                    },
                    LeafKind::Prefix { prefix, stem } => LeafKind::Terms {
                        terms: self.prefix(target, &prefix, stem.as_deref())?,
                    },
                    other => other,
                };
                QueryAst::Leaf { field, kind, boost }
            }
            QueryAst::Bool(cs) => QueryAst::Bool(
                cs.into_iter()
                    .map(|(o, c)| Ok((o, self.expand(c, fields)?)))
                    .collect::<Result<_>>()?,
            ),
        })
    }

    /// The indexed terms of `field` that are the stem of a word within `distance` edits
    /// of `word`, or within `distance` edits of `stem` (the analyzed `word`), most
    /// frequent first with `stem` leading.
    pub(crate) fn fuzzy(
        &self,
        field: Field,
        word: &str,
        stem: &str,
        distance: u8,
    ) -> Result<Vec<String>> {
        let mut found = Found::new();
        // What Tantivy's fuzzy query finds around the stem.
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let automaton = FuzzyTermQuery::new(Term::from_field_text(field, stem), distance, true)
                .automaton()?;
            let mut stream = inv
                .terms()
                .search(automaton)
                .into_stream()
                .map_err(|e| Error::Index(e.into()))?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *found.entry(t.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        if !word.is_ascii() || distance < 2 || word.len() < WALK_MIN_CHARS {
            // The walk compares bytes: a word outside ASCII takes the full neighbourhood,
            // within 1 edit only past MAX_TWO_EDIT_CHARS characters; so do 1 edit and
            // short words, whose neighbourhood costs less than the walk.
            let alphabet = self.alphabet(field, word)?;
            let words_distance = if word.chars().count() > MAX_TWO_EDIT_CHARS {
                distance.min(1)
            } else {
                distance
            };
            let words = neighbourhood(word, words_distance, &alphabet);
            self.add_stems(field, words.iter().map(String::as_str), &mut found)?;
        } else {
            let words = self.near_words(field, word, distance)?;
            self.add_stems(field, words.iter().map(String::as_str), &mut found)?;
        }
        Ok(ranked(found, Some(stem)))
    }

    /// The indexed terms of `field` starting with `prefix`, or that are the stem of
    /// `prefix` completed by up to [`PREFIX_COMPLETION_CHARS`] characters, or `stem`;
    /// most frequent first.
    pub(crate) fn prefix(
        &self,
        field: Field,
        prefix: &str,
        stem: Option<&str>,
    ) -> Result<Vec<String>> {
        let mut found = Found::new();
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(|e| Error::Index(e.into()))?;
            while stream.advance() {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *found.entry(t.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let alphabet = self.alphabet(field, prefix)?;
        let words = completions(prefix, &alphabet, PREFIX_COMPLETION_CHARS);
        let extra = stem.into_iter().chain(words.iter().map(String::as_str));
        self.add_stems(field, extra, &mut found)?;
        Ok(ranked(found, stem.or(Some(prefix))))
    }

    /// [`alphabet`] of `word`, with, for a word outside ASCII, the characters of the
    /// indexed terms of `field` that start with its first character.
    fn alphabet(&self, field: Field, word: &str) -> Result<Vec<char>> {
        let mut chars = alphabet(word);
        if word.is_ascii() {
            return Ok(chars);
        }
        let Some(first) = word.chars().next() else {
            return Ok(chars);
        };
        let mut buf = [0u8; 4];
        let lo = first.encode_utf8(&mut buf).as_bytes().to_vec();
        let hi = char::from_u32(first as u32 + 1).map(|c| c.to_string().into_bytes());
        let mut extra: FxHashSet<char> = FxHashSet::default();
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let mut range = inv.terms().range().ge(&lo);
            if let Some(hi) = &hi {
                range = range.lt(hi);
            }
            let mut stream = range.into_stream().map_err(|e| Error::Index(e.into()))?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    extra.extend(t.chars());
                }
            }
        }
        chars.extend(extra);
        chars.sort_unstable();
        chars.dedup();
        Ok(chars)
    }

    /// The words within `distance` edits of the ASCII `word` whose stem can be an indexed
    /// term of `field`: each is an alive prefix `p` of an indexed term (see `Near`)
    /// followed by at most [`MAX_STRIPPED_CHARS`] characters of [`alphabet`].
    fn near_words(&self, field: Field, word: &str, distance: u8) -> Result<Vec<String>> {
        let near = Near {
            w: word.as_bytes(),
            n: distance,
            slack: MAX_ADDED_CHARS,
            min_alive: word
                .len()
                .saturating_sub(MAX_STRIPPED_CHARS + usize::from(distance)),
        };
        // Alive prefixes of the terms the automaton streams, with their states.
        let mut alive: HashMap<Vec<u8>, NearState> = HashMap::new();
        // The prefixes a stem can share with its word: each matched term without up to
        // `slack` bytes at its end.
        let mut bases: FxHashSet<Vec<u8>> = FxHashSet::default();
        for seg in self.searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv
                .terms()
                .search(&near)
                .into_stream()
                .map_err(|e| Error::Index(e.into()))?;
            while stream.advance() {
                let key = stream.key();
                for m in 0..=usize::from(near.slack).min(key.len()) {
                    if !bases.contains(&key[..key.len() - m]) {
                        bases.insert(key[..key.len() - m].to_vec());
                    }
                }
                let mut state = near.start();
                for i in 0..=key.len() {
                    if !near.alive(&state) {
                        break;
                    }
                    if i >= near.min_alive && !alive.contains_key(&key[..i]) {
                        alive.insert(key[..i].to_vec(), state.clone());
                    }
                    if i < key.len() {
                        state = near.accept(&state, key[i]);
                    }
                }
            }
        }
        let alphabet: Vec<u8> = alphabet(word).into_iter().map(|c| c as u8).collect();
        let mut out = Vec::new();
        let mut buf = Vec::new();
        for (p, state) in &alive {
            buf.clear();
            buf.extend_from_slice(p);
            let walk = Walk {
                alive: &alive,
                bases: &bases,
                alphabet: &alphabet,
            };
            near.tails(&walk, state, &mut buf, 0, &mut out);
        }
        Ok(out)
    }

    /// Adds to `found` the stems of `words` that are indexed terms of `field`.
    fn add_stems<'w>(
        &self,
        field: Field,
        words: impl Iterator<Item = &'w str>,
        found: &mut Found,
    ) -> Result<()> {
        let mut stems: FxHashSet<String> = FxHashSet::default();
        for w in words {
            let stem = match &self.stemmer {
                Some(s) => s.stem_word(w),
                None => std::borrow::Cow::Borrowed(w),
            };
            if !stems.contains(stem.as_ref()) {
                stems.insert(stem.into_owned());
            }
        }
        let readers: Vec<_> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|seg| seg.inverted_index(field))
            .collect::<tantivy::Result<_>>()?;
        for stem in stems {
            if found.contains_key(&stem) {
                continue;
            }
            let mut df = 0u64;
            for inv in &readers {
                let info = inv
                    .terms()
                    .get(stem.as_bytes())
                    .map_err(|e| Error::Index(e.into()))?;
                if let Some(info) = info {
                    df += u64::from(info.doc_freq);
                }
            }
            if df > 0 {
                found.insert(stem, df);
            }
        }
        Ok(())
    }
}

/// The terms of `found`, `first` leading when present, then by document frequency
/// (descending), then in byte order.
fn ranked(found: Found, first: Option<&str>) -> Vec<String> {
    let mut v: Vec<(String, u64)> = found.into_iter().collect();
    v.sort_by(|a, b| {
        let lead = |t: &str| Some(t) != first;
        lead(&a.0)
            .cmp(&lead(&b.0))
            .then(b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    v.into_iter().map(|(t, _)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::edit_distance;

    #[test]
    fn neighbourhood_of_one_edit() {
        let ab = ['a', 'b'];
        let mut n: Vec<String> = neighbourhood("ab", 1, &ab).into_iter().collect();
        n.sort();
        // ab itself; deletions a, b; insertions aab, bab, abb, aba; substitutions bb, aa;
        // the transposition ba.
        assert_eq!(
            n,
            ["a", "aa", "aab", "ab", "aba", "abb", "b", "ba", "bab", "bb"]
        );
    }

    #[test]
    fn neighbourhood_is_every_string_within_the_distance() {
        let ab = alphabet("securty");
        let n2 = neighbourhood("securty", 2, &ab);
        assert!(n2.contains("security") && n2.contains("secrity") && n2.contains("securty"));
        assert!(n2.contains("sceurity"), "transposition plus insertion");
        assert!(!n2.contains("securities"));
        // Brute force over short strings of a small alphabet: exactly those within 2.
        let small = ['a', 'b', 'c'];
        let n = neighbourhood("abc", 2, &small);
        let mut all = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            level = level
                .iter()
                .flat_map(|w| small.iter().map(move |c| format!("{w}{c}")))
                .collect();
            all.extend(level.iter().cloned());
        }
        for w in all {
            // Optimal string alignment (`edit_distance`) never undercounts the edits
            // applied, and counts at most one more for an edit inside a transposed pair.
            let osa = edit_distance(&w, "abc");
            assert_eq!(osa <= 2, osa <= 2 && n.contains(&w), "{w}");
            assert!(!n.contains(&w) || osa <= 3, "{w}");
        }
    }

    #[test]
    fn completions_up_to_two_characters() {
        let c = completions("ab", &['x', 'y'], 2);
        assert_eq!(c.len(), 1 + 2 + 4);
        assert!(c.contains(&"ab".to_owned()) && c.contains(&"abyx".to_owned()));
    }

    #[test]
    fn alphabet_holds_the_word() {
        let a = alphabet("café");
        assert!(a.contains(&'é') && a.contains(&'z') && a.contains(&'7'));
        assert!(a.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ranking_puts_the_stem_first_then_frequency() {
        let found: Found = [
            ("b".into(), 5),
            ("a".into(), 5),
            ("c".into(), 9),
            ("s".into(), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(ranked(found, Some("s")), ["s", "c", "a", "b"]);
    }
}
