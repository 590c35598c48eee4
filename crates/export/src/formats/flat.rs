//! One flat row per event: the columns of the CSV and Parquet exports.

use std::collections::HashSet;
use std::sync::OnceLock;

use dyad_doc::EventActor;

use crate::EventRecord;

/// CSV header, in column order. Parquet files have the same columns except `date`, which is
/// the Hive partition (`date=YYYY-MM-DD` in the path).
pub const CSV_HEADER: [&str; 24] = [
    "id",
    "doc_id",
    "date",
    "source_code",
    "source_name",
    "source_country",
    "source_sector",
    "target_code",
    "target_name",
    "target_country",
    "target_sector",
    "cameo_code",
    "cameo_root",
    "quad_class",
    "goldstein",
    "plover_type",
    "plover_mode",
    "place_name",
    "place_lat",
    "place_lon",
    "place_country",
    "confidence",
    "sentence",
    "url",
];

const STATES: &str = include_str!("../../../../lexicons/actors/states.tsv");

/// True when `code` is a state's CAMEO (ISO alpha-3) code rather than an organisation's
/// (UNO, EUR, IGO, NGO, IMG, MNC).
pub(crate) fn is_state(code: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        STATES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split('\t').next())
            .collect()
    })
    .contains(code)
}

/// The flattened fields of one event. Several source (or target) actors are joined with `;`
/// in each actor column, in the same order, so the columns line up.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatRow<'a> {
    /// Event id.
    pub id: &'a str,
    /// Document id.
    pub doc_id: &'a str,
    /// Event date `YYYY-MM-DD`, if known.
    pub date: Option<&'a str>,
    /// Source actor codes.
    pub source_code: String,
    /// Words naming the source actors.
    pub source_name: String,
    /// Source countries (the code when it is a state's, else empty).
    pub source_country: String,
    /// Source sectors.
    pub source_sector: String,
    /// Target actor codes.
    pub target_code: String,
    /// Words naming the target actors.
    pub target_name: String,
    /// Target countries.
    pub target_country: String,
    /// Target sectors.
    pub target_sector: String,
    /// CAMEO code.
    pub cameo_code: &'a str,
    /// CAMEO root code.
    pub cameo_root: &'a str,
    /// QuadClass.
    pub quad_class: u8,
    /// Goldstein value.
    pub goldstein: f64,
    /// PLOVER event type.
    pub plover_type: &'a str,
    /// PLOVER modes joined with `;`.
    pub plover_mode: String,
    /// Place name, if any.
    pub place_name: Option<&'a str>,
    /// Place latitude.
    pub place_lat: Option<f64>,
    /// Place longitude.
    pub place_lon: Option<f64>,
    /// Place country (ISO 3166-1 alpha-2).
    pub place_country: Option<&'a str>,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Evidence sentence.
    pub sentence: &'a str,
    /// Source URL, if known.
    pub url: Option<&'a str>,
}

fn join<'b>(actors: &'b [EventActor], f: impl Fn(&'b EventActor) -> &'b str) -> String {
    let mut s = String::new();
    for (i, a) in actors.iter().enumerate() {
        if i > 0 {
            s.push(';');
        }
        s.push_str(f(a));
    }
    s
}

fn country(a: &EventActor) -> &str {
    if is_state(&a.code) {
        &a.code
    } else {
        ""
    }
}

impl<'a> FlatRow<'a> {
    /// The row of a record.
    pub fn of(r: &'a EventRecord) -> Self {
        let loc = r.event_loc.as_ref();
        FlatRow {
            id: &r.id,
            doc_id: &r.doc_id,
            date: r.date.as_deref(),
            source_code: join(&r.actor, |a| &a.code),
            source_name: join(&r.actor, |a| &a.entity_text),
            source_country: join(&r.actor, country),
            source_sector: join(&r.actor, |a| &a.sector),
            target_code: join(&r.recipient, |a| &a.code),
            target_name: join(&r.recipient, |a| &a.entity_text),
            target_country: join(&r.recipient, country),
            target_sector: join(&r.recipient, |a| &a.sector),
            cameo_code: &r.cameo.code,
            cameo_root: &r.cameo.root,
            quad_class: r.cameo.quad_class,
            goldstein: r.cameo.goldstein,
            plover_type: &r.event,
            plover_mode: r.mode.join(";"),
            place_name: loc.map(|l| l.name.as_str()),
            place_lat: loc.map(|l| l.lat),
            place_lon: loc.map(|l| l.lon),
            place_country: loc.map(|l| l.country_code.as_str()),
            confidence: r.confidence,
            sentence: &r.sentence,
            url: r.cite_info.url.as_deref(),
        }
    }

    /// Writes the row as one CSV record, in [`CSV_HEADER`] order (missing values empty),
    /// without building a string per field.
    pub fn write_csv<W: std::io::Write>(&self, w: &mut csv::Writer<W>) -> csv::Result<()> {
        let num = |x: f64, w: &mut csv::Writer<W>| w.write_field(x.to_string());
        w.write_field(self.id)?;
        w.write_field(self.doc_id)?;
        w.write_field(self.date.unwrap_or(""))?;
        w.write_field(&self.source_code)?;
        w.write_field(&self.source_name)?;
        w.write_field(&self.source_country)?;
        w.write_field(&self.source_sector)?;
        w.write_field(&self.target_code)?;
        w.write_field(&self.target_name)?;
        w.write_field(&self.target_country)?;
        w.write_field(&self.target_sector)?;
        w.write_field(self.cameo_code)?;
        w.write_field(self.cameo_root)?;
        w.write_field(self.quad_class.to_string())?;
        num(self.goldstein, w)?;
        w.write_field(self.plover_type)?;
        w.write_field(&self.plover_mode)?;
        w.write_field(self.place_name.unwrap_or(""))?;
        match self.place_lat {
            Some(x) => num(x, w)?,
            None => w.write_field("")?,
        }
        match self.place_lon {
            Some(x) => num(x, w)?,
            None => w.write_field("")?,
        }
        w.write_field(self.place_country.unwrap_or(""))?;
        num(self.confidence, w)?;
        w.write_field(self.sentence)?;
        w.write_field(self.url.unwrap_or(""))?;
        w.write_record(None::<&[u8]>)
    }
}
