//! `cerca completions SHELL` and `cerca man`: the shell completion script and the manual page,
//! both generated from the command-line definition, written to standard output.

use std::io::Write;

use super::Outcome;
use super::inspect::stdout_writer;
use crate::cli::{self, CompletionsArgs};

pub fn run(args: CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut out = stdout_writer();
    cli::write_completions(args.shell, &mut out)?;
    out.flush()?;
    Ok(Outcome::Success)
}

pub fn man() -> anyhow::Result<Outcome> {
    let mut out = stdout_writer();
    cli::write_man_page(&mut out)?;
    out.flush()?;
    Ok(Outcome::Success)
}
