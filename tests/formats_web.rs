//! HTML pages and RSS/Atom feeds through the real binary: what gets indexed (the article, each
//! feed item) and what does not (page furniture, XML that is no feed).

mod util;

use serde_json::Value;
use util::Env;

/// A folder `news/` with the HTML and feed fixtures, indexed.
fn indexed() -> (Env, Value) {
    let env = Env::new();
    env.copy_fixtures("html", "news/html");
    env.copy_fixtures("feeds", "news/feeds");
    let summary = env.run(&["index", "news", "--json"]).ok().json();
    (env, summary)
}

/// The single hit of a query.
#[track_caller]
fn only_hit(env: &Env, query: &str) -> Value {
    let hits = env.hits(query, 10);
    util::assert_highlights_consistent(&hits);
    assert_eq!(hits.len(), 1, "{query}: {hits:#?}");
    hits.into_iter().next().unwrap()
}

#[test]
fn pages_and_feeds_are_indexed_and_non_feeds_reported() {
    let (_env, s) = indexed();
    // Two pages and two feeds; the sitemap is an error, not a document.
    assert_eq!(s["added"], 4, "{s}");
    assert_eq!(s["skipped"], 0, "{s}");
    let errors = s["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{s}");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("sitemap.xml"));
    assert_eq!(errors[0]["error"], "not an RSS or Atom feed");
}

#[test]
fn html_article_hit_has_its_metadata_and_line() {
    let (env, _) = indexed();
    let hit = only_hit(&env, "divieti");
    assert_eq!(
        hit["title"],
        "AI Act, da oggi il regolamento europeo è in vigore"
    );
    assert_eq!(hit["date"], "2024-08-01");
    assert_eq!(
        hit["url"],
        "https://cronache.example/2024/08/01/ai-act-in-vigore"
    );
    assert_eq!(hit["lang"], "it");
    assert_eq!(hit["line"], 28);
    assert!(
        hit["path"]
            .as_str()
            .unwrap()
            .ends_with("ai-act-in-vigore.html")
    );
    assert_eq!(util::highlighted(std::slice::from_ref(&hit)), ["divieti"]);
    let text = hit["text"].as_str().unwrap();
    assert!(
        text.starts_with("Le regole si applicheranno per gradi"),
        "{text}"
    );
}

#[test]
fn html_page_without_article_uses_json_ld_date() {
    let (env, _) = indexed();
    let hit = only_hit(&env, "Buckinghamshire");
    assert_eq!(
        hit["title"],
        "AI Safety Summit ends with the Bletchley Declaration"
    );
    assert_eq!(hit["date"], "2023-11-02");
    assert_eq!(
        hit["url"],
        "https://policy-notes.example/bletchley-declaration"
    );
    assert_eq!(hit["lang"], "en");
}

#[test]
fn page_furniture_is_not_indexed() {
    let (env, _) = indexed();
    // Each word appears only in a script, the navigation, the cookie banner, an aside, the
    // page footer, a link menu, a form, or a script inside a feed item.
    for word in [
        "pixelspia",
        "contatorefantasma",
        "oroscopo",
        "biscotti",
        "gelati",
        "riservati",
        "weathervane",
        "hailstorm",
        "banneroscuro",
    ] {
        let r = env.run(&["search", word, "--json"]);
        assert_eq!(r.code, 1, "{word} was found:\n{}", r.stdout);
    }
}

#[test]
fn each_feed_item_is_its_own_document() {
    let (env, _) = indexed();
    let hit = only_hit(&env, "gigafabbriche");
    assert_eq!(
        hit["title"],
        "InvestAI: la Commissione punta a mobilitare 200 miliardi"
    );
    assert_eq!(hit["date"], "2025-02-11");
    assert_eq!(hit["url"], "https://notizie-ia.example/investai");
    assert_eq!(hit["line"], 22);
    assert_eq!(hit["lang"], "it");

    let hit = only_hit(&env, "Palais");
    assert!(
        hit["title"]
            .as_str()
            .unwrap()
            .starts_with("Sommet pour l'action")
    );
    assert_eq!(hit["lang"], "fr");
    assert_eq!(hit["line"], 31);
    assert_eq!(hit["date"], "2025-02-10");
}

#[test]
fn atom_entries_are_searchable() {
    let (env, _) = indexed();
    let hit = only_hit(&env, "copyright");
    assert_eq!(
        hit["title"],
        "Code of Practice for general-purpose AI published"
    );
    assert_eq!(hit["date"], "2025-07-10");
    assert_eq!(hit["url"], "https://gpai.example/code-of-practice");
    assert_eq!(hit["line"], 7);
    assert_eq!(hit["lang"], "en");
    assert_eq!(util::highlighted(&[hit]), ["copyright"]);
}

#[test]
fn broken_and_empty_web_files_never_stop_the_run() {
    let env = Env::new();
    env.write("news/empty.html", "");
    env.write("news/scripts.htm", "<script>only()</script><nav>menu</nav>");
    env.write(
        "news/broken.html",
        "<p>Il Garante <b>privacy <i>ha aperto</p> un'istruttoria",
    );
    env.write(
        "news/truncated.rss",
        "<rss version=\"2.0\"><channel><item><title>Tronc",
    );
    env.write("news/garbage.atom", b"\xde\xad\xbe\xef not xml at all");
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(s["added"], 1, "{s}");
    assert_eq!(s["skipped"], 2, "{s}");
    assert_eq!(s["errors"].as_array().unwrap().len(), 2, "{s}");
    let errors = s["errors"].to_string();
    assert!(
        errors.contains("truncated.rss") && errors.contains("malformed feed"),
        "{errors}"
    );
    assert!(
        errors.contains("garbage.atom") && errors.contains("not an RSS or Atom feed"),
        "{errors}"
    );
    // The browser's repair: `</p>` ends the paragraph, the rest is text of its own.
    let hit = only_hit(&env, "istruttoria");
    assert_eq!(hit["text"], "Il Garante privacy ha aperto\nun'istruttoria");
}
