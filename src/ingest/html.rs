//! HTML pages: the article's readable text as paragraphs, with its title, publication date and
//! canonical address taken from the page's metadata. Parsing is html5ever's (through scraper),
//! so broken markup is repaired the way a browser repairs it; what counts as the article and
//! what as page furniture is decided in `blocks`.

mod blocks;
mod depth;
mod lines;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

use super::date::parse as parse_date;
use super::extract::{Record, derived_title};
use lines::Parsed;

/// How far into a file `meta_charset` looks, as browsers do (they stop at 1024 bytes; pages
/// with long inline scripts before the meta push it further).
const CHARSET_SNIFF: usize = 4096;
/// Separators between a page's title and its site's name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " · ", " :: ", " » "];

/// The article of a page, or `None` when it has neither readable text nor a title. A page that
/// is only a title (or a headline) is kept: the title is what there is to find.
pub fn page(text: &str) -> Option<Record> {
    let parsed = lines::parse(text);
    let root = blocks::content_root(&parsed);
    let mut blocks = blocks::blocks(&parsed, root);
    let mut title_line = None;
    let title = match title(&parsed, root) {
        Some(title) => {
            // The headline is the title, not a paragraph (as for markdown's first heading).
            if blocks.first().is_some_and(|b| b.text == title) {
                title_line = Some(blocks.remove(0).line);
            }
            title
        }
        None => derived_title(&blocks.first()?.text),
    };
    if blocks.is_empty() {
        let doc = parsed.html.tree.root();
        let title_element = || elements(doc, "title").next().map(|e| parsed.line(e.id()));
        title_line = title_line.or_else(title_element).or(Some(1));
    }
    Some(Record {
        date: date(&parsed, root),
        url: url(&parsed),
        source: None,
        title,
        blocks,
        title_line,
    })
}

/// The paragraphs of a piece of HTML (a feed item's content), page furniture left out.
pub fn fragment(text: &str) -> Vec<String> {
    let parsed = lines::parse(text);
    let root = parsed.html.tree.root();
    blocks::blocks(&parsed, root)
        .into_iter()
        .map(|b| b.text)
        .collect()
}

/// The encoding a page declares in its first bytes, by `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`, lowercased as written
/// (`windows-1252`, `iso-8859-1`); the decoder maps the label to an encoding.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes[..bytes.len().min(CHARSET_SNIFF)].to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(at) = find(rest, b"<meta") {
        let tag = &rest[at..];
        let tag = &tag[..find(tag, b">").unwrap_or(tag.len())];
        if let Some(label) = charset_in(tag) {
            return Some(label);
        }
        rest = &rest[at + 5..];
    }
    None
}

fn charset_in(tag: &[u8]) -> Option<String> {
    let at = find(tag, b"charset")?;
    let rest = tag[at + 7..].trim_ascii_start().strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| b" \t\r\n\"';/>".contains(b))
        .unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    (!label.is_empty()).then(|| label.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn elements<'a>(root: NodeRef<'a, Node>, name: &'a str) -> impl Iterator<Item = ElementRef<'a>> {
    root.descendants()
        .filter_map(ElementRef::wrap)
        .filter(move |e| e.value().name() == name)
}

/// Text with entities decoded (by the parser) and whitespace collapsed.
fn collapsed(e: ElementRef) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `content` of the first `<meta>` whose `property`, `name` or `itemprop` is one of
/// `keys`, trying keys in order.
fn meta(parsed: &Parsed, keys: &[&str]) -> Option<String> {
    let doc = parsed.html.tree.root();
    keys.iter().find_map(|key| {
        elements(doc, "meta").find_map(|m| {
            let e = m.value();
            let named = ["property", "name", "itemprop"].iter().any(|a| {
                e.attr(a)
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case(key))
            });
            let content = e
                .attr("content")?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (named && !content.is_empty()).then_some(content)
        })
    })
}

/// `og:title`, else `<title>` without the site's name, else the first `<h1>`.
fn title(parsed: &Parsed, root: NodeRef<'_, Node>) -> Option<String> {
    if let Some(t) = meta(parsed, &["og:title", "twitter:title"]) {
        return Some(t);
    }
    let doc = parsed.html.tree.root();
    let h1 = elements(root, "h1")
        .chain(elements(doc, "h1"))
        .map(collapsed)
        .find(|t| !t.is_empty());
    let Some(full) = elements(doc, "title")
        .map(collapsed)
        .find(|t| !t.is_empty())
    else {
        return h1;
    };
    let site = meta(parsed, &["og:site_name", "application-name"]);
    Some(without_site(&full, site.as_deref(), h1.as_deref()))
}

/// `Headline | Site` → `Headline`, but only when the page says what the site is called, or when
/// the part kept is the page's `<h1>`: a title with a dash in it is otherwise left whole.
fn without_site(title: &str, site: Option<&str>, h1: Option<&str>) -> String {
    for sep in TITLE_SEPARATORS {
        if let Some(site) = site.filter(|s| !s.is_empty()) {
            if let Some(head) = title.strip_suffix(site).and_then(|t| t.strip_suffix(sep)) {
                return head.trim().to_string();
            }
            if let Some(tail) = title.strip_prefix(site).and_then(|t| t.strip_prefix(sep)) {
                return tail.trim().to_string();
            }
        }
        if let Some(h1) = h1 {
            let kept = title.strip_prefix(h1).and_then(|t| t.strip_prefix(sep));
            if kept.is_some_and(|k| !k.is_empty()) {
                return h1.to_string();
            }
        }
    }
    title.to_string()
}

/// The publication date: from the page's metadata, else the article's first `<time>`, else
/// JSON-LD `datePublished`. A value that is no date is passed over for the next.
fn date(parsed: &Parsed, root: NodeRef<'_, Node>) -> Option<NaiveDate> {
    const KEYS: &[&str] = &[
        "article:published_time",
        "og:published_time",
        "datePublished",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.created",
        "pubdate",
        "publish-date",
        "parsely-pub-date",
    ];
    let from_meta = KEYS
        .iter()
        .find_map(|k| meta(parsed, &[k]).and_then(|d| parse_date(&d)));
    let from_time = || {
        elements(root, "time")
            .filter_map(|t| t.value().attr("datetime"))
            .find_map(parse_date)
    };
    from_meta
        .or_else(from_time)
        .or_else(|| json_ld_date(parsed))
}

fn json_ld_date(parsed: &Parsed) -> Option<NaiveDate> {
    let doc = parsed.html.tree.root();
    elements(doc, "script")
        .filter(|s| {
            s.value()
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        })
        .filter_map(|s| serde_json::from_str(&s.text().collect::<String>()).ok())
        .find_map(|v: serde_json::Value| find_key(&v, "datePublished").and_then(|d| parse_date(&d)))
}

/// The first string value of `key` anywhere in a JSON value (JSON-LD nests it in `@graph`).
fn find_key(value: &serde_json::Value, key: &str) -> Option<String> {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(s) = map.get(key).and_then(|d| d.as_str()) {
                    return Some(s.to_string());
                }
                stack.extend(map.values().rev());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    None
}

/// `<link rel="canonical">`, else `og:url`.
fn url(parsed: &Parsed) -> Option<String> {
    let doc = parsed.html.tree.root();
    let canonical = elements(doc, "link")
        .filter(|l| {
            l.value().attr("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("canonical"))
            })
        })
        .filter_map(|l| l.value().attr("href"))
        .map(str::trim)
        .find(|h| !h.is_empty())
        .map(str::to_string);
    canonical.or_else(|| meta(parsed, &["og:url"]))
}
