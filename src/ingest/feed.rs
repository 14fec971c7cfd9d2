//! RSS and Atom feeds: every item (entry) is a record of its own, with its title, date, link and
//! text, its HTML reduced to paragraphs. feed-rs parses the feed; since it keeps neither
//! positions nor the time zone a date was written in, both are read back from the source: the
//! n-th item is the n-th `<item>` (`<entry>`) tag of the file, and its date is the day its own
//! tag names (read by [`date`]), not the UTC day feed-rs converts it to.

#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use feed_rs::model::{Entry, FeedType, Text};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};

use super::IngestError;
use super::date;
use super::extract::{Record, derived_title};
use super::html;
use super::passage::Block;

/// Tags that may hold an item's date, in the order they are tried.
const DATE_TAGS: &[&str] = &[
    "pubDate",
    "published",
    "dc:date",
    "updated",
    "dcterms:modified",
];

/// The items of a feed. A file that is XML but no feed, or no XML at all, is an error.
pub fn items(text: &str) -> Result<Vec<Record>, IngestError> {
    let source = as_utf8(text);
    // A panic deep in the XML stack must not take the whole indexing run down with it.
    let parsed = std::panic::catch_unwind(|| feed_rs::parser::parse(source.as_bytes()))
        .map_err(|_| IngestError::Malformed("the feed parser failed on this file".into()))?;
    let feed = parsed.map_err(malformed)?;
    let tag = if feed.feed_type == FeedType::Atom {
        "entry"
    } else {
        "item"
    };
    let starts = openings(text, tag);
    let line_of = |offset: usize| 1 + text[..offset].matches('\n').count();
    let records = feed
        .entries
        .into_iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let source = starts.get(i).map(|&start| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                let item = &text[start..end];
                let close = format!("</{tag}");
                &item[..item.find(&close).unwrap_or(item.len())]
            });
            let line = starts.get(i).map_or(1, |&s| line_of(s));
            record(entry, source.unwrap_or(""), line)
        });
    Ok(records.collect())
}

fn malformed(e: ParseFeedError) -> IngestError {
    IngestError::Malformed(match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "not an RSS or Atom feed".to_string()
        }
        ParseFeedError::XmlReader(e) => format!("malformed feed: {e}"),
        e => format!("malformed feed: {e}"),
    })
}

/// The text is already decoded, so a declared encoding must not make feed-rs decode it again:
/// every XML declaration loses its `encoding` (quick-xml even panics on a second one that has
/// it, which garbage can contain).
fn as_utf8(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.trim_start();
    while let Some(at) = rest.find("<?xml") {
        let decl_end = rest[at..].find("?>").map(|e| at + e + 2);
        let is_decl = rest[at + 5..].starts_with(|c: char| c.is_whitespace() || c == '?');
        match decl_end {
            Some(end) if is_decl && rest[at..end].contains("encoding") => {
                out.push_str(&rest[..at]);
                out.push_str("<?xml version=\"1.0\"?>");
                rest = &rest[end..];
            }
            _ => {
                out.push_str(&rest[..at + 5]);
                rest = &rest[at + 5..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Byte offsets of the opening tags named `name` (with any namespace prefix), outside comments
/// and CDATA sections, where an item's HTML might mention one.
fn openings(text: &str, name: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find('<') {
        let start = at + i;
        let rest = &text[start..];
        let skip_to = |end: &str| rest.find(end).map_or(text.len(), |e| start + e + end.len());
        if rest.starts_with("<!--") {
            at = skip_to("-->");
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            at = skip_to("]]>");
            continue;
        }
        let qname = rest[1..]
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        if qname.rsplit(':').next() == Some(name) {
            found.push(start);
        }
        at = start + 1;
    }
    found
}

/// One item as a record; `None` for an item with neither title nor text.
fn record(entry: Entry, source: &str, line: usize) -> Option<Record> {
    let body = entry
        .content
        .as_ref()
        .and_then(|c| Some((c.body.as_deref()?, c.content_type.as_ref())))
        .filter(|(body, _)| !body.trim().is_empty())
        .or_else(|| {
            let s = entry.summary.as_ref()?;
            Some((s.content.as_str(), s.content_type.as_ref()))
        });
    let mut blocks: Vec<Block> = body
        .map(|(body, mime)| paragraphs(body, mime))
        .unwrap_or_default()
        .into_iter()
        .map(|p| Block::new(p, line))
        .collect();
    let title = entry.title.as_ref().map(text_of).unwrap_or_default();
    let title = match (title.is_empty(), blocks.first()) {
        (true, Some(first)) => derived_title(&first.text),
        (true, None) => return None,
        (false, _) => title,
    };
    if blocks.is_empty() {
        // A feed that carries only headlines: the headline is the text there is.
        blocks.push(Block::new(title.clone(), line));
    }
    let when = entry.published.or(entry.updated);
    Some(Record {
        date: as_written(source, when),
        url: link(&entry),
        source: None,
        title,
        blocks,
        title_line: None,
    })
}

fn paragraphs(body: &str, mime: &str) -> Vec<String> {
    if mime.contains("html") {
        return html::fragment(body);
    }
    body.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn text_of(t: &Text) -> String {
    let s = if t.content_type.as_ref().contains("html") {
        html::fragment(&t.content).join(" ")
    } else {
        t.content.clone()
    };
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The item's page: its `alternate` link (Atom), else its first.
fn link(entry: &Entry) -> Option<String> {
    let alternate = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"));
    alternate
        .or(entry.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// The day as the item wrote it, in its own time zone (so a story published at 00:30 in Rome
/// keeps its day). When feed-rs read a date, only a tag naming the same instant (or, without a
/// time and zone, a day next to it) is taken, so an item matched to the wrong tag cannot lend
/// another item its date; failing that, feed-rs's UTC day is the date. When feed-rs read none
/// (a date it does not know, `14 marzo 2025`), the first tag that is a date is.
fn as_written(source: &str, read: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    let mut written = DATE_TAGS
        .iter()
        .filter_map(|tag| element_text(source, tag))
        .filter_map(date::when);
    let Some(read) = read else {
        return written.next().map(|w| w.date);
    };
    let agrees = |w: &date::When| match w.instant {
        Some(instant) => instant == read,
        None => (w.date - read.date_naive()).num_days().abs() <= 1,
    };
    Some(written.find(agrees).map_or(read.date_naive(), |w| w.date))
}

fn element_text<'a>(source: &'a str, tag: &str) -> Option<&'a str> {
    let open = source.find(&format!("<{tag}"))?;
    let after = &source[open + 1 + tag.len()..];
    if !after.starts_with(|c: char| c == '>' || c.is_whitespace()) {
        return None;
    }
    let content = &after[after.find('>')? + 1..];
    Some(content[..content.find('<')?].trim())
}
