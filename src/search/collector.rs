//! A top-k collector that keeps every passage tied with the k-th score.
//!
//! Results are ordered by (score, path, passage), so a cut at k must see all passages
//! that tie with the k-th score, not the ones Tantivy's `TopDocs` happens to keep (lower
//! document ids). Fetching more and searching again until the cut is past the ties costs
//! a whole search per round; on corpora with repeated text (copies, boilerplate) nearly
//! every query ties at the cut. This collector keeps the ties in one pass and still lets
//! Tantivy prune (Block-WAND) through [`Weight::for_each_pruning`], with the threshold
//! just below the k-th score so that ties still arrive.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Collects the `k` best-scoring passages plus every passage whose score equals the
/// k-th best. The fruit is sorted by score descending, then by [`DocAddress`].
#[derive(Debug, Clone, Copy)]
pub struct TopWithTies {
    k: usize,
}

impl TopWithTies {
    /// Keeps the best `k` (at least 1) and their ties.
    pub fn new(k: usize) -> TopWithTies {
        TopWithTies { k: k.max(1) }
    }
}

/// A score with a total order (`f32::total_cmp`), for the heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked(Score);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// One segment's share of [`TopWithTies`].
pub struct TopWithTiesSegment {
    segment: SegmentOrdinal,
    k: usize,
    /// The `k` best scores so far, smallest on top.
    best: BinaryHeap<Reverse<Ranked>>,
    /// Every passage that scored at least the k-th best score at the time it arrived.
    kept: Vec<(Score, DocId)>,
    /// `kept` is trimmed to the current k-th score when it reaches this length.
    trim_at: usize,
}

impl TopWithTiesSegment {
    fn new(segment: SegmentOrdinal, k: usize) -> TopWithTiesSegment {
        TopWithTiesSegment {
            segment,
            k,
            best: BinaryHeap::with_capacity(k.saturating_add(1).min(1024)),
            kept: Vec::new(),
            trim_at: k.saturating_mul(2).saturating_add(16),
        }
    }

    /// The k-th best score so far, once `k` passages were seen.
    fn kth(&self) -> Option<Score> {
        (self.best.len() >= self.k).then(|| self.best.peek().map_or(Score::MIN, |r| r.0 .0))
    }

    /// Records a passage; returns the score a passage must exceed to be worth passing in
    /// (just below the k-th best, so that ties still count).
    fn push(&mut self, doc: DocId, score: Score) -> Score {
        let score = snap(score);
        if self.kth().is_some_and(|kth| score < kth) {
            return self.threshold();
        }
        self.kept.push((score, doc));
        self.best.push(Reverse(Ranked(score)));
        if self.best.len() > self.k {
            self.best.pop();
        }
        if self.kept.len() >= self.trim_at {
            if let Some(kth) = self.kth() {
                self.kept.retain(|&(s, _)| s >= kth);
            }
            self.trim_at = self
                .kept
                .len()
                .saturating_mul(2)
                .max(self.k.saturating_mul(2).saturating_add(16));
        }
        self.threshold()
    }

    fn threshold(&self) -> Score {
        // A raw score reaches a positive grid value g exactly when its snapped value does,
        // so "above next_down(g)" lets every tie in; below zero, snapping rounds up, so
        // nothing is pruned.
        match self.kth() {
            Some(kth) if kth > 0.0 => kth.next_down(),
            _ => Score::MIN,
        }
    }
}

/// Mantissa bits [`snap`] clears: scores within 2^-15 (3e-5) of one another, relative,
/// are ties.
const SNAP_BITS: u32 = 8;

/// `score` with the low [`SNAP_BITS`] bits of its mantissa cleared (towards zero).
///
/// Tantivy sums a passage's term scores in an order that can differ from one passage to
/// the next (Block-WAND keeps its scorers sorted by position), and f32 addition is not
/// associative: two identical passages can score one ulp apart and then be ordered by
/// that ulp instead of by path. On a grid of 2^8 ulps they tie (unless the two straddle
/// a grid line, 1 case in 256). Monotonic: `a <= b` implies `snap(a) <= snap(b)`.
pub fn snap(score: Score) -> Score {
    if score.is_finite() {
        f32::from_bits(score.to_bits() & !((1 << SNAP_BITS) - 1))
    } else {
        score
    }
}

impl SegmentCollector for TopWithTiesSegment {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(mut self) -> Self::Fruit {
        if let Some(kth) = self.kth() {
            self.kept.retain(|&(s, _)| s >= kth);
        }
        let segment = self.segment;
        self.kept
            .into_iter()
            .map(|(s, doc)| (s, DocAddress::new(segment, doc)))
            .collect()
    }
}

impl Collector for TopWithTies {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = TopWithTiesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<TopWithTiesSegment> {
        Ok(TopWithTiesSegment::new(segment, self.k))
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(&(kth, _)) = all.get(self.k - 1) {
            all.retain(|&(s, _)| s >= kth);
        }
        Ok(all)
    }

    /// Lets the query prune (Block-WAND for unions, block skipping for terms) with the
    /// threshold just below the k-th score; deleted passages are skipped.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut top = TopWithTiesSegment::new(segment, self.k);
        match reader.alive_bitset() {
            Some(alive) => weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if alive.is_deleted(doc) {
                    top.threshold()
                } else {
                    top.push(doc, score)
                }
            })?,
            None => weight
                .for_each_pruning(Score::MIN, reader, &mut |doc, score| top.push(doc, score))?,
        }
        Ok(top.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(k: usize, scores: &[Score]) -> Vec<(Score, DocId)> {
        let mut seg = TopWithTiesSegment::new(0, k);
        for (doc, &s) in scores.iter().enumerate() {
            seg.collect(doc as DocId, s);
        }
        let fruit = TopWithTies::new(k)
            .merge_fruits(vec![seg.harvest()])
            .unwrap();
        fruit.into_iter().map(|(s, a)| (s, a.doc_id)).collect()
    }

    #[test]
    fn snapping_is_monotonic_and_merges_ulps() {
        let x: Score = 10.020597;
        assert_eq!(
            snap(x),
            snap(x.next_up()) /* one ulp apart, same grid cell here */
        );
        assert!(snap(x) <= x && x - snap(x) < x * 4e-5);
        let mut v: Vec<Score> = (0..2000).map(|i| i as Score * 0.37 - 100.0).collect();
        v.sort_by(f32::total_cmp);
        assert!(v.windows(2).all(|w| snap(w[0]) <= snap(w[1])));
    }

    #[test]
    fn keeps_the_best_k() {
        assert_eq!(collect(2, &[1.0, 3.0, 2.0, 0.5]), [(3.0, 1), (2.0, 2)]);
    }

    #[test]
    fn keeps_every_tie_with_the_kth_score() {
        assert_eq!(
            collect(2, &[2.0, 1.0, 2.0, 3.0, 2.0, 1.5]),
            [(3.0, 3), (2.0, 0), (2.0, 2), (2.0, 4)]
        );
    }

    #[test]
    fn fewer_than_k_keeps_all() {
        assert_eq!(collect(5, &[1.0, 2.0]), [(2.0, 1), (1.0, 0)]);
    }

    #[test]
    fn trimming_keeps_ties_over_many_passages() {
        let mut scores: Vec<Score> = (0..10_000).map(|i| (i % 97) as Score).collect();
        scores.push(500.0);
        let got = collect(3, &scores);
        // 500 and every passage scoring 96 (the 2nd and 3rd best tie with 101 others).
        assert_eq!(got[0], (500.0, 10_000));
        assert!(got[1..].iter().all(|&(s, _)| s == 96.0));
        assert_eq!(got.len(), 1 + scores.iter().filter(|&&s| s == 96.0).count());
    }

    #[test]
    fn merges_segments_on_the_global_kth_score() {
        let mut a = TopWithTiesSegment::new(0, 2);
        let mut b = TopWithTiesSegment::new(1, 2);
        for (doc, s) in [(0, 5.0), (1, 4.0), (2, 1.0)] {
            a.collect(doc, s);
        }
        for (doc, s) in [(0, 4.0), (1, 4.0), (2, 3.0)] {
            b.collect(doc, s);
        }
        let got = TopWithTies::new(2)
            .merge_fruits(vec![a.harvest(), b.harvest()])
            .unwrap();
        let got: Vec<(Score, u32, u32)> = got
            .into_iter()
            .map(|(s, a)| (s, a.segment_ord, a.doc_id))
            .collect();
        assert_eq!(got, [(5.0, 0, 0), (4.0, 0, 1), (4.0, 1, 0), (4.0, 1, 1)]);
    }
}
