//! `cerca serve` facing hostile input and its own life cycle, through the real binary: huge,
//! malformed and binary requests, the host check, the security headers on every answer,
//! document fields that carry markup, a page with no way to run document text, SIGINT and
//! SIGTERM, a busy port, a folder that is not cerca's.

mod util;

use util::server::{SIGINT, SIGTERM, Server, articles};
use util::{Env, run_output};

#[test]
fn hostile_requests_are_refused_and_the_server_goes_on() {
    let env = Env::new();
    articles(&env);
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
    articles(&env);
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
    let found = server.api("/api/search", &[("q", "sovranità")]).hits();
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
    articles(&env);
    for signal in [SIGINT, SIGTERM] {
        let server = env.serve(&[]);
        assert_eq!(server.get("/api/stats").status, 200);
        assert_eq!(server.stop(signal), 0);
    }
}

/// The program `--open` runs, as a script in a folder of its own that records its arguments (to
/// `ARGS` beside it) and exits with `status`.
fn fake_opener(env: &Env, status: u8) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let name = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let args = env.path(&format!("opener-{status}/ARGS"));
    let script = env.write(
        &format!("opener-{status}/{name}"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}.part' && mv '{0}.part' '{0}'\nexit {status}\n",
            args.display()
        ),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script.parent().unwrap().to_path_buf(), args)
}

/// What the fake opener was called with, once it has been (at most 10 s).
fn opened_with(args: &std::path::Path) -> String {
    let start = std::time::Instant::now();
    while !args.exists() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the opener was not run"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::fs::read_to_string(args).unwrap()
}

/// `PATH` with `folder` first.
fn path_before(folder: &std::path::Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(folder.to_path_buf()).chain(std::env::split_paths(&rest)))
        .unwrap()
}

#[test]
fn open_hands_the_printed_url_to_the_desktops_opener() {
    let env = Env::new();
    articles(&env);
    let (folder, args) = fake_opener(&env, 0);
    let server = env.serve_with(&["--open"], &[("PATH", &path_before(&folder))]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert_eq!(opened_with(&args), format!("{}\n", server.url));
    assert_eq!(server.get("/api/stats").status, 200);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn open_without_a_working_opener_serves_and_says_where_the_page_is() {
    let env = Env::new();
    articles(&env);
    // No opener on PATH at all; then one that fails (a desktop without a browser).
    let empty = env.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let (failing, args) = fake_opener(&env, 3);
    for (path, why) in [
        (empty.into_os_string(), "was not found"),
        (path_before(&failing), "failed (exit status: 3)"),
    ] {
        let mut server = env.serve_with(&["--open"], &[("PATH", &path)]);
        let url = server.url.clone();
        let said = server.stderr_line(&url);
        assert!(said.contains(why), "{said}");
        assert!(
            said.ends_with(&format!("open {url} in a browser")),
            "{said}"
        );
        assert_eq!(server.get("/api/stats").status, 200);
        assert_eq!(server.stop(SIGTERM), 0);
    }
    assert!(opened_with(&args).starts_with("http://127.0.0.1:"));
}

#[test]
fn a_busy_port_exits_2_saying_so() {
    let env = Env::new();
    articles(&env);
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
