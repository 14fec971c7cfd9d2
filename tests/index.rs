//! Indexing through the real binary: summaries, bad files, re-runs.

mod util;

use std::fs;

use util::Env;

#[test]
fn summary_json_has_the_documented_shape() {
    let env = Env::with_shipped();
    let s = env.index_shipped().json();
    let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "added",
            "documents",
            "errors",
            "kept",
            "passages",
            "removed",
            "skipped",
            "unchanged",
            "updated"
        ]
    );
    assert_eq!(s["added"], 35);
    assert_eq!(s["documents"], 35);
    assert!(s["passages"].as_u64().unwrap() > 100);
    assert_eq!(s["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn rerun_never_duplicates_and_remembers_roots() {
    let env = Env::with_shipped();
    let first = env.index_shipped().json();
    let second = env.run(&["index", "--json"]).ok().json();
    assert_eq!(second["passages"], first["passages"]);
    assert_eq!(second["documents"], first["documents"]);
    assert_eq!(second["unchanged"], 35);
    assert_eq!(second["added"], 0);
    let hits = env.hits("\"Mistral 7B\"", 100);
    let mut keys: Vec<String> = hits
        .iter()
        .map(|h| format!("{}:{}", h["path"], h["line"]))
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "duplicate passages");
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let env = Env::new();
    env.write(
        "news/good.txt",
        "Buone notizie\n\nIl Garante ha chiuso l'istruttoria.\n",
    );
    env.write(
        "news/binary.txt",
        b"\x7fELF\x02\x01\x01\x00\x00\x00garbage\x00\x00",
    );
    env.write("news/latin1.txt", b"Citt\xe0\n\nPerch\xe9 no.\n");
    env.write("news/image.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    env.write(
        "news/notes.md",
        "# Appunti\n\nSul **Garante** e [altro](http://x).\n",
    );
    let r = env.run(&["index", "news", "--json"]).ok();
    let s = r.json();
    // Latin-1 is read as Latin-1 (it used to be an error); only the binary file is one.
    assert_eq!(s["added"], 3, "{s}");
    assert_eq!(s["skipped"], 1);
    let errors = s["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{s}");
    let text = s["errors"].to_string();
    assert!(
        text.contains("binary.txt") && text.contains("binary"),
        "{text}"
    );
    let latin1 = env.hits("perché", 10);
    assert_eq!(latin1.len(), 1);
    assert!(latin1[0]["path"].as_str().unwrap().ends_with("latin1.txt"));
    assert_eq!(latin1[0]["text"], "Perché no.");
    assert!(
        r.stderr.contains("binary.txt"),
        "warning on stderr: {}",
        r.stderr
    );
    assert_eq!(env.hits("Garante", 10).len(), 2);
    assert!(
        env.hits("altro", 10)
            .iter()
            .all(|h| !h["text"].as_str().unwrap().contains("http"))
    );
}

#[test]
fn human_summary_reads_as_a_sentence() {
    let env = Env::with_shipped();
    let r = env.run(&["index", "corpus", "seeds"]).ok();
    assert!(
        r.stdout
            .starts_with("35 added, 0 updated, 0 removed, 0 unchanged in "),
        "{}",
        r.stdout
    );
}

#[test]
fn missing_path_is_an_error_and_nothing_to_index_says_what_to_do() {
    let env = Env::new();
    let r = env.run(&["index", "nowhere"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere"), "{}", r.stderr);
    let r = env.run(&["index"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cerca index"), "{}", r.stderr);
}

#[test]
fn index_location_from_flag_and_environment() {
    let env = Env::with_shipped();
    env.run(&["index", "corpus", "--index", "elsewhere"]).ok();
    assert!(env.path("elsewhere/meta.json").exists());
    assert_eq!(
        env.run(&["search", "Garante", "--index", "elsewhere"]).code,
        0
    );
    let r = env
        .cmd(&["search", "Garante"])
        .env("CERCA_INDEX", env.path("elsewhere"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    assert!(!env.path("index/meta.json").exists());
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang_and_are_reported() {
    let env = Env::new();
    env.write("news/a.txt", "Titolo\n\nTesto sul regolamento.\n");
    std::os::unix::fs::symlink(env.path("news"), env.path("news/loop")).unwrap();
    std::os::unix::fs::symlink(env.path("news/missing.txt"), env.path("news/broken.txt")).unwrap();
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(s["added"], 1);
    let errors = s["errors"].to_string();
    assert!(errors.contains("loop"), "{errors}");
}

#[test]
fn files_are_removed_and_updated_on_rerun() {
    let env = Env::new();
    env.write("news/a.txt", "Uno\n\nPrimo testo sul regolamento.\n");
    env.write("news/b.txt", "Due\n\nSecondo testo sulla vigilanza.\n");
    env.run(&["index", "news"]).ok();
    fs::remove_file(env.path("news/b.txt")).unwrap();
    env.write(
        "news/a.txt",
        "Uno\n\nPrimo testo cambiato sulla sovranità.\n",
    );
    let s = env.run(&["index", "--json"]).ok().json();
    assert_eq!(
        (s["updated"].as_u64(), s["removed"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    assert_eq!(env.run(&["search", "vigilanza"]).code, 1);
    assert_eq!(env.run(&["search", "regolamento"]).code, 1);
    assert_eq!(env.run(&["search", "sovranita"]).code, 0);
}
