//! JSON output: one object per hit per line (JSON Lines) for `search --json`, one object for
//! `index --json`, and the same objects in `serve`'s responses. Highlight offsets are UTF-8 byte offsets into `text`. Strings are written as
//! they are in the file (JSON escapes what must be escaped), except that U+0085, U+2028 and U+2029
//! are written `\u0085`, `\u2028`, `\u2029`: valid in JSON, but a reader that splits its input
//! into lines on them (many do) would cut a record in two.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, Serializer};

use super::display_path;
use crate::cmd::Summary;
use crate::ingest::repair::Repair;
use crate::search::Hit;

/// One hit as `search --json` writes it and `serve`'s `/api/search` lists it.
#[derive(Serialize)]
pub struct JsonHit<'a> {
    rank: usize,
    score: f32,
    path: String,
    title: &'a str,
    date: Option<&'a str>,
    source: Option<&'a str>,
    lang: &'a str,
    /// Spans that repair changed in the hit's file, and which (why a word may have been found).
    repaired: usize,
    repairs: &'a [Repair],
    line: u64,
    column: u64,
    passage_line: u64,
    page: Option<u64>,
    url: Option<&'a str>,
    text: &'a str,
    highlights: Vec<Highlight<'a>>,
    more_in_document: usize,
    fragment: Span,
}

/// A byte range of `text`.
#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Highlight<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl<'a> JsonHit<'a> {
    pub fn of(hit: &'a Hit) -> JsonHit<'a> {
        JsonHit {
            rank: hit.rank,
            score: (hit.score * 1000.0).round() / 1000.0,
            path: display_path(&hit.path),
            title: &hit.title,
            date: hit.date.as_deref(),
            source: hit.source.as_deref(),
            lang: &hit.lang,
            repaired: hit.repairs.iter().map(|r| r.count).sum(),
            repairs: &hit.repairs,
            line: hit.line,
            column: hit.column,
            passage_line: hit.passage_line,
            page: hit.page,
            url: hit.url.as_deref(),
            text: &hit.text,
            highlights: hit
                .highlights
                .iter()
                .map(|r| Highlight {
                    start: r.start,
                    end: r.end,
                    text: &hit.text[r.clone()],
                })
                .collect(),
            more_in_document: hit.more_in_document,
            fragment: Span {
                start: hit.fragment.start,
                end: hit.fragment.end,
            },
        }
    }
}

pub fn hits_jsonl<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        write_line(out, &JsonHit::of(hit))?;
    }
    out.flush()
}

pub fn summary_json<W: Write>(out: &mut W, summary: &Summary) -> io::Result<()> {
    write_line(out, summary)?;
    out.flush()
}

/// `value` as one line of compact JSON (see the module's note on line separators), for a
/// response body.
pub fn json_bytes<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory fails only if serialising does, which these types never do.
    let _ = write_line(&mut out, value);
    out
}

/// `value` as one line of compact JSON, no line separator inside it.
pub(super) fn write_line<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> io::Result<()> {
    value.serialize(&mut Serializer::with_formatter(&mut *out, OneLine))?;
    out.write_all(b"\n")
}

/// serde_json's compact output, with the characters that some readers take for line breaks
/// written as escapes. Only the unescaped runs of a string pass through here: serde_json has
/// already escaped quotes, backslashes and C0 controls.
struct OneLine;

impl Formatter for OneLine {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut at = 0;
        for (i, c) in fragment.char_indices() {
            if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
                out.write_all(&fragment.as_bytes()[at..i])?;
                write!(out, "\\u{:04x}", c as u32)?;
                at = i + c.len_utf8();
            }
        }
        CompactFormatter.write_string_fragment(out, &fragment[at..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Range;

    use crate::cmd::{FileError, Problem};

    fn hit(text: &str) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            path: "/nowhere/a\u{2028}b.txt".into(),
            title: "title\u{2029}\x1b]0;x\x07".into(),
            date: Some("2025\u{85}01".into()),
            source: None,
            lang: "it".into(),
            repairs: Vec::new(),
            line: 1,
            column: 1,
            passage_line: 1,
            page: None,
            url: None,
            text: text.into(),
            highlights: vec![Range { start: 0, end: 2 }],
            title_highlights: vec![],
            more_in_document: 0,
            fragment: 0..text.len(),
        }
    }

    #[test]
    fn line_separators_are_escaped_and_the_values_stay_the_same() {
        let h = hit("AI\u{2028}Act\u{85}\u{2029}\x1b[2J \"q\" \\");
        let mut out = Vec::new();
        hits_jsonl(&mut out, std::slice::from_ref(&h)).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            !s.contains(['\u{85}', '\u{2028}', '\u{2029}', '\x1b']),
            "{s}"
        );
        assert!(
            s.contains(r#""text":"AI\u2028Act\u0085\u2029\u001b[2J \"q\" \\""#),
            "{s}"
        );
        assert_eq!(s.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["text"], h.text);
        assert_eq!(v["title"], h.title);
        assert_eq!(v["date"], "2025\u{85}01");
        assert_eq!(v["path"], h.path);
        assert_eq!(v["highlights"][0]["text"], "AI");
    }

    #[test]
    fn summary_escapes_them_too() {
        let summary = Summary {
            errors: vec![FileError {
                path: "a\u{2028}.txt".into(),
                problem: Problem::Part("line 1:\u{2029}bad".into()),
            }],
            ..Summary::default()
        };
        let mut out = Vec::new();
        summary_json(&mut out, &summary).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains(r#""path":"a\u2028.txt""#), "{s}");
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["errors"][0]["error"], "line 1:\u{2029}bad");
    }
}
