//! `cerca watch`: bring the index up to date, then keep it so as files change. Bursts of file
//! events are batched (a batch runs once the folder has been quiet for a moment, or after a
//! bounded delay), and each batch is one ordinary, atomic update — so watching has the same
//! guarantees as `cerca index`. Ctrl-C stops it between batches, never inside a commit.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use super::Outcome;
use super::Summary;
use super::index::{Request, update};
use crate::cli::WatchArgs;
use crate::index::Store;
use crate::render;

/// A batch runs once no event has arrived for this long…
const QUIET: Duration = Duration::from_millis(300);
/// …or once its first event is this old, whatever keeps arriving.
const MAX_DELAY: Duration = Duration::from_secs(2);
/// How often the loop looks at the Ctrl-C flag.
const TICK: Duration = Duration::from_millis(100);
/// How often the roots are looked at (gone, or back).
const LOOK_AT_ROOTS: Duration = Duration::from_millis(500);

pub fn run(args: WatchArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let first = Request {
        paths: args.paths.clone(),
        wait: true,
        ..Request::default()
    };
    let (summary, took) = update(&dir, &first)?;
    print(summary, took, args.json)?;
    let roots = Store::open(&dir)?.meta.roots;
    let index_dir = dir.canonicalize().unwrap_or(dir.clone());

    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot install the Ctrl-C handler")?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .context("cannot watch files")?;
    // Each root's identity, looked at again every few ticks: a root deleted and made anew, or
    // a disk mounted again, has no watch any more and must be watched afresh.
    let mut identities: Vec<Option<(u64, u64)>> = roots.iter().map(|r| identity(r)).collect();
    for (root, id) in roots.iter().zip(&identities) {
        if id.is_none() {
            continue; // Missing now: the update above said so; it is watched once it is back.
        }
        watcher
            .watch(root, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
    }
    eprintln!(
        "cerca: watching {} folder(s) for changes; Ctrl-C to stop",
        roots.len()
    );

    let mut batch: Option<(Instant, Instant)> = None; // (first event, last event)
    let mut last_look = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        if last_look.elapsed() >= LOOK_AT_ROOTS {
            last_look = Instant::now();
            for (root, known) in roots.iter().zip(identities.iter_mut()) {
                let now = identity(root);
                if now == *known {
                    continue;
                }
                *known = now;
                if now.is_some() {
                    let _ = watcher.unwatch(root);
                    if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
                        let why = format!("cannot watch {}: {e}", root.display());
                        eprintln!("cerca: {}", render::sanitize(&why));
                    }
                }
                let at = Instant::now();
                batch = Some((batch.map_or(at, |(first, _)| first), at));
            }
        }
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) if relevant(&event, &index_dir, &roots) => {
                let now = Instant::now();
                batch = Some((batch.map_or(now, |(first, _)| first), now));
            }
            Ok(Ok(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Ok(Err(e)) => eprintln!("cerca: watch: {}", render::sanitize(&e.to_string())),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        let due = |&(first, last): &(Instant, Instant)| {
            last.elapsed() >= QUIET || first.elapsed() >= MAX_DELAY
        };
        if batch.as_ref().is_some_and(due) {
            batch = None;
            let again = Request {
                wait: true,
                ..Request::default()
            };
            match update(&dir, &again) {
                Ok((summary, took)) => print(summary, took, args.json)?,
                // A failed batch leaves the last commit in place; the next event retries.
                Err(e) => eprintln!("cerca: {}", render::sanitize(&format!("{e:#}"))),
            }
        }
    }
    eprintln!("cerca: stopped watching");
    Ok(Outcome::Success)
}

/// What tells a folder from another made in its place: device and inode.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Events on files under the roots, not in the index's own folder, not mere reads — the same
/// files the walk would visit (hidden ones are skipped there too).
fn relevant(event: &notify::Event, index_dir: &Path, roots: &[PathBuf]) -> bool {
    !matches!(event.kind, EventKind::Access(_))
        && event
            .paths
            .iter()
            .any(|p| !p.starts_with(index_dir) && !hidden_below_root(p, roots))
}

/// Whether a component of `path` below its root starts with a dot (the root itself may be
/// anywhere, hidden folders included).
fn hidden_below_root(path: &Path, roots: &[PathBuf]) -> bool {
    let below = roots
        .iter()
        .find_map(|r| path.strip_prefix(r).ok())
        .unwrap_or(path);
    below
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

fn print(mut shown: Summary, took: Duration, json: bool) -> anyhow::Result<()> {
    shown.relative_to(&std::env::current_dir().unwrap_or_default());
    let mut out = std::io::stdout().lock();
    if json {
        render::summary_json(&mut out, &shown)?;
    } else {
        render::summary_text(&mut out, &shown, took)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_folder_and_hidden_files_are_not_changes() {
        let index = PathBuf::from("/tmp/.hidden/news/index");
        let roots = [PathBuf::from("/tmp/.hidden/news")];
        let event = |p: &str| notify::Event::new(EventKind::Any).add_path(PathBuf::from(p));
        assert!(relevant(&event("/tmp/.hidden/news/a.txt"), &index, &roots));
        assert!(!relevant(
            &event("/tmp/.hidden/news/index/meta.json"),
            &index,
            &roots
        ));
        assert!(!relevant(
            &event("/tmp/.hidden/news/.git/HEAD"),
            &index,
            &roots
        ));
        assert!(!relevant(
            &event("/tmp/.hidden/news/.a.txt.swp"),
            &index,
            &roots
        ));
    }
}
