//! The on-disk index: a tantivy index in one folder, whose commit payload records the schema
//! version and the roots it was built from. Opening it decides whose the folder is (cerca's, an
//! older cerca's, damaged, or somebody else's — never written to) and always registers cerca's
//! analyzers (tantivy stores their names, not their code).

mod folder;
pub mod key;
mod known;
mod lock;
mod plan;
mod schema;
pub mod writer;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::Lang;
use tantivy::directory::error::LockError;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

pub use known::{FileState, Known};
pub use lock::{UpdateLock, lock};
pub use plan::{Plan, Seen, ToRead, plan};
pub use schema::{Fields, SCHEMA_VERSION};
pub use writer::{Committed, Writer};

/// The id of a document in the `document` field: the first 8 bytes of the blake3 hash of its
/// file's key and its record's number in the file (a JSON Lines file holds one document a line).
pub fn document_id(key: &str, record: usize) -> u64 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(key.as_bytes());
    // The key is a path: it holds no NUL, so key and number cannot run into each other.
    hasher.update(&[0]);
    hasher.update(&(record as u64).to_le_bytes());
    let hash = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Decompressed blocks of stored text a reader keeps. A command reads a few passages once: each
/// block kept is 16 KB of fresh memory, and the page faults of fresh memory cost a one-word
/// search more than decompressing a block twice would (measured: the default 100 blocks, 384
/// page faults; none kept, 356). One block keeps reading a file's passages in order cheap.
const ONE_SHOT_STORE_CACHE: usize = 1;

/// The same for the readers a long-lived process keeps (`serve`): tantivy's default, a warm cache
/// for the many searches of one commit.
const KEPT_STORE_CACHE: usize = 100;

/// Memory for tantivy's indexing buffers, shared by its threads.
const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;

/// What cerca stores with each commit.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Meta {
    pub version: u32,
    pub roots: Vec<PathBuf>,
    pub options: crate::ingest::Options,
    /// The languages of the documents indexed so far (codes, in `Lang::ALL` order): a search
    /// looks up stems in these languages' fields only. Empty in an index that predates it: all.
    pub langs: Vec<String>,
    /// Every file's passages were written in one batch, so that a document's passages are
    /// neighbours in one segment, in order (merges keep that order): a passage's neighbours in
    /// its document are the passages beside it. Set by a full build; false in an index that
    /// predates it until it is rebuilt.
    pub contiguous: bool,
}

impl Meta {
    /// The languages whose fields a search should look in.
    pub fn langs(&self) -> Vec<Lang> {
        let set = self.lang_set();
        Lang::ALL
            .into_iter()
            .filter(|l| set == 0 || set & l.bit() != 0)
            .collect()
    }

    /// The recorded languages as a set (see `Lang::bit`).
    pub fn lang_set(&self) -> u8 {
        self.langs
            .iter()
            .filter_map(|l| l.parse::<Lang>().ok())
            .fold(0, |set, l| set | l.bit())
    }

    /// Records the languages of `set`.
    pub fn set_langs(&mut self, set: u8) {
        self.langs = Lang::ALL
            .into_iter()
            .filter(|l| set & l.bit() != 0)
            .map(|l| l.code().to_string())
            .collect();
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {}; run `cerca index PATH` to build one", .0.display())]
    Missing(PathBuf),
    #[error(
        "the index at {} was built by another version of cerca (schema {found}, this one reads {expected}); run `cerca index` to rebuild it",
        path.display()
    )]
    Version {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error(
        "{} holds a tantivy index that cerca did not make; cerca leaves it alone (give --index another folder)",
        .0.display()
    )]
    Foreign(PathBuf),
    #[error(
        "{} holds a meta.json that is not a cerca index; cerca leaves it alone (give --index another folder)",
        .0.display()
    )]
    NotAnIndex(PathBuf),
    #[error(
        "the index at {} is damaged ({reason}); run `cerca index --rebuild`",
        path.display()
    )]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "the index at {} is being updated by {}; try again when it is done (or pass --wait)",
        path.display(),
        pid.map_or("another process".to_string(), |p| format!("process {p}"))
    )]
    Locked { path: PathBuf, pid: Option<u32> },
    // The cause is the error's source: shown once, after it, by whoever prints the chain.
    #[error("index at {}", path.display())]
    Tantivy {
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
    #[error("index at {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl IndexError {
    /// The message with its causes, as one line.
    pub fn with_causes(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out
    }

    /// Reads a tantivy error met while searching an index that opened: the files it names are
    /// missing or do not hold what they should, which is damage (a commit in between is retried by
    /// the caller before it gets here).
    pub fn damaged_if_corrupt(self) -> IndexError {
        match self {
            IndexError::Tantivy { path, source } => match source {
                TantivyError::DataCorruption(_)
                | TantivyError::OpenReadError(_)
                | TantivyError::OpenDirectoryError(_)
                | TantivyError::IoError(_)
                | TantivyError::InternalError(_)
                | TantivyError::IndexBuilderMissingArgument(_)
                | TantivyError::SchemaError(_) => IndexError::Damaged {
                    path,
                    reason: source.to_string(),
                },
                source => IndexError::Tantivy { path, source },
            },
            other => other,
        }
    }
}

/// What a folder given as an index holds.
enum Found {
    /// No index yet (no `meta.json`, no marker): one may be made there; files that are not
    /// tantivy's are left as they are.
    Vacant,
    /// cerca's index: its commit payload (or, if `meta.json` is unreadable, the marker's copy).
    Ours {
        meta: Meta,
    },
    /// cerca's, by its marker, but its `meta.json` is missing or does not say so.
    Unreadable {
        meta: Option<Meta>,
        reason: String,
    },
    /// cerca's, by its marker, cut before its first commit: nothing in it to lose.
    Interrupted(Option<Meta>),
    Foreign,
    NotAnIndex,
}

/// What `meta.json` says of its maker.
enum Payload {
    Cerca(Meta),
    /// No payload, no segments and cerca's fields: an index whose first run was cut before its
    /// first commit. There is nothing in it to lose.
    Unfinished,
    Other,
}

/// Reads `meta.json` (its bytes). A payload is cerca's only if it has cerca's own keys: another
/// application's payload is not taken for an empty record.
fn payload_of(meta_json: &[u8]) -> Result<Payload, String> {
    // Only what is needed is kept: the segments are counted, the schema's fields named.
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    #[derive(Deserialize)]
    struct File {
        // Present in every tantivy meta.json: a file without them is not tantivy's.
        #[allow(dead_code)]
        opstamp: u64,
        #[allow(dead_code)]
        index_settings: serde::de::IgnoredAny,
        payload: Option<String>,
        #[serde(default)]
        segments: Vec<serde::de::IgnoredAny>,
        #[serde(default)]
        schema: Vec<Named>,
    }
    let file: File = serde_json::from_slice(meta_json).map_err(|e| format!("meta.json: {e}"))?;
    if let Some(payload) = &file.payload {
        let value: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
        let ours = value.get("version").is_some_and(|v| v.as_u64().is_some())
            && value.get("roots").is_some_and(|r| r.is_array());
        if !ours {
            return Ok(Payload::Other);
        }
        return serde_json::from_value(value)
            .map(Payload::Cerca)
            .map_err(|e| format!("meta.json payload: {e}"));
    }
    let named = |name: &str| file.schema.iter().any(|f| f.name == name);
    // Fields every version of cerca's schema has had.
    let fields = ["path", "hash", "ordinal", "body_it"]
        .iter()
        .all(|n| named(n));
    Ok(if file.segments.is_empty() && fields {
        Payload::Unfinished
    } else {
        Payload::Other
    })
}

fn inspect(dir: &Path) -> Result<Found, IndexError> {
    let marker = folder::marker(dir);
    let meta_json = match fs::read(dir.join("meta.json")) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(IndexError::Io {
                path: dir.join("meta.json"),
                source,
            });
        }
    };
    let Some(meta_json) = meta_json else {
        // Segments are written only after the first commit, so a folder with the marker, no
        // `meta.json` and no segment was cut while the index was being created.
        let no_segments = || {
            fs::read_dir(dir).is_ok_and(|entries| {
                !entries
                    .flatten()
                    .any(|e| e.file_name().to_str().is_some_and(folder::is_segment_file))
            })
        };
        return Ok(match marker {
            Some(meta) if no_segments() => Found::Interrupted(meta),
            Some(meta) => Found::Unreadable {
                meta,
                reason: "meta.json is missing".into(),
            },
            None => Found::Vacant,
        });
    };
    Ok(match (payload_of(&meta_json), marker) {
        (Ok(Payload::Cerca(meta)), _) => Found::Ours { meta },
        (Ok(Payload::Unfinished), marker) => Found::Interrupted(marker.flatten()),
        (Ok(Payload::Other), None) => Found::Foreign,
        (Err(_), None) => Found::NotAnIndex,
        (Ok(Payload::Other), Some(meta)) => Found::Unreadable {
            meta,
            reason: "meta.json does not hold cerca's record".into(),
        },
        (Err(reason), Some(meta)) => Found::Unreadable { meta, reason },
    })
}

/// An open index.
pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub meta: Meta,
    /// Readers opened once and handed out from then on (see [`Store::keep_readers`]).
    kept: Option<Kept>,
    /// Readers opened when first asked for and handed out from then on, for a store that is
    /// only read (see [`Store::reusing_readers`]).
    reused: Option<Reused>,
}

/// The readers of a store that reuses them, each opened when first asked for.
#[derive(Default)]
struct Reused {
    reader: OnceLock<IndexReader>,
    parallel: OnceLock<IndexReader>,
}

/// The reader in `cell`, opened by `open` the first time; a new one each time without a cell.
fn once(
    cell: Option<&OnceLock<IndexReader>>,
    open: impl FnOnce() -> Result<IndexReader, IndexError>,
) -> Result<IndexReader, IndexError> {
    let Some(cell) = cell else {
        return open();
    };
    if let Some(reader) = cell.get() {
        return Ok(reader.clone());
    }
    let reader = open()?;
    Ok(cell.get_or_init(|| reader).clone())
}

/// The readers of a store that keeps them.
struct Kept {
    reader: IndexReader,
    parallel: IndexReader,
}

/// How [`Store::open_for_update`] found the folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Opened {
    /// An index of this version.
    Existing,
    /// A new, empty index.
    Created,
    /// An index of another version of cerca, emptied to be rebuilt.
    Upgraded,
    /// A damaged index, emptied to be rebuilt (`--rebuild`).
    Recovered,
}

impl Store {
    /// Whether `dir` holds an index (of any version).
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    /// Opens an existing index for searching (read only).
    pub fn open(dir: &Path) -> Result<Store, IndexError> {
        let meta = match inspect(dir)? {
            Found::Vacant => return Err(IndexError::Missing(dir.to_path_buf())),
            Found::Foreign => return Err(IndexError::Foreign(dir.to_path_buf())),
            Found::NotAnIndex => return Err(IndexError::NotAnIndex(dir.to_path_buf())),
            Found::Unreadable { reason, .. } => {
                return Err(IndexError::Damaged {
                    path: dir.to_path_buf(),
                    reason,
                });
            }
            Found::Interrupted(_) => return Err(IndexError::Missing(dir.to_path_buf())),
            Found::Ours { meta } => meta,
        };
        if meta.version != SCHEMA_VERSION {
            return Err(IndexError::Version {
                path: dir.to_path_buf(),
                found: meta.version,
                expected: SCHEMA_VERSION,
            });
        }
        Store::load(dir, meta).map_err(IndexError::damaged_if_corrupt)
    }

    /// Opens the index at `dir` for an update, creating it if the folder holds none. The caller
    /// holds the update lock. A new index's marker records its roots plus `new_roots` before
    /// anything else is written, so a first build cut short knows its folders. An index of another version is emptied
    /// to be rebuilt; a damaged one too, if `rebuild` is asked; another application's index, or
    /// a folder of other files, is refused.
    pub fn open_for_update(
        dir: &Path,
        rebuild: bool,
        new_roots: &[PathBuf],
    ) -> Result<(Store, Opened), IndexError> {
        let io = |source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let (previous, opened) = match inspect(dir)? {
            Found::Vacant => (Meta::default(), Opened::Created),
            Found::Foreign => return Err(IndexError::Foreign(dir.to_path_buf())),
            Found::NotAnIndex => return Err(IndexError::NotAnIndex(dir.to_path_buf())),
            Found::Ours { meta } if meta.version == SCHEMA_VERSION => {
                match Store::load(dir, meta.clone()) {
                    Ok(store) => {
                        if folder::marker(dir).flatten().is_none() {
                            // An index from before the marker, or whose marker was damaged:
                            // mark it now, while its record is readable.
                            folder::write_marker(dir, &store.meta).map_err(io)?;
                        }
                        return Ok((store, Opened::Existing));
                    }
                    Err(_) if rebuild => (meta, Opened::Recovered),
                    Err(e) => return Err(e.damaged_if_corrupt()),
                }
            }
            Found::Ours { meta } => (meta, Opened::Upgraded),
            Found::Unreadable { meta, .. } if rebuild => {
                (meta.unwrap_or_default(), Opened::Recovered)
            }
            Found::Interrupted(meta) => (meta.unwrap_or_default(), Opened::Created),
            Found::Unreadable { reason, .. } => {
                return Err(IndexError::Damaged {
                    path: dir.to_path_buf(),
                    reason,
                });
            }
        };
        // A new index, or one rebuilt: its folders and reading options survive, with the version
        // this cerca writes. The marker goes first, so a run cut at any later point leaves a
        // folder that is known to be cerca's.
        fs::create_dir_all(dir).map_err(io)?;
        let mut meta = Meta {
            version: 0,
            langs: Vec::new(),
            contiguous: false,
            ..previous
        };
        meta.roots.extend(new_roots.iter().cloned());
        folder::write_marker(dir, &meta).map_err(io)?;
        folder::wipe(dir).map_err(io)?;
        let index = Index::create(
            folder::Tolerant::open(dir).map_err(|e| IndexError::Tantivy {
                path: dir.to_path_buf(),
                source: e.into(),
            })?,
            schema::build(),
            tantivy::IndexSettings::default(),
        )
        .map_err(|source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        })?;
        let store = Store::from_index(dir, index, meta)?;
        Ok((store, opened))
    }

    fn load(dir: &Path, meta: Meta) -> Result<Store, IndexError> {
        let wrap = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        let directory = folder::Tolerant::open(dir).map_err(|e| wrap(e.into()))?;
        let index = Index::open(directory).map_err(wrap)?;
        Store::from_index(dir, index, meta)
    }

    fn from_index(dir: &Path, index: Index, meta: Meta) -> Result<Store, IndexError> {
        crate::analysis::register(index.tokenizers());
        let fields = Fields::of(&index.schema()).map_err(|source| IndexError::Damaged {
            path: dir.to_path_buf(),
            reason: format!("its schema lacks cerca's fields: {source}"),
        })?;
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            fields,
            meta,
            kept: None,
            reused: None,
        })
    }

    /// The segments the last commit uses, by id, with the name of each one's deletes file.
    fn used_segments(&self) -> Result<HashMap<String, Option<PathBuf>>, IndexError> {
        let metas = self
            .index
            .searchable_segment_metas()
            .map_err(|e| self.tantivy_error(e))?;
        Ok(metas
            .iter()
            .map(|m| {
                let deletes = m
                    .has_deletes()
                    .then(|| m.relative_path(tantivy::index::SegmentComponent::Delete));
                (m.id().uuid_string(), deletes)
            })
            .collect())
    }

    /// Records `meta` beside the index (see [`folder`]).
    pub fn write_marker(&self, meta: &Meta) -> Result<(), IndexError> {
        folder::write_marker(&self.dir, meta).map_err(|source| IndexError::Io {
            path: self.dir.clone(),
            source,
        })
    }

    /// Removes segment files the last commit does not use (see [`folder::remove_orphans`]).
    pub fn remove_orphans(&self) -> Result<usize, IndexError> {
        let used = self.used_segments()?;
        folder::remove_orphans(&self.dir, &used).map_err(|source| IndexError::Io {
            path: self.dir.clone(),
            source,
        })
    }

    /// Checks the files of the last commit against their checksums. A file checked before and not
    /// written since (same length, inode, modification and change times, as recorded in
    /// [`folder::read_checked`]) is not read again: segment files never change once written, so a
    /// re-run reads only the segments that are new, not the whole index (3 GB at a million files).
    pub fn verify(&self) -> Result<(), IndexError> {
        let err = |e: TantivyError| self.tantivy_error(e).damaged_if_corrupt();
        let metas = self.index.load_metas().map_err(err)?;
        let directory = self.index.directory();
        let managed = directory.list_managed_files();
        let mut files: Vec<PathBuf> = metas
            .list_segment_files()
            .into_iter()
            .filter(|f| managed.contains(f))
            .collect();
        files.sort();
        let checked_before = folder::read_checked(&self.dir);
        let checked: Vec<(Option<String>, bool)> = files
            .par_iter()
            .map(|file| {
                let stamp = folder::stamp(&self.dir, file);
                if stamp.as_ref().is_some_and(|s| checked_before.contains(s)) {
                    return Ok((stamp, true));
                }
                let sound = directory
                    .validate_checksum(file)
                    .map_err(|e| err(e.into()))?;
                Ok((stamp, sound))
            })
            .collect::<Result<_, IndexError>>()?;
        let damaged: Vec<&PathBuf> = files
            .iter()
            .zip(&checked)
            .filter(|(_, (_, sound))| !sound)
            .map(|(f, _)| f)
            .collect();
        if let Some(file) = damaged.first() {
            return Err(IndexError::Damaged {
                path: self.dir.clone(),
                reason: format!(
                    "{} of its files fail their checksum, e.g. {}",
                    damaged.len(),
                    file.display()
                ),
            });
        }
        // Written only when it changed (a re-run with no new segment writes nothing); best
        // effort: a folder that cannot be written is checked in full next time.
        let stamps: Vec<String> = checked.into_iter().filter_map(|(s, _)| s).collect();
        if stamps.len() != checked_before.len()
            || stamps.iter().any(|s| !checked_before.contains(s))
        {
            let _ = folder::write_checked(&self.dir, &stamps);
        }
        Ok(())
    }

    /// The index's single writer; another process holding it is reported as [`IndexError::Locked`].
    pub fn writer(&self) -> Result<IndexWriter, IndexError> {
        self.index.writer(WRITER_HEAP_BYTES).map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Locked {
                path: self.dir.clone(),
                pid: None,
            },
            source => IndexError::Tantivy {
                path: self.dir.clone(),
                source,
            },
        })
    }

    pub(crate) fn tantivy_error(&self, source: TantivyError) -> IndexError {
        IndexError::Tantivy {
            path: self.dir.clone(),
            source,
        }
    }

    /// Opens this commit's readers once and hands out those from now on, for a long-lived
    /// process that searches one commit many times (`serve`, which opens a new store when a
    /// commit replaces it): a search then starts from open segments, a warm store cache and
    /// running search threads. A store that is written to must not keep them: they would not
    /// see its own commits.
    pub fn keep_readers(&mut self) -> Result<(), IndexError> {
        self.kept = Some(Kept {
            reader: self.reader_of(&self.index, KEPT_STORE_CACHE)?,
            parallel: self.parallel_reader_with(KEPT_STORE_CACHE)?,
        });
        Ok(())
    }

    /// Makes this store hand out the same readers from their first opening on, for one process
    /// that searches once and exits (`cerca search`): a search that weighs more candidates a
    /// second time does not open the segments again. Unlike [`Store::keep_readers`], nothing
    /// is opened ahead and the store cache stays small. Not for a store that is written to.
    pub fn reusing_readers(mut self) -> Store {
        self.reused = Some(Reused::default());
        self
    }

    /// A reader on the last commit (on the commit it was opened at, if it keeps its readers).
    pub fn reader(&self) -> Result<IndexReader, IndexError> {
        if let Some(kept) = &self.kept {
            return Ok(kept.reader.clone());
        }
        once(self.reused.as_ref().map(|r| &r.reader), || {
            self.reader_of(&self.index, ONE_SHOT_STORE_CACHE)
        })
    }

    /// A reader on the last commit whose searches run over the segments in parallel, one
    /// thread per core. Worth its threads' start-up only for a query that scores many passages.
    pub fn parallel_reader(&self) -> Result<IndexReader, IndexError> {
        if let Some(kept) = &self.kept {
            return Ok(kept.parallel.clone());
        }
        once(self.reused.as_ref().map(|r| &r.parallel), || {
            self.parallel_reader_with(ONE_SHOT_STORE_CACHE)
        })
    }

    fn parallel_reader_with(&self, store_cache: usize) -> Result<IndexReader, IndexError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores == 1 {
            return self.reader_of(&self.index, store_cache);
        }
        let mut index = self.index.clone();
        index
            .set_multithread_executor(cores)
            .map_err(|source| self.tantivy_error(source))?;
        self.reader_of(&index, store_cache)
    }

    /// A reader keeping `store_cache` decompressed blocks of stored text.
    fn reader_of(&self, index: &Index, store_cache: usize) -> Result<IndexReader, IndexError> {
        index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(store_cache)
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                path: self.dir.clone(),
                source,
            })
    }
}
