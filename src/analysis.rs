//! The analyzer: UAX #29 word segmentation plus the filter chain of DESIGN.md section 3.
//!
//! One analyzer serves ingest, query parsing and highlighting, so that highlights never
//! drift from matches. It is one Tantivy [`Tokenizer`], [`PassageTokenizer`]: UAX #29
//! words, normalised, folded by Tantivy's own [`AsciiFoldingFilter`] and, when the index
//! asks for it, stemmed by a Snowball stemmer ([`CachedStemmer`]); it is registered with
//! Tantivy under [`ANALYZER_NAME`].

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzerSettings {
    /// Snowball stemmer language; `None` means no stemming. By default English.
    pub stemmer: Option<Language>,
    /// Words left out of the index and of queries (compared after lower-casing and
    /// folding, before stemming), sorted; the index keeps a position for each, so that a
    /// phrase across one still matches. By default none: every word is indexed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stopwords: Vec<String>,
    /// Also index the parts of identifiers ([`identifier_parts`]: `fs.readFile` ->
    /// `fs`, `readFile`, `read`, `File`), each at the identifier's position, so that
    /// `readFile` and `VERSINFO` find `fs.readFile` and `BASH_VERSINFO` and phrases
    /// still match. Queries search words whole. By default true; false for indexes
    /// written before this setting (they have no parts).
    #[serde(default)]
    pub identifier_parts: bool,
}

impl Default for AnalyzerSettings {
    fn default() -> Self {
        AnalyzerSettings {
            stemmer: Some(Language::English),
            stopwords: Vec::new(),
            identifier_parts: true,
        }
    }
}

/// The English stop words of Lucene's `EnglishAnalyzer`
/// (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, 33 words), as Anserini and bm25s (`en`)
/// use them.
pub const ENGLISH_STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Parses a `--stopwords` value: `english` (Lucene's list, [`ENGLISH_STOPWORDS`]), `none`,
/// or the path of a file with one word per line (`#` starts a comment), and returns the
/// words normalised as the analyzer normalises a token (lower-cased, folded), sorted.
///
/// # Errors
/// [`crate::Error::Io`] when the file cannot be read.
pub fn parse_stopwords(value: &str) -> crate::Result<Vec<String>> {
    let words: Vec<String> = match value {
        "none" => Vec::new(),
        "english" => ENGLISH_STOPWORDS.iter().map(|w| w.to_string()).collect(),
        path => std::fs::read_to_string(path)
            .map_err(|e| crate::Error::io(path, e))?
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default().trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect(),
    };
    let mut plain = AnalyzerSettings::unstemmed().build();
    let mut out: Vec<String> = words
        .iter()
        .flat_map(|w| analyze(&mut plain, w).into_iter().map(|t| t.text))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

impl AnalyzerSettings {
    /// Settings that normalise, lower-case and fold but neither stem nor drop stop words:
    /// the analyzer that gives a word as typed, for stop-word lists and for the query
    /// words that fuzzy and prefix leaves compare as written.
    pub(crate) fn unstemmed() -> AnalyzerSettings {
        AnalyzerSettings {
            stemmer: None,
            stopwords: Vec::new(),
            identifier_parts: false,
        }
    }

    /// The stemmer these settings describe, `None` for no stemming.
    pub(crate) fn stemmer(&self) -> Option<CachedStemmer> {
        self.stemmer.and_then(CachedStemmer::new)
    }

    /// Builds the Tantivy analyzer these settings describe: the one that indexes text,
    /// and that highlights it.
    pub fn build(&self) -> TextAnalyzer {
        TextAnalyzer::builder(PassageTokenizer {
            stemmer: self.stemmer(),
            stopwords: (!self.stopwords.is_empty())
                .then(|| std::sync::Arc::new(self.stopwords.iter().cloned().collect())),
            parts: self.identifier_parts,
            ..PassageTokenizer::default()
        })
        .build()
    }

    /// The analyzer of query text: [`AnalyzerSettings::build`] without identifier parts,
    /// so that a query word is searched whole (`readFile` searches `readfile`, which the
    /// index holds for `fs.readFile` too, not `read` or `file`).
    pub fn build_for_queries(&self) -> TextAnalyzer {
        AnalyzerSettings {
            identifier_parts: false,
            ..self.clone()
        }
        .build()
    }

    /// The stop-word setting in words: `none`, `english` or `N words`.
    pub fn stopwords_name(&self) -> String {
        if self.stopwords.is_empty() {
            "none".into()
        } else if parse_stopwords("english").is_ok_and(|e| e == self.stopwords) {
            "english".into()
        } else {
            format!("{} words", self.stopwords.len())
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

/// Tantivy tokenizer on Unicode word boundaries (UAX #29) with normalisation and folding.
///
/// For each word that holds a letter or digit, it yields one token whose text is the
/// word after: removing soft hyphens and zero-width (non-)joiners, NFKC normalisation,
/// full Unicode lower-casing, mapping typographic apostrophes to `'`, dropping an
/// English possessive `'s`, Tantivy's [`AsciiFoldingFilter`] (`café` -> `cafe`) and, when
/// set, stemming.
/// Each Han, Hiragana or Katakana character is a token of its own. Offsets are byte
/// offsets into the original text, so they stay right even where normalisation changed
/// a token's length.
///
/// An ASCII text, the common case, takes a fast path with the same result: it is
/// lower-cased once, its words are found in one pass over its bytes, and nothing needs
/// folding.
#[derive(Clone)]
pub struct PassageTokenizer {
    /// Token buffers reused from call to call (their strings keep their allocations);
    /// only the first `len` are the current text's.
    tokens: Vec<Token>,
    len: usize,
    /// The current text lower-cased, when it is ASCII.
    lower: String,
    /// Tantivy's ASCII folding over a raw token, run on the tokens that are not ASCII;
    /// `None` leaves them unfolded.
    folding: Option<TextAnalyzer>,
    /// Stems the tokens of a text together, after folding; `None`: no stemming.
    stemmer: Option<CachedStemmer>,
    /// Tokens left out after folding, before stemming; the others keep their positions.
    stopwords: Option<std::sync::Arc<rustc_hash::FxHashSet<String>>>,
    /// Add the parts of identifiers after their token, at its position.
    parts: bool,
    /// Scratch for adding parts.
    scratch: Vec<Token>,
}

impl Default for PassageTokenizer {
    fn default() -> Self {
        PassageTokenizer {
            tokens: Vec::new(),
            len: 0,
            lower: String::new(),
            folding: Some(ascii_folding()),
            stemmer: None,
            stopwords: None,
            parts: false,
            scratch: Vec::new(),
        }
    }
}

impl PassageTokenizer {
    /// Tokenizes `text` into the first `self.len` of `self.tokens`; `fast` allows the
    /// ASCII fast path (tests compare the two paths).
    fn tokenize(&mut self, text: &str, fast: bool) {
        self.len = 0;
        if fast && text.is_ascii() {
            self.lower.clear();
            self.lower.push_str(text);
            self.lower.make_ascii_lowercase();
            tokenize_ascii_into(&self.lower, &mut self.tokens, &mut self.len);
        } else {
            tokenize_unicode_into(text, &mut self.tokens, &mut self.len);
            self.fold();
        }
        if self.parts {
            self.add_identifier_parts(text);
        }
        if let Some(stop) = &self.stopwords {
            // Keep the others in order, with the positions they were given.
            let mut kept = 0;
            for i in 0..self.len {
                if !stop.contains(&self.tokens[i].text) {
                    self.tokens.swap(kept, i);
                    kept += 1;
                }
            }
            self.len = kept;
        }
        if let Some(stemmer) = &mut self.stemmer {
            stemmer.stem_tokens(&mut self.tokens[..self.len]);
        }
    }

    /// Adds after each identifier token its parts ([`identifier_parts`]) at its
    /// position, normalised and folded as tokens are. See: issue 14 (`readFile` missed
    /// `fs.readFile(`, `VERSINFO` missed `BASH_VERSINFO`).
    fn add_identifier_parts(&mut self, text: &str) {
        let first = (0..self.len).find(|&i| {
            let t = &self.tokens[i];
            is_identifier(&text[t.offset_from..t.offset_to])
        });
        let Some(first) = first else { return };
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        for i in first..self.len {
            let whole = &self.tokens[i];
            let source = &text[whole.offset_from..whole.offset_to];
            out.push(whole.clone());
            for part in identifier_parts(source) {
                let mut token = Token {
                    offset_from: whole.offset_from + part.start,
                    offset_to: whole.offset_from + part.end,
                    position: whole.position,
                    position_length: 1,
                    text: String::new(),
                };
                normalize_word_into(&source[part], &mut token.text);
                if !token.text.is_ascii() {
                    if let Some(folding) = &mut self.folding {
                        token.text = fold_with(folding, &token.text);
                    }
                }
                if !token.text.is_empty() && token.text != whole.text {
                    out.push(token);
                }
            }
        }
        self.tokens.truncate(self.len);
        self.tokens.truncate(first);
        self.tokens.append(&mut out);
        self.len = self.tokens.len();
        self.scratch = out;
    }

    /// Folds the current tokens that are not ASCII.
    fn fold(&mut self) {
        if let Some(folding) = &mut self.folding {
            for token in &mut self.tokens[..self.len] {
                if !token.text.is_ascii() {
                    let mut stream = folding.token_stream(&token.text);
                    if stream.advance() {
                        let folded = std::mem::take(&mut stream.token_mut().text);
                        drop(stream);
                        token.text = folded;
                    }
                }
            }
        }
    }
}

/// The token stream of [`PassageTokenizer`].
pub struct PassageTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for PassageTokenizer {
    type TokenStream<'a> = PassageTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PassageTokenStream<'a> {
        self.tokenize(text, true);
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
    /// Words shorter than this many bytes are their own stem, without a lookup.
    short_bytes: usize,
}

impl CachedStemmer {
    /// A stemmer for `language`, or `None` when `frostem` lacks it.
    pub fn new(language: Language) -> Option<CachedStemmer> {
        let name = format!("{language:?}").to_lowercase();
        let algorithm = frostem::Algorithm::from_name(&name).ok()?;
        Some(CachedStemmer {
            stemmer: std::sync::Arc::new(frostem::Stemmer::new(algorithm)),
            cache: StemCache::default(),
            // Porter2 leaves a word of two letters or less as it is (the rule `not hop 3`
            // of Snowball's `english.sbl`), and a word of under 3 bytes has at most 2
            // characters. A third of English tokens are that short (`a`, `of`, `in`).
            short_bytes: if language == Language::English { 3 } else { 0 },
        })
    }

    /// The stem of one normalised, folded `word`, as the analyzer would give it, without
    /// the cache (for query-time expansion, which stems many words once each).
    pub(crate) fn stem_word<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        if word.len() < self.short_bytes {
            return std::borrow::Cow::Borrowed(word);
        }
        match self.stemmer.stem(word) {
            stem if stem.is_empty() => std::borrow::Cow::Borrowed(word),
            stem => stem,
        }
    }

    /// Replaces each token's text by its stem.
    fn stem_tokens(&mut self, tokens: &mut [Token]) {
        for t in tokens {
            self.stem_in_place(&mut t.text);
        }
    }

    /// Replaces `word` by its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if word.len() < self.short_bytes || self.cache.get(word) {
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

/// A cache of word -> stem, 2-way set-associative, with each entry inline in 32 bytes
/// (no pointer to chase per lookup, unlike a map of `String`s, whose key comparisons
/// were a tenth of ingest time).
///
/// A Snowball stem is nearly always a prefix of its word plus a few bytes (`guarantees`
/// -> `guarante`, `happily` -> `happili`), so an entry holds the word (at most
/// [`StemCache::WORD_BYTES`] bytes), how many of its bytes the stem keeps, and the stem's
/// other bytes (at most [`StemCache::TAIL_BYTES`]). Other words are not cached. A set is
/// one 64-byte cache line; a new word goes to the front of its set and the older of its
/// two entries is evicted.
///
/// The sets are one zeroed allocation, so the pages of sets never used are never
/// touched: a query process that stems a few words does not pay for 2 MiB of page
/// faults (it did: +1.2 ms per query).
#[derive(Clone, Default)]
struct StemCache {
    /// Zeroed bytes holding [`StemCache::SETS`] sets from `base` on, allocated on first
    /// use. Entry layout: word length (0: empty), bytes kept, tail length, tail, word.
    bytes: Vec<u8>,
    /// Offset of the first set in `bytes`, which makes every set start a cache line.
    base: usize,
}

impl StemCache {
    /// Longest cached word, in bytes.
    const WORD_BYTES: usize = 24;
    /// Most bytes a cached stem adds after the prefix it keeps of its word.
    const TAIL_BYTES: usize = 5;
    /// Bytes per entry.
    const ENTRY_BYTES: usize = 3 + Self::TAIL_BYTES + Self::WORD_BYTES;
    /// Bytes per set of two entries: one cache line.
    const SET_BYTES: usize = 2 * Self::ENTRY_BYTES;
    /// Number of sets (a power of two): 2 MiB per cache. On 30 MB of the 100 MB benchmark
    /// corpus, 1 << 14 sets missed 334 000 times, 1 << 15 sets 254 000, 1 << 16 sets 210 000
    /// (a Snowball call costs about 0.6 µs).
    const SETS: usize = 1 << 15;

    /// The set of `word`, as a byte range of `bytes`.
    fn set(&self, word: &[u8]) -> std::ops::Range<usize> {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(word);
        // rustc-hash's `finish` already rotates the well-mixed high bits down.
        let start = self.base + (h.finish() as usize & (Self::SETS - 1)) * Self::SET_BYTES;
        start..start + Self::SET_BYTES
    }

    /// Replaces `word` by its cached stem; false when it is not cached.
    fn get(&mut self, word: &mut String) -> bool {
        let w = word.as_bytes();
        if w.is_empty() || w.len() > Self::WORD_BYTES || self.bytes.is_empty() {
            return false;
        }
        let range = self.set(w);
        let set = &mut self.bytes[range];
        let matches = |e: &[u8]| usize::from(e[0]) == w.len() && e[8..8 + w.len()] == *w;
        let entry = if matches(&set[..Self::ENTRY_BYTES]) {
            &set[..Self::ENTRY_BYTES]
        } else if matches(&set[Self::ENTRY_BYTES..]) {
            // Move the hit to the front, so that the other entry is evicted first.
            let (front, back) = set.split_at_mut(Self::ENTRY_BYTES);
            front.swap_with_slice(back);
            &set[..Self::ENTRY_BYTES]
        } else {
            return false;
        };
        let (keep, tail_len) = (usize::from(entry[1]), usize::from(entry[2]));
        if keep < w.len() || tail_len > 0 {
            // The tail was a `str` when stored, and `keep` a char boundary.
            let tail = std::str::from_utf8(&entry[3..3 + tail_len]).unwrap_or_default();
            word.truncate(keep);
            word.push_str(tail);
        }
        true
    }

    fn put(&mut self, word: &str, stem: &str) {
        let w = word.as_bytes();
        if w.is_empty() || w.len() > Self::WORD_BYTES {
            return;
        }
        let mut keep = w
            .iter()
            .zip(stem.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !stem.is_char_boundary(keep) {
            keep -= 1;
        }
        let tail = &stem.as_bytes()[keep..];
        if tail.len() > Self::TAIL_BYTES {
            return;
        }
        if self.bytes.is_empty() {
            self.bytes = vec![0; Self::SETS * Self::SET_BYTES + Self::SET_BYTES];
            self.base = self.bytes.as_ptr().align_offset(Self::SET_BYTES);
        }
        let range = self.set(w);
        let set = &mut self.bytes[range];
        set.copy_within(..Self::ENTRY_BYTES, Self::ENTRY_BYTES);
        let entry = &mut set[..Self::ENTRY_BYTES];
        entry[0] = w.len() as u8;
        entry[1] = keep as u8;
        entry[2] = tail.len() as u8;
        entry[3..3 + tail.len()].copy_from_slice(tail);
        entry[8..8 + w.len()].copy_from_slice(w);
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

/// Tokenizes an ASCII text, given lower-cased: the same words as `unicode_word_indices`,
/// found in one pass over the bytes instead of yielding every segment (spaces and
/// punctuation too) and then testing each for a letter or digit.
///
/// In ASCII, UAX #29 (<https://www.unicode.org/reports/tr29/#Word_Boundary_Rules>) keeps
/// letters, digits and `_` together (WB5, WB8-WB10, WB13a-b); joins two letters across
/// one `.`, `'` or `:` (WB6-WB7); joins two digits across one `.`, `,`, `;` or `'`
/// (WB11-WB12); and breaks everywhere else. A segment is a word when it holds a letter or
/// a digit. A property test checks this against `unicode_word_indices`.
fn tokenize_ascii_into(lower: &str, out: &mut Vec<Token>, len: &mut usize) {
    let bytes = lower.as_bytes();
    let joins = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !joins(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut alphanumeric = false;
        loop {
            while i < bytes.len() && joins(bytes[i]) {
                alphanumeric |= bytes[i] != b'_';
                i += 1;
            }
            let (Some(&mid), Some(&next)) = (bytes.get(i), bytes.get(i + 1)) else {
                break;
            };
            let prev = bytes[i - 1];
            let letters = prev.is_ascii_alphabetic()
                && next.is_ascii_alphabetic()
                && matches!(mid, b'.' | b'\'' | b':');
            let digits = prev.is_ascii_digit()
                && next.is_ascii_digit()
                && matches!(mid, b'.' | b'\'' | b',' | b';');
            if !(letters || digits) {
                break;
            }
            i += 1;
        }
        if alphanumeric {
            if i - start == 1 && bytes[start].is_ascii_alphabetic() {
                i += language_suffix(&bytes[i..]);
            }
            push_ascii_token(out, len, start, &lower[start..i]);
        }
    }
}

/// Tokenizes any text (without folding).
fn tokenize_unicode_into(text: &str, out: &mut Vec<Token>, len: &mut usize) {
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
        } else if word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic() {
            let end = start + 1 + language_suffix(&text.as_bytes()[start + 1..]);
            push_token(out, len, start, &text[start..end]);
        } else {
            push_token(out, len, start, word);
        }
    }
}

/// The length of a `++` or `#` that makes a one-letter word the name of a language
/// (`C++`, `C#`, `F#`, `g++`): 2, 1, or 0 when `rest` (the bytes after the letter) does
/// not start with one, or when a letter, digit or `_` follows it (`x#1`, `a++b`).
/// See: issue 12 (`C++` searched `c`).
fn language_suffix(rest: &[u8]) -> usize {
    let n = if rest.starts_with(b"++") {
        2
    } else if rest.starts_with(b"#") {
        1
    } else {
        return 0;
    };
    match rest.get(n) {
        Some(&b) if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => 0,
        _ => n,
    }
}

/// [`push_token`] for a lower-cased ASCII word: [`normalize_word_into`] would only drop a
/// possessive and truncate.
fn push_ascii_token(out: &mut Vec<Token>, len: &mut usize, offset: usize, word: &str) {
    let elided = elision_len(word);
    let (offset, word) = (offset + elided, &word[elided..]);
    if *len == out.len() {
        out.push(Token::default());
    }
    let token = &mut out[*len];
    let kept = if word.len() > 2 && word.ends_with("'s") {
        word.len() - 2
    } else {
        word.len()
    };
    token.text.clear();
    token.text.push_str(&word[..kept.min(MAX_TOKEN_BYTES)]);
    token.offset_from = offset;
    token.offset_to = offset + kept;
    token.position = *len;
    token.position_length = 1;
    *len += 1;
}

fn push_token(out: &mut Vec<Token>, len: &mut usize, offset: usize, word: &str) {
    let elided = elision_len(word);
    let (offset, word) = (offset + elided, &word[elided..]);
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

/// Articles and prepositions that French, Italian and Catalan elide before a vowel and glue
/// to the next word with an apostrophe (`l'économie`, `dell'arte`, `qu'il`), as in the
/// elision sets of Lucene's French, Italian and Catalan analyzers.
const ELISIONS: &[&str] = &[
    "l", "d", "qu", "j", "n", "s", "c", "m", "t", "dell", "all", "dall", "nell", "sull", "coll",
    "un",
];

/// Byte length of an elided article at the start of `word` (`l'` of `l'économie`, with any
/// apostrophe), 0 when none: the word after it is indexed alone, so that `économie` finds
/// `l'économie`. See: issue 14.
fn elision_len(word: &str) -> usize {
    let Some((k, apostrophe)) = word
        .char_indices()
        .take(6)
        .find(|(_, c)| matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}'))
    else {
        return 0;
    };
    let article = &word[..k];
    let rest = &word[k + apostrophe.len_utf8()..];
    let is_article = ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(article));
    if is_article && rest.chars().next().is_some_and(char::is_alphabetic) {
        k + apostrophe.len_utf8()
    } else {
        0
    }
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

/// True when `word` (a token's source text) is an identifier that has parts: it holds
/// `_`, a `.` or `:` after a letter, a lower-case letter or digit followed by a capital,
/// or two capitals followed by two lower-case letters (`fs.readFile`, `BASH_VERSINFO`,
/// `exceedsBigInt`, `std::vec`, `HTTPServer`).
fn is_identifier(word: &str) -> bool {
    if !word.is_ascii() {
        return !identifier_parts(word).is_empty();
    }
    let b = word.as_bytes();
    (0..b.len().saturating_sub(1)).any(|i| {
        let (p, c) = (b[i], b[i + 1]);
        c == b'_'
            || p == b'_'
            || (p.is_ascii_alphabetic() && matches!(c, b'.' | b':'))
            || ((p.is_ascii_lowercase() || p.is_ascii_digit()) && c.is_ascii_uppercase())
            || (p.is_ascii_uppercase()
                && c.is_ascii_uppercase()
                && b.get(i + 2).is_some_and(u8::is_ascii_lowercase)
                && b.get(i + 3).is_some_and(u8::is_ascii_lowercase))
    })
}

/// The parts of an identifier (byte ranges into `word`), in order: first the names
/// between `.` and `:` that hold a `_`, when there are several (`XDG_DATA_HOME:XDG_DATA_DIRS`
/// -> `XDG_DATA_HOME`, `XDG_DATA_DIRS`); then the segments between separators (`_`, and
/// `.` or `:` after a letter), when there are separators;
/// then the case parts of each segment (`readFile` -> `read`, `File`; `HTTPServer` ->
/// `HTTP`, `Server`; `base64Encode` -> `base64`, `Encode`), when it has two or more.
/// Empty for a word that is not an identifier, for an abbreviation (`e.g`, `Ph.D`: no
/// segment over two characters), and no case parts where one would be a single
/// character (`PhD`, `EFTs`, `iPhone`). As Lucene's `WordDelimiterGraphFilter` splits
/// on intra-word delimiters and case changes, keeping the original.
pub fn identifier_parts(word: &str) -> Vec<std::ops::Range<usize>> {
    let segments = split_identifier(word, true);
    let mut parts = Vec::new();
    // The names between `.` and `:` that hold a `_` are parts too, whole:
    // `XDG_DATA_HOME:XDG_DATA_DIRS` -> `XDG_DATA_HOME`, `XDG_DATA_DIRS`.
    if word.contains('_') {
        let names = split_identifier(word, false);
        if names.len() > 1 {
            parts.extend(names.into_iter().filter(|r| word[r.clone()].contains('_')));
        }
    }
    // An abbreviation (`e.g`, `U.S`, `Ph.D`, `M.I.T`) is a word, not an identifier.
    let abbreviation = !word.contains('_') && segments.iter().all(|s| s.len() <= 2);
    if !abbreviation
        && (segments.len() > 1 || segments.first().is_some_and(|s| s.len() < word.len()))
    {
        parts.extend(segments.iter().cloned());
    }
    for s in &segments {
        let segment = &word[s.clone()];
        let bounds = camel_bounds(segment);
        // Parts of one letter are not words: `PhD`, `logN`, `EFTs`, `iPhone` stay whole.
        let words = bounds
            .iter()
            .all(|r| segment[r.clone()].chars().nth(1).is_some());
        if bounds.len() > 1 && words {
            parts.extend(
                bounds
                    .into_iter()
                    .map(|r| s.start + r.start..s.start + r.end),
            );
        }
    }
    parts
}

/// The pieces of `word` (byte ranges) between separators: `.` and `:` after a letter or
/// another separator (`std::vec`, `a._b`), and with `underscores`, `_`.
fn split_identifier(word: &str, underscores: bool) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut joins_dot = false;
    for (i, c) in word.char_indices() {
        let separator = (underscores && c == '_') || (matches!(c, '.' | ':') && joins_dot);
        if separator {
            if i > start {
                pieces.push(start..i);
            }
            start = i + c.len_utf8();
        }
        joins_dot = separator || c.is_alphabetic();
    }
    if start < word.len() {
        pieces.push(start..word.len());
    }
    pieces
}

/// The case parts of `word` (byte ranges): a new part starts at a capital after a
/// lower-case letter or a digit, and at a capital followed by a lower-case letter after
/// a capital (`HTTPServer` -> `HTTP`, `Server`).
fn camel_bounds(word: &str) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut bounds = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (i, c) = chars[k];
        let p = chars[k - 1].1;
        // `HTTPServer`: a capital starts a word when two lower-case letters follow it
        // (not the plural of `EFTs`).
        let lower = |j: usize| chars.get(j).is_some_and(|&(_, n)| n.is_lowercase());
        let next_lower = lower(k + 1) && lower(k + 2);
        let boundary = c.is_uppercase()
            && ((p.is_lowercase() || p.is_ascii_digit()) || (p.is_uppercase() && next_lower));
        if boundary {
            bounds.push(start..i);
            start = i;
        }
    }
    bounds.push(start..word.len());
    bounds
}

/// `word` through the folding analyzer (one raw token).
fn fold_with(folding: &mut TextAnalyzer, word: &str) -> String {
    let mut stream = folding.token_stream(word);
    if stream.advance() {
        std::mem::take(&mut stream.token_mut().text)
    } else {
        word.to_owned()
    }
}

/// Tantivy's ASCII folding over one raw token: the folding step of the analyzer.
fn ascii_folding() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build()
}

/// `word` normalised ([`normalize_word`]) and ASCII-folded as the analyzer does, without
/// segmenting or stemming it, as one string (`Café.Treaty's` -> `cafe.treaty`); empty
/// when nothing of `word` is left after normalising. Prefix and fuzzy query words are
/// compared in this form.
pub(crate) fn fold_word(word: &str) -> String {
    analyze(&mut ascii_folding(), &normalize_word(word))
        .into_iter()
        .next()
        .map(|t| t.text)
        .unwrap_or_default()
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
    use proptest::prelude::*;

    fn tokenized(text: &str, fast: bool) -> Vec<Token> {
        tokenized_with(text, fast, false)
    }

    /// The tokens of `text`, with identifier parts or not.
    fn tokenized_with(text: &str, fast: bool, parts: bool) -> Vec<Token> {
        let mut tokenizer = PassageTokenizer {
            parts,
            ..PassageTokenizer::default()
        };
        tokenizer.tokenize(text, fast);
        tokenizer.tokens.truncate(tokenizer.len);
        tokenizer.tokens
    }

    /// The tokens of the analyzer as it was before folding and stemming moved into the
    /// tokenizer: Tantivy's folding filter after the unfolded tokenizer, then a stemmer
    /// over each token.
    fn reference_tokens(text: &str) -> Vec<Token> {
        let unfolded = PassageTokenizer {
            folding: None,
            parts: true,
            ..PassageTokenizer::default()
        };
        let mut analyzer = TextAnalyzer::builder(unfolded)
            .filter(AsciiFoldingFilter)
            .build();
        let mut stemmer = CachedStemmer::new(Language::English).unwrap();
        let mut tokens = analyze(&mut analyzer, text);
        for t in &mut tokens {
            stemmer.stem_in_place(&mut t.text);
        }
        tokens
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn ascii_words_are_unicode_words(
            text in proptest::collection::vec(
                prop::sample::select(b"aZs0 9_.':,;-\"\t\n\r/S+#".to_vec()), 0..40
            ).prop_map(|b| String::from_utf8(b).unwrap())
        ) {
            prop_assert_eq!(tokenized(&text, true), tokenized(&text, false), "{:?}", text);
            prop_assert_eq!(
                tokenized_with(&text, true, true),
                tokenized_with(&text, false, true),
                "{:?}",
                text
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        #[test]
        fn folding_in_the_tokenizer_equals_the_folding_filter(
            text in proptest::collection::vec(
                prop::sample::select(
                    "aZs0 _.'’:-éÉßæŒﬁİıΣσ東京カ\u{301}\u{AD}ǅⅣ①ｆ".chars().collect::<Vec<_>>()
                ),
                0..30,
            ).prop_map(|c| c.into_iter().collect::<String>())
        ) {
            let got = analyze(&mut AnalyzerSettings::default().build(), &text);
            let want = reference_tokens(&text);
            prop_assert_eq!(got, want, "{:?}", text);
        }
    }

    #[test]
    fn elided_articles_are_left_out() {
        let text = "L'économie de l’agriculture, dell'arte, qu'il, d'Artagnan; don't o'clock \
                    l'1 l'";
        assert_eq!(tokenized(text, true), tokenized(text, false));
        let tokens = analyze(
            &mut AnalyzerSettings {
                stemmer: None,
                stopwords: Vec::new(),
                identifier_parts: false,
            }
            .build(),
            text,
        );
        let words: Vec<(&str, &str)> = tokens
            .iter()
            .map(|t| (t.text.as_str(), &text[t.offset_from..t.offset_to]))
            .collect();
        assert_eq!(
            words,
            [
                ("economie", "économie"),
                ("de", "de"),
                ("agriculture", "agriculture"),
                ("arte", "arte"),
                ("il", "il"),
                ("artagnan", "Artagnan"),
                ("don't", "don't"),
                ("o'clock", "o'clock"),
                ("l", "l"),
                ("1", "1"),
                ("l", "l"),
            ]
        );
        let ascii = "l'agriculture d'Artagnan";
        assert_eq!(tokenized(ascii, true), tokenized(ascii, false));
        assert_eq!(tokenized(ascii, true)[0].offset_from, 2);
    }

    #[test]
    fn one_letter_language_names_keep_their_suffix() {
        let text = "C++ and C# code, g++ or F#; i++ x#1 a++b c+ é#";
        assert_eq!(tokenized(text, true), tokenized(text, false));
        let words: Vec<String> = analyze(&mut AnalyzerSettings::default().build(), text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            ["c++", "and", "c#", "code", "g++", "or", "f#", "i++", "x", "1", "a", "b", "c", "e"]
        );
        let t = &tokenized(text, false)[0];
        assert_eq!((t.offset_from, t.offset_to), (0, 3));
    }

    #[test]
    fn ascii_words_on_real_text() {
        let text = "e.g. Ukraine's 1,000.5 x:y std::vec a_b __ _1 'quoted' 3;4 a.1 1.a it's.";
        assert_eq!(tokenized(text, true), tokenized(text, false));
        let words: Vec<String> = tokenized(text, true).into_iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            [
                "e.g", "ukraine", "1,000.5", "x:y", "std", "vec", "a_b", "_1", "quoted", "3;4",
                "a", "1", "1", "a", "it"
            ]
        );
    }

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

    #[test]
    fn short_english_words_are_their_own_stems() {
        let reference = frostem::Stemmer::new(frostem::Algorithm::from_name("english").unwrap());
        let alphabet: Vec<char> = ('a'..='z')
            .chain('0'..='9')
            .chain(['\'', 'é', 'ß', 'y', 'Y'])
            .collect();
        for a in &alphabet {
            assert_eq!(reference.stem(&a.to_string()), a.to_string());
            for b in &alphabet {
                let w: String = [*a, *b].iter().collect();
                if w.len() < 3 {
                    assert_eq!(reference.stem(&w), w, "{w}");
                }
            }
        }
    }

    #[test]
    fn cached_stems_equal_uncached_stems_in_other_scripts() {
        // Words whose stems differ from them inside a multi-byte character, or change
        // more than the cache's tail holds, in several languages.
        let words = [
            "happily",
            "generalizations",
            "skies",
            "dying",
            "naïvetés",
            "cafés",
            "façades",
            "библиотеками",
            "книги",
            "ανθρώπων",
            "Ηλίας",
            "ησε",
            "bibliothèques",
            "Häuser",
            "größten",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaing",
        ];
        for language in [
            Language::English,
            Language::Russian,
            Language::Greek,
            Language::French,
            Language::German,
        ] {
            let name = format!("{language:?}").to_lowercase();
            let reference = frostem::Stemmer::new(frostem::Algorithm::from_name(&name).unwrap());
            let mut cached = CachedStemmer::new(language).unwrap();
            for round in 0..2 {
                for w in words {
                    let mut got = w.to_lowercase();
                    cached.stem_in_place(&mut got);
                    let want = reference.stem(&w.to_lowercase()).into_owned();
                    let want = if want.is_empty() {
                        w.to_lowercase()
                    } else {
                        want
                    };
                    assert_eq!(got, want, "{w} in {name}, round {round}");
                }
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

    fn parts(word: &str) -> Vec<&str> {
        identifier_parts(word)
            .into_iter()
            .map(|r| &word[r])
            .collect()
    }

    #[test]
    fn identifiers_split_at_separators_and_case_changes() {
        assert_eq!(parts("fs.readFile"), ["fs", "readFile", "read", "File"]);
        assert_eq!(parts("BASH_VERSINFO"), ["BASH", "VERSINFO"]);
        assert_eq!(parts("exceedsBigInt"), ["exceeds", "Big", "Int"]);
        assert_eq!(parts("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(parts("base64Encode"), ["base64", "Encode"]);
        assert_eq!(parts("std::vec"), ["std", "vec"]);
        assert_eq!(parts("__init__"), ["init"]);
        assert_eq!(
            parts("XDG_DATA_HOME:XDG_DATA_DIRS"),
            [
                "XDG_DATA_HOME",
                "XDG_DATA_DIRS",
                "XDG",
                "DATA",
                "HOME",
                "XDG",
                "DATA",
                "DIRS"
            ]
        );
        assert_eq!(parts("os.path_join"), ["path_join", "os", "path", "join"]);
        assert_eq!(parts("ÉtéChaud"), ["Été", "Chaud"]);
        for plain in [
            "word", "Word", "WORD", "3.14", "v1.2", "don't", "x", "e.g", "U.S", "Ph.D", "M.I.T",
            "PhD", "EFTs", "iPhone", "logN",
        ] {
            assert!(parts(plain).is_empty(), "{plain}: {:?}", parts(plain));
        }
    }

    #[test]
    fn identifier_parts_share_the_identifiers_position() {
        let t = tokens("call fs.readFile now");
        let got: Vec<(usize, &str, usize, usize)> = t
            .iter()
            .map(|t| (t.position, t.text.as_str(), t.offset_from, t.offset_to))
            .collect();
        assert_eq!(
            got,
            [
                (0, "call", 0, 4),
                (1, "fs.readfil", 5, 16),
                (1, "fs", 5, 7),
                (1, "readfil", 8, 16),
                (1, "read", 8, 12),
                (1, "file", 12, 16),
                (2, "now", 17, 20),
            ]
        );
        // Query text is searched whole.
        let mut q = AnalyzerSettings::default().build_for_queries();
        let words: Vec<String> = analyze(&mut q, "fs.readFile")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(words, ["fs.readfil"]);
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
            stopwords: Vec::new(),
            identifier_parts: false,
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
        let t = analyze(
            &mut AnalyzerSettings {
                stemmer: None,
                stopwords: Vec::new(),
                identifier_parts: false,
            }
            .build(),
            &word,
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].text.len(), MAX_TOKEN_BYTES);
        assert_eq!(t[0].offset_to, 70_000);
    }
}
