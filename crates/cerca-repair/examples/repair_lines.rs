//! Repairs each line of standard input (lines split on `\n` only) and prints the results in the
//! same order: the benchmark's way to run the crate (`bench/repair/run`).

use std::io::{Read, Write};

fn main() -> std::io::Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in input.split('\n') {
        writeln!(out, "{}", cerca_repair::repair(line).text)?;
    }
    Ok(())
}
