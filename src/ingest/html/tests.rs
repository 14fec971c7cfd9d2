use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn texts(r: &Record) -> Vec<(&str, usize)> {
    r.blocks.iter().map(|b| (b.text.as_str(), b.line)).collect()
}

fn all_text(r: &Record) -> String {
    r.blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn article_page_metadata() {
    let r = page(&fixture("ai-act-in-vigore.html")).unwrap();
    assert_eq!(
        r.title,
        "AI Act, da oggi il regolamento europeo è in vigore"
    );
    assert_eq!(r.date, Some(ymd(2024, 8, 1)));
    assert_eq!(
        r.url.as_deref(),
        Some("https://cronache.example/2024/08/01/ai-act-in-vigore")
    );
}

#[test]
fn article_paragraphs_with_their_lines() {
    let r = page(&fixture("ai-act-in-vigore.html")).unwrap();
    let t = texts(&r);
    assert_eq!(t.len(), 7, "{t:#?}");
    assert!(
        t[0].0
            .starts_with("Il regolamento (UE) 2024/1689 sull’intelligenza")
    );
    assert!(
        t[0].0.contains("il 1° agosto 2024, venti giorni"),
        "{}",
        t[0].0
    );
    assert!(t[0].0.contains("dell'Unione europea"));
    assert_eq!(t[0].1, 25);
    assert_eq!(t[1].1, 28);
    assert_eq!(t[2], ("Sanzioni fino al 7% del fatturato", 31));
    assert_eq!(t[3].1, 32);
    assert_eq!(
        t[5],
        (
            "Rischio alto: obblighi stringenti prima dell'immissione sul mercato.",
            37
        )
    );
    assert_eq!(t[6], ("Rischio limitato: obblighi di trasparenza.", 38));
}

#[test]
fn boilerplate_is_dropped() {
    let r = page(&fixture("ai-act-in-vigore.html")).unwrap();
    let text = all_text(&r);
    for word in [
        "pixelspia",
        "contatorefantasma",
        "font-family",
        "Oroscopo",
        "biscotti",
        "Accetta",
        "gelati",
        "riservati",
        "Cronache Digitali",
        "/tag/ue",
    ] {
        assert!(!text.contains(word), "{word:?} in {text}");
    }
}

#[test]
fn page_without_article_keeps_the_body_minus_furniture() {
    let r = page(&fixture("bletchley-summit.htm")).unwrap();
    // `<title>` minus the site, recognised because the `<h1>` says where the headline ends.
    assert_eq!(
        r.title,
        "AI Safety Summit ends with the Bletchley Declaration"
    );
    assert_eq!(r.date, Some(ymd(2023, 11, 2)));
    assert_eq!(
        r.url.as_deref(),
        Some("https://policy-notes.example/bletchley-declaration")
    );
    let t = texts(&r);
    assert_eq!(
        t[0],
        (
            "The first global AI Safety Summit was hosted by the United Kingdom at Bletchley Park on 1 and 2 November 2023.",
            20
        )
    );
    assert!(t[1].0.starts_with("Twenty-eight countries"));
    assert_eq!(t[1].1, 22);
    assert_eq!(t[2], ("Venue", 24));
    assert_eq!(t[3], ("Bletchley Park, Buckinghamshire", 24));
    let text = all_text(&r);
    assert!(
        !text.contains("Weathervane") && !text.contains("hailstorm"),
        "{text}"
    );
    assert!(!text.contains("schema.org"));
}

#[test]
fn title_falls_back_from_og_title_to_title_to_h1() {
    let og = r#"<meta property="og:title" content="  Dal meta  "><title>Dal title</title><p>x</p>"#;
    assert_eq!(page(og).unwrap().title, "Dal meta");
    assert_eq!(
        page("<title>Dal  title</title><h1>Dal h1</h1><p>x</p>")
            .unwrap()
            .title,
        "Dal title"
    );
    assert_eq!(
        page("<h1>Dal &amp; h1</h1><p>corpo</p>").unwrap().title,
        "Dal & h1"
    );
    // No headline anywhere: the first sentence, as for plain text.
    assert_eq!(
        page("<p>Solo testo. Altro.</p>").unwrap().title,
        "Solo testo."
    );
}

#[test]
fn site_names_are_cut_only_when_known() {
    assert_eq!(
        without_site("Notizia | Sito", Some("Sito"), None),
        "Notizia"
    );
    assert_eq!(
        without_site("Sito - Notizia", Some("Sito"), None),
        "Notizia"
    );
    assert_eq!(
        without_site("Notizia - Altro", None, Some("Notizia")),
        "Notizia"
    );
    // A dash inside a headline is not a site name.
    assert_eq!(
        without_site("Italia - Francia, intesa sull'IA", None, None),
        "Italia - Francia, intesa sull'IA"
    );
}

#[test]
fn dates_from_meta_time_or_json_ld() {
    let by_name = r#"<meta name="date" content="2024-08-01"><p>testo</p>"#;
    assert_eq!(page(by_name).unwrap().date, Some(ymd(2024, 8, 1)));
    let time =
        r#"<article><time datetime="2025-02-02T10:00">2 febbraio</time><p>testo</p></article>"#;
    assert_eq!(page(time).unwrap().date, Some(ymd(2025, 2, 2)));
    let ld =
        r#"<script type="application/ld+json">{"datePublished":"2025-02-11"}</script><p>t</p>"#;
    assert_eq!(page(ld).unwrap().date, Some(ymd(2025, 2, 11)));
    // Any shape the date parser reads, not only ISO.
    let worded = r#"<meta name="date" content="1 agosto 2024"><p>testo</p>"#;
    assert_eq!(page(worded).unwrap().date, Some(ymd(2024, 8, 1)));
    // A value that is no date gives way to the next source of one.
    let vague = r#"<meta name="date" content="agosto 2024"><meta name="dc.date" content="02/08/2024"><p>t</p>"#;
    assert_eq!(page(vague).unwrap().date, Some(ymd(2024, 8, 2)));
    let none = r#"<meta name="date" content="ieri"><p>testo</p>"#;
    assert_eq!(page(none).unwrap().date, None);
}

#[test]
fn a_published_time_with_an_offset_keeps_its_day() {
    let html = r#"<html><head><meta property="article:published_time" content="2025-03-14T23:30:00-05:00"></head><body><p>testo</p></body></html>"#;
    assert_eq!(page(html).unwrap().date, Some(ymd(2025, 3, 14)));
}

#[test]
fn entities_decoded_and_whitespace_collapsed() {
    let r =
        page("<p>L&#39;IA&nbsp;e la\n   citt&agrave; &lt;futura&gt; &euro;&#x20AC;</p>").unwrap();
    assert_eq!(r.blocks[0].text, "L'IA e la città <futura> €€");
}

#[test]
fn menus_and_hidden_elements_are_dropped() {
    let html = r#"<body>
<ul><li><a href="/a">Politica</a></li><li><a href="/b">Esteri</a></li></ul>
<p>Il testo vero.</p>
<ul><li>Un elenco vero, con un <a href="/c">link</a> dentro.</li></ul>
<div hidden>nascosto</div><p style="display: none">invisibile</p>
</body>"#;
    let r = page(html).unwrap();
    assert_eq!(
        texts(&r),
        vec![
            ("Il testo vero.", 3),
            ("Un elenco vero, con un link dentro.", 4)
        ]
    );
}

#[test]
fn furniture_class_on_a_wrapper_of_everything_is_ignored() {
    let html = r#"<body><div class="layout with-sidebar"><p>Tutto il testo della pagina.</p></div>
<div class="share-box">Condividi</div></body>"#;
    let r = page(html).unwrap();
    assert_eq!(texts(&r), vec![("Tutto il testo della pagina.", 1)]);
}

#[test]
fn pages_without_text_or_title_give_nothing() {
    assert_eq!(page(""), None);
    assert_eq!(page("<script>var x = 1;</script><nav>menu</nav>"), None);
}

#[test]
fn a_page_that_is_only_a_title_keeps_it_with_its_line() {
    let r = page("<html>\n<head><title>Solo titolo</title></head></html>").unwrap();
    assert_eq!(r.title, "Solo titolo");
    assert!(r.blocks.is_empty());
    assert_eq!(r.title_line, Some(2));
    let r = page("<body>\n\n<h1>Solo un titolo</h1></body>").unwrap();
    assert_eq!(
        (r.title.as_str(), r.title_line),
        ("Solo un titolo", Some(3))
    );
}

#[test]
fn fragments_of_feed_items() {
    let f = fragment("<p>Uno &amp; due</p><script>x()</script>tre <b>quattro</b>");
    assert_eq!(f, vec!["Uno & due", "tre quattro"]);
    assert!(fragment("").is_empty());
}

#[test]
fn meta_charset_sniffing() {
    assert_eq!(
        meta_charset(b"<html><head><meta charset=\"windows-1252\">").as_deref(),
        Some("windows-1252")
    );
    assert_eq!(
        meta_charset(
            b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">"
        )
        .as_deref(),
        Some("iso-8859-1")
    );
    assert_eq!(
        meta_charset(b"<meta charset=utf-8>").as_deref(),
        Some("utf-8")
    );
    assert_eq!(
        meta_charset(b"<meta name=\"x\" content=\"y\"><p>charset=no</p>"),
        None
    );
    let late = [
        vec![b' '; CHARSET_SNIFF],
        b"<meta charset=\"koi8-r\">".to_vec(),
    ]
    .concat();
    assert_eq!(meta_charset(&late), None);
    assert_eq!(meta_charset(b""), None);
}

#[test]
fn a_paragraph_over_several_lines_keeps_where_each_line_begins() {
    let html = "<html><body>\n<p>alpha\nbeta\n  gamma <b>bold\nword</b> tail\nend</p>\n<p\nclass=x>\nsecond</p></body></html>";
    let r = page(html).unwrap();
    let b = &r.blocks[0];
    assert_eq!(b.text, "alpha beta gamma bold word tail end");
    assert_eq!(b.line, 2);
    let at = |word: &str| {
        let offset = b.text.find(word).unwrap();
        b.marks.iter().rev().find(|m| m.0 <= offset).unwrap().1
    };
    assert_eq!(
        ["alpha", "beta", "gamma", "bold", "word", "tail", "end"].map(at),
        [2, 3, 4, 4, 5, 5, 6]
    );
    assert_eq!(r.blocks[1].text, "second");
    assert_eq!(r.blocks[1].marks, vec![(0, 9)]);
}

#[test]
fn an_entity_inside_a_wrapped_paragraph_does_not_shift_its_lines() {
    let html = "<html><body><p>uno &amp;\ndue &lt;\ntre</p></body></html>";
    let b = &page(html).unwrap().blocks[0];
    assert_eq!(b.text, "uno & due < tre");
    assert_eq!(b.marks, vec![(0, 1), (6, 2), (12, 3)]);
}
