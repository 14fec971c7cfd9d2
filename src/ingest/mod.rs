//! Ingestion: from a path on disk to a clean [`Document`] ready to index — read the file, decode
//! it, repair damaged text (PDFs skip these two: their text comes out of the PDF's structure),
//! pull out title, date and paragraphs, detect the language and split into passages. Only this
//! module reads documents from disk. Values are typed here, where they enter: a date is a
//! [`NaiveDate`] whatever shape the file wrote it in (`date`), a source the name of its outlet
//! or site (`source`).

pub mod date;
mod decode;
mod extract;
mod feed;
#[cfg(test)]
mod fuzz;
pub mod html;
mod json;
pub mod passage;
mod pdf;
pub mod repair;
pub mod source;
mod walk;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::UNIX_EPOCH;

use chrono::NaiveDate;

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
    /// The day it was published, as its writer dated it.
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// The outlet a record names, else the host of `url`; `None` when neither is known.
    pub source: Option<String>,
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
    /// What was repaired, by kind.
    pub repairs: Vec<repair::Repair>,
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
    /// A FIFO, a device or a socket where a file was expected (it may have been replaced after
    /// the folder was listed).
    #[error("not a regular file")]
    NotRegular,
    /// A PDF whose compressed streams inflate past the limit: reading it could exhaust memory.
    #[error("PDF content inflates past {} MB; not read (the limit is 4 times --max-file-size)", .limit / (1024 * 1024))]
    PdfBomb { limit: u64 },
}

/// The size and modification time of a file, cheap to read (no content).
pub fn stat(path: &Path) -> std::io::Result<(u64, i64)> {
    let md = fs::metadata(path)?;
    Ok((md.len(), mtime_ns(&md)))
}

/// Reads one file. The file must be of a [`Kind`] cerca reads.
pub fn read(path: &Path, kind: Kind, options: &Options) -> Result<Ingested, IngestError> {
    let (bytes, mtime_ns) = read_bytes(path, options.max_file_bytes)?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let size = bytes.len() as u64;
    let mut repaired = 0;
    let mut repairs = Vec::new();
    // A page's own <meta charset> is the best hint to its encoding.
    let declared = if kind == Kind::Html {
        html::meta_charset(&bytes)
    } else {
        None
    };
    let mut text = || -> Result<String, IngestError> {
        let report = repair::report(&decode::decode(&bytes, declared.as_deref())?);
        repaired = report.chars;
        repairs = report.repairs;
        Ok(report.text)
    };
    let (records, problems) = match kind {
        Kind::Pdf => {
            let (record, problems) = pdf::read(&bytes, pdf::inflate_limit(options))?;
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
        repairs,
        problems,
    })
}

/// The bytes of a regular file of at most `limit` bytes, and its modification time. The file is
/// opened without blocking and checked through the open handle, so a path that became a FIFO or
/// a device after the walk saw a file is refused instead of waited on forever; and at most
/// `limit + 1` bytes are read, so a file that grew past the limit since it was listed is
/// refused instead of read whole.
fn read_bytes(path: &Path, limit: u64) -> Result<(Vec<u8>, i64), IngestError> {
    let mut file = open_nonblocking(path)?;
    let md = file.metadata()?;
    if !md.is_file() {
        return Err(IngestError::NotRegular);
    }
    if md.len() > limit {
        return Err(IngestError::TooLarge {
            size: md.len(),
            limit,
        });
    }
    let mtime_ns = mtime_ns(&md);
    let capacity = usize::try_from(md.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    (&mut file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok((bytes, mtime_ns))
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; on a
    // regular file it changes nothing.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
}

fn mtime_ns(md: &fs::Metadata) -> i64 {
    md.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64)
}

/// A record split into passages, its language detected.
fn document(mut record: Record) -> Document {
    if !record.blocks.iter().any(|b| !b.text.trim().is_empty()) && !record.title.trim().is_empty() {
        // A document that is only a title (a one-line note, a headline-only item) must still be
        // found: its title is its text, at the line the title was on.
        let line = record.title_line.unwrap_or(1);
        record.blocks = vec![Block::new(record.title.clone(), line)];
    }
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
        source: record
            .source
            .or_else(|| record.url.as_deref().and_then(source::host)),
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

    fn read_str(name: &str, contents: &str) -> Ingested {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        fs::write(&path, contents).unwrap();
        read(&path, Kind::of(&path).unwrap(), &Options::default()).unwrap()
    }

    #[test]
    fn a_document_that_is_only_a_title_is_its_own_passage() {
        for (name, contents, line) in [
            ("a.txt", "Nota breve sul regolamento\n", 1),
            ("a.md", "\n# Nota breve sul regolamento\n", 2),
            ("a.html", "<title>Nota breve sul regolamento</title>", 1),
        ] {
            let file = read_str(name, contents);
            let doc = &file.documents[0];
            assert_eq!(doc.title, "Nota breve sul regolamento", "{name}");
            let passages: Vec<_> = doc.passages.iter().map(|p| (&p.text[..], p.line)).collect();
            assert_eq!(passages, [("Nota breve sul regolamento", line)], "{name}");
        }
        assert_eq!(read_str("b.txt", " \n\n").passages(), 0);
    }

    /// One document per format, each dated 14 March 2025 in its own way, some late in the
    /// evening west of Greenwich (the 15th in UTC): every one is dated the 14th.
    #[test]
    fn every_format_gives_the_same_date() {
        let pdf = pdf::tests::build(
            &[pdf::tests::Page::Text(&["Testo del documento."])],
            &[("CreationDate", b"D:20250314083000+01'00'")],
        );
        let files: &[(&str, &[u8])] = &[
            (
                "a.txt",
                "Il Senato approva la legge\nvenerdì 14 marzo 2025\n\nIl testo.\n".as_bytes(),
            ),
            ("b.md", b"# Titolo\n\nPubblicato il 14/03/2025\n\nTesto.\n"),
            (
                "c.html",
                br#"<html><head><meta property="article:published_time" content="2025-03-14T23:30:00-05:00"></head><body><article><h1>Titolo</h1><p>Testo.</p></article></body></html>"#,
            ),
            (
                "d.rss",
                b"<rss version=\"2.0\"><channel><title>Feed</title><item><title>Titolo</title><pubDate>Fri, 14 Mar 2025 23:30:00 -0500</pubDate><description>Testo.</description></item></channel></rss>",
            ),
            (
                "e.jsonl",
                br#"{"title": "a", "text": "t", "publishedAt": "2025-03-14T08:00:00Z"}
{"title": "b", "text": "t", "published_at": 1741990000000}"#,
            ),
            (
                "f.json",
                r#"{"articles": [{"title": "c", "date": "14 de marzo de 2025"}]}"#.as_bytes(),
            ),
            ("g.pdf", &pdf),
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut documents = 0;
        for (name, contents) in files {
            let path = dir.path().join(name);
            fs::write(&path, contents).unwrap();
            let file = read(&path, Kind::of(&path).unwrap(), &Options::default()).unwrap();
            assert!(!file.documents.is_empty(), "{name}");
            for doc in &file.documents {
                assert_eq!(doc.date, NaiveDate::from_ymd_opt(2025, 3, 14), "{name}");
                documents += 1;
            }
        }
        assert_eq!(documents, 8);
    }

    #[test]
    fn sources_are_named_by_records_or_by_their_host() {
        let dir = tempfile::tempdir().unwrap();
        let sources = |name: &str, contents: &str, options: &Options| {
            let path = dir.path().join(name);
            fs::write(&path, contents).unwrap();
            let file = read(&path, Kind::of(&path).unwrap(), options).unwrap();
            file.documents
                .into_iter()
                .map(|d| d.source)
                .collect::<Vec<_>>()
        };
        let plain = Options::default();
        let jsonl = r#"{"title": "a", "url": "https://www.ANSA.it:443/sito/a.html"}
{"title": "b", "url": "https://www.ansa.it/b", "source": {"id": "ansa", "name": "ANSA"}}
{"title": "c", "source": "Il Post", "outlet": "Rai News"}
{"title": "d", "url": "/relativo/d.html"}
{"title": "e"}"#;
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            sources("a.jsonl", jsonl, &plain),
            [some("ansa.it"), some("ANSA"), some("Il Post"), None, None]
        );
        let outlet = Options {
            fields: vec![("source".into(), "outlet".into())],
            ..Options::default()
        };
        assert_eq!(sources("a.jsonl", jsonl, &outlet)[2], some("Rai News"));
        let html = r#"<link rel="canonical" href="http://www.cronache.example/x"><p>Testo.</p>"#;
        assert_eq!(sources("b.html", html, &plain), [some("cronache.example")]);
        let rss = r#"<rss version="2.0"><channel><title>Notizie IA</title><link>https://feed.example/</link>
<item><title>Uno</title><link>https://www.notizie-ia.example/uno</link></item>
<item><title>Due</title></item></channel></rss>"#;
        assert_eq!(
            sources("c.rss", rss, &plain),
            [some("notizie-ia.example"), None]
        );
        assert_eq!(sources("d.txt", "Titolo\n\nTesto.\n", &plain), [None]);
    }

    #[test]
    fn limits_are_checked_on_what_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "Dieci byte").unwrap();
        let options = |max_file_bytes| Options {
            max_file_bytes,
            ..Options::default()
        };
        assert!(read(&path, Kind::Text, &options(10)).is_ok());
        let err = read(&path, Kind::Text, &options(9)).unwrap_err();
        assert!(
            matches!(err, IngestError::TooLarge { size: 10, limit: 9 }),
            "{err}"
        );
        assert!(matches!(
            read(dir.path(), Kind::Text, &options(9)),
            Err(IngestError::NotRegular | IngestError::Io(_))
        ));
    }

    /// A FIFO where a file was listed: refused at once, not waited on. The read runs on its own
    /// thread so that a regression fails the test instead of hanging it.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = send.send(read(&path, Kind::Text, &Options::default()).map(|_| ()));
        });
        let outcome = receive
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("reading a FIFO hung");
        let err = outcome.unwrap_err();
        assert!(matches!(err, IngestError::NotRegular), "{err}");
        assert_eq!(err.to_string(), "not a regular file");
    }
}
