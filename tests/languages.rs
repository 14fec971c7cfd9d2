//! Each language is detected and analysed with its own stopwords and stemmer.

mod util;

use util::{Env, highlighted};

fn env() -> Env {
    let env = Env::new();
    env.write(
        "news/de.txt",
        "KI-Verordnung der EU\n2024-08-01\n\nDie Verordnung über künstliche Intelligenz ist am 1. August 2024 in Kraft getreten. Die Mitgliedstaaten müssen Behörden benennen, die die Einhaltung der Regeln überwachen.\n",
    );
    env.write(
        "news/es.txt",
        "El reglamento europeo de IA\n2024-08-01\n\nEl reglamento europeo sobre inteligencia artificial entró en vigor el 1 de agosto de 2024. Las autoridades nacionales deberán supervisar los sistemas de alto riesgo.\n",
    );
    env.write(
        "news/it.txt",
        "Il regolamento europeo\n2024-08-01\n\nIl regolamento europeo sull'intelligenza artificiale è entrato in vigore il primo agosto 2024, con obblighi per le autorità nazionali.\n",
    );
    env.run(&["index", "news"]).ok();
    env
}

#[test]
fn german_and_spanish_are_detected_and_stemmed() {
    let env = env();
    let de = env.hits("Verordnungen", 10);
    assert_eq!(de.len(), 1, "{de:?}");
    assert_eq!(de[0]["lang"], "de");
    assert!(highlighted(&de).contains(&"Verordnung".to_string()));
    let es = env.hits("reglamentos", 10);
    assert_eq!(es.len(), 1, "{es:?}");
    assert_eq!(es[0]["lang"], "es");
    assert!(highlighted(&es).contains(&"reglamento".to_string()));
}

#[test]
fn the_language_filter_keeps_one_language() {
    let env = env();
    let all = env.hits("2024", 10);
    assert_eq!(all.len(), 3);
    for lang in ["de", "es", "it"] {
        let hits = env.hits(&format!("2024 lang:{lang}"), 10);
        assert_eq!(hits.len(), 1, "{lang}: {hits:?}");
        assert_eq!(hits[0]["lang"], lang);
    }
}

/// A search looks stems up only in the languages the index holds; a language that arrives with
/// a later update must join them.
#[test]
fn a_language_first_seen_in_an_update_is_searched_with_its_stemmer() {
    let env = Env::new();
    env.write(
        "news/it.txt",
        "Il regolamento europeo\n2024-08-01\n\nIl regolamento europeo sull'intelligenza artificiale è entrato in vigore il primo agosto 2024, con obblighi per le autorità nazionali.\n",
    );
    env.run(&["index", "news"]).ok();
    assert!(env.hits("Verordnungen", 10).is_empty());

    env.write(
        "news/de.txt",
        "KI-Verordnung der EU\n2024-08-01\n\nDie Verordnung über künstliche Intelligenz ist am 1. August 2024 in Kraft getreten. Die Mitgliedstaaten müssen Behörden benennen, die die Einhaltung der Regeln überwachen.\n",
    );
    env.run(&["index"]).ok();
    // `Verordnungen` occurs nowhere: only the German stem meets `Verordnung`.
    let de = env.hits("Verordnungen", 10);
    assert_eq!(de.len(), 1, "{de:?}");
    assert_eq!(de[0]["lang"], "de");
    // The Italian document is still found by its own stems.
    assert_eq!(env.hits("regolamenti", 10).len(), 1);
}
