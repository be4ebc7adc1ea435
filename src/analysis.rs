//! The analyzer: UAX #29 word segmentation plus the filter chain of DESIGN.md section 3.
//!
//! One analyzer serves ingest, query parsing and highlighting, so that highlights never
//! drift from matches. It is a Tantivy [`Tokenizer`] ([`PassageTokenizer`]) followed by
//! Tantivy's own [`AsciiFoldingFilter`] and, when the index asks for it, a Snowball
//! stemmer ([`CachedStemmer`]); it is registered with Tantivy under [`ANALYZER_NAME`].

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The name the analyzer is registered under in every index's tokenizer manager.
pub const ANALYZER_NAME: &str = "passage";

/// The longest token kept, in bytes, before filters run.
///
/// Tantivy drops terms longer than `MAX_TOKEN_LEN` (65 530 bytes) silently; we truncate
/// instead, at a char boundary, and leave room for filters that lengthen a token
/// (lower-casing can grow a character from 2 to 3 bytes, ASCII folding `ß` to `ss`).
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The analyzer settings stored with an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerSettings {
    /// Snowball stemmer language; `None` means no stemming. By default English.
    pub stemmer: Option<Language>,
}

impl Default for AnalyzerSettings {
    fn default() -> Self {
        AnalyzerSettings {
            stemmer: Some(Language::English),
        }
    }
}

impl AnalyzerSettings {
    /// Builds the Tantivy analyzer these settings describe.
    pub fn build(&self) -> TextAnalyzer {
        let builder = TextAnalyzer::builder(PassageTokenizer::default())
            .filter(AsciiFoldingFilter)
            .dynamic();
        match self.stemmer.and_then(CachedStemmer::new) {
            Some(stemmer) => builder.filter_dynamic(stemmer).build(),
            None => builder.build(),
        }
    }
}

/// Parses a stemmer name as given on the command line (`english`, `none`, ...).
///
/// # Errors
/// [`crate::Error::Config`] for an unknown language name.
pub fn parse_stemmer(name: &str) -> crate::Result<Option<Language>> {
    let lang = match name.to_ascii_lowercase().as_str() {
        "none" | "off" => return Ok(None),
        "arabic" => Language::Arabic,
        "danish" => Language::Danish,
        "dutch" => Language::Dutch,
        "english" => Language::English,
        "finnish" => Language::Finnish,
        "french" => Language::French,
        "german" => Language::German,
        "greek" => Language::Greek,
        "hungarian" => Language::Hungarian,
        "italian" => Language::Italian,
        "norwegian" => Language::Norwegian,
        "portuguese" => Language::Portuguese,
        "romanian" => Language::Romanian,
        "russian" => Language::Russian,
        "spanish" => Language::Spanish,
        "swedish" => Language::Swedish,
        "tamil" => Language::Tamil,
        "turkish" => Language::Turkish,
        other => {
            return Err(crate::Error::Config(format!(
                "unknown stemmer `{other}` (use a Snowball language such as `english`, or `none`)"
            )))
        }
    };
    Ok(Some(lang))
}

/// Runs `analyzer` over `text` and returns every token.
///
/// Offsets are byte offsets into `text`, half-open; positions start at 0 and go up by one
/// per token.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

/// Tantivy tokenizer on Unicode word boundaries (UAX #29) with normalisation.
///
/// For each word that holds a letter or digit, it yields one token whose text is the
/// word after: removing soft hyphens and zero-width (non-)joiners, NFKC normalisation,
/// full Unicode lower-casing, mapping typographic apostrophes to `'`, and dropping an
/// English possessive `'s`. Each Han, Hiragana or Katakana character is a token of its
/// own. Offsets are byte offsets into the original text, so they stay right even where
/// normalisation changed a token's length.
#[derive(Clone, Default)]
pub struct PassageTokenizer {
    /// Token buffers reused from call to call (their strings keep their allocations);
    /// only the first `len` are the current text's.
    tokens: Vec<Token>,
    len: usize,
}

/// The token stream of [`PassageTokenizer`].
pub struct PassageTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for PassageTokenizer {
    type TokenStream<'a> = PassageTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PassageTokenStream<'a> {
        self.len = 0;
        tokenize_into(text, &mut self.tokens, &mut self.len);
        PassageTokenStream {
            tokens: &mut self.tokens[..self.len],
            next: 0,
        }
    }
}

impl TokenStream for PassageTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Snowball stemming (the `frostem` stemmer Tantivy's own `Stemmer` uses) with a cache.
///
/// Word frequencies follow Zipf's law, so most tokens of a text were stemmed before;
/// profiling ingest showed Snowball at a fifth of the time. Each analyzer clone (one per
/// indexing thread and field) keeps its own direct-mapped cache of 32 768 inline words.
#[derive(Clone)]
pub struct CachedStemmer {
    stemmer: std::sync::Arc<frostem::Stemmer>,
    cache: StemCache,
}

impl CachedStemmer {
    /// A stemmer for `language`, or `None` when `frostem` lacks it.
    pub fn new(language: Language) -> Option<CachedStemmer> {
        let name = format!("{language:?}").to_lowercase();
        let algorithm = frostem::Algorithm::from_name(&name).ok()?;
        Some(CachedStemmer {
            stemmer: std::sync::Arc::new(frostem::Stemmer::new(algorithm)),
            cache: StemCache::default(),
        })
    }

    /// Replaces `word` by its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if self.cache.get(word) {
            return;
        }
        let stem = self.stemmer.stem(word);
        // Snowball empties some words (Greek `ησε`): keep the word, or all such words
        // would match one another. See: issue 6 (fuzzing).
        if stem.is_empty() || stem == word.as_str() {
            self.cache.put(word, word);
            return;
        }
        let stem = stem.into_owned();
        self.cache.put(word, &stem);
        *word = stem;
    }
}

/// A direct-mapped cache of word -> stem for words of at most [`StemCache::WORD_BYTES`]
/// bytes, stored inline (no pointer to chase per lookup, unlike a map of `String`s,
/// whose key comparisons were a tenth of ingest time). A word evicts the one in its slot.
///
/// The slots are one zeroed allocation, so the pages of slots never used are never
/// touched: a query process that stems a few words does not pay for 1.5 MiB of page
/// faults (it did: +1.2 ms per query).
#[derive(Clone, Default)]
struct StemCache {
    /// [`StemCache::SLOTS`] slots of [`StemCache::SLOT_BYTES`] bytes, allocated on first
    /// use: word length, stem length, word bytes, stem bytes.
    slots: Vec<u8>,
}

impl StemCache {
    /// Longest cached word (and stem), in bytes.
    const WORD_BYTES: usize = 22;
    /// Bytes per slot.
    const SLOT_BYTES: usize = 2 + 2 * Self::WORD_BYTES;
    /// Number of slots (a power of two): 1.5 MiB per cache.
    const SLOTS: usize = 1 << 15;

    /// The slot of `word`, as a byte range of `slots`.
    fn slot(word: &[u8]) -> std::ops::Range<usize> {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(word);
        // rustc-hash's `finish` already rotates the well-mixed high bits down.
        let i = h.finish() as usize & (Self::SLOTS - 1);
        i * Self::SLOT_BYTES..(i + 1) * Self::SLOT_BYTES
    }

    /// Replaces `word` by its cached stem; false when it is not cached.
    fn get(&self, word: &mut String) -> bool {
        let w = word.as_bytes();
        if w.is_empty() || w.len() > Self::WORD_BYTES || self.slots.is_empty() {
            return false;
        }
        let slot = &self.slots[Self::slot(w)];
        let (word_len, stem_len) = (usize::from(slot[0]), usize::from(slot[1]));
        let stored = &slot[2..2 + Self::WORD_BYTES];
        if word_len != w.len() || stored[..word_len] != *w {
            return false;
        }
        let stem = &slot[2 + Self::WORD_BYTES..2 + Self::WORD_BYTES + stem_len];
        if stem != w {
            // The stem was a `str` when stored.
            let stem = std::str::from_utf8(stem).unwrap_or_default();
            word.clear();
            word.push_str(stem);
        }
        true
    }

    fn put(&mut self, word: &str, stem: &str) {
        let (w, s) = (word.as_bytes(), stem.as_bytes());
        if w.is_empty() || w.len() > Self::WORD_BYTES || s.len() > Self::WORD_BYTES {
            return;
        }
        if self.slots.is_empty() {
            self.slots = vec![0; Self::SLOTS * Self::SLOT_BYTES];
        }
        let range = Self::slot(w);
        let slot = &mut self.slots[range];
        slot[0] = w.len() as u8;
        slot[1] = s.len() as u8;
        slot[2..2 + w.len()].copy_from_slice(w);
        slot[2 + Self::WORD_BYTES..2 + Self::WORD_BYTES + s.len()].copy_from_slice(s);
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: self,
            inner: tokenizer,
        }
    }
}

/// The tokenizer [`CachedStemmer`] wraps around.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    stemmer: CachedStemmer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &mut self.stemmer,
        }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a mut CachedStemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stemmer.stem_in_place(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// True for characters of scripts written without spaces that we index one per token.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x309F      // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3134F  // CJK extensions B to G
    )
}

fn tokenize_into(text: &str, out: &mut Vec<Token>, len: &mut usize) {
    for (start, word) in text.unicode_word_indices() {
        if !word.is_ascii() && word.chars().any(is_cjk) {
            // Split into single CJK characters and the runs of other characters between.
            let mut run_start: Option<usize> = None;
            for (i, c) in word.char_indices() {
                if is_cjk(c) {
                    if let Some(rs) = run_start.take() {
                        push_token(out, len, start + rs, &word[rs..i]);
                    }
                    push_token(out, len, start + i, &word[i..i + c.len_utf8()]);
                } else if run_start.is_none() {
                    run_start = Some(i);
                }
            }
            if let Some(rs) = run_start {
                push_token(out, len, start + rs, &word[rs..]);
            }
        } else {
            push_token(out, len, start, word);
        }
    }
}

fn push_token(out: &mut Vec<Token>, len: &mut usize, offset: usize, word: &str) {
    if *len == out.len() {
        out.push(Token::default());
    }
    let token = &mut out[*len];
    normalize_word_into(word, &mut token.text);
    if token.text.is_empty() {
        return;
    }
    token.offset_from = offset;
    token.offset_to = offset + word.len() - possessive_len(word);
    token.position = *len;
    token.position_length = 1;
    *len += 1;
}

/// Byte length of a trailing possessive (`'s`, `’s`, `'S`, ...) of `word`, 0 when none.
///
/// The token of `Ukraine's` ends before the possessive, so that a highlight covers
/// `Ukraine`, the part that matched.
fn possessive_len(word: &str) -> usize {
    let mut rev = word.chars().rev();
    match (rev.next(), rev.next(), rev.next()) {
        (
            Some(s @ ('s' | 'S')),
            Some(a @ ('\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}')),
            Some(_),
        ) => s.len_utf8() + a.len_utf8(),
        _ => 0,
    }
}

/// Normalises one word: see [`PassageTokenizer`].
pub fn normalize_word(word: &str) -> String {
    let mut out = String::new();
    normalize_word_into(word, &mut out);
    out
}

/// [`normalize_word`] into a reused buffer (cleared first).
fn normalize_word_into(word: &str, text: &mut String) {
    text.clear();
    if word.is_ascii() {
        text.push_str(word);
        text.make_ascii_lowercase();
    } else {
        let cleaned: String = word
            .chars()
            .filter(|c| {
                !matches!(
                    c,
                    '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
                )
            })
            .nfkc()
            .collect();
        for c in cleaned.chars().flat_map(char::to_lowercase) {
            text.push(match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => '\'',
                c => c,
            });
        }
        if cleaned.contains(['\u{03A3}']) {
            // Full lower-casing of a whole word maps a final capital sigma to `ς`.
            *text = cleaned
                .to_lowercase()
                .replace(['\u{2019}', '\u{2018}', '\u{02BC}', '\u{FF07}'], "'");
        }
    }
    if text.len() > 2 && text.ends_with("'s") {
        text.truncate(text.len() - 2);
    }
    if text.len() > MAX_TOKEN_BYTES {
        let mut end = MAX_TOKEN_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_stems_equal_uncached_stems() {
        let reference = frostem::Stemmer::new(frostem::Algorithm::from_name("english").unwrap());
        let mut cached = CachedStemmer::new(Language::English).unwrap();
        let long = "antidisestablishmentarianisms"; // longer than the cache's slots
        let mut words: Vec<String> = ["running", "guarantees", "ran", "a", "é", long]
            .iter()
            .map(|w| w.to_string())
            .collect();
        // Enough distinct words that slots collide and evict one another.
        words.extend((0..100_000).map(|i| format!("walking{i}s")));
        for round in 0..2 {
            for w in &words {
                let mut got = w.clone();
                cached.stem_in_place(&mut got);
                assert_eq!(got, reference.stem(w), "{w}, round {round}");
            }
        }
    }

    fn tokens(text: &str) -> Vec<Token> {
        analyze(&mut AnalyzerSettings::default().build(), text)
    }

    fn assert_token(token: &Token, position: usize, text: &str, from: usize, to: usize) {
        assert_eq!(token.position, position, "position of {token:?}");
        assert_eq!(token.text, text, "text of {token:?}");
        assert_eq!(token.offset_from, from, "start of {token:?}");
        assert_eq!(token.offset_to, to, "end of {token:?}");
    }

    #[test]
    fn words_are_lowercased_stemmed_and_possessives_dropped() {
        let t = tokens("Ukraine's guarantees, NATO!");
        assert_eq!(t.len(), 3);
        assert_token(&t[0], 0, "ukrain", 0, 7);
        assert_token(&t[1], 1, "guarante", 10, 20);
        assert_token(&t[2], 2, "nato", 22, 26);
    }

    #[test]
    fn curly_apostrophe_equals_straight() {
        assert_eq!(
            tokens("Ukraine\u{2019}s")[0].text,
            tokens("Ukraine's")[0].text
        );
    }

    #[test]
    fn folding_and_normalisation() {
        let composed = tokens("Việt café");
        let decomposed = tokens("Vie\u{323}\u{302}t cafe\u{301}");
        assert_eq!(composed[0].text, decomposed[0].text);
        assert_eq!(composed[1].text, "cafe");
        assert_eq!(
            decomposed[1].offset_to,
            "Vie\u{323}\u{302}t cafe\u{301}".len()
        );
        assert_eq!(
            tokens("co\u{AD}operate")[0].text,
            tokens("cooperate")[0].text
        );
    }

    #[test]
    fn offsets_point_into_original_when_lowercase_grows() {
        let text = "İSTANBUL x";
        let t = tokens(text);
        assert_eq!(&text[t[0].offset_from..t[0].offset_to], "İSTANBUL");
        assert_token(&t[1], 1, "x", 10, 11);
    }

    #[test]
    fn cjk_characters_are_single_tokens() {
        let t = tokens("東京大学とカタカナ");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["東", "京", "大", "学", "と", "カ", "タ", "カ", "ナ"]
        );
        assert_token(&t[1], 1, "京", 3, 6);
    }

    #[test]
    fn a_word_the_stemmer_empties_is_kept() {
        let greek = AnalyzerSettings {
            stemmer: Some(Language::Greek),
        };
        let t = analyze(&mut greek.build(), "ησε ησα");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["ησε", "ησα"]);
    }

    #[test]
    fn punctuation_only_gives_no_token() {
        assert!(tokens("![]() | -- ...").is_empty());
    }

    #[test]
    fn long_token_is_truncated_not_dropped() {
        let word = "a".repeat(70_000);
        let t = analyze(&mut AnalyzerSettings { stemmer: None }.build(), &word);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].text.len(), MAX_TOKEN_BYTES);
        assert_eq!(t[0].offset_to, 70_000);
    }
}
