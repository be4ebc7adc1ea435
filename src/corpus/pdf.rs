//! Text extraction from PDF, with the `pdf-extract` crate (on `lopdf`).
//!
//! A file is a PDF when `%PDF-` starts it ([`starts_as_pdf`]), whatever its name, or when
//! its name ends in `.pdf`; then the header may come anywhere in the first 1024 bytes,
//! as PDF readers accept (a text file that mentions `%PDF-` early is not taken for one
//! by its content alone). Each page's
//! text comes out as `pdf-extract` lays it out: lines in reading order, a blank line where
//! the vertical gap between lines says a new paragraph starts, ligatures (`ﬁ`) decoded to
//! their letters. A page that cannot be read is left out; a PDF with no page of text is
//! an error ([`PdfError`]) that says why.
//!
//! `pdf-extract` panics on some damaged files (a missing object it expects to find): each
//! page is extracted under `catch_unwind`, and the panic message is kept off stderr (a
//! panic hook that is quiet for those panics only). See BENCHMARKS.md for the comparison of PDF crates behind this
//! choice.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use pdf_extract::{output_doc_page, Document, PlainTextOutput};

/// How many leading bytes may come before `%PDF-`.
const HEADER_WINDOW: usize = 1024;

/// True when `bytes` start with `%PDF-`: a PDF, whatever the file's name.
pub fn starts_as_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// True when `%PDF-` is within the first 1024 bytes of `bytes` (what readers accept).
fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    memchr::memmem::find(head, b"%PDF-").is_some()
}

/// The text of a PDF's pages.
#[derive(Debug, Default)]
pub struct PdfText {
    /// `(page, text)` for each page that has text: the 1-based page number and the text
    /// extracted from it (lines end with `\n`, paragraphs are separated by blank lines).
    /// Pages without a word are left out.
    pub pages: Vec<(u64, String)>,
    /// Pages whose text could not be read (damaged content, unknown fonts).
    pub failed_pages: u64,
}

/// Why a PDF gives no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// It does not start with `%PDF-`.
    NotPdf,
    /// It is encrypted with a password we do not have.
    Encrypted,
    /// Its structure or every page cannot be read (truncated, damaged): why.
    Damaged(String),
    /// It has pages, at least one of them read, but none holds text (scanned images,
    /// drawings).
    NoText {
        /// The number of pages.
        pages: u64,
    },
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::NotPdf => write!(f, "not a PDF (no %PDF- header)"),
            PdfError::Encrypted => write!(f, "encrypted PDF (needs a password)"),
            PdfError::Damaged(msg) => write!(f, "damaged PDF ({msg})"),
            PdfError::NoText { pages } => write!(
                f,
                "PDF without text ({pages} page{} of images or drawings)",
                if *pages == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for PdfError {}

/// Extracts the text of each page of the PDF `bytes`.
///
/// Never panics: a panic inside the PDF crate is caught, and fails its page (or, while
/// loading, the file). The first call installs a panic hook, for the whole process, that
/// keeps those panics off stderr and hands every other panic to the hook before it.
///
/// # Errors
/// [`PdfError`]: not a PDF, encrypted with a password, damaged beyond reading, or no page
/// with a word on it.
pub fn extract(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if !is_pdf(bytes) {
        return Err(PdfError::NotPdf);
    }
    let doc = quietly(|| load(bytes))
        .unwrap_or_else(|| Err(PdfError::Damaged("the PDF parser failed".into())))?;
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = PdfText::default();
    for n in &numbers {
        match quietly(|| page_text(&doc, *n)) {
            Some(Some(page)) => {
                if has_word(&page) {
                    text.pages.push((u64::from(*n), page));
                }
            }
            _ => text.failed_pages += 1,
        }
    }
    let pages = numbers.len() as u64;
    if text.pages.is_empty() {
        return Err(match pages {
            0 => PdfError::Damaged("no pages found".into()),
            1 if text.failed_pages == 1 => PdfError::Damaged("its page could not be read".into()),
            n if text.failed_pages == n => {
                PdfError::Damaged(format!("none of its {n} pages could be read"))
            }
            _ => PdfError::NoText { pages },
        });
    }
    Ok(text)
}

/// The parsed document, decrypted when its password is empty (a PDF may be encrypted
/// only to restrict printing or copying).
fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| PdfError::Damaged(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    Ok(doc)
}

/// The text of page `n` (1-based), `None` when it cannot be read.
fn page_text(doc: &Document, n: u32) -> Option<String> {
    let mut s = String::new();
    output_doc_page(doc, &mut PlainTextOutput::new(&mut s), n).ok()?;
    Some(s)
}

fn has_word(s: &str) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    s.unicode_words().next().is_some()
}

thread_local! {
    /// True while this thread runs PDF code whose panics are caught and reported as
    /// errors, so that the panic hook stays quiet.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, and `None` when it panics, without the panic message on stderr.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    quiet_panics();
    QUIET.with(|q| q.set(true));
    // The closure owns nothing that outlives it but its result: a panic cannot leave
    // shared state half-changed.
    let result = catch_unwind(AssertUnwindSafe(f)).ok();
    QUIET.with(|q| q.set(false));
    result
}

/// Installs (once) a panic hook that says nothing for panics inside [`quietly`] and
/// hands every other panic to the hook that was there before.
fn quiet_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_makes_a_pdf() {
        assert!(starts_as_pdf(b"%PDF-1.7\n"));
        assert!(!starts_as_pdf(b"junk before\n%PDF-1.4\n"));
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"junk before\n%PDF-1.4\n"));
        assert!(!is_pdf(b"plain text that mentions PDF"));
        assert!(!is_pdf(
            &[b' '; 2000]
                .iter()
                .chain(b"%PDF-1.4")
                .copied()
                .collect::<Vec<u8>>()
        ));
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert_eq!(extract(b"hello").unwrap_err(), PdfError::NotPdf);
        assert!(matches!(
            extract(b"%PDF-1.4\n1 0 obj\n<<").unwrap_err(),
            PdfError::Damaged(_)
        ));
        assert!(matches!(
            extract(b"%PDF-1.4\n%%EOF\n").unwrap_err(),
            PdfError::Damaged(_)
        ));
    }

    // pdf-extract panics on both (a font that is not there; `Td` with one operand).
    #[test]
    fn pages_the_pdf_crate_panics_on_are_errors() {
        for bytes in [
            &include_bytes!("../../tests/data/missing-font.pdf")[..],
            &include_bytes!("../../tests/data/bad-operator.pdf")[..],
        ] {
            assert_eq!(
                extract(bytes).unwrap_err(),
                PdfError::Damaged("its page could not be read".into())
            );
        }
    }

    #[test]
    fn a_panic_inside_is_caught_quietly() {
        assert_eq!(quietly(|| -> u8 { panic!("inside") }), None);
        assert_eq!(quietly(|| 3), Some(3));
        assert!(!QUIET.with(Cell::get));
    }
}
