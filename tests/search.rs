//! Searching the shipped corpus and seed through the real binary.

mod util;

use std::sync::OnceLock;

use util::{Env, assert_highlights_consistent, highlighted};

/// One indexed copy of the shipped folders, shared by the read-only tests in this file.
fn shipped() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = Env::with_shipped();
        env.index_shipped();
        env
    })
}

const SEED: &str = "seeds/000_a9241dfd659960c7.txt";

fn seed_hits(query: &str) -> Vec<serde_json::Value> {
    shipped()
        .hits(query, 50)
        .into_iter()
        .filter(|h| h["path"] == SEED)
        .collect()
}

#[test]
fn seed_is_found_by_accented_and_plain_forms_and_shows_repaired_text() {
    for query in [
        "sovranità",
        "sovranita",
        "SOVRANITÀ",
        "permetterà",
        "permettera",
        "più recente",
    ] {
        let hits = seed_hits(query);
        assert!(!hits.is_empty(), "{query} does not find the seed");
        for h in &hits {
            let text = h["text"].as_str().unwrap();
            assert!(
                !text.contains('ร') && !text.contains('โ'),
                "unrepaired text for {query}: {text}"
            );
        }
    }
    let hits = seed_hits("sovranità tecnologica");
    assert!(hits.iter().any(|h| {
        h["text"]
            .as_str()
            .unwrap()
            .contains("la sovranità tecnologica")
    }));
    assert!(highlighted(&hits).contains(&"sovranità".to_string()));
    let hits = seed_hits("permetterà");
    assert!(
        hits[0]["text"]
            .as_str()
            .unwrap()
            .contains("le permetterà di competere")
    );
    assert_eq!(hits[0]["line"], 1);
    assert_eq!(hits[0]["lang"], "it");
}

#[test]
fn inflections_match_and_the_surface_form_is_highlighted() {
    let hits = shipped().hits("investimento", 50);
    let words = highlighted(&hits);
    assert!(words.iter().any(|w| w == "investimenti"), "{words:?}");
    assert!(words.iter().any(|w| w == "investimento"), "{words:?}");
    assert_highlights_consistent(&hits);
}

#[test]
fn a_word_inside_an_elision_is_found_and_highlighted_without_its_article() {
    let hits = shipped().hits("intelligenza", 100);
    let texts: Vec<&str> = hits.iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("dell'intelligenza")));
    assert!(texts.iter().any(|t| t.contains("dell’intelligenza")));
    let words = highlighted(&hits);
    assert!(
        words.iter().all(|w| w.to_lowercase() == "intelligenza"),
        "{words:?}"
    );
}

#[test]
fn accents_are_optional_in_both_directions() {
    let accented = shipped().hits("responsabilità", 100).len();
    let plain = shipped().hits("responsabilita", 100).len();
    assert!(accented > 0 && plain > 0);
    // `responsabilità` also finds `responsabile` (same stem with the accent)
    let words = highlighted(&shipped().hits("responsabilità", 100));
    assert!(
        words
            .iter()
            .any(|w| w.starts_with("responsabil") && w != "responsabilità"),
        "{words:?}"
    );
}

#[test]
fn english_is_stemmed_as_english() {
    let hits = shipped().hits("investments", 50);
    let words = highlighted(&hits);
    assert!(words.iter().any(|w| w == "investment"), "{words:?}");
    assert!(
        hits.iter()
            .all(|h| h["lang"] == "en" || !highlighted(std::slice::from_ref(h)).is_empty())
    );
}

#[test]
fn mistral_ai_is_findable_although_ai_is_an_italian_stopword() {
    let hits = shipped().hits("\"Mistral AI\"", 100);
    assert!(hits.len() >= 3);
    assert!(highlighted(&hits).iter().any(|w| w == "AI"));
}

#[test]
fn phrase_query_needs_the_words_in_order() {
    assert!(!seed_hits("\"più recente\"").is_empty());
    assert!(seed_hits("\"recente più\"").is_empty());
    let hits = shipped().hits("\"Garante per la protezione dei dati personali\"", 50);
    assert!(hits.len() >= 2);
    for h in &hits {
        assert!(
            h["text"]
                .as_str()
                .unwrap()
                .contains("Garante per la protezione dei dati personali"),
            "{h}"
        );
    }
}

#[test]
fn a_phrase_finds_inflected_forms_and_ranks_the_exact_form_first() {
    let env = Env::new();
    env.write(
        "news/a.txt",
        "Uno\n\nLe intelligenze artificiali generative cambiano il lavoro delle redazioni.\n",
    );
    env.write(
        "news/b.txt",
        "Due\n\nL'intelligenza artificiale generativa cambia il lavoro della redazione.\n",
    );
    env.write(
        "news/c.txt",
        "Tre\n\nArtificiale è l'aggettivo, intelligenza il nome: qui non sono vicini.\n",
    );
    env.run(&["index", "news"]).ok();
    let hits = env.hits("\"intelligenza artificiale\"", 10);
    let paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("b.txt"), "{paths:?}");
    assert!(paths[1].ends_with("a.txt"), "{paths:?}");
}

#[test]
fn or_and_not_change_results() {
    let stargate = shipped().hits("Stargate", 100).len();
    let investai = shipped().hits("InvestAI", 100).len();
    let either = shipped().hits("Stargate OR InvestAI", 100).len();
    assert!(either >= stargate.max(investai) && either > 0);
    for h in shipped().hits("'investimenti -Stargate'".trim_matches('\''), 100) {
        assert!(!h["text"].as_str().unwrap().contains("Stargate"));
    }
    for h in shipped().hits("données lang:fr", 100) {
        assert_eq!(h["lang"], "fr");
    }
}

#[test]
fn exact_word_outranks_a_shared_stem() {
    let env = Env::new();
    env.write(
        "docs/a.txt",
        "Nota uno\n\nSi è discusso a lungo: parlare, parlare e ancora parlare di regole.\n",
    );
    env.write(
        "docs/b.txt",
        "Nota due\n\nIl parlamento ha votato le regole dopo una discussione.\n",
    );
    env.run(&["index", "docs"]).ok();
    let hits = env.hits("parlamento", 10);
    assert!(
        hits[0]["path"].as_str().unwrap().ends_with("b.txt"),
        "{hits:?}"
    );
}

#[test]
fn title_counts_more() {
    let env = Env::new();
    env.write(
        "docs/a.txt",
        "Supercalcolo in Europa\n\nUn testo sul supercalcolo europeo e sulle reti.\n",
    );
    env.write(
        "docs/b.txt",
        "Reti e politiche\n\nUn testo sulle reti e sul supercalcolo europeo.\n",
    );
    env.run(&["index", "docs"]).ok();
    let hits = env.hits("supercalcolo", 10);
    assert!(
        hits[0]["path"].as_str().unwrap().ends_with("a.txt"),
        "{hits:?}"
    );
}

#[test]
fn json_lines_have_the_documented_shape() {
    let hits = shipped().hits("Garante", 5);
    assert_eq!(hits.len(), 5);
    for (i, h) in hits.iter().enumerate() {
        assert_eq!(h["rank"], i + 1);
        assert!(h["score"].as_f64().unwrap() > 0.0);
        for key in ["path", "title", "lang", "text"] {
            assert!(h[key].is_string(), "{key} in {h}");
        }
        assert!(h["line"].as_u64().unwrap() >= 1);
        assert!(h["highlights"].as_array().is_some_and(|a| !a.is_empty()));
        assert!(h["text"].as_str().unwrap().chars().count() <= 1000);
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_highlights_consistent(&hits);
}

#[test]
fn many_results_work() {
    let hits = shipped().hits("intelligenza OR AI OR the OR la", 5000);
    assert!(hits.len() > 50);
    assert_highlights_consistent(&hits);
}

#[test]
fn exit_codes_like_grep() {
    let env = shipped();
    assert_eq!(env.run(&["search", "Garante"]).code, 0);
    let none = env.run(&["search", "zxqwv"]);
    assert_eq!(none.code, 1);
    assert!(none.stdout.is_empty());
    let empty = Env::new();
    let missing = empty.run(&["search", "Garante"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cerca index"), "{}", missing.stderr);
    assert_eq!(empty.run(&["search"]).code, 2);
    assert_eq!(empty.run(&["frobnicate"]).code, 2);
    assert_eq!(env.run(&["search", "Garante", "-n", "0"]).code, 2);
    assert_eq!(env.run(&["search", "--", "-Garante"]).code, 2);
}

#[test]
fn broken_queries_are_searched_leniently() {
    for q in [
        "(sovranità",
        "sovranità OR",
        "\"più recente",
        "AND AND ))",
        "-",
        "::",
        "lang:",
    ] {
        let r = shipped().run(&["search", q, "--json"]);
        assert!(r.code <= 2, "{q}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{q}: {}", r.stderr);
    }
    assert_eq!(shipped().run(&["search", "(sovranità"]).code, 0);
}

#[test]
fn plain_markers_when_piped_colour_when_asked() {
    let env = shipped();
    let piped = env.run(&["search", "Stargate", "-n", "1"]).ok();
    assert!(piped.stdout.contains("**Stargate**"), "{}", piped.stdout);
    assert!(!piped.stdout.contains('\x1b'));
    let always = env
        .run(&["search", "Stargate", "-n", "1", "--color", "always"])
        .ok();
    assert!(always.stdout.contains("\x1b["));
    let never = env
        .run(&["search", "Stargate", "-n", "1", "--color", "never"])
        .ok();
    assert!(!never.stdout.contains('\x1b'));
}

#[test]
fn first_search_in_a_fresh_clone_builds_the_index() {
    let env = Env::with_shipped();
    let r = env.run(&["search", "sovranità tecnologica"]).ok();
    assert!(r.stderr.contains("building"), "{}", r.stderr);
    assert!(r.stdout.contains("sovranità"));
    assert!(env.path("index/meta.json").exists());
    let again = env.run(&["search", "sovranità tecnologica"]).ok();
    assert!(!again.stderr.contains("building"));
}

/// The index holds stems (and stopwords without positions), not exact words: what stems cannot
/// tell is read from the passages' text.
#[test]
fn what_the_stems_cannot_tell_is_read_from_the_text() {
    let env = Env::new();
    env.write(
        "news/a.txt",
        "Uno\n\nNuovi investimenti pubblici nella ricerca europea.\n",
    );
    env.write(
        "news/b.txt",
        "Due\n\nInvestire in Europa conviene, dicono gli analisti.\n",
    );
    env.write(
        "news/c.txt",
        "Tre\n\nIl diritto alla privacy resta centrale per tutti.\n",
    );
    env.write(
        "news/d.txt",
        "Quattro\n\nIl diritto della privacy è una materia giovane.\n",
    );
    env.write(
        "news/e.txt",
        "Five\n\nTo be or not to be, that is the question of the play.\n",
    );
    env.write(
        "news/f.txt",
        "Six\n\nNot to be confused: or be sure to ask the question again.\n",
    );
    env.write(
        "news/g.txt",
        "Sette\n\nPerché il voto è rinviato? Nessuno lo spiega.\n",
    );
    env.run(&["index", "news"]).ok();
    let files = |query: &str| -> Vec<String> {
        env.hits(query, 10)
            .iter()
            .map(|h| {
                let path = h["path"].as_str().unwrap();
                path.rsplit('/').next().unwrap().to_string()
            })
            .collect()
    };
    // `investimenti` and `investire` share the stem `invest`; only one begins with the prefix.
    assert_eq!(files("investiment*"), ["a.txt"]);
    assert_eq!(sorted(files("invest*")), ["a.txt", "b.txt"]);
    // The stopword in a phrase is the one typed, though the index only knows a word stood there.
    assert_eq!(files("\"diritto alla privacy\""), ["c.txt"]);
    assert_eq!(files("\"diritto della privacy\""), ["d.txt"]);
    // A phrase of stopwords only, in order; a stopword alone.
    assert_eq!(files("\"to be or not to be\""), ["e.txt"]);
    assert_eq!(files("perché"), ["g.txt"]);
    let r = env.run(&["search", "investimentissimo*"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}
