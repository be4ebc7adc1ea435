//! An index held in memory: texts given by the caller, split and analyzed as ingest does,
//! in one commit, with no folder on disk. For library tests, and for programs that
//! search text they hold.

use std::path::{Path, PathBuf};

use tantivy::{Index, TantivyDocument};

use super::ingest::{commit, Docs};
use super::{schema, IndexInfo, PassageIndex, ANALYZER_NAME, FORMAT_VERSION};
use crate::analysis::AnalyzerSettings;
use crate::corpus::formats::format_by_name;
use crate::corpus::read::DecodedText;
use crate::corpus::InputFormat;
use crate::error::Result;
use crate::passage::markdown::split_markdown;
use crate::passage::{split_passages, SplitOptions};

/// The name an in-memory index gives as its folder in messages.
const MEMORY_DIR: &str = "<memory>";

/// Writer memory for an in-memory index (Tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 15_000_000;

/// An index of `files`, each `(path, text)`: the path as hits will carry it (its
/// extension chooses the splitter, as ingest's does: `.md` is Markdown, `.jsonl` is read
/// as text here), the text its whole content. Byte offsets and lines point into each
/// text. Search it with [`crate::Engine::new`].
///
/// # Errors
/// Tantivy errors creating, writing or committing the index.
///
/// # Example
/// ```
/// # fn main() -> passage::Result<()> {
/// use passage::{index::memory::in_memory, Engine, QueryRequest};
/// let index = in_memory(&[("notes.txt", "The walrus sleeps.\n\nA narwhal swims.\n")], &Default::default())?;
/// let hits = Engine::new(index)?.search(&QueryRequest::new("narwhal"))?.hits;
/// assert_eq!((hits[0].line, hits[0].text.as_str()), (3, "A narwhal swims."));
/// # Ok(()) }
/// ```
pub fn in_memory(files: &[(&str, &str)], analyzer: &AnalyzerSettings) -> Result<PassageIndex> {
    let (schema, fields) = schema::build_schema();
    let index = Index::builder().schema(schema).create_in_ram()?;
    index.tokenizers().register(ANALYZER_NAME, analyzer.build());
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
    let split = SplitOptions::default();
    for (path, text) in files {
        let mut docs = Docs::new(&fields, path);
        let decoded = DecodedText {
            text: (*text).to_owned(),
            encoding: "UTF-8",
            bom_len: 0,
            offsets_are_file_offsets: true,
            lossy: false,
        };
        let passages = match format_by_name(Path::new(path)) {
            InputFormat::Markdown => split_markdown(&decoded.text, &split),
            _ => split_passages(&decoded.text, &split),
        };
        docs.text(&decoded, passages);
        for doc in docs.into_docs() {
            writer.add_document(doc)?;
        }
    }
    let info = IndexInfo {
        format: FORMAT_VERSION,
        analyzer: analyzer.clone(),
        manifest: None,
        ingested_at: 0,
        paths_relative_to: None,
    };
    commit(&mut writer, Path::new(MEMORY_DIR), &info)?;
    Ok(PassageIndex {
        index,
        fields,
        info: Some(info),
        dir: PathBuf::from(MEMORY_DIR),
    })
}
