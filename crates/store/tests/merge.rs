//! Cross-document merging in the store: reports of one event from two documents, what is never
//! merged, benchmark stores that opt out, and a version-1 store brought to version 2.

use dyad_doc::{Document, Source};
use dyad_export::formats::synthetic_record;
use dyad_export::EventRecord;
use dyad_store::Store;

fn doc(id: &str, text: &str) -> Document {
    let mut d = Document::new(id, Source::default(), text);
    d.text = text.to_string();
    d
}

/// Synthetic record 0 (CHN GOV > USA GOV, 042, 2025-01-01, Beijing) as document `doc` gives it.
fn meeting(doc: &str, date: &str, code: &str) -> EventRecord {
    let mut r = synthetic_record(0);
    r.id = format!("{doc}-{code}-{date}");
    r.doc_id = doc.into();
    r.date = Some(date.into());
    r.cameo.code = code.into();
    r.cameo.root = code[..2].into();
    r.cite_info.publication = Some(format!("{doc} news"));
    r
}

#[test]
fn a_second_report_joins_the_first_and_counts_its_outlet() {
    let mut store = Store::in_memory().unwrap();
    let s1 = store
        .insert_batch(&[(
            doc("a", "First report."),
            vec![meeting("a", "2025-01-01", "042")],
        )])
        .unwrap();
    let s2 = store
        .insert_batch(&[
            (
                doc("b", "Second report."),
                vec![meeting("b", "2025-01-02", "040")],
            ),
            // Four days later is another meeting.
            (
                doc("c", "Third report."),
                vec![meeting("c", "2025-01-05", "042")],
            ),
        ])
        .unwrap();
    assert_eq!((s1.events, s2.events, s2.merged), (1, 1, 1));
    let all = store.events(&Default::default()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].doc_id, "a");
    assert_eq!(all[0].reports.len(), 1);
    assert_eq!(all[0].reports[0].cameo, "040");
    assert_eq!((all[0].num_sources(), all[0].num_articles()), (2, 2));
    // Corroboration raised confidence.
    assert!(all[0].confidence > meeting("a", "2025-01-01", "042").confidence);
    assert_eq!(
        store
            .resolve_event_id("b-040-2025-01-02")
            .unwrap()
            .as_deref(),
        Some(all[0].id.as_str())
    );
}

#[test]
fn undated_events_and_events_without_actors_are_never_merged() {
    let mut store = Store::in_memory().unwrap();
    let undated = |d: &str| {
        let mut r = meeting(d, "2025-01-01", "042");
        r.date = None;
        r
    };
    let nobody = |d: &str| {
        let mut r = meeting(d, "2025-01-01", "190");
        r.actor.clear();
        r.recipient.clear();
        r
    };
    let stats = store
        .insert_batch(&[
            (doc("a", "A."), vec![undated("a"), nobody("a")]),
            (doc("b", "B."), vec![undated("b"), nobody("b")]),
        ])
        .unwrap();
    assert_eq!((stats.events, stats.merged), (4, 0));
}

#[test]
fn a_store_without_merging_keeps_every_event() {
    let mut store = Store::in_memory().unwrap().without_merging();
    let stats = store
        .insert_batch(&[
            (doc("a", "A."), vec![meeting("a", "2025-01-01", "042")]),
            (doc("b", "B."), vec![meeting("b", "2025-01-01", "042")]),
        ])
        .unwrap();
    assert_eq!((stats.events, stats.merged), (2, 0));
}

const V1_SCHEMA: &str = "
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
    record      TEXT NOT NULL
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
CREATE INDEX IF NOT EXISTS events_root ON events(root);
CREATE INDEX IF NOT EXISTS event_actors_code ON event_actors(code, role);
CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors(event);
CREATE TABLE IF NOT EXISTS quotes (
    id              TEXT PRIMARY KEY,
    document        INTEGER NOT NULL REFERENCES documents(id),
    kind            TEXT NOT NULL,
    speaker_code    TEXT,
    speaker_sector  TEXT,
    speaker_name    TEXT,
    addressee_code  TEXT,
    text            TEXT NOT NULL,
    start           INTEGER NOT NULL,
    end             INTEGER NOT NULL,
    record          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_code);
CREATE INDEX IF NOT EXISTS quotes_document ON quotes(document);
";

#[test]
fn a_version_1_store_is_migrated_and_its_events_merge_with_new_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1_SCHEMA).unwrap();
        conn.execute(
            "INSERT INTO documents (content_hash, doc_id, source, text, tokens) VALUES ('h', 'old', 'old.txt', 'Old.', 1)",
            [],
        )
        .unwrap();
        let r = meeting("old", "2025-01-01", "042");
        conn.execute(
            "INSERT INTO events (id, document, date, cameo, root, quad_class, goldstein, event, record)
             VALUES (?1, 1, ?2, '042', '04', 1, 1.9, 'CONSULT', ?3)",
            rusqlite::params![r.id, r.date, serde_json::to_string(&r).unwrap()],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let stats = store
        .insert_batch(&[(
            doc("new", "New."),
            vec![meeting("new", "2025-01-02", "042")],
        )])
        .unwrap();
    assert_eq!(stats.merged, 1);
    let all = store.events(&Default::default()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].doc_id, "old");
    assert_eq!(all[0].reports[0].doc_id, "new");
    drop(store);
    // Opening it again is a no-op.
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .events(&Default::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn daily_dyad_counts_are_rebuilt_from_the_events_when_missing() {
    use dyad_store::aggregate::NetworkQuery;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.db");
    let q = NetworkQuery {
        limit: 10,
        min_events: 1,
        ..Default::default()
    };
    let before = {
        let mut store = Store::open(&path).unwrap().without_merging();
        let batch: Vec<_> = (0..4u64)
            .map(|d| {
                let recs = (d * 8..d * 8 + 8).map(synthetic_record).collect::<Vec<_>>();
                (doc(&format!("d{d}"), &format!("Doc {d}.")), recs)
            })
            .collect();
        store.insert_batch(&batch).unwrap();
        store.network(&q).unwrap()
    };
    assert!(!before.edges.is_empty());
    let coop: usize = before
        .edges
        .iter()
        .map(|e| e.cooperation + e.conflict)
        .sum();
    assert_eq!(coop, before.edges.iter().map(|e| e.events).sum::<usize>());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE dyad_day_quads").unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.network(&q).unwrap(), before);
}

#[test]
fn merging_inside_a_batch_keeps_the_text_index_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("fts.db")).unwrap();
    let with_sentence = |mut r: EventRecord, s: &str| {
        r.sentence = s.into();
        r
    };
    // In one batch: an event, two unrelated ones, then another outlet's report of the first,
    // whose merge rewrites the first event's record.
    let mut other = synthetic_record(3);
    other.id = "other".into();
    other.date = Some("2025-06-01".into());
    let mut third = synthetic_record(5);
    third.id = "third".into();
    third.date = Some("2025-07-01".into());
    let stats = store
        .insert_batch(&[
            (
                doc("a", "A."),
                vec![
                    with_sentence(
                        meeting("a", "2025-01-01", "042"),
                        "Ministers met in Lisbon.",
                    ),
                    with_sentence(other, "Troops shelled the harbour."),
                    with_sentence(third, "Envoys signed a grain accord."),
                ],
            ),
            (
                doc("b", "B."),
                vec![with_sentence(
                    meeting("b", "2025-01-02", "042"),
                    "They met again.",
                )],
            ),
        ])
        .unwrap();
    assert_eq!(stats.merged, 1);
    for (word, id) in [
        ("lisbon", "a-042-2025-01-01"),
        ("harbour", "other"),
        ("grain", "third"),
    ] {
        let f = dyad_store::EventFilter {
            words: vec![word.into()],
            ..Default::default()
        };
        let found: Vec<String> = store
            .event_page(&f, 10, 0)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(found, [id], "{word}");
    }
}
