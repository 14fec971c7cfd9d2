//! `cerca search`: open the index (building it from the shipped corpus on a fresh clone), run
//! the query, render the hits.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Outcome, inspect};

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
    let filters = date_filters(
        args.since.as_deref().map(|v| ("--since", v)),
        args.until.as_deref().map(|v| ("--until", v)),
    )
    .map_err(anyhow::Error::msg)?;
    let request = search::Request {
        limit: args.max as usize,
        per_doc: if args.files { 1 } else { args.per_doc as usize },
        filters,
        by_date: args.sort == SortBy::Date,
    };
    let search = || {
        inspect::guarded(&dir, || {
            // An index error is the error itself (a missing index is told apart below).
            retrying(|| {
                let store = Store::open(&dir)?.reusing_readers();
                let found = search::search_with(&store, &query, &request);
                // The process ends once the hits are printed, and its exit unmaps the index's
                // files at once: unmapping them one by one first, with the search threads
                // still running, made a search about 4% slower.
                std::mem::forget(store);
                found
            })
            .map_err(|e| match e {
                SearchError::Index(e) => anyhow::Error::from(e),
                other => other.into(),
            })
        })
    };
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

/// The filters of `--since` and `--until`, each given as its name and value (`("--since",
/// "2025-03")`), or what is wrong with them: a value that is not a date, or a start after the end.
pub(crate) fn date_filters(
    since: Option<(&str, &str)>,
    until: Option<(&str, &str)>,
) -> Result<Vec<Node>, String> {
    let today = search::query::today();
    let range = |(name, value): (&str, &str)| {
        DateRange::parse(value, today).ok_or_else(|| {
            format!("{name} {value}: use a year (2025), a month (2025-03), a day (2025-03-14) or a number of days (30d)")
        })
    };
    let from = since.map(range).transpose()?.and_then(|r| r.from);
    let to = until.map(range).transpose()?.and_then(|r| r.to);
    if let (Some((s, since)), Some((u, until)), Some(from), Some(to)) = (since, until, from, to)
        && from > to
    {
        return Err(format!(
            "{s} {since} is after {u} {until}: no day is in between"
        ));
    }
    let mut filters = Vec::new();
    if since.is_some() {
        filters.push(Node::Date(DateRange { from, to: None }));
    }
    if until.is_some() {
        filters.push(Node::Date(DateRange { from: None, to }));
    }
    Ok(filters)
}

/// Runs `attempt` (a search), trying again if an indexer's commit removed a segment file
/// between our reading of the index's list of segments and our opening of them.
pub(crate) fn retrying<T>(attempt: impl Fn() -> Result<T, SearchError>) -> Result<T, SearchError> {
    const ATTEMPTS: usize = 3;
    let mut tried = 1;
    loop {
        match attempt() {
            Err(SearchError::Index(IndexError::Tantivy { .. })) if tried < ATTEMPTS => {
                tried += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(SearchError::Index(e)) => return Err(e.damaged_if_corrupt().into()),
            other => return other,
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
