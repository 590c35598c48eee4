//! `dyad eval` on time-expression gold data: TempEval-3 TimeML (`*.tml`, such as
//! ../shared/eval/timex/te3-platinum) and MEANTIME (token-anchored CAT XML, such as
//! ../shared/eval/timex/meantime).
//!
//! Each article becomes a [`Document`] whose text is the gold text (TE3: the `<TEXT>` element
//! with its tags removed; MEANTIME: the tokens joined with ordinary spacing, one sentence a
//! line) and whose date is the gold document creation time. MEANTIME annotates only the first
//! sentences of each article; expressions after the last sentence holding any markable are not
//! scored (the tagger still reads the whole article). The nlp stage runs so the tagger
//! can read tense, then [`dyad_timeplace::timex::annotate`].
//!
//! Scores follow TempEval-3: strict detection counts exact spans, relaxed detection any overlap
//! (each gold and system expression matched at most once); type and value accuracy are over
//! relaxed matches; value F1 takes P = correct values / system expressions and R = correct
//! values / gold expressions. Every miss, extra and wrong value goes to the log, one line each.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use dyad_doc::{Document, Source, TimeExpr, TimexKind};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use rayon::prelude::*;
use serde::Serialize;

/// A gold time expression: byte span into the gold text, TIMEX3 type and value.
#[derive(Debug, Clone)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

/// One gold article.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    pub dct: Option<NaiveDate>,
    pub timexes: Vec<GoldTimex>,
    /// End of the annotated stretch of `text`: MEANTIME annotates only an article's first
    /// sentences, so expressions after the last sentence with any markable are not scored.
    pub scored_end: usize,
}

/// Scores of a time-expression run.
#[derive(Debug, Default, Serialize)]
pub struct TimexScore {
    /// "te3" or "meantime".
    pub corpus: String,
    pub documents: usize,
    /// Gold expressions.
    pub gold: usize,
    /// Expressions dyad found.
    pub found: usize,
    pub strict_matches: usize,
    pub relaxed_matches: usize,
    pub strict_precision: f64,
    pub strict_recall: f64,
    pub strict_f1: f64,
    pub relaxed_precision: f64,
    pub relaxed_recall: f64,
    pub relaxed_f1: f64,
    /// Correct TIMEX3 type among relaxed matches.
    pub type_accuracy: f64,
    /// Correct value among relaxed matches.
    pub value_accuracy: f64,
    /// Relaxed matches with the gold value.
    pub value_correct: usize,
    /// value_correct / found.
    pub value_precision: f64,
    /// value_correct / gold.
    pub value_recall: f64,
    pub value_f1: f64,
    pub docs_per_sec: f64,
}

/// The gold files under `path`: `*.tml` files or MEANTIME XML, searched a few levels deep.
fn gold_files(path: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                if depth < 4 {
                    walk(&p, depth + 1, out);
                }
            } else if is_tml(&p) || is_meantime_file(&p) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    if path.is_dir() {
        walk(path, 0, &mut out);
    } else if is_tml(path) || is_meantime_file(path) {
        out.push(path.to_path_buf());
    }
    out
}

fn is_tml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tml"))
}

/// MEANTIME CAT XML: a `<Document` root with `<token` children.
fn is_meantime_file(p: &Path) -> bool {
    if !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(p) else {
        return false;
    };
    let mut head = vec![0u8; 2048];
    let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.contains("<Document") && head.contains("<token")
}

/// True when `path` is TimeML (`.tml`) or MEANTIME gold, or a folder of either.
pub fn is_timex(path: &Path) -> bool {
    !gold_files(path).is_empty()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// The first `YYYY-MM-DD` in a TIMEX3 value.
fn value_date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok()
}

/// Reads a TempEval-3 TimeML file: the `<TEXT>` with its TIMEX3 spans, and the DCT.
pub fn read_tml(path: &Path) -> anyhow::Result<GoldDoc> {
    let xml =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut r = Reader::from_str(&xml);
    r.config_mut().trim_text(false);
    let mut doc = GoldDoc {
        id: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        text: String::new(),
        dct: None,
        timexes: Vec::new(),
        scored_end: usize::MAX,
    };
    let (mut in_text, mut in_dct) = (false, false);
    let mut open: Vec<(usize, String, String)> = Vec::new();
    loop {
        match r
            .read_event()
            .with_context(|| format!("parsing {}", path.display()))?
        {
            Event::Eof => break,
            Event::Start(e) => match e.name().as_ref() {
                "TEXT" => in_text = true,
                "DCT" => in_dct = true,
                "DOCID" => {}
                "TIMEX3" => {
                    let func = attr(&e, "functionInDocument").unwrap_or_default();
                    if (in_dct || func == "CREATION_TIME") && doc.dct.is_none() {
                        doc.dct = attr(&e, "value").and_then(|v| value_date(&v));
                    }
                    open.push((
                        doc.text.len(),
                        attr(&e, "type").unwrap_or_default(),
                        attr(&e, "value").unwrap_or_default(),
                    ));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "TEXT" => in_text = false,
                "DCT" => in_dct = false,
                "TIMEX3" => {
                    if let Some((start, kind, value)) = open.pop() {
                        if in_text && start < doc.text.len() {
                            doc.timexes.push(GoldTimex {
                                start,
                                end: doc.text.len(),
                                kind,
                                value,
                            });
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => doc.text.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => doc.text.push_str(&t),
            Event::GeneralRef(g) if in_text => {
                if let Some(c) = entity(&g.xml10_content()) {
                    doc.text.push(c);
                }
            }
            _ => {}
        }
    }
    doc.timexes.sort_by_key(|t| (t.start, t.end));
    Ok(doc)
}

/// Tokens after which no space is written, and before which none is.
fn no_space_before(tok: &str) -> bool {
    matches!(
        tok,
        "," | "."
            | ";"
            | ":"
            | "!"
            | "?"
            | ")"
            | "]"
            | "}"
            | "%"
            | "'s"
            | "n't"
            | "'"
            | "'re"
            | "'ve"
            | "'ll"
            | "'d"
            | "'m"
            | "’s"
    )
}

fn no_space_after(tok: &str) -> bool {
    matches!(tok, "(" | "[" | "{" | "$" | "#" | "US$" | "£" | "€")
}

/// Reads a MEANTIME CAT XML file: tokens joined into text (one sentence a line), and the
/// token-anchored TIMEX3 markables.
pub fn read_meantime(path: &Path) -> anyhow::Result<GoldDoc> {
    let xml =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut r = Reader::from_str(&xml);
    r.config_mut().trim_text(false);
    let mut id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // (t_id, sentence, text)
    let mut tokens: Vec<(String, String, String)> = Vec::new();
    let mut in_token = false;
    // (type, value, function, anchors)
    let mut markables: Vec<(String, String, String, Vec<String>)> = Vec::new();
    let mut cur: Option<(String, String, String, Vec<String>)> = None;
    // Every token any markable (event, entity, timex, ...) is anchored to.
    let mut anchored: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        match r
            .read_event()
            .with_context(|| format!("parsing {}", path.display()))?
        {
            Event::Eof => break,
            Event::Start(e) => match e.name().as_ref() {
                "Document" => {
                    if let Some(n) = attr(&e, "doc_name") {
                        id = n;
                    }
                }
                "token" => {
                    in_token = true;
                    tokens.push((
                        attr(&e, "t_id").unwrap_or_default(),
                        attr(&e, "sentence").unwrap_or_default(),
                        String::new(),
                    ));
                }
                "TIMEX3" => {
                    cur = Some((
                        attr(&e, "type").unwrap_or_default(),
                        attr(&e, "value").unwrap_or_default(),
                        attr(&e, "functionInDocument").unwrap_or_default(),
                        Vec::new(),
                    ));
                }
                _ => {}
            },
            Event::Empty(e) if e.name().as_ref() == "token_anchor" => {
                if let Some(t) = attr(&e, "t_id") {
                    if let Some(c) = cur.as_mut() {
                        c.3.push(t.clone());
                    }
                    anchored.insert(t);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "token" => in_token = false,
                "TIMEX3" => {
                    if let Some(c) = cur.take() {
                        if !c.3.is_empty() {
                            markables.push(c);
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_token => {
                if let Some(last) = tokens.last_mut() {
                    last.2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) if in_token => {
                if let (Some(last), Some(c)) = (tokens.last_mut(), entity(&g.xml10_content())) {
                    last.2.push(c);
                }
            }
            _ => {}
        }
    }
    // Join the tokens with ordinary spacing.
    let mut text = String::new();
    let mut offsets = std::collections::HashMap::new();
    // Byte end of each sentence, and the last sentence with an anchored token.
    let mut sentence_end: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut last_annotated: Option<&str> = None;
    let mut prev_sentence: Option<&str> = None;
    let mut prev_tok = "";
    let mut open_quote = false;
    for (tid, sentence, tok) in &tokens {
        let tok = tok.trim();
        if prev_sentence.is_some_and(|s| s != sentence) {
            text.push('\n');
        } else if prev_sentence.is_some() {
            let quote = tok == "\"";
            let glue = no_space_after(prev_tok)
                || (prev_tok == "\"" && open_quote)
                || (quote && open_quote)
                || (!quote && no_space_before(tok));
            if !glue {
                text.push(' ');
            }
        }
        if tok == "\"" {
            open_quote = !open_quote;
        }
        let start = text.len();
        text.push_str(tok);
        offsets.insert(tid.as_str(), (start, text.len()));
        sentence_end.insert(sentence.as_str(), text.len());
        if anchored.contains(tid) {
            last_annotated = Some(sentence.as_str());
        }
        prev_sentence = Some(sentence);
        prev_tok = tok;
    }
    let mut doc = GoldDoc {
        id,
        text: String::new(),
        dct: None,
        timexes: Vec::new(),
        scored_end: last_annotated
            .and_then(|s| sentence_end.get(s).copied())
            .unwrap_or(usize::MAX),
    };
    for (kind, value, func, anchors) in markables {
        let spans: Vec<(usize, usize)> = anchors
            .iter()
            .filter_map(|a| offsets.get(a.as_str()).copied())
            .collect();
        let (Some(start), Some(end)) = (
            spans.iter().map(|s| s.0).min(),
            spans.iter().map(|s| s.1).max(),
        ) else {
            continue;
        };
        if func == "CREATION_TIME" && doc.dct.is_none() {
            doc.dct = value_date(&value)
                .or_else(|| dyad_timeplace::parse_full_date(text.get(start..end).unwrap_or("")));
        }
        doc.timexes.push(GoldTimex {
            start,
            end,
            kind,
            value,
        });
    }
    doc.timexes.sort_by_key(|t| (t.start, t.end));
    doc.timexes.dedup_by_key(|t| (t.start, t.end));
    // A few files mark no creation time; take the date line under the title, as the pipeline
    // would.
    if doc.dct.is_none() {
        doc.dct = text
            .lines()
            .take(3)
            .find_map(dyad_timeplace::parse_full_date);
    }
    doc.text = text;
    Ok(doc)
}

/// Runs the nlp stage and the time-expression tagger on a gold article's text.
pub fn tag(gold: &GoldDoc) -> Vec<TimeExpr> {
    let mut doc = Document::new(gold.id.clone(), Source::default(), gold.text.clone());
    doc.text = gold.text.clone();
    doc.date = gold.dct;
    dyad_nlp::annotate(&mut doc);
    dyad_timeplace::timex::annotate(&mut doc);
    doc.times
}

fn kind_name(k: TimexKind) -> &'static str {
    match k {
        TimexKind::Date => "DATE",
        TimexKind::Time => "TIME",
        TimexKind::Duration => "DURATION",
        TimexKind::Set => "SET",
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scores the tagger on the gold data at `path`, logging every miss, extra and wrong value.
pub fn evaluate(path: &Path, log: &mut dyn Write) -> anyhow::Result<TimexScore> {
    let files = gold_files(path);
    anyhow::ensure!(
        !files.is_empty(),
        "no TimeML or MEANTIME files in {}",
        path.display()
    );
    let tml = files.iter().any(|f| is_tml(f));
    let docs: Vec<GoldDoc> = files
        .iter()
        .map(|f| {
            if is_tml(f) {
                read_tml(f)
            } else {
                read_meantime(f)
            }
        })
        .collect::<anyhow::Result<_>>()?;
    let clock = Instant::now();
    let found: Vec<Vec<TimeExpr>> = docs.par_iter().map(tag).collect();
    let secs = clock.elapsed().as_secs_f64();
    let mut s = TimexScore {
        corpus: if tml { "te3" } else { "meantime" }.into(),
        documents: docs.len(),
        ..Default::default()
    };
    let mut type_correct = 0;
    for (g, sys) in docs.iter().zip(&found) {
        let sys: Vec<&TimeExpr> = sys.iter().filter(|t| t.span.start < g.scored_end).collect();
        s.gold += g.timexes.len();
        s.found += sys.len();
        let mut used = vec![false; sys.len()];
        let mut matched = vec![None; g.timexes.len()];
        // Exact spans first, then any overlap.
        for (gi, gt) in g.timexes.iter().enumerate() {
            if let Some(k) = (0..sys.len())
                .find(|&k| !used[k] && sys[k].span.start == gt.start && sys[k].span.end == gt.end)
            {
                used[k] = true;
                matched[gi] = Some(k);
                s.strict_matches += 1;
            }
        }
        for (gi, gt) in g.timexes.iter().enumerate() {
            if matched[gi].is_some() {
                continue;
            }
            if let Some(k) = (0..sys.len())
                .find(|&k| !used[k] && sys[k].span.start < gt.end && gt.start < sys[k].span.end)
            {
                used[k] = true;
                matched[gi] = Some(k);
            }
        }
        for (gi, gt) in g.timexes.iter().enumerate() {
            let gtext = one_line(g.text.get(gt.start..gt.end).unwrap_or(""));
            let Some(k) = matched[gi] else {
                writeln!(log, "miss\t{}\t{gtext}\t{} {}", g.id, gt.kind, gt.value)?;
                continue;
            };
            s.relaxed_matches += 1;
            let t = sys[k];
            let kind = kind_name(t.kind);
            if kind.eq_ignore_ascii_case(&gt.kind) {
                type_correct += 1;
            }
            if t.value.eq_ignore_ascii_case(gt.value.trim()) {
                s.value_correct += 1;
            } else {
                writeln!(
                    log,
                    "value\t{}\t{gtext} | {}\texpected {} {}\tfound {kind} {}",
                    g.id,
                    one_line(&t.text),
                    gt.kind,
                    gt.value,
                    t.value
                )?;
            }
        }
        for (k, t) in sys.iter().enumerate() {
            if !used[k] {
                writeln!(
                    log,
                    "extra\t{}\t{}\tfound {} {}",
                    g.id,
                    one_line(&t.text),
                    kind_name(t.kind),
                    t.value
                )?;
            }
        }
    }
    s.strict_precision = ratio(s.strict_matches, s.found);
    s.strict_recall = ratio(s.strict_matches, s.gold);
    s.strict_f1 = f1(s.strict_precision, s.strict_recall);
    s.relaxed_precision = ratio(s.relaxed_matches, s.found);
    s.relaxed_recall = ratio(s.relaxed_matches, s.gold);
    s.relaxed_f1 = f1(s.relaxed_precision, s.relaxed_recall);
    s.type_accuracy = ratio(type_correct, s.relaxed_matches);
    s.value_accuracy = ratio(s.value_correct, s.relaxed_matches);
    s.value_precision = ratio(s.value_correct, s.found);
    s.value_recall = ratio(s.value_correct, s.gold);
    s.value_f1 = f1(s.value_precision, s.value_recall);
    s.docs_per_sec = if secs > 0.0 {
        docs.len() as f64 / secs
    } else {
        0.0
    };
    for v in [
        &mut s.strict_precision,
        &mut s.strict_recall,
        &mut s.strict_f1,
        &mut s.relaxed_precision,
        &mut s.relaxed_recall,
        &mut s.relaxed_f1,
        &mut s.type_accuracy,
        &mut s.value_accuracy,
        &mut s.value_precision,
        &mut s.value_recall,
        &mut s.value_f1,
        &mut s.docs_per_sec,
    ] {
        *v = (*v * 10_000.0).round() / 10_000.0;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, dct: &str) -> Vec<String> {
        let gold = GoldDoc {
            id: "t".into(),
            text: text.into(),
            dct: NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok(),
            timexes: Vec::new(),
            scored_end: usize::MAX,
        };
        tag(&gold).into_iter().map(|t| t.value).collect()
    }

    #[test]
    fn the_parse_decides_past_or_future() {
        // 2026-02-06 is a Friday.
        let v = values(
            "The foreign minister will travel to Havana on Thursday.\nThe foreign minister travelled to Havana on Thursday.\nThe summit is expected to open in March.\nThe summit opened in March.",
            "2026-02-06",
        );
        assert_eq!(v, ["2026-02-12", "2026-02-05", "2026-03", "2025-03"]);
    }

    #[test]
    fn reads_timeml_and_meantime() {
        let dir = tempfile::tempdir().unwrap();
        let tml = dir.path().join("a.tml");
        std::fs::write(
            &tml,
            r#"<?xml version="1.0" ?><TimeML><DOCID>a</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2013-03-22">March 22, 2013</TIMEX3></DCT>
<TEXT>Rates &amp; prices rose <TIMEX3 tid="t1" type="DATE" value="2012">last year</TIMEX3>, officials <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t2" type="DATE" value="2013-03-22">Friday</TIMEX3>.</TEXT></TimeML>"#,
        )
        .unwrap();
        let d = read_tml(&tml).unwrap();
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(2013, 3, 22));
        let spans: Vec<&str> = d.timexes.iter().map(|t| &d.text[t.start..t.end]).collect();
        assert_eq!(spans, ["last year", "Friday"]);
        assert!(d.text.starts_with("Rates & prices"));
        let mt = dir.path().join("m.xml");
        std::fs::write(
            &mt,
            r#"<?xml version="1.0" ?><Document doc_id="1" doc_name="m" lang="en">
<token number="0" sentence="0" t_id="1">Title</token>
<token number="1" sentence="1" t_id="2">March</token><token number="2" sentence="1" t_id="3">01</token>
<token number="3" sentence="1" t_id="4">,</token><token number="4" sentence="1" t_id="5">2008</token>
<token number="5" sentence="2" t_id="6">It</token><token number="6" sentence="2" t_id="7">rose</token>
<token number="7" sentence="2" t_id="8">yesterday</token><token number="8" sentence="2" t_id="9">.</token>
<token number="9" sentence="3" t_id="10">Later</token><token number="10" sentence="3" t_id="11">today</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="1" type="DATE" value="2008-03-01"><token_anchor t_id="2"/><token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="2" type="DATE" value="2008-02-29"><token_anchor t_id="8"/></TIMEX3>
<TIMEX3 functionInDocument="NONE" m_id="3" type="DATE" value="2058"/>
</Markables></Document>"#,
        )
        .unwrap();
        assert!(is_timex(&mt) && is_timex(dir.path()));
        let d = read_meantime(&mt).unwrap();
        assert_eq!(
            d.text,
            "Title\nMarch 01, 2008\nIt rose yesterday.\nLater today"
        );
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(2008, 3, 1));
        let spans: Vec<&str> = d.timexes.iter().map(|t| &d.text[t.start..t.end]).collect();
        assert_eq!(spans, ["March 01, 2008", "yesterday"]);
        // Only the annotated sentences are scored: "Later today" is past the last markable.
        assert_eq!(
            d.scored_end,
            "Title\nMarch 01, 2008\nIt rose yesterday.".len()
        );
        let mut log = Vec::new();
        let s = evaluate(&mt, &mut log).unwrap();
        assert_eq!((s.gold, s.found, s.value_correct), (2, 2, 2));
    }
}
