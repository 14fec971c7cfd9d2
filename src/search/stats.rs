//! The statistics BM25 scores with: a passage's length is weighed against the average length of
//! passages of its own language. Every language has its own stemmed body and title fields, and a
//! passage fills only its own language's; tantivy's own statistics share a field's tokens out
//! over every passage of the index, so that in an index of mostly Italian passages the average
//! English passage came out a few tokens long and every English passage was scored as if it were
//! many times too long. A word's rarity stays measured over the whole index: measured within a
//! language, a word of the few English articles (a name they all share) would weigh nothing
//! against a stray mention of it in Italian text.

use std::collections::HashMap;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::analysis::Lang;
use crate::index::Fields;

/// BM25 statistics of a searcher, with each language's field lengths averaged over its passages.
pub struct ByLanguage<'s> {
    searcher: &'s Searcher,
    /// Every passage (deleted ones too, as tantivy counts them).
    all: u64,
    /// The number of passages of each language-specific field's language.
    passages: HashMap<Field, u64>,
}

impl<'s> ByLanguage<'s> {
    /// The statistics of `searcher` for the languages in `langs` (the others have no passages).
    pub fn new(searcher: &'s Searcher, fields: &Fields, langs: &[Lang]) -> tantivy::Result<Self> {
        let all = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let mut passages = HashMap::new();
        for &lang in langs {
            let n = searcher.doc_freq(&Term::from_field_text(fields.lang, lang.code()))?;
            passages.insert(fields.body_of(lang), n);
            passages.insert(fields.title_of(lang), n);
        }
        Ok(ByLanguage {
            searcher,
            all,
            passages,
        })
    }

    /// `value` scaled from the passages of `field`'s language to all passages: the figure that,
    /// divided by all passages as tantivy does, gives the average over the language's passages.
    fn scaled(&self, field: Field, value: u64) -> u64 {
        match self.passages.get(&field) {
            Some(&n) if n > 0 && n < self.all => {
                let scaled = u128::from(value) * u128::from(self.all) / u128::from(n);
                u64::try_from(scaled).unwrap_or(u64::MAX)
            }
            _ => value,
        }
    }
}

impl Bm25StatisticsProvider for ByLanguage<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok(self.scaled(field, tokens))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.all)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}
