//! Inputs from the network: article and feed URLs for `dyad ingest`, and the polling loop of
//! `dyad watch`. Fetching is polite (robots.txt, per-host delay, retries, size and time caps,
//! conditional requests: `dyad-fetch`); each failed feed or article is one error naming it and
//! the rest go on.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use dyad_doc::{DateSource, Document, Source, SourceFormat};
use dyad_fetch::{FetchOptions, Fetched, Fetcher};
use dyad_ingest::feed::{looks_like_feed, parse_feed, Feed};
use dyad_ingest::http::{decode_html, looks_like_html};
use dyad_pipeline::Pipeline;
use dyad_store::Store;

use crate::run::report;

/// True for an input that names a URL rather than a file.
pub fn is_url(input: &str) -> bool {
    let lower = input.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The URLs of a feed list: one per line; blank lines and `#` comments are skipped.
pub fn read_url_list(path: &Path) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// A polite fetcher for `dyad`'s network inputs.
pub fn fetcher(allow_private: bool) -> anyhow::Result<Fetcher> {
    let options = FetchOptions {
        allow_private,
        ..FetchOptions::default()
    };
    Fetcher::new(options).context("setting up the HTTP client")
}

/// What one URL gave: documents to code, and errors (each names its URL).
#[derive(Default)]
pub struct Fetch {
    /// Documents ready for the pipeline.
    pub docs: Vec<Document>,
    /// One message per failed item.
    pub errors: Vec<String>,
    /// Feeds fetched.
    pub feeds: usize,
    /// Feeds unchanged since the last request (HTTP 304).
    pub not_modified: usize,
    /// Article links skipped because the store already holds them.
    pub known: usize,
    /// Article links that failed in a way asking again cannot mend (HTTP 404, not an HTML
    /// page, disallowed by robots.txt, ...): `dyad watch` does not fetch them again.
    pub dead: Vec<String>,
}

/// Fetches `url`. A feed gives one document per item: its full content where the feed carries
/// it, else the page its link points to. A page gives one document. `known` says whether an
/// article URL is already stored (its link is then not fetched again); `stop` ends the work
/// early (Ctrl-C), keeping what was fetched.
pub fn fetch_url(
    fetcher: &Fetcher,
    url: &str,
    known: &dyn Fn(&str) -> bool,
    stop: &AtomicBool,
) -> Fetch {
    let mut out = Fetch::default();
    let page = match fetcher.fetch(url) {
        Ok(Fetched::NotModified(_)) => {
            out.feeds += 1;
            out.not_modified += 1;
            return out;
        }
        Ok(Fetched::Page(p)) => p,
        Err(e) => {
            out.errors.push(e.to_string());
            return out;
        }
    };
    if looks_like_feed(&page.body) {
        out.feeds += 1;
        match parse_feed(&page.body) {
            Ok(feed) => feed_items(fetcher, url, &feed, known, stop, &mut out),
            Err(e) => out.errors.push(format!("{url}: {e}")),
        }
        return out;
    }
    match page_document(
        page.final_url.as_str(),
        &page.body,
        page.charset.as_deref(),
        page.content_type.as_deref(),
    ) {
        Ok(doc) => out.docs.push(doc),
        Err(e) => out.errors.push(e),
    }
    out
}

/// The documents of a feed's items.
fn feed_items(
    fetcher: &Fetcher,
    feed_url: &str,
    feed: &Feed,
    known: &dyn Fn(&str) -> bool,
    stop: &AtomicBool,
    out: &mut Fetch,
) {
    for (n, item) in feed.items.iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let link = item.link.as_deref();
        if link.is_some_and(known) {
            out.known += 1;
            continue;
        }
        let id = link.map_or_else(|| format!("{feed_url}#item{}", n + 1), str::to_string);
        let source = Source {
            path: feed_url.to_string(),
            line: None,
            format: SourceFormat::Html,
        };
        if let Some(doc) = item.document(id.clone(), source, feed.title.as_deref()) {
            out.docs.push(doc);
            continue;
        }
        let Some(link) = link else {
            out.errors.push(format!(
                "{feed_url}: item {} has neither content nor a link",
                n + 1
            ));
            continue;
        };
        let page = match fetcher.fetch(link) {
            Ok(Fetched::Page(p)) => p,
            // A conditional request for an article we never stored: nothing new to code.
            Ok(Fetched::NotModified(_)) => {
                out.known += 1;
                continue;
            }
            Err(e) => {
                if e.is_permanent() {
                    out.dead.push(link.to_string());
                }
                out.errors.push(e.to_string());
                continue;
            }
        };
        match page_document(
            link,
            &page.body,
            page.charset.as_deref(),
            page.content_type.as_deref(),
        ) {
            Ok(mut doc) => {
                if doc.title.is_none() {
                    doc.title = item.title.clone();
                }
                if doc.publication.is_none() {
                    doc.publication = feed.title.clone();
                }
                if let Some(p) = item.published {
                    doc.date = Some(p.date());
                    doc.date_source = Some(DateSource::Metadata);
                }
                out.docs.push(doc);
            }
            Err(e) => {
                out.dead.push(link.to_string());
                out.errors.push(e);
            }
        }
    }
}

/// An HTML page as a document (the extract stage reads it); anything else is an error naming
/// the URL and what was found.
fn page_document(
    url: &str,
    body: &[u8],
    charset: Option<&str>,
    content_type: Option<&str>,
) -> Result<Document, String> {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    let html_type = mime
        .as_deref()
        .is_none_or(|m| m.contains("html") || m == "text/plain" || m == "application/octet-stream");
    if !html_type || !looks_like_html(body) {
        return Err(format!(
            "{url}: not an HTML page ({})",
            mime.as_deref().unwrap_or("no content type")
        ));
    }
    let text = decode_html(body, charset);
    let source = Source {
        path: url.to_string(),
        line: None,
        format: SourceFormat::Html,
    };
    let mut doc = Document::new(url, source, text);
    doc.url = Some(url.to_string());
    Ok(doc)
}

/// Codes `docs` and stores them with their events, quotes and learned people; returns
/// (documents stored, events stored, coding errors).
pub fn code_and_store(
    pipeline: &Pipeline,
    store: &mut Store,
    docs: Vec<Document>,
) -> anyhow::Result<(usize, usize, usize)> {
    let batch = pipeline.code_for_store(docs);
    for e in &batch.errors {
        report(e);
    }
    let stats = store.insert_batch(&batch.documents)?;
    store.upsert_people(&batch.people)?;
    Ok((stats.documents, stats.events, batch.errors.len()))
}

/// Parses a polling interval: a number with `s`, `m` or `h` ("90s", "15m", "1h"); a bare
/// number is minutes.
pub fn parse_every(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "m"),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not an interval; expected e.g. 90s, 15m or 1h"))?;
    let secs = match unit.trim() {
        "s" | "sec" | "secs" => n,
        "m" | "min" | "mins" => n.saturating_mul(60),
        "h" | "hour" | "hours" => n.saturating_mul(3600),
        _ => return Err(format!("{s:?}: unknown unit; use s, m or h")),
    };
    if secs == 0 {
        return Err("the interval must be longer than zero".into());
    }
    Ok(Duration::from_secs(secs))
}

/// What `dyad watch` polls and where it stores.
pub struct Watch<'a> {
    /// The feed list file (re-read every round, so feeds can be added while it runs).
    pub feeds: &'a Path,
    /// Time between the starts of two rounds.
    pub every: Duration,
    /// Stop after this many rounds (`None`: until Ctrl-C).
    pub rounds: Option<usize>,
    /// The store.
    pub db: &'a Path,
    /// Allow private and loopback addresses (tests against a local server).
    pub allow_private: bool,
}

/// The validator cache (ETag / Last-Modified per URL) kept beside the store between runs.
fn cache_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".http-cache.json");
    PathBuf::from(p)
}

/// Polls the feeds every `every`, codes new articles into the store, prints a summary per
/// round. Ctrl-C stops after the item in progress; what was fetched is coded and stored first.
pub fn watch(pipeline: &Pipeline, w: &Watch<'_>) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .context("installing the Ctrl-C handler")?;
    }
    let fetcher = fetcher(w.allow_private)?;
    let cache = cache_path(w.db);
    if let Err(e) = fetcher.load_cache(&cache) {
        report(&format!(
            "{}: {e}; starting with an empty cache",
            cache.display()
        ));
    }
    let mut store = Store::open(w.db).with_context(|| format!("opening {}", w.db.display()))?;
    pipeline.add_learned(store.people()?);
    let mut round = 0;
    // Article links that failed for good (404, not a page, disallowed): reported once, then
    // skipped in later rounds instead of failing again every round.
    let mut dead = std::collections::HashSet::new();
    while !stop.load(Ordering::SeqCst) && w.rounds.is_none_or(|r| round < r) {
        round += 1;
        let started = Instant::now();
        let feeds = read_url_list(w.feeds)?;
        let bar = indicatif::ProgressBar::new(feeds.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("round {msg} [{bar:30}] {pos}/{len} feeds")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(round.to_string());
        let (mut stored, mut events, mut failed, mut not_modified, mut known) = (0, 0, 0, 0, 0);
        for url in &feeds {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let got = {
                let known_url = |u: &str| dead.contains(u) || store.has_url(u).unwrap_or(false);
                fetch_url(&fetcher, url, &known_url, &stop)
            };
            dead.extend(got.dead.iter().cloned());
            for e in &got.errors {
                bar.suspend(|| report(e));
            }
            failed += got.errors.len();
            not_modified += got.not_modified;
            known += got.known;
            // Stored feed by feed: an interruption loses nothing already fetched.
            let (d, e, errs) = code_and_store(pipeline, &mut store, got.docs)?;
            stored += d;
            events += e;
            failed += errs;
            bar.inc(1);
        }
        bar.finish_and_clear();
        if let Err(e) = fetcher.save_cache(&cache) {
            report(&format!("{}: {e}", cache.display()));
        }
        let (docs, all_events) = store.counts()?;
        eprintln!(
            "dyad watch: round {round}: {} feeds ({not_modified} unchanged), {stored} new articles with {events} events, {known} already stored or dead, {failed} failed, in {:.1} s; {} holds {docs} documents, {all_events} events.",
            feeds.len(),
            started.elapsed().as_secs_f64(),
            w.db.display(),
        );
        if stop.load(Ordering::SeqCst) || w.rounds.is_some_and(|r| round >= r) {
            break;
        }
        let next = started + w.every;
        while Instant::now() < next && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(200).min(next - Instant::now()));
        }
    }
    if stop.load(Ordering::SeqCst) {
        eprintln!("dyad watch: stopped; everything fetched was stored.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_seconds_minutes_and_hours() {
        assert_eq!(parse_every("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_every("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_every("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_every("5"), Ok(Duration::from_secs(300)));
        assert!(parse_every("0m").is_err());
        assert!(parse_every("soon").is_err());
        assert!(parse_every("3d").is_err());
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://news.example/feed.xml"));
        assert!(is_url("HTTP://news.example/"));
        assert!(!is_url("corpus/https.txt"));
        assert!(!is_url("-"));
    }

    #[test]
    fn a_page_that_is_not_html_is_an_error_naming_it() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let err = page_document("https://news.example/a.png", png, None, Some("image/png"))
            .err()
            .unwrap_or_default();
        assert!(err.contains("https://news.example/a.png"), "{err}");
        let doc = page_document(
            "https://news.example/a",
            b"<html><body><p>Kenya praised Uganda.</p></body></html>",
            Some("utf-8"),
            Some("text/html; charset=utf-8"),
        );
        assert!(doc.is_ok());
    }
}
