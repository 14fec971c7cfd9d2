//! The bridge to tantivy: each analysis chain wrapped as a tantivy tokenizer under a fixed name.
//! tantivy stores only the names in the schema, never the code, so [`register`] must run every
//! time an index is opened.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::{Analyzer, Lang};

pub const EXACT_TOKENIZER: &str = "cerca_exact";

/// The tokenizer name of a language's stemmed chain, e.g. `cerca_it`.
pub fn tokenizer_name(lang: Lang) -> String {
    format!("cerca_{}", lang.code())
}

/// Registers every cerca chain with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(
            &tokenizer_name(lang),
            TextAnalyzer::from(ChainTokenizer(Analyzer::stemmed(lang))),
        );
    }
    manager.register(
        EXACT_TOKENIZER,
        TextAnalyzer::from(ChainTokenizer(Analyzer::exact())),
    );
}

#[derive(Clone)]
struct ChainTokenizer(Analyzer);

impl Tokenizer for ChainTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: self.0.tokens(text),
            next: 0,
        }
    }
}

/// The chain runs eagerly (it may emit two terms for one word); the stream replays its output.
struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
