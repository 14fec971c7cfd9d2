//! The index schema: one tantivy document per passage. Each passage carries its file's path,
//! size, modification time and content hash (what incremental indexing compares), its document
//! (the ordinal of the record within the file, its date as a date, its source), its place in the
//! file (first line, the line map of its paragraphs, page), its stored text, and the text
//! analysed by its language's stemmed chain (`body_xx`), its stopwords, each once
//! (`stopwords`), and its document's title (`title_xx`). There is no field of exact words:
//! stopwords keep their positions as gaps in the stemmed field, and what only the exact words
//! can tell (an exact form, a phrase across a stopword, a prefix longer than a stem) is read
//! from the stored text of the best candidates (`search::exact`). Exact words were over half of
//! all the terms indexed.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{Lang, STOPWORDS_TOKENIZER, tokenizer_name};

/// Bump whenever the schema or the analysis changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;

#[derive(Clone, Debug)]
pub struct Fields {
    pub path: Field,
    pub size: Field,
    pub mtime: Field,
    pub hash: Field,
    pub title: Field,
    pub date: Field,
    pub source: Field,
    /// The ordinal of the passage's document within its file (a JSON Lines file holds many).
    pub doc: Field,
    /// A 64-bit id of the passage's document (see `index::document_id`): one number that groups
    /// a document's passages across segments without a look-up in the paths' dictionary. Random
    /// values keep its column bit-packed, which opens at no cost (the record ordinals, runs of
    /// 0, 1, 2…, are stored block by block, whose opening reads every block's header).
    pub document: Field,
    pub lines: Field,
    pub lang: Field,
    /// What repair changed in the file, as JSON (`ingest::repair::Repair`s); absent when nothing.
    pub repairs: Field,
    pub line: Field,
    pub ordinal: Field,
    pub text: Field,
    pub page: Field,
    pub url: Field,
    /// The passage's stopwords, folded, each once (no frequencies, no positions).
    pub stopwords: Field,
    /// Stemmed body and title fields, one per language, in `Lang::ALL` order.
    pub body: Vec<Field>,
    pub title_by_lang: Vec<Field>,
}

/// Text analysed by `tokenizer`, its postings recording `record`.
fn indexed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

fn analysed(tokenizer: &str) -> TextOptions {
    indexed(tokenizer, IndexRecordOption::WithFreqsAndPositions)
}

pub fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("path", STRING | STORED | FAST);
    b.add_u64_field("size", STORED | FAST);
    b.add_i64_field("mtime", STORED | FAST);
    b.add_text_field("hash", STRING | STORED | FAST);
    b.add_text_field("title", STORED);
    b.add_date_field(
        "date",
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field("source", STRING | STORED | FAST);
    b.add_u64_field("doc", STORED | FAST);
    b.add_u64_field("document", INDEXED | FAST);
    b.add_text_field("lines", STORED);
    b.add_text_field("lang", STRING | STORED);
    b.add_text_field("repairs", STORED);
    b.add_u64_field("line", STORED);
    b.add_u64_field("ordinal", STORED | INDEXED | FAST);
    b.add_text_field("text", STORED);
    b.add_u64_field("page", STORED);
    b.add_text_field("url", STORED);
    b.add_text_field(
        "stopwords",
        indexed(STOPWORDS_TOKENIZER, IndexRecordOption::Basic),
    );
    for lang in Lang::ALL {
        b.add_text_field(
            &format!("body_{}", lang.code()),
            analysed(&tokenizer_name(lang)),
        );
        b.add_text_field(
            &format!("title_{}", lang.code()),
            analysed(&tokenizer_name(lang)),
        );
    }
    b.build()
}

impl Fields {
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        let per_lang = |prefix: &str| -> tantivy::Result<Vec<Field>> {
            Lang::ALL
                .into_iter()
                .map(|l| f(&format!("{prefix}_{}", l.code())))
                .collect()
        };
        Ok(Fields {
            path: f("path")?,
            size: f("size")?,
            mtime: f("mtime")?,
            hash: f("hash")?,
            title: f("title")?,
            date: f("date")?,
            source: f("source")?,
            doc: f("doc")?,
            document: f("document")?,
            lines: f("lines")?,
            lang: f("lang")?,
            repairs: f("repairs")?,
            line: f("line")?,
            ordinal: f("ordinal")?,
            text: f("text")?,
            page: f("page")?,
            url: f("url")?,
            stopwords: f("stopwords")?,
            body: per_lang("body")?,
            title_by_lang: per_lang("title")?,
        })
    }

    pub fn body_of(&self, lang: Lang) -> Field {
        self.body[lang.index()]
    }

    pub fn title_of(&self, lang: Lang) -> Field {
        self.title_by_lang[lang.index()]
    }
}
