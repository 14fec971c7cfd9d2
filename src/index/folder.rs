//! The index folder as files: who owns it, what in it is tantivy's, and what is left over. cerca
//! writes a marker (`.cerca-index.json`, holding the roots and reading options) before it creates
//! an index and whenever they change, so a folder is known to be cerca's even when `meta.json` is
//! missing or garbled — and so `--rebuild` can recover the roots. A folder without the marker or
//! cerca's commit payload is somebody else's and is never written to. Searching opens the folder
//! through [`Tolerant`], which lets a read-only index be searched.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

use super::Meta;

const MARKER: &str = ".cerca-index.json";
/// The index's files whose checksums were found sound, one [`stamp`] per line.
const CHECKED: &str = ".cerca-checked";

#[derive(Serialize, Deserialize)]
struct Marker {
    /// Says what made the folder; nothing else writes this name.
    made_by: String,
    meta: Meta,
}

const MADE_BY: &str = "cerca";

/// Whether the folder carries cerca's marker, and the roots and options it recorded.
pub fn marker(dir: &Path) -> Option<Option<Meta>> {
    let bytes = fs::read(dir.join(MARKER)).ok()?;
    match serde_json::from_slice::<Marker>(&bytes) {
        Ok(m) if m.made_by == MADE_BY => Some(Some(m.meta)),
        // A damaged marker still says the folder is ours; only its roots are lost.
        _ => Some(None),
    }
}

/// Writes the marker atomically (a temporary file renamed over it).
pub fn write_marker(dir: &Path, meta: &Meta) -> io::Result<()> {
    let marker = Marker {
        made_by: MADE_BY.to_string(),
        meta: meta.clone(),
    };
    write_atomically(
        dir,
        MARKER,
        &serde_json::to_vec(&marker).expect("marker serialises"),
    )
}

/// Writes `name` in `dir` as a whole or not at all: a temporary file renamed over it.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, dir.join(name))
}

/// What identifies one state of an index file: its name, length, inode, and modification and
/// change times in nanoseconds. Writing to the file changes the change time, which no user can
/// set back; a file with the same stamp holds the same bytes.
pub fn stamp(dir: &Path, file: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(dir.join(file)).ok()?;
    let name = file.to_str()?;
    if name.contains(['\t', '\n']) {
        return None;
    }
    let nanos = |secs: i64, nsecs: i64| i128::from(secs) * 1_000_000_000 + i128::from(nsecs);
    Some(format!(
        "{name}\t{}\t{}\t{}\t{}",
        m.len(),
        m.ino(),
        nanos(m.mtime(), m.mtime_nsec()),
        nanos(m.ctime(), m.ctime_nsec())
    ))
}

/// The stamps of the files whose checksums were last found sound (none if the record is missing
/// or unreadable: then every file is checked).
pub fn read_checked(dir: &Path) -> std::collections::HashSet<String> {
    fs::read_to_string(dir.join(CHECKED))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Records the stamps of the files just found sound, atomically (a temporary file renamed over
/// the record), replacing the last record: files no commit uses any more drop out of it.
pub fn write_checked(dir: &Path, stamps: &[String]) -> io::Result<()> {
    let mut text = stamps.join("\n");
    text.push('\n');
    write_atomically(dir, CHECKED, text.as_bytes())
}

/// Whether `name` is a file tantivy writes: its meta files, or a segment's (`<32 hex>.<ext>`,
/// deletes as `<32 hex>.<opstamp>.del`).
pub fn is_tantivy_file(name: &str) -> bool {
    name == "meta.json" || name == ".managed.json" || segment_of(name).is_some()
}

/// Whether `name` is a file of a segment.
pub fn is_segment_file(name: &str) -> bool {
    segment_of(name).is_some()
}

fn segment_of(name: &str) -> Option<&str> {
    let (id, ext) = name.split_at_checked(32)?;
    let hex = id.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && ext.starts_with('.') && ext.len() > 1).then_some(id)
}

/// Removes segment files that the current commit does not use: left by a run killed between
/// writing them and committing (a later run would fail to create a file of the same name).
/// Called with the update lock held, before a writer opens.
pub fn remove_orphans(dir: &Path, used: &HashMap<String, Option<PathBuf>>) -> io::Result<usize> {
    let mut removed = 0;
    for e in fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(id) = segment_of(name) else { continue };
        let orphan = match used.get(&id.to_ascii_lowercase()) {
            None => true,
            // A segment's deletes live in one file, named after the commit that wrote them.
            Some(deletes) => name.ends_with(".del") && deletes.as_deref() != Some(Path::new(name)),
        };
        if orphan {
            match fs::remove_file(e.path()) {
                Ok(()) => removed += 1,
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) => return Err(err),
            }
        }
    }
    Ok(removed)
}

/// Removes every file tantivy wrote in the folder (to start an index afresh); cerca's marker and
/// any file that is not tantivy's stay. `meta.json` goes last: a wipe cut short leaves the old
/// record in place, so the next run starts the wipe again rather than finding a folder without
/// one.
pub fn wipe(dir: &Path) -> io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_tantivy_file(name) && name != "meta.json" && e.file_type()?.is_file() {
            fs::remove_file(e.path())?;
        }
    }
    match fs::remove_file(dir.join("meta.json")) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// tantivy's memory-mapped folder, except that a search in a folder it may not write to (a
/// read-only index) does without the lock tantivy takes while it opens a commit. That lock only
/// keeps this process's own writer from deleting files under the reader; a reader that cannot
/// write has no writer.
#[derive(Clone, Debug)]
pub struct Tolerant(MmapDirectory);

impl Tolerant {
    pub fn open(dir: &Path) -> Result<Tolerant, OpenDirectoryError> {
        MmapDirectory::open(dir).map(Tolerant)
    }
}

impl Directory for Tolerant {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if !lock.filepath.ends_with("writer.lock")
                    && matches!(
                        e.kind(),
                        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_names() {
        let id = "0123456789abcdef0123456789abcdef";
        assert!(is_tantivy_file(&format!("{id}.store")));
        assert!(is_tantivy_file(&format!("{id}.42.del")));
        assert!(is_tantivy_file("meta.json"));
        assert!(!is_tantivy_file(id));
        assert!(!is_tantivy_file("0123456789abcdef0123456789abcdeg.store"));
        assert!(!is_tantivy_file("notes.txt"));
        assert!(!is_tantivy_file(MARKER));
    }

    #[test]
    fn orphans_go_and_used_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let id = "0123456789abcdef0123456789abcdef";
        let used = format!("{id}.store");
        let other = "fedcba9876543210fedcba9876543210.store";
        let names = [
            used.as_str(),
            &format!("{id}.7.del"),
            &format!("{id}.8.del"),
            other,
            "notes.txt",
            "meta.json",
        ];
        for name in names {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        let del = PathBuf::from(format!("{id}.8.del"));
        let keep: HashMap<String, Option<PathBuf>> = [(id.to_string(), Some(del))].into();
        assert_eq!(remove_orphans(dir.path(), &keep).unwrap(), 2);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let del8 = format!("{id}.8.del");
        assert_eq!(
            left,
            [del8.as_str(), used.as_str(), "meta.json", "notes.txt"]
        );
    }
}
