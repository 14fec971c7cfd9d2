//! Repair of UTF-8 that was read as Windows-1252 or Latin-1 and saved again ("mojibake"):
//! `città` became `cittÃ ` (C3 A0 read as `Ã` and a no-break space, often later a plain space),
//! `’` became `â€™`, and text damaged twice became `cittÃƒÂ `. Each damaged character stands
//! for one byte of the original; a run of them that maps back to valid UTF-8 is decoded back.
//!
//! Correct text must never change, so a run is repaired only when what it decodes to is
//! plausible (Latin letters, punctuation, symbols) and its context fits: a lowercase `é` from
//! `Ã©` inside a word is certain, while `Ã”` after a capital could be Portuguese (`IRMÃ”`) and
//! is repaired only in a text that shows certain damage elsewhere.

use std::borrow::Cow;

use super::sequence_len;

/// Each pass undoes one round of damage; text damaged more than this many times is left as is.
const MAX_PASSES: usize = 4;

/// Repairs the damage where it finds it; returns the text and how many damaged characters were
/// repaired (a character damaged twice counts once).
pub(super) fn repair(text: &str) -> (Cow<'_, str>, usize) {
    let mut current = Cow::Borrowed(text);
    let mut count = 0usize;
    let mut evidence = false;
    for round in 0..MAX_PASSES {
        let Some(pass) = pass(&current, &mut evidence) else {
            break;
        };
        // A later round joins characters an earlier one produced: `Ãƒ` `Â ` became `Ã` and a
        // no-break space, now `à`. Two repairs that were one character count as one.
        count = if round == 0 {
            pass.repaired
        } else {
            (count + pass.repaired).saturating_sub(pass.consumed)
        };
        current = Cow::Owned(pass.text);
    }
    (current, count)
}

/// How sure a repair is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Correct text does not look like this: repair.
    Certain,
    /// Correct text could look like this: repair only if the text has certain damage elsewhere.
    Likely,
}

/// A run of damaged characters in the text and what it stands for.
struct Fix {
    start: usize,
    end: usize,
    replacement: String,
    chars: usize,
    verdict: Verdict,
}

struct Pass {
    text: String,
    repaired: usize,
    /// Characters of the input that the repairs replaced.
    consumed: usize,
}

/// One round of repair, or `None` if it would change nothing. `evidence` remembers across
/// rounds whether certain damage was seen.
fn pass(text: &str, evidence: &mut bool) -> Option<Pass> {
    let bytes = text.as_bytes();
    let mut fixes = Vec::new();
    let mut i = 0;
    while let Some(at) = find_lead(&bytes[i..]) {
        let start = i + at;
        match run(text, start) {
            Some(fix) => {
                i = fix.end;
                fixes.push(fix);
            }
            None => i = start + 2,
        }
    }
    *evidence |= fixes.iter().any(|f| f.verdict == Verdict::Certain);
    let evidence = *evidence;
    fixes.retain(|f| f.verdict == Verdict::Certain || evidence);
    if fixes.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for fix in &fixes {
        out.push_str(&text[last..fix.start]);
        out.push_str(&fix.replacement);
        last = fix.end;
    }
    out.push_str(&text[last..]);
    Some(Pass {
        text: out,
        repaired: fixes.iter().map(|f| f.replacement.chars().count()).sum(),
        consumed: fixes.iter().map(|f| f.chars).sum(),
    })
}

/// Byte offset of the next character that can be a UTF-8 lead byte read as Windows-1252: `Â`
/// (C2) to `ô` (F4), all encoded as C3 82..=C3 B4. Text without any is not scanned further.
fn find_lead(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(2)
        .position(|w| w[0] == 0xC3 && (0x82..=0xB4).contains(&w[1]))
}

/// How a damaged sequence ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// Every byte is there.
    Whole,
    /// The final A0 byte of `Ã\u{A0}` or `Â\u{A0}` became a plain space.
    Space,
    /// The final 9D of `”` (E2 80 9D) was dropped: Windows-1252 has no character for it.
    Dropped,
}

/// One damaged character: what it was, where its damage ends, how many characters it took.
struct Sequence {
    decoded: char,
    lead: u8,
    len: usize,
    end: usize,
    chars: usize,
    how: End,
    /// A continuation byte was a C1 control character: correct text does not contain those.
    c1: bool,
}

/// The damaged run starting at `start`, if the characters there form plausible damage.
fn run(text: &str, start: usize) -> Option<Fix> {
    let mut seqs: Vec<Sequence> = Vec::new();
    let mut pos = start;
    while let Some(seq) = sequence(text, pos).filter(|s| plausible(s.decoded)) {
        pos = seq.end;
        let open = seq.how != End::Whole;
        seqs.push(seq);
        if open {
            break;
        }
    }
    let first = seqs.first()?;
    let before = text[..start].chars().next_back();
    let after = text[pos..].chars().next();
    let verdict = if seqs.len() > 1 {
        // Two damaged characters in a row are never an accident of correct text.
        Verdict::Certain
    } else {
        verdict(first, before, after)?
    };
    let mut replacement: String = seqs.iter().map(|s| s.decoded).collect();
    // The space that stood for A0 also separated words when the text was re-spaced: keep one.
    if seqs.last().is_some_and(|s| s.how == End::Space) && after.is_some_and(char::is_alphanumeric)
    {
        replacement.push(' ');
    }
    Some(Fix {
        start,
        end: pos,
        replacement,
        chars: seqs.iter().map(|s| s.chars).sum(),
        verdict,
    })
}

/// The damaged character starting at `pos`: a lead character and the continuation characters
/// it needs, mapped back to bytes and decoded.
fn sequence(text: &str, pos: usize) -> Option<Sequence> {
    let lead_char = text[pos..].chars().next()?;
    let lead = u8::try_from(lead_char as u32).ok()?;
    let len = sequence_len(lead)?;
    let mut bytes = [lead, 0, 0, 0];
    let mut end = pos + lead_char.len_utf8();
    let mut how = End::Whole;
    let mut c1 = false;
    for k in 1..len {
        let next = text[end..].chars().next();
        match next.and_then(continuation_byte) {
            Some(b) => {
                bytes[k] = b;
                c1 |= next.is_some_and(|c| ('\u{80}'..='\u{9F}').contains(&c));
                end += next.map_or(0, char::len_utf8);
            }
            None if len == 2 && next == Some(' ') && matches!(lead, 0xC2 | 0xC3) => {
                bytes[k] = 0xA0;
                end += 1;
                how = End::Space;
            }
            None if len == 3 && k == 2 && lead == 0xE2 && bytes[1] == 0x80 => {
                bytes[k] = 0x9D;
                how = End::Dropped;
            }
            None => return None,
        }
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    Some(Sequence {
        decoded,
        lead,
        len,
        end,
        chars: text[pos..end].chars().count(),
        how,
        c1,
    })
}

/// How sure the repair of a lone damaged character is, given the characters around it; `None`
/// when correct text is the better reading.
fn verdict(seq: &Sequence, before: Option<char>, after: Option<char>) -> Option<Verdict> {
    use Verdict::{Certain, Likely};
    let upper = |c: Option<char>| c.is_some_and(char::is_uppercase);
    let lower = |c: Option<char>| c.is_some_and(char::is_lowercase);
    let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let is_lower = seq.decoded.is_lowercase();
    match (seq.len, seq.lead) {
        _ if seq.c1 => Some(Certain),
        // `â€™`, `â€œ`, `ðŸ˜€`: a lowercase accented letter followed by two or three symbols
        // that all decode together is not a thing correct text does.
        (3 | 4, _) => Some(Certain),
        // `cittÃ ` is `città`; `Ã ` on its own may be French `à`; after a capital it is
        // Portuguese (`IRMÃ E`).
        (_, 0xC3) if seq.how == End::Space => match before {
            _ if lower(before) => Some(Certain),
            _ if letter(before) => None,
            _ => Some(Likely),
        },
        // `perchÃ©`, `Ã¨`; but `IRMÃ»` closes a Portuguese quote.
        (_, 0xC3) if is_lower => (!upper(before) || lower(after)).then_some(Certain),
        // `Ã‰TAT` is `ÉTAT`; `Ã”` at the end of a word may be a quote after Portuguese `Ã`.
        (_, 0xC3) => Some(if letter(after) { Certain } else { Likely }),
        (_, 0xC2) if seq.how == End::Space => (!upper(before)).then_some(Likely),
        // `Â°`, `Â«`, `Â©`: symbols after a stray `Â`, unless a capitalised word ends in `Â`.
        (_, 0xC2) => Some(if upper(before) { Likely } else { Certain }),
        // Central European letters: `Å‚` in `zÅ‚oty` is certain, `Ä“` after `SPÄ` is German.
        (_, 0xC4 | 0xC5) => Some(if lower(before) || lower(after) {
            Certain
        } else {
            Likely
        }),
        // Combining accents of decomposed text: they need a letter to sit on.
        (_, 0xCC | 0xCD) if !('\u{300}'..='\u{36F}').contains(&seq.decoded) => Some(Likely),
        (_, 0xCC | 0xCD) if lower(before) => Some(Certain),
        (_, 0xCC | 0xCD) => upper(before).then_some(Likely),
        // Greek and Cyrillic alone: only in a text already shown to be damaged.
        _ => Some(Likely),
    }
}

/// Whether a character is something damaged text plausibly stood for: Latin letters, accents,
/// Greek, Cyrillic, punctuation, currency, common symbols, emoji; not controls, CJK or scripts
/// whose UTF-8 lead bytes are capitals correct text pairs with punctuation.
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0x17F
        | 0x300..=0x4FF
        | 0x2000..=0x206F
        | 0x20A0..=0x20CF
        | 0x2100..=0x21FF
        | 0x2600..=0x27BF
        | 0xFB00..=0xFB06
        | 0x1F300..=0x1FAFF)
}

/// The byte a character stood for when it is a UTF-8 continuation byte (80..=BF) read as
/// Windows-1252 or, for the five bytes Windows-1252 leaves undefined and for C1 controls, as
/// Latin-1.
fn continuation_byte(c: char) -> Option<u8> {
    let byte = match c {
        '\u{80}'..='\u{BF}' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}
