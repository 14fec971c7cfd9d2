//! How plausible a stretch of text is: a trigram model over character classes and the
//! likelihood of each character within its class, measured on correct text in many languages
//! (`examples/train.rs` builds both; `model.bin` and `chars.bin` are its output). A cost is a
//! negative log-probability: damage such as `Ã©` costs far more than `é`.

use crate::class::{self, COUNT, EDGE};

/// Costs are stored in eighths of a nat, one byte per trigram.
const SCALE: f32 = 8.0;

static COSTS: &[u8; COUNT * COUNT * COUNT] = include_bytes!("model.bin");

/// Per character (sorted): its code point in 4 little-endian bytes and its cost within its
/// class; then, per class, the cost of a character not listed.
static CHARS: &[u8] = include_bytes!("chars.bin");

/// The cost of `c` once its class is known, in nats.
fn char_cost(c: char, class: u8) -> f32 {
    let listed = (CHARS.len() - COUNT) / 5;
    let key = u32::from(c);
    let (mut lo, mut hi) = (0, listed);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let at = mid * 5;
        let k = u32::from_le_bytes([CHARS[at], CHARS[at + 1], CHARS[at + 2], CHARS[at + 3]]);
        match k.cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return f32::from(CHARS[at + 4]) / SCALE,
        }
    }
    f32::from(CHARS[listed * 5 + usize::from(class)]) / SCALE
}

/// The cost of class `c` after classes `a` and `b`, in nats.
fn cost(a: u8, b: u8, c: u8) -> f32 {
    let i = (usize::from(a) * COUNT + usize::from(b)) * COUNT + usize::from(c);
    f32::from(COSTS[i]) / SCALE
}

/// The cost of `middle` between the two characters before it and the two after it (fewer at the
/// text's edges), counting every trigram that ends inside `middle` or on the context after it.
pub fn span_cost(before: [Option<char>; 2], middle: &str, after: [Option<char>; 2]) -> f32 {
    let class = |c: Option<char>| c.map_or(EDGE, class::of);
    let mut a = class(before[0]);
    let mut b = class(before[1]);
    let mut total = 0.0;
    for ch in middle.chars() {
        let c = class::of(ch);
        total += cost(a, b, c) + char_cost(ch, c);
        a = b;
        b = c;
    }
    // The characters after the span are the same either way: only their classes' fit counts.
    for c in after.iter().map(|&c| class(c)) {
        total += cost(a, b, c);
        a = b;
        b = c;
    }
    total
}

/// Encodes a cost for `model.bin`.
#[doc(hidden)]
pub fn quantize(nats: f64) -> u8 {
    (nats * f64::from(SCALE)).round().clamp(0.0, 255.0) as u8
}
