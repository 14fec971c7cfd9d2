//! How plausible a stretch of text is, as a negative log-probability ("cost", in nats) under a
//! model measured on correct text in many languages (`examples/train.rs` builds it): a trigram
//! model over character classes times the likelihood of each character within its class,
//! interpolated (Witten-Bell) with character bigrams where the text had them. Damage such as
//! `Ã©` costs far more than `é`; `på` costs less than `pá`.

use std::sync::OnceLock;

use crate::class::{self, COUNT, EDGE};

/// Costs are stored in eighths of a nat, one byte each.
const SCALE: f32 = 8.0;

/// Class trigram costs, indexed by the three classes.
static COSTS: &[u8; COUNT * COUNT * COUNT] = include_bytes!("model.bin");

/// Per character, sorted by code point: the code point, its cost within its class, how often
/// it occurred and how many different characters followed it (little-endian u32, u8, u32,
/// u32); then, per class, the cost of a character not listed.
static CHARS: &[u8] = include_bytes!("chars.bin");
const CHAR_ENTRY: usize = 13;

/// Character pairs seen more than once, sorted: first, second, count (little-endian u32s).
static PAIRS: &[u8] = include_bytes!("pairs.bin");
const PAIR_ENTRY: usize = 12;

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// What the model knows of one character.
#[derive(Clone, Copy, Default)]
struct CharStats {
    /// Cost within its class.
    cost: f32,
    /// Occurrences, and distinct characters that followed it.
    count: f32,
    followers: f32,
}

/// Characters below this are looked up directly; the few listed above it by binary search.
const DIRECT: usize = 0x2600;

/// The tables of `chars.bin` and `pairs.bin`, decoded once.
struct Tables {
    /// Per code point below [`DIRECT`]; all zero for a character not listed.
    direct: Vec<CharStats>,
    /// Listed characters at or above [`DIRECT`], sorted.
    high: Vec<(u32, CharStats)>,
    /// Per class, the cost of a character not listed.
    unseen: [f32; COUNT],
    /// Pairs as `first << 32 | second`, sorted, and their counts.
    pair_keys: Vec<u64>,
    pair_counts: Vec<f32>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let listed = (CHARS.len() - COUNT) / CHAR_ENTRY;
        let mut unseen = [0.0; COUNT];
        for (class, cost) in unseen.iter_mut().enumerate() {
            *cost = f32::from(CHARS[listed * CHAR_ENTRY + class]) / SCALE;
        }
        let mut direct = vec![CharStats::default(); DIRECT];
        let mut high = Vec::new();
        for i in 0..listed {
            let at = i * CHAR_ENTRY;
            let code = u32_at(CHARS, at);
            let stats = CharStats {
                cost: f32::from(CHARS[at + 4]) / SCALE,
                count: u32_at(CHARS, at + 5) as f32,
                followers: u32_at(CHARS, at + 9) as f32,
            };
            match direct.get_mut(code as usize) {
                Some(slot) => *slot = stats,
                None => high.push((code, stats)),
            }
        }
        let pairs = PAIRS.len() / PAIR_ENTRY;
        let pair_keys = (0..pairs)
            .map(|i| {
                let at = i * PAIR_ENTRY;
                (u64::from(u32_at(PAIRS, at)) << 32) | u64::from(u32_at(PAIRS, at + 4))
            })
            .collect();
        let pair_counts = (0..pairs)
            .map(|i| u32_at(PAIRS, i * PAIR_ENTRY + 8) as f32)
            .collect();
        Tables {
            direct,
            high,
            unseen,
            pair_keys,
            pair_counts,
        }
    })
}

fn char_stats(c: char, class: u8) -> CharStats {
    let t = tables();
    match t.direct.get(c as usize) {
        // A listed character occurred at least once.
        Some(stats) if stats.count > 0.0 => return *stats,
        Some(_) => {
            return CharStats {
                cost: t.unseen[usize::from(class)],
                ..CharStats::default()
            };
        }
        None => {}
    }
    match t.high.binary_search_by_key(&u32::from(c), |&(k, _)| k) {
        Ok(at) => t.high[at].1,
        Err(_) => CharStats {
            cost: t.unseen[usize::from(class)],
            ..CharStats::default()
        },
    }
}

fn pair_count(first: char, second: char) -> f32 {
    let t = tables();
    let key = (u64::from(u32::from(first)) << 32) | u64::from(u32::from(second));
    t.pair_keys
        .binary_search(&key)
        .map_or(0.0, |at| t.pair_counts[at])
}

/// The cost of class `c` after classes `a` and `b`, in nats.
fn class_cost(a: u8, b: u8, c: u8) -> f32 {
    let i = (usize::from(a) * COUNT + usize::from(b)) * COUNT + usize::from(c);
    f32::from(COSTS[i]) / SCALE
}

/// The cost of character `ch` after `prev` and the classes `a`, `b` of the two characters
/// before it.
fn char_cost(prev: Option<char>, a: u8, b: u8, ch: char) -> f32 {
    let c = class::of(ch);
    let by_class = class_cost(a, b, c) + char_stats(ch, c).cost;
    let Some(prev) = prev.filter(|p| !(p.is_ascii() && ch.is_ascii())) else {
        return by_class;
    };
    let stats = char_stats(prev, class::of(prev));
    if stats.count == 0.0 {
        return by_class;
    }
    // A character seen only at the ends of lines still leaves room for what may follow it.
    let followers = stats.followers.max(1.0);
    let p = (pair_count(prev, ch) + followers * (-by_class).exp()) / (stats.count + followers);
    -p.ln()
}

/// The cost of `middle` between the two characters before it and the two after it (fewer at the
/// text's edges), counting every character of `middle` and of the context after it.
pub fn span_cost(before: [Option<char>; 2], middle: &str, after: [Option<char>; 2]) -> f32 {
    let class = |c: Option<char>| c.map_or(EDGE, class::of);
    let mut a = class(before[0]);
    let mut b = class(before[1]);
    let mut prev = before[1];
    let mut total = 0.0;
    for ch in middle.chars().map(Some).chain(after) {
        let Some(ch) = ch else {
            total += class_cost(a, b, EDGE);
            break;
        };
        total += char_cost(prev, a, b, ch);
        a = b;
        b = class::of(ch);
        prev = Some(ch);
    }
    total
}

/// Encodes a cost for the model's tables.
#[doc(hidden)]
pub fn quantize(nats: f64) -> u8 {
    (nats * f64::from(SCALE)).round().clamp(0.0, 255.0) as u8
}
