//! Date lines: whether the line under a title is its date, perhaps with a label before it
//! (`Pubblicato il`), a place (`Roma,`) or a byline after it. Conservative on purpose: a line
//! taken for a date is taken out of the text.

use chrono::NaiveDate;

use super::{MAX_INPUT, parse};

/// The date of a line under a title: the line is a date when, perhaps after a label
/// (`Pubblicato il`, `Published:`), a place (`Roma, 14 marzo 2025`) or before a byline
/// (`14 marzo 2025 | di Mario Rossi`), it is a date and nothing else. A sentence that mentions a
/// date is not a date line.
pub fn line(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() > MAX_INPUT {
        return None;
    }
    let bare = text.strip_suffix('.').unwrap_or(text);
    [Some(bare), without_label(bare), without_place(bare)]
        .into_iter()
        .flatten()
        .find_map(|s| parse(s).or_else(|| parse(before_byline(s)?)))
}

/// `Pubblicato il 14 marzo 2025` → `14 marzo 2025`.
fn without_label(s: &str) -> Option<&str> {
    #[rustfmt::skip]
    const LABELS: &[&str] = &[
        "pubblicato il", "pubblicato", "aggiornato il", "aggiornato", "ultimo aggiornamento",
        "data di pubblicazione", "data",
        "published on", "published", "posted on", "posted", "updated on", "last updated on",
        "last updated", "updated", "date",
        "publié le", "mis à jour le", "publié",
        "veröffentlicht am", "veröffentlicht", "aktualisiert am", "stand", "datum",
        "publicado el", "publicado", "actualizado el", "fecha",
    ];
    LABELS.iter().find_map(|label| {
        let rest = strip_prefix_ignoring_case(s, label)?;
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        rest.starts_with(char::is_whitespace)
            .then(|| rest.trim_start())
    })
}

/// `Roma, 14 marzo 2025` → `14 marzo 2025`: a place of at most three words before a comma.
fn without_place(s: &str) -> Option<&str> {
    let (place, rest) = s.split_once(',')?;
    let is_place = place.chars().count() <= 30
        && place.split_whitespace().count() <= 3
        && place
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-'));
    is_place.then_some(rest)
}

/// `14 marzo 2025 | di Mario Rossi` → `14 marzo 2025`. Only what opens like a byline or an
/// update note is cut: `14 marzo 2025 - Il Senato approva…` is a paragraph, not a date line.
fn before_byline(s: &str) -> Option<&str> {
    const OPENINGS: &[&str] = &[
        "di ",
        "by ",
        "par ",
        "von ",
        "por ",
        "a cura di ",
        "redazione",
        "aggiornato",
        "updated",
        "mis à jour",
        "aktualisiert",
        "actualizado",
    ];
    let (date, after) = [" | ", " · ", " - ", " – ", " — "]
        .iter()
        .find_map(|sep| s.split_once(sep))?;
    let byline = after.chars().count() <= 60
        && OPENINGS
            .iter()
            .any(|o| strip_prefix_ignoring_case(after, o).is_some());
    byline.then_some(date)
}

fn strip_prefix_ignoring_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let mut chars = s.char_indices();
    for want in prefix.chars() {
        let (_, got) = chars.next()?;
        if !got.to_lowercase().eq(want.to_lowercase()) {
            return None;
        }
    }
    Some(chars.next().map_or("", |(i, _)| &s[i..]))
}
