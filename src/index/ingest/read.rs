//! Read: the worker pool that reads, decompresses, decodes (or extracts the text of a
//! PDF) and splits files into the Tantivy documents of their passages.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use tantivy::TantivyDocument;

use super::options::IngestOptions;
use super::plan::ToRead;
use super::report::{ProblemLevel, Skip, SkipWhy};
use crate::corpus::compressed::{decompress, inner_path, Compression, DecompressError};
use crate::corpus::formats::format_by_name;
use crate::corpus::jsonl::parse_jsonl;
use crate::corpus::pdf::{extract, starts_as_pdf};
use crate::corpus::read::{decode, Decoded, DecodedText};
use crate::corpus::roff::is_man_page;
use crate::corpus::InputFormat;
use crate::error::{Error, Result};
use crate::index::schema::{Location, LOCATION_MAX_BYTES};
use crate::index::Fields;
use crate::passage::html::split_html;
use crate::passage::man::split_man;
use crate::passage::markdown::split_markdown;
use crate::passage::{split_passages, Passage, SplitOptions};

/// A file read and split: its passages as Tantivy documents, and what to report.
pub(crate) struct FileDocs {
    /// xxHash3 (64-bit) of the file's bytes as stored (compressed when it is).
    pub(crate) hash: u64,
    /// The file's size in bytes as read.
    pub(crate) len: u64,
    /// One document per passage, in passage order.
    pub(crate) docs: Vec<TantivyDocument>,
    /// A note or warning about its decoding (transcoded, or bytes replaced by U+FFFD).
    pub(crate) notice: Option<(ProblemLevel, String)>,
    /// JSON Lines lines that were skipped, one message each (errors).
    pub(crate) errors: Vec<String>,
}

/// Reads `files` on `options.threads` worker threads (at least 1, at most 16, and no
/// more than there are files) and calls `each` on the calling thread with each file and
/// its documents, or why it was skipped, in the order the files are done.
///
/// # Errors
/// The first error `each` returns; the workers then stop after their current file.
pub(crate) fn read_all(
    files: &[ToRead],
    fields: &Fields,
    options: &IngestOptions,
    mut each: impl FnMut(&ToRead, std::result::Result<FileDocs, Skip>) -> Result<()>,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    let threads = options.threads.clamp(1, 16).min(files.len().max(1));
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel(threads);
        for _ in 0..threads {
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                if tx.send((i, prepare(file, fields, options))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, outcome) in rx {
            each(&files[i], outcome)?;
        }
        Ok(())
    })
}

/// Reads one file and splits it, in the format `options.input` names or, by default,
/// its name gives (seen through a compression extension when it is compressed).
fn prepare(
    file: &ToRead,
    fields: &Fields,
    options: &IngestOptions,
) -> std::result::Result<FileDocs, Skip> {
    let path = &file.entry.path;
    let bytes = std::fs::read(path)
        .map_err(|e| Skip::new(SkipWhy::Unreadable, Error::io(path, e).to_string()))?;
    let len = bytes.len() as u64;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let compression = Compression::sniff(&bytes);
    let bytes = match compression {
        None => bytes,
        Some(kind) => decompressed(path, &bytes, kind, options.max_filesize)?,
    };
    let format = match (options.input, compression) {
        (InputFormat::Auto, Some(_)) => format_by_name(&inner_path(path)),
        (InputFormat::Auto, None) => format_by_name(path),
        (chosen, _) => chosen,
    };
    if format == InputFormat::Pdf || starts_as_pdf(&bytes) {
        let mut docs = Docs::new(fields, &file.path);
        let notice = docs.pdf(path, &bytes, &options.split)?;
        return Ok(FileDocs {
            hash,
            len,
            docs: docs.docs,
            notice,
            errors: Vec::new(),
        });
    }
    let decoded = match decode(bytes, options.encoding) {
        Decoded::Binary => {
            let msg = format!("{}: skipped, binary file", path.display());
            return Err(Skip::new(SkipWhy::Binary, msg));
        }
        Decoded::Text(t) => t,
    };
    // A manual page is told by its content (`ls.1`, `LGPL-2.1`: the name cannot say).
    let format = match format {
        InputFormat::Text if options.input == InputFormat::Auto && is_man_page(&decoded.text) => {
            InputFormat::Man
        }
        other => other,
    };
    let mut docs = Docs {
        fields,
        path: &file.path,
        encoding: (decoded.encoding != "UTF-8").then_some(decoded.encoding),
        docs: Vec::new(),
    };
    let mut errors = Vec::new();
    match format {
        InputFormat::Jsonl => errors = docs.jsonl(path, &decoded.text, options),
        InputFormat::Markdown => docs.text(&decoded, split_markdown(&decoded.text, &options.split)),
        InputFormat::Html => docs.text(&decoded, split_html(&decoded.text, &options.split)),
        InputFormat::Man => docs.text(&decoded, split_man(&decoded.text, &options.split)),
        InputFormat::Text | InputFormat::Auto | InputFormat::Pdf => {
            docs.text(&decoded, split_passages(&decoded.text, &options.split))
        }
    }
    Ok(FileDocs {
        hash,
        len,
        docs: docs.docs,
        notice: decode_notice(path, &decoded),
        errors,
    })
}

/// `bytes` decompressed, up to `limit` bytes of content.
fn decompressed(
    path: &Path,
    bytes: &[u8],
    kind: Compression,
    limit: u64,
) -> std::result::Result<Vec<u8>, Skip> {
    decompress(bytes, kind, limit).map_err(|e| match e {
        DecompressError::TooLarge(kind) => Skip::new(
            SkipWhy::TooLarge,
            format!(
                "{}: skipped, {} content over the size limit of {limit} bytes (--max-filesize)",
                path.display(),
                kind.name(),
            ),
        ),
        DecompressError::Corrupt(kind, e) => Skip::new(
            SkipWhy::Unreadable,
            format!("{}: cannot decompress {}: {e}", path.display(), kind.name()),
        ),
    })
}

/// The warning for bytes replaced by U+FFFD, else the note for text transcoded to UTF-8.
fn decode_notice(path: &Path, decoded: &DecodedText) -> Option<(ProblemLevel, String)> {
    let path = path.display();
    let encoding = decoded.encoding;
    if decoded.lossy {
        Some((
            ProblemLevel::Warning,
            format!("{path}: some bytes are not valid {encoding} and were replaced by U+FFFD"),
        ))
    } else if encoding != "UTF-8" {
        Some((
            ProblemLevel::Note,
            format!("{path}: decoded from {encoding}; byte offsets refer to the UTF-8 text"),
        ))
    } else {
        None
    }
}

/// The documents of one file's passages, as they are built.
pub(crate) struct Docs<'a> {
    fields: &'a Fields,
    /// The path the passages carry.
    path: &'a str,
    /// The encoding the file was decoded from, when not UTF-8.
    encoding: Option<&'a str>,
    docs: Vec<TantivyDocument>,
}

impl<'a> Docs<'a> {
    /// No documents yet, for the passages of the file stored as `path`.
    pub(crate) fn new(fields: &'a Fields, path: &'a str) -> Docs<'a> {
        Docs {
            fields,
            path,
            encoding: None,
            docs: Vec::new(),
        }
    }

    /// The documents built.
    pub(crate) fn into_docs(self) -> Vec<TantivyDocument> {
        self.docs
    }

    /// Adds the passages of a text file; byte offsets count from the file's first byte
    /// when the decoded text has the file's offsets (after its byte-order mark).
    pub(crate) fn text(&mut self, decoded: &DecodedText, passages: Vec<Passage<'_>>) {
        let shift = if decoded.offsets_are_file_offsets {
            decoded.bom_len as u64
        } else {
            0
        };
        for p in passages {
            self.docs.push(self.doc(&p, shift, None, 0));
        }
    }

    /// Adds the passages of each page of the PDF `bytes` (read from `path`): each page's
    /// extracted text is split as plain text, lines and byte offsets count in it, and
    /// ordinals run over the whole file. Returns a warning when some pages could not be
    /// read.
    ///
    /// # Errors
    /// A [`SkipWhy::NoText`] skip when the file gives no text (see [`extract`]).
    fn pdf(
        &mut self,
        path: &Path,
        bytes: &[u8],
        split: &SplitOptions,
    ) -> std::result::Result<Option<(ProblemLevel, String)>, Skip> {
        let text = extract(bytes)
            .map_err(|e| Skip::new(SkipWhy::NoText, format!("{}: skipped, {e}", path.display())))?;
        for (page, page_text) in &text.pages {
            for mut p in split_passages(page_text, split) {
                p.ordinal = self.docs.len() as u64;
                self.docs.push(self.doc(&p, 0, None, *page));
            }
        }
        let failed = text.failed_pages;
        Ok((failed > 0).then(|| {
            let pages = if failed == 1 { "page" } else { "pages" };
            let message = format!(
                "{}: {failed} {pages} could not be read and were left out",
                path.display()
            );
            (ProblemLevel::Warning, message)
        }))
    }

    /// Adds the passages of the JSON Lines `text` and returns a message for each line
    /// skipped. Each document is split on its own; line is the document's line in the
    /// file, byte offsets point into the document's text, ordinals run over the whole file.
    fn jsonl(&mut self, path: &Path, text: &str, options: &IngestOptions) -> Vec<String> {
        let split = &options.split;
        let (documents, bad) = parse_jsonl(text, &options.jsonl);
        let errors = bad
            .into_iter()
            .map(|e| format!("{}:{}: {}; line skipped", path.display(), e.line, e.message))
            .collect();
        for d in documents {
            let mut passages = split_passages(&d.text, split);
            let title_only = passages.is_empty();
            if title_only {
                // A document with a title and no text: the title is its one passage.
                let whole = SplitOptions {
                    max_chars: 0,
                    ..*split
                };
                passages = d
                    .title
                    .as_deref()
                    .map(|t| split_passages(t.trim(), &whole))
                    .unwrap_or_default();
                passages.truncate(1);
            }
            for mut p in passages {
                p.ordinal = self.docs.len() as u64;
                p.line = d.line;
                p.end_line = d.line;
                if !title_only {
                    p.heading = d.title.clone();
                }
                self.docs.push(self.doc(&p, 0, Some(&d.id), 0));
            }
        }
        errors
    }

    /// The Tantivy document of one passage; `shift` is added to its byte offsets; `page`
    /// is its 1-based page in a PDF, else 0.
    fn doc(&self, p: &Passage<'_>, shift: u64, doc_id: Option<&str>, page: u64) -> TantivyDocument {
        let f = self.fields;
        // The value bytes sized to fit: the default reserves 1 KiB, and allocating and
        // freeing that per passage (in different threads) was 6 % of ingest CPU. Each value
        // takes its bytes and a length or type prefix of at most 5 bytes; a u64 takes 8.
        let heading_len = p.heading.as_ref().map_or(0, |h| 2 * h.len());
        let bytes = self.path.len()
            + 8
            + LOCATION_MAX_BYTES
            + heading_len
            + p.text.len()
            + self.encoding.map_or(0, str::len)
            + doc_id.map_or(0, str::len)
            + 7 * 5;
        let mut doc = TantivyDocument::with_capacity(bytes);
        doc.add_text(f.path, self.path);
        doc.add_u64(f.ordinal, p.ordinal);
        let location = Location {
            ordinal: p.ordinal,
            line: p.line,
            end_line: p.end_line,
            byte_start: p.byte_range.start as u64 + shift,
            byte_end: p.byte_range.end as u64 + shift,
            page,
        };
        doc.add_bytes(f.location, location.encode(&mut [0; LOCATION_MAX_BYTES]));
        if let Some(h) = &p.heading {
            doc.add_text(f.heading, h);
            doc.add_text(f.body, h); // first of two values: see `Fields::body`
        }
        doc.add_text(f.body, &p.text);
        if let Some(e) = self.encoding {
            doc.add_text(f.encoding, e);
        }
        if let Some(id) = doc_id {
            doc.add_text(f.doc_id, id);
        }
        doc
    }
}
