//! Links the `cerca` executable at a fixed address (not position-independent). A search is a
//! short-lived process: a position-independent executable of this size spends a good part of
//! its start-up applying ~65,000 relocations and faulting in the pages they touch.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
