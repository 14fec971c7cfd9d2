//! Ingestion: from a path on disk to a clean [`Document`] ready to index — read the file, decode
//! it, repair damaged text, pull out title, date and paragraphs, detect the language and split
//! into passages. Only this module reads documents from disk.

mod decode;
mod extract;
pub mod passage;
pub mod repair;
mod walk;

use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

pub use extract::Record;
pub use passage::{Block, Passage};
pub use walk::{Walked, walk};

use crate::analysis::Lang;

/// Files larger than this are reported, not read, unless the options say otherwise.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How files are read. Recorded with the index, so a later run reads files the same way.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Options {
    /// Files larger than this many bytes are reported and skipped.
    pub max_file_bytes: u64,
    /// Extra field names for records of JSON files, as (role, name): the role is one of
    /// `title`, `text`, `date`, `url`, `source`; the name is tried before the defaults.
    pub fields: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_file_bytes: MAX_FILE_BYTES,
            fields: Vec::new(),
        }
    }
}

/// What the index keeps about a file to tell later whether it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// blake3 of the file's bytes, hex.
    pub hash: String,
}

/// One document ready to index: a whole file, or one record of a file that holds many.
#[derive(Clone, Debug)]
pub struct Document {
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub lang: Lang,
    pub passages: Vec<Passage>,
}

/// Everything read from one file.
#[derive(Clone, Debug)]
pub struct Ingested {
    pub meta: FileMeta,
    pub documents: Vec<Document>,
    /// Damaged characters that were repaired.
    pub repaired: usize,
    /// Parts of the file that could not be read while the rest could (a malformed JSON line).
    pub problems: Vec<String>,
}

impl Ingested {
    pub fn passages(&self) -> usize {
        self.documents.iter().map(|d| d.passages.len()).sum()
    }
}

/// The kinds of file cerca reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Markdown,
}

impl Kind {
    /// The kind of a file from its extension, or `None` for a file cerca does not read.
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Kind::Text),
            "md" | "markdown" => Some(Kind::Markdown),
            _ => None,
        }
    }
}

/// Why a file could not be read. Reported with its path; the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("binary content, not text")]
    Binary,
    #[error("not valid UTF-8 (first bad byte at offset {offset}); save it as UTF-8")]
    NotUtf8 { offset: usize },
    #[error("invalid UTF-16")]
    BadUtf16,
    #[error(
        "larger than the size limit ({size} bytes > {limit} bytes); raise it with --max-file-size"
    )]
    TooLarge { size: u64, limit: u64 },
}

/// The size and modification time of a file, cheap to read (no content).
pub fn stat(path: &Path) -> std::io::Result<(u64, i64)> {
    let md = fs::metadata(path)?;
    let mtime = md
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    Ok((md.len(), mtime))
}

/// Reads one file. The file must be of a [`Kind`] cerca reads.
pub fn read(path: &Path, kind: Kind, options: &Options) -> Result<Ingested, IngestError> {
    let (size, mtime_ns) = stat(path)?;
    if size > options.max_file_bytes {
        return Err(IngestError::TooLarge {
            size,
            limit: options.max_file_bytes,
        });
    }
    let bytes = fs::read(path)?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let size = bytes.len() as u64;
    let text = decode::decode(&bytes, None)?;
    let (text, repaired) = repair::repair(&text);
    let records = match kind {
        Kind::Text => vec![extract::plain(&text)],
        Kind::Markdown => vec![extract::markdown(&text)],
    };
    Ok(Ingested {
        meta: FileMeta {
            size,
            mtime_ns,
            hash,
        },
        documents: records.into_iter().map(document).collect(),
        repaired,
        problems: Vec::new(),
    })
}

/// A record split into passages, its language detected.
fn document(record: Record) -> Document {
    let passages = passage::split(&record.blocks);
    let body: String = passages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    Document {
        lang: Lang::detect(if body.is_empty() {
            &record.title
        } else {
            &body
        }),
        title: record.title,
        date: record.date,
        url: record.url,
        passages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(Kind::of(Path::new("a/b.TXT")), Some(Kind::Text));
        assert_eq!(Kind::of(Path::new("a.md")), Some(Kind::Markdown));
        assert_eq!(Kind::of(Path::new("a.pdf")), None);
        assert_eq!(Kind::of(Path::new("README")), None);
    }

    #[test]
    fn seed_reads_repaired_italian() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_a9241dfd659960c7.txt");
        let file = read(&path, Kind::Text, &Options::default()).unwrap();
        assert_eq!(file.repaired, 18);
        assert_eq!(file.documents.len(), 1);
        let doc = &file.documents[0];
        assert_eq!(doc.lang, Lang::It);
        assert!(doc.title.starts_with("La startup francese Mistral AI"));
        assert!(
            doc.passages
                .iter()
                .any(|p| p.text.contains("la sovranità tecnologica"))
        );
        assert_eq!(doc.passages[0].line, 1);
    }
}
