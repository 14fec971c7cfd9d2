//! Repair of text damaged by a wrong decode before it reached us, through the workspace's
//! `cerca-repair` crate (UTF-8 read as Windows-1252, Latin-1, MacRoman, Windows-1250,
//! ISO-8859-2, cp437 or Thai, once or several times), then normalisation to NFC so that the
//! index sees one form of each accented letter. Clean text costs one scan and no copy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// At most this many kinds of repair are kept per file (the most frequent); the rest are
/// counted in [`Report::chars`] only.
const MAX_KINDS: usize = 20;

/// One kind of repair made in a file, stored with its passages so that search results and
/// `cerca show` can say why a word was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// The span as the file had it.
    pub damaged: String,
    /// What it was repaired to.
    pub repaired: String,
    /// The code pages the damage went through, outermost first (`windows-1252`, ...).
    pub via: Vec<String>,
    /// How many times the file had this span.
    pub count: usize,
}

/// A file's text after repair.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub text: String,
    /// Characters the repairs produced.
    pub chars: usize,
    /// The kinds of repair, most frequent first.
    pub repairs: Vec<Repair>,
}

/// Repairs damaged text where it finds it and normalises the result to NFC.
/// Returns the text and how many damaged characters were repaired.
pub fn repair(text: &str) -> (String, usize) {
    let report = report(text);
    (report.text, report.chars)
}

/// Repairs damaged text, normalises it to NFC, and says what was repaired.
pub fn report(text: &str) -> Report {
    let repaired = cerca_repair::repair(text);
    let chars = repaired.repaired_chars();
    let mut kinds: BTreeMap<(&str, &str, Vec<&str>), usize> = BTreeMap::new();
    for fix in &repaired.fixes {
        let via = fix.code_pages.iter().map(|p| p.name()).collect();
        *kinds.entry((&fix.damaged, &fix.repaired, via)).or_default() += 1;
    }
    let mut repairs: Vec<Repair> = kinds
        .into_iter()
        .map(|((damaged, fixed, via), count)| Repair {
            damaged: damaged.to_string(),
            repaired: fixed.nfc().collect(),
            via: via.into_iter().map(str::to_string).collect(),
            count,
        })
        .collect();
    repairs.sort_by_key(|r| std::cmp::Reverse(r.count));
    repairs.truncate(MAX_KINDS);
    let text = repaired.text;
    let text = if is_nfc(&text) {
        text.into_owned()
    } else {
        text.nfc().collect()
    };
    Report {
        text,
        chars,
        repairs,
    }
}

#[cfg(test)]
mod latin_tests;
#[cfg(test)]
mod tests;
