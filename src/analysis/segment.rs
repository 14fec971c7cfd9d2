//! Unicode word boundaries (UAX #29), with a fast path for ASCII. Most words of European news
//! are plain ASCII, and the general segmenter spends a table lookup per character; for a run of
//! ASCII between spaces the rules reduce to a few comparisons. A differential test holds the fast
//! path to the general one.

use unicode_segmentation::UnicodeSegmentation;

/// The words of `text` with their byte offsets, as `unicode_word_indices` gives them.
pub fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut words = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    // Words never span white space: segment each run between ASCII white space on its own.
    while start < bytes.len() {
        if bytes[start].is_ascii_whitespace() {
            start += 1;
            continue;
        }
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(bytes.len(), |p| start + p);
        let chunk = &text[start..end];
        if chunk.is_ascii() {
            ascii_words(chunk, start, &mut words);
        } else {
            words.extend(chunk.unicode_word_indices().map(|(i, w)| (start + i, w)));
        }
        start = end;
    }
    words.into_iter()
}

/// UAX #29 word-break classes of the ASCII characters that are not white space.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `_`
    ExtendNumLet,
    /// `:`
    MidLetter,
    /// `.` and `'` (MidNumLet and Single_Quote behave alike between letters or digits)
    MidNumLet,
    /// `,` and `;`
    MidNum,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b'_' => Class::ExtendNumLet,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLet,
        b',' | b';' => Class::MidNum,
        _ => Class::Other,
    }
}

/// Whether there is no word boundary between `b[j - 1]` and `b[j]` (rules WB5–WB13b).
fn joined(b: &[u8], j: usize) -> bool {
    use Class::*;
    let at = |k: usize| b.get(k).map_or(Other, |&c| class(c));
    let before_prev = if j >= 2 { at(j - 2) } else { Other };
    match (at(j - 1), at(j)) {
        (Letter | Numeric, Letter | Numeric) => true,
        (Letter | Numeric | ExtendNumLet, ExtendNumLet) | (ExtendNumLet, Letter | Numeric) => true,
        (Letter, MidLetter | MidNumLet) => at(j + 1) == Letter,
        (MidLetter | MidNumLet, Letter) => before_prev == Letter,
        (Numeric, MidNum | MidNumLet) => at(j + 1) == Numeric,
        (MidNum | MidNumLet, Numeric) => before_prev == Numeric,
        _ => false,
    }
}

fn ascii_words<'a>(chunk: &'a str, offset: usize, out: &mut Vec<(usize, &'a str)>) {
    let b = chunk.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let mut j = i + 1;
        while j < b.len() && joined(b, j) {
            j += 1;
        }
        let word = &chunk[i..j];
        if word.bytes().any(|c| c.is_ascii_alphanumeric()) {
            out.push((offset + i, word));
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Rng;

    type Words<'a> = Vec<(usize, &'a str)>;

    fn both(text: &str) -> (Words<'_>, Words<'_>) {
        (
            word_indices(text).collect(),
            text.unicode_word_indices().collect(),
        )
    }

    #[test]
    fn agrees_with_the_general_segmenter_on_random_ascii() {
        let alphabet = b"aZk09_.':,;-\"!?x \n\t/()";
        let mut rng = Rng(7);
        for _ in 0..20_000 {
            let len = (rng.next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize] as char)
                .collect();
            let (fast, general) = both(&s);
            assert_eq!(fast, general, "on {s:?}");
        }
    }

    #[test]
    fn agrees_on_the_corpus_and_mixed_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let (fast, general) = both(&text);
            assert_eq!(fast, general);
        }
        for s in [
            "dell'intelligenza l’Unione U.S.A. 3,5 3.5% e.g. a:b _x_ città\u{a0}più AI-Act",
            "",
            "   ",
            "'.',;:",
        ] {
            let (fast, general) = both(s);
            assert_eq!(fast, general, "on {s:?}");
        }
    }
}
