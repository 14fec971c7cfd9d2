//! Prints, for each argument, the repair and every candidate span with its gain in nats:
//! `cargo run -p cerca-repair --example explain -- 'perchÃ©'`.

use cerca_repair::CodePage;
use cerca_repair::internals::{MARGIN, candidate};

fn main() {
    for text in std::env::args().skip(1) {
        println!(
            "{text:?} -> {:?} (margin {MARGIN})",
            cerca_repair::repair(&text).text
        );
        for (pos, _) in text.char_indices() {
            for page in CodePage::ALL {
                if let Some(c) = candidate(&text, pos, page, "", 0) {
                    let span = &text[c.start..c.end];
                    println!(
                        "  {pos:>3} {span:?} -> {:?} via {:?}: {:.1}",
                        c.repaired, c.pages, c.gain
                    );
                }
            }
        }
    }
}
