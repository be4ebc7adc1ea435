//! Compressed files (gzip, bzip2, xz, zstd), recognised by their magic bytes and
//! decompressed in memory up to a size limit.
//!
//! A file is compressed when its first bytes are a format's magic number, whatever its
//! name (`CHANGES.gz`, `notes.md.zst`). The inner file's kind is taken from the name
//! without the compression extension ([`inner_path`]): `notes.md.gz` is Markdown.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::formats::{kind_by_name, Kind};

/// A compression format we decompress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    /// gzip (RFC 1952), magic `1F 8B`.
    Gzip,
    /// bzip2, magic `BZh`.
    Bzip2,
    /// xz, magic `FD 37 7A 58 5A 00`.
    Xz,
    /// Zstandard (RFC 8878), magic `28 B5 2F FD`.
    Zstd,
}

impl Compression {
    /// The format whose magic number `bytes` starts with, if any.
    pub(crate) fn sniff(bytes: &[u8]) -> Option<Compression> {
        if bytes.starts_with(&[0x1F, 0x8B]) {
            Some(Compression::Gzip)
        } else if bytes.starts_with(b"BZh")
            && bytes.get(3).is_some_and(|b| (b'1'..=b'9').contains(b))
        {
            Some(Compression::Bzip2)
        } else if bytes.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0x00]) {
            Some(Compression::Xz)
        } else if bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The format's usual name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

/// Why a compressed file was not decompressed.
#[derive(Debug)]
pub(crate) enum DecompressError {
    /// The decompressed content is larger than the limit (bytes); reading stopped there.
    TooLarge(Compression),
    /// The stream is damaged or not what its magic number says.
    Corrupt(Compression, std::io::Error),
}

/// Decompresses `bytes`, compressed with `kind`, reading at most `limit` bytes of
/// output: a larger content (a decompression bomb, or just a big file) is never read whole.
///
/// # Errors
/// [`DecompressError::TooLarge`] past `limit` bytes, [`DecompressError::Corrupt`] for a
/// damaged stream.
pub(crate) fn decompress(
    bytes: &[u8],
    kind: Compression,
    limit: u64,
) -> Result<Vec<u8>, DecompressError> {
    let reader: Box<dyn Read + '_> = match kind {
        // Multi-member readers: `cat a.gz b.gz` and parallel compressors write several.
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(bytes)),
        Compression::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(bytes)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(bytes)
                .map_err(|e| DecompressError::Corrupt(kind, e))?,
        ),
    };
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit as usize));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecompressError::Corrupt(kind, e))?;
    if out.len() as u64 > limit {
        return Err(DecompressError::TooLarge(kind));
    }
    Ok(out)
}

/// `path` without a compression extension (`.gz`, `.bz2`, `.xz`, `.zst`: the
/// [`Kind::Compressed`] row of the formats table), which names the kind of the file
/// inside; `path` itself when it has none.
pub(crate) fn inner_path(path: &Path) -> PathBuf {
    match kind_by_name(path) {
        Some(Kind::Compressed) => path.with_extension(""),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn every_format_round_trips() {
        let text = b"Hello, compressed world.\n\nA second paragraph.\n".repeat(50);
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        bz.write_all(&text).unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(&text).unwrap();
        let zst = zstd::stream::encode_all(&text[..], 3).unwrap();
        for (bytes, kind) in [
            (gzip(&text), Compression::Gzip),
            (bz.finish().unwrap(), Compression::Bzip2),
            (xz.finish().unwrap(), Compression::Xz),
            (zst, Compression::Zstd),
        ] {
            assert_eq!(Compression::sniff(&bytes), Some(kind));
            assert_eq!(decompress(&bytes, kind, 1 << 20).unwrap(), text, "{kind:?}");
        }
        assert_eq!(Compression::sniff(b"plain text"), None);
        assert_eq!(Compression::sniff(b"BZh is not bzip2"), None);
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        let bomb = gzip(&vec![b'a'; 10 << 20]);
        assert!(bomb.len() < 20_000);
        assert!(matches!(
            decompress(&bomb, Compression::Gzip, 1 << 20),
            Err(DecompressError::TooLarge(Compression::Gzip))
        ));
        assert_eq!(
            decompress(&bomb, Compression::Gzip, 10 << 20)
                .unwrap()
                .len(),
            10 << 20
        );
    }

    #[test]
    fn a_damaged_stream_is_an_error() {
        let mut bytes = gzip(b"some text that is long enough to matter");
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(
            decompress(&bytes, Compression::Gzip, 1 << 20),
            Err(DecompressError::Corrupt(..))
        ));
    }

    #[test]
    fn inner_paths() {
        assert_eq!(
            inner_path(Path::new("a/notes.md.gz")),
            Path::new("a/notes.md")
        );
        assert_eq!(inner_path(Path::new("CHANGES.GZ")), Path::new("CHANGES"));
        assert_eq!(inner_path(Path::new("x.txt")), Path::new("x.txt"));
    }
}
