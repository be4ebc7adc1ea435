//! Counting every passage that matches, per file: `query -c`, `-l`, `--stats`.
//!
//! [`PathCounts`] is a Tantivy collector that does not score (so Tantivy evaluates the
//! query without BM25) and counts the matching passages of each file by the term ordinal
//! of the `path` fast field; the ordinals are turned into paths once per segment at the
//! end, in one sorted sweep of the column's dictionary. A `--path` filter is then applied
//! once per file, not once per passage.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts matching passages per file (stored `path`). The fruit maps each path with at
/// least one matching passage to its count; deleted passages are not counted.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathCounts;

/// One segment's share of [`PathCounts`].
pub struct PathCountsSegment {
    column: Option<StrColumn>,
    /// Matching passages per term ordinal of the path column.
    counts: Vec<u64>,
    /// Matching passages with no path (none in an index written by `ingest`).
    pathless: u64,
}

impl Collector for PathCounts {
    type Fruit = HashMap<String, u64>;
    type Child = PathCountsSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PathCountsSegment> {
        let column = reader.fast_fields().str("path")?;
        let terms = column.as_ref().map_or(0, |c| c.dictionary().num_terms());
        Ok(PathCountsSegment {
            column,
            counts: vec![0; terms],
            pathless: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<String, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut all = HashMap::new();
        for fruit in fruits {
            for (path, n) in fruit {
                *all.entry(path).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for PathCountsSegment {
    type Fruit = HashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let ord = self.column.as_ref().and_then(|c| c.term_ords(doc).next());
        match ord.and_then(|o| self.counts.get_mut(o as usize)) {
            Some(n) => *n += 1,
            None => self.pathless += 1,
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        if self.pathless > 0 {
            out.insert(String::new(), self.pathless);
        }
        let Some(column) = self.column else {
            return out;
        };
        let ords: Vec<u64> = (0..self.counts.len() as u64)
            .filter(|&o| self.counts[o as usize] > 0)
            .collect();
        let mut i = 0;
        // An error reading the dictionary leaves those passages uncounted under a path;
        // they are still counted, as pathless, so totals stay exact.
        let res = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&o) = ords.get(i) {
                out.insert(
                    String::from_utf8_lossy(bytes).into_owned(),
                    self.counts[o as usize],
                );
            }
            i += 1;
        });
        if res.is_err() {
            let named: u64 = out.values().sum::<u64>() - self.pathless;
            let all: u64 = self.counts.iter().sum();
            *out.entry(String::new()).or_default() += all - named;
        }
        out
    }
}
