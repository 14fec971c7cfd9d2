//! A tiny harness: a temporary folder per test, the real `cerca` binary run inside it.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub mod server;
pub mod webdriver;

pub struct Env {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as JSON Lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }

    pub fn json(&self) -> Value {
        let lines = self.json_lines();
        assert_eq!(
            lines.len(),
            1,
            "expected one JSON object, got:\n{}",
            self.stdout
        );
        lines.into_iter().next().unwrap()
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A folder holding copies of the repository's `corpus/` and `seeds/`.
    pub fn with_shipped() -> Env {
        let env = Env::new();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for d in ["corpus", "seeds"] {
            copy_dir(&repo.join(d), &env.path(d));
        }
        env
    }

    /// Copies the repository's `tests/fixtures/FROM` into the folder `to`.
    pub fn copy_fixtures(&self, from: &str, to: &str) {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("tests/fixtures").join(from), &self.path(to));
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, contents).unwrap();
        p
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cerca"));
        c.args(args)
            .current_dir(self.dir.path())
            .env_remove("CERCA_INDEX")
            .env_remove("NO_COLOR");
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_output(self.cmd(args).output().unwrap())
    }

    /// `cerca index` of the shipped folders into the default `./index`, checked to succeed.
    pub fn index_shipped(&self) -> Run {
        self.run(&["index", "corpus", "seeds", "--json"]).ok()
    }

    /// `cerca search QUERY --json -n N` hits.
    /// Every passage `query` finds, however many of one document.
    pub fn all_hits(&self, query: &str) -> Vec<Value> {
        let r = self.run(&["search", query, "--json", "-n", "1000000", "--per-doc", "0"]);
        assert!(r.code <= 1, "search {query:?} failed: {}", r.stderr);
        r.json_lines()
    }

    pub fn hits(&self, query: &str, n: usize) -> Vec<Value> {
        let r = self.run(&["search", query, "--json", "-n", &n.to_string()]);
        assert!(
            r.code == 0 || r.code == 1,
            "search {query:?} failed: {}",
            r.stderr
        );
        r.json_lines()
    }
}

pub fn run_output(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every hit's highlights slice its text exactly as they claim.
#[track_caller]
pub fn assert_highlights_consistent(hits: &[Value]) {
    for hit in hits {
        let text = hit["text"].as_str().unwrap();
        for h in hit["highlights"].as_array().unwrap() {
            let (s, e) = (
                h["start"].as_u64().unwrap() as usize,
                h["end"].as_u64().unwrap() as usize,
            );
            assert!(e > s && e <= text.len(), "bad range {s}..{e} in {hit}");
            assert_eq!(&text[s..e], h["text"].as_str().unwrap(), "in {hit}");
        }
    }
}

/// The highlighted words of all hits.
pub fn highlighted(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .flat_map(|h| h["highlights"].as_array().unwrap().clone())
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect()
}

impl Env {
    /// Runs `cerca ARGS` and says how long it took.
    pub fn timed(&self, args: &[&str]) -> (Run, std::time::Duration) {
        let start = std::time::Instant::now();
        let run = self.run(args);
        (run, start.elapsed())
    }
}
