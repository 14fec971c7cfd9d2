use crate::testutil::noise;
use std::path::PathBuf;

use super::*;

/// Reads with the default inflate limit.
fn read_all(bytes: &[u8]) -> Result<(Record, Vec<String>), IngestError> {
    read(bytes, inflate_limit(&Options::default()))
}

/// Writes a small PDF by hand: Helvetica text (WinAnsi, so Latin-1 accents work), one line per
/// entry of a page, an empty entry being a paragraph gap; `image` pages hold only a picture.
/// The fixtures in `tests/fixtures/pdf/` are made by this function (see `fixtures_are_current`).
pub(in crate::ingest) fn build(pages: &[Page], info: &[(&str, &[u8])]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let n = pages.len();
    // 1 catalog, 2 page tree, 3 font, then page + content per page, then the info dictionary.
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (i, page) in pages.iter().enumerate() {
        let content = match page {
            Page::Text(lines) => text_content(lines),
            Page::Image => b"q 200 0 0 200 72 500 cm /Im1 Do Q".to_vec(),
            Page::Raw(content) => content.to_vec(),
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R \
                 /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 {} 0 R >> >> >>",
                5 + 2 * i,
                4 + 2 * n
            )
            .into_bytes(),
        );
        objects.push(stream(b"", &content));
    }
    objects.push(stream(
        b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray \
          /BitsPerComponent 8",
        &[0, 255, 255, 0],
    ));
    let mut dict = b"<<".to_vec();
    for (key, value) in info {
        dict.extend(format!(" /{key} (").bytes());
        dict.extend(escape(value));
        dict.push(b')');
    }
    dict.extend(b" >>");
    objects.push(dict);

    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            objects.len()
        )
        .bytes(),
    );
    out
}

pub(in crate::ingest) enum Page<'a> {
    Text(&'a [&'a str]),
    Image,
    Raw(&'a [u8]),
}

fn text_content(lines: &[&str]) -> Vec<u8> {
    let mut c = b"BT /F1 12 Tf 72 770 Td".to_vec();
    for line in lines {
        if line.is_empty() {
            c.extend(b" 0 -16 Td");
            continue;
        }
        let latin1: Vec<u8> = line.chars().map(|ch| u8::try_from(ch).unwrap()).collect();
        c.extend(b" (");
        c.extend(escape(&latin1));
        c.extend(b") Tj 0 -16 Td");
    }
    c.extend(b" ET");
    c
}

fn stream(dict: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s = b"<< ".to_vec();
    s.extend(dict);
    s.extend(format!(" /Length {} >>\nstream\n", data.len()).bytes());
    s.extend(data);
    s.extend(b"\nendstream");
    s
}

fn escape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

fn utf16(s: &str) -> Vec<u8> {
    let mut v = b"\xFE\xFF".to_vec();
    v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    v
}

const PAGE_1: &[&str] = &[
    "Il Garante privacy sanziona OpenAI",
    "",
    "Il 20 dicembre 2024 il Garante per la protezione dei dati personali",
    "ha inflitto a OpenAI una sanzione di 15 milioni di euro per come",
    "sono stati trattati i dati personali degli utenti di ChatGPT.",
];
const PAGE_2: &[&str] = &[
    "L'autorità ha anche ordinato una campagna di comunicazione di sei",
    "mesi su radio, televisione, giornali e internet.",
    "",
    "OpenAI ha annunciato ricorso, definendo la sanzione sproporzionata.",
];
const AI_ACT: &[&str] = &[
    "The EU AI Act enters into force",
    "",
    "The European regulation on artificial intelligence entered into force",
    "on 1 August 2024, twenty days after its publication in the Official",
    "Journal of the European Union on 12 July 2024.",
];

/// The fixtures, by file name.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let garante = build(
        &[Page::Text(PAGE_1), Page::Text(PAGE_2)],
        &[
            ("Title", &utf16("Sanzione dell'autorità a OpenAI")),
            ("CreationDate", b"D:20241220093000+01'00'"),
        ],
    );
    let truncated = garante[..garante.len() / 3].to_vec();
    vec![
        ("garante-openai-it.pdf", garante),
        ("ai-act-en.pdf", build(&[Page::Text(AI_ACT)], &[])),
        (
            "scanned.pdf",
            build(&[Page::Image], &[("Title", b"Scansione")]),
        ),
        ("truncated.pdf", truncated),
    ]
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

/// The committed fixtures are exactly what `build` makes; `CERCA_WRITE_FIXTURES=1` rewrites them.
#[test]
fn fixtures_are_current() {
    for (name, bytes) in fixtures() {
        let path = fixture_dir().join(name);
        if std::env::var_os("CERCA_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "{name} is stale: rerun with CERCA_WRITE_FIXTURES=1"
        );
    }
}

fn fixture(name: &str) -> Vec<u8> {
    fixtures().into_iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn two_pages_keep_their_page_and_line() {
    let (record, problems) = read_all(&fixture("garante-openai-it.pdf")).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    // (page, line within the page, the paragraph's first words)
    let found: Vec<(Option<u32>, usize, String)> = record
        .blocks
        .iter()
        .map(|b| (b.page, b.line, b.text.chars().take(20).collect()))
        .collect();
    let expected = [
        (1, 1, "Il Garante privacy s"),
        (1, 2, "Il 20 dicembre 2024 "),
        (2, 1, "L'autorità ha anche "),
        (2, 3, "OpenAI ha annunciato"),
    ];
    let expected: Vec<(Option<u32>, usize, String)> = expected
        .iter()
        .map(|&(p, l, t)| (Some(p), l, t.to_string()))
        .collect();
    assert_eq!(found, expected);
    assert!(
        record.blocks[1].text.contains(
            "personali ha inflitto a OpenAI una sanzione di 15 milioni di euro per come sono"
        ),
        "lines of a paragraph joined with spaces: {:?}",
        record.blocks[1].text
    );
}

#[test]
fn title_and_date_come_from_the_info_dictionary() {
    let (record, _) = read_all(&fixture("garante-openai-it.pdf")).unwrap();
    assert_eq!(record.title, "Sanzione dell'autorità a OpenAI");
    assert_eq!(record.date, chrono::NaiveDate::from_ymd_opt(2024, 12, 20));
}

#[test]
fn without_info_the_first_line_is_the_title() {
    let (record, _) = read_all(&fixture("ai-act-en.pdf")).unwrap();
    assert_eq!(record.title, "The EU AI Act enters into force");
    assert_eq!(record.date, None);
}

#[test]
fn a_pdf_of_images_has_no_text_layer() {
    let err = read_all(&fixture("scanned.pdf")).unwrap_err();
    assert!(matches!(err, IngestError::NoTextLayer), "{err}");
    assert_eq!(err.to_string(), "no text layer (scanned PDF?)");
}

#[test]
fn truncated_and_garbage_pdfs_are_errors() {
    for bytes in [fixture("truncated.pdf"), b"%PDF-1.4\n".to_vec(), Vec::new()] {
        let err = read_all(&bytes).unwrap_err();
        assert!(matches!(err, IngestError::BadPdf(_)), "{err}");
        assert!(err.to_string().starts_with("unreadable PDF: "), "{err}");
    }
}

#[test]
fn the_creation_date_is_read_in_its_own_zone() {
    let pdf = build(
        &[Page::Text(&["Testo della pagina."])],
        &[("CreationDate", b"D:20250314233000-05'00'")],
    );
    let (record, _) = read_all(&pdf).unwrap();
    assert_eq!(record.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 14));
    for bad in [&b"D:2025"[..], b"D:20251301", b"D:2025\xE9801", b"ieri"] {
        let pdf = build(
            &[Page::Text(&["Testo della pagina."])],
            &[("CreationDate", bad)],
        );
        assert_eq!(read_all(&pdf).unwrap().0.date, None, "{bad:?}");
    }
}

#[test]
fn panics_become_errors_and_slow_work_is_abandoned() {
    let err = guarded(TIME_LIMIT, || -> u8 { panic!("boom at offset 7") }).unwrap_err();
    assert!(err.to_string().contains("boom at offset 7"), "{err}");
    let err = guarded(Duration::from_millis(20), || {
        thread::sleep(Duration::from_millis(500));
    })
    .unwrap_err();
    assert!(err.to_string().contains("gave up"), "{err}");
    assert_eq!(guarded(TIME_LIMIT, || 7).unwrap(), 7);
}

#[test]
fn random_bytes_and_prefixes_never_panic() {
    let good = fixture("garante-openai-it.pdf");
    for cut in (0..good.len()).step_by(37) {
        let _ = read_all(&good[..cut]);
    }
    for seed in 1..40u64 {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.extend(noise(seed, 64 * seed as usize));
        let _ = read_all(&bytes);
        // Damage among the objects, leaving the cross-reference table intact so that the
        // parser gets past it and into the objects and content streams.
        let body = good.windows(4).position(|w| w == b"xref").unwrap();
        let mut damaged = good.clone();
        for (i, b) in noise(seed, 8).into_iter().enumerate() {
            damaged[(seed as usize * 97 + i * 131) % body] = b;
        }
        let _ = read_all(&damaged);
    }
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    let deep = "[".repeat(200_000);
    let content = format!("BT /F1 12 Tf 72 770 Td (Testo) Tj ET {deep}");
    let _ = read_all(&build(&[Page::Raw(content.as_bytes())], &[]));
    let (record, _) =
        read_all(&build(&[Page::Text(AI_ACT)], &[("Title", deep.as_bytes())])).unwrap();
    assert!(
        record.title.chars().count() <= 101,
        "a title, not a wall of text"
    );
}
