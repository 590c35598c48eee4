//! `dyad eval RECORDS.xml`: scores dyad on PETRARCH validation records (such as
//! ../shared/eval/petrarch-unit/PETR.UnitTest.records.xml) coded with the dictionaries the file's
//! `<Environment>` names, read from the XML's directory: the verb dictionary through
//! [`dyad_events::petrarch`], actors and agents through the actor lexicon's PETRARCH reader
//! (every `*.actors.txt` / `*.agents.txt` there, next to the compiled-in lexicons), discards.
//!
//! # Records
//!
//! The XML is read leniently (comments are dropped, attributes may have spaces around `=`).
//! Each `<Sentence date id category sentence>` has `<EventCoding sourcecode targetcode
//! eventcode>` lines, or `<EventCoding noevents="True">`, or `<EventCoding error="...">`, and a
//! `<Text>`. Left out of the score, and counted in `skipped`: records whose category is not in
//! the `<Include>` list, records marked `sentence="false"` (PETRARCH's "not implemented"), and
//! `error="bad_input_parse"` records (they test PETRARCH's reading of the supplied Penn parse,
//! which dyad does not use). The other `error` records (`storydiscard`, `sentencediscard`,
//! `dateline`) expect no event, as `noevents` records do.
//!
//! # Comparison
//!
//! A coding is (source code, target code, event code). Codes compare as PETRARCH does, as whole
//! strings: dyad's actor code is rebuilt as country + sector + organisation (`ARN` + `GOV` =
//! `ARNGOV`; `---` for no country, as in `---GOV`), and an event without a target has the null
//! target `---`. The country-level figure compares only the first three letters of each actor
//! code. A paired code `032:033` codes source→target 032 and target→source 033; the null code
//! `---` codes nothing. Each dyad event gives one coding per source and target pair. A record
//! expecting no event counts as one expected unit, reproduced when dyad codes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use dyad_doc::{Document, Source, SourceFormat};
use dyad_events::petrarch::{self, Discards};
use dyad_pipeline::{Options, Pipeline};
use serde::Serialize;

/// True when `path` looks like PETRARCH validation XML (by extension or first character).
pub fn is_petrarch(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
    {
        return true;
    }
    std::fs::read(path)
        .ok()
        .and_then(|b| b.iter().copied().find(|c| !c.is_ascii_whitespace()))
        == Some(b'<')
}

/// Scores of a PETRARCH validation run.
#[derive(Debug, Default, Serialize)]
pub struct PetrarchScore {
    /// Records scored.
    pub records: usize,
    /// Records left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Expected codings (source, target, event code) in the scored records.
    pub expected_codings: usize,
    /// Expected codings dyad reproduced, whole codes.
    pub reproduced: usize,
    /// Records that expect no event.
    pub no_event_records: usize,
    /// Of those, the ones where dyad coded nothing.
    pub no_event_correct: usize,
    /// `(reproduced + no_event_correct) / (expected_codings + no_event_records)`.
    pub share: f64,
    /// Expected codings reproduced when actor codes compare at country level (three letters).
    pub reproduced_country: usize,
    /// The share at country level.
    pub share_country: f64,
    /// Records whose codings dyad reproduced exactly, nothing missing and nothing extra.
    pub records_exact: usize,
    /// Distinct codings dyad made in the scored records.
    pub coded: usize,
    /// Codings that match no expected coding of their record (whole codes).
    pub extras: usize,
    /// `reproduced / coded`.
    pub precision: f64,
    /// `reproduced / expected_codings`.
    pub recall: f64,
    /// F1 of the two.
    pub f1: f64,
    /// Verb-dictionary pattern lines converted into dyad entries.
    pub patterns_converted: usize,
    /// Pattern lines skipped, by reason.
    pub patterns_skipped: BTreeMap<String, usize>,
}

/// One expected or found coding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Coding {
    /// Source actor code.
    pub source: String,
    /// Target actor code (`---` for none).
    pub target: String,
    /// Event code.
    pub code: String,
}

impl Coding {
    fn country(&self) -> (String, String, &str) {
        let c = |s: &str| s.chars().take(3).collect::<String>();
        (c(&self.source), c(&self.target), &self.code)
    }
}

/// One validation record.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// `id` attribute.
    pub id: String,
    /// `date` attribute (YYYYMMDD).
    pub date: Option<NaiveDate>,
    /// `category` attribute.
    pub category: String,
    /// `sentence="false"` marks a record PETRARCH does not implement.
    pub valid: bool,
    /// Expected codings.
    pub codings: Vec<Coding>,
    /// `error` attributes of its EventCoding lines.
    pub errors: Vec<String>,
    /// The text, whitespace collapsed.
    pub text: String,
    /// 1-based line of the `<Sentence` tag.
    pub line: usize,
}

/// The `<Environment>` of a records file.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `<Verbfile>`.
    pub verbs: Option<String>,
    /// `<Actorfile>`.
    pub actors: Option<String>,
    /// `<Agentfile>`.
    pub agents: Option<String>,
    /// `<Discardfile>`.
    pub discards: Option<String>,
    /// `<Include>` categories (empty: all).
    pub include: Vec<String>,
}

/// Replaces `<!-- -->` comments by spaces, keeping line breaks (so offsets give lines).
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(s) = rest.find("<!--") {
        out.push_str(&rest[..s]);
        let body = &rest[s..];
        let end = body.find("-->").map_or(body.len(), |e| e + 3);
        out.extend(
            body[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The attributes of a start tag's inside (`name = "value" ...`).
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_string();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            rest = after;
            continue;
        };
        let body = &after[1..];
        let Some(close) = body.find(q) else {
            break;
        };
        out.insert(name, unescape(&body[..close]));
        rest = &body[close + 1..];
    }
    out
}

/// The text of the first `<name>...</name>` element in `s`.
fn element<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = s.find(&open)? + open.len();
    let end = s[start..].find(&close)? + start;
    Some(&s[start..end])
}

/// Reads a PETRARCH validation records file.
pub fn read_records(text: &str) -> (Environment, Vec<Record>) {
    let text = blank_comments(text);
    let mut env = Environment::default();
    if let Some(e) = element(&text, "Environment") {
        let get = |n: &str| {
            element(e, n)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        env.verbs = get("Verbfile");
        env.actors = get("Actorfile");
        env.agents = get("Agentfile");
        env.discards = get("Discardfile");
        env.include = get("Include")
            .map(|v| v.split_whitespace().map(str::to_uppercase).collect())
            .unwrap_or_default();
    }
    let mut records = Vec::new();
    let mut pos = 0;
    while let Some(s) = text[pos..].find("<Sentence ").map(|s| s + pos) {
        let Some(tag_end) = text[s..].find('>').map(|e| e + s) else {
            break;
        };
        let body_end = text[tag_end..]
            .find("</Sentence>")
            .map_or(text.len(), |e| e + tag_end);
        let attrs = attributes(&text[s + "<Sentence ".len()..tag_end]);
        let body = &text[tag_end + 1..body_end];
        let mut r = Record {
            id: attrs.get("id").cloned().unwrap_or_default(),
            date: attrs
                .get("date")
                .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y%m%d").ok()),
            category: attrs.get("category").cloned().unwrap_or_default(),
            valid: !attrs
                .get("sentence")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("false")),
            line: text[..s].matches('\n').count() + 1,
            ..Default::default()
        };
        let mut p = 0;
        while let Some(c) = body[p..].find("<EventCoding").map(|c| c + p) {
            let Some(e) = body[c..].find('>').map(|e| e + c) else {
                break;
            };
            let a = attributes(&body[c + "<EventCoding".len()..e]);
            if let Some(err) = a.get("error") {
                r.errors.push(err.trim().to_string());
            } else if let (Some(s), Some(t), Some(code)) =
                (a.get("sourcecode"), a.get("targetcode"), a.get("eventcode"))
            {
                r.codings.push(Coding {
                    source: s.trim().to_uppercase(),
                    target: t.trim().to_uppercase(),
                    code: code.trim().to_uppercase(),
                });
            }
            p = e;
        }
        r.text = element(body, "Text")
            .map(|t| unescape(t).split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        records.push(r);
        pos = body_end.max(tag_end + 1);
    }
    (env, records)
}

/// The pipeline and discards for a records file: its directory's dictionaries.
pub fn setup(
    path: &Path,
    env: &Environment,
    warn: &mut dyn Write,
) -> anyhow::Result<(Pipeline, Discards, petrarch::Conversion)> {
    let dir = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        })
        .unwrap_or_else(|| PathBuf::from("."));
    for (what, name, suffix) in [
        ("Actorfile", &env.actors, ".actors.txt"),
        ("Agentfile", &env.agents, ".agents.txt"),
    ] {
        if let Some(n) = name {
            if !n.ends_with(suffix) {
                writeln!(
                    warn,
                    "dyad: warning: {what} {n} is not read: only files named *{suffix} are"
                )?;
            } else if !dir.join(n).is_file() {
                writeln!(
                    warn,
                    "dyad: warning: {what} {} not found",
                    dir.join(n).display()
                )?;
            }
        }
    }
    let pipeline = Pipeline::new(&Options {
        lexicon_dir: Some(dir.clone()),
        default_date: None,
    })?;
    for w in pipeline.lexicon_warnings() {
        writeln!(warn, "dyad: warning: {w}")?;
    }
    let verbs = env
        .verbs
        .as_deref()
        .context("the records name no <Verbfile>")?;
    let vpath = dir.join(verbs);
    let bytes = std::fs::read(&vpath).with_context(|| format!("reading {}", vpath.display()))?;
    let (dict, errors) = petrarch::read_verbs(
        &String::from_utf8_lossy(&bytes),
        &vpath.display().to_string(),
    );
    for e in errors {
        writeln!(warn, "dyad: warning: {e}; line skipped")?;
    }
    let (lexicon, conversion) = dict.to_lexicon();
    let discards = match &env.discards {
        Some(d) => {
            let dpath = dir.join(d);
            let bytes =
                std::fs::read(&dpath).with_context(|| format!("reading {}", dpath.display()))?;
            let (discards, errors) = petrarch::read_discards(
                &String::from_utf8_lossy(&bytes),
                &dpath.display().to_string(),
            );
            for e in errors {
                writeln!(warn, "dyad: warning: {e}; line skipped")?;
            }
            discards
        }
        None => Discards::default(),
    };
    Ok((pipeline.with_predicates(lexicon), discards, conversion))
}

/// A mention's whole PETRARCH codes: country (`---` for none), sector, organisation; a
/// dictionary code listing several actors (`ELR/GAL`) gives one code each, with the sector.
fn whole_codes(country: &str, sector: &str, org: &str) -> Vec<String> {
    let country = if country.is_empty() { "---" } else { country };
    if org.contains('/') {
        return format!("{country}{org}")
            .split('/')
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}{sector}"))
            .collect();
    }
    vec![format!("{country}{sector}{org}")]
}

/// The codings of a coded document, sentence discards applied, paired codes split, the null
/// code dropped; with the event text and rule of each, for the report.
fn codings(doc: &Document, discards: &Discards) -> Vec<(Coding, String)> {
    let mut out: Vec<(Coding, String)> = Vec::new();
    let code_of = |a: &dyad_doc::EventActor| {
        let org = doc
            .mentions
            .iter()
            .find(|m| m.text(&doc.text) == a.entity_text && m.actor.code == a.code)
            .map_or("", |m| m.actor.org.as_str());
        whole_codes(&a.code, &a.sector, org)
    };
    for e in &doc.events {
        let discarded = e.mentions.iter().all(|m| {
            discards
                .sentence_discard(m.sentence.text(&doc.text))
                .is_some()
        });
        if discarded && !e.mentions.is_empty() {
            continue;
        }
        let (forward, backward) = match e.cameo.split_once(':') {
            Some((f, b)) => (f.trim().to_string(), Some(b.trim().to_string())),
            None => (e.cameo.clone(), None),
        };
        let sources: Vec<String> = e.actor.iter().flat_map(code_of).collect();
        let mut targets: Vec<String> = e.recipient.iter().flat_map(code_of).collect();
        if targets.is_empty() {
            targets.push("---".into());
        }
        let why = format!("\"{}\" {}", e.event_text, e.rule);
        for s in &sources {
            for t in &targets {
                let mut push = |source: &str, target: &str, code: &str| {
                    let c = Coding {
                        source: source.to_string(),
                        target: target.to_string(),
                        code: code.to_string(),
                    };
                    if code != "---" && !code.is_empty() && !out.iter().any(|(o, _)| *o == c) {
                        out.push((c, why.clone()));
                    }
                };
                push(s, t, &forward);
                if let Some(b) = &backward {
                    if t != "---" {
                        push(t, s, b);
                    }
                }
            }
        }
    }
    out
}

/// Codes every record and scores it; misses and extras go to `report`, one per line.
pub fn evaluate(path: &Path, report: &mut dyn Write) -> anyhow::Result<PetrarchScore> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (env, records) = read_records(&String::from_utf8_lossy(&bytes));
    if records.is_empty() {
        anyhow::bail!("{}: no <Sentence> records", path.display());
    }
    let (pipeline, discards, conversion) = setup(path, &env, report)?;
    let mut s = PetrarchScore {
        patterns_converted: conversion.converted,
        patterns_skipped: conversion.skipped.into_iter().collect(),
        ..Default::default()
    };
    let included = |c: &str| env.include.is_empty() || env.include.contains(&c.to_uppercase());
    for r in &records {
        let skip = if !included(&r.category) {
            Some("category not in <Include>")
        } else if !r.valid {
            Some("sentence=\"false\"")
        } else if r.errors.iter().any(|e| e == "bad_input_parse") {
            Some("bad_input_parse (tests PETRARCH's parse input)")
        } else {
            None
        };
        if let Some(why) = skip {
            *s.skipped.entry(why.to_string()).or_default() += 1;
            continue;
        }
        s.records += 1;
        let found = if discards.story_discard(&r.text).is_some() {
            Vec::new()
        } else {
            let source = Source {
                path: path.display().to_string(),
                line: Some(r.line),
                format: SourceFormat::Jsonl,
            };
            let mut doc = Document::new(&r.id, source, &r.text);
            doc.date = r.date;
            match pipeline.process_guarded(doc) {
                Ok(doc) => codings(&doc, &discards),
                Err(e) => {
                    crate::run::report(&e);
                    Vec::new()
                }
            }
        };
        s.coded += found.len();
        let id = &r.id;
        if r.codings.is_empty() {
            s.no_event_records += 1;
            if found.is_empty() {
                s.no_event_correct += 1;
                s.records_exact += 1;
            } else {
                writeln!(report, "MISS {id}: expected no event: {}", r.text)?;
            }
        }
        let mut used = vec![false; found.len()];
        let mut exact = true;
        for g in &r.codings {
            s.expected_codings += 1;
            if found.iter().any(|(f, _)| f.country() == g.country()) {
                s.reproduced_country += 1;
            }
            match found.iter().position(|(f, _)| f == g) {
                Some(k) => {
                    s.reproduced += 1;
                    used[k] = true;
                }
                None => {
                    exact = false;
                    writeln!(
                        report,
                        "MISS {id}: {} -> {} {}: {}",
                        g.source, g.target, g.code, r.text
                    )?;
                }
            }
        }
        for (k, (f, why)) in found.iter().enumerate() {
            if used[k] {
                continue;
            }
            exact = false;
            s.extras += 1;
            writeln!(
                report,
                "EXTRA {id}: {} -> {} {} {why}",
                f.source, f.target, f.code
            )?;
        }
        if exact && !r.codings.is_empty() {
            s.records_exact += 1;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let units = s.expected_codings + s.no_event_records;
    s.share = ratio(s.reproduced + s.no_event_correct, units);
    s.share_country = ratio(s.reproduced_country + s.no_event_correct, units);
    s.precision = ratio(s.reproduced, s.coded);
    s.recall = ratio(s.reproduced, s.expected_codings);
    s.f1 = if s.precision + s.recall == 0.0 {
        0.0
    } else {
        2.0 * s.precision * s.recall / (s.precision + s.recall)
    };
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_leniently() {
        let xml = r#"<Validation>
<Environment><Verbfile>v.txt</Verbfile><Include>DEMO</Include></Environment>
<!-- <Sentence id="C"> commented out </Sentence> -->
<Sentence date = "19950101" id ="A-1" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode="GON" targetcode="ARN" eventcode="064"></EventCoding>
<Text>
Arnor  restored
ties &amp; more.
</Text>
</Sentence>
<Sentence date="19950102" id="A-2" category="X" sentence="false">
<EventCoding noevents = "True"> </EventCoding>
<Text>Nothing.</Text>
</Sentence>
"#;
        let (env, rs) = read_records(xml);
        assert_eq!(env.verbs.as_deref(), Some("v.txt"));
        assert_eq!(env.include, vec!["DEMO"]);
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[0].id, "A-1");
        assert_eq!(rs[0].line, 4);
        assert_eq!(rs[0].codings.len(), 2);
        assert_eq!(rs[0].text, "Arnor restored ties & more.");
        assert_eq!(rs[0].date, NaiveDate::from_ymd_opt(1995, 1, 1));
        assert!(!rs[1].valid);
        assert!(rs[1].codings.is_empty());
    }
}
