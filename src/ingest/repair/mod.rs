//! Repair of text damaged by a wrong decode before it reached us, through the workspace's
//! `cerca-repair` crate (UTF-8 read as Windows-1252, Latin-1, MacRoman, Windows-1250,
//! ISO-8859-2, cp437 or Thai, once or several times), then normalisation to NFC so that the
//! index sees one form of each accented letter. Clean text costs one scan and no copy.

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// Repairs damaged text where it finds it and normalises the result to NFC.
/// Returns the text and how many damaged characters were repaired.
pub fn repair(text: &str) -> (String, usize) {
    let repaired = cerca_repair::repair(text);
    let count = repaired.repaired_chars();
    let text = repaired.text;
    let nfc = if is_nfc(&text) {
        text.into_owned()
    } else {
        text.nfc().collect()
    };
    (nfc, count)
}

#[cfg(test)]
mod latin_tests;
#[cfg(test)]
mod tests;
