//! Bulk export of stored event records: PLOVER JSONL, GDELT 2.0 event and mention tables, CSV
//! and Hive-partitioned Parquet (`dyad export`).
//!
//! Every format is a streaming [`Exporter`]: records go in one at a time with
//! [`Exporter::write`], and [`Exporter::finish`] flushes the files and says what was written.

mod flat;
mod gdelt;
mod parquet_out;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::EventRecord;

pub use flat::{FlatRow, CSV_HEADER};
pub use gdelt::{global_event_id, iso2_to_fips, EVENT_COLUMNS, MENTION_COLUMNS};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// PLOVER JSONL: the public JSON record, one per line.
    Plover,
    /// GDELT 2.0: the 61-column event table and the 16-column mention table, tab-separated,
    /// no header, in a directory (`events.tsv`, `mentions.tsv`).
    Gdelt,
    /// CSV with a header, one row per event, the main fields flattened.
    Csv,
    /// Parquet, the CSV columns with types, in Hive-style date partitions
    /// (`OUT/date=YYYY-MM-DD/part-0.parquet`).
    Parquet,
}

impl ExportFormat {
    /// True when the format writes a directory (so `--out` is required).
    pub fn needs_directory(self) -> bool {
        matches!(self, ExportFormat::Gdelt | ExportFormat::Parquet)
    }
}

/// Exporting failed.
#[derive(Debug)]
pub enum ExportError {
    /// Writing a file or stream failed.
    Io(std::io::Error),
    /// Serialising a JSON record failed.
    Json(serde_json::Error),
    /// The CSV writer failed.
    Csv(csv::Error),
    /// The Parquet writer failed.
    Parquet(parquet::errors::ParquetError),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Io(e) => write!(f, "write failed: {e}"),
            ExportError::Json(e) => write!(f, "JSON encoding failed: {e}"),
            ExportError::Csv(e) => write!(f, "CSV writing failed: {e}"),
            ExportError::Parquet(e) => write!(f, "Parquet writing failed: {e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Io(e)
    }
}
impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        ExportError::Json(e)
    }
}
impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Csv(e)
    }
}
impl From<parquet::errors::ParquetError> for ExportError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        ExportError::Parquet(e)
    }
}

/// What an export wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// Events written.
    pub events: usize,
    /// Rows written to a secondary table (GDELT mentions), else 0.
    pub mentions: usize,
    /// Files written (0 when writing to standard output).
    pub files: Vec<PathBuf>,
}

/// A streaming writer of one export format.
pub enum Exporter {
    /// PLOVER JSONL.
    Plover {
        /// Where lines go.
        out: Box<dyn Write>,
        /// File written, if any.
        path: Option<PathBuf>,
        /// Records written.
        n: usize,
    },
    /// GDELT 2.0 tables.
    Gdelt(gdelt::GdeltWriter),
    /// CSV.
    Csv {
        /// The CSV writer.
        out: csv::Writer<Box<dyn Write>>,
        /// File written, if any.
        path: Option<PathBuf>,
        /// Records written.
        n: usize,
    },
    /// Hive-partitioned Parquet.
    Parquet(parquet_out::ParquetWriter),
}

fn create(path: &Path) -> Result<Box<dyn Write>, ExportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    Ok(Box::new(BufWriter::with_capacity(
        1 << 20,
        File::create(path)?,
    )))
}

impl Exporter {
    /// An exporter of `format` writing to `out`: a file for PLOVER and CSV (standard output
    /// when `None`), a directory (created if needed) for GDELT and Parquet, where `None` is an
    /// error of the caller's (see [`ExportFormat::needs_directory`]); the current directory
    /// is used then.
    pub fn new(format: ExportFormat, out: Option<&Path>) -> Result<Self, ExportError> {
        let stream = |out: Option<&Path>| -> Result<Box<dyn Write>, ExportError> {
            match out {
                Some(p) => create(p),
                None => Ok(Box::new(BufWriter::with_capacity(
                    1 << 20,
                    std::io::stdout(),
                ))),
            }
        };
        let dir = out.unwrap_or(Path::new("."));
        Ok(match format {
            ExportFormat::Plover => Exporter::Plover {
                out: stream(out)?,
                path: out.map(Path::to_path_buf),
                n: 0,
            },
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(stream(out)?);
                w.write_record(CSV_HEADER)?;
                Exporter::Csv {
                    out: w,
                    path: out.map(Path::to_path_buf),
                    n: 0,
                }
            }
            ExportFormat::Gdelt => Exporter::Gdelt(gdelt::GdeltWriter::new(dir)?),
            ExportFormat::Parquet => Exporter::Parquet(parquet_out::ParquetWriter::new(dir)?),
        })
    }

    /// Writes one record.
    pub fn write(&mut self, r: &EventRecord) -> Result<(), ExportError> {
        match self {
            Exporter::Plover { out, n, .. } => {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
                *n += 1;
            }
            Exporter::Csv { out, n, .. } => {
                FlatRow::of(r).write_csv(out)?;
                *n += 1;
            }
            Exporter::Gdelt(w) => w.write(r)?,
            Exporter::Parquet(w) => w.write(r)?,
        }
        Ok(())
    }

    /// True for PLOVER, whose lines are the stored JSON records themselves: give them to
    /// [`Exporter::write_json`] without decoding them.
    pub fn takes_json(&self) -> bool {
        matches!(self, Exporter::Plover { .. })
    }

    /// Writes one record given as its JSON text (one line, as the store keeps it): copied as
    /// is for PLOVER, decoded for the other formats.
    pub fn write_json(&mut self, json: &str) -> Result<(), ExportError> {
        match self {
            Exporter::Plover { out, n, .. } => {
                out.write_all(json.trim_end().as_bytes())?;
                out.write_all(b"\n")?;
                *n += 1;
                Ok(())
            }
            _ => {
                let r: EventRecord = serde_json::from_str(json)?;
                self.write(&r)
            }
        }
    }

    /// Flushes and closes everything written.
    pub fn finish(self) -> Result<ExportSummary, ExportError> {
        match self {
            Exporter::Plover { mut out, path, n } => {
                out.flush()?;
                Ok(ExportSummary {
                    events: n,
                    mentions: 0,
                    files: path.into_iter().collect(),
                })
            }
            Exporter::Csv { mut out, path, n } => {
                out.flush()?;
                Ok(ExportSummary {
                    events: n,
                    mentions: 0,
                    files: path.into_iter().collect(),
                })
            }
            Exporter::Gdelt(w) => w.finish(),
            Exporter::Parquet(w) => w.finish(),
        }
    }
}

/// Replaces tabs, newlines and other control characters by spaces (GDELT's tables have one
/// record per line and one field per tab).
pub(crate) fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests;

/// A synthetic record, varied by `i` (dates over a year, several dyads, places in China,
/// Germany, the United States and none), for tests and the export benchmark.
pub fn synthetic_record(i: u64) -> EventRecord {
    use crate::{CameoInfo, CiteInfo, EventLoc, TextInfo};
    use dyad_doc::{EventActor, PlaceKind};
    const DYADS: [(&str, &str, &str, &str); 4] = [
        ("CHN", "GOV", "USA", "GOV"),
        ("DEU", "GOV", "FRA", ""),
        ("UNO", "", "SYR", "MIL"),
        ("RUS", "MIL", "UKR", "MIL"),
    ];
    const CODES: [(&str, u8, f64, &str); 4] = [
        ("042", 1, 1.9, "CONSULT"),
        ("0874", 2, 7.0, "AGREE"),
        ("112", 3, -2.0, "ACCUSE"),
        ("190", 4, -10.0, "FIGHT"),
    ];
    let (sc, ss, tc, ts) = DYADS[(i % 4) as usize];
    let (code, quad, goldstein, plover) = CODES[((i / 4) % 4) as usize];
    let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(i % 365)))
        .map(|d| d.to_string());
    let place = |name: &str, cc: &str, adm1: &str, kind, lat, lon, id| EventLoc {
        name: name.into(),
        text: name.into(),
        kind,
        geonames_id: Some(id),
        country_code: cc.into(),
        admin1_code: adm1.into(),
        lat,
        lon,
        start: 0,
        end: name.len(),
    };
    let event_loc = match i % 4 {
        0 => Some(place(
            "Beijing",
            "CN",
            "22",
            PlaceKind::City,
            39.9075,
            116.39723,
            1816670,
        )),
        1 => Some(place(
            "Berlin",
            "DE",
            "16",
            PlaceKind::City,
            52.52437,
            13.41053,
            2950159,
        )),
        2 => Some(place(
            "Texas",
            "US",
            "TX",
            PlaceKind::Admin1,
            31.25044,
            -99.25061,
            4736286,
        )),
        _ => None,
    };
    let actor = |code: &str, sector: &str, text: &str| EventActor {
        code: code.into(),
        sector: sector.into(),
        entity_text: text.into(),
    };
    let sentence = format!(
        "Officials of {sc} met\tofficials of {tc} on day {i},\nsaying \"talks\" went well."
    );
    EventRecord {
        kind: "event".into(),
        id: format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        doc_id: format!("doc-{}", i / 3),
        date,
        date_precision: Some(dyad_doc::DatePrecision::Day),
        date_text: None,
        event_loc,
        actor: vec![actor(sc, ss, &format!("{sc} officials"))],
        recipient: vec![actor(tc, ts, &format!("{tc}, officials"))],
        event: plover.into(),
        mode: if i.is_multiple_of(2) {
            vec!["visit".into()]
        } else {
            Vec::new()
        },
        context: Vec::new(),
        cameo: CameoInfo {
            code: code.into(),
            root: code[..2].into(),
            quad_class: quad,
            goldstein,
        },
        event_text: "met".into(),
        sentence: sentence.clone(),
        text_info: TextInfo {
            sentence_index: (i % 3) as usize,
            start: 10,
            end: 10 + sentence.len(),
            event_start: 25,
            event_end: 28,
        },
        cite_info: CiteInfo {
            url: Some(format!("https://www.news.example/{}", i / 3)),
            publication: i.is_multiple_of(2).then(|| "Example News".to_string()),
            title: Some("Talks".into()),
        },
        mentions: (0..=(i % 2) as usize)
            .map(|k| [(i % 3) as usize + k, 10, 10 + sentence.len()])
            .collect(),
        reports: Vec::new(),
        speaker: None,
        rule: "synthetic".into(),
        confidence: 0.85,
    }
}
