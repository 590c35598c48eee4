//! GDELT 2.0 event and mention tables.
//!
//! `events.tsv` has GDELT 2.0's 61 event columns and `mentions.tsv` its 16 mention columns,
//! tab-separated with no header, as GDELT ships them. What dyad does not know is left as
//! GDELT leaves an unknown: empty, or 0 for counts and tones. Conventions:
//!
//! * GLOBALEVENTID: the event id's 16 hex digits read as a 64-bit number with the top bit
//!   cleared (stable, fits a signed BIGINT); ids that are not hex are hashed.
//! * Actor1/Actor2: the first source and target actor. ActorCode is the country or
//!   organisation code followed by the sector (`CHNGOV`); CountryCode is the code when it is a
//!   state's, KnownGroupCode when it is an organisation's; Type1Code is the sector; Name is
//!   the words that named the actor, upper-cased as in GDELT.
//! * IsRootEvent: 1 when the event's first mention is in the document's first sentence.
//! * NumMentions, NumSources, NumArticles: mentions, distinct outlets and documents over the
//!   event's own document and every report the store merged into it.
//! * AvgTone, MentionDocTone: 0 (dyad does not score tone).
//! * ActionGeo: the event's place. Type 1 country, 2 US state, 3 US city, 4 world city (and
//!   other features), 5 world state; CountryCode the FIPS 10-4 code; ADM1Code the FIPS country
//!   code followed by the GeoNames admin1 code; FeatureID the GeoNames id. Actor geographies
//!   are empty (type 0): dyad does not place actors.
//! * DATEADDED, EventTimeDate, MentionTimeDate: the event date at 00:00:00 (`YYYYMMDDHHMMSS`),
//!   so an export is reproducible.
//! * Mentions: one row per mention (sentence) of the event, in its own document and in each
//!   merged report (MentionTimeDate the report's date). MentionType 1 (web);
//!   MentionSourceName the publication, else the URL's host; MentionIdentifier the URL, else
//!   the document id; SentenceID 1-based; ActionCharOffset the predicate's byte offset for
//!   the first mention, else -1; actor offsets -1; Confidence the event confidence as a
//!   percentage; MentionDocLen 0 (unknown in the record).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use super::flat::is_state;
use super::{one_line, ExportError, ExportSummary};
use crate::{CiteInfo, EventRecord, TextInfo};

/// GDELT 2.0 event table columns, in order.
pub const EVENT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// GDELT 2.0 mention table columns, in order.
pub const MENTION_COLUMNS: [&str; 16] = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

const ISO2_FIPS: &str = include_str!("../../../../lexicons/geo/iso2_fips.tsv");

/// The FIPS 10-4 country code of an ISO 3166-1 alpha-2 code ("CN" → "CH", "DE" → "GM"), from
/// lexicons/geo/iso2_fips.tsv; `None` for codes with no FIPS country.
pub fn iso2_to_fips(iso2: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        ISO2_FIPS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("iso2\t"))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?, f.next()?))
            })
            .collect()
    })
    .get(iso2)
    .copied()
}

/// The GLOBALEVENTID of an event id: its 16 hex digits as a number with the top bit cleared,
/// or the first 8 bytes of its SHA-256 when it is not hex.
pub fn global_event_id(id: &str) -> u64 {
    let n = match u64::from_str_radix(id, 16) {
        Ok(n) if !id.is_empty() && id.len() <= 16 => n,
        _ => {
            let h = Sha256::digest(id.as_bytes());
            let mut b = [0u8; 8];
            b.copy_from_slice(&h[..8]);
            u64::from_be_bytes(b)
        }
    };
    n & 0x7fff_ffff_ffff_ffff
}

/// Writer of `events.tsv` and `mentions.tsv` in one directory.
pub struct GdeltWriter {
    events: BufWriter<File>,
    mentions: BufWriter<File>,
    paths: [PathBuf; 2],
    n_events: usize,
    n_mentions: usize,
    line: String,
}

/// `YYYYMMDD`, year and day of year of a `YYYY-MM-DD` date.
fn date_parts(date: Option<&str>) -> Option<(String, i32, u32)> {
    use chrono::Datelike;
    // Read by hand: chrono's format-string parser and formatter were a tenth of the export.
    let date = date?;
    let mut it = date.splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let d = chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((
        format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()),
        d.year(),
        d.ordinal(),
    ))
}

/// GDELT's FractionDate, `YYYY.FFFF`: the year plus the elapsed share of 365 days, to four
/// places. In integers: the exact float formatting with `{:.4}` is slow, and the share is never
/// exactly half a step, so rounding agrees.
fn fraction_date(year: i32, doy: u32) -> String {
    let f = ((doy as u64 - 1) * 20_000 + 365) / 730;
    format!("{}.{:04}", year as i64 + (f / 10_000) as i64, f % 10_000)
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host)
}

impl GdeltWriter {
    /// Creates `dir` if needed and opens `events.tsv` and `mentions.tsv` in it.
    pub fn new(dir: &Path) -> Result<Self, ExportError> {
        std::fs::create_dir_all(dir)?;
        let paths = [dir.join("events.tsv"), dir.join("mentions.tsv")];
        Ok(GdeltWriter {
            events: BufWriter::with_capacity(1 << 20, File::create(&paths[0])?),
            mentions: BufWriter::with_capacity(1 << 20, File::create(&paths[1])?),
            paths,
            n_events: 0,
            n_mentions: 0,
            line: String::with_capacity(2048),
        })
    }

    /// Writes the event row and mention rows of one record.
    pub fn write(&mut self, r: &EventRecord) -> Result<(), ExportError> {
        let gid = global_event_id(&r.id);
        let parts = date_parts(r.date.as_deref());
        let l = &mut self.line;
        l.clear();
        // Columns 1-5: ids and dates. `write!` to a String cannot fail.
        let _ = write!(l, "{gid}\t");
        match &parts {
            Some((ymd, year, doy)) => {
                let _ = write!(
                    l,
                    "{ymd}\t{}\t{year}\t{}",
                    &ymd[..6],
                    fraction_date(*year, *doy)
                );
            }
            None => l.push_str("\t\t\t"),
        }
        // Columns 6-25: the two actors.
        for actors in [&r.actor, &r.recipient] {
            match actors.first() {
                Some(a) => {
                    let code = one_line(&a.code);
                    let sector = one_line(&a.sector);
                    let state = is_state(&a.code);
                    let _ = write!(
                        l,
                        "\t{code}{sector}\t{}\t{}\t{}\t\t\t\t{sector}\t\t",
                        one_line(&a.entity_text).to_uppercase(),
                        if state { &*code } else { "" },
                        if state { "" } else { &*code },
                    );
                }
                None => l.push_str("\t\t\t\t\t\t\t\t\t\t"),
            }
        }
        // Columns 26-35: the event.
        let code = one_line(&r.cameo.code);
        let base = code.get(..3).unwrap_or(&code);
        let _ = write!(
            l,
            "\t{}\t{code}\t{base}\t{}\t{}\t{}\t{}\t{}\t{}\t0",
            u8::from(r.text_info.sentence_index == 0),
            one_line(&r.cameo.root),
            r.cameo.quad_class,
            r.cameo.goldstein,
            r.num_mentions(),
            r.num_sources(),
            r.num_articles(),
        );
        // Columns 36-51: actor geographies, unknown.
        l.push_str("\t0\t\t\t\t\t\t\t\t0\t\t\t\t\t\t\t");
        // Columns 52-59: the event's place.
        match &r.event_loc {
            Some(p) => {
                let fips = iso2_to_fips(&p.country_code).unwrap_or("");
                let us = fips == "US";
                let kind = match p.kind {
                    dyad_doc::PlaceKind::Country => 1,
                    dyad_doc::PlaceKind::Admin1 if us => 2,
                    dyad_doc::PlaceKind::Admin1 => 5,
                    dyad_doc::PlaceKind::City if us => 3,
                    dyad_doc::PlaceKind::City | dyad_doc::PlaceKind::Feature => 4,
                };
                let adm1 = if fips.is_empty() || p.admin1_code.is_empty() {
                    fips.to_string()
                } else {
                    format!("{fips}{}", one_line(&p.admin1_code))
                };
                let _ = write!(
                    l,
                    "\t{kind}\t{}\t{fips}\t{adm1}\t\t{}\t{}\t{}",
                    one_line(&p.name),
                    p.lat,
                    p.lon,
                    p.geonames_id.map(|g| g.to_string()).unwrap_or_default()
                );
            }
            None => l.push_str("\t0\t\t\t\t\t\t\t"),
        }
        // Columns 60-61.
        let time = parts
            .as_ref()
            .map(|(ymd, _, _)| format!("{ymd}000000"))
            .unwrap_or_default();
        let url = r.cite_info.url.as_deref().map(one_line).unwrap_or_default();
        let _ = writeln!(l, "\t{time}\t{url}");
        self.events.write_all(l.as_bytes())?;
        self.n_events += 1;

        // Mentions: this document's, then every merged report's.
        let conf = (r.confidence * 100.0).round() as i64;
        self.write_mentions(
            gid,
            &time,
            &r.cite_info,
            &r.doc_id,
            &r.text_info,
            &r.mentions,
            conf,
        )?;
        for rep in &r.reports {
            let rep_time = rep
                .date
                .as_deref()
                .map(|d| format!("{}000000", d.replace('-', "")))
                .unwrap_or_else(|| time.clone());
            self.write_mentions(
                gid,
                &rep_time,
                &rep.cite_info,
                &rep.doc_id,
                &rep.text_info,
                &rep.mentions,
                conf,
            )?;
        }
        Ok(())
    }

    /// Writes one mention row per mention of one document's report of event `gid`.
    #[allow(clippy::too_many_arguments)]
    fn write_mentions(
        &mut self,
        gid: impl std::fmt::Display,
        time: &str,
        cite: &CiteInfo,
        doc_id: &str,
        text_info: &TextInfo,
        mentions: &[[usize; 3]],
        conf: i64,
    ) -> Result<(), ExportError> {
        let source = match (&cite.publication, &cite.url) {
            (Some(p), _) => one_line(p).into_owned(),
            (None, Some(u)) => host(u).to_string(),
            (None, None) => String::new(),
        };
        let ident = match &cite.url {
            Some(u) => one_line(u),
            None => one_line(doc_id),
        };
        let first = [text_info.sentence_index, text_info.start, text_info.end];
        let mentions: &[[usize; 3]] = if mentions.is_empty() {
            std::slice::from_ref(&first)
        } else {
            mentions
        };
        let mut l = String::new();
        for (i, m) in mentions.iter().enumerate() {
            l.clear();
            let action = if i == 0 {
                text_info.event_start as i64
            } else {
                -1
            };
            let _ = writeln!(
                l,
                "{gid}\t{time}\t{time}\t1\t{source}\t{ident}\t{}\t-1\t-1\t{action}\t1\t{conf}\t0\t0\t\t",
                m[0] + 1
            );
            self.mentions.write_all(l.as_bytes())?;
            self.n_mentions += 1;
        }
        Ok(())
    }

    /// Flushes both files.
    pub fn finish(mut self) -> Result<ExportSummary, ExportError> {
        self.events.flush()?;
        self.mentions.flush()?;
        Ok(ExportSummary {
            events: self.n_events,
            mentions: self.n_mentions,
            files: self.paths.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_dates_agree_with_float_rounding() {
        for year in [1979, 2000, 2024, 2026] {
            for doy in 1..=366u32 {
                let float = format!("{:.4}", year as f64 + (doy as f64 - 1.0) / 365.0);
                assert_eq!(fraction_date(year, doy), float, "{year} day {doy}");
            }
        }
    }

    #[test]
    fn date_parts_read_valid_dates_only() {
        assert_eq!(
            date_parts(Some("2026-02-05")),
            Some(("20260205".to_string(), 2026, 36))
        );
        for bad in [
            "2026-02-30",
            "2026-2-05",
            "26-02-05",
            "2026-02-05x",
            "",
            "x",
        ] {
            assert_eq!(date_parts(Some(bad)), None, "{bad}");
        }
        assert_eq!(date_parts(None), None);
    }
}
