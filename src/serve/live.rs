//! The index as the server sees it: opened once and kept open, and opened again when a commit
//! has replaced it. Every request asks [`Live::get`]; that costs one `stat` of `meta.json`, which
//! tantivy replaces atomically (a new file renamed over the old one) on each commit, so a changed
//! inode, size or time means a new commit. Requests under way keep the store they were given
//! until they finish (its files stay readable after an indexer has unlinked them). While the
//! folder holds no readable commit (an index being rebuilt), the last one opened is served. A store keeps
//! its readers ([`Store::keep_readers`]): a search starts from open segments and a warm cache.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::IndexReader;

use super::gate::Gate;
use crate::cmd::{inspect, stats};
use crate::index::{IndexError, Store};
use crate::render::Stats;

/// What identifies one `meta.json`, so one commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    size: u64,
    modified_ns: i128,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            inode: m.ino(),
            size: m.size(),
            modified_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        })
    }
}

/// One commit of the index, open.
pub struct Open {
    stamp: Stamp,
    pub store: Store,
    /// A reader on this commit, for looking documents up.
    pub reader: IndexReader,
    /// The commit's statistics, counted on first demand.
    stats: Mutex<Option<Arc<Stats>>>,
}

impl Open {
    /// What the index holds (counted once per commit: a pass over every passage).
    pub fn stats(&self) -> Result<Arc<Stats>, IndexError> {
        let mut cached = self.stats.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = &*cached {
            return Ok(s.clone());
        }
        let counted = stats::gather(&self.store, &self.reader.searcher())
            .map_err(|e| self.store.tantivy_error(e).damaged_if_corrupt())?;
        let counted = Arc::new(counted);
        *cached = Some(counted.clone());
        Ok(counted)
    }
}

/// The index folder being served.
pub struct Live {
    dir: PathBuf,
    current: Mutex<Option<Arc<Open>>>,
    /// Turns for searching, one per core.
    pub searches: Gate,
}

impl Live {
    pub fn new(dir: PathBuf) -> Live {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Live {
            dir,
            current: Mutex::new(None),
            searches: Gate::new(cores),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The last commit, open.
    pub fn get(&self) -> Result<Arc<Open>, IndexError> {
        let stamp = Stamp::of(&self.dir.join("meta.json"));
        // Held while opening, so that a burst of requests after a commit opens it once.
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(open), Some(stamp)) = (&*current, stamp)
            && open.stamp == stamp
        {
            return Ok(open.clone());
        }
        let opened = match stamp {
            Some(stamp) => self.open(stamp),
            None => Err(IndexError::Missing(self.dir.clone())),
        };
        match (opened, &*current) {
            (Ok(open), _) => {
                let open = Arc::new(open);
                *current = Some(open.clone());
                Ok(open)
            }
            // An index being rebuilt (`--rebuild`, a new schema) has no commit until the end of
            // the run, and its old files are gone: the commit already open is served meanwhile
            // (its files stay readable while open). Each request tries the folder again.
            (Err(_), Some(open)) => Ok(open.clone()),
            (Err(e), None) => Err(e),
        }
    }

    fn open(&self, stamp: Stamp) -> Result<Open, IndexError> {
        let mut store = inspect::open(&self.dir)?;
        store.keep_readers()?;
        let reader = store.reader()?;
        Ok(Open {
            stamp,
            store,
            reader,
            stats: Mutex::new(None),
        })
    }
}
