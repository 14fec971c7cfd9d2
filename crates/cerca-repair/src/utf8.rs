//! Reading a run of characters back as the bytes a code page gave them and decoding those bytes
//! as UTF-8 (or CESU-8, the UTF-8 of surrogate pairs): one damaged character at a time, with the
//! ways real damage loses bytes — a byte the code page had no character for became U+FFFD or
//! was dropped, a no-break space became a plain space.

use crate::codepage::CodePage;

/// How many bytes a UTF-8 sequence starting with `b` has, if `b` can start one.
pub fn sequence_len(b: u8) -> Option<usize> {
    match b {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

fn is_continuation(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// The byte `c` was, if it was read through `page`. Windows-1252 stands for Latin-1 too: its C1
/// controls are read as their own bytes. Other code pages have C1 controls only where they
/// have them (ISO-8859-2 at 0x80..=0x9F, Windows-1250 at its five undefined bytes), which tells
/// ISO-8859-2 damage from Windows-1250 damage.
pub fn byte(page: CodePage, c: char) -> Option<u8> {
    page.encode_char(c).or_else(|| {
        (page == CodePage::Windows1252 && ('\u{80}'..='\u{9F}').contains(&c)).then_some(c as u8)
    })
}

/// How a damaged sequence ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Every byte was there, or lost ones left a U+FFFD each.
    Whole,
    /// The final A0 byte (a no-break space) became a plain space.
    Space,
    /// The final byte was dropped: the code page had no character for it.
    Dropped,
}

/// One damaged character read back: what it decodes to and the byte offset where it ends.
pub struct Sequence {
    pub decoded: char,
    pub end: usize,
    pub how: End,
}

/// The damaged character whose lead byte is the character at `pos` of `text`, read through
/// `page`, or `None` when the bytes there are not UTF-8.
pub fn sequence(text: &str, pos: usize, page: CodePage) -> Option<Sequence> {
    let lead_char = text[pos..].chars().next()?;
    let lead = byte(page, lead_char)?;
    let len = sequence_len(lead)?;
    let mut bytes = [lead, 0, 0, 0];
    let mut end = pos + lead_char.len_utf8();
    let mut lost = false;
    let mut how = End::Whole;
    for k in 1..len {
        let next = text[end..].chars().next();
        match next {
            Some(c) if byte(page, c).is_some_and(is_continuation) => {
                bytes[k] = byte(page, c).unwrap_or(0);
                end += c.len_utf8();
            }
            Some(char::REPLACEMENT_CHARACTER) => {
                // Which byte was lost is not known: a placeholder that keeps the prefix checks.
                bytes[k] = 0x80;
                lost = true;
                end += char::REPLACEMENT_CHARACTER.len_utf8();
            }
            Some(' ') if len == 2 && nbsp_is_a0(page) => {
                bytes[k] = 0xA0;
                end += 1;
                how = End::Space;
            }
            _ if len == 3 && k == 2 && lead == 0xE2 && bytes[1] == 0x80 && drops_9d(page) => {
                // `”` is E2 80 9D and Windows-1252 has no character for 9D: often dropped.
                bytes[k] = 0x9D;
                how = End::Dropped;
            }
            _ => return None,
        }
    }
    if lead == 0xED && (0xA0..=0xAF).contains(&bytes[1]) {
        return cesu(text, end, page, [bytes[0], bytes[1], bytes[2]]);
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    let decoded = if lost {
        char::REPLACEMENT_CHARACTER
    } else {
        decoded
    };
    Some(Sequence { decoded, end, how })
}

/// A surrogate pair in CESU-8: the high surrogate's three bytes are read, the low one's follow.
fn cesu(text: &str, mut end: usize, page: CodePage, high: [u8; 3]) -> Option<Sequence> {
    let mut low = [0u8; 3];
    for slot in &mut low {
        let c = text[end..].chars().next()?;
        *slot = byte(page, c)?;
        end += c.len_utf8();
    }
    if low[0] != 0xED || !(0xB0..=0xBF).contains(&low[1]) || !is_continuation(low[2]) {
        return None;
    }
    if !is_continuation(high[2]) {
        return None;
    }
    let unit = |b: [u8; 3]| (u32::from(b[1] & 0x0F) << 6) | u32::from(b[2] & 0x3F);
    let (hi, lo) = (unit(high), unit(low));
    let decoded = char::from_u32(0x10000 + (hi << 10) + lo)?;
    Some(Sequence {
        decoded,
        end,
        how: End::Whole,
    })
}

fn nbsp_is_a0(page: CodePage) -> bool {
    page.decode_byte(0xA0) == Some('\u{A0}')
}

fn drops_9d(page: CodePage) -> bool {
    page == CodePage::Windows1252
}

/// `text` read back as bytes through `page` and decoded as UTF-8, if every character maps to a
/// byte, the bytes are valid UTF-8 or CESU-8, and at least one character was more than a byte.
/// This undoes a further layer of damage inside a span already repaired once.
pub fn redecode(text: &str, page: CodePage) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut changed = false;
    while let Some(c) = text[pos..].chars().next() {
        if c.is_ascii() {
            out.push(c);
            pos += 1;
            continue;
        }
        let seq = sequence(text, pos, page)?;
        if seq.how != End::Whole || seq.decoded == char::REPLACEMENT_CHARACTER {
            return None;
        }
        out.push(seq.decoded);
        changed = true;
        pos = seq.end;
    }
    changed.then_some(out)
}
