//! Dates: the one parser every format's date goes through, from whatever a file wrote (ISO,
//! RFC 2822, `14/03/2025`, `venerdì 14 marzo 2025`, a PDF's `D:20250314…`) to the calendar day
//! as its writer meant it. A document's date is a [`NaiveDate`] from here on: a story written at
//! 23:30 in New York on 14 March is dated 14 March, not the UTC day after, because that is the
//! date its reader saw. Anything vaguer than a day (a year, a month) or outside 1900–2100 is no
//! date: it cannot be filtered on. The parser is hand-written over tokens, with no regex and no
//! backtracking, and gives up on inputs longer than [`MAX_INPUT`] bytes, so it is fast on any
//! input.

mod label;
mod names;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Utc};

pub use label::line;
use names::{day, fold, is_joiner, is_weekday, month};

/// A date is short; anything longer is a sentence or garbage, and is not read at all.
pub const MAX_INPUT: usize = 100;
/// The years a news date can fall in; others are typos or placeholders (`0001-01-01`).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;
/// Epoch numbers at least this large are milliseconds: as seconds they would be past the year
/// 5000, as milliseconds they are after March 1973.
const MILLIS_FROM: f64 = 1e11;
/// Smaller numbers in a date field are years (`2025`), counts or a placeholder (`0`), not the
/// first day of 1970.
const EPOCH_FROM: f64 = 1e5;

/// The calendar date `raw` names, as written (in its writer's zone), or `None` when it is not a
/// full date cerca reads. Numeric dates are read day first, as in European news: `03/04/2025` is
/// 3 April, and `04/14/2025` is no date.
pub fn parse(raw: &str) -> Option<NaiveDate> {
    when(raw).map(|w| w.date)
}

/// What a date string says: its calendar day and, when it gives a time and a zone, the instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When {
    pub date: NaiveDate,
    pub instant: Option<DateTime<Utc>>,
}

/// Like [`parse`], keeping the instant too (a feed checks it against its parser's).
pub fn when(raw: &str) -> Option<When> {
    let s = raw.trim();
    if s.is_empty() || s.len() > MAX_INPUT {
        return None;
    }
    let found = standard(s)
        .or_else(|| pdf(s))
        .or_else(|| numeric(s))
        .or_else(|| worded(s))?;
    YEARS.contains(&found.date.year()).then_some(found)
}

/// The date of a Unix timestamp in a JSON number: seconds, or milliseconds when it is too large
/// to be seconds (see [`MILLIS_FROM`]). An epoch has no zone but UTC, so the day is UTC's. A
/// small number (see [`EPOCH_FROM`]) is no timestamp.
pub fn from_epoch(number: f64) -> Option<NaiveDate> {
    if !number.is_finite() || number.abs() < EPOCH_FROM {
        return None;
    }
    let seconds = if number.abs() >= MILLIS_FROM {
        number / 1000.0
    } else {
        number
    };
    // Out-of-range floats saturate; the year check below refuses them.
    let date = DateTime::from_timestamp(seconds.floor() as i64, 0)?.date_naive();
    YEARS.contains(&date.year()).then_some(date)
}

/// RFC 3339 and RFC 2822, through chrono: the forms feeds and APIs are specified to use.
fn standard(s: &str) -> Option<When> {
    let d = DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .ok()?;
    Some(When {
        date: d.date_naive(),
        instant: Some(d.to_utc()),
    })
}

/// A PDF date, `D:YYYYMMDDHHmmSSOHH'mm'`, where everything after the day may be left out; the
/// `D:` is optional (some writers drop it), the day is not (`D:2025` is only a year).
fn pdf(s: &str) -> Option<When> {
    let body = s.strip_prefix("D:").unwrap_or(s);
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if !matches!(digits, 8 | 10 | 12 | 14) {
        return None;
    }
    let number = |at: usize| body[at..at + 2].parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(body[..4].parse().ok()?, number(4)?, number(6)?)?;
    let time = match digits {
        8 => None,
        _ => {
            let part = |at: usize| if at < digits { number(at) } else { Some(0) };
            Some(NaiveTime::from_hms_opt(part(8)?, part(10)?, part(12)?)?)
        }
    };
    let zone = &body[digits..];
    let offset = match zone {
        "" => None,
        // `Z00'00'`: some writers follow the Z with a zero offset.
        _ if zone.starts_with('Z') => Some(offset("Z")?),
        _ => Some(offset(zone.trim_end_matches('\''))?),
    };
    Some(with_time(date, time, offset))
}

/// `2025-03-14`, `2025/3/14`, `2025.03.14` (year first), or `14/03/2025`, `14.03.2025`,
/// `14-03-2025` (day first), optionally followed by a time.
fn numeric(s: &str) -> Option<When> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .unwrap_or(s.len());
    let (head, rest) = s.split_at(end);
    let sep = head.chars().find(|c| !c.is_ascii_digit())?;
    let mut parts = head.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || [a, b, c].iter().any(|p| !is_digits(p, 1..=4)) {
        return None;
    }
    let short = |p: &str| p.len() <= 2;
    let (year, month, day) = if a.len() == 4 && short(b) && short(c) {
        (a, b, c)
    } else if c.len() == 4 && short(a) && short(b) {
        (c, b, a)
    } else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    // `2025-03-14T08:00`: an ISO time follows the `T` directly.
    let tokens: Vec<&str> = match rest.strip_prefix(['T', 't']) {
        Some(time) if a.len() == 4 && time.starts_with(|c: char| c.is_ascii_digit()) => {
            time.split_whitespace().collect()
        }
        _ if rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ',') => {
            tokens(rest)
        }
        _ => return None,
    };
    let (time, offset) = tail(&tokens)?;
    Some(with_time(date, time, offset))
}

/// Dates with a month name in Italian, English, French, German or Spanish: `14 marzo 2025`,
/// `venerdì 14 marzo 2025`, `March 14, 2025`, `14. März 2025`, `14 de marzo de 2025`, `1º
/// marzo 2025`, `1er mars 2025`, `Fri, 14 Mar 2025 08:00:00 GMT`; a time may follow.
fn worded(s: &str) -> Option<When> {
    let tokens = tokens(s);
    let (date, used) = match day_month_year(&tokens) {
        Some(found) => found,
        // A weekday opens the date; its name is not checked against the day (feeds get it
        // wrong, and the numbers are what the writer meant).
        None if tokens.first().is_some_and(|t| is_weekday(t)) => {
            let (date, used) = day_month_year(&tokens[1..])?;
            (date, used + 1)
        }
        None => return None,
    };
    let (time, offset) = tail(&tokens[used..])?;
    Some(with_time(date, time, offset))
}

/// The date at the start of `tokens` and how many tokens it took: day month year (with `de`,
/// `del` or `of` between them), or month day year (English).
fn day_month_year(tokens: &[&str]) -> Option<(NaiveDate, usize)> {
    let mut at = 0;
    let mut next = |skip_joiners: bool| {
        while skip_joiners && at > 0 && tokens.get(at).is_some_and(|t| is_joiner(t)) {
            at += 1;
        }
        let t = tokens.get(at).copied();
        at += 1;
        t
    };
    let first = next(false)?;
    let second = next(true)?;
    let (day, month) = match (day(first), month(second)) {
        (Some(d), Some(m)) => (d, m),
        _ => (day(second)?, month(first)?),
    };
    let year = next(true).filter(|y| is_digits(y, 4..=4))?.parse().ok()?;
    Some((NaiveDate::from_ymd_opt(year, month, day)?, at))
}

/// A time and zone after a date, or nothing: `08:00`, `08:00:00 GMT`, `ore 8:30`, `8:00 PM
/// +0100`, `08:00:00.250Z`. Anything else after a date makes the whole string no date, so a
/// sentence that starts with a date is not taken for one.
fn tail(tokens: &[&str]) -> Option<(Option<NaiveTime>, Option<FixedOffset>)> {
    const JOINERS: &[&str] = &[
        "ore", "alle", "at", "um", "à", "a", "las", "h", "-", "–", "—", "|", "·", "@",
    ];
    let mut rest = tokens;
    while let Some((first, after)) = rest.split_first() {
        if !JOINERS.contains(&fold(first).as_str()) && !JOINERS.contains(first) {
            break;
        }
        rest = after;
    }
    let Some((clock, mut rest)) = rest.split_first() else {
        // Joiners with no time after them are not a time.
        return (tokens.is_empty()).then_some((None, None));
    };
    // A zone may be glued to the time: `08:00Z`, `08:00:00+01:00`.
    let split = clock.find(['Z', 'z', '+', '-']).unwrap_or(clock.len());
    let (clock, glued) = clock.split_at(split);
    let mut time = time_of_day(clock)?;
    if let Some((meridiem, after)) = rest.split_first() {
        let pm = match fold(meridiem).as_str() {
            "am" | "a.m" => Some(false),
            "pm" | "p.m" => Some(true),
            _ => None,
        };
        if let Some(pm) = pm {
            time = twelve_hour(time, pm)?;
            rest = after;
        }
    }
    let zone = match (glued.is_empty(), rest) {
        (false, []) => Some(offset(glued)?),
        (true, []) => None,
        (true, [zone]) => Some(offset(zone)?),
        // An email's `+0100 (CET)`: the comment only repeats the zone.
        (true, [zone, comment]) if comment.starts_with('(') && comment.ends_with(')') => {
            Some(offset(zone)?)
        }
        _ => return None,
    };
    Some((Some(time), zone))
}

/// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fff`.
fn time_of_day(s: &str) -> Option<NaiveTime> {
    let mut parts = s.split(':');
    let hour = parts.next().filter(|p| is_digits(p, 1..=2))?.parse().ok()?;
    let minute = parts.next().filter(|p| is_digits(p, 2..=2))?.parse().ok()?;
    let second = match parts.next() {
        None => 0,
        Some(p) => {
            let (whole, fraction) = p.split_once('.').unwrap_or((p, "0"));
            if !is_digits(whole, 2..=2) || !is_digits(fraction, 1..=9) {
                return None;
            }
            whole.parse().ok()?
        }
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

fn twelve_hour(time: NaiveTime, pm: bool) -> Option<NaiveTime> {
    use chrono::Timelike;
    let hour = match (time.hour(), pm) {
        (1..=11, false) => time.hour(),
        (12, false) => 0,
        (1..=11, true) => time.hour() + 12,
        (12, true) => 12,
        _ => return None,
    };
    time.with_hour(hour)
}

/// A zone: `Z`, `UTC`, `GMT`, `+01:00`, `+0100`, `+01`, `+01'00` (PDF), or a common name.
fn offset(zone: &str) -> Option<FixedOffset> {
    const NAMED: &[(&str, i32)] = &[
        ("Z", 0),
        ("UT", 0),
        ("UTC", 0),
        ("GMT", 0),
        ("WET", 0),
        ("WEST", 1),
        ("BST", 1),
        ("CET", 1),
        ("CEST", 2),
        ("MEZ", 1),
        ("MESZ", 2),
        ("EET", 2),
        ("EEST", 3),
        ("EST", -5),
        ("EDT", -4),
        ("CST", -6),
        ("CDT", -5),
        ("MST", -7),
        ("MDT", -6),
        ("PST", -8),
        ("PDT", -7),
    ];
    if let Some((_, hours)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(zone)) {
        return FixedOffset::east_opt(hours * 3600);
    }
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..]
        .chars()
        .filter(|&c| c != ':' && c != '\'')
        .collect();
    if !is_digits(&digits, 2..=4) || digits.len() == 3 {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Ok(0), str::parse)
        .ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

fn with_time(date: NaiveDate, time: Option<NaiveTime>, offset: Option<FixedOffset>) -> When {
    let instant = time
        .zip(offset)
        .and_then(|(t, o)| date.and_time(t).and_local_timezone(o).single())
        .map(|d| d.to_utc());
    When { date, instant }
}

/// Words of a date: split at spaces and commas, which only separate.
fn tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_digits(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}
