//! Accent and case folding: the one normalisation that lets `SOVRANITÀ`, `sovranità` and
//! `sovranita` meet.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Lowercases `s` and strips its diacritics (`Città` → `citta`, `Œuvre` → `oeuvre`).
pub fn fold(s: &str) -> String {
    if is_folded(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let push = |out: &mut String, c: char| match c {
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        _ if is_combining_mark(c) => {}
        _ => out.extend(c.to_lowercase()),
    };
    for c in s.chars() {
        if c.is_ascii() {
            // Most characters of a word with an accent are still ASCII.
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_canonical(c, |d| push(&mut out, d));
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

    /// Folding character by character equals folding the NFD of the whole text.
    #[test]
    fn agrees_with_whole_text_decomposition() {
        use unicode_normalization::UnicodeNormalization;
        use unicode_normalization::char::is_combining_mark;
        let reference = |s: &str| -> String {
            let mut out = String::new();
            for c in s.nfd().filter(|&c| !is_combining_mark(c)) {
                match c {
                    'œ' | 'Œ' => out.push_str("oe"),
                    'æ' | 'Æ' => out.push_str("ae"),
                    _ => out.extend(c.to_lowercase()),
                }
            }
            out
        };
        let chars = ('\u{20}'..='\u{2ff}').chain('\u{1e00}'..='\u{1eff}');
        for c in chars {
            let s = format!("a{c}b{c}\u{301}");
            assert_eq!(fold(&s), reference(&s), "{s:?}");
        }
    }
}
