//! Filters and the rest of the query language through the real binary: dates (`--since`,
//! `--until`, `date:`), sources, titles, paths, languages, `--sort date`, prefixes, phrases with
//! slop and required parts.

mod util;

use std::sync::OnceLock;

use serde_json::Value;
use util::Env;

/// A small archive: two sources by folder, one by URL host (a JSON Lines export), dates over
/// two years, one undated article.
fn archive() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = Env::new();
        env.write(
            "news/ansa/a.txt",
            "Il Garante e i dati\n14 marzo 2025\n\nIl Garante della privacy ha aperto un'istruttoria sui dati degli utenti.\n",
        );
        env.write(
            "news/ansa/b.txt",
            "Regolamento europeo\n2024-06-01\n\nIl regolamento sull'intelligenza artificiale è stato approvato dal Consiglio.\n",
        );
        env.write(
            "news/blog/c.md",
            "# Regolamentazione e mercato\n\nSenza data: la regolamentazione del mercato dei chip, secondo il Garante.\n",
        );
        env.write(
            "news/export.jsonl",
            "{\"title\": \"Stargate e i data center\", \"date\": \"2025-01-21\", \"url\": \"https://www.esempio.it/stargate\", \"text\": \"Il progetto Stargate prevede data center negli Stati Uniti; il Garante non è coinvolto.\"}\n{\"title\": \"Garante privacy, sanzione a OpenAI\", \"date\": \"2024-12-20\", \"url\": \"https://www.garanteprivacy.it/sanzione\", \"text\": \"La sanzione riguarda il trattamento dei dati personali per addestrare i modelli.\"}\n",
        );
        env.run(&["index", "news"]).ok();
        env
    })
}

fn titles(args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json", "--per-doc", "0", "-n", "100"];
    all.extend_from_slice(args);
    let r = archive().run(&all);
    assert!(r.code <= 1, "{args:?}: {}", r.stderr);
    let hits: Vec<Value> = r.json_lines();
    let mut t: Vec<String> = hits
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    t.dedup();
    t
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn dates_filter_and_undated_documents_drop_out_only_under_a_date_filter() {
    assert_eq!(titles(&["Garante"]).len(), 4);
    assert_eq!(
        sorted(titles(&["Garante", "--since", "2025"])),
        ["Il Garante e i dati", "Stargate e i data center"]
    );
    assert_eq!(
        titles(&["Garante", "--until", "2024-12"]),
        ["Garante privacy, sanzione a OpenAI"]
    );
    assert_eq!(
        titles(&["Garante date:2025-01..2025-02"]),
        ["Stargate e i data center"]
    );
    assert_eq!(
        titles(&["Garante", "--since", "2025-03-14", "--until", "2025-03-14"]),
        ["Il Garante e i dati"]
    );
    let r = archive().run(&["search", "Garante date:ieri"]);
    assert!(r.stderr.contains("date:ieri: not a value"), "{}", r.stderr);
    let r = archive().run(&["search", "Garante", "--since", "ieri"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--since ieri"), "{}", r.stderr);
}

#[test]
fn newest_first_puts_undated_documents_last() {
    assert_eq!(
        titles(&["Garante", "--sort", "date"]),
        [
            "Il Garante e i dati",
            "Stargate e i data center",
            "Garante privacy, sanzione a OpenAI",
            "Regolamentazione e mercato"
        ]
    );
}

#[test]
fn sources_are_folders_or_hosts() {
    let r = archive().run(&["search", "Garante", "--json", "--per-doc", "0"]);
    let sources: Vec<(String, String)> = r
        .json_lines()
        .iter()
        .map(|h| {
            (
                h["title"].as_str().unwrap().to_string(),
                h["source"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let of = |t: &str| sources.iter().find(|(x, _)| x == t).unwrap().1.clone();
    assert_eq!(of("Il Garante e i dati"), "ansa");
    assert_eq!(of("Regolamentazione e mercato"), "blog");
    assert_eq!(
        of("Garante privacy, sanzione a OpenAI"),
        "garanteprivacy.it"
    );
    assert_eq!(of("Stargate e i data center"), "esempio.it");
    assert_eq!(titles(&["Garante source:ansa"]), ["Il Garante e i dati"]);
    assert_eq!(
        titles(&["sanzione source:GarantePrivacy.it"]),
        ["Garante privacy, sanzione a OpenAI"]
    );
}

#[test]
fn title_path_and_language_fields() {
    assert_eq!(titles(&["title:Stargate"]), ["Stargate e i data center"]);
    assert_eq!(
        sorted(titles(&["Garante path:ansa/*.txt"])),
        ["Il Garante e i dati"]
    );
    assert_eq!(
        titles(&["Garante path:**/*.md"]),
        ["Regolamentazione e mercato"]
    );
    assert!(titles(&["Garante path:nowhere/*"]).is_empty());
    // A quoted value: the words in order in the title, not in the body.
    assert_eq!(
        titles(&["title:\"Garante privacy\""]),
        ["Garante privacy, sanzione a OpenAI"]
    );
    assert!(titles(&["title:\"privacy Garante\""]).is_empty());
    assert!(titles(&["title:\"Garante della privacy\""]).is_empty());
    assert_eq!(
        titles(&["source:\"garanteprivacy.it\""]),
        ["Garante privacy, sanzione a OpenAI"]
    );
    assert_eq!(titles(&["Garante lang:it"]).len(), 4);
    assert!(titles(&["Garante lang:de"]).is_empty());
}

#[test]
fn prefixes_slop_and_required_words() {
    // regolament* finds regolamento and regolamentazione, and highlights both.
    let r = archive().run(&["search", "regolament*", "--json", "--per-doc", "0"]);
    let words: Vec<String> = util::highlighted(&r.json_lines());
    assert!(words.iter().any(|w| w == "regolamento"), "{words:?}");
    assert!(words.iter().any(|w| w == "regolamentazione"), "{words:?}");
    // A phrase with words in between needs slop; a slop past the bound is the bound, and an
    // empty phrase is left out.
    assert!(titles(&["\"Garante istruttoria\""]).is_empty());
    assert_eq!(
        titles(&["\"Garante istruttoria\"~99999999999999999999"]),
        ["Il Garante e i dati"]
    );
    assert_eq!(titles(&["\"\" istruttoria"]), ["Il Garante e i dati"]);
    assert_eq!(
        titles(&["\"Garante istruttoria\"~6"]),
        ["Il Garante e i dati"]
    );
    // Without +, the fallback shows passages with any word; with it, only those with it.
    let loose = titles(&["Stargate sanzione"]);
    assert_eq!(loose.len(), 2, "{loose:?}");
    assert_eq!(
        titles(&["+Stargate sanzione"]),
        ["Stargate e i data center"]
    );
    // Two required words no passage holds together: nothing is shown, and stderr says why
    // rather than announcing a fallback.
    let r = archive().run(&["search", "+Stargate +sanzione"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.trim().is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("marked `+`"), "{}", r.stderr);
    assert!(!r.stderr.contains("showing passages"), "{}", r.stderr);
}

#[test]
fn a_date_range_written_backwards_is_read_forwards_and_since_after_until_is_an_error() {
    assert_eq!(
        sorted(titles(&["Garante date:2025-12..2024-12"])),
        [
            "Garante privacy, sanzione a OpenAI",
            "Il Garante e i dati",
            "Stargate e i data center"
        ]
    );
    let r = archive().run(&["search", "Garante", "--since", "2025", "--until", "2024-06"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--since 2025 is after --until 2024-06"),
        "{}",
        r.stderr
    );
}
