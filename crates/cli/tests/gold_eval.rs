//! `dyad eval` on dyad's own JSONL gold format (the fixture in tests/fixtures/gold, fictional
//! wire sentences written for dyad), bad gold lines, and the PLOVER summary's levels on a small
//! PLOVER file written here.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gold/wire.jsonl")
}

/// Runs `dyad eval PATH`: (status ok, summary line, report).
fn eval(path: &Path) -> (bool, Option<Value>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("eval")
        .arg(path)
        .output()
        .expect("run dyad");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok());
    (out.status.success(), v, stderr)
}

fn lines_starting<'a>(report: &'a str, prefix: &str) -> Vec<&'a str> {
    report.lines().filter(|l| l.starts_with(prefix)).collect()
}

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

#[test]
fn scores_the_fixture_at_both_levels_and_lists_misses_and_extras() {
    let (ok, v, report) = eval(&fixture());
    assert!(ok, "{report}");
    let v = v.expect("a summary line");
    assert_eq!(v["format"], "dyad-jsonl", "{v}");
    assert_eq!(v["documents"], 12, "{v}\n{report}");
    assert_eq!(v["skipped"], 0, "{v}\n{report}");
    assert_eq!(v["gold_events"], 15, "{v}");
    // Pairs: w-03 and the signing in w-12 are mutual acts written once (two codings each).
    assert_eq!(v["gold_codings"], 17, "{v}");
    assert_eq!(v["no_event_documents"], 1, "{v}");
    assert_eq!(v["no_event_correct"], 1, "{v}\n{report}");
    // What the fixture was written to show, one figure each:
    // - w-05 (1123 expected, 112 coded) and w-06 (0233/023 expected, 020 coded) match at the
    //   country + root level only;
    // - w-09 and w-10: the coder finds no target in "attacked Swedish positions" and "rejected
    //   a Spanish proposal", a miss at both levels and an extra at both;
    // - w-12: the intent to meet under "would" is suppressed, a miss at both levels.
    let codings = v["codings"].as_u64().expect("codings");
    let full = v["full"]["matched"].as_u64().expect("full matched");
    let coarse = v["country_root"]["matched"]
        .as_u64()
        .expect("coarse matched");
    assert_eq!(codings, 16, "{v}\n{report}");
    assert_eq!(full, 12, "{v}\n{report}");
    assert_eq!(coarse, 14, "{v}\n{report}");
    assert!(close(&v["full"]["precision"], 12.0 / 16.0), "{v}");
    assert!(close(&v["full"]["recall"], 12.0 / 17.0), "{v}");
    let (p, r) = (12.0 / 16.0, 12.0 / 17.0);
    assert!(close(&v["full"]["f1"], 2.0 * p * r / (p + r)), "{v}");
    assert!(close(&v["country_root"]["precision"], 14.0 / 16.0), "{v}");
    assert!(close(&v["country_root"]["recall"], 14.0 / 17.0), "{v}");
    assert_eq!(v["documents_exact"], 7, "{v}\n{report}");

    let misses = lines_starting(&report, "MISS ");
    let extras = lines_starting(&report, "EXTRA ");
    // Every unmatched gold coding and every unmatched dyad coding is listed, one line each.
    assert_eq!(misses.len() as u64, 17 - full, "{report}");
    assert_eq!(extras.len() as u64, codings - full, "{report}");
    let ids = |v: &[&str]| -> Vec<String> {
        v.iter()
            .filter_map(|l| l.split_whitespace().nth(1))
            .map(|s| s.trim_end_matches(':').to_string())
            .collect()
    };
    assert_eq!(
        ids(&misses),
        ["w-05", "w-06", "w-09", "w-10", "w-12"],
        "{report}"
    );
    assert_eq!(ids(&extras), ["w-05", "w-06", "w-09", "w-10"], "{report}");
    assert!(
        misses[0].contains("ECU -> COL 1123") && misses[0].ends_with("(country+root: ok)"),
        "{report}"
    );
    assert!(misses[1].contains("KEN -> ETH 0233|023"), "{report}");
    assert!(!misses[2].contains("country+root"), "{report}");
    assert!(misses[4].contains("MEXGOV -> CANGOV 036"), "{report}");
    assert!(extras[2].contains("NORMIL -> ---"), "{report}");
}

#[test]
fn bad_gold_lines_are_reported_by_line_and_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gold = dir.path().join("g.jsonl");
    let lines = [
        r#"{"id": "ok", "text": "Brazil praised Argentina on Monday.", "events": [{"source": ["BRA"], "target": ["ARG"], "code": "051"}]}"#,
        r#"{"id": "broken", "text": "Brazil praised"#,
        r#"{"id": "no-events", "text": "Brazil praised Argentina."}"#,
        r#"{"id": "both", "text": "Brazil praised Argentina.", "path": "x.txt", "events": []}"#,
        r#"{"id": "missing", "path": "nowhere.txt", "events": []}"#,
        r#"{"id": "bad-date", "date": "March 2", "text": "Brazil praised Argentina.", "events": []}"#,
        "",
        "# a comment",
        r#"{"id": "odd-code", "text": "Chile praised Peru.", "events": [{"source": "CHL", "target": "PER", "code": "999"}]}"#,
    ];
    std::fs::write(&gold, lines.join("\n")).expect("write");
    let (ok, v, report) = eval(&gold);
    assert!(ok, "{report}");
    let v = v.expect("a summary line");
    assert_eq!(v["documents"], 2, "{v}\n{report}");
    assert_eq!(v["skipped"], 5, "{v}\n{report}");
    for line in [2, 3, 4, 5, 6] {
        assert!(
            report.contains(&format!("g.jsonl:{line}:")),
            "line {line} not reported:\n{report}"
        );
    }
    assert!(report.contains("\"999\" is not a CAMEO code"), "{report}");
    assert_eq!(v["full"]["matched"], 1, "{v}\n{report}");
    assert_eq!(
        lines_starting(&report, "MISS odd-code").len(),
        1,
        "{report}"
    );

    // Nothing readable: an error, not a score.
    std::fs::write(&gold, "{\"id\": 1}\n").expect("write");
    let (ok, v, report) = eval(&gold);
    assert!(!ok && v.is_none(), "{report}");
    assert!(report.contains("no gold documents"), "{report}");
}

#[test]
fn jsonl_gold_is_recognised_by_content_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gold = dir.path().join("gold.json");
    std::fs::write(
        &gold,
        "\n{\"id\": \"a\", \"text\": \"Brazil praised Argentina.\", \"events\": []}\n",
    )
    .expect("write");
    let (ok, v, report) = eval(&gold);
    assert!(ok, "{report}");
    let v = v.expect("a summary line");
    assert_eq!(v["format"], "dyad-jsonl", "{v}");
    assert_eq!(v["no_event_documents"], 1, "{v}");
    // The praise is coded, so the document that expects nothing is not reproduced.
    assert_eq!(v["no_event_correct"], 0, "{v}\n{report}");
    assert_eq!(lines_starting(&report, "EXTRA a:").len(), 1, "{report}");
}

#[test]
fn plover_summary_scores_type_source_and_type_source_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gold = dir.path().join("plover.json");
    // Three records: a target that matches, a target the coder cannot find (no matching
    // target: type + source only), and a record without target whose event has one.
    let records = serde_json::json!([
        {"id": "P-1", "date": "2026-03-02", "event": "SUPPORT", "text": "Brazil praised Argentina on Monday.",
         "source": [{"code": "BRA"}], "target": [{"code": "ARG"}]},
        {"id": "P-2", "date": "2026-03-12", "event": "REJECT", "text": "Portugal rejected a Spanish proposal on fishing quotas.",
         "source": [{"code": "PRT"}], "target": [{"code": "ESP"}]},
        {"id": "P-3", "date": "2026-03-02", "event": "SUPPORT", "text": "Chile praised Peru on Monday.",
         "source": [{"code": "CHL"}], "target": []},
        {"id": "P-0", "event": "DOCUMENT", "text": "documentation"}
    ]);
    std::fs::write(&gold, records.to_string()).expect("write");
    let (ok, v, report) = eval(&gold);
    assert!(ok, "{report}");
    let v = v.expect("a summary line");
    assert_eq!(v["records"], 3, "{v}");
    // The existing fields stay.
    for f in [
        "type_and_source",
        "type_and_source_share",
        "with_target",
        "type_source_and_target",
        "events",
        "extra",
        "precision",
        "recall",
        "f1",
    ] {
        assert!(v.get(f).is_some(), "{f} missing: {v}");
    }
    assert_eq!(v["type_and_source"], 3, "{v}\n{report}");
    assert_eq!(v["type_source_target"], 1, "{v}\n{report}");
    let events = v["events"].as_f64().expect("events");
    assert!(
        close(&v["type_source_level"]["precision"], 3.0 / events),
        "{v}"
    );
    assert!(close(&v["type_source_level"]["recall"], 1.0), "{v}");
    assert!(
        close(&v["type_source_target_level"]["precision"], 1.0 / events),
        "{v}"
    );
    assert!(
        close(&v["type_source_target_level"]["recall"], 1.0 / 3.0),
        "{v}"
    );
    assert_eq!(v["precision"], v["type_source_level"]["precision"], "{v}");
}
