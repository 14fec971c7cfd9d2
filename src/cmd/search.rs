//! `cerca search`: open the index (building it from the shipped corpus on a fresh clone), run
//! the query, render the hits.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::Outcome;
use anyhow::Context;

use crate::cli::{ColorChoice, SearchArgs, SortBy};
use crate::index::{IndexError, Store};
use crate::search::SearchError;
use crate::search::query::{DateRange, Node};
use crate::{render, search};

/// Folders that a fresh clone of cerca ships, indexed by the first search when no index exists.
const SHIPPED: [&str; 2] = ["corpus", "seeds"];

pub fn run(args: SearchArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    // A fresh clone, or one whose first build was cut short.
    let unbuilt =
        || !Store::exists(&dir) || matches!(Store::open(&dir), Err(IndexError::Missing(_)));
    if args.index.dir.is_none() && SHIPPED.iter().all(|d| Path::new(d).is_dir()) && unbuilt() {
        eprintln!(
            "cerca: no index yet; building {} from corpus/ and seeds/ (once)",
            dir.display()
        );
        let roots: Vec<PathBuf> = SHIPPED.iter().map(PathBuf::from).collect();
        let request = super::index::Request {
            paths: roots,
            wait: true,
            ..Default::default()
        };
        let (summary, took) = super::index::update(&dir, &request)?;
        eprintln!(
            "cerca: indexed {} documents, {} passages in {:.2} s",
            summary.documents,
            summary.passages,
            took.as_secs_f64()
        );
    }
    let query = args.query.join(" ");
    let mut filters = Vec::new();
    let today = search::query::today();
    let day_range = |flag: &str, value: &str| {
        search::query::DateRange::parse(value, today).with_context(|| {
            format!("{flag} {value}: use a year (2025), a month (2025-03), a day (2025-03-14) or a number of days (30d)")
        })
    };
    if let Some(since) = &args.since {
        let from = day_range("--since", since)?.from;
        filters.push(Node::Date(DateRange { from, to: None }));
    }
    if let Some(until) = &args.until {
        let to = day_range("--until", until)?.to;
        filters.push(Node::Date(DateRange { from: None, to }));
    }
    let request = search::Request {
        limit: args.max as usize,
        per_doc: if args.files { 1 } else { args.per_doc as usize },
        filters,
        by_date: args.sort == SortBy::Date,
    };
    let results = guarded(&dir, || search_retrying(&dir, &query, &request))?;
    for note in &results.notes {
        eprintln!("cerca: {}", render::sanitize(note));
    }
    if results.lenient {
        eprintln!("cerca: the query does not parse; searching its words instead");
    }
    if results.relaxed {
        eprintln!(
            "cerca: no passage has all the words; showing passages of documents that have them all, then passages with most of them"
        );
    }
    let stdout = std::io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.files {
        render::files(&mut out, &results.hits)?;
    } else if args.vimgrep {
        render::vimgrep(&mut out, &results.hits)?;
    } else if args.json {
        render::hits_jsonl(&mut out, &results.hits)?;
    } else {
        render::hits_text(&mut out, &results.hits, color, args.full)?;
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        Outcome::NoMatch
    } else {
        Outcome::Success
    })
}

/// Searches, trying again if an indexer's commit removed a segment file between our reading of
/// the index's list of segments and our opening of them.
fn search_retrying(
    dir: &Path,
    query: &str,
    request: &search::Request,
) -> anyhow::Result<search::Results> {
    const ATTEMPTS: usize = 3;
    let mut attempt = 1;
    loop {
        let result = Store::open(dir)
            .map_err(SearchError::from)
            .and_then(|store| search::search_with(&store, query, request));
        match result {
            Err(SearchError::Index(IndexError::Tantivy { .. })) if attempt < ATTEMPTS => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(SearchError::Index(e)) => return Err(e.damaged_if_corrupt().into()),
            other => return Ok(other?),
        }
    }
}

/// Runs `f`, turning a panic inside it into an error naming the index as damaged: tantivy
/// trusts the files it wrote, and a hand-edited or corrupted one (a `meta.json` whose counts do
/// not match its segments) can make it panic instead of failing.
fn guarded<T>(dir: &Path, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("it could not be read");
        Err(IndexError::Damaged {
            path: dir.to_path_buf(),
            reason: reason.to_string(),
        }
        .into())
    })
}
