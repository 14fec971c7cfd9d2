//! Micro-benchmarks of cerca's own text work: the analysis chains and the repair of damaged
//! text. Prints throughput in MB/s, the median of several runs over the shipped corpus repeated
//! to a few megabytes. Run with `cargo bench`.

use std::hint::black_box;
use std::time::Instant;

use cerca::analysis::{Analyzer, Lang};
use cerca::ingest::repair::repair;

const RUNS: usize = 7;
const TARGET_BYTES: usize = 8 << 20;

fn corpus_text() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut one = String::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        one.push_str(&std::fs::read_to_string(p).unwrap());
        one.push('\n');
    }
    one.repeat(TARGET_BYTES / one.len() + 1)
}

/// UTF-8 read as Windows-1252 and saved again, as a damaged web export would be.
fn latin_damage(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b < 0x80 {
                b as char
            } else {
                char::from_u32(u32::from(b)).unwrap()
            }
        })
        .collect()
}

fn measure(name: &str, bytes: usize, mut f: impl FnMut()) {
    let mut secs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    secs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = secs[RUNS / 2];
    println!(
        "{name:<40} {:>8.1} MB/s   (median of {RUNS}: {:.1} ms for {:.1} MB)",
        bytes as f64 / 1e6 / median,
        median * 1e3,
        bytes as f64 / 1e6
    );
}

fn main() {
    let text = corpus_text();
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let n = text.len();
    measure("analysis: exact chain", n, || {
        for p in &paragraphs {
            black_box(Analyzer::exact().tokens(p));
        }
    });
    measure("analysis: Italian stemmed chain", n, || {
        for p in &paragraphs {
            black_box(Analyzer::stemmed(Lang::It).tokens(p));
        }
    });
    measure("analysis: English stemmed chain", n, || {
        for p in &paragraphs {
            black_box(Analyzer::stemmed(Lang::En).tokens(p));
        }
    });
    measure("language detection", n, || {
        for p in &paragraphs {
            black_box(Lang::detect(p));
        }
    });
    measure("repair: clean text (nothing to do)", n, || {
        black_box(repair(&text));
    });
    let damaged = latin_damage(&text);
    measure(
        "repair: every accent damaged (cp1252)",
        damaged.len(),
        || {
            black_box(repair(&damaged));
        },
    );
    let seed = include_str!("../seeds/000_a9241dfd659960c7.txt").repeat(2000);
    measure("repair: Thai-damaged seed article", seed.len(), || {
        black_box(repair(&seed));
    });
}
