//! The index schema: field names and options.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::analysis::ANALYZER_NAME;

/// Version of the on-disk format (schema, payload, manifest). An index written with
/// another version is refused with [`crate::Error::IncompatibleIndex`].
pub const FORMAT_VERSION: u32 = 1;

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// File path as the user named it (raw, stored, indexed for deletes).
    pub path: Field,
    /// 0-based ordinal of the passage in its file (u64, stored, fast).
    pub ordinal: Field,
    /// 1-based first line (u64, stored).
    pub line: Field,
    /// 1-based last line, inclusive (u64, stored).
    pub end_line: Field,
    /// 0-based start byte in the file, inclusive (u64, stored).
    pub byte_start: Field,
    /// 0-based end byte in the file, exclusive (u64, stored).
    pub byte_end: Field,
    /// Passage text (stored only; searched through `body`).
    pub text: Field,
    /// What queries search by default: the heading and the passage text, analyzed with
    /// positions, not stored. The heading is part of every passage under it, as a title
    /// is part of its document.
    pub body: Field,
    /// Heading breadcrumb (our analyzer, with positions, stored); absent for plain text.
    pub heading: Field,
    /// The source file's encoding when it was not UTF-8 (stored).
    pub encoding: Field,
    /// Document id for documents read from JSON Lines (raw, stored).
    pub doc_id: Field,
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED | FAST),
        ordinal: b.add_u64_field("passage", INDEXED | STORED | FAST),
        line: b.add_u64_field("line", STORED),
        end_line: b.add_u64_field("end_line", STORED),
        byte_start: b.add_u64_field("byte_start", STORED),
        byte_end: b.add_u64_field("byte_end", STORED),
        text: b.add_text_field("text", STORED),
        body: b.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        heading: b.add_text_field("heading", analyzed),
        encoding: b.add_text_field("encoding", STORED),
        doc_id: b.add_text_field("doc_id", STRING | STORED | FAST),
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
        line: f("line")?,
        end_line: f("end_line")?,
        byte_start: f("byte_start")?,
        byte_end: f("byte_end")?,
        text: f("text")?,
        body: f("body")?,
        heading: f("heading")?,
        encoding: f("encoding")?,
        doc_id: f("doc_id")?,
    })
}
