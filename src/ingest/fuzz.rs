//! Property tests of every extractor on generated input: text assembled from fragments that
//! stress each format (markup, JSON punctuation, blank lines, dates, long words, stray bytes),
//! random bytes for the decoder, and mutated real files for PDF. Whatever the input, nothing
//! panics and what comes out holds together: every passage has text, fits a window and points
//! at a line the file has; a document with a title has a passage. The case counts keep the set
//! to a few seconds of a debug `cargo test`, so it runs on every test run.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::extract::{self, Record};
use super::passage::MAX_CHARS;
use super::{Options, decode, document, feed, html, json, pdf, repair};

/// Pieces that mean something to one format or another.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    "# ",
    "- ",
    "> ",
    "```",
    "|",
    "*",
    "[a](b)",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<ul><li>",
    "<li>",
    "</ul>",
    "<title>",
    "</title>",
    "<h1>",
    "</h1>",
    "<script>",
    "</script>",
    "<br>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#x",
    ";",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    "<rss><channel>",
    "<item>",
    "</item>",
    "<title>",
    "<description>",
    "</description>",
    "</channel></rss>",
    "<feed>",
    "<entry>",
    "</entry>",
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\"title\"",
    "\"text\"",
    "\"date\"",
    "\"articles\"",
    "null",
    "1",
    "2024-08-01",
    "2024-08-01T10:00:00Z",
    ". ",
    "Il regolamento",
    "europeo",
    "sull'intelligenza artificiale",
    "perchÃ©",
    "à",
    "\u{e0}\u{300}",
    "\u{feff}",
    "\u{0}",
    "ภ",
    "😀",
    "parola",
];

/// Text made of fragments, random characters and, now and then, a very long run.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        2 => proptest::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
        1 => (proptest::sample::select(FRAGMENTS), 1..1500usize)
            .prop_map(|(f, n)| f.repeat(n)),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// The lines a text has, at most: markdown and HTML parsers (as CommonMark and the HTML
/// standard say) also end a line at a lone `\r`.
fn line_count(text: &str) -> usize {
    1 + text.replace("\r\n", "\n").matches(['\r', '\n']).count()
}

/// The invariants of one record once it is a document.
fn check(record: Record, lines: usize) -> Result<(), TestCaseError> {
    let has_text =
        !record.title.trim().is_empty() || record.blocks.iter().any(|b| !b.text.trim().is_empty());
    let doc = document(record);
    prop_assert!(!has_text || !doc.passages.is_empty(), "text but no passage");
    for p in &doc.passages {
        prop_assert!(!p.text.trim().is_empty(), "empty passage");
        prop_assert!(p.text.chars().count() <= MAX_CHARS, "passage too long");
        prop_assert!((1..=lines).contains(&p.line), "line {} of {lines}", p.line);
    }
    Ok(())
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Failing cases are reported with their input; nothing is written next to the source.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn plain_text(text in text()) {
        check(extract::plain(&text), line_count(&text))?;
    }

    #[test]
    fn markdown(text in text()) {
        check(extract::markdown(&text), line_count(&text))?;
    }

    #[test]
    fn json_lines(text in text()) {
        let (records, problems) = json::lines(&text, &Options::default());
        for r in records {
            check(r, line_count(&text))?;
        }
        prop_assert!(problems.iter().all(|p| p.starts_with("line ")));
    }

    #[test]
    fn json_document(text in text()) {
        if let Ok((records, _)) = json::document(&text, &Options::default()) {
            for r in records {
                check(r, line_count(&text))?;
            }
        }
    }

    #[test]
    fn decode_and_repair(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        if let Ok(text) = decode::decode(&bytes, None) {
            let (repaired, _) = repair::repair(&text);
            prop_assert!(
                text.trim().is_empty() || !repaired.trim().is_empty(),
                "repair lost all the text"
            );
        }
    }
}

proptest! {
    #![proptest_config(config(100))]

    #[test]
    fn html_page(text in text()) {
        if let Some(record) = html::page(&text) {
            check(record, line_count(&text))?;
        }
    }

    #[test]
    fn feed(text in text()) {
        if let Ok(records) = feed::items(&text) {
            for r in records {
                check(r, line_count(&text))?;
            }
        }
    }
}

/// A real PDF (the committed fixture), for mutation.
fn pdf_fixture() -> Vec<u8> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/ai-act-en.pdf");
    std::fs::read(path).unwrap_or_default()
}

proptest! {
    // Every case is a thread and a full PDF parse: fewer of them.
    #![proptest_config(config(40))]

    #[test]
    fn pdf_from_mutated_bytes(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = pdf_fixture();
        prop_assume!(!bytes.is_empty());
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Ok((record, _)) = pdf::read(&bytes, 1 << 26) {
            prop_assert!(!record.blocks.is_empty());
            prop_assert!(record.blocks.iter().all(|b| b.page.is_some() && b.line >= 1));
            check(record, usize::MAX)?;
        }
    }

    #[test]
    fn pdf_from_random_bytes(tail in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.extend(tail);
        let _ = pdf::read(&bytes, 1 << 26);
    }
}
