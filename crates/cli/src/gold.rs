//! `dyad eval GOLD.jsonl`: scores dyad on gold documents written in dyad's own JSONL gold
//! format, so users can annotate their own.
//!
//! # Format
//!
//! One JSON object per line; blank lines and lines starting with `//` or `#` are skipped:
//!
//! ```json
//! {"id": "w-001", "date": "2026-03-02", "text": "Brazil praised Argentina on Monday.",
//!  "events": [{"source": ["BRA"], "target": ["ARG"], "code": "051", "alt_codes": ["050"]}]}
//! {"id": "w-002", "path": "stories/w-002.txt", "events": []}
//! ```
//!
//! - `id`: the document's id (used in the report).
//! - `text`, or `path`: the document text itself (read like the `text` of a JSONL input), or a
//!   `.txt`/`.html` file, relative to the gold file, read like a file given to `dyad code`
//!   (first non-empty line of a `.txt` is the title). Exactly one of the two.
//! - `date` (optional, `YYYY-MM-DD`): the publication date; without it the date comes from the
//!   text as in `dyad code`.
//! - `events`: every event the document reports, `[]` when it reports none. Each has `source`
//!   and `target` (lists of actor codes, or one code as a string; `[]` or a missing `target`
//!   means no target), `code` (a CAMEO code) and optionally `alt_codes` (other CAMEO codes that
//!   are also right). Other fields (`note`, `text`...) are ignored, so annotators can keep notes.
//!
//! An actor code is written as CAMEO writes it: the country or international code (the three
//! letters of dyad's `code` field: `CHN`, `UNO`, `IGO`...) followed by the sector if the actor
//! has one (`CHNGOV`, `USAMIL`, `PSEREB`).
//!
//! # Comparison
//!
//! Each gold event gives one coding per source and target pair (`source: ["CHN", "RUS"]`
//! with `target: ["USA"]` is two codings); a pair of an actor with itself is dropped, so a
//! mutual act ("China and Russia met") can be written once with both actors on both sides.
//! Each dyad event gives one coding per actor and recipient pair, its code being the
//! recipient's `code` + `sector`. A document's codings compare as sets (a coding written twice
//! counts once, as dyad reports a repeated event once with all its mentions), one to one: as
//! many gold codings are matched as possible, each to a different dyad coding. Two levels:
//!
//! - **country + root**: the first three letters of source and target (so `CHNGOV` and `CHN`
//!   are the same) and the CAMEO root (the first two digits of the code or of an alternative);
//! - **full**: the whole actor codes (`CHN` matches only an actor without sector, `CHNGOV`
//!   only the Chinese government) and the whole CAMEO code or one of the alternatives.
//!
//! Precision is matched / dyad codings, recall matched / gold codings. Every gold coding that
//! dyad missed at the full level (`MISS`) and every dyad coding that matches no gold coding at
//! the full level (`EXTRA`) goes to the report, marked `(country+root: ok)` when it matched at
//! the coarser level.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use dyad_doc::{Document, Source, SourceFormat};
use dyad_pipeline::Pipeline;
use serde::{Deserialize, Serialize};

/// True when `path` looks like a dyad JSONL gold file: a `.jsonl`/`.ndjson` extension, or a
/// first non-blank character `{` (a PLOVER gold file is a JSON list and starts with `[`).
pub fn is_jsonl_gold(path: &Path) -> bool {
    if path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
    {
        return true;
    }
    std::fs::read(path)
        .ok()
        .and_then(|b| b.iter().copied().find(|c| !c.is_ascii_whitespace()))
        == Some(b'{')
}

/// One code or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Codes {
    One(String),
    Many(Vec<String>),
}

impl Codes {
    fn list(self) -> Vec<String> {
        let v = match self {
            Codes::One(s) => vec![s],
            Codes::Many(v) => v,
        };
        v.into_iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct GoldLine {
    id: String,
    text: Option<String>,
    path: Option<String>,
    date: Option<String>,
    events: Vec<GoldEventLine>,
}

#[derive(Debug, Deserialize)]
struct GoldEventLine {
    source: Codes,
    #[serde(default)]
    target: Option<Codes>,
    code: String,
    #[serde(default)]
    alt_codes: Vec<String>,
}

/// A gold event as read.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    /// Source actor codes (empty: none).
    pub source: Vec<String>,
    /// Target actor codes (empty: none).
    pub target: Vec<String>,
    /// The CAMEO code, then the alternatives.
    pub codes: Vec<String>,
}

/// One gold coding: a source, a target (empty string for none) and the CAMEO codes accepted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoldCoding {
    /// Whole source actor code, or empty.
    pub source: String,
    /// Whole target actor code, or empty.
    pub target: String,
    /// The CAMEO code, then the alternatives.
    pub codes: Vec<String>,
}

/// One dyad coding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coding {
    /// Whole source actor code (`code` + `sector`), or empty.
    pub source: String,
    /// Whole target actor code, or empty.
    pub target: String,
    /// The CAMEO code.
    pub code: String,
}

/// A comparison level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Source and target country (first three letters) and CAMEO root (first two digits).
    CountryRoot,
    /// Whole actor codes and whole CAMEO code.
    Full,
}

fn country(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

fn root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

impl Level {
    /// Whether dyad's coding `d` matches gold coding `g` at this level.
    pub fn matches(self, g: &GoldCoding, d: &Coding) -> bool {
        match self {
            Level::Full => {
                g.source == d.source && g.target == d.target && g.codes.contains(&d.code)
            }
            Level::CountryRoot => {
                country(&g.source) == country(&d.source)
                    && country(&g.target) == country(&d.target)
                    && g.codes.iter().any(|c| root(c) == root(&d.code))
            }
        }
    }
}

/// The codings of gold events: source × target pairs, self pairs dropped, duplicates once.
pub fn gold_codings(events: &[GoldEvent]) -> Vec<GoldCoding> {
    let none = [String::new()];
    let side = |v: &[String]| -> Vec<String> {
        if v.is_empty() {
            none.to_vec()
        } else {
            v.to_vec()
        }
    };
    let mut out = BTreeSet::new();
    for e in events {
        for s in side(&e.source) {
            for t in side(&e.target) {
                if !s.is_empty() && s == t {
                    continue;
                }
                out.insert(GoldCoding {
                    source: s.clone(),
                    target: t,
                    codes: e.codes.clone(),
                });
            }
        }
    }
    out.into_iter().collect()
}

/// A dyad actor's whole code: `code` + `sector` (CHN + GOV = CHNGOV).
fn whole(a: &dyad_doc::EventActor) -> String {
    format!("{}{}", a.code, a.sector)
}

/// The codings of a coded document, each once, with the index of the first event giving it.
pub fn dyad_codings(doc: &Document) -> Vec<(Coding, usize)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let none = vec![String::new()];
    for (n, e) in doc.events.iter().enumerate() {
        let side = |v: &[dyad_doc::EventActor]| -> Vec<String> {
            if v.is_empty() {
                none.clone()
            } else {
                v.iter().map(whole).collect()
            }
        };
        for s in side(&e.actor) {
            for t in side(&e.recipient) {
                let c = Coding {
                    source: s.clone(),
                    target: t,
                    code: e.cameo.clone(),
                };
                if seen.insert(c.clone()) {
                    out.push((c, n));
                }
            }
        }
    }
    out
}

/// A one-to-one matching of gold to dyad codings at `level` with as many pairs as possible
/// (augmenting paths); `result[g]` is the dyad coding matched to gold coding `g`.
pub fn matching(gold: &[GoldCoding], found: &[Coding], level: Level) -> Vec<Option<usize>> {
    let edges: Vec<Vec<usize>> = gold
        .iter()
        .map(|g| {
            // Whole-code matches first, so the search prefers them.
            let mut e: Vec<usize> = (0..found.len())
                .filter(|&d| level.matches(g, &found[d]))
                .collect();
            e.sort_by_key(|&d| g.codes.first() != Some(&found[d].code));
            e
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; found.len()];
    fn augment(
        g: usize,
        edges: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &d in &edges[g] {
            if seen[d] {
                continue;
            }
            seen[d] = true;
            if owner[d].is_none_or(|o| augment(o, edges, owner, seen)) {
                owner[d] = Some(g);
                return true;
            }
        }
        false
    }
    for g in 0..gold.len() {
        let mut seen = vec![false; found.len()];
        augment(g, &edges, &mut owner, &mut seen);
    }
    let mut result = vec![None; gold.len()];
    for (d, o) in owner.iter().enumerate() {
        if let Some(g) = o {
            result[*g] = Some(d);
        }
    }
    result
}

/// Precision, recall and F1 at one level.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LevelScore {
    /// Gold codings matched by a dyad coding, one to one.
    pub matched: usize,
    /// `matched / codings`.
    pub precision: f64,
    /// `matched / gold_codings`.
    pub recall: f64,
    /// F1 of the two.
    pub f1: f64,
}

impl LevelScore {
    /// The scores of `matched` items among `found` coded and `gold` expected.
    pub fn new(matched: usize, found: usize, gold: usize) -> Self {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(matched, found), ratio(matched, gold));
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        LevelScore {
            matched,
            precision,
            recall,
            f1,
        }
    }
}

/// Scores of a JSONL gold run.
#[derive(Debug, Default, Serialize)]
pub struct GoldScore {
    /// Always `"dyad-jsonl"`.
    pub format: &'static str,
    /// Gold documents scored.
    pub documents: usize,
    /// Lines that could not be read or coded (each reported).
    pub skipped: usize,
    /// Gold events.
    pub gold_events: usize,
    /// Gold codings (source × target pairs of the gold events).
    pub gold_codings: usize,
    /// Events dyad coded.
    pub events: usize,
    /// Distinct codings of dyad's events.
    pub codings: usize,
    /// Source country, target country and CAMEO root.
    pub country_root: LevelScore,
    /// Whole actor codes and whole CAMEO code.
    pub full: LevelScore,
    /// Documents whose codings dyad reproduced exactly at the full level.
    pub documents_exact: usize,
    /// Documents whose gold lists no event.
    pub no_event_documents: usize,
    /// Of those, the ones where dyad coded nothing.
    pub no_event_correct: usize,
}

/// A gold document read from its line.
struct GoldDoc {
    doc: Document,
    events: Vec<GoldEvent>,
}

fn parse_line(
    gold_path: &Path,
    line_no: usize,
    line: &str,
    pipeline: &Pipeline,
    warn: &mut dyn Write,
) -> anyhow::Result<GoldDoc> {
    let g: GoldLine = serde_json::from_str(line).context("not a gold record")?;
    let origin = format!("{}:{line_no}", gold_path.display());
    let mut events = Vec::new();
    for e in g.events {
        let code = e.code.trim().to_string();
        let alts: Vec<String> = e.alt_codes.iter().map(|c| c.trim().to_string()).collect();
        for c in std::iter::once(&code).chain(&alts) {
            if pipeline.ontology().cameo(c).is_none() {
                writeln!(
                    warn,
                    "dyad: warning: {origin}: {c:?} is not a CAMEO code; no event will match it"
                )?;
            }
        }
        let mut codes = vec![code];
        codes.extend(alts.into_iter().filter(|c| !c.is_empty()));
        events.push(GoldEvent {
            source: e.source.list(),
            target: e.target.map(Codes::list).unwrap_or_default(),
            codes,
        });
    }
    let mut doc = match (g.text, g.path) {
        (Some(text), None) => {
            let source = Source {
                path: gold_path.display().to_string(),
                line: Some(line_no),
                format: SourceFormat::Jsonl,
            };
            Document::new(&g.id, source, text)
        }
        (None, Some(p)) => {
            let full = gold_path.parent().unwrap_or(Path::new(".")).join(&p);
            let name = full.display().to_string();
            let mut docs = dyad_ingest::Reader::new(&[name.as_str()], Default::default());
            let doc = match docs.next() {
                Some(Ok(d)) => d,
                Some(Err(e)) => bail!("{e}"),
                None => bail!("{name}: no document"),
            };
            if docs.next().is_some() {
                bail!("{name}: holds several documents; `path` names one .txt or .html file");
            }
            let mut doc = doc;
            doc.id = g.id.clone();
            doc
        }
        _ => bail!("needs exactly one of \"text\" and \"path\""),
    };
    if let Some(d) = g.date.as_deref() {
        match dyad_ingest::parse_metadata_date(d) {
            Some(date) => {
                doc.date = Some(date);
                doc.date_source = Some(dyad_doc::DateSource::Metadata);
            }
            None => bail!("date {d:?} is not YYYY-MM-DD"),
        }
    }
    Ok(GoldDoc { doc, events })
}

fn show(code: &str) -> &str {
    if code.is_empty() {
        "---"
    } else {
        code
    }
}

/// Reads the gold file, codes every document and scores it; misses, extras and unreadable
/// lines go to `report`, one per line.
pub fn evaluate(
    path: &Path,
    pipeline: &Pipeline,
    report: &mut dyn Write,
) -> anyhow::Result<GoldScore> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut s = GoldScore {
        format: "dyad-jsonl",
        ..Default::default()
    };
    let mut golds = Vec::new();
    let mut ids = BTreeSet::new();
    for (k, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") || t.starts_with('#') {
            continue;
        }
        match parse_line(path, k + 1, t, pipeline, report) {
            Ok(g) => {
                if !ids.insert(g.doc.id.clone()) {
                    writeln!(
                        report,
                        "dyad: warning: {}:{}: id {:?} used before",
                        path.display(),
                        k + 1,
                        g.doc.id
                    )?;
                }
                golds.push(g);
            }
            Err(e) => {
                s.skipped += 1;
                writeln!(
                    report,
                    "dyad: error: {}:{}: {e:#}; line skipped",
                    path.display(),
                    k + 1
                )?;
            }
        }
    }
    if golds.is_empty() {
        bail!("{}: no gold documents could be read", path.display());
    }
    let (docs, events): (Vec<Document>, Vec<Vec<GoldEvent>>) =
        golds.into_iter().map(|g| (g.doc, g.events)).unzip();
    let (mut matched_cr, mut matched_full) = (0, 0);
    for (result, gold_events) in pipeline.process_batch(docs).into_iter().zip(events) {
        let doc = match result {
            Ok(d) => d,
            Err(e) => {
                s.skipped += 1;
                writeln!(report, "dyad: error: {e}")?;
                continue;
            }
        };
        s.documents += 1;
        s.gold_events += gold_events.len();
        s.events += doc.events.len();
        let gold = gold_codings(&gold_events);
        let found_ev = dyad_codings(&doc);
        let found: Vec<Coding> = found_ev.iter().map(|(c, _)| c.clone()).collect();
        s.gold_codings += gold.len();
        s.codings += found.len();
        if gold_events.is_empty() {
            s.no_event_documents += 1;
            s.no_event_correct += usize::from(doc.events.is_empty());
        }
        let cr = matching(&gold, &found, Level::CountryRoot);
        let full = matching(&gold, &found, Level::Full);
        let n_cr = cr.iter().flatten().count();
        let n_full = full.iter().flatten().count();
        matched_cr += n_cr;
        matched_full += n_full;
        if n_full == gold.len() && n_full == found.len() {
            s.documents_exact += 1;
        }
        let id = doc.id.as_str();
        let coarse = |ok: bool| if ok { " (country+root: ok)" } else { "" };
        for ((g, m), c) in gold.iter().zip(&full).zip(&cr) {
            if m.is_none() {
                let ok = c.is_some();
                writeln!(
                    report,
                    "MISS {id}: gold {} -> {} {}{}",
                    show(&g.source),
                    show(&g.target),
                    g.codes.join("|"),
                    coarse(ok)
                )?;
            }
        }
        let used_full: BTreeSet<usize> = full.iter().flatten().copied().collect();
        let used_cr: BTreeSet<usize> = cr.iter().flatten().copied().collect();
        for (d, (c, n)) in found_ev.iter().enumerate() {
            if used_full.contains(&d) {
                continue;
            }
            let e = &doc.events[*n];
            writeln!(
                report,
                "EXTRA {id}: {} -> {} {} {} \"{}\" [{}]{}",
                show(&c.source),
                show(&c.target),
                e.plover,
                c.code,
                e.event_text,
                e.rule,
                coarse(used_cr.contains(&d))
            )?;
        }
    }
    s.country_root = LevelScore::new(matched_cr, s.codings, s.gold_codings);
    s.full = LevelScore::new(matched_full, s.codings, s.gold_codings);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(source: &[&str], target: &[&str], codes: &[&str]) -> GoldEvent {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        GoldEvent {
            source: v(source),
            target: v(target),
            codes: v(codes),
        }
    }

    fn found(source: &str, target: &str, code: &str) -> Coding {
        Coding {
            source: source.into(),
            target: target.into(),
            code: code.into(),
        }
    }

    #[test]
    fn gold_events_expand_to_pairs_without_self_pairs() {
        let g = gold_codings(&[gold(&["CHN", "RUS"], &["CHN", "RUS"], &["040"])]);
        let pairs: Vec<(&str, &str)> = g
            .iter()
            .map(|c| (c.source.as_str(), c.target.as_str()))
            .collect();
        assert_eq!(pairs, [("CHN", "RUS"), ("RUS", "CHN")]);
        // No target: one coding with the empty target; duplicates count once.
        let g = gold_codings(&[gold(&["USA"], &[], &["111"]), gold(&["USA"], &[], &["111"])]);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].target, "");
    }

    #[test]
    fn levels_compare_countries_and_roots_or_whole_codes() {
        let g = &gold_codings(&[gold(&["CHNGOV"], &["CUB"], &["051", "050"])])[0];
        assert!(Level::Full.matches(g, &found("CHNGOV", "CUB", "051")));
        assert!(Level::Full.matches(g, &found("CHNGOV", "CUB", "050")));
        assert!(!Level::Full.matches(g, &found("CHN", "CUB", "051")));
        assert!(!Level::Full.matches(g, &found("CHNGOV", "CUB", "057")));
        assert!(Level::CountryRoot.matches(g, &found("CHN", "CUB", "057")));
        assert!(Level::CountryRoot.matches(g, &found("CHNMIL", "CUBGOV", "05")));
        assert!(!Level::CountryRoot.matches(g, &found("CHN", "CUB", "042")));
        assert!(!Level::CountryRoot.matches(g, &found("CHN", "", "051")));
        assert!(!Level::CountryRoot.matches(g, &found("CUB", "CHN", "051")));
    }

    #[test]
    fn matching_is_one_to_one_and_maximal() {
        // Gold A accepts 051 or 057, gold B only 051; dyad found 051 and 057. A greedy match
        // of A to 051 would leave B without; the matching gives both.
        let g = vec![
            GoldCoding {
                source: "CHN".into(),
                target: "CUB".into(),
                codes: vec!["051".into(), "057".into()],
            },
            GoldCoding {
                source: "CHN".into(),
                target: "CUB".into(),
                codes: vec!["051".into()],
            },
        ];
        let f = vec![found("CHN", "CUB", "051"), found("CHN", "CUB", "057")];
        let m = matching(&g, &f, Level::Full);
        assert_eq!(m, [Some(1), Some(0)]);
        // One dyad coding cannot match two gold codings.
        let m = matching(&g, &f[..1], Level::Full);
        assert_eq!(m.iter().flatten().count(), 1);
        let s = LevelScore::new(1, 1, 2);
        assert_eq!((s.precision, s.recall), (1.0, 0.5));
        assert!((s.f1 - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn codes_read_as_one_or_many() {
        let e: GoldEventLine =
            serde_json::from_str(r#"{"source": " chngov ", "code": "051"}"#).expect("parse");
        assert_eq!(e.source.list(), ["CHNGOV"]);
        assert!(e.target.is_none());
        let e: GoldEventLine =
            serde_json::from_str(r#"{"source": ["CHN", ""], "target": [], "code": "051"}"#)
                .expect("parse");
        assert_eq!(e.source.list(), ["CHN"]);
        assert!(e.target.map(Codes::list).unwrap_or_default().is_empty());
    }
}
