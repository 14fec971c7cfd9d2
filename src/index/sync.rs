//! Bringing the index in line with the files under its roots, in one atomic commit: new files are
//! added, changed ones replaced, vanished ones removed. A file whose size and modification time
//! are unchanged is not read at all; one whose bytes hash the same is counted unchanged. Files
//! are read and analysed in parallel (rayon) while tantivy indexes.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::columnar::StrColumn;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{IndexError, Meta, Store};
use crate::ingest::{self, Ingested, Kind, Options, Walked};

/// A file that could not be indexed (or a part of it), and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub error: String,
}

/// What a run did, as `cerca index --json` prints it.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub documents: u64,
    pub passages: u64,
    pub errors: Vec<FileError>,
}

/// Told of the run's progress; the command line draws it as a bar.
pub trait Progress: Sync {
    /// The number of files that will be read.
    fn start(&self, files: u64);
    fn step(&self, path: &Path);
    fn warn(&self, error: &FileError);
}

/// What the index knows of a file.
#[derive(Clone, Debug)]
struct FileState {
    size: u64,
    mtime_ns: i64,
    /// Where its content hash is: segment (index into [`Known::hashes`]) and term ordinal. Only
    /// the files whose size or time changed need it, so it is looked up only for them.
    hash_at: (usize, u64),
}

/// Every file the index holds.
#[derive(Default)]
struct Known {
    files: FxHashMap<String, FileState>,
    /// The `hash` column of each segment.
    hashes: Vec<StrColumn>,
}

impl Known {
    fn hash(&self, state: &FileState) -> Option<String> {
        let (segment, ord) = state.hash_at;
        let mut hash = String::new();
        let found = self.hashes.get(segment)?.ord_to_str(ord, &mut hash).ok()?;
        found.then_some(hash)
    }
}

/// A file that must be read, with what the index knew of it.
struct ToRead<'a> {
    path: &'a Path,
    key: String,
    kind: Kind,
    old: Option<&'a FileState>,
}

/// What became of a file that was read.
enum Change {
    Added,
    Updated,
    /// Same bytes under a new modification time (rewritten to record it).
    Same,
    /// No text left: its passages, if any, were removed.
    Emptied {
        had: bool,
    },
    Failed,
}

/// Updates the index to match the files under the roots of `meta`, and records `meta` with it.
pub fn sync(
    store: &Store,
    meta: &Meta,
    rebuild: bool,
    progress: &dyn Progress,
) -> Result<Summary, IndexError> {
    let roots = &meta.roots[..];
    let tantivy_err = |source| store.tantivy_error(source);
    let mut summary = Summary::default();
    // What the index holds is read while the folders are walked: one is CPU, the other the
    // file system's work.
    let (known, (files, stats, unreachable)) = rayon::join(
        || {
            if rebuild {
                Ok(Known::default())
            } else {
                file_states(store)
            }
        },
        || {
            let mut files = Vec::new();
            let mut unreachable = Vec::new();
            for walked in ingest::walk(roots, Some(&store.dir)) {
                match walked {
                    Walked::File(path) => files.push(path),
                    Walked::Error { path, error } => {
                        if path.exists() {
                            // Still there but unreadable (permissions): keep what the index has.
                            unreachable.push(path.clone());
                        }
                        report(&mut summary, progress, &path, error);
                    }
                }
            }
            // Size and modification time of every file, asked of the file system in parallel.
            let stats: Vec<Option<(u64, i64)>> =
                files.par_iter().map(|p| ingest::stat(p).ok()).collect();
            (files, stats, unreachable)
        },
    );
    let known = known?;
    let mut seen = FxHashSet::default();
    seen.reserve(files.len());
    let mut to_read = Vec::new();
    for (path, stat) in files.iter().zip(stats) {
        let Some(kind) = Kind::of(path) else {
            summary.skipped += 1;
            continue;
        };
        let key = path.to_string_lossy().into_owned();
        if !seen.insert(key.clone()) {
            continue;
        }
        let old = known.files.get(&key);
        let same_stat = |old: &FileState| stat == Some((old.size, old.mtime_ns));
        if old.is_some_and(same_stat) {
            summary.unchanged += 1;
        } else {
            to_read.push(ToRead {
                path,
                key,
                kind,
                old,
            });
        }
    }
    let vanished: Vec<&String> = known
        .files
        .keys()
        .filter(|key| {
            !seen.contains(*key) && !unreachable.iter().any(|u| Path::new(key).starts_with(u))
        })
        .collect();
    summary.documents = known.files.len() as u64;
    if to_read.is_empty() && vanished.is_empty() && store.meta == *meta && !rebuild {
        // Nothing to write: no writer, no commit.
        summary.passages = store.reader()?.searcher().num_docs();
        return Ok(summary);
    }

    let mut writer = store.writer()?;
    if rebuild {
        writer.delete_all_documents().map_err(tantivy_err)?;
    }
    progress.start(to_read.len() as u64);
    let changes: Vec<(Change, u8, Vec<FileError>)> = to_read
        .par_iter()
        .map(|item| {
            let outcome = apply(store, &known, &writer, item, &meta.options);
            progress.step(item.path);
            outcome
        })
        .collect::<Result<_, _>>()?;
    let mut emptied = 0;
    // The languages indexed: those recorded before (unless rebuilding), and those just read.
    let mut langs = if rebuild { 0 } else { meta.lang_set() };
    for (change, file_langs, errors) in changes {
        langs |= file_langs;
        match change {
            Change::Added => summary.added += 1,
            Change::Updated => summary.updated += 1,
            Change::Same => summary.unchanged += 1,
            Change::Emptied { had } => {
                summary.skipped += 1;
                emptied += u64::from(had);
            }
            Change::Failed => {}
        }
        for e in errors {
            progress.warn(&e);
            summary.errors.push(e);
        }
    }
    summary.errors.sort_by(|a, b| a.path.cmp(&b.path));
    for key in &vanished {
        writer.delete_term(Term::from_field_text(store.fields.path, key));
        summary.removed += 1;
    }
    let mut meta = meta.clone();
    meta.set_langs(langs);
    let changed = summary.added + summary.updated + summary.removed + emptied > 0
        || to_read.iter().any(|r| r.old.is_some())
        || store.meta != meta
        || rebuild;
    // Merging is housekeeping after the commit: if it fails, the update is saved all the same and
    // the next run merges again, so the user is warned, not failed.
    let mut merged = Ok(());
    if changed {
        commit(store, &mut writer, &meta)?;
        merged = merge_small_segments(store, &mut writer);
    }
    // Merges tantivy's policy started are finished, not abandoned when the process exits.
    let waited = writer
        .wait_merging_threads()
        .map_err(|e| store.tantivy_error(e));
    if let Err(e) = merged.and(waited) {
        let why = format!("could not merge the index's segments (the update is saved): {e}");
        report(&mut summary, progress, &store.dir, why);
    }
    summary.documents = known.files.len() as u64 + summary.added - summary.removed - emptied;
    summary.passages = store.reader()?.searcher().num_docs();
    Ok(summary)
}

/// Reads one file and replaces its passages in the index. Also says which languages (a set, see
/// `Lang::bit`) its documents are in.
fn apply(
    store: &Store,
    known: &Known,
    writer: &IndexWriter,
    item: &ToRead,
    options: &Options,
) -> Result<(Change, u8, Vec<FileError>), IndexError> {
    let error = |e: String| FileError {
        path: item.path.display().to_string(),
        error: e,
    };
    let file = match ingest::read(item.path, item.kind, options) {
        Ok(file) => file,
        Err(e) => return Ok((Change::Failed, 0, vec![error(e.to_string())])),
    };
    let problems: Vec<FileError> = file.problems.iter().cloned().map(error).collect();
    let delete_old = || writer.delete_term(Term::from_field_text(store.fields.path, &item.key));
    if file.passages() == 0 {
        if item.old.is_some() {
            delete_old();
        }
        let had = item.old.is_some();
        return Ok((Change::Emptied { had }, 0, problems));
    }
    let change = match item.old {
        None => Change::Added,
        Some(old) if known.hash(old).as_deref() == Some(file.meta.hash.as_str()) => Change::Same,
        Some(_) => Change::Updated,
    };
    if item.old.is_some() {
        // The delete's opstamp precedes the additions below, so it removes only the old passages.
        delete_old();
    }
    add_file(writer, store, &item.key, &file).map_err(|e| store.tantivy_error(e))?;
    let langs = file
        .documents
        .iter()
        .filter(|d| !d.passages.is_empty())
        .fold(0, |set, d| set | d.lang.bit());
    Ok((change, langs, problems))
}

fn report(summary: &mut Summary, progress: &dyn Progress, path: &Path, error: String) {
    let e = FileError {
        path: path.display().to_string(),
        error,
    };
    progress.warn(&e);
    summary.errors.push(e);
}

fn add_file(
    writer: &IndexWriter,
    store: &Store,
    key: &str,
    file: &Ingested,
) -> tantivy::Result<()> {
    let f = &store.fields;
    let mut ordinal = 0u64;
    for doc in &file.documents {
        for passage in &doc.passages {
            let mut d = TantivyDocument::default();
            d.add_text(f.path, key);
            d.add_u64(f.size, file.meta.size);
            d.add_i64(f.mtime, file.meta.mtime_ns);
            d.add_text(f.hash, &file.meta.hash);
            d.add_text(f.title, &doc.title);
            if let Some(date) = &doc.date {
                d.add_text(f.date, date);
            }
            if let Some(url) = &doc.url {
                d.add_text(f.url, url);
            }
            d.add_text(f.lang, doc.lang.code());
            d.add_u64(f.line, passage.line as u64);
            if let Some(page) = passage.page {
                d.add_u64(f.page, u64::from(page));
            }
            d.add_u64(f.ordinal, ordinal);
            d.add_text(f.text, &passage.text);
            // Analysed by the tokenizers registered for these fields. (Pre-tokenized values
            // would save a segmentation, but tantivy serialises them as JSON: slower.)
            d.add_text(f.exact, &passage.text);
            d.add_text(f.body_of(doc.lang), &passage.text);
            d.add_text(f.title_of(doc.lang), &doc.title);
            writer.add_document(d)?;
            ordinal += 1;
        }
    }
    Ok(())
}

/// Segments smaller than this are merged together after a commit.
const SMALL_SEGMENT_DOCS: u32 = 10_000;

/// Every update adds a segment with the passages it wrote, and a search pays for each segment
/// it opens: merge the small ones (cheap) into one, so that daily updates do not pile up
/// segments. Large segments are left to tantivy's merge policy.
fn merge_small_segments(store: &Store, writer: &mut IndexWriter) -> Result<(), IndexError> {
    let metas = store
        .index
        .searchable_segment_metas()
        .map_err(|e| store.tantivy_error(e))?;
    let small: Vec<_> = metas
        .iter()
        .filter(|m| m.num_docs() < SMALL_SEGMENT_DOCS)
        .map(|m| m.id())
        .collect();
    if small.len() >= 2 {
        writer
            .merge(&small)
            .wait()
            .map_err(|e| store.tantivy_error(e))?;
    }
    Ok(())
}

fn commit(store: &Store, writer: &mut IndexWriter, meta: &Meta) -> Result<(), IndexError> {
    let payload = serde_json::to_string(meta).expect("meta serialises");
    let mut prepared = writer
        .prepare_commit()
        .map_err(|e| store.tantivy_error(e))?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(|e| store.tantivy_error(e))?;
    Ok(())
}

/// Every file the index holds, read from the fast fields of its passages.
fn file_states(store: &Store) -> Result<Known, IndexError> {
    let tantivy_err = |source| store.tantivy_error(source);
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut known = Known::default();
    known.files.reserve(searcher.num_docs() as usize / 2);
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let (Some(paths), Some(hashes)) = (
            ff.str("path").map_err(tantivy_err)?,
            ff.str("hash").map_err(tantivy_err)?,
        ) else {
            continue;
        };
        let sizes = ff.u64("size").map_err(tantivy_err)?;
        let mtimes = ff.i64("mtime").map_err(tantivy_err)?;
        // Reading a dictionary in order decompresses each block once; looking terms up one by one
        // would decompress a block per file.
        let mut path_terms = all_terms(&paths).map_err(|e| tantivy_err(e.into()))?;
        let mut done = vec![false; path_terms.len()];
        let hashes_at = known.hashes.len();
        for doc in segment.doc_ids_alive() {
            let (Some(p), Some(h)) = (paths.ords().first(doc), hashes.ords().first(doc)) else {
                continue;
            };
            let p = p as usize;
            if p >= done.len() || std::mem::replace(&mut done[p], true) {
                continue;
            }
            known.files.insert(
                std::mem::take(&mut path_terms[p]),
                FileState {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime_ns: mtimes.first(doc).unwrap_or(0),
                    hash_at: (hashes_at, h),
                },
            );
        }
        known.hashes.push(hashes);
    }
    Ok(known)
}

/// The terms of a string column, indexed by ordinal.
fn all_terms(column: &StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}
