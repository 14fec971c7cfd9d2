//! PDF files: the text layer, page by page (pdf-extract over lopdf), with the title and creation
//! date of the PDF's Info dictionary. Every block knows its page, and its `line` is the line
//! *within that page* where it starts, counting the page's lines of text (blank gaps between
//! paragraphs are not lines). PDF parsers panic, recurse deeply or crawl on damaged files, so
//! extraction runs on its own thread with a large stack, behind `catch_unwind` and a time limit;
//! a file that trips any of them is reported, never fatal. What they cannot catch, a failed
//! allocation, is prevented: a file whose streams inflate past a limit is refused first
//! (`inflate`).

mod inflate;

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Once, mpsc};
use std::thread;
use std::time::Duration;

use pdf_extract::{Dictionary, Document, Object, PlainTextOutput};

use super::date;
use super::extract::{Record, derived_title};
use super::passage::Block;
use super::{IngestError, Options};

/// A PDF whose text takes longer than this to extract is reported as unreadable.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// An Info title longer than this is shortened like a title made from text.
const MAX_TITLE_CHARS: usize = 200;
/// Stack of the extraction thread: lopdf recurses into nested objects.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// How many bytes a PDF's streams may inflate to in all: four times the file size limit. The
/// size limit says how much of one file the user lets cerca hold; text streams inflate three to
/// six times, so a PDF near the size limit still reads, while a bomb (a thousand times and more)
/// is refused long before memory runs out: 256 MB with the default 64 MB limit.
pub fn inflate_limit(options: &Options) -> u64 {
    options.max_file_bytes.saturating_mul(4)
}

/// The text of a PDF as one record, and a "page N: reason" for every page whose text could not
/// be extracted while others could. `inflate_limit` bounds what its streams may inflate to.
pub fn read(bytes: &[u8], inflate_limit: u64) -> Result<(Record, Vec<String>), IngestError> {
    let bytes = bytes.to_vec();
    guarded(TIME_LIMIT, move || extract(&bytes, inflate_limit))?
}

fn extract(bytes: &[u8], limit: u64) -> Result<(Record, Vec<String>), IngestError> {
    let bomb = |_| IngestError::PdfBomb { limit };
    inflate::check_bytes(bytes, limit).map_err(bomb)?;
    let mut doc = Document::load_mem(bytes).map_err(|e| IngestError::BadPdf(e.to_string()))?;
    if doc.is_encrypted() {
        if doc.decrypt("").is_err() {
            return Err(IngestError::BadPdf("encrypted with a password".into()));
        }
        // Encrypted streams could not be measured before: they can now.
        inflate::check_document(&doc, limit).map_err(bomb)?;
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(IngestError::BadPdf("no pages".into()));
    }
    let mut blocks = Vec::new();
    let mut problems = Vec::new();
    for &number in pages.keys() {
        let mut text = String::new();
        let result =
            pdf_extract::output_doc_page(&doc, &mut PlainTextOutput::new(&mut text), number);
        match result {
            Ok(()) => blocks.extend(page_blocks(&text, number)),
            Err(e) => problems.push(format!("page {number}: {e}")),
        }
    }
    if blocks.is_empty() {
        return Err(match problems.first() {
            Some(p) if problems.len() == pages.len() => IngestError::BadPdf(p.clone()),
            _ => IngestError::NoTextLayer,
        });
    }
    let info = info(&doc);
    let title = info
        .and_then(|d| text_string(d, b"Title"))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .map(|t| {
            if t.chars().count() > MAX_TITLE_CHARS {
                derived_title(&t)
            } else {
                t
            }
        })
        .unwrap_or_else(|| derived_title(&blocks[0].text));
    let date = info
        .and_then(|d| text_string(d, b"CreationDate"))
        .and_then(|d| date::parse(&d));
    let record = Record {
        title,
        date,
        url: None,
        source: None,
        blocks,
        title_line: None,
    };
    Ok((record, problems))
}

/// Paragraphs of one page's text: runs of lines separated by blank lines, joined with spaces. A
/// block's `line` counts only the page's non-blank lines, the lines a reader sees.
fn page_blocks(text: &str, page: u32) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut seen = 0;
    let mut open = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        seen += 1;
        match blocks.last_mut() {
            // Line breaks inside a paragraph are the layout's, not the author's.
            Some(last) if open => {
                last.text.push(' ');
                last.text.push_str(line);
            }
            _ => blocks.push(Block {
                text: line.to_string(),
                line: seen,
                page: Some(page),
                marks: Vec::new(),
            }),
        }
        open = true;
    }
    blocks
}

/// The document's Info dictionary, referenced from the trailer (or, rarely, inline in it).
fn info(doc: &Document) -> Option<&Dictionary> {
    match doc.trailer.get(b"Info").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// A text string of the Info dictionary: UTF-16BE with a byte-order mark, UTF-8 with one, or
/// else PDFDocEncoding, which agrees with Latin-1 on the letters that matter here.
fn text_string(dict: &Dictionary, key: &[u8]) -> Option<String> {
    let Ok(Object::String(bytes, _)) = dict.get(key) else {
        return None;
    };
    if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Some(String::from_utf8_lossy(utf8).into_owned());
    }
    Some(bytes.iter().map(|&b| char::from(b)).collect())
}

thread_local! {
    /// Set on a thread whose panics are caught and reported as errors: the panic hook stays
    /// silent for it, so a damaged PDF does not print a backtrace over cerca's output.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work` on a new thread with a large stack, turning a panic into an error and giving up
/// after `limit`. A thread that runs late is left to finish on its own (Rust cannot stop it);
/// its result is dropped.
fn guarded<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IngestError> {
    quiet_hook();
    let (send, receive) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("cerca-pdf".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            QUIET.with(|q| q.set(true));
            let outcome = panic::catch_unwind(AssertUnwindSafe(work));
            // The receiver may have given up waiting; nothing to do then.
            let _ = send.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(IngestError::BadPdf(format!(
            "cannot start a reader thread: {e}"
        )));
    }
    match receive.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(payload)) => Err(IngestError::BadPdf(format!(
            "damaged file (the PDF reader failed: {})",
            panic_message(payload.as_ref())
        ))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(IngestError::BadPdf(format!(
            "gave up after {} s",
            limit.as_secs_f32()
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(IngestError::BadPdf("the PDF reader stopped".into()))
        }
    }
}

/// Installs, once per process, a panic hook that stays silent on [`QUIET`] threads and defers to
/// the previous hook everywhere else. A thread-local flag instead of swapping hooks per call:
/// files are read in parallel, and a swapped global hook would silence other threads' panics or
/// be restored under another reader's feet.
fn quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into());
    text.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

#[cfg(test)]
#[path = "pdf/tests.rs"]
pub(super) mod tests;
