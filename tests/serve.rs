//! `cerca serve`'s API through the real binary over real HTTP: answers against the command
//! line's own JSON, every parameter and error status, path lookup that never reaches the disk,
//! the index followed without a restart (also while clients search during re-indexing and
//! rebuilding). Hostile input, headers, signals, a busy port: `tests/serve_safety.rs`; the
//! page in a real browser: `tests/browser.rs`.

mod util;

use std::thread;

use util::Env;

#[test]
fn search_answers_the_objects_of_search_json() {
    let env = Env::new();
    util::server::articles(&env);
    let server = env.serve(&[]);
    let answer = server.api("/api/search", &[("q", "sovranità tecnologica")]);
    let v = answer.json();
    assert!(answer.content_type.starts_with("application/json"));
    let cli = env.hits("sovranità tecnologica", 10);
    assert_eq!(answer.hits(), cli);
    assert_eq!(v["count"], cli.len());
    assert_eq!(v["query"], "sovranità tecnologica");
    assert!(v["took_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(v["relaxed"], false);
    assert_eq!(v["lenient"], false);
    util::assert_highlights_consistent(&answer.hits());
}

#[test]
fn every_parameter_asks_what_its_flag_or_filter_asks() {
    let env = Env::new();
    util::server::articles(&env);
    let server = env.serve(&[]);
    let q = "sovranità tecnologica";
    let cli = |extra: &[&str], query: &str| {
        let mut args = vec!["search", query, "--json"];
        args.extend_from_slice(extra);
        let r = env.run(&args);
        assert!(r.code <= 1, "{}", r.stderr);
        r.json_lines()
    };
    /// API parameters, the command line's flags, and its query.
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>, String);
    let cases: Vec<Case> = vec![
        (vec![("n", "1")], vec!["-n", "1"], q.into()),
        (vec![("per_doc", "1")], vec!["--per-doc", "1"], q.into()),
        (vec![("per_doc", "0")], vec!["--per-doc", "0"], q.into()),
        (vec![("since", "2025")], vec!["--since", "2025"], q.into()),
        (
            vec![("until", "2024-12")],
            vec!["--until", "2024-12"],
            q.into(),
        ),
        (vec![("sort", "date")], vec!["--sort", "date"], q.into()),
        (vec![("sort", "score")], vec![], q.into()),
        (vec![("lang", "en")], vec![], format!("{q} lang:en")),
        (vec![("source", "ANSA")], vec![], format!("{q} source:ansa")),
    ];
    for (params, flags, query) in cases {
        let mut all = vec![("q", q)];
        all.extend(params.iter().copied());
        let api = server.api("/api/search", &all).hits();
        assert_eq!(api, cli(&flags, &query), "{params:?}");
        assert!(!api.is_empty(), "{params:?}");
    }
    // More from one document: every passage of that file, none of the others.
    let only = server
        .api(
            "/api/search",
            &[("q", q), ("path", "news/garante/a.txt"), ("per_doc", "0")],
        )
        .hits();
    assert!(!only.is_empty());
    assert!(only.iter().all(|h| h["path"] == "news/garante/a.txt"));
    let dated: Vec<String> = server
        .api("/api/search", &[("q", q), ("sort", "date")])
        .hits()
        .iter()
        .map(|h| h["date"].as_str().unwrap().to_string())
        .collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{dated:?}");
}

#[test]
fn a_bad_parameter_is_a_400_that_says_which() {
    let env = Env::new();
    util::server::articles(&env);
    let server = env.serve(&[]);
    let long = "parola ".repeat(3000);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "q: give a query"),
        (&[("q", "  ")], "q: give a query"),
        (
            &[("q", "x"), ("n", "0")],
            "n: expected a whole number from 1 to 1000",
        ),
        (&[("q", "x"), ("n", "1001")], "n: expected"),
        (&[("q", "x"), ("n", "abc")], "n: expected"),
        (
            &[("q", "x"), ("n", "99999999999999999999999")],
            "n: expected",
        ),
        (&[("q", "x"), ("per_doc", "-1")], "per_doc: expected"),
        (&[("q", "x"), ("since", "ieri")], "since ieri: use a year"),
        (
            &[("q", "x"), ("until", "2025-13")],
            "until 2025-13: use a year",
        ),
        (
            &[("q", "x"), ("since", "2025-06"), ("until", "2025-05")],
            "since 2025-06 is after until 2025-05",
        ),
        (&[("q", "x"), ("lang", "xx")], "lang: unknown language"),
        (
            &[("q", "x"), ("sort", "random")],
            "sort: expected score or date",
        ),
        (&[("q", "x"), ("path", "")], "path: expected"),
        (
            &[("q", "x"), ("color", "red")],
            "unknown parameter \"color\"",
        ),
        (&[("q", "x"), ("q", "y")], "q is given more than once"),
        (&[("q", long.as_str())], "q: the query is too long"),
        (&[("q", "-solo")], "q: the query has no word"),
    ];
    for (params, says) in cases {
        let error = server.api("/api/search", params).error(400);
        assert!(error.contains(says), "{params:?}: {error}");
    }
    for (path, params) in [
        ("/api/doc", &[][..]),
        ("/api/doc", &[("path", "")][..]),
        ("/api/doc", &[("path", "a\0b")][..]),
        ("/api/doc", &[("path", "news/ansa/b.txt"), ("n", "1")][..]),
        ("/api/stats", &[("q", "x")][..]),
    ] {
        server.api(path, params).error(400);
    }
    server.get("/nowhere").error(404);
}

#[test]
fn doc_is_what_show_prints_and_only_indexed_paths_are_found() {
    let env = Env::new();
    util::server::articles(&env);
    env.write("secret.txt", "not indexed");
    std::os::unix::fs::symlink(env.path("news/garante/a.txt"), env.path("link.txt")).unwrap();
    let server = env.serve(&[]);
    for (path, q) in [
        ("news/garante/a.txt", "sovranita"),
        ("news/garante/a.txt:7", ""),
        ("./news/../news/ansa/c.txt", "chips"),
    ] {
        let mut args = vec!["show", path, "--json"];
        if !q.is_empty() {
            args.push(q);
        }
        let shown = env.run(&args).ok().json();
        let answer = server.api("/api/doc", &[("path", path), ("q", q)]);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        assert_eq!(answer.json(), shown, "{path}");
    }
    let absolute = env.path("news/ansa/b.txt");
    assert_eq!(
        server
            .api("/api/doc", &[("path", absolute.to_str().unwrap())])
            .status,
        200
    );
    // Found by name in the index or not at all: no file is read, no link followed.
    let outside = env.path("secret.txt");
    for path in [
        "news/garante/nope.txt",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        outside.to_str().unwrap(),
        "secret.txt",
        "link.txt",
        "news/garante",
        "news/garante/a.txt:99",
    ] {
        let error = server.api("/api/doc", &[("path", path)]).error(404);
        assert!(!error.contains("root:"), "{error}");
    }
    assert_eq!(env.run(&["show", "link.txt"]).code, 0);
}

#[test]
fn stats_is_what_stats_json_prints() {
    let env = Env::new();
    util::server::articles(&env);
    let server = env.serve(&[]);
    let answer = server.get("/api/stats");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json(), env.run(&["stats", "--json"]).ok().json());
}

#[test]
fn without_an_index_it_answers_503_and_follows_the_index_once_made() {
    let env = Env::new();
    let server = env.serve(&[]);
    for path in [
        "/api/search?q=sovranita",
        "/api/stats",
        "/api/doc?path=news/ansa/b.txt",
    ] {
        let error = server.get(path).error(503);
        assert!(error.contains("no index"), "{error}");
    }
    assert_eq!(server.get("/").status, 200);
    util::server::articles(&env);
    assert_eq!(
        server.api("/api/search", &[("q", "sovranità")]).hits(),
        env.hits("sovranità", 10)
    );
    let find = |word: &str| server.api("/api/search", &[("q", word)]).hits().len();
    assert_eq!(find("zanzibar"), 0);
    env.write(
        "news/ansa/d.txt",
        "Zanzibar\n2025-06-01\n\nA Zanzibar un centro di calcolo.\n",
    );
    env.run(&["index"]).ok();
    assert_eq!(find("zanzibar"), 1);
    assert_eq!(server.get("/api/stats").json()["documents"], 4);
    std::fs::remove_file(env.path("news/ansa/d.txt")).unwrap();
    env.run(&["index"]).ok();
    assert_eq!(find("zanzibar"), 0);
    server
        .api("/api/doc", &[("path", "news/ansa/d.txt")])
        .error(404);
}

/// `cerca index --rebuild` removes the old commit's files first and commits only at its end; the
/// folder is then as if `meta.json` were gone.
#[test]
fn an_index_being_rebuilt_is_served_from_its_last_commit() {
    let env = Env::new();
    util::server::articles(&env);
    let server = env.serve(&[]);
    let before = server.api("/api/search", &[("q", "sovranità")]).hits();
    std::fs::remove_file(env.path("index/meta.json")).unwrap();
    assert_eq!(
        server.api("/api/search", &[("q", "sovranità")]).hits(),
        before
    );
    assert_eq!(server.get("/api/stats").status, 200);
    env.write(
        "news/ansa/d.txt",
        "Zanzibar\n2025-06-01\n\nA Zanzibar la sovranità.\n",
    );
    env.run(&["index", "--rebuild"]).ok();
    assert_eq!(
        server.api("/api/search", &[("q", "zanzibar")]).hits().len(),
        1
    );
}

#[test]
fn searches_during_re_indexing_all_succeed() {
    let env = Env::new();
    util::server::articles(&env);
    let server = env.serve(&[]);
    let base = server.base.clone();
    let clients: Vec<_> = (0..3)
        .map(|_| {
            let base = base.clone();
            thread::spawn(move || {
                let agent = util::server::agent();
                let mut statuses = Vec::new();
                for i in 0..60 {
                    let q = if i % 2 == 0 { "sovranità" } else { "parola*" };
                    let url = format!("{base}/api/search?q={q}&n=5");
                    statuses.push(agent.get(&url).call().unwrap().status().as_u16());
                }
                statuses
            })
        })
        .collect();
    for round in 0..6 {
        env.write(
            &format!("news/ansa/r{round}.txt"),
            format!(
                "Round {round}\n2025-01-0{}\n\nLa parola{round} e la sovranità.\n",
                round + 1
            ),
        );
        // One run rebuilds from empty: its commit comes only at the end.
        if round == 3 {
            env.run(&["index", "--rebuild"]).ok();
        } else {
            env.run(&["index"]).ok();
        }
    }
    for c in clients {
        let statuses = c.join().unwrap();
        assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    }
    assert_eq!(
        server.api("/api/search", &[("q", "parola5")]).hits().len(),
        1
    );
}

/// A paragraph long enough to be a passage of its own, about `words`.
fn paragraph(words: &str, i: usize) -> String {
    format!(
        "Nel paragrafo {i} si legge di {words}, e poi il testo prosegue con frasi di contorno \
         scritte soltanto per superare la soglia minima della lunghezza di un paragrafo, così che \
         ogni blocco diventi un passaggio a sé nell'indice e il conteggio sia certo.\n\n"
    )
}

/// Files whose passages holding each word are known: `zefiro` 4 + 1, `bora` 3 + 2 + 1.
fn winds(env: &Env) {
    let file = |path: &str, head: &str, words: &[&str]| {
        let body: String = words
            .iter()
            .enumerate()
            .map(|(i, w)| paragraph(w, i))
            .collect();
        env.write(path, format!("{head}\n\n{body}"));
    };
    let both = "zefiro bora";
    file(
        "news/a/uno.txt",
        "Primo\n2025-01-10",
        &[both, both, both, "zefiro"],
    );
    file("news/a/due.txt", "Secondo\n2024-03-01", &[both, "bora"]);
    file("news/b/tre.txt", "Terzo\n2025-05-05", &["libeccio", "bora"]);
    env.run(&["index", "news", "--json"]).ok();
}

#[test]
fn totals_count_every_matching_passage_within_the_filters() {
    let env = Env::new();
    winds(&env);
    let server = env.serve(&[]);
    let total = |params: &[(&str, &str)]| {
        let v = server.api("/api/search", params).json();
        assert!(v["hits"].is_array(), "{v}");
        let t = &v["total"];
        (
            t["passages"].clone(),
            t["documents"].clone(),
            t["exact"].clone(),
        )
    };
    /// Parameters, and the passages, documents and exactness they count.
    type Case<'a> = (&'a [(&'a str, &'a str)], (u64, u64, bool));
    let cases: &[Case] = &[
        (&[("q", "zefiro")], (5, 2, true)),
        (&[("q", "bora")], (6, 3, true)),
        (&[("q", "zefiro bora")], (4, 2, true)),
        (&[("q", "\"zefiro bora\"")], (4, 2, true)),
        (&[("q", "bora -zefiro")], (2, 2, true)),
        (&[("q", "zefiro OR libeccio")], (6, 3, true)),
        (&[("q", "blockchain")], (0, 0, true)),
        (&[("q", "bora"), ("since", "2025")], (4, 2, true)),
        (&[("q", "bora"), ("until", "2024")], (2, 1, true)),
        (&[("q", "bora"), ("source", "b")], (1, 1, true)),
        (&[("q", "bora"), ("lang", "en")], (0, 0, true)),
        (&[("q", "bora"), ("path", "news/a/due.txt")], (2, 1, true)),
        // Not limited by the hits asked for, nor by the cap on one document's.
        (&[("q", "bora"), ("n", "1"), ("per_doc", "1")], (6, 3, true)),
        // Counted up to `total`: at it the count is exact, past it a lower bound (of the
        // documents too: those of the passages counted).
        (&[("q", "bora"), ("total", "6")], (6, 3, true)),
        (&[("q", "bora"), ("total", "1")], (1, 1, false)),
    ];
    for (params, (passages, documents, exact)) in cases {
        assert_eq!(
            total(params),
            ((*passages).into(), (*documents).into(), (*exact).into()),
            "{params:?}"
        );
    }
    let (passages, documents, exact) = total(&[("q", "bora"), ("total", "5")]);
    assert_eq!((passages, exact), (5.into(), false.into()));
    assert!(
        (1..=3).contains(&documents.as_u64().unwrap()),
        "{documents}"
    );
    let unasked = server.api(
        "/api/search",
        &[("q", "bora"), ("total", "0"), ("per_doc", "0")],
    );
    assert!(unasked.json()["total"].is_null(), "{}", unasked.body);
    assert_eq!(unasked.hits().len(), 6);
    for bad in ["-1", "abc", "1000001"] {
        let error = server
            .api("/api/search", &[("q", "bora"), ("total", bad)])
            .error(400);
        assert!(error.contains("total: expected"), "{error}");
    }
    // The total of a word is every passage the command line finds for it.
    assert_eq!(total(&[("q", "zefiro")]).0, env.all_hits("zefiro").len());
    // Passages of a changed file that the re-index replaced are not counted.
    env.write(
        "news/a/due.txt",
        format!("Secondo\n2024-03-01\n\n{}", paragraph("zefiro bora", 0)),
    );
    env.run(&["index"]).ok();
    assert_eq!(total(&[("q", "bora")]), (5.into(), 3.into(), true.into()));
}

#[test]
fn a_relaxed_search_counts_the_passages_holding_some_of_the_words() {
    let env = Env::new();
    winds(&env);
    let server = env.serve(&[]);
    // No passage holds both: the hits, and the totals, are of passages with either. A part
    // written `+part` is held by every passage shown, and counted.
    for (q, passages, documents) in [("zefiro libeccio", 6, 3), ("+libeccio zefiro", 1, 1)] {
        let v = server
            .api("/api/search", &[("q", q), ("n", "100"), ("per_doc", "0")])
            .json();
        assert_eq!(v["relaxed"], true, "{v}");
        assert_eq!(v["total"]["passages"], passages, "{v}");
        assert_eq!(v["total"]["documents"], documents, "{v}");
        assert_eq!(v["hits"].as_array().unwrap().len(), passages, "{v}");
    }
}
