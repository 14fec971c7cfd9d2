//! The cases issue 11 lists (each kind of damage the crate repairs, and correct text next to
//! damage), and the seed article's Thai damage.

use super::*;

fn fixed(s: &str) -> String {
    repair(s).text.into_owned()
}

/// Checks every case and reports all that fail.
fn check(cases: &[(&str, &str)]) {
    let failed: Vec<String> = cases
        .iter()
        .filter(|(damaged, want)| fixed(damaged) != *want)
        .map(|(damaged, want)| format!("{damaged:?} -> {:?}, want {want:?}", fixed(damaged)))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn smoke() {
    for (damaged, want) in [
        ("perchÃ© no", "perché no"),
        ("lâ€™Unione", "l’Unione"),
        ("ÃƒÂ©tÃƒÂ©", "été"),
    ] {
        assert_eq!(fixed(damaged), want, "from {damaged:?}");
    }
}

#[test]
fn issue_cases() {
    check(&[
        ("Zam√≤ e wei√ü", "Zamò e weiß"),
        // A no-break space lost to a space, with other damage in the text to support it.
        ("Å veices un Ä\u{8d}", "Šveices un č"),
        ("Å efÄ\u{8D}oviÄ\u{8D}", "Šefčovič"),
        (
            "\u{93}citazione\u{94} e \u{84}Handwerk",
            "“citazione” e „Handwerk",
        ),
        ("â€œlossy decodingâ€\u{FFFD}", "“lossy decoding\u{FFFD}"),
        ("SlovenÄ\u{FFFD}ina", "Sloven\u{FFFD}ina"),
        ("â‰¥40", "≥40"),
        ("perchÃ© Ã s", "perché às"),
        ("í\u{A0}½í¸€ ok", "😀 ok"),
        ("â”Œâ”€â”\u{90}", "┌─┐"),
        ("ÃƒÆ’Ã‚Â©tÃƒÆ’Ã‚Â©", "été"),
        ("Ã¢â‚¬Å“quoteÃ¢â‚¬Â\u{9D}", "“quote”"),
    ]);
}

const SEED: &str = include_str!("../../../seeds/000_a9241dfd659960c7.txt");

#[test]
fn seed_article_is_repaired() {
    let repaired = repair(SEED);
    assert!(
        repaired
            .text
            .contains("la sovranità tecnologica anche nell’AI")
    );
    assert_eq!(repaired.repaired_chars(), 18);
}
