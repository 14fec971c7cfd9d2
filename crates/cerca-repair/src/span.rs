//! Scanning a text for damaged spans and deciding each one on its own: where a candidate repair
//! may start (one table look-up rejects clean text), the measured margin a candidate must earn
//! (lower once the text shows certain damage), the text's own code page, and a second scan for
//! spans first judged next to damage.

use std::ops::Range;

use crate::candidate::{Candidate, candidate};
use crate::codepage::CodePage;
use crate::{Fix, codepage};

/// The code pages whose damage this module repairs. Latin-1 is covered by Windows-1252 (which
/// here also reads C1 controls as their own bytes); Thai damage loses bytes in its own way and
/// has its own module.
pub(crate) const PAGES: [CodePage; 5] = [
    CodePage::Windows1252,
    CodePage::MacRoman,
    CodePage::Windows1250,
    CodePage::Iso8859_2,
    CodePage::Cp437,
];

/// A repair must make the span this much more plausible, in nats, than the text as written:
/// the prior odds against damage at a span that happens to read back as UTF-8. Measured by
/// `examples/train.rs measure` on 2.3 million characters of correct text the model was not
/// built from (`model/clean_text.py bench`) and the same text damaged: no span of correct text
/// gains 6 nats or more, while 99.92% of damaged spans gain 12 or more.
pub const MARGIN: f32 = 12.0;

/// The margin once the same text has a span repaired with [`MARGIN`]: damage comes in
/// documents, not in single characters, so the odds against it are lower there. Measured as
/// above: 99.99% of damaged spans gain this much; one span of correct text in 2.3 million
/// characters does (a lost no-break space, which needs more than this margin, see `scan`).
pub const MARGIN_WITH_EVIDENCE: f32 = 4.0;

/// How many certain repairs are enough to tell which code page a text went through.
const VOTES: usize = 16;

/// Repairs the damaged spans of `text`, recording each in `fixes`; `None` when nothing changed.
/// Also says what the text holds that later stages look for (exactly when nothing changed).
/// A second scan judges spans that the first one saw next to damage (`cÃ´tÃ©`: `Ã´` before
/// `tÃ©` was repaired), without touching what the first one produced.
pub fn repair(text: &str, fixes: &mut Vec<Fix>) -> (Option<String>, Seen) {
    // Spans repaired with the full margin: none means nothing to repair; some are the evidence
    // that lowers the margin, and their code pages' votes (a sample is enough).
    let mut tally = Tally::default();
    let certain = Rules {
        margin: MARGIN,
        keep: &[],
        preferred: None,
        limit: VOTES,
    };
    if scan(text, &certain, &mut Vec::new(), &mut tally).is_none() {
        return (None, tally.seen);
    }
    // The code page that explains more of the certain repairs than any other.
    let votes = tally.votes;
    let most = votes.iter().copied().max().unwrap_or(0);
    let preferred = match votes.iter().filter(|&&v| v == most).count() {
        1 if most > 0 => votes.iter().position(|&v| v == most).map(|i| PAGES[i]),
        _ => None,
    };
    let mut rules = Rules {
        margin: MARGIN_WITH_EVIDENCE,
        keep: &[],
        preferred,
        limit: usize::MAX,
    };
    let mut tally = Tally::default();
    let Some((first, repaired)) = scan(text, &rules, fixes, &mut tally) else {
        return (None, Seen::ALL);
    };
    rules.keep = &repaired;
    let text = match scan(&first, &rules, fixes, &mut tally) {
        Some((second, _)) => second,
        None => first,
    };
    (Some(text), Seen::ALL)
}

/// How one scan judges spans.
struct Rules<'a> {
    margin: f32,
    /// Byte ranges not to touch: what an earlier scan repaired.
    keep: &'a [Range<usize>],
    /// The text's own code page, if its certain repairs show one.
    preferred: Option<CodePage>,
    /// Stop after this many repairs.
    limit: usize,
}

/// What a scan counts besides its repairs.
#[derive(Default)]
struct Tally {
    /// Per code page, the repairs it explains.
    votes: [usize; PAGES.len()],
    seen: Seen,
}

/// Repairs the spans of `text` that its rules accept. Returns the new text and the byte ranges
/// of the repairs in it.
fn scan(
    text: &str,
    rules: &Rules,
    fixes: &mut Vec<Fix>,
    tally: &mut Tally,
) -> Option<(String, Vec<Range<usize>>)> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut made = Vec::new();
    let mut last = 0;
    let mut i = 0;
    while let Some(pos) = next_non_ascii(bytes, i) {
        if made.len() >= rules.limit {
            // What was not scanned is not known.
            tally.seen = Seen::ALL;
            break;
        }
        let c = text[pos..].chars().next().unwrap_or(' ');
        tally.seen.note(c);
        i = pos + c.len_utf8();
        if !could_lead(c, text[i..].chars().next()) {
            continue;
        }
        let Some((best, agree)) = best_candidate(text, pos, &out, last, rules.preferred) else {
            continue;
        };
        // A U+FFFD in the span shows that a decoder already failed right here. A space read as a
        // lost no-break space is a guess that only other damage in the text can support, or
        // the case of the words: a capital (`Ã`) closing a lowercase word (`cittÃ `) is not
        // how any language writes.
        let needed = if best.lost {
            0.0
        } else if best.spaced && !best.closes_lowercase && rules.margin > MARGIN_WITH_EVIDENCE {
            f32::INFINITY
        } else {
            rules.margin
        };
        if best.gain < needed
            || rules
                .keep
                .iter()
                .any(|k| k.start < best.end && best.start < k.end)
        {
            continue;
        }
        for (vote, agrees) in tally.votes.iter_mut().zip(agree) {
            *vote += usize::from(agrees);
        }
        out.push_str(&text[last..best.start]);
        let at = out.len();
        out.push_str(&best.repaired);
        made.push(at..out.len());
        fixes.push(Fix {
            damaged: text[best.start..best.end].to_string(),
            repaired: best.repaired,
            code_pages: best.pages,
        });
        last = best.end;
        i = best.end;
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    // Ranges of the text kept so far shift with the repairs before them; the second scan only
    // needs the repairs of this one.
    Some((out, made))
}

/// Whether `c` followed by `next` can start damage in some code page: `c` is a lead byte there
/// and `next` is not plain ASCII (a continuation byte is never ASCII; a space may be a lost
/// no-break space). Clean text is rejected here, by one table look-up at most.
pub(crate) fn could_lead(c: char, next: Option<char>) -> bool {
    match next {
        // A space can only stand for the A0 that ends a two-byte sequence.
        Some(' ') => codepage::lead_flags(c).1,
        Some(n) if !n.is_ascii() => codepage::lead_flags(c).0,
        _ => false,
    }
}

/// The position of the first byte at or after `from` that is not ASCII: eight bytes at a time
/// through the long ASCII runs of most text.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(Ok(word)) = bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
        if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b >= 0x80)
        .map(|p| i + p)
}

/// What a scan saw of the text besides damage: whether later stages have anything to do.
#[derive(Clone, Copy, Debug, Default)]
pub struct Seen {
    /// A C1 control (Windows-1252 read as Latin-1?).
    pub c1: bool,
    /// A Thai letter (UTF-8 read as Thai?).
    pub thai: bool,
}

impl Seen {
    const ALL: Seen = Seen {
        c1: true,
        thai: true,
    };

    fn note(&mut self, c: char) {
        self.c1 |= ('\u{80}'..='\u{9F}').contains(&c);
        self.thai |= ('\u{E01}'..='\u{E5B}').contains(&c);
    }
}

/// The most plausible repair of damage starting at `pos`, over every code page and layer.
/// The text's own code page, when its other repairs show one, is preferred by this many nats:
/// one text's damage went through one program. (Set equal to [`MARGIN_WITH_EVIDENCE`], not
/// tuned.)
const SAME_PAGE: f32 = MARGIN_WITH_EVIDENCE;

/// The most plausible repair of damage starting at `pos`, over every code page and layer, and
/// which code pages repair it as well as the best does (ties are common: Windows-1250 and
/// ISO-8859-2 share most letters).
fn best_candidate(
    text: &str,
    pos: usize,
    out: &str,
    last: usize,
    preferred: Option<CodePage>,
) -> Option<(Candidate, [bool; PAGES.len()])> {
    let bonus = |c: &Candidate| {
        if Some(c.pages[0]) == preferred {
            SAME_PAGE
        } else {
            0.0
        }
    };
    let found: Vec<Option<Candidate>> = PAGES
        .iter()
        .map(|&page| candidate(text, pos, page, out, last))
        .collect();
    let best = found
        .iter()
        .flatten()
        .max_by(|a, b| (a.gain + bonus(a)).total_cmp(&(b.gain + bonus(b))))?;
    let agree = std::array::from_fn(|i| {
        found[i]
            .as_ref()
            .is_some_and(|c| c.repaired == best.repaired)
    });
    let index = PAGES.iter().position(|&p| p == best.pages[0]).unwrap_or(0);
    let mut found = found;
    let best = found[index].take()?;
    Some((best, agree))
}
