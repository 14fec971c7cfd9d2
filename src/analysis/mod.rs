//! Text analysis: turns text into the terms the index stores and queries look up, one chain per
//! language — Unicode words → elided article removed → lowercase → stopwords → stem and accent
//! folding — plus a language-neutral "exact" chain (words folded, never stemmed) so that an exact
//! word can outrank a word that only shares its stem. The same code serves indexing, querying and
//! highlighting, so the three can never disagree.

mod fold;
mod lang;
mod segment;
mod tokenizer;

use std::borrow::Cow;
use std::sync::LazyLock;

use compact_str::CompactString;
use rust_stemmers::Stemmer;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::Token;

pub use fold::fold;
pub use lang::Lang;
pub use tokenizer::{STOPWORDS_TOKENIZER, register, tokenizer_name};

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
    /// The words the stemmed chains leave out: the stopwords of any language, lowercased and
    /// accent-folded, each once. Indexed without positions or frequencies (which passages hold
    /// them is all it tells), so that a query of stopwords alone (`perché`, `the who`) still
    /// finds its passages.
    Stopwords,
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

    pub fn stopwords() -> Analyzer {
        Analyzer {
            chain: Chain::Stopwords,
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
        self.for_each_term(text, |position, from, to, term| {
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: term.to_string(),
                position_length: 1,
            });
        });
        out
    }

    /// Calls `emit(position, from, to, term)` for each term of `text`, as [`Analyzer::tokens`]
    /// lists them, lending each term instead of allocating it: indexing analyses every passage
    /// and title, and one allocation per term was a tenth of its time.
    pub fn for_each_term(&self, text: &str, emit: impl FnMut(usize, usize, usize, &str)) {
        self.terms_of(text, None, emit);
    }

    /// [`Analyzer::for_each_term`] for the words whose initial (see [`initial`]) passes `keep`;
    /// the others are skipped unanalysed (they still take their position). Highlighting uses it
    /// to stem only the words that could match the query.
    pub fn for_each_term_of(
        &self,
        text: &str,
        keep: impl Fn(char) -> bool,
        emit: impl FnMut(usize, usize, usize, &str),
    ) {
        self.terms_of(text, Some(&keep), emit);
    }

    /// Both of the above; without `keep` (indexing) no word's initial is even computed.
    fn terms_of(
        &self,
        text: &str,
        keep: Option<&dyn Fn(char) -> bool>,
        mut emit: impl FnMut(usize, usize, usize, &str),
    ) {
        words::with(text, |words| {
            // The stopwords already emitted: each is emitted once (at its first position).
            let mut stopwords: Vec<&str> = Vec::new();
            for (position, word) in words.enumerate() {
                if let Some(keep) = keep
                    && !initial(word.lower).is_some_and(keep)
                {
                    continue;
                }
                let (from, to) = (word.start, word.end);
                match self.chain {
                    Chain::Exact if fold::is_folded(word.lower) => {
                        emit(position, from, to, word.lower)
                    }
                    Chain::Exact => emit(position, from, to, &fold(word.lower)),
                    Chain::Stopwords => {
                        if let Some(stopword) = stopword(word.lower)
                            && !stopwords.contains(&stopword)
                        {
                            stopwords.push(stopword);
                            emit(position, from, to, stopword)
                        }
                    }
                    Chain::Stemmed(lang) => {
                        cache::with_terms(lang, word.lower, |terms| match terms {
                            Terms::Stopword => {}
                            Terms::One(t) => emit(position, from, to, t),
                            Terms::Two(a, b) => {
                                emit(position, from, to, a);
                                emit(position, from, to, b);
                            }
                        })
                    }
                }
            }
        });
    }
}

/// The first letter of a word once folded (`È` → `e`). Every term either chain makes of a word
/// begins with it: Snowball stemmers rewrite endings, never a word's first letter (a property
/// test holds them to it over the corpus), so a word cannot match a term with another initial.
pub fn initial(word: &str) -> Option<char> {
    let c = word.chars().next()?;
    if c.is_ascii() {
        Some(c.to_ascii_lowercase())
    } else {
        fold(c.encode_utf8(&mut [0; 4])).chars().next()
    }
}

/// What the stemmed chain makes of one (lowercased) word. Stems are short: kept inline (up to
/// 24 bytes), a cached word's terms sit in its table entry instead of behind two more pointers.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Terms {
    Stopword,
    One(CompactString),
    Two(CompactString, CompactString),
}

/// The stemmed chain's terms for one lowercased word, computed without a cache.
fn stem_word(lang: Lang, lower: &str) -> Terms {
    if is_stopword(lang, lower) {
        return Terms::Stopword;
    }
    let Some(algorithm) = lang.stemmer() else {
        return Terms::One(fold(lower).into());
    };
    let stemmer = Stemmer::create(algorithm);
    let first = fold(&stemmer.stem(lower));
    let folded = fold(lower);
    if folded == lower {
        // No accent: stem(fold(w)) is stem(w).
        return Terms::One(first.into());
    }
    let second = fold(&stemmer.stem(&folded));
    if second == first {
        Terms::One(first.into())
    } else {
        Terms::Two(first.into(), second.into())
    }
}

/// News text repeats a small vocabulary (Zipf): remembering each word's terms saves most of the
/// stemming and folding. One cache per thread, emptied when it grows too large.
mod cache {
    use std::cell::RefCell;

    use compact_str::CompactString;
    use rustc_hash::FxHashMap;

    use super::{Lang, Terms, stem_word};

    const MAX_ENTRIES: usize = 200_000;

    thread_local! {
        static CACHE: RefCell<Vec<FxHashMap<CompactString, Terms>>> =
            RefCell::new(vec![FxHashMap::default(); Lang::ALL.len()]);
    }

    /// Calls `f` with the terms of `lower`; `f` must not analyse text itself.
    pub(super) fn with_terms<R>(lang: Lang, lower: &str, f: impl FnOnce(&Terms) -> R) -> R {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let map = &mut cache[lang.index()];
            if let Some(t) = map.get(lower) {
                return f(t);
            }
            let t = stem_word(lang, lower);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            f(map.entry(CompactString::from(lower)).or_insert(t))
        })
    }
}

/// Splitting a text into lowercased words, remembered for the last two texts of each thread:
/// indexing analyses each document's title once per passage, between its passages, and
/// searching analyses a passage by each part of the query, so a text's words are split once.
mod words {
    use std::cell::RefCell;
    use std::ops::Range;

    use super::{segment, strip_elision};

    /// A word of the text, its elided article already cut off.
    pub(super) struct Word<'a> {
        pub start: usize,
        pub end: usize,
        /// Lowercased, with typographic apostrophes made straight.
        pub lower: &'a str,
    }

    #[derive(Default)]
    struct Split {
        text: String,
        /// Byte range in the text, byte range in `lower`.
        words: Vec<(Range<usize>, Range<usize>)>,
        lower: String,
        scratch: segment::Scratch,
    }

    impl Split {
        fn fill(&mut self, text: &str) {
            self.text.clear();
            self.text.push_str(text);
            self.words.clear();
            self.lower.clear();
            let (words, lower) = (&mut self.words, &mut self.lower);
            segment::for_each_word(text, &mut self.scratch, |start, word| {
                let (skip, rest) = strip_elision(word);
                if rest.is_empty() {
                    return;
                }
                let from = lower.len();
                if rest.is_ascii() {
                    lower.push_str(rest);
                    lower[from..].make_ascii_lowercase();
                } else {
                    for c in rest.chars().flat_map(char::to_lowercase) {
                        lower.push(if c == '\u{2019}' { '\'' } else { c });
                    }
                }
                words.push((start + skip..start + word.len(), from..lower.len()));
            });
        }
    }

    thread_local! {
        /// The last two texts split, the most recent first.
        static LAST: RefCell<[Split; 2]> = RefCell::new(Default::default());
    }

    /// Calls `f` with the words of `text`; `f` must not analyse text itself.
    pub(super) fn with<R>(
        text: &str,
        f: impl FnOnce(&mut dyn Iterator<Item = Word<'_>>) -> R,
    ) -> R {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last[0].text != text {
                last.swap(0, 1);
                if last[0].text != text {
                    last[0].fill(text);
                }
            }
            let split = &last[0];
            let mut words = split.words.iter().map(|(at, lower)| Word {
                start: at.start,
                end: at.end,
                lower: &split.lower[lower.clone()],
            });
            f(&mut words)
        })
    }
}

/// Splits `dell'intelligenza` into the bytes to skip (`dell'`) and the word (`intelligenza`).
fn strip_elision(word: &str) -> (usize, &str) {
    // Most words have no apostrophe: a byte scan says so (0xE2 leads the typographic one).
    if !word.bytes().any(|b| b == b'\'' || b == 0xE2) {
        return (0, word);
    }
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
/// One table for all languages: each word maps to the set of languages (see `Lang::bit`)
/// that list it, so that language detection asks once per word, not once per language.
/// Built on first use by every search and every indexing run, so built cheaply: sized once,
/// and a word already without accents (most of them) is borrowed, not folded into a new string.
static STOPWORDS: LazyLock<FxHashMap<Cow<'static, str>, u8>> = LazyLock::new(|| {
    let lists: Vec<(Lang, &'static [&'static str])> = Lang::ALL
        .into_iter()
        .filter(|&lang| lang != Lang::Other)
        .map(|lang| (lang, stop_words::get(lang.code())))
        .collect();
    let size = lists.iter().map(|(_, words)| words.len()).sum();
    let mut table = FxHashMap::with_capacity_and_hasher(size, Default::default());
    for (lang, words) in lists {
        for &word in words {
            if lang == Lang::It && word == "ai" {
                continue;
            }
            let key = if fold::is_folded(word) {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(fold(word))
            };
            *table.entry(key).or_insert(0) |= lang.bit();
        }
    }
    table
});

/// `word` (lowercase) as the stopword table spells it (accent-folded), with the set of languages
/// (see `Lang::bit`) that list it, if it is a stopword.
fn stopword_entry(word: &str) -> Option<(&'static str, u8)> {
    let table: &'static FxHashMap<Cow<'static, str>, u8> = &STOPWORDS;
    let found = if fold::is_folded(word) {
        table.get_key_value(word)
    } else {
        table.get_key_value(fold(word).as_str())
    };
    found.map(|(key, langs)| (key.as_ref(), *langs))
}

/// The set of languages (see `Lang::bit`) of which `word` (lowercase) is a stopword.
pub(crate) fn stopword_langs(word: &str) -> u8 {
    stopword_entry(word).map_or(0, |(_, langs)| langs)
}

/// `word` (lowercase) as the stopword table spells it (accent-folded), if it is a stopword.
fn stopword(word: &str) -> Option<&'static str> {
    stopword_entry(word).map(|(key, _)| key)
}

/// Whether `word` (lowercase) is a stopword of `lang`.
pub fn is_stopword(lang: Lang, word: &str) -> bool {
    stopword_langs(word) & lang.bit() != 0
}

#[cfg(test)]
mod tests;
