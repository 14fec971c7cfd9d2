//! The single-byte code pages that turn UTF-8 into mojibake when its bytes are read through
//! them: for each, the character every high byte (0x80..=0xFF) decodes to, and back. Tables come
//! from encoding_rs where it has the code page; Latin-1 and cp437 are written here.

use std::sync::OnceLock;

use encoding_rs::Encoding;

/// A code page UTF-8 bytes may have been read through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodePage {
    /// Windows-1252 as browsers decode it: the five bytes it leaves undefined become the C1
    /// controls at the same code points.
    Windows1252,
    /// ISO-8859-1: every byte is the code point of the same number (0x80..=0x9F are C1
    /// controls).
    Latin1,
    /// Mac OS Roman.
    MacRoman,
    /// Windows-1250 (Central European).
    Windows1250,
    /// ISO-8859-2 (Central European).
    Iso8859_2,
    /// IBM PC code page 437 (box drawing, Greek letters).
    Cp437,
    /// Windows-874, the Thai code page that extends TIS-620.
    Windows874,
}

impl CodePage {
    /// Every code page, in the order repair prefers them when two explain a span equally well.
    pub const ALL: [CodePage; 7] = [
        CodePage::Windows1252,
        CodePage::Latin1,
        CodePage::MacRoman,
        CodePage::Windows1250,
        CodePage::Iso8859_2,
        CodePage::Cp437,
        CodePage::Windows874,
    ];

    /// The code page's usual name.
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Windows1252 => "windows-1252",
            CodePage::Latin1 => "iso-8859-1",
            CodePage::MacRoman => "macintosh",
            CodePage::Windows1250 => "windows-1250",
            CodePage::Iso8859_2 => "iso-8859-2",
            CodePage::Cp437 => "ibm437",
            CodePage::Windows874 => "windows-874",
        }
    }

    /// The character byte `b` decodes to; `None` where the code page has none (some Thai bytes).
    pub fn decode_byte(self, b: u8) -> Option<char> {
        if b < 0x80 {
            return Some(b as char);
        }
        let c = high_half(self)[usize::from(b - 0x80)];
        (c != '\0').then_some(c)
    }

    /// The byte character `c` is in this code page, if it has one.
    pub fn encode_char(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(c as u8);
        }
        let b = bytes_of(c)?[self as usize];
        (b != 0).then_some(b)
    }

    /// Decodes bytes through this code page as a wrong decode would: bytes it has no character
    /// for are dropped when `drop_unmapped`, else become U+FFFD.
    pub fn decode(self, bytes: &[u8], drop_unmapped: bool) -> String {
        let mut out = String::with_capacity(bytes.len() * 2);
        for &b in bytes {
            match self.decode_byte(b) {
                Some(c) => out.push(c),
                None if drop_unmapped => {}
                None => out.push(char::REPLACEMENT_CHARACTER),
            }
        }
        out
    }
}

/// The characters of bytes 0x80..=0xFF; `'\0'` for a byte without one.
fn high_half(page: CodePage) -> &'static [char; 128] {
    static TABLES: OnceLock<[[char; 128]; 7]> = OnceLock::new();
    &TABLES.get_or_init(|| CodePage::ALL.map(build))[page as usize]
}

fn build(page: CodePage) -> [char; 128] {
    let mut table = ['\0'; 128];
    for (i, slot) in table.iter_mut().enumerate() {
        let b = 0x80 + i as u8;
        *slot = match page {
            CodePage::Latin1 => char::from(b),
            CodePage::Cp437 => CP437[i],
            _ => from_encoding(page, b),
        };
    }
    table
}

fn from_encoding(page: CodePage, b: u8) -> char {
    let encoding: &'static Encoding = match page {
        CodePage::Windows1252 => encoding_rs::WINDOWS_1252,
        CodePage::MacRoman => encoding_rs::MACINTOSH,
        CodePage::Windows1250 => encoding_rs::WINDOWS_1250,
        CodePage::Iso8859_2 => encoding_rs::ISO_8859_2,
        CodePage::Windows874 => encoding_rs::WINDOWS_874,
        CodePage::Latin1 | CodePage::Cp437 => unreachable!("tables written here"),
    };
    let bytes = [b];
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
    match text.chars().next() {
        Some(c) if !had_errors => c,
        _ => '\0',
    }
}

/// Every character some code page has in its high half, sorted, with its byte in each code page
/// (0 where it has none).
fn reverse() -> &'static [(char, [u8; 7])] {
    static REVERSE: OnceLock<Vec<(char, [u8; 7])>> = OnceLock::new();
    REVERSE.get_or_init(|| {
        let mut all: Vec<(char, [u8; 7])> = Vec::new();
        for page in CodePage::ALL {
            for (i, &c) in high_half(page).iter().enumerate() {
                if c == '\0' {
                    continue;
                }
                match all.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, bytes)) => bytes[page as usize] = 0x80 + i as u8,
                    None => {
                        let mut bytes = [0; 7];
                        bytes[page as usize] = 0x80 + i as u8;
                        all.push((c, bytes));
                    }
                }
            }
        }
        all.sort_unstable_by_key(|&(c, _)| c);
        all
    })
}

/// Characters below this have their lead flags in a direct table (every code page's characters
/// but the Apple logo and two ligatures are below it).
const DIRECT: usize = 0x2600;

/// Whether `c` is a UTF-8 lead byte in some code page but Windows-874: `(any lead, a two-byte
/// lead)`. Asked of every non-ASCII character of every text, so answered from a table.
pub(crate) fn lead_flags(c: char) -> (bool, bool) {
    static FLAGS: OnceLock<Vec<u8>> = OnceLock::new();
    // Thai damage is repaired by its own module, which finds its own runs.
    let flags = |bytes: &[u8; 7]| {
        let mut latin = bytes
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != CodePage::Windows874 as usize);
        let any = latin.clone().any(|(_, b)| (0xC2..=0xF4).contains(b));
        let two = latin.any(|(_, b)| (0xC2..=0xDF).contains(b));
        (any, two)
    };
    let index = c as usize;
    if index >= DIRECT {
        return in_any(c).map_or((false, false), flags);
    }
    let table = FLAGS.get_or_init(|| {
        let mut table = vec![0u8; DIRECT];
        for (c, bytes) in reverse() {
            if let Some(slot) = table.get_mut(*c as usize) {
                let (any, two) = flags(bytes);
                *slot = u8::from(any) | (u8::from(two) << 1);
            }
        }
        table
    });
    let f = table[index];
    (f & 1 != 0, f & 2 != 0)
}

/// `c`'s byte in each code page (0 where it has none), if some code page has it: from a direct
/// table below [`DIRECT`], by binary search above.
fn bytes_of(c: char) -> Option<&'static [u8; 7]> {
    static DIRECT_BYTES: OnceLock<Vec<[u8; 7]>> = OnceLock::new();
    let direct = DIRECT_BYTES.get_or_init(|| {
        let mut table = vec![[0u8; 7]; DIRECT];
        for (c, bytes) in reverse() {
            if let Some(slot) = table.get_mut(*c as usize) {
                *slot = *bytes;
            }
        }
        table
    });
    match direct.get(c as usize) {
        Some(bytes) => (*bytes != [0; 7]).then_some(bytes),
        None => in_any(c),
    }
}

/// Whether `c` is a high-half character of any code page.
pub(crate) fn in_any(c: char) -> Option<&'static [u8; 7]> {
    let table = reverse();
    table
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|at| &table[at].1)
}

/// IBM code page 437, bytes 0x80..=0xFF.
const CP437: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', //
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{A0}',
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_byte_round_trips() {
        for page in CodePage::ALL {
            for b in 0x80..=0xFFu8 {
                if let Some(c) = page.decode_byte(b) {
                    assert_eq!(page.encode_char(c), Some(b), "{page:?} {b:#x} {c:?}");
                }
            }
        }
    }

    #[test]
    fn known_characters() {
        assert_eq!(CodePage::MacRoman.decode_byte(0xC3), Some('√'));
        assert_eq!(CodePage::Windows1252.decode_byte(0x80), Some('€'));
        assert_eq!(CodePage::Windows1252.decode_byte(0x81), Some('\u{81}'));
        assert_eq!(CodePage::Latin1.decode_byte(0x93), Some('\u{93}'));
        assert_eq!(CodePage::Windows1250.decode_byte(0x8A), Some('Š'));
        assert_eq!(CodePage::Cp437.decode_byte(0xC3), Some('├'));
        assert_eq!(CodePage::Windows874.decode_byte(0xA1), Some('ก'));
        assert_eq!(CodePage::Windows874.decode_byte(0xDB), None);
    }
}
