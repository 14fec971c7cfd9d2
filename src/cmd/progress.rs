//! The indexing progress bar: drawn on stderr only when stderr is a terminal, and only once a run
//! has lasted long enough to need one. Warnings about bad files print above it. A file name, and
//! an error that may quote a file's content, reach the terminal sanitised.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::report::FileError;
use crate::index::key::key_of;
use crate::render::sanitize;

/// A run shorter than this shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(300);

pub struct Bar {
    bar: ProgressBar,
    terminal: bool,
    shown: AtomicBool,
    started: Instant,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} indexing {pos}/{len} files [{bar:30}] {eta} {wide_msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Bar {
            bar,
            terminal: std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
            started: Instant::now(),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Bar {
    /// The number of files that will be read.
    pub fn start(&self, files: u64) {
        self.bar.set_length(files);
    }

    pub fn step(&self, path: &Path) {
        self.bar.inc(1);
        if self.terminal
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > SHOW_AFTER
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown.store(true, Ordering::Relaxed);
        }
        if self.shown.load(Ordering::Relaxed) {
            let name = path
                .file_name()
                .map(|n| sanitize(&n.to_string_lossy()).into_owned())
                .unwrap_or_default();
            self.bar.set_message(name);
        }
    }

    /// Prints a problem above the bar, its path relative to the working directory.
    pub fn warn(&self, e: &FileError) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let path = match e.path.strip_prefix(&cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => key_of(rel),
            _ => e.path_text(),
        };
        self.bar.suspend(|| {
            let problem = e.problem.to_string();
            eprintln!("cerca: {}: {}", sanitize(&path), sanitize(&problem));
        });
    }
}
