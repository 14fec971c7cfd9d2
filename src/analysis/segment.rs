//! Unicode word boundaries (UAX #29), with a fast path for Latin-script text. Most words of
//! European news are ASCII or Latin letters with accents, and the general segmenter spends
//! several table lookups per character; for a run of such characters between spaces the rules
//! reduce to a few comparisons on a handful of classes. A run with any other character goes to
//! the general segmenter. A differential test holds the fast path to the general one.

use unicode_segmentation::UnicodeSegmentation;

/// The words of `text` with their byte offsets, as `unicode_word_indices` gives them.
#[cfg(test)]
pub fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut words = Vec::new();
    for_each_word(text, &mut Scratch::default(), |at, word| {
        words.push((at, word))
    });
    words.into_iter()
}

/// Buffers reused from text to text: the class and byte offset of each character of a run.
#[derive(Default)]
pub struct Scratch {
    classes: Vec<Class>,
    offsets: Vec<usize>,
}

/// Calls `f` with each word of `text` and its byte offset, in order, as `unicode_word_indices`
/// gives them.
pub fn for_each_word<'t>(text: &'t str, scratch: &mut Scratch, mut f: impl FnMut(usize, &'t str)) {
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
        if let Some(word) = lone_ascii_word(chunk) {
            f(start + word.start, &chunk[word]);
        } else if classify(chunk, &mut scratch.classes, &mut scratch.offsets) {
            fast_words(chunk, start, &scratch.classes, &scratch.offsets, &mut f);
        } else {
            for (i, w) in chunk.unicode_word_indices() {
                f(start + i, w);
            }
        }
        start = end;
    }
}

/// The one word of an ASCII run that is letters and digits between punctuation, such as
/// `(regolamento),` — the commonest run by far, decided without classifying each character.
/// Punctuation next to no letter or digit is a boundary on both sides; only `_` would join.
fn lone_ascii_word(chunk: &str) -> Option<std::ops::Range<usize>> {
    let b = chunk.as_bytes();
    let first = b.iter().position(u8::is_ascii_alphanumeric)?;
    let last = b.iter().rposition(u8::is_ascii_alphanumeric)?;
    let edges_are_punctuation = b[..first]
        .iter()
        .chain(&b[last + 1..])
        .all(|&c| c.is_ascii_punctuation() && c != b'_');
    let middle_is_alphanumeric = b[first..=last].iter().all(u8::is_ascii_alphanumeric);
    (edges_are_punctuation && middle_is_alphanumeric).then_some(first..last + 1)
}

/// UAX #29 word-break classes of the characters the fast path handles.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// ASCII and Latin-1/Latin Extended letters (ALetter)
    Letter,
    Numeric,
    /// `_`
    ExtendNumLet,
    /// `:`
    MidLetter,
    /// `.`, `'`, `‘` and `’` (MidNumLet and Single_Quote behave alike between letters or digits)
    MidNumLet,
    /// `,` and `;`
    MidNum,
    /// Any other ASCII character: always a boundary on both sides.
    Other,
}

fn ascii_class(b: u8) -> Class {
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

/// The class of `c`, or `None` for a character only the general segmenter handles.
fn class(c: char) -> Option<Class> {
    match c {
        _ if c.is_ascii() => Some(ascii_class(c as u8)),
        '\u{d7}' | '\u{f7}' => None,
        '\u{c0}'..='\u{24f}' => Some(Class::Letter),
        '\u{2018}' | '\u{2019}' => Some(Class::MidNumLet),
        _ => None,
    }
}

/// Fills the class and byte offset of each character of `chunk`; false if one is not handled.
fn classify(chunk: &str, classes: &mut Vec<Class>, offsets: &mut Vec<usize>) -> bool {
    classes.clear();
    offsets.clear();
    if chunk.is_ascii() {
        classes.extend(chunk.bytes().map(ascii_class));
        offsets.extend(0..chunk.len());
        return true;
    }
    for (i, c) in chunk.char_indices() {
        let Some(class) = class(c) else {
            return false;
        };
        classes.push(class);
        offsets.push(i);
    }
    true
}

/// Whether there is no word boundary between characters `j - 1` and `j` (rules WB5–WB13b).
fn joined(c: &[Class], j: usize) -> bool {
    use Class::*;
    let at = |k: usize| c.get(k).copied().unwrap_or(Other);
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

fn fast_words<'t>(
    chunk: &'t str,
    offset: usize,
    classes: &[Class],
    offsets: &[usize],
    f: &mut impl FnMut(usize, &'t str),
) {
    let mut i = 0;
    while i < classes.len() {
        let mut j = i + 1;
        while j < classes.len() && joined(classes, j) {
            j += 1;
        }
        // A segment is a word if it holds a letter or a digit.
        if classes[i..j]
            .iter()
            .any(|c| matches!(c, Class::Letter | Class::Numeric))
        {
            let end = offsets.get(j).copied().unwrap_or(chunk.len());
            f(offset + offsets[i], &chunk[offsets[i]..end]);
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
    fn agrees_with_the_general_segmenter_on_random_latin_text() {
        let alphabet: Vec<char> = "aZk09_.':,;-\"!?x \n\t/()àÈçœßøÿĀžƀɏ×÷‘’\u{a0}“—€"
            .chars()
            .collect();
        let mut rng = Rng(7);
        for _ in 0..50_000 {
            let len = (rng.next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect();
            let (fast, general) = both(&s);
            assert_eq!(fast, general, "on {s:?}");
        }
    }

    #[test]
    fn every_fast_path_character_agrees_in_every_context() {
        let fast_path = ('\u{0}'..='\u{24f}').chain(['\u{2018}', '\u{2019}']);
        for c in fast_path {
            for context in [
                "{}", "a{}b", "1{}2", "a{}", "{}b", "x'{}", "{}.1", "_{}_", "{}:{}",
            ] {
                let s = context.replace("{}", &c.to_string());
                let (fast, general) = both(&s);
                assert_eq!(fast, general, "on {s:?}");
            }
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
