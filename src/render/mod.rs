//! Rendering: results and summaries written to any `Write`, for a person (terminal, with or
//! without colour) or for a program (JSON). Only this module formats output, and text from files
//! reaches a terminal only through [`sanitize`].

mod document;
mod json;
mod sanitize;
mod stats;
mod terminal;

pub use document::{Shown, ShownDocument, ShownLine, document_json, document_text};
pub use json::{JsonHit, hits_jsonl, json_bytes, summary_json};
pub use sanitize::{sanitize, sanitize_lines};
pub use stats::{Count, Stats, stats_json, stats_text};
pub use terminal::{files, hits_text, summary_text, vimgrep};

use std::path::Path;

/// How a path is shown: relative to the working directory when it is inside it.
pub fn display_path(path: &str) -> String {
    let p = Path::new(path);
    std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(cwd).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| path.to_string())
}
