//! The bridge to tantivy: each analysis chain wrapped as a tantivy tokenizer under a fixed name.
//! tantivy stores only the names in the schema, never the code, so [`register`] must run every
//! time an index is opened.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::{Analyzer, Lang};

/// The tokenizer of the stopwords' chain.
pub const STOPWORDS_TOKENIZER: &str = "cerca_stopwords";

/// The tokenizer name of a language's stemmed chain, e.g. `cerca_it`.
pub fn tokenizer_name(lang: Lang) -> String {
    format!("cerca_{}", lang.code())
}

/// Registers every cerca chain with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(
            &tokenizer_name(lang),
            TextAnalyzer::from(ChainTokenizer::new(Analyzer::stemmed(lang))),
        );
    }
    manager.register(
        STOPWORDS_TOKENIZER,
        TextAnalyzer::from(ChainTokenizer::new(Analyzer::stopwords())),
    );
}

/// A chain as a tantivy tokenizer. It keeps the tokens of the last text it analysed and
/// overwrites them for the next one, so that indexing allocates no string per term.
#[derive(Clone)]
struct ChainTokenizer {
    analyzer: Analyzer,
    tokens: Vec<Token>,
}

impl ChainTokenizer {
    fn new(analyzer: Analyzer) -> ChainTokenizer {
        ChainTokenizer {
            analyzer,
            tokens: Vec::new(),
        }
    }
}

impl Tokenizer for ChainTokenizer {
    type TokenStream<'a> = BufferedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferedStream<'a> {
        let mut len = 0;
        let tokens = &mut self.tokens;
        self.analyzer
            .for_each_term(text, |position, from, to, term| {
                if len == tokens.len() {
                    tokens.push(Token::default());
                }
                let token = &mut tokens[len];
                token.text.clear();
                token.text.push_str(term);
                token.offset_from = from;
                token.offset_to = to;
                token.position = position;
                token.position_length = 1;
                len += 1;
            });
        BufferedStream {
            tokens: &mut self.tokens[..len],
            next: 0,
        }
    }
}

/// The chain runs eagerly (it may emit two terms for one word); the stream replays its output.
struct BufferedStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for BufferedStream<'_> {
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
