//! Bytes to text, whatever the encoding: a BOM decides when there is one (UTF-8, UTF-16,
//! UTF-32); UTF-16 without a BOM is recognised by its NUL bytes; binary data is refused; valid
//! UTF-8 is taken as it is, and mostly-UTF-8 (by the share of valid sequences) costs its stray
//! bytes, not the file;
//! anything else is a legacy encoding — the one a document declares if encoding_rs knows it,
//! else the one chardetng detects (Windows-1252 for Western text, Windows-1250, ...).

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::IngestError;

/// How far into a file to look for the marks of binary content or of UTF-16.
const SNIFF: usize = 8192;

/// Text with more invalid sequences than this per byte is not UTF-8 with a few stray bytes.
const STRAY_PER_BYTE: usize = 1000;

/// Decodes a file's bytes. `declared` is the charset the document names for itself (HTML
/// `<meta charset>`, XML `encoding=`), if any: it wins over detection, but not over valid UTF-8,
/// because declarations are often wrong and valid UTF-8 almost never is.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, IngestError> {
    if let Some(text) = with_bom(bytes)? {
        return Ok(text);
    }
    if let Some(text) = utf16_without_bom(bytes).and_then(|unit| utf16_strict(bytes, unit)) {
        return Ok(text);
    }
    if looks_binary(&bytes[..bytes.len().min(SNIFF)]) {
        return Err(IngestError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    // A declared UTF-8 (or UTF-16, which a byte-oriented document cannot really be) says nothing
    // the bytes did not already say: the UTF-8 checks below decide.
    let declared = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(Encoding::output_encoding)
        .filter(|&e| e != UTF_8 && e != encoding_rs::REPLACEMENT);
    if let Some(encoding) = declared {
        return Ok(legacy(bytes, encoding));
    }
    if mostly_utf8(bytes) {
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    Ok(legacy(bytes, detector.guess(None, Utf8Detection::Deny)))
}

/// The text after a byte-order mark, or `None` when there is no BOM.
fn with_bom(bytes: &[u8]) -> Result<Option<String>, IngestError> {
    // UTF-32 LE starts like UTF-16 LE: test it first.
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\x00\x00") {
        return Ok(Some(utf32(rest, u32::from_le_bytes)));
    }
    if let Some(rest) = bytes.strip_prefix(b"\x00\x00\xFE\xFF") {
        return Ok(Some(utf32(rest, u32::from_be_bytes)));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(Some(String::from_utf8_lossy(rest).into_owned()));
    }
    for (bom, encoding) in [(b"\xFF\xFE", UTF_16LE), (b"\xFE\xFF", UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            // A few broken units cost themselves; many mean the BOM was a coincidence.
            if had_errors && replacements(&text) * STRAY_PER_BYTE > rest.len() {
                return Err(IngestError::BadUtf16);
            }
            return Ok(Some(text.into_owned()));
        }
    }
    Ok(None)
}

fn replacements(text: &str) -> usize {
    text.chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count()
}

fn utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> String {
    bytes
        .chunks(4)
        .map(|c| match <[u8; 4]>::try_from(c) {
            Ok(b) => char::from_u32(unit(b)).unwrap_or(char::REPLACEMENT_CHARACTER),
            Err(_) => char::REPLACEMENT_CHARACTER,
        })
        .collect()
}

/// Which UTF-16 the start of `bytes` looks like: Western text in UTF-16 has a NUL as the high
/// byte of nearly every unit and almost never a NUL as the low byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sniff = &bytes[..bytes.len().min(SNIFF) & !1];
    let units = sniff.len() / 2;
    if units < 2 {
        return None;
    }
    let nul_at = |parity: usize| sniff.iter().skip(parity).step_by(2).filter(|&&b| b == 0);
    let (even, odd) = (nul_at(0).count(), nul_at(1).count());
    let one_sided = |many: usize, few: usize| many * 10 >= units * 7 && few * 20 <= units;
    if one_sided(odd, even) {
        Some(UTF_16LE)
    } else if one_sided(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-16 that decodes cleanly into text, or `None` (then the bytes are probably binary).
fn utf16_strict(bytes: &[u8], encoding: &'static Encoding) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    let controls = text.chars().filter(|&c| is_binary_control(c)).count();
    (!text.contains('\0') && controls * 100 <= text.chars().count()).then(|| text.into_owned())
}

/// C0 controls that text files do not use (tab, newlines, form feed and escape they do).
fn is_binary_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0C' | '\x1B')
}

/// NUL bytes, or more than one byte in ten a control character, mean binary content.
fn looks_binary(sniff: &[u8]) -> bool {
    let controls = sniff
        .iter()
        .filter(|&&b| is_binary_control(b as char))
        .count();
    sniff.contains(&0) || controls * 10 > sniff.len()
}

/// Whether bytes that are not valid UTF-8 are UTF-8 with a few stray bytes rather than a legacy
/// encoding, by the share of the non-ASCII bytes that form valid sequences: at most one invalid
/// sequence per [`STRAY_PER_BYTE`] bytes, or at least as many bytes in valid multi-byte
/// sequences as bytes in invalid ones. In a legacy file each accented letter is an invalid byte
/// and a valid sequence is a coincidence (`Ã` followed by `©`), so it does not pass; a short
/// UTF-8 file with two stray bytes next to one `è` does.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid, mut invalid_bytes) = (0usize, 0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().len() - chunk.valid().chars().filter(char::is_ascii).count();
        invalid += usize::from(!chunk.invalid().is_empty());
        invalid_bytes += chunk.invalid().len();
    }
    valid > 0 && (invalid * STRAY_PER_BYTE <= bytes.len() || invalid_bytes <= valid)
}

fn legacy(bytes: &[u8], encoding: &'static Encoding) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests;
