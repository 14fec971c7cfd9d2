//! Collecting the best passages with at most `per_doc` of one document, in one pass. A plain
//! top-k collector has to be asked for several times the passages shown, so that the
//! per-document cap still leaves enough; this one applies the cap while it collects, so the
//! pruning threshold (the k-th best score kept) rises as fast as it can. The threshold is also
//! carried from one segment to the next (scores are computed with index-wide statistics, so they
//! compare across segments), which a per-segment top-k cannot do.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::evidence::Columns;

/// The best `k` passages with at most `per_doc` of one document (its `document` fast field).
pub struct TopDiverse<'c, 's> {
    columns: &'c Columns<'s>,
    k: usize,
    per_doc: usize,
    state: Mutex<Kept>,
}

/// What the collection found: the passages kept, best first, and how many passages of each of
/// their documents the cap left out (among those that scored high enough to be weighed).
#[derive(Debug, Default)]
pub struct Diverse {
    pub found: Vec<(Score, DocAddress)>,
    pub left_out: HashMap<u64, usize>,
}

#[derive(Default)]
struct Kept {
    entries: Vec<Entry>,
    left_out: HashMap<u64, usize>,
}

#[derive(Clone, Copy)]
struct Entry {
    score: Score,
    document: u64,
    address: DocAddress,
}

impl Kept {
    /// The score a passage must beat to be kept.
    fn threshold(&self, k: usize) -> Score {
        if self.entries.len() < k {
            Score::MIN
        } else {
            self.entries
                .iter()
                .map(|e| e.score)
                .fold(Score::MAX, Score::min)
        }
    }

    fn push(&mut self, entry: Entry, k: usize, per_doc: usize) {
        // How many passages of the document are kept, and its weakest: one pass, no allocation
        // (this runs for every passage that beats the threshold).
        let mut same = 0;
        let mut weakest: Option<usize> = None;
        for (i, e) in self.entries.iter().enumerate() {
            if e.document == entry.document {
                same += 1;
                if weakest.is_none_or(|w| e.score < self.entries[w].score) {
                    weakest = Some(i);
                }
            }
        }
        if same >= per_doc {
            // The document is full: the new passage takes the place of its weakest, or is left
            // out; either way one passage of the document is counted as left out.
            *self.left_out.entry(entry.document).or_insert(0) += 1;
            if let Some(i) = weakest
                && self.entries[i].score < entry.score
            {
                self.entries[i] = entry;
            }
            return;
        }
        self.entries.push(entry);
        if self.entries.len() > k {
            let weakest = (0..self.entries.len())
                .min_by(|&a, &b| self.entries[a].score.total_cmp(&self.entries[b].score));
            if let Some(i) = weakest {
                self.entries.swap_remove(i);
            }
        }
    }
}

impl<'c, 's> TopDiverse<'c, 's> {
    /// `per_doc` 0 means no cap; `columns` tell each passage's document.
    pub fn new(columns: &'c Columns<'s>, k: usize, per_doc: usize) -> TopDiverse<'c, 's> {
        TopDiverse {
            columns,
            k: k.max(1),
            per_doc: if per_doc == 0 { usize::MAX } else { per_doc },
            state: Mutex::new(Kept::default()),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock cannot leave `Kept` half-updated in a way that matters
        // here (it is only ever a list of candidates): carry on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Unused: `TopDiverse` collects through `collect_segment`, which prunes.
pub struct Unused;

impl SegmentCollector for Unused {
    type Fruit = ();
    fn collect(&mut self, _doc: DocId, _score: Score) {}
    fn harvest(self) {}
}

impl Collector for TopDiverse<'_, '_> {
    type Fruit = Diverse;
    type Child = Unused;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<Unused> {
        Ok(Unused)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, _: Vec<()>) -> tantivy::Result<Diverse> {
        let kept = std::mem::take(&mut *self.kept());
        let mut found: Vec<(Score, DocAddress)> =
            kept.entries.iter().map(|e| (e.score, e.address)).collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(Diverse {
            found,
            left_out: kept.left_out,
        })
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<()> {
        let document = self.columns.documents(segment_ord)?;
        let alive = reader.alive_bitset();
        let start = self.kept().threshold(self.k);
        weight.for_each_pruning(start, reader, &mut |doc, score| {
            let mut kept = self.kept();
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return kept.threshold(self.k);
            }
            let entry = Entry {
                score,
                document: document(doc),
                address: DocAddress::new(segment_ord, doc),
            };
            kept.push(entry, self.k, self.per_doc);
            kept.threshold(self.k)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(score: Score, file: u64, doc: u32) -> Entry {
        Entry {
            score,
            document: file,
            address: DocAddress::new(0, doc),
        }
    }

    fn scores(kept: &Kept) -> Vec<(Score, u64)> {
        let mut v: Vec<(Score, u64)> = kept.entries.iter().map(|e| (e.score, e.document)).collect();
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        v
    }

    #[test]
    fn one_document_never_holds_more_than_its_share() {
        let mut kept = Kept::default();
        for (i, s) in [9.0, 8.0, 7.0, 6.0].into_iter().enumerate() {
            kept.push(entry(s, 1, i as u32), 3, 2);
        }
        kept.push(entry(1.0, 2, 10), 3, 2);
        assert_eq!(scores(&kept), vec![(9.0, 1), (8.0, 1), (1.0, 2)]);
        assert_eq!(kept.left_out[&1], 2);
    }

    #[test]
    fn a_better_passage_replaces_its_documents_weakest() {
        let mut kept = Kept::default();
        kept.push(entry(2.0, 1, 0), 3, 2);
        kept.push(entry(3.0, 1, 1), 3, 2);
        kept.push(entry(5.0, 1, 2), 3, 2);
        assert_eq!(scores(&kept), vec![(5.0, 1), (3.0, 1)]);
        assert_eq!(kept.left_out[&1], 1);
    }

    #[test]
    fn the_threshold_is_the_weakest_kept_once_full() {
        let mut kept = Kept::default();
        kept.push(entry(2.0, 1, 0), 2, 1);
        assert_eq!(kept.threshold(2), Score::MIN);
        kept.push(entry(4.0, 2, 1), 2, 1);
        assert_eq!(kept.threshold(2), 2.0);
        kept.push(entry(3.0, 3, 2), 2, 1);
        assert_eq!(kept.threshold(2), 3.0);
        assert_eq!(scores(&kept), vec![(4.0, 2), (3.0, 3)]);
    }

    #[test]
    fn no_cap_keeps_the_best_k() {
        let mut kept = Kept::default();
        for (i, s) in [1.0, 5.0, 3.0, 4.0].into_iter().enumerate() {
            kept.push(entry(s, 1, i as u32), 2, usize::MAX);
        }
        assert_eq!(scores(&kept), vec![(5.0, 1), (4.0, 1)]);
    }
}
