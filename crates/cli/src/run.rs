//! The shared run loop: read lazily, code in parallel batches, hand results to a sink in order.

use dyad_doc::Document;
use dyad_ingest::{IngestError, ReadOptions, Reader};
use dyad_pipeline::Pipeline;

/// Documents coded together; bounds memory whatever the corpus size.
pub const BATCH: usize = 256;

/// Totals of one run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    /// Documents coded.
    pub documents: usize,
    /// Tokens in coded documents.
    pub tokens: usize,
    /// Events coded.
    pub events: usize,
    /// Inputs that failed (each reported on stderr).
    pub errors: usize,
}

/// Reports one bad input on stderr, naming it.
pub fn report(err: &dyn std::fmt::Display) {
    eprintln!("dyad: error: {err}");
}

/// Reads `paths`, codes every document, and passes each batch of coded documents to `sink`.
/// `skip` is asked before coding whether a document is already known (the store's check).
pub fn run(
    paths: &[String],
    read: ReadOptions,
    pipeline: &Pipeline,
    mut skip: impl FnMut(&Document) -> anyhow::Result<bool>,
    mut sink: impl FnMut(Vec<Document>) -> anyhow::Result<()>,
) -> anyhow::Result<Totals> {
    let mut totals = Totals::default();
    let mut reader = Reader::new(paths, read);
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for item in reader.by_ref() {
            match item {
                Ok(doc) => {
                    if !skip(&doc)? {
                        batch.push(doc);
                    }
                }
                Err(e) => {
                    totals.errors += 1;
                    report(&e as &IngestError);
                }
            }
            if batch.len() == BATCH {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let mut coded = Vec::with_capacity(batch.len());
        for result in pipeline.process_batch(batch) {
            match result {
                Ok(doc) => {
                    totals.documents += 1;
                    totals.tokens += doc.token_count();
                    totals.events += doc.events.len();
                    coded.push(doc);
                }
                Err(e) => {
                    totals.errors += 1;
                    report(&e);
                }
            }
        }
        pipeline.learn(&coded);
        sink(coded)?;
    }
    Ok(totals)
}

/// Stores coded documents with their event records, quotes and the people they teach.
pub fn store_batch(
    pipeline: &Pipeline,
    store: &mut dyad_store::Store,
    docs: Vec<Document>,
) -> anyhow::Result<dyad_store::BatchStats> {
    let batch: Vec<_> = docs
        .into_iter()
        .map(|d| {
            let r = pipeline.records(&d);
            (d, r)
        })
        .collect();
    let stats = store.insert_batch(&batch)?;
    let people: Vec<_> = batch
        .iter()
        .flat_map(|(d, _)| dyad_pipeline::learned_people(d))
        .collect();
    store.upsert_people(&people)?;
    Ok(stats)
}
