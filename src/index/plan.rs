//! The plan of an update, decided without touching a file: what the index holds against what the
//! folders hold → which files to read, which to remove, which to keep. A file whose size and
//! modification time match the index's record is kept unread. A file the index holds that the
//! walk did not meet is removed — unless it lies under a path that could not be looked at (a
//! folder without permission, a root that is missing: an unmounted disk must not empty the
//! index).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use super::key;
use super::known::{FileState, Known};

/// A file met by the walk that cerca reads, with its size and modification time if the file
/// system gave them.
pub struct Seen<K> {
    pub path: PathBuf,
    pub kind: K,
    pub stat: Option<(u64, i64)>,
}

/// A file to read, with what the index knew of it. Its key is made when it is read, not held
/// for every file of the plan (a million paths are 100 MB).
pub struct ToRead<'a, K> {
    pub path: &'a Path,
    pub kind: K,
    pub old: Option<&'a FileState>,
}

impl<K> ToRead<'_, K> {
    /// The file's key in the index (see [`key`]).
    pub fn key(&self) -> String {
        key::key_of(self.path)
    }
}

/// What an update will do.
pub struct Plan<'a, K> {
    pub read: Vec<ToRead<'a, K>>,
    /// Keys of files to remove from the index.
    pub remove: Vec<String>,
    /// Files the index holds whose size and time are unchanged.
    pub unchanged: u64,
    /// Files the index holds under a path that could not be looked at, kept as they are.
    pub kept: u64,
}

/// Plans the update of `known` to the files `seen`. `unreachable` are paths the walk could not
/// look into (their files are kept); with `rebuild`, every file is read again.
pub fn plan<'a, K: Copy>(
    known: &'a Known,
    seen: &'a [Seen<K>],
    unreachable: &[PathBuf],
    rebuild: bool,
) -> Plan<'a, K> {
    // Paths met, and the index's files met, borrowed rather than copied: what a plan holds per
    // file is what the walk holds, and a pointer or two.
    let mut paths: FxHashSet<&OsStr> = FxHashSet::default();
    paths.reserve(seen.len());
    let mut met: FxHashSet<&str> = FxHashSet::default();
    met.reserve(known.files.len());
    let mut out = Plan {
        read: Vec::new(),
        remove: Vec::new(),
        unchanged: 0,
        kept: 0,
    };
    for file in seen {
        if !paths.insert(file.path.as_os_str()) {
            // The same path reached twice (from roots that overlap): read once.
            continue;
        }
        let old = known
            .files
            .get_key_value(key::key_of(&file.path).as_str())
            .map(|(k, old)| {
                met.insert(k.as_str());
                old
            });
        let same = |old: &FileState| file.stat == Some((old.size, old.mtime_ns));
        if !rebuild && old.is_some_and(same) {
            out.unchanged += 1;
        } else {
            out.read.push(ToRead {
                path: &file.path,
                kind: file.kind,
                old: old.filter(|_| !rebuild),
            });
        }
    }
    for k in known.files.keys() {
        if met.contains(k.as_str()) {
            continue;
        }
        let path = key::path_of(k);
        // A rebuild starts empty: what cannot be read again is gone from it.
        if !rebuild && unreachable.iter().any(|u| path.starts_with(u)) {
            out.kept += 1;
        } else {
            out.remove.push(k.clone());
        }
    }
    out.remove.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(path: &str, stat: (u64, i64)) -> Seen<()> {
        Seen {
            path: PathBuf::from(path),
            kind: (),
            stat: Some(stat),
        }
    }

    #[test]
    fn unchanged_changed_new_and_vanished() {
        let known = Known::with(&[("/n/a.txt", 10, 1), ("/n/b.txt", 10, 1), ("/n/c.txt", 5, 1)]);
        let files = [
            seen("/n/a.txt", (10, 1)),
            seen("/n/b.txt", (11, 2)),
            seen("/n/d.txt", (1, 1)),
        ];
        let p = plan(&known, &files, &[], false);
        assert_eq!(p.unchanged, 1);
        let read: Vec<(String, bool)> = p.read.iter().map(|r| (r.key(), r.old.is_some())).collect();
        assert_eq!(
            read,
            [
                ("/n/b.txt".to_string(), true),
                ("/n/d.txt".to_string(), false)
            ]
        );
        assert_eq!(p.remove, ["/n/c.txt"]);
    }

    #[test]
    fn files_under_an_unreachable_path_are_kept() {
        let known = Known::with(&[("/gone/a.txt", 1, 1), ("/n/b.txt", 1, 1)]);
        let p = plan::<()>(&known, &[], &[PathBuf::from("/gone")], false);
        assert_eq!(p.remove, ["/n/b.txt"]);
        assert_eq!(p.kept, 1);
    }

    #[test]
    fn a_file_met_twice_is_read_once_and_rebuild_reads_all() {
        let known = Known::with(&[("/n/a.txt", 1, 1)]);
        let files = [seen("/n/a.txt", (1, 1)), seen("/n/a.txt", (1, 1))];
        let p = plan(&known, &files, &[], true);
        assert_eq!(p.read.len(), 1);
        assert!(p.read[0].old.is_none());
        assert_eq!(p.unchanged, 0);
    }
}
