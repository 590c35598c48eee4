//! `dyad export`: a small store in a tempdir, exported in every format and read back.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output};

use dyad_doc::{Document, Source};
use dyad_export::formats::{synthetic_record, CSV_HEADER, EVENT_COLUMNS};
use dyad_export::EventRecord;
use dyad_store::Store;

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

/// A store of 12 events over 4 documents (3 each), dated 2025-01-01 to 2025-01-12.
fn store(dir: &Path) -> (std::path::PathBuf, Vec<EventRecord>) {
    let db = dir.join("events.db");
    // Synthetic records are independent events; merging would join some by chance.
    let mut store = Store::open(&db).unwrap().without_merging();
    let mut all = Vec::new();
    let batch: Vec<(Document, Vec<EventRecord>)> = (0..4u64)
        .map(|d| {
            let doc = Document::new(format!("doc-{d}"), Source::default(), format!("Text {d}."));
            let recs: Vec<EventRecord> = (d * 3..d * 3 + 3).map(synthetic_record).collect();
            all.extend(recs.clone());
            (doc, recs)
        })
        .collect();
    let stats = store.insert_batch(&batch).unwrap();
    assert_eq!(stats.events, 12);
    (db, all)
}

fn run(args: &[&str], db: &Path) -> Output {
    let out = dyad()
        .arg("export")
        .args(args)
        .arg("--store")
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dyad export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn plover_export_is_the_stored_records_between_the_dates() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recs) = store(dir.path());
    let out = run(
        &[
            "--format",
            "plover",
            "--since",
            "2025-01-03",
            "--until",
            "2025-01-05",
        ],
        &db,
    );
    let back: Vec<EventRecord> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, recs[2..5]);
}

#[test]
fn gdelt_export_writes_events_and_mentions_with_fips_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recs) = store(dir.path());
    let out = dir.path().join("gdelt");
    run(&["--format", "gdelt", "--out", out.to_str().unwrap()], &db);
    let events = std::fs::read_to_string(out.join("events.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = events.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|r| r.len() == 61));
    let col = |n: &str| EVENT_COLUMNS.iter().position(|c| *c == n).unwrap();
    // Beijing (ISO CN) and Berlin (ISO DE) in FIPS 10-4.
    assert_eq!(rows[0][col("ActionGeo_CountryCode")], "CH");
    assert_eq!(rows[1][col("ActionGeo_CountryCode")], "GM");
    assert_eq!(rows[0][col("Actor1CountryCode")], "CHN");
    assert_eq!(rows[0][col("Actor2CountryCode")], "USA");
    for (row, r) in rows.iter().zip(&recs) {
        assert_eq!(row[col("EventCode")], r.cameo.code);
        assert_eq!(
            row[col("GLOBALEVENTID")],
            dyad_export::formats::global_event_id(&r.id).to_string()
        );
    }
    let mentions = std::fs::read_to_string(out.join("mentions.tsv")).unwrap();
    let n: usize = recs.iter().map(|r| r.mentions.len()).sum();
    assert_eq!(mentions.lines().count(), n);
    assert!(mentions.lines().all(|l| l.split('\t').count() == 16));
}

#[test]
fn csv_export_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (db, recs) = store(dir.path());
    let path = dir.path().join("events.csv");
    run(&["--format", "csv", "--out", path.to_str().unwrap()], &db);
    let mut rd = csv::Reader::from_path(&path).unwrap();
    assert_eq!(rd.headers().unwrap().len(), CSV_HEADER.len());
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 12);
    for (row, r) in rows.iter().zip(&recs) {
        assert_eq!(&row[0], r.id);
        assert_eq!(&row[2], r.date.as_deref().unwrap());
        assert_eq!(&row[3], r.actor[0].code);
        assert_eq!(&row[11], r.cameo.code);
        assert_eq!(&row[22], r.sentence);
    }
}

#[test]
fn parquet_export_is_partitioned_by_date() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = tempfile::tempdir().unwrap();
    let (db, recs) = store(dir.path());
    let out = dir.path().join("pq");
    run(
        &[
            "--format",
            "parquet",
            "--out",
            out.to_str().unwrap(),
            "--until",
            "2025-01-06",
        ],
        &db,
    );
    let parts: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(parts.len(), 6);
    for (part, r) in parts.iter().zip(&recs) {
        assert_eq!(*part, format!("date={}", r.date.as_deref().unwrap()));
        let f = File::open(out.join(part).join("part-0.parquet")).unwrap();
        let reader = SerializedFileReader::new(f).unwrap();
        let row = reader.get_row_iter(None).unwrap().next().unwrap().unwrap();
        let get = |name: &str| {
            row.get_column_iter()
                .find(|(k, _)| k.as_str() == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("id"), Field::Str(r.id.clone()));
        assert_eq!(get("target_code"), Field::Str(r.recipient[0].code.clone()));
        assert_eq!(get("goldstein"), Field::Double(r.cameo.goldstein));
    }
}

#[test]
fn bad_dates_and_missing_directories_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = store(dir.path());
    let out = dyad()
        .args([
            "export",
            "--format",
            "csv",
            "--since",
            "2025-02-30",
            "--store",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected YYYY-MM-DD"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = dyad()
        .args(["export", "--format", "gdelt", "--store"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out DIR"));
}
