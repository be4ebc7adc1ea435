//! Splitting text into passages (DESIGN.md section 2).
//!
//! A passage is a paragraph: a run of non-blank lines between blank (empty or
//! whitespace-only) lines. A text with no blank line at all is read as one passage per
//! line when its lines look like paragraphs (see [`SplitMode::Auto`]). A passage longer
//! than the passage limit is cut at sentence boundaries (UAX #29), and a sentence longer
//! than the limit at word boundaries. Passages without any word are dropped.

pub mod html;
pub mod man;
pub mod markdown;

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// By default a passage holds at most this many characters before it is split.
pub const DEFAULT_MAX_PASSAGE_CHARS: usize = 2000;

/// A line at least this many characters long counts as "long" for [`SplitMode::Auto`].
pub const LONG_LINE_CHARS: usize = 100;

/// How a text without Markdown structure is cut into paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SplitMode {
    /// Blank lines separate paragraphs; in a text with no blank line between two
    /// non-blank lines, each line is a paragraph when at least half of the lines are
    /// long ([`LONG_LINE_CHARS`] characters or more) or at least 60% of them end with
    /// sentence-final punctuation (`. ! ? : ; " ' ) ] |` and their typographic kin), and
    /// fewer than one line in five runs on (ends without that punctuation, the next line
    /// starting in lower case). Otherwise (hard-wrapped text, whose lines run on
    /// mid-sentence) the text is one paragraph. The default.
    #[default]
    Auto,
    /// Blank lines separate paragraphs, always.
    Blank,
    /// Every non-blank line is a paragraph.
    Line,
}

/// Settings for [`split_passages`].
#[derive(Debug, Clone, Copy)]
pub struct SplitOptions {
    /// How paragraphs are found. By default [`SplitMode::Auto`].
    pub mode: SplitMode,
    /// The most characters (Unicode scalar values) in one passage. By default
    /// [`DEFAULT_MAX_PASSAGE_CHARS`]. `0` means no limit.
    pub max_chars: usize,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            mode: SplitMode::Auto,
            max_chars: DEFAULT_MAX_PASSAGE_CHARS,
        }
    }
}

/// One passage of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage<'a> {
    /// 0-based ordinal of the passage in its text.
    pub ordinal: u64,
    /// Half-open, 0-based byte range of the passage in the text it was split from. For
    /// text extracted from markup (HTML, manual pages), the source of the whole block the passage came
    /// from: every passage cut from one long block shares it.
    pub byte_range: Range<usize>,
    /// 1-based number of the passage's first line.
    pub line: u64,
    /// 1-based number of the passage's last line (inclusive).
    pub end_line: u64,
    /// The passage text, whitespace trimmed at its ends. For plain text and Markdown the
    /// slice `byte_range` of the source (borrowed, not copied), inner text unchanged; for
    /// HTML and manual pages the text extracted from that slice (owned): tags or macros
    /// out, entities or escapes resolved.
    pub text: Cow<'a, str>,
    /// Heading breadcrumb (`Title > Section`) for structured formats; `None` for plain text.
    pub heading: Option<String>,
}

/// The heading breadcrumb of structured text (`Title > Section`), kept as headings come.
#[derive(Debug, Default)]
pub(crate) struct Breadcrumb {
    /// Open headings: level (1 to 6) and title.
    headings: Vec<(u8, String)>,
    current: Option<String>,
}

impl Breadcrumb {
    /// A heading of `level` (1 for the top) with `title`: it closes the headings of its
    /// level and below, and is shown after those above it. An empty title (whitespace
    /// collapsed) only closes.
    pub(crate) fn heading(&mut self, level: u8, title: &str) {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        self.headings.retain(|(l, _)| *l < level);
        if !title.is_empty() {
            self.headings.push((level, title));
        }
        self.current = (!self.headings.is_empty()).then(|| {
            let titles: Vec<&str> = self.headings.iter().map(|(_, t)| t.as_str()).collect();
            titles.join(" > ")
        });
    }

    /// The breadcrumb of the text that follows, `None` before any heading.
    pub(crate) fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }
}

/// Byte offsets of line starts, for mapping offsets to 1-based line numbers.
///
/// `\n`, `\r\n` and a lone `\r` all end a line.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        // memchr's vectorised search: a byte-by-byte loop was 1.5 % of ingest CPU.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line number of the line holding byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }

    /// Byte ranges of every line's content (terminators excluded).
    fn lines<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let bytes = text.as_bytes();
        (0..self.starts.len()).filter_map(move |i| {
            let start = self.starts[i];
            let mut end = self.starts.get(i + 1).copied().unwrap_or(bytes.len());
            if start == bytes.len() && i > 0 {
                return None; // nothing after the final terminator
            }
            if end > start && bytes[end - 1] == b'\n' {
                end -= 1;
            }
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            Some(start..end)
        })
    }
}

fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

fn has_word(s: &str) -> bool {
    s.unicode_words().next().is_some()
}

/// Splits `text` into passages.
///
/// Passages come in text order, never overlap, and `&text[p.byte_range]` equals
/// `p.text`. Ordinals count only the passages returned (those holding a word).
pub fn split_passages<'a>(text: &'a str, options: &SplitOptions) -> Vec<Passage<'a>> {
    let index = LineIndex::new(text);
    let lines: Vec<Range<usize>> = index.lines(text).collect();
    let mode = match options.mode {
        SplitMode::Auto => guess_mode(text, &lines),
        mode => mode,
    };
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for line in &lines {
        if is_blank(&text[line.clone()]) {
            blocks.extend(current.take());
            continue;
        }
        match (&mut current, mode) {
            (Some(block), SplitMode::Blank) => block.end = line.end,
            _ => {
                blocks.extend(current.take());
                current = Some(line.clone());
            }
        }
    }
    blocks.extend(current);

    let mut out = Vec::new();
    for block in blocks {
        push_block(text, block, options.max_chars, &index, &mut out);
    }
    out
}

/// Adds the passage(s) of one paragraph at `range` of `text` to `out`, splitting it when
/// it is longer than `max_chars`, each with `heading`.
pub(crate) fn push_paragraph<'a>(
    text: &'a str,
    range: Range<usize>,
    max_chars: usize,
    index: &LineIndex,
    heading: Option<&str>,
    out: &mut Vec<Passage<'a>>,
) {
    let first = out.len();
    push_block(text, range, max_chars, index, out);
    for p in &mut out[first..] {
        p.heading = heading.map(str::to_owned);
    }
}

fn guess_mode(text: &str, lines: &[Range<usize>]) -> SplitMode {
    let non_blank: Vec<&str> = lines
        .iter()
        .map(|r| &text[r.clone()])
        .skip_while(|l| is_blank(l))
        .collect();
    let mut seen_blank = false;
    for l in &non_blank {
        if is_blank(l) {
            seen_blank = true;
        } else if seen_blank {
            return SplitMode::Blank; // a blank line between two non-blank lines
        }
    }
    let non_blank: Vec<&str> = non_blank.into_iter().filter(|l| !is_blank(l)).collect();
    if non_blank.len() < 2 {
        return SplitMode::Blank;
    }
    let long = non_blank
        .iter()
        .filter(|l| l.chars().count() >= LONG_LINE_CHARS)
        .count();
    let ended = non_blank.iter().filter(|l| ends_sentence(l)).count();
    // Hard-wrapped prose runs on: a line that ends mid-sentence and a next line that
    // starts in lower case. A short wrapped abstract can still end 60 % of its lines
    // at a full stop (CISI document 1163: 3 of 5).
    let run_on = non_blank
        .windows(2)
        .filter(|w| !ends_sentence(w[0]) && w[1].trim_start().starts_with(char::is_lowercase))
        .count();
    let paragraphs = long * 2 >= non_blank.len() || ended * 10 >= non_blank.len() * 6;
    if paragraphs && run_on * 5 < non_blank.len() {
        SplitMode::Line
    } else {
        SplitMode::Blank
    }
}

/// True when `line` ends with sentence-final punctuation (`. ! ? : ; " ' ) ] |` and
/// their typographic kin), trailing white space aside.
fn ends_sentence(line: &str) -> bool {
    line.trim_end().chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!'
                | '?'
                | ':'
                | ';'
                | '"'
                | '\''
                | ')'
                | ']'
                | '|'
                | '”'
                | '’'
                | '»'
                | '…'
                | '。'
                | '！'
                | '？'
        )
    })
}

/// Trims whitespace off both ends of `range` in `text`.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    start..end.max(start)
}

fn push_block<'a>(
    text: &'a str,
    range: Range<usize>,
    max_chars: usize,
    index: &LineIndex,
    out: &mut Vec<Passage<'a>>,
) {
    cut_block(text, range, max_chars, &mut |r| {
        push_one(text, r, index, out)
    });
}

/// Adds the passages of `items` (extracted from the markup at `base..` of the text
/// `index` was built from) to `out`, headings into `crumbs`.
pub(crate) fn push_items<'a>(
    items: Vec<crate::corpus::item::MarkupItem>,
    base: usize,
    max_chars: usize,
    index: &LineIndex,
    crumbs: &mut Breadcrumb,
    out: &mut Vec<Passage<'a>>,
) {
    use crate::corpus::item::MarkupItem;
    for item in items {
        match item {
            MarkupItem::Heading { level, text } => crumbs.heading(level, &text),
            MarkupItem::Block { text, range } => push_extracted(
                &text,
                base + range.start..base + range.end,
                max_chars,
                index,
                crumbs.current(),
                out,
            ),
        }
    }
}

/// Adds the passage(s) of a block of extracted text to `out`: `extracted` is split as
/// [`push_paragraph`] splits a paragraph, and every piece gets the source range `range`
/// (bytes into `source`, the text `index` was built from) and its lines.
pub(crate) fn push_extracted<'a>(
    extracted: &str,
    range: Range<usize>,
    max_chars: usize,
    index: &LineIndex,
    heading: Option<&str>,
    out: &mut Vec<Passage<'a>>,
) {
    let (line, end_line) = (
        index.line_of(range.start),
        index.line_of(range.end.saturating_sub(1).max(range.start)),
    );
    cut_block(extracted, 0..extracted.len(), max_chars, &mut |r| {
        let s = extracted[r].trim();
        if has_word(s) {
            out.push(Passage {
                ordinal: out.len() as u64,
                byte_range: range.clone(),
                line,
                end_line,
                text: Cow::Owned(s.to_owned()),
                heading: heading.map(str::to_owned),
            });
        }
    });
}

/// Cuts the block at `range` of `text` into pieces of at most `max_chars` characters
/// (`0`: no limit), at sentence bounds, else at word bounds, else at char bounds, and
/// calls `emit` with each piece's byte range (untrimmed) in order.
fn cut_block(
    text: &str,
    range: Range<usize>,
    max_chars: usize,
    emit: &mut dyn FnMut(Range<usize>),
) {
    let range = trim_range(text, range);
    let block = &text[range.clone()];
    if max_chars == 0 || block.len() <= max_chars || block.chars().count() <= max_chars {
        emit(range);
        return;
    }
    // Greedily pack sentences into chunks of at most `max_chars` characters.
    let mut chunk_start = range.start;
    let mut chunk_chars = 0;
    for (off, sentence) in block.split_sentence_bound_indices() {
        let s_start = range.start + off;
        let s_chars = sentence.chars().count();
        if chunk_chars + s_chars <= max_chars {
            chunk_chars += s_chars;
            continue;
        }
        if chunk_chars > 0 {
            emit(chunk_start..s_start);
        }
        chunk_start = s_start;
        chunk_chars = s_chars;
        if s_chars > max_chars {
            // One sentence longer than the limit: cut it at word boundaries.
            chunk_chars = 0;
            for (woff, word) in sentence.split_word_bound_indices() {
                let w_start = s_start + woff;
                let w_chars = word.chars().count();
                if chunk_chars + w_chars > max_chars && chunk_chars > 0 {
                    emit(chunk_start..w_start);
                    chunk_start = w_start;
                    chunk_chars = 0;
                }
                if w_chars > max_chars {
                    // One word longer than the limit: cut it at char boundaries.
                    let mut n = 0;
                    for (coff, _) in word.char_indices() {
                        if n == max_chars {
                            emit(chunk_start..w_start + coff);
                            chunk_start = w_start + coff;
                            n = 0;
                        }
                        n += 1;
                    }
                    chunk_chars = n;
                } else {
                    chunk_chars += w_chars;
                }
            }
        }
    }
    if chunk_start < range.end {
        emit(chunk_start..range.end);
    }
}

fn push_one<'a>(text: &'a str, range: Range<usize>, index: &LineIndex, out: &mut Vec<Passage<'a>>) {
    let range = trim_range(text, range);
    let s = &text[range.clone()];
    if s.is_empty() || !has_word(s) {
        return;
    }
    out.push(Passage {
        ordinal: out.len() as u64,
        line: index.line_of(range.start),
        end_line: index.line_of(range.end - 1),
        byte_range: range,
        text: Cow::Borrowed(s),
        heading: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Passage<'_>> {
        split_passages(text, &SplitOptions::default())
    }

    fn summary<'p>(ps: &'p [Passage<'_>]) -> Vec<(u64, u64, &'p str)> {
        ps.iter()
            .map(|p| (p.line, p.end_line, p.text.as_ref()))
            .collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let ps = split("one\ntwo\n\n\n  \nthree\n");
        assert_eq!(summary(&ps), [(1, 2, "one\ntwo"), (6, 6, "three")]);
        assert_eq!(ps[1].byte_range, 13..18);
        assert_eq!(ps[1].ordinal, 1);
    }

    #[test]
    fn crlf_and_cr_give_the_same_lines_as_lf() {
        let lf = split("a b\nc\n\nd\n");
        let crlf = split("a b\r\nc\r\n\r\nd\r\n");
        let cr = split("a b\rc\r\rd\r");
        assert_eq!(
            lf.iter().map(|p| (p.line, p.end_line)).collect::<Vec<_>>(),
            crlf.iter()
                .map(|p| (p.line, p.end_line))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            lf.iter().map(|p| (p.line, p.end_line)).collect::<Vec<_>>(),
            cr.iter().map(|p| (p.line, p.end_line)).collect::<Vec<_>>()
        );
        assert_eq!(crlf[0].text, "a b\r\nc");
    }

    #[test]
    fn no_final_newline_and_whitespace_only_text() {
        assert_eq!(summary(&split("last line")), [(1, 1, "last line")]);
        assert!(split("").is_empty());
        assert!(split(" \n\t\n  ").is_empty());
    }

    #[test]
    fn passages_without_words_are_dropped() {
        let long = "x".repeat(120);
        let text = format!("{long} one.\n![]() |\n{long} two.\n");
        let ps = split(&text);
        assert_eq!(ps.len(), 2);
        assert_eq!((ps[1].ordinal, ps[1].line), (1, 3));
    }

    #[test]
    fn long_lines_without_blank_lines_are_one_passage_each() {
        let long = "word ".repeat(30);
        let text = format!("{long}end.\n{long}end.\nThe {long}\nThe {long}\n");
        assert_eq!(split(&text).len(), 4);
        // Wrapped at 150 columns: every line runs on into the next.
        let text = format!("{long}\n{long}\n{long}\n");
        assert_eq!(split(&text).len(), 1);
    }

    #[test]
    fn hard_wrapped_text_is_one_block() {
        let text = "the flow of air over a wing at\nhigh speed was measured in a tunnel\nand compared with theory for the\nboundary layer.\n";
        assert_eq!(split(text).len(), 1);
        let by_line = split_passages(
            text,
            &SplitOptions {
                mode: SplitMode::Line,
                ..Default::default()
            },
        );
        assert_eq!(by_line.len(), 4);
    }

    #[test]
    fn a_short_wrapped_abstract_whose_lines_mostly_end_sentences_is_one_block() {
        // CISI document 1163: 3 of its 5 lines end with a full stop, 2 run on.
        let text = "It is suggested that the thesaurus be considered a hierarchical system for\nclassifying factors.\nThe problem of automatic construction of thesaurus is posed.\nA formal description \"input\" and \"output\" of this problem is given; a series\nof classificational concepts is formulated.\n";
        assert_eq!(split(text).len(), 1);
        // One sentence per line, with a line that runs on in ten: still one per line.
        let mut lines: Vec<String> = (0..9).map(|i| format!("Sentence {i} ends here.")).collect();
        lines.insert(4, "A line without a stop".into());
        lines[5] = "but the next one goes on.".into();
        assert_eq!(split(&(lines.join("\n") + "\n")).len(), 10);
    }

    #[test]
    fn long_paragraph_splits_at_sentences() {
        let text = "First sentence here. Second one is here. Third.";
        let ps = split_passages(
            text,
            &SplitOptions {
                max_chars: 25,
                ..Default::default()
            },
        );
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_ref()).collect();
        assert_eq!(
            texts,
            ["First sentence here.", "Second one is here.", "Third."]
        );
        for p in &ps {
            assert_eq!(&text[p.byte_range.clone()], p.text);
        }
    }

    #[test]
    fn long_sentence_and_long_word_split() {
        let text = format!("{} {}", "abc ".repeat(10), "z".repeat(25));
        let ps = split_passages(
            &text,
            &SplitOptions {
                max_chars: 10,
                ..Default::default()
            },
        );
        assert!(ps.iter().all(|p| p.text.chars().count() <= 10), "{ps:?}");
        let joined: String = ps.iter().map(|p| p.text.replace(' ', "")).collect();
        assert_eq!(joined, text.replace(' ', ""));
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn line_numbers_count_lf_crlf_and_lone_cr(text in "([a\n\r]|\r\n){0,200}") {
            let index = LineIndex::new(&text);
            for offset in 0..text.len() {
                // Terminators before `offset`, a `\r\n` counting once.
                let before = text[..offset].replace("\r\n", "\n");
                let expected = 1 + before.matches(['\n', '\r']).count()
                    - usize::from(before.ends_with('\r') && text[offset..].starts_with('\n'));
                prop_assert_eq!(index.line_of(offset), expected as u64, "{:?} at {}", text, offset);
            }
        }

        #[test]
        fn passages_are_ordered_disjoint_and_slice_to_their_text(
            text in "([a-zé東 .!\n\r\t]|\r\n|\n\n){0,400}",
            max_chars in 0usize..50,
            mode in prop_oneof![Just(SplitMode::Auto), Just(SplitMode::Blank), Just(SplitMode::Line)],
        ) {
            let ps = split_passages(&text, &SplitOptions { mode, max_chars });
            let mut prev_end = 0;
            let mut prev_line = 0;
            for (i, p) in ps.iter().enumerate() {
                prop_assert_eq!(p.ordinal, i as u64);
                prop_assert!(p.byte_range.start >= prev_end);
                prop_assert_eq!(&text[p.byte_range.clone()], p.text.as_ref());
                prop_assert!(p.line >= prev_line && p.end_line >= p.line);
                prop_assert_eq!(p.text.trim(), p.text.as_ref());
                prev_end = p.byte_range.end;
                prev_line = p.end_line;
            }
            // No word is lost.
            let words: usize = text.unicode_words().count();
            let kept: usize = ps.iter().map(|p| p.text.unicode_words().count()).sum();
            prop_assert!(kept >= words);
        }
    }
}
