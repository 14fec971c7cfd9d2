//! Writes a synthetic news corpus for benchmarks, deterministic for a given seed.
//!
//! Words are drawn from real frequency lists (bench/vocab/LANG.tsv.gz, exported once from the
//! `wordfreq` package: 100,000 Italian words, 50,000 English and French ones), so the text has a
//! real language's Zipfian long tail: its vocabulary grows with its size as real prose does
//! (Heaps' law; `bench/heaps` measures it). Elided articles and prepositions are joined to the
//! next word (`dell'intelligenza`, `l'État`); names from the articles in corpus/, numbers and
//! percentages are mixed in. Most files are Italian, some English and French; titles, ISO dates
//! and paragraphs of realistic length. A few files are Latin-1 encoded or carry the seed
//! article's Thai mojibake, and some are HTML or JSON Lines news exports.
//!
//! `--vocab corpus` draws the words from the articles in corpus/ instead (the old corpus: about
//! 3,200 distinct words in 5,000 files, far narrower than real text).
//!
//! cargo run --release --example gen_corpus -- OUT_DIR FILES [SEED] [--vocab real|corpus]

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::Path;

/// splitmix64: small, fast, and the same numbers everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words of one language with cumulative counts, for sampling by frequency.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<u64>,
}

/// Italian and French words that drop their vowel before a vowel: `dell'` + `anno`.
const ELIDING: [&str; 21] = [
    "l", "dell", "all", "nell", "sull", "dall", "d", "c", "quest", "quell", "po", "j", "qu", "n",
    "s", "m", "t", "lorsqu", "puisqu", "jusqu", "presqu",
];

impl Vocabulary {
    /// A frequency list as exported by bench/vocab/export: `WORD<TAB>COUNT` lines.
    fn from_list(gz: &Path) -> Vocabulary {
        let file = fs::File::open(gz).unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{}: {e}", gz.display()));
        Vocabulary::from_pairs(text.lines().filter_map(|line| {
            let (w, c) = line.split_once('\t')?;
            Some((w.to_string(), c.parse::<u64>().ok()?))
        }))
    }

    /// Words with their counts, in the order given.
    fn from_pairs(pairs: impl IntoIterator<Item = (String, u64)>) -> Vocabulary {
        let mut total = 0;
        let (mut words, mut cumulative) = (Vec::new(), Vec::new());
        for (w, c) in pairs {
            total += c;
            words.push(w);
            cumulative.push(total);
        }
        Vocabulary { words, cumulative }
    }

    /// Words with their counts, sorted by word (the same draws for the same counts).
    fn from_counts(counts: HashMap<String, u64>) -> Vocabulary {
        let mut pairs: Vec<(String, u64)> = counts.into_iter().collect();
        pairs.sort();
        Vocabulary::from_pairs(pairs)
    }

    fn from_texts(texts: &[String]) -> Vocabulary {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for text in texts {
            for w in text.split_whitespace() {
                let w = w.trim_matches(|c: char| "*[]()#-“”\"".contains(c));
                if !w.is_empty() && !w.starts_with("http") {
                    *counts.entry(w.to_string()).or_default() += 1;
                }
            }
        }
        Vocabulary::from_counts(counts)
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap();
        let x = rng.next() % total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.words[i]
    }

    /// The next word of running text: mostly a word of the list; now and then a name or a
    /// number; an elided word joined to a next one beginning with a vowel.
    fn running_word(&self, rng: &mut Rng, names: &Vocabulary) -> String {
        match rng.below(1000) {
            0..=24 => return names.word(rng).to_string(),
            25..=39 => return number(rng),
            _ => {}
        }
        let w = self.word(rng);
        if !ELIDING.contains(&w) {
            return w.to_string();
        }
        for _ in 0..8 {
            let next = self.word(rng);
            let vowel = next.starts_with(['a', 'e', 'i', 'o', 'u', 'à', 'è', 'é', 'h']);
            if vowel && next.chars().count() > 2 {
                return format!("{w}'{next}");
            }
        }
        self.word(rng).to_string()
    }

    /// A sentence; with `names`, of running text (see `running_word`), else of words of the
    /// vocabulary as they are (the old corpus, draw for draw).
    fn sentence(&self, rng: &mut Rng, words: usize, names: Option<&Vocabulary>) -> String {
        let mut s = String::new();
        for i in 0..words {
            let w = match names {
                Some(names) => self.running_word(rng, names),
                None => self.word(rng).to_string(),
            };
            let w = w.trim_end_matches(['.', ',', ';', ':']);
            if names.is_some() && i > 0 && i + 1 < words && rng.below(12) == 0 {
                s.push(',');
            }
            if i == 0 {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    s.extend(first.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }

    fn paragraph(&self, rng: &mut Rng, names: Option<&Vocabulary>) -> String {
        let sentences = 2 + rng.below(5);
        (0..sentences)
            .map(|_| {
                let n = 8 + rng.below(18);
                self.sentence(rng, n, names)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A number as news writes them: a year, a count, a decimal, a percentage, an amount.
fn number(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("{}", 1990 + rng.below(40)),
        1 => format!("{}", 2 + rng.below(500)),
        2 => format!("{},{}", 1 + rng.below(99), rng.below(10)),
        3 => format!("{}%", 1 + rng.below(99)),
        _ => format!("{}.{:03}", 1 + rng.below(99), rng.below(1000)),
    }
}

/// Capitalised words of the articles in corpus/ that are not common words: people,
/// companies, places, laws.
fn names(corpus: &[Vocabulary], lists: &[(&'static str, Vocabulary)]) -> Vocabulary {
    let common: std::collections::HashSet<String> = lists
        .iter()
        .flat_map(|(_, v)| v.words.iter().take(20_000).cloned())
        .collect();
    let mut counts: HashMap<String, u64> = HashMap::new();
    for v in corpus {
        let mut previous = 0;
        for (w, &c) in v.words.iter().zip(&v.cumulative) {
            let clean = w.trim_matches(|c: char| !c.is_alphanumeric());
            let starts_upper = clean.chars().next().is_some_and(char::is_uppercase);
            if starts_upper && clean.chars().count() > 1 && !common.contains(&clean.to_lowercase())
            {
                *counts.entry(clean.to_string()).or_default() += c - previous;
            }
            previous = c;
        }
    }
    Vocabulary::from_counts(counts)
}

fn languages(corpus: &Path) -> Vec<(&'static str, Vocabulary)> {
    let mut by_lang: HashMap<&'static str, Vec<String>> = HashMap::new();
    for entry in fs::read_dir(corpus).expect("corpus/ next to Cargo.toml") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let lang = ["it", "en", "fr"]
            .into_iter()
            .find(|l| name.contains(&format!("_{l}_")));
        if let (Some(lang), Ok(text)) = (lang, fs::read_to_string(&path)) {
            by_lang.entry(lang).or_default().push(text);
        }
    }
    ["it", "en", "fr"]
        .into_iter()
        .map(|l| (l, Vocabulary::from_texts(&by_lang[l])))
        .collect()
}

/// Latin-1 bytes of `s` (characters beyond U+00FF become `?`).
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
        .collect()
}

/// The seed article's damage: UTF-8 read as TIS-620, bytes it has no character for lost.
fn thai_damage(s: &str) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        match b {
            0x00..=0x7F => out.push(b as char),
            0xA1..=0xDA | 0xDF..=0xFB => {
                out.push(char::from_u32(0x0E00 + u32::from(b) - 0xA0).unwrap())
            }
            _ => {}
        }
    }
    out
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen_corpus OUT_DIR FILES [SEED]");
        std::process::exit(2);
    }
    let out = Path::new(&args[1]);
    let files: usize = args[2].parse().expect("FILES is a number");
    let seed: u64 = args
        .get(3)
        .filter(|s| !s.starts_with("--"))
        .map_or(42, |s| s.parse().expect("SEED is a number"));
    let vocab = args
        .iter()
        .position(|a| a == "--vocab")
        .and_then(|i| args.get(i + 1))
        .map_or("real", String::as_str);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let from_corpus = languages(&root.join("corpus"));
    let (langs, names) = match vocab {
        "corpus" => (from_corpus, None),
        "real" => {
            let lists: Vec<(&'static str, Vocabulary)> = ["it", "en", "fr"]
                .into_iter()
                .map(|l| {
                    (
                        l,
                        Vocabulary::from_list(&root.join(format!("bench/vocab/{l}.tsv.gz"))),
                    )
                })
                .collect();
            let corpus: Vec<Vocabulary> = from_corpus.into_iter().map(|(_, v)| v).collect();
            let names = names(&corpus, &lists);
            (lists, Some(names))
        }
        other => {
            eprintln!("gen_corpus: --vocab takes real or corpus, not {other}");
            std::process::exit(2);
        }
    };
    let mut rng = Rng(seed);
    let mut bytes = 0u64;
    for i in 0..files {
        // 75% Italian, 15% English, 10% French
        let r = rng.below(100);
        let (lang, vocab) = &langs[if r < 75 {
            0
        } else if r < 90 {
            1
        } else {
            2
        }];
        let n = 5 + rng.below(6);
        let title = vocab.sentence(&mut rng, n, names.as_ref());
        let title = title.trim_end_matches('.');
        let date = format!(
            "20{:02}-{:02}-{:02}",
            18 + rng.below(8),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let paragraphs: Vec<String> = (0..2 + rng.below(6))
            .map(|_| vocab.paragraph(&mut rng, names.as_ref()))
            .collect();
        let dir = out.join(format!("{:03}", i / 1000));
        fs::create_dir_all(&dir).unwrap();
        let stem = format!("{i:06}_{lang}");
        let kind = rng.below(100);
        let (name, data): (String, Vec<u8>) = if kind < 2 {
            let text = format!("{title}\n{date}\n\n{}\n", paragraphs.join("\n\n"));
            (format!("{stem}_latin1.txt"), latin1(&text))
        } else if kind < 3 {
            let text = format!("{title}\n{date}\n\n{}\n", paragraphs.join("\n\n"));
            (
                format!("{stem}_damaged.txt"),
                thai_damage(&text).into_bytes(),
            )
        } else if kind < 8 {
            let body: String = paragraphs
                .iter()
                .map(|p| format!("<p>{}</p>\n", escape_html(p)))
                .collect();
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<meta property=\"article:published_time\" content=\"{date}\"></head>\n<body><nav><a href=\"/\">Home</a> <a href=\"/ai\">AI</a></nav>\n<article><h1>{t}</h1>\n{body}</article>\n<footer>Copyright</footer></body></html>\n",
                t = escape_html(title)
            );
            (format!("{stem}.html"), html.into_bytes())
        } else if kind < 10 {
            let lines: String = paragraphs
                .iter()
                .enumerate()
                .map(|(n, p)| {
                    let record = serde_json::json!({"title": format!("{title} ({n})"), "publishedAt": date, "content": p, "url": format!("https://example.org/{i}/{n}")});
                    format!("{record}\n")
                })
                .collect();
            (format!("{stem}.jsonl"), lines.into_bytes())
        } else {
            let md = kind < 40;
            let heading = if md {
                format!("# {title}")
            } else {
                title.to_string()
            };
            let text = format!("{heading}\n{date}\n\n{}\n", paragraphs.join("\n\n"));
            (
                format!("{stem}.{}", if md { "md" } else { "txt" }),
                text.into_bytes(),
            )
        };
        bytes += data.len() as u64;
        fs::write(dir.join(name), data).unwrap();
    }
    eprintln!(
        "wrote {files} files, {:.1} MB, to {}",
        bytes as f64 / 1e6,
        out.display()
    );
}
