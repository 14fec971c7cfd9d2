//! What an indexing run did, as plain data for the renderers: counts, and each file that could
//! not be read (or a part of it) with a typed reason. Paths are made relative to the working
//! directory before they are handed on.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use crate::index::key;
use crate::ingest::IngestError;

/// What a run did, as `cerca index --json` prints it.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Files kept unread because the path they lie under could not be looked at (a missing
    /// root, a folder without permission).
    pub kept: u64,
    pub documents: u64,
    pub passages: u64,
    pub errors: Vec<FileError>,
}

/// A file (or a folder, or a part of a file) that could not be indexed, and why.
#[derive(Debug)]
pub struct FileError {
    pub path: PathBuf,
    pub problem: Problem,
}

#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error(transparent)]
    Read(#[from] IngestError),
    /// A part of a file that was otherwise read (a malformed JSON line).
    #[error("{0}")]
    Part(String),
    /// The walk could not look at the path.
    #[error("{0}")]
    Walk(String),
    #[error(
        "folder not found; its documents stay in the index until it is back (`cerca index --forget PATH` drops them)"
    )]
    RootMissing,
    #[error("could not merge the index's segments (the update is saved): {0}")]
    Merge(String),
}

impl FileError {
    pub fn new(path: &Path, problem: Problem) -> FileError {
        FileError {
            path: path.to_path_buf(),
            problem,
        }
    }

    /// The path as text: its own bytes, with any that are not UTF-8 written `\xNN`.
    pub fn path_text(&self) -> String {
        key::key_of(&self.path)
    }
}

impl Serialize for FileError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("FileError", 2)?;
        st.serialize_field("path", &self.path_text())?;
        st.serialize_field("error", &self.problem.to_string())?;
        st.end()
    }
}

impl Summary {
    /// Makes every path relative to `cwd` where it lies inside it.
    pub fn relative_to(&mut self, cwd: &Path) {
        for e in &mut self.errors {
            if let Ok(r) = e.path.strip_prefix(cwd) {
                e.path = if r.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    r.to_path_buf()
                };
            }
        }
    }
}
