//! `dyad actors`: every actor mention with its span, code and the reason it was resolved, and
//! the source-actor recall measurement on PLOVER gold records.

use std::io::Write;
use std::path::Path;

use dyad_doc::{Document, Mention, Resolution};
use dyad_pipeline::Pipeline;
use serde::Serialize;

/// One mention as `dyad actors` prints it.
#[derive(Serialize)]
pub struct MentionRow<'a> {
    /// Document id.
    pub doc_id: &'a str,
    /// Index of the sentence holding the mention.
    pub sentence_index: Option<usize>,
    /// Byte range in the clean text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The mention's text.
    pub text: &'a str,
    /// Country or international code.
    pub code: &'a str,
    /// Sector (GOV, MIL, ...), empty when none.
    pub sector: &'a str,
    /// Organisation or group code, empty when none.
    pub org: &'a str,
    /// The person's name, when the mention names one.
    pub person: Option<&'a str>,
    /// Why the mention got its code.
    pub why: String,
}

/// Why a mention was resolved, in words.
fn why(doc: &Document, m: &Mention) -> String {
    match &m.resolution {
        Resolution::Lexicon { lexicon, entry } => format!("lexicon {lexicon}: {entry}"),
        Resolution::Title => "title rule (titled person)".to_string(),
        Resolution::Registry { name, line } => {
            format!("registry people.tsv:{line}: {name}")
        }
        Resolution::Learned { doc_id } => format!("learned from a titled mention in {doc_id}"),
        Resolution::Dateline { place } => {
            format!("country of the dateline ({place}) for a titled name without one")
        }
        Resolution::SoleCountry { country } => {
            format!("the only country the document names ({country}) for a titled name without one")
        }
        Resolution::Apposition => "role in apposition (\"Name, Country's minister\")".to_string(),
        Resolution::Coreference { antecedent } => match doc.mentions.get(*antecedent) {
            Some(a) => format!(
                "coreference with mention {antecedent} \"{}\"",
                a.text(&doc.text)
            ),
            None => format!("coreference with mention {antecedent}"),
        },
    }
}

/// The rows of one coded document.
pub fn rows(doc: &Document) -> Vec<MentionRow<'_>> {
    doc.mentions
        .iter()
        .map(|m| MentionRow {
            doc_id: &doc.id,
            sentence_index: doc
                .sentences
                .iter()
                .position(|s| s.span.start <= m.span.start && m.span.end <= s.span.end),
            start: m.span.start,
            end: m.span.end,
            text: m.text(&doc.text),
            code: &m.actor.code,
            sector: &m.actor.sector,
            org: &m.actor.org,
            person: m.person.as_deref(),
            why: why(doc, m),
        })
        .collect()
}

/// Writes one document's mentions as a table or JSON lines.
pub fn write(w: &mut dyn Write, doc: &Document, jsonl: bool) -> anyhow::Result<()> {
    for r in rows(doc) {
        if jsonl {
            serde_json::to_writer(&mut *w, &r)?;
            writeln!(w)?;
        } else {
            let code = if r.org.is_empty() {
                format!("{} {}", r.code, r.sector)
            } else {
                format!("{} {} {}", r.code, r.org, r.sector)
            };
            writeln!(
                w,
                "{}\ts{}\t{}-{}\t{}\t{}\t{}\t{}",
                r.doc_id,
                r.sentence_index.map_or("?".into(), |s| s.to_string()),
                r.start,
                r.end,
                r.text,
                code.trim_end(),
                r.person.unwrap_or("-"),
                r.why
            )?;
        }
    }
    Ok(())
}

/// Result of the source-actor measurement.
#[derive(Debug, Default, Serialize)]
pub struct GoldScore {
    /// Gold records read.
    pub records: usize,
    /// Records with at least one gold source actor code.
    pub with_source: usize,
    /// Records whose gold source codes all appear among the codes dyad assigns in the sentence.
    pub all_sources_found: usize,
    /// `all_sources_found / with_source`.
    pub share: f64,
}

/// Codes dyad assigns to a document's mentions (the country or international slot, which is
/// what PLOVER gold records write as `code`).
fn found_codes(doc: &Document) -> Vec<String> {
    let mut codes: Vec<String> = doc
        .mentions
        .iter()
        .map(|m| m.actor.code.clone())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Codes each PLOVER gold record's sentence and checks its gold source actors; misses are
/// written to `misses` one per line.
pub fn gold(path: &Path, pipeline: &Pipeline, misses: &mut dyn Write) -> anyhow::Result<GoldScore> {
    let records = crate::eval::read_records(path)?;
    let dated = crate::eval::placeholder_date(&records).is_none();
    let mut score = GoldScore::default();
    for (k, r) in records.iter().enumerate() {
        let Some(sentence) = r.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        score.records += 1;
        let mut gold = crate::eval::codes(r.get("source"));
        gold.sort();
        gold.dedup();
        if gold.is_empty() {
            continue;
        }
        score.with_source += 1;
        let Some(doc) = crate::eval::code_record(path, k, r, sentence, pipeline, dated) else {
            continue;
        };
        let id = doc.id.as_str();
        let found = found_codes(&doc);
        if gold
            .iter()
            .all(|g| found.iter().any(|f| crate::eval::same_code(g, f)))
        {
            score.all_sources_found += 1;
        } else {
            writeln!(
                misses,
                "MISS {id}: gold {gold:?}, found {found:?}: {}",
                sentence.replace('\n', " ")
            )?;
        }
    }
    score.share = if score.with_source == 0 {
        0.0
    } else {
        score.all_sources_found as f64 / score.with_source as f64
    };
    Ok(score)
}
