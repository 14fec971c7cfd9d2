//! cerca: a command-line search engine for AI-policy news.
//!
//! Data flows one way. Indexing: a path on disk → [`ingest`] (walk, read, decode, repair, split
//! into passages) → [`index`] (tantivy, analysed by [`analysis`]). Searching: a query →
//! [`search`] (parse, rank passages, find the words to highlight) → [`render`] (terminal or JSON
//! Lines). [`cli`] holds the command-line types and [`cmd`] glues them to these stages.

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod index;
pub mod ingest;
pub mod memory;
pub mod render;
pub mod search;
pub mod serve;
#[cfg(test)]
mod testutil;
