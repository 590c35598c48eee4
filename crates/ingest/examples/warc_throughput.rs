//! WARC reading throughput: writes a synthetic CC-NEWS-style archive (one gzip member per
//! record; a warcinfo record, then a request and an HTML response per page) to a temporary
//! folder and reads it back, as WARC records and as documents through the ingest `Reader`,
//! then runs the extract stage (article extraction and clean-up) on those documents with one
//! thread per core.
//!
//! ```sh
//! cargo run --release -p dyad-ingest --example warc_throughput              # 2,000 pages
//! cargo run --release -p dyad-ingest --example warc_throughput -- 5000 --keep news.warc.gz
//! ```
//!
//! `--keep PATH` also writes the archive to PATH (to try `dyad code PATH`). Timing is the best of
//! three passes, so the page cache is warm: this measures parsing and decompression, not the
//! disk.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use dyad_ingest::warc::WarcRecords;
use dyad_ingest::{ReadOptions, Reader};
use support::WarcWriter;

/// Words for filler paragraphs; with a varied order they compress about as news HTML does.
const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "on",
    "Thursday",
    "that",
    "talks",
    "would",
    "continue",
    "with",
    "officials",
    "from",
    "both",
    "countries",
    "after",
    "a",
    "meeting",
    "in",
    "the",
    "capital",
    "where",
    "delegations",
    "discussed",
    "trade",
    "security",
    "and",
    "energy",
    "while",
    "critics",
    "warned",
    "of",
    "delays",
    "parliament",
    "is",
    "expected",
    "to",
    "vote",
    "next",
    "week",
    "on",
    "a",
    "budget",
    "which",
    "includes",
    "new",
    "spending",
    "for",
    "schools",
    "roads",
    "hospitals",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pages: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(2000);
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1));

    let mut w = WarcWriter {
        level: Some(flate2::Compression::default()),
        ..Default::default()
    };
    w.warcinfo();
    let mut seed = 0x2545_f491_u64;
    for n in 0..pages {
        let uri = format!("https://news.example/world/{n}");
        w.request(&uri);
        let body = page_html(n, &mut seed);
        let date = format!("2026-02-{:02}T10:{:02}:00Z", 1 + n % 28, n % 60);
        w.html(&uri, &date, "text/html; charset=utf-8", body.as_bytes());
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("synthetic.warc.gz");
    std::fs::write(&path, &w.bytes).expect("writing the archive");
    if let Some(k) = keep {
        std::fs::write(k, &w.bytes).expect("writing --keep");
    }
    let file_mb = w.bytes.len() as f64 / 1e6;
    let plain_mb = w.plain.len() as f64 / 1e6;
    let records = w.offsets.len();
    println!(
        "archive: {records} records ({pages} pages), {file_mb:.1} MB gzip'd, {plain_mb:.1} MB uncompressed"
    );

    let best = |f: &mut dyn FnMut() -> usize| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                let n = f();
                (t.elapsed().as_secs_f64(), n)
            })
            .fold((f64::MAX, 0), |a, b| if b.0 < a.0 { b } else { a })
    };

    let (secs, n) = best(&mut || {
        WarcRecords::open(&path)
            .expect("opening the archive")
            .filter(Result::is_ok)
            .count()
    });
    assert_eq!(n, records);
    println!(
        "records:   {:>7.0} records/s  {:>6.1} MB/s gzip'd  {:>6.1} MB/s uncompressed  ({secs:.3} s)",
        n as f64 / secs,
        file_mb / secs,
        plain_mb / secs
    );

    let name = [path.display().to_string()];
    let (secs, n) = best(&mut || {
        Reader::new(&name, ReadOptions::default())
            .filter(Result::is_ok)
            .count()
    });
    assert_eq!(n, pages);
    println!(
        "documents: {:>7.0} pages/s    {:>6.1} MB/s gzip'd  {:>6.1} MB/s uncompressed  ({secs:.3} s, {:.0} records/s)",
        n as f64 / secs,
        file_mb / secs,
        plain_mb / secs,
        records as f64 / secs
    );

    // The extract stage on the documents read, as `dyad code` runs it: pages split over one
    // thread per core.
    let docs: Vec<_> = Reader::new(&name, ReadOptions::default())
        .filter_map(Result::ok)
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (secs, n) = best(&mut || {
        let chunk = docs.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = docs
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|d| {
                                let mut d = d.clone();
                                dyad_extract::extract(&mut d);
                                usize::from(!d.text.is_empty())
                            })
                            .sum::<usize>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
        })
    });
    assert_eq!(n, pages);
    println!(
        "extracted: {:>7.0} pages/s    {:>6.1} MB/s gzip'd  {:>6.1} MB/s uncompressed  ({secs:.3} s, {threads} threads)",
        n as f64 / secs,
        file_mb / secs,
        plain_mb / secs,
    );
}

/// A news page of some 16 KB: markup and scripts around an article whose paragraphs are
/// shuffled filler, with one sentence that names actors and an event.
fn page_html(n: usize, seed: &mut u64) -> String {
    let mut next = || {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as usize
    };
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>World news {n}</title>\
         <meta property=\"og:site_name\" content=\"Example News\">\
         <script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>\
         <style>body{{font-family:serif}} .nav a{{margin:0 1em}}</style></head><body>\
         <nav class=\"nav\"><a href=\"/\">Home</a><a href=\"/world\">World</a><a href=\"/business\">Business</a></nav>\
         <article><h1>World news {n}</h1>\
         <p>China's foreign minister met his Cuban counterpart in Beijing on Thursday.</p>"
    );
    for _ in 0..40 {
        html.push_str("<p>");
        for i in 0..60 {
            if i > 0 {
                html.push(' ');
            }
            html.push_str(WORDS[next() % WORDS.len()]);
        }
        html.push_str(".</p>");
    }
    html.push_str("</article><footer>© Example News. All rights reserved.</footer></body></html>");
    html
}
