//! Ranking through the real binary, on hand-made documents whose right answer is known: the
//! evidence of a whole document, closeness, titles, the per-document cap, the fallback when no
//! passage holds the whole query, and `line:column` landing on the match.

mod util;

use serde_json::Value;
use util::Env;

fn indexed(files: &[(&str, &str)]) -> Env {
    let env = Env::new();
    for (path, text) in files {
        env.write(path, text);
    }
    env.run(&["index", "news"]).ok();
    env
}

fn search(env: &Env, args: &[&str]) -> (Vec<Value>, String) {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let r = env.run(&all);
    assert!(r.code <= 1, "{}", r.stderr);
    (r.json_lines(), r.stderr)
}

fn paths(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["path"].as_str().unwrap()).collect()
}

/// Filler prose of about `n` sentences, with none of the query words.
fn filler(n: usize) -> String {
    "Il consiglio ha discusso a lungo di bilanci, di scuole e di trasporti locali. ".repeat(n)
}

/// `regolamento europeo sanzioni` in two neighbouring paragraphs, each a passage of its own.
fn spread_over_two() -> String {
    format!(
        "Relazione annuale\n\nIl nuovo regolamento europeo è stato approvato. {}\n\nLe sanzioni per chi non rispetta le regole sono alte. {}\n",
        filler(6),
        filler(6)
    )
}

/// Two of those three words, together, several times.
const TWO_OF_THREE: &str =
    "Notizie\n\nIl regolamento europeo, il regolamento europeo e ancora il regolamento europeo.\n";

#[test]
fn neighbouring_passages_with_every_word_beat_a_passage_with_the_frequent_ones() {
    let env = indexed(&[
        // All three words, in two neighbouring paragraphs (each a passage of its own).
        ("news/target.txt", &spread_over_two()),
        // Two of the words, together, several times.
        ("news/decoy.txt", TWO_OF_THREE),
        // Every word, but scattered over a long document: no evidence of its own.
        (
            "news/manual.txt",
            &format!(
                "Manuale\n\nIl regolamento. {}\n\n{}\n\n{}\n\nGli europei. {}\n\n{}\n\n{}\n\nLe sanzioni. {}\n",
                filler(6),
                filler(6),
                filler(6),
                filler(6),
                filler(6),
                filler(6),
                filler(6)
            ),
        ),
    ]);
    let (hits, stderr) = search(&env, &["regolamento europeo sanzioni"]);
    assert_eq!(paths(&hits)[0], "news/target.txt", "{hits:?}");
    assert!(stderr.contains("no passage has all the words"), "{stderr}");
    assert!(paths(&hits).contains(&"news/decoy.txt"));
}

/// An index written before a document's passages were kept together (its record says nothing
/// of it) finds a passage's neighbours through the document's postings: the same answer.
#[test]
fn neighbours_are_found_in_an_index_whose_passages_may_lie_apart() {
    let env = indexed(&[
        ("news/target.txt", &spread_over_two()),
        ("news/decoy.txt", TWO_OF_THREE),
    ]);
    let (before, _) = search(&env, &["regolamento europeo sanzioni"]);
    assert_eq!(paths(&before)[0], "news/target.txt", "{before:?}");
    // The commit's record, as an older cerca wrote it: no `contiguous`.
    let meta_path = env.path("index/meta.json");
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload["contiguous"], Value::Bool(true), "{payload}");
    payload.as_object_mut().unwrap().remove("contiguous");
    meta["payload"] = Value::String(payload.to_string());
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let (after, _) = search(&env, &["regolamento europeo sanzioni"]);
    assert_eq!(paths(&after), paths(&before));
    let score = |hits: &[Value]| {
        hits.iter()
            .map(|h| h["score"].as_f64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(score(&after), score(&before));
}

#[test]
fn words_standing_together_beat_words_scattered() {
    let env = indexed(&[
        (
            "news/scattered.txt",
            &format!(
                "Appunti\n\nLa sovranità è un tema, {} e infine la parola tecnologica.\n",
                "come ripetuto in molte altre occasioni e con varie sfumature, ".repeat(6)
            ),
        ),
        (
            "news/together.txt",
            &format!(
                "Appunti\n\nLa sovranità tecnologica è un tema, {}.\n",
                "come ripetuto in molte altre occasioni e con varie sfumature, ".repeat(6)
            ),
        ),
    ]);
    let (hits, _) = search(&env, &["sovranità tecnologica"]);
    assert_eq!(paths(&hits), ["news/together.txt", "news/scattered.txt"]);
}

#[test]
fn a_short_article_titled_with_the_word_beats_a_passing_mention() {
    let env = indexed(&[
        (
            "news/short.txt",
            "Stargate: a 500 billion dollar bet on AI data centres\n\nOpenAI, SoftBank and Oracle announced the joint venture in January 2025.\n",
        ),
        (
            "news/long.txt",
            &format!(
                "Energy and chips: a long week in Washington\n\n{} Among the projects mentioned in passing was Stargate, next to many others. {}\n",
                "The administration discussed energy policy, chips and export controls at length. "
                    .repeat(12),
                "The administration discussed energy policy, chips and export controls at length. "
                    .repeat(12)
            ),
        ),
    ]);
    let (hits, _) = search(&env, &["Stargate"]);
    assert_eq!(paths(&hits)[0], "news/short.txt", "{hits:?}");
}

#[test]
fn one_document_never_fills_the_page_and_what_is_cut_is_counted() {
    let long: String = (0..8)
        .map(|i| {
            format!(
                "Paragrafo {i} su Mensch e la sua azienda. {}\n\n",
                filler(4)
            )
        })
        .collect();
    let env = indexed(&[
        ("news/long.txt", &format!("Profilo\n\n{long}")),
        ("news/other.txt", "Breve\n\nAnche qui si parla di Mensch.\n"),
    ]);
    let (hits, _) = search(&env, &["Mensch"]);
    let of_long = hits.iter().filter(|h| h["path"] == "news/long.txt").count();
    assert_eq!(of_long, 2, "{hits:?}");
    assert!(paths(&hits).contains(&"news/other.txt"));
    let cut: u64 = hits
        .iter()
        .map(|h| h["more_in_document"].as_u64().unwrap())
        .sum();
    assert_eq!(cut, 6, "{hits:?}");
    let (all, _) = search(&env, &["Mensch", "--per-doc", "0", "-n", "50"]);
    assert_eq!(all.len(), 9);
    let (one, _) = search(&env, &["Mensch", "--per-doc", "1"]);
    assert_eq!(one.len(), 2);
    // The terminal view says so too, and --files lists each document once.
    let r = env.run(&["search", "Mensch", "--color", "never"]).ok();
    assert!(
        r.stdout.contains("+6 more in this document"),
        "{}",
        r.stdout
    );
    let r = env.run(&["search", "Mensch", "--files"]).ok();
    let mut first_seen: Vec<&str> = Vec::new();
    for p in paths(&hits) {
        if !first_seen.contains(&p) {
            first_seen.push(p);
        }
    }
    assert_eq!(r.stdout, format!("{}\n", first_seen.join("\n")));
}

#[test]
fn a_phrase_and_a_word_never_in_one_passage_fall_back_with_a_message() {
    let env = indexed(&[
        (
            "news/a.txt",
            &format!(
                "Legge\n\nLa legge sull'intelligenza artificiale è in vigore. {}\n\nPrevede sanzioni pesanti. {}\n",
                filler(6),
                filler(6)
            ),
        ),
        ("news/b.txt", "Altro\n\nSolo sanzioni, di altro genere.\n"),
    ]);
    let (hits, stderr) = search(&env, &["\"intelligenza artificiale\" sanzioni"]);
    assert!(!hits.is_empty());
    assert!(stderr.contains("no passage has all the words"), "{stderr}");
    // The document that has both, in different passages, comes first.
    assert_eq!(paths(&hits)[0], "news/a.txt");
}

#[test]
fn line_and_column_point_at_the_match() {
    let env = indexed(&[
        (
            "news/a.txt",
            "Titolo\n\nPrima riga del paragrafo,\nseconda riga,\nterza riga con Abilene Texas.\n",
        ),
        (
            "news/b.jsonl",
            "{\"title\": \"Uno\", \"text\": \"Niente qui.\"}\n{\"title\": \"Due\", \"text\": \"Ancora niente.\"}\n{\"title\": \"Tre\", \"text\": \"Il campus di Abilene in Texas.\"}\n",
        ),
        (
            "news/c.html",
            "<!doctype html>\n<html><head><title>Prova</title></head>\n<body><article>\n<h1>Prova</h1>\n<p>Primo paragrafo.</p>\n\n\n<p>Il sito di Abilene in Texas.</p>\n</article></body></html>\n",
        ),
    ]);
    let (hits, _) = search(&env, &["Abilene Texas"]);
    let at = |p: &str| {
        let h = hits.iter().find(|h| h["path"] == p).expect(p);
        (
            h["line"].as_u64().unwrap(),
            h["column"].as_u64().unwrap(),
            h["passage_line"].as_u64().unwrap(),
        )
    };
    assert_eq!(at("news/a.txt"), (5, 16, 3));
    assert_eq!(at("news/b.jsonl").0, 3);
    assert_eq!(at("news/c.html").0, 8);
    let r = env
        .run(&["search", "Abilene Texas", "--color", "never"])
        .ok();
    assert!(r.stdout.contains("news/a.txt:5:16"), "{}", r.stdout);
}

#[test]
fn an_html_paragraph_wrapped_over_lines_lands_on_the_line_of_the_match() {
    // Pretty-printed HTML: one paragraph over five lines, an inline element and an entity
    // inside it; the words looked for are on the paragraph's fourth and fifth lines.
    let page = "<!doctype html>\n<html><head><title>Data center</title></head>\n<body><article>\n<h1>Data center</h1>\n<p class=\"lead\">\n  Il consorzio ha presentato\n  il progetto <em>con grande\n  enfasi</em> &amp; ambizione:\n  un campus ad Abilene,\n  in Texas, entro il 2026.\n</p>\n</article></body></html>\n";
    let env = indexed(&[("news/wrapped.html", page)]);
    let (hits, _) = search(&env, &["Abilene"]);
    assert_eq!(hits[0]["line"], 9, "{hits:?}");
    assert_eq!(hits[0]["passage_line"], 5, "{hits:?}");
    let (hits, _) = search(&env, &["Texas"]);
    assert_eq!(hits[0]["line"], 10, "{hits:?}");
    let (hits, _) = search(&env, &["enfasi"]);
    assert_eq!(hits[0]["line"], 8, "{hits:?}");
    let r = env.run(&["search", "Texas", "--vimgrep"]).ok();
    assert!(
        r.stdout.starts_with("news/wrapped.html:10:"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_pdf_hit_lands_on_its_line_of_the_page() {
    let env = Env::new();
    env.copy_fixtures("pdf", "news");
    env.run(&["index", "news"]);
    let (hits, _) = search(&env, &["ChatGPT"]);
    let h = hits
        .iter()
        .find(|h| h["path"] == "news/garante-openai-it.pdf")
        .unwrap();
    assert_eq!(h["page"], 1);
    assert_eq!(h["passage_line"], 1);
    assert_eq!(h["line"], 2);
}

#[test]
fn long_passages_show_a_fragment_around_the_matches_and_vimgrep_lands() {
    // One passage (under 1,000 characters), much longer than a fragment.
    let words: Vec<String> = (0..90).map(|i| format!("parola{i}")).collect();
    let paragraph = format!(
        "{} Il Garante della privacy interviene. {}",
        words[..60].join(" "),
        words[60..].join(" ")
    );
    let env = indexed(&[("news/a.txt", &format!("Titolo\n\n{paragraph}\n"))]);
    let r = env.run(&["search", "Garante", "--color", "never"]).ok();
    let body: String = r.stdout.lines().skip(2).collect::<Vec<_>>().join("\n");
    assert!(body.contains("**Garante**"), "{body}");
    assert!(
        body.trim_start().starts_with('…') && body.ends_with('…'),
        "{body}"
    );
    assert!(body.chars().count() < 360, "{body}");
    let full = env
        .run(&["search", "Garante", "--color", "never", "--full"])
        .ok();
    assert!(full.stdout.contains("parola0 ") && full.stdout.contains("parola89"));
    // --json keeps the whole passage and says where the fragment is.
    let (hits, _) = search(&env, &["Garante"]);
    let text = hits[0]["text"].as_str().unwrap();
    let (start, end) = (
        hits[0]["fragment"]["start"].as_u64().unwrap() as usize,
        hits[0]["fragment"]["end"].as_u64().unwrap() as usize,
    );
    assert!(text.contains("parola0 ") && text[start..end].contains("Garante"));
    assert!(start > 0 && end < text.len());
    let r = env.run(&["search", "Garante", "--vimgrep"]).ok();
    let line = r.stdout.lines().next().unwrap();
    assert!(line.starts_with("news/a.txt:3:"), "{line}");
    assert!(line.ends_with(&words[89]), "{line}");
}

#[test]
fn a_passage_is_weighed_against_passages_of_its_own_language() {
    // Many short Italian passages, and two that name Nvidia twice: an English one of about 40
    // words, and an Italian one three times as long. The same two mentions in a third of the
    // words: the English passage is the better match. Its length used to be weighed against an
    // average taken over every passage of the index, Italian ones too, which made the average
    // English passage a token or two long and this one look dozens of times too long.
    let short_it = "La giunta ha approvato il bilancio delle scuole e dei trasporti locali dopo una lunga discussione in aula, con il voto favorevole della maggioranza e qualche astensione tra i banchi dell'opposizione cittadina.";
    let mut files: Vec<(String, String)> = (0..8)
        .map(|i| {
            (
                format!("news/cronaca{i}.txt"),
                format!(
                    "Cronaca locale {i}\n\n{short_it}\n\n{short_it}\n\n{short_it}\n\n{short_it}\n"
                ),
            )
        })
        .collect();
    files.push((
        "news/en.txt".into(),
        "Chip export rules\n\nThe new export rules announced by the Commerce Department this week restrict which accelerators Nvidia may sell abroad, and analysts expect Nvidia to design a slower chip for the markets that the rules now close to its fastest products.\n".into(),
    ));
    files.push((
        "news/it.txt".into(),
        format!(
            "Mercati e tecnologia\n\nNella settimana dei conti trimestrali anche Nvidia ha presentato i suoi risultati. {} Gli analisti hanno commentato a lungo i numeri di Nvidia nelle ore successive. {}\n",
            "Il mercato ha seguito con attenzione le comunicazioni delle società quotate, tra bilanci e previsioni. ".repeat(3),
            "Le borse europee hanno chiuso la giornata in lieve rialzo, con volumi nella media del periodo. ".repeat(3)
        ),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let env = indexed(&refs);
    let (hits, _) = search(&env, &["Nvidia"]);
    assert_eq!(paths(&hits), ["news/en.txt", "news/it.txt"], "{hits:?}");
    assert_eq!(hits[0]["lang"], "en", "{hits:?}");
}

#[test]
fn a_page_about_the_query_beats_a_hub_page_that_names_it_once() {
    // The hub's one short paragraph holds both words and is the best single passage; the other
    // page is about them from start to end, in longer paragraphs. Scored whole, the page about
    // the query comes first, and its best passage with it.
    let fill = "Il testo prosegue con spiegazioni generali sull'uso del programma, sulle finestre di dialogo e sui comandi dei menu principali. ";
    let hub = [
        "Guida rapida",
        "Margini della diapositiva: si impostano dalla finestra delle proprietà, con pochi clic, per ogni presentazione aperta in quel momento sullo schermo del computer.",
        "Stampa: scegliete la stampante, il numero di copie e l'intervallo delle pagine da stampare, poi confermate con il pulsante in basso a destra della finestra.",
        "Tabelle: inserite righe e colonne dal menu Tabella, unite le celle selezionate e cambiate i bordi dalla barra degli strumenti che compare accanto al testo.",
        "Immagini: trascinate un file nella pagina, ritagliatelo con lo strumento apposito e ancoratelo al paragrafo, alla pagina o al carattere secondo le necessità.",
        "Ortografia: il controllo automatico sottolinea le parole sconosciute; il dizionario personale raccoglie quelle aggiunte dall'utente durante il lavoro quotidiano.",
    ]
    .join("\n\n");
    let about = [
        "Proprietà della pagina".to_string(),
        format!("I margini stabiliscono lo spazio vuoto tra il bordo e il contenuto di ogni diapositiva. {}", fill.repeat(2)),
        format!("Per cambiare i margini aprite la finestra delle proprietà della diapositiva e scrivete i nuovi valori nei campi. {}", fill.repeat(2)),
        format!("I margini valgono per ogni diapositiva che usa lo stesso schema, finché lo schema non viene cambiato. {}", fill.repeat(2)),
    ]
    .join("\n\n");
    let other = [
        "Note di versione".to_string(),
        format!("In questa versione la finestra delle proprietà mostra anche i margini, e l'anteprima della diapositiva si aggiorna subito. {}", fill.repeat(3)),
        format!("Altre novità riguardano la stampa e l'esportazione dei documenti in formato aperto, con opzioni nuove per le immagini. {fill}"),
    ]
    .join("\n\n");
    let env = indexed(&[
        ("news/hub.txt", &hub),
        ("news/about.txt", &about),
        ("news/other.txt", &other),
    ]);
    let (hits, _) = search(&env, &["margini diapositiva", "--per-doc", "1"]);
    assert_eq!(
        paths(&hits),
        ["news/about.txt", "news/hub.txt", "news/other.txt"],
        "{hits:?}"
    );
    // The hub's passage keeps its own, higher score: the order is not the scores' order.
    assert!(
        hits[1]["score"].as_f64() > hits[0]["score"].as_f64(),
        "{hits:?}"
    );
}
