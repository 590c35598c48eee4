//! Events across documents: when two outlets report the same real-world event.
//!
//! Two event records from different documents are one event when
//! - their actors agree at country level on both sides ([`dyad_key`]: the same sets of codes,
//!   sectors ignored, since one outlet writes "China" and another "the Chinese foreign minister");
//! - their CAMEO codes are compatible ([`codes_compatible`]: the same code, one a refinement of the
//!   other, or one the generic code of the other's root);
//! - their dates are at most [`DATE_WINDOW_DAYS`] apart (outlets date an event by the day they
//!   report it as often as by the day it happened);
//! - when the event has a source or a target only, the codes are the same and the dates at most
//!   a day apart;
//! - their places, where both have one, are in the same country and, for two cities, at most
//!   [`PLACE_KM`] apart.

use dyad_doc::PlaceKind;
use dyad_export::{EventLoc, EventRecord};

/// Largest gap in days between two reports of one event.
pub const DATE_WINDOW_DAYS: i64 = 3;
/// Largest distance between two city-level places of one event.
pub const PLACE_KM: f64 = 150.0;

/// The country-level dyad of an event: sorted, distinct source codes, `>`, target codes
/// (`"CHN>CUB"`, `"CHN+CUB>"`). `None` when both sides are empty: such events are not merged
/// across documents, since nothing identifies them.
pub fn dyad_key(r: &EventRecord) -> Option<String> {
    let side = |v: &[dyad_doc::EventActor]| {
        let mut codes: Vec<&str> = v
            .iter()
            .map(|a| a.code.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes.join("+")
    };
    let (a, b) = (side(&r.actor), side(&r.recipient));
    if a.is_empty() && b.is_empty() {
        return None;
    }
    Some(format!("{a}>{b}"))
}

/// True when two CAMEO codes can describe one event.
pub fn codes_compatible(a: &str, b: &str) -> bool {
    if a.len() < 2 || b.len() < 2 || a.get(..2) != b.get(..2) {
        return false;
    }
    let generic = |c: &str| c.len() == 3 && c.ends_with('0');
    a == b || a.starts_with(b) || b.starts_with(a) || generic(a) || generic(b)
}

/// True when `a` and `b` (from different documents) report one event.
pub fn same_event(a: &EventRecord, b: &EventRecord) -> bool {
    if a.doc_id == b.doc_id && a.cite_info.url == b.cite_info.url {
        return false;
    }
    let (Some(da), Some(db)) = (date(a), date(b)) else {
        return false;
    };
    let one_sided = a.actor.is_empty() || a.recipient.is_empty();
    // An event with one side only ("the WHO called for", "the U.S. pledged") says less about
    // which event it is: it needs the very same code and dates at most a day apart.
    let window = if one_sided { 1 } else { DATE_WINDOW_DAYS };
    (da - db).num_days().abs() <= window
        && (!one_sided || a.cameo.code == b.cameo.code)
        && dyad_key(a).is_some()
        && dyad_key(a) == dyad_key(b)
        && codes_compatible(&a.cameo.code, &b.cameo.code)
        && places_compatible(a.event_loc.as_ref(), b.event_loc.as_ref())
}

fn date(r: &EventRecord) -> Option<chrono::NaiveDate> {
    r.date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn places_compatible(a: Option<&EventLoc>, b: Option<&EventLoc>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a.country_code.is_empty() || b.country_code.is_empty() {
        return true;
    }
    if a.country_code != b.country_code {
        return false;
    }
    if a.kind == PlaceKind::City && b.kind == PlaceKind::City {
        return km(a.lat, a.lon, b.lat, b.lon) <= PLACE_KM;
    }
    true
}

/// Great-circle distance in km.
fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::EventActor;
    use dyad_export::{CameoInfo, CiteInfo, TextInfo};

    fn actor(code: &str) -> EventActor {
        EventActor {
            code: code.into(),
            sector: "GOV".into(),
            entity_text: code.into(),
        }
    }

    pub(crate) fn rec(doc: &str, src: &str, tgt: &str, code: &str, date: &str) -> EventRecord {
        EventRecord {
            kind: "event".into(),
            id: format!("{doc}-{code}"),
            doc_id: doc.into(),
            date: Some(date.into()),
            date_precision: None,
            date_text: None,
            event_loc: None,
            actor: vec![actor(src)],
            recipient: if tgt.is_empty() {
                vec![]
            } else {
                vec![actor(tgt)]
            },
            event: "CONSULT".into(),
            mode: vec![],
            context: vec![],
            cameo: CameoInfo {
                code: code.into(),
                root: code[..2].into(),
                quad_class: 1,
                goldstein: 1.0,
            },
            event_text: "met".into(),
            sentence: "They met.".into(),
            text_info: TextInfo {
                sentence_index: 0,
                start: 0,
                end: 9,
                event_start: 5,
                event_end: 8,
            },
            cite_info: CiteInfo {
                url: None,
                publication: None,
                title: None,
            },
            mentions: vec![[0, 0, 9]],
            reports: vec![],
            speaker: None,
            rule: String::new(),
            confidence: 0.5,
        }
    }

    #[test]
    fn compatible_codes_share_a_root_and_refine_or_generalize() {
        assert!(codes_compatible("040", "042"));
        assert!(codes_compatible("0311", "031"));
        assert!(codes_compatible("051", "051"));
        assert!(!codes_compatible("051", "057"));
        assert!(!codes_compatible("042", "190"));
        assert!(!codes_compatible("", "0"));
    }

    #[test]
    fn two_outlets_reporting_a_meeting_a_day_apart_are_one_event() {
        let a = rec("reuters", "CHN", "CUB", "040", "2026-02-05");
        let b = rec("almanar", "CHN", "CUB", "042", "2026-02-06");
        assert!(same_event(&a, &b));
        // Other dyad, direction, code family or a date a week later: different events.
        assert!(!same_event(
            &a,
            &rec("x", "CUB", "CHN", "040", "2026-02-05")
        ));
        assert!(!same_event(
            &a,
            &rec("x", "CHN", "VEN", "040", "2026-02-05")
        ));
        assert!(!same_event(
            &a,
            &rec("x", "CHN", "CUB", "190", "2026-02-05")
        ));
        assert!(!same_event(
            &a,
            &rec("x", "CHN", "CUB", "040", "2026-02-12")
        ));
        // The same document is never merged with itself here (the in-document pass did that).
        assert!(!same_event(
            &a,
            &rec("reuters", "CHN", "CUB", "040", "2026-02-05")
        ));
    }

    #[test]
    fn places_must_agree_when_both_reports_have_one() {
        let loc = |cc: &str, lat: f64, lon: f64| EventLoc {
            name: "x".into(),
            text: "x".into(),
            kind: PlaceKind::City,
            geonames_id: None,
            country_code: cc.into(),
            admin1_code: String::new(),
            lat,
            lon,
            start: 0,
            end: 1,
        };
        let mut a = rec("a", "NGA", "", "190", "2026-03-01");
        let mut b = rec("b", "NGA", "", "190", "2026-03-02");
        a.event_loc = Some(loc("NG", 12.0, 8.5)); // Kano
        b.event_loc = Some(loc("NG", 12.1, 8.6));
        assert!(same_event(&a, &b));
        b.event_loc = Some(loc("NG", 6.5, 3.4)); // Lagos, 800 km away
        assert!(!same_event(&a, &b));
        b.event_loc = None;
        assert!(same_event(&a, &b));
    }
}
