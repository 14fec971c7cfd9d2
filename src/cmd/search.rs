//! `cerca search`: open the index (building it from the shipped corpus on a fresh clone), run
//! the query, render the hits.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Outcome, inspect};
use anyhow::Context;

use crate::cli::{SearchArgs, SortBy};
use crate::index::{IndexError, Store};
use crate::search::SearchError;
use crate::search::query::{DateRange, Node};
use crate::{render, search};

/// Folders that a fresh clone of cerca ships, indexed by the first search when no index exists.
const SHIPPED: [&str; 2] = ["corpus", "seeds"];

pub fn run(args: SearchArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    // A fresh clone's default index is built from the folders it ships.
    let shipped = args.index.dir.is_none() && SHIPPED.iter().all(|d| Path::new(d).is_dir());
    if shipped && !Store::exists(&dir) {
        build_shipped(&dir)?;
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
    if let (Some(since), Some(until)) = (&args.since, &args.until) {
        let (from, to) = (
            day_range("--since", since)?.from,
            day_range("--until", until)?.to,
        );
        if from > to {
            anyhow::bail!("--since {since} is after --until {until}: no day is in between");
        }
    }
    let request = search::Request {
        limit: args.max as usize,
        per_doc: if args.files { 1 } else { args.per_doc as usize },
        filters,
        by_date: args.sort == SortBy::Date,
    };
    let search = || inspect::guarded(&dir, || search_retrying(&dir, &query, &request));
    let results = match search() {
        // One whose first build was cut short: built now (only a failed search pays for
        // telling it from a built index).
        Err(e) if shipped && matches!(e.downcast_ref(), Some(IndexError::Missing(_))) => {
            build_shipped(&dir)?;
            search()?
        }
        other => other?,
    };
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
    let color = inspect::color(args.color);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
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

/// Indexes the shipped folders into `dir`, saying so on stderr.
fn build_shipped(dir: &Path) -> anyhow::Result<()> {
    eprintln!(
        "cerca: no index yet; building {} from corpus/ and seeds/ (once)",
        dir.display()
    );
    let request = super::index::Request {
        paths: SHIPPED.iter().map(PathBuf::from).collect(),
        wait: true,
        ..Default::default()
    };
    let (summary, took) = super::index::update(dir, &request)?;
    eprintln!(
        "cerca: indexed {} documents, {} passages in {:.2} s",
        summary.documents,
        summary.passages,
        took.as_secs_f64()
    );
    Ok(())
}
