//! The evidence for ranking: for each candidate passage, its document, which parts of the query
//! it holds, and which parts its document holds in any of its passages. Only the candidates and
//! the other passages of their documents are looked at (each part's postings are advanced to
//! them, never walked whole), so a frequent word costs no more than a rare one.

use std::collections::{HashMap, HashSet};

use tantivy::query::{EnableScoring, Query, TermSetQuery, Weight};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED, Term};

use super::rank::Candidate;

/// How many passages on either side of a candidate count as its neighbourhood.
const WINDOW: u64 = 1;

/// The file id, record ordinal and passage ordinal of a passage, from the fast fields of its
/// segment (numbers: a file's path would cost a dictionary block decompressed per lookup).
struct Keys {
    files: tantivy::columnar::Column<u64>,
    docs: tantivy::columnar::Column<u64>,
    /// Opened only when passages' neighbours are looked for.
    ordinals: Option<tantivy::columnar::Column<u64>>,
}

impl Keys {
    fn of(searcher: &Searcher, segment: u32, with_ordinals: bool) -> tantivy::Result<Keys> {
        let ff = searcher.segment_reader(segment).fast_fields();
        Ok(Keys {
            files: ff.u64("file")?,
            docs: ff.u64("doc")?,
            ordinals: if with_ordinals {
                Some(ff.u64("ordinal")?)
            } else {
                None
            },
        })
    }

    /// The passage's number within its file.
    fn ordinal(&self, doc: DocId) -> u64 {
        self.ordinals
            .as_ref()
            .and_then(|o| o.first(doc))
            .unwrap_or(0)
    }

    fn key(&self, doc: DocId) -> (u64, u64) {
        (
            self.files.first(doc).unwrap_or(0),
            self.docs.first(doc).unwrap_or(0),
        )
    }
}

/// Candidates that hold every part (they matched the whole query): only their documents are
/// looked up.
pub fn holding_all(
    searcher: &Searcher,
    found: &[(f32, DocAddress)],
    n_parts: usize,
) -> tantivy::Result<Vec<Candidate<DocAddress>>> {
    let all = if n_parts >= 64 {
        u64::MAX
    } else {
        (1u64 << n_parts) - 1
    };
    let mut keys: HashMap<u32, Keys> = HashMap::new();
    let mut out = Vec::with_capacity(found.len());
    for &(score, address) in found {
        let segment = address.segment_ord;
        if let std::collections::hash_map::Entry::Vacant(e) = keys.entry(segment) {
            e.insert(Keys::of(searcher, segment, false)?);
        }
        out.push(Candidate {
            address,
            score,
            document: keys[&segment].key(address.doc_id),
            parts: all,
            document_parts: all,
        });
    }
    Ok(out)
}

/// The candidates `found` (score, address), with their evidence against `parts`.
pub fn gather(
    searcher: &Searcher,
    file_field: Field,
    found: &[(f32, DocAddress)],
    parts: &[Box<dyn Query>],
) -> tantivy::Result<Vec<Candidate<DocAddress>>> {
    let segments = searcher.segment_readers().len();
    let keys: Vec<Keys> = (0..segments as u32)
        .map(|s| Keys::of(searcher, s, parts.len() > 1))
        .collect::<tantivy::Result<_>>()?;
    let key_of = |a: DocAddress| keys[a.segment_ord as usize].key(a.doc_id);
    let mut candidates: Vec<Candidate<DocAddress>> = found
        .iter()
        .map(|&(score, address)| Candidate {
            address,
            score,
            document: key_of(address),
            parts: 1,
            document_parts: 1,
        })
        .collect();
    if parts.len() <= 1 {
        return Ok(candidates);
    }
    // The passages to test: the candidates, and every passage of the files they are in.
    let mut to_test: Vec<Vec<DocId>> = vec![Vec::new(); segments];
    for c in &candidates {
        to_test[c.address.segment_ord as usize].push(c.address.doc_id);
    }
    let files: HashSet<u64> = candidates.iter().map(|c| c.document.0).collect();
    let terms = files.iter().map(|&f| Term::from_field_u64(file_field, f));
    let same_files =
        TermSetQuery::new(terms).weight(EnableScoring::disabled_from_searcher(searcher))?;
    for (s, tests) in to_test.iter_mut().enumerate() {
        let reader = searcher.segment_reader(s as u32);
        let mut scorer = same_files.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                tests.push(doc);
            }
            doc = scorer.advance();
        }
        tests.sort_unstable();
        tests.dedup();
    }
    // Which parts each tested passage holds.
    let weights: Vec<Box<dyn Weight>> = parts
        .iter()
        .map(|q| q.weight(EnableScoring::disabled_from_searcher(searcher)))
        .collect::<tantivy::Result<_>>()?;
    let mut held: HashMap<DocAddress, u64> = HashMap::new();
    for (s, tests) in to_test.iter().enumerate() {
        let reader = searcher.segment_reader(s as u32);
        for (i, weight) in weights.iter().enumerate().take(64) {
            let mut scorer = weight.scorer(reader, 1.0)?;
            for &doc in tests {
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                if scorer.doc() == doc {
                    *held.entry(DocAddress::new(s as u32, doc)).or_default() |= 1 << i;
                }
            }
        }
    }
    // What each passage holds together with its neighbours in the same document: the parts of
    // a question are often spread over a paragraph and the next, rarely over a whole manual (a
    // long document or an index page holds every word somewhere, and says nothing by it).
    let ordinal_of = |a: DocAddress| keys[a.segment_ord as usize].ordinal(a.doc_id);
    let mut by_passage: HashMap<((u64, u64), u64), u64> = HashMap::new();
    for (address, bits) in &held {
        *by_passage
            .entry((key_of(*address), ordinal_of(*address)))
            .or_default() |= bits;
    }
    for c in &mut candidates {
        c.parts = held.get(&c.address).copied().unwrap_or(0);
        let at = ordinal_of(c.address);
        let mut near = c.parts;
        for o in at.saturating_sub(WINDOW)..=at + WINDOW {
            near |= by_passage.get(&(c.document, o)).copied().unwrap_or(0);
        }
        c.document_parts = near;
    }
    Ok(candidates)
}

/// The date of each candidate, in seconds since the epoch, from the date column.
pub fn dates(
    searcher: &Searcher,
    candidates: &[Candidate<DocAddress>],
) -> tantivy::Result<Vec<Option<i64>>> {
    let mut columns = HashMap::new();
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        let segment = c.address.segment_ord;
        if let std::collections::hash_map::Entry::Vacant(e) = columns.entry(segment) {
            let ff = searcher.segment_reader(segment).fast_fields();
            e.insert(ff.date("date")?);
        }
        let column = &columns[&segment];
        out.push(
            column
                .first(c.address.doc_id)
                .map(|d| d.into_timestamp_secs()),
        );
    }
    Ok(out)
}

/// For each candidate, whether it matches every one of `queries` (the title form of each part).
pub fn held_by(
    searcher: &Searcher,
    candidates: &[Candidate<DocAddress>],
    queries: &[Box<dyn Query>],
) -> tantivy::Result<Vec<bool>> {
    let mut held = vec![true; candidates.len()];
    // Candidates of each segment, in increasing doc order, for the scorers to seek.
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| {
        (
            candidates[i].address.segment_ord,
            candidates[i].address.doc_id,
        )
    });
    for q in queries {
        let weight = q.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut segment = u32::MAX;
        let mut scorer = None;
        for &i in &order {
            let address = candidates[i].address;
            if address.segment_ord != segment {
                segment = address.segment_ord;
                scorer = Some(weight.scorer(searcher.segment_reader(segment), 1.0)?);
            }
            let Some(s) = scorer.as_mut() else { continue };
            if s.doc() < address.doc_id {
                s.seek(address.doc_id);
            }
            held[i] &= s.doc() == address.doc_id;
        }
    }
    Ok(held)
}
