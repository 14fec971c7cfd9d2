//! `cerca index`: drives an update the way ripgrep's core drives walker → searcher → printer.
//! It takes the update lock, opens the index (which decides whose the folder is), asks it what it
//! holds while the folders are walked, computes a plan with a pure function, has ingest read the
//! planned files in parallel, and hands what they hold to the index's writer, which commits once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rayon::prelude::*;

use super::Outcome;
use super::progress::Bar;
use super::report::{FileError, Problem, Summary};
use crate::cli::IndexArgs;
use crate::index::{
    self, IndexError, Known, Meta, Opened, SCHEMA_VERSION, Seen, Store, ToRead, Writer,
};
use crate::ingest::{self, Kind, Options, Walked};
use crate::render;

pub fn run(args: IndexArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let request = Request {
        paths: args.paths.clone(),
        forget: args.forget.clone(),
        rebuild: args.rebuild,
        options: options(&args)?,
        wait: args.wait,
    };
    let (mut summary, took) = update(&dir, &request)?;
    summary.relative_to(&std::env::current_dir().unwrap_or_default());
    let mut out = std::io::stdout().lock();
    if args.json {
        render::summary_json(&mut out, &summary)?;
    } else {
        render::summary_text(&mut out, &summary, took)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// What an update is asked to do.
#[derive(Default)]
pub(super) struct Request {
    /// Folders or files to add to the recorded roots.
    pub paths: Vec<PathBuf>,
    /// Roots to drop, with their documents.
    pub forget: Vec<PathBuf>,
    pub rebuild: bool,
    /// Reading options given on the command line (else the recorded ones).
    pub options: Option<Options>,
    /// Wait for another indexer instead of failing.
    pub wait: bool,
}

/// Brings the index at `dir` up to date with its recorded roots plus `request.paths`.
pub(super) fn update(dir: &Path, request: &Request) -> anyhow::Result<(Summary, Duration)> {
    let started = Instant::now();
    let mut given = Vec::new();
    for p in &request.paths {
        let root = p
            .canonicalize()
            .with_context(|| format!("{}: cannot index", p.display()))?;
        given.push(root);
    }
    let _lock = index::lock(dir, request.wait)?;
    let (store, opened) = Store::open_for_update(dir, request.rebuild, &given)?;
    match opened {
        Opened::Upgraded => eprintln!(
            "cerca: the index at {} was made by another version of cerca; rebuilding it",
            render::sanitize(&dir.display().to_string())
        ),
        Opened::Recovered => eprintln!(
            "cerca: the index at {} was damaged; rebuilding it from its folders",
            render::sanitize(&dir.display().to_string())
        ),
        Opened::Existing | Opened::Created => {}
    }
    let mut roots = outermost(store.meta.roots.iter().cloned().chain(given).collect());
    for f in &request.forget {
        let f = f.canonicalize().unwrap_or_else(|_| absolute(f));
        let Some(at) = roots.iter().position(|r| *r == f) else {
            bail!(
                "{}: not a folder of this index, which covers: {}",
                f.display(),
                list(&roots)
            );
        };
        roots.remove(at);
    }
    if roots.is_empty() && request.forget.is_empty() {
        if opened == Opened::Recovered {
            bail!(
                "the index's list of folders was lost with the damage; give them: `cerca index --rebuild PATH...`"
            );
        }
        bail!("nothing to index yet: give a folder, e.g. `cerca index ~/news`");
    }
    let meta = Meta {
        version: SCHEMA_VERSION,
        roots,
        options: request
            .options
            .clone()
            .unwrap_or_else(|| store.meta.options.clone()),
        langs: store.meta.langs.clone(),
        contiguous: store.meta.contiguous,
    };
    let rebuild = request.rebuild || opened != Opened::Existing;
    let bar = Bar::new();
    // Millions of blocks made and freed across threads from here on.
    crate::memory::for_bulk_work();
    let summary = sync(&store, &meta, rebuild, &bar)?;
    bar.finish();
    Ok((summary, started.elapsed()))
}

/// The roots, listed for a message.
fn list(roots: &[PathBuf]) -> String {
    if roots.is_empty() {
        return "no folder".into();
    }
    let names: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    names.join(", ")
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// What the walk met: files cerca reads, and the paths it could not look into.
struct Walk {
    seen: Vec<Seen<Kind>>,
    unreachable: Vec<PathBuf>,
    skipped: u64,
    errors: Vec<FileError>,
}

fn walk(roots: &[PathBuf], index_dir: &Path) -> Walk {
    let mut out = Walk {
        seen: Vec::new(),
        unreachable: Vec::new(),
        skipped: 0,
        errors: Vec::new(),
    };
    let mut files = Vec::new();
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            // An unmounted disk or a renamed folder: its documents are kept, not removed.
            out.unreachable.push(root.clone());
            out.errors.push(FileError::new(root, Problem::RootMissing));
        }
    }
    for walked in ingest::walk(roots, Some(index_dir)) {
        match walked {
            Walked::File(path) => match Kind::of(&path) {
                Some(kind) => files.push((path, kind)),
                None => out.skipped += 1,
            },
            Walked::Error { path, error } => {
                if out.unreachable.contains(&path) {
                    continue;
                }
                if std::fs::symlink_metadata(&path).is_ok() {
                    // Still there but unreadable (permissions): keep what the index has.
                    out.unreachable.push(path.clone());
                }
                out.errors.push(FileError::new(&path, Problem::Walk(error)));
            }
        }
    }
    // Size and modification time of every file, asked of the file system in parallel.
    out.seen = files
        .into_par_iter()
        .map(|(path, kind)| Seen {
            stat: ingest::stat(&path).ok(),
            path,
            kind,
        })
        .collect();
    out
}

/// What became of a file that was read.
enum Change {
    Added,
    Updated,
    /// Same bytes under a new modification time (rewritten to record it).
    Same,
    /// No text left: its passages, if it had any, were removed.
    Emptied {
        had: bool,
    },
    Failed,
}

/// What became of the files read, counted.
#[derive(Default)]
struct Tally {
    added: u64,
    updated: u64,
    same: u64,
    /// Files with no text left, and how many of them had passages.
    emptied: u64,
    emptied_had: u64,
    /// The languages of the documents read (a set, see `Lang::bit`).
    langs: u8,
    errors: Vec<FileError>,
}

impl Tally {
    fn add(&mut self, (change, langs, errors): (Change, u8, Vec<FileError>)) {
        match change {
            Change::Added => self.added += 1,
            Change::Updated => self.updated += 1,
            Change::Same => self.same += 1,
            Change::Emptied { had } => {
                self.emptied += 1;
                self.emptied_had += u64::from(had);
            }
            Change::Failed => {}
        }
        self.langs |= langs;
        self.errors.extend(errors);
    }

    /// Adds the tally of the files that come after this one's.
    fn merge(&mut self, later: Tally) {
        self.added += later.added;
        self.updated += later.updated;
        self.same += later.same;
        self.emptied += later.emptied;
        self.emptied_had += later.emptied_had;
        self.langs |= later.langs;
        self.errors.extend(later.errors);
    }
}

/// The update itself: plan, read, write, commit.
fn sync(store: &Store, meta: &Meta, rebuild: bool, bar: &Bar) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    // What the index holds is read (and its files checked against their checksums, so that
    // damage is named now rather than by every later search) while the folders are walked: one
    // is CPU, the other the file system's work.
    let (known, walked) = rayon::join(
        || {
            if rebuild {
                return Ok(Known::default());
            }
            let (known, verified) = rayon::join(|| Known::read(store), || store.verify());
            verified?;
            known.map_err(IndexError::damaged_if_corrupt)
        },
        || walk(&meta.roots, &store.dir),
    );
    let known = known?;
    summary.skipped = walked.skipped;
    for e in walked.errors {
        bar.warn(&e);
        summary.errors.push(e);
    }
    let plan = index::plan(&known, &walked.seen, &walked.unreachable, rebuild);
    summary.unchanged = plan.unchanged;
    summary.kept = plan.kept;
    summary.documents = known.files.len() as u64;
    let recorded = Meta {
        langs: store.meta.langs.clone(),
        ..meta.clone()
    };
    if plan.read.is_empty() && plan.remove.is_empty() && store.meta == recorded && !rebuild {
        // Nothing to write: no writer, no commit.
        summary.passages = store.reader()?.searcher().num_docs();
        return Ok(summary);
    }

    let writer = Writer::open(store, meta)?;
    if rebuild {
        writer.remove_all()?;
    }
    bar.start(plan.read.len() as u64);
    // What became of the files is tallied as they are read, not held per file (a million
    // outcomes were 48 MB, kept to the end of the run).
    let tally = plan
        .read
        .par_iter()
        .try_fold(Tally::default, |mut tally, item| {
            let outcome = read_one(&writer, &known, item, &meta.options, &meta.roots)?;
            bar.step(item.path);
            tally.add(outcome);
            anyhow::Ok(tally)
        })
        .try_reduce(Tally::default, |mut a, b| {
            a.merge(b);
            Ok(a)
        })?;
    // The languages indexed: those recorded before (unless rebuilding), and those just read.
    let langs = tally.langs | if rebuild { 0 } else { store.meta.lang_set() };
    summary.added += tally.added;
    summary.updated += tally.updated;
    summary.unchanged += tally.same;
    summary.skipped += tally.emptied;
    let emptied = tally.emptied_had;
    for e in tally.errors {
        bar.warn(&e);
        summary.errors.push(e);
    }
    for key in &plan.remove {
        writer.remove(key);
    }
    summary.removed = plan.remove.len() as u64;
    summary.errors.sort_by(|a, b| a.path.cmp(&b.path));
    let mut meta = meta.clone();
    meta.set_langs(langs);
    // A rebuild wrote every passage in its file's batch; an update keeps what the index was.
    meta.contiguous = rebuild || store.meta.contiguous;
    let committed = writer.commit(&meta)?;
    if let Some(why) = committed.merge_error {
        let e = FileError::new(&store.dir, Problem::Merge(why));
        bar.warn(&e);
        summary.errors.push(e);
    }
    summary.passages = committed.passages;
    summary.documents =
        (known.files.len() as u64 + summary.added).saturating_sub(summary.removed + emptied);
    Ok(summary)
}

/// The source of a document that names none: the first folder under its root (`news/ansa/…`
/// → `ansa`), or the root's own name for a file directly in it.
fn folder_source(path: &Path, roots: &[PathBuf]) -> String {
    let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
        return String::new();
    };
    let below = path.strip_prefix(root).unwrap_or(path);
    let mut parts = below.components();
    let first = parts.next();
    let name = match (first, parts.next()) {
        (Some(folder), Some(_)) => folder.as_os_str(),
        _ => root.file_name().unwrap_or_default(),
    };
    name.to_string_lossy().into_owned()
}

/// Reads one planned file and replaces its passages. Also says which languages (a set, see
/// `Lang::bit`) its documents are in.
fn read_one(
    writer: &Writer,
    known: &Known,
    item: &ToRead<Kind>,
    options: &Options,
    roots: &[PathBuf],
) -> anyhow::Result<(Change, u8, Vec<FileError>)> {
    let file = match ingest::read(item.path, item.kind, options) {
        Ok(file) => file,
        Err(e) => {
            let error = FileError::new(item.path, Problem::Read(e));
            return Ok((Change::Failed, 0, vec![error]));
        }
    };
    let problems: Vec<FileError> = file
        .problems
        .iter()
        .map(|p| FileError::new(item.path, Problem::Part(p.clone())))
        .collect();
    let key = item.key();
    if item.old.is_some() {
        // The delete's opstamp precedes the additions below, so it removes only the old passages.
        writer.remove(&key);
    }
    if file.passages() == 0 {
        let had = item.old.is_some();
        return Ok((Change::Emptied { had }, 0, problems));
    }
    let change = match item.old {
        None => Change::Added,
        Some(old) if known.hash(old).as_deref() == Some(file.meta.hash.as_str()) => Change::Same,
        Some(_) => Change::Updated,
    };
    writer.add(&key, &file, &folder_source(item.path, roots))?;
    let langs = file
        .documents
        .iter()
        .filter(|d| !d.passages.is_empty())
        .fold(0, |set, d| set | d.lang.bit());
    Ok((change, langs, problems))
}
/// Reading options given on the command line, if any (else the index's recorded ones apply).
fn options(args: &IndexArgs) -> anyhow::Result<Option<Options>> {
    if args.max_file_size.is_none() && args.field.is_empty() {
        return Ok(None);
    }
    let mut options = Options::default();
    if let Some(size) = &args.max_file_size {
        options.max_file_bytes = parse_size(size)?;
    }
    for f in &args.field {
        let Some((role, name)) = f.split_once('=') else {
            bail!("--field {f}: expected ROLE=NAME, e.g. --field title=headline");
        };
        if !["title", "text", "date", "url", "source"].contains(&role) {
            bail!("--field {f}: the role must be one of title, text, date, url, source");
        }
        options.fields.push((role.to_string(), name.to_string()));
    }
    Ok(Some(options))
}

/// `1048576`, `512K`, `64M`, `2G` (powers of 1024).
fn parse_size(s: &str) -> anyhow::Result<u64> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let scale: u64 = match unit
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => bail!("--max-file-size {s}: use a number of bytes, or with K, M or G"),
    };
    let n: u64 = digits.parse().map_err(|_| {
        anyhow::anyhow!("--max-file-size {s}: use a number of bytes, or with K, M or G")
    })?;
    n.checked_mul(scale)
        .ok_or_else(|| anyhow::anyhow!("--max-file-size {s}: too large"))
}

/// The roots without duplicates and without those inside another root (walked once, not twice).
fn outermost(mut roots: Vec<PathBuf>) -> Vec<PathBuf> {
    roots.sort();
    roots.dedup();
    let all = roots.clone();
    roots.retain(|r| !all.iter().any(|other| other != r && r.starts_with(other)));
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576").unwrap(), 1 << 20);
        assert_eq!(parse_size("64M").unwrap(), 64 << 20);
        assert_eq!(parse_size("512k").unwrap(), 512 << 10);
        assert_eq!(parse_size("2GiB").unwrap(), 2 << 30);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }

    #[test]
    fn a_source_is_the_first_folder_under_the_root() {
        let roots = [PathBuf::from("/n/news"), PathBuf::from("/n/one.txt")];
        let src = |p: &str| folder_source(Path::new(p), &roots);
        assert_eq!(src("/n/news/ansa/2025/a.txt"), "ansa");
        assert_eq!(src("/n/news/a.txt"), "news");
        assert_eq!(src("/n/one.txt"), "one.txt");
        assert_eq!(src("/elsewhere/a.txt"), "");
    }

    #[test]
    fn nested_and_repeated_roots_collapse() {
        let r = |s: &str| PathBuf::from(s);
        assert_eq!(
            outermost(vec![r("/a/b"), r("/a"), r("/c"), r("/a"), r("/ab")]),
            vec![r("/a"), r("/ab"), r("/c")]
        );
    }
}
