//! The time/place stage: the document's publication date.
//!
//! The date is taken, in order of trust, from the input's metadata (JSONL `date`, HTML meta
//! tags), a date line the extract stage set aside ("date 2026-02-06", "Tuesday, 04 November 2025
//! 3:48 PM"), the article's dateline ("BEIJING, Feb 5 -") with its year taken from the default
//! date or the latest full date in the text, and finally the `--date` default. Where it came from
//! is recorded in [`Document::date_source`]. Place names are found and resolved against a GeoNames
//! gazetteer by [`places::annotate`] (see [`gazetteer`]); time expressions inside the text come
//! in a later stage of this crate.

pub mod gazetteer;
pub mod places;

use chrono::{Datelike, NaiveDate};

pub mod timex;
use dyad_doc::{DateSource, Document};

/// Runs the stage: sets `doc.date` and `doc.date_source` when they are not set yet.
pub fn annotate(doc: &mut Document, default: Option<NaiveDate>) {
    if doc.date.is_some() {
        return;
    }
    let from_line = doc
        .removed
        .iter()
        .filter(|r| r.reason == "date_line")
        .find_map(|r| parse_full_date(&r.text));
    if let Some(d) = from_line {
        doc.date = Some(d);
        doc.date_source = Some(DateSource::DateLine);
        return;
    }
    if let Some((month, day)) = dateline(&doc.text) {
        let mut anchors = full_dates(&doc.text);
        for r in &doc.removed {
            anchors.extend(full_dates(&r.text));
        }
        anchors.extend(default);
        if let Some(d) = dateline_date(month, day, &anchors, &weekdays(&doc.text), default) {
            doc.date = Some(d);
            doc.date_source = Some(DateSource::Dateline);
            return;
        }
    }
    if let Some(d) = default {
        doc.date = Some(d);
        doc.date_source = Some(DateSource::Default);
    }
}

fn month(word: &str) -> Option<u32> {
    timex::grammar::month_number(word)
}

fn number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches([',', '.', 's', 't', 'h', 'n', 'd', 'r']);
    (!w.is_empty() && w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// Every full date written in `text`: ISO `2026-02-06`, `4 November 2025`, `November 4, 2025`.
pub fn full_dates(text: &str) -> Vec<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let clean = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
        if clean.len() == 10 {
            if let Ok(d) = NaiveDate::parse_from_str(clean, "%Y-%m-%d") {
                out.push(d);
                continue;
            }
        }
        let Some(m) = month(w.trim_end_matches(',')) else {
            continue;
        };
        let get = |k: usize| words.get(k).and_then(|x| number(x));
        // "November 4, 2025"
        if let (Some(d), Some(y)) = (get(i + 1), get(i + 2)) {
            if y >= 1000 && words[i + 1].ends_with(',') {
                if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                    out.push(date);
                    continue;
                }
            }
        }
        // "4 November 2025"
        if let (Some(d), Some(y)) = (i.checked_sub(1).and_then(get), get(i + 1)) {
            if y >= 1000 {
                if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                    out.push(date);
                }
            }
        }
    }
    out
}

/// The first full date in a line of text.
pub fn parse_full_date(text: &str) -> Option<NaiveDate> {
    full_dates(text).into_iter().next()
}

/// The weekdays the text names ("on Thursday", "Wednesday's talks"), capitalised words only.
fn weekdays(text: &str) -> Vec<chrono::Weekday> {
    use chrono::Weekday::*;
    text.split(|c: char| !c.is_alphabetic())
        .filter_map(|w| match w {
            "Monday" => Some(Mon),
            "Tuesday" => Some(Tue),
            "Wednesday" => Some(Wed),
            "Thursday" => Some(Thu),
            "Friday" => Some(Fri),
            "Saturday" => Some(Sat),
            "Sunday" => Some(Sun),
            _ => None,
        })
        .collect()
}

/// The year of a dateline "BEIJING, Feb 5": of the years next to the document's other dates
/// (`anchors`, the default date among them), the one where the weekdays the text names fit —
/// wire copy reports what happened that day ("said on Thursday") or the day before — and then
/// the one nearest those dates. Never later than a day after the default date. `None` when the
/// document has no other date to go by.
fn dateline_date(
    month: u32,
    day: u32,
    anchors: &[NaiveDate],
    named: &[chrono::Weekday],
    default: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let mut years: Vec<i32> = anchors
        .iter()
        .flat_map(|a| [a.year() - 1, a.year(), a.year() + 1])
        .collect();
    years.sort_unstable();
    years.dedup();
    let latest = default.and_then(|d| d.succ_opt());
    years
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .filter(|d| latest.is_none_or(|l| *d <= l))
        .map(|d| {
            let wd = d.weekday();
            // Half-points in integers: the same day 2, the day before 1.
            let fit: usize = named
                .iter()
                .map(|&w| {
                    if w == wd {
                        2
                    } else if w == wd.pred() {
                        1
                    } else {
                        0
                    }
                })
                .sum();
            let distance = anchors
                .iter()
                .map(|a| (d - *a).num_days().unsigned_abs())
                .min()
                .unwrap_or(u64::MAX);
            (fit, std::cmp::Reverse(distance), d)
        })
        .max()
        .map(|(_, _, d)| d)
}

/// The month and day of a dateline opening the text: "BEIJING, Feb 5 -",
/// "HAVANA, March 11 (Meridian Wire) -".
pub fn dateline(text: &str) -> Option<(u32, u32)> {
    let first = text.lines().next()?;
    let (place, rest) = first.split_once(',')?;
    let is_place = !place.is_empty()
        && place.len() <= 40
        && place.chars().any(|c| c.is_alphabetic())
        && place
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '-'));
    if !is_place {
        return None;
    }
    let mut words = rest.split_whitespace();
    let m = month(words.next()?)?;
    let d = number(words.next()?)?;
    (1..=31).contains(&d).then_some((m, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::{Removed, Source, Span};

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn full_date_formats() {
        assert_eq!(
            parse_full_date("Tuesday, 04 November 2025 3:48 PM"),
            ymd(2025, 11, 4)
        );
        assert_eq!(parse_full_date("date 2026-02-06"), ymd(2026, 2, 6));
        assert_eq!(
            parse_full_date("Published: March 10, 2026"),
            ymd(2026, 3, 10)
        );
        assert_eq!(parse_full_date("in March 2026"), None);
    }

    #[test]
    fn dateline_takes_the_default_year() {
        assert_eq!(dateline("BEIJING, Feb 5 - China said"), Some((2, 5)));
        assert_eq!(
            dateline("HAVANA, March 11 (Meridian Wire) - Cuba"),
            Some((3, 11))
        );
        assert_eq!(dateline("China, Cuba and Feb 5"), None);
        let mut doc = Document::new("d", Source::default(), "");
        doc.text = "BEIJING, Feb 5 - China said.".into();
        annotate(&mut doc, ymd(2026, 2, 6));
        assert_eq!(
            (doc.date, doc.date_source),
            (ymd(2026, 2, 5), Some(DateSource::Dateline))
        );
    }

    #[test]
    fn dateline_year_fits_the_weekdays_the_text_names() {
        // Feb 5 was a Thursday in 2026 and a Wednesday in 2025; a caption dated May 2025 is
        // nearer 2025, but the story's "on Thursday" is the dateline's own day in 2026.
        let mut doc = Document::new("d", Source::default(), "");
        doc.text = "LUSAKA, Feb 5 - Zambia's minister said on Thursday that talks went well.\n\nA separate meeting took place on Wednesday.".into();
        doc.removed.push(Removed {
            raw: Span::new(0, 0),
            reason: "caption".into(),
            text: "Ministers meet in Lusaka, Zambia May 12, 2025. NORTHWIRE/Ana Lopes".into(),
        });
        annotate(&mut doc, None);
        assert_eq!(
            (doc.date, doc.date_source),
            (ymd(2026, 2, 5), Some(DateSource::Dateline))
        );
        // No weekday: the year nearest the other date.
        let mut doc = Document::new("d", Source::default(), "");
        doc.text = "LUSAKA, Dec 30 - Talks ended. The accord of January 3, 2027 follows.".into();
        annotate(&mut doc, None);
        assert_eq!(doc.date, ymd(2026, 12, 30));
        // A default date caps it; no other date at all leaves it undated.
        assert_eq!(
            dateline_date(
                3,
                1,
                &[ymd(2026, 2, 1).unwrap_or_default()],
                &[],
                ymd(2026, 2, 1)
            ),
            ymd(2025, 3, 1)
        );
        let mut doc = Document::new("d", Source::default(), "");
        doc.text = "LUSAKA, Feb 5 - Talks on Thursday.".into();
        annotate(&mut doc, None);
        assert_eq!(doc.date, None);
        // An impossible dateline date is no date.
        assert_eq!(
            dateline_date(2, 30, &[ymd(2026, 1, 1).unwrap_or_default()], &[], None),
            None
        );
    }

    #[test]
    fn date_line_beats_dateline_and_default() {
        let mut doc = Document::new("d", Source::default(), "");
        doc.text = "BEIJING, Feb 5 - China said.".into();
        doc.removed.push(Removed {
            raw: Span::new(0, 0),
            reason: "date_line".into(),
            text: "date 2026-02-06".into(),
        });
        annotate(&mut doc, ymd(2020, 1, 1));
        assert_eq!(
            (doc.date, doc.date_source),
            (ymd(2026, 2, 6), Some(DateSource::DateLine))
        );
        let mut bare = Document::new("d", Source::default(), "");
        bare.text = "No date here.".into();
        annotate(&mut bare, None);
        assert_eq!(bare.date, None);
    }
}
