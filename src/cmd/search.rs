//! `cerca search`: open the index (building it from the shipped corpus on a fresh clone), run
//! the query, render the hits.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::Outcome;
use crate::cli::{ColorChoice, SearchArgs};
use crate::index::{IndexError, Store};
use crate::search::SearchError;
use crate::{render, search};

/// Folders that a fresh clone of cerca ships, indexed by the first search when no index exists.
const SHIPPED: [&str; 2] = ["corpus", "seeds"];

pub fn run(args: SearchArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    if args.index.dir.is_none()
        && !Store::exists(&dir)
        && SHIPPED.iter().all(|d| Path::new(d).is_dir())
    {
        eprintln!(
            "cerca: no index yet; building {} from corpus/ and seeds/ (once)",
            dir.display()
        );
        let roots: Vec<PathBuf> = SHIPPED.iter().map(PathBuf::from).collect();
        let (summary, took) = super::index::update(&dir, &roots, false, None, true)?;
        eprintln!(
            "cerca: indexed {} documents, {} passages in {:.2} s",
            summary.documents,
            summary.passages,
            took.as_secs_f64()
        );
    }
    let query = args.query.join(" ");
    let results = search_retrying(&dir, &query, args.max as usize)?;
    if results.lenient {
        eprintln!("cerca: the query does not parse; searching its words instead");
    }
    if results.relaxed {
        eprintln!("cerca: no passage has all the words; showing passages with some of them");
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
    if args.json {
        render::hits_jsonl(&mut out, &results.hits)?;
    } else {
        render::hits_text(&mut out, &results.hits, color)?;
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
fn search_retrying(dir: &Path, query: &str, max: usize) -> anyhow::Result<search::Results> {
    const ATTEMPTS: usize = 3;
    let mut attempt = 1;
    loop {
        let result = Store::open(dir)
            .map_err(SearchError::from)
            .and_then(|store| search::search(&store, query, max));
        match result {
            Err(SearchError::Index(IndexError::Tantivy { .. })) if attempt < ATTEMPTS => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return Ok(other?),
        }
    }
}
