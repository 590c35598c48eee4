//! The `quotes` table: every quote of a stored document with its speaker and addressee.

use dyad_doc::Document;
use dyad_export::QuoteRecord;
use rusqlite::{params, params_from_iter, Transaction};

use crate::{Store, StoreError};

pub(crate) const SCHEMA: &str = "
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

/// Filters for [`Store::quotes`].
#[derive(Debug, Default, Clone)]
pub struct QuoteQuery {
    /// Only quotes of this document id.
    pub doc_id: Option<String>,
    /// Only quotes whose speaker has this actor code.
    pub speaker: Option<String>,
    /// At most this many quotes.
    pub limit: Option<usize>,
}

/// Stores the quotes of `doc` (stored as row `doc_row`) inside the batch's transaction;
/// returns how many were new.
pub(crate) fn insert(tx: &Transaction, doc_row: i64, doc: &Document) -> Result<usize, StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO quotes (id, document, kind, speaker_code, speaker_sector, speaker_name, addressee_code, text, start, end, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut n = 0;
    for r in dyad_export::quote_records(doc) {
        let json = serde_json::to_string(&r)?;
        let kind = serde_json::to_value(r.kind)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        n += stmt.execute(params![
            r.id,
            doc_row,
            kind,
            r.speaker.as_ref().and_then(|s| s.code.clone()),
            r.speaker.as_ref().map(|s| s.sector.clone()),
            r.speaker.as_ref().map(|s| s.name.clone()),
            r.addressee.as_ref().and_then(|s| s.code.clone()),
            r.text,
            r.start as i64,
            r.end as i64,
            json
        ])?;
    }
    Ok(n)
}

impl Store {
    /// Quotes matching `q`, in document then text order.
    pub fn quotes(&self, q: &QuoteQuery) -> Result<Vec<QuoteRecord>, StoreError> {
        let mut sql = String::from(
            "SELECT q.record FROM quotes q JOIN documents d ON d.id = q.document WHERE 1=1",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(id) = &q.doc_id {
            args.push(id.clone());
            sql += &format!(" AND d.doc_id = ?{}", args.len());
        }
        if let Some(code) = &q.speaker {
            args.push(code.clone());
            sql += &format!(" AND q.speaker_code = ?{}", args.len());
        }
        sql += " ORDER BY q.document, q.start, q.end";
        if let Some(n) = q.limit {
            sql += &format!(" LIMIT {n}");
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }

    /// Number of stored quotes.
    pub fn quote_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM quotes", [], |r| r.get(0))?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use dyad_doc::{Document, Quote, QuoteKind, QuoteParty, Source, Span};

    use crate::{QuoteQuery, Store};

    fn doc() -> Document {
        let text = "\"We will help,\" Wang said.";
        let mut d = Document::new("wire-1", Source::default(), text);
        d.text = text.to_string();
        d.quotes = vec![Quote {
            kind: QuoteKind::Direct,
            speaker: Some(QuoteParty {
                code: Some("CHN".into()),
                sector: "GOV".into(),
                name: "Wang".into(),
                span: Span::new(16, 20),
                mention: None,
            }),
            addressee: None,
            text: "We will help".into(),
            span: Span::new(1, 13),
            sentences: vec![0],
            cue: Some(Span::new(21, 25)),
            closed: true,
        }];
        d
    }

    #[test]
    fn quotes_round_trip_and_are_stored_once() {
        let mut store = Store::in_memory().unwrap();
        let stats = store.insert_batch(&[(doc(), Vec::new())]).unwrap();
        assert_eq!((stats.documents, stats.quotes), (1, 1));
        let again = store.insert_batch(&[(doc(), Vec::new())]).unwrap();
        assert_eq!((again.skipped, again.quotes), (1, 0));
        let qs = store.quotes(&QuoteQuery::default()).unwrap();
        assert_eq!(qs, dyad_export::quote_records(&doc()));
        assert_eq!(qs[0].text, "We will help");
        assert_eq!(qs[0].cue.as_deref(), Some("said"));
        let by_speaker = QuoteQuery {
            speaker: Some("CHN".into()),
            doc_id: Some("wire-1".into()),
            limit: Some(5),
        };
        assert_eq!(store.quotes(&by_speaker).unwrap().len(), 1);
        let other = QuoteQuery {
            speaker: Some("CUB".into()),
            ..Default::default()
        };
        assert!(store.quotes(&other).unwrap().is_empty());
        assert_eq!(store.quote_count().unwrap(), 1);
    }
}
