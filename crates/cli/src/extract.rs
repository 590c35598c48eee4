//! `dyad extract`: one saved page to its article as JSON, or the ScrapingHub
//! article-extraction benchmark scored (see [`dyad_extract::score`] for the metric).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use dyad_extract::html::{Extractor, HtmlPage};
use dyad_extract::score::{PageScore, Summary};
use serde::{Deserialize, Serialize};

/// Prints the article of each page as one JSON line; a page that fails gets one error on stderr
/// naming it and the rest go on. Returns the number of pages that failed.
pub fn pages(paths: &[String], extractor: Extractor) -> anyhow::Result<usize> {
    let mut failed = 0;
    for path in paths {
        if let Err(e) = page(path, extractor) {
            eprintln!("dyad: {e:#}");
            failed += 1;
        }
    }
    Ok(failed)
}

/// What the clean-up did to one document, as `dyad extract --explain` prints it.
#[derive(Serialize)]
struct Explained<'a> {
    id: &'a str,
    origin: String,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    date: Option<chrono::NaiveDate>,
    date_source: Option<dyad_doc::DateSource>,
    /// Lines kept in the clean text.
    kept_lines: usize,
    /// Bytes of raw text in, bytes of clean text out.
    raw_bytes: usize,
    clean_bytes: usize,
    removed: Vec<RemovedJson<'a>>,
}

#[derive(Serialize)]
struct RemovedJson<'a> {
    reason: &'a str,
    /// Byte range in the document's raw text (for HTML, in the extracted article text).
    start: usize,
    end: usize,
    text: &'a str,
}

/// Runs the extract stage on every document of `paths` and prints, one JSON line each, what it
/// kept and every span it removed with the reason. Unreadable inputs get one error each on
/// stderr. Returns the number of inputs that failed.
pub fn explain(paths: &[String]) -> anyhow::Result<usize> {
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for item in dyad_ingest::Reader::new(paths, dyad_ingest::ReadOptions::default()) {
        let mut doc = match item {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("dyad: {e}");
                failed += 1;
                continue;
            }
        };
        dyad_extract::extract(&mut doc);
        dyad_timeplace::annotate(&mut doc, None);
        let line = Explained {
            id: &doc.id,
            origin: dyad_pipeline::origin(&doc),
            title: doc.title.as_deref(),
            byline: doc.byline.as_deref(),
            date: doc.date,
            date_source: doc.date_source,
            kept_lines: doc.text.lines().filter(|l| !l.trim().is_empty()).count(),
            raw_bytes: doc.raw.len(),
            clean_bytes: doc.text.len(),
            removed: doc
                .removed
                .iter()
                .map(|r| RemovedJson {
                    reason: &r.reason,
                    start: r.raw.start,
                    end: r.raw.end,
                    text: &r.text,
                })
                .collect(),
        };
        serde_json::to_writer(&mut out, &line)?;
        writeln!(out)?;
    }
    Ok(failed)
}

/// Prints the article of one page (a file, or `-` for standard input) as one JSON object.
fn page(path: &str, extractor: Extractor) -> anyhow::Result<()> {
    let bytes = if path == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .take(dyad_extract::MAX_HTML_BYTES as u64 + 1)
            .read_to_end(&mut b)
            .context("reading stdin")?;
        b
    } else {
        read_capped(Path::new(path))?
    };
    let page = dyad_extract::extract_html_with(&bytes, extractor)
        .with_context(|| format!("{path}: no article"))?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &PageJson::new(&page))?;
    writeln!(out)?;
    Ok(())
}

/// A page's article as `dyad extract` prints it.
#[derive(Serialize)]
struct PageJson<'a> {
    #[serde(flatten)]
    page: &'a HtmlPage,
    paragraphs: usize,
    words: usize,
}

impl<'a> PageJson<'a> {
    fn new(page: &'a HtmlPage) -> Self {
        PageJson {
            page,
            paragraphs: page.paragraphs().count(),
            words: page.text.split_whitespace().count(),
        }
    }
}

/// Reads a file, refusing one over the page size limit before reading it.
fn read_capped(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(dyad_extract::MAX_HTML_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(bytes)
}

#[derive(Deserialize)]
struct Gold {
    #[serde(rename = "articleBody", default)]
    article_body: String,
}

/// One line of the benchmark's result.
#[derive(Serialize)]
struct BenchLine {
    extractor: &'static str,
    clean: bool,
    pages: usize,
    f1: f64,
    precision: f64,
    recall: f64,
    mean_page_f1: f64,
    /// Pages for which extraction returned an error (scored as empty predictions).
    failed: usize,
    /// Time spent decoding and extracting, summed over pages and runs (gunzip and scoring
    /// excluded).
    seconds: f64,
    /// Passes over the pages in the timing.
    repeat: usize,
    pages_per_sec: f64,
    threads: usize,
}

/// Scores `extractor` on a benchmark directory (`ground-truth.json` and `html/ID.html.gz`).
/// Prints one JSON line; with `pages`, also each page's scores on stderr, worst first; with
/// `predictions`, writes the extracted bodies there in the benchmark's output format (`{"ID":
/// {"articleBody": "..."}}`, which its `evaluate.py` reads).
/// With `clean`, the body is also cleaned line by line as the extract stage does for documents
/// ([`dyad_extract::clean`]: boilerplate, captions, bylines, date lines, fragments). With
/// `repeat` over 1, that many passes over all the pages are timed; the first is scored.
pub fn bench(
    dir: &Path,
    extractor: Extractor,
    clean: bool,
    pages: bool,
    predictions: Option<&Path>,
    repeat: usize,
) -> anyhow::Result<()> {
    let gt_path = dir.join("ground-truth.json");
    let gold: BTreeMap<String, Gold> = serde_json::from_reader(std::io::BufReader::new(
        std::fs::File::open(&gt_path)
            .with_context(|| format!("cannot open {}", gt_path.display()))?,
    ))
    .with_context(|| format!("reading {}", gt_path.display()))?;
    if gold.is_empty() {
        bail!("{}: no pages", gt_path.display());
    }
    let mut scores = Vec::with_capacity(gold.len());
    let mut per_page = Vec::new();
    let mut predicted = BTreeMap::new();
    let mut failed = 0;
    let mut spent = Duration::ZERO;
    let extract = |bytes: &[u8]| {
        dyad_extract::extract_html_with(bytes, extractor).map(|mut p| {
            if clean {
                p.text = dyad_extract::clean(&p.text, false, p.title.as_deref()).text;
            }
            p
        })
    };
    // With `repeat`, the pages (gunzipped) are kept for the further passes over all of them.
    let mut kept = Vec::new();
    for (id, g) in &gold {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?,
        )
        .read_to_end(&mut bytes)
        .with_context(|| format!("decompressing {}", path.display()))?;
        let started = Instant::now();
        let result = extract(&bytes);
        spent += started.elapsed();
        if repeat > 1 {
            kept.push(bytes);
        }
        let (text, from) = match result {
            Ok(p) => (p.text, p.body_from),
            Err(e) => {
                failed += 1;
                eprintln!("dyad extract: {id}: {e}");
                (String::new(), "error")
            }
        };
        let s = PageScore::new(&g.article_body, &text);
        if predictions.is_some() {
            predicted.insert(id.as_str(), serde_json::json!({ "articleBody": text }));
        }
        scores.push(s);
        if pages {
            per_page.push((s, id, from));
        }
    }
    for _ in 1..repeat {
        for bytes in &kept {
            let started = Instant::now();
            let _ = std::hint::black_box(extract(bytes));
            spent += started.elapsed();
        }
    }
    let sum = Summary::new(&scores);
    let secs = spent.as_secs_f64();
    let line = BenchLine {
        extractor: extractor.name(),
        clean,
        pages: sum.pages,
        f1: round(sum.f1),
        precision: round(sum.precision),
        recall: round(sum.recall),
        mean_page_f1: round(sum.mean_page_f1),
        failed,
        seconds: (secs * 1000.0).round() / 1000.0,
        repeat: repeat.max(1),
        pages_per_sec: ((sum.pages * repeat.max(1)) as f64 / secs.max(1e-9)).round(),
        threads: 1,
    };
    if pages {
        per_page.sort_by(|a, b| a.0.f1().total_cmp(&b.0.f1()));
        let mut err = std::io::stderr().lock();
        for (s, id, from) in per_page {
            writeln!(
                err,
                "{id}\tf1={:.3}\tp={:.3}\tr={:.3}\t{from}",
                s.f1(),
                s.precision(),
                s.recall()
            )?;
        }
    }
    if let Some(p) = predictions {
        let f =
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?;
        serde_json::to_writer_pretty(std::io::BufWriter::new(f), &predicted)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    println!("{}", serde_json::to_string(&line)?);
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
