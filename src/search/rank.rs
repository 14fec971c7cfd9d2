//! Ranking passages with their documents' evidence. A query of several parts (words, phrases,
//! groups) is judged part by part: which parts a passage holds, and which its document holds in
//! any of its passages. Passages holding every part come first; then passages of documents that
//! hold every part between their passages (a long query whose words are spread over neighbouring
//! paragraphs still finds its document); then passages by how many distinct parts they hold;
//! within each, by score. One document never fills the page: at most `per_doc` passages of it
//! are kept, and the rest are counted.

use std::collections::HashMap;

/// What is known of one candidate passage.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate<A> {
    /// Where to fetch it.
    pub address: A,
    pub score: f32,
    /// Its document's id (see the index's `document` field).
    pub document: u64,
    /// The parts of the query it holds (bit i: part i).
    pub parts: u64,
    /// The parts its neighbourhood holds: the passage and those on either side in its document.
    pub document_parts: u64,
    /// Its document's score as a whole (`super::whole`); 0 when not known.
    pub document_score: f32,
}

/// The tier of a candidate: lower is better.
fn tier<A>(c: &Candidate<A>, all: u64) -> u8 {
    if c.parts & all == all {
        0
    } else if c.document_parts & all == all {
        1
    } else {
        2
    }
}

/// The passages to show, best first, each with the number of passages of its document that the
/// per-document cap left out (counted on the first shown passage of that document).
pub struct Ordered<A> {
    pub passages: Vec<(Candidate<A>, usize)>,
    /// No passage held every part: what is shown is the fallback.
    pub relaxed: bool,
}

/// The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): the usual
/// value, not fitted to any query set.
const FUSION_K: f32 = 60.0;

/// Each candidate's place in the order of passages (by score) fused with its document's place
/// in the order of documents (by `document_score`): 1/(k + passage rank) + 1/(k + document
/// rank). Documents without a score share the place after the last scored one, so that without
/// any document scores this is the passages' own order.
fn fused<A>(candidates: &[Candidate<A>]) -> Vec<f32> {
    let mut by_score: Vec<usize> = (0..candidates.len()).collect();
    by_score.sort_by(|&a, &b| candidates[b].score.total_cmp(&candidates[a].score));
    let mut passage_rank = vec![0usize; candidates.len()];
    for (rank, &i) in by_score.iter().enumerate() {
        passage_rank[i] = rank + 1;
    }
    let mut documents: Vec<(u64, f32)> = candidates
        .iter()
        .filter(|c| c.document_score > 0.0)
        .map(|c| (c.document, c.document_score))
        .collect();
    documents.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    documents.dedup_by_key(|d| d.0);
    let document_rank: HashMap<u64, usize> = documents
        .iter()
        .enumerate()
        .map(|(rank, d)| (d.0, rank + 1))
        .collect();
    let unscored = documents.len() + 1;
    candidates
        .iter()
        .zip(passage_rank)
        .map(|(c, rp)| {
            let rd = document_rank.get(&c.document).copied().unwrap_or(unscored);
            1.0 / (FUSION_K + rp as f32) + 1.0 / (FUSION_K + rd as f32)
        })
        .collect()
}

/// Orders candidates for a query of `n_parts` parts, keeps at most `per_doc` passages of a
/// document (0: no cap) and `limit` in all. Within a tier, and among passages holding as many
/// parts, a passage's place fuses its own score's and its document's (see [`fused`]).
pub fn order<A: Clone>(
    candidates: Vec<Candidate<A>>,
    n_parts: usize,
    per_doc: usize,
    limit: usize,
) -> Ordered<A> {
    let all = if n_parts >= 64 {
        u64::MAX
    } else {
        (1u64 << n_parts) - 1
    };
    let relaxed = n_parts > 1 && !candidates.iter().any(|c| tier(c, all) == 0);
    let fused = fused(&candidates);
    let mut keyed: Vec<(f32, Candidate<A>)> = fused.into_iter().zip(candidates).collect();
    keyed.sort_by(|(fa, a), (fb, b)| {
        tier(a, all)
            .cmp(&tier(b, all))
            .then_with(|| b.parts.count_ones().cmp(&a.parts.count_ones()))
            .then_with(|| fb.total_cmp(fa))
            .then_with(|| b.score.total_cmp(&a.score))
    });
    let mut shown: Vec<(Candidate<A>, usize)> = Vec::new();
    let mut per_document: HashMap<u64, (usize, usize)> = HashMap::new();
    for (_, c) in keyed {
        let seen = per_document.entry(c.document).or_insert((0, 0));
        if per_doc > 0 && seen.0 >= per_doc {
            // Counted against the first passage shown of this document.
            shown[seen.1].1 += 1;
            continue;
        }
        if shown.len() >= limit {
            continue;
        }
        if seen.0 == 0 {
            seen.1 = shown.len();
        }
        seen.0 += 1;
        shown.push((c, 0));
    }
    Ordered {
        passages: shown,
        relaxed,
    }
}

/// A reward for the parts of a query standing close together: 1 when they are far apart (or
/// only one is there), up to 1.5 when they stand side by side. `spans` holds, per part found in
/// the passage, the byte ranges of its matches, in order.
pub fn proximity(spans: &[Vec<std::ops::Range<usize>>]) -> f32 {
    let present: Vec<&Vec<std::ops::Range<usize>>> =
        spans.iter().filter(|s| !s.is_empty()).collect();
    if present.len() < 2 {
        return 1.0;
    }
    // The smallest window holding one match of every part present: a sweep over all matches
    // in order of position.
    let mut events: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, part)
    for (part, ranges) in present.iter().enumerate() {
        events.extend(ranges.iter().map(|r| (r.start, r.end, part)));
    }
    events.sort_unstable();
    let mut last: Vec<Option<(usize, usize)>> = vec![None; present.len()];
    let mut best = usize::MAX;
    for &(start, end, part) in &events {
        last[part] = Some((start, end));
        if last.iter().all(Option::is_some) {
            let from = last.iter().map(|l| l.unwrap().0).min().unwrap_or(start);
            best = best.min(end.saturating_sub(from));
        }
    }
    // The width the parts themselves take, at about seven bytes a word; what is left is gap.
    let words_between = (best / 7).saturating_sub(present.len());
    1.0 + 0.5 / (1.0 + words_between as f32 / 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: u32, doc: &str, score: f32, parts: u64, doc_parts: u64) -> Candidate<u32> {
        Candidate {
            address: id,
            score,
            document: doc.bytes().map(u64::from).sum(),
            parts,
            document_parts: doc_parts,
            document_score: 0.0,
        }
    }

    fn ids(o: &Ordered<u32>) -> Vec<(u32, usize)> {
        o.passages.iter().map(|(c, n)| (c.address, *n)).collect()
    }

    #[test]
    fn all_parts_in_one_passage_then_in_one_document_then_most_parts() {
        let cands = vec![
            c(1, "many-frequent", 9.0, 0b011, 0b011),
            c(2, "spread", 2.0, 0b001, 0b111),
            c(3, "spread", 1.5, 0b110, 0b111),
            c(4, "together", 1.0, 0b111, 0b111),
            c(5, "one", 8.0, 0b100, 0b100),
        ];
        let o = order(cands, 3, 0, 10);
        assert!(!o.relaxed);
        assert_eq!(ids(&o), [(4, 0), (3, 0), (2, 0), (1, 0), (5, 0)]);
    }

    #[test]
    fn without_a_passage_holding_everything_the_result_is_relaxed() {
        let cands = vec![c(1, "a", 1.0, 0b01, 0b01), c(2, "b", 1.0, 0b10, 0b11)];
        let o = order(cands, 2, 0, 10);
        assert!(o.relaxed);
        assert_eq!(ids(&o), [(2, 0), (1, 0)]);
        // One part only: never relaxed.
        assert!(!order(vec![c(1, "a", 1.0, 1, 1)], 1, 0, 10).relaxed);
    }

    #[test]
    fn the_per_document_cap_counts_what_it_cuts() {
        let cands = (0..6)
            .map(|i| {
                c(
                    i,
                    if i < 4 { "big" } else { "small" },
                    10.0 - i as f32,
                    1,
                    1,
                )
            })
            .collect();
        let o = order(cands, 1, 2, 10);
        assert_eq!(ids(&o), [(0, 2), (1, 0), (4, 0), (5, 0)]);
        let cands: Vec<_> = (0..6).map(|i| c(i, "big", 10.0 - i as f32, 1, 1)).collect();
        assert_eq!(order(cands.clone(), 1, 0, 3).passages.len(), 3);
        assert_eq!(ids(&order(cands, 1, 1, 3)), [(0, 5)]);
    }

    #[test]
    fn a_passage_s_place_fuses_its_score_with_its_document_s() {
        let scored = |id, doc: &str, score, whole| Candidate {
            document_score: whole,
            ..c(id, doc, score, 1, 1)
        };
        // Passage ranks 1, 2, 3; document ranks 3, 1, 2.
        let cands = vec![
            scored(1, "hub", 10.0, 1.0),
            scored(2, "about", 9.0, 5.0),
            scored(3, "other", 8.0, 3.0),
        ];
        assert_eq!(
            ids(&order(cands.clone(), 1, 0, 10)),
            [(2, 0), (1, 0), (3, 0)]
        );
        // Without document scores, the passages' own order.
        let plain: Vec<_> = cands
            .into_iter()
            .map(|c| Candidate {
                document_score: 0.0,
                ..c
            })
            .collect();
        assert_eq!(ids(&order(plain, 1, 0, 10)), [(1, 0), (2, 0), (3, 0)]);
        // The tiers stay first: a passage holding every part beats any fused place.
        let tiers = vec![
            Candidate {
                document_score: 9.0,
                ..c(1, "some", 10.0, 0b01, 0b01)
            },
            c(2, "all", 1.0, 0b11, 0b11),
        ];
        assert_eq!(ids(&order(tiers, 2, 0, 10)), [(2, 0), (1, 0)]);
    }

    /// Ranges without clippy's single-range lint: `r(0, 5)` is `0..5`.
    fn r(start: usize, end: usize) -> std::ops::Range<usize> {
        start..end
    }

    #[test]
    fn closer_parts_are_rewarded_more() {
        let side_by_side = proximity(&[vec![r(0, 5)], vec![r(6, 12)]]);
        let apart = proximity(&[vec![r(0, 5)], vec![r(300, 306)]]);
        let alone = proximity(&[vec![r(0, 5)], vec![]]);
        assert!(
            side_by_side > apart && apart > 1.0,
            "{side_by_side} {apart}"
        );
        assert_eq!(alone, 1.0);
        assert!(side_by_side <= 1.5);
        // The closest pair of occurrences counts, wherever the others are.
        let best_pair = proximity(&[vec![r(0, 5), r(400, 405)], vec![r(200, 205), r(406, 410)]]);
        assert!((best_pair - side_by_side).abs() < 0.01, "{best_pair}");
    }
}
