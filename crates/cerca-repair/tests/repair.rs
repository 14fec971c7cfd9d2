//! The crate's promises over text written for these tests (`correct.txt`: news sentences in
//! twenty languages, names, symbols, box drawing, emoji and a few odd but correct strings):
//! correct text is never changed, and the same text damaged through every code page, once or
//! twice, is repaired to exactly what it was.

use cerca_repair::{CodePage, repair};
use proptest::prelude::*;

const CORRECT: &str = include_str!("correct.txt");

/// The code pages damage is tried through here (Thai has its own tests: its damage loses bytes).
const PAGES: [CodePage; 6] = [
    CodePage::Windows1252,
    CodePage::Latin1,
    CodePage::MacRoman,
    CodePage::Windows1250,
    CodePage::Iso8859_2,
    CodePage::Cp437,
];

/// `text`'s UTF-8 read through `page`; a byte the page lacks becomes its C1 control, as browsers
/// and encoding_rs decode.
fn damage(text: &str, page: CodePage) -> String {
    text.bytes()
        .map(|b| page.decode_byte(b).unwrap_or(char::from(b)))
        .collect()
}

fn lines() -> impl Iterator<Item = &'static str> {
    CORRECT.lines().filter(|l| !l.trim().is_empty())
}

#[test]
fn correct_text_is_never_changed() {
    let changed: Vec<String> = lines()
        .chain([CORRECT])
        .filter_map(|line| {
            let r = repair(line);
            (r.text != line).then(|| format!("{line:?}\n  -> {:?}", r.text))
        })
        .collect();
    assert!(changed.is_empty(), "{}", changed.join("\n"));
}

/// Lines that are odd on purpose (`SPÄ“`, `Ç’A`, `AHÅ™`-like typos): correct, and kept, but
/// their damage cannot be told from damage of other text, so they are not round-tripped.
fn ordinary(line: &str) -> bool {
    !line.contains("typo") && !line.contains("odd German")
}

#[test]
fn damage_through_every_code_page_is_repaired() {
    let mut failed = Vec::new();
    for page in PAGES {
        for line in lines().filter(|l| !l.is_ascii() && ordinary(l)) {
            let damaged = damage(line, page);
            let got = repair(&damaged).text;
            if got != line {
                failed.push(format!("{page:?}: {damaged:?}\n  -> {got:?}"));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn damage_twice_and_three_times_is_repaired() {
    let mut failed = Vec::new();
    let layers: [&[CodePage]; 4] = [
        &[CodePage::Windows1252, CodePage::Windows1252],
        &[CodePage::Windows1252, CodePage::Latin1],
        &[CodePage::MacRoman, CodePage::Windows1252],
        &[
            CodePage::Windows1252,
            CodePage::Windows1252,
            CodePage::Windows1252,
        ],
    ];
    for pages in layers {
        for line in lines().filter(|l| !l.is_ascii() && ordinary(l)) {
            let damaged = pages.iter().fold(line.to_string(), |t, &p| damage(&t, p));
            let got = repair(&damaged).text;
            if got != line {
                failed.push(format!("{pages:?}: {damaged:?}\n  -> {got:?}"));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Words of the correct text, to build random sentences from.
fn words() -> Vec<&'static str> {
    let mut words: Vec<&str> = lines()
        .filter(|l| ordinary(l) && !l.contains('│') && !l.contains('─'))
        .flat_map(str::split_whitespace)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn sentence() -> impl Strategy<Value = String> {
    let words = words();
    proptest::collection::vec(proptest::sample::select(words), 1..12).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_sentences_are_kept(text in sentence()) {
        prop_assert_eq!(repair(&text).text, text.as_str());
    }

    #[test]
    fn random_sentences_survive_damage(text in sentence(), page in proptest::sample::select(PAGES.to_vec()), twice in any::<bool>()) {
        let mut damaged = damage(&text, page);
        if twice {
            damaged = damage(&damaged, CodePage::Windows1252);
        }
        prop_assert_eq!(repair(&damaged).text, text.as_str(), "from {:?}", damaged);
    }

    #[test]
    fn any_input_is_safe(text in "\\PC{0,64}") {
        // No panic, and a result only when something changed.
        let r = repair(&text);
        prop_assert_eq!(r.fixes.is_empty(), r.text == text.as_str());
    }
}
