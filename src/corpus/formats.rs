//! The one table of input formats: what a file's name says about its content.
//!
//! [`FORMATS`] maps lower-case extensions (without the dot) to a [`Kind`]: a text format
//! (how the text becomes passages), a compression wrapper (the format is that of the name
//! without it: `notes.md.gz` is Markdown), or a binary format (in folders, skipped without
//! being read). A name the table lacks is plain text. Content still decides first: a NUL
//! byte makes a file binary and magic bytes make it compressed, whatever its name.
//!
//! To read a new format, add a variant to [`InputFormat`] and a row to [`FORMATS`].

use std::path::Path;

/// How a file's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By extension: `.jsonl` and `.ndjson` are JSON Lines, `.md`,
    /// `.markdown`, `.mdown` and `.mkd` Markdown, `.html`, `.htm` and `.xhtml` HTML,
    /// `.pdf` PDF, a file that starts as a roff manual page does (`.TH`, `.Dd`: by
    /// content, whatever its name; see [`crate::passage::man`]) a manual page, everything
    /// else plain text.
    #[default]
    Auto,
    /// Plain text.
    Text,
    /// Markdown (see [`crate::passage::markdown`]).
    Markdown,
    /// JSON Lines documents (see [`crate::corpus::jsonl`]).
    Jsonl,
    /// HTML or XHTML (see [`crate::passage::html`]).
    Html,
    /// PDF: the text of each page (see `corpus::pdf`). A file that starts with `%PDF-`
    /// is read as PDF whatever its name or the format asked for.
    Pdf,
    /// A roff manual page, man(7) or mdoc(7) (see [`crate::passage::man`]).
    Man,
}

/// What an extension says about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text in this format (never [`InputFormat::Auto`]).
    Format(InputFormat),
    /// A compression wrapper (gzip, bzip2, xz, zstd): the name without this extension
    /// tells the format inside. Whether a file is compressed is decided by its magic bytes.
    Compressed,
    /// A binary format: inside folders such files are skipped without being read (a fast
    /// path; any other binary file is found by its first block).
    Binary,
}

/// The input formats by extension (lower-case, without the dot); an extension is in at
/// most one row. See the module docs.
pub(crate) const FORMATS: &[(Kind, &[&str])] = &[
    (
        Kind::Format(InputFormat::Markdown),
        &["md", "markdown", "mdown", "mkd"],
    ),
    (Kind::Format(InputFormat::Jsonl), &["jsonl", "ndjson"]),
    (Kind::Format(InputFormat::Html), &["html", "htm", "xhtml"]),
    (Kind::Format(InputFormat::Pdf), &["pdf"]),
    (Kind::Compressed, &["gz", "bz2", "xz", "zst"]),
    // images, audio, video, fonts
    (
        Kind::Binary,
        &[
            "png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "icns", "tif", "tiff", "psd", "xcf",
            "mp3", "m4a", "aac", "flac", "ogg", "opus", "wav", "mp4", "m4v", "mkv", "mov", "avi",
            "webm", "woff", "woff2", "ttf", "otf", "eot",
        ],
    ),
    // archives and packages (a compressed tar is still an archive: see `has_binary_extension`)
    (
        Kind::Binary,
        &[
            "zip", "jar", "war", "apk", "7z", "rar", "tar", "tgz", "tbz2", "txz", "deb", "rpm",
            "dmg", "iso", "img", "whl", "gem", "nupkg",
        ],
    ),
    // object code, bytecode, databases
    (
        Kind::Binary,
        &[
            "o", "a", "so", "dylib", "dll", "exe", "lib", "obj", "class", "pyc", "pyo", "wasm",
            "rlib", "sqlite", "sqlite3", "db", "mdb",
        ],
    ),
    // office documents (zip or binary containers; not extracted yet)
    (
        Kind::Binary,
        &[
            "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "epub",
        ],
    ),
];

/// The kind [`FORMATS`] gives `path`'s extension (compared ignoring ASCII case); `None`
/// for a name without an extension or with one the table lacks.
pub(crate) fn kind_by_name(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?;
    FORMATS
        .iter()
        .find(|(_, exts)| exts.iter().any(|e| e.eq_ignore_ascii_case(ext)))
        .map(|(kind, _)| *kind)
}

/// The text format `path`'s name gives: the format of its extension's row, plain text
/// when the extension has none (compressed, binary, or not in [`FORMATS`]). Strip a
/// compression extension first ([`super::compressed::inner_path`]) to see inside.
pub(crate) fn format_by_name(path: &Path) -> InputFormat {
    match kind_by_name(path) {
        Some(Kind::Format(format)) => format,
        _ => InputFormat::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_extension_is_in_one_row_in_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for (kind, exts) in FORMATS {
            assert_ne!(*kind, Kind::Format(InputFormat::Auto));
            for ext in *exts {
                assert_eq!(*ext, ext.to_ascii_lowercase());
                assert!(seen.insert(*ext), "{ext} is in two rows");
            }
        }
    }

    #[test]
    fn names_give_formats() {
        let format = |p: &str| format_by_name(Path::new(p));
        assert_eq!(format("a/notes.MD"), InputFormat::Markdown);
        assert_eq!(format("docs.ndjson"), InputFormat::Jsonl);
        assert_eq!(format("README"), InputFormat::Text);
        assert_eq!(format("notes.md.gz"), InputFormat::Text);
        assert_eq!(format("paper.PDF"), InputFormat::Pdf);
        assert_eq!(format("slides.odp"), InputFormat::Text);
        assert_eq!(kind_by_name(Path::new("x.ZST")), Some(Kind::Compressed));
        assert_eq!(kind_by_name(Path::new("x.woff2")), Some(Kind::Binary));
        assert_eq!(kind_by_name(Path::new("x.txt")), None);
    }
}
