//! Repairs text damaged by a wrong decode ("mojibake"): UTF-8 whose bytes someone read through a
//! single-byte code page (Windows-1252, Latin-1, MacRoman, Windows-1250, ISO-8859-2, cp437 or
//! Thai Windows-874) and saved again, once or several times; and Windows-1252 read as Latin-1,
//! which leaves C1 control characters where quotes and dashes were.
//!
//! Each damaged span is decided on its own: a run of characters that reads back as UTF-8
//! through some code page is repaired only when the repaired text is more plausible in its
//! context than the text as written, judged by a model of character classes measured on correct
//! text in many languages. Correct text next to damage is left alone, and bytes the damage lost
//! become U+FFFD instead of a guess.
//!
//! ```
//! let fixed = cerca_repair::repair("La cittÃ  Ã¨ bella, lâ€™ha detto Zam√≤.");
//! assert_eq!(fixed.text, "La città è bella, l’ha detto Zamò.");
//! assert_eq!(fixed.fixes.len(), 4);
//!
//! // Correct text is returned as it is, without a copy.
//! let clean = cerca_repair::repair("Già: l’IA costa ≥ 5 € ☕ ┌─┐");
//! assert!(clean.fixes.is_empty());
//! ```

mod candidate;
mod class;
mod codepage;
mod model;
mod span;
mod thai;
mod utf8;

use std::borrow::Cow;

pub use codepage::CodePage;

/// Repaired text and what was repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired<'a> {
    /// The text with its damage repaired; borrowed when nothing needed repair.
    pub text: Cow<'a, str>,
    /// Each repaired span, in the order repairs were made.
    pub fixes: Vec<Fix>,
}

impl Repaired<'_> {
    /// How many characters the repairs produced (a damaged character counts once, however many
    /// layers of damage it had).
    pub fn repaired_chars(&self) -> usize {
        self.fixes.iter().map(|f| f.repaired.chars().count()).sum()
    }
}

/// One repaired span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The span as it was written.
    pub damaged: String,
    /// What it was repaired to.
    pub repaired: String,
    /// The code pages the damage went through, outermost first: `[Windows1252, Windows1252]`
    /// for text damaged twice.
    pub code_pages: Vec<CodePage>,
}

/// Repairs every damaged span of `text` that it is sure of. Never panics; clean text costs one
/// scan and is returned borrowed.
pub fn repair(text: &str) -> Repaired<'_> {
    let mut fixes = Vec::new();
    let mut current = Cow::Borrowed(text);
    let (repaired, seen) = span::repair(text, &mut fixes);
    if let Some(next) = repaired {
        current = Cow::Owned(next);
    }
    if seen.c1
        && let Some(next) = c1_controls(&current, &mut fixes)
    {
        current = Cow::Owned(next);
    }
    if seen.thai {
        let (thai, thai_fixes) = thai::repair(&current);
        if let Cow::Owned(next) = thai {
            fixes.extend(thai_fixes);
            current = Cow::Owned(next);
        }
    }
    Repaired {
        text: current,
        fixes,
    }
}

/// Windows-1252 read as Latin-1: the C1 controls it leaves (`\u{93}`) are the quotes, dashes and
/// letters Windows-1252 has at those bytes. Correct text has no C1 controls.
fn c1_controls(text: &str, fixes: &mut Vec<Fix>) -> Option<String> {
    let is_c1 = |c: char| ('\u{80}'..='\u{9F}').contains(&c);
    let mapped = |c: char| {
        CodePage::Windows1252
            .decode_byte(c as u8)
            .filter(|&m| m != c)
    };
    if !text.chars().any(|c| is_c1(c) && mapped(c).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match Some(c).filter(|&c| is_c1(c)).and_then(mapped) {
            Some(m) => {
                out.push(m);
                fixes.push(Fix {
                    damaged: c.to_string(),
                    repaired: m.to_string(),
                    code_pages: vec![CodePage::Latin1],
                });
            }
            None => out.push(c),
        }
    }
    Some(out)
}

/// Internals for the model's training tool and benchmarks; not part of the stable API.
#[doc(hidden)]
pub mod internals {
    pub use crate::candidate::candidate;
    pub use crate::class::{COUNT, EDGE, of as class_of};
    pub use crate::model::{quantize, span_cost};
    pub use crate::span::{MARGIN, MARGIN_WITH_EVIDENCE};
}

#[cfg(test)]
mod tests;

/// The README's example is compiled and run as a test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
