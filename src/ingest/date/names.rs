//! The words of a written date in the five languages cerca reads: month names (long and short),
//! weekdays, ordinal days (`1º`, `1er`, `14.`, `14th`) and the little words between (`de`, `of`),
//! matched without regard to case or accents.

use super::is_digits;

/// A day of the month as news write it: `14`, `1º`, `1°`, `1er`, `14.` (German), `14th`.
pub fn day(token: &str) -> Option<u32> {
    const SUFFIXES: &[&str] = &[".", "º", "°", "ª", "er", "st", "nd", "rd", "th"];
    let digits = SUFFIXES
        .iter()
        .find_map(|s| token.strip_suffix(s))
        .unwrap_or(token);
    let day = digits.parse().ok().filter(|_| is_digits(digits, 1..=2))?;
    (1..=31).contains(&day).then_some(day)
}

/// Month names, long and short, folded (see [`fold`]): Italian, English, French, German, Spanish.
#[rustfmt::skip]
const MONTHS: [&[&str]; 12] = [
    &["gennaio", "gen", "january", "jan", "janvier", "janv", "januar", "janner", "enero", "ene"],
    &["febbraio", "feb", "february", "fevrier", "fevr", "fev", "februar", "febr", "febrero"],
    &["marzo", "mar", "march", "mars", "marz", "maerz", "mrz"],
    &["aprile", "apr", "april", "avril", "avr", "abril", "abr"],
    &["maggio", "mag", "may", "mai", "mayo"],
    &["giugno", "giu", "june", "jun", "juin", "juni", "junio"],
    &["luglio", "lug", "july", "jul", "juillet", "juil", "juli", "julio"],
    &["agosto", "ago", "august", "aug", "aout"],
    &["settembre", "set", "sett", "september", "sep", "sept", "septembre", "septiembre", "setiembre"],
    &["ottobre", "ott", "october", "oct", "octobre", "oktober", "okt", "octubre"],
    &["novembre", "nov", "november", "noviembre"],
    &["dicembre", "dic", "december", "dec", "decembre", "dezember", "dez", "diciembre"],
];

/// Weekday names, long and short, folded, in the same languages. `mar` is also March: a
/// weekday is only skipped when the date does not read without it.
#[rustfmt::skip]
const WEEKDAYS: &[&str] = &[
    "lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica",
    "lun", "mar", "mer", "gio", "ven", "sab", "dom",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "jeu",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
    "mo", "di", "mi", "do", "fr", "sa", "so",
    "lunes", "martes", "miercoles", "jueves", "viernes", "domingo", "mie", "jue", "vie",
];

/// A month's name, long or short, in the five languages cerca reads; case and accents ignored.
pub fn month(token: &str) -> Option<u32> {
    let name = fold(token);
    let at = MONTHS
        .iter()
        .position(|names| names.contains(&name.as_str()))?;
    u32::try_from(at + 1).ok()
}

pub fn is_weekday(token: &str) -> bool {
    WEEKDAYS.contains(&fold(token).as_str())
}

/// Words that join a date's parts: `14 de marzo de 2025`, `14 marzo del 2025`, `14th of March`.
pub fn is_joiner(token: &str) -> bool {
    matches!(token.to_lowercase().as_str(), "de" | "del" | "of")
}

/// Lowercase, without accents or a final dot: `Févr.` → `fevr`, `März` → `marz`.
pub fn fold(token: &str) -> String {
    token
        .trim_end_matches('.')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}
