//! A `cerca serve` run for a test: started on a free loopback port, asked over HTTP (ureq, no
//! proxy, statuses as values), stopped with SIGTERM when dropped.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Env;

pub struct Server {
    pub child: Child,
    /// The page's URL as the server printed it.
    pub url: String,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    agent: ureq::Agent,
    /// Its stderr, line by line, once [`Server::stderr_line`] has been asked.
    stderr: Option<Receiver<String>>,
}

/// An answer: status, headers of interest, body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub csp: String,
    pub nosniff: bool,
    pub body: String,
}

impl Answer {
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }

    /// The hits of a search answer, checked to be a 200.
    #[track_caller]
    pub fn hits(&self) -> Vec<Value> {
        assert_eq!(self.status, 200, "{}", self.body);
        self.json()["hits"].as_array().unwrap().clone()
    }

    /// Checks an error answer: its status, and a JSON body `{"error", "status"}` that agrees.
    #[track_caller]
    pub fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(self.content_type.starts_with("application/json"));
        let v = self.json();
        assert_eq!(v["status"], status, "{v}");
        v["error"].as_str().expect("an error message").to_string()
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

impl Env {
    /// Starts `cerca serve` in the test's folder on a free port, with `args` (e.g. `--index`).
    pub fn serve(&self, args: &[&str]) -> Server {
        self.serve_with(args, &[])
    }

    /// The same, with environment variables `vars` set for it (`PATH`, say).
    pub fn serve_with(&self, args: &[&str], vars: &[(&str, &OsStr)]) -> Server {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child = self
            .cmd(&all)
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let Some(at) = first.find("http://") else {
            let _ = child.kill();
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("serve did not start: {first}{err}");
        };
        let url = first[at..].split_whitespace().next().unwrap();
        Server {
            url: url.to_string(),
            base: url.trim_end_matches('/').to_string(),
            child,
            agent: agent(),
            stderr: None,
        }
    }
}

impl Server {
    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// `GET path` (with its query string, already encoded).
    pub fn get(&self, path: &str) -> Answer {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let (content_type, csp) = (header("content-type"), header("content-security-policy"));
        let nosniff = header("x-content-type-options") == "nosniff";
        Answer {
            status: r.status().as_u16(),
            content_type,
            csp,
            nosniff,
            body: r.body_mut().read_to_string().unwrap(),
        }
    }

    /// `GET path?name=value&…`, the values percent-encoded.
    pub fn api(&self, path: &str, params: &[(&str, &str)]) -> Answer {
        let query: String = url_encoded(params);
        self.get(&format!("{path}?{query}"))
    }

    /// Sends `raw` bytes as a request and returns the raw answer (for malformed requests).
    pub fn raw(&self, raw: &[u8]) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port())).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        // The server may answer and close before reading all of a huge request.
        let _ = s.write_all(raw);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The first line it writes to stderr (from now on) that holds `needle`; panics after 10 s.
    #[track_caller]
    pub fn stderr_line(&mut self, needle: &str) -> String {
        let lines = self.stderr.get_or_insert_with(|| {
            let stderr = self.child.stderr.take().expect("stderr is piped");
            let (send, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            });
            receive
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("no line with {needle:?} on stderr; it wrote {seen:?}")
                }
            }
        }
    }

    /// Sends `signal` and waits for the exit status (at most 10 s).
    pub fn stop(mut self, signal: i32) -> i32 {
        // SAFETY: kill(2) on our own child's pid; it only sends a signal.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "serve did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Three short articles in two sources and two languages, over two years.
pub fn articles(env: &Env) {
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

/// Markup in a text file's title and text, and a `javascript:` URL in a news record.
pub fn hostile(env: &Env) {
    env.write(
        "news/x/hostile.txt",
        "<script>alert(1)</script> sovranità\n2025-01-02\n\n\"><img src=x onerror=alert(2)> sovranità tecnologica\n",
    );
    let record = serde_json::json!({
        "title": "Un link", "text": "sovranità e link", "url": "javascript:alert(3)", "date": "2025-01-03"
    });
    env.write("news/x/feed.jsonl", format!("{record}\n"));
}

pub const SIGINT: i32 = libc::SIGINT;
pub const SIGTERM: i32 = libc::SIGTERM;

pub fn url_encoded(params: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}
