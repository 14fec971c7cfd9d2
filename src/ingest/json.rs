//! JSON news exports: JSON Lines (one record per line) and JSON documents (an array of records,
//! an object holding such an array under a usual key, or a single record). Every record becomes
//! its own [`Record`], and every block of it points at the line where the record starts, so a hit
//! leads to the right line of a file that may hold thousands of articles. A record's date goes
//! through the one date parser ([`date`]), a JSON number being a Unix timestamp; its source is
//! the outlet it names, a string or an object with a name (`{"id": "ansa", "name": "ANSA"}`).
//! HTML inside a record's text is removed by a deliberately small stripper here (tags and common
//! entities), not a full HTML parser.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;
use serde_json::value::RawValue;

use super::extract::{Record, derived_title};
use super::passage::Block;
use super::{IngestError, Options, date, source};

/// Field names tried for each role, after the names given in [`Options::fields`]. A name may be a
/// dotted path into nested objects.
const DEFAULTS: &[(&str, &[&str])] = &[
    ("title", &["title", "headline", "name"]),
    (
        "text",
        &[
            "text",
            "content",
            "body",
            "description",
            "summary",
            "article",
        ],
    ),
    (
        "date",
        &[
            "date",
            "published_at",
            "publishedAt",
            "published",
            "pubDate",
            "datePublished",
            "created_at",
        ],
    ),
    ("url", &["url", "link", "href"]),
    (
        "source",
        &["source", "source_name", "publisher", "site_name", "site"],
    ),
];

/// Keys under which exports keep their array of records, as paths from the top-level object.
const CONTAINERS: &[&[&str]] = &[
    &["articles"],
    &["items"],
    &["results"],
    &["data"],
    &["records"],
    &["entries"],
    &["docs"],
    &["response", "docs"],
    &["response", "results"],
];

/// The records of a JSON Lines file, and a "line N: reason" for every line that is not a JSON
/// object. Each line is parsed and turned into a record on its own, so only one parsed record
/// is held at a time.
pub fn lines(text: &str, options: &Options) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value @ Value::Object(_)) => records.extend(record(&value, i + 1, options)),
            Ok(_) => problems.push(format!("line {}: not a JSON object", i + 1)),
            Err(e) => problems.push(format!("line {}: {}", i + 1, reason(&e))),
        }
    }
    (records, problems)
}

/// The records of a JSON document. A document that does not parse is an error; so is one that
/// parses but holds no records in a shape cerca knows.
pub fn document(text: &str, options: &Options) -> Result<(Vec<Record>, Vec<String>), IngestError> {
    let top: &RawValue =
        serde_json::from_str(text).map_err(|e| IngestError::BadJson(describe(&e)))?;
    let Some(items) = find_records(top)? else {
        return Err(IngestError::BadJson(
            "no news records found (expected an array of objects, or one under a key like \
             \"articles\" or \"items\")"
                .into(),
        ));
    };
    let line_starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for item in items {
        // A borrowed RawValue is a slice of `text`: its address gives its offset in the file.
        let offset = (item.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let line = line_starts.partition_point(|&nl| nl < offset) + 1;
        match serde_json::from_str::<Value>(item.get()) {
            Ok(value @ Value::Object(_)) => records.extend(record(&value, line, options)),
            Ok(_) => problems.push(format!("line {line}: not a JSON object")),
            Err(e) => problems.push(format!("line {line}: {}", reason(&e))),
        }
    }
    Ok((records, problems))
}

/// The raw records of a document: the top-level array, the array under one of
/// [`CONTAINERS`], or the top-level object alone when it is itself a record.
fn find_records(top: &RawValue) -> Result<Option<Vec<&RawValue>>, IngestError> {
    let bad = |e: serde_json::Error| IngestError::BadJson(describe(&e));
    match top.get().as_bytes().first() {
        Some(b'[') => return serde_json::from_str(top.get()).map(Some).map_err(bad),
        Some(b'{') => {}
        _ => return Ok(None),
    }
    // Each object on the way is parsed once into its raw members, whatever the number of paths.
    let top_members = members(top);
    for path in CONTAINERS {
        let Some((first, rest)) = path.split_first() else {
            continue;
        };
        let mut node = top_members.as_ref().and_then(|m| m.get(*first).copied());
        for key in rest {
            node = node.and_then(members).and_then(|m| m.get(*key).copied());
        }
        if let Some(array) = node.filter(|n| n.get().starts_with('[')) {
            return serde_json::from_str(array.get()).map(Some).map_err(bad);
        }
    }
    Ok(Some(vec![top]))
}

/// The members of a raw object, still raw (so each keeps its place in the file).
fn members(node: &RawValue) -> Option<HashMap<String, &RawValue>> {
    if !node.get().starts_with('{') {
        return None;
    }
    serde_json::from_str(node.get()).ok()
}

/// A record from one JSON object, or `None` when it has neither title nor text.
fn record(value: &Value, line: usize, options: &Options) -> Option<Record> {
    let title = field(value, "title", options).map(|t| one_line(&strip_tags(&t)));
    let text = field(value, "text", options).map(|t| strip_tags(&t));
    let mut blocks = paragraphs(text.as_deref().unwrap_or(""), line);
    let title = match title.filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => derived_title(&blocks.first()?.text),
    };
    if blocks.is_empty() {
        // A headline-only record is still worth finding.
        blocks.push(Block::new(title.clone(), line));
    }
    Some(Record {
        title,
        date: date_of(value, options),
        url: field(value, "url", options).filter(|u| !u.contains(char::is_whitespace)),
        source: source_of(value, options),
        blocks,
        title_line: None,
    })
}

/// The first non-empty value for `role`: names from the options first, then the defaults.
fn field(value: &Value, role: &str, options: &Options) -> Option<String> {
    nodes(value, role, options)
        .filter_map(as_text)
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

/// The first value for `date` that is a date: a string in any shape [`date::parse`] reads, or a
/// number of seconds (or milliseconds) since the Unix epoch.
fn date_of(value: &Value, options: &Options) -> Option<NaiveDate> {
    nodes(value, "date", options).find_map(|node| match node {
        Value::String(s) => date::parse(s),
        Value::Number(n) => date::from_epoch(n.as_f64()?),
        _ => None,
    })
}

/// The first value for `source` that names one: a string, or an object's `name`, `title` or
/// `url` (as NewsAPI writes `"source": {"id": "ansa", "name": "ANSA"}`).
fn source_of(value: &Value, options: &Options) -> Option<String> {
    nodes(value, "source", options).find_map(|node| match node {
        Value::String(s) => source::name(s),
        Value::Object(_) => ["name", "title", "url"]
            .iter()
            .filter_map(|key| node.get(key)?.as_str())
            .find_map(source::name),
        _ => None,
    })
}

/// The values of the fields for `role` a record has: names from the options first, then the
/// defaults.
fn nodes<'a>(
    value: &'a Value,
    role: &'a str,
    options: &'a Options,
) -> impl Iterator<Item = &'a Value> {
    let custom = options
        .fields
        .iter()
        .filter(move |(r, _)| r == role)
        .map(|(_, n)| n.as_str());
    let defaults = DEFAULTS
        .iter()
        .filter(move |(r, _)| *r == role)
        .flat_map(|(_, names)| names.iter().copied());
    custom
        .chain(defaults)
        .filter_map(|name| lookup(value, name))
}

/// The value at `name` in an object: the key itself if present (keys may contain dots), else
/// the dotted path.
fn lookup<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value
        .get(name)
        .or_else(|| name.split('.').try_fold(value, |v, key| v.get(key)))
}

/// A value as text: strings are taken as they are, numbers written out, and arrays of strings
/// joined as paragraphs; anything else is not text.
fn as_text(node: &Value) -> Option<String> {
    match node {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        _ => None,
    }
}

/// Paragraphs of a record's text: split on blank lines, or on every line break when the text
/// has no blank line. All of them carry the record's line.
fn paragraphs(text: &str, line: usize) -> Vec<Block> {
    let separator = if text.contains("\n\n") || text.contains("\r\n\r\n") {
        "\n\n"
    } else {
        "\n"
    };
    text.replace("\r\n", "\n")
        .split(separator)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::new(p, line))
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Record text often carries HTML (`<p>`, `<a href>`, `&amp;`): tags go, block-level tags become
/// paragraph breaks, and the common entities are decoded. Deliberately simple — no scripts or
/// comments are expected inside a news record's text.
fn strip_tags(text: &str) -> String {
    if !text.contains('<') && !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag = &rest[open + 1..];
        let is_tag = tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match tag.find('>').filter(|_| is_tag) {
            Some(close) => {
                let name: String = tag[..close]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(
                    name.as_str(),
                    "p" | "br"
                        | "div"
                        | "li"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                        | "tr"
                ) {
                    out.push_str("\n\n");
                }
                rest = &tag[close + 1..];
            }
            None => {
                out.push('<');
                rest = tag;
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", ' '),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after.find(';').filter(|&n| n <= 8).map(|n| &after[..n]);
        let decoded = entity.and_then(|e| {
            let code = match e.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                Some(dec) => dec.parse().ok(),
                None => None,
            };
            code.and_then(char::from_u32)
                .or_else(|| NAMED.iter().find(|(n, _)| *n == e).map(|(_, c)| *c))
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &after[e.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// serde_json's message without its position (which counts from the start of the line or value
/// given to it, not of the file).
fn reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text.rfind(" at line ").map_or(&text[..], |i| &text[..i]);
    format!("{message} (column {})", e.column())
}

/// serde_json's message, whose position is right for a whole document.
fn describe(e: &serde_json::Error) -> String {
    format!("not valid JSON: {e}")
}

#[cfg(test)]
#[path = "json/tests.rs"]
mod tests;
