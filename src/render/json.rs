//! JSON output: one object per hit per line (JSON Lines) for `search --json`, one object for
//! `index --json`. Highlight offsets are UTF-8 byte offsets into `text`.

use std::io::{self, Write};

use serde::Serialize;

use super::display_path;
use crate::cmd::Summary;
use crate::search::Hit;

#[derive(Serialize)]
struct HitLine<'a> {
    rank: usize,
    score: f32,
    path: String,
    title: &'a str,
    date: Option<&'a str>,
    lang: &'a str,
    line: u64,
    page: Option<u64>,
    url: Option<&'a str>,
    text: &'a str,
    highlights: Vec<Highlight<'a>>,
}

#[derive(Serialize)]
struct Highlight<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

pub fn hits_jsonl<W: Write>(out: &mut W, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        let line = HitLine {
            rank: hit.rank,
            score: (hit.score * 1000.0).round() / 1000.0,
            path: display_path(&hit.path),
            title: &hit.title,
            date: hit.date.as_deref(),
            lang: &hit.lang,
            line: hit.line,
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
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

pub fn summary_json<W: Write>(out: &mut W, summary: &Summary) -> io::Result<()> {
    serde_json::to_writer(&mut *out, summary)?;
    out.write_all(b"\n")?;
    out.flush()
}
