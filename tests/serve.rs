//! `cerca serve` through the real binary over real HTTP: the API against the command line's own
//! JSON, every parameter and error status, path lookup that never reaches the disk, the index
//! followed without a restart (also under load during a re-index), hostile input, the
//! security headers, signals and a busy port. The page in a real browser: `tests/browser.rs`.

mod util;

use std::thread;

use serde_json::Value;
use util::server::{SIGINT, SIGTERM, Server};
use util::{Env, run_output};

/// Three short articles in two sources and two languages, over two years.
fn corpus(env: &Env) {
    env.write(
        "news/garante/a.txt",
        "La sovranità tecnologica europea\n2025-02-11\n\n\
         Il piano della Commissione sulla sovranità tecnologica europea mobilita nuovi investimenti pubblici e privati.\n\n\
         Un secondo paragrafo parla di chip, di energia e dei data center che serviranno.\n\n\
         Un terzo paragrafo torna sulla sovranita tecnologica e sul ruolo delle imprese italiane nel mercato.\n",
    );
    env.write(
        "news/ansa/b.txt",
        "Sovranità digitale e cloud\n2024-05-02\n\n\
         Secondo il ministro la sovranità tecnologica del Paese passa dal cloud europeo e dalle competenze digitali.\n",
    );
    env.write(
        "news/ansa/c.txt",
        "Technological sovereignty in Europe\n2025-03-01\n\n\
         Europe wants technological sovereignty over chips, and the Italian press calls it sovranità tecnologica.\n",
    );
    env.run(&["index", "news", "--json"]).ok();
}

fn hits(answer: &util::server::Answer) -> Vec<Value> {
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["hits"].as_array().unwrap().clone()
}

#[test]
fn search_answers_the_objects_of_search_json() {
    let env = Env::new();
    corpus(&env);
    let server = env.serve(&[]);
    let answer = server.api("/api/search", &[("q", "sovranità tecnologica")]);
    let v = answer.json();
    assert!(answer.content_type.starts_with("application/json"));
    let cli = env.hits("sovranità tecnologica", 10);
    assert_eq!(hits(&answer), cli);
    assert_eq!(v["count"], cli.len());
    assert_eq!(v["query"], "sovranità tecnologica");
    assert!(v["took_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(v["relaxed"], false);
    assert_eq!(v["lenient"], false);
    util::assert_highlights_consistent(&hits(&answer));
}

#[test]
fn every_parameter_asks_what_its_flag_or_filter_asks() {
    let env = Env::new();
    corpus(&env);
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
        let api = hits(&server.api("/api/search", &all));
        assert_eq!(api, cli(&flags, &query), "{params:?}");
        assert!(!api.is_empty(), "{params:?}");
    }
    // More from one document: every passage of that file, none of the others.
    let only = hits(&server.api(
        "/api/search",
        &[("q", q), ("path", "news/garante/a.txt"), ("per_doc", "0")],
    ));
    assert!(!only.is_empty());
    assert!(only.iter().all(|h| h["path"] == "news/garante/a.txt"));
    let dated: Vec<String> = hits(&server.api("/api/search", &[("q", q), ("sort", "date")]))
        .iter()
        .map(|h| h["date"].as_str().unwrap().to_string())
        .collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{dated:?}");
}

#[test]
fn a_bad_parameter_is_a_400_that_says_which() {
    let env = Env::new();
    corpus(&env);
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
    corpus(&env);
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
    corpus(&env);
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
    corpus(&env);
    assert_eq!(
        hits(&server.api("/api/search", &[("q", "sovranità")])),
        env.hits("sovranità", 10)
    );
    let find = |word: &str| hits(&server.api("/api/search", &[("q", word)])).len();
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

#[test]
fn searches_during_re_indexing_all_succeed() {
    let env = Env::new();
    corpus(&env);
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
        env.run(&["index"]).ok();
    }
    for c in clients {
        let statuses = c.join().unwrap();
        assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    }
    assert_eq!(
        hits(&server.api("/api/search", &[("q", "parola5")])).len(),
        1
    );
}

#[test]
fn hostile_requests_are_refused_and_the_server_goes_on() {
    let env = Env::new();
    corpus(&env);
    let server = env.serve(&[]);
    let huge = format!(
        "GET /api/search?q={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        "a".repeat(200_000),
        server.port()
    );
    let answer = server.raw(huge.as_bytes());
    assert!(!answer.starts_with("HTTP/1.1 2"), "{:.80}", answer);
    assert!(!answer.starts_with("HTTP/1.1 5"), "{:.80}", answer);
    assert!(
        server
            .raw(b"\x00\xff garbage\r\n\r\n")
            .starts_with("HTTP/1.1 400")
    );
    let elsewhere = format!(
        "GET / HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
        server.port()
    );
    assert!(server.raw(elsewhere.as_bytes()).starts_with("HTTP/1.1 421"));
    for query in [
        "q=%ff%fe%00",
        "q=%zz",
        "q=((((((((((((((((((((((((((((((((((((((((((((((((((((sovranit",
        "q=%22%22%22%22~99999999999",
        "q=date:9999-99-99..%20lang:zz",
        "q=path:**/**/**/**/**/**/***",
        "q=sovranita&n=5&&&=&=x",
    ] {
        let a = server.get(&format!("/api/search?{query}"));
        assert!(a.status == 200 || a.status == 400, "{query}: {}", a.body);
        let _ = a.json();
    }
    assert_eq!(server.api("/api/search", &[("q", "sovranità")]).status, 200);
}

#[test]
fn every_answer_carries_the_security_headers() {
    let env = Env::new();
    corpus(&env);
    let server = env.serve(&[]);
    for path in [
        "/",
        "/app.js",
        "/app.css",
        "/api/search?q=x",
        "/api/stats",
        "/api/doc",
    ] {
        let a = server.get(path);
        assert!(a.csp.contains("script-src 'self'"), "{path}: {}", a.csp);
        assert!(a.csp.contains("default-src 'none'"), "{path}: {}", a.csp);
        assert!(!a.csp.contains("unsafe"), "{path}: {}", a.csp);
        assert!(a.nosniff, "{path}");
    }
    assert!(server.get("/").content_type.starts_with("text/html"));
    assert!(
        server
            .get("/app.js")
            .content_type
            .starts_with("text/javascript")
    );
}

#[test]
fn hostile_document_fields_come_back_unchanged_as_json() {
    let env = Env::new();
    util::server::hostile(&env);
    env.run(&["index", "news"]).ok();
    let server = env.serve(&[]);
    let found = hits(&server.api("/api/search", &[("q", "sovranità")]));
    let by_path = |end: &str| {
        found
            .iter()
            .find(|h| h["path"].as_str().unwrap().ends_with(end))
            .unwrap()
    };
    let h = by_path("hostile.txt");
    assert_eq!(h["title"], "<script>alert(1)</script> sovranità");
    assert_eq!(
        h["text"],
        "\"><img src=x onerror=alert(2)> sovranità tecnologica"
    );
    assert_eq!(by_path("feed.jsonl")["url"], "javascript:alert(3)");
}

/// The page builds itself from text only: none of the ways to turn a string into markup or code,
/// no inline script, style or handler (the CSP would refuse them anyway), nothing from elsewhere.
#[test]
fn the_page_has_no_way_to_run_document_text() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve/assets");
    let js = std::fs::read_to_string(root.join("app.js")).unwrap();
    for risky in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setAttribute(\"on",
    ] {
        assert!(!js.contains(risky), "app.js uses {risky}");
    }
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    for risky in [" on", "style=", "<script>", "http://", "https://", "<style"] {
        assert!(!html.contains(risky), "index.html has {risky:?}");
    }
    let css = std::fs::read_to_string(root.join("app.css")).unwrap();
    assert!(!css.contains("url(") && !css.contains("@import"));
}

#[test]
fn sigint_and_sigterm_stop_it_cleanly() {
    let env = Env::new();
    corpus(&env);
    for signal in [SIGINT, SIGTERM] {
        let server = env.serve(&[]);
        assert_eq!(server.get("/api/stats").status, 200);
        assert_eq!(server.stop(signal), 0);
    }
}

#[test]
fn a_busy_port_exits_2_saying_so() {
    let env = Env::new();
    corpus(&env);
    let server: Server = env.serve(&[]);
    let addr = format!("127.0.0.1:{}", server.port());
    let second = run_output(env.cmd(&["serve", "--addr", &addr]).output().unwrap());
    assert_eq!(second.code, 2, "{}", second.stderr);
    assert!(
        second.stderr.contains(&format!("{addr} is already in use")),
        "{}",
        second.stderr
    );
    assert_eq!(server.get("/api/stats").status, 200);
}

#[test]
fn a_folder_that_is_not_cercas_is_refused_at_start() {
    let env = Env::new();
    env.write("other/meta.json", "{\"not\": \"tantivy\"}");
    let r = env.run(&["serve", "--addr", "127.0.0.1:0", "--index", "other"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a cerca index"), "{}", r.stderr);
}
