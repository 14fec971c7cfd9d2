//! Accent and case folding: the one normalisation that lets `SOVRANITÀ`, `sovranità` and
//! `sovranita` meet.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases `s` and strips its diacritics (`Città` → `citta`, `Œuvre` → `oeuvre`).
pub fn fold(s: &str) -> String {
    if is_folded(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether `s` is its own folding for certain (lowercase ASCII letters and digits only).
pub fn is_folded(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_and_accents() {
        for (input, want) in [
            ("SOVRANITÀ", "sovranita"),
            ("sovranità", "sovranita"),
            ("sovranita", "sovranita"),
            ("perché", "perche"),
            ("Città", "citta"),
            ("numérique", "numerique"),
            ("Œuvre", "oeuvre"),
            ("Übermäßig", "ubermaßig"),
            ("2024", "2024"),
        ] {
            assert_eq!(fold(input), want, "fold({input})");
        }
    }
}
