//! The public quote record: one JSON object per quote, `"type": "quote"`, written by `dyad code
//! --quotes` next to the event records and kept by the store. Fields may be added, never
//! renamed.

use dyad_doc::{Document, Quote, QuoteKind, QuoteParty};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The speaker or addressee of a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotePartyRecord {
    /// Country or international code; null when the words name no actor ("a witness").
    pub code: Option<String>,
    /// Sector code, empty when unknown.
    pub sector: String,
    /// The words that name the party (for a pronoun, the mention it stands for).
    pub name: String,
    /// Byte offset where the words at the quote start (the pronoun itself for "he said").
    pub start: usize,
    /// Byte offset where they end.
    pub end: usize,
}

/// One quote as written to JSONL and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteRecord {
    /// Always `"quote"`.
    #[serde(rename = "type")]
    pub record_type: String,
    /// Stable id: a hash of the document content and the quote's offsets.
    pub id: String,
    /// The document id.
    pub doc_id: String,
    /// Document date `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// `direct`, `indirect` or `according_to`.
    pub kind: QuoteKind,
    /// Who said it, or null when the text does not say.
    pub speaker: Option<QuotePartyRecord>,
    /// Who it was said to, or null.
    pub addressee: Option<QuotePartyRecord>,
    /// The quoted words.
    pub text: String,
    /// Byte offset where the quoted words start in the clean text.
    pub start: usize,
    /// Byte offset where they end.
    pub end: usize,
    /// Indices of the sentences the quote spans.
    pub sentences: Vec<usize>,
    /// The attributing words ("said", "told", "according to"), or null.
    pub cue: Option<String>,
    /// False when the quote mark never closed and the quote was cut.
    pub closed: bool,
}

fn party(p: &QuoteParty) -> QuotePartyRecord {
    QuotePartyRecord {
        code: p.code.clone(),
        sector: p.sector.clone(),
        name: p.name.clone(),
        start: p.span.start,
        end: p.span.end,
    }
}

/// Builds the record of one quote of `doc`.
pub fn quote_record(doc: &Document, q: &Quote, content_hash: &str) -> QuoteRecord {
    let mut h = Sha256::new();
    for part in [
        content_hash,
        "quote",
        &q.span.start.to_string(),
        &q.span.end.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    QuoteRecord {
        record_type: "quote".into(),
        id: dyad_doc::hex(&h.finalize()[..8]),
        doc_id: doc.id.clone(),
        date: doc.date.map(|d| d.to_string()),
        kind: q.kind,
        speaker: q.speaker.as_ref().map(party),
        addressee: q.addressee.as_ref().map(party),
        text: q.text.clone(),
        start: q.span.start,
        end: q.span.end,
        sentences: q.sentences.clone(),
        cue: q.cue.map(|c| c.text(&doc.text).to_string()),
        closed: q.closed,
    }
}

/// All quote records of a document, in text order.
pub fn quote_records(doc: &Document) -> Vec<QuoteRecord> {
    let hash = doc.content_hash();
    doc.quotes
        .iter()
        .map(|q| quote_record(doc, q, &hash))
        .collect()
}
