//! Normalization: a [`Sem`] plus the anchor date, the clause's tense and the last date the text
//! named, to a TIMEX3 type and value.

use chrono::{Datelike, Days, Months, NaiveDate};
use dyad_doc::{DatePrecision, TimexKind};

use super::grammar::{unit_code, Qty, Sem, Unit, YearSpec, SEASONS};
use super::tense::Tense;

/// TIMEX3 type, value, precision and first day of the period.
pub(crate) type Resolved = (TimexKind, String, Option<DatePrecision>, Option<NaiveDate>);

/// Resolution state across one text.
pub(crate) struct State {
    anchor: Option<NaiveDate>,
    /// The last calendar date the text named, for "the following day", "a year earlier".
    reference: Option<(NaiveDate, DatePrecision)>,
}

/// Largest count accepted for date arithmetic ("3 days ago"); beyond it the offset is only
/// PAST_REF / FUTURE_REF.
const MAX_OFFSET: f64 = 10_000.0;

fn day_value(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn week_value(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn month_start(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn plausible_year(y: i32) -> bool {
    (1..=9999).contains(&y)
}

/// The year for a month (or day, quarter, season) written without one. `key` orders the target
/// against `now` within a year; past tense takes the latest on or before the anchor, future the
/// next on or after it, otherwise the anchor's year.
fn infer_year(y: YearSpec, anchor_year: i32, key: u32, now: u32, tense: Tense) -> i32 {
    match y {
        YearSpec::Explicit(y) => y,
        YearSpec::Rel(k) => anchor_year + k,
        YearSpec::Last => anchor_year - i32::from(key >= now),
        YearSpec::Next => anchor_year + i32::from(key <= now),
        YearSpec::Infer => match tense {
            Tense::Past => anchor_year - i32::from(key > now),
            Tense::Future => anchor_year + i32::from(key < now),
            _ => anchor_year,
        },
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The TIMEX3 duration value: "P3D", "PT2H", "P10Y" for a decade, "PXY".
fn duration_value(q: Qty, unit: Unit) -> String {
    let t = if matches!(unit, Unit::Hour | Unit::Minute | Unit::Second) {
        "T"
    } else {
        ""
    };
    if let Unit::Clock(h, m, s) = unit {
        let mut v = String::from("PT");
        for (n, c) in [(h, 'H'), (m, 'M'), (s, 'S')] {
            if n > 0 {
                v.push_str(&format!("{n}{c}"));
            }
        }
        return if v.len() > 2 { v } else { "PT0S".into() };
    }
    match q {
        Qty::N(n) if n <= 1_000_000.0 => match unit {
            Unit::Decade => format!("P{}Y", number(n * 10.0)),
            Unit::Century => format!("P{}Y", number(n * 100.0)),
            _ => format!("P{t}{}{}", number(n), unit_code(unit).unwrap_or("D")),
        },
        _ => format!("P{t}X{}", unit_code(unit).unwrap_or("D")),
    }
}

fn season_of(d: NaiveDate) -> (i32, u32) {
    match d.month() {
        3..=5 => (d.year(), 0),
        6..=8 => (d.year(), 1),
        9..=11 => (d.year(), 2),
        12 => (d.year(), 3),
        _ => (d.year() - 1, 3),
    }
}

fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

fn shift_months(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        d.checked_add_months(m)
    } else {
        d.checked_sub_months(m)
    }
}

fn shift_days(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    let n = Days::new(days.unsigned_abs());
    if days >= 0 {
        d.checked_add_days(n)
    } else {
        d.checked_sub_days(n)
    }
}

/// The value of the calendar `unit` containing `d`.
fn unit_value(d: NaiveDate, unit: Unit) -> Option<Resolved> {
    use DatePrecision as P;
    let date =
        |v: String, p: P, first: Option<NaiveDate>| Some((TimexKind::Date, v, Some(p), first));
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day | Unit::Clock(..) => {
            date(day_value(d), P::Day, Some(d))
        }
        Unit::Week => {
            let monday = shift_days(d, -i64::from(d.weekday().num_days_from_monday()));
            date(week_value(d), P::Week, monday)
        }
        Unit::Weekend => {
            let sat = shift_days(d, 5 - i64::from(d.weekday().num_days_from_monday()));
            date(format!("{}-WE", week_value(d)), P::Week, sat)
        }
        Unit::Month => date(
            format!("{:04}-{:02}", d.year(), d.month()),
            P::Month,
            month_start(d.year(), d.month()),
        ),
        Unit::Quarter => {
            let q = quarter_of(d);
            date(
                format!("{:04}-Q{q}", d.year()),
                P::Quarter,
                month_start(d.year(), 3 * q - 2),
            )
        }
        Unit::Year => date(
            format!("{:04}", d.year()),
            P::Year,
            month_start(d.year(), 1),
        ),
        Unit::Decade => {
            let dec = d.year().div_euclid(10);
            date(format!("{dec:03}"), P::Decade, month_start(dec * 10, 1))
        }
        Unit::Century => {
            let c = d.year().div_euclid(100);
            date(format!("{c:02}"), P::Century, month_start(c * 100, 1))
        }
    }
}

/// `d` moved by `off` of `unit`.
fn shift_unit(d: NaiveDate, unit: Unit, off: i64) -> Option<NaiveDate> {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day | Unit::Clock(..) => {
            shift_days(d, off)
        }
        Unit::Week | Unit::Weekend => shift_days(d, off.checked_mul(7)?),
        Unit::Month => shift_months(d, off),
        Unit::Quarter => shift_months(d, off.checked_mul(3)?),
        Unit::Year => shift_months(d, off.checked_mul(12)?),
        Unit::Decade => shift_months(d, off.checked_mul(120)?),
        Unit::Century => shift_months(d, off.checked_mul(1200)?),
    }
}

fn unit_precision(unit: Unit) -> DatePrecision {
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day | Unit::Clock(..) => {
            DatePrecision::Day
        }
        Unit::Week | Unit::Weekend => DatePrecision::Week,
        Unit::Month => DatePrecision::Month,
        Unit::Quarter => DatePrecision::Quarter,
        Unit::Year => DatePrecision::Year,
        Unit::Decade => DatePrecision::Decade,
        Unit::Century => DatePrecision::Century,
    }
}

impl State {
    pub(crate) fn new(anchor: Option<NaiveDate>) -> Self {
        State {
            anchor,
            reference: None,
        }
    }

    /// Resolves one expression; `None` when it names no valid time (an impossible date).
    pub(crate) fn resolve(&mut self, sem: &Sem, tense: Tense) -> Option<Resolved> {
        let r = self.value(sem, tense)?;
        if let (TimexKind::Date | TimexKind::Time, Some(p), Some(d)) = (r.0, r.2, r.3) {
            self.reference = Some((d, p));
        }
        Some(r)
    }

    /// The base for "the following day" / "a year earlier": the last date the text named when
    /// it is at least as fine as `unit`, else the anchor.
    fn base(&self, unit: Unit) -> Option<NaiveDate> {
        match self.reference {
            Some((d, p)) if p <= unit_precision(unit) => Some(d),
            _ => self.anchor,
        }
    }

    fn value(&self, sem: &Sem, tense: Tense) -> Option<Resolved> {
        use DatePrecision as P;
        let a = self.anchor;
        let date = |v: String, p: P, d: Option<NaiveDate>| Some((TimexKind::Date, v, Some(p), d));
        let reference = |v: &str| Some((TimexKind::Date, v.to_string(), None, None));
        match *sem {
            Sem::Skip => None,
            Sem::Day { y, m, d } => {
                if !(1..=12).contains(&m) {
                    return None;
                }
                match (y, a) {
                    (YearSpec::Explicit(_), _) | (_, Some(_)) => {
                        let ay = a.map_or(0, |a| a.year());
                        let now = a.map_or(0, |a| a.month() * 32 + a.day());
                        let yy = infer_year(y, ay, m * 32 + d, now, tense);
                        let dd = NaiveDate::from_ymd_opt(yy, m, d)?;
                        date(day_value(dd), P::Day, Some(dd))
                    }
                    // No anchor: a valid month-day in some year (2000 allows 29 February).
                    _ => {
                        NaiveDate::from_ymd_opt(2000, m, d)?;
                        date(format!("XXXX-{m:02}-{d:02}"), P::Day, None)
                    }
                }
            }
            Sem::Month { y, m } => match (y, a) {
                (YearSpec::Explicit(_), _) | (_, Some(_)) => {
                    let yy = infer_year(
                        y,
                        a.map_or(0, |a| a.year()),
                        m,
                        a.map_or(0, |a| a.month()),
                        tense,
                    );
                    plausible_year(yy).then_some(())?;
                    date(format!("{yy:04}-{m:02}"), P::Month, month_start(yy, m))
                }
                _ => date(format!("XXXX-{m:02}"), P::Month, None),
            },
            Sem::Year(y) => date(format!("{y:04}"), P::Year, month_start(y, 1)),
            Sem::Decade(d) => date(format!("{d:03}"), P::Decade, month_start(d * 10, 1)),
            Sem::Century(c) => date(format!("{c:02}"), P::Century, month_start(c * 100, 1)),
            Sem::Weekday { wd, shift } => {
                let Some(a) = a else {
                    return date(format!("XXXX-WXX-{}", wd + 1), P::Day, None);
                };
                let now = a.weekday().num_days_from_monday();
                let back = i64::from((now + 7 - wd) % 7);
                let ahead = i64::from((wd + 7 - now) % 7);
                let off = match shift {
                    -1 => -(if back == 0 { 7 } else { back }),
                    1 => {
                        if ahead == 0 {
                            7
                        } else {
                            ahead
                        }
                    }
                    2 => i64::from(wd) - i64::from(now),
                    // "will vote on Friday", written on a Friday, is today.
                    _ if tense == Tense::Future => ahead,
                    _ => -back,
                };
                let d = shift_days(a, off)?;
                date(day_value(d), P::Day, Some(d))
            }
            Sem::DayRel(n) => match a {
                Some(a) => {
                    let d = shift_days(a, n)?;
                    date(day_value(d), P::Day, Some(d))
                }
                None => date("XXXX-XX-XX".into(), P::Day, None),
            },
            Sem::Rel { unit, off } => match a {
                Some(a) => unit_value(shift_unit(a, unit, i64::from(off))?, unit),
                None => reference(match off {
                    o if o < 0 => "PAST_REF",
                    0 => "PRESENT_REF",
                    _ => "FUTURE_REF",
                }),
            },
            Sem::RefRel { unit, off } => match self.base(unit) {
                Some(b) => unit_value(shift_unit(b, unit, i64::from(off))?, unit),
                None => date("XXXX-XX-XX".into(), unit_precision(unit), None),
            },
            Sem::Weekend => {
                let Some(a) = a else {
                    return date("XXXX-WXX-WE".into(), P::Week, None);
                };
                let wd = a.weekday().num_days_from_monday();
                // On a weekend day it is this one; otherwise the last one, or the coming one
                // in the future tense.
                let off = if wd >= 5 || tense == Tense::Future {
                    0
                } else {
                    -1
                };
                unit_value(shift_unit(a, Unit::Week, off)?, Unit::Weekend)
            }
            Sem::Ago {
                q,
                unit,
                dir,
                from_ref,
            } => {
                let base = if from_ref { self.base(unit) } else { a };
                let vague = if dir < 0 { "PAST_REF" } else { "FUTURE_REF" };
                let (Qty::N(n), Some(b)) = (q, base) else {
                    return reference(vague);
                };
                if n > MAX_OFFSET {
                    return reference(vague);
                }
                // "a year and a half ago": to the nearest whole unit.
                let n = n.round() as i64 * i64::from(dir);
                unit_value(shift_unit(b, unit, n)?, unit)
            }
            Sem::Dur { q, unit } => {
                Some((TimexKind::Duration, duration_value(q, unit), None, None))
            }
            Sem::Quarter { q, y } => match (y, a) {
                (YearSpec::Explicit(_), _) | (_, Some(_)) => {
                    let yy = infer_year(
                        y,
                        a.map_or(0, |a| a.year()),
                        q,
                        a.map_or(0, quarter_of),
                        tense,
                    );
                    plausible_year(yy).then_some(())?;
                    date(
                        format!("{yy:04}-Q{q}"),
                        P::Quarter,
                        month_start(yy, 3 * q - 2),
                    )
                }
                _ => date(format!("XXXX-Q{q}"), P::Quarter, None),
            },
            Sem::Half { h, y } => match (y, a) {
                (YearSpec::Explicit(_), _) | (_, Some(_)) => {
                    let yy = infer_year(
                        y,
                        a.map_or(0, |a| a.year()),
                        h,
                        a.map_or(0, |a| u32::from(a.month() > 6) + 1),
                        tense,
                    );
                    plausible_year(yy).then_some(())?;
                    date(
                        format!("{yy:04}-H{h}"),
                        P::Quarter,
                        month_start(yy, 6 * h - 5),
                    )
                }
                _ => date(format!("XXXX-H{h}"), P::Quarter, None),
            },
            Sem::Season { s, y } => {
                let code = SEASONS[s as usize % 4];
                match (y, a) {
                    (YearSpec::Explicit(_), _) | (_, Some(_)) => {
                        let (cy, ci) = a.map_or((0, 0), season_of);
                        let yy = infer_year(y, cy, s, ci, tense);
                        plausible_year(yy).then_some(())?;
                        date(
                            format!("{yy:04}-{code}"),
                            P::Quarter,
                            month_start(yy, 3 * s + 3),
                        )
                    }
                    _ => date(format!("XXXX-{code}"), P::Quarter, None),
                }
            }
            Sem::Time {
                ref day,
                h,
                min,
                sec,
                utc,
            } => {
                let (dv, d) = self.day_part(day.as_deref(), tense);
                let mut v = format!("{dv}T{h:02}:{min:02}");
                if let Some(s) = sec {
                    v.push_str(&format!(":{s:02}"));
                }
                if utc {
                    v.push('Z');
                }
                Some((TimexKind::Time, v, Some(P::Day), d))
            }
            Sem::Pod { ref day, pod } => {
                let (dv, d) = match day.as_deref() {
                    Some(s) => self.day_part(Some(s), tense),
                    None => match a {
                        Some(a) => (day_value(a), Some(a)),
                        None => ("XXXX-XX-XX".into(), None),
                    },
                };
                Some((TimexKind::Time, format!("{dv}T{pod}"), Some(P::Day), d))
            }
            Sem::Ref(r) => reference(r),
            Sem::Set(ref v) => Some((TimexKind::Set, v.clone(), None, None)),
        }
    }

    /// The day of a TIME: the day written with it, else the last day the text named, else the
    /// anchor.
    fn day_part(&self, day: Option<&Sem>, tense: Tense) -> (String, Option<NaiveDate>) {
        if let Some(s) = day {
            if let Some((_, v, _, d)) = self.value(s, tense) {
                return (v, d);
            }
        }
        match self.reference {
            Some((d, DatePrecision::Day)) => (day_value(d), Some(d)),
            _ => match self.anchor {
                Some(a) => (day_value(a), Some(a)),
                None => ("XXXX-XX-XX".into(), None),
            },
        }
    }
}
