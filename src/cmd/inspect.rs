//! What `search`, `show` and `stats` share: opening the index read-only (retried once if an indexer's
//! commit removed a segment file as it was being opened), guarding against a damaged index that
//! makes tantivy panic, and the output stream with its colour decision.

use std::io::{BufWriter, IsTerminal, Stdout};
use std::path::Path;

use crate::cli::ColorChoice;
use crate::index::{IndexError, Store};

/// Opens the index at `dir` for reading.
pub(crate) fn open(dir: &Path) -> Result<Store, IndexError> {
    match Store::open(dir) {
        Err(IndexError::Tantivy { .. }) => {
            std::thread::sleep(std::time::Duration::from_millis(50));
            Store::open(dir).map_err(IndexError::damaged_if_corrupt)
        }
        other => other,
    }
}

/// Runs `f`, turning a panic inside it into an error naming the index as damaged: tantivy
/// trusts the files it wrote, and a hand-edited or corrupted one (a `meta.json` whose counts do
/// not match its segments) can make it panic instead of failing.
pub(super) fn guarded<T>(dir: &Path, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("it could not be read");
        Err(IndexError::Damaged {
            path: dir.to_path_buf(),
            reason: reason.to_string(),
        }
        .into())
    })
}

/// Standard output, buffered.
pub(super) fn stdout_writer() -> BufWriter<Stdout> {
    BufWriter::new(std::io::stdout())
}

/// Whether to colour: `auto` is a terminal with `NO_COLOR` unset or empty.
pub(super) fn color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
