//! Tests of the query language: examples of what each piece of syntax means, the bounds on depth
//! and size, and property tests over random strings rich in syntax characters (no panic, the
//! depth of the tree within its bound).

use proptest::prelude::*;

use super::*;

fn w(s: &str) -> Node {
    Node::Word(s.into())
}

#[test]
fn words_are_anded() {
    let p = parse("sovranità tecnologica").unwrap();
    assert_eq!(p.root, Node::And(vec![w("sovranità"), w("tecnologica")]));
    assert!(!p.explicit && !p.lenient);
}

#[test]
fn operators_phrases_and_negation() {
    let p = parse("\"più recente\" OR investimenti -Stargate").unwrap();
    assert_eq!(
        p.root,
        Node::Or(vec![
            Node::Phrase("più recente".into()),
            Node::And(vec![w("investimenti"), Node::Not(Box::new(w("Stargate")))]),
        ])
    );
    assert!(p.explicit);
    assert_eq!(
        parse("a AND (b OR c)").unwrap().root,
        Node::And(vec![w("a"), Node::Or(vec![w("b"), w("c")])])
    );
    assert_eq!(
        parse("NOT a b").unwrap().root,
        Node::And(vec![Node::Not(Box::new(w("a"))), w("b")])
    );
}

#[test]
fn hyphen_inside_a_word_is_not_negation() {
    assert_eq!(parse("open-source").unwrap().root, w("open-source"));
    assert_eq!(
        parse("a - b").unwrap().root,
        Node::And(vec![w("a"), w("b")])
    );
}

#[test]
fn lang_filter() {
    assert_eq!(
        parse("lang:fr données").unwrap().root,
        Node::And(vec![Node::Lang(Lang::Fr), w("données")])
    );
    assert_eq!(parse("lang:xx").unwrap().root, w("lang:xx"));
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
        let p = parse(input).unwrap();
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
        parse("\"più recente").unwrap().root,
        Node::Phrase("più recente".into())
    );
}

#[test]
fn typographic_quotes_make_phrases() {
    assert_eq!(
        parse("“AI Act”").unwrap().root,
        Node::Phrase("AI Act".into())
    );
}

/// The depth of a tree: a leaf is 1.
fn depth(node: &Node) -> usize {
    match node {
        Node::Word(_) | Node::Phrase(_) | Node::Near(..) | Node::Prefix(_) | Node::Title(_) => 1,
        Node::Lang(_) | Node::Source(_) | Node::Path(_) | Node::Date(_) => 1,
        Node::Not(inner) | Node::Must(inner) => 1 + depth(inner),
        Node::And(parts) | Node::Or(parts) => 1 + parts.iter().map(depth).max().unwrap_or(0),
    }
}

/// The deepest tree the parser can return: each level of parentheses adds at most an OR, an AND
/// and a NOT around the next, and the innermost holds a leaf.
const MAX_TREE_DEPTH: usize = 3 * (MAX_DEPTH + 1) + 1;

fn nested(levels: usize, inner: &str) -> String {
    format!("{}{inner}{}", "(".repeat(levels), ")".repeat(levels))
}

#[test]
fn nesting_up_to_the_bound_parses_and_deeper_is_plain_words() {
    let p = parse(&nested(MAX_DEPTH, "a OR b")).unwrap();
    assert!(!p.lenient);
    assert_eq!(p.root, Node::Or(vec![w("a"), w("b")]));
    let p = parse(&nested(MAX_DEPTH + 1, "a OR b")).unwrap();
    assert!(p.lenient);
    assert_eq!(p.root, Node::And(vec![w("a"), w("b")]));
    // Depth is how deep parentheses are open at once, not how many there are.
    let many = vec!["(a OR b)"; 500].join(" ");
    assert!(!parse(&many).unwrap().lenient);
}

#[test]
fn the_deepest_tree_is_within_its_bound() {
    // a OR b AND -(a OR b AND -( … a OR b AND -x)): OR, AND and NOT at every level.
    let mut q = "a OR b AND -x".to_string();
    for _ in 0..MAX_DEPTH {
        q = format!("a OR b AND -({q})");
    }
    let p = parse(&q).unwrap();
    assert!(!p.lenient);
    assert_eq!(depth(&p.root), MAX_TREE_DEPTH);
}

#[test]
fn bombs_do_not_overflow() {
    for q in [
        "(".repeat(MAX_BYTES),
        ")".repeat(MAX_BYTES),
        "-".repeat(MAX_BYTES),
        "NOT ".repeat(MAX_BYTES / 4),
        "-(".repeat(MAX_BYTES / 2),
        "\"".repeat(MAX_BYTES),
        format!("{} a", "(".repeat(MAX_BYTES - 2)),
    ] {
        let p = parse(&q).unwrap();
        assert!(depth(&p.root) <= MAX_TREE_DEPTH, "{}", &q[..20]);
    }
}

#[test]
fn too_big_a_query_is_an_error_that_says_why() {
    let long = "a".repeat(MAX_BYTES + 1);
    assert_eq!(parse(&long), Err(QueryError::TooLong(MAX_BYTES + 1)));
    assert!(parse(&"a".repeat(MAX_BYTES)).is_ok());
    let words = "a ".repeat(MAX_TERMS + 1);
    assert_eq!(parse(&words), Err(QueryError::TooManyWords(MAX_TERMS + 1)));
    assert!(parse(&"a ".repeat(MAX_TERMS)).is_ok());
    // Words inside a phrase count too.
    let phrase = format!("\"{}\"", "a ".repeat(MAX_TERMS + 1));
    assert!(matches!(parse(&phrase), Err(QueryError::TooManyWords(_))));
    let message = QueryError::TooLong(12_000).to_string();
    assert!(message.contains("12000 bytes, at most 10000"), "{message}");
}

/// Pieces of query syntax, words, and characters that have tripped parsers.
const PIECES: &[&str] = &[
    "(",
    ")",
    "\"",
    "“",
    "”",
    "«",
    "»",
    "-",
    "+",
    ":",
    "*",
    "~",
    " ",
    " ",
    "\t",
    "\n",
    " OR ",
    " AND ",
    " NOT ",
    "OR",
    "AND",
    "NOT",
    "&&",
    "||",
    "lang:",
    "lang:it",
    "lang:xx",
    "a",
    "b",
    "città",
    "l'AI",
    "AI-Act",
    "2024-08-01",
    "中文",
    "🦀",
    "\u{301}",
    "\u{202e}",
    "\u{2028}",
    "\u{85}",
    "\x1b[2J",
    "\0",
];

/// Random queries: mostly syntax pieces, some arbitrary characters, from empty to thousands.
fn query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        4 => proptest::collection::vec(piece.clone(), 0..40),
        1 => proptest::collection::vec(piece, 0..4000),
    ]
    .prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_input_parses_within_the_bounds(q in query()) {
        match parse(&q) {
            Ok(p) => {
                prop_assert!(depth(&p.root) <= MAX_TREE_DEPTH);
                if p.lenient {
                    // Plain words: a flat AND of words.
                    prop_assert!(depth(&p.root) <= 2);
                }
            }
            Err(QueryError::TooLong(n)) => prop_assert!(n == q.len() && n > MAX_BYTES),
            Err(QueryError::TooManyWords(n)) => prop_assert!(n > MAX_TERMS),
        }
    }

    #[test]
    fn nesting_of_any_depth_terminates(open in 0usize..3000, close in 0usize..3000, word in "[a-z]{1,8}") {
        let q = format!("{}{word}{}", "(".repeat(open), ")".repeat(close));
        let p = parse(&q).unwrap();
        prop_assert_eq!(p.lenient, open != close || open > MAX_DEPTH);
        // Read as plain words, the one word is a one-word AND.
        let expected = if p.lenient { Node::And(vec![w(&word)]) } else { w(&word) };
        prop_assert_eq!(p.root, expected);
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn prefixes_slop_required_parts_and_fields() {
    let root = |q: &str| parse(q).unwrap().root;
    assert_eq!(root("regolament*"), Node::Prefix("regolament".into()));
    // One letter and a lone star are words, not prefixes of everything.
    assert_eq!(root("r*"), Node::Word("r*".into()));
    assert_eq!(
        root("\"garante privacy\"~2"),
        Node::Near("garante privacy".into(), 2)
    );
    assert_eq!(
        root("\"garante privacy\"~"),
        Node::And(vec![
            Node::Phrase("garante privacy".into()),
            Node::Word("~".into())
        ])
    );
    assert_eq!(
        root("+sanzioni garante"),
        Node::And(vec![
            Node::Must(Box::new(Node::Word("sanzioni".into()))),
            Node::Word("garante".into())
        ])
    );
    assert_eq!(root("title:Stargate"), Node::Title("Stargate".into()));
    assert_eq!(root("source:Ansa.it"), Node::Source("ansa.it".into()));
    assert_eq!(
        root("path:garante/*.html"),
        Node::Path("garante/*.html".into())
    );
    assert_eq!(
        root("date:2025-01..2025-06"),
        Node::Date(DateRange {
            from: Some(day(2025, 1, 1)),
            to: Some(day(2025, 6, 30))
        })
    );
    // A field whose value does not read is a word.
    assert_eq!(root("date:ieri"), Node::Word("date:ieri".into()));
    assert_eq!(root("title:"), Node::Word("title:".into()));
}

#[test]
fn date_ranges() {
    let today = day(2025, 3, 31);
    let r = |s: &str| DateRange::parse(s, today);
    let range = |a: Option<NaiveDate>, b: Option<NaiveDate>| Some(DateRange { from: a, to: b });
    assert_eq!(
        r("2024"),
        range(Some(day(2024, 1, 1)), Some(day(2024, 12, 31)))
    );
    assert_eq!(
        r("2024-02"),
        range(Some(day(2024, 2, 1)), Some(day(2024, 2, 29)))
    );
    assert_eq!(
        r("2025-03-14"),
        range(Some(day(2025, 3, 14)), Some(day(2025, 3, 14)))
    );
    assert_eq!(r("30d"), range(Some(day(2025, 3, 1)), Some(today)));
    assert_eq!(r("2025-01.."), range(Some(day(2025, 1, 1)), None));
    assert_eq!(r("..2024"), range(None, Some(day(2024, 12, 31))));
    for bad in [
        "",
        "..",
        "2025-13",
        "2025-02-30",
        "ieri",
        "99999999999d",
        "2025-01-01-01",
        "12",
    ] {
        assert_eq!(r(bad), None, "{bad}");
    }
}

#[test]
fn quoted_field_values_huge_slops_empty_phrases_and_reversed_ranges() {
    let root = |q: &str| parse(q).unwrap().root;
    assert_eq!(
        root("title:\"intelligenza artificiale\""),
        Node::Title("intelligenza artificiale".into())
    );
    assert_eq!(
        root("source:“garanteprivacy.it” AI"),
        Node::And(vec![
            Node::Source("garanteprivacy.it".into()),
            Node::Word("AI".into())
        ])
    );
    // A field name apart from the quote is a word of its own.
    assert_eq!(
        root("title: \"a b\""),
        Node::And(vec![
            Node::Word("title:".into()),
            Node::Phrase("a b".into())
        ])
    );
    // Every digit belongs to the slop, however many; past the bound it is the bound.
    assert_eq!(
        root("\"garante privacy\"~999999"),
        Node::Near("garante privacy".into(), MAX_SLOP as u32)
    );
    assert_eq!(
        root("\"a b\"~99999999999999999999999 c"),
        Node::And(vec![
            Node::Near("a b".into(), MAX_SLOP as u32),
            Node::Word("c".into())
        ])
    );
    assert_eq!(root("\"\" AI"), Node::Word("AI".into()));
    assert_eq!(root("\"  \" AI \"\""), Node::Word("AI".into()));
    assert_eq!(
        root("date:2025-06..2024-01"),
        Node::Date(DateRange {
            from: Some(day(2024, 1, 1)),
            to: Some(day(2025, 6, 30))
        })
    );
}
