//! `cerca show` output: a file's indexed text laid out by file line, for a person (numbered
//! lines under each document's heading, page headings in a PDF, matches marked as search marks
//! them) or for a program (one JSON object). Everything from the file goes through
//! [`sanitize`] on the terminal; highlight ranges index the original text, so each piece between
//! two range boundaries is sanitised on its own.

use std::io::{self, Write};
use std::ops::Range;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use super::display_path;
use super::json::write_line;
use super::sanitize::sanitize;
use crate::ingest::repair::Repair;

/// Gaps of up to this many lines that were not indexed are printed as blank numbered lines;
/// a longer one (an HTML page's head, a script) as one line saying how many were left out.
const MAX_BLANK_LINES: u64 = 5;

/// A file's indexed text, ready to print.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    /// The file's key in the index.
    pub path: String,
    /// The highlighted query, if one was given.
    pub query: Option<String>,
    /// The line asked for (`PATH:LINE`): `documents` start at it.
    pub from_line: Option<u64>,
    pub documents: Vec<ShownDocument>,
}

/// One document of the file (a file holds one, or a record per line in JSON Lines, an item per
/// entry in a feed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShownDocument {
    /// Its ordinal in the file.
    pub doc: u64,
    pub title: String,
    pub title_highlights: Vec<Range<usize>>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub lang: String,
    /// What repair changed in the file (the same for each of its documents).
    pub repairs: Vec<Repair>,
    pub url: Option<String>,
    /// The indexed lines, in file order (by page, then line).
    pub lines: Vec<ShownLine>,
}

/// One line of the file as cerca indexed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShownLine {
    /// 1-based, within `page` in a paged format.
    pub line: u64,
    pub page: Option<u64>,
    /// One line: no line feed.
    pub text: String,
    /// Byte ranges into `text`, sorted, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

#[derive(Serialize)]
struct Json<'a> {
    path: String,
    query: Option<&'a str>,
    from_line: Option<u64>,
    documents: Vec<JsonDocument<'a>>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    doc: u64,
    title: &'a str,
    title_highlights: Vec<JsonHighlight<'a>>,
    date: Option<&'a str>,
    source: Option<&'a str>,
    lang: &'a str,
    repairs: &'a [Repair],
    url: Option<&'a str>,
    lines: Vec<JsonLine<'a>>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    line: u64,
    page: Option<u64>,
    text: &'a str,
    highlights: Vec<JsonHighlight<'a>>,
}

#[derive(Serialize)]
struct JsonHighlight<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn highlights<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<JsonHighlight<'a>> {
    ranges
        .iter()
        .filter_map(|r| {
            Some(JsonHighlight {
                start: r.start,
                end: r.end,
                text: text.get(r.clone())?,
            })
        })
        .collect()
}

pub fn document_json<W: Write>(out: &mut W, shown: &Shown) -> io::Result<()> {
    let json = Json {
        path: display_path(&shown.path),
        query: shown.query.as_deref(),
        from_line: shown.from_line,
        documents: shown
            .documents
            .iter()
            .map(|d| JsonDocument {
                doc: d.doc,
                title: &d.title,
                title_highlights: highlights(&d.title, &d.title_highlights),
                date: d.date.as_deref(),
                source: d.source.as_deref(),
                lang: &d.lang,
                repairs: &d.repairs,
                url: d.url.as_deref(),
                lines: d
                    .lines
                    .iter()
                    .map(|l| JsonLine {
                        line: l.line,
                        page: l.page,
                        text: &l.text,
                        highlights: highlights(&l.text, &l.highlights),
                    })
                    .collect(),
            })
            .collect(),
    };
    write_line(out, &json)?;
    out.flush()
}

/// Colours, or none.
struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// `text` with `ranges` marked: bold red on a colour terminal, `**word**` otherwise; the
    /// rest in `base`. A range that does not fit the text is left unmarked.
    fn marked(&self, text: &str, ranges: &[Range<usize>], base: Style) -> String {
        let hl = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
        let mut out = String::new();
        let mut at = 0;
        for r in ranges {
            let (Some(before), Some(word)) = (text.get(at..r.start), text.get(r.clone())) else {
                continue;
            };
            out.push_str(&self.paint(base, &sanitize(before)));
            if self.color {
                out.push_str(&self.paint(hl, &sanitize(word)));
            } else {
                out.push_str(&format!("**{}**", sanitize(word)));
            }
            at = r.end;
        }
        out.push_str(&self.paint(base, &sanitize(text.get(at..).unwrap_or_default())));
        out
    }
}

pub fn document_text<W: Write>(out: &mut W, shown: &Shown, color: bool) -> io::Result<()> {
    let p = Paint { color };
    let dim = Style::new().dimmed();
    let bold = Style::new().bold();
    let number = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let width = shown
        .documents
        .iter()
        .flat_map(|d| d.lines.iter().map(|l| l.line))
        .max()
        .unwrap_or(1)
        .to_string()
        .len()
        .max(4);
    writeln!(
        out,
        "{}",
        p.paint(
            Style::new().fg_color(Some(AnsiColor::Magenta.into())),
            &sanitize(&display_path(&shown.path))
        )
    )?;
    let several = shown.documents.len() > 1 || shown.documents.first().is_some_and(|d| d.doc > 0);
    for doc in &shown.documents {
        writeln!(out)?;
        let mut about: Vec<String> = Vec::new();
        if several {
            about.push(format!("record {}", doc.doc + 1));
        }
        about.extend(doc.date.iter().map(|d| sanitize(d).into_owned()));
        about.extend(doc.source.iter().map(|s| sanitize(s).into_owned()));
        about.push(sanitize(&doc.lang).into_owned());
        writeln!(
            out,
            "{}  {}",
            p.marked(&doc.title, &doc.title_highlights, bold),
            p.paint(dim, &format!("({})", about.join(", ")))
        )?;
        if let Some(url) = &doc.url {
            writeln!(out, "{}", p.paint(dim, &sanitize(url)))?;
        }
        if !doc.repairs.is_empty() {
            writeln!(out, "{}", p.paint(dim, &repairs_line(&doc.repairs)))?;
        }
        let mut previous: Option<(Option<u64>, u64)> = None;
        for line in &doc.lines {
            match previous {
                Some((page, n)) if page == line.page => {
                    let gap = line.line.saturating_sub(n + 1);
                    if gap > MAX_BLANK_LINES {
                        writeln!(
                            out,
                            " {:>width$} │ {}",
                            "⋮",
                            p.paint(dim, &format!("({gap} lines not indexed)"))
                        )?;
                    } else {
                        for blank in n + 1..line.line {
                            writeln!(out, " {} │", p.paint(number, &format!("{blank:>width$}")))?;
                        }
                    }
                }
                _ => {
                    if let Some(page) = line.page {
                        writeln!(out, "{}", p.paint(dim, &format!("── page {page} ──")))?;
                    }
                }
            }
            let marked = shown.from_line == Some(line.line) && previous.is_none();
            let (marker, style) = if marked {
                (">", number.bold())
            } else {
                (" ", number)
            };
            let text = p.marked(&line.text, &line.highlights, Style::new());
            let gutter = p.paint(style, &format!("{:>width$}", line.line));
            if text.is_empty() {
                writeln!(out, "{marker}{gutter} │")?;
            } else {
                writeln!(out, "{marker}{gutter} │ {text}")?;
            }
            previous = Some((line.page, line.line));
        }
    }
    out.flush()
}

/// `repaired 12 spans: Ã¨ → è ×5 (windows-1252), … → … ×4, …`: what repair changed, so that a
/// reader sees why a word was found.
fn repairs_line(repairs: &[Repair]) -> String {
    const SHOWN: usize = 5;
    let total: usize = repairs.iter().map(|r| r.count).sum();
    let mut parts: Vec<String> = repairs
        .iter()
        .take(SHOWN)
        .map(|r| {
            format!(
                "{} → {} ×{} ({})",
                sanitize(&r.damaged),
                sanitize(&r.repaired),
                r.count,
                r.via.join(" then ")
            )
        })
        .collect();
    if repairs.len() > SHOWN {
        parts.push("…".to_string());
    }
    let spans = if total == 1 { "span" } else { "spans" };
    format!("repaired {total} {spans}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A range, built so that clippy does not take `vec![a..b]` for a mistake.
    fn r(start: usize, end: usize) -> Range<usize> {
        Range { start, end }
    }

    fn line(n: u64, text: &str, highlights: Vec<Range<usize>>) -> ShownLine {
        ShownLine {
            line: n,
            page: None,
            text: text.into(),
            highlights,
        }
    }

    fn shown() -> Shown {
        Shown {
            path: "/nowhere/a.txt".into(),
            query: Some("sovranità".into()),
            from_line: None,
            documents: vec![ShownDocument {
                doc: 0,
                title: "La sovranità".into(),
                title_highlights: vec![r(3, 13)],
                date: Some("2025-02-11".into()),
                source: Some("news".into()),
                lang: "it".into(),
                repairs: Vec::new(),
                url: None,
                lines: vec![
                    line(1, "La sovranità", vec![r(3, 13)]),
                    line(3, "Testo\x1b[2J con sovranità", vec![r(14, 24)]),
                    line(20, "Fine.", vec![]),
                ],
            }],
        }
    }

    #[test]
    fn lines_are_numbered_with_gaps_and_marks() {
        let mut out = Vec::new();
        document_text(&mut out, &shown(), false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "/nowhere/a.txt\n\
             \n\
             La **sovranità**  (2025-02-11, news, it)\n\
             \x20   1 │ La **sovranità**\n\
             \x20   2 │\n\
             \x20   3 │ Testo\\x1B[2J con **sovranità**\n\
             \x20   ⋮ │ (16 lines not indexed)\n\
             \x20  20 │ Fine.\n"
        );
    }

    #[test]
    fn the_line_asked_for_is_marked_and_pages_are_headings() {
        let mut s = shown();
        s.from_line = Some(3);
        s.documents[0].lines = vec![
            ShownLine {
                page: Some(2),
                ..line(3, "a", vec![])
            },
            ShownLine {
                page: Some(3),
                ..line(1, "b", vec![r(5, 1)])
            },
        ];
        let mut out = Vec::new();
        document_text(&mut out, &s, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("── page 2 ──\n>   3 │ a\n── page 3 ──\n    1 │ b\n"),
            "{text}"
        );
    }

    #[test]
    fn colour_marks_matches_in_red() {
        let mut out = Vec::new();
        document_text(&mut out, &shown(), true).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\x1b[1m\x1b[31msovranità\x1b[0m"), "{s:?}");
        assert!(!s.contains("**") && !s.contains("\x1b[2J"));
    }

    #[test]
    fn json_has_lines_with_highlights() {
        let mut out = Vec::new();
        document_json(&mut out, &shown()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let l = &v["documents"][0]["lines"][1];
        assert_eq!(l["line"], 3);
        assert_eq!(l["highlights"][0]["text"], "sovranità");
        assert_eq!(l["highlights"][0]["start"], 14);
        assert_eq!(v["documents"][0]["title_highlights"][0]["end"], 13);
    }

    #[test]
    fn repairs_are_listed_sanitised() {
        let repair = |damaged: &str, repaired: &str, count| Repair {
            damaged: damaged.into(),
            repaired: repaired.into(),
            via: vec!["windows-1252".into()],
            count,
        };
        let line = repairs_line(&[repair("Ã¨", "è", 5), repair("â€™\x1b[2J", "’", 1)]);
        assert_eq!(
            line,
            "repaired 6 spans: Ã¨ → è ×5 (windows-1252), â€™\\x1B[2J → ’ ×1 (windows-1252)"
        );
    }
}
