//! The query language: words, `"quoted phrases"`, `AND`, `OR`, `-word` (or `NOT word`),
//! parentheses and `lang:xx` filters. Words side by side must all match (an implicit AND). A query
//! that does not parse is read leniently as its plain words, so user input never fails here.

use crate::analysis::Lang;

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

pub fn parse(input: &str) -> Parsed {
    let toks = lex(input);
    let explicit = toks.iter().any(|t| !matches!(t, Tok::Word(_)));
    let mut p = Parser { toks: &toks, at: 0 };
    match p.expr() {
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
    }
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
                let inner = self.expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(());
                }
                self.at += 1;
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
mod tests {
    use super::*;

    fn w(s: &str) -> Node {
        Node::Word(s.into())
    }

    #[test]
    fn words_are_anded() {
        let p = parse("sovranità tecnologica");
        assert_eq!(p.root, Node::And(vec![w("sovranità"), w("tecnologica")]));
        assert!(!p.explicit && !p.lenient);
    }

    #[test]
    fn operators_phrases_and_negation() {
        let p = parse("\"più recente\" OR investimenti -Stargate");
        assert_eq!(
            p.root,
            Node::Or(vec![
                Node::Phrase("più recente".into()),
                Node::And(vec![w("investimenti"), Node::Not(Box::new(w("Stargate")))]),
            ])
        );
        assert!(p.explicit);
        assert_eq!(
            parse("a AND (b OR c)").root,
            Node::And(vec![w("a"), Node::Or(vec![w("b"), w("c")])])
        );
        assert_eq!(
            parse("NOT a b").root,
            Node::And(vec![Node::Not(Box::new(w("a"))), w("b")])
        );
    }

    #[test]
    fn hyphen_inside_a_word_is_not_negation() {
        assert_eq!(parse("open-source").root, w("open-source"));
        assert_eq!(parse("a - b").root, Node::And(vec![w("a"), w("b")]));
    }

    #[test]
    fn lang_filter() {
        assert_eq!(
            parse("lang:fr données").root,
            Node::And(vec![Node::Lang(Lang::Fr), w("données")])
        );
        assert_eq!(parse("lang:xx").root, w("lang:xx"));
    }

    #[test]
    fn broken_queries_fall_back_to_plain_words() {
        for (input, words) in [
            ("(sovranità", vec!["sovranità"]),
            ("a OR", vec!["a"]),
            ("AND b)", vec!["b"]),
            ("))((", vec![]),
            ("-", vec![]),
        ] {
            let p = parse(input);
            assert!(p.lenient, "{input}");
            assert_eq!(
                p.root,
                Node::And(words.into_iter().map(w).collect()),
                "{input}"
            );
        }
    }

    #[test]
    fn unterminated_quote_runs_to_the_end() {
        assert_eq!(
            parse("\"più recente").root,
            Node::Phrase("più recente".into())
        );
    }

    #[test]
    fn typographic_quotes_make_phrases() {
        assert_eq!(parse("“AI Act”").root, Node::Phrase("AI Act".into()));
    }
}
