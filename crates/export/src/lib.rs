//! The export stage: dyad's public event record.
//!
//! One JSON object per event per line, PLOVER-style. The field names below are a public contract
//! (users and evaluation tools parse them): fields may be added, never renamed.

pub mod formats;
mod quote;

pub use quote::{quote_record, quote_records, QuotePartyRecord, QuoteRecord};

use dyad_doc::{Document, Event, EventActor};
use dyad_ontology::Ontology;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The CAMEO block of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameoInfo {
    /// CAMEO code (2 to 4 digits).
    pub code: String,
    /// Root code (2 digits).
    pub root: String,
    /// QuadClass (GDELT convention).
    pub quad_class: u8,
    /// Goldstein value.
    pub goldstein: f64,
}

/// Where the evidence sits in the clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextInfo {
    /// Sentence index in the document.
    pub sentence_index: usize,
    /// Byte offset where the sentence starts in the clean text.
    pub start: usize,
    /// Byte offset where the sentence ends.
    pub end: usize,
    /// Byte offset where the predicate words start.
    pub event_start: usize,
    /// Byte offset where the predicate words end.
    pub event_end: usize,
}

/// Citation of the source document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CiteInfo {
    /// URL, if known.
    pub url: Option<String>,
    /// Outlet, if known.
    pub publication: Option<String>,
    /// Title, if known.
    pub title: Option<String>,
}

/// Where an event took place (PLOVER `event_loc`), from the gazetteer entry the place name
/// resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventLoc {
    /// The gazetteer's name of the place.
    pub name: String,
    /// The words in the text that named it.
    pub text: String,
    /// Country, admin1 (state, province), city or feature (sea, region).
    pub kind: dyad_doc::PlaceKind,
    /// GeoNames id, when the entry has one.
    pub geonames_id: Option<u64>,
    /// ISO 3166-1 alpha-2 country code, empty for places outside any country.
    pub country_code: String,
    /// GeoNames admin1 code within the country, empty when unknown.
    pub admin1_code: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Byte offsets of the place name in the clean text.
    pub start: usize,
    /// End of the place name.
    pub end: usize,
}

impl EventLoc {
    /// The record of a resolved place.
    pub fn of(p: &dyad_doc::Place) -> Self {
        EventLoc {
            name: p.name.clone(),
            text: p.text.clone(),
            kind: p.kind,
            geonames_id: p.geonames_id,
            country_code: p.country.clone(),
            admin1_code: p.admin1.clone(),
            lat: p.lat,
            lon: p.lon,
            start: p.span.start,
            end: p.span.end,
        }
    }
}

/// One event as written to JSONL and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Always `"event"` (quotes will carry `"quote"`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Stable id: a hash of the document content and the event's key and first mention.
    pub id: String,
    /// The document id.
    pub doc_id: String,
    /// Event date `YYYY-MM-DD`, or null when the document has no date. For a date known to the
    /// month or year only, the first day of that period (see `date_precision`).
    pub date: Option<String>,
    /// How finely `date` is known: day, week, month, quarter or year.
    #[serde(default)]
    pub date_precision: Option<dyad_doc::DatePrecision>,
    /// The time expression the date was read from ("last Thursday", "in 2019"); null when it
    /// is the document date.
    #[serde(default)]
    pub date_text: Option<String>,
    /// Where the event took place: the place named in its clause, else the dateline city.
    #[serde(default)]
    pub event_loc: Option<EventLoc>,
    /// Source actors.
    pub actor: Vec<EventActor>,
    /// Target actors.
    pub recipient: Vec<EventActor>,
    /// PLOVER event type.
    pub event: String,
    /// PLOVER modes.
    pub mode: Vec<String>,
    /// PLOVER contexts.
    pub context: Vec<String>,
    /// CAMEO code, root, QuadClass and Goldstein value.
    pub cameo: CameoInfo,
    /// The predicate words.
    pub event_text: String,
    /// The evidence sentence.
    pub sentence: String,
    /// Offsets of the evidence.
    pub text_info: TextInfo,
    /// Source citation.
    pub cite_info: CiteInfo,
    /// Every mention of the event in the document: `[sentence_index, start, end]` of each sentence.
    pub mentions: Vec<[usize; 3]>,
    /// The same event as reported by other documents (other outlets, later articles), merged
    /// into this one by the store; empty for a freshly coded document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<Report>,
    /// Speaker of the reported speech, if any.
    pub speaker: Option<EventActor>,
    /// The lexicon rule that coded it.
    pub rule: String,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

/// Another document's report of an event, kept on the event it was merged into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The id the event had in the reporting document.
    pub event_id: String,
    /// The reporting document's id.
    pub doc_id: String,
    /// Its citation.
    pub cite_info: CiteInfo,
    /// The date that document gave the event.
    pub date: Option<String>,
    /// The CAMEO code that document gave the event.
    pub cameo: String,
    /// Its evidence sentence.
    pub sentence: String,
    /// Offsets of that evidence in the reporting document.
    pub text_info: TextInfo,
    /// Every mention in the reporting document: `[sentence_index, start, end]`.
    pub mentions: Vec<[usize; 3]>,
}

impl Report {
    /// The report that `r` makes of the event it is merged into.
    pub fn of(r: &EventRecord) -> Report {
        Report {
            event_id: r.id.clone(),
            doc_id: r.doc_id.clone(),
            cite_info: r.cite_info.clone(),
            date: r.date.clone(),
            cameo: r.cameo.code.clone(),
            sentence: r.sentence.clone(),
            text_info: r.text_info.clone(),
            mentions: r.mentions.clone(),
        }
    }
}

impl EventRecord {
    /// Mentions over every report: GDELT's NumMentions.
    pub fn num_mentions(&self) -> usize {
        self.mentions.len().max(1)
            + self
                .reports
                .iter()
                .map(|r| r.mentions.len().max(1))
                .sum::<usize>()
    }

    /// Documents reporting the event: GDELT's NumArticles.
    pub fn num_articles(&self) -> usize {
        1 + self.reports.len()
    }

    /// Distinct outlets reporting the event (see [`outlet`]): GDELT's NumSources.
    pub fn num_sources(&self) -> usize {
        let mut seen = vec![outlet(&self.cite_info, &self.doc_id)];
        for r in &self.reports {
            let o = outlet(&r.cite_info, &r.doc_id);
            if !seen.contains(&o) {
                seen.push(o);
            }
        }
        seen.len()
    }
}

/// The outlet of a report, for counting distinct sources: the publication, else the URL's
/// host, else the document id (an unattributed document counts as its own source).
pub fn outlet(cite: &CiteInfo, doc_id: &str) -> String {
    if let Some(p) = cite.publication.as_deref().map(str::trim) {
        if !p.is_empty() {
            return p.to_lowercase();
        }
    }
    let host = cite
        .url
        .as_deref()
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.split(['/', '?', '#']).next())
        .map(|h| h.trim_start_matches("www."))
        .unwrap_or("");
    if host.is_empty() {
        format!("doc:{doc_id}")
    } else {
        host.to_lowercase()
    }
}

/// Builds the record of one event of `doc`.
pub fn record(doc: &Document, e: &Event, ontology: &Ontology, content_hash: &str) -> EventRecord {
    let (quad_class, goldstein) = ontology
        .cameo(&e.cameo)
        .map(|c| (c.quad_class, c.goldstein))
        .unwrap_or((0, 0.0));
    let first = e.mentions.first();
    let sentence = first.map(|m| m.sentence.text(&doc.text)).unwrap_or("");
    let text_info = first
        .map(|m| TextInfo {
            sentence_index: m.sentence_index,
            start: m.sentence.start,
            end: m.sentence.end,
            event_start: m.trigger.start,
            event_end: m.trigger.end,
        })
        .unwrap_or(TextInfo {
            sentence_index: 0,
            start: 0,
            end: 0,
            event_start: 0,
            event_end: 0,
        });
    let mut h = Sha256::new();
    for part in [
        content_hash,
        &dyad_key(e),
        &text_info.event_start.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    EventRecord {
        kind: "event".into(),
        id: dyad_doc::hex(&h.finalize()[..8]),
        doc_id: doc.id.clone(),
        date: e.date.map(|d| d.to_string()),
        date_precision: e.date.and(e.date_precision),
        date_text: e.date_text.clone(),
        event_loc: e.location.as_ref().map(EventLoc::of),
        actor: e.actor.clone(),
        recipient: e.recipient.clone(),
        event: e.plover.clone(),
        mode: e.mode.clone(),
        context: e.context.clone(),
        cameo: CameoInfo {
            code: e.cameo.clone(),
            root: e.cameo.get(..2).unwrap_or("").to_string(),
            quad_class,
            goldstein,
        },
        event_text: e.event_text.clone(),
        sentence: sentence.to_string(),
        text_info,
        cite_info: CiteInfo {
            url: doc.url.clone(),
            publication: doc.publication.clone(),
            title: doc.title.clone(),
        },
        mentions: e
            .mentions
            .iter()
            .map(|m| [m.sentence_index, m.sentence.start, m.sentence.end])
            .collect(),
        reports: Vec::new(),
        speaker: e.speaker.clone(),
        rule: e.rule.clone(),
        confidence: (e.confidence * 100.0).round() / 100.0,
    }
}

fn dyad_key(e: &Event) -> String {
    let codes = |v: &[EventActor]| {
        v.iter()
            .map(|a| format!("{}/{}", a.code, a.sector))
            .collect::<Vec<_>>()
            .join("+")
    };
    format!("{}>{}|{}", codes(&e.actor), codes(&e.recipient), e.cameo)
}

/// All event records of a document, in order.
pub fn records(doc: &Document, ontology: &Ontology) -> Vec<EventRecord> {
    let hash = doc.content_hash();
    doc.events
        .iter()
        .map(|e| record(doc, e, ontology, &hash))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite(publication: Option<&str>, url: Option<&str>) -> CiteInfo {
        CiteInfo {
            url: url.map(str::to_string),
            publication: publication.map(str::to_string),
            title: None,
        }
    }

    #[test]
    fn outlets_come_from_the_publication_or_the_url_host() {
        assert_eq!(outlet(&cite(Some("Reuters"), None), "d"), "reuters");
        assert_eq!(
            outlet(&cite(None, Some("https://www.news.example/a/b?x=1")), "d"),
            "news.example"
        );
        assert_eq!(outlet(&cite(None, Some("not a url")), "d7"), "doc:d7");
        assert_eq!(outlet(&cite(Some("  "), None), "d7"), "doc:d7");
    }
}
