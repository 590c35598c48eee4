//! Hive-partitioned Parquet: `OUT/date=YYYY-MM-DD/part-0.parquet`, the CSV columns with types
//! (strings UTF8, floats DOUBLE, QuadClass INT32), Snappy-compressed. The date is the partition
//! (readers such as DuckDB's `read_parquet(..., hive_partitioning = true)` and Spark add it as
//! a column); events without a date go to `date=__HIVE_DEFAULT_PARTITION__`, which both read
//! as NULL. Records arrive ordered by date, so each partition is written once.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};

use super::flat::FlatRow;
use super::{ExportError, ExportSummary};
use crate::EventRecord;

/// Rows per row group.
const ROW_GROUP: usize = 100_000;

/// The partition of events without a date (Hive's and Spark's name for NULL).
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

#[derive(Clone, Copy)]
enum Kind {
    Str,
    F64,
    I32,
}

/// The file columns: CSV_HEADER without `date`.
const COLUMNS: [(&str, Kind, bool); 23] = [
    ("id", Kind::Str, false),
    ("doc_id", Kind::Str, false),
    ("source_code", Kind::Str, false),
    ("source_name", Kind::Str, false),
    ("source_country", Kind::Str, false),
    ("source_sector", Kind::Str, false),
    ("target_code", Kind::Str, false),
    ("target_name", Kind::Str, false),
    ("target_country", Kind::Str, false),
    ("target_sector", Kind::Str, false),
    ("cameo_code", Kind::Str, false),
    ("cameo_root", Kind::Str, false),
    ("quad_class", Kind::I32, false),
    ("goldstein", Kind::F64, false),
    ("plover_type", Kind::Str, false),
    ("plover_mode", Kind::Str, false),
    ("place_name", Kind::Str, true),
    ("place_lat", Kind::F64, true),
    ("place_lon", Kind::F64, true),
    ("place_country", Kind::Str, true),
    ("confidence", Kind::F64, false),
    ("sentence", Kind::Str, false),
    ("url", Kind::Str, true),
];

fn schema() -> Result<Arc<Type>, ExportError> {
    let mut s = String::from("message dyad_event {\n");
    for (name, kind, optional) in COLUMNS {
        let rep = if optional { "OPTIONAL" } else { "REQUIRED" };
        let ty = match kind {
            Kind::Str => "BYTE_ARRAY",
            Kind::F64 => "DOUBLE",
            Kind::I32 => "INT32",
        };
        let ann = if matches!(kind, Kind::Str) {
            " (UTF8)"
        } else {
            ""
        };
        s += &format!("  {rep} {ty} {name}{ann};\n");
    }
    s.push('}');
    Ok(Arc::new(parquet::schema::parser::parse_message_type(&s)?))
}

#[derive(Default)]
struct ColBuf {
    strs: Vec<ByteArray>,
    f64s: Vec<f64>,
    i32s: Vec<i32>,
    defs: Vec<i16>,
}

enum Val<'a> {
    S(Option<&'a str>),
    F(Option<f64>),
    I(i32),
}

fn values<'a>(r: &'a FlatRow<'a>) -> [Val<'a>; 23] {
    use Val::*;
    [
        S(Some(r.id)),
        S(Some(r.doc_id)),
        S(Some(&r.source_code)),
        S(Some(&r.source_name)),
        S(Some(&r.source_country)),
        S(Some(&r.source_sector)),
        S(Some(&r.target_code)),
        S(Some(&r.target_name)),
        S(Some(&r.target_country)),
        S(Some(&r.target_sector)),
        S(Some(r.cameo_code)),
        S(Some(r.cameo_root)),
        I(i32::from(r.quad_class)),
        F(Some(r.goldstein)),
        S(Some(r.plover_type)),
        S(Some(&r.plover_mode)),
        S(r.place_name),
        F(r.place_lat),
        F(r.place_lon),
        S(r.place_country),
        F(Some(r.confidence)),
        S(Some(r.sentence)),
        S(r.url),
    ]
}

struct Partition {
    key: String,
    writer: SerializedFileWriter<File>,
}

/// Writer of a Hive-partitioned Parquet directory.
pub struct ParquetWriter {
    dir: PathBuf,
    schema: Arc<Type>,
    props: Arc<WriterProperties>,
    current: Option<Partition>,
    cols: Vec<ColBuf>,
    rows: usize,
    parts: HashMap<String, usize>,
    files: Vec<PathBuf>,
    events: usize,
}

impl ParquetWriter {
    /// A writer into `dir`, created if needed. A directory that already holds files is
    /// refused, so partitions of an older export never mix with this one's.
    pub fn new(dir: &Path) -> Result<Self, ExportError> {
        if dir.is_dir() && std::fs::read_dir(dir)?.next().is_some() {
            return Err(ExportError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} is not empty; Parquet exports go to a new or empty directory",
                    dir.display()
                ),
            )));
        }
        std::fs::create_dir_all(dir)?;
        let mut props = WriterProperties::builder().set_compression(Compression::SNAPPY);
        // Nearly every value of these differs: a dictionary would be built only to be dropped.
        for col in [
            "id",
            "doc_id",
            "source_name",
            "target_name",
            "sentence",
            "url",
        ] {
            props = props.set_column_dictionary_enabled(ColumnPath::from(col), false);
            // Nor are their min/max statistics of use for pruning; computing them compares
            // every string.
            props =
                props.set_column_statistics_enabled(ColumnPath::from(col), EnabledStatistics::None);
        }
        let props = props
            .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(ParquetWriter {
            dir: dir.to_path_buf(),
            schema: schema()?,
            props: Arc::new(props),
            current: None,
            cols: (0..COLUMNS.len()).map(|_| ColBuf::default()).collect(),
            rows: 0,
            parts: HashMap::new(),
            files: Vec::new(),
            events: 0,
        })
    }

    /// Adds one record to its date's partition.
    pub fn write(&mut self, r: &EventRecord) -> Result<(), ExportError> {
        let key = match r.date.as_deref() {
            Some(d) if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => d,
            _ => NULL_PARTITION,
        };
        if self.current.as_ref().is_none_or(|p| p.key != key) {
            self.close_partition()?;
            let n = self.parts.entry(key.to_string()).or_insert(0);
            let dir = self.dir.join(format!("date={key}"));
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(format!("part-{n}.parquet"));
            *n += 1;
            let file = File::create(&path)?;
            self.files.push(path);
            self.current = Some(Partition {
                key: key.to_string(),
                writer: SerializedFileWriter::new(file, self.schema.clone(), self.props.clone())?,
            });
        }
        let row = FlatRow::of(r);
        for (buf, v) in self.cols.iter_mut().zip(values(&row)) {
            match v {
                Val::S(Some(s)) => {
                    buf.strs.push(ByteArray::from(s));
                    buf.defs.push(1);
                }
                Val::F(Some(x)) => {
                    buf.f64s.push(x);
                    buf.defs.push(1);
                }
                Val::S(None) | Val::F(None) => buf.defs.push(0),
                Val::I(x) => buf.i32s.push(x),
            }
        }
        self.rows += 1;
        self.events += 1;
        if self.rows >= ROW_GROUP {
            self.flush_row_group()?;
        }
        Ok(())
    }

    fn flush_row_group(&mut self) -> Result<(), ExportError> {
        let Some(part) = self.current.as_mut() else {
            return Ok(());
        };
        if self.rows == 0 {
            return Ok(());
        }
        let mut rg = part.writer.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = rg.next_column()? {
            let (_, kind, optional) = COLUMNS[i];
            let buf = &mut self.cols[i];
            let defs = optional.then_some(buf.defs.as_slice());
            match kind {
                Kind::Str => {
                    col.typed::<ByteArrayType>()
                        .write_batch(&buf.strs, defs, None)?;
                }
                Kind::F64 => {
                    col.typed::<DoubleType>()
                        .write_batch(&buf.f64s, defs, None)?;
                }
                Kind::I32 => {
                    col.typed::<Int32Type>()
                        .write_batch(&buf.i32s, defs, None)?;
                }
            }
            col.close()?;
            buf.strs.clear();
            buf.f64s.clear();
            buf.i32s.clear();
            buf.defs.clear();
            i += 1;
        }
        rg.close()?;
        self.rows = 0;
        Ok(())
    }

    fn close_partition(&mut self) -> Result<(), ExportError> {
        self.flush_row_group()?;
        if let Some(p) = self.current.take() {
            p.writer.close()?;
        }
        Ok(())
    }

    /// Writes the last row group and closes the last file.
    pub fn finish(mut self) -> Result<ExportSummary, ExportError> {
        self.close_partition()?;
        Ok(ExportSummary {
            events: self.events,
            mentions: 0,
            files: self.files,
        })
    }
}
