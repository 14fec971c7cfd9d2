//! What the index holds: every file it has passages of, with the size, modification time and
//! content hash recorded for it — what an update compares the folders against. Read from the fast
//! fields of the passages, in dictionary order (each block of the dictionary decompressed once).

use rustc_hash::FxHashMap;
use tantivy::columnar::StrColumn;

use super::{IndexError, Store};

/// What the index knows of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileState {
    pub size: u64,
    pub mtime_ns: i64,
    /// Where its content hash is: segment (index into [`Known::hashes`]) and term ordinal. Only
    /// the files whose size or time changed need it, so it is looked up only for them.
    hash_at: (usize, u64),
}

/// Every file the index holds, by key (see [`super::key`]).
#[derive(Default)]
pub struct Known {
    pub files: FxHashMap<String, FileState>,
    /// The `hash` column of each segment.
    hashes: Vec<StrColumn>,
}

impl Known {
    /// The content hash recorded for a file.
    pub fn hash(&self, state: &FileState) -> Option<String> {
        let (segment, ord) = state.hash_at;
        let mut hash = String::new();
        let found = self.hashes.get(segment)?.ord_to_str(ord, &mut hash).ok()?;
        found.then_some(hash)
    }

    /// Reads what the index at `store` holds.
    pub fn read(store: &Store) -> Result<Known, IndexError> {
        let tantivy_err = |source| store.tantivy_error(source);
        let reader = store.reader()?;
        let searcher = reader.searcher();
        let mut known = Known::default();
        // Room for every file at once (the paths' count in each segment; a file rewritten since
        // a merge counts twice): growing by doubling, or guessing from the passages, held up to
        // twice the table a million files need.
        let segments = searcher.segment_readers();
        let path_columns = segments
            .iter()
            .map(|segment| segment.fast_fields().str("path"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(tantivy_err)?;
        known.files.reserve(
            path_columns
                .iter()
                .flatten()
                .map(|paths| paths.num_terms())
                .sum(),
        );
        for (segment, paths) in segments.iter().zip(path_columns) {
            let ff = segment.fast_fields();
            let (Some(paths), Some(hashes)) = (paths, ff.str("hash").map_err(tantivy_err)?) else {
                continue;
            };
            let sizes = ff.u64("size").map_err(tantivy_err)?;
            let mtimes = ff.i64("mtime").map_err(tantivy_err)?;
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

    #[cfg(test)]
    pub fn with(files: &[(&str, u64, i64)]) -> Known {
        Known {
            files: files
                .iter()
                .map(|&(k, size, mtime_ns)| {
                    let state = FileState {
                        size,
                        mtime_ns,
                        hash_at: (usize::MAX, 0),
                    };
                    (k.to_string(), state)
                })
                .collect(),
            hashes: Vec::new(),
        }
    }
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
