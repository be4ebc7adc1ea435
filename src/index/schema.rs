//! The index schema: field names and options.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use crate::analysis::ANALYZER_NAME;

/// Version of the on-disk format (schema, payload, manifest). An index written with
/// another version is refused with [`crate::Error::IncompatibleIndex`].
///
/// Version 4 stores the page of a PDF passage as a sixth varint of [`Location`] (a
/// passage of any other file has five, as in version 3), and indexes the `_` names of an
/// identifier joined by `.` or `:` whole (`XDG_DATA_HOME` in
/// `XDG_DATA_HOME:XDG_DATA_DIRS`). Version 3 indexes a one-letter word with `++` or `#` after it as one term (`c++`,
/// `c#`), which version 2 indexed as the letter alone, and a word after an elided article
/// alone (`l'économie` as `economie`). Version 2 stores a passage's
/// position as one [`Location`] and its text once (in `body`); version 1 stored five
/// integers and the text twice.
pub const FORMAT_VERSION: u32 = 4;

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// File path as the user named it (raw, stored, fast, indexed for deletes).
    pub path: Field,
    /// 0-based ordinal of the passage in its file (u64, fast; stored inside `location`).
    /// Not indexed: Tantivy runs range queries (`-C` context) on the fast field anyway,
    /// and a term per passage cost ingest time.
    pub ordinal: Field,
    /// Where the passage is: a [`Location`] encoded by [`Location::encode`] (bytes,
    /// stored only).
    pub location: Field,
    /// What queries search by default: the heading and the passage text, analyzed with
    /// positions, and stored. A passage with a heading has two values, heading then text
    /// (Tantivy leaves a position gap between values, so a phrase does not run from the
    /// heading into the text); one without has the text alone. The heading is part of
    /// every passage under it, as a title is part of its document.
    pub body: Field,
    /// Heading breadcrumb (our analyzer, with positions); absent for plain text. Not
    /// stored: it is `body`'s first value.
    pub heading: Field,
    /// The source file's encoding when it was not UTF-8 (stored).
    pub encoding: Field,
    /// Document id for documents read from JSON Lines (raw, stored, fast).
    pub doc_id: Field,
}

/// Where a passage is in its file: the stored part of a hit's position.
///
/// Stored as one bytes value of five LEB128 varints (ordinal, line, lines spanned,
/// start byte, length in bytes), about 10 bytes, where five stored integers took 65
/// (Tantivy stores each as a 4-byte field id, a type code and 8 bytes); a PDF passage
/// has a sixth, its page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Location {
    /// 0-based ordinal of the passage in its file.
    pub ordinal: u64,
    /// 1-based first line.
    pub line: u64,
    /// 1-based last line, inclusive (at least `line`).
    pub end_line: u64,
    /// 0-based start byte, inclusive.
    pub byte_start: u64,
    /// 0-based end byte, exclusive (at least `byte_start`).
    pub byte_end: u64,
    /// 1-based page of a PDF passage; 0 for a passage of any other file (not stored).
    pub page: u64,
}

/// Longest encoding of a [`Location`]: six varints of at most 10 bytes.
pub const LOCATION_MAX_BYTES: usize = 60;

impl Location {
    /// Encodes into `buf` and returns the bytes written. `end_line < line` or
    /// `byte_end < byte_start` are stored as spans of 0; page 0 is not written.
    pub fn encode(self, buf: &mut [u8; LOCATION_MAX_BYTES]) -> &[u8] {
        let values = [
            self.ordinal,
            self.line,
            self.end_line.saturating_sub(self.line),
            self.byte_start,
            self.byte_end.saturating_sub(self.byte_start),
            self.page,
        ];
        let count = if self.page == 0 { 5 } else { 6 };
        let mut n = 0;
        for mut v in values.into_iter().take(count) {
            while v >= 0x80 {
                buf[n] = (v as u8) | 0x80;
                v >>= 7;
                n += 1;
            }
            buf[n] = v as u8;
            n += 1;
        }
        &buf[..n]
    }

    /// Decodes what [`Location::encode`] wrote; `None` when `bytes` is not five varints
    /// of u64 or six with a last one above 0 (truncated, a value over 64 bits, or bytes
    /// left over) or the spans overflow.
    pub fn decode(bytes: &[u8]) -> Option<Location> {
        let mut rest = bytes;
        let mut next = || varint(&mut rest);
        let (ordinal, line, lines, byte_start, len) = (next()?, next()?, next()?, next()?, next()?);
        let page = if rest.is_empty() {
            0
        } else {
            // Page 0 is never written: a sixth varint of 0 is a byte left over.
            varint(&mut rest).filter(|&p| p > 0)?
        };
        if !rest.is_empty() {
            return None;
        }
        Some(Location {
            ordinal,
            line,
            end_line: line.checked_add(lines)?,
            byte_start,
            byte_end: byte_start.checked_add(len)?,
            page,
        })
    }
}

/// Reads one LEB128 varint of a u64 off the front of `rest`; `None` when it is truncated
/// or holds bits past the 64th.
fn varint(rest: &mut &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let (&b, tail) = rest.split_first()?;
        *rest = tail;
        if shift == 63 && b & 0x7e != 0 {
            return None; // bits past the 64th
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Paths and document ids are matched whole and never scored: no field norms (Tantivy
    // would write a byte per passage for each).
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    ) | STORED
        | FAST;
    let fields = Fields {
        path: b.add_text_field("path", key.clone()),
        ordinal: b.add_u64_field("passage", FAST),
        location: b.add_bytes_field("location", STORED),
        body: b.add_text_field("body", analyzed.clone().set_stored()),
        heading: b.add_text_field("heading", analyzed),
        encoding: b.add_text_field("encoding", STORED),
        doc_id: b.add_text_field("doc_id", key),
    };
    (b.build(), fields)
}

/// Looks up the field handles in an existing index's schema.
///
/// # Errors
/// A description of the problem when the schema is not exactly this build's.
pub fn fields_of(schema: &Schema) -> Result<Fields, String> {
    let expected = serde_json::to_string(&build_schema().0).unwrap_or_default();
    if serde_json::to_string(schema).unwrap_or_default() != expected {
        return Err("its schema differs from this build's".into());
    }
    let f = |name: &str| {
        schema
            .get_field(name)
            .map_err(|_| format!("field `{name}` is missing"))
    };
    Ok(Fields {
        path: f("path")?,
        ordinal: f("passage")?,
        location: f("location")?,
        body: f("body")?,
        heading: f("heading")?,
        encoding: f("encoding")?,
        doc_id: f("doc_id")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn locations_round_trip(
            ordinal: u64,
            line: u64,
            lines in 0u64..1_000_000,
            byte_start: u64,
            len in 0u64..u64::MAX / 2,
            page: u64,
        ) {
            let loc = Location {
                ordinal,
                line: line / 2,
                end_line: line / 2 + lines,
                byte_start: byte_start / 2,
                byte_end: byte_start / 2 + len,
                page,
            };
            let mut buf = [0; LOCATION_MAX_BYTES];
            prop_assert_eq!(Location::decode(loc.encode(&mut buf)), Some(loc));
        }

        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..60)) {
            if let Some(loc) = Location::decode(&bytes) {
                prop_assert!(loc.end_line >= loc.line && loc.byte_end >= loc.byte_start);
            }
        }
    }

    #[test]
    fn small_locations_take_few_bytes_and_bad_ones_are_refused() {
        let loc = Location {
            ordinal: 3,
            line: 120,
            end_line: 122,
            byte_start: 70_000,
            byte_end: 70_300,
            page: 0,
        };
        let mut buf = [0; LOCATION_MAX_BYTES];
        let bytes = loc.encode(&mut buf).to_vec();
        assert_eq!(bytes.len(), 1 + 1 + 1 + 3 + 2);
        assert_eq!(Location::decode(&bytes), Some(loc));
        assert_eq!(Location::decode(&bytes[..bytes.len() - 1]), None); // truncated
        assert_eq!(Location::decode(&[bytes.as_slice(), &[0]].concat()), None); // left over
        assert_eq!(Location::decode(&[0x80; 11]), None); // no end
        let max = [&[0xff; 9][..], &[0x01], &[0, 0, 0, 0]].concat();
        assert_eq!(Location::decode(&max).map(|l| l.ordinal), Some(u64::MAX));
        let over = [&[0xff; 9][..], &[0x7f], &[0, 0, 0, 0]].concat();
        assert_eq!(Location::decode(&over), None); // a value over 64 bits
        let on_page = Location { page: 12, ..loc };
        let bytes = on_page.encode(&mut buf).to_vec();
        assert_eq!(bytes.len(), 1 + 1 + 1 + 3 + 2 + 1);
        assert_eq!(Location::decode(&bytes), Some(on_page));
        assert_eq!(Location::decode(&[bytes.as_slice(), &[0]].concat()), None);
    }
}
