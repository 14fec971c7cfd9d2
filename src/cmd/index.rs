//! `cerca index`: resolve the roots, open (or create) the index, sync it, print the summary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::Outcome;
use super::progress::Bar;
use crate::cli::IndexArgs;
use crate::index::{self, Meta, SCHEMA_VERSION, Store, Summary};
use crate::ingest::Options;
use crate::render;

pub fn run(args: IndexArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let (mut summary, took) = update(&dir, &args.paths, args.rebuild, options(&args)?, args.wait)?;
    for e in &mut summary.errors {
        e.path = render::display_path(&e.path);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        render::summary_json(&mut out, &summary)?;
    } else {
        render::summary_text(&mut out, &summary, took)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Brings the index at `dir` up to date with its recorded roots plus `paths`.
pub(super) fn update(
    dir: &Path,
    paths: &[PathBuf],
    rebuild: bool,
    options: Option<Options>,
    wait: bool,
) -> anyhow::Result<(Summary, Duration)> {
    let started = Instant::now();
    let mut given = Vec::new();
    for p in paths {
        let root = p
            .canonicalize()
            .with_context(|| format!("{}: cannot index", p.display()))?;
        given.push(root);
    }
    let _lock = index::lock(dir, wait)?;
    let (store, recreated) = Store::open_or_create(dir)?;
    if recreated {
        eprintln!(
            "cerca: the index at {} was made by another version of cerca; rebuilding it",
            dir.display()
        );
    }
    let roots = outermost(store.meta.roots.iter().cloned().chain(given).collect());
    if roots.is_empty() {
        bail!("nothing to index yet: give a folder, e.g. `cerca index ~/news`");
    }
    let meta = Meta {
        version: SCHEMA_VERSION,
        roots,
        options: options.unwrap_or_else(|| store.meta.options.clone()),
        langs: store.meta.langs.clone(),
    };
    let bar = Bar::new();
    let summary = index::sync(&store, &meta, rebuild || recreated, &bar)?;
    bar.finish();
    Ok((summary, started.elapsed()))
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
    fn nested_and_repeated_roots_collapse() {
        let r = |s: &str| PathBuf::from(s);
        assert_eq!(
            outermost(vec![r("/a/b"), r("/a"), r("/c"), r("/a"), r("/ab")]),
            vec![r("/a"), r("/ab"), r("/c")]
        );
    }
}
