//! Highlighting: which words of a passage matched the query. The passage is analysed again with
//! its own language's chain; a word whose term is among the query's terms is highlighted, in its
//! original surface form (`investimenti`, not the stem `invest`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::query::Node;
use crate::analysis::{Analyzer, Lang};

/// The terms of one chain, each with the set of groups it belongs to (bit i: group i), and their
/// initials: a word with another initial is not analysed.
#[derive(Debug, Default)]
struct Set {
    terms: HashMap<String, u64>,
    initials: HashSet<char>,
}

impl Set {
    fn of(analyzer: Analyzer, groups: &[String]) -> Set {
        let mut terms: HashMap<String, u64> = HashMap::new();
        for (i, text) in groups.iter().enumerate().take(64) {
            for t in analyzer.tokens(text) {
                *terms.entry(t.text).or_insert(0) |= 1 << i;
            }
        }
        let initials = terms.keys().filter_map(|t| t.chars().next()).collect();
        Set { terms, initials }
    }

    /// Byte ranges of the words of `text` that `analyzer` makes one of these terms of, with the
    /// groups of the term.
    fn matches(&self, analyzer: Analyzer, text: &str, out: &mut Vec<(Range<usize>, u64)>) {
        analyzer.for_each_term_of(
            text,
            |c| self.initials.contains(&c),
            |_, from, to, term| {
                if let Some(&groups) = self.terms.get(term) {
                    out.push((from..to, groups));
                }
            },
        );
    }
}

/// The terms a query looks for (negated parts excluded), per chain. They may be kept in groups
/// (the parts of a query, judged one by one), so that one analysis of a passage tells where each
/// group matched.
#[derive(Debug, Default)]
pub struct Terms {
    groups: usize,
    exact: Set,
    /// Per language, in `Lang::ALL` order.
    stemmed: Vec<Set>,
    /// Exact words a query's `prefix*` stands for begin with these, with their groups.
    prefixes: Vec<(String, u64)>,
}

impl Terms {
    /// The terms of a query, as one group.
    pub fn of(root: &Node) -> Terms {
        Terms::of_groups(&[root])
    }

    /// The terms of each node, group i for node i (at most 64).
    pub fn of_groups(nodes: &[&Node]) -> Terms {
        let mut texts = Vec::new();
        let mut prefixes = Vec::new();
        for (i, node) in nodes.iter().enumerate().take(64) {
            let mut words = Vec::new();
            let mut starts = Vec::new();
            collect(node, &mut words, &mut starts);
            texts.push(words.join(" "));
            prefixes.extend(starts.into_iter().map(|p| (p, 1u64 << i)));
        }
        Terms {
            groups: texts.len(),
            prefixes,
            exact: Set::of(Analyzer::exact(), &texts),
            stemmed: Lang::ALL
                .into_iter()
                .map(|l| Set::of(Analyzer::stemmed(l), &texts))
                .collect(),
        }
    }

    /// Sorted, merged byte ranges of the words of `text` (in language `lang`) that match.
    pub fn ranges(&self, lang: Lang, text: &str) -> Vec<Range<usize>> {
        merge(
            self.matches(lang, text)
                .into_iter()
                .map(|(r, _)| r)
                .collect(),
        )
    }

    /// The same, group by group, from one analysis of `text`.
    pub fn ranges_of_each(&self, lang: Lang, text: &str) -> Vec<Vec<Range<usize>>> {
        let mut each = vec![Vec::new(); self.groups];
        for (range, groups) in self.matches(lang, text) {
            for (i, ranges) in each.iter_mut().enumerate() {
                if groups & (1 << i) != 0 {
                    ranges.push(range.clone());
                }
            }
        }
        each.into_iter().map(merge).collect()
    }

    fn matches(&self, lang: Lang, text: &str) -> Vec<(Range<usize>, u64)> {
        let mut found = Vec::new();
        self.stemmed[lang.index()].matches(Analyzer::stemmed(lang), text, &mut found);
        self.exact.matches(Analyzer::exact(), text, &mut found);
        if !self.prefixes.is_empty() {
            Analyzer::exact().for_each_term_of(
                text,
                |c| self.prefixes.iter().any(|(p, _)| p.starts_with(c)),
                |_, from, to, term| {
                    let groups = self
                        .prefixes
                        .iter()
                        .filter(|(p, _)| term.starts_with(p.as_str()))
                        .fold(0, |bits, (_, g)| bits | g);
                    if groups != 0 {
                        found.push((from..to, groups));
                    }
                },
            );
        }
        found
    }
}

/// Sorts ranges and merges those that overlap or touch.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
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
    fn each_group_gets_its_own_ranges_from_one_analysis() {
        let a = parse("investimento").unwrap().root;
        let b = parse("regol*").unwrap().root;
        let both = parse("investimento regol*").unwrap().root;
        let terms = Terms::of_groups(&[&a, &b, &both]);
        let text = "Il regolamento sugli investimenti e il regolamento";
        let each = terms.ranges_of_each(Lang::It, text);
        let words =
            |rs: &Vec<Range<usize>>| -> Vec<&str> { rs.iter().map(|r| &text[r.clone()]).collect() };
        assert_eq!(words(&each[0]), vec!["investimenti"]);
        assert_eq!(words(&each[1]), vec!["regolamento", "regolamento"]);
        assert_eq!(
            words(&each[2]),
            vec!["regolamento", "investimenti", "regolamento"]
        );
        assert_eq!(terms.ranges(Lang::It, text), each[2]);
    }

    #[test]
    fn ranges_are_char_boundaries() {
        let text = "città più novità";
        for r in Terms::of(&parse("citta novita piu").unwrap().root).ranges(Lang::It, text) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
