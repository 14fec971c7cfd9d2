//! Files in other encodings and damaged text through the real binary: they are indexed without
//! errors and found by their correct words, shown correctly in results.

mod util;

use serde_json::Value;
use util::{Env, assert_highlights_consistent, highlighted};

/// An Italian article in Windows-1252: `perché`, `città`, `è`, a typographic apostrophe and `€`.
const CP1252: &[u8] = b"Il piano della citt\xe0\n\n\
Perch\xe9 la citt\xe0 \xe8 pronta: l\x92assessore annuncia 5 milioni di \x80 per la \
vigilanza sugli algoritmi.\n";

/// The same words damaged by a wrong decode (UTF-8 read as Windows-1252) and saved as UTF-8.
const MOJIBAKE: &str = "Il regolamento comunale\n\n\
PerchÃ© il regolamento della cittÃ  Ã¨ nato cosÃ¬: lâ€™ufficio per la trasparenza \
algoritmica lo ha chiesto.\n";

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn utf16be_without_bom(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// A folder with one file per encoding, indexed.
fn indexed() -> Env {
    let env = Env::new();
    env.write("news/cp1252.txt", CP1252);
    env.write(
        "news/utf16.md",
        utf16le(
            "# Trasparenza\n\nLa **sovranità** digitale passa dalla trasparenza degli appalti.\n",
        ),
    );
    env.write(
        "news/utf16be.txt",
        utf16be_without_bom("Titolo\n\nUn’agenzia nazionale per la cybersicurezza.\n"),
    );
    let mut stray = "Nota\n\nLa società civile chiede più garanzie"
        .as_bytes()
        .to_vec();
    stray.push(0xFF);
    stray.extend_from_slice(" sulla biometria.\n".as_bytes());
    env.write("news/stray.txt", stray);
    env.write("news/mojibake.txt", MOJIBAKE);
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(s["added"], 5, "{s}");
    assert_eq!(s["errors"].as_array().unwrap().len(), 0, "{s}");
    env
}

/// Hits of `query` in the file `name`.
fn hits_in(env: &Env, query: &str, name: &str) -> Vec<Value> {
    let hits = env.hits(query, 20);
    assert_highlights_consistent(&hits);
    hits.into_iter()
        .filter(|h| h["path"].as_str().unwrap().ends_with(name))
        .collect()
}

#[test]
fn windows_1252_is_read_as_windows_1252() {
    let env = indexed();
    let hits = hits_in(&env, "perché", "cp1252.txt");
    assert_eq!(hits.len(), 1);
    let text = hits[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Perché la città è pronta: l’assessore annuncia 5 milioni di €"),
        "{text}"
    );
    assert!(highlighted(&hits).contains(&"Perché".to_string()));
    assert_eq!(hits_in(&env, "città", "cp1252.txt").len(), 1);
}

#[test]
fn mojibake_is_repaired_and_found_by_the_right_words() {
    let env = indexed();
    for query in ["perché", "città", "così"] {
        let hits = hits_in(&env, query, "mojibake.txt");
        assert_eq!(hits.len(), 1, "{query}");
        let text = hits[0]["text"].as_str().unwrap();
        assert!(
            text.starts_with("Perché il regolamento della città è nato così: l’ufficio"),
            "{text}"
        );
        assert!(!text.contains('Ã') && !text.contains("â€"), "{text}");
    }
    let words = highlighted(&hits_in(&env, "perché città", "mojibake.txt"));
    assert!(
        words.contains(&"Perché".to_string()) && words.contains(&"città".to_string()),
        "{words:?}"
    );
}

#[test]
fn search_json_says_what_repair_changed_in_a_file() {
    let env = indexed();
    let hits = hits_in(&env, "perché", "mojibake.txt");
    assert_eq!(hits[0]["repaired"], 5, "{}", hits[0]);
    let repairs = hits[0]["repairs"].as_array().unwrap();
    let perche = repairs
        .iter()
        .find(|r| r["repaired"] == "é")
        .unwrap_or_else(|| panic!("{repairs:?}"));
    assert_eq!(perche["damaged"], "Ã©");
    assert_eq!(perche["via"][0], "windows-1252");
    // A file that needed no repair says so.
    let clean = hits_in(&env, "sovranità", "utf16.md");
    assert_eq!(clean[0]["repaired"], 0);
    assert_eq!(clean[0]["repairs"].as_array().unwrap().len(), 0);
}

#[test]
fn utf16_with_and_without_bom_is_read() {
    let env = indexed();
    let hits = hits_in(&env, "sovranità", "utf16.md");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["text"],
        "La sovranità digitale passa dalla trasparenza degli appalti."
    );
    let hits = hits_in(&env, "cybersicurezza", "utf16be.txt");
    assert_eq!(
        hits[0]["text"],
        "Un’agenzia nazionale per la cybersicurezza."
    );
}

#[test]
fn a_stray_byte_costs_only_itself() {
    let env = indexed();
    let hits = hits_in(&env, "biometria", "stray.txt");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["text"],
        "La società civile chiede più garanzie\u{FFFD} sulla biometria."
    );
    assert_eq!(hits_in(&env, "società", "stray.txt").len(), 1);
}

#[test]
fn binary_files_are_still_reported() {
    let env = Env::new();
    env.write("news/a.txt", CP1252);
    env.write(
        "news/b.txt",
        b"\x7fELF\x02\x01\x01\x00\x00\x00garbage\x00\x00",
    );
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(s["added"], 1, "{s}");
    let errors = s["errors"].to_string();
    assert!(
        errors.contains("b.txt") && errors.contains("binary"),
        "{errors}"
    );
}
