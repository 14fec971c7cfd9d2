//! Searching: a query string → ranked passages with the byte ranges of the words that matched.
//! Each query word is analysed by every language's chain and by the exact chain, so it meets the
//! text however that text was indexed; an exact word and a title match weigh more than a stem.

mod highlight;
pub mod query;

use std::collections::HashSet;
use std::ops::Range;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::analysis::{Analyzer, Lang, is_stopword};
use crate::index::{Fields, IndexError, Store};
use query::{Node, Parsed};

pub use highlight::Terms;

/// How much more an exact (unstemmed) word counts than a word that only shares its stem.
const EXACT_BOOST: f32 = 1.5;
/// How much more a match in the document's title counts than one in the passage.
const TITLE_BOOST: f32 = 2.0;

/// One ranked passage.
#[derive(Clone, Debug)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    pub lang: String,
    pub line: u64,
    /// The 1-based page, in a paged format (PDF).
    pub page: Option<u64>,
    pub url: Option<String>,
    pub text: String,
    /// Byte ranges into `text` of the words that matched, sorted, not overlapping.
    pub highlights: Vec<Range<usize>>,
    /// The same for `title`.
    pub title_highlights: Vec<Range<usize>>,
}

/// The outcome of a search.
#[derive(Debug, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// The query did not parse and was searched as plain words.
    pub lenient: bool,
    /// No passage had every word; these are passages with any of them.
    pub relaxed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query has no word to search for")]
    Empty,
    #[error(transparent)]
    Query(#[from] query::QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// Runs `query` against the index and returns the best `limit` passages.
pub fn search(store: &Store, query: &str, limit: usize) -> Result<Results, SearchError> {
    let parsed = query::parse(query)?;
    if !has_positive(&parsed.root) {
        return Err(SearchError::Empty);
    }
    // A single word is answered by block-max WAND from a few postings blocks; phrases and
    // several words must score every passage that has them all.
    let reader = if is_heavy(&parsed.root) {
        store.parallel_reader()?
    } else {
        store.reader()?
    };
    let searcher = reader.searcher();
    // Stems are looked up only in the fields of languages the index holds.
    let langs = store.meta.langs();
    let tantivy_err = |source| IndexError::Tantivy {
        path: store.dir.clone(),
        source,
    };
    let run = |root: &Node| -> Result<Vec<(f32, tantivy::DocAddress)>, SearchError> {
        let q = build(&store.fields, &langs, root);
        Ok(searcher
            .search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(tantivy_err)?)
    };
    let mut relaxed = false;
    let mut top = run(&parsed.root)?;
    if let Some(any) = relax(&parsed).filter(|_| top.is_empty()) {
        top = run(&any)?;
        relaxed = !top.is_empty();
    }
    let terms = Terms::of(&parsed.root);
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(address).map_err(tantivy_err)?;
        hits.push(hit(&store.fields, &terms, i + 1, score, &doc));
    }
    Ok(Results {
        hits,
        lenient: parsed.lenient,
        relaxed,
    })
}

fn hit(f: &Fields, terms: &Terms, rank: usize, score: f32, doc: &TantivyDocument) -> Hit {
    let text_of = |field: Field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let lang: Lang = text_of(f.lang)
        .and_then(|l| l.parse().ok())
        .unwrap_or(Lang::Other);
    let text = text_of(f.text).unwrap_or_default();
    let title = text_of(f.title).unwrap_or_default();
    Hit {
        rank,
        score,
        path: text_of(f.path).unwrap_or_default(),
        highlights: terms.ranges(lang, &text),
        title_highlights: terms.ranges(lang, &title),
        title,
        date: text_of(f.date),
        lang: lang.code().to_string(),
        line: doc.get_first(f.line).and_then(|v| v.as_u64()).unwrap_or(0),
        page: doc.get_first(f.page).and_then(|v| v.as_u64()),
        url: text_of(f.url),
        text,
    }
}

/// An implicit AND of plain words that found nothing is retried as OR.
fn relax(parsed: &Parsed) -> Option<Node> {
    match &parsed.root {
        Node::And(parts) if !parsed.explicit && parts.len() > 1 => Some(Node::Or(parts.clone())),
        _ => None,
    }
}

/// Whether the query has a phrase or several words (anything but a lone word).
fn is_heavy(node: &Node) -> bool {
    match node {
        Node::Word(_) | Node::Lang(_) | Node::Not(_) => false,
        Node::Phrase(_) => true,
        Node::And(parts) | Node::Or(parts) => {
            parts.iter().filter(|p| has_positive(p)).count() > 1 || parts.iter().any(is_heavy)
        }
    }
}

fn has_positive(node: &Node) -> bool {
    match node {
        Node::Word(w) | Node::Phrase(w) => !Analyzer::exact().tokens(w).is_empty(),
        Node::Lang(_) => true,
        Node::Not(_) => false,
        Node::And(parts) | Node::Or(parts) => parts.iter().any(has_positive),
    }
}

/// A word is optional in an AND when it is a stopword in some language and other words remain.
fn is_stop(node: &Node) -> bool {
    let Node::Word(w) = node else { return false };
    let words = Analyzer::exact().tokens(w);
    !words.is_empty()
        && words
            .iter()
            .all(|t| Lang::ALL.into_iter().any(|l| is_stopword(l, &t.text)))
}

fn build(f: &Fields, langs: &[Lang], node: &Node) -> Box<dyn Query> {
    match node {
        Node::Word(w) => word_query(f, langs, w),
        Node::Phrase(p) => phrase_query(f, langs, p),
        Node::Lang(lang) => Box::new(TermQuery::new(
            Term::from_field_text(f.lang, lang.code()),
            IndexRecordOption::Basic,
        )),
        Node::Not(inner) => build(f, langs, inner),
        Node::Or(parts) => Box::new(BooleanQuery::new(
            parts
                .iter()
                .filter(|p| !matches!(p, Node::Not(_)))
                .map(|p| (Occur::Should, build(f, langs, p)))
                .collect(),
        )),
        Node::And(parts) => {
            let all_stop = parts.iter().all(is_stop);
            Box::new(BooleanQuery::new(
                parts
                    .iter()
                    .map(|p| {
                        let occur = match p {
                            Node::Not(_) => Occur::MustNot,
                            p if !all_stop && is_stop(p) => Occur::Should,
                            _ => Occur::Must,
                        };
                        (occur, build(f, langs, p))
                    })
                    .collect(),
            ))
        }
    }
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    if boost == 1.0 {
        Box::new(q)
    } else {
        Box::new(BoostQuery::new(Box::new(q), boost))
    }
}

/// A word: its exact form, and its stems in every language, in bodies and titles.
fn word_query(f: &Fields, langs: &[Lang], word: &str) -> Box<dyn Query> {
    let exact = Analyzer::exact().tokens(word);
    if exact.len() > 1 {
        // `AI-Act`, `2024-08-01`: several words typed as one are a phrase.
        return phrase_query(f, langs, word);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen = HashSet::new();
    for t in &exact {
        clauses.push((Occur::Should, term_query(f.exact, &t.text, EXACT_BOOST)));
    }
    for &lang in langs {
        for t in Analyzer::stemmed(lang).tokens(word) {
            if seen.insert((lang, t.text.clone())) {
                clauses.push((Occur::Should, term_query(f.body_of(lang), &t.text, 1.0)));
                clauses.push((
                    Occur::Should,
                    term_query(f.title_of(lang), &t.text, TITLE_BOOST),
                ));
            }
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Terms at their positions, for a phrase query on one field.
fn positioned(field: Field, tokens: &[tantivy::tokenizer::Token]) -> Vec<(usize, Term)> {
    let mut out: Vec<(usize, Term)> = Vec::new();
    for t in tokens {
        let term = Term::from_field_text(field, &t.text);
        // Of two terms at one position keep the last, stem(fold(word)): every form has it.
        match out.last_mut() {
            Some(last) if last.0 == t.position => *last = (t.position, term),
            _ => out.push((t.position, term)),
        }
    }
    out
}

fn sequence_query(terms: Vec<(usize, Term)>, boost: f32) -> Option<Box<dyn Query>> {
    let q: Box<dyn Query> = match terms.len() {
        0 => return None,
        1 => Box::new(TermQuery::new(
            terms[0].1.clone(),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    };
    Some(if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    })
}

/// A phrase: in each language, the stems in order — unless the phrase has a stopword in that
/// language (a dropped stopword would make the phrase match too much); then, and only then, the
/// exact words in order. The exact phrase weighs more: it is an optional clause, checked only on
/// the passages the stemmed phrase found rather than matched across the whole index.
fn phrase_query(f: &Fields, langs: &[Lang], phrase: &str) -> Box<dyn Query> {
    let exact = Analyzer::exact().tokens(phrase);
    let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut every_lang_stemmed = exact.len() > 1;
    for &lang in langs {
        let stemmed = Analyzer::stemmed(lang).tokens(phrase);
        let positions: HashSet<usize> = stemmed.iter().map(|t| t.position).collect();
        if positions.len() == exact.len() && exact.len() > 1 {
            phrases.extend(
                sequence_query(positioned(f.body_of(lang), &stemmed), 1.0)
                    .map(|q| (Occur::Should, q)),
            );
        } else {
            every_lang_stemmed = false;
        }
    }
    let exact_phrase = sequence_query(positioned(f.exact, &exact), EXACT_BOOST);
    if !every_lang_stemmed {
        phrases.extend(exact_phrase.map(|q| (Occur::Should, q)));
        return Box::new(BooleanQuery::new(phrases));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(phrases)))];
    clauses.extend(exact_phrase.map(|q| (Occur::Should, q)));
    Box::new(BooleanQuery::new(clauses))
}
