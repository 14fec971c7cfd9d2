//! Output for a person: each hit as a heading (rank, title, date, language), a location line
//! (path:line, score) and the passage, indented, with matched words in bold red on a colour
//! terminal or between `**` markers otherwise. Every string from a file (title, date, path, URL,
//! passage) goes through [`super::sanitize`] first, so a file cannot drive the terminal.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use super::display_path;
use super::sanitize::{sanitize, sanitize_lines};
use crate::cmd::Summary;
use crate::search::Hit;

const MARK: &str = "**";

fn style(fg: AnsiColor) -> Style {
    Style::new().fg_color(Some(fg.into()))
}

/// Hits for a person; `full` shows whole passages rather than the fragment around the matches.
pub fn hits_text<W: Write>(out: &mut W, hits: &[Hit], color: bool, full: bool) -> io::Result<()> {
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
        let title = Marked {
            text: &hit.title,
            ranges: &hit.title_highlights,
            lines: false,
        };
        title.write(out, color, Some(bold))?;
        let mut about = Vec::new();
        if let Some(d) = &hit.date {
            about.push(sanitize(d));
        }
        if let Some(source) = &hit.source {
            about.push(sanitize(source));
        }
        about.push(sanitize(&hit.lang));
        writeln!(out, "  {}", paint(dim, &format!("({})", about.join(", "))))?;
        let page = hit.page.map(|p| format!(" (page {p})")).unwrap_or_default();
        let more = match hit.more_in_document {
            0 => String::new(),
            n => format!("  +{n} more in this document"),
        };
        writeln!(
            out,
            "   {}:{}:{}{}  {}{}",
            paint(path_style, &sanitize(&display_path(&hit.path))),
            paint(line_style, &hit.line.to_string()),
            hit.column,
            page,
            paint(dim, &format!("score {:.2}", hit.score)),
            paint(dim, &more)
        )?;
        if let Some(url) = &hit.url {
            writeln!(out, "   {}", paint(dim, &sanitize(url)))?;
        }
        let whole = 0..hit.text.len();
        let fits = |r: &Range<usize>| {
            r.start <= r.end
                && r.end <= hit.text.len()
                && hit.text.is_char_boundary(r.start)
                && hit.text.is_char_boundary(r.end)
        };
        let shown = if full || !fits(&hit.fragment) {
            whole
        } else {
            hit.fragment.clone()
        };
        let ranges: Vec<Range<usize>> = hit
            .highlights
            .iter()
            .filter(|r| shown.start <= r.start && r.end <= shown.end)
            .map(|r| r.start - shown.start..r.end - shown.start)
            .collect();
        let passage = Marked {
            text: &hit.text[shown.clone()],
            ranges: &ranges,
            lines: true,
        };
        let mut marked = Vec::new();
        if shown.start > 0 {
            marked.extend_from_slice("…".as_bytes());
        }
        passage.write(&mut marked, color, None)?;
        if shown.end < hit.text.len() {
            marked.extend_from_slice("…".as_bytes());
        }
        for line in String::from_utf8_lossy(&marked).lines() {
            writeln!(out, "   {line}")?;
        }
    }
    out.flush()
}

/// Each hit's path on a line of its own (the hits are one per document).
pub fn files<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        writeln!(out, "{}", sanitize(&display_path(&hit.path)))?;
    }
    out.flush()
}

/// `path:line:column:text`, one line per hit, the text being the matched line, trimmed: what
/// editors' quickfix lists and fzf read (ripgrep's `--vimgrep`).
pub fn vimgrep<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        let at = hit.highlights.first().map_or(0, |r| r.start);
        let from = hit.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let to = hit.text[at..].find('\n').map_or(hit.text.len(), |i| at + i);
        writeln!(
            out,
            "{}:{}:{}:{}",
            sanitize(&display_path(&hit.path)),
            hit.line,
            hit.column,
            sanitize(hit.text[from..to].trim())
        )?;
    }
    out.flush()
}

/// A field with the byte ranges of its matched words.
struct Marked<'a> {
    text: &'a str,
    /// Sorted, not overlapping, on character boundaries of `text`.
    ranges: &'a [Range<usize>],
    /// Whether the field may span lines (a passage) or must stay on one (a title).
    lines: bool,
}

impl Marked<'_> {
    /// Writes the text with its ranges highlighted; `base` styles the unhighlighted text. Each
    /// piece between two range boundaries is sanitised on its own: the ranges index the original
    /// text, and an escape made visible is longer than the character it replaces.
    fn write<W: Write>(&self, out: &mut W, color: bool, base: Option<Style>) -> io::Result<()> {
        let hl = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
        let base = base.filter(|_| color);
        let clean: fn(&str) -> Cow<'_, str> = if self.lines { sanitize_lines } else { sanitize };
        let plain = |out: &mut W, s: &str| -> io::Result<()> {
            match base {
                Some(b) => write!(out, "{}{}{}", b.render(), clean(s), b.render_reset()),
                None => write!(out, "{}", clean(s)),
            }
        };
        let mut at = 0;
        for r in self.ranges {
            // A range that does not fit the text (it should) is shown unmarked rather than panic.
            let (Some(before), Some(word)) = (self.text.get(at..r.start), self.text.get(r.clone()))
            else {
                continue;
            };
            plain(out, before)?;
            let word = clean(word);
            if color {
                write!(out, "{}{}{}", hl.render(), word, hl.render_reset())?;
            } else {
                write!(out, "{MARK}{word}{MARK}")?;
            }
            at = r.end;
        }
        plain(out, self.text.get(at..).unwrap_or_default())
    }
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
pub(super) fn group(n: u64) -> String {
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
            source: None,
            lang: "it".into(),
            repairs: Vec::new(),
            line: 3,
            column: 1,
            passage_line: 3,
            page: None,
            url: None,
            text: "Nuovi investimenti\nper l'AI.\x1b[31m".into(),
            highlights: vec![6..18, 25..27],
            title_highlights: vec![Range { start: 12, end: 14 }],
            more_in_document: 0,
            fragment: 0..usize::MAX,
        }
    }

    #[test]
    fn plain_output_marks_matches_and_escapes_controls() {
        let mut out = Vec::new();
        hits_text(&mut out, &[hit()], false, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "1. Piano per l'**AI**  (2025-02-11, it)\n   /nowhere/a.txt:3:1  score 7.12\n   Nuovi **investimenti**\n   per l'**AI**.\\x1B[31m\n"
        );
    }

    #[test]
    fn colour_output_uses_ansi() {
        let mut out = Vec::new();
        hits_text(&mut out, &[hit()], true, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\x1b[1m\x1b[31minvestimenti\x1b[0m"), "{s:?}");
        assert!(!s.contains("**"));
    }

    /// `s` without the SGR sequences (`ESC [ digits ; … m`) the renderer itself writes.
    fn without_sgr(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("\x1b[") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let end = after
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .unwrap_or(after.len());
            if after[end..].starts_with('m') {
                rest = &after[end + 1..];
            } else {
                // Not an SGR sequence: keep it, so the caller sees the ESC.
                out.push_str("\x1b[");
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    fn hostile() -> Hit {
        let bad = "\x1b]0;PWNED\x07\x1b[2J\u{9b}\u{202e}\r";
        let text = format!("{bad} Nuovi investimenti{bad}\nper l'AI.");
        let title = format!("Piano{bad} per l'AI");
        let at = |s: &str, w: &str| {
            let i = s.rfind(w).unwrap();
            i..i + w.len()
        };
        Hit {
            date: Some(format!("2025-01-01 {bad}")),
            source: Some(format!("example.org{bad}")),
            lang: format!("it{bad}"),
            repairs: Vec::new(),
            path: format!("/nowhere/{bad}.txt"),
            url: Some(format!("https://example.org/{bad}")),
            highlights: vec![at(&text, "investimenti"), at(&text, "AI")],
            title_highlights: vec![at(&title, "AI")],
            title,
            text,
            ..hit()
        }
    }

    #[test]
    fn no_field_reaches_the_terminal_raw() {
        for color in [false, true] {
            let mut out = Vec::new();
            hits_text(&mut out, &[hostile()], color, false).unwrap();
            let s = String::from_utf8(out).unwrap();
            let rest = without_sgr(&s);
            assert!(
                !rest.contains(['\x1b', '\x07', '\r', '\u{9b}', '\u{202e}']),
                "{s:?}"
            );
            assert!(s.contains("2025-01-01 \\x1B]0;PWNED\\x07\\x1B[2J\\x9B\\u{202E}\\x0D"));
            assert!(s.contains("/nowhere/\\x1B]0;PWNED"), "{s:?}");
            assert!(s.contains("https://example.org/\\x1B]0;"), "{s:?}");
            // Three lines of heading, path and URL; two of passage: its newline is laid out.
            assert_eq!(s.lines().count(), 5, "{s}");
        }
    }

    #[test]
    fn highlights_stay_on_their_words_after_escapes() {
        let mut out = Vec::new();
        hits_text(&mut out, &[hostile()], false, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("\\x0D per l'**AI**  ("), "{s}");
        assert!(s.contains("\\x0D Nuovi **investimenti**\\x1B]0;"), "{s}");
        assert!(s.contains("\n   per l'**AI**.\n"), "{s}");
    }

    #[test]
    fn a_range_off_the_text_is_not_a_panic() {
        let mut h = hit();
        let range = |start, end| Range { start, end };
        h.highlights = vec![range(3, 2), range(1, 500), range(6, 18)];
        h.title_highlights = vec![range(2, 1000)];
        let mut out = Vec::new();
        hits_text(&mut out, &[h], false, false).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("**investimenti**"));
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
