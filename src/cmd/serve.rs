//! `cerca serve`: bind the address, say where the page is, serve until SIGINT or SIGTERM. The
//! server reads the index and never writes it; with no index yet it starts anyway and answers
//! 503 until `cerca index` makes one. A busy address is an error (exit 2) naming it.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use super::Outcome;
use crate::cli::ServeArgs;
use crate::index::IndexError;
use crate::render;
use crate::serve::{self, Live};

/// Threads for searches at once: more than the cores, so that a slow request (a large
/// document) does not hold up quick ones, and few enough that a burst cannot exhaust memory.
const SEARCH_THREADS: usize = 16;

pub fn run(args: ServeArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let live = Arc::new(Live::new(dir.clone()));
    match live.get() {
        Ok(_) => {}
        Err(e @ (IndexError::Foreign(_) | IndexError::NotAnIndex(_))) => return Err(e.into()),
        Err(IndexError::Missing(_)) => eprintln!(
            "cerca: no index at {} yet; the page will say so until `cerca index` builds one",
            render::sanitize(&dir.display().to_string())
        ),
        Err(e) => eprintln!("cerca: {}", render::sanitize(&e.with_causes())),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(SEARCH_THREADS)
        .build()
        .context("starting the server's threads")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| bind_error(args.addr, e))?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}/");
        let mut out = std::io::stdout();
        writeln!(
            out,
            "cerca: serving {} at {url} (Ctrl-C stops)",
            render::sanitize(&dir.display().to_string())
        )?;
        out.flush()?;
        if args.open {
            open_browser(&url);
        }
        let app = serve::router(live, addr);
        serve::run(listener, app, serve::stop_signal()?, serve::stop_signal()?)
            .await
            .context("serving")
    })?;
    Ok(Outcome::Success)
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> anyhow::Error {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "{addr} is already in use (another `cerca serve`?); give another with --addr, e.g. --addr 127.0.0.1:{}",
            addr.port().wrapping_add(1).max(1024)
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            anyhow::anyhow!("{addr} is not an address of this machine")
        }
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "{addr}: permission denied (ports below 1024 need privileges); give another with --addr"
        ),
        _ => anyhow::Error::new(e).context(format!("listening on {addr}")),
    }
}

/// Opens `url` in the desktop's browser. If there is no opener, or it fails, the server goes on
/// and says on stderr where the page is.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let not_opened = |why: String, url: &str| eprintln!("cerca: {why}; open {url} in a browser");
    match spawned {
        // Waited for on a thread of its own (it may wait for the browser), leaving no zombie.
        Ok(mut child) => {
            let url = url.to_string();
            std::thread::spawn(move || match child.wait() {
                Ok(status) if status.success() => {}
                Ok(status) => not_opened(format!("{opener} failed ({status})"), &url),
                Err(e) => not_opened(format!("{opener} failed ({e})"), &url),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            not_opened(format!("no browser opened ({opener} was not found)"), url)
        }
        Err(e) => not_opened(format!("{opener} could not be run ({e})"), url),
    }
}
