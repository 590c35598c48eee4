//! `dyad eval GOLD`: scores coded events against gold records, listing every miss and every
//! extra event. Reads PLOVER gold records (a JSON list such as ../shared/eval/plover-gsr-dev.json).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use dyad_doc::{Document, Source, SourceFormat};
use dyad_pipeline::Pipeline;
use serde::Serialize;

/// Scores of a PLOVER gold run.
#[derive(Debug, Default, Serialize)]
pub struct PloverScore {
    /// Gold records with an event (documentation records left out).
    pub records: usize,
    /// Records where dyad coded the gold event type with a matching source actor.
    pub type_and_source: usize,
    /// `type_and_source / records`.
    pub type_and_source_share: f64,
    /// Records with a gold target where the matching event also has a matching target.
    pub with_target: usize,
    /// Of those, the ones whose target matched too.
    pub type_source_and_target: usize,
    /// Events dyad coded in all the sentences.
    pub events: usize,
    /// Events that match no gold event of their sentence.
    pub extra: usize,
    /// `extra / records`.
    pub extra_per_sentence: f64,
    /// Precision, recall and F1 of events at type + source level.
    pub precision: f64,
    /// Recall at type + source level (the same as the share).
    pub recall: f64,
    /// F1 of the two.
    pub f1: f64,
    /// Records where one event has the gold type, a matching source and a matching target
    /// (actor codes, which PLOVER gold writes at country level); a record without a gold
    /// target needs an event without a target.
    pub type_source_target: usize,
    /// Precision, recall and F1 at type + source country (the same figures as `precision`,
    /// `recall` and `f1`).
    pub type_source_level: crate::gold::LevelScore,
    /// Precision, recall and F1 at type + source country + target country.
    pub type_source_target_level: crate::gold::LevelScore,
}

/// PLOVER 0.5 gold names for types that PLOVER 0.8 (dyad's ontology) renamed or merged.
fn plover_08(t: &str) -> &str {
    match t {
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "FIGHT" => "ASSAULT",
        other => other,
    }
}

/// The actor codes of a gold `source` or `target` field (a list of `{code}` objects).
pub(crate) fn codes(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("code").and_then(|c| c.as_str()))
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether dyad's code matches the gold one. PLOVER gold writes IGO for every
/// intergovernmental body, where dyad is finer and writes UNO for United Nations bodies and EUR
/// for the European Union's: those count as IGO. Nothing else is mapped.
pub(crate) fn same_code(gold: &str, found: &str) -> bool {
    found == gold || (gold == "IGO" && matches!(found, "UNO" | "EUR"))
}

/// Whether any dyad code matches any gold code.
fn overlap(gold: &[String], found: &[&str]) -> bool {
    gold.iter().any(|g| found.iter().any(|f| same_code(g, f)))
}

/// The records of a PLOVER gold file (a JSON list).
pub(crate) fn read_records(path: &Path) -> anyhow::Result<Vec<serde_json::Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON list of PLOVER records", path.display()))
}

/// True when every record carries one and the same date: the PLOVER gold-standard records all
/// say 2000-01-01 although their sentences span decades, so that date is a placeholder and
/// dating by it would resolve office holders ("President Bush") against the wrong year.
pub(crate) fn placeholder_date(records: &[serde_json::Value]) -> Option<String> {
    let mut dates = records
        .iter()
        .filter_map(|r| r.get("date").and_then(|d| d.as_str()));
    let first = dates.next()?;
    let mut n = 1;
    let same = dates.all(|d| {
        n += 1;
        d == first
    });
    (same && n > 1).then(|| first.to_string())
}

/// Codes the sentence of record `k` as a document of its own, dated as the record is unless
/// `dated` is false; a document that fails is reported and gives `None`.
pub(crate) fn code_record(
    path: &Path,
    k: usize,
    r: &serde_json::Value,
    sentence: &str,
    pipeline: &Pipeline,
    dated: bool,
) -> Option<Document> {
    let id = r.get("id").and_then(|i| i.as_str()).unwrap_or("?");
    let source = Source {
        path: path.display().to_string(),
        line: Some(k + 1),
        format: SourceFormat::Jsonl,
    };
    let mut doc = Document::new(id, source, sentence);
    doc.date = r
        .get("date")
        .and_then(|d| d.as_str())
        .filter(|_| dated)
        .and_then(dyad_ingest::parse_metadata_date);
    pipeline
        .process_guarded(doc)
        .map_err(|e| crate::run::report(&e))
        .ok()
}

/// Codes each gold sentence and scores it; misses and extras go to `report`, one per line.
pub fn plover(
    path: &Path,
    pipeline: &Pipeline,
    report: &mut dyn Write,
) -> anyhow::Result<PloverScore> {
    let records = read_records(path)?;
    let placeholder = placeholder_date(&records);
    if let Some(d) = &placeholder {
        writeln!(
            report,
            "NOTE every record is dated {d}: taken as a placeholder, records are coded undated"
        )?;
    }
    let mut s = PloverScore::default();
    for (k, r) in records.iter().enumerate() {
        let (Some(sentence), Some(event)) = (
            r.get("text").and_then(|t| t.as_str()),
            r.get("event").and_then(|t| t.as_str()),
        ) else {
            continue;
        };
        if event == "DOCUMENT" {
            continue;
        }
        s.records += 1;
        let gold_type = plover_08(event);
        let sources = codes(r.get("source"));
        let targets = codes(r.get("target"));
        let Some(doc) = code_record(path, k, r, sentence, pipeline, placeholder.is_none()) else {
            continue;
        };
        let id = doc.id.as_str();
        // Statements (CAMEO 01x) have no PLOVER type: they are not PLOVER events.
        let mut events = pipeline.records(&doc);
        events.retain(|e| !e.event.is_empty());
        s.events += events.len();
        // A gold record with no source ("three civilians were killed") is matched by an event
        // of its type whose source is unknown too, as a record with no target is.
        let source_ok = |actors: &[&str]| {
            if sources.is_empty() {
                actors.is_empty()
            } else {
                overlap(&sources, actors)
            }
        };
        let matching = events.iter().position(|e| {
            let actors: Vec<&str> = e.actor.iter().map(|a| a.code.as_str()).collect();
            e.event == gold_type && source_ok(&actors)
        });
        if !targets.is_empty() {
            s.with_target += 1;
        }
        let full_match = events.iter().any(|e| {
            let actors: Vec<&str> = e.actor.iter().map(|a| a.code.as_str()).collect();
            let recips: Vec<&str> = e.recipient.iter().map(|a| a.code.as_str()).collect();
            let target_ok = if targets.is_empty() {
                recips.is_empty()
            } else {
                overlap(&targets, &recips)
            };
            e.event == gold_type && source_ok(&actors) && target_ok
        });
        s.type_source_target += usize::from(full_match);
        match matching {
            Some(m) => {
                s.type_and_source += 1;
                let recips: Vec<&str> = events[m]
                    .recipient
                    .iter()
                    .map(|a| a.code.as_str())
                    .collect();
                if !targets.is_empty() && overlap(&targets, &recips) {
                    s.type_source_and_target += 1;
                }
            }
            None => writeln!(
                report,
                "MISS {id}: gold {gold_type} {sources:?} -> {targets:?}: {}",
                sentence.replace('\n', " ")
            )?,
        }
        let reverse_of_match = |e: &dyad_export::EventRecord| {
            matching.is_some_and(|m| {
                let codes = |v: &[dyad_doc::EventActor]| {
                    v.iter().map(|a| a.code.clone()).collect::<Vec<_>>()
                };
                let g = &events[m];
                e.cameo.code == g.cameo.code
                    && codes(&e.actor) == codes(&g.recipient)
                    && codes(&e.recipient) == codes(&g.actor)
            })
        };
        for (n, e) in events.iter().enumerate() {
            // The other direction of a matched mutual act ("X and Y met") is the same event.
            if Some(n) == matching || reverse_of_match(e) {
                continue;
            }
            s.extra += 1;
            let who = |v: &[dyad_doc::EventActor]| {
                v.iter()
                    .map(|a| a.code.as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            };
            writeln!(
                report,
                "EXTRA {id}: {} -> {} {} {} \"{}\"",
                who(&e.actor),
                who(&e.recipient),
                e.event,
                e.cameo.code,
                e.event_text
            )?;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.type_and_source_share = ratio(s.type_and_source, s.records);
    s.extra_per_sentence = ratio(s.extra, s.records);
    s.precision = ratio(s.type_and_source, s.events);
    s.recall = s.type_and_source_share;
    s.f1 = if s.precision + s.recall == 0.0 {
        0.0
    } else {
        2.0 * s.precision * s.recall / (s.precision + s.recall)
    };
    s.type_source_level = crate::gold::LevelScore::new(s.type_and_source, s.events, s.records);
    s.type_source_target_level =
        crate::gold::LevelScore::new(s.type_source_target, s.events, s.records);
    Ok(s)
}
