//! Read queries for the API (`dyad serve`): filtered, paginated events, one event with its
//! mentions, actor counts and dyad summaries, with the indexes that keep them fast at millions of
//! events.
//!
//! Every list is ordered by date (newest first, undated last) then event id. Filters on actors
//! read two key tables kept by triggers, `actor_keys (code, role, date, id)` and
//! `dyad_keys (actor, recipient, date, id, goldstein)`, whose primary keys are in that order: a
//! page of one actor's or one dyad's events is a range of one index, however rare or common the
//! actor. Triggers keep them in step with `events` and `event_actors`, so every write path of
//! the store keeps them right; new events reach the `events_fts` text index at the end of each
//! batch ([`index_text`]), its deletes and updates by trigger. Note:
//! `INSERT OR REPLACE` into `events` would bypass the delete triggers (SQLite runs them for
//! REPLACE only with `recursive_triggers`); use `ON CONFLICT ... DO UPDATE` instead.

use std::path::Path;

use chrono::NaiveDate;
use dyad_export::EventRecord;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OpenFlags, OptionalExtension};

use crate::{Store, StoreError, SCHEMA_VERSION};

pub use rusqlite::InterruptHandle;

/// Indexes, key tables, the text index and the triggers that keep them (run on every
/// read-write open; `CREATE ... IF NOT EXISTS`).
pub(crate) const SCHEMA: &str = "
CREATE INDEX IF NOT EXISTS events_order ON events(date DESC, id, cameo, quad_class);
CREATE INDEX IF NOT EXISTS events_cameo_order ON events(cameo, date DESC, id);
CREATE TABLE IF NOT EXISTS actor_keys (
    code  TEXT NOT NULL,
    role  TEXT NOT NULL,
    date  TEXT NOT NULL,
    id    TEXT NOT NULL,
    PRIMARY KEY (code, role, date DESC, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dyad_keys (
    actor      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    date       TEXT NOT NULL,
    id         TEXT NOT NULL,
    goldstein  REAL NOT NULL,
    PRIMARY KEY (actor, recipient, date DESC, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actor_days (
    day           TEXT NOT NULL,
    code          TEXT NOT NULL,
    events        INTEGER NOT NULL,
    as_actor      INTEGER NOT NULL,
    as_recipient  INTEGER NOT NULL,
    PRIMARY KEY (day, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dyad_days (
    day        TEXT NOT NULL,
    actor      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    events     INTEGER NOT NULL,
    goldstein  REAL NOT NULL,
    PRIMARY KEY (day, actor, recipient)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actor_names (
    entity_text  TEXT NOT NULL,
    code         TEXT NOT NULL,
    PRIMARY KEY (entity_text, code)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS event_actors_keys_insert AFTER INSERT ON event_actors BEGIN
    INSERT OR IGNORE INTO actor_keys (code, role, date, id)
        SELECT new.code, new.role, coalesce(e.date, ''), e.id FROM events e WHERE e.id = new.event;
    INSERT OR IGNORE INTO dyad_keys (actor, recipient, date, id, goldstein)
        SELECT CASE new.role WHEN 'actor' THEN new.code ELSE o.code END,
               CASE new.role WHEN 'actor' THEN o.code ELSE new.code END,
               coalesce(e.date, ''), e.id, e.goldstein
        FROM events e JOIN event_actors o ON o.event = e.id AND o.role <> new.role
        WHERE e.id = new.event;
    INSERT OR IGNORE INTO actor_names (entity_text, code) VALUES (new.entity_text, new.code);
END;
CREATE TRIGGER IF NOT EXISTS event_actors_keys_delete AFTER DELETE ON event_actors
WHEN NOT EXISTS (SELECT 1 FROM event_actors x
                 WHERE x.event = old.event AND x.role = old.role AND x.code = old.code) BEGIN
    DELETE FROM actor_keys WHERE code = old.code AND role = old.role AND id = old.event
        AND date = (SELECT coalesce(date, '') FROM events WHERE id = old.event);
    DELETE FROM dyad_keys
        WHERE actor IN (SELECT code FROM event_actors WHERE event = old.event AND role = 'actor'
                        UNION ALL SELECT old.code WHERE old.role = 'actor')
        AND recipient IN (SELECT code FROM event_actors WHERE event = old.event AND role = 'recipient'
                          UNION ALL SELECT old.code WHERE old.role = 'recipient')
        AND date = (SELECT coalesce(date, '') FROM events WHERE id = old.event) AND id = old.event
        AND CASE old.role WHEN 'actor' THEN actor ELSE recipient END = old.code;
END;
CREATE TRIGGER IF NOT EXISTS events_keys_update AFTER UPDATE OF date, goldstein ON events BEGIN
    DELETE FROM actor_keys WHERE code IN (SELECT code FROM event_actors WHERE event = old.id)
        AND role IN ('actor', 'recipient') AND date = coalesce(old.date, '') AND id = old.id;
    DELETE FROM dyad_keys
        WHERE actor IN (SELECT code FROM event_actors WHERE event = old.id AND role = 'actor')
        AND recipient IN (SELECT code FROM event_actors WHERE event = old.id AND role = 'recipient')
        AND date = coalesce(old.date, '') AND id = old.id;
    INSERT OR IGNORE INTO actor_keys (code, role, date, id)
        SELECT code, role, coalesce(new.date, ''), new.id FROM event_actors WHERE event = new.id;
    INSERT OR IGNORE INTO dyad_keys (actor, recipient, date, id, goldstein)
        SELECT a.code, r.code, coalesce(new.date, ''), new.id, new.goldstein
        FROM event_actors a JOIN event_actors r ON r.event = a.event AND r.role = 'recipient'
        WHERE a.event = new.id AND a.role = 'actor';
END;
CREATE TRIGGER IF NOT EXISTS actor_keys_days_insert AFTER INSERT ON actor_keys BEGIN
    INSERT INTO actor_days (day, code, events, as_actor, as_recipient)
        VALUES (new.date, new.code,
                NOT EXISTS (SELECT 1 FROM actor_keys WHERE code = new.code
                            AND role = CASE new.role WHEN 'actor' THEN 'recipient' ELSE 'actor' END
                            AND date = new.date AND id = new.id),
                new.role = 'actor', new.role = 'recipient')
        ON CONFLICT (day, code) DO UPDATE SET events = events + excluded.events,
            as_actor = as_actor + excluded.as_actor,
            as_recipient = as_recipient + excluded.as_recipient;
END;
CREATE TRIGGER IF NOT EXISTS actor_keys_days_delete AFTER DELETE ON actor_keys BEGIN
    UPDATE actor_days SET
        events = events - NOT EXISTS (SELECT 1 FROM actor_keys WHERE code = old.code
                    AND role = CASE old.role WHEN 'actor' THEN 'recipient' ELSE 'actor' END
                    AND date = old.date AND id = old.id),
        as_actor = as_actor - (old.role = 'actor'),
        as_recipient = as_recipient - (old.role = 'recipient')
        WHERE day = old.date AND code = old.code;
END;
CREATE TRIGGER IF NOT EXISTS dyad_keys_days_insert AFTER INSERT ON dyad_keys BEGIN
    INSERT INTO dyad_days (day, actor, recipient, events, goldstein)
        VALUES (new.date, new.actor, new.recipient, 1, new.goldstein)
        ON CONFLICT (day, actor, recipient) DO UPDATE SET events = events + 1,
            goldstein = goldstein + excluded.goldstein;
END;
CREATE TRIGGER IF NOT EXISTS dyad_keys_days_delete AFTER DELETE ON dyad_keys BEGIN
    UPDATE dyad_days SET events = events - 1, goldstein = goldstein - old.goldstein
        WHERE day = old.date AND actor = old.actor AND recipient = old.recipient;
END;
";

/// The text index's `actors` terms of the event record in column `$r`: `actorCHN` for each
/// source actor's code, `recipientCUB` for each target's, so that a text search narrowed to an
/// actor is one index query. Read from the record alone, so a delete can repeat the exact
/// terms the insert indexed (a contentless index must be told them).
macro_rules! actor_terms {
    ($r:literal) => {
        concat!(
            "(SELECT group_concat(t, ' ') FROM (
                SELECT 'actor' || json_extract(value, '$.code') AS t FROM json_each(",
            $r,
            ", '$.actor')
                UNION ALL
                SELECT 'recipient' || json_extract(value, '$.code') FROM json_each(",
            $r,
            ", '$.recipient')))"
        )
    };
}

/// The text index (contentless FTS5 over the evidence sentence, the event text and the actor
/// terms) and the triggers that keep it in step with record updates and deletes.
const TEXT_SCHEMA: &str = concat!(
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(sentence, event_text, actors, content='');
CREATE TRIGGER IF NOT EXISTS events_fts_update AFTER UPDATE OF record ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, sentence, event_text, actors)
        VALUES ('delete', old.rowid,
                json_extract(old.record, '$.sentence'), json_extract(old.record, '$.event_text'),
                ", actor_terms!("old.record"), ");
    INSERT INTO events_fts (rowid, sentence, event_text, actors)
        VALUES (new.rowid,
                json_extract(new.record, '$.sentence'), json_extract(new.record, '$.event_text'),
                ", actor_terms!("new.record"), ");
END;
CREATE TRIGGER IF NOT EXISTS events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, sentence, event_text, actors)
        VALUES ('delete', old.rowid,
                json_extract(old.record, '$.sentence'), json_extract(old.record, '$.event_text'),
                ", actor_terms!("old.record"), ");
END;
"
);

/// Fills the key tables (and through their triggers the daily counts) and the actor names from
/// the events stored before they existed (a store written by an older dyad).
const BACKFILL: &str = "
INSERT OR IGNORE INTO actor_keys (code, role, date, id)
    SELECT x.code, x.role, coalesce(e.date, ''), e.id
    FROM event_actors x JOIN events e ON e.id = x.event
    ORDER BY x.code, x.role, coalesce(e.date, '') DESC, e.id;
INSERT OR IGNORE INTO dyad_keys (actor, recipient, date, id, goldstein)
    SELECT a.code, r.code, coalesce(e.date, ''), e.id, e.goldstein
    FROM events e
    JOIN event_actors a ON a.event = e.id AND a.role = 'actor'
    JOIN event_actors r ON r.event = e.id AND r.role = 'recipient'
    ORDER BY a.code, r.code, coalesce(e.date, '') DESC, e.id;
INSERT OR IGNORE INTO actor_names (entity_text, code) SELECT entity_text, code FROM event_actors;
";

/// Creates the query indexes (in one transaction, filling them from stored events when they
/// are new). Called by [`Store::open`].
pub(crate) fn init(conn: &mut Connection) -> Result<(), StoreError> {
    // Each event touches several indexes in key order, not insertion order; a 64 MB page
    // cache (the default is 2 MB) keeps their hot pages in memory during big batches.
    conn.pragma_update(None, "cache_size", -65536)?;
    let existed: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE name = 'actor_keys'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    // A text index of an older dyad lacks the actor terms: it is rebuilt from the records.
    let old_text_index = conn
        .prepare(
            "SELECT 1 FROM sqlite_master WHERE name = 'events_fts' AND sql NOT LIKE '%actors%'",
        )?
        .exists([])?;
    let tx = conn.transaction()?;
    if old_text_index {
        tx.execute_batch(
            "DROP TRIGGER IF EXISTS events_fts_update; DROP TRIGGER IF EXISTS events_fts_delete;
             DROP TABLE events_fts;",
        )?;
    }
    tx.execute_batch(SCHEMA)?;
    tx.execute_batch(TEXT_SCHEMA)?;
    if !existed {
        tx.execute_batch(BACKFILL)?;
    }
    index_text(&tx)?;
    tx.commit()?;
    // Planner statistics, refreshed where tables grew much since the last ones (cheap when
    // nothing changed): they tell a rare code's index range from a common one's.
    conn.execute_batch("PRAGMA analysis_limit = 4000; PRAGMA optimize = 0x10002;")?;
    Ok(())
}

/// Adds the events stored since the last call to the text index, in one statement; called by
/// [`Store::insert_batch`] before it commits, and at open (which fills the index of an older
/// store). Not a trigger: FTS5 writes its buffer to disk at every statement savepoint, so a
/// trigger per event would write one index segment per event and ingest would slow down as
/// the store grows. Deletes and record updates are kept in step by triggers.
pub(crate) fn index_text(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        concat!(
            "INSERT INTO events_fts (rowid, sentence, event_text, actors)
             SELECT rowid, json_extract(record, '$.sentence'), json_extract(record, '$.event_text'),
                    ",
            actor_terms!("record"),
            "
             FROM events
             WHERE rowid > coalesce((SELECT rowid FROM events_fts ORDER BY rowid DESC LIMIT 1), 0)
             ORDER BY rowid"
        ),
        [],
    )?;
    Ok(())
}

/// Filters of [`Store::event_page`]; all given filters must hold.
#[derive(Debug, Default, Clone)]
pub struct EventFilter {
    /// Some source actor has this code (country or organisation code, e.g. `CHN`; codes are
    /// stored at that level, the sector is a separate field).
    pub actor: Option<String>,
    /// Some target actor has this code.
    pub recipient: Option<String>,
    /// The CAMEO code starts with these digits (`04`, `042`, `0421`).
    pub code: Option<String>,
    /// CAMEO root code (2 digits).
    pub root: Option<String>,
    /// QuadClass, 1 to 4.
    pub quad: Option<u8>,
    /// Events on or after this date.
    pub since: Option<NaiveDate>,
    /// Events on or before this date.
    pub until: Option<NaiveDate>,
    /// Words that must all occur in the evidence sentence or the event text (matched with the
    /// text index; each word is quoted, so no search syntax reaches it).
    pub words: Vec<String>,
}

/// Filters of [`Store::actor_counts`].
#[derive(Debug, Default, Clone)]
pub struct ActorFilter {
    /// Codes starting with this (case-insensitive), or actors whose words contain it.
    pub q: Option<String>,
    /// Events on or after this date.
    pub since: Option<NaiveDate>,
    /// Events on or before this date.
    pub until: Option<NaiveDate>,
}

/// How often one actor code occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCount {
    /// The actor code.
    pub code: String,
    /// Events it takes part in (either role).
    pub events: usize,
    /// Events it is a source actor of.
    pub as_actor: usize,
    /// Events it is a target of.
    pub as_recipient: usize,
}

/// Filters of [`Store::dyads`].
#[derive(Debug, Default, Clone)]
pub struct DyadFilter {
    /// Only dyads whose source or target has this code.
    pub actor: Option<String>,
    /// Events on or after this date.
    pub since: Option<NaiveDate>,
    /// Events on or before this date.
    pub until: Option<NaiveDate>,
}

/// One mention of an event: where a document says it (as `/api/events/{id}` lists it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventMention {
    /// The document's id.
    pub doc_id: String,
    /// The document's publication.
    pub publication: Option<String>,
    /// The document's URL.
    pub url: Option<String>,
    /// The document's title.
    pub title: Option<String>,
    /// The document's date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Sentence index in the document.
    pub sentence_index: usize,
    /// Byte offset of the sentence in the document's clean text.
    pub start: usize,
    /// Byte offset where the sentence ends.
    pub end: usize,
    /// The sentence, cut from the stored text; `None` when the offsets do not fall on the text.
    pub text: Option<String>,
}

impl Store {
    /// Opens an existing database read-only (the API's reading connections). It does not
    /// create anything; open it read-write once first ([`Store::open`]) so the query indexes
    /// exist.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Version(version));
        }
        // A larger page cache per reader (64 MB): the hot index pages stay in memory.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
        Ok(Store {
            conn,
            // A read-only connection never stores anything.
            merge_across_documents: false,
        })
    }

    /// A handle that interrupts this connection's running query from another thread (the API's
    /// request time limit).
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// One page of the events matching `f`, newest first then by id: `limit` events after
    /// skipping `offset`.
    pub fn event_page(
        &self,
        f: &EventFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EventRecord>, StoreError> {
        if !f.words.is_empty() {
            return self.text_page(f, limit, offset);
        }
        let (sql, args) = page_sql(f, limit, offset, self.common_code(f)?);
        self.records(&sql, &args)
    }

    /// Whether `f` asks for a CAMEO code (or root) of at least [`COMMON_CODE`] events and no
    /// actor: its page is then found sooner by walking the events' date order than by sorting
    /// every event of the code (the code index's order is not the date's).
    fn common_code(&self, f: &EventFilter) -> Result<bool, StoreError> {
        if f.actor.is_some() || f.recipient.is_some() || (f.code.is_none() && f.root.is_none()) {
            return Ok(false);
        }
        // The code alone, counted in its covering index (a QuadClass would read event rows).
        let code_only = EventFilter {
            code: f.code.clone(),
            root: f.root.clone(),
            ..Default::default()
        };
        let mut args = Vec::new();
        let cond = code_conditions(&code_only, &mut args, false);
        args.push(Value::Integer(COMMON_CODE));
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM events e WHERE 1=1{cond} LIMIT ?{})",
            args.len()
        );
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(n >= COMMON_CODE)
    }

    /// The records a query of one `record` column returns, decoded, in its order.
    fn records(&self, sql: &str, args: &[Value]) -> Result<Vec<EventRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// A page of a text search. The actor and recipient filters are terms of the text index
    /// too, so the index alone tells how many events match the words and actors. Under
    /// [`RARE_WORD`] matches they are read whole, the other filters checked on each and the
    /// survivors sorted; otherwise the events matching the other filters are walked in page
    /// order and checked against the index ([`Store::common_word_page`]), which finds a page
    /// after a few hundred rows. (The index is keyed by insertion order: keying it by date
    /// would make SQLite's FTS5 flush its buffer on nearly every insert.)
    fn text_page(
        &self,
        f: &EventFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let q = fts_query(f);
        let hits: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH ?1 LIMIT ?2)",
            )?
            .query_row(rusqlite::params![q, RARE_WORD], |r| r.get(0))?;
        if hits >= RARE_WORD {
            return self.common_word_page(f, &q, limit, offset);
        }
        let mut args: Vec<Value> = vec![Value::Text(q)];
        let mut cond = code_conditions(f, &mut args, false);
        date_range(&mut cond, &mut args, "e.date", f.since, f.until);
        args.push(Value::Integer(limit as i64));
        let l = args.len();
        args.push(Value::Integer(offset as i64));
        let o = args.len();
        // The matches are sorted on (date, id) alone; only the page's records are read.
        let sql = format!(
            "SELECT e.record FROM (
                 SELECT e.rowid AS r, e.date AS date, e.id AS id
                 FROM (SELECT rowid AS r FROM events_fts WHERE events_fts MATCH ?1) m
                 CROSS JOIN events e ON e.rowid = m.r WHERE 1=1{cond}
                 ORDER BY e.date DESC, e.id LIMIT ?{l} OFFSET ?{o}) p
             CROSS JOIN events e ON e.rowid = p.r ORDER BY p.date DESC, p.id"
        );
        self.records(&sql, &args)
    }

    /// A page of a text search for a common word: the events matching the other filters are
    /// walked in page order, a chunk at a time, and each chunk is checked against the text
    /// index by rowid ranges (rowids of a chunk cluster, as news is stored roughly in date
    /// order), so a page costs a few index reads however many events the word is in.
    fn common_word_page(
        &self,
        f: &EventFilter,
        q: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EventRecord>, StoreError> {
        let need = limit + offset;
        let (sql, args) = candidates_sql(f, self.common_code(f)?);
        let mut walk = self.conn.prepare_cached(&sql)?;
        let mut rows = walk.query(params_from_iter(args.iter()))?;
        let mut fts = self.conn.prepare_cached(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH ?1 AND rowid >= ?2 AND rowid <= ?3",
        )?;
        let mut kept: Vec<i64> = Vec::new();
        let mut size = 256;
        let mut chunk: Vec<i64> = Vec::with_capacity(4096);
        while kept.len() < need {
            chunk.clear();
            let mut done = false;
            while chunk.len() < size {
                match rows.next()? {
                    Some(r) => chunk.push(r.get(0)?),
                    None => {
                        done = true;
                        break;
                    }
                }
            }
            let mut sorted = chunk.clone();
            sorted.sort_unstable();
            let mut hits = std::collections::HashSet::new();
            let mut i = 0;
            while i < sorted.len() {
                // One index read per cluster of nearby rowids.
                let lo = sorted[i];
                let mut hi = lo;
                while i + 1 < sorted.len() && sorted[i + 1] - hi <= 4096 {
                    i += 1;
                    hi = sorted[i];
                }
                i += 1;
                for r in fts.query_map(rusqlite::params![q, lo, hi], |r| r.get::<_, i64>(0))? {
                    hits.insert(r?);
                }
            }
            kept.extend(chunk.iter().filter(|r| hits.contains(r)));
            if done {
                break;
            }
            size = (size * 2).min(4096);
        }
        drop(rows);
        let mut record = self
            .conn
            .prepare_cached("SELECT record FROM events WHERE rowid = ?1")?;
        let mut out = Vec::new();
        for rowid in kept.iter().skip(offset).take(limit) {
            let json: String = record.query_row([rowid], |r| r.get(0))?;
            out.push(serde_json::from_str(&json)?);
        }
        Ok(out)
    }

    /// The event with this id, if stored.
    pub fn event(&self, id: &str) -> Result<Option<EventRecord>, StoreError> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT record FROM events WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(match json {
            Some(j) => Some(serde_json::from_str(&j)?),
            None => None,
        })
    }

    /// Every mention of the event `id`: each sentence that reports it, with the document it is
    /// in and the sentence text cut from the stored document text by its byte offsets: first
    /// the mentions in the event's own document, then those of each report merged into it from
    /// other documents, in the order they were stored. An unknown id gives an empty list.
    pub fn event_mentions(&self, id: &str) -> Result<Vec<EventMention>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT e.record, d.doc_id, d.publication, d.url, d.title, d.date, d.text
                 FROM events e JOIN documents d ON d.id = e.document WHERE e.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .optional()?;
        let Some((record, doc_id, publication, url, title, date, text)) = row else {
            return Ok(Vec::new());
        };
        let record: EventRecord = serde_json::from_str(&record)?;
        let mention =
            |doc_id: &str,
             cite: (&Option<String>, &Option<String>, &Option<String>),
             date: &Option<String>,
             text: &str,
             [sentence_index, start, end]: [usize; 3]| EventMention {
                doc_id: doc_id.to_string(),
                publication: cite.0.clone(),
                url: cite.1.clone(),
                title: cite.2.clone(),
                date: date.clone(),
                sentence_index,
                start,
                end,
                text: text.get(start..end).map(str::to_string),
            };
        let mut out: Vec<EventMention> = record
            .mentions
            .iter()
            .map(|&m| mention(&doc_id, (&publication, &url, &title), &date, &text, m))
            .collect();
        let mut doc = self.conn.prepare_cached(
            "SELECT date, text FROM documents WHERE doc_id = ?1 AND url IS ?2 ORDER BY id LIMIT 1",
        )?;
        for rep in &record.reports {
            let found: Option<(Option<String>, String)> = doc
                .query_row(rusqlite::params![rep.doc_id, rep.cite_info.url], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            // A report keeps its own evidence sentence, so it shows even without its document.
            let (doc_date, doc_text) = found.unwrap_or((None, String::new()));
            let c = &rep.cite_info;
            for &m in &rep.mentions {
                let mut em = mention(
                    &rep.doc_id,
                    (&c.publication, &c.url, &c.title),
                    &doc_date,
                    &doc_text,
                    m,
                );
                if em.text.is_none() && m[0] == rep.text_info.sentence_index {
                    em.text = Some(rep.sentence.clone());
                }
                out.push(em);
            }
        }
        Ok(out)
    }

    /// Actor codes with how many events they take part in, most events first then by code;
    /// `limit` codes after skipping `offset`. Read from the daily counts, so a range costs one
    /// row per code and day.
    pub fn actor_counts(
        &self,
        f: &ActorFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<ActorCount>, StoreError> {
        let mut args: Vec<Value> = Vec::new();
        let mut wh = String::from("1=1");
        date_range(&mut wh, &mut args, "k.day", f.since, f.until);
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let code = q.to_uppercase();
            args.push(Value::Text(code.clone()));
            let lo = args.len();
            args.push(Value::Text(next_prefix(&code)));
            let hi = args.len();
            args.push(Value::Text(format!("%{}%", like_escape(q))));
            let like = args.len();
            wh += &format!(
                " AND ((k.code >= ?{lo} AND k.code < ?{hi}) OR k.code IN \
                 (SELECT code FROM actor_names WHERE entity_text LIKE ?{like} ESCAPE '\\'))"
            );
        }
        args.push(Value::Integer(limit as i64));
        let l = args.len();
        args.push(Value::Integer(offset as i64));
        let o = args.len();
        let sql = format!(
            "SELECT k.code, SUM(k.events), SUM(k.as_actor), SUM(k.as_recipient)
             FROM actor_days k WHERE {wh} GROUP BY k.code HAVING SUM(k.events) > 0
             ORDER BY 2 DESC, k.code LIMIT ?{l} OFFSET ?{o}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok(ActorCount {
                code: r.get(0)?,
                events: r.get::<_, i64>(1)? as usize,
                as_actor: r.get::<_, i64>(2)? as usize,
                as_recipient: r.get::<_, i64>(3)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The `n` directed dyads (source code differs from target code) with the most events
    /// matching `f`, with their net Goldstein; most events first, then by codes. Read from the
    /// daily counts.
    pub fn dyads(&self, f: &DyadFilter, n: usize) -> Result<Vec<crate::DyadSummary>, StoreError> {
        let mut args: Vec<Value> = Vec::new();
        let mut wh = String::from("k.actor <> k.recipient");
        date_range(&mut wh, &mut args, "k.day", f.since, f.until);
        if let Some(a) = &f.actor {
            args.push(Value::Text(a.clone()));
            wh += &format!(" AND (k.actor = ?{0} OR k.recipient = ?{0})", args.len());
        }
        args.push(Value::Integer(n as i64));
        let sql = format!(
            "SELECT k.actor, k.recipient, SUM(k.events), SUM(k.goldstein) FROM dyad_days k
             WHERE {wh} GROUP BY k.actor, k.recipient HAVING SUM(k.events) > 0
             ORDER BY 3 DESC, k.actor, k.recipient LIMIT ?{}",
            args.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok(crate::DyadSummary {
                actor: r.get(0)?,
                recipient: r.get(1)?,
                events: r.get::<_, i64>(2)? as usize,
                net_goldstein: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The smallest string greater than every string starting with `prefix` (its last character
/// plus one), so `code >= prefix AND code < next` is an index range.
fn next_prefix(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(c) = chars.pop() {
        if let Some(n) = char::from_u32(c as u32 + 1) {
            chars.push(n);
            return chars.into_iter().collect();
        }
    }
    // Only for an empty prefix (or one of char::MAX): every string is below this one.
    char::MAX.to_string()
}

/// `s` with LIKE's wildcards escaped by a backslash.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Adds `col >= since` and `col <= until` to `wh`.
fn date_range(
    wh: &mut String,
    args: &mut Vec<Value>,
    col: &str,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) {
    if let Some(d) = since {
        args.push(Value::Text(d.to_string()));
        *wh += &format!(" AND {col} >= ?{}", args.len());
    }
    if let Some(d) = until {
        args.push(Value::Text(d.to_string()));
        // Undated events are stored with date '' in the key tables and NULL in events: both
        // fall below any date, so `until` alone must exclude them explicitly.
        *wh += &format!(" AND {col} <= ?{} AND {col} > ''", args.len());
    }
}

/// A text search with fewer matches than this reads them all and sorts them (measured at 1M
/// events: reading 10,000 matches costs about what a common word's walk does).
const RARE_WORD: i64 = 10_000;

/// A code of at least this many events is common enough (one event in 200 of a million) for a
/// walk in date order to find a page of it within a few thousand index rows.
const COMMON_CODE: i64 = 5_000;

/// `code`, `root` and `quad` of `f` as conditions on the event row `e`; `by_date` keeps SQLite
/// from reading the code through its index (see [`Store::common_code`]).
fn code_conditions(f: &EventFilter, args: &mut Vec<Value>, by_date: bool) -> String {
    let mut ev = String::new();
    // A root is a code prefix too; the longer of the two is the narrower.
    let code = match (&f.code, &f.root) {
        (Some(c), Some(r)) if c.starts_with(r.as_str()) => Some(c),
        (Some(c), Some(_)) => {
            // Contradictory: nothing matches.
            ev += " AND 0";
            Some(c)
        }
        (c, r) => c.as_ref().or(r.as_ref()),
    };
    if let Some(code) = code {
        args.push(Value::Text(code.clone()));
        let lo = args.len();
        args.push(Value::Text(next_prefix(code)));
        let hi = args.len();
        // A unary `+` makes the column an expression no index answers.
        let col = if by_date { "+e.cameo" } else { "e.cameo" };
        ev += &format!(" AND {col} >= ?{lo} AND {col} < ?{hi}");
    }
    if let Some(q) = f.quad {
        args.push(Value::Integer(i64::from(q)));
        ev += &format!(" AND e.quad_class = ?{}", args.len());
    }
    ev
}

/// The FTS5 query for the words and actors of `f`: each word a quoted string (inner quotes
/// doubled), each actor or recipient code a quoted term of the `actors` column, all required.
fn fts_query(f: &EventFilter) -> String {
    let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    let mut terms: Vec<String> = f.words.iter().map(|w| quote(w)).collect();
    for (role, code) in [("actor", &f.actor), ("recipient", &f.recipient)] {
        if let Some(c) = code {
            terms.push(format!("actors : {}", quote(&format!("{role}{c}"))));
        }
    }
    terms.join(" ")
}

/// The query of one page of events matching `f`, with its arguments.
///
/// The page is chosen first from the narrowest ordered index (a dyad's keys, one actor's keys,
/// or the events' date order), reading event rows only for filters the index lacks; the
/// records of the page are read after.
fn page_sql(f: &EventFilter, limit: usize, offset: usize, by_date: bool) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = Vec::new();
    // Filters on the event row itself.
    let ev = code_conditions(f, &mut args, by_date);
    let (inner, key) = source(f, &mut args, &ev, false);
    args.push(Value::Integer(limit as i64));
    let l = args.len();
    args.push(Value::Integer(offset as i64));
    let o = args.len();
    let sql = format!(
        "SELECT e.record FROM ({inner} ORDER BY {key}.date DESC, {key}.id LIMIT ?{l} OFFSET ?{o}) p
         JOIN events e ON e.id = p.id ORDER BY p.date DESC, p.id"
    );
    (sql, args)
}

/// The rowids of every event matching `f` but its words, in page order (a common word's
/// text search walks them).
fn candidates_sql(f: &EventFilter, by_date: bool) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = Vec::new();
    let ev = code_conditions(f, &mut args, by_date);
    let (inner, key) = source(f, &mut args, &ev, true);
    (format!("{inner} ORDER BY {key}.date DESC, {key}.id"), args)
}

/// The ordered source of a page: a dyad's or an actor's keys, or the events' date order;
/// selects `id, date` (or the event `rowid` when `rowids`), checks `ev` on the event rows.
fn source(
    f: &EventFilter,
    args: &mut Vec<Value>,
    ev: &str,
    rowids: bool,
) -> (String, &'static str) {
    let text = |args: &mut Vec<Value>, s: &str| {
        args.push(Value::Text(s.to_string()));
        args.len()
    };
    let keyed = |table: &str, wh: &str| {
        if rowids {
            format!("SELECT e.rowid FROM {table} k JOIN events e ON e.id = k.id WHERE {wh}{ev}")
        } else {
            keyed(table, wh, ev)
        }
    };
    match (&f.actor, &f.recipient) {
        (Some(a), Some(r)) => {
            let a = text(args, a);
            let r = text(args, r);
            let mut wh = format!("k.actor = ?{a} AND k.recipient = ?{r}");
            date_range(&mut wh, args, "k.date", f.since, f.until);
            (keyed("dyad_keys", &wh), "k")
        }
        (Some(c), None) | (None, Some(c)) => {
            let role = if f.actor.is_some() {
                "actor"
            } else {
                "recipient"
            };
            let c = text(args, c);
            let mut wh = format!("k.code = ?{c} AND k.role = '{role}'");
            date_range(&mut wh, args, "k.date", f.since, f.until);
            (keyed("actor_keys", &wh), "k")
        }
        (None, None) => {
            let mut wh = String::from("1=1");
            if let Some(d) = f.since {
                wh += &format!(" AND e.date >= ?{}", text(args, &d.to_string()));
            }
            if let Some(d) = f.until {
                wh += &format!(" AND e.date <= ?{}", text(args, &d.to_string()));
            }
            let cols = if rowids {
                "e.rowid"
            } else {
                "e.id AS id, e.date AS date"
            };
            (format!("SELECT {cols} FROM events e WHERE {wh}{ev}"), "e")
        }
    }
}

/// The page candidates from key table `table` (alias `k`), joined to the event rows only when
/// `ev` filters on them.
fn keyed(table: &str, wh: &str, ev: &str) -> String {
    if ev.is_empty() {
        format!("SELECT k.id AS id, k.date AS date FROM {table} k WHERE {wh}")
    } else {
        format!(
            "SELECT k.id AS id, k.date AS date FROM {table} k JOIN events e ON e.id = k.id WHERE {wh}{ev}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_bound_their_range() {
        assert_eq!(next_prefix("04"), "05");
        assert_eq!(next_prefix("049"), "04:");
        assert!("0499" < next_prefix("049").as_str());
        assert_eq!(like_escape("a%b_c\\"), "a\\%b\\_c\\\\");
    }

    /// Event `i` of a small store: dyads over four codes, five dates with ties and some
    /// undated, "alpha" in every second sentence and "beta" in every seventh.
    fn record(i: u64) -> EventRecord {
        let mut r = dyad_export::formats::synthetic_record(i);
        let codes = ["AAA", "BBB", "CCC", "DDD"];
        r.actor[0].code = codes[(i % 4) as usize].into();
        r.recipient[0].code = codes[((i / 4 + 1 + i % 4) % 4) as usize].into();
        r.date = (i % 6 != 5).then(|| format!("2026-01-0{}", 1 + i % 5));
        let mut words = vec!["gamma"];
        if i.is_multiple_of(2) {
            words.push("alpha");
        }
        if i.is_multiple_of(7) {
            words.push("beta");
        }
        r.sentence = format!("Event {i}: {}.", words.join(" "));
        r
    }

    fn store(n: u64) -> (Store, Vec<EventRecord>) {
        let mut store = Store::in_memory().unwrap();
        let recs: Vec<_> = (0..n).map(record).collect();
        let doc = dyad_doc::Document::new("d", dyad_doc::Source::default(), "text");
        store.insert_batch(&[(doc, recs.clone())]).unwrap();
        (store, recs)
    }

    /// The page of `recs` matching `keep`, in the API's order, by brute force.
    fn expected(
        recs: &[EventRecord],
        keep: impl Fn(&EventRecord) -> bool,
        limit: usize,
        offset: usize,
    ) -> Vec<String> {
        let mut m: Vec<&EventRecord> = recs.iter().filter(|r| keep(r)).collect();
        m.sort_by(|a, b| {
            (b.date.is_some(), &b.date)
                .cmp(&(a.date.is_some(), &a.date))
                .then_with(|| a.id.cmp(&b.id))
        });
        m.iter()
            .skip(offset)
            .take(limit)
            .map(|r| r.id.clone())
            .collect()
    }

    fn ids(v: Vec<EventRecord>) -> Vec<String> {
        v.into_iter().map(|r| r.id).collect()
    }

    #[test]
    fn pages_match_a_brute_force_filter_on_every_path() {
        let (store, recs) = store(120);
        let has = |r: &EventRecord, w: &str| r.sentence.contains(w);
        type Keep = Box<dyn Fn(&EventRecord) -> bool>;
        let filters: Vec<(EventFilter, Keep)> = vec![
            (EventFilter::default(), Box::new(|_| true)),
            (
                EventFilter {
                    actor: Some("AAA".into()),
                    ..Default::default()
                },
                Box::new(|r| r.actor[0].code == "AAA"),
            ),
            (
                EventFilter {
                    actor: Some("BBB".into()),
                    recipient: Some("CCC".into()),
                    until: NaiveDate::from_ymd_opt(2026, 1, 4),
                    ..Default::default()
                },
                Box::new(|r| {
                    r.actor[0].code == "BBB"
                        && r.recipient[0].code == "CCC"
                        && r.date.as_deref().is_some_and(|d| d <= "2026-01-04")
                }),
            ),
            (
                EventFilter {
                    words: vec!["alpha".into()],
                    ..Default::default()
                },
                Box::new(move |r| has(r, "alpha")),
            ),
            (
                EventFilter {
                    words: vec!["alpha".into(), "beta".into()],
                    since: NaiveDate::from_ymd_opt(2026, 1, 2),
                    ..Default::default()
                },
                Box::new(move |r| {
                    has(r, "alpha") && has(r, "beta") && r.date.as_deref() >= Some("2026-01-02")
                }),
            ),
            (
                EventFilter {
                    words: vec!["gamma".into()],
                    recipient: Some("AAA".into()),
                    code: Some("04".into()),
                    ..Default::default()
                },
                Box::new(|r| r.recipient[0].code == "AAA" && r.cameo.code.starts_with("04")),
            ),
            (
                EventFilter {
                    code: Some("04".into()),
                    since: NaiveDate::from_ymd_opt(2026, 1, 2),
                    ..Default::default()
                },
                Box::new(|r| {
                    r.cameo.code.starts_with("04") && r.date.as_deref() >= Some("2026-01-02")
                }),
            ),
            (
                EventFilter {
                    words: vec!["alpha".into()],
                    actor: Some("BBB".into()),
                    ..Default::default()
                },
                Box::new(move |r| has(r, "alpha") && r.actor[0].code == "BBB"),
            ),
            (
                EventFilter {
                    words: vec!["beta".into()],
                    actor: Some("AAA".into()),
                    recipient: Some("BBB".into()),
                    ..Default::default()
                },
                Box::new(move |r| {
                    has(r, "beta") && r.actor[0].code == "AAA" && r.recipient[0].code == "BBB"
                }),
            ),
        ];
        for (f, keep) in &filters {
            for (limit, offset) in [(10, 0), (7, 7), (50, 30), (5, 200)] {
                let want = expected(&recs, keep, limit, offset);
                let got = ids(store.event_page(f, limit, offset).unwrap());
                assert_eq!(got, want, "{f:?} {limit} {offset}");
                // A code's other plan (the date walk or the code index) gives the same page.
                if f.words.is_empty() {
                    for by_date in [false, true] {
                        let (sql, args) = page_sql(f, limit, offset, by_date);
                        let other = ids(store.records(&sql, &args).unwrap());
                        assert_eq!(other, want, "by date {by_date} {f:?} {limit} {offset}");
                    }
                }
                // A text search's other plan (a common word's) gives the same page.
                if !f.words.is_empty() {
                    let other = ids(store
                        .common_word_page(f, &fts_query(f), limit, offset)
                        .unwrap());
                    assert_eq!(other, want, "common-word plan {f:?} {limit} {offset}");
                }
            }
        }
    }

    /// The derived tables agree with what they are derived from.
    fn assert_consistent(store: &Store) {
        let c = &store.conn;
        let q = |sql: &str| -> Vec<String> {
            let mut stmt = c.prepare(sql).unwrap();
            let rows = stmt
                .query_map([], |r| {
                    let n = r.as_ref().column_count();
                    let mut parts = Vec::new();
                    for i in 0..n {
                        parts.push(format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?));
                    }
                    Ok(parts.join("|"))
                })
                .unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(
            q("SELECT code, role, date, id FROM actor_keys ORDER BY 1, 2, 3, 4"),
            q(
                "SELECT DISTINCT x.code, x.role, coalesce(e.date, ''), e.id FROM event_actors x
               JOIN events e ON e.id = x.event ORDER BY 1, 2, 3, 4"
            )
        );
        assert_eq!(
            q("SELECT actor, recipient, date, id FROM dyad_keys ORDER BY 1, 2, 3, 4"),
            q(
                "SELECT DISTINCT a.code, r.code, coalesce(e.date, ''), e.id FROM events e
               JOIN event_actors a ON a.event = e.id AND a.role = 'actor'
               JOIN event_actors r ON r.event = e.id AND r.role = 'recipient' ORDER BY 1, 2, 3, 4"
            )
        );
        assert_eq!(
            q("SELECT day, code, events, as_actor, as_recipient FROM actor_days
               WHERE events > 0 ORDER BY 1, 2"),
            q("SELECT date, code, COUNT(DISTINCT id), SUM(role = 'actor'), SUM(role = 'recipient')
               FROM actor_keys GROUP BY 1, 2 ORDER BY 1, 2")
        );
        assert_eq!(
            q(
                "SELECT code, role, day, events, round(goldstein, 6), cooperation, conflict
               FROM actor_day_quads WHERE events > 0 ORDER BY 1, 2, 3"
            ),
            q(
                "SELECT k.code, k.role, k.date, COUNT(*), round(SUM(e.goldstein), 6),
                      SUM(e.quad_class IN (1, 2)), SUM(e.quad_class IN (3, 4))
               FROM actor_keys k JOIN events e ON e.id = k.id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
            )
        );
        assert_eq!(
            q(
                "SELECT day, actor, recipient, events, round(goldstein, 6) FROM dyad_days
               WHERE events > 0 ORDER BY 1, 2, 3"
            ),
            q(
                "SELECT date, actor, recipient, COUNT(*), round(SUM(goldstein), 6) FROM dyad_keys
               GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
            )
        );
    }

    #[test]
    fn triggers_keep_keys_counts_and_text_in_step() {
        let (mut store, recs) = store(40);
        assert_consistent(&store);
        let search = |s: &Store, w: &str| {
            let f = EventFilter {
                words: vec![w.into()],
                ..Default::default()
            };
            ids(s.event_page(&f, 100, 0).unwrap())
        };
        assert!(search(&store, "event").contains(&recs[3].id));
        // A date moves; an event and its actors go.
        let tx = store.conn.transaction().unwrap();
        tx.execute(
            "UPDATE events SET date = '2025-12-31', goldstein = 9.0 WHERE id = ?1",
            [&recs[1].id],
        )
        .unwrap();
        // Recoded in place: values change, the date does not.
        tx.execute(
            "UPDATE events SET goldstein = -7.0, quad_class = 4 WHERE id = ?1",
            [&recs[2].id],
        )
        .unwrap();
        tx.execute(
            "UPDATE events SET quad_class = 3 WHERE id = ?1",
            [&recs[6].id],
        )
        .unwrap();
        tx.execute("DELETE FROM event_actors WHERE event = ?1", [&recs[3].id])
            .unwrap();
        tx.execute("DELETE FROM events WHERE id = ?1", [&recs[3].id])
            .unwrap();
        tx.execute(
            "UPDATE events SET record = json_set(record, '$.sentence', 'Renamed delta.') WHERE id = ?1",
            [&recs[5].id],
        )
        .unwrap();
        tx.commit().unwrap();
        assert_consistent(&store);
        assert!(!search(&store, "event").contains(&recs[3].id));
        assert_eq!(search(&store, "delta"), vec![recs[5].id.clone()]);
        assert!(!search(&store, "event").contains(&recs[5].id));
        // The renamed record keeps its actor terms in the text index.
        let by = |actor: &str| {
            let f = EventFilter {
                words: vec!["delta".into()],
                actor: Some(actor.into()),
                ..Default::default()
            };
            ids(store.event_page(&f, 10, 0).unwrap())
        };
        assert_eq!(by(&recs[5].actor[0].code), vec![recs[5].id.clone()]);
        assert!(by("ZZZ").is_empty());
        store
            .conn
            .execute(
                "INSERT INTO events_fts (events_fts) VALUES ('integrity-check')",
                [],
            )
            .unwrap();
        let f = EventFilter {
            actor: Some(recs[1].actor[0].code.clone()),
            until: NaiveDate::from_ymd_opt(2025, 12, 31),
            ..Default::default()
        };
        assert_eq!(
            ids(store.event_page(&f, 10, 0).unwrap()),
            vec![recs[1].id.clone()]
        );
        let counts = store.actor_counts(&ActorFilter::default(), 10, 0).unwrap();
        let total: usize = counts.iter().map(|c| c.as_actor).sum();
        assert_eq!(total, 39);
    }

    #[test]
    fn an_older_store_is_filled_in_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let (_, recs) = {
            let mut s = Store::open(&path).unwrap();
            let recs: Vec<_> = (0..30).map(record).collect();
            let doc = dyad_doc::Document::new("d", dyad_doc::Source::default(), "text");
            s.insert_batch(&[(doc, recs.clone())]).unwrap();
            // As a store written before the query tables existed.
            s.conn
                .execute_batch(
                    "DROP TABLE actor_keys; DROP TABLE dyad_keys; DROP TABLE actor_days;
                     DROP TABLE dyad_days; DROP TABLE actor_names; DROP TABLE events_fts;",
                )
                .unwrap();
            (s, recs)
        };
        let store = Store::open(&path).unwrap();
        assert_consistent(&store);
        let f = EventFilter {
            words: vec!["beta".into()],
            ..Default::default()
        };
        let want = expected(&recs, |r| r.sentence.contains("beta"), 100, 0);
        assert_eq!(ids(store.event_page(&f, 100, 0).unwrap()), want);
        let ro = Store::open_read_only(&path).unwrap();
        assert_eq!(ids(ro.event_page(&f, 100, 0).unwrap()), want);
        assert!(ro.conn.execute("DELETE FROM events", []).is_err());
    }

    #[test]
    fn a_text_index_without_actor_terms_is_rebuilt_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let recs: Vec<_> = (0..40).map(record).collect();
        {
            let mut s = Store::open(&path).unwrap();
            let doc = dyad_doc::Document::new("d", dyad_doc::Source::default(), "text");
            s.insert_batch(&[(doc, recs.clone())]).unwrap();
            // The index as dyad wrote it before it held actor terms.
            s.conn
                .execute_batch(
                    "DROP TRIGGER events_fts_update; DROP TRIGGER events_fts_delete;
                     DROP TABLE events_fts;
                     CREATE VIRTUAL TABLE events_fts USING fts5(sentence, event_text, content='');
                     INSERT INTO events_fts (rowid, sentence, event_text)
                         SELECT rowid, json_extract(record, '$.sentence'),
                                json_extract(record, '$.event_text') FROM events;",
                )
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let f = EventFilter {
            words: vec!["beta".into()],
            actor: Some("BBB".into()),
            ..Default::default()
        };
        let want = expected(
            &recs,
            |r| r.sentence.contains("beta") && r.actor[0].code == "BBB",
            100,
            0,
        );
        assert!(!want.is_empty());
        assert_eq!(ids(store.event_page(&f, 100, 0).unwrap()), want);
    }

    #[test]
    fn text_queries_quote_every_word() {
        let f = EventFilter {
            words: vec!["talks".into(), "a\"b".into(), "NEAR".into()],
            recipient: Some("C\"U".into()),
            ..Default::default()
        };
        assert_eq!(
            fts_query(&f),
            "\"talks\" \"a\"\"b\" \"NEAR\" actors : \"recipientC\"\"U\""
        );
    }
}
