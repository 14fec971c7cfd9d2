//! Incremental re-indexing through the real binary: changes, crashes, concurrency, watching.

mod util;

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Env, run_output};

fn counts(s: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| s[k].as_u64().unwrap();
    (n("added"), n("updated"), n("removed"), n("unchanged"))
}

/// A folder of `n` small Italian articles, each with a unique word `parolaN`.
fn articles(env: &Env, folder: &str, n: usize) {
    for i in 0..n {
        env.write(
            &format!("{folder}/{i:05}.txt"),
            format!(
                "Articolo {i}\n2025-01-01\n\nIl regolamento europeo sull'intelligenza artificiale e la parola{i} del giorno.\n\nUn secondo paragrafo sulla sovranità tecnologica, numero {i}.\n"
            ),
        );
    }
}

fn index_json(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["index", "--json"];
    all.extend_from_slice(args);
    env.run(&all).ok().json()
}

#[test]
fn each_kind_of_change_is_counted_and_applied() {
    let env = Env::new();
    articles(&env, "news", 5);
    assert_eq!(counts(&index_json(&env, &["news"])), (5, 0, 0, 0));
    assert_eq!(counts(&index_json(&env, &[])), (0, 0, 0, 5), "no change");

    // modify
    env.write(
        "news/00001.txt",
        "Articolo 1\n\nOra parla di supercalcolo.\n",
    );
    // touch without change: new mtime, same bytes
    let p = env.path("news/00002.txt");
    let bytes = fs::read(&p).unwrap();
    sleep(Duration::from_millis(20));
    fs::write(&p, &bytes).unwrap();
    // delete
    fs::remove_file(env.path("news/00003.txt")).unwrap();
    // rename
    fs::rename(env.path("news/00004.txt"), env.path("news/renamed.txt")).unwrap();
    // add
    env.write("news/new.txt", "Nuovo\n\nUna notizia sulla parolanuova.\n");

    let s = index_json(&env, &[]);
    // renamed: removed under the old path, added under the new one
    assert_eq!(counts(&s), (2, 1, 2, 2), "{s}");
    assert_eq!(s["documents"], 5);
    assert_eq!(env.run(&["search", "parola1"]).code, 1);
    assert_eq!(env.run(&["search", "supercalcolo"]).code, 0);
    assert_eq!(env.run(&["search", "parola3"]).code, 1);
    let renamed = env.hits("parola4", 10);
    assert_eq!(renamed.len(), 1);
    assert!(
        renamed[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("renamed.txt")
    );
    assert_eq!(env.run(&["search", "parolanuova"]).code, 0);
    // and the touched file is not read again next time
    assert_eq!(counts(&index_json(&env, &[])), (0, 0, 0, 5));
}

#[test]
fn a_schema_version_change_rebuilds_by_itself() {
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    let meta_path = env.path("index/meta.json");
    let meta = fs::read_to_string(&meta_path).unwrap();
    // The payload is JSON inside meta.json's JSON: `\"version\":N`. Make it version 0.
    let at = meta.find("\\\"version\\\":").expect("payload version") + 12;
    let digits = meta[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    let old = format!("{}0{}", &meta[..at], &meta[at + digits..]);
    assert_ne!(meta, old, "payload not found in {meta}");
    fs::write(&meta_path, old).unwrap();

    let search = env.run(&["search", "regolamento"]);
    assert_eq!(search.code, 2);
    assert!(
        search.stderr.contains("another version"),
        "{}",
        search.stderr
    );

    let r = env.run(&["index", "--json"]).ok();
    assert!(r.stderr.contains("rebuilding"), "{}", r.stderr);
    assert_eq!(counts(&r.json()), (3, 0, 0, 0));
    assert_eq!(env.hits("regolamento", 100).len(), 3);
}

/// Every passage of the index, as (path, line), through a query that matches them all.
fn all_passages(env: &Env) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = env
        .all_hits("regolamento OR sovranità OR Articolo")
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["line"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn killed_mid_run_then_rerun_gives_exact_passages() {
    let env = Env::new();
    articles(&env, "news", 400);
    let reference = {
        let r = env
            .run(&["index", "news", "--index", "reference", "--json"])
            .ok();
        r.json()["passages"].as_u64().unwrap()
    };
    for (round, delay_ms) in [5u64, 30, 80, 150, 300, 600].into_iter().enumerate() {
        if round % 2 == 1 {
            // change some files between crashes, so re-runs have real work
            env.write(
                &format!("news/{:05}.txt", round),
                format!("Articolo {round}\n\nRegolamento cambiato al giro {round}.\n"),
            );
        }
        let mut child = env
            .cmd(&["index", "news"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // whatever state the kill left, the index is searchable or absent, never broken
        let s = env.run(&["search", "regolamento", "-n", "1"]);
        assert!(
            s.code <= 2 && !s.stderr.contains("panicked"),
            "{}",
            s.stderr
        );
    }
    let after = env.run(&["index", "news", "--json"]).ok().json();
    let fresh = env
        .run(&["index", "news", "--index", "fresh", "--json"])
        .ok()
        .json();
    assert_eq!(
        after["passages"], fresh["passages"],
        "after crashes: {after}\nfresh: {fresh}"
    );
    assert_eq!(after["documents"], 400);
    assert!(reference > 0);
    let passages = all_passages(&env);
    let mut dedup = passages.clone();
    dedup.dedup();
    assert_eq!(passages.len(), dedup.len(), "duplicated passages");
    assert_eq!(passages.len() as u64, fresh["passages"].as_u64().unwrap());
}

fn wait_for(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        sleep(Duration::from_millis(20));
    }
}

fn spawn_index(env: &Env, args: &[&str]) -> Child {
    env.cmd(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_second_indexer_is_refused_or_waits_and_search_works_meanwhile() {
    let env = Env::new();
    articles(&env, "small", 3);
    index_json(&env, &["small"]);
    articles(&env, "big", 3000);
    let first = spawn_index(&env, &["index", "big", "--json"]);
    let pid_file = env.path("index/.cerca-update.pid");
    wait_for(
        "the first indexer to take the lock",
        Duration::from_secs(20),
        || pid_file.exists(),
    );

    let second = env.run(&["index", "small"]);
    // the first may have finished already on a fast machine; then the second simply succeeds
    if second.code != 0 {
        assert_eq!(second.code, 2);
        assert!(
            second.stderr.contains(&format!("process {}", first.id())),
            "{}",
            second.stderr
        );
    }
    // search sees the last commit while the update runs
    let hits = env.hits("regolamento", 1000);
    assert!(hits.len() >= 3);

    let waiting = spawn_index(&env, &["index", "--wait", "--json"]);
    let first = run_output(first.wait_with_output().unwrap()).ok();
    assert_eq!(first.json()["added"], 3000);
    let waited = run_output(waiting.wait_with_output().unwrap()).ok();
    assert_eq!(waited.json()["documents"], 3003);
    assert_eq!(env.hits("parola2999", 10).len(), 1);
}

#[cfg(unix)]
#[test]
fn watch_picks_up_changes_and_stops_on_ctrl_c() {
    let env = Env::new();
    articles(&env, "news", 2);
    let mut child = env
        .cmd(&["watch", "news", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A failing assertion must not leave the watcher running.
    let mut reaper = Reaper(Some(child.id()));
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    loop {
        let line = lines.next().expect("watch ended early").unwrap();
        if line.contains("watching") {
            break;
        }
    }
    env.write(
        "news/fresh.txt",
        "Fresco\n\nUna notizia sul supercalcolatore nuovissimo.\n",
    );
    let start = Instant::now();
    wait_for(
        "the new file to be searchable",
        Duration::from_secs(10),
        || env.run(&["search", "supercalcolatore"]).code == 0,
    );
    eprintln!("picked up in {:?}", start.elapsed());
    fs::remove_file(env.path("news/fresh.txt")).unwrap();
    wait_for(
        "the removed file to disappear",
        Duration::from_secs(10),
        || env.run(&["search", "supercalcolatore"]).code == 1,
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    reaper.0 = None;
    assert_eq!(out.status.code(), Some(0));
    let summaries: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(summaries.len() >= 3, "{summaries:?}");
    assert_eq!(summaries[0]["added"], 2);
}

/// Kills a child process on drop unless disarmed (its pid taken out) after a clean end.
struct Reaper(Option<u32>);

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}
