use super::*;

/// (term, position, byte range) of every token.
fn table(analyzer: Analyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
    analyzer
        .tokens(text)
        .into_iter()
        .map(|t| (t.text, t.position, t.offset_from, t.offset_to))
        .collect()
}

fn terms(analyzer: Analyzer, text: &str) -> Vec<String> {
    analyzer.tokens(text).into_iter().map(|t| t.text).collect()
}

fn it() -> Analyzer {
    Analyzer::stemmed(Lang::It)
}

fn share_a_term(analyzer: Analyzer, a: &str, b: &str) -> bool {
    let ta = terms(analyzer, a);
    terms(analyzer, b).iter().any(|t| ta.contains(t))
}

#[test]
fn elision_is_removed_with_either_apostrophe() {
    let t = table(it(), "dell'intelligenza dell’intelligenza");
    assert_eq!(
        t,
        vec![
            ("intelligent".into(), 0, 5, 17),
            ("intelligent".into(), 1, 25, 37),
        ]
    );
}

#[test]
fn every_listed_italian_elision_is_removed() {
    for article in [
        "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl",
        "degl", "negl", "sugl", "un", "m", "t", "s", "v", "d",
    ] {
        let text = format!("{article}'Europa");
        let upper = format!("{}’Europa", article.to_uppercase());
        assert_eq!(terms(Analyzer::exact(), &text), vec!["europa"], "{text}");
        assert_eq!(terms(Analyzer::exact(), &upper), vec!["europa"], "{upper}");
    }
    // Not an article: the apostrophe stays inside the word.
    assert_eq!(terms(Analyzer::exact(), "quest'anno"), vec!["quest'anno"]);
}

#[test]
fn highlight_range_is_the_word_without_its_article() {
    let text = "Nell’ambito dell'AI Act";
    let toks = it().tokens(text);
    let surfaces: Vec<&str> = toks
        .iter()
        .map(|t| &text[t.offset_from..t.offset_to])
        .collect();
    assert_eq!(surfaces, vec!["ambito", "AI", "Act"]);
}

#[test]
fn inflections_conflate() {
    assert!(share_a_term(it(), "investimento", "investimenti"));
    assert!(share_a_term(it(), "responsabilità", "responsabile"));
    assert!(share_a_term(it(), "modelli", "modello"));
}

#[test]
fn accents_typed_or_not_meet_in_both_directions() {
    for (accented, plain) in [
        ("sovranità", "sovranita"),
        ("responsabilità", "responsabilita"),
        ("permetterà", "permettera"),
        ("novità", "novita"),
        ("città", "citta"),
    ] {
        assert!(share_a_term(it(), accented, plain), "{accented} / {plain}");
        assert!(share_a_term(it(), plain, accented), "{plain} / {accented}");
        assert!(share_a_term(it(), &accented.to_uppercase(), plain));
    }
}

#[test]
fn two_terms_at_one_position_when_accents_change_the_stem() {
    let t = table(it(), "responsabilità");
    assert_eq!(
        t,
        vec![
            ("respons".into(), 0, 0, 15),
            ("responsabil".into(), 0, 0, 15)
        ]
    );
}

#[test]
fn italian_stopwords_are_dropped_but_ai_stays() {
    assert_eq!(
        terms(it(), "il piano di Mistral AI per la"),
        vec!["pian", "mistral", "ai"]
    );
    // folded stopwords too: `piu` is as much a stopword as `più`
    assert!(terms(it(), "più piu").is_empty());
}

#[test]
fn positions_count_dropped_stopwords() {
    let t = table(it(), "sovranità della tecnologia");
    let positions: Vec<usize> = t.iter().map(|x| x.1).collect();
    assert!(positions.iter().all(|&p| p == 0 || p == 2), "{t:?}");
}

#[test]
fn english_and_french_use_their_own_stemmers() {
    let en = Analyzer::stemmed(Lang::En);
    assert!(share_a_term(en, "investment", "investments"));
    assert!(share_a_term(en, "regulators", "regulator"));
    assert!(terms(en, "the of and").is_empty());
    let fr = Analyzer::stemmed(Lang::Fr);
    assert!(share_a_term(fr, "numérique", "numeriques"));
    assert_eq!(terms(fr, "l'intelligence"), terms(fr, "intelligence"));
}

#[test]
fn exact_chain_keeps_stopwords_and_does_not_stem() {
    assert_eq!(
        terms(Analyzer::exact(), "Più RECENTE dell'AI"),
        vec!["piu", "recente", "ai"]
    );
    assert_ne!(
        terms(Analyzer::exact(), "parlamento"),
        terms(Analyzer::exact(), "parlare")
    );
}

#[test]
fn other_language_only_folds() {
    assert_eq!(
        terms(Analyzer::stemmed(Lang::Other), "Città Investimenti"),
        vec!["citta", "investimenti"]
    );
}

#[test]
fn punctuation_and_empty_text_yield_nothing() {
    assert!(it().tokens("").is_empty());
    assert!(it().tokens(" -- ... ’ ' ").is_empty());
    // a lone article with nothing after it is not a word
    assert!(Analyzer::exact().tokens("l'").len() <= 1);
}

/// Highlighting skips the words whose initial no query term has: sound only if no chain ever
/// changes a word's first letter. Checked for every word of the corpus in every language.
#[test]
fn terms_keep_the_initial_of_their_word() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for analyzer in Lang::ALL
            .into_iter()
            .map(Analyzer::stemmed)
            .chain([Analyzer::exact()])
        {
            for t in analyzer.tokens(&text) {
                let word = &text[t.offset_from..t.offset_to];
                assert_eq!(
                    t.text.chars().next(),
                    initial(&word.to_lowercase()),
                    "{word} -> {} ({analyzer:?})",
                    t.text
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50_000, "{checked}");
}

#[test]
fn skipped_words_keep_their_positions() {
    let mut kept = Vec::new();
    it().for_each_term_of(
        "Nuovi investimenti nella ricerca",
        |c| c == 'r',
        |position, _, _, term| kept.push((position, term.to_string())),
    );
    assert_eq!(kept, vec![(3, "ricerc".to_string())]);
}
