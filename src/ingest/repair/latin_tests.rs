use crate::testutil::Rng;
use std::path::Path;

use encoding_rs::WINDOWS_1252;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::*;

/// Damages `s` the classic way: its UTF-8 bytes read as Windows-1252 (bytes it leaves undefined
/// as the C1 controls Latin-1 has there).
fn damage(s: &str) -> String {
    WINDOWS_1252
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

#[test]
fn classic_mojibake_is_repaired() {
    let cases = [
        ("La citt\u{C3}\u{A0} di Roma", "La città di Roma", 1),
        ("perchÃ© no", "perché no", 1),
        ("Ã¨ pronto", "è pronto", 1),
        ("lâ€™Unione", "l’Unione", 1),
        (
            "â€œfinalmenteâ€\u{9D}, ha detto",
            "“finalmente”, ha detto",
            2,
        ),
        // The 9D byte of `”` has no Windows-1252 character and is often dropped.
        ("â€œfinalmenteâ€, ha detto", "“finalmente”, ha detto", 2),
        ("Ã‰TAT et lâ€™Ã‰tat", "ÉTAT et l’État", 3),
        ("Ã\u{88} vero", "È vero", 1),
        ("20Â°C e Â«virgolette»", "20°C e «virgolette»", 2),
        ("â‚¬ 200 e AIâ„¢", "€ 200 e AI™", 2),
        ("zÅ‚oty, Å›roda, Å¡pion", "złoty, środa, špion", 3),
        ("ðŸ˜€ bene", "😀 bene", 1),
        ("cafe\u{CC}\u{81} crème", "café crème", 1),
        ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет", 6),
    ];
    for (damaged, want, n) in cases {
        assert_eq!(repair(damaged), (want.to_string(), n), "from {damaged:?}");
    }
}

#[test]
fn a_no_break_space_that_became_a_space() {
    let cases = [
        ("La cittÃ  Ã¨ bella.", "La città è bella."),
        ("la cittÃ .", "la città."),
        ("la cittÃ \nnuova", "la città\nnuova"),
        ("la cittÃ ", "la città"),
        // Whitespace collapsed after the damage: the space also separated two words.
        ("la cittÃ Ã¨ bella", "la città è bella"),
        ("la cittÃ e il paese perchÃ©", "la città e il paese perché"),
        // French `à` alone, in a text with certain damage elsewhere.
        ("Il est allÃ© Ã  Paris", "Il est allé à Paris"),
    ];
    for (damaged, want) in cases {
        assert_eq!(repair(damaged).0, want, "from {damaged:?}");
    }
}

#[test]
fn doubled_mojibake_is_repaired_once_per_character() {
    let once = damage("La città è più bella, perché l’Unione");
    let twice = damage(&once);
    assert_eq!(
        twice,
        "La cittÃƒÂ\u{A0} ÃƒÂ¨ piÃƒÂ¹ bella, perchÃƒÂ© lÃ¢â‚¬â„¢Unione"
    );
    let (text, n) = repair(&twice);
    assert_eq!(text, "La città è più bella, perché l’Unione");
    assert_eq!(n, 5);
    assert_eq!(repair("cittÃƒÂ ").0, "città");
    assert_eq!(repair("cittÃƒÂ  Ã¨").0, "città è");
}

#[test]
fn damage_of_every_latin1_letter_round_trips() {
    let letters: String = ('\u{C0}'..='\u{FF}').collect();
    let sentence = format!("Le lettere {letters} e la città, più perché ÀÈÉÌÒÙ — “ok” … €.");
    assert_eq!(repair(&damage(&sentence)).0, sentence);
}

#[test]
fn damage_mixed_with_correct_text_in_one_sentence() {
    // Someone fixed half the article by hand: the correct half stays, the rest is repaired.
    assert_eq!(
        repair("La città è bella, ma la cittÃ  Ã¨ piÃ¹ bella perchÃ© sÃ¬.").0,
        "La città è bella, ma la città è più bella perché sì."
    );
    assert_eq!(
        repair("L’Unione e lâ€™Unione: “sì” e â€œsÃ¬â€\u{9D}").0,
        "L’Unione e l’Unione: “sì” e “sì”"
    );
}

#[test]
fn correct_text_is_never_changed() {
    for text in [
        // Italian
        "Perché la città è più sovrana? Così l’Unione, però, dà all’IA un’altra “possibilità” — È vero.",
        "PERCHÉ LA CITTÀ È PRONTA: LÀ, PIÙ, PERÒ; È’ un refuso, “CITTÀ”…",
        // English
        "The AI Act’s “high-risk” list — café owners, naïve users, résumé screening — costs €3 million.",
        // French
        "À l’Élysée, l’État a présenté « son plan » ; Âge, œuvre, Noël, ça, Ô, CRÉÉ, château, pâte.",
        "« ÂME » et « Â » ; L’ÎLE ; DÉJÀ… Ç’A ÉTÉ.",
        // German
        "Über die Äußerungen: „Künstliche Intelligenz“ – Größe, Straße, Fuß’, SPÄ“.",
        // Spanish
        "¿Qué año? ¡Olé! Ñandú, ESPAÑA…, “AÑO”, la señora Muñoz — inteligencia artificial.",
        // Portuguese and names
        "São Paulo, João, JOÃO, Ângela, irmã, maçã, ÃO, SÃO, “IRMÔ, «MAÇû, IRMÃ E MÃE, Ã.",
        // Symbols and prices
        "Prezzo: 10 € (± 2 %), 20 °C, © 2025 ™ ½ ¼ ¾ × ÷ • † ‡ ‰ ¶ § ¬ ¤ µ",
        "",
    ] {
        assert_eq!(repair(text), (text.to_string(), 0), "changed {text:?}");
    }
}

#[test]
#[ignore = "known limit of cerca-repair: `Ä–Ö` (a range of capitals) reads as damage of `ĖÖ`"]
fn a_range_of_capitals() {
    let text = "Über die Äußerungen: „Künstliche Intelligenz“ – Wörter von Ä–Ö.";
    assert_eq!(repair(text), (text.to_string(), 0));
}

#[test]
#[ignore = "known limit of cerca-repair: a list made only of what damage looks like is read as damage"]
fn fragments_that_are_exactly_damage() {
    let text = "Ã Ã, Â Â, Ä, Å, Ã—, Ê, Ð, Þórr, Øresund, Ærø, Ñ’, Ó”, Ò—, È’, Ì€";
    assert_eq!(repair(text), (text.to_string(), 0));
}

/// Every text file of the shipped corpus and the test fixtures: correct text, so no repairs and,
/// apart from NFC, no change.
#[test]
fn shipped_correct_text_gets_no_repairs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for dir in ["corpus", "tests/fixtures"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !["txt", "md", "text", "markdown"].contains(&ext) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let (fixed, n) = repair(&text);
            assert_eq!(n, 0, "{} got repairs", path.display());
            assert_eq!(fixed, text.nfc().collect::<String>(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 34, "only {seen} files");
}

#[test]
fn random_bytes_and_random_mojibake_never_panic_and_end_in_nfc() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Characters damage is made of, so the repair paths are exercised, not just skipped.
    let alphabet: Vec<char> = "ÃÂâÄÅÌÐÑðŸ€™’“”‚ƒ\u{A0}\u{88}\u{9D}\u{301} aeiouAEIOU.é¨©°«»‰ŒžÀÉ"
        .chars()
        .collect();
    for round in 0..3000 {
        let len = (rng.next() % 64) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let decoded = crate::ingest::decode::decode(&bytes, None);
        let text: String = if round % 2 == 0 {
            match decoded {
                Ok(t) => t,
                Err(_) => continue,
            }
        } else {
            (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect()
        };
        let (fixed, n) = repair(&text);
        assert!(is_nfc(&fixed), "not NFC from {text:?}");
        assert!(n <= text.chars().count(), "{n} repairs in {text:?}");
    }
}
