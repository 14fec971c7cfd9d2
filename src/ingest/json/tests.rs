use crate::testutil::noise;
use std::path::PathBuf;

use super::*;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/json")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn with_fields(fields: &[(&str, &str)]) -> Options {
    Options {
        fields: fields
            .iter()
            .map(|(r, n)| (r.to_string(), n.to_string()))
            .collect(),
        ..Options::default()
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn summary(r: &Record) -> (&str, Option<NaiveDate>, Option<&str>, usize) {
    (r.title.as_str(), r.date, r.url.as_deref(), r.blocks[0].line)
}

#[test]
fn json_lines_keep_good_records_and_report_bad_lines() {
    let (records, problems) = lines(&fixture("news.jsonl"), &Options::default());
    let got: Vec<_> = records.iter().map(summary).collect();
    assert_eq!(
        got,
        vec![
            (
                "AI Act, il regolamento europeo entra in vigore",
                Some(ymd(2024, 8, 1)),
                Some("https://example.org/it/ai-act-in-vigore"),
                1
            ),
            (
                "EU rules for general-purpose AI models start to apply",
                Some(ymd(2025, 8, 2)),
                Some("https://example.org/en/gpai-obligations"),
                2
            ),
            (
                "Sommet pour l'action sur l'intelligence artificielle à Paris",
                Some(ymd(2025, 2, 10)),
                Some("https://example.org/fr/sommet-ia"),
                6
            ),
        ]
    );
    // Line 7 has neither title nor text: skipped without a word.
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("line 3: EOF while parsing an object"),
        "{problems:?}"
    );
    assert_eq!(problems[1], "line 5: not a JSON object");
}

#[test]
fn record_text_is_split_into_paragraphs_and_html_is_stripped() {
    let (records, _) = lines(&fixture("news.jsonl"), &Options::default());
    let paragraphs: Vec<&str> = records[1].blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        paragraphs,
        vec![
            "Obligations for providers of general-purpose AI models under the EU AI Act apply from 2 August 2025.",
            "The Commission had published a voluntary code of practice for these providers in July 2025."
        ]
    );
    assert_eq!(records[0].blocks.len(), 2);
    assert!(
        records
            .iter()
            .all(|r| r.blocks.iter().all(|b| b.page.is_none()))
    );
}

#[test]
fn array_records_point_at_the_line_where_their_object_starts() {
    let (records, problems) = document(&fixture("export.json"), &Options::default()).unwrap();
    assert!(problems.is_empty());
    let got: Vec<_> = records.iter().map(summary).collect();
    assert_eq!(
        got,
        vec![
            (
                "Il Senato approva la legge italiana sull'intelligenza artificiale",
                Some(ymd(2025, 9, 17)),
                Some("https://example.org/it/legge-ia-senato"),
                5
            ),
            (
                "AI Act published in the Official Journal",
                Some(ymd(2024, 7, 12)),
                Some("https://example.org/en/ai-act-official-journal"),
                12
            ),
        ]
    );
    // One line break and no blank line: a paragraph per line.
    assert_eq!(records[0].blocks.len(), 2);
}

#[test]
fn top_level_arrays_nested_containers_and_single_objects() {
    let text = "[{\"title\": \"A\", \"text\": \"uno\"},\n {\"title\": \"B\", \"text\": \"due\"}]";
    let (records, _) = document(text, &Options::default()).unwrap();
    assert_eq!(
        records.iter().map(|r| r.blocks[0].line).collect::<Vec<_>>(),
        [1, 2]
    );

    let text = "{\"response\": {\"numFound\": 1,\n \"docs\": [\n\n {\"headline\": \"C\", \"summary\": \"tre\"}]}}";
    let (records, _) = document(text, &Options::default()).unwrap();
    assert_eq!(summary(&records[0]), ("C", None, None, 4));

    let (records, _) = document(
        "{\"title\": \"D\", \"body\": \"quattro\"}",
        &Options::default(),
    )
    .unwrap();
    assert_eq!(records[0].title, "D");
    assert_eq!(records[0].blocks[0].text, "quattro");
}

#[test]
fn custom_field_names_come_first_and_may_be_dotted_paths() {
    let line = r#"{"title": "Sezione Tecnologia", "headline": "Il vero titolo", "story": {"text": "Il corpo."}, "meta": {"published": "2024-12-20"}, "text": "Altro."}"#;
    let (records, _) = lines(line, &Options::default());
    assert_eq!(records[0].title, "Sezione Tecnologia");
    assert_eq!(records[0].blocks[0].text, "Altro.");
    let options = with_fields(&[
        ("title", "headline"),
        ("text", "story.text"),
        ("date", "meta.published"),
    ]);
    let (records, _) = lines(line, &options);
    assert_eq!(records[0].title, "Il vero titolo");
    assert_eq!(records[0].blocks[0].text, "Il corpo.");
    assert_eq!(records[0].date, Some(ymd(2024, 12, 20)));
}

#[test]
fn records_without_title_get_one_and_headlines_alone_are_kept() {
    let text = "{\"text\": \"Il Garante ha sanzionato OpenAI. Poi altro.\"}\n{\"title\": \"Solo un titolo\"}\n{\"url\": \"https://example.org\"}";
    let (records, problems) = lines(text, &Options::default());
    assert!(problems.is_empty());
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].title, "Il Garante ha sanzionato OpenAI.");
    assert_eq!(records[1].blocks[0].text, "Solo un titolo");
}

#[test]
fn unparseable_documents_are_errors() {
    for text in ["", "{\"title\": ", "[1, 2", "42", "\"testo\""] {
        let err = document(text, &Options::default()).unwrap_err();
        assert!(matches!(err, IngestError::BadJson(_)), "{text:?}: {err}");
    }
    let err = document("{\"a\": 1} {\"b\": 2}", &Options::default()).unwrap_err();
    assert!(err.to_string().contains("trailing characters"), "{err}");
}

#[test]
fn html_and_entities() {
    assert_eq!(
        strip_tags("<p>L&#39;AI Act &amp; <a href=\"x\">il Garante</a></p><p>Fine&nbsp;&copy;</p>"),
        "\n\nL'AI Act & il Garante\n\n\n\nFine &copy;\n\n"
    );
    assert_eq!(strip_tags("3 < 4 e 5 > 2"), "3 < 4 e 5 > 2");
    assert_eq!(strip_tags("<b unfinished"), "<b unfinished");
}

#[test]
fn dates_in_any_shape_or_as_epoch_numbers() {
    let date = |record: &str| lines(record, &Options::default()).0[0].date;
    for record in [
        r#"{"title": "t", "publishedAt": "2025-03-14T08:00:00Z"}"#,
        r#"{"title": "t", "date": "2025-03-14T23:30:00-05:00"}"#,
        r#"{"title": "t", "pubDate": "Fri, 14 Mar 2025 08:00:00 GMT"}"#,
        r#"{"title": "t", "date": "14 marzo 2025"}"#,
        r#"{"title": "t", "published_at": 1741939200}"#,
        r#"{"title": "t", "published_at": 1741939200000}"#,
        r#"{"title": "t", "created_at": 1741939200.5}"#,
        // A value that is no date gives way to the next name that is one.
        r#"{"title": "t", "date": "ieri", "publishedAt": "2025-03-14"}"#,
    ] {
        assert_eq!(date(record), Some(ymd(2025, 3, 14)), "{record}");
    }
    for record in [
        r#"{"title": "t", "date": "ieri"}"#,
        r#"{"title": "t", "date": "1741939200"}"#,
        r#"{"title": "t", "date": "2025"}"#,
        r#"{"title": "t", "date": 2025}"#,
        r#"{"title": "t", "date": true}"#,
        r#"{"title": "t", "date": {"iso": "2025-03-14"}}"#,
        r#"{"title": "t", "date": 1e300}"#,
    ] {
        assert_eq!(date(record), None, "{record}");
    }
    let options = with_fields(&[("date", "meta.when")]);
    let (records, _) = lines(r#"{"title": "t", "meta": {"when": 1741939200}}"#, &options);
    assert_eq!(records[0].date, Some(ymd(2025, 3, 14)));
}

#[test]
fn sources_are_named_by_the_record() {
    let source = |record: &str, options: &Options| lines(record, options).0[0].source.clone();
    let plain = Options::default();
    for (record, want) in [
        (r#"{"title": "t", "source": "ANSA"}"#, Some("ANSA")),
        (
            r#"{"title": "t", "source": {"id": "ansa", "name": "ANSA"}}"#,
            Some("ANSA"),
        ),
        (
            r#"{"title": "t", "publisher": {"@type": "Organization", "title": "Il Post"}}"#,
            Some("Il Post"),
        ),
        (
            r#"{"title": "t", "site": {"url": "https://www.ilpost.it/"}}"#,
            Some("ilpost.it"),
        ),
        (
            r#"{"title": "t", "source_name": "  Il  Sole 24 Ore "}"#,
            Some("Il Sole 24 Ore"),
        ),
        (
            r#"{"title": "t", "site_name": "Wired Italia"}"#,
            Some("Wired Italia"),
        ),
        (
            r#"{"title": "t", "source": "https://www.corriere.it/x"}"#,
            Some("corriere.it"),
        ),
        // An empty or unusable value gives way to the next name.
        (
            r#"{"title": "t", "source": "", "publisher": "Il Foglio"}"#,
            Some("Il Foglio"),
        ),
        (
            r#"{"title": "t", "source": {"id": "x"}, "site": "Domani"}"#,
            Some("Domani"),
        ),
        (r#"{"title": "t", "source": 42}"#, None),
        (r#"{"title": "t", "url": "https://www.ansa.it/x"}"#, None),
    ] {
        assert_eq!(source(record, &plain).as_deref(), want, "{record}");
    }
    let outlet = with_fields(&[("source", "outlet")]);
    let record = r#"{"title": "t", "source": "feed", "outlet": "Rai News"}"#;
    assert_eq!(source(record, &outlet).as_deref(), Some("Rai News"));
    assert_eq!(source(record, &plain).as_deref(), Some("feed"));
    let nested = with_fields(&[("source", "meta.outlet")]);
    let record = r#"{"title": "t", "meta": {"outlet": {"name": "Rai News"}}}"#;
    assert_eq!(source(record, &nested).as_deref(), Some("Rai News"));
}

#[test]
fn random_text_prefixes_and_deep_nesting_never_panic() {
    let options = with_fields(&[("title", "a.b.c"), ("text", "..")]);
    for name in ["news.jsonl", "export.json"] {
        let good = fixture(name);
        for cut in (0..good.len())
            .filter(|&c| good.is_char_boundary(c))
            .step_by(7)
        {
            let _ = lines(&good[..cut], &options);
            let _ = document(&good[..cut], &options);
        }
    }
    for seed in 1..200u64 {
        let text = String::from_utf8_lossy(&noise(seed, 8 * seed as usize)).into_owned();
        let _ = lines(&text, &options);
        let _ = document(&text, &options);
        // Noise made of JSON punctuation reaches deeper into the parser.
        let punct: String = noise(seed, 200)
            .into_iter()
            .map(|b| b"{}[]\":,\n tx0"[b as usize % 12] as char)
            .collect();
        let _ = lines(&punct, &options);
        let _ = document(&punct, &options);
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Skipping over raw values has no depth limit in serde_json, parsing a record has one (128).
    let (records, problems) = document(&deep, &options).unwrap();
    assert!(
        records.is_empty() && problems[0].contains("recursion limit"),
        "{problems:?}"
    );
    let deep = format!("{{\"articles\": {}1{}}}", "[".repeat(127), "]".repeat(127));
    let _ = document(&deep, &options);
    let (records, problems) = lines(&format!("{}\n", "{\"a\":".repeat(50_000)), &options);
    assert!(
        records.is_empty() && problems[0].contains("recursion limit"),
        "{problems:?}"
    );
}
