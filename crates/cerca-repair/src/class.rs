//! Characters in a few dozen classes, the alphabet of the plausibility model: case, script and
//! the kind of punctuation or symbol matter for telling damage from text; which letter it is
//! does not.

/// How many classes there are.
pub const COUNT: usize = 41;

/// The class of lines' ends and of the text's edges.
pub const EDGE: u8 = 1;

/// The class of a character.
pub fn of(c: char) -> u8 {
    if c.is_ascii() {
        return ascii(c as u8);
    }
    match c as u32 {
        0x80..=0x9F => 29,
        0xA0 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => 24,
        0xAD | 0x200B..=0x200F | 0x2060..=0x206F | 0xFEFF => 25,
        0xA2..=0xA5 | 0x20A0..=0x20CF => 21,
        // Low quotes open (German, Polish, Czech); guillemets pair with spaces in French.
        0x201A | 0x201E => 37,
        0xAB | 0xBB | 0x2039 | 0x203A => 38,
        0x2018..=0x201F => 19,
        0xA8 | 0xAF | 0xB4 | 0xB8 | 0x2B0..=0x2FF => 23,
        0xB2 | 0xB3 | 0xB9 | 0xBC..=0xBE | 0x2070..=0x209F | 0x2150..=0x218F => 34,
        0xA1 | 0xA6 | 0xA7 | 0xA9 | 0xAA | 0xAC | 0xAE | 0xB0 | 0xB1 | 0xB5..=0xB7 | 0xBA => 22,
        0xBF | 0xD7 | 0xF7 => 22,
        // `Â` and `Ã` lead most damage of Latin text; in correct text they sit inside words.
        0xC2 | 0xC3 => 36,
        0xC0..=0xDE => 6,
        0xDF..=0xFF => 5,
        0x2010..=0x2017 | 0x2020..=0x2038 | 0x203B..=0x205E => 20,
        0x2100..=0x214F => 35,
        0x2190..=0x23FF | 0x27C0..=0x27FF | 0x2900..=0x2AFF => 26,
        0x2500..=0x25FF => 27,
        0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1FAFF => 28,
        0xFFFD => 31,
        0xE000..=0xF8FF | 0xF0000.. => 32,
        0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE00..=0xFE0F => 15,
        0x100..=0x17F | 0x1E00..=0x1EFF | 0xFB00..=0xFB06 => latin_case(c, 7),
        // Latin Extended-B and IPA: Romanian `ș` and pinyin, and many letters text rarely has.
        0x180..=0x2AF => latin_case(c, 39),
        0x370..=0x3FF | 0x1F00..=0x1FFF => latin_case(c, 9),
        0x400..=0x52F => latin_case(c, 11),
        0x2E80..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF => 14,
        _ if c.is_alphabetic() => 13,
        _ if c.is_numeric() => 34,
        _ if c.is_whitespace() => 24,
        _ if c.is_control() => 30,
        _ => 33,
    }
}

/// `lower` for a lowercase letter, `lower + 1` otherwise.
fn latin_case(c: char, lower: u8) -> u8 {
    if c.is_uppercase() { lower + 1 } else { lower }
}

fn ascii(b: u8) -> u8 {
    match b {
        b' ' | b'\t' => 0,
        b'\n' | b'\r' => EDGE,
        b'a'..=b'z' => 2,
        b'A'..=b'Z' => 3,
        b'0'..=b'9' => 4,
        b'.' | b',' | b';' | b':' | b'!' | b'?' => 16,
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'\'' | b'"' => 17,
        0x00..=0x1F | 0x7F => 30,
        _ => 18,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_in_range() {
        for cp in (0..0x11_0000).step_by(7) {
            if let Some(c) = char::from_u32(cp) {
                assert!(usize::from(of(c)) < COUNT, "{c:?}");
            }
        }
    }

    #[test]
    fn damage_and_text_fall_in_different_classes() {
        assert_eq!(of('é'), 5);
        assert_eq!(of('Ã'), 36);
        assert_eq!(of('É'), 6);
        assert_eq!(of('©'), 22);
        assert_eq!(of('™'), 35);
        assert_eq!(of('ł'), 7);
        assert_eq!(of('Ł'), 8);
        assert_eq!(of('€'), 21);
        assert_eq!(of('“'), 19);
        assert_eq!(of('\u{93}'), 29);
    }
}
