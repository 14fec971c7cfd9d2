//! One candidate repair: the run of characters at a position read back through one code page
//! as UTF-8, further layers of damage undone while each earns its margin, and how much more
//! plausible the repair is than the text as written, in its context.

use crate::codepage::CodePage;
use crate::model::span_cost;
use crate::span::{MARGIN_WITH_EVIDENCE, PAGES, could_lead};
use crate::utf8::{self, End, byte, redecode, sequence};

/// Most layers of damage undone in one span.
const MAX_LAYERS: usize = 4;

/// A possible repair of the span `start..end`.
#[derive(Debug)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub repaired: String,
    pub pages: Vec<CodePage>,
    /// How much more plausible the repair is, in nats.
    pub gain: f32,
    /// The span has a U+FFFD: a decoder already failed there.
    pub lost: bool,
    /// The span ends in a plain space read as a lost no-break space.
    pub spaced: bool,
    /// The span starts with a capital right after a lowercase letter.
    pub closes_lowercase: bool,
}

/// The repair of the run of damaged characters at `pos` read through `page`, with further
/// layers undone while they improve it.
pub fn candidate(
    text: &str,
    pos: usize,
    page: CodePage,
    out: &str,
    last: usize,
) -> Option<Candidate> {
    let found = run(text, pos, page)?;
    let end = found.end;
    // The context before the span is the text as repaired so far.
    let mut before_chars = text[last..pos].chars().rev().chain(out.chars().rev());
    let b1 = before_chars.next();
    let b0 = before_chars.next();
    let before = [b0, b1];
    let after = after_context(text, end, page);
    let mut options = vec![found.decoded.clone()];
    if found.how == End::Space {
        // A no-break space that became a plain space left its lead attached to what came
        // before (`10Â km`, `Â«Â `) or stood for a letter (`cittÃ `); a lone `Â` is a word.
        let letter = found
            .decoded
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic);
        let attached = text[..found.last_start]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace());
        if !letter && !attached {
            return None;
        }
        if letter && after[0].is_some_and(|c| !c.is_whitespace()) {
            // The space may also have separated two words, if the text was re-spaced after the
            // damage (`cittÃ Ã¨`): the model decides.
            options.push(format!("{} ", found.decoded));
        }
    }
    let damaged = &text[pos..end];
    let original = span_cost(before, damaged, after);
    let judge = |repaired: &str| original - span_cost(before, repaired, after);
    let mut best: Option<Candidate> = None;
    for first in options {
        let (gain, repaired, pages) = layers(first, page, &judge);
        if best.as_ref().is_none_or(|b| gain > b.gain) {
            best = Some(Candidate {
                start: pos,
                end,
                repaired,
                pages,
                gain,
                lost: damaged.contains(char::REPLACEMENT_CHARACTER),
                spaced: found.how == End::Space,
                closes_lowercase: b1.is_some_and(char::is_lowercase)
                    && text[pos..].chars().next().is_some_and(char::is_uppercase),
            });
        }
    }
    best
}

/// The two characters after a span: as written, or as repaired when damage follows right away
/// (`cÃ´tÃ©`, `cittÃ Ã¨`), so that a span is not judged by its damaged neighbour.
fn after_context(text: &str, end: usize, page: CodePage) -> [Option<char>; 2] {
    let mut chars = text[end..].chars();
    let written = [chars.next(), chars.next()];
    let Some(next) = written[0].filter(|&c| could_lead(c, written[1])) else {
        return written;
    };
    let Some(following) = run(text, end, page) else {
        return written;
    };
    let mut repaired = following
        .decoded
        .chars()
        .chain(text[following.end..].chars());
    let guess = [repaired.next(), repaired.next()];
    // Only a repair that is damage beyond doubt replaces the context.
    let damaged = [Some(next), written[1]];
    let gain = span_cost([None, None], &text[end..following.end], [None, None])
        - span_cost([None, None], &following.decoded, [None, None]);
    if gain >= MARGIN_WITH_EVIDENCE {
        guess
    } else {
        damaged
    }
}

/// Undoes further layers of damage in `repaired` while that makes it more plausible.
fn layers(
    mut repaired: String,
    page: CodePage,
    judge: &impl Fn(&str) -> f32,
) -> (f32, String, Vec<CodePage>) {
    let mut pages = vec![page];
    let mut gain = judge(&repaired);
    for _ in 1..MAX_LAYERS {
        let next = PAGES
            .iter()
            .filter_map(|&p| redecode(&repaired, p).map(|r| (judge(&r), r, p)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match next {
            // Each layer is a further claim of damage: it must earn its own margin.
            Some((g, r, p)) if g >= gain + MARGIN_WITH_EVIDENCE => {
                gain = g;
                repaired = r;
                pages.push(p);
            }
            _ => break,
        }
    }
    (gain, repaired, pages)
}

/// A run of damaged characters read through a code page.
struct Run {
    end: usize,
    decoded: String,
    how: End,
    /// Where the run's last damaged character starts.
    last_start: usize,
}

/// The run of damaged characters at `pos` read through `page`. A run stops after a character
/// whose bytes were lost.
fn run(text: &str, pos: usize, page: CodePage) -> Option<Run> {
    let mut found = Run {
        end: pos,
        decoded: String::new(),
        how: End::Whole,
        last_start: pos,
    };
    while let Some(seq) = text[found.end..]
        .chars()
        .next()
        .filter(|&c| byte(page, c).and_then(utf8::sequence_len).is_some())
        .and_then(|_| sequence(text, found.end, page))
    {
        found.decoded.push(seq.decoded);
        found.last_start = found.end;
        found.end = seq.end;
        found.how = seq.how;
        if found.how != End::Whole {
            break;
        }
    }
    (found.end > pos).then_some(found)
}
