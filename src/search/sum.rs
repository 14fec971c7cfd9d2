//! A union of a few queries whose scores add up, built to be sought into. tantivy's own union (a
//! `BooleanQuery` of optional clauses) scores ahead in windows of 4,096 passages, in a buffer of
//! 4,096 scores it allocates for each segment: right when it is walked from start to end, costly
//! when it is sought into — by an intersection whose words rarely meet (each word of a query is a
//! union of seven fields), or by the evidence asking each part about the candidates: every seek
//! scores every passage of every clause up to the next window, and each scorer's buffer is fresh
//! memory a short-lived process pays page faults for. This one
//! keeps no buffer: a seek moves each clause's postings to the target with their skip lists, and
//! the passage's score is the sum of the clauses standing on it, as tantivy's union scores it.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Passages matching any of `parts`, scored by the sum of the parts they match.
#[derive(Debug)]
pub struct SumQuery {
    parts: Vec<Box<dyn Query>>,
}

impl SumQuery {
    pub fn new(parts: Vec<Box<dyn Query>>) -> SumQuery {
        SumQuery { parts }
    }
}

impl Clone for SumQuery {
    fn clone(&self) -> SumQuery {
        SumQuery {
            parts: self.parts.iter().map(|p| p.box_clone()).collect(),
        }
    }
}

impl Query for SumQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|p| p.weight(scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(SumWeight { parts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for p in &self.parts {
            p.query_terms(visitor);
        }
    }
}

struct SumWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for SumWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for weight in &self.parts {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                parts.push(scorer);
            }
        }
        Ok(match parts.len() {
            0 => Box::new(EmptyScorer),
            1 => parts.remove(0),
            _ => Box::new(SumScorer::new(parts)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of", scorer.score());
        for weight in &self.parts {
            if let Ok(part) = weight.explain(reader, doc) {
                explanation.add_detail(part);
            }
        }
        Ok(explanation)
    }
}

/// Stands on the smallest doc id any part stands on.
struct SumScorer {
    parts: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SumScorer {
    fn new(parts: Vec<Box<dyn Scorer>>) -> SumScorer {
        let mut scorer = SumScorer { parts, doc: 0 };
        scorer.settle();
        scorer
    }

    fn settle(&mut self) -> DocId {
        self.doc = self
            .parts
            .iter()
            .map(|p| p.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SumScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        for p in &mut self.parts {
            if p.doc() == doc {
                p.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for p in &mut self.parts {
            if p.doc() < target {
                p.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts.iter().map(|p| p.size_hint()).max().unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(|p| p.cost()).sum()
    }
}

impl Scorer for SumScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.parts
            .iter_mut()
            .filter(|p| p.doc() == doc)
            .map(|p| p.score())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    use super::*;

    /// 10,000 passages, the words far apart and close together, so that seeks cross tantivy's
    /// windows of 4,096 passages.
    fn index() -> (Index, Field, Field) {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", TEXT);
        let b = schema.add_text_field("b", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..10_000 {
            let mut d = TantivyDocument::default();
            d.add_text(
                a,
                match i % 7 {
                    0 => "garante privacy garante",
                    3 => "garante",
                    5 => "privacy dati",
                    _ => "altro",
                },
            );
            d.add_text(
                b,
                if i % 4_999 == 0 || i % 11 == 0 {
                    "x"
                } else {
                    "y"
                },
            );
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        (index, a, b)
    }

    fn term(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// Every passage `q` matches, with its score, by doc id.
    fn all(index: &Index, q: &dyn Query) -> Vec<(u32, f32)> {
        let searcher = index.reader().unwrap().searcher();
        let mut out: Vec<(u32, f32)> = searcher
            .search(q, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(s, a)| (a.doc_id, s))
            .collect();
        out.sort_by_key(|(d, _)| *d);
        out
    }

    fn same(ours: &[(u32, f32)], theirs: &[(u32, f32)]) {
        assert!(!ours.is_empty());
        assert_eq!(ours.len(), theirs.len());
        for ((d1, s1), (d2, s2)) in ours.iter().zip(theirs) {
            assert_eq!(d1, d2);
            assert!((s1 - s2).abs() < 1e-4, "doc {d1}: {s1} against {s2}");
        }
    }

    fn should(parts: Vec<Box<dyn Query>>) -> BooleanQuery {
        BooleanQuery::new(parts.into_iter().map(|q| (Occur::Should, q)).collect())
    }

    #[test]
    fn matches_and_scores_as_tantivys_union() {
        let (index, a, b) = index();
        let parts = || vec![term(a, "garante"), term(a, "privacy"), term(b, "x")];
        same(
            &all(&index, &SumQuery::new(parts())),
            &all(&index, &should(parts())),
        );
    }

    #[test]
    fn in_an_intersection_it_finds_and_scores_what_tantivys_union_does() {
        let (index, a, b) = index();
        let parts = || vec![term(a, "privacy"), term(a, "dati")];
        let and = |union: Box<dyn Query>| {
            BooleanQuery::new(vec![(Occur::Must, union), (Occur::Must, term(b, "x"))])
        };
        same(
            &all(&index, &and(Box::new(SumQuery::new(parts())))),
            &all(&index, &and(Box::new(should(parts())))),
        );
    }

    #[test]
    fn parts_that_match_nothing_make_an_empty_union() {
        let (index, a, _) = index();
        assert!(all(&index, &SumQuery::new(vec![term(a, "assente")])).is_empty());
        assert!(all(&index, &SumQuery::new(Vec::new())).is_empty());
    }
}
