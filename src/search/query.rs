//! The query language: words, `"quoted phrases"`, `AND`, `OR`, `-word` (or `NOT word`),
//! parentheses and `lang:xx` filters. Words side by side must all match (an implicit AND). A query
//! that does not parse is read leniently as its plain words, and so is one whose parentheses nest
//! deeper than [`MAX_DEPTH`]: the parser recurses once per level, and so does everything that walks
//! the tree (building the tantivy query, collecting the words to highlight, dropping it), so a
//! bounded depth is what keeps `((((…` from overflowing the stack.
//!
//! The only input refused is one too big to be a query: over [`MAX_BYTES`] bytes or
//! [`MAX_TERMS`] words. It is an error, with a message saying so, rather than cut short: a query
//! cut at some word would silently find something else than what was asked.

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
    Lang(Lang),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
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
            Tok::Phrase(p) => p.split_whitespace().count(),
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

fn lex(input: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
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
            '"' | '“' | '”' | '«' | '»' => {
                chars.next();
                let start = i + c.len_utf8();
                let mut end = input.len();
                for (j, d) in chars.by_ref() {
                    if matches!(d, '"' | '“' | '”' | '«' | '»') {
                        end = j;
                        break;
                    }
                }
                toks.push(Tok::Phrase(input[start..end].to_string()));
            }
            '-' if toks.last() != Some(&Tok::Not) => {
                chars.next();
                if chars.peek().is_some_and(|&(_, d)| !d.is_whitespace()) {
                    toks.push(Tok::Not);
                }
            }
            '+' => {
                chars.next();
            }
            _ => {
                let mut end = input.len();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_whitespace() || "()\"“”«»".contains(d) {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let word = &input[i..end];
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
                Some(Tok::Word(_) | Tok::Phrase(_) | Tok::Not | Tok::Open) => {
                    parts.push(self.unary()?)
                }
                _ => break,
            }
        }
        Ok(one_or(parts, Node::And))
    }

    fn unary(&mut self) -> Result<Node> {
        if self.peek() == Some(&Tok::Not) {
            self.at += 1;
            return Ok(Node::Not(Box::new(self.primary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node> {
        let tok = self.peek().cloned().ok_or(())?;
        self.at += 1;
        match tok {
            Tok::Word(w) => Ok(word(w)),
            Tok::Phrase(p) => Ok(Node::Phrase(p)),
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
            Tok::And | Tok::Or | Tok::Not | Tok::Close => Err(()),
        }
    }
}

/// A word, or a `lang:xx` filter.
fn word(w: String) -> Node {
    match w.strip_prefix("lang:").map(str::parse) {
        Some(Ok(lang)) => Node::Lang(lang),
        _ => Node::Word(w),
    }
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
