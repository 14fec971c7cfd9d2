fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E5B}').contains(&c)
}

use super::*;

/// Damages `s` the way the seed article was damaged: its UTF-8 bytes read as TIS-620, bytes the
/// code page has no character for dropped, and the NBSP (0xA0) kept only when `keep_nbsp`.
fn damage(s: &str, keep_nbsp: bool) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        match b {
            0x00..=0x7F => out.push(b as char),
            0xA0 if keep_nbsp => out.push('\u{A0}'),
            0xA1..=0xDA | 0xDF..=0xFB => {
                out.push(char::from_u32(0x0E00 + (b as u32 - 0xA0)).unwrap())
            }
            _ => {}
        }
    }
    out
}

fn fixed(s: &str) -> String {
    repair(s).0
}

const SEED: &str = include_str!("../../../seeds/000_a9241dfd659960c7.txt");

#[test]
fn seed_article_is_repaired() {
    let (text, count) = repair(SEED);
    for want in [
        "le permetterà di competere",
        "la versione più recente",
        "Così facendo altre realtà avranno la possibilità",
        "Mensch ha però dichiarato",
        "ogni azienda può detenere",
        "sull’effettiva necessità di investimenti",
        "la sovranità tecnologica anche nell’AI",
        "investimenti – basti pensare",
        "quattro anni – l’Unione",
        "questa cifra è più che sufficiente",
        "di alta qualità, grazie",
        "si è impegnato",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(!text.chars().any(is_thai), "Thai left in\n{text}");
    assert_eq!(count, 18);
    assert_eq!(text.lines().count(), SEED.lines().count());
}

#[test]
fn every_italian_accent_round_trips_when_its_bytes_survive() {
    let original = "è é ì ò ù perché così però più Perù caffè ventitré ò";
    assert_eq!(
        fixed(&damage(&format!("Un testo latino, {original}."), true)),
        format!("Un testo latino, {original}.")
    );
}

#[test]
fn lost_bytes_are_inferred_from_context() {
    let cases = [
        (
            "La città di Roma e la sovranità.",
            "La città di Roma e la sovranità.",
        ),
        (
            "LA CITTÀ DI ROMA E LA NOVITÀ",
            "LA CITTÀ DI ROMA E LA NOVITÀ",
        ),
        ("Il piano – dice – è pronto", "Il piano – dice – è pronto"),
        (
            "È vero che la legge è pronta",
            "È vero che la legge è pronta",
        ),
    ];
    for (original, want) in cases {
        let damaged = damage(original, false);
        assert_ne!(damaged, original);
        assert_eq!(fixed(&damaged), want, "from {damaged:?}");
    }
}

#[test]
fn a_space_that_was_the_lost_nbsp_before_punctuation_goes() {
    assert_eq!(
        fixed("di alta qualit\u{0E23} , grazie, una realt\u{0E23} nuova"),
        "di alta qualità, grazie, una realtà nuova"
    );
}

#[test]
fn correct_text_is_left_alone() {
    for text in [
        "L’Unione europea è pronta: più investimenti, più sovranità — perché no?",
        "The EU’s AI Act entered into force on 1 August 2024 – “finally”, said many.",
        "La CNIL publie des recommandations sur l’intelligence artificielle et les données.",
        "Ein Gesetz über künstliche Intelligenz; la inteligencia artificial en España.",
        "",
    ] {
        assert_eq!(repair(text), (text.to_string(), 0));
    }
}

#[test]
fn real_thai_is_left_alone() {
    let thai = "ภาษาไทยเป็นภาษาราชการของประเทศไทย สวัสดีครับ";
    assert_eq!(fixed(thai), thai);
    let mixed =
        "The word สวัสดี means hello, and ไทย means Thai, in an English sentence about language.";
    assert_eq!(fixed(mixed), mixed);
}

#[test]
fn output_is_nfc() {
    let decomposed = "citta\u{0300}";
    assert_eq!(fixed(decomposed), "città");
}
