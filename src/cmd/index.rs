//! `cerca index`: resolve the roots, open (or create) the index, sync it, print the summary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::Outcome;
use super::progress::Bar;
use crate::cli::IndexArgs;
use crate::index::{self, Store, Summary};
use crate::render;

pub fn run(args: IndexArgs) -> anyhow::Result<Outcome> {
    let dir = args.index.resolve();
    let (mut summary, took) = update(&dir, &args.paths, args.rebuild)?;
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
) -> anyhow::Result<(Summary, Duration)> {
    let started = Instant::now();
    let mut given = Vec::new();
    for p in paths {
        let root = p
            .canonicalize()
            .with_context(|| format!("{}: cannot index", p.display()))?;
        given.push(root);
    }
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
    let bar = Bar::new();
    let summary = index::sync(&store, &roots, rebuild || recreated, &bar)?;
    bar.finish();
    Ok((summary, started.elapsed()))
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
    fn nested_and_repeated_roots_collapse() {
        let r = |s: &str| PathBuf::from(s);
        assert_eq!(
            outermost(vec![r("/a/b"), r("/a"), r("/c"), r("/a"), r("/ab")]),
            vec![r("/a"), r("/ab"), r("/c")]
        );
    }
}
