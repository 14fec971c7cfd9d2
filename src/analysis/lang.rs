//! Document languages: which ones cerca analyses with their own stopwords and stemmer, and
//! detection of a document's language from its text.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use rust_stemmers::Algorithm;
use whatlang::{Detector, Lang as Wl};

/// A language cerca knows how to analyse. `Other` gets words, lowercasing and accent folding only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    It,
    En,
    Fr,
    De,
    Es,
    Other,
}

impl Lang {
    pub const ALL: [Lang; 6] = [
        Lang::It,
        Lang::En,
        Lang::Fr,
        Lang::De,
        Lang::Es,
        Lang::Other,
    ];

    /// This language's place in [`Lang::ALL`], for tables indexed by language.
    pub fn index(self) -> usize {
        self as usize
    }

    /// ISO 639-1 code, or `und` for an undetermined language.
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Other => "und",
        }
    }

    pub(crate) fn stemmer(self) -> Option<Algorithm> {
        match self {
            Lang::It => Some(Algorithm::Italian),
            Lang::En => Some(Algorithm::English),
            Lang::Fr => Some(Algorithm::French),
            Lang::De => Some(Algorithm::German),
            Lang::Es => Some(Algorithm::Spanish),
            Lang::Other => None,
        }
    }

    /// Detects the language of `text`; text too short or unlike any supported language is `Other`.
    pub fn detect(text: &str) -> Lang {
        // Built once: detection runs for every document.
        static DETECTOR: LazyLock<Detector> = LazyLock::new(|| {
            Detector::with_allowlist(vec![Wl::Ita, Wl::Eng, Wl::Fra, Wl::Deu, Wl::Spa])
        });
        let detector = &*DETECTOR;
        // A few kilobytes decide the language as well as a whole book, at a fraction of the cost.
        let sample = prefix_at_char_boundary(text, 1000);
        match detector.detect_lang(sample) {
            Some(Wl::Ita) => Lang::It,
            Some(Wl::Eng) => Lang::En,
            Some(Wl::Fra) => Lang::Fr,
            Some(Wl::Deu) => Lang::De,
            Some(Wl::Spa) => Lang::Es,
            _ => Lang::Other,
        }
    }
}

fn prefix_at_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown language `{s}` (known: it, en, fr, de, es, und)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_three_main_languages() {
        let it = "Il Parlamento europeo ha approvato il regolamento sull'intelligenza artificiale, \
                  che entrerà in vigore dopo la pubblicazione nella Gazzetta ufficiale.";
        let en = "The European Parliament approved the regulation on artificial intelligence, \
                  which will enter into force after its publication in the Official Journal.";
        let fr = "Le Parlement européen a adopté le règlement sur l'intelligence artificielle, \
                  qui entrera en vigueur après sa publication au Journal officiel.";
        assert_eq!(Lang::detect(it), Lang::It);
        assert_eq!(Lang::detect(en), Lang::En);
        assert_eq!(Lang::detect(fr), Lang::Fr);
    }

    #[test]
    fn no_letters_is_other() {
        assert_eq!(Lang::detect("1234 5678 !!!"), Lang::Other);
        assert_eq!(Lang::detect(""), Lang::Other);
    }

    #[test]
    fn index_is_the_place_in_all() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), i);
        }
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert!("xx".parse::<Lang>().is_err());
    }

    #[test]
    fn prefix_never_cuts_a_character() {
        let s = "àèìòù".repeat(1000);
        let p = prefix_at_char_boundary(&s, 4097);
        assert!(p.len() <= 4097 && s.starts_with(p));
    }
}
