//! `cerca stats` output: what the index holds, as aligned `label  value` lines for a person or
//! one JSON object for a program. Sources, folders and the index path come from file names and
//! documents, so they are sanitised on the terminal.

use std::io::{self, Write};

use serde::Serialize;

use super::json::write_line;
use super::sanitize::sanitize;
use super::terminal::group;

/// What the index holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub index: String,
    pub schema_version: u32,
    /// Distinct (file, record) pairs.
    pub documents: u64,
    pub files: u64,
    pub passages: u64,
    /// Documents per language, most first.
    pub languages: Vec<Count>,
    /// Documents per source, most first, the first few only.
    pub sources: Vec<Count>,
    pub distinct_sources: u64,
    /// `YYYY-MM-DD` of the earliest and latest dated documents.
    pub earliest: Option<String>,
    pub latest: Option<String>,
    /// Documents with no date.
    pub undated: u64,
    /// Bytes of the index folder's files.
    pub size_bytes: u64,
    pub roots: Vec<String>,
    /// When the last commit was written, local time, ISO 8601.
    pub last_update: Option<String>,
}

/// Documents of one language or source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub documents: u64,
}

pub fn stats_json<W: Write>(out: &mut W, stats: &Stats) -> io::Result<()> {
    write_line(out, stats)?;
    out.flush()
}

pub fn stats_text<W: Write>(out: &mut W, s: &Stats) -> io::Result<()> {
    let counts = |v: &[Count]| {
        let parts: Vec<String> = v
            .iter()
            .map(|c| format!("{} {}", sanitize(&c.name), group(c.documents)))
            .collect();
        parts.join(", ")
    };
    writeln!(
        out,
        "index        {} (schema {})",
        sanitize(&s.index),
        s.schema_version
    )?;
    writeln!(
        out,
        "documents    {} in {} files",
        group(s.documents),
        group(s.files)
    )?;
    writeln!(out, "passages     {}", group(s.passages))?;
    writeln!(out, "languages    {}", counts(&s.languages))?;
    let shown = s.sources.len() as u64;
    let more = if s.distinct_sources > shown {
        format!(" (top {shown} of {})", group(s.distinct_sources))
    } else {
        String::new()
    };
    writeln!(out, "sources      {}{more}", counts(&s.sources))?;
    let undated = match s.undated {
        0 => String::new(),
        n => format!(" ({} undated)", group(n)),
    };
    match (&s.earliest, &s.latest) {
        (Some(e), Some(l)) => writeln!(out, "dates        {e} – {l}{undated}")?,
        _ => writeln!(out, "dates        none{undated}")?,
    }
    writeln!(
        out,
        "size         {} ({} bytes)",
        human(s.size_bytes),
        group(s.size_bytes)
    )?;
    for (i, root) in s.roots.iter().enumerate() {
        let label = if i == 0 { "folders" } else { "" };
        writeln!(out, "{label:<13}{}", sanitize(root))?;
    }
    if s.roots.is_empty() {
        writeln!(out, "folders      none")?;
    }
    writeln!(
        out,
        "last update  {}",
        s.last_update.as_deref().unwrap_or("unknown")
    )?;
    out.flush()
}

/// `191.2 KiB`.
fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> Stats {
        Stats {
            index: "/tmp/index".into(),
            schema_version: 2,
            documents: 12_345,
            files: 12_000,
            passages: 1_234_567,
            languages: vec![
                Count {
                    name: "it".into(),
                    documents: 10_000,
                },
                Count {
                    name: "en".into(),
                    documents: 2_345,
                },
            ],
            sources: vec![Count {
                name: "news\x1b[2J".into(),
                documents: 12_345,
            }],
            distinct_sources: 3,
            earliest: Some("2023-01-02".into()),
            latest: Some("2025-09-17".into()),
            undated: 4,
            size_bytes: 3 * 1024 * 1024,
            roots: vec!["/news".into(), "/more\u{202e}".into()],
            last_update: Some("2025-11-30T23:10:05+01:00".into()),
        }
    }

    #[test]
    fn text_lines_are_aligned_grouped_and_sanitised() {
        let mut out = Vec::new();
        stats_text(&mut out, &stats()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "index        /tmp/index (schema 2)\n\
             documents    12 345 in 12 000 files\n\
             passages     1 234 567\n\
             languages    it 10 000, en 2 345\n\
             sources      news\\x1B[2J 12 345 (top 1 of 3)\n\
             dates        2023-01-02 – 2025-09-17 (4 undated)\n\
             size         3.0 MiB (3 145 728 bytes)\n\
             folders      /news\n\
             \x20            /more\\u{202E}\n\
             last update  2025-11-30T23:10:05+01:00\n"
        );
    }

    #[test]
    fn json_is_one_line() {
        let mut out = Vec::new();
        stats_json(&mut out, &stats()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["languages"][1]["name"], "en");
        assert_eq!(v["sources"][0]["name"], "news\x1b[2J");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human(0), "0 bytes");
        assert_eq!(human(1023), "1023 bytes");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(u64::MAX), "16777216.0 TiB");
    }
}
