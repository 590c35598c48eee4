//! Checks of the shipped tables: completeness, consistency, and spot checks of facts.

use std::collections::HashSet;

use dyad_ontology::{quad_class, CameoCode, Ontology};

const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// CAMEO 1.1b3 codes that the 2021 conversion table does not list (besides 01x and 02x).
const UNLISTED: [&str; 5] = ["155", "176", "1834", "1951", "1952"];

fn ont() -> &'static Ontology {
    Ontology::embedded()
}

fn code(c: &str) -> &'static CameoCode {
    ont()
        .cameo(c)
        .unwrap_or_else(|| panic!("CAMEO code {c} missing"))
}

fn event_of(c: &str) -> Option<&'static str> {
    code(c).plover.as_ref().map(|m| m.event.as_str())
}

#[test]
fn every_code_is_complete_and_consistent() {
    let types: HashSet<&str> = PLOVER_TYPES.into_iter().collect();
    for c in ont().cameo_codes() {
        assert!(!c.name.trim().is_empty(), "{} has no name", c.code);
        assert!(
            (-10.0..=10.0).contains(&c.goldstein),
            "{} Goldstein {} out of range",
            c.code,
            c.goldstein
        );
        let root: u8 = c.root().parse().expect("numeric root");
        assert!(
            (1..=4).contains(&c.quad_class),
            "{} quad {}",
            c.code,
            c.quad_class
        );
        assert_eq!(
            c.quad_class,
            quad_class(root),
            "{} quad class vs root",
            c.code
        );
        if let Some(m) = &c.plover {
            assert!(
                types.contains(m.event.as_str()),
                "{} maps to {}",
                c.code,
                m.event
            );
        }
    }
}

#[test]
fn none_is_explicit_and_only_where_expected() {
    for c in ont().cameo_codes() {
        let expect_none = matches!(c.root(), "01" | "02") || UNLISTED.contains(&c.code.as_str());
        assert_eq!(
            c.plover.is_none(),
            expect_none,
            "{}: PLOVER mapping {:?}",
            c.code,
            c.plover
        );
    }
}

#[test]
fn hierarchy_is_complete() {
    let ont = ont();
    for r in 1..=20 {
        let root = format!("{r:02}");
        let c = ont
            .cameo(&root)
            .unwrap_or_else(|| panic!("root {root} missing"));
        assert!(c.is_root());
        assert_eq!(c.parent(), None);
    }
    for c in ont.cameo_codes() {
        assert!(ont.cameo(c.root()).is_some(), "{}: root missing", c.code);
        assert!(ont.cameo(c.base()).is_some(), "{}: base missing", c.code);
        if let Some(p) = c.parent() {
            assert!(ont.cameo(p).is_some(), "{}: parent {p} missing", c.code);
        }
    }
    let n = ont.cameo_codes().len();
    assert!(n >= 290, "only {n} CAMEO codes");
    assert_eq!(n, 318, "CAMEO 1.1b3 (316 codes) plus 1213 and 1214");
}

#[test]
fn codes_come_in_codebook_order() {
    let codes: Vec<&str> = ont().cameo_codes().map(|c| c.code.as_str()).collect();
    assert_eq!(codes.first(), Some(&"01"));
    assert_eq!(codes.get(1), Some(&"010"));
    assert_eq!(codes.last(), Some(&"2042"));
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "not strictly sorted");
    let i021 = codes.iter().position(|&c| c == "021").expect("021");
    assert_eq!(
        &codes[i021..i021 + 6],
        ["021", "0211", "0212", "0213", "0214", "022"]
    );
}

#[test]
fn plover_types_and_contexts() {
    let ont = ont();
    let names: Vec<&str> = ont.plover_types().map(|t| t.name.as_str()).collect();
    assert_eq!(names, PLOVER_TYPES);
    for t in ont.plover_types() {
        assert!(!t.description.is_empty(), "{} has no description", t.name);
        assert_eq!(ont.plover_type(&t.name), Some(t));
    }
    assert!(ont.plover_type("FIGHT").is_none());
    assert!(ont.plover_type("none").is_none());
    assert_eq!(ont.plover_types().filter(|t| t.modes.is_empty()).count(), 5);
    assert!(ont
        .plover_type("CONSULT")
        .expect("CONSULT")
        .has_mode("phone"));

    let contexts = ont.plover_contexts();
    assert!(contexts.len() >= 30, "only {} contexts", contexts.len());
    for c in [
        "political_institutions",
        "executive",
        "legislative",
        "election",
        "economic",
        "military",
        "diplomatic",
        "legal",
        "human_rights",
        "rights_freedoms",
        "migration",
        "terrorism",
        "crime",
        "corruption",
        "cyber",
        "health",
        "humanitarian",
        "intelligence",
        "peacekeeping",
        "cbrn",
        "pro_autocracy",
        "pro_democracy",
        "democracy",
        "religion_ethnicity",
        "asylum",
        "human_security",
    ] {
        assert!(ont.is_plover_context(c), "context {c} missing");
        assert!(ont
            .plover_context_description(c)
            .is_some_and(|d| !d.is_empty()));
    }
    assert!(!ont.is_plover_context("AGREE"));
    assert!(!ont.is_plover_context(""));
    let unique: HashSet<&String> = contexts.iter().collect();
    assert_eq!(unique.len(), contexts.len(), "duplicate contexts");
}

#[test]
fn mapping_uses_only_declared_modes_and_contexts() {
    let ont = ont();
    for c in ont.cameo_codes() {
        let Some(m) = &c.plover else { continue };
        let t = ont.plover_type(&m.event).expect("known type");
        if let Some(mode) = &m.mode {
            assert!(
                t.has_mode(mode),
                "{}: {} has no mode {mode}",
                c.code,
                m.event
            );
        }
        for ctx in &m.contexts {
            assert!(
                ont.is_plover_context(ctx),
                "{}: unknown context {ctx}",
                c.code
            );
        }
    }
}

#[test]
fn spot_checks() {
    // 051 Praise or endorse: SUPPORT, Goldstein 3.4.
    let c = code("051");
    assert_eq!(c.name, "Praise or endorse");
    assert_eq!(c.goldstein, 3.4);
    assert_eq!(event_of("051"), Some("SUPPORT"));
    assert_eq!(
        c.plover.as_ref().map(|m| m.contexts.clone()),
        Some(vec!["diplomatic".to_string()])
    );

    // 163 is listed under SANCTION's section but maps to COERCE.
    assert_eq!(code("163").name, "Impose embargo, boycott, or sanctions");
    assert_eq!(code("163").goldstein, -8.0);
    assert_eq!(event_of("163"), Some("COERCE"));

    // 191 is a FIGHT code listed under COERCE's section.
    let c = code("191");
    assert_eq!(c.name, "Impose blockade, restrict movement");
    assert_eq!(event_of("191"), Some("COERCE"));
    assert_eq!(c.quad_class, 4);
    assert_eq!(c.goldstein, -9.5);

    // 041 Discuss by telephone: CONSULT, mode phone.
    let m = code("041").plover.as_ref().expect("041 mapped");
    assert_eq!(
        (m.event.as_str(), m.mode.as_deref()),
        ("CONSULT", Some("phone"))
    );

    // 112 Accuse: ACCUSE, Goldstein -2.0, quad 3.
    assert_eq!(event_of("112"), Some("ACCUSE"));
    assert_eq!(code("112").goldstein, -2.0);
    assert_eq!(code("112").quad_class, 3);

    assert_eq!(code("057").goldstein, 8.0);
    assert_eq!(code("057").name, "Sign formal agreement");
    assert_eq!(event_of("010"), None);
    assert_eq!(event_of("01"), None);
    assert_eq!(event_of("02"), None);

    // More Goldstein values from GDELT's CAMEO.goldsteinscale.txt.
    for (c, g) in [
        ("01", 0.0),
        ("011", -0.1),
        ("012", -0.4),
        ("013", 0.4),
        ("016", -2.0),
        ("018", 3.4),
        ("02", 3.0),
        ("042", 1.9),
        ("043", 2.8),
        ("044", 2.5),
        ("045", 5.0),
        ("046", 7.0),
        ("0874", 10.0),
        ("130", -4.4),
        ("181", -9.0),
        ("190", -10.0),
        ("20", -10.0),
    ] {
        assert_eq!(code(c).goldstein, g, "Goldstein of {c}");
    }
    // Codes missing from the GDELT table inherit their parent's value.
    assert_eq!(code("1213").goldstein, code("121").goldstein);
    assert_eq!(code("1951").goldstein, code("195").goldstein);
    assert_eq!(code("155").goldstein, code("15").goldstein);

    // Other oddities of the conversion table, kept as they stand.
    assert_eq!(event_of("1712"), Some("ASSAULT"));
    assert_eq!(event_of("201"), Some("ASSAULT"));
    assert_eq!(event_of("0813"), Some("RETREAT"));
    assert_eq!(event_of("091"), Some("ACCUSE"));
    let m = code("091").plover.as_ref().expect("091 mapped");
    assert_eq!(m.mode.as_deref(), Some("investigate"));
    assert_eq!(m.contexts, ["crime", "corruption"]);
    let m = code("175").plover.as_ref().expect("175 mapped");
    assert_eq!((m.event.as_str(), m.mode.as_deref()), ("ASSAULT", None));
    assert_eq!(m.contexts, ["pro_autocracy", "military"]);

    // Roots take their "0" base code's mapping.
    assert_eq!(code("04").plover, code("040").plover);
    assert_eq!(code("19").plover, code("190").plover);
    assert_eq!(event_of("08"), Some("CONCEDE"));
}

#[test]
fn code_helpers() {
    let c = code("0211");
    assert_eq!((c.root(), c.base(), c.parent()), ("02", "021", Some("021")));
    let c = code("021");
    assert_eq!((c.root(), c.base(), c.parent()), ("02", "021", Some("02")));
    let c = code("02");
    assert_eq!((c.root(), c.base(), c.parent()), ("02", "02", None));
    assert!(ont().cameo("10").is_some());
    assert!(ont().cameo("100").is_some());
    assert!(ont().cameo("0100").is_none());
    assert!(ont().cameo("21").is_none());
}

#[test]
fn quad_class_follows_gdelt() {
    let expected = [
        (0, 0),
        (1, 1),
        (5, 1),
        (6, 2),
        (9, 2),
        (10, 3),
        (14, 3),
        (15, 4),
        (20, 4),
        (21, 0),
    ];
    for (root, quad) in expected {
        assert_eq!(quad_class(root), quad, "root {root}");
    }
}

#[test]
fn embedded_is_parsed_once() {
    assert!(std::ptr::eq(Ontology::embedded(), Ontology::embedded()));
}
