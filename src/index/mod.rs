//! The on-disk index: a tantivy index in one folder, whose commit payload records the schema
//! version and the roots it was built from. Opening it always registers cerca's analyzers
//! (tantivy stores their names, not their code).

mod lock;
mod schema;
mod sync;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::Lang;
use tantivy::Directory;
use tantivy::directory::error::LockError;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

pub use lock::{UpdateLock, lock};
pub use schema::{Fields, SCHEMA_VERSION};
pub use sync::{FileError, Progress, Summary, sync};

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
        "the index at {} is being updated by {}; try again when it is done (or pass --wait)",
        path.display(),
        pid.map_or("another process".to_string(), |p| format!("process {p}"))
    )]
    Locked { path: PathBuf, pid: Option<u32> },
    #[error("index at {}: {source}", path.display())]
    Tantivy {
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
    #[error("index at {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// An open index.
pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub meta: Meta,
}

impl Store {
    /// Whether `dir` holds an index (of any version).
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    /// Opens an existing index for searching.
    pub fn open(dir: &Path) -> Result<Store, IndexError> {
        if !Store::exists(dir) {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let store = Store::open_any_version(dir)?;
        if store.meta.version != SCHEMA_VERSION {
            return Err(IndexError::Version {
                path: dir.to_path_buf(),
                found: store.meta.version,
                expected: SCHEMA_VERSION,
            });
        }
        Ok(store)
    }

    /// Opens the index at `dir` for indexing, creating it if needed. An index of another schema
    /// version is emptied and recreated; the returned flag says so.
    pub fn open_or_create(dir: &Path) -> Result<(Store, bool), IndexError> {
        let wrap = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut previous = None;
        if Store::exists(dir) {
            let store = Store::open_any_version(dir)?;
            if store.meta.version == SCHEMA_VERSION {
                return Ok((store, false));
            }
            previous = Some(store.meta.clone());
            store.clear()?;
        }
        let index = Index::create_in_dir(dir, schema::build()).map_err(wrap)?;
        let mut store = Store::from_index(dir, index)?;
        let rebuilt = previous.is_some();
        if let Some(old) = previous {
            // The folders and reading options survive the rebuild; only the version changes.
            store.meta = Meta { version: 0, ..old };
        }
        Ok((store, rebuilt))
    }

    fn open_any_version(dir: &Path) -> Result<Store, IndexError> {
        let index = Index::open_in_dir(dir).map_err(|source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        })?;
        Store::from_index(dir, index)
    }

    fn from_index(dir: &Path, index: Index) -> Result<Store, IndexError> {
        let wrap = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        crate::analysis::register(index.tokenizers());
        // tantivy has parsed meta.json already but keeps no payload; read just that field
        // rather than have it parse the whole file (schema and all) a second time.
        #[derive(Deserialize)]
        struct Payload {
            payload: Option<String>,
        }
        let bytes = index
            .directory()
            .atomic_read(Path::new("meta.json"))
            .map_err(|e| wrap(e.into()))?;
        let meta = serde_json::from_slice::<Payload>(&bytes)
            .ok()
            .and_then(|p| p.payload)
            .and_then(|p| serde_json::from_str::<Meta>(&p).ok())
            .unwrap_or_default();
        // An index of another version may lack fields; it is only ever cleared, never read
        // through them, so this version's field list stands in.
        let fields = Fields::of(&index.schema())
            .unwrap_or_else(|_| Fields::of(&schema::build()).expect("own schema"));
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            fields,
            meta,
        })
    }

    /// Removes every file tantivy manages in the folder (an index of an old version), under the
    /// writer lock so no other indexer is mid-run.
    fn clear(self) -> Result<(), IndexError> {
        let mut writer = self.writer()?;
        let wrap = |source| IndexError::Tantivy {
            path: self.dir.clone(),
            source,
        };
        writer.delete_all_documents().map_err(wrap)?;
        writer.commit().map_err(wrap)?;
        writer.garbage_collect_files().wait().map_err(wrap)?;
        for name in ["meta.json", ".managed.json"] {
            let path = self.dir.join(name);
            if path.exists() {
                fs::remove_file(&path).map_err(|source| IndexError::Io { path, source })?;
            }
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

    /// A reader on the last commit.
    pub fn reader(&self) -> Result<IndexReader, IndexError> {
        self.reader_of(&self.index)
    }

    /// A reader on the last commit whose searches run over the segments in parallel, one
    /// thread per core. Worth its threads' start-up only for a query that scores many passages.
    pub fn parallel_reader(&self) -> Result<IndexReader, IndexError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores == 1 {
            return self.reader();
        }
        let mut index = self.index.clone();
        index
            .set_multithread_executor(cores)
            .map_err(|source| self.tantivy_error(source))?;
        self.reader_of(&index)
    }

    fn reader_of(&self, index: &Index) -> Result<IndexReader, IndexError> {
        index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                path: self.dir.clone(),
                source,
            })
    }
}
