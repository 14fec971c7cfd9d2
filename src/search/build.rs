//! From a parsed query to tantivy's: a word is its stems in every language the index holds, in
//! bodies and titles; a phrase is its stems in order, a stopword leaving a gap where it stood; a
//! prefix is the stems that begin with it, and the stems it begins with (the most frequent, up to
//! a cap); filters (language, source, path, dates) are terms, a regular expression on the paths'
//! dictionary and a range on the date column. The index holds no exact words: what the stems
//! cannot decide (the exact form, the stopword in a phrase's gap, the rest of a prefix) is read
//! from the stored text of the best candidates (`super::exact`).

use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::excluded::Excluded;
use super::query::{DateRange, Node};
use super::sum::SumQuery;
use super::{TITLE_BOOST, is_stop};
use crate::analysis::{Analyzer, Lang};
use crate::index::Fields;

/// A prefix stands for at most this many words (its most frequent ones).
pub const MAX_EXPANSIONS: usize = 200;
/// How many words beginning with a prefix are looked at to choose them.
const MAX_SCANNED: usize = 100_000;

/// What building a query needs: the fields, the languages to look up stems in, the index (for
/// prefixes), and a place for notes to the user (a prefix cut short).
pub struct Ctx<'a> {
    pub fields: &'a Fields,
    pub langs: &'a [Lang],
    pub searcher: &'a Searcher,
    pub notes: RefCell<Vec<String>>,
}

impl Ctx<'_> {
    /// The query for `node`, to be walked from start to end (its best passages collected).
    pub fn build(&self, node: &Node) -> Box<dyn Query> {
        self.make(node, false)
    }

    /// The query for `node`, to be sought into (asked about chosen passages): its unions are
    /// [`SumQuery`]s, which a seek does not make score ahead.
    pub fn build_seekable(&self, node: &Node) -> Box<dyn Query> {
        self.make(node, true)
    }

    /// `seek`: whether the query will be sought into rather than walked.
    fn make(&self, node: &Node, seek: bool) -> Box<dyn Query> {
        let (f, langs) = (self.fields, self.langs);
        match node {
            Node::Word(w) => word_query(f, langs, w, false, seek),
            Node::Title(w) => word_query(f, langs, w, true, seek),
            Node::Phrase(p) => phrase_query(f, langs, p, 0, seek),
            Node::Near(p, slop) => phrase_query(f, langs, p, *slop, seek),
            Node::Prefix(p) => self.prefix_query(p),
            Node::Lang(lang) => Box::new(TermQuery::new(
                Term::from_field_text(f.lang, lang.code()),
                IndexRecordOption::Basic,
            )),
            Node::Source(s) => Box::new(TermQuery::new(
                Term::from_field_text(f.source, s),
                IndexRecordOption::Basic,
            )),
            Node::Path(glob) => match RegexQuery::from_pattern(&glob_regex(glob), f.path) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(EmptyQuery),
            },
            Node::Date(range) => date_query(f.date, range),
            Node::Not(inner) => Box::new(Excluded(self.make(inner, seek))),
            Node::Must(inner) => self.make(inner, seek),
            Node::Or(parts) => {
                let positive: Vec<&Node> = parts
                    .iter()
                    .filter(|p| !matches!(p, Node::Not(_)))
                    .collect();
                Box::new(BooleanQuery::new(
                    positive
                        .into_iter()
                        .map(|p| {
                            // `a OR +b`: b is required, a only adds to the score.
                            let occur = match p {
                                Node::Must(_) => Occur::Must,
                                _ => Occur::Should,
                            };
                            (occur, self.make(p, seek))
                        })
                        .collect(),
                ))
            }
            Node::And(parts) => {
                let all_stop = parts.iter().all(is_stop);
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .map(|p| {
                        let occur = match p {
                            Node::Not(_) => Occur::MustNot,
                            p if !all_stop && is_stop(p) => Occur::Should,
                            _ => Occur::Must,
                        };
                        // The parts of an intersection are sought into.
                        (occur, self.make(p, true))
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        }
    }

    /// The stems beginning with `prefix` (the most frequent [`MAX_EXPANSIONS`] of them), and
    /// the stems `prefix` begins with: `investiment*` must find `investimenti`, whose stem is
    /// `invest`. The latter also match words that do not begin with the prefix (`investire`):
    /// the stored text of the best candidates says which truly do (`super::exact`).
    fn prefix_query(&self, prefix: &str) -> Box<dyn Query> {
        let f = self.fields;
        let Some(token) = Analyzer::exact().tokens(prefix).into_iter().next() else {
            return Box::new(EmptyQuery);
        };
        let start = token.text;
        let mut counts: std::collections::HashMap<(Field, Vec<u8>), u64> = Default::default();
        let mut scanned = 0;
        'segments: for segment in self.searcher.segment_readers() {
            for &lang in self.langs {
                let field = f.body_of(lang);
                let Ok(index) = segment.inverted_index(field) else {
                    continue;
                };
                let terms = index.terms();
                // Stems of at least three letters that the prefix begins with.
                for (at, _) in start.char_indices().skip(3) {
                    if let Ok(Some(info)) = terms.get(&start.as_bytes()[..at]) {
                        *counts
                            .entry((field, start.as_bytes()[..at].to_vec()))
                            .or_default() += u64::from(info.doc_freq);
                    }
                }
                let Ok(mut stream) = terms.range().ge(start.as_bytes()).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    if !stream.key().starts_with(start.as_bytes()) {
                        break;
                    }
                    *counts.entry((field, stream.key().to_vec())).or_default() +=
                        u64::from(stream.value().doc_freq);
                    scanned += 1;
                    if scanned >= MAX_SCANNED {
                        break 'segments;
                    }
                }
            }
        }
        let mut words: Vec<((Field, Vec<u8>), u64)> = counts.into_iter().collect();
        if words.len() > MAX_EXPANSIONS {
            self.notes.borrow_mut().push(format!(
                "{prefix}* stands for {} words or more; searching its {MAX_EXPANSIONS} most frequent",
                words.len()
            ));
            words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            words.truncate(MAX_EXPANSIONS);
        }
        if words.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(
            words
                .into_iter()
                .map(|((field, w), _)| {
                    let term = Term::from_field_text(field, &String::from_utf8_lossy(&w));
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    (Occur::Should, q)
                })
                .collect(),
        ))
    }
}

/// Passages dated within `range` (passages without a date never are).
fn date_query(field: Field, range: &DateRange) -> Box<dyn Query> {
    let day = |d: chrono::NaiveDate| {
        let secs = d
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp();
        Term::from_field_date(field, tantivy::DateTime::from_timestamp_secs(secs))
    };
    let lower = range
        .from
        .map_or(Bound::Unbounded, |d| Bound::Included(day(d)));
    let upper = range
        .to
        .map_or(Bound::Unbounded, |d| Bound::Included(day(d)));
    Box::new(RangeQuery::new(lower, upper))
}

/// A glob over paths as a regular expression over the index's keys (absolute paths): `*` and
/// `?` stay within a folder, `**` crosses folders; a glob that does not start with `/` may match
/// at any folder (`garante/*.html` finds `/news/garante/a.html`).
pub fn glob_regex(glob: &str) -> String {
    let mut re = String::new();
    if !glob.starts_with('/') {
        re.push_str("(.*/)?");
    }
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                re.push_str(".*");
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            // ASCII punctuation may carry a meaning in a regular expression: escaped.
            c if c.is_ascii_punctuation() && c != '/' && c != '_' && c != '-' => {
                re.push('\\');
                re.push(c);
            }
            c => re.push(c),
        }
    }
    re
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

/// Passages matching any of `clauses` (all optional), scored by their sum: tantivy's union to
/// be walked, a [`SumQuery`] to be sought into.
fn union(clauses: Vec<(Occur, Box<dyn Query>)>, seek: bool) -> Box<dyn Query> {
    if seek {
        Box::new(SumQuery::new(clauses.into_iter().map(|(_, q)| q).collect()))
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

/// A word: its stems in every language, in bodies and titles, and the word itself among the
/// passages' stopwords if it is one.
fn word_query(
    f: &Fields,
    langs: &[Lang],
    word: &str,
    title_only: bool,
    seek: bool,
) -> Box<dyn Query> {
    let exact = Analyzer::exact().tokens(word);
    if exact.len() > 1 {
        // `AI-Act`, `2024-08-01`, `title:"…"`: several words typed as one are a phrase.
        return if title_only {
            title_phrase_query(f, langs, word, seek)
        } else {
            phrase_query(f, langs, word, 0, seek)
        };
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen = HashSet::new();
    if !title_only {
        // A stopword somewhere: its passages in the languages it is one of.
        for t in Analyzer::stopwords().tokens(word) {
            clauses.push((Occur::Should, term_query(f.stopwords, &t.text, 1.0)));
        }
    }
    for &lang in langs {
        for t in Analyzer::stemmed(lang).tokens(word) {
            if seen.insert((lang, t.text.clone())) {
                if !title_only {
                    clauses.push((Occur::Should, term_query(f.body_of(lang), &t.text, 1.0)));
                }
                clauses.push((
                    Occur::Should,
                    term_query(f.title_of(lang), &t.text, TITLE_BOOST),
                ));
            }
        }
    }
    union(clauses, seek)
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

fn sequence_query(terms: Vec<(usize, Term)>, boost: f32, slop: u32) -> Option<Box<dyn Query>> {
    let q: Box<dyn Query> = match terms.len() {
        0 => return None,
        1 => Box::new(TermQuery::new(
            terms[0].1.clone(),
            IndexRecordOption::WithFreqs,
        )),
        _ => {
            let mut phrase = PhraseQuery::new_with_offset(terms);
            phrase.set_slop(slop);
            Box::new(phrase)
        }
    };
    Some(if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    })
}

/// The words of `phrase` in order in a title, by their stems.
fn title_phrase_query(f: &Fields, langs: &[Lang], phrase: &str, seek: bool) -> Box<dyn Query> {
    let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &lang in langs {
        let stemmed = Analyzer::stemmed(lang).tokens(phrase);
        phrases.extend(
            sequence_query(positioned(f.title_of(lang), &stemmed), TITLE_BOOST, 0)
                .map(|q| (Occur::Should, q)),
        );
    }
    union(phrases, seek)
}

/// A phrase: in each language, its stems in order. A word that is a stopword in that language
/// is not indexed: it leaves a gap the phrase steps over (`diritto alla privacy` finds
/// `diritto [any word] privacy`), and the stored text of the best candidates says whether the
/// stopword stood there (`super::exact`), and whether the phrase is there in its exact form.
fn phrase_query(f: &Fields, langs: &[Lang], phrase: &str, slop: u32, seek: bool) -> Box<dyn Query> {
    let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut all_stopwords = false;
    for &lang in langs {
        let stemmed = Analyzer::stemmed(lang).tokens(phrase);
        all_stopwords |= stemmed.is_empty();
        phrases.extend(
            sequence_query(positioned(f.body_of(lang), &stemmed), 1.0, slop)
                .map(|q| (Occur::Should, q)),
        );
    }
    if all_stopwords {
        // `to be or not to be`: in some language every word is a stopword, which has no
        // position in the index. The passages holding them all; their order is read from the
        // stored text.
        let every: Vec<(Occur, Box<dyn Query>)> = Analyzer::stopwords()
            .tokens(phrase)
            .into_iter()
            .map(|t| (Occur::Must, term_query(f.stopwords, &t.text, 1.0)))
            .collect();
        if !every.is_empty() {
            phrases.push((Occur::Should, Box::new(BooleanQuery::new(every))));
        }
    }
    union(phrases, seek)
}
