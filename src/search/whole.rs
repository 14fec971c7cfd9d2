//! Documents scored whole: BM25 over each candidate document's passages taken together, their
//! term frequencies and lengths summed. A passage's own score sees only its few lines; a page
//! whose every paragraph is about the query, and a hub page that names it once among fifty other
//! things, can hold equally good passages. The whole document tells them apart, as a
//! document-level engine would; `rank::order` fuses this order of documents with the passages'
//! own. Only the candidates' documents are read: each one's passages from the column of
//! document ids around a candidate (or from its id's postings), and each query term's postings
//! sought to them (never walked whole).

use std::collections::{HashMap, HashSet};

use tantivy::postings::Postings;
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, SegmentReader, TERMINATED, Term};

use super::evidence::{Columns, passages_of};
use super::rank::Candidate;

use crate::analysis::Lang;
use crate::index::Fields;

/// BM25's constants, as tantivy scores passages.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The BM25 score of each candidate's document as a whole for the body terms of `query`, by
/// document id. Empty when the query has no body terms. `stats`: the index's statistics (a
/// term's rarity is counted in passages, the only count the index keeps). `contiguous`: a
/// document's passages are neighbours in their segment (see `Meta::contiguous`).
pub fn scores(
    columns: &Columns,
    stats: &dyn Bm25StatisticsProvider,
    fields: &Fields,
    langs: &[Lang],
    query: &dyn Query,
    candidates: &[Candidate<DocAddress>],
    contiguous: bool,
) -> tantivy::Result<HashMap<u64, f32>> {
    let searcher = columns.searcher();
    let bodies: Vec<Field> = langs.iter().map(|&l| fields.body_of(l)).collect();
    let mut terms: Vec<Term> = Vec::new();
    query.query_terms(&mut |term, _| {
        if bodies.contains(&term.field()) && !terms.contains(term) {
            terms.push(term.clone());
        }
    });
    if terms.is_empty() || candidates.is_empty() {
        return Ok(HashMap::new());
    }
    // A document's length is the tokens of its passages; the average, every body token over
    // every document (a document's first passage is its ordinal 0). The tokens are the index's
    // own count, not `stats`'s, which scales each language's to passage averages.
    let passages = stats.total_num_docs()?.max(1);
    let count = searcher
        .doc_freq(&Term::from_field_u64(fields.ordinal, 0))?
        .max(1);
    let mut tokens = 0u64;
    for &body in &bodies {
        tokens += Bm25StatisticsProvider::total_num_tokens(searcher, body)?;
    }
    let average = (tokens as f32 / count as f32).max(1.0);
    let idf: Vec<f32> = terms
        .iter()
        .map(|t| {
            let df = stats.doc_freq(t)?.min(passages);
            let x = ((passages - df) as f32 + 0.5) / (df as f32 + 0.5);
            Ok((1.0 + x).ln())
        })
        .collect::<tantivy::Result<_>>()?;
    // Per document: its length, and each term's frequency.
    let mut found: HashMap<u64, (u64, Vec<u32>)> = HashMap::new();
    let documents: HashSet<u64> = candidates.iter().map(|c| c.document).collect();
    for (s, reader) in searcher.segment_readers().iter().enumerate() {
        let members = if contiguous {
            beside(columns, s as u32, reader, candidates)?
        } else {
            by_postings(reader, fields.document, &documents)?
        };
        if members.is_empty() {
            continue;
        }
        let norms = bodies
            .iter()
            .map(|&b| reader.get_fieldnorms_reader(b))
            .collect::<tantivy::Result<Vec<_>>>()?;
        for &(doc, d) in &members {
            let length: u64 = norms.iter().map(|n| u64::from(n.fieldnorm(doc))).sum();
            let entry = found.entry(d).or_insert_with(|| (0, vec![0; terms.len()]));
            entry.0 += length;
        }
        for (i, term) in terms.iter().enumerate() {
            let index = reader.inverted_index(term.field())?;
            let Some(mut postings) = index.read_postings(term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            for &(doc, d) in &members {
                if postings.doc() < doc {
                    postings.seek(doc);
                }
                if postings.doc() == TERMINATED {
                    break;
                }
                if postings.doc() == doc
                    && let Some(entry) = found.get_mut(&d)
                {
                    entry.1[i] += postings.term_freq();
                }
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|(d, (length, tfs))| {
            let norm = K1 * (1.0 - B + B * length as f32 / average);
            let score = tfs
                .iter()
                .zip(&idf)
                .filter(|(tf, _)| **tf > 0)
                .map(|(&tf, idf)| idf * tf as f32 * (K1 + 1.0) / (tf as f32 + norm))
                .sum();
            (d, score)
        })
        .collect())
}

/// The passages of the candidates' documents in segment `s`, with their document, sorted: when
/// a document's passages are neighbours in their segment, the run of passages around each
/// candidate with its document id (values of a column; no dictionary is read).
fn beside(
    columns: &Columns,
    s: u32,
    reader: &SegmentReader,
    candidates: &[Candidate<DocAddress>],
) -> tantivy::Result<Vec<(DocId, u64)>> {
    let document_of = columns.documents(s)?;
    let alive = |doc: DocId| reader.alive_bitset().is_none_or(|a| a.is_alive(doc));
    let mut done: HashSet<u64> = HashSet::new();
    let mut members = Vec::new();
    for c in candidates.iter().filter(|c| c.address.segment_ord == s) {
        if !done.insert(c.document) {
            continue;
        }
        let at = c.address.doc_id;
        let mut first = at;
        while first > 0 && document_of(first - 1) == c.document {
            first -= 1;
        }
        let mut last = at;
        while last + 1 < reader.max_doc() && document_of(last + 1) == c.document {
            last += 1;
        }
        members.extend(
            (first..=last)
                .filter(|&d| alive(d))
                .map(|d| (d, c.document)),
        );
    }
    members.sort_unstable();
    Ok(members)
}

/// The passages of `documents` in the segment of `reader`, with their document, sorted, from
/// each document id's postings: for an index whose documents' passages may lie apart.
fn by_postings(
    reader: &SegmentReader,
    document_field: Field,
    documents: &HashSet<u64>,
) -> tantivy::Result<Vec<(DocId, u64)>> {
    let mut members: Vec<(DocId, u64)> = Vec::new();
    for &d in documents {
        passages_of(reader, document_field, d, |doc| members.push((doc, d)))?;
    }
    members.sort_unstable();
    Ok(members)
}
