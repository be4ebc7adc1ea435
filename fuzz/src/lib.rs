//! Invariant checks for the fuzz targets of `passage`.
//!
//! Each public function takes the raw bytes of one fuzz input, drives one part of the
//! public library API with it and panics (with a message naming the broken invariant)
//! when a documented property does not hold. The libFuzzer targets in `fuzz_targets/`
//! call these functions, and so does the plain `cargo test` replay in `tests/replay.rs`,
//! so a corpus or a regression input can be checked without libFuzzer.
//!
//! Input layouts (the leading bytes are settings, so any byte string is a valid input):
//!
//! | target | byte 0 | byte 1 | byte 2 | rest |
//! |---|---|---|---|---|
//! | `split` | bits 0-1 mode (auto, blank, line, auto), bit 2 Markdown | passage limit ([`max_chars`]) | | text |
//! | `analyzer` | stemmer ([`STEMMERS`]) | | | text |
//! | `query` | bit 0 `all`, bits 1-3 stemmer | | | query |
//! | `highlight` | bit 0 `all`, bits 1-3 stemmer | snippet width ([`max_chars`]) | snippet count | `query\0passage` |
//! | `decode` | forced encoding ([`ENCODINGS`]) | | | file bytes |
//! | `terminal` | bit 0 colour, bit 1 `-C` context | snippet width ([`max_chars`]) | snippet count | byte 3 highlight mask, then `path 0xFF heading 0xFF text` |
//! | `cost` | bit 0 `all`, 1 strict, 2 documents, 3 context, 4 no text, bits 5-7 limit | | | query |
//! | `pdf` | (the whole input is the file) | | | PDF bytes |
//!
//! Texts are the rest of the input decoded as UTF-8, invalid sequences replaced by U+FFFD.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;

use encoding_rs::Encoding;
use passage::analysis::{analyze, parse_stemmer, AnalyzerSettings};
use passage::corpus::pdf::{extract as extract_pdf, starts_as_pdf, PdfError};
use passage::corpus::read::{decode as decode_bytes, Decoded, BINARY_SNIFF_BYTES};
use passage::highlight::{edit_distance, snippet, snippets, Highlighter, Snippet};
use passage::index::schema::{build_schema, Fields};
use passage::passage::man::split_man;
use passage::passage::markdown::split_markdown;
use passage::query::{parse_query, FieldSel, LeafKind, ParseOptions, QueryAst};
use passage::search::compile::to_query;
use passage::{split_passages, Error, Passage, SplitMode, SplitOptions};
use unicode_segmentation::UnicodeSegmentation;

/// The check of one fuzz target: panics when an invariant fails on this input.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name: the names of the binaries in `fuzz_targets/` and of the
/// folders in `corpus/` and `regressions/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("split", split),
    ("analyzer", analyzer),
    ("query", query),
    ("highlight", highlight),
    ("decode", decode),
    ("terminal", terminal),
    ("cost", cost),
    ("pdf", pdf),
];

/// Bugs found by fuzzing and not fixed yet, by id. The checks skip a broken invariant
/// whose id is listed here (so that fuzzing goes on finding other things), except under
/// [`strict`]. Each id has a regression input `regressions/<target>/<id>*` that the replay
/// test runs strictly and expects to fail; when the bug is fixed, that test says so and
/// the id must be removed from this list.
pub const KNOWN_BUGS: &[&str] = &[
    // Fixed (their inputs are in regressions/ and must pass):
    // `analyzer-empty-stem`, `decode-utf8-bom-nul`, `decode-lossy-utf8-offsets`,
    // `cost-fuzzy-terms` (at most `MAX_TWO_EDIT_WORDS` words within two edits per query).
];

thread_local! {
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every invariant checked, [`KNOWN_BUGS`] included.
pub fn strict<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            STRICT.with(|s| s.set(self.0));
        }
    }
    let _reset = Reset(STRICT.with(|s| s.replace(true)));
    f()
}

/// Asserts `ok` for the known bug `id`: panics when it fails, unless the bug is listed in
/// [`KNOWN_BUGS`] and we are not [`strict`]. Returns `ok`.
fn known_bug(id: &str, ok: bool, message: impl FnOnce() -> String) -> bool {
    if !ok && (!KNOWN_BUGS.contains(&id) || STRICT.with(Cell::get)) {
        panic!("[{id}] {}", message());
    }
    ok
}

/// Stemmer names tried by the targets, indexed by a setting byte.
pub const STEMMERS: &[&str] = &[
    "english", "none", "french", "german", "russian", "arabic", "greek", "turkish",
];

/// Encodings forced on the decoder by the `decode` target (`None`: guess), indexed by
/// byte 0 modulo their number.
pub const ENCODINGS: &[Option<&Encoding>] = &[
    None,
    Some(encoding_rs::UTF_8),
    Some(encoding_rs::WINDOWS_1252),
    Some(encoding_rs::SHIFT_JIS),
    Some(encoding_rs::UTF_16LE),
    Some(encoding_rs::UTF_16BE),
    Some(encoding_rs::ISO_2022_JP),
    Some(encoding_rs::GB18030),
    Some(encoding_rs::EUC_KR),
    Some(encoding_rs::X_USER_DEFINED),
];

/// A width limit from one setting byte: `0` is 0 (no limit), 1 to 127 are themselves,
/// 128 to 255 are 16 to 2048 in steps of 16.
pub fn max_chars(b: u8) -> usize {
    match b {
        0..=127 => b as usize,
        _ => (b as usize - 127) * 16,
    }
}

fn settings(b: u8) -> AnalyzerSettings {
    let name = STEMMERS[b as usize % STEMMERS.len()];
    AnalyzerSettings {
        stemmer: parse_stemmer(name).expect("known stemmer name"),
        // One setting in four with Lucene's English stop words.
        stopwords: if b & 4 != 0 {
            passage::analysis::parse_stopwords("english").expect("the built-in list")
        } else {
            Vec::new()
        },
        // One setting in two with identifier parts.
        identifier_parts: b & 8 != 0,
    }
}

fn text_of(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// 1-based line of byte `offset`, counting `\n`, `\r\n` and a lone `\r` as line ends.
fn line_of(text: &str, offset: usize) -> u64 {
    let bytes = text.as_bytes();
    let mut line = 1;
    for i in 0..offset {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
    }
    line
}

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} {r:?} is outside the text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} is not on char boundaries of {text:?}"
    );
}

/// Passages of `text`: in order, numbered 0, 1, ..., non-overlapping, each slicing the
/// text to its own text (trimmed, non-empty, holding a word; text extracted from HTML
/// only inside its range, and the pieces of a long HTML block all with the block's
/// range), with the right first and last line numbers.
fn check_passages(text: &str, ps: &[Passage], what: &str) {
    let mut prev: Option<&Passage> = None;
    for (i, p) in ps.iter().enumerate() {
        let r = &p.byte_range;
        assert_eq!(p.ordinal, i as u64, "{what}: ordinals must count 0, 1, ...");
        check_range(text, r, what);
        // Text extracted from HTML (an HTML block in Markdown) is owned: its range is
        // the block's source, which holds tags; any other text is the source itself.
        if let std::borrow::Cow::Borrowed(t) = &p.text {
            assert_eq!(
                &text[r.clone()],
                *t,
                "{what}: byte_range must slice to text"
            );
        }
        assert!(!p.text.is_empty(), "{what}: empty passage at {r:?}");
        assert_eq!(
            p.text.trim(),
            p.text,
            "{what}: passage text must be trimmed"
        );
        assert!(
            p.text.unicode_words().next().is_some(),
            "{what}: passage {:?} has no word",
            p.text
        );
        assert!(p.line >= 1 && p.line <= p.end_line, "{what}: lines {p:?}");
        assert_eq!(
            (p.line, p.end_line),
            (line_of(text, r.start), line_of(text, r.end - 1)),
            "{what}: line numbers of {r:?}"
        );
        // The pieces of a long extracted HTML block share the block's range.
        let same_block = |q: &Passage| {
            matches!(q.text, std::borrow::Cow::Owned(_))
                && matches!(p.text, std::borrow::Cow::Owned(_))
                && q.byte_range == *r
        };
        if let Some(q) = prev.filter(|q| !same_block(q)) {
            assert!(
                q.byte_range.end <= r.start,
                "{what}: passages {:?} and {r:?} overlap or are out of order",
                q.byte_range
            );
            assert!(
                q.end_line <= p.line,
                "{what}: lines go down: {q:?} then {p:?}"
            );
        }
        prev = Some(p);
    }
}

/// Splitting: plain text with [`split_passages`], Markdown with [`split_markdown`] and,
/// when the first byte is 0xF8 or more, manual pages with [`split_man`].
///
/// Asserts the properties of [`check_passages`], that the same text splits the same way
/// twice, and, for plain text, that no word is lost: every letter or digit of every word
/// of the input lies inside some passage.
pub fn split(data: &[u8]) {
    let (flags, limit) = (data.first().copied().unwrap_or(0), data.get(1).copied());
    let text = text_of(data.get(2..).unwrap_or_default());
    let options = SplitOptions {
        mode: [
            SplitMode::Auto,
            SplitMode::Blank,
            SplitMode::Line,
            SplitMode::Auto,
        ][(flags & 3) as usize],
        max_chars: max_chars(limit.unwrap_or(255)),
    };
    if flags >= 0xF8 {
        // A manual page (roff): extracted text, each block's source as its range.
        let ps = split_man(&text, &options);
        check_passages(&text, &ps, "man");
        assert_eq!(ps, split_man(&text, &options), "man: not deterministic");
        return;
    }
    if flags & 4 != 0 {
        let ps = split_markdown(&text, &options);
        check_passages(&text, &ps, "markdown");
        assert_eq!(
            ps,
            split_markdown(&text, &options),
            "markdown: not deterministic"
        );
        return;
    }
    let ps = split_passages(&text, &options);
    check_passages(&text, &ps, "plain");
    assert_eq!(
        ps,
        split_passages(&text, &options),
        "plain: not deterministic"
    );
    let mut covered = vec![false; text.len()];
    for p in &ps {
        covered[p.byte_range.clone()].fill(true);
    }
    for (start, word) in text.unicode_word_indices() {
        for (i, c) in word.char_indices() {
            assert!(
                !c.is_alphanumeric() || covered[start + i],
                "plain ({options:?}): word {word:?} at byte {start} is lost (char {c:?})"
            );
        }
    }
}

/// The analyzer ([`AnalyzerSettings::build`] and [`analyze`]).
///
/// Asserts: each token is non-empty, its offsets are a non-empty range on char boundaries
/// inside the text; tokens do not overlap and come in text order, except that the parts
/// of an identifier follow it at its position, inside its range; positions count 0, 1,
/// ... (with stop words: they only go up, a removed word leaving a gap); every word of the
/// input (UAX #29, holding a letter or digit) that is not a stop word gives at least one
/// token; the same text gives the same tokens again, from the same analyzer and a fresh
/// one.
pub fn analyzer(data: &[u8]) {
    let settings = settings(data.first().copied().unwrap_or(0));
    let text = text_of(data.get(1..).unwrap_or_default());
    let mut a = settings.build();
    let tokens = analyze(&mut a, &text);
    let mut prev_end = 0;
    let mut whole: Option<(usize, std::ops::Range<usize>)> = None;
    let mut wholes = 0;
    for t in &tokens {
        let r = t.offset_from..t.offset_to;
        if let Some((pos, w)) = whole.as_ref().filter(|(pos, _)| *pos == t.position) {
            assert!(
                settings.identifier_parts,
                "token {t:?} shares position {pos}"
            );
            check_range(&text, &r, "identifier part");
            assert!(
                r.start >= w.start && r.end <= w.end && r.start < r.end,
                "part {t:?} outside its identifier {w:?}"
            );
            continue;
        }
        let i = wholes;
        wholes += 1;
        let previous = whole.replace((t.position, r.clone())).map(|(pos, _)| pos);
        check_range(&text, &r, "token");
        assert!(r.start < r.end, "token {t:?}: empty range");
        known_bug("analyzer-empty-stem", !t.text.is_empty(), || {
            format!("token {t:?} of {:?}: empty text", &text[r.clone()])
        });
        assert!(
            t.text.len() <= 65_530,
            "token of {} bytes is over Tantivy's term limit",
            t.text.len()
        );
        assert!(
            r.start >= prev_end,
            "token {t:?} starts before the previous one ends ({prev_end})"
        );
        if settings.stopwords.is_empty() {
            assert_eq!(t.position, i, "token {t:?}: positions must count 0, 1, ...");
        } else if let Some(prev) = previous {
            assert!(t.position > prev, "token {t:?}: positions must go up");
        }
        prev_end = r.end;
    }
    let mut unstopped = AnalyzerSettings {
        stemmer: None,
        stopwords: Vec::new(),
        identifier_parts: false,
    }
    .build();
    let mut next = 0;
    for (start, word) in text.unicode_word_indices() {
        let end = start + word.len();
        let folded = analyze(&mut unstopped, word);
        if !folded.is_empty()
            && folded
                .iter()
                .all(|t| settings.stopwords.binary_search(&t.text).is_ok())
        {
            continue; // a stop word: left out on purpose
        }
        while next < tokens.len() && tokens[next].offset_to <= start {
            next += 1;
        }
        assert!(
            next < tokens.len() && tokens[next].offset_from < end,
            "word {word:?} at byte {start} gives no token"
        );
    }
    macro_rules! key {
        ($ts:expr) => {
            $ts.iter()
                .map(|t| (t.text.clone(), t.offset_from, t.offset_to, t.position))
                .collect::<Vec<_>>()
        };
    }
    let again = analyze(&mut a, &text);
    assert_eq!(key!(tokens), key!(again), "same analyzer, other tokens");
    let fresh = analyze(&mut settings.build(), &text);
    assert_eq!(key!(tokens), key!(fresh), "fresh analyzer, other tokens");
}

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| build_schema().1)
}

/// The query parser ([`parse_query`]), strict and lenient, with and without `all`.
///
/// Asserts: it returns (no panic, no endless loop: libFuzzer's timeout), with an error
/// only of the query kinds (`QueryParse`, `EmptyQuery`) naming a position inside the
/// query; a lenient parse that succeeds has a syntax tree and warnings that name positions
/// inside the query; a strict parse succeeds exactly when the lenient one succeeds
/// without warnings, with the same tree; parsing is deterministic; the tree turns into a
/// Tantivy query and a highlighter without panicking.
pub fn query(data: &[u8]) {
    let flags = data.first().copied().unwrap_or(0);
    let q = text_of(data.get(1..).unwrap_or_default());
    let nchars = q.chars().count();
    let mut a = settings(flags >> 1).build();
    let all = flags & 1 != 0;
    let lenient = parse_query(
        &q,
        &mut a,
        ParseOptions {
            all,
            strict: false,
            ..Default::default()
        },
    );
    let strict = parse_query(
        &q,
        &mut a,
        ParseOptions {
            all,
            strict: true,
            ..Default::default()
        },
    );
    for r in [&lenient, &strict] {
        match r {
            Err(Error::QueryParse { position, .. }) => assert!(
                (1..=nchars + 1).contains(position),
                "error position {position} outside a query of {nchars} chars: {r:?}"
            ),
            Err(Error::EmptyQuery(_)) | Ok(_) => {}
            Err(e) => panic!("unexpected kind of error: {e:?}"),
        }
    }
    match (&lenient, &strict) {
        (Ok(l), Ok(s)) => {
            assert!(s.warnings.is_empty(), "strict parse with warnings: {s:?}");
            assert!(
                l.warnings.is_empty(),
                "strict parse succeeded but the lenient one warns: {l:?}"
            );
            assert_eq!(l.ast, s.ast, "strict and lenient trees differ");
        }
        (Ok(l), Err(e)) => assert!(
            !l.warnings.is_empty(),
            "strict parse failed ({e}) but the lenient one had no warning: {l:?}"
        ),
        (Err(e), Ok(s)) => panic!("lenient parse failed ({e}) but the strict one did not: {s:?}"),
        (Err(_), Err(_)) => {}
    }
    if let Ok(l) = &lenient {
        for w in &l.warnings {
            assert!(
                (1..=nchars + 1).contains(&w.position),
                "warning {w:?} names no position inside a query of {nchars} chars"
            );
        }
        let again = parse_query(
            &q,
            &mut a,
            ParseOptions {
                all,
                strict: false,
                ..Default::default()
            },
        )
        .expect("parsed once, so parses again");
        assert_eq!(l.ast, again.ast, "parsing is not deterministic");
        assert_eq!(l.warnings, again.warnings, "parsing is not deterministic");
        let ast = l.ast.as_ref().expect("a successful parse has a tree");
        let _ = to_query(ast, fields(), &|_| 1.0);
        let _ = Highlighter::new(ast);
    }
}

fn leaf_matches(leaf: &LeafKind, token: &str) -> bool {
    match leaf {
        LeafKind::Phrase { tokens, .. } => tokens.iter().any(|t| t == token),
        LeafKind::Prefix { prefix, stem } => {
            token.starts_with(prefix.as_str()) || stem.as_deref() == Some(token)
        }
        LeafKind::Fuzzy {
            token: t, distance, ..
        } => edit_distance(token, t) <= *distance as usize,
        LeafKind::Terms { terms } => terms.iter().any(|t| t == token),
    }
}

fn check_snippet(text: &str, s: &Snippet, max: usize) {
    check_range(text, &s.range, "snippet");
    assert_eq!(s.cut_before, s.range.start > 0, "snippet {s:?}: cut_before");
    assert_eq!(
        s.cut_after,
        s.range.end < text.len(),
        "snippet {s:?}: cut_after"
    );
    if max == 0 || text.chars().count() <= max {
        assert_eq!(s.range, 0..text.len(), "a text that fits is shown whole");
    } else {
        let n = text[s.range.clone()].chars().count();
        assert!(
            n <= max,
            "snippet {s:?} has {n} chars, over the width {max}"
        );
    }
}

/// The highlighter ([`Highlighter`]) and snippet windows ([`snippet`], [`snippets`]).
///
/// For each query that parses (strict and lenient), asserts: the spans are sorted,
/// non-overlapping, non-empty, on char boundaries, inside the passage; each begins at a
/// token's start and ends at a token's end, and holds a token that a positive leaf of the
/// query (not `heading:`) matches; every token that a one-word, prefix or fuzzy leaf
/// matches is inside a span; highlighting is deterministic. The snippet windows are on
/// char boundaries inside the text, at most the width, the whole text when it fits, with
/// consistent `cut_before`/`cut_after`, and the several windows of `snippets` are sorted
/// and non-overlapping.
pub fn highlight(data: &[u8]) {
    let flags = data.first().copied().unwrap_or(0);
    let width = max_chars(data.get(1).copied().unwrap_or(0));
    let k = data.get(2).copied().unwrap_or(1) as usize % 4;
    let rest = data.get(3..).unwrap_or_default();
    let (q, text) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (text_of(&rest[..i]), text_of(&rest[i + 1..])),
        None => (text_of(rest), text_of(rest)),
    };
    let mut a = settings(flags >> 1).build();
    let all = flags & 1 != 0;
    let tokens = analyze(&mut a, &text);
    for strict in [false, true] {
        let Ok(parsed) = parse_query(
            &q,
            &mut a,
            ParseOptions {
                all,
                strict,
                ..Default::default()
            },
        ) else {
            continue;
        };
        let Some(ast) = parsed.ast else { continue };
        let leaves: Vec<&LeafKind> = ast
            .positive_leaves()
            .into_iter()
            .filter(|(f, _)| *f != FieldSel::Heading)
            .map(|(_, k)| k)
            .collect();
        let h = Highlighter::new(&ast);
        let spans = h.highlight(&mut a, &text);
        let mut prev_end = 0;
        for s in &spans {
            check_range(&text, s, "highlight");
            assert!(s.start < s.end, "empty highlight {s:?}");
            assert!(
                s.start >= prev_end,
                "highlights out of order or overlapping: {spans:?}"
            );
            prev_end = s.end;
            assert!(
                tokens.iter().any(|t| t.offset_from == s.start)
                    && tokens.iter().any(|t| t.offset_to == s.end),
                "highlight {s:?} ({:?}) does not begin and end at token bounds",
                &text[s.clone()]
            );
            assert!(
                tokens.iter().any(|t| {
                    t.offset_from >= s.start
                        && t.offset_to <= s.end
                        && leaves.iter().any(|l| leaf_matches(l, &t.text))
                }),
                "highlight {s:?} ({:?}) holds no token the query {q:?} matches",
                &text[s.clone()]
            );
        }
        for t in &tokens {
            let single = leaves.iter().any(|l| match l {
                LeafKind::Phrase { tokens: ws, .. } => ws.len() == 1 && ws[0] == t.text,
                _ => leaf_matches(l, &t.text),
            });
            assert!(
                !single
                    || spans
                        .iter()
                        .any(|s| s.start <= t.offset_from && t.offset_to <= s.end),
                "token {t:?} matches the query {q:?} but is not highlighted: {spans:?}"
            );
        }
        assert_eq!(
            spans,
            h.highlight(&mut a, &text),
            "highlight not deterministic"
        );

        let one = snippet(&text, &spans, width);
        check_snippet(&text, &one, width);
        let many = snippets(&text, &spans, width, k);
        assert!(
            !many.is_empty() && many.len() <= k.max(1),
            "{} snippets for k = {k}",
            many.len()
        );
        let mut prev_end = 0;
        for s in &many {
            check_range(&text, &s.range, "snippets");
            if width > 0 && text.chars().count() > width {
                let n = text[s.range.clone()].chars().count();
                assert!(n <= width, "snippet {s:?} has {n} chars, over {width}");
            }
            assert!(
                s.range.start >= prev_end,
                "snippets out of order or overlapping: {many:?}"
            );
            prev_end = s.range.end;
        }
    }
}

/// PDF text extraction ([`passage::corpus::pdf::extract`]) on arbitrary bytes.
///
/// Asserts: it returns (a panic inside the PDF crate is caught); the pages with text are
/// 1-based, in ascending order, and each holds a word; a file is "not a PDF" only when it
/// does not start with `%PDF-`.
pub fn pdf(data: &[u8]) {
    match extract_pdf(data) {
        Ok(text) => {
            let pages: Vec<u64> = text.pages.iter().map(|(p, _)| *p).collect();
            assert!(!pages.is_empty(), "a PDF with text and no page");
            assert!(pages[0] >= 1, "pages are 1-based: {pages:?}");
            assert!(
                pages.windows(2).all(|w| w[0] < w[1]),
                "pages out of order: {pages:?}"
            );
            for (page, t) in &text.pages {
                assert!(
                    t.unicode_words().next().is_some(),
                    "page {page} without a word"
                );
            }
        }
        Err(PdfError::NotPdf) => assert!(
            !starts_as_pdf(data),
            "starts with %PDF- but read as not a PDF"
        ),
        Err(_) => {}
    }
}

/// The decoder ([`passage::corpus::read::decode`]) on arbitrary bytes, guessing or with a
/// forced encoding ([`ENCODINGS`]).
///
/// Asserts: it returns; a file is binary exactly when, without a UTF-16 byte order mark,
/// a NUL byte is among its first [`BINARY_SNIFF_BYTES`] bytes; the text is valid UTF-8
/// with the byte order mark (recorded in `bom_len`) removed; UTF-8 input is kept as is
/// (not lossy, offsets are file offsets) unless another encoding is forced; when
/// `offsets_are_file_offsets`, the text is exactly the file's bytes after the mark;
/// bytes that are not UTF-8 but decoded as UTF-8 are reported (`lossy`).
pub fn decode(data: &[u8]) {
    let forced = ENCODINGS[data.first().copied().unwrap_or(0) as usize % ENCODINGS.len()];
    let bytes = data.get(1..).unwrap_or_default();
    let utf16_bom = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let utf8_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let nul = bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0);
    match decode_bytes(bytes.to_vec(), forced) {
        Decoded::Binary => assert!(
            nul && !utf16_bom,
            "binary without a NUL byte, or despite a UTF-16 BOM"
        ),
        Decoded::Text(t) => {
            if !known_bug("decode-utf8-bom-nul", !nul || utf16_bom, || {
                "a NUL byte in the first bytes but decoded as text after a UTF-8 BOM".into()
            }) {
                return;
            }
            let expected_bom = if utf16_bom {
                2
            } else if utf8_bom {
                3
            } else {
                0
            };
            assert_eq!(t.bom_len, expected_bom, "bom_len of {:?}", t.encoding);
            assert!(std::str::from_utf8(t.text.as_bytes()).is_ok());
            assert!(!t.encoding.is_empty(), "no encoding name");
            let body = &bytes[t.bom_len..];
            let utf8 = std::str::from_utf8(body).ok();
            let forced_other = forced.is_some_and(|e| e != encoding_rs::UTF_8);
            if let (Some(s), false, false) = (utf8, forced_other, utf16_bom) {
                assert_eq!(t.text, s, "UTF-8 input must be kept as is");
                assert_eq!(t.encoding, "UTF-8");
                assert!(!t.lossy && t.offsets_are_file_offsets);
            }
            if t.offsets_are_file_offsets {
                known_bug(
                    "decode-lossy-utf8-offsets",
                    t.text.as_bytes() == body,
                    || {
                        format!("offsets_are_file_offsets but the text {:?} is not the file's bytes {body:?}", t.text)
                    },
                );
            }
            if utf8.is_none() && t.encoding == "UTF-8" {
                assert!(
                    t.lossy,
                    "invalid UTF-8 decoded as UTF-8 must be reported lossy"
                );
            }
        }
    }
}

/// The SGR sequences the standard printer's colours use (anstyle's rendering of its
/// styles): the only escape sequences allowed on its output.
const OUR_SGR: &[&str] = &[
    "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[35m", "\x1b[36m",
];

/// The control characters of `s` other than `\n` and `\t`.
fn controls_in(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| c != '\n' && c != '\t' && passage::printer::inert::is_control(c))
        .collect()
}

/// Runs `f` on a fresh buffer and returns what it wrote, as text.
fn printed(f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut out = Vec::new();
    f(&mut out);
    String::from_utf8(out).expect("printers write UTF-8")
}

/// Target `terminal`: text from documents never controls the terminal.
///
/// Input: byte 0 bit 0 colour, bit 1 `-C` context passages; byte 1 snippet width
/// ([`max_chars`]); byte 2 snippet count; byte 3 which words are highlighted (word `i`
/// when bit `i % 8` is set; adjacent highlighted words merge into one span, as a phrase's
/// do, so spans can hold line breaks and controls); the rest `path 0xFF heading 0xFF
/// text`, each part decoded lossily.
///
/// Asserts: [`inert::line`](passage::printer::inert::line) leaves no control character
/// but tab, [`inert::text`](passage::printer::inert::text) none but `\n` and tab (so no
/// `\r`); escaping the pieces of any partition with `text_range` and joining them gives
/// `text`; the standard printer (colour or not, with context passages, any snippet
/// setting) writes no control character but `\n`, tab and its own SGR sequences, and with
/// whole passages its output without those sequences is exactly the escaped header and
/// text; `--vimgrep` and TREC lines are one line each, without control characters (TREC:
/// six fields); JSON holds no raw control character and decodes to the exact text.
pub fn terminal(data: &[u8]) {
    use passage::printer::{
        inert, JsonPrinter, Printer, StandardBuilder, TrecPrinter, VimgrepPrinter,
    };
    use passage::search::Hit;

    let [flags, width, count, mask, rest @ ..] = data else {
        return;
    };
    let mut parts = rest.splitn(3, |&b| b == 0xFF);
    let path = text_of(parts.next().unwrap_or_default()).into_owned();
    let heading = parts.next().map(|h| text_of(h).into_owned());
    let text = text_of(parts.next().unwrap_or_default()).into_owned();
    let colour = flags & 1 == 1;

    // Inert text.
    for s in [&path, &text] {
        let l = inert::line(s);
        assert!(
            l.chars().all(|c| c == '\t' || !inert::is_control(c)),
            "inert::line left a control character in {l:?}"
        );
        let t = inert::text(s);
        assert!(controls_in(&t).is_empty(), "inert::text left {t:?}");
    }
    // Highlights: runs of highlighted words, merged.
    let mut highlights: Vec<Range<usize>> = Vec::new();
    for (i, (at, w)) in text.unicode_word_indices().enumerate() {
        if mask & (1 << (i % 8)) == 0 {
            continue;
        }
        match highlights.last_mut() {
            Some(last) if last.end + 2 >= at && i > 0 => last.end = at + w.len(),
            _ => highlights.push(at..at + w.len()),
        }
    }
    // A partition at every highlight bound and at every char of the first 64 bytes.
    let mut cuts: Vec<usize> = highlights.iter().flat_map(|r| [r.start, r.end]).collect();
    cuts.extend((0..text.len().min(64)).filter(|&i| text.is_char_boundary(i)));
    cuts.push(0);
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    let joined: String = cuts
        .windows(2)
        .map(|w| inert::text_range(&text, w[0]..w[1]))
        .collect();
    assert_eq!(joined, inert::text(&text), "pieces of {text:?} do not join");

    let hit = Hit {
        path: path.clone(),
        line: 7,
        end_line: 9,
        text: text.clone(),
        heading: heading.clone(),
        // A transcoded file: `--vimgrep` then never reads the file system.
        encoding: Some("fuzz".into()),
        highlights: highlights.clone(),
        context_before: if flags & 2 == 2 {
            vec![Hit {
                path: path.clone(),
                line: 3,
                text: text.clone(),
                ..Hit::default()
            }]
        } else {
            Vec::new()
        },
        ..Hit::default()
    };
    let hit = Hit {
        context_after: hit.context_before.clone(),
        ..hit
    };

    // Standard printer.
    for max in [max_chars(*width), 0] {
        let out = printed(|buf| {
            let mut p = StandardBuilder::new()
                .color(colour)
                .max_chars(max)
                .snippets(usize::from(*count % 4))
                .build(buf);
            p.hit(&hit).unwrap();
            p.finish().unwrap();
        });
        let mut plain = out.clone();
        if colour {
            for sgr in OUR_SGR {
                plain = plain.replace(sgr, "");
            }
        }
        let found = controls_in(&plain);
        assert!(found.is_empty(), "control characters {found:?} in {out:?}");
        if max == 0 && hit.context_before.is_empty() {
            let head = match &heading {
                Some(h) => format!("{}:7  {}\n", inert::line(&path), inert::line(h)),
                None => format!("{}:7\n", inert::line(&path)),
            };
            let expected = format!("{head}{}\n", inert::text(&text));
            assert_eq!(plain, expected, "whole passage not printed as escaped");
        }
    }

    // `--vimgrep`, TREC: one line each.
    for (trec, out) in [
        (
            false,
            printed(|buf| {
                let mut p = VimgrepPrinter::new(buf);
                p.hit(&hit).unwrap();
                p.finish().unwrap();
            }),
        ),
        (
            true,
            printed(|buf| {
                let mut p = TrecPrinter::new(buf, "tag", false, 0);
                p.hit(&hit).unwrap();
                p.finish().unwrap();
            }),
        ),
    ] {
        assert!(out.ends_with('\n'), "{out:?}");
        let line = &out[..out.len() - 1];
        let found = controls_in(line);
        assert!(
            found.is_empty() && !line.contains('\n'),
            "not one inert line: {out:?}"
        );
        if trec {
            assert_eq!(line.split(' ').count(), 6, "TREC fields: {out:?}");
        }
    }

    // JSON: exact text, no raw control character.
    let out = printed(|buf| {
        let mut p = JsonPrinter::new(buf).with_context(true);
        p.hit(&hit).unwrap();
        p.finish().unwrap();
    });
    assert!(
        out.trim_end_matches('\n')
            .chars()
            .all(|c| !inert::is_control(c)),
        "raw control character in JSON {out:?}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["text"].as_str(), Some(text.as_str()));
    assert_eq!(v["path"].as_str(), Some(path.as_str()));
}

/// The index the `cost` target searches: a few hundred passages in a temporary folder,
/// built once per process through the library's own ingest.
struct CostIndex {
    engine: passage::Engine,
}

/// Words of the `cost` index: common English words (stop words among them), words that
/// stem alike, hyphenated and numbered ones, so that queries meet frequent, rare and
/// phrase-splitting terms.
#[rustfmt::skip] // One word a line would be 70 lines.
const COST_WORDS: &[&str] = &[
    "the", "of", "and", "a", "to", "in", "is", "it", "that", "was", "for", "on", "with",
    "as", "by", "at", "not", "be", "this", "from", "or", "but", "an", "are", "which",
    "search", "searching", "searched", "index", "indexes", "indexing", "passage",
    "passages", "query", "queries", "word", "words", "terminal", "file", "files",
    "holmes", "watson", "baker", "street", "letter", "lamp", "window", "river", "stone",
    "on-chip", "e-mail", "state-of-the-art", "x86_64", "2026", "1.5", "naïve", "café",
    "straße", "日本語", "Ελλάδα", "русский", "عربى", "ümlaut", "co-operate", "re-index",
];

/// `n` words of the cost index, deterministic from `seed` (a linear congruential
/// generator; a few synthetic rare words `rareN` too).
fn cost_text(seed: &mut u64, n: usize) -> String {
    let mut words = Vec::with_capacity(n);
    for _ in 0..n {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (*seed >> 33) as usize;
        if r.is_multiple_of(17) {
            words.push(format!("rare{}", r % 997));
        } else {
            // Skewed towards the first words, as in text.
            let i = (r % COST_WORDS.len()) * (r / 7 % COST_WORDS.len()) / COST_WORDS.len();
            words.push(COST_WORDS[i].to_owned());
        }
    }
    words.join(" ")
}

fn cost_index() -> &'static CostIndex {
    static INDEX: OnceLock<CostIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("passage-fuzz-cost-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let docs = root.join("docs");
        std::fs::create_dir_all(&docs).expect("create the cost corpus folder");
        // 6 Markdown files x 50 passages (a heading every 10), 300 passages in all.
        let mut seed = 16;
        for f in 0..6 {
            let mut text = String::new();
            for p in 0..50 {
                if p % 10 == 0 {
                    text.push_str(&format!("# {}\n\n", cost_text(&mut seed, 3)));
                }
                let n = 5 + (seed >> 40) as usize % 80;
                text.push_str(&cost_text(&mut seed, n));
                text.push_str("\n\n");
            }
            std::fs::write(docs.join(format!("doc{f}.md")), text).expect("write a cost file");
        }
        let index_dir = root.join("index");
        let options = passage::IngestOptions {
            threads: 1,
            ..Default::default()
        };
        passage::ingest(
            &index_dir,
            &passage::CorpusBuilder::new(vec![docs]),
            &options,
            |_| {},
        )
        .expect("ingest the cost corpus");
        let engine = passage::Engine::open(&index_dir).expect("open the cost index");
        // One-time costs are not a query's: Tantivy builds its Levenshtein automaton
        // builders (distance 1 and 2) on first use (about 50 ms for distance 2 in a release
        // build, 270 ms under libFuzzer's instrumentation), and the first call maps what
        // it reads.
        for q in [
            "watsn~1 holm~2 holmes* \"the search\"",
            "rare1~2 heading:lamp",
        ] {
            let mut request = passage::QueryRequest::new(q);
            request.suggest = true;
            for per_doc in [None, Some(2)] {
                request.per_doc = per_doc;
                request.context = 1;
                let _ = engine.search(&request);
            }
        }
        // The searcher has every segment file mapped; the folder can go (Unix).
        if cfg!(unix) {
            let _ = std::fs::remove_dir_all(&root);
        }
        CostIndex { engine }
    })
}

/// CPU time of the calling thread (not wall time: the fuzzer shares its machine with
/// builds, and a thread waiting for a core is not doing work).
fn thread_cpu_time() -> std::time::Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of libc.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Fixed part of the `cost` bound, in an optimised (fuzz or release) build.
pub const COST_BASE: std::time::Duration = std::time::Duration::from_millis(200);
/// Part of the `cost` bound per character of the query, in an optimised build.
pub const COST_PER_CHAR: std::time::Duration = std::time::Duration::from_micros(50);
/// How much slower an unoptimised build (the replay test under `cargo test`) may be:
/// measured 20 to 40 times, unevenly; generous, so that only a gross cost bug fails.
pub const COST_DEBUG_FACTOR: u32 = 50;

/// The most distinct two-edit fuzzy terms (`word~2`) a query may hold for its cost to
/// stay within the bound: each costs about 30 ms of CPU (release build) to build its
/// Levenshtein automaton, one-edit ones too little to measure.
pub const COST_MAX_FUZZY2: usize = 5;

/// True when `ast` has a fuzzy leaf (`word~N`).
fn has_fuzzy(ast: &QueryAst) -> bool {
    match ast {
        QueryAst::Leaf { kind, .. } => matches!(kind, LeafKind::Fuzzy { .. }),
        QueryAst::Bool(cs) => cs.iter().any(|(_, c)| has_fuzzy(c)),
    }
}

/// The distinct tokens of the two-edit fuzzy leaves of `ast`.
fn fuzzy2_tokens<'a>(ast: &'a QueryAst, out: &mut std::collections::BTreeSet<&'a str>) {
    match ast {
        QueryAst::Leaf {
            kind: LeafKind::Fuzzy {
                token, distance, ..
            },
            ..
        } if *distance >= 2 => {
            out.insert(token);
        }
        QueryAst::Leaf { .. } => {}
        QueryAst::Bool(cs) => cs.iter().for_each(|(_, c)| fuzzy2_tokens(c, out)),
    }
}

/// The query path's cost ([`passage::Engine::search`], with suggestions when nothing
/// matched, as `passage query` runs
/// them) on a fixed index of 300 passages.
///
/// Input: byte 0 bit 0 `all`, bit 1 strict, bit 2 documents (`per_doc` 2), bit 3 one
/// passage of context, bit 4 no text (`with_text` false), bits 5-7 the limit (1, 2, 4,
/// ... 128 hits); the rest is the query.
///
/// Asserts, deterministically: the query tree the search runs has at most
/// [`MAX_CLAUSES`](passage::search::budget::MAX_CLAUSES) clauses once its fuzzy and
/// prefix leaves are expanded and it is budgeted
/// ([`fold_repeats`](passage::search::budget::fold_repeats) then
/// [`limit`](passage::search::budget::limit)), so the postings walked are bounded
/// whatever the query's length; at most [`COST_MAX_FUZZY2`] distinct two-edit fuzzy
/// terms (known bug `cost-fuzzy-terms`); errors are only of the query kinds. And, measured: the
/// search takes at most [`COST_BASE`] + [`COST_PER_CHAR`] x the query's length in chars
/// of the thread's CPU time ([`COST_DEBUG_FACTOR`] times that in an unoptimised build).
/// Parsing is linear in the query and the rest is bounded by the clause budget, so a
/// query past the bound is a cost bug (a quadratic step, a clause that escaped the
/// budget), not noise; CPU time rather than wall time keeps a busy machine from causing
/// false alarms.
pub fn cost(data: &[u8]) {
    use passage::search::budget::{count_leaves, fold_repeats, limit, MAX_CLAUSES};

    let flags = data.first().copied().unwrap_or(0);
    let q = text_of(data.get(1..).unwrap_or_default()).into_owned();
    let nchars = q.chars().count();
    let mut request = passage::QueryRequest::new(q.clone());
    request.suggest = true;
    request.parse.all = flags & 1 != 0;
    request.parse.strict = flags & 2 != 0;
    request.per_doc = (flags & 4 != 0).then_some(2);
    request.context = usize::from(flags & 8 != 0);
    request.with_text = flags & 16 == 0;
    request.limit = 1 << (flags >> 5);

    let engine = &cost_index().engine;

    // Known bug `cost-fuzzy-terms`, checked without timing so that it holds in the
    // unoptimised replay too; tolerated, such a query is not run (it can take seconds,
    // past libFuzzer's timeout), so that fuzzing goes on past it.
    let mut a = engine
        .index()
        .expect("the cost index")
        .analyzer_settings()
        .build();
    if let Ok(Some(ast)) = parse_query(&q, &mut a, request.parse).map(|p| p.ast) {
        let mut fuzzy2 = std::collections::BTreeSet::new();
        fuzzy2_tokens(&ast, &mut fuzzy2);
        let n = fuzzy2.len();
        if !known_bug("cost-fuzzy-terms", n <= COST_MAX_FUZZY2, || {
            format!("{n} distinct two-edit fuzzy terms, over {COST_MAX_FUZZY2}")
        }) {
            return;
        }
    }

    let start = thread_cpu_time();
    let result = engine.search(&request);
    let spent = thread_cpu_time().saturating_sub(start);

    match &result {
        Ok(_) | Err(Error::QueryParse { .. }) | Err(Error::EmptyQuery(_)) => {}
        Err(e) => panic!("unexpected kind of error: {e:?}"),
    }
    // The clause budget, on the tree the search runs (the weight is a stand-in: the
    // budget keeps at most MAX_CLAUSES leaves whatever the weights).
    let mut fuzzy = false;
    if let Ok(parsed) = parse_query(&q, &mut a, request.parse) {
        if let Some(ast) = parsed.ast {
            fuzzy = has_fuzzy(&ast);
            let expanded = engine.expand(ast).expect("expand against the index");
            let (budgeted, _) = limit(fold_repeats(expanded), MAX_CLAUSES, &|_, _| Some(1.0));
            let n = budgeted.as_ref().map_or(0, count_leaves);
            assert!(
                n <= MAX_CLAUSES,
                "{n} clauses after budgeting, over {MAX_CLAUSES}"
            );
        }
    }
    let factor = if cfg!(debug_assertions) && !cfg!(fuzzing) {
        COST_DEBUG_FACTOR
    } else {
        1
    };
    let bound = (COST_BASE + COST_PER_CHAR * nchars as u32) * factor;
    let message =
        || format!("a query of {nchars} chars took {spent:?} of CPU, over the bound {bound:?}");
    if spent > bound && fuzzy {
        // Each distinct fuzzy term builds a Levenshtein automaton before the budget.
        known_bug("cost-fuzzy-terms", false, message);
    } else {
        assert!(spent <= bound, "{}", message());
    }
}
