//! Text analysis: turns text into the terms the index stores and queries look up, one chain per
//! language — Unicode words → elided article removed → lowercase → stopwords → stem and accent
//! folding — plus a language-neutral "exact" chain (words folded, never stemmed) so that an exact
//! word can outrank a word that only shares its stem. The same code serves indexing, querying and
//! highlighting, so the three can never disagree.

mod fold;
mod lang;
mod segment;
mod tokenizer;

use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::Stemmer;
use tantivy::tokenizer::Token;

pub use fold::fold;
pub use lang::Lang;
pub use tokenizer::{EXACT_TOKENIZER, register, tokenizer_name};

/// Elided articles and prepositions, Italian (as Lucene's ItalianAnalyzer lists them) and French.
/// One list serves every language: a French `l'` in an Italian text is still an article.
const ELISIONS: &[&str] = &[
    // Italian
    "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl",
    "negl", "sugl", "un", "m", "t", "s", "v", "d", // French (those not already above)
    "qu", "n", "j", "jusqu", "quoiqu", "lorsqu", "puisqu",
];

/// Which chain an [`Analyzer`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    /// Stopwords removed, stemmed with the language's Snowball stemmer, accent-insensitive.
    Stemmed(Lang),
    /// Every word, lowercased and accent-folded, not stemmed.
    Exact,
}

/// Runs one analysis chain over a text.
#[derive(Clone, Copy, Debug)]
pub struct Analyzer {
    chain: Chain,
}

impl Analyzer {
    pub fn stemmed(lang: Lang) -> Analyzer {
        Analyzer {
            chain: Chain::Stemmed(lang),
        }
    }

    pub fn exact() -> Analyzer {
        Analyzer {
            chain: Chain::Exact,
        }
    }

    /// The terms of `text`, each with its word position and the byte range of its surface form.
    ///
    /// A stemmed chain emits up to two terms at one position: `fold(stem(w))` and
    /// `stem(fold(w))`. Snowball needs the accents to conflate well (`responsabilità` → `respons`
    /// like `responsabile`), while a query typed without accents can only produce the second; the
    /// pair lets both directions meet.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        match self.chain {
            Chain::Exact => analyze(text, None, Some(&mut out), None),
            Chain::Stemmed(lang) => analyze(text, Some(lang), None, Some(&mut out)),
        }
        out
    }
}

fn analyze(
    text: &str,
    lang: Option<Lang>,
    mut exact: Option<&mut Vec<Token>>,
    mut stemmed: Option<&mut Vec<Token>>,
) {
    for (position, word) in words(text).enumerate() {
        let token = |term: String| Token {
            offset_from: word.start,
            offset_to: word.end,
            position,
            text: term,
            position_length: 1,
        };
        if let Some(out) = exact.as_deref_mut() {
            out.push(token(fold(&word.lower)));
        }
        if let (Some(out), Some(lang)) = (stemmed.as_deref_mut(), lang) {
            match cache::terms(lang, &word.lower) {
                Terms::Stopword => {}
                Terms::One(t) => out.push(token(t)),
                Terms::Two(a, b) => {
                    out.push(token(a));
                    out.push(token(b));
                }
            }
        }
    }
}

/// What the stemmed chain makes of one (lowercased) word.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Terms {
    Stopword,
    One(String),
    Two(String, String),
}

/// The stemmed chain's terms for one lowercased word, computed without a cache.
fn stem_word(lang: Lang, lower: &str) -> Terms {
    if is_stopword(lang, lower) {
        return Terms::Stopword;
    }
    let Some(algorithm) = lang.stemmer() else {
        return Terms::One(fold(lower));
    };
    let stemmer = Stemmer::create(algorithm);
    let first = fold(&stemmer.stem(lower));
    let folded = fold(lower);
    if folded == lower {
        // No accent: stem(fold(w)) is stem(w).
        return Terms::One(first);
    }
    let second = fold(&stemmer.stem(&folded));
    if second == first {
        Terms::One(first)
    } else {
        Terms::Two(first, second)
    }
}

/// News text repeats a small vocabulary (Zipf): remembering each word's terms saves most of the
/// stemming and folding. One cache per thread, emptied when it grows too large.
mod cache {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::{Lang, Terms, stem_word};

    const MAX_ENTRIES: usize = 200_000;

    thread_local! {
        static CACHE: RefCell<Vec<HashMap<String, Terms>>> =
            RefCell::new(vec![HashMap::new(); Lang::ALL.len()]);
    }

    pub(super) fn terms(lang: Lang, lower: &str) -> Terms {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let map = &mut cache[lang.index()];
            if let Some(t) = map.get(lower) {
                return t.clone();
            }
            let t = stem_word(lang, lower);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(lower.to_string(), t.clone());
            t
        })
    }
}

/// A word of the text, its elided article already cut off.
struct Word {
    start: usize,
    end: usize,
    /// Lowercased, with typographic apostrophes made straight.
    lower: String,
}

fn words(text: &str) -> impl Iterator<Item = Word> + '_ {
    segment::word_indices(text).filter_map(|(start, word)| {
        let (skip, rest) = strip_elision(word);
        if rest.is_empty() {
            return None;
        }
        let lower = if rest.is_ascii() {
            rest.to_ascii_lowercase()
        } else {
            rest.to_lowercase().replace('\u{2019}', "'")
        };
        Some(Word {
            start: start + skip,
            end: start + word.len(),
            lower,
        })
    })
}

/// Splits `dell'intelligenza` into the bytes to skip (`dell'`) and the word (`intelligenza`).
fn strip_elision(word: &str) -> (usize, &str) {
    let Some((idx, apostrophe)) = word
        .char_indices()
        .find(|&(_, c)| c == '\'' || c == '\u{2019}')
    else {
        return (0, word);
    };
    let prefix = &word[..idx];
    let rest = &word[idx + apostrophe.len_utf8()..];
    let is_article = ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(prefix));
    if is_article && !rest.is_empty() {
        (idx + apostrophe.len_utf8(), rest)
    } else {
        (0, word)
    }
}

/// Snowball stopword lists (from the `stop-words` crate), folded so that `piu` is as much a
/// stopword as `più`. Italian keeps `ai` (a + i): in AI-policy news it is almost always "AI".
/// One set per language, in [`Lang::ALL`] order (`Other` has none).
static STOPWORDS: LazyLock<Vec<HashSet<String>>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| match lang {
            Lang::Other => HashSet::new(),
            _ => stop_words::get(lang.code())
                .iter()
                .filter(|w| !(lang == Lang::It && **w == "ai"))
                .map(|w| fold(w))
                .collect(),
        })
        .collect()
});

/// Whether `word` (lowercase) is a stopword of `lang`.
pub fn is_stopword(lang: Lang, word: &str) -> bool {
    STOPWORDS[lang.index()].contains(&fold(word))
}

#[cfg(test)]
mod tests;
