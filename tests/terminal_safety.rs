//! What a hostile file or query can do to the person running cerca: escape sequences in a title,
//! date, passage, URL or file name must reach the terminal as visible text, never as commands
//! (while `--json` stays faithful to the file), and a query built to exhaust the parser must end
//! in an exit code, not a crash.

mod util;

use proptest::prelude::*;
use serde_json::Value;

use util::{Env, Run};

/// Window-title and clear-screen sequences, a BEL, a one-byte CSI (C1), a right-to-left override.
const BAD: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}\u{202e}";
/// How `BAD` is shown on a terminal.
const BAD_SHOWN: &str = "\\x1B]0;PWNED\\x07\\x1B[2J\\x9B\\u{202E}";
/// `BAD` as a document's text holds it: text is repaired when read, and a C1 control in text is
/// Windows-1252 read as Latin-1 (its CSI, 0x9B, is `›`). File names are not repaired.
const BAD_TEXT: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{203a}\u{202e}";
/// How `BAD_TEXT` is shown on a terminal.
const BAD_TEXT_SHOWN: &str = "\\x1B]0;PWNED\\x07\\x1B[2J›\\u{202E}";

/// `BAD` written as a JSON string's contents (a raw control is not valid JSON).
fn bad_json() -> String {
    let quoted = serde_json::to_string(BAD).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

/// A folder `news/` whose every field carries `BAD`: a text file (title, passage, and a date
/// line that the date makes no date, so it stays text), a file whose name has it, a JSON Lines
/// record (title, date, text, URL), and an unreadable file whose name has it (so that the warning
/// about it names it). A date is parsed at ingest and printed as `YYYY-MM-DD`, so `BAD` never
/// reaches one.
fn hostile() -> Env {
    let env = Env::new();
    env.write(
        "news/a.txt",
        format!(
            "Titolo {BAD} sovranità\n2025-01-01 {BAD}\n\nTesto sulla sovranità {BAD}\r tecnologica.\n"
        ),
    );
    env.write(
        &format!("news/b{BAD}.txt"),
        "Altro titolo\n2025-01-02\n\nLa sovranità nel nome del file.\n",
    );
    let bad = bad_json();
    env.write(
        "news/c.jsonl",
        format!(
            "{{\"title\": \"Record {bad} sovranità\", \"date\": \"ieri {bad}\", \
             \"text\": \"La sovranità {bad} digitale\\u2028riga\\u0085nuova.\", \
             \"url\": \"https://example.org/{bad}\"}}\n"
        ),
    );
    env.write(&format!("news/d{BAD}\u{2028}.txt"), [0u8; 64]);
    env
}

/// `s` without the SGR sequences (`ESC [ digits ; … m`) cerca writes with `--color always`.
fn without_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            rest = &after[end + 1..];
        } else {
            out.push('\u{1b}');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Fails when `s` holds anything that drives a terminal, colour sequences aside.
#[track_caller]
fn assert_safe(what: &str, s: &str) {
    let rest = without_sgr(s);
    let found: Vec<String> = rest
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(found.is_empty(), "{what} carries {found:?}:\n{s}");
}

#[track_caller]
fn assert_run_safe(what: &str, r: &Run) {
    assert_safe(&format!("{what}: stdout"), &r.stdout);
    assert_safe(&format!("{what}: stderr"), &r.stderr);
}

#[test]
fn indexing_warns_about_a_hostile_file_name_visibly() {
    let env = hostile();
    let r = env.run(&["index", "news"]).ok();
    assert_run_safe("index", &r);
    assert!(
        r.stderr
            .contains(&format!("cerca: news/d{BAD_SHOWN}\\u{{2028}}.txt: ")),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("3 added"), "{}", r.stdout);
}

#[test]
fn search_shows_every_field_with_its_controls_made_visible() {
    let env = hostile();
    env.run(&["index", "news"]).ok();
    for color in ["never", "always"] {
        let r = env
            .run(&["search", "sovranità", "-n", "10", "--color", color])
            .ok();
        assert_run_safe(&format!("search --color {color}"), &r);
        let out = without_sgr(&r.stdout);
        for shown in [
            format!("Titolo {BAD_TEXT_SHOWN} "),
            format!("\n   2025-01-01 {BAD_TEXT_SHOWN}\n"),
            "Altro titolo  (2025-01-02, news, it)".to_string(),
            format!("news/b{BAD_SHOWN}.txt:4"),
            format!("Record {BAD_TEXT_SHOWN} "),
            format!("https://example.org/{BAD_TEXT_SHOWN}"),
            format!("{BAD_TEXT_SHOWN}\\x0D tecnologica."),
            "digitale\\u{2028}riga\\x85nuova.".to_string(),
        ] {
            assert!(
                out.contains(&shown),
                "--color {color}: no {shown:?} in\n{out}"
            );
        }
        if color == "always" {
            assert!(r.stdout.contains("\u{1b}[1m\u{1b}[31m"), "{}", r.stdout);
        } else {
            assert!(r.stdout.contains("**sovranità**"), "{}", r.stdout);
        }
    }
}

#[test]
fn json_output_stays_faithful_and_one_record_a_line() {
    let env = hostile();
    env.run(&["index", "news"]).ok();
    let r = env.run(&["search", "sovranità", "-n", "10", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A line reader splits on these: they are escaped, and so are the controls (by JSON).
    assert!(
        !r.stdout
            .contains(['\u{2028}', '\u{2029}', '\u{85}', '\u{1b}', '\u{7}'])
    );
    assert!(r.stdout.contains("\\u2028") && r.stdout.contains("\\u0085"));
    let hits = r.json_lines();
    assert_eq!(hits.len(), 3, "{}", r.stdout);
    let field = |f: &str| -> Vec<&str> { hits.iter().filter_map(|h| h[f].as_str()).collect() };
    assert!(field("title").contains(&format!("Titolo {BAD_TEXT} sovranità").as_str()));
    assert!(field("title").contains(&format!("Record {BAD_TEXT} sovranità").as_str()));
    // A date carrying `BAD` is no date; its line stays text.
    assert_eq!(field("date"), ["2025-01-02"]);
    assert!(
        field("text")
            .iter()
            .any(|t| t.contains(&format!("\n2025-01-01 {BAD_TEXT}\n")))
    );
    assert!(field("path").contains(&format!("news/b{BAD}.txt").as_str()));
    assert!(field("url").contains(&format!("https://example.org/{BAD_TEXT}").as_str()));
    assert!(
        field("text").contains(
            &format!("La sovranità {BAD_TEXT} digitale\u{2028}riga\u{85}nuova.").as_str()
        )
    );
    util::assert_highlights_consistent(&hits);

    let summary = env.run(&["index", "--json"]).ok();
    assert!(!summary.stdout.contains(['\u{2028}', '\u{1b}']));
    let errors = summary.json()["errors"].clone();
    assert_eq!(
        errors[0]["path"],
        Value::from(format!("news/d{BAD}\u{2028}.txt"))
    );
}

#[test]
fn the_final_error_line_shows_a_hostile_path_visibly() {
    let env = Env::new();
    let r = env.run(&["index", &format!("gone{BAD}")]);
    assert_eq!(r.code, 2);
    assert_run_safe("index of a missing folder", &r);
    assert!(
        r.stderr
            .starts_with(&format!("cerca: gone{BAD_SHOWN}: cannot index")),
        "{}",
        r.stderr
    );
}

/// A folder with one indexed article, for the query tests.
fn one_article() -> Env {
    let env = Env::new();
    env.write(
        "news/a.txt",
        "Sovranità tecnologica\n2025-01-01\n\nIl testo parla di a e di intelligenza artificiale.\n",
    );
    env.run(&["index", "news"]).ok();
    env
}

/// Runs a search for `query` (after `--`, so a leading `-` is not an option) and checks that it
/// ended with an exit code of its own, not a signal.
#[track_caller]
fn search_bomb(env: &Env, what: &str, query: &str) -> Run {
    let r = env.run(&["search", "--color", "never", "--", query]);
    assert!(
        [0, 1, 2].contains(&r.code),
        "{what}: exit {} (-1 is a signal)\nstderr: {}",
        r.code,
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
    r
}

#[test]
fn query_bombs_end_in_an_exit_code() {
    let env = one_article();
    let deep = |n: usize, inner: &str| format!("{}{inner}{}", "(".repeat(n), ")".repeat(n));
    // Over 10,000 bytes or 1,000 words: refused, saying why.
    for (what, q) in [
        ("15,000 (", "(".repeat(15_000)),
        ("\"a\" OR x 15,000", "\"a\" OR ".repeat(15_000)),
        ("NOT x 3,000", format!("{}x", "NOT ".repeat(3_000))),
    ] {
        let r = search_bomb(&env, what, &q);
        assert_eq!(r.code, 2, "{what}");
        assert!(
            r.stderr.contains("the query is too long"),
            "{what}: {}",
            r.stderr
        );
    }
    let r = search_bomb(&env, "1,001 words", &"parola ".repeat(1_001));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("too many words: 1001, at most 1000"),
        "{}",
        r.stderr
    );

    // Deeper than the parser goes: searched as plain words, with the note.
    for (what, q) in [
        (
            "5,000 ( and a word",
            format!("{} intelligenza", "(".repeat(5_000)),
        ),
        ("100 levels", deep(100, "intelligenza OR nulla")),
        (
            "-( 4,000 times",
            format!("{}intelligenza", "-(".repeat(4_000)),
        ),
    ] {
        let r = search_bomb(&env, what, &q);
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        assert!(r.stderr.contains("does not parse"), "{what}: {}", r.stderr);
    }
    // Up to the bound it is a query like any other.
    let r = search_bomb(&env, "32 levels", &deep(32, "intelligenza OR nulla"));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));

    // Nothing to search for: an error; every other bomb within the bounds just runs.
    for (what, q) in [
        ("-x10,000", "-".repeat(10_000)),
        ("NOT x2,000", "NOT ".repeat(2_000)),
        (")x10,000", ")".repeat(10_000)),
        ("\"x10,000", "\"".repeat(10_000)),
    ] {
        assert_eq!(search_bomb(&env, what, &q).code, 2, "{what}");
    }
    for (what, q) in [
        ("999 ORs", format!("{}intelligenza", "w OR ".repeat(999))),
        ("lang: x 500", "lang:it ".repeat(500)),
        (
            "-( 16 deep",
            format!("{}x{}", "a OR -(".repeat(16), ")".repeat(16)),
        ),
    ] {
        search_bomb(&env, what, &q);
    }
}

/// Pieces of query syntax and awkward characters, for the property test below.
const PIECES: &[&str] = &[
    "(",
    ")",
    "\"",
    "“",
    "»",
    "-",
    "+",
    ":",
    "*",
    "~",
    " ",
    " OR ",
    " AND ",
    " NOT ",
    "lang:",
    "lang:it",
    "intelligenza",
    "testo",
    "a",
    "città",
    "l'AI",
    "\u{202e}",
    "\u{2028}",
    "\u{1b}",
];

/// Found by `any_query_is_searched_or_refused`: an excluded phrase that has run out of passages
/// was asked about passage 0, and tantivy's phrase scorer panicked (in a debug build).
#[test]
fn an_excluded_phrase_with_no_passage_left_is_not_a_panic() {
    use cerca::search::search;
    let env = one_article();
    let store = cerca::index::Store::open(&env.path("index")).unwrap();
    for q in [
        " NOT intelligenza-a\"\"\"intelligenza(((",
        "intelligenza -\"intelligenza artificiale\"",
        "NOT \"zzz qqq\" intelligenza",
    ] {
        assert!(search(&store, q, 5).is_ok(), "{q}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Through the library, against a real index: any query is answered or refused, never a panic.
    #[test]
    fn any_query_is_searched_or_refused(
        pieces in proptest::collection::vec(
            prop_oneof![
                4 => proptest::sample::select(PIECES).prop_map(str::to_string),
                1 => any::<char>().prop_map(String::from),
            ],
            0..300,
        )
    ) {
        use cerca::search::{SearchError, search};
        use std::sync::OnceLock;
        static ENV: OnceLock<Env> = OnceLock::new();
        let env = ENV.get_or_init(one_article);
        let store = cerca::index::Store::open(&env.path("index")).unwrap();
        match search(&store, &pieces.concat(), 5) {
            Ok(_) | Err(SearchError::Empty) | Err(SearchError::Query(_)) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
