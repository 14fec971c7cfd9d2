//! The evidence for ranking: for each candidate passage, its document, which parts of the query
//! it holds, and which parts its document holds in any of its passages. Only the candidates and
//! the other passages of their documents are looked at (each part's postings are advanced to
//! them, never walked whole), so a frequent word costs no more than a rare one.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TERMINATED, Term};

use super::rank::Candidate;

/// How many passages on either side of a candidate count as its neighbourhood.
const WINDOW: u64 = 1;

/// The document id and passage ordinal of passages, from the fast fields of their segments
/// (numbers: a file's path would cost a dictionary block decompressed per lookup).
/// Each column is opened once per segment, when first asked for, and shared by every step of a
/// search (opening one costs as much as reading a few hundred values).
pub struct Columns<'s> {
    searcher: &'s Searcher,
    segments: Vec<SegmentColumns>,
}

#[derive(Default)]
struct SegmentColumns {
    documents: OnceLock<Column<u64>>,
    ordinals: OnceLock<Column<u64>>,
}

impl<'s> Columns<'s> {
    pub fn new(searcher: &'s Searcher) -> Columns<'s> {
        let n = searcher.segment_readers().len();
        Columns {
            searcher,
            segments: (0..n).map(|_| SegmentColumns::default()).collect(),
        }
    }

    /// The searcher whose segments these are.
    pub fn searcher(&self) -> &'s Searcher {
        self.searcher
    }

    fn column<'a>(
        &self,
        cell: &'a OnceLock<Column<u64>>,
        segment: u32,
        name: &str,
    ) -> tantivy::Result<&'a Column<u64>> {
        if let Some(column) = cell.get() {
            return Ok(column);
        }
        let column = self
            .searcher
            .segment_reader(segment)
            .fast_fields()
            .u64(name)?;
        Ok(cell.get_or_init(|| column))
    }

    fn segment(&self, segment: u32) -> tantivy::Result<&SegmentColumns> {
        self.segments
            .get(segment as usize)
            .ok_or_else(|| tantivy::TantivyError::InvalidArgument(format!("no segment {segment}")))
    }

    /// The document id of each passage of `segment`, by doc id.
    pub fn documents(&self, segment: u32) -> tantivy::Result<impl Fn(DocId) -> u64 + use<'_>> {
        let cells = self.segment(segment)?;
        let documents = self.column(&cells.documents, segment, "document")?;
        Ok(move |doc| documents.first(doc).unwrap_or(0))
    }

    /// The document of a passage.
    pub fn key(&self, address: DocAddress) -> tantivy::Result<u64> {
        Ok(self.documents(address.segment_ord)?(address.doc_id))
    }

    /// The passage's number within its file.
    fn ordinal(&self, address: DocAddress) -> tantivy::Result<u64> {
        let cells = self.segment(address.segment_ord)?;
        let ordinals = self.column(&cells.ordinals, address.segment_ord, "ordinal")?;
        Ok(ordinals.first(address.doc_id).unwrap_or(0))
    }
}

/// Candidates that hold every part (they matched the whole query): only their documents are
/// looked up.
pub fn holding_all(
    columns: &Columns,
    found: &[(f32, DocAddress)],
    n_parts: usize,
) -> tantivy::Result<Vec<Candidate<DocAddress>>> {
    let all = if n_parts >= 64 {
        u64::MAX
    } else {
        (1u64 << n_parts) - 1
    };
    candidates(columns, found, all)
}

/// Candidates for `found`, each said to hold the parts `held`.
fn candidates(
    columns: &Columns,
    found: &[(f32, DocAddress)],
    held: u64,
) -> tantivy::Result<Vec<Candidate<DocAddress>>> {
    found
        .iter()
        .map(|&(score, address)| {
            Ok(Candidate {
                address,
                score,
                document: columns.key(address)?,
                parts: held,
                document_parts: held,
                document_score: 0.0,
            })
        })
        .collect()
}

/// The candidates `found` (score, address), with their evidence against `parts`.
/// `contiguous`: a document's passages are neighbours in their segment (see
/// `Meta::contiguous`), so a candidate's neighbours are the passages beside it.
pub fn gather(
    columns: &Columns,
    document_field: Field,
    contiguous: bool,
    found: &[(f32, DocAddress)],
    parts: &[Box<dyn Query>],
) -> tantivy::Result<Vec<Candidate<DocAddress>>> {
    let searcher = columns.searcher;
    let segments = searcher.segment_readers().len();
    let mut candidates = candidates(columns, found, 1)?;
    if parts.len() <= 1 {
        return Ok(candidates);
    }
    // The passages to test: the candidates and their neighbours in their documents.
    let mut to_test: Vec<Vec<DocId>> = vec![Vec::new(); segments];
    for c in &candidates {
        to_test[c.address.segment_ord as usize].push(c.address.doc_id);
    }
    if contiguous {
        beside(columns, &candidates, &mut to_test)?;
    } else {
        in_same_documents(searcher, document_field, &candidates, &mut to_test)?;
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
    let mut by_passage: HashMap<(u64, u64), u64> = HashMap::new();
    for (address, bits) in &held {
        *by_passage
            .entry((columns.key(*address)?, columns.ordinal(*address)?))
            .or_default() |= bits;
    }
    for c in &mut candidates {
        c.parts = held.get(&c.address).copied().unwrap_or(0);
        let at = columns.ordinal(c.address)?;
        let mut near = c.parts;
        for o in at.saturating_sub(WINDOW)..=at + WINDOW {
            near |= by_passage.get(&(c.document, o)).copied().unwrap_or(0);
        }
        c.document_parts = near;
    }
    Ok(candidates)
}

/// Adds to `to_test` each candidate's neighbours in its document, when a document's passages
/// are neighbours in their segment: the passages beside it that are of the same document (two
/// values of a column; no dictionary is read).
fn beside(
    columns: &Columns,
    candidates: &[Candidate<DocAddress>],
    to_test: &mut [Vec<DocId>],
) -> tantivy::Result<()> {
    for c in candidates {
        let s = c.address.segment_ord;
        let reader = columns.searcher.segment_reader(s);
        let document_of = columns.documents(s)?;
        let doc = c.address.doc_id;
        let window = WINDOW as DocId;
        let last = reader.max_doc().saturating_sub(1);
        for near in doc.saturating_sub(window)..=doc.saturating_add(window).min(last) {
            if near != doc
                && document_of(near) == c.document
                && reader.alive_bitset().is_none_or(|a| a.is_alive(near))
            {
                to_test[s as usize].push(near);
            }
        }
    }
    for tests in to_test.iter_mut() {
        tests.sort_unstable();
        tests.dedup();
    }
    Ok(())
}

/// Adds to `to_test` every passage of the candidates' documents, from each document id's
/// postings: a few hundred dictionary look-ups (a set query would run an automaton over the
/// whole dictionary and fill a bitset of the segment). For an index whose documents' passages
/// may lie apart.
fn in_same_documents(
    searcher: &Searcher,
    document_field: Field,
    candidates: &[Candidate<DocAddress>],
    to_test: &mut [Vec<DocId>],
) -> tantivy::Result<()> {
    let documents: HashSet<u64> = candidates.iter().map(|c| c.document).collect();
    for (s, tests) in to_test.iter_mut().enumerate() {
        let reader = searcher.segment_reader(s as u32);
        for &d in &documents {
            passages_of(reader, document_field, d, |doc| tests.push(doc))?;
        }
        tests.sort_unstable();
        tests.dedup();
    }
    Ok(())
}

/// Calls `each` with every live passage of document `d` in the segment of `reader`, from the
/// postings of its id.
pub fn passages_of(
    reader: &SegmentReader,
    document_field: Field,
    d: u64,
    mut each: impl FnMut(DocId),
) -> tantivy::Result<()> {
    let index = reader.inverted_index(document_field)?;
    let term = Term::from_field_u64(document_field, d);
    let Some(mut postings) = index.read_postings(&term, IndexRecordOption::Basic)? else {
        return Ok(());
    };
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
            each(doc);
        }
        doc = postings.advance();
    }
    Ok(())
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
