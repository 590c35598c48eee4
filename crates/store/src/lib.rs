//! The store stage: coded documents and events in an embedded SQLite database.
//!
//! One file, WAL journal, every batch in one transaction, so an interrupted run never leaves half a
//! document. A document is identified by the SHA-256 of its raw text: ingesting it again is a
//! no-op, so re-running ingest never duplicates events. Events keep their full JSON record plus
//! indexed columns and an actor table for queries.

pub mod aggregate;
mod merge;
mod query;
mod quotes;
mod stories;

use std::path::Path;

use chrono::NaiveDate;
use dyad_doc::Document;
use dyad_export::EventRecord;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

pub use query::{ActorCount, ActorFilter, DyadFilter, EventFilter, EventMention, InterruptHandle};
pub use quotes::QuoteQuery;
pub use stories::{Story, StoryDocument, StoryQuery};

/// A store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A stored record could not be decoded.
    #[error("stored record is not valid: {0}")]
    Record(#[from] serde_json::Error),
    /// The database was written by a newer dyad.
    #[error("database schema version {0} is newer than this dyad understands ({SCHEMA_VERSION})")]
    Version(i64),
}

/// Schema version stored in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,
    doc_id        TEXT NOT NULL,
    source        TEXT NOT NULL,
    title         TEXT,
    url           TEXT,
    publication   TEXT,
    date          TEXT,
    date_source   TEXT,
    text          TEXT NOT NULL,
    tokens        INTEGER NOT NULL,
    duplicate_of  INTEGER REFERENCES documents(id),
    story         INTEGER,
    minhash       BLOB,
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS events (
    id          TEXT PRIMARY KEY,
    document    INTEGER NOT NULL REFERENCES documents(id),
    date        TEXT,
    cameo       TEXT NOT NULL,
    root        TEXT NOT NULL,
    quad_class  INTEGER NOT NULL,
    goldstein   REAL NOT NULL,
    event       TEXT NOT NULL,
    record      TEXT NOT NULL,
    dyad        TEXT
);
CREATE TABLE IF NOT EXISTS event_actors (
    event        TEXT NOT NULL REFERENCES events(id),
    role         TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    code         TEXT NOT NULL,
    sector       TEXT NOT NULL,
    entity_text  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    name_key    TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    code        TEXT NOT NULL,
    sector      TEXT NOT NULL,
    first_seen  TEXT,
    last_seen   TEXT,
    doc_id      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_url ON documents(url);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_date_document ON events(date, document);
CREATE INDEX IF NOT EXISTS events_root ON events(root);
CREATE INDEX IF NOT EXISTS event_actors_code ON event_actors(code, role);
CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors(event);
";

/// What one batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchStats {
    /// Documents stored.
    pub documents: usize,
    /// Documents skipped because their content was stored before.
    pub skipped: usize,
    /// Events stored.
    pub events: usize,
    /// Quotes stored.
    pub quotes: usize,
    /// New documents found to be near-copies of stored ones (stored, linked, not coded again).
    pub duplicates: usize,
    /// Events merged into the same event reported by another stored document.
    pub merged: usize,
}

impl std::ops::AddAssign for BatchStats {
    fn add_assign(&mut self, o: BatchStats) {
        self.documents += o.documents;
        self.skipped += o.skipped;
        self.events += o.events;
        self.quotes += o.quotes;
        self.duplicates += o.duplicates;
        self.merged += o.merged;
    }
}

/// Filters for [`Store::events`].
#[derive(Debug, Default, Clone)]
pub struct EventQuery {
    /// Some source actor has this code.
    pub actor: Option<String>,
    /// Some target actor has this code.
    pub recipient: Option<String>,
    /// CAMEO root code (2 digits).
    pub root: Option<String>,
    /// Events on or after this date.
    pub since: Option<NaiveDate>,
    /// Events on or before this date.
    pub until: Option<NaiveDate>,
    /// At most this many events.
    pub limit: Option<usize>,
    /// Skip this many matching events first (pagination).
    pub offset: Option<usize>,
}

/// Counts and net Goldstein of one directed dyad.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadSummary {
    /// Source code.
    pub actor: String,
    /// Target code.
    pub recipient: String,
    /// Number of events.
    pub events: usize,
    /// Sum of Goldstein values.
    pub net_goldstein: f64,
}

/// The event store.
pub struct Store {
    conn: Connection,
    merge_across_documents: bool,
}

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Reads in date order jump around the file; through a memory map they cost no system
        // call each (`dyad export` of a million events: 5.0 s → 3.7 s for the query alone).
        conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
        Self::init(conn)
    }

    /// An in-memory store (tests, the demo's dry runs).
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Version(version));
        }
        if version == 1 {
            merge::migrate_v1(&mut conn)?;
        }
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(quotes::SCHEMA)?;
        conn.execute_batch(merge::SCHEMA)?;
        query::init(&mut conn)?;
        aggregate::init(&mut conn)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Store {
            conn,
            merge_across_documents: true,
        })
    }

    /// Stops detecting reprints, merging events across documents and grouping stories in later
    /// batches: for generated benchmark stores, whose synthetic documents are independent by
    /// construction and would otherwise merge by chance.
    pub fn without_merging(mut self) -> Self {
        self.merge_across_documents = false;
        self
    }

    /// True when a document with this content hash is stored.
    pub fn has_document(&self, content_hash: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM documents WHERE content_hash = ?1",
                [content_hash],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// True when a document fetched from this URL is stored (`dyad watch` fetches each article
    /// link once).
    pub fn has_url(&self, url: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM documents WHERE url = ?1", [url], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Stores coded documents with their events and quotes in one transaction; documents already stored
    /// (same content hash) are skipped with their events.
    ///
    /// Across documents: a near-copy of a stored document (a reprint) is stored linked to its
    /// original without its events and quotes; an event another stored document reported already
    /// becomes a report of that event instead of a second event; each document joins a story.
    pub fn insert_batch(
        &mut self,
        batch: &[(Document, Vec<EventRecord>)],
    ) -> Result<BatchStats, StoreError> {
        let tx = self.conn.transaction()?;
        let mut stats = BatchStats::default();
        {
            let mut doc_stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO documents (content_hash, doc_id, source, title, url, publication, date, date_source, text, tokens)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut ev_stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (id, document, date, cameo, root, quad_class, goldstein, event, record, dyad)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut actor_stmt = tx.prepare_cached(
                "INSERT INTO event_actors (event, role, code, sector, entity_text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (doc, records) in batch {
                let source = match doc.source.line {
                    Some(l) => format!("{}:{l}", doc.source.path),
                    None => doc.source.path.clone(),
                };
                let date_source = doc
                    .date_source
                    .and_then(|d| serde_json::to_value(d).ok())
                    .and_then(|v| v.as_str().map(str::to_string));
                let inserted = doc_stmt.execute(params![
                    doc.content_hash(),
                    doc.id,
                    source,
                    doc.title,
                    doc.url,
                    doc.publication,
                    doc.date.map(|d| d.to_string()),
                    date_source,
                    doc.text,
                    doc.token_count() as i64,
                ])?;
                if inserted == 0 {
                    stats.skipped += 1;
                    continue;
                }
                stats.documents += 1;
                let doc_row = tx.last_insert_rowid();
                let merging = self.merge_across_documents;
                if let Some(sig) = merging
                    .then(|| dyad_dedup::minhash::Signature::of(&doc.text))
                    .flatten()
                {
                    if let Some(original) = merge::original_of(&tx, doc_row, &sig)? {
                        merge::mark_duplicate(&tx, doc_row, original)?;
                        stats.duplicates += 1;
                        continue;
                    }
                }
                stats.quotes += quotes::insert(&tx, doc_row, doc)?;
                let mut shared_event_docs = Vec::new();
                for r in records {
                    if merging {
                        if let Some((id, other_doc, stored)) =
                            merge::stored_same_event(&tx, r, doc_row)?
                        {
                            merge::add_report(&tx, &id, stored, r)?;
                            shared_event_docs.push(other_doc);
                            stats.merged += 1;
                            continue;
                        }
                    }
                    let json = serde_json::to_string(r)?;
                    let n = ev_stmt.execute(params![
                        r.id,
                        doc_row,
                        r.date,
                        r.cameo.code,
                        r.cameo.root,
                        r.cameo.quad_class,
                        r.cameo.goldstein,
                        r.event,
                        json,
                        dyad_dedup::across::dyad_key(r)
                    ])?;
                    if n == 0 {
                        continue;
                    }
                    stats.events += 1;
                    for (role, actors) in [("actor", &r.actor), ("recipient", &r.recipient)] {
                        for a in actors {
                            actor_stmt.execute(params![
                                r.id,
                                role,
                                a.code,
                                a.sector,
                                a.entity_text
                            ])?;
                        }
                    }
                }
                if merging {
                    merge::assign_story(&tx, doc_row, doc, &shared_event_docs)?;
                }
            }
        }
        query::index_text(&tx)?;
        tx.commit()?;
        Ok(stats)
    }

    /// Keeps people learned from titled mentions (first code wins; the dates seen widen), so
    /// later runs resolve their untitled full names.
    pub fn upsert_people(&mut self, people: &[dyad_doc::LearnedPerson]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO people (name_key, name, code, sector, first_seen, last_seen, doc_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(name_key) DO UPDATE SET
                   first_seen = CASE WHEN first_seen IS NULL THEN excluded.first_seen
                                     WHEN excluded.first_seen IS NULL THEN first_seen
                                     ELSE min(first_seen, excluded.first_seen) END,
                   last_seen  = CASE WHEN last_seen IS NULL THEN excluded.last_seen
                                     WHEN excluded.last_seen IS NULL THEN last_seen
                                     ELSE max(last_seen, excluded.last_seen) END",
            )?;
            for p in people {
                stmt.execute(params![
                    p.name.to_lowercase(),
                    p.name,
                    p.code,
                    p.sector,
                    p.first_seen.map(|d| d.to_string()),
                    p.last_seen.map(|d| d.to_string()),
                    p.doc_id
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every person learned so far, by name.
    pub fn people(&self) -> Result<Vec<dyad_doc::LearnedPerson>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT name, code, sector, first_seen, last_seen, doc_id FROM people ORDER BY name_key",
        )?;
        let date = |s: Option<String>| {
            s.and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        };
        let rows = stmt.query_map([], |r| {
            Ok(dyad_doc::LearnedPerson {
                name: r.get(0)?,
                code: r.get(1)?,
                sector: r.get(2)?,
                first_seen: date(r.get(3)?),
                last_seen: date(r.get(4)?),
                doc_id: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Events matching `q`, ordered by date (undated first), document and insertion.
    pub fn events(&self, q: &EventQuery) -> Result<Vec<EventRecord>, StoreError> {
        let mut out = Vec::new();
        self.each_event(q, |r| {
            out.push(r);
            Ok::<_, StoreError>(())
        })?;
        Ok(out)
    }

    /// Calls `f` on each event matching `q`, in the order of [`Store::events`], without
    /// holding them all in memory (`dyad export`). Stops at the first error of `f`.
    pub fn each_event<E: From<StoreError>>(
        &self,
        q: &EventQuery,
        mut f: impl FnMut(EventRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let (sql, args) = event_sql(q);
        let sql_err = |e: rusqlite::Error| E::from(StoreError::from(e));
        let mut stmt = self.conn.prepare(&sql).map_err(sql_err)?;
        let mut rows = stmt.query(params_from_iter(args.iter())).map_err(sql_err)?;
        // Records are decoded from JSON on a second thread while this one reads the next ones
        // and hands decoded ones to `f` (which stays on this thread), in order.
        const CHUNK: usize = 2048;
        type Decoded = Result<Vec<EventRecord>, serde_json::Error>;
        std::thread::scope(|scope| -> Result<(), E> {
            let (raw_tx, raw_rx) = std::sync::mpsc::channel::<Vec<String>>();
            let (rec_tx, rec_rx) = std::sync::mpsc::channel::<Decoded>();
            scope.spawn(move || {
                for chunk in raw_rx {
                    let decoded = chunk.iter().map(|s| serde_json::from_str(s)).collect();
                    if rec_tx.send(decoded).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0usize;
            let take = |rx: &std::sync::mpsc::Receiver<Decoded>,
                        f: &mut dyn FnMut(EventRecord) -> Result<(), E>|
             -> Result<(), E> {
                // The decoder ends only when `raw_tx` is dropped, after every chunk was sent.
                let Ok(decoded) = rx.recv() else {
                    return Ok(());
                };
                for r in decoded.map_err(|e| E::from(StoreError::from(e)))? {
                    f(r)?;
                }
                Ok(())
            };
            let mut done = false;
            while !done {
                let mut chunk = Vec::with_capacity(CHUNK);
                while chunk.len() < CHUNK {
                    match rows.next().map_err(sql_err)? {
                        Some(row) => chunk.push(row.get::<_, String>(0).map_err(sql_err)?),
                        None => {
                            done = true;
                            break;
                        }
                    }
                }
                if chunk.is_empty() || raw_tx.send(chunk).is_err() {
                    break;
                }
                in_flight += 1;
                while in_flight > 2 {
                    take(&rec_rx, &mut f)?;
                    in_flight -= 1;
                }
            }
            drop(raw_tx);
            for _ in 0..in_flight {
                take(&rec_rx, &mut f)?;
            }
            Ok(())
        })
    }

    /// Calls `f` on the stored JSON text of each event matching `q`, in the order of
    /// [`Store::events`], without decoding it (`dyad export --format plover` copies it as is).
    pub fn each_event_json<E: From<StoreError>>(
        &self,
        q: &EventQuery,
        mut f: impl FnMut(&str) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql_err = |e: rusqlite::Error| E::from(StoreError::from(e));
        let (sql, args) = event_sql(q);
        let mut stmt = self.conn.prepare(&sql).map_err(sql_err)?;
        let mut rows = stmt.query(params_from_iter(args.iter())).map_err(sql_err)?;
        while let Some(row) = rows.next().map_err(sql_err)? {
            let text = row
                .get_ref(0)
                .and_then(|v| v.as_str().map_err(rusqlite::Error::from))
                .map_err(sql_err)?;
            f(text)?;
        }
        Ok(())
    }

    /// Number of stored documents and events.
    pub fn counts(&self) -> Result<(usize, usize), StoreError> {
        let docs: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        let events: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?;
        Ok((docs as usize, events as usize))
    }

    /// The `n` directed dyads with the most events, with their net Goldstein.
    pub fn top_dyads(&self, n: usize) -> Result<Vec<DyadSummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.code, r.code, COUNT(DISTINCT e.id), SUM(e.goldstein)
             FROM events e
             JOIN (SELECT DISTINCT event, code FROM event_actors WHERE role = 'actor') a ON a.event = e.id
             JOIN (SELECT DISTINCT event, code FROM event_actors WHERE role = 'recipient') r ON r.event = e.id
             WHERE a.code <> r.code
             GROUP BY a.code, r.code
             ORDER BY COUNT(DISTINCT e.id) DESC, a.code, r.code
             LIMIT ?1",
        )?;
        let rows = stmt.query_map([n as i64], |r| {
            Ok(DyadSummary {
                actor: r.get(0)?,
                recipient: r.get(1)?,
                events: r.get::<_, i64>(2)? as usize,
                net_goldstein: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The query of the records matching `q`, in the order of [`Store::events`], with its arguments.
fn event_sql(q: &EventQuery) -> (String, Vec<String>) {
    let mut sql = String::from("SELECT record FROM events e WHERE 1=1");
    let mut args: Vec<String> = Vec::new();
    if let Some(a) = &q.actor {
        args.push(a.clone());
        sql += &format!(" AND EXISTS (SELECT 1 FROM event_actors x WHERE x.event = e.id AND x.role = 'actor' AND x.code = ?{})", args.len());
    }
    if let Some(r) = &q.recipient {
        args.push(r.clone());
        sql += &format!(" AND EXISTS (SELECT 1 FROM event_actors x WHERE x.event = e.id AND x.role = 'recipient' AND x.code = ?{})", args.len());
    }
    if let Some(root) = &q.root {
        args.push(root.clone());
        sql += &format!(" AND e.root = ?{}", args.len());
    }
    if let Some(d) = q.since {
        args.push(d.to_string());
        sql += &format!(" AND e.date >= ?{}", args.len());
    }
    if let Some(d) = q.until {
        args.push(d.to_string());
        sql += &format!(" AND e.date <= ?{}", args.len());
    }
    // Undated events sort first (SQLite's NULL order), so the (date, document) index gives the
    // order without sorting the records: sorting a million of them cost seconds in `dyad export`.
    sql += " ORDER BY e.date, e.document, e.rowid";
    if q.limit.is_some() || q.offset.is_some() {
        // SQLite needs a LIMIT before an OFFSET; -1 means no limit.
        let n = q.limit.map_or(-1, |n| n as i64);
        sql += &format!(" LIMIT {n} OFFSET {}", q.offset.unwrap_or(0));
    }
    (sql, args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use dyad_doc::LearnedPerson;

    fn person(code: &str, date: &str) -> LearnedPerson {
        LearnedPerson {
            name: "Marta Quiroga".into(),
            code: code.into(),
            sector: "GOV".into(),
            first_seen: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            last_seen: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            doc_id: format!("doc-{date}"),
        }
    }

    #[test]
    fn stored_documents_are_found_by_url() {
        let mut store = Store::in_memory().unwrap();
        let mut doc = Document::new("a", dyad_doc::Source::default(), "Text.");
        doc.text = "Text.".into();
        doc.url = Some("https://news.example/a".into());
        store.insert_batch(&[(doc, Vec::new())]).unwrap();
        assert!(store.has_url("https://news.example/a").unwrap());
        assert!(!store.has_url("https://news.example/b").unwrap());
    }

    #[test]
    fn learned_people_keep_their_first_code_and_widen_their_dates() {
        let mut store = Store::in_memory().unwrap();
        store.upsert_people(&[person("VEN", "2026-03-03")]).unwrap();
        store
            .upsert_people(&[person("CUB", "2026-01-10"), person("VEN", "2026-05-01")])
            .unwrap();
        let people = store.people().unwrap();
        assert_eq!(people.len(), 1);
        let p = &people[0];
        assert_eq!(
            (p.code.as_str(), p.doc_id.as_str()),
            ("VEN", "doc-2026-03-03")
        );
        assert_eq!(
            p.first_seen.map(|d| d.to_string()).as_deref(),
            Some("2026-01-10")
        );
        assert_eq!(
            p.last_seen.map(|d| d.to_string()).as_deref(),
            Some("2026-05-01")
        );
    }
}
