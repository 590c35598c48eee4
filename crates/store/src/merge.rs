//! Cross-document deduplication at store time: reprints, one event per real-world event, stories.
//!
//! The decisions are `dyad_dedup`'s; this module keeps the tables they need:
//! - `doc_bands`: the LSH band keys of each original document's MinHash signature, to find the
//!   original of a reprint (`documents.duplicate_of`); a reprint's events and quotes are not stored;
//! - events reported again by another document are not stored twice: the report is appended to
//!   the first event's record (`reports`), its counts are updated, and `event_aliases` maps the
//!   report's own event id to the event it joined;
//! - `stories` and `doc_terms`: each document joins the story of the most similar recent document
//!   or starts one (`documents.story`).

use chrono::{Duration, NaiveDate};
use dyad_dedup::minhash::{Signature, DUPLICATE_JACCARD};
use dyad_dedup::{across, stories};
use dyad_doc::Document;
use dyad_export::{EventRecord, Report};
use rusqlite::{params, params_from_iter, OptionalExtension, Transaction};

use crate::StoreError;

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS doc_bands (
    band      INTEGER NOT NULL,
    key       INTEGER NOT NULL,
    document  INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (band, key, document)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_aliases (
    id     TEXT PRIMARY KEY,
    event  TEXT NOT NULL REFERENCES events(id)
);
CREATE TABLE IF NOT EXISTS stories (
    id          INTEGER PRIMARY KEY,
    title       TEXT,
    first_date  TEXT,
    last_date   TEXT,
    documents   INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS doc_terms (
    term      TEXT NOT NULL,
    date      TEXT NOT NULL,
    document  INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (term, date, document)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_terms_document ON doc_terms(document);
CREATE INDEX IF NOT EXISTS events_dyad ON events(dyad, root, date);
CREATE INDEX IF NOT EXISTS documents_story ON documents(story);
CREATE INDEX IF NOT EXISTS documents_doc_id ON documents(doc_id);
CREATE INDEX IF NOT EXISTS stories_last_date ON stories(last_date);
";

/// Columns added by schema version 2 to tables of version 1, with their declarations.
const V2_COLUMNS: &[(&str, &str, &str)] = &[
    (
        "documents",
        "duplicate_of",
        "INTEGER REFERENCES documents(id)",
    ),
    ("documents", "story", "INTEGER"),
    ("documents", "minhash", "BLOB"),
    ("events", "dyad", "TEXT"),
];

/// Brings a version-1 store to version 2: adds the new columns and fills each event's dyad key
/// from its record. Documents stored before stay without signature or story.
pub(crate) fn migrate_v1(conn: &mut rusqlite::Connection) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    for (table, column, decl) in V2_COLUMNS {
        let exists: bool = tx
            .prepare(&format!(
                "SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"
            ))?
            .exists([column])?;
        if !exists {
            tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
        }
    }
    {
        let mut read = tx.prepare("SELECT id, record FROM events WHERE dyad IS NULL")?;
        let mut write = tx.prepare("UPDATE events SET dyad = ?2 WHERE id = ?1")?;
        let rows: Vec<(String, String)> = read
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, json) in rows {
            let r: EventRecord = serde_json::from_str(&json)?;
            write.execute(params![id, across::dyad_key(&r)])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The stored original of which `sig` is a near-copy, if any; otherwise records `sig` as the
/// signature of the new original `doc_row`.
pub(crate) fn original_of(
    tx: &Transaction,
    doc_row: i64,
    sig: &Signature,
) -> Result<Option<i64>, StoreError> {
    let keys = sig.band_keys();
    let mut find = tx.prepare_cached(
        "SELECT b.document, d.minhash FROM doc_bands b JOIN documents d ON d.id = b.document
         WHERE b.band = ?1 AND b.key = ?2 AND b.document <> ?3",
    )?;
    let mut best: Option<(f64, i64)> = None;
    for (band, key) in keys.iter().enumerate() {
        let rows = find.query_map(params![band as i64, key, doc_row], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })?;
        for row in rows {
            let (doc, bytes) = row?;
            let Some(other) = bytes.as_deref().and_then(Signature::from_bytes) else {
                continue;
            };
            let sim = sig.similarity(&other);
            // Earliest stored original wins a tie.
            if sim >= DUPLICATE_JACCARD
                && best.is_none_or(|(s, d)| sim > s || (sim == s && doc < d))
            {
                best = Some((sim, doc));
            }
        }
    }
    if let Some((_, original)) = best {
        return Ok(Some(original));
    }
    tx.execute(
        "UPDATE documents SET minhash = ?2 WHERE id = ?1",
        params![doc_row, sig.to_bytes()],
    )?;
    let mut add = tx.prepare_cached(
        "INSERT OR IGNORE INTO doc_bands (band, key, document) VALUES (?1, ?2, ?3)",
    )?;
    for (band, key) in keys.iter().enumerate() {
        add.execute(params![band as i64, key, doc_row])?;
    }
    Ok(None)
}

/// Marks `doc_row` a copy of `original`, in the original's story.
pub(crate) fn mark_duplicate(
    tx: &Transaction,
    doc_row: i64,
    original: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE documents SET duplicate_of = ?2, story = (SELECT story FROM documents WHERE id = ?2)
         WHERE id = ?1",
        params![doc_row, original],
    )?;
    tx.execute(
        "UPDATE stories SET documents = documents + 1
         WHERE id = (SELECT story FROM documents WHERE id = ?1)",
        [doc_row],
    )?;
    Ok(())
}

/// A stored event of another document that `r` reports again: its id, document row and record.
pub(crate) fn stored_same_event(
    tx: &Transaction,
    r: &EventRecord,
    doc_row: i64,
) -> Result<Option<(String, i64, EventRecord)>, StoreError> {
    let (Some(key), Some(date)) = (
        across::dyad_key(r),
        r.date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    ) else {
        return Ok(None);
    };
    let w = Duration::days(across::DATE_WINDOW_DAYS);
    let mut stmt = tx.prepare_cached(
        "SELECT id, document, record FROM events
         WHERE dyad = ?1 AND root = ?2 AND date BETWEEN ?3 AND ?4 AND document <> ?5
         ORDER BY abs(julianday(date) - julianday(?6)), rowid LIMIT 32",
    )?;
    let rows = stmt.query_map(
        params![
            key,
            r.cameo.root,
            (date - w).to_string(),
            (date + w).to_string(),
            doc_row,
            date.to_string()
        ],
        |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut compatible = None;
    for row in rows {
        let (id, doc, json) = row?;
        let stored: EventRecord = serde_json::from_str(&json)?;
        if !across::same_event(&stored, r) {
            continue;
        }
        // The nearest report with the very same code beats a nearer compatible one.
        if stored.cameo.code == r.cameo.code {
            return Ok(Some((id, doc, stored)));
        }
        if compatible.is_none() {
            compatible = Some((id, doc, stored));
        }
    }
    Ok(compatible)
}

/// Appends `r` as a report of the stored event `id` and updates its counts.
pub(crate) fn add_report(
    tx: &Transaction,
    id: &str,
    mut stored: EventRecord,
    r: &EventRecord,
) -> Result<(), StoreError> {
    // The record update below re-indexes the event's text by trigger (delete, then insert);
    // events of this batch must be in the text index first, or the delete would remove what
    // was never indexed (corrupting the contentless index) and the batch's later indexing would
    // skip the events stored before this one.
    crate::query::index_text(tx)?;
    stored.reports.push(Report::of(r));
    // Another outlet's corroboration raises confidence as a repeated mention does.
    stored.confidence =
        ((stored.confidence.max(r.confidence) + 0.1).min(0.95) * 100.0).round() / 100.0;
    // The counts are the record's (`num_mentions`, `num_sources`, `num_articles`).
    tx.prepare_cached("UPDATE events SET record = ?2 WHERE id = ?1")?
        .execute(params![id, serde_json::to_string(&stored)?])?;
    tx.prepare_cached("INSERT OR IGNORE INTO event_aliases (id, event) VALUES (?1, ?2)")?
        .execute(params![r.id, id])?;
    Ok(())
}

/// Puts `doc` (stored as `doc_row`) in a story: the story of the most similar document of the
/// last [`stories::STORY_WINDOW_DAYS`] days, with a bonus for documents it shares an event with
/// (`shared_event_docs`), else a new story titled by the document.
pub(crate) fn assign_story(
    tx: &Transaction,
    doc_row: i64,
    doc: &Document,
    shared_event_docs: &[i64],
) -> Result<i64, StoreError> {
    let terms = stories::story_terms(doc);
    {
        let mut add = tx.prepare_cached(
            "INSERT OR IGNORE INTO doc_terms (term, date, document) VALUES (?1, ?2, ?3)",
        )?;
        // Undated documents have '' as date: counted in term frequencies, never candidates.
        let date = doc.date.map(|d| d.to_string()).unwrap_or_default();
        for t in &terms {
            add.execute(params![t, date, doc_row])?;
        }
    }
    let mut best: Option<(f64, i64)> = None;
    if let (Some(date), false) = (doc.date, terms.is_empty()) {
        let w = Duration::days(stories::STORY_WINDOW_DAYS);
        let marks = (0..terms.len())
            .map(|i| format!("?{}", i + 4))
            .collect::<Vec<_>>()
            .join(",");
        // Each term is a range of the (term, date) key; only documents sharing enough terms are
        // candidates, the most overlapping first.
        let sql = format!(
            "SELECT d.id, d.story FROM doc_terms t JOIN documents d ON d.id = t.document
             WHERE t.term IN ({marks}) AND t.date BETWEEN ?2 AND ?3 AND t.document <> ?1
               AND d.story IS NOT NULL AND d.duplicate_of IS NULL
             GROUP BY d.id HAVING COUNT(*) >= {}
             ORDER BY COUNT(*) DESC, d.id LIMIT 100",
            stories::MIN_SHARED
        );
        let mut args: Vec<rusqlite::types::Value> = vec![
            doc_row.into(),
            (date - w).to_string().into(),
            (date + w).to_string().into(),
        ];
        args.extend(terms.iter().map(|t| t.clone().into()));
        let candidates: Vec<(i64, i64)> = tx
            .prepare(&sql)?
            .query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut their_terms =
            tx.prepare_cached("SELECT term FROM doc_terms WHERE document = ?1")?;
        // Document frequencies are counted up to a cap: beyond it a term is common anyway.
        let mut df = tx.prepare_cached(
            "SELECT COUNT(*) FROM (SELECT 1 FROM doc_terms WHERE term = ?1 LIMIT 10000)",
        )?;
        // The largest row id stands for the number of documents: exact enough, and O(1).
        let n: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) FROM documents", [], |r| {
            r.get(0)
        })?;
        let mut weights: std::collections::HashMap<String, f64> = Default::default();
        for (other, story) in candidates {
            let theirs: Vec<String> = their_terms
                .query_map([other], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for t in terms.iter().chain(&theirs) {
                if !weights.contains_key(t) {
                    let d: i64 = df.query_row([t], |r| r.get(0))?;
                    weights.insert(t.clone(), stories::idf(d as usize, n as usize));
                }
            }
            let mut score =
                stories::overlap(&terms, &theirs, |t| weights.get(t).copied().unwrap_or(1.0));
            if shared_event_docs.contains(&other) {
                score += 0.5;
            }
            if score >= stories::JOIN_OVERLAP && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, story));
            }
        }
    }
    let date = doc.date.map(|d| d.to_string());
    let story = match best {
        Some((_, story)) => {
            tx.execute(
                "UPDATE stories SET documents = documents + 1,
                   first_date = CASE WHEN first_date IS NULL OR ?2 < first_date THEN ?2 ELSE first_date END,
                   last_date = CASE WHEN last_date IS NULL OR ?2 > last_date THEN ?2 ELSE last_date END
                 WHERE id = ?1",
                params![story, date],
            )?;
            story
        }
        None => {
            let title = doc.title.clone().or_else(|| {
                doc.sentences
                    .first()
                    .map(|s| s.span.text(&doc.text).chars().take(120).collect())
            });
            tx.execute(
                "INSERT INTO stories (title, first_date, last_date, documents) VALUES (?1, ?2, ?2, 1)",
                params![title, date],
            )?;
            tx.last_insert_rowid()
        }
    };
    tx.execute(
        "UPDATE documents SET story = ?2 WHERE id = ?1",
        params![doc_row, story],
    )?;
    Ok(story)
}

/// The event an id names: itself, or the event its report was merged into.
pub(crate) fn resolve_alias(
    conn: &rusqlite::Connection,
    id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT event FROM event_aliases WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}
