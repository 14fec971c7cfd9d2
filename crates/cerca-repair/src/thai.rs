//! Repair of text damaged by a wrong decode: UTF-8 bytes that were read as Thai (TIS-620 /
//! Windows-874) and saved again, so that `à` (C3 A0) became `ร` plus a lost byte, `è` (C3 A8)
//! became `รจ`, a dash (E2 80 93) became `โ`. Each Thai character stands for one byte of the
//! original; a short run of them that forms valid UTF-8 is decoded back, and the bytes the Thai
//! code page could not hold are inferred from the lead byte and the context. Real Thai text is
//! left alone: repair needs a Latin-script document and short, isolated runs.

use std::borrow::Cow;

use crate::{CodePage, Fix};

use crate::utf8::sequence_len;

/// A run longer than this is Thai writing, not damage (a damaged character is at most 4 bytes).
const MAX_RUN: usize = 4;

/// The original byte a character stands for, if it can be a byte of UTF-8 damaged this way.
fn byte_of(c: char) -> Option<u8> {
    let cp = c as u32;
    match cp {
        // TIS-620 puts U+0E01..=U+0E5B at 0xA1..=0xFB.
        0x0E01..=0x0E5B => Some((cp - 0x0E00 + 0xA0) as u8),
        0x00A0 => Some(0xA0),
        // The Windows-874 extras in 0x80..=0x9F.
        0x20AC => Some(0x80),
        0x2026 => Some(0x85),
        0x2018 => Some(0x91),
        0x2019 => Some(0x92),
        0x201C => Some(0x93),
        0x201D => Some(0x94),
        0x2022 => Some(0x95),
        0x2013 => Some(0x96),
        0x2014 => Some(0x97),
        _ => None,
    }
}

pub(crate) fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E5B}').contains(&c)
}

fn is_continuation(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// Repairs Thai-decoded UTF-8 where it finds it; returns the text and the repairs made.
pub(crate) fn repair(text: &str) -> (Cow<'_, str>, Vec<Fix>) {
    let thai = text.chars().filter(|&c| is_thai(c)).count();
    if thai == 0 {
        return (Cow::Borrowed(text), Vec::new());
    }
    let latin = text
        .chars()
        .filter(|c| c.is_alphabetic() && !is_thai(*c))
        .count();
    if latin <= thai {
        return (Cow::Borrowed(text), Vec::new());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut fixes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_thai(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = run_end(&chars, i);
        let before = out.chars().next_back();
        match decode_run(&chars[i..end], before, chars.get(end..).unwrap_or(&[])) {
            Some(decoded) => {
                let damaged = chars[i..(end + decoded.eaten_after).min(chars.len())]
                    .iter()
                    .collect();
                out.push_str(&decoded.text);
                fixes.push(Fix {
                    damaged,
                    repaired: decoded.text,
                    code_pages: vec![CodePage::Windows874],
                });
                i = end + decoded.eaten_after;
            }
            None => {
                out.extend(&chars[i..end]);
                i = end;
            }
        }
    }
    if fixes.is_empty() {
        return (Cow::Borrowed(text), fixes);
    }
    (Cow::Owned(out), fixes)
}

/// End of the run of damage-candidate characters starting at `start` (a Thai character).
fn run_end(chars: &[char], start: usize) -> usize {
    let mut end = start + 1;
    while end < chars.len() && byte_of(chars[end]).is_some() {
        // A typographic quote or dash is a byte of the run only right after a lead byte or
        // another continuation byte that still needs company; otherwise it is real punctuation.
        if !is_thai(chars[end]) && chars[end] != '\u{A0}' && !needs_more(&chars[start..end]) {
            break;
        }
        end += 1;
    }
    end
}

/// Whether the bytes of `run` end inside an unfinished UTF-8 sequence.
fn needs_more(run: &[char]) -> bool {
    let bytes: Vec<u8> = run.iter().filter_map(|&c| byte_of(c)).collect();
    let mut i = 0;
    let mut open = false;
    while i < bytes.len() {
        match sequence_len(bytes[i]) {
            Some(n) => {
                let have = bytes[i + 1..]
                    .iter()
                    .take(n - 1)
                    .take_while(|&&b| is_continuation(b))
                    .count();
                open = have < n - 1;
                i += 1 + have;
            }
            None => {
                open = false;
                i += 1;
            }
        }
    }
    open
}

struct Decoded {
    text: String,
    /// Characters after the run that belonged to the damage (a space that was a lost NBSP).
    eaten_after: usize,
}

/// Decodes one run, or `None` if it is not damaged UTF-8 (then it is left as it is).
fn decode_run(run: &[char], before: Option<char>, after: &[char]) -> Option<Decoded> {
    if run.len() > MAX_RUN || after.first().is_some_and(|&c| is_thai(c)) {
        return None;
    }
    let bytes: Vec<u8> = run.iter().map(|&c| byte_of(c)).collect::<Option<_>>()?;
    let mut text = String::new();
    let mut eaten_after = 0;
    let mut i = 0;
    while i < bytes.len() {
        let n = sequence_len(bytes[i])?;
        let have = bytes[i + 1..]
            .iter()
            .take(n - 1)
            .take_while(|&&b| is_continuation(b))
            .count();
        if have == n - 1 {
            text.push_str(std::str::from_utf8(&bytes[i..i + n]).ok()?);
        } else {
            let last = i + have + 1 == bytes.len();
            let guess = guess_lost(
                bytes[i],
                &bytes[i + 1..i + 1 + have],
                before,
                last.then_some(after),
            )?;
            text.push(guess.0);
            eaten_after = guess.1;
        }
        i += 1 + have;
    }
    Some(Decoded { text, eaten_after })
}

/// The character a sequence most likely was when the code page lost some of its bytes, and how
/// many characters after it to drop. `after` is the text after the run when the sequence ends it.
fn guess_lost(
    lead: u8,
    kept: &[u8],
    before: Option<char>,
    after: Option<&[char]>,
) -> Option<(char, usize)> {
    let letter_before = before.is_some_and(char::is_alphabetic);
    let after = after.unwrap_or(&[]);
    let letter_after = after.first().is_some_and(|c| c.is_alphabetic());
    match (lead, kept) {
        // C3 followed by a byte the code page had no character for: at the end of a word that is
        // `à` (C3 A0, the NBSP often turned into a space), `À` after capitals; alone, `È` (C3 88).
        (0xC3, []) if letter_before => {
            let upper = before.is_some_and(char::is_uppercase);
            let eaten = match after {
                [' ', p, ..] if ",.;:!?)»".contains(*p) => 1,
                _ => 0,
            };
            Some((if upper { 'À' } else { 'à' }, eaten))
        }
        (0xC3, []) if !letter_after => Some(('È', 0)),
        // C2 A0 is a no-break space.
        (0xC2, []) => Some(('\u{A0}', 0)),
        // E2 80 xx is general punctuation: between letters an apostrophe, otherwise a dash.
        (0xE2, []) | (0xE2, [0x80]) => Some(if letter_before && letter_after {
            ('’', 0)
        } else {
            ('–', 0)
        }),
        // Any other lost byte cannot be told: leave the run as it is.
        _ => None,
    }
}
