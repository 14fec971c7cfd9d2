//! Builds and checks the plausibility model from correct text, one message or paragraph a line
//! on standard input (`model/clean_text.py train` writes it).
//!
//! `cargo run -p cerca-repair --example train -- build < text` counts class trigrams and writes
//! `src/model.bin`; `... -- measure < text` (after a rebuild) prints the average cost of a
//! character of correct text, and how much repair gains on spans of correct text that happen to
//! read back as UTF-8 against spans of the same text damaged through each code page: the
//! margin in `span.rs` is set between the two.

use std::io::{BufRead, Write};

use cerca_repair::CodePage;
use cerca_repair::internals::{COUNT, EDGE, candidate, class_of, quantize, span_cost};

/// Strength of the back-off to the shorter context (a Dirichlet prior).
const PRIOR: f64 = 4.0;

fn main() -> std::io::Result<()> {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let lines: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    match mode.as_str() {
        "build" => build(&lines),
        "measure" => {
            measure(&lines);
            Ok(())
        }
        _ => {
            eprintln!("usage: train build|measure < text");
            std::process::exit(2);
        }
    }
}

fn classes(line: &str) -> Vec<u8> {
    let mut v = vec![EDGE, EDGE];
    v.extend(line.chars().map(class_of));
    v.push(EDGE);
    v
}

fn build(lines: &[String]) -> std::io::Result<()> {
    let n = COUNT;
    let mut uni = vec![0f64; n];
    let mut bi = vec![0f64; n * n];
    let mut tri = vec![0f64; n * n * n];
    for line in lines {
        let c = classes(line);
        for w in c.windows(3) {
            let (a, b, x) = (usize::from(w[0]), usize::from(w[1]), usize::from(w[2]));
            uni[x] += 1.0;
            bi[b * n + x] += 1.0;
            tri[(a * n + b) * n + x] += 1.0;
        }
    }
    let total: f64 = uni.iter().sum();
    let p_uni: Vec<f64> = uni
        .iter()
        .map(|&u| (u + 0.5) / (total + 0.5 * n as f64))
        .collect();
    let mut out = vec![0u8; n * n * n];
    for a in 0..n {
        for b in 0..n {
            let bi_total: f64 = (0..n).map(|x| bi[b * n + x]).sum();
            let tri_total: f64 = (0..n).map(|x| tri[(a * n + b) * n + x]).sum();
            for x in 0..n {
                let p_bi = (bi[b * n + x] + PRIOR * p_uni[x]) / (bi_total + PRIOR);
                let p = (tri[(a * n + b) * n + x] + PRIOR * p_bi) / (tri_total + PRIOR);
                out[(a * n + b) * n + x] = quantize(-p.ln());
            }
        }
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/model.bin");
    std::fs::File::create(path)?.write_all(&out)?;
    eprintln!("{} lines, {total} trigrams -> {path}", lines.len());
    chars(lines)
}

/// How likely each character is within its class (characters of the large scripts share their
/// class's average; one never seen costs as much as one seen half a time), how often it occurs
/// and how many characters follow it; and the character pairs seen more than once.
fn chars(lines: &[String]) -> std::io::Result<()> {
    let mut counts = std::collections::BTreeMap::<char, f64>::new();
    let mut pairs = std::collections::BTreeMap::<(char, char), u32>::new();
    let mut class_total = vec![0f64; COUNT];
    for line in lines {
        let mut prev: Option<char> = None;
        for c in line.chars() {
            *counts.entry(c).or_default() += 1.0;
            class_total[usize::from(class_of(c))] += 1.0;
            if let Some(p) = prev {
                *pairs.entry((p, c)).or_default() += 1;
            }
            prev = Some(c);
        }
    }
    let known = |c: char| !SHARED.contains(&class_of(c));
    let mut followers = std::collections::BTreeMap::<char, u32>::new();
    for &(p, _) in pairs.keys() {
        *followers.entry(p).or_default() += 1;
    }
    let mut out = Vec::new();
    for (&c, &n) in &counts {
        if !known(c) {
            continue;
        }
        let nats = -((n + 0.5) / (class_total[usize::from(class_of(c))] + 1.0)).ln();
        out.extend_from_slice(&u32::from(c).to_le_bytes());
        out.push(quantize(nats));
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&followers.get(&c).copied().unwrap_or(0).to_le_bytes());
    }
    for (class, &total) in class_total.iter().enumerate() {
        let unseen = if SHARED.contains(&(class as u8)) {
            let distinct = counts
                .keys()
                .filter(|&&c| usize::from(class_of(c)) == class)
                .count();
            (distinct.max(1) as f64).ln()
        } else {
            -(0.5 / (total + 1.0)).ln()
        };
        out.push(quantize(unseen));
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/chars.bin");
    std::fs::File::create(path)?.write_all(&out)?;
    let mut kept = Vec::new();
    for (&(p, c), &n) in &pairs {
        if n >= 2 && known(p) && known(c) && !(p.is_ascii() && c.is_ascii()) {
            kept.extend_from_slice(&u32::from(p).to_le_bytes());
            kept.extend_from_slice(&u32::from(c).to_le_bytes());
            kept.extend_from_slice(&n.to_le_bytes());
        }
    }
    let pairs_path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/pairs.bin");
    std::fs::File::create(pairs_path)?.write_all(&kept)?;
    eprintln!(
        "{} characters -> {path}, {} pairs -> {pairs_path}",
        (out.len() - COUNT) / 13,
        kept.len() / 12
    );
    Ok(())
}

/// Classes whose characters are not told apart: scripts with thousands of letters.
const SHARED: [u8; 2] = [13, 14];

/// The gain of the best candidate at each position where one exists.
fn gains(text: &str, pages: &[CodePage]) -> Vec<f32> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let best = pages
            .iter()
            .filter_map(|&p| candidate(text, i, p, "", 0))
            .max_by(|a, b| a.gain.total_cmp(&b.gain));
        match best {
            Some(b) if !c.is_ascii() => {
                found.push(b.gain);
                i = b.end;
            }
            _ => i += c.len_utf8(),
        }
    }
    found
}

fn measure(lines: &[String]) {
    let sample: Vec<&String> = lines.iter().step_by(7).collect();
    let pages = [
        CodePage::Windows1252,
        CodePage::MacRoman,
        CodePage::Windows1250,
        CodePage::Iso8859_2,
        CodePage::Cp437,
    ];
    let chars: usize = sample.iter().map(|l| l.chars().count()).sum();
    let cost: f32 = sample
        .iter()
        .map(|l| span_cost([None, None], l, [None, None]))
        .sum();
    println!(
        "average cost of a character: {:.2} nats",
        cost / chars as f32
    );
    let mut clean = Vec::new();
    for line in &sample {
        clean.extend(gains(line, &pages));
    }
    let mut damaged = Vec::new();
    for (k, line) in sample.iter().enumerate() {
        if line.is_ascii() {
            continue;
        }
        let page = pages[k % pages.len()];
        damaged.extend(gains(&page.decode(line.as_bytes(), false), &pages));
    }
    clean.sort_by(f32::total_cmp);
    damaged.sort_by(f32::total_cmp);
    println!(
        "{chars} characters of correct text in {} lines",
        sample.len()
    );
    println!(
        "candidates in correct text: {}; in damaged text: {}",
        clean.len(),
        damaged.len()
    );
    for margin in [0.0f32, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 15.0] {
        let false_ = clean.iter().filter(|&&g| g >= margin).count();
        let true_ = damaged.iter().filter(|&&g| g >= margin).count();
        println!(
            "margin {margin:>5.1}: correct spans repaired {false_:>6} ({:.2} per million chars), damaged spans repaired {:.2}%",
            false_ as f64 * 1e6 / chars as f64,
            true_ as f64 * 100.0 / damaged.len().max(1) as f64
        );
    }
    let top: Vec<String> = clean
        .iter()
        .rev()
        .take(10)
        .map(|g| format!("{g:.1}"))
        .collect();
    println!("largest gains on correct text: {}", top.join(" "));
    for line in &sample {
        let mut i = 0;
        while let Some(c) = line[i..].chars().next() {
            for page in pages {
                if let Some(found) = candidate(line, i, page, "", 0).filter(|f| f.gain >= 4.0) {
                    let span = &line[found.start..found.end];
                    println!(
                        "  {span:?} -> {:?} ({:.1}) in {line:?}",
                        found.repaired, found.gain
                    );
                }
            }
            i += c.len_utf8();
        }
    }
}
