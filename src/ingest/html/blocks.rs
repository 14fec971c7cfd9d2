//! The readable text of a page as paragraphs. Picks the part of the page that holds the article
//! (`<article>`, else `<main>`, else `<body>`), drops what a reader skips — scripts, styles,
//! navigation, page headers and footers, asides, forms, cookie banners, menus made of links — and
//! turns what is left into one block per paragraph-level element, with its line in the file.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{ElementRef, Node};

use super::lines::Parsed;
use crate::ingest::passage::Block;

/// Never text a reader sees.
const HIDDEN: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
    "embed", "math",
];
/// Parts of a page around an article, not of it.
const CHROME: &[&str] = &[
    "nav", "aside", "form", "button", "select", "textarea", "input", "dialog", "menu",
];
/// Elements whose text is one paragraph.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "caption",
    "address",
    "summary",
    "legend",
];
/// Elements that end a paragraph: text loose inside them starts a new one.
const BREAKS: &[&str] = &[
    "html", "body", "div", "section", "article", "main", "header", "footer", "ul", "ol", "dl",
    "table", "thead", "tbody", "tfoot", "tr", "figure", "details", "fieldset", "hr", "hgroup",
    "center",
];
/// Words in a class, id or role that mark page furniture. Matched as whole words of the
/// attribute (`cookie-banner`, `main-nav`), never as substrings (`canvas` is not `nav`).
const FURNITURE: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "related",
    "advert",
    "advertisement",
    "ads",
    "promo",
    "popup",
    "modal",
    "comments",
    "skip",
    "banner",
    "contentinfo",
    "complementary",
];
/// Prefixes of such words that are never article text (`cookiebar`, `consentManager`).
const FURNITURE_PREFIXES: &[&str] = &["cookie", "consent", "gdpr"];
/// A list whose text is at least this share links is a menu.
const MENU_LINK_SHARE: f64 = 0.7;

/// The element holding the article: the `<article>` with the most text, else `<main>`, else the
/// body (else the whole document, for a fragment without one).
pub fn content_root(parsed: &Parsed) -> NodeRef<'_, Node> {
    let doc = parsed.html.tree.root();
    let elements = || doc.descendants().filter_map(ElementRef::wrap);
    let articles = elements().filter(|e| e.value().name() == "article" && !inside_chrome(e));
    if let Some(best) = articles.max_by_key(|a| text_len(**a)) {
        return *best;
    }
    let main = elements().find(|e| e.value().name() == "main" || role(e.value()) == Some("main"));
    let body = || elements().find(|e| e.value().name() == "body");
    main.or_else(body).map_or(doc, |e| *e)
}

fn inside_chrome(e: &ElementRef) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| CHROME.contains(&a.value().name()) || is_furniture(a.value()))
}

/// The paragraphs under `root`, each with the line its element starts on.
pub fn blocks(parsed: &Parsed, root: NodeRef<'_, Node>) -> Vec<Block> {
    let root_len = text_len(root);
    let mut out = Collector::default();
    let mut skipping: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(t) => out.text(t, parsed.line(node.id())),
                Node::Element(e) if node != root && skip(node, e, root_len) => {
                    skipping = Some(node.id());
                }
                Node::Element(e) => {
                    let name = e.name();
                    if name == "br" {
                        out.text(" ", 1);
                    } else if PARAGRAPHS.contains(&name) {
                        out.flush();
                        out.start = Some(parsed.line(node.id()));
                    } else if BREAKS.contains(&name) {
                        out.flush();
                    }
                }
                _ => {}
            },
            Edge::Open(_) => {}
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            Edge::Close(node) if skipping.is_none() => {
                let ends =
                    |e: &Element| PARAGRAPHS.contains(&e.name()) || BREAKS.contains(&e.name());
                if node.value().as_element().is_some_and(ends) {
                    out.flush();
                }
            }
            Edge::Close(_) => {}
        }
    }
    out.flush();
    out.blocks
}

/// Whether an element below the content root is left out with everything in it.
fn skip(node: NodeRef<'_, Node>, e: &Element, root_len: usize) -> bool {
    let name = e.name();
    if HIDDEN.contains(&name) || CHROME.contains(&name) || is_hidden(e) {
        return true;
    }
    // A header or footer of the page is chrome; the header of an article holds its headline.
    if name == "footer" || (name == "header" && !has_ancestor(node, "article")) {
        return true;
    }
    if matches!(name, "ul" | "ol" | "dl") && is_menu(node) {
        return true;
    }
    // A class like `with-sidebar` on a wrapper around the whole article must not drop it:
    // furniture is never most of the text.
    is_furniture(e) && text_len(node) * 2 < root_len.max(1)
}

fn is_hidden(e: &Element) -> bool {
    e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}

fn is_furniture(e: &Element) -> bool {
    let attrs = [e.attr("class"), e.attr("id"), role(e)];
    attrs.into_iter().flatten().any(|value| {
        value
            .split(|c: char| !c.is_ascii_alphanumeric())
            .map(str::to_ascii_lowercase)
            .any(|w| {
                FURNITURE.contains(&w.as_str())
                    || FURNITURE_PREFIXES.iter().any(|p| w.starts_with(p))
            })
    })
}

fn role(e: &Element) -> Option<&str> {
    e.attr("role")
}

fn has_ancestor(node: NodeRef<'_, Node>, name: &str) -> bool {
    node.ancestors()
        .any(|a| a.value().as_element().is_some_and(|e| e.name() == name))
}

/// A list whose text is mostly links: a menu, a tag cloud, a list of related stories.
fn is_menu(list: NodeRef<'_, Node>) -> bool {
    let all = text_len(list);
    let linked: usize = list
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "a"))
        .map(text_len)
        .sum();
    all > 0 && linked as f64 >= MENU_LINK_SHARE * all as f64
}

/// Characters of visible text under a node, not counting whitespace.
pub fn text_len(node: NodeRef<'_, Node>) -> usize {
    let mut len = 0;
    let mut skipping: Option<NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) if skipping.is_none() => match n.value() {
                Node::Text(t) => len += t.chars().filter(|c| !c.is_whitespace()).count(),
                Node::Element(e) if HIDDEN.contains(&e.name()) => skipping = Some(n.id()),
                _ => {}
            },
            Edge::Close(n) if skipping == Some(n.id()) => skipping = None,
            _ => {}
        }
    }
    len
}

/// Gathers the text of the paragraph being read. Runs of white space become one space, so the
/// file's line breaks are gone from the text: where a later word stands on another line of the
/// file is kept aside (byte offset, line), for a match to be pointed at on its own line.
#[derive(Default)]
struct Collector {
    blocks: Vec<Block>,
    /// The texts of the paragraph, each with the line it starts on.
    texts: Vec<(String, usize)>,
    /// The line of the paragraph element being read; `None` for loose text.
    start: Option<usize>,
}

impl Collector {
    fn text(&mut self, text: &str, line: usize) {
        self.texts.push((text.to_string(), line));
    }

    fn flush(&mut self) {
        let (text, marks) = collapse(&self.texts);
        if !text.is_empty() {
            let first_text_line = marks.first().map(|&(_, line)| line);
            let line = self.start.or(first_text_line).unwrap_or(1).max(1);
            self.blocks.push(Block {
                marks,
                ..Block::new(text, line)
            });
        }
        self.texts.clear();
        self.start = None;
    }
}

/// Joins texts with their runs of white space made one space (none at either end), and says at
/// which byte offsets of the result the line changes: `(offset, line)`, the first at offset 0.
fn collapse(texts: &[(String, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::new();
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut space = false;
    for (text, first_line) in texts {
        let mut line = *first_line;
        for c in text.chars() {
            if c == '\n' {
                line += 1;
            }
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if marks.last().is_none_or(|&(_, l)| l != line) {
                marks.push((out.len(), line));
            }
            out.push(c);
        }
    }
    (out, marks)
}
