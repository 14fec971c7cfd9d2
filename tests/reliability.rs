//! The index keeps its promises under interruption, corruption and misuse: a killed run never
//! leaves it stuck, a first build cut short is finished by the next run, a folder that is not
//! cerca's is never written to, a damaged index is named (and `--rebuild` recovers it), a missing
//! folder does not empty the index, a read-only index can be searched. Each test drives the real
//! binary in a temporary folder.

mod util;

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use util::{Env, Run};

/// Short articles with the word `zeta` (so one query lists every passage) and a word of their
/// own; each is one passage (its two short paragraphs make one).
fn articles(env: &Env, folder: &str, n: usize) {
    for i in 0..n {
        env.write(
            &format!("{folder}/{i:04}.txt"),
            format!(
                "Articolo {i}\n\nLa zeta del regolamento europeo, parola{i} del giorno.\n\nUn secondo paragrafo zeta sulla sovranità tecnologica, numero {i}.\n"
            ),
        );
    }
}

fn index_json(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["index", "--json"];
    all.extend_from_slice(args);
    env.run(&all).ok().json()
}

/// Every passage of an index as (path, line, text), sorted.
fn passages(env: &Env, index: &str) -> Vec<(String, u64, String)> {
    let r = env.run(&[
        "search", "zeta", "--json", "-n", "1000000", "--index", index,
    ]);
    assert!(r.code <= 1, "search failed: {}", r.stderr);
    let mut v: Vec<_> = r
        .json_lines()
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["line"].as_u64().unwrap(),
                h["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[track_caller]
fn assert_exit(r: &Run, code: i32, stderr_has: &str) {
    assert_eq!(r.code, code, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(stderr_has),
        "stderr lacks {stderr_has:?}:\n{}",
        r.stderr
    );
}

/// The payload of meta.json, parsed.
fn segments(env: &Env) -> (u64, Vec<String>) {
    let meta: Value =
        serde_json::from_str(&fs::read_to_string(env.path("index/meta.json")).unwrap()).unwrap();
    let ids = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    (meta["opstamp"].as_u64().unwrap(), ids)
}

#[test]
fn deletes_files_left_by_a_killed_update_do_not_block_the_next() {
    let env = Env::new();
    articles(&env, "news", 6);
    index_json(&env, &["news"]);
    // What a run killed inside its commit leaves: deletes files of opstamps to come.
    let (opstamp, ids) = segments(&env);
    for id in &ids {
        for k in 0..8 {
            env.write(&format!("index/{id}.{}.del", opstamp + k), b"garbage");
        }
    }
    env.write("news/0001.txt", "Cambiato\n\nLa zeta cambiata.\n");
    fs::remove_file(env.path("news/0002.txt")).unwrap();
    let r = index_json(&env, &[]);
    assert_eq!(
        (r["updated"].as_u64(), r["removed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(passages(&env, "index").len(), 5);
    // And again: the next update must not trip over anything either.
    fs::remove_file(env.path("news/0003.txt")).unwrap();
    assert_eq!(index_json(&env, &[])["removed"], 1);
}

#[test]
fn a_first_build_cut_short_is_finished_by_the_next_run_without_a_path() {
    for attempt in 0..3 {
        let env = Env::new();
        articles(&env, "news", 300);
        let mut child = env
            .cmd(&["index", "news", "--index", "idx"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it as soon as it has marked the folder as its own: before its first commit, or
        // soon after.
        let start = Instant::now();
        while !env.path("idx/.cerca-index.json").exists() && start.elapsed().as_secs() < 20 {
            sleep(Duration::from_micros(200 * attempt + 50));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let s = env.run(&["search", "zeta", "--index", "idx"]);
        assert!(
            s.code <= 2 && !s.stderr.contains("panicked"),
            "{}",
            s.stderr
        );
        let r = env.run(&["index", "--index", "idx", "--json"]).ok();
        assert_eq!(r.json()["documents"], 300, "{}", r.stderr);
        assert_eq!(passages(&env, "idx").len(), 300);
    }
}

#[test]
fn a_first_build_cut_inside_index_creation_is_finished_by_the_next_run() {
    // What a kill between tantivy's writing `.managed.json` and `meta.json` leaves: the marker
    // with the folder, tantivy's file list, no record, no segment.
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    for e in fs::read_dir(env.path("index")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name != ".cerca-index.json" && name != ".managed.json" {
            fs::remove_file(p).unwrap();
        }
    }
    let s = index_json(&env, &[]);
    assert_eq!(s["added"], 3, "{s}");
}

#[test]
fn an_index_without_a_folder_is_not_left_half_made() {
    let env = Env::new();
    let r = env.run(&["index", "--index", "new"]);
    assert_exit(&r, 2, "nothing to index yet");
    articles(&env, "news", 2);
    let r = env.run(&["index", "news", "--index", "new", "--json"]).ok();
    assert_eq!(r.json()["added"], 2);
}

#[test]
fn a_fresh_clone_whose_first_search_was_killed_builds_on_the_next_search() {
    let env = Env::with_shipped();
    let mut child = env
        .cmd(&["search", "sovranità"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !env.path("index/.cerca-index.json").exists() && start.elapsed().as_secs() < 20 {
        sleep(Duration::from_micros(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let r = env.run(&["search", "sovranità", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again = env.run(&["index", "--json"]).ok().json();
    assert!(again["documents"].as_u64().unwrap() > 30, "{again}");
}

/// A tantivy index of another application, with `n` documents.
fn foreign_index(dir: &Path, n: u64) {
    use tantivy::schema::{STORED, Schema, TEXT};
    fs::create_dir_all(dir).unwrap();
    let mut b = Schema::builder();
    let body = b.add_text_field("body", TEXT | STORED);
    let index = tantivy::Index::create_in_dir(dir, b.build()).unwrap();
    let mut w: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
    for i in 0..n {
        w.add_document(tantivy::doc!(body => format!("document {i}")))
            .unwrap();
    }
    w.commit().unwrap();
}

fn file_names(dir: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .filter(|(n, _)| !n.starts_with(".tantivy") && !n.starts_with(".cerca-update"))
        .collect();
    v.sort();
    v
}

#[test]
fn another_applications_index_is_refused_and_left_intact() {
    let env = Env::new();
    articles(&env, "news", 2);
    let other = env.path("other");
    foreign_index(&other, 1000);
    let before = file_names(&other);
    let meta_before = fs::read(other.join("meta.json")).unwrap();
    for args in [
        &["index", "news", "--index", "other"][..],
        &["index", "news", "--index", "other", "--rebuild"],
        &["index", "--index", "other"],
    ] {
        let r = env.run(args);
        assert_exit(&r, 2, "did not make");
    }
    let r = env.run(&["search", "document", "--index", "other"]);
    assert_exit(&r, 2, "did not make");
    assert_eq!(file_names(&other), before);
    assert_eq!(fs::read(other.join("meta.json")).unwrap(), meta_before);
    let index = tantivy::Index::open_in_dir(&other).unwrap();
    assert_eq!(index.reader().unwrap().searcher().num_docs(), 1000);
}

#[test]
fn a_folder_with_a_meta_json_of_its_own_is_not_made_an_index() {
    let env = Env::new();
    articles(&env, "news", 2);
    env.write("project/meta.json", "{\"name\": \"my project\"}");
    env.write("project/notes.txt", "mine");
    let before = file_names(&env.path("project"));
    let r = env.run(&["index", "news", "--index", "project"]);
    assert_exit(&r, 2, "not a cerca index");
    let r = env.run(&["index", "news", "--index", "project", "--rebuild"]);
    assert_exit(&r, 2, "not a cerca index");
    assert_eq!(file_names(&env.path("project")), before);
}

#[test]
fn names_that_differ_only_in_invalid_bytes_are_two_documents() {
    let env = Env::new();
    let dir = env.path("news");
    fs::create_dir_all(&dir).unwrap();
    let name = |b: u8| {
        let mut n = b"x".to_vec();
        n.push(b);
        n.extend_from_slice(b".txt");
        dir.join(std::ffi::OsStr::from_bytes(&n))
    };
    fs::write(name(0xff), "Primo\n\nLa zeta del primo file.\n").unwrap();
    fs::write(name(0xfe), "Secondo\n\nLa zeta del secondo file.\n").unwrap();
    let r = index_json(&env, &["news"]);
    assert_eq!(r["added"], 2, "{r}");
    assert_eq!(r["documents"], 2);
    let paths: Vec<String> = passages(&env, "index").into_iter().map(|p| p.0).collect();
    assert_eq!(paths, ["news/x\\xfe.txt", "news/x\\xff.txt"]);
    // Unchanged on the next run, and each removed on its own.
    assert_eq!(index_json(&env, &[])["unchanged"], 2);
    fs::remove_file(name(0xfe)).unwrap();
    let r = index_json(&env, &[]);
    assert_eq!(
        (r["removed"].as_u64(), r["documents"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn a_missing_folder_keeps_its_documents_until_forgotten() {
    let env = Env::new();
    articles(&env, "disk", 3);
    articles(&env, "other", 2);
    index_json(&env, &["disk", "other"]);
    fs::rename(env.path("disk"), env.path("unmounted")).unwrap();
    let r = env.run(&["index", "--json"]);
    assert_exit(&r, 0, "folder not found");
    let s = r.json();
    assert_eq!(
        (s["removed"].as_u64(), s["kept"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(passages(&env, "index").len(), 5);
    // Back again: nothing to do.
    fs::rename(env.path("unmounted"), env.path("disk")).unwrap();
    let s = index_json(&env, &[]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["removed"].as_u64()),
        (Some(5), Some(0))
    );
    // Forgotten: its documents go, and it is no longer looked at.
    let s = index_json(&env, &["--forget", "disk"]);
    assert_eq!(
        (s["removed"].as_u64(), s["documents"].as_u64()),
        (Some(3), Some(2))
    );
    let r = env.run(&["index", "--forget", "nowhere"]);
    assert_exit(&r, 2, "not a folder of this index");
}

#[test]
fn an_index_inside_the_folder_it_indexes() {
    let env = Env::new();
    articles(&env, "news", 3);
    // The index in the root itself, then below it.
    let s = index_json(&env, &["news", "--index", "news"]);
    assert_eq!(s["added"], 3, "{s}");
    assert_eq!(s["errors"].as_array().unwrap().len(), 0, "{s}");
    let s = index_json(&env, &["--index", "news"]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["removed"].as_u64()),
        (Some(3), Some(0))
    );
    let s = index_json(&env, &["news", "--index", "news/idx"]);
    assert_eq!(s["added"], 3, "{s}");
    assert_eq!(passages(&env, "news/idx").len(), 3);
}

#[test]
fn a_damaged_meta_json_is_named_and_rebuild_recovers_the_folders() {
    for damage in ["truncate", "garble", "replace", "remove", "managed"] {
        let env = Env::new();
        articles(&env, "news", 3);
        index_json(&env, &["news"]);
        let meta = env.path("index/meta.json");
        let text = fs::read_to_string(&meta).unwrap();
        match damage {
            "truncate" => fs::write(&meta, &text[..text.len() / 2]).unwrap(),
            "garble" => fs::write(&meta, text.replace('"', "'")).unwrap(),
            "replace" => fs::write(&meta, "{\"segments\": [], \"opstamp\": 0}").unwrap(),
            "remove" => fs::remove_file(&meta).unwrap(),
            _ => fs::write(env.path("index/.managed.json"), "[not json").unwrap(),
        }
        let r = env.run(&["search", "zeta"]);
        assert_exit(&r, 2, "damaged");
        assert!(r.stderr.contains("--rebuild"), "{damage}: {}", r.stderr);
        let r = env.run(&["index"]);
        assert_exit(&r, 2, "damaged");
        let r = env.run(&["index", "--rebuild", "--json"]);
        assert_eq!(r.code, 0, "{damage}: {}", r.stderr);
        assert_eq!(r.json()["added"], 3, "{damage}");
        assert_eq!(passages(&env, "index").len(), 3, "{damage}");
    }
}

#[test]
fn a_garbled_segment_file_is_named_not_a_silent_success() {
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    let store = fs::read_dir(env.path("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let mut bytes = fs::read(&store).unwrap();
    for b in bytes.iter_mut().take(64) {
        *b ^= 0x5a;
    }
    fs::write(&store, bytes).unwrap();
    let r = env.run(&["index"]);
    assert_exit(&r, 2, "damaged");
    let r = env.run(&["search", "zeta"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    env.run(&["index", "--rebuild"]).ok();
    assert_eq!(passages(&env, "index").len(), 3);
}

/// A re-run checks only the index files written since the last check; a file garbled after it
/// was found sound is checked again, even when its modification time is set back.
#[test]
fn a_segment_file_garbled_after_a_sound_check_is_still_named() {
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    // This run checks every file and records them as sound.
    let r = env.run(&["index"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(env.path("index/.cerca-checked").exists());
    let store = fs::read_dir(env.path("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let modified = fs::metadata(&store).unwrap().modified().unwrap();
    let mut bytes = fs::read(&store).unwrap();
    for b in bytes.iter_mut().take(64) {
        *b ^= 0x5a;
    }
    fs::write(&store, bytes).unwrap();
    fs::File::options()
        .write(true)
        .open(&store)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let r = env.run(&["index"]);
    assert_exit(&r, 2, "damaged");
    env.run(&["index", "--rebuild"]).ok();
    assert_eq!(passages(&env, "index").len(), 3);
    let r = env.run(&["index"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_hand_edited_meta_json_does_not_crash_search() {
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    let meta = env.path("index/meta.json");
    let text = fs::read_to_string(&meta).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for s in v["segments"].as_array_mut().unwrap() {
        s["max_doc"] = 0.into();
    }
    fs::write(&meta, v.to_string()).unwrap();
    let r = env.run(&["search", "zeta"]);
    assert!(r.code == 2 || r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    if r.code == 2 {
        assert!(r.stderr.contains("damaged"), "{}", r.stderr);
    }
}

#[test]
fn a_read_only_index_can_be_searched() {
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    let index = env.path("index");
    // Remove the lock files a writer left, as a copy on read-only media would not have them.
    for e in fs::read_dir(&index).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".tantivy")
        {
            fs::remove_file(p).unwrap();
        }
    }
    let set_mode = |mode: u32| {
        let status = Command::new("chmod")
            .arg(format!("{mode:o}"))
            .arg(&index)
            .status()
            .unwrap();
        assert!(status.success());
    };
    // tantivy writes meta.json readable by its owner only; a copy on read-only media would be
    // readable by whoever reads it.
    let status = Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(env.dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    set_mode(0o555);
    // Root may write anywhere: run the search as another user where that is possible.
    let mut cmd = env.cmd(&["search", "zeta", "--json", "--index"]);
    cmd.arg(&index);
    let out = if unsafe_is_root() && Command::new("setpriv").arg("--help").output().is_ok() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_cerca"))
            .args(["search", "zeta", "--json", "--index"])
            .arg(&index)
            .current_dir("/");
        c.output().unwrap()
    } else {
        cmd.output().unwrap()
    };
    set_mode(0o755);
    let r = util::run_output(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json_lines().len(), 3);
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
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

fn wait_for(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_follows_a_root_deleted_and_made_again() {
    let env = Env::new();
    articles(&env, "news", 2);
    let mut child = env
        .cmd(&["watch", "news", "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reaper = Reaper(Some(child.id()));
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("watch ended early").unwrap();
        if line.contains("watching") {
            break;
        }
    }
    // Drain stderr so the watcher never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    fs::remove_dir_all(env.path("news")).unwrap();
    sleep(Duration::from_millis(1500));
    // Gone: its documents are kept.
    assert_eq!(passages(&env, "index").len(), 2);
    fs::create_dir(env.path("news")).unwrap();
    for i in 0..50 {
        env.write(
            &format!("news/new{i}.txt"),
            format!("Nuovo {i}\n\nLa zeta nuova numero{i}.\n"),
        );
    }
    wait_for("the 50 new files", Duration::from_secs(20), || {
        passages(&env, "index").len() == 50
    });
    env.write("news/later.txt", "Dopo\n\nLa zeta arrivata dopo.\n");
    wait_for("a file written later", Duration::from_secs(20), || {
        passages(&env, "index").len() == 51
    });
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    reaper.0 = None;
}

/// A small deterministic generator (seeded from the clock; the seed is printed for replay).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn killed_at_random_moments_the_index_ends_equal_to_a_fresh_build() {
    let seed = std::env::var("CERCA_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill loop seed: {seed} (CERCA_KILL_SEED={seed} replays it)");
    let mut rng = Rng(seed);
    let env = Env::new();
    articles(&env, "news", 400);
    // Kills land anywhere within a full build: time one first.
    let started = Instant::now();
    env.run(&["index", "news", "--index", "timing"]).ok();
    let full_ms = started.elapsed().as_millis().max(50) as u64;
    let mut next = 1000;
    let mut kills = 0;
    for round in 0..24 {
        // Between kills: changes, deletes, renames, new files; every few rounds a rebuild.
        for _ in 0..rng.below(20) {
            let i = rng.below(400);
            let path = env.path(&format!("news/{i:04}.txt"));
            if !path.exists() {
                continue;
            }
            match rng.below(4) {
                0 => {
                    env.write(
                        &format!("news/{i:04}.txt"),
                        format!("Cambiato {round}\n\nLa zeta cambiata al giro {round}.\n"),
                    );
                }
                1 => fs::remove_file(&path).unwrap(),
                2 => {
                    fs::rename(&path, env.path(&format!("news/r{next}.txt"))).unwrap();
                    next += 1;
                }
                _ => {
                    env.write(
                        &format!("news/n{next}.txt"),
                        format!("Nuovo {next}\n\nLa zeta nuova {next}.\n"),
                    );
                    next += 1;
                }
            }
        }
        let rebuild = round % 3 == 2;
        let mut args = vec!["index", "news"];
        if rebuild {
            args.push("--rebuild");
        }
        let mut child = env
            .cmd(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        sleep(Duration::from_millis(rng.below(full_ms + 1)));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        child.wait().unwrap();
        kills += u32::from(!finished);
        if env.path("index/meta.json").exists() {
            let s = env.run(&["search", "zeta", "-n", "1"]);
            assert!(
                s.code <= 1,
                "round {round} (seed {seed}): search failed after a kill: {}",
                s.stderr
            );
        }
    }
    eprintln!("{kills} of 24 runs killed before they finished (a full build: {full_ms} ms)");
    assert!(
        kills >= 8,
        "seed {seed}: too few runs were cut short to test anything"
    );
    let after = env.run(&["index", "news", "--json"]);
    assert_eq!(after.code, 0, "seed {seed}: {}", after.stderr);
    env.run(&["index", "news", "--index", "fresh"]).ok();
    let got = passages(&env, "index");
    let want = passages(&env, "fresh");
    assert_eq!(got.len(), want.len(), "seed {seed}");
    assert!(
        got == want,
        "seed {seed}: the passages differ from a fresh build"
    );
}

#[test]
fn a_damaged_marker_is_written_again_by_the_next_run() {
    let env = Env::new();
    articles(&env, "news", 3);
    index_json(&env, &["news"]);
    env.write("index/.cerca-index.json", "garbage");
    index_json(&env, &[]);
    // The folder list is back in the marker: a later damage to meta.json still recovers.
    let meta = env.path("index/meta.json");
    let text = fs::read_to_string(&meta).unwrap();
    fs::write(&meta, &text[..text.len() / 2]).unwrap();
    let r = env.run(&["index", "--rebuild", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["added"], 3);
}
