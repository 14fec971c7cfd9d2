use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every shape cerca reads, each naming 14 March 2025 as its writer saw it.
#[test]
fn every_shape_gives_the_day_as_written() {
    let shapes = [
        // ISO 8601 and RFC 3339
        "2025-03-14",
        "2025-03-14T08:00:00Z",
        "2025-03-14T08:00:00.123Z",
        "2025-03-14T08:00:00.123456+01:00",
        "2025-03-14T08:00",
        "2025-03-14t08:00:00z",
        "2025-03-14 08:00",
        "2025-03-14 08:00:00",
        "2025-03-14 08:00:00 +0100",
        "2025-03-14 08:00:00 UTC",
        // in the writer's zone, not UTC's (which is already 15 March, or still 13 March)
        "2025-03-14T23:30:00-05:00",
        "2025-03-14T00:30:00+01:00",
        "2025-03-14T08:00:00+0100",
        // RFC 2822 and what feeds make of it
        "Fri, 14 Mar 2025 08:00:00 GMT",
        "Fri, 14 Mar 2025 08:00:00 +0100",
        "Fri, 14 Mar 2025 23:30:00 -0500",
        "14 Mar 2025 08:00:00 +0100",
        "Fri, 14 Mar 2025 08:00 GMT",
        "Thu, 14 Mar 2025 08:00:00 GMT",
        "Fri, 14 Mar 2025 08:00:00 +0100 (CET)",
        "Fri, 14 Mar 2025 08:00:00 CET",
        // numeric, year first or day first
        "2025/03/14",
        "2025/3/14",
        "2025.03.14",
        "14/03/2025",
        "14.03.2025",
        "14-03-2025",
        "14/3/2025",
        "14/03/2025 08:00",
        "14.03.2025, 08:00",
        // month names: Italian
        "14 marzo 2025",
        "venerdì 14 marzo 2025",
        "Venerdì, 14 marzo 2025",
        "VENERDÌ 14 MARZO 2025",
        "14 mar 2025",
        "14 Mar. 2025",
        "14 marzo 2025 ore 08:00",
        "14 marzo 2025, 08:00",
        "14 marzo del 2025",
        "ven 14 mar 2025",
        // English
        "March 14, 2025",
        "Mar 14, 2025",
        "Mar. 14 2025",
        "March 14th, 2025",
        "Friday, March 14, 2025",
        "14 March 2025",
        "14th of March 2025",
        "March 14, 2025 8:00 PM",
        "March 14, 2025 at 8:00 am EST",
        // French
        "14 mars 2025",
        "vendredi 14 mars 2025",
        "14 mars 2025 à 08:00",
        // German
        "14. März 2025",
        "14. Maerz 2025",
        "Freitag, 14. März 2025",
        "14. Mrz. 2025",
        "14 März 2025 um 08:00",
        // Spanish
        "14 de marzo de 2025",
        "viernes, 14 de marzo de 2025",
        "14 mar. 2025",
        // PDF
        "D:20250314083000+01'00'",
        "D:20250314083000-05'00",
        "D:20250314083000Z",
        "D:20250314083000Z00'00'",
        "D:20250314",
        "D:202503140830",
        "20250314083000Z",
        // spaces around
        "  2025-03-14 \n",
    ];
    for raw in shapes {
        assert_eq!(parse(raw), Some(ymd(2025, 3, 14)), "{raw:?}");
    }
}

#[test]
fn first_days_with_ordinals() {
    for raw in [
        "1º marzo 2025",
        "1° marzo 2025",
        "1 marzo 2025",
        "1er mars 2025",
        "1st March 2025",
        "March 1st, 2025",
        "1. März 2025",
        "1º de marzo de 2025",
        "01/03/2025",
        "1.3.2025",
    ] {
        assert_eq!(parse(raw), Some(ymd(2025, 3, 1)), "{raw:?}");
    }
}

#[test]
fn every_month_in_every_language() {
    let months = [
        ["gennaio", "january", "janvier", "Januar", "enero"],
        ["febbraio", "february", "février", "Februar", "febrero"],
        ["marzo", "march", "mars", "März", "marzo"],
        ["aprile", "april", "avril", "April", "abril"],
        ["maggio", "may", "mai", "Mai", "mayo"],
        ["giugno", "june", "juin", "Juni", "junio"],
        ["luglio", "july", "juillet", "Juli", "julio"],
        ["agosto", "august", "août", "August", "agosto"],
        [
            "settembre",
            "september",
            "septembre",
            "September",
            "septiembre",
        ],
        ["ottobre", "october", "octobre", "Oktober", "octubre"],
        ["novembre", "november", "novembre", "November", "noviembre"],
        ["dicembre", "december", "décembre", "Dezember", "diciembre"],
    ];
    for (i, names) in months.iter().enumerate() {
        let month = u32::try_from(i + 1).unwrap();
        for name in names {
            let raw = format!("2 {name} 2024");
            assert_eq!(parse(&raw), Some(ymd(2024, month, 2)), "{raw:?}");
        }
    }
    for (raw, month) in [
        ("2 gen 2024", 1),
        ("2 janv. 2024", 1),
        ("2 févr. 2024", 2),
        ("2 avr. 2024", 4),
        ("2 mag 2024", 5),
        ("2 giu 2024", 6),
        ("2 juil. 2024", 7),
        ("2 lug 2024", 7),
        ("2 ago 2024", 8),
        ("2 set 2024", 9),
        ("2 sept. 2024", 9),
        ("2 ott 2024", 10),
        ("2 Okt. 2024", 10),
        ("2 dic 2024", 12),
        ("2 déc. 2024", 12),
        ("2 Dez. 2024", 12),
        ("2 ene 2024", 1),
    ] {
        assert_eq!(parse(raw), Some(ymd(2024, month, 2)), "{raw:?}");
    }
}

/// Numbers are read day first, as European news write them.
#[test]
fn numeric_dates_are_day_first() {
    assert_eq!(parse("03/04/2025"), Some(ymd(2025, 4, 3)));
    assert_eq!(parse("03.04.2025"), Some(ymd(2025, 4, 3)));
    // Month first (American) does not exist for cerca: 14 is no month.
    assert_eq!(parse("03/14/2025"), None);
}

#[test]
fn not_dates() {
    for raw in [
        "",
        "   ",
        "2025",
        "2025-03",
        "2025/03",
        "marzo 2025",
        "March 2025",
        "14 marzo",
        "D:2025",
        "D:202503",
        "ieri",
        "14",
        "oggi è il 14 marzo 2025",
        "2025-03-14 fu un giorno importante. Poi altro.",
        "14 marzo 2025 il Senato approva",
        "2025-03-14T",
        "2025-03-14Tfoo",
        "2025-03-14 08",
        "2025-03-14 25:00",
        "2025-03-14 08:00 Marte",
        "14 marzo 2025 ore",
        "14 foo 2025",
        "14/03/25",
        "2025-03-14-01",
        "1.2",
        "2025-03-14 08:00:00 +99",
        "€ 14 marzo 2025",
    ] {
        assert_eq!(parse(raw), None, "{raw:?}");
    }
}

#[test]
fn impossible_and_out_of_range_dates() {
    for raw in [
        "2025-13-01",
        "2025-02-31",
        "2025-00-10",
        "2025-03-00",
        "2025-03-32",
        "31/02/2025",
        "13/13/2025",
        "31 febbraio 2025",
        "29 February 2025",
        "D:20251301",
        "D:20250230",
        "D:20250314250000",
        "1899-12-31",
        "2101-01-01",
        "0001-01-01T00:00:00Z",
        "Fri, 14 Mar 1850 08:00:00 GMT",
        "9999-12-31",
    ] {
        assert_eq!(parse(raw), None, "{raw:?}");
    }
    assert_eq!(parse("29 febbraio 2024"), Some(ymd(2024, 2, 29)));
    assert_eq!(parse("1900-01-01"), Some(ymd(1900, 1, 1)));
    assert_eq!(parse("2100-12-31"), Some(ymd(2100, 12, 31)));
}

#[test]
fn long_and_hostile_inputs_are_refused_fast() {
    let long = format!("{} 14 marzo 2025", "a".repeat(200));
    assert_eq!(parse(&long), None);
    assert_eq!(parse(&"2025-03-14 ".repeat(10_000)), None);
    assert_eq!(parse(&"1".repeat(100_000)), None);
    // Just under the limit, still read.
    let padded = format!("{}14 marzo 2025", " ".repeat(80));
    assert_eq!(parse(&padded), Some(ymd(2025, 3, 14)));
    // Whatever the bytes, no panic.
    let mut rng = crate::testutil::Rng(0x2545_F491_4F6C_DD1D);
    let alphabet: Vec<char> = "0123456789-/.:+ ,TZD'ºéaMmrzo\u{0}\u{FFFD}"
        .chars()
        .collect();
    for _ in 0..20_000 {
        let len = (rng.next() % 40) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        if let Some(d) = parse(&s) {
            assert!(YEARS.contains(&d.year()), "{s:?} → {d}");
        }
        let _ = line(&s);
    }
}

#[test]
fn instants_are_kept_when_the_zone_is_given() {
    let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let cases = [
        ("2025-03-14T23:30:00-05:00", Some("2025-03-15T04:30:00Z")),
        (
            "Fri, 14 Mar 2025 08:00:00 GMT",
            Some("2025-03-14T08:00:00Z"),
        ),
        ("14 marzo 2025 ore 08:00 CET", Some("2025-03-14T07:00:00Z")),
        ("D:20250314083000+01'00'", Some("2025-03-14T07:30:00Z")),
        ("March 14, 2025 8:00 PM -0500", Some("2025-03-15T01:00:00Z")),
        ("2025-03-14 08:00", None),
        ("2025-03-14", None),
    ];
    for (raw, instant) in cases {
        let w = when(raw).unwrap();
        assert_eq!(w.date, ymd(2025, 3, 14), "{raw}");
        assert_eq!(w.instant, instant.map(utc), "{raw}");
    }
}

#[test]
fn epochs_in_seconds_and_milliseconds() {
    // 2025-03-14T08:00:00Z
    assert_eq!(from_epoch(1_741_939_200.0), Some(ymd(2025, 3, 14)));
    assert_eq!(from_epoch(1_741_939_200_000.0), Some(ymd(2025, 3, 14)));
    assert_eq!(from_epoch(1_741_939_200_123.0), Some(ymd(2025, 3, 14)));
    assert_eq!(from_epoch(-31_536_000.0), Some(ymd(1969, 1, 1)));
    // Years, counts and placeholders are no timestamps.
    for bad in [0.0, 2025.0, -1.0, 99_999.0] {
        assert_eq!(from_epoch(bad), None, "{bad}");
    }
    for bad in [f64::NAN, f64::INFINITY, -1e300, 1e300, 1e15, 5e10, -3e9] {
        assert_eq!(from_epoch(bad), None, "{bad}");
    }
}

#[test]
fn date_lines_under_a_title() {
    for raw in [
        "14 marzo 2025",
        "venerdì 14 marzo 2025",
        "2025-03-14",
        "14/03/2025",
        "Pubblicato il 14 marzo 2025",
        "pubblicato il: 14/03/2025",
        "Pubblicato: 14 marzo 2025",
        "Aggiornato il 14 marzo 2025 ore 08:00",
        "Published: March 14, 2025",
        "Published on 14 March 2025",
        "Publié le 14 mars 2025",
        "Veröffentlicht am 14. März 2025",
        "Publicado el 14 de marzo de 2025",
        "Roma, 14 marzo 2025",
        "ROMA, venerdì 14 marzo 2025",
        "14 marzo 2025.",
        "14 marzo 2025 | di Mario Rossi",
        "Pubblicato il 14 marzo 2025 - di Redazione",
        "  14 marzo 2025  ",
    ] {
        assert_eq!(line(raw), Some(ymd(2025, 3, 14)), "{raw:?}");
    }
    for raw in [
        "Il 14 marzo 2025 il Senato ha approvato la legge.",
        "14 marzo 2025 - Il Senato approva la legge",
        "Entro il 14 marzo 2025",
        "Marzo 2025",
        "Nel 2025",
        "Pubblicato il regolamento",
        "Data: da definire",
        "Roma, capitale d'Italia",
        "Dopo il voto del 14 marzo 2025, la legge passa alla Camera",
        "La data è 14/03/2025",
        "2025-03-14 fu un giorno importante. Poi altro.",
    ] {
        assert_eq!(line(raw), None, "{raw:?}");
    }
}
