use encoding_rs::{ISO_8859_15, WINDOWS_1250, WINDOWS_1252};

use super::*;

fn ok(bytes: &[u8]) -> String {
    decode(bytes, None).unwrap()
}

fn utf16(s: &str, bom: bool, unit: fn(u16) -> [u8; 2]) -> Vec<u8> {
    let mark = if bom { Some(unit(0xFEFF)) } else { None };
    mark.into_iter()
        .chain(s.encode_utf16().map(unit))
        .flatten()
        .collect()
}

const ITALIAN: &str = "Perché la città è pronta: l’Unione investe 200 miliardi di € nell’IA.";

#[test]
fn empty_input_is_empty_text() {
    assert_eq!(ok(b""), "");
}

#[test]
fn utf8_with_and_without_bom() {
    assert_eq!(ok("città".as_bytes()), "città");
    assert_eq!(ok(b"\xEF\xBB\xBFcitt\xC3\xA0"), "città");
}

#[test]
fn utf16_with_and_without_bom() {
    for bom in [true, false] {
        let le = utf16(ITALIAN, bom, u16::to_le_bytes);
        let be = utf16(ITALIAN, bom, u16::to_be_bytes);
        assert_eq!(ok(&le), ITALIAN, "LE, bom {bom}");
        assert_eq!(ok(&be), ITALIAN, "BE, bom {bom}");
    }
    assert_eq!(ok(&utf16("però", true, u16::to_le_bytes)), "però");
}

#[test]
fn utf32_with_bom() {
    let le: Vec<u8> = "\u{FEFF}però €"
        .chars()
        .flat_map(|c| (c as u32).to_le_bytes())
        .collect();
    let be: Vec<u8> = "\u{FEFF}però €"
        .chars()
        .flat_map(|c| (c as u32).to_be_bytes())
        .collect();
    assert_eq!(ok(&le), "però €");
    assert_eq!(ok(&be), "però €");
}

#[test]
fn windows_1252_and_latin1_italian() {
    let (bytes, _, _) = WINDOWS_1252.encode(ITALIAN);
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(ok(&bytes), ITALIAN);
    // Plain Latin-1, short, one accent: still Latin-1, not UTF-8 with a stray byte.
    assert_eq!(ok(b"Citt\xe0 ok"), "Città ok");
    assert_eq!(ok(b"Citt\xe0\n\nPerch\xe9 no.\n"), "Città\n\nPerché no.\n");
}

#[test]
fn windows_1250_is_detected() {
    let czech = "Příliš žluťoučký kůň úpěl ďábelské ódy. Žádná změna se nekoná, řekl ministr.";
    let (bytes, _, _) = WINDOWS_1250.encode(czech);
    assert_eq!(ok(&bytes), czech);
}

#[test]
fn a_declared_charset_wins_over_detection_but_not_over_utf8() {
    let (bytes, _, _) = ISO_8859_15.encode("Prezzo: 10 € al mese");
    assert_eq!(bytes.as_ref(), b"Prezzo: 10 \xA4 al mese");
    assert_eq!(
        decode(&bytes, Some(" ISO-8859-15 ")).unwrap(),
        "Prezzo: 10 € al mese"
    );
    assert_eq!(decode(&bytes, None).unwrap(), "Prezzo: 10 ¤ al mese");
    assert_eq!(
        decode("città".as_bytes(), Some("windows-1252")).unwrap(),
        "città"
    );
    // A label encoding_rs does not know, or UTF-8 declared over Latin-1 bytes, is ignored.
    assert_eq!(decode(b"Citt\xe0", Some("x-unknown")).unwrap(), "Città");
    assert_eq!(decode(b"Citt\xe0", Some("utf-8")).unwrap(), "Città");
}

#[test]
fn a_stray_byte_in_utf8_costs_only_that_byte() {
    let mut bytes = ITALIAN.as_bytes().to_vec();
    bytes.insert(5, 0xFF);
    let text = ok(&bytes);
    assert_eq!(text.replace('\u{FFFD}', ""), ITALIAN);
    assert_eq!(text.matches('\u{FFFD}').count(), 1);
    // A stray byte inside a character breaks it (C3 FF A9): it costs that character too.
    let mut bytes = ITALIAN.as_bytes().to_vec();
    bytes.insert(6, 0xFF);
    assert_eq!(ok(&bytes).replace("\u{FFFD}\u{FFFD}\u{FFFD}", "é"), ITALIAN);
    // Long text with no other non-ASCII but a valid sequence far away: still UTF-8.
    let mut long = "a".repeat(5000).into_bytes();
    long.extend_from_slice("è".as_bytes());
    long.push(0x80);
    assert!(ok(&long).ends_with("è\u{FFFD}"));
}

#[test]
fn a_short_utf8_file_with_stray_bytes_stays_utf8() {
    // Issue 11: decoded as a whole by detection, this came out as Windows-1251 (`ГЁ`, `яю`).
    let text = ok(b"Il compito \xc3\xa8 affidato al comitato\xff\xfe.");
    assert_eq!(text, "Il compito è affidato al comitato\u{FFFD}\u{FFFD}.");
}

#[test]
fn many_invalid_bytes_are_a_legacy_encoding_not_lossy_utf8() {
    // One valid-looking sequence (Ã© in Latin-1 is the bytes C3 A9) among many Latin-1 accents.
    let bytes = b"Citt\xe0, perch\xe9, \xe8, pi\xf9, cos\xec, per\xf2 e \xc3\xa9 qui.";
    let text = ok(bytes);
    assert!(
        text.starts_with("Città, perché, è, più, così, però e Ã© qui."),
        "{text}"
    );
}

#[test]
fn binary_is_still_binary() {
    for bytes in [
        &b"\x7FELF\x02\x01\x00\x00"[..],
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"\x01\x02\x03\x04abc\x05\x06",
        &[1, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0][..],
    ] {
        assert!(
            matches!(decode(bytes, None), Err(IngestError::Binary)),
            "{bytes:?}"
        );
    }
}

#[test]
fn broken_utf16_behind_a_bom_is_reported() {
    let mut bytes = vec![0xFF, 0xFE];
    for _ in 0..4 {
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&u16::from(b'a').to_le_bytes());
    }
    assert!(matches!(decode(&bytes, None), Err(IngestError::BadUtf16)));
}
