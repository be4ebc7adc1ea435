//! Reading a file's bytes and decoding them to UTF-8.

use encoding_rs::Encoding;

/// How many leading bytes are checked for a NUL byte (ripgrep's binary heuristic).
pub const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// The outcome of decoding a file's bytes.
#[derive(Debug)]
pub enum Decoded {
    /// The file is text.
    Text(DecodedText),
    /// A NUL byte in the first [`BINARY_SNIFF_BYTES`] bytes: the file is binary.
    Binary,
}

/// A file decoded to UTF-8.
#[derive(Debug)]
pub struct DecodedText {
    /// The decoded text, without any byte order mark.
    pub text: String,
    /// The encoding's WHATWG name (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// Length in bytes of the byte order mark that was removed (0 when none).
    pub bom_len: usize,
    /// True when the text is the file's own bytes (UTF-8, after the BOM), so that byte
    /// offsets into the text plus `bom_len` are byte offsets into the file. When false,
    /// offsets refer to the UTF-8 text the file was transcoded to.
    pub offsets_are_file_offsets: bool,
    /// True when some bytes could not be decoded and were replaced by U+FFFD.
    pub lossy: bool,
}

/// Decodes `bytes`: valid UTF-8 is kept as is (a BOM is removed), UTF-16 with a BOM is
/// transcoded, anything else is decoded as `forced` when given, else as the encoding
/// `chardetng` guesses.
///
/// Files with a NUL byte in the first [`BINARY_SNIFF_BYTES`] bytes are [`Decoded::Binary`],
/// unless they begin with a UTF-16 BOM.
pub fn decode(bytes: Vec<u8>, forced: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        if encoding == encoding_rs::UTF_8 {
            // See: issue 6 (fuzzing found a UTF-8 BOM followed by NUL bytes read as text).
            let sniff = &bytes[bom_len..bytes.len().min(BINARY_SNIFF_BYTES)];
            if sniff.contains(&0) {
                return Decoded::Binary;
            }
            return utf8_or_guess(bytes, bom_len, forced);
        }
        let (text, lossy) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded::Text(DecodedText {
            text: text.into_owned(),
            encoding: encoding.name(),
            bom_len,
            offsets_are_file_offsets: false,
            lossy,
        });
    }
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    if sniff.contains(&0) {
        return Decoded::Binary;
    }
    utf8_or_guess(bytes, 0, forced)
}

fn utf8_or_guess(mut bytes: Vec<u8>, bom_len: usize, forced: Option<&'static Encoding>) -> Decoded {
    // Valid UTF-8 stays UTF-8 whatever `forced` says: it names the encoding of the
    // other files. But ISO-2022-JP is 7-bit, so always valid UTF-8: forced, it applies
    // to a text with an escape sequence (found in a review).
    let iso_2022_jp = forced == Some(encoding_rs::ISO_2022_JP) && bytes.contains(&0x1B);
    if !iso_2022_jp && std::str::from_utf8(&bytes[bom_len..]).is_ok() {
        {
            bytes.drain(..bom_len);
            // The check above proved the bytes are UTF-8.
            let text = String::from_utf8(bytes).unwrap_or_default();
            return Decoded::Text(DecodedText {
                text,
                encoding: "UTF-8",
                bom_len,
                offsets_are_file_offsets: true,
                lossy: false,
            });
        }
    }
    let body = &bytes[bom_len..];
    let encoding = forced.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(body, true);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    });
    let (text, lossy) = encoding.decode_without_bom_handling(body);
    Decoded::Text(DecodedText {
        // Replacing invalid bytes by U+FFFD changes lengths. See: issue 6 (fuzzing).
        offsets_are_file_offsets: encoding == encoding_rs::UTF_8 && !lossy,
        text: text.into_owned(),
        encoding: encoding.name(),
        bom_len,
        lossy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: Decoded) -> DecodedText {
        match d {
            Decoded::Text(t) => t,
            Decoded::Binary => panic!("binary"),
        }
    }

    #[test]
    fn utf8_with_bom() {
        let t = text(decode(b"\xEF\xBB\xBFhello".to_vec(), None));
        assert_eq!(
            (t.text.as_str(), t.bom_len, t.encoding),
            ("hello", 3, "UTF-8")
        );
        assert!(t.offsets_are_file_offsets);
    }

    #[test]
    fn utf16_with_bom_is_not_binary() {
        let t = text(decode(b"\xFF\xFEh\0i\0".to_vec(), None));
        assert_eq!((t.text.as_str(), t.encoding), ("hi", "UTF-16LE"));
    }

    #[test]
    fn nul_byte_means_binary() {
        assert!(matches!(
            decode(b"abc\0def".to_vec(), None),
            Decoded::Binary
        ));
    }

    #[test]
    fn utf8_bom_then_nul_is_binary() {
        assert!(matches!(
            decode(b"\xEF\xBB\xBF\x00".to_vec(), None),
            Decoded::Binary
        ));
    }

    #[test]
    fn lossy_utf8_offsets_are_not_file_offsets() {
        let t = text(decode(b"\x01\xFF".to_vec(), Some(encoding_rs::UTF_8)));
        assert!(t.lossy);
        assert!(!t.offsets_are_file_offsets);
    }

    // `--encoding latin1` re-decoded UTF-8 files too, BOM or not: `café` became `cafÃ©`.
    // (Found by a helper trying the tool as a new user.)
    #[test]
    fn a_forced_encoding_leaves_utf8_files_alone() {
        let latin1 = encoding_rs::Encoding::for_label(b"latin1");
        for bytes in [
            &b"caf\xC3\xA9 owls"[..],
            &b"\xEF\xBB\xBFcaf\xC3\xA9 owls"[..],
        ] {
            let t = text(decode(bytes.to_vec(), latin1));
            assert_eq!((t.text.as_str(), t.encoding), ("café owls", "UTF-8"));
            assert!(t.offsets_are_file_offsets && !t.lossy);
        }
        let t = text(decode(b"caf\xE9 owls".to_vec(), latin1));
        assert_eq!((t.text.as_str(), t.encoding), ("café owls", "windows-1252"));
        // ISO-2022-JP is 7-bit (valid UTF-8): forced, it still decodes.
        let jis = encoding_rs::ISO_2022_JP.encode("日本").0.into_owned();
        let t = text(decode(jis, Some(encoding_rs::ISO_2022_JP)));
        assert_eq!((t.text.as_str(), t.encoding), ("日本", "ISO-2022-JP"));
    }

    #[test]
    fn latin1_is_detected() {
        let t = text(decode(
            b"Le caf\xE9 est tr\xE8s bon, d\xE9j\xE0 vu.".to_vec(),
            None,
        ));
        assert_eq!(t.text, "Le café est très bon, déjà vu.");
        assert_eq!(t.encoding, "windows-1252");
        assert!(!t.offsets_are_file_offsets);
    }
}
