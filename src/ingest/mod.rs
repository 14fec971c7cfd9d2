//! Ingestion: from a path on disk to a clean [`Document`] ready to index — read the file, decode
//! it, repair damaged text (PDFs skip these two: their text comes out of the PDF's structure),
//! pull out title, date and paragraphs, detect the language and split into passages. Only this
//! module reads documents from disk.

mod decode;
mod extract;
mod feed;
pub mod html;
mod json;
pub mod passage;
mod pdf;
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
    Html,
    /// RSS or Atom; an `.xml` file that is neither is reported as such.
    Feed,
    Pdf,
    /// A JSON document: an array of news records, or an object holding one.
    Json,
    /// JSON Lines: one news record per line.
    JsonLines,
}

impl Kind {
    /// The kind of a file from its extension, or `None` for a file cerca does not read.
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Kind::Text),
            "md" | "markdown" => Some(Kind::Markdown),
            "html" | "htm" | "xhtml" => Some(Kind::Html),
            "rss" | "atom" | "xml" => Some(Kind::Feed),
            "pdf" => Some(Kind::Pdf),
            "json" => Some(Kind::Json),
            "jsonl" | "ndjson" => Some(Kind::JsonLines),
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
    /// A structured file (a feed) that could not be parsed; the reason says why.
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    BadJson(String),
    #[error("unreadable PDF: {0}")]
    BadPdf(String),
    #[error("no text layer (scanned PDF?)")]
    NoTextLayer,
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
    let mut repaired = 0;
    // A page's own <meta charset> is the best hint to its encoding.
    let declared = if kind == Kind::Html {
        html::meta_charset(&bytes)
    } else {
        None
    };
    let mut text = || -> Result<String, IngestError> {
        let (text, n) = repair::repair(&decode::decode(&bytes, declared.as_deref())?);
        repaired = n;
        Ok(text)
    };
    let (records, problems) = match kind {
        Kind::Pdf => {
            let (record, problems) = pdf::read(&bytes)?;
            (vec![record], problems)
        }
        Kind::Text => (vec![extract::plain(&text()?)], Vec::new()),
        Kind::Markdown => (vec![extract::markdown(&text()?)], Vec::new()),
        Kind::Html => (html::page(&text()?).into_iter().collect(), Vec::new()),
        Kind::Feed => (feed::items(&text()?)?, Vec::new()),
        Kind::Json => json::document(&text()?, options)?,
        Kind::JsonLines => json::lines(&text()?, options),
    };
    Ok(Ingested {
        meta: FileMeta {
            size,
            mtime_ns,
            hash,
        },
        documents: records.into_iter().map(document).collect(),
        repaired,
        problems,
    })
}

/// A record split into passages, its language detected.
fn document(record: Record) -> Document {
    let passages = passage::split(&record.blocks);
    // Detection reads only the start of the text: join no more passages than it needs.
    let mut sample = String::new();
    for p in &passages {
        if sample.len() >= 1000 {
            break;
        }
        if !sample.is_empty() {
            sample.push('\n');
        }
        sample.push_str(&p.text);
    }
    Document {
        lang: Lang::detect(if sample.is_empty() {
            &record.title
        } else {
            &sample
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
        assert_eq!(Kind::of(Path::new("a/b.HTM")), Some(Kind::Html));
        assert_eq!(Kind::of(Path::new("a.xhtml")), Some(Kind::Html));
        assert_eq!(Kind::of(Path::new("a.rss")), Some(Kind::Feed));
        assert_eq!(Kind::of(Path::new("a.atom")), Some(Kind::Feed));
        assert_eq!(Kind::of(Path::new("a.xml")), Some(Kind::Feed));
        assert_eq!(Kind::of(Path::new("a.PDF")), Some(Kind::Pdf));
        assert_eq!(Kind::of(Path::new("a.json")), Some(Kind::Json));
        assert_eq!(Kind::of(Path::new("a.jsonl")), Some(Kind::JsonLines));
        assert_eq!(Kind::of(Path::new("a.ndjson")), Some(Kind::JsonLines));
        assert_eq!(Kind::of(Path::new("a.docx")), None);
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
