//! Text analysis: turns text into the terms the index stores and queries look up, one chain per
//! language — Unicode words → elided article removed → lowercase → stopwords → stem and accent
//! folding — plus a language-neutral "exact" chain (words folded, never stemmed) so that an exact
//! word can outrank a word that only shares its stem. The same code serves indexing, querying and
//! highlighting, so the three can never disagree.

mod fold;
mod lang;
mod tokenizer;

use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::Stemmer;
use tantivy::tokenizer::Token;
use unicode_segmentation::UnicodeSegmentation;

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
        let stemmer = match self.chain {
            Chain::Stemmed(lang) => lang.stemmer().map(Stemmer::create),
            Chain::Exact => None,
        };
        for (position, word) in words(text).enumerate() {
            let mut push = |term: String| {
                out.push(Token {
                    offset_from: word.start,
                    offset_to: word.end,
                    position,
                    text: term,
                    position_length: 1,
                })
            };
            match self.chain {
                Chain::Exact => push(fold(&word.lower)),
                Chain::Stemmed(lang) => {
                    if is_stopword(lang, &word.lower) {
                        continue;
                    }
                    let (first, second) = match &stemmer {
                        Some(s) => (
                            fold(&s.stem(&word.lower)),
                            fold(&s.stem(&fold(&word.lower))),
                        ),
                        None => (fold(&word.lower), String::new()),
                    };
                    let differs = !second.is_empty() && second != first;
                    push(first);
                    if differs {
                        push(second);
                    }
                }
            }
        }
        out
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
    text.unicode_word_indices().filter_map(|(start, word)| {
        let (skip, rest) = strip_elision(word);
        if rest.is_empty() {
            return None;
        }
        Some(Word {
            start: start + skip,
            end: start + word.len(),
            lower: rest.to_lowercase().replace('\u{2019}', "'"),
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
static STOPWORDS: LazyLock<Vec<(Lang, HashSet<String>)>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .filter(|&l| l != Lang::Other)
        .map(|lang| {
            let words = stop_words::get(lang.code())
                .iter()
                .filter(|w| !(lang == Lang::It && **w == "ai"))
                .map(|w| fold(w))
                .collect();
            (lang, words)
        })
        .collect()
});

/// Whether `word` (lowercase) is a stopword of `lang`.
pub fn is_stopword(lang: Lang, word: &str) -> bool {
    STOPWORDS
        .iter()
        .find(|(l, _)| *l == lang)
        .is_some_and(|(_, set)| set.contains(&fold(word)))
}

#[cfg(test)]
mod tests;
