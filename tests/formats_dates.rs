//! Dates through the real binary: one story per format, each dated 14 March 2025 in its own way
//! (ISO with an offset, RFC 2822, Italian and Spanish words, day-first numbers, a Unix timestamp,
//! a PDF date), all come out of `cerca search --json` as the same `2025-03-14`.

mod util;

use std::collections::BTreeSet;

use util::Env;

/// The word every story shares, found nowhere else.
const WORD: &str = "zafferano";

/// A one-page PDF whose text layer is `text` and whose Info dictionary has `creation_date`.
fn pdf(text: &str, creation_date: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Title (Zafferano in PDF) /CreationDate ({creation_date}) >>"),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        objects.len()
    ));
    out.into_bytes()
}

/// A folder `news/` with one story per format, dated 14 March 2025 in as many shapes.
fn stories() -> Env {
    let env = Env::new();
    env.write(
        "news/a.txt",
        format!("Il {WORD} in Senato\nvenerdì 14 marzo 2025\n\nIl {WORD} è arrivato in aula.\n"),
    );
    env.write(
        "news/b.md",
        format!("# Il {WORD} alla Camera\n\nPubblicato il 14/03/2025\n\nTesto sul {WORD}.\n"),
    );
    env.write(
        "news/c.html",
        format!(
            "<html><head><title>Il {WORD} a New York</title>\
             <meta property=\"article:published_time\" content=\"2025-03-14T23:30:00-05:00\">\
             </head><body><article><h1>Il {WORD} a New York</h1>\
             <p>Una storia di {WORD} scritta a tarda sera.</p></article></body></html>"
        ),
    );
    env.write(
        "news/d.rss",
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Notizie</title>\
             <item><title>Il {WORD} nel feed</title><link>https://notizie.example/z</link>\
             <pubDate>Fri, 14 Mar 2025 23:30:00 -0500</pubDate>\
             <description>Il {WORD} nel feed RSS.</description></item></channel></rss>"
        ),
    );
    env.write(
        "news/e.atom",
        format!(
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title>Notizie</title><id>urn:x</id><updated>2025-03-14T08:00:00Z</updated>\
             <entry><title>Il {WORD} in Atom</title><id>urn:x:1</id>\
             <published>2025-03-14T00:30:00+01:00</published>\
             <updated>2025-03-14T00:30:00+01:00</updated>\
             <summary>Il {WORD} in una voce Atom.</summary></entry></feed>"
        ),
    );
    env.write(
        "news/f.jsonl",
        format!(
            "{{\"title\": \"Il {WORD} in JSON\", \"publishedAt\": \"2025-03-14T08:00:00Z\", \
             \"text\": \"Il {WORD} in una riga JSON.\"}}\n\
             {{\"title\": \"Il {WORD} in millisecondi\", \"published_at\": 1741990000000, \
             \"text\": \"Il {WORD} con data in millisecondi.\"}}\n"
        ),
    );
    env.write(
        "news/g.json",
        format!(
            "{{\"articles\": [{{\"title\": \"El {WORD} en España\", \
             \"date\": \"14 de marzo de 2025\", \"body\": \"El {WORD} llega a Madrid.\"}}]}}"
        ),
    );
    env.write(
        "news/h.pdf",
        pdf(
            &format!("Il {WORD} in un documento PDF."),
            "D:20250314083000+01'00'",
        ),
    );
    env
}

#[test]
fn every_format_prints_the_same_iso_date() {
    let env = stories();
    let summary = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(summary["added"], 8, "{summary}");
    assert_eq!(
        summary["errors"].as_array().map(Vec::len),
        Some(0),
        "{summary}"
    );

    let hits = env.hits(WORD, 50);
    let mut titles = BTreeSet::new();
    for hit in &hits {
        assert_eq!(hit["date"], "2025-03-14", "{hit}");
        titles.insert(hit["title"].as_str().unwrap().to_string());
    }
    // Every story was found, the two JSON Lines records each on its own.
    assert_eq!(titles.len(), 9, "{titles:#?}");
    let paths: BTreeSet<&str> = hits.iter().filter_map(|h| h["path"].as_str()).collect();
    assert_eq!(paths.len(), 8, "{paths:?}");
}

#[test]
fn a_document_without_a_date_has_none() {
    let env = Env::new();
    env.write(
        "news/a.txt",
        format!("Il {WORD} senza data\nmarzo 2025\n\nTesto.\n"),
    );
    env.write(
        "news/b.jsonl",
        format!("{{\"title\": \"Il {WORD} di ieri\", \"date\": \"ieri\", \"published\": 2025}}\n"),
    );
    env.run(&["index", "news"]).ok();
    let hits = env.hits(WORD, 10);
    assert_eq!(hits.len(), 2, "{hits:#?}");
    for hit in &hits {
        assert!(hit["date"].is_null(), "{hit}");
    }
}
