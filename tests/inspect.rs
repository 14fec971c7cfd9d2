//! Reading the index back: `cerca show` (a file's indexed text by line, highlighted, from a
//! line, as JSON, for a JSON Lines file, for a path not indexed), `cerca stats`, and the
//! generated `completions` and `man` page.

mod util;

use serde_json::Value;
use util::Env;

const SEED: &str = "seeds/000_a9241dfd659960c7.txt";

/// The seed article's text as cerca should read it: repaired, line by line.
fn repaired_seed_lines() -> Vec<String> {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_a9241dfd659960c7.txt"
    ))
    .unwrap();
    let (text, _) = cerca::ingest::repair::repair(&String::from_utf8_lossy(&bytes));
    text.lines().map(|l| l.trim().to_string()).collect()
}

fn shipped() -> Env {
    let env = Env::with_shipped();
    env.index_shipped();
    env
}

/// `(line, text)` of each `N │ text` line of `show`'s output.
fn numbered(stdout: &str) -> Vec<(u64, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let (number, text) = l.split_once(" │")?;
            let n = number.trim_start_matches('>').trim().parse().ok()?;
            Some((n, text.strip_prefix(' ').unwrap_or(text).to_string()))
        })
        .collect()
}

#[test]
fn show_prints_the_repaired_seed_with_line_numbers_and_highlights() {
    let env = shipped();
    let r = env
        .run(&["show", SEED, "sovranità", "--color", "never"])
        .ok();
    let lines = numbered(&r.stdout);
    let expected = repaired_seed_lines();
    assert_eq!(lines.len(), expected.len(), "{}", r.stdout);
    for (n, text) in &lines {
        let want = &expected[*n as usize - 1];
        assert_eq!(&text.replace("**", ""), want, "line {n}");
    }
    let line = |n: u64| &lines.iter().find(|l| l.0 == n).unwrap().1;
    assert!(
        line(1).contains("la versione più recente del gruppo"),
        "{}",
        line(1)
    );
    assert!(
        line(5).contains("la **sovranità** tecnologica"),
        "{}",
        line(5)
    );
    assert!(line(7).contains("**sovranità** tecnologica del continente"));
    assert!(
        !lines.iter().any(|(_, t)| t.contains('\u{e23}')),
        "Thai left in:\n{}",
        r.stdout
    );
    // What repair changed, and from which code page, under the title.
    assert!(
        r.stdout.contains("repaired 18 spans: ") && r.stdout.contains("(windows-874)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.starts_with(&format!("{SEED}\n")), "{}", r.stdout);
    // Colour, on request: the match in bold red, no markers.
    let r = env
        .run(&["show", SEED, "sovranità", "--color", "always"])
        .ok();
    assert!(r.stdout.contains("\x1b[1m\x1b[31msovranità\x1b[0m"));
    assert!(!r.stdout.contains("**"));
}

#[test]
fn show_accepts_the_path_as_search_prints_it_or_absolute() {
    let env = shipped();
    let hits = env.hits("più recente", 1);
    let at = format!(
        "{}:{}:{}",
        hits[0]["path"].as_str().unwrap(),
        hits[0]["line"],
        hits[0]["column"]
    );
    let r = env.run(&["show", &at, "--color", "never"]).ok();
    assert!(r.stdout.starts_with(SEED), "{}", r.stdout);
    let absolute = env.path(SEED);
    let dotted = format!("seeds/../{SEED}");
    for path in [absolute.to_str().unwrap(), &dotted] {
        let r = env.run(&["show", path, "--color", "never"]).ok();
        assert_eq!(numbered(&r.stdout).len(), 8, "{path}: {}", r.stdout);
    }
}

#[test]
fn show_from_a_line_starts_there_and_marks_it() {
    let env = shipped();
    let r = env
        .run(&["show", &format!("{SEED}:6"), "--color", "never"])
        .ok();
    let lines = numbered(&r.stdout);
    assert_eq!(
        lines.iter().map(|l| l.0).collect::<Vec<_>>(),
        vec![6, 7, 8],
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.lines().any(|l| l.starts_with(">   6 │ Mentre")),
        "{}",
        r.stdout
    );
    let r = env.run(&["show", &format!("{SEED}:99")]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no indexed line at or after line 99"),
        "{}",
        r.stderr
    );
}

#[test]
fn show_json_lists_documents_and_lines_with_highlight_offsets() {
    let env = shipped();
    let r = env.run(&["show", SEED, "più recente", "--json"]).ok();
    let v = r.json();
    assert_eq!(v["path"], SEED);
    assert_eq!(v["query"], "più recente");
    assert_eq!(v["from_line"], Value::Null);
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["lang"], "it");
    assert_eq!(docs[0]["doc"], 0);
    assert!(docs[0]["title"].as_str().unwrap().starts_with("La startup"));
    let lines = docs[0]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 8);
    let expected = repaired_seed_lines();
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["line"], i as u64 + 1);
        assert_eq!(l["page"], Value::Null);
        let text = l["text"].as_str().unwrap();
        assert_eq!(text, expected[i]);
        for h in l["highlights"].as_array().unwrap() {
            let (s, e) = (h["start"].as_u64().unwrap(), h["end"].as_u64().unwrap());
            assert_eq!(&text[s as usize..e as usize], h["text"].as_str().unwrap());
        }
    }
    let first: Vec<&str> = lines[0]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap())
        .collect();
    assert!(
        first.contains(&"più") && first.contains(&"recente"),
        "{first:?}"
    );
    let r = env
        .run(&["show", &format!("{SEED}:7"), "--json"])
        .ok()
        .json();
    assert_eq!(r["from_line"], 7);
    assert_eq!(r["documents"][0]["lines"][0]["line"], 7);
    assert_eq!(r["query"], Value::Null);
}

#[test]
fn show_with_a_query_that_matches_nothing_still_shows_the_file() {
    let env = shipped();
    let r = env
        .run(&["show", SEED, "zzzunmatched", "--color", "never"])
        .ok();
    assert_eq!(numbered(&r.stdout).len(), 8);
    assert!(!r.stdout.contains("**"));
}

#[test]
fn show_of_a_path_not_in_the_index_is_an_error_with_a_suggestion() {
    let env = shipped();
    let r = env.run(&["show", "nowhere.txt"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("nowhere.txt is not in the index"),
        "{}",
        r.stderr
    );
    // A file on disk that was never indexed is not read either.
    env.write("loose/note.txt", "testo mai indicizzato");
    let r = env.run(&["show", "loose/note.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("loose/note.txt is not in the index"));
    // The right name in the wrong folder.
    let r = env.run(&["show", "000_a9241dfd659960c7.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("did you mean {SEED}?")),
        "{}",
        r.stderr
    );
    // A missing index is the usual error.
    let r = env.run(&["show", SEED, "--index", "none"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no index at none"), "{}", r.stderr);
}

#[test]
fn show_reads_the_index_not_the_file() {
    let env = shipped();
    std::fs::remove_file(env.path(SEED)).unwrap();
    let r = env.run(&["show", SEED, "--color", "never"]).ok();
    assert_eq!(numbered(&r.stdout).len(), 8);
}

#[test]
fn show_prints_each_record_of_a_json_lines_file() {
    let env = Env::new();
    env.write(
        "news/feed.jsonl",
        concat!(
            r#"{"title":"Primo titolo","text":"Il primo articolo parla di sovranità digitale.","date":"2025-01-02","url":"https://example.org/1"}"#,
            "\n",
            r#"{"title":"Second title","text":"The second article is about compute.","date":"2025-03-04"}"#,
            "\n\n",
            r#"{"title":"Terzo","text":"Il terzo: sovranità e calcolo."}"#,
            "\n"
        ),
    );
    env.run(&["index", "news"]).ok();
    let r = env
        .run(&["show", "news/feed.jsonl", "sovranità", "--color", "never"])
        .ok();
    let s = &r.stdout;
    for heading in [
        "Primo titolo  (record 1, 2025-01-02, example.org, it)",
        "Second title  (record 2, 2025-03-04, news, en)",
        "Terzo  (record 3, news, it)",
    ] {
        assert!(s.contains(heading), "{heading} in:\n{s}");
    }
    assert!(s.contains("https://example.org/1"));
    assert_eq!(
        numbered(s),
        vec![
            (
                1,
                "Il primo articolo parla di **sovranità** digitale.".to_string()
            ),
            (2, "The second article is about compute.".to_string()),
            (4, "Il terzo: **sovranità** e calcolo.".to_string())
        ]
    );
    let v = env
        .run(&["show", "news/feed.jsonl:2", "--json"])
        .ok()
        .json();
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["doc"], 1);
    assert_eq!(docs[0]["date"], "2025-03-04");
    assert_eq!(docs[1]["lines"][0]["line"], 4);
}

#[test]
fn show_gives_a_pdf_its_pages() {
    let env = Env::new();
    env.copy_fixtures("pdf", "pdf");
    env.run(&["index", "pdf"]); // the fixtures include broken PDFs, reported
    let v = env
        .run(&["show", "pdf/garante-openai-it.pdf", "Garante", "--json"])
        .ok()
        .json();
    let lines = v["documents"][0]["lines"].as_array().unwrap();
    let pages: Vec<u64> = lines.iter().map(|l| l["page"].as_u64().unwrap()).collect();
    assert_eq!(pages.first(), Some(&1));
    assert!(pages.contains(&2), "{pages:?}");
    let r = env
        .run(&["show", "pdf/garante-openai-it.pdf", "--color", "never"])
        .ok();
    assert!(r.stdout.contains("── page 2 ──"), "{}", r.stdout);
}

#[test]
fn stats_counts_the_shipped_corpus() {
    let env = shipped();
    let r = env.run(&["stats"]).ok();
    let s = &r.stdout;
    assert!(s.contains("documents    35 in 35 files"), "{s}");
    assert!(s.contains("languages    it "), "{s}");
    assert!(s.contains(", en ") && s.contains(", fr "), "{s}");
    assert!(s.contains("(1 undated)"), "{s}");
    let schema = format!("(schema {})", cerca::index::SCHEMA_VERSION);
    assert!(s.contains(&schema), "{s}");
    let v = env.run(&["stats", "--json"]).ok().json();
    assert_eq!(v["documents"], 35);
    assert_eq!(v["files"], 35);
    assert_eq!(v["schema_version"], cerca::index::SCHEMA_VERSION);
    let passages = v["passages"].as_u64().unwrap();
    assert!(passages > 35, "{v}");
    let langs: Vec<&str> = v["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(langs, ["it", "en", "fr"]);
    let per_lang: u64 = v["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["documents"].as_u64().unwrap())
        .sum();
    assert_eq!(per_lang, 35);
    assert_eq!(v["distinct_sources"], 2);
    assert_eq!(v["sources"][0]["name"], "corpus");
    assert_eq!(v["sources"][0]["documents"], 34);
    assert_eq!(v["undated"], 1);
    let (earliest, latest) = (
        v["earliest"].as_str().unwrap(),
        v["latest"].as_str().unwrap(),
    );
    assert!(earliest.starts_with("20") && earliest < latest, "{v}");
    let roots: Vec<String> = v["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    let canonical = |d: &str| env.path(d).canonicalize().unwrap().display().to_string();
    assert_eq!(roots, [canonical("corpus"), canonical("seeds")]);
    assert!(v["size_bytes"].as_u64().unwrap() > 10_000);
    assert!(v["last_update"].as_str().unwrap().contains('T'));
}

#[test]
fn stats_follow_updates() {
    let env = Env::new();
    env.write(
        "news/a.txt",
        "Primo articolo\n\nTesto sull'intelligenza artificiale.",
    );
    env.write("news/b.jsonl", "{\"title\":\"Uno\",\"text\":\"one text here\"}\n{\"title\":\"Due\",\"text\":\"two text there\"}\n");
    env.run(&["index", "news"]).ok();
    let v = env.run(&["stats", "--json"]).ok().json();
    assert_eq!(
        (v["documents"].as_u64(), v["files"].as_u64()),
        (Some(3), Some(2))
    );
    std::fs::remove_file(env.path("news/a.txt")).unwrap();
    env.run(&["index"]).ok();
    let v = env.run(&["stats", "--json"]).ok().json();
    assert_eq!(
        (v["documents"].as_u64(), v["files"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(v["earliest"], Value::Null);
    assert_eq!(v["undated"], 2);
    let r = env.run(&["stats", "--index", "nowhere"]);
    assert_eq!(r.code, 2);
}

#[test]
fn completions_are_generated_for_each_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = env.run(&["completions", shell]).ok();
        assert!(r.stdout.len() > 500, "{shell}: {}", r.stdout);
        for word in ["cerca", "search", "index", "show", "stats"] {
            assert!(r.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(env.run(&["completions", "tcsh"]).code, 2);
}

#[test]
fn man_page_is_roff_describing_every_subcommand() {
    let env = Env::new();
    let r = env.run(&["man"]).ok();
    let page = &r.stdout;
    assert!(page.starts_with(".TH") || page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH cerca 1"));
    for section in [
        "CERCA INDEX",
        "CERCA SEARCH",
        "CERCA WATCH",
        "CERCA SHOW",
        "CERCA STATS",
    ] {
        assert!(page.contains(&format!(".SH \"{section}\"")), "{section}");
    }
    assert!(
        page.contains("\\-\\-per\\-doc"),
        "search's options are described"
    );
    assert_eq!(page.matches(".TH ").count(), 1);
}
