//! The query language: words, `"quoted phrases"` (`"…"~N` lets N other words in between),
//! `prefix*`, `AND`, `OR`, `-word` (or `NOT word`), `+word` (required even when the search falls
//! back to passages with some of the words), parentheses, `title:word`, and the filters
//! `lang:xx`, `source:host`, `path:GLOB` and `date:FROM..TO` (a year, a month, a day or `30d`
//! on either side). Words side by side must all match (an implicit AND). A query
//! that does not parse is read leniently as its plain words, and so is one whose parentheses nest
//! deeper than [`MAX_DEPTH`]: the parser recurses once per level, and so does everything that walks
//! the tree (building the tantivy query, collecting the words to highlight, dropping it), so a
//! bounded depth is what keeps `((((…` from overflowing the stack.
//!
//! The only input refused is one too big to be a query: over [`MAX_BYTES`] bytes or
//! [`MAX_TERMS`] words. It is an error, with a message saying so, rather than cut short: a query
//! cut at some word would silently find something else than what was asked.

use chrono::NaiveDate;

use crate::analysis::Lang;

/// How deep parentheses may nest. A real query nests two or three levels; each level costs a few
/// stack frames in the parser, in our query building and in tantivy's weights and scorers, which
/// may run on search threads whose stacks are smaller than the main one's. Deeper input is read
/// as plain words.
pub const MAX_DEPTH: usize = 32;

/// The longest query in bytes: two pages of text, far beyond anything typed or pasted as a
/// question, and a bound on the work of lexing and analysing it.
pub const MAX_BYTES: usize = 10_000;

/// The most words (in phrases or not) a query may have. Each word becomes up to a couple of dozen
/// term queries (exact, and stemmed in each language, in bodies and titles); an OR of a thousand
/// words took 0.1 s in a debug build on a small index, so the bound keeps a pasted paragraph
/// usable while refusing input that is no longer a question.
pub const MAX_TERMS: usize = 1_000;

/// How far apart the words of `"…"~N` may stand, at most: a larger N reads as this one.
pub const MAX_SLOP: u64 = 10_000;

/// The fields a word may name before a colon.
pub const FIELDS: [&str; 6] = ["lang:", "date:", "source:", "site:", "path:", "title:"];

/// A query refused for its size.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is too long: {0} bytes, at most {MAX_BYTES}; search for fewer words")]
    TooLong(usize),
    #[error("the query has too many words: {0}, at most {MAX_TERMS}; search for fewer words")]
    TooManyWords(usize),
}

/// A parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Word(String),
    Phrase(String),
    /// A phrase whose words may stand up to N words apart: `"…"~N`.
    Near(String, u32),
    /// Words beginning so: `regolament*`.
    Prefix(String),
    /// A word in the title: `title:word`.
    Title(String),
    Lang(Lang),
    /// Documents of a source (a host, or the first folder under a root): `source:ansa.it`.
    Source(String),
    /// Files whose path matches a glob: `path:garante/*.html`.
    Path(String),
    /// Documents dated within a range: `date:2025-01..2025-06`.
    Date(DateRange),
    /// A part that must be held even by the fallback: `+word`.
    Must(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// A range of days, both ends included; an open end is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    /// `2025`, `2025-03`, `2025-03-14`, `30d` (the last 30 days), or two of them around `..`
    /// (either side may be left out; written the other way round, they are read as the range
    /// between them). A single value is the whole year, month or day.
    pub fn parse(s: &str, today: NaiveDate) -> Option<DateRange> {
        match s.split_once("..") {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
                let (a, b) = (period(from.trim(), today)?, period(to.trim(), today)?);
                Some(DateRange {
                    from: Some(a.0.min(b.0)),
                    to: Some(a.1.max(b.1)),
                })
            }
            Some((from, to)) => {
                let from = match from.trim() {
                    "" => None,
                    f => Some(period(f, today)?.0),
                };
                let to = match to.trim() {
                    "" => None,
                    t => Some(period(t, today)?.1),
                };
                (from.is_some() || to.is_some()).then_some(DateRange { from, to })
            }
            None => {
                let (from, to) = period(s.trim(), today)?;
                Some(DateRange {
                    from: Some(from),
                    to: Some(to),
                })
            }
        }
    }
}

/// The first and last day a date of the filter language stands for.
fn period(s: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(days) = s.strip_suffix('d') {
        let n: u32 = days.parse().ok().filter(|n| *n <= 100_000)?;
        return Some((today - chrono::Days::new(u64::from(n)), today));
    }
    let mut parts = s.split('-');
    let year: i32 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    let month: Option<u32> = parts
        .next()
        .map(|m| m.parse().ok())
        .unwrap_or(Some(0))?
        .into();
    let day: Option<u32> = parts
        .next()
        .map(|d| d.parse().ok())
        .unwrap_or(Some(0))?
        .into();
    if parts.next().is_some() {
        return None;
    }
    match (month, day) {
        (Some(0), _) => Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        )),
        (Some(m), Some(0)) => {
            let first = NaiveDate::from_ymd_opt(year, m, 1)?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            Some((first, next.pred_opt()?))
        }
        (Some(m), Some(d)) => {
            let day = NaiveDate::from_ymd_opt(year, m, d)?;
            Some((day, day))
        }
        _ => None,
    }
}

/// The result of parsing: the tree, and whether the user wrote any operator (an implicit AND of
/// plain words may be relaxed to OR when it finds nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub root: Node,
    pub explicit: bool,
    /// Set when the query did not parse and was read as plain words.
    pub lenient: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Phrase(String),
    Near(String, u32),
    Must,
    And,
    Or,
    Not,
    Open,
    Close,
}

/// Parses `input`; an error only for a query over [`MAX_BYTES`] or [`MAX_TERMS`].
pub fn parse(input: &str) -> std::result::Result<Parsed, QueryError> {
    if input.len() > MAX_BYTES {
        return Err(QueryError::TooLong(input.len()));
    }
    let toks = lex(input);
    let words: usize = toks
        .iter()
        .map(|t| match t {
            Tok::Word(_) => 1,
            Tok::Phrase(p) | Tok::Near(p, _) => p.split_whitespace().count(),
            _ => 0,
        })
        .sum();
    if words > MAX_TERMS {
        return Err(QueryError::TooManyWords(words));
    }
    let explicit = toks.iter().any(|t| !matches!(t, Tok::Word(_)));
    let mut p = Parser {
        toks: &toks,
        at: 0,
        depth: 0,
    };
    Ok(match p.expr() {
        Ok(root) if p.at == toks.len() => Parsed {
            root,
            explicit,
            lenient: false,
        },
        _ => Parsed {
            root: plain_words(input),
            explicit: false,
            lenient: true,
        },
    })
}

/// Every word of the input, syntax characters ignored.
fn plain_words(input: &str) -> Node {
    let cleaned: String = input
        .chars()
        .map(|c| if "\"()".contains(c) { ' ' } else { c })
        .collect();
    let words = cleaned
        .split_whitespace()
        .map(|w| w.trim_start_matches(['-', '+']))
        .filter(|w| !w.is_empty() && *w != "AND" && *w != "OR" && *w != "NOT")
        .map(|w| Node::Word(w.to_string()))
        .collect();
    Node::And(words)
}

/// The characters that open or close a phrase.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»')
}

fn lex(input: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    // A field name written just before a quote (`title:"…"`).
    let mut field: Option<String> = None;
    let mut chars = input.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                toks.push(Tok::Open);
            }
            ')' => {
                chars.next();
                toks.push(Tok::Close);
            }
            c if is_quote(c) => {
                chars.next();
                let start = i + c.len_utf8();
                let mut end = input.len();
                for (j, d) in chars.by_ref() {
                    if is_quote(d) {
                        end = j;
                        break;
                    }
                }
                let phrase = input[start..end].to_string();
                // `"…"~N`: the words may stand up to N words apart.
                let rest = input.get(end + 1..).unwrap_or("");
                let digits: String = rest
                    .strip_prefix('~')
                    .map(|r| r.chars().take_while(char::is_ascii_digit).collect())
                    .unwrap_or_default();
                let tok = match digits.parse::<u64>() {
                    Ok(slop) if end < input.len() => {
                        for _ in 0..=digits.len() {
                            chars.next();
                        }
                        Tok::Near(phrase, slop.min(MAX_SLOP) as u32)
                    }
                    // Too many digits for a number: as far apart as a phrase may be.
                    Err(_) if !digits.is_empty() && end < input.len() => {
                        for _ in 0..=digits.len() {
                            chars.next();
                        }
                        Tok::Near(phrase, MAX_SLOP as u32)
                    }
                    _ => Tok::Phrase(phrase),
                };
                // `title:"…"`, `source:"…"`: the quoted text is the field's value.
                let tok = match (field.take(), tok) {
                    (Some(name), Tok::Phrase(value) | Tok::Near(value, _)) => {
                        Tok::Word(format!("{name}{value}"))
                    }
                    (_, tok) => tok,
                };
                // An empty phrase (`""`) looks for nothing: it is left out.
                if !matches!(&tok, Tok::Phrase(p) if p.trim().is_empty()) {
                    toks.push(tok);
                }
            }
            '-' if toks.last() != Some(&Tok::Not) => {
                chars.next();
                if chars.peek().is_some_and(|&(_, d)| !d.is_whitespace()) {
                    toks.push(Tok::Not);
                }
            }
            '+' => {
                chars.next();
                if chars.peek().is_some_and(|&(_, d)| !d.is_whitespace()) {
                    toks.push(Tok::Must);
                }
            }
            _ => {
                let mut end = input.len();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_whitespace() || "()".contains(d) || is_quote(d) {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let word = &input[i..end];
                let quoted_next = chars.peek().is_some_and(|&(_, d)| is_quote(d));
                if quoted_next && FIELDS.contains(&word) {
                    field = Some(word.to_string());
                    continue;
                }
                toks.push(match word {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word.to_string()),
                });
            }
        }
    }
    toks
}

struct Parser<'a> {
    toks: &'a [Tok],
    at: usize,
    /// Parentheses open around the current token.
    depth: usize,
}

type Result<T> = std::result::Result<T, ()>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn expr(&mut self) -> Result<Node> {
        let mut alternatives = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            alternatives.push(self.and()?);
        }
        Ok(one_or(alternatives, Node::Or))
    }

    fn and(&mut self) -> Result<Node> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.at += 1;
                    parts.push(self.unary()?);
                }
                Some(
                    Tok::Word(_)
                    | Tok::Phrase(_)
                    | Tok::Near(..)
                    | Tok::Not
                    | Tok::Must
                    | Tok::Open,
                ) => parts.push(self.unary()?),
                _ => break,
            }
        }
        Ok(one_or(parts, Node::And))
    }

    fn unary(&mut self) -> Result<Node> {
        match self.peek() {
            Some(Tok::Not) => {
                self.at += 1;
                Ok(Node::Not(Box::new(self.primary()?)))
            }
            Some(Tok::Must) => {
                self.at += 1;
                Ok(Node::Must(Box::new(self.primary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node> {
        let tok = self.peek().cloned().ok_or(())?;
        self.at += 1;
        match tok {
            Tok::Word(w) => Ok(word(w)),
            Tok::Phrase(p) => Ok(Node::Phrase(p)),
            Tok::Near(p, slop) => Ok(Node::Near(p, slop)),
            Tok::Open => {
                if self.depth == MAX_DEPTH {
                    return Err(());
                }
                self.depth += 1;
                let inner = self.expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(());
                }
                self.at += 1;
                self.depth -= 1;
                Ok(inner)
            }
            Tok::And | Tok::Or | Tok::Not | Tok::Must | Tok::Close => Err(()),
        }
    }
}

/// A word, a `prefix*`, a `title:word`, or a filter. A field whose value does not read (an
/// unknown language, a date that is no date) is an ordinary word.
fn word(w: String) -> Node {
    let field = |name: &str| w.strip_prefix(name).filter(|v| !v.is_empty());
    if let Some(Ok(lang)) = field("lang:").map(str::parse) {
        return Node::Lang(lang);
    }
    if let Some(v) = field("source:").or_else(|| field("site:")) {
        return Node::Source(v.to_lowercase());
    }
    if let Some(v) = field("path:") {
        return Node::Path(v.to_string());
    }
    if let Some(range) = field("date:").and_then(|v| DateRange::parse(v, today())) {
        return Node::Date(range);
    }
    if let Some(v) = field("title:") {
        return Node::Title(v.to_string());
    }
    match w.strip_suffix('*') {
        Some(stem) if stem.chars().count() >= 2 && !stem.ends_with('*') => {
            Node::Prefix(stem.to_string())
        }
        _ => Node::Word(w),
    }
}

/// Today, in the local calendar.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn one_or(mut nodes: Vec<Node>, wrap: fn(Vec<Node>) -> Node) -> Node {
    if nodes.len() == 1 {
        nodes.remove(0)
    } else {
        wrap(nodes)
    }
}

#[cfg(test)]
#[path = "query/tests.rs"]
mod tests;
