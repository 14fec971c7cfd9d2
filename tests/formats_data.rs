//! PDF and JSON news exports through the real binary: what the summary reports, and where hits
//! point (page and line in a PDF, the record's line in JSON, the record's own title, date, url).

mod util;

use std::path::Path;

use serde_json::Value;
use util::Env;

/// A folder `news/` holding copies of the PDF and JSON fixtures.
fn env_with_fixtures() -> Env {
    let env = Env::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for kind in ["pdf", "json"] {
        for entry in std::fs::read_dir(fixtures.join(kind)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            env.write(
                &format!("news/{name}"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    env
}

fn error_for<'a>(summary: &'a Value, file: &str) -> Vec<&'a str> {
    summary["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with(file))
        .map(|e| e["error"].as_str().unwrap())
        .collect()
}

#[test]
fn summary_counts_records_and_reports_bad_lines_and_bad_pdfs() {
    let env = env_with_fixtures();
    // `json()` also checks that stdout holds nothing but the summary, even with broken PDFs.
    let s = env.run(&["index", "news", "--json"]).ok().json();
    // The summary's `documents` counts files (news.jsonl, export.json and the two good PDFs);
    // records show in the passages: 3 + 2 short records of one passage each, the Italian PDF
    // one per page, the English one 1.
    assert_eq!(s["documents"], 4, "{s}");
    assert_eq!(s["added"], 4, "{s}");
    assert_eq!(s["passages"], 8, "{s}");
    assert_eq!(error_for(&s, "news.jsonl").len(), 2, "{s}");
    let bad_lines = error_for(&s, "news.jsonl");
    assert!(bad_lines[0].starts_with("line 3: EOF while parsing"), "{s}");
    assert_eq!(bad_lines[1], "line 5: not a JSON object");
    assert_eq!(
        error_for(&s, "scanned.pdf"),
        ["no text layer (scanned PDF?)"]
    );
    let truncated = error_for(&s, "truncated.pdf");
    assert_eq!(truncated.len(), 1, "{s}");
    assert!(truncated[0].starts_with("unreadable PDF: "), "{s}");
    assert_eq!(s["errors"].as_array().unwrap().len(), 4, "{s}");
    assert!(!env.run(&["index", "news"]).stderr.contains("panicked"));

    // Every record is its own document with its own title.
    let hits = env.hits("\"Official Journal\"", 10);
    let titles: Vec<&str> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"AI Act published in the Official Journal"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"The EU AI Act enters into force"),
        "{titles:?}"
    );
}

#[test]
fn pdf_hits_carry_page_line_title_and_date() {
    let env = env_with_fixtures();
    env.run(&["index", "news", "--json"]).ok();
    let hits = env.hits("campagna", 5);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert!(
        h["path"]
            .as_str()
            .unwrap()
            .ends_with("garante-openai-it.pdf")
    );
    assert_eq!(h["page"], 2);
    assert_eq!(h["line"], 1);
    assert_eq!(h["title"], "Sanzione dell'autorità a OpenAI");
    assert_eq!(h["date"], "2024-12-20");
    assert_eq!(h["lang"], "it");
    assert_eq!(h["url"], Value::Null);
    assert_eq!(util::highlighted(&hits), ["campagna"]);
    util::assert_highlights_consistent(&hits);
    // Page 1's text is found on page 1.
    let hits = env.hits("ChatGPT", 5);
    assert_eq!(hits[0]["page"], 1, "{hits:?}");
}

#[test]
fn json_hits_point_at_the_record_line_with_its_url() {
    let env = env_with_fixtures();
    env.run(&["index", "news", "--json"]).ok();
    let hits = env.hits("coprésidé", 5);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert!(h["path"].as_str().unwrap().ends_with("news.jsonl"));
    assert_eq!(h["line"], 6);
    assert_eq!(h["page"], Value::Null);
    assert_eq!(h["date"], "2025-02-10");
    assert_eq!(h["url"], "https://example.org/fr/sommet-ia");
    assert_eq!(h["lang"], "fr");

    let hits = env.hits("Senato approvato", 5);
    let h = &hits[0];
    assert!(
        h["path"].as_str().unwrap().ends_with("export.json"),
        "{hits:?}"
    );
    assert_eq!(h["line"], 5);
    assert_eq!(
        h["title"],
        "Il Senato approva la legge italiana sull'intelligenza artificiale"
    );
    assert_eq!(h["url"], "https://example.org/it/legge-ia-senato");
    assert_eq!(h["date"], "2025-09-17");
    let words = util::highlighted(&hits[..1]);
    assert!(
        words.contains(&"Senato".to_string()) && words.contains(&"approvato".to_string()),
        "{words:?}"
    );
    util::assert_highlights_consistent(&hits);
}

#[test]
fn a_custom_field_name_picks_the_title() {
    let env = Env::new();
    env.write(
        "feed/export.ndjson",
        concat!(
            r#"{"title": "Tecnologia", "headline": "Il Garante multa OpenAI per 15 milioni di euro", "text": "La sanzione del Garante riguarda ChatGPT."}"#,
            "\n"
        ),
    );
    env.run(&["index", "feed", "--json"]).ok();
    assert_eq!(env.hits("sanzione", 1)[0]["title"], "Tecnologia");
    let s = env
        .run(&[
            "index",
            "feed",
            "--field",
            "title=headline",
            "--rebuild",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(s["documents"], 1, "{s}");
    let hits = env.hits("sanzione", 1);
    assert_eq!(
        hits[0]["title"],
        "Il Garante multa OpenAI per 15 milioni di euro"
    );
    assert_eq!(hits[0]["line"], 1);
}

#[test]
fn a_json_file_that_does_not_parse_is_an_error_with_its_reason() {
    let env = Env::new();
    env.write("news/rotto.json", "[{\"title\": \"A\", \"text\": \"b\"},\n");
    env.write(
        "news/ok.json",
        "[{\"title\": \"Il Garante\", \"text\": \"Testo.\"}]",
    );
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(s["added"], 1, "{s}");
    let errors = error_for(&s, "rotto.json");
    assert_eq!(errors.len(), 1, "{s}");
    assert!(
        errors[0].starts_with("not valid JSON: EOF while parsing a value at line 2"),
        "{s}"
    );
}
