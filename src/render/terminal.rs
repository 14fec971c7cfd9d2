//! Output for a person: each hit as a heading (rank, title, date, language), a location line
//! (path:line, score) and the passage, indented, with matched words in bold red on a colour
//! terminal or between `**` markers otherwise. Control characters from files are made harmless.

use std::io::{self, Write};
use std::ops::Range;
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use super::display_path;
use crate::cmd::Summary;
use crate::search::Hit;

const MARK: &str = "**";

fn style(fg: AnsiColor) -> Style {
    Style::new().fg_color(Some(fg.into()))
}

pub fn hits_text<W: Write>(out: &mut W, hits: &[Hit], color: bool) -> io::Result<()> {
    let bold = Style::new().bold();
    let path_style = style(AnsiColor::Magenta);
    let line_style = style(AnsiColor::Green);
    let dim = Style::new().dimmed();
    for (i, hit) in hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let paint = |s: Style, text: &str| {
            if color {
                format!("{}{}{}", s.render(), text, s.render_reset())
            } else {
                text.to_string()
            }
        };
        write!(out, "{} ", paint(bold, &format!("{}.", hit.rank)))?;
        write_marked(out, &hit.title, &hit.title_highlights, color, Some(bold))?;
        let mut about = Vec::new();
        if let Some(d) = &hit.date {
            about.push(d.clone());
        }
        about.push(hit.lang.clone());
        writeln!(out, "  {}", paint(dim, &format!("({})", about.join(", "))))?;
        let page = hit.page.map(|p| format!(" (page {p})")).unwrap_or_default();
        writeln!(
            out,
            "   {}:{}{}  {}",
            paint(path_style, &sanitize(&display_path(&hit.path))),
            paint(line_style, &hit.line.to_string()),
            page,
            paint(dim, &format!("score {:.2}", hit.score))
        )?;
        if let Some(url) = &hit.url {
            writeln!(out, "   {}", paint(dim, &sanitize(url)))?;
        }
        let mut marked = Vec::new();
        write_marked(&mut marked, &hit.text, &hit.highlights, color, None)?;
        for line in String::from_utf8_lossy(&marked).lines() {
            writeln!(out, "   {line}")?;
        }
    }
    out.flush()
}

/// Writes `text` with `ranges` highlighted; `base` is the style of the unhighlighted text.
fn write_marked<W: Write>(
    out: &mut W,
    text: &str,
    ranges: &[Range<usize>],
    color: bool,
    base: Option<Style>,
) -> io::Result<()> {
    let hl = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let base = base.filter(|_| color);
    let mut at = 0;
    let plain = |out: &mut W, s: &str| -> io::Result<()> {
        match base {
            Some(b) => write!(out, "{}{}{}", b.render(), sanitize(s), b.render_reset()),
            None => write!(out, "{}", sanitize(s)),
        }
    };
    for r in ranges {
        plain(out, &text[at..r.start])?;
        let word = sanitize(&text[r.clone()]);
        if color {
            write!(out, "{}{}{}", hl.render(), word, hl.render_reset())?;
        } else {
            write!(out, "{MARK}{word}{MARK}")?;
        }
        at = r.end;
    }
    plain(out, &text[at..])
}

/// Replaces control characters (escape sequences in a file must not drive the terminal).
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// `12 added, 3 updated, 1 removed, 45 210 unchanged in 0.42 s`, then totals and problems.
pub fn summary_text<W: Write>(out: &mut W, s: &Summary, took: Duration) -> io::Result<()> {
    writeln!(
        out,
        "{} added, {} updated, {} removed, {} unchanged in {:.2} s",
        group(s.added),
        group(s.updated),
        group(s.removed),
        group(s.unchanged),
        took.as_secs_f64()
    )?;
    writeln!(
        out,
        "{} documents, {} passages in the index; {} files skipped, {} errors",
        group(s.documents),
        group(s.passages),
        group(s.skipped),
        group(s.errors.len() as u64)
    )?;
    out.flush()
}

/// Thousands separated by a space, as the summary line reads: `45 210`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        Hit {
            rank: 1,
            score: 7.123,
            path: "/nowhere/a.txt".into(),
            title: "Piano per l'AI".into(),
            date: Some("2025-02-11".into()),
            lang: "it".into(),
            line: 3,
            page: None,
            url: None,
            text: "Nuovi investimenti\nper l'AI.\x1b[31m".into(),
            highlights: vec![6..18, 25..27],
            title_highlights: vec![Range { start: 12, end: 14 }],
        }
    }

    #[test]
    fn plain_output_marks_matches_and_escapes_controls() {
        let mut out = Vec::new();
        hits_text(&mut out, &[hit()], false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "1. Piano per l'**AI**  (2025-02-11, it)\n   /nowhere/a.txt:3  score 7.12\n   Nuovi **investimenti**\n   per l'**AI**.\u{FFFD}[31m\n"
        );
    }

    #[test]
    fn colour_output_uses_ansi() {
        let mut out = Vec::new();
        hits_text(&mut out, &[hit()], true).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\x1b[1m\x1b[31minvestimenti\x1b[0m"), "{s:?}");
        assert!(!s.contains("**"));
    }

    #[test]
    fn summary_groups_thousands() {
        let s = Summary {
            added: 12,
            updated: 3,
            removed: 1,
            unchanged: 45210,
            ..Summary::default()
        };
        let mut out = Vec::new();
        summary_text(&mut out, &s, Duration::from_millis(420)).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("12 added, 3 updated, 1 removed, 45 210 unchanged in 0.42 s\n")
        );
    }
}
