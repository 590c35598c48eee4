use super::*;

fn export(format: ExportFormat, out: &Path, n: u64) -> (Vec<EventRecord>, ExportSummary) {
    let mut recs: Vec<EventRecord> = (0..n).map(synthetic_record).collect();
    recs.sort_by(|a, b| a.date.cmp(&b.date));
    let mut x = Exporter::new(format, Some(out)).unwrap();
    for r in &recs {
        x.write(r).unwrap();
    }
    (recs, x.finish().unwrap())
}

#[test]
fn fips_codes_are_not_iso_codes() {
    assert_eq!(iso2_to_fips("CN"), Some("CH"));
    assert_eq!(iso2_to_fips("DE"), Some("GM"));
    assert_eq!(iso2_to_fips("CH"), Some("SZ"));
    assert_eq!(iso2_to_fips("GB"), Some("UK"));
    assert_eq!(iso2_to_fips("US"), Some("US"));
    assert_eq!(iso2_to_fips("ZZ"), None);
}

#[test]
fn global_event_ids_are_stable_positive_integers() {
    assert_eq!(global_event_id("00000000000000ff"), 255);
    assert_eq!(global_event_id("ffffffffffffffff"), i64::MAX as u64);
    assert_eq!(global_event_id("not hex"), global_event_id("not hex"));
    assert!(global_event_id("not hex") <= i64::MAX as u64);
}

#[test]
fn plover_lines_are_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.jsonl");
    let (recs, sum) = export(ExportFormat::Plover, &path, 9);
    assert_eq!(sum.events, 9);
    let text = std::fs::read_to_string(&path).unwrap();
    let back: Vec<EventRecord> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, recs);
}

#[test]
fn gdelt_tables_have_61_and_16_columns_and_fips_places() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gdelt");
    let (recs, sum) = export(ExportFormat::Gdelt, &out, 8);
    assert_eq!(sum.events, 8);
    let events = std::fs::read_to_string(out.join("events.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = events.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r.len() == 61), "61 columns per line");
    let col = |name: &str| EVENT_COLUMNS.iter().position(|c| *c == name).unwrap();
    for (row, r) in rows.iter().zip(&recs) {
        assert_eq!(row[0], global_event_id(&r.id).to_string());
        assert_eq!(row[col("EventCode")], r.cameo.code);
        assert_eq!(row[col("EventRootCode")], r.cameo.root);
        assert_eq!(row[col("QuadClass")], r.cameo.quad_class.to_string());
        let date = r.date.as_deref().unwrap().replace('-', "");
        assert_eq!(row[col("SQLDATE")], date);
        assert_eq!(row[col("MonthYear")], &date[..6]);
        assert_eq!(row[col("DATEADDED")], format!("{date}000000"));
        assert_eq!(row[col("SOURCEURL")], r.cite_info.url.as_deref().unwrap());
        let a1 = &r.actor[0];
        assert_eq!(row[col("Actor1Code")], format!("{}{}", a1.code, a1.sector));
        assert_eq!(row[col("Actor1Type1Code")], a1.sector);
        if a1.code == "UNO" {
            assert_eq!(row[col("Actor1CountryCode")], "");
            assert_eq!(row[col("Actor1KnownGroupCode")], "UNO");
        } else {
            assert_eq!(row[col("Actor1CountryCode")], a1.code);
        }
        assert_eq!(row[col("Actor2CountryCode")], r.recipient[0].code);
        // The names had a comma and no tab; sentence tabs never reach a GDELT field.
        assert_eq!(
            row[col("Actor2Name")],
            r.recipient[0].entity_text.to_uppercase()
        );
        let (cc, adm1, ty) = (
            row[col("ActionGeo_CountryCode")],
            row[col("ActionGeo_ADM1Code")],
            row[col("ActionGeo_Type")],
        );
        match r.event_loc.as_ref().map(|l| l.name.as_str()) {
            Some("Beijing") => assert_eq!((cc, adm1, ty), ("CH", "CH22", "4")),
            Some("Berlin") => assert_eq!((cc, adm1, ty), ("GM", "GM16", "4")),
            Some("Texas") => assert_eq!((cc, adm1, ty), ("US", "USTX", "2")),
            _ => assert_eq!((cc, ty), ("", "0")),
        }
        if let Some(l) = &r.event_loc {
            let lat: f64 = row[col("ActionGeo_Lat")].parse().unwrap();
            assert_eq!(lat, l.lat);
            assert_eq!(
                row[col("ActionGeo_FeatureID")],
                l.geonames_id.unwrap().to_string()
            );
        }
    }
    let mentions = std::fs::read_to_string(out.join("mentions.tsv")).unwrap();
    let mrows: Vec<Vec<&str>> = mentions.lines().map(|l| l.split('\t').collect()).collect();
    let want: usize = recs.iter().map(|r| r.mentions.len()).sum();
    assert_eq!(mrows.len(), want);
    assert_eq!(sum.mentions, want);
    assert!(mrows.iter().all(|r| r.len() == 16), "16 columns per line");
    let first = &mrows[0];
    assert_eq!(first[0], rows[0][0]);
    assert_eq!(
        first[6],
        (recs[0].mentions[0][0] + 1).to_string(),
        "SentenceID"
    );
    assert_eq!(first[11], "85", "Confidence");
}

#[test]
fn control_characters_become_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = synthetic_record(0);
    r.recipient[0].entity_text = "the\tWhite\nHouse".into();
    r.cite_info.url = Some("https://x.example/a\tb".into());
    let mut x = Exporter::new(ExportFormat::Gdelt, Some(dir.path())).unwrap();
    x.write(&r).unwrap();
    x.finish().unwrap();
    let events = std::fs::read_to_string(dir.path().join("events.tsv")).unwrap();
    assert_eq!(events.lines().count(), 1);
    let row: Vec<&str> = events.trim_end_matches('\n').split('\t').collect();
    assert_eq!(row.len(), 61);
    assert_eq!(row[16], "THE WHITE HOUSE");
    assert_eq!(row[60], "https://x.example/a b");
}

#[test]
fn csv_rows_read_back_with_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.csv");
    let (recs, _) = export(ExportFormat::Csv, &path, 8);
    let mut rd = csv::Reader::from_path(&path).unwrap();
    assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), CSV_HEADER);
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), recs.len());
    let col = |name: &str| CSV_HEADER.iter().position(|c| *c == name).unwrap();
    for (row, r) in rows.iter().zip(&recs) {
        assert_eq!(&row[col("id")], r.id);
        assert_eq!(Some(&row[col("date")]), r.date.as_deref());
        assert_eq!(&row[col("source_code")], r.actor[0].code);
        assert_eq!(&row[col("target_name")], r.recipient[0].entity_text);
        assert_eq!(&row[col("cameo_code")], r.cameo.code);
        assert_eq!(
            row[col("goldstein")].parse::<f64>().unwrap(),
            r.cameo.goldstein
        );
        assert_eq!(&row[col("sentence")], r.sentence, "quotes, tabs, newlines");
        assert_eq!(&row[col("plover_mode")], r.mode.join(";"));
        let country = if r.actor[0].code == "UNO" {
            ""
        } else {
            &r.actor[0].code
        };
        assert_eq!(&row[col("source_country")], country);
        match &r.event_loc {
            Some(l) => {
                assert_eq!(&row[col("place_country")], l.country_code);
                assert_eq!(row[col("place_lon")].parse::<f64>().unwrap(), l.lon);
            }
            None => assert_eq!(&row[col("place_lat")], ""),
        }
    }
}

#[test]
fn parquet_partitions_read_back_with_types() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pq");
    let (mut recs, sum) = export(ExportFormat::Parquet, &out, 8);
    recs.push(EventRecord {
        date: None,
        ..synthetic_record(99)
    });
    // Again with an undated event, into a fresh directory.
    let out2 = dir.path().join("pq2");
    let mut x = Exporter::new(ExportFormat::Parquet, Some(&out2)).unwrap();
    for r in &recs {
        x.write(r).unwrap();
    }
    let sum2 = x.finish().unwrap();
    assert_eq!(sum.files.len(), 8, "one file per date");
    assert_eq!(sum2.files.len(), 9);
    assert!(out2
        .join("date=__HIVE_DEFAULT_PARTITION__/part-0.parquet")
        .exists());
    // A non-empty directory is refused.
    assert!(Exporter::new(ExportFormat::Parquet, Some(&out)).is_err());
    for r in &recs[..8] {
        let path = out
            .join(format!("date={}", r.date.as_deref().unwrap()))
            .join("part-0.parquet");
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(rows.len(), 1);
        let fields: HashMap<String, Field> = rows[0]
            .get_column_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(fields.len(), 23);
        assert_eq!(fields["id"], Field::Str(r.id.clone()));
        assert_eq!(fields["cameo_code"], Field::Str(r.cameo.code.clone()));
        assert_eq!(fields["source_code"], Field::Str(r.actor[0].code.clone()));
        assert_eq!(fields["quad_class"], Field::Int(r.cameo.quad_class as i32));
        assert_eq!(fields["goldstein"], Field::Double(r.cameo.goldstein));
        assert_eq!(fields["sentence"], Field::Str(r.sentence.clone()));
        match &r.event_loc {
            Some(l) => {
                assert_eq!(fields["place_lat"], Field::Double(l.lat));
                assert_eq!(fields["place_country"], Field::Str(l.country_code.clone()));
            }
            None => {
                assert_eq!(fields["place_lat"], Field::Null);
                assert_eq!(fields["place_name"], Field::Null);
            }
        }
    }
}

use std::collections::HashMap;
