//! Repair of text damaged by a wrong decode before it reached us: UTF-8 that someone read as
//! Windows-1252/Latin-1 ([`latin`], the common case, also when it happened twice) or as Thai
//! ([`thai`], the seed article), then saved again. Then the text is normalised to NFC. This runs
//! on every document, so clean text costs one scan and no repair work.

mod latin;
mod thai;

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// Repairs damaged text where it finds it and normalises the result to NFC.
/// Returns the text and how many damaged characters were repaired.
pub fn repair(text: &str) -> (String, usize) {
    let (text, latin) = latin::repair(text);
    let (text, thai) = thai::repair(&text);
    let nfc = if is_nfc(&text) {
        text.into_owned()
    } else {
        text.nfc().collect()
    };
    (nfc, latin + thai)
}

/// How many bytes a UTF-8 sequence starting with `b` has, if `b` can start one.
fn sequence_len(b: u8) -> Option<usize> {
    match b {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod latin_tests;
#[cfg(test)]
mod tests;
