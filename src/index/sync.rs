//! Bringing the index in line with the files under its roots, in one atomic commit: new files are
//! added, changed ones replaced, vanished ones removed. A file whose size and modification time
//! are unchanged is not read at all; one whose bytes hash the same is counted unchanged.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{IndexError, Meta, SCHEMA_VERSION, Store};
use crate::ingest::{self, Document, Kind, Walked};

/// A file that could not be indexed, and why.
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
pub trait Progress {
    fn start(&self, files: u64);
    fn step(&self, path: &Path);
    fn warn(&self, error: &FileError);
}

/// What the index knows of a file.
#[derive(Clone, Debug)]
struct FileState {
    size: u64,
    mtime_ns: i64,
    hash: String,
}

/// Updates the index to match the files under `roots` (which become its recorded roots).
pub fn sync(
    store: &Store,
    roots: &[PathBuf],
    rebuild: bool,
    progress: &dyn Progress,
) -> Result<Summary, IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: store.dir.clone(),
        source,
    };
    let mut writer = store.writer()?;
    let known = if rebuild {
        writer.delete_all_documents().map_err(tantivy_err)?;
        HashMap::new()
    } else {
        file_states(store)?
    };
    let mut summary = Summary::default();
    let mut files = Vec::new();
    let mut unreachable = Vec::new();
    for walked in ingest::walk(roots, Some(&store.dir)) {
        match walked {
            Walked::File(path) => files.push(path),
            Walked::Error { path, error } => {
                if path.exists() {
                    // Still there but unreadable (permissions): keep what the index has of it.
                    unreachable.push(path.clone());
                }
                report(&mut summary, progress, &path, error);
            }
        }
    }
    progress.start(files.len() as u64);
    let mut seen = HashSet::new();
    for path in &files {
        progress.step(path);
        let Some(kind) = Kind::of(path) else {
            summary.skipped += 1;
            continue;
        };
        let key = path.to_string_lossy().into_owned();
        let old = known.get(&key);
        seen.insert(key.clone());
        let same_stat = |old: &FileState| {
            ingest::stat(path).is_ok_and(|(size, mtime)| size == old.size && mtime == old.mtime_ns)
        };
        if old.is_some_and(same_stat) {
            summary.unchanged += 1;
            continue;
        }
        let doc = match ingest::read(path, kind) {
            Ok(doc) => doc,
            Err(e) => {
                report(&mut summary, progress, path, e.to_string());
                continue;
            }
        };
        if doc.passages.is_empty() {
            summary.skipped += 1;
            if old.is_some() {
                writer.delete_term(Term::from_field_text(store.fields.path, &key));
                summary.updated += 1;
            }
            continue;
        }
        match old {
            None => summary.added += 1,
            // Same bytes, new mtime: rewritten below so the index records the new mtime.
            Some(old) if old.hash == doc.meta.hash => summary.unchanged += 1,
            Some(_) => summary.updated += 1,
        }
        if old.is_some() {
            writer.delete_term(Term::from_field_text(store.fields.path, &key));
        }
        add_document(&writer, store, &key, &doc).map_err(tantivy_err)?;
    }
    for key in known.keys() {
        let kept = seen.contains(key) || unreachable.iter().any(|u| Path::new(key).starts_with(u));
        if !kept {
            writer.delete_term(Term::from_field_text(store.fields.path, key));
            summary.removed += 1;
        }
    }
    commit(store, &mut writer, roots)?;
    let reader = store.reader()?;
    summary.passages = reader.searcher().num_docs();
    summary.documents = file_states(store)?.len() as u64;
    Ok(summary)
}

fn report(summary: &mut Summary, progress: &dyn Progress, path: &Path, error: String) {
    let e = FileError {
        path: path.display().to_string(),
        error,
    };
    progress.warn(&e);
    summary.errors.push(e);
}

fn add_document(
    writer: &IndexWriter,
    store: &Store,
    key: &str,
    doc: &Document,
) -> tantivy::Result<()> {
    let f = &store.fields;
    for (ordinal, passage) in doc.passages.iter().enumerate() {
        let mut d = TantivyDocument::default();
        d.add_text(f.path, key);
        d.add_u64(f.size, doc.meta.size);
        d.add_i64(f.mtime, doc.meta.mtime_ns);
        d.add_text(f.hash, &doc.meta.hash);
        d.add_text(f.title, &doc.title);
        if let Some(date) = &doc.date {
            d.add_text(f.date, date);
        }
        d.add_text(f.lang, doc.lang.code());
        d.add_u64(f.line, passage.line as u64);
        d.add_u64(f.ordinal, ordinal as u64);
        d.add_text(f.text, &passage.text);
        d.add_text(f.exact, &passage.text);
        d.add_text(f.body_of(doc.lang), &passage.text);
        d.add_text(f.title_of(doc.lang), &doc.title);
        writer.add_document(d)?;
    }
    Ok(())
}

fn commit(store: &Store, writer: &mut IndexWriter, roots: &[PathBuf]) -> Result<(), IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: store.dir.clone(),
        source,
    };
    let meta = Meta {
        version: SCHEMA_VERSION,
        roots: roots.to_vec(),
    };
    let payload = serde_json::to_string(&meta).expect("meta serialises");
    let mut prepared = writer.prepare_commit().map_err(tantivy_err)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(tantivy_err)?;
    Ok(())
}

/// Every file the index holds, read from the fast fields of its passages.
fn file_states(store: &Store) -> Result<HashMap<String, FileState>, IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: store.dir.clone(),
        source,
    };
    let io_err = |e: std::io::Error| tantivy_err(e.into());
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut states = HashMap::new();
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
        let (mut path, mut hash) = (String::new(), String::new());
        for doc in segment.doc_ids_alive() {
            let (Some(p), Some(h)) = (paths.ords().first(doc), hashes.ords().first(doc)) else {
                continue;
            };
            paths.ord_to_str(p, &mut path).map_err(io_err)?;
            if states.contains_key(&path) {
                continue;
            }
            hashes.ord_to_str(h, &mut hash).map_err(io_err)?;
            states.insert(
                path.clone(),
                FileState {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime_ns: mtimes.first(doc).unwrap_or(0),
                    hash: hash.clone(),
                },
            );
        }
    }
    Ok(states)
}
