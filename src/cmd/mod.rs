//! Glue from the parsed command line to the pipeline: each subcommand in its own file. Returns
//! what happened; `main` alone turns that into an exit code.

mod completions;
mod index;
pub(crate) mod inspect;
mod progress;
mod report;
pub(crate) mod search;
mod serve;
pub(crate) mod show;
pub(crate) mod stats;
mod watch;

use std::path::PathBuf;

use crate::cli::{Cli, Command, IndexDir};

pub use report::{FileError, Problem, Summary};

/// How a command ended, when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Results were found, or the work was done.
    Success,
    /// A search that found nothing.
    NoMatch,
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Show(args) => show::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man => completions::man(),
    }
}

/// The default index folder, used when neither `--index` nor `$CERCA_INDEX` is given.
const DEFAULT_INDEX: &str = "index";

impl IndexDir {
    fn resolve(&self) -> PathBuf {
        self.dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }
}
