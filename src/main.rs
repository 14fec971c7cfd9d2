//! The `cerca` binary: parse the command line, run it, turn the outcome into an exit code like
//! grep's — 0 results (or work done), 1 no results, 2 an error. The only place that decides one.
//! The error is printed sanitised: it can quote a path, and a path can hold escape sequences.

use std::process::ExitCode;

use clap::Parser;

use cerca::cli::Cli;
use cerca::cmd::{self, Outcome};
use cerca::render;

#[global_allocator]
static ALLOCATOR: cerca::memory::Allocator = cerca::memory::Allocator;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::NoMatch) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cerca: {}", render::sanitize(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Output cut short by a closed pipe (`cerca search … | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
