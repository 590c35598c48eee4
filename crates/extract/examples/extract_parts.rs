//! Where the time of an article-extraction benchmark run goes: each extractor and step timed
//! alone over the same pages, one thread, in ms a page.
//!
//! `cargo run --release -p dyad-extract --example extract_parts -- ../shared/extraction/scrapinghub`
//!
//! Pages are gunzipped and decoded before any clock starts. The rows after the cut run on the
//! lightened pages (the cut then finds nothing left to cut), each as `dyad extract
//! --extractor NAME` runs it: the light tree, the reading, the metadata and language
//! detection. Built with `--features compare`, the trafilatura crate's parts are timed too,
//! through its public API as the `combined-trafilatura` extractor calls it.

use std::io::Read;
use std::time::{Duration, Instant};

use dyad_extract::html::{decode_html, html_to_text_with, lighten, Extractor};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: extract_parts BENCHMARK_DIR (with html/*.html.gz)")?;
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(format!("{dir}/html"))? {
        let path = entry?.path();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
        match decode_html(&bytes) {
            Ok(d) => pages.push(d.text),
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }
    if pages.is_empty() {
        return Err("no pages".into());
    }
    let n = pages.len() as f64;
    let per_page = |d: Duration| d.as_secs_f64() * 1000.0 / n;
    let raw_bytes: usize = pages.iter().map(String::len).sum();

    let started = Instant::now();
    let light: Vec<String> = pages.iter().map(|p| lighten(p).into_owned()).collect();
    let t_lighten = started.elapsed();
    let light_bytes: usize = light.iter().map(String::len).sum();
    let mut rows = vec![("cut (lighten)".to_string(), t_lighten)];

    for extractor in [
        Extractor::Rules,
        Extractor::Readability,
        Extractor::Combined,
    ] {
        let started = Instant::now();
        for p in &light {
            let _ = std::hint::black_box(html_to_text_with(p, extractor));
        }
        rows.push((
            format!("--extractor {} (after the cut)", extractor.name()),
            started.elapsed(),
        ));
    }
    #[cfg(feature = "compare")]
    rows.extend(trafilatura_parts(&light));

    println!(
        "{} pages, {:.0} KB a page, {:.0} KB after the cut",
        pages.len(),
        raw_bytes as f64 / n / 1000.0,
        light_bytes as f64 / n / 1000.0
    );
    for (part, d) in rows {
        println!("{part:<52} {:.3} ms", per_page(d));
    }
    Ok(())
}

/// The trafilatura crate's parse, metadata and `extract_document` (which includes its
/// metadata step) on the lightened pages.
#[cfg(feature = "compare")]
fn trafilatura_parts(light: &[String]) -> Vec<(String, Duration)> {
    let opts =
        trafilatura::Options::default().with_focus(trafilatura::ExtractionFocus::FavorRecall);
    let started = Instant::now();
    let docs: Vec<_> = light
        .iter()
        .map(|p| trafilatura::dom::Document::parse(p))
        .collect();
    let t_parse = started.elapsed();
    let started = Instant::now();
    for d in &docs {
        std::hint::black_box(trafilatura::metadata::extract_metadata(d, &opts));
    }
    let t_meta = started.elapsed();
    let started = Instant::now();
    for d in docs {
        let _ = std::hint::black_box(trafilatura::extract_document(d, &opts));
    }
    let t_extract = started.elapsed();
    vec![
        ("trafilatura parse (Document::parse)".into(), t_parse),
        ("trafilatura metadata (extract_metadata)".into(), t_meta),
        (
            "trafilatura extract_document (metadata included)".into(),
            t_extract,
        ),
    ]
}
