//! What the stems alone cannot decide, read from a candidate passage's stored text. The index
//! holds stems only (exact words were over half of all the terms it wrote), so three questions
//! are answered here, for the best candidates only: is a word there in the exact form typed (it
//! then ranks above a word that only shares its stem); did a phrase's stopword stand in the gap
//! the stemmed phrase stepped over (`diritto alla privacy` is not `diritto della privacy`); and does a
//! word begin with a prefix that is longer than its stem (`investiment*` against `investire`).

use super::query::Node;
use crate::analysis::{Analyzer, Lang};

/// The words of a passage as the exact chain makes them (lowercased, accent-folded, elided
/// articles cut off), by position.
pub struct Words {
    words: Vec<String>,
}

impl Words {
    pub fn of(text: &str) -> Words {
        let mut words: Vec<String> = Vec::new();
        Analyzer::exact().for_each_term(text, |position, _, _, term| {
            if position >= words.len() {
                words.resize(position + 1, String::new());
            }
            words[position] = term.to_string();
        });
        Words { words }
    }

    fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }
}

/// What a passage's text says of one part of the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Judgement {
    /// The stems matched but the words do not: a prefix no word begins with, a phrase whose
    /// stopword is another. The passage does not hold this part.
    pub refuted: bool,
    /// The part stands in the text exactly as typed (accents aside).
    pub exact: bool,
}

/// Judges `node` against a passage of language `lang` whose words are `words`.
pub fn judge(node: &Node, lang: Lang, words: &Words) -> Judgement {
    match node {
        Node::Word(w) => {
            let typed = exact_words(w);
            match typed.as_slice() {
                [] => Judgement::default(),
                [one] => Judgement {
                    refuted: false,
                    exact: words.has(one),
                },
                // `AI-Act`: several words typed as one are searched as a phrase.
                _ => phrase(w, &typed, 0, lang, words),
            }
        }
        Node::Phrase(p) => phrase(p, &exact_words(p), 0, lang, words),
        Node::Near(p, slop) => phrase(p, &exact_words(p), *slop, lang, words),
        Node::Prefix(p) => {
            let Some(start) = exact_words(p).into_iter().next() else {
                return Judgement::default();
            };
            let found = words.words.iter().any(|w| w.starts_with(&start));
            Judgement {
                refuted: !found,
                exact: found,
            }
        }
        Node::Must(inner) => judge(inner, lang, words),
        Node::And(parts) => {
            let judged: Vec<Judgement> = positive(parts).map(|p| judge(p, lang, words)).collect();
            Judgement {
                refuted: judged.iter().any(|j| j.refuted),
                exact: !judged.is_empty() && judged.iter().all(|j| j.exact),
            }
        }
        Node::Or(parts) => {
            let judged: Vec<Judgement> = positive(parts).map(|p| judge(p, lang, words)).collect();
            Judgement {
                refuted: !judged.is_empty() && judged.iter().all(|j| j.refuted),
                exact: judged.iter().any(|j| j.exact),
            }
        }
        Node::Title(_)
        | Node::Not(_)
        | Node::Lang(_)
        | Node::Source(_)
        | Node::Path(_)
        | Node::Date(_) => Judgement::default(),
    }
}

/// Whether the text may refute `node` where its stems matched: it holds a prefix, or a phrase
/// with a stopword. Such a query weighs more candidates at once, since some may fall.
pub fn may_refute(node: &Node) -> bool {
    let has_stopword = |text: &str| {
        Analyzer::exact().tokens(text).len() > 1 && !Analyzer::stopwords().tokens(text).is_empty()
    };
    match node {
        Node::Prefix(_) => true,
        Node::Word(p) | Node::Phrase(p) | Node::Near(p, _) => has_stopword(p),
        Node::Must(inner) => may_refute(inner),
        Node::And(parts) | Node::Or(parts) => positive(parts).any(may_refute),
        Node::Title(_)
        | Node::Not(_)
        | Node::Lang(_)
        | Node::Source(_)
        | Node::Path(_)
        | Node::Date(_) => false,
    }
}

fn positive(parts: &[Node]) -> impl Iterator<Item = &Node> {
    parts.iter().filter(|p| !matches!(p, Node::Not(_)))
}

fn exact_words(text: &str) -> Vec<String> {
    Analyzer::exact()
        .tokens(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// A phrase typed as `typed` (its exact words), `slop` words apart at most.
fn phrase(text: &str, typed: &[String], slop: u32, lang: Lang, words: &Words) -> Judgement {
    let n = typed.len();
    if n == 0 || words.words.len() < n {
        return Judgement {
            refuted: n > 0,
            exact: false,
        };
    }
    let starts = 0..=words.words.len() - n;
    if slop > 0 {
        // Words may stand between the phrase's: the exact form is every word there, and a
        // stopword's gap is not checked.
        return Judgement {
            refuted: false,
            exact: typed.iter().all(|t| words.has(t)),
        };
    }
    let exact = starts
        .clone()
        .any(|s| words.words[s..s + n].iter().eq(typed.iter()));
    // Each position's stems in this language; `None` where a stopword left a gap.
    let mut slots: Vec<Option<Vec<String>>> = vec![None; n];
    for t in Analyzer::stemmed(lang).tokens(text) {
        if let Some(slot) = slots.get_mut(t.position) {
            slot.get_or_insert_with(Vec::new).push(t.text);
        }
    }
    if exact || slots.iter().all(Option::is_some) {
        // No gap: the stemmed phrase the index matched is the phrase.
        return Judgement {
            refuted: false,
            exact,
        };
    }
    let stemmer = Analyzer::stemmed(lang);
    let stands_at = |s: usize| {
        slots
            .iter()
            .zip(typed)
            .enumerate()
            .all(|(i, (slot, typed))| {
                let word = &words.words[s + i];
                match slot {
                    // A stopword: the very word.
                    None => word == typed,
                    Some(stems) => stemmer.tokens(word).iter().any(|t| stems.contains(&t.text)),
                }
            })
    };
    // The gaps are checked first: most starts fail on a plain string comparison.
    let gaps_fit = |s: usize| {
        slots
            .iter()
            .zip(typed)
            .enumerate()
            .all(|(i, (slot, typed))| slot.is_some() || words.words[s + i] == *typed)
    };
    Judgement {
        refuted: !starts.clone().any(|s| gaps_fit(s) && stands_at(s)),
        exact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(query: Node, text: &str) -> Judgement {
        judge(&query, Lang::It, &Words::of(text))
    }

    fn word(w: &str) -> Node {
        Node::Word(w.into())
    }

    #[test]
    fn an_exact_word_is_told_from_a_shared_stem() {
        assert!(judged(word("investimenti"), "Gli investimenti crescono").exact);
        assert!(!judged(word("investimenti"), "Un investimento cresce").exact);
        assert!(
            judged(word("citta"), "La città di Roma").exact,
            "accents aside"
        );
        assert!(!judged(word("investimenti"), "Un investimento").refuted);
    }

    #[test]
    fn a_phrase_gap_must_hold_its_stopword() {
        let q = Node::Phrase("diritto alla privacy".into());
        let right = judged(q.clone(), "Il diritto alla privacy è riconosciuto");
        assert!(!right.refuted && right.exact);
        assert!(judged(q.clone(), "il diritto della privacy").refuted);
        // An elided article is part of its word, in the index as in the check.
        let elided = judged(
            Node::Phrase("diritto all'oblio".into()),
            "diritto dell'oblio",
        );
        assert!(!elided.refuted && elided.exact);
        let q = Node::Phrase("diritto di voto".into());
        assert!(judged(q.clone(), "il diritto al voto").refuted);
        let inflected = judged(q, "i diritti di voto");
        assert!(!inflected.refuted && !inflected.exact, "{inflected:?}");
    }

    #[test]
    fn a_phrase_without_stopwords_is_trusted_and_its_exact_form_told() {
        let q = Node::Phrase("intelligenza artificiale".into());
        assert!(judged(q.clone(), "l'intelligenza artificiale").exact);
        let stemmed = judged(q, "intelligenze artificiali");
        assert!(!stemmed.refuted && !stemmed.exact);
    }

    #[test]
    fn a_prefix_longer_than_a_stem_is_checked_on_the_words() {
        let q = Node::Prefix("investiment".into());
        assert!(!judged(q.clone(), "nuovi investimenti").refuted);
        assert!(judged(q, "investire in Europa").refuted);
    }

    #[test]
    fn groups_combine_their_parts() {
        let or = Node::Or(vec![Node::Prefix("regolament".into()), word("legge")]);
        assert!(!judged(or.clone(), "la legge").refuted);
        assert!(
            judged(
                Node::Or(vec![Node::Prefix("regolament".into())]),
                "la regola"
            )
            .refuted
        );
        let and = Node::And(vec![word("legge"), Node::Prefix("regolament".into())]);
        assert!(judged(and, "legge e regola").refuted);
    }

    #[test]
    fn prefixes_and_phrases_with_a_stopword_may_be_refuted() {
        assert!(may_refute(&Node::Prefix("regolament".into())));
        assert!(may_refute(&Node::Phrase("garante della privacy".into())));
        assert!(!may_refute(&Node::Phrase("garante privacy".into())));
        assert!(
            !may_refute(&word("della")),
            "a stopword alone is not a phrase"
        );
        let and = Node::And(vec![word("legge"), Node::Near("diritto di voto".into(), 2)]);
        assert!(may_refute(&and));
    }

    #[test]
    fn a_phrase_longer_than_the_passage_is_not_there() {
        let q = Node::Phrase("diritto di voto".into());
        assert!(judged(q, "voto").refuted);
    }
}
