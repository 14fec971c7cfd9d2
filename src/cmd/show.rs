//! `cerca show PATH[:LINE] [QUERY]`: the text cerca indexed for a file — after decoding and
//! repair — read back from the index (never from disk: the file may have changed or be gone),
//! laid out by file line, with the query's matches highlighted as search highlights them.
//!
//! The path is made absolute against the working directory lexically (`..` removed, symlinks
//! not followed, the file need not exist) and turned into its key as indexing does; if that key
//! is unknown and the file exists, its canonical path is tried too (a path given through a
//! symlink). A trailing `:LINE` or `:LINE:COLUMN` (as search prints a hit) is read as a line
//! only when the whole argument is not itself an indexed path.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::ops::Range;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use anyhow::bail;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::Outcome;
use super::inspect::{color, guarded, open, stdout_writer};
use crate::analysis::Lang;
use crate::cli::ShowArgs;
use crate::index::{Fields, IndexError, Store, key};
use crate::ingest::passage::LineMap;
use crate::ingest::repair::Repair;
use crate::render::{self, Shown, ShownDocument, ShownLine};
use crate::search::{Terms, query};

/// At most this many indexed files are suggested for a path that is not in the index.
const SUGGESTIONS: usize = 3;

pub fn run(args: ShowArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let query = args.query.join(" ");
    let terms = terms_of(&query)?;
    let given = args.path.as_os_str();
    let found = guarded(&dir, || {
        let store = open(&dir)?;
        let searcher = store.reader()?.searcher();
        if let Some(found) = find(&searcher, &store, given, Links::Follow)? {
            return Ok(found);
        }
        // A name that is not UTF-8 is shown as its key shows it (`\xff`), not lossily.
        let shown = render::sanitize(&key::key_of(&args.path)).into_owned();
        if args.path.is_dir() {
            bail!("{shown} is not in the index: it is a folder, and show takes a file");
        }
        let similar = similar(&searcher, &store, given).unwrap_or_default();
        if similar.is_empty() {
            bail!("{shown} is not in the index");
        }
        bail!(
            "{shown} is not in the index; did you mean {}?",
            similar.join(" or ")
        );
    })?;
    let shown = shown(found, terms.as_ref().map(|t| (t, query.as_str())))
        .map_err(|e| anyhow::anyhow!(render::sanitize(&e).into_owned()))?;
    let mut out = stdout_writer();
    if args.json {
        render::document_json(&mut out, &shown)?;
    } else {
        render::document_text(&mut out, &shown, color(args.color))?;
    }
    Ok(Outcome::Success)
}

/// The words to highlight, if the query has any.
pub(crate) fn terms_of(query: &str) -> Result<Option<Terms>, query::QueryError> {
    if query.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(Terms::of(&query::parse(query)?.root)))
}

/// Whether a path not in the index is also tried as the file it names through symbolic links,
/// which asks the file system. `serve` never does: its paths come from the network.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    Follow,
    Lexical,
}

/// A file found in the index: its key, its live passages, and the line asked for.
pub(crate) struct Found {
    key: String,
    passages: Vec<Stored>,
    from_line: Option<u64>,
}

/// Looks the file `given` names up in the index (see the module's note on how a path is read).
pub(crate) fn find(
    searcher: &Searcher,
    store: &Store,
    given: &OsStr,
    links: Links,
) -> Result<Option<Found>, IndexError> {
    for (path, from_line) in candidates(given) {
        for key in keys(&path, links) {
            let passages = passages(searcher, &store.fields, &key)
                .map_err(|e| store.tantivy_error(e).damaged_if_corrupt())?;
            if !passages.is_empty() {
                return Ok(Some(Found {
                    key,
                    passages,
                    from_line,
                }));
            }
        }
    }
    Ok(None)
}

/// The found file laid out by line, with the matches of `query` (its words and its text)
/// highlighted; an error (to show the user) if it has no indexed line from the line asked for.
pub(crate) fn shown(found: Found, query: Option<(&Terms, &str)>) -> Result<Shown, String> {
    let documents = layout(&found.passages, query.map(|q| q.0));
    let documents = match found.from_line {
        Some(line) => {
            let last = documents
                .iter()
                .flat_map(|d| d.lines.iter().map(|l| l.line))
                .max()
                .unwrap_or(0);
            starting_at(documents, line).ok_or_else(|| {
                format!(
                    "{}: no indexed line at or after line {line} (the last is {last})",
                    render::display_path(&found.key)
                )
            })?
        }
        None => documents,
    };
    Ok(Shown {
        path: found.key,
        query: query.map(|q| q.1.to_string()),
        from_line: found.from_line,
        documents,
    })
}

/// The readings of the argument, most literal first: the whole of it as a path, then (if it
/// ends so) a path followed by `:LINE:COLUMN`, or by `:LINE`.
fn candidates(arg: &OsStr) -> Vec<(PathBuf, Option<u64>)> {
    let number = |b: &[u8]| -> Option<u64> {
        if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(b).ok()?.parse().ok()
    };
    let mut out = vec![(PathBuf::from(arg), None)];
    let mut head = arg.as_bytes();
    for _ in 0..2 {
        let Some(colon) = head.iter().rposition(|&b| b == b':') else {
            break;
        };
        let Some(n) = number(&head[colon + 1..]) else {
            break;
        };
        head = &head[..colon];
        if head.is_empty() {
            break;
        }
        out.push((PathBuf::from(OsStr::from_bytes(head)), Some(n.max(1))));
    }
    // `path:12:5` is a line and a column: its reading as `path` at line 12 comes before that of
    // a file named `path:12` at line 5.
    out[1..].reverse();
    out
}

/// The keys a path may be indexed under: its lexical absolute form, then (following links) its
/// canonical one.
fn keys(path: &Path, links: Links) -> Vec<String> {
    let mut out = vec![key::key_of(&lexical_absolute(path))];
    if links == Links::Lexical {
        return out;
    }
    if let Ok(canonical) = path.canonicalize() {
        let k = key::key_of(&canonical);
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// `path` made absolute against the working directory, with `.` and `..` resolved by name.
pub(crate) fn lexical_absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A passage as stored.
#[derive(Clone, Debug, Default)]
struct Stored {
    doc: u64,
    ordinal: u64,
    title: String,
    date: Option<String>,
    source: Option<String>,
    lang: String,
    repairs: Vec<Repair>,
    url: Option<String>,
    line: u64,
    lines: String,
    page: Option<u64>,
    text: String,
}

/// Every live passage of the file with this key, in passage order.
fn passages(searcher: &Searcher, f: &Fields, key: &str) -> tantivy::Result<Vec<Stored>> {
    let query = TermQuery::new(Term::from_field_text(f.path, key), IndexRecordOption::Basic);
    let addresses = searcher.search(&query, &DocSetCollector)?;
    let mut out = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64());
        out.push(Stored {
            doc: number(f.doc).unwrap_or(0),
            ordinal: number(f.ordinal).unwrap_or(0),
            title: text(f.title).unwrap_or_default(),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                .map(|d| d.date_naive().format("%Y-%m-%d").to_string()),
            source: text(f.source),
            lang: text(f.lang).unwrap_or_default(),
            repairs: text(f.repairs)
                .and_then(|r| serde_json::from_str(&r).ok())
                .unwrap_or_default(),
            url: text(f.url),
            line: number(f.line).unwrap_or(1),
            lines: text(f.lines).unwrap_or_default(),
            page: number(f.page),
            text: text(f.text).unwrap_or_default(),
        });
    }
    out.sort_by_key(|p| (p.ordinal, p.doc, p.line));
    Ok(out)
}

/// Indexed files with the same name as `given` (ignoring case), for a path not in the index.
fn similar(searcher: &Searcher, store: &Store, given: &OsStr) -> tantivy::Result<Vec<String>> {
    let Some(name) = Path::new(given).file_name() else {
        return Ok(Vec::new());
    };
    let name = key::key_of(Path::new(name)).to_lowercase();
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(store.fields.path)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() && found.len() < SUGGESTIONS * 4 {
            let Ok(k) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            let base = k.rsplit('/').next().unwrap_or(k);
            if base.to_lowercase() == name && !found.iter().any(|f| f == k) {
                found.push(k.to_string());
            }
        }
    }
    // A file's terms outlive its deletion until a merge: keep those with live passages.
    let mut out = Vec::new();
    for k in found {
        if out.len() == SUGGESTIONS {
            break;
        }
        if !passages(searcher, &store.fields, &k)?.is_empty() {
            out.push(render::sanitize(&render::display_path(&k)).into_owned());
        }
    }
    Ok(out)
}

/// The passages of a file, laid out by document and by file line. Each passage's text is cut at
/// its line feeds and every piece placed at its line by the passage's line map; pieces of one
/// line (a long paragraph cut into several passages) are joined with a space.
fn layout(passages: &[Stored], terms: Option<&Terms>) -> Vec<ShownDocument> {
    let mut documents: Vec<ShownDocument> = Vec::new();
    let mut lines: Vec<BTreeMap<(Option<u64>, u64), ShownLine>> = Vec::new();
    let mut seen: Vec<u64> = Vec::new();
    for p in passages {
        let lang: Lang = p.lang.parse().unwrap_or(Lang::Other);
        let at = match seen.iter().position(|&d| d == p.doc) {
            Some(at) => at,
            None => {
                seen.push(p.doc);
                documents.push(ShownDocument {
                    doc: p.doc,
                    title: p.title.clone(),
                    title_highlights: terms.map(|t| t.ranges(lang, &p.title)).unwrap_or_default(),
                    date: p.date.clone(),
                    source: p.source.clone(),
                    lang: p.lang.clone(),
                    repairs: p.repairs.clone(),
                    url: p.url.clone(),
                    lines: Vec::new(),
                });
                lines.push(BTreeMap::new());
                documents.len() - 1
            }
        };
        let highlights = terms.map(|t| t.ranges(lang, &p.text)).unwrap_or_default();
        let map = LineMap::decode(&p.lines, p.line as usize);
        for (start, piece) in pieces(&p.text) {
            if piece.trim().is_empty() {
                continue;
            }
            let line = map.locate(&p.text, start).0 as u64;
            let end = start + piece.len();
            let ranges: Vec<Range<usize>> = highlights
                .iter()
                .filter(|r| r.start >= start && r.end <= end)
                .map(|r| r.start - start..r.end - start)
                .collect();
            let entry = lines[at]
                .entry((p.page, line))
                .or_insert_with(|| ShownLine {
                    line,
                    page: p.page,
                    ..ShownLine::default()
                });
            let shift = if entry.text.is_empty() {
                0
            } else {
                entry.text.push(' ');
                entry.text.len()
            };
            entry.text.push_str(piece);
            entry
                .highlights
                .extend(ranges.into_iter().map(|r| r.start + shift..r.end + shift));
        }
    }
    for (doc, lines) in documents.iter_mut().zip(lines) {
        doc.lines = lines.into_values().collect();
    }
    documents
}

/// The lines of `text`, each with its byte offset, without their line feeds.
fn pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split('\n').map(move |piece| {
        let start = at;
        at += piece.len() + 1;
        (start, piece.strip_suffix('\r').unwrap_or(piece))
    })
}

/// The documents from the first line numbered `line` or more on (in file order), or `None` if
/// there is no such line.
fn starting_at(documents: Vec<ShownDocument>, line: u64) -> Option<Vec<ShownDocument>> {
    let mut out = Vec::new();
    let mut started = false;
    for mut doc in documents {
        if !started {
            let Some(at) = doc.lines.iter().position(|l| l.line >= line) else {
                continue;
            };
            doc.lines.drain(..at);
            started = true;
        }
        out.push(doc);
    }
    started.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(arg: &str) -> Vec<(String, Option<u64>)> {
        candidates(OsStr::new(arg))
            .into_iter()
            .map(|(p, l)| (p.display().to_string(), l))
            .collect()
    }

    #[test]
    fn a_trailing_line_and_column_are_read_after_the_whole_path() {
        let s = |p: &str, l: Option<u64>| (p.to_string(), l);
        assert_eq!(readings("a.txt"), vec![s("a.txt", None)]);
        assert_eq!(
            readings("a.txt:12"),
            vec![s("a.txt:12", None), s("a.txt", Some(12))]
        );
        assert_eq!(
            readings("a.txt:12:5"),
            vec![
                s("a.txt:12:5", None),
                s("a.txt", Some(12)),
                s("a.txt:12", Some(5))
            ]
        );
        assert_eq!(
            readings("a.txt:0"),
            vec![s("a.txt:0", None), s("a.txt", Some(1))]
        );
        for odd in [":12", "a:", "a:x", "::", "a:99999999999999999999999"] {
            assert_eq!(readings(odd), vec![s(odd, None)], "{odd}");
        }
    }

    #[test]
    fn paths_are_made_absolute_by_name() {
        assert_eq!(
            lexical_absolute(Path::new("/news/./it/../gone.txt")),
            PathBuf::from("/news/gone.txt")
        );
        assert_eq!(lexical_absolute(Path::new("/../a")), PathBuf::from("/a"));
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(lexical_absolute(Path::new("x/../y")), cwd.join("y"));
    }

    fn stored(doc: u64, ordinal: u64, text: &str, line: u64, lines: &str) -> Stored {
        Stored {
            doc,
            ordinal,
            lang: "it".into(),
            title: format!("doc {doc}"),
            line,
            lines: lines.into(),
            text: text.into(),
            ..Stored::default()
        }
    }

    fn texts(doc: &ShownDocument) -> Vec<(u64, &str)> {
        doc.lines
            .iter()
            .map(|l| (l.line, l.text.as_str()))
            .collect()
    }

    #[test]
    fn passages_are_placed_at_their_lines() {
        let passages = [
            stored(0, 0, "Titolo\nPrimo paragrafo", 1, "0:1 7:3"),
            stored(0, 1, "Riga uno\nriga due", 5, "0:5"),
            // A long paragraph cut into two passages, both on line 8.
            stored(0, 2, "La sovranità conta.", 8, "0:8"),
            stored(0, 3, "Ancora sovranità.", 8, "bad"),
        ];
        let terms = Terms::of(&query::parse("sovranita").unwrap().root);
        let docs = layout(&passages, Some(&terms));
        assert_eq!(docs.len(), 1);
        assert_eq!(
            texts(&docs[0]),
            vec![
                (1, "Titolo"),
                (3, "Primo paragrafo"),
                (5, "Riga uno"),
                (6, "riga due"),
                (8, "La sovranità conta. Ancora sovranità.")
            ]
        );
        let last = &docs[0].lines[4];
        let marked: Vec<&str> = last
            .highlights
            .iter()
            .map(|r| &last.text[r.clone()])
            .collect();
        assert_eq!(marked, vec!["sovranità", "sovranità"]);
    }

    #[test]
    fn records_are_documents_of_their_own_and_line_starts_across_them() {
        let passages = [
            stored(0, 0, "Primo record", 1, "0:1"),
            stored(1, 1, "Secondo record", 2, "0:2"),
            stored(2, 2, "Terzo record\ncon due righe", 6, "0:6"),
        ];
        let docs = layout(&passages, None);
        assert_eq!(docs.iter().map(|d| d.doc).collect::<Vec<_>>(), [0, 1, 2]);
        assert!(docs.iter().all(|d| d.title_highlights.is_empty()));
        let from = starting_at(docs.clone(), 3).unwrap();
        assert_eq!(from.len(), 1);
        assert_eq!(
            texts(&from[0]),
            vec![(6, "Terzo record"), (7, "con due righe")]
        );
        let from = starting_at(docs.clone(), 7).unwrap();
        assert_eq!(texts(&from[0]), vec![(7, "con due righe")]);
        assert!(starting_at(docs, 8).is_none());
    }
}
