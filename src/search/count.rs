//! Totals: how many passages a search matches, and in how many documents. The query is built as
//! the search builds it and its matches are walked segment by segment without being scored,
//! deleted passages skipped, up to a cap (as Elasticsearch's `track_total_hits` does): a word in
//! half the index costs a bounded walk of its postings, and past the cap the total is a lower
//! bound and says so.

use rustc_hash::FxHashSet;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query};
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocSet, Searcher, TERMINATED};

use super::{Request, SearchError, Split, as_searched, build, evidence, reader_for};
use crate::index::{IndexError, Store};

/// How many passages are counted, unless asked otherwise, before the total is only a lower bound.
pub const TOTAL_CAP: u64 = 10_000;

/// How many passages a search matches; serialised as it is in `/api/search`'s `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Total {
    /// Passages matched (the cap, if there were more).
    pub passages: u64,
    /// Distinct documents among the passages counted.
    pub documents: u64,
    /// Every matching passage was counted; false: there are more than `passages`, and perhaps
    /// more documents than `documents`.
    pub exact: bool,
}

/// The passages `query` matches as `request` asks (its filters too), counted up to `cap`.
///
/// `relaxed` is the search's own [`Results::relaxed`](super::Results): no passage held every
/// part of the query, and the passages shown are the closest among those holding some part.
/// Then it is those that are counted — passages holding at least one part, and every part
/// written `+part` — since the whole query's count is 0 and says nothing of what is shown.
pub fn total(
    store: &Store,
    query: &str,
    request: &Request,
    relaxed: bool,
    cap: u64,
) -> Result<Total, SearchError> {
    let parsed = as_searched(query, request)?;
    // The reader the search used, so that both see the same commit.
    let reader = reader_for(store, &parsed)?;
    let searcher = reader.searcher();
    let langs = store.meta.langs();
    let ctx = build::Ctx {
        fields: &store.fields,
        langs: &langs,
        searcher: &searcher,
        notes: Default::default(),
    };
    let counted = if relaxed {
        some_parts(&Split::of(&parsed), &ctx)
    } else {
        ctx.build(&parsed.root)
    };
    count(&searcher, counted.as_ref(), cap).map_err(|source| {
        SearchError::Index(IndexError::Tantivy {
            path: store.dir.clone(),
            source,
        })
    })
}

/// Passages with at least one part of the query and every required one, within its filters:
/// those a relaxed search chooses from.
fn some_parts(split: &Split, ctx: &build::Ctx) -> Box<dyn Query> {
    let any = split.any_query(ctx);
    if split.required == 0 {
        return any;
    }
    let mut clauses = vec![(Occur::Must, any)];
    for (i, part) in split.parts.iter().enumerate() {
        if split.required & (1 << i) != 0 {
            clauses.push((Occur::Must, ctx.build(part)));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The live passages `query` matches, and their distinct documents, counting at most `cap`
/// passages.
fn count(searcher: &Searcher, query: &dyn Query, cap: u64) -> tantivy::Result<Total> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let columns = evidence::Columns::new(searcher);
    let mut passages = 0;
    // Document ids are random 64-bit numbers: the cheapest hash is enough.
    let mut documents = FxHashSet::default();
    let mut block = [0; COLLECT_BLOCK_BUFFER_LEN];
    for (s, reader) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = weight.scorer(reader, 1.0)?;
        if scorer.doc() == TERMINATED {
            continue;
        }
        let document_of = columns.documents(s as u32)?;
        let alive = reader.alive_bitset();
        // A document's passages are neighbours in a segment: one look-up in the set for each.
        let mut last = None;
        loop {
            let n = scorer.fill_buffer(&mut block);
            for &doc in &block[..n] {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    continue;
                }
                if passages == cap {
                    return Ok(Total {
                        passages,
                        documents: documents.len() as u64,
                        exact: false,
                    });
                }
                passages += 1;
                let document = document_of(doc);
                if last != Some(document) {
                    documents.insert(document);
                    last = Some(document);
                }
            }
            if n < block.len() {
                break;
            }
        }
    }
    Ok(Total {
        passages,
        documents: documents.len() as u64,
        exact: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::query::TermQuery;
    use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, Term, doc};

    /// An index in memory of passages `(document, word)`, in segments as `commits` groups them,
    /// and a query for `word`.
    struct Fixture {
        index: Index,
        word: tantivy::schema::Field,
        document: tantivy::schema::Field,
    }

    impl Fixture {
        fn new(commits: &[&[(u64, &str)]]) -> Fixture {
            let mut b = Schema::builder();
            let word = b.add_text_field("word", STRING);
            let document = b.add_u64_field("document", INDEXED | FAST);
            let index = Index::create_in_ram(b.build());
            let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
            for passages in commits {
                for &(d, w) in *passages {
                    writer.add_document(doc!(word => w, document => d)).unwrap();
                }
                writer.commit().unwrap();
            }
            Fixture {
                index,
                word,
                document,
            }
        }

        fn delete_document(&self, d: u64) {
            let mut writer: IndexWriter =
                self.index.writer_with_num_threads(1, 15_000_000).unwrap();
            writer.delete_term(Term::from_field_u64(self.document, d));
            writer.commit().unwrap();
        }

        fn count(&self, w: &str, cap: u64) -> Total {
            let searcher = self.index.reader().unwrap().searcher();
            let q = TermQuery::new(
                Term::from_field_text(self.word, w),
                IndexRecordOption::Basic,
            );
            count(&searcher, &q, cap).unwrap()
        }
    }

    fn total(passages: u64, documents: u64, exact: bool) -> Total {
        Total {
            passages,
            documents,
            exact,
        }
    }

    #[test]
    fn passages_and_their_documents_are_counted_across_segments() {
        let f = Fixture::new(&[
            &[(1, "ai"), (1, "ai"), (1, "chip"), (2, "ai")],
            &[(3, "ai"), (3, "chip"), (2, "ai")],
        ]);
        assert_eq!(f.count("ai", 100), total(5, 3, true));
        assert_eq!(f.count("chip", 100), total(2, 2, true));
        assert_eq!(f.count("nothing", 100), total(0, 0, true));
    }

    #[test]
    fn at_the_cap_the_count_is_exact_and_past_it_a_lower_bound() {
        // One segment: the passages are walked in the order they were added.
        let f = Fixture::new(&[&[(1, "ai"), (1, "ai"), (2, "ai"), (3, "ai")]]);
        assert_eq!(f.count("ai", 4), total(4, 3, true));
        assert_eq!(f.count("ai", 3), total(3, 2, false));
        assert_eq!(f.count("ai", 2), total(2, 1, false));
        assert_eq!(f.count("ai", 0), total(0, 0, false));
    }

    #[test]
    fn deleted_passages_are_not_counted() {
        let f = Fixture::new(&[&[(1, "ai"), (2, "ai"), (2, "ai"), (3, "ai")]]);
        f.delete_document(2);
        assert_eq!(f.count("ai", 100), total(2, 2, true));
        // The cap counts live passages only.
        assert_eq!(f.count("ai", 2), total(2, 2, true));
    }
}
