//! Highlighting: which words of a passage matched the query. The passage is analysed again with
//! its own language's chain; a word whose term is among the query's terms is highlighted, in its
//! original surface form (`investimenti`, not the stem `invest`).

use std::collections::HashSet;
use std::ops::Range;

use super::query::Node;
use crate::analysis::{Analyzer, Lang};

/// The terms of one chain, and their initials: a word with another initial is not analysed.
#[derive(Debug, Default)]
struct Set {
    terms: HashSet<String>,
    initials: HashSet<char>,
}

impl Set {
    fn of(analyzer: Analyzer, text: &str) -> Set {
        let terms: HashSet<String> = analyzer.tokens(text).into_iter().map(|t| t.text).collect();
        let initials = terms.iter().filter_map(|t| t.chars().next()).collect();
        Set { terms, initials }
    }

    /// Byte ranges of the words of `text` that `analyzer` makes one of these terms of.
    fn matches(&self, analyzer: Analyzer, text: &str, out: &mut Vec<Range<usize>>) {
        analyzer.for_each_term_of(
            text,
            |c| self.initials.contains(&c),
            |_, from, to, term| {
                if self.terms.contains(term) {
                    out.push(from..to);
                }
            },
        );
    }
}

/// The terms a query looks for (negated parts excluded), per chain.
#[derive(Debug, Default)]
pub struct Terms {
    exact: Set,
    /// Per language, in `Lang::ALL` order.
    stemmed: Vec<Set>,
    /// Exact words a query's `prefix*` stands for begin with these.
    prefixes: Vec<String>,
}

impl Terms {
    pub fn of(root: &Node) -> Terms {
        let mut words = Vec::new();
        let mut prefixes = Vec::new();
        collect(root, &mut words, &mut prefixes);
        let text = words.join(" ");
        Terms {
            prefixes,
            exact: Set::of(Analyzer::exact(), &text),
            stemmed: Lang::ALL
                .into_iter()
                .map(|l| Set::of(Analyzer::stemmed(l), &text))
                .collect(),
        }
    }

    /// Sorted, merged byte ranges of the words of `text` (in language `lang`) that match.
    pub fn ranges(&self, lang: Lang, text: &str) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        self.stemmed[lang.index()].matches(Analyzer::stemmed(lang), text, &mut ranges);
        self.exact.matches(Analyzer::exact(), text, &mut ranges);
        if !self.prefixes.is_empty() {
            Analyzer::exact().for_each_term_of(
                text,
                |c| self.prefixes.iter().any(|p| p.starts_with(c)),
                |_, from, to, term| {
                    if self.prefixes.iter().any(|p| term.starts_with(p.as_str())) {
                        ranges.push(from..to);
                    }
                },
            );
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

fn collect(node: &Node, out: &mut Vec<String>, prefixes: &mut Vec<String>) {
    match node {
        Node::Word(w) | Node::Phrase(w) | Node::Near(w, _) | Node::Title(w) => out.push(w.clone()),
        Node::Prefix(p) => {
            if let Some(t) = Analyzer::exact().tokens(p).into_iter().next() {
                prefixes.push(t.text);
            }
        }
        Node::Must(inner) => collect(inner, out, prefixes),
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| collect(p, out, prefixes)),
        Node::Not(_) | Node::Lang(_) | Node::Source(_) | Node::Path(_) | Node::Date(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn marked(query: &str, lang: Lang, text: &str) -> Vec<String> {
        Terms::of(&parse(query).unwrap().root)
            .ranges(lang, text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn surface_forms_are_highlighted() {
        let text = "Nuovi investimenti nell’intelligenza artificiale, più investimento.";
        assert_eq!(
            marked("investimento", Lang::It, text),
            vec!["investimenti", "investimento"]
        );
        assert_eq!(marked("intelligenza", Lang::It, text), vec!["intelligenza"]);
        assert_eq!(marked("piu", Lang::It, text), vec!["più"]);
    }

    #[test]
    fn accents_either_way() {
        assert_eq!(
            marked("sovranita", Lang::It, "la SOVRANITÀ tecnologica"),
            vec!["SOVRANITÀ"]
        );
        assert_eq!(
            marked("sovranità", Lang::It, "la sovranita tecnologica"),
            vec!["sovranita"]
        );
    }

    #[test]
    fn negated_words_are_not_highlighted() {
        assert_eq!(
            marked("AI -Stargate", Lang::It, "Stargate e AI"),
            vec!["AI"]
        );
    }

    #[test]
    fn ranges_are_char_boundaries() {
        let text = "città più novità";
        for r in Terms::of(&parse("citta novita piu").unwrap().root).ranges(Lang::It, text) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
