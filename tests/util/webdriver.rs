//! Just enough of the W3C WebDriver protocol to drive headless Chromium from a test: Debian's
//! `chromedriver` started on a free port, one session, JSON over HTTP with ureq (the same client
//! as the API tests; no async runtime, no browser download). Missing Chromium fails the test
//! unless `CERCA_SKIP_BROWSER=1` is set, so CI cannot pass without it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// The key WebDriver reports elements under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";

pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
}

/// An element of the page, by WebDriver's reference.
pub struct Element(String);

/// Starts a browser, or returns `None` (after saying why) if `CERCA_SKIP_BROWSER=1` is set and
/// Chromium or its driver is missing.
pub fn browser() -> Option<Browser> {
    let found = ["chromium", "chromedriver"]
        .iter()
        .all(|b| Path::new("/usr/bin").join(b).exists());
    if !found {
        if std::env::var_os("CERCA_SKIP_BROWSER").is_some_and(|v| v == "1") {
            eprintln!("skipped: no chromium/chromedriver in /usr/bin (CERCA_SKIP_BROWSER=1)");
            return None;
        }
        panic!(
            "the browser test needs Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`, as .ci/run does); set CERCA_SKIP_BROWSER=1 to skip it locally"
        );
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let mut browser = Browser {
        driver,
        base: format!("http://127.0.0.1:{port}"),
        agent: super::server::agent(),
    };
    let start = Instant::now();
    while browser
        .agent
        .get(format!("{}/status", browser.base))
        .call()
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            // As root in CI, Chromium's sandbox cannot start; the page is our own.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1200,900", "--lang=en-US"]
        }
    }}});
    let session = browser.call("POST", "/session", Some(caps));
    let id = session["sessionId"]
        .as_str()
        .expect("a session")
        .to_string();
    browser.base = format!("{}/session/{id}", browser.base);
    Some(browser)
}

impl Browser {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let answer = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        };
        let mut answer = answer.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = answer.status().as_u16();
        let v: Value = answer.body_mut().read_json().unwrap();
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn find(&self, css: &str) -> Element {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(
            v[ELEMENT]
                .as_str()
                .unwrap_or_else(|| panic!("no element {css}: {v}"))
                .to_string(),
        )
    }

    pub fn type_into(&self, e: &Element, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    pub fn clear(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/clear", e.0), None);
    }

    pub fn click(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/click", e.0), None);
    }

    /// Presses a key on whatever has the focus.
    pub fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.call("POST", "/actions", Some(actions));
    }

    /// The value of `script` (a function body: `return …`) run in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits up to 20 s for `script` to return something truthy, and returns it.
    #[track_caller]
    pub fn wait_for(&self, script: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(script);
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for: {script}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves a screenshot of the window as PNG.
    pub fn screenshot(&self, to: &Path) {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, png).unwrap();
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
