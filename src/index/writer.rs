//! Applying an update: the one place that writes to the index. Opening the writer clears what a
//! killed run left behind (segment files no commit uses) and records the run's roots and options
//! at once when they are new — so a first build, or a new folder, cut short at any point is
//! finished by the next `cerca index`. Files' passages are added and removed, possibly from many
//! threads, and everything becomes visible in one atomic commit, after which small segments are
//! merged.

use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{IndexError, Meta, SCHEMA_VERSION, Store};
use crate::ingest::Ingested;

/// Segments smaller than this are merged together after a commit.
const SMALL_SEGMENT_DOCS: u32 = 10_000;

pub struct Writer<'a> {
    store: &'a Store,
    writer: IndexWriter,
}

/// The outcome of a commit.
pub struct Committed {
    /// Merging after the commit failed (the update is saved all the same): why.
    pub merge_error: Option<String>,
    /// Passages in the index now.
    pub passages: u64,
}

impl<'a> Writer<'a> {
    /// Opens the index's writer (the caller holds the update lock). If `meta` (roots, options)
    /// differs from what the index records, it is committed first, with no document changed.
    pub fn open(store: &'a Store, meta: &Meta) -> Result<Writer<'a>, IndexError> {
        store.remove_orphans()?;
        let mut writer = Writer {
            store,
            writer: store.writer()?,
        };
        let recorded = Meta {
            version: SCHEMA_VERSION,
            langs: store.meta.langs.clone(),
            // Only the commit that ends the run may say its passages are contiguous.
            contiguous: store.meta.contiguous,
            ..meta.clone()
        };
        if store.meta != recorded {
            store.write_marker(&recorded)?;
            writer.commit_payload(&recorded)?;
        }
        Ok(writer)
    }

    /// Removes every passage (a rebuild); takes effect at the commit.
    pub fn remove_all(&self) -> Result<(), IndexError> {
        self.writer
            .delete_all_documents()
            .map(|_| ())
            .map_err(|e| self.store.tantivy_error(e))
    }

    /// Removes the passages of the file with this key.
    pub fn remove(&self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.store.fields.path, key));
    }

    /// Adds the passages of a file read under `key`. Its old passages, if any, must have been
    /// removed before (a delete applies only to what was added before it). `folder` is the
    /// source of its documents that name none (the first folder under its root).
    pub fn add(&self, key: &str, file: &Ingested, folder: &str) -> Result<(), IndexError> {
        add_file(&self.writer, self.store, key, file, folder)
            .map_err(|e| self.store.tantivy_error(e))
    }

    /// Commits everything with `meta` as the record, then merges small segments.
    pub fn commit(mut self, meta: &Meta) -> Result<Committed, IndexError> {
        let meta = Meta {
            version: SCHEMA_VERSION,
            ..meta.clone()
        };
        self.commit_payload(&meta)?;
        if self.store.meta.langs != meta.langs || self.store.meta.roots != meta.roots {
            self.store.write_marker(&meta)?;
        }
        // Merging is housekeeping after the commit: if it fails, the update is saved all the
        // same and the next run merges again, so the user is warned, not failed.
        let merged = merge_small_segments(self.store, &mut self.writer).and_then(|()| {
            // The merged-away segments' files go now rather than at the next run.
            self.writer
                .garbage_collect_files()
                .wait()
                .map(|_| ())
                .map_err(|e| self.store.tantivy_error(e))
        });
        let waited = self
            .writer
            .wait_merging_threads()
            .map_err(|e| self.store.tantivy_error(e));
        let merge_error = merged.and(waited).err().map(|e| e.with_causes());
        let passages = self.store.reader()?.searcher().num_docs();
        Ok(Committed {
            merge_error,
            passages,
        })
    }

    fn commit_payload(&mut self, meta: &Meta) -> Result<(), IndexError> {
        let payload = serde_json::to_string(meta).expect("meta serialises");
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|e| self.store.tantivy_error(e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| self.store.tantivy_error(e))?;
        Ok(())
    }
}

fn add_file(
    writer: &IndexWriter,
    store: &Store,
    key: &str,
    file: &Ingested,
    folder: &str,
) -> tantivy::Result<()> {
    let f = &store.fields;
    let repairs = (!file.repairs.is_empty())
        .then(|| serde_json::to_string(&file.repairs).expect("repairs serialise"));
    let mut ordinal = 0u64;
    // One batch: tantivy writes a batch into one segment, in order, so a document's passages
    // are neighbours (see `Meta::contiguous`).
    let mut batch = Vec::with_capacity(file.passages());
    for (doc_no, doc) in file.documents.iter().enumerate() {
        let document_id = super::document_id(key, doc_no);
        let date = doc.date.map(|d| {
            let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            tantivy::DateTime::from_timestamp_secs(midnight.timestamp())
        });
        let source = doc.source.as_deref().unwrap_or(folder).to_lowercase();
        for passage in &doc.passages {
            let mut d = TantivyDocument::default();
            d.add_text(f.path, key);
            d.add_u64(f.size, file.meta.size);
            d.add_i64(f.mtime, file.meta.mtime_ns);
            d.add_text(f.hash, &file.meta.hash);
            d.add_text(f.title, &doc.title);
            if let Some(date) = date {
                d.add_date(f.date, date);
            }
            if !source.is_empty() {
                d.add_text(f.source, &source);
            }
            d.add_u64(f.doc, doc_no as u64);
            d.add_u64(f.document, document_id);
            d.add_text(f.lines, passage.lines.encode());
            if let Some(url) = &doc.url {
                d.add_text(f.url, url);
            }
            d.add_text(f.lang, doc.lang.code());
            if let Some(repairs) = &repairs {
                d.add_text(f.repairs, repairs);
            }
            d.add_u64(f.line, passage.line as u64);
            if let Some(page) = passage.page {
                d.add_u64(f.page, u64::from(page));
            }
            d.add_u64(f.ordinal, ordinal);
            d.add_text(f.text, &passage.text);
            // Analysed by the tokenizers registered for these fields. (Pre-tokenized values
            // would save a segmentation, but tantivy serialises them as JSON: slower.)
            d.add_text(f.body_of(doc.lang), &passage.text);
            d.add_text(f.stopwords, &passage.text);
            d.add_text(f.title_of(doc.lang), &doc.title);
            batch.push(UserOperation::Add(d));
            ordinal += 1;
        }
    }
    writer.run(batch)?;
    Ok(())
}

/// Every update adds a segment with the passages it wrote, and a search pays for each segment
/// it opens: merge the small ones (cheap) into one, so that daily updates do not pile up
/// segments. Large segments are left to tantivy's merge policy.
fn merge_small_segments(store: &Store, writer: &mut IndexWriter) -> Result<(), IndexError> {
    let metas = store
        .index
        .searchable_segment_metas()
        .map_err(|e| store.tantivy_error(e))?;
    let small: Vec<_> = metas
        .iter()
        .filter(|m| m.num_docs() < SMALL_SEGMENT_DOCS)
        .map(|m| m.id())
        .collect();
    if small.len() >= 2 {
        writer
            .merge(&small)
            .wait()
            .map_err(|e| store.tantivy_error(e))?;
    }
    Ok(())
}
