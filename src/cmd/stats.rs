//! `cerca stats`: what the index holds, counted without loading any stored passage. Documents
//! (distinct file key and record ordinal), their sources and dates come from the fast-field
//! columns `path`, `doc`, `source` and `date`; languages from the postings of the `lang` field's
//! terms (it is indexed but not a fast field): each language's passages are walked and mapped to
//! their document through the same columns, which counts documents per language exactly, at the
//! cost of one pass over a postings list that holds every passage once. Loading one stored
//! passage per document would decompress a store block for each of 100,000 files instead.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, SegmentReader, TERMINATED};

use super::Outcome;
use super::inspect::{guarded, open, stdout_writer};
use crate::cli::StatsArgs;
use crate::index::Store;
use crate::render::{self, Count, Stats};

/// How many sources are listed by name.
const TOP_SOURCES: usize = 10;

pub fn run(args: StatsArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let stats = guarded(&dir, || {
        let store = open(&dir)?;
        let searcher = store.reader()?.searcher();
        Ok(gather(&store, &searcher).map_err(|e| store.tantivy_error(e).damaged_if_corrupt())?)
    })?;
    let mut out = stdout_writer();
    if args.json {
        render::stats_json(&mut out, &stats)?;
    } else {
        render::stats_text(&mut out, &stats)?;
    }
    Ok(Outcome::Success)
}

/// What is known of one document, from the first of its passages met.
#[derive(Clone, Default)]
struct Doc {
    /// Seconds since the epoch.
    date: Option<i64>,
    source: Option<String>,
    lang: Option<String>,
}

pub(crate) fn gather(store: &Store, searcher: &Searcher) -> tantivy::Result<Stats> {
    // Keyed by file key and record ordinal: a file's passages are written in one update, so in
    // one segment, but keying by the path string rather than the segment's ordinal keeps the
    // count right whatever the segments hold.
    let mut docs: HashMap<(String, u64), Doc> = HashMap::new();
    for segment in searcher.segment_readers() {
        gather_segment(store, segment, &mut docs)?;
    }
    let mut files: Vec<&str> = docs.keys().map(|(p, _)| p.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    let (mut langs, mut sources) = (HashMap::new(), HashMap::new());
    let (mut earliest, mut latest, mut undated) = (None::<i64>, None::<i64>, 0);
    for doc in docs.values() {
        let lang = doc.lang.clone().unwrap_or_else(|| "unknown".into());
        *langs.entry(lang).or_insert(0u64) += 1;
        if let Some(s) = &doc.source {
            *sources.entry(s.clone()).or_insert(0u64) += 1;
        }
        match doc.date {
            Some(d) => {
                earliest = Some(earliest.map_or(d, |e| e.min(d)));
                latest = Some(latest.map_or(d, |l| l.max(d)));
            }
            None => undated += 1,
        }
    }
    let distinct_sources = sources.len() as u64;
    let mut sources = ranked(sources);
    sources.truncate(TOP_SOURCES);
    let day = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
    };
    Ok(Stats {
        index: store.dir.display().to_string(),
        schema_version: store.meta.version,
        documents: docs.len() as u64,
        files: files.len() as u64,
        passages: searcher.num_docs(),
        languages: ranked(langs),
        sources,
        distinct_sources,
        earliest: earliest.and_then(day),
        latest: latest.and_then(day),
        undated,
        size_bytes: folder_size(&store.dir),
        roots: store
            .meta
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect(),
        last_update: last_update(&store.dir),
    })
}

fn gather_segment(
    store: &Store,
    segment: &SegmentReader,
    docs: &mut HashMap<(String, u64), Doc>,
) -> tantivy::Result<()> {
    let ff = segment.fast_fields();
    let paths = ff.str("path")?;
    let records: Option<Column<u64>> = ff.column_opt("doc")?;
    let dates: Option<Column<tantivy::DateTime>> = ff.column_opt("date")?;
    let sources = ff.str("source")?;
    let langs = languages(store, segment)?;
    let mut path_names: HashMap<u64, String> = HashMap::new();
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    for id in segment.doc_ids_alive() {
        let Some(path_ord) = paths.as_ref().and_then(|p| p.ords().first(id)) else {
            continue;
        };
        let record = records.as_ref().and_then(|c| c.first(id)).unwrap_or(0);
        if !seen.insert((path_ord, record)) {
            continue;
        }
        let path = match path_names.get(&path_ord) {
            Some(p) => p.clone(),
            None => {
                let p = term_of(paths.as_ref(), path_ord);
                path_names.insert(path_ord, p.clone());
                p
            }
        };
        let doc = Doc {
            date: dates
                .as_ref()
                .and_then(|c| c.first(id))
                .map(|d| d.into_timestamp_secs()),
            source: sources
                .as_ref()
                .and_then(|c| c.ords().first(id))
                .map(|ord| term_of(sources.as_ref(), ord)),
            lang: langs
                .of
                .get(id as usize)
                .and_then(|&i| langs.names.get(usize::from(i)))
                .cloned(),
        };
        docs.entry((path, record)).or_insert(doc);
    }
    Ok(())
}

/// The language of each passage of a segment.
struct Languages {
    /// The `lang` field's terms.
    names: Vec<String>,
    /// By passage id, the index of its language in `names` (`u16::MAX`: none).
    of: Vec<u16>,
}

/// The language of each passage of the segment, from the postings of the `lang` field's terms.
fn languages(store: &Store, segment: &SegmentReader) -> tantivy::Result<Languages> {
    let inverted = segment.inverted_index(store.fields.lang)?;
    let mut langs = Languages {
        names: Vec::new(),
        of: vec![u16::MAX; segment.max_doc() as usize],
    };
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let Ok(i) = u16::try_from(langs.names.len()) else {
            break;
        };
        langs
            .names
            .push(String::from_utf8_lossy(terms.key()).into_owned());
        let mut postings =
            inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
        let mut id: DocId = postings.doc();
        while id != TERMINATED {
            if let Some(slot) = langs.of.get_mut(id as usize) {
                *slot = i;
            }
            id = postings.advance();
        }
    }
    Ok(langs)
}

fn term_of(column: Option<&StrColumn>, ord: u64) -> String {
    let mut s = String::new();
    if let Some(c) = column {
        // A term that cannot be read leaves the name empty rather than failing the count.
        let _ = c.ord_to_str(ord, &mut s);
    }
    s
}

/// Counts, most first (ties by name).
fn ranked(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = counts
        .into_iter()
        .map(|(name, documents)| Count { name, documents })
        .collect();
    v.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.name.cmp(&b.name)));
    v
}

/// The bytes of the files in the index folder (tantivy keeps no subfolders).
fn folder_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// When the last commit was written: `meta.json`'s modification time, local, ISO 8601.
fn last_update(dir: &Path) -> Option<String> {
    let modified = fs::metadata(dir.join("meta.json")).ok()?.modified().ok()?;
    let local: chrono::DateTime<chrono::Local> = modified.into();
    Some(local.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
}
