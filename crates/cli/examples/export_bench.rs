//! Benchmark of `dyad export`: builds a store of N synthetic events (once; reused when the
//! file exists) and times the export of all of them in each format.
//!
//! ```text
//! cargo run --release -p dyad-cli --example export_bench -- [EVENTS] [STORE] [OUTDIR]
//! ```
//!
//! Defaults: 1,000,000 events, /tmp/dyad-export-bench.db, /tmp/dyad-export-bench-out.
//! The store build is not timed as export; each format's line gives events/s and seconds.

use std::path::PathBuf;
use std::time::Instant;

use dyad_doc::{Document, Source};
use dyad_export::formats::{synthetic_record, ExportFormat, Exporter};
use dyad_store::{EventQuery, Store};

/// CPU seconds (user + system) this process has used, from /proc/self/stat (Linux; 0 elsewhere),
/// so a run on a busy machine can be told apart from a slow one.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name in parentheses; utime and stime are the 14th and 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: u64 = match args.next() {
        Some(s) => s.parse()?,
        None => 1_000_000,
    };
    let db = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/dyad-export-bench.db".into()),
    );
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/dyad-export-bench-out".into()),
    );
    if !db.exists() {
        let start = Instant::now();
        // Synthetic events are independent by construction: merging would join them by chance.
        let mut store = Store::open(&db)?.without_merging();
        const PER_DOC: u64 = 10;
        const DOCS_PER_BATCH: u64 = 5_000;
        let mut i = 0;
        while i < n {
            let mut batch = Vec::new();
            for _ in 0..DOCS_PER_BATCH {
                if i >= n {
                    break;
                }
                let end = (i + PER_DOC).min(n);
                let doc =
                    Document::new(format!("doc-{i}"), Source::default(), format!("Text {i}."));
                batch.push((doc, (i..end).map(synthetic_record).collect::<Vec<_>>()));
                i = end;
            }
            store.insert_batch(&batch)?;
        }
        eprintln!(
            "built {} with {n} events in {:.1} s",
            db.display(),
            start.elapsed().as_secs_f64()
        );
    }
    let store = Store::open(&db)?;
    let (_, events) = store.counts()?;
    // Reading and decoding alone, for comparison.
    let start = Instant::now();
    let cpu = cpu_seconds();
    let mut read = 0usize;
    store.each_event(&EventQuery::default(), |r| {
        read += r.mentions.len().min(1);
        Ok::<_, anyhow::Error>(())
    })?;
    println!(
        "read     {read} events in {:.2} s, {:.2} CPU s (store query and JSON decoding only)",
        start.elapsed().as_secs_f64(),
        cpu_seconds() - cpu
    );
    for (name, format) in [
        ("plover", ExportFormat::Plover),
        ("gdelt", ExportFormat::Gdelt),
        ("csv", ExportFormat::Csv),
        ("parquet", ExportFormat::Parquet),
    ] {
        let path = match format {
            ExportFormat::Plover => out.join("events.jsonl"),
            ExportFormat::Csv => out.join("events.csv"),
            _ => out.join(name),
        };
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        }
        let start = Instant::now();
        let cpu = cpu_seconds();
        let mut x = Exporter::new(format, Some(&path))?;
        // As `dyad export` does.
        if x.takes_json() {
            store.each_event_json(&EventQuery::default(), |j| {
                x.write_json(j).map_err(anyhow::Error::from)
            })?;
        } else {
            store.each_event(&EventQuery::default(), |r| {
                x.write(&r).map_err(anyhow::Error::from)
            })?;
        }
        let s = x.finish()?;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{name:8} {} events ({} stored) in {secs:.2} s, {:.2} CPU s, {:.0} events/s, {} files",
            s.events,
            events,
            cpu_seconds() - cpu,
            s.events as f64 / secs,
            s.files.len()
        );
    }
    Ok(())
}
