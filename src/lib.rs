//! cerca: a command-line search engine for AI-policy news.
//!
//! Data flows one way. Indexing: a path on disk → [`ingest`] (walk, read, decode, repair, split
//! into passages) → [`index`] (tantivy, analysed by [`analysis`]). Searching: a query →
//! [`search`] (parse, rank passages, find the words to highlight) → [`render`] (terminal or JSON
//! Lines). [`cmd`] glues the command-line arguments to these stages.

pub mod analysis;
pub mod ingest;
