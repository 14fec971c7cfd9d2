//! The page in a real headless Chromium, driven over WebDriver: an Italian query typed with an
//! unaccented word and Enter, the expected passage first with its words highlighted, the
//! document view scrolled to it, a date filter, the keyboard, hostile documents shown as text,
//! and screenshots (`target/browser/*.png`) for a person to look at.

mod util;

use std::path::PathBuf;

use serde_json::Value;
use util::Env;
use util::webdriver::{ENTER, ESCAPE, browser};

/// Checks that the status line `status` starts with `before`, then says the API's `total`: `N
/// passages in M documents`, each number grouped by thousands (`1,234`).
#[track_caller]
fn assert_says_total(status: &Value, before: &str, total: &Value) {
    let status = status.as_str().expect("a status line");
    let rest = status
        .strip_prefix(before)
        .unwrap_or_else(|| panic!("{status:?} does not start with {before:?}"));
    let words: Vec<&str> = rest.split_whitespace().take(5).collect();
    let number = |word: &str| {
        let groups: Vec<&str> = word.split(',').collect();
        let grouped = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
        assert!(grouped, "{word} in {status:?}");
        groups.concat().parse::<u64>().unwrap()
    };
    let [
        passages,
        "passages",
        "in",
        documents,
        "documents" | "documents;",
    ] = words[..]
    else {
        panic!("{status:?} does not say N passages in M documents");
    };
    assert_eq!(number(passages), total["passages"], "{status:?}");
    assert_eq!(number(documents), total["documents"], "{status:?}");
}

fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser")
}

#[test]
fn search_open_a_document_and_filter_by_date_in_chromium() {
    let env = Env::with_shipped();
    env.index_shipped();
    let Some(b) = browser() else { return };
    let server = env.serve(&[]);
    let query = "sovranita tecnologica";
    let expected = env.hits(query, 1);
    let expected = &expected[0];

    b.goto(&format!("{}/", server.base));
    b.wait_for("return document.querySelector('#lang option[value=it]') !== null");
    // `/` focuses the box from anywhere; Enter searches.
    b.click(&b.find("footer"));
    b.press("/");
    assert_eq!(b.eval("return document.activeElement.id"), "q");
    b.type_into(&b.find("#q"), &format!("{query}{ENTER}"));
    b.wait_for("return document.querySelectorAll('#results .hit').length");
    let first = b.eval(
        "const h = document.querySelector('#results .hit');
         return {title: h.querySelector('h2').textContent,
                 path: h.querySelector('.path').textContent,
                 marks: [...h.querySelectorAll('.passage mark')].map(m => m.textContent)};",
    );
    assert_eq!(first["title"], expected["title"]);
    assert_eq!(
        first["path"],
        format!(
            "{}:{}",
            expected["path"].as_str().unwrap(),
            expected["line"]
        )
    );
    let marks: Vec<&str> = first["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(
        marks.contains(&"sovranità") && marks.contains(&"tecnologica"),
        "{marks:?}"
    );
    assert!(
        b.eval("return location.search")
            .as_str()
            .unwrap()
            .contains("q=sovranita")
    );
    // How many passages match, in how many documents, as the API counts them.
    let total = server.api("/api/search", &[("q", query)]).json()["total"].clone();
    assert_eq!(total["exact"], true, "{total}");
    let status = b.eval("return document.getElementById('status').textContent");
    assert_says_total(&status, "", &total);
    // More are shown than hold both words: the page says what the others are.
    let shown = b.eval("return document.querySelectorAll('#results .hit').length");
    assert!(
        shown.as_u64() > total["passages"].as_u64(),
        "{shown} {total}"
    );
    assert!(
        status
            .as_str()
            .unwrap()
            .contains("; below them, passages with some of the words ("),
        "{status}"
    );
    let counts = b.eval(
        "return [counted(1, true, 'passage', 'passages'), counted(1234, true, 'passage', 'passages'),
                 counted(10000, false, 'passage', 'passages')]",
    );
    assert_eq!(
        counts,
        serde_json::json!(["1 passage", "1,234 passages", "10,000+ passages"])
    );
    b.screenshot(&shots().join("results.png"));

    // The document view: every match marked, the hit's line in view.
    b.click(&b.find("#results .hit h2 a"));
    b.wait_for("return !document.getElementById('doc').hidden");
    let view = b.eval(
        "const t = document.querySelector('#doc .line.target');
         const r = t && t.getBoundingClientRect();
         return {line: t && Number(t.querySelector('.n').textContent),
                 visible: !!r && r.top >= 0 && r.bottom <= innerHeight,
                 marks: document.querySelectorAll('#doc mark').length,
                 list: document.getElementById('list').hidden};",
    );
    assert_eq!(view["visible"], true, "{view}");
    assert!(view["line"].as_u64().unwrap() >= expected["passage_line"].as_u64().unwrap());
    assert!(
        view["marks"].as_u64().unwrap() >= marks.len() as u64,
        "{view}"
    );
    assert_eq!(view["list"], true);
    b.screenshot(&shots().join("document.png"));
    b.press(ESCAPE);
    b.wait_for("return document.getElementById('doc').hidden");
    assert_eq!(b.eval("return document.activeElement.tagName"), "A");

    // A date filter: only passages dated from June 2025 on, as `--since` finds them.
    let since = b.find("#since");
    b.type_into(&since, &format!("2025-06{ENTER}"));
    b.wait_for("return location.search.includes('since=2025-06')");
    let dates = b.wait_for(
        "const s = document.getElementById('status').textContent;
         if (s.startsWith('Searching')) return null;
         return [...document.querySelectorAll('#results .hit .meta')]
             .map(m => m.textContent.slice(0, 10));",
    );
    let cli = env.run(&["search", query, "--since", "2025-06", "--json", "-n", "20"]);
    let want: Vec<Value> = cli.json_lines().iter().map(|h| h["date"].clone()).collect();
    assert_eq!(dates.as_array().unwrap(), &want);
    assert!(!want.is_empty());

    // Newest first, then "more from this document".
    b.clear(&since);
    b.click(&b.find("#newest"));
    b.wait_for(
        "return location.search.includes('sort=date') && !location.search.includes('since')",
    );
    b.wait_for("return document.querySelectorAll('#results .hit').length");
    b.click(&b.find("#results .hit .more"));
    b.wait_for("return location.search.includes('path=')");
    let paths = b.wait_for(
        "const s = document.getElementById('status').textContent;
         if (s.startsWith('Searching')) return null;
         return [...new Set([...document.querySelectorAll('#results .hit .path')]
             .map(p => p.textContent.replace(/:\\d+$/, '')))];",
    );
    assert_eq!(paths.as_array().unwrap().len(), 1, "{paths}");

    // No passage with every word: the count is of those with some.
    b.goto(&format!("{}/?q=sovranita%20blockchain", server.base));
    let status = b.wait_for(
        "const s = document.getElementById('status').textContent;
         return s.startsWith('Searching') ? null : s;",
    );
    let total = server
        .api("/api/search", &[("q", "sovranita blockchain")])
        .json()["total"]
        .clone();
    assert_says_total(&status, "No passage has every word; ", &total);

    // On a phone's width.
    b.resize(390, 844);
    b.goto(&format!("{}/?q=intelligenza%20artificiale", server.base));
    b.wait_for("return document.querySelectorAll('#results .hit').length");
    let wide = b.eval("return document.documentElement.scrollWidth <= innerWidth");
    assert_eq!(wide, true, "the page scrolls sideways on a phone");
    b.screenshot(&shots().join("phone.png"));
}

#[test]
fn hostile_documents_are_shown_as_text_in_chromium() {
    let env = Env::new();
    util::server::hostile(&env);
    env.run(&["index", "news"]).ok();
    let Some(b) = browser() else { return };
    let server = env.serve(&[]);
    b.goto(&format!("{}/?q=sovranit%C3%A0", server.base));
    b.wait_for("return document.querySelectorAll('#results .hit').length === 2");
    let page = b.eval(
        "return {titles: [...document.querySelectorAll('#results h2')].map(h => h.textContent),
                 passages: [...document.querySelectorAll('#results .passage')].map(p => p.textContent),
                 scripts: document.scripts.length,
                 images: document.images.length,
                 links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))};",
    );
    let titles = page["titles"].as_array().unwrap();
    assert!(
        titles.contains(&Value::from("<script>alert(1)</script> sovranità")),
        "{page}"
    );
    assert!(
        page["passages"].as_array().unwrap().iter().any(|p| p
            .as_str()
            .unwrap()
            .contains("\"><img src=x onerror=alert(2)>")),
        "{page}"
    );
    assert_eq!(page["scripts"], 1, "{page}");
    assert_eq!(page["images"], 0, "{page}");
    assert!(
        page["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l == "#" || l.as_str().unwrap().starts_with("http")),
        "{page}"
    );
    // The document view too.
    b.click(&b.find("#results .hit h2 a"));
    b.wait_for("return !document.getElementById('doc').hidden");
    let doc = b.eval(
        "return {text: document.getElementById('doctext').textContent,
                 images: document.images.length, scripts: document.scripts.length};",
    );
    assert!(doc["text"].as_str().unwrap().contains("<"), "{doc}");
    assert_eq!(doc["images"], 0);
    assert_eq!(doc["scripts"], 1);
    b.screenshot(&shots().join("hostile.png"));
}
