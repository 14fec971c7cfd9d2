//! A bound on how deeply a page's elements nest, applied to the markup before it is parsed.
//! html5ever checks "is there a `<p>` in scope?" by walking its stack of open elements, for
//! nearly every tag: on a page nested 20,000 deep that is quadratic (6 s for 20,000 nested
//! `<ul><li>`, minutes for 100,000). No real page nests more than a few dozen deep, so tags that
//! would open an element deeper than [`MAX_DEPTH`] are dropped, with their end tags, while their
//! text stays: the parser then never sees a deep stack.
//!
//! The nesting is followed with a small model of the HTML rules that decide it: void elements
//! (`<br>`, `<img>`) open nothing, the text of `<script>`, `<style>`, `<textarea>` and their kin
//! is not markup, and elements whose end tag is optional are closed by what closes them in a
//! browser (`<li>` by the next `<li>`, `<p>` by a block, a table cell by the next cell), so a
//! long list or a page of unclosed paragraphs is flat here as it is in a browser. The model is
//! approximate where browsers are baroque (misnested formatting tags); it errs only in where
//! a very deep page loses its structure, never in what text is kept. Ordinary pages come back
//! unchanged, without a copy.

use std::borrow::Cow;
use std::collections::HashMap;

use memchr::{memchr, memmem};

/// Elements nested deeper than this lose their tags (not their text).
pub const MAX_DEPTH: usize = 256;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];
/// The parser merges these into the one it has; they never nest.
const UNIQUE: &[&str] = &["html", "head", "body", "frameset"];
/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "listing",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];
/// Elements a `<p>` does not close across.
const P_SCOPE: &[&str] = &[
    "p", "button", "table", "td", "th", "caption", "marquee", "object", "applet", "template",
];

/// `text` with the tags nested deeper than [`MAX_DEPTH`] removed; borrowed when none is.
pub fn bounded(text: &str) -> Cow<'_, str> {
    let mut walk = Walk {
        text,
        out: None,
        copied: 0,
        stack: Vec::new(),
        dropped: HashMap::new(),
        dropped_open: 0,
        foreign: 0,
    };
    walk.run();
    match walk.out {
        Some(mut out) => {
            out.push_str(&text[walk.copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

struct Walk<'a> {
    text: &'a str,
    /// The text so far, once a tag has been dropped.
    out: Option<String>,
    /// How far `text` has been copied to `out`.
    copied: usize,
    /// The open elements, by lowercase name; never more than [`MAX_DEPTH`].
    stack: Vec<String>,
    /// Elements whose start tag was dropped, whose end tag is to be dropped too.
    dropped: HashMap<String, usize>,
    /// The sum of `dropped`.
    dropped_open: usize,
    /// Open `<svg>` and `<math>` elements: inside them `<x/>` closes itself.
    foreign: usize,
}

impl Walk<'_> {
    fn run(&mut self) {
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while let Some(lt) = memchr(b'<', &bytes[i..]) {
            let at = i + lt;
            i = match bytes.get(at + 1) {
                Some(b'!') if bytes[at..].starts_with(b"<!--") => {
                    find(bytes, at + 4, b"-->").map_or(bytes.len(), |e| e + 3)
                }
                Some(b'!' | b'?') => find(bytes, at, b">").map_or(bytes.len(), |e| e + 1),
                Some(b'/') => self.end_tag(at),
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(at),
                _ => at + 1,
            };
        }
    }

    /// Handles the start tag at `at`; returns where the markup goes on.
    fn start_tag(&mut self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let (name, name_end) = tag_name(bytes, at + 1);
        let end = tag_end(bytes, name_end);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let after = end.min(bytes.len());
        let mut resume = after;
        if RAW_TEXT.contains(&name.as_str()) || name == "plaintext" {
            resume = if name == "plaintext" {
                bytes.len()
            } else {
                closing_tag(bytes, after, &name).unwrap_or(bytes.len())
            };
        }
        if UNIQUE.contains(&name.as_str()) {
            return resume;
        }
        // Below a dropped element, what a tag would close is unknown: it is dropped too.
        let deep = self.stack.len() >= MAX_DEPTH || self.dropped_open > 0;
        if !deep {
            self.close_implied(&name);
        }
        let empty = VOID.contains(&name.as_str())
            || RAW_TEXT.contains(&name.as_str())
            || (self_closing && self.foreign > 0);
        if empty {
            return resume;
        }
        if deep || self.stack.len() >= MAX_DEPTH {
            self.drop_range(at, after);
            *self.dropped.entry(name).or_default() += 1;
            self.dropped_open += 1;
        } else {
            self.foreign += usize::from(name == "svg" || name == "math");
            self.stack.push(name);
        }
        resume
    }

    fn end_tag(&mut self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let (name, name_end) = tag_name(bytes, at + 2);
        let end = tag_end(bytes, name_end).min(bytes.len());
        if let Some(n) = self.dropped.get_mut(&name).filter(|n| **n > 0) {
            *n -= 1;
            self.dropped_open -= 1;
            self.drop_range(at, end);
        } else if let Some(pos) = self.stack.iter().rposition(|open| *open == name) {
            self.pop_to(pos);
        }
        end
    }

    /// Closes what a start tag `name` closes in a browser: an open `<li>` for a new `<li>`, an
    /// open `<p>` for a block, the previous cell or row of a table, the previous option.
    fn close_implied(&mut self, name: &str) {
        let innermost = |stack: &[String], among: &[&str]| {
            stack
                .iter()
                .rposition(|open| among.contains(&open.as_str()))
        };
        let closes: Option<(&[&str], &[&str])> = match name {
            "li" => Some((&["li"], &["li", "ul", "ol", "menu"])),
            "dt" | "dd" => Some((&["dt", "dd"], &["dt", "dd", "dl"])),
            "td" | "th" => Some((&["td", "th"], &["td", "th", "tr", "table"])),
            "tr" => Some((&["tr"], &["tr", "table"])),
            "thead" | "tbody" | "tfoot" => Some((
                &["thead", "tbody", "tfoot"],
                &["thead", "tbody", "tfoot", "table"],
            )),
            "option" => Some((&["option"], &["option", "select", "datalist"])),
            "optgroup" => Some((&["option", "optgroup"], &["option", "optgroup", "select"])),
            "a" | "button" | "nobr" => Some((&[name], &[name])),
            _ => None,
        };
        if let Some((targets, among)) = closes
            && let Some(pos) = innermost(&self.stack, among)
            && targets.contains(&self.stack[pos].as_str())
        {
            self.pop_to(pos);
        }
        if CLOSES_P.contains(&name)
            && let Some(pos) = innermost(&self.stack, P_SCOPE)
            && self.stack[pos] == "p"
        {
            self.pop_to(pos);
        }
        let heading = |n: &str| matches!(n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if heading(name) && self.stack.last().is_some_and(|top| heading(top)) {
            self.stack.pop();
        }
    }

    /// Closes the element at `pos` and everything opened inside it, the dropped ones included.
    fn pop_to(&mut self, pos: usize) {
        for closed in self.stack.drain(pos..) {
            self.foreign -= usize::from(closed == "svg" || closed == "math");
        }
        self.dropped.clear();
        self.dropped_open = 0;
    }

    fn drop_range(&mut self, from: usize, to: usize) {
        let out = self.out.get_or_insert_with(String::new);
        out.push_str(&self.text[self.copied..from]);
        // A tag's line breaks stay, so that the lines of what follows do not move.
        let breaks = self.text[from..to].matches('\n').count();
        out.extend(std::iter::repeat_n('\n', breaks));
        self.copied = to;
    }
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

/// The lowercase name of a tag whose name starts at `from`, and where it ends.
fn tag_name(bytes: &[u8], from: usize) -> (String, usize) {
    let len = bytes[from.min(bytes.len())..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(bytes.len().saturating_sub(from));
    let end = (from + len).min(bytes.len());
    let name = String::from_utf8_lossy(&bytes[from.min(end)..end]).to_ascii_lowercase();
    (name, end)
}

/// Just past the `>` that ends a tag whose attributes start at `from` (a `>` inside a quoted
/// attribute value does not end it); the end of the text if nothing does.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return i + 1,
            b'"' | b'\'' if after_equals => {
                i = memchr(b, &bytes[i + 1..]).map_or(bytes.len(), |q| i + 1 + q);
                after_equals = false;
            }
            b'=' => after_equals = true,
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    bytes.len()
}

/// Where the end tag `</name` closing a raw-text element starts, searching from `from`.
fn closing_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = find(bytes, at, b"</")?;
        let rest = &bytes[lt + 2..];
        let matches = rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && rest
                .get(name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
        if matches {
            return Some(lt);
        }
        at = lt + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_not_copied() {
        let page = "<!DOCTYPE html><html><head><title>a<b></title><script>if (a<b) {}</script>\
                    </head><body><ul><li>uno<li>due</ul><p>x<p>y<br><img src='a>b'>\
                    <table><tr><td>1<td>2<tr><td>3</table><svg><path/></svg></body></html>";
        assert!(matches!(bounded(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_text_kept() {
        let n = MAX_DEPTH * 3;
        let page = format!(
            "{}testo{}",
            "<div><span>x</span>".repeat(n),
            "</div>".repeat(n)
        );
        let out = bounded(&page);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert_eq!(out.matches('x').count(), n);
        assert!(out.contains("testo"));
    }

    #[test]
    fn unclosed_items_and_paragraphs_do_not_nest() {
        let n = MAX_DEPTH * 2;
        for page in [
            format!("<ul>{}</ul>", "<li>voce".repeat(n)),
            "<p>paragrafo".repeat(n),
            format!("<table>{}</table>", "<tr><td>a<td>b".repeat(n)),
            format!("<dl>{}</dl>", "<dt>a<dd>b".repeat(n)),
            "<br><hr><img>".repeat(n),
        ] {
            assert!(
                matches!(bounded(&page), Cow::Borrowed(_)),
                "{}",
                &page[..20]
            );
        }
    }

    #[test]
    fn a_page_with_deep_lists_is_linear_and_parses() {
        let n = 5000;
        let page = format!("{}{}", "<ul><li>x ".repeat(n), "</li></ul>".repeat(n));
        let out = bounded(&page);
        assert_eq!(out.matches("<ul>").count(), MAX_DEPTH / 2);
        assert_eq!(out.matches('x').count(), n);
    }

    #[test]
    fn broken_markup_is_left_alone() {
        for page in [
            "<",
            "</",
            "<a",
            "<a href=\"",
            "<!--",
            "<script>",
            "< p>",
            "<\u{e8}>",
        ] {
            assert_eq!(bounded(page), page);
        }
    }
}
