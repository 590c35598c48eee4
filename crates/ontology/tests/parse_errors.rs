//! Malformed tables must give an `OntologyError` naming the file and line, never a panic.

use dyad_ontology::{
    Ontology, OntologyError, CAMEO_FILE, CAMEO_TSV, MAPPING_FILE, MAPPING_TSV, PLOVER_FILE,
    PLOVER_TSV,
};

/// The 1-based number of the first line of `text` that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no line starting with {prefix:?}"))
}

/// `text` with the first line starting with `prefix` replaced by `new` (`None` deletes it).
fn replace_line(text: &str, prefix: &str, new: Option<&str>) -> String {
    let mut done = false;
    let mut out = String::new();
    for l in text.lines() {
        if !done && l.starts_with(prefix) {
            done = true;
            if let Some(n) = new {
                out.push_str(n);
                out.push('\n');
            }
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    assert!(done, "no line starting with {prefix:?}");
    out
}

fn expect_line_error(
    result: Result<Ontology, OntologyError>,
    file: &str,
    line: usize,
    needle: &str,
) {
    match result {
        Err(e @ OntologyError::Line { .. }) => {
            assert_eq!(e.file(), file, "{e}");
            assert_eq!(e.line(), Some(line), "{e}");
            let text = e.to_string();
            assert!(text.starts_with(&format!("{file}:{line}: ")), "{text}");
            assert!(
                text.contains(needle),
                "{text:?} does not mention {needle:?}"
            );
        }
        Err(e) => panic!("expected a line error, got {e:?}"),
        Ok(_) => panic!("expected an error for {file}:{line}"),
    }
}

#[test]
fn embedded_text_parses() {
    let ont = Ontology::parse(CAMEO_TSV, PLOVER_TSV, MAPPING_TSV).expect("embedded tables");
    assert_eq!(
        ont.cameo_codes().len(),
        Ontology::embedded().cameo_codes().len()
    );
}

#[test]
fn non_numeric_goldstein() {
    let cameo = replace_line(CAMEO_TSV, "051\t", Some("051\tthree\tPraise or endorse"));
    let line = line_of(&cameo, "051\t");
    expect_line_error(
        Ontology::parse(&cameo, PLOVER_TSV, MAPPING_TSV),
        CAMEO_FILE,
        line,
        "three",
    );
}

#[test]
fn goldstein_out_of_range() {
    let cameo = replace_line(CAMEO_TSV, "051\t", Some("051\t11\tPraise or endorse"));
    let line = line_of(&cameo, "051\t");
    expect_line_error(
        Ontology::parse(&cameo, PLOVER_TSV, MAPPING_TSV),
        CAMEO_FILE,
        line,
        "outside",
    );
}

#[test]
fn malformed_cameo_rows() {
    for (bad, needle) in [
        ("051\t3.4", "3 tab-separated columns"),
        ("051\t3.4\t", "no name"),
        ("51\t3.4\tPraise", "root"),
        ("05x\t3.4\tPraise", "not a CAMEO code"),
        ("21\t0.0\tNOT A ROOT", "root 21"),
    ] {
        let cameo = replace_line(CAMEO_TSV, "051\t", Some(bad));
        let line = line_of(CAMEO_TSV, "051\t");
        expect_line_error(
            Ontology::parse(&cameo, PLOVER_TSV, MAPPING_TSV),
            CAMEO_FILE,
            line,
            needle,
        );
    }
}

#[test]
fn duplicate_and_orphan_cameo_codes() {
    let dup = format!("{CAMEO_TSV}051\t3.4\tPraise again\n");
    let line = dup.lines().count();
    expect_line_error(
        Ontology::parse(&dup, PLOVER_TSV, MAPPING_TSV),
        CAMEO_FILE,
        line,
        "already appears",
    );

    let orphan = format!("{CAMEO_TSV}0299\t3.0\tAppeal for something\n");
    let line = orphan.lines().count();
    expect_line_error(
        Ontology::parse(&orphan, PLOVER_TSV, MAPPING_TSV),
        CAMEO_FILE,
        line,
        "029",
    );
}

#[test]
fn wrong_header() {
    let cameo = replace_line(CAMEO_TSV, "code\t", Some("code\tname\tgoldstein"));
    let line = line_of(&cameo, "code\t");
    expect_line_error(
        Ontology::parse(&cameo, PLOVER_TSV, MAPPING_TSV),
        CAMEO_FILE,
        line,
        "header",
    );
}

#[test]
fn unknown_code_in_mapping() {
    let mapping = format!("{MAPPING_TSV}999\tAGREE\t\t\n");
    let line = mapping.lines().count();
    expect_line_error(
        Ontology::parse(CAMEO_TSV, PLOVER_TSV, &mapping),
        MAPPING_FILE,
        line,
        "999",
    );
}

#[test]
fn bad_mapping_rows() {
    let line = line_of(MAPPING_TSV, "041\t");
    for (bad, needle) in [
        ("041\tCONSULT\tfax\t", "fax"),
        ("041\tCHAT\tphone\t", "CHAT"),
        ("041\tCONSULT\tphone\tweather", "weather"),
        ("041\tnone\tphone\t", "none"),
        ("041", "columns"),
    ] {
        let mapping = replace_line(MAPPING_TSV, "041\t", Some(bad));
        expect_line_error(
            Ontology::parse(CAMEO_TSV, PLOVER_TSV, &mapping),
            MAPPING_FILE,
            line,
            needle,
        );
    }
    let mapping = format!("{MAPPING_TSV}041\tCONSULT\tphone\t\n");
    let line = mapping.lines().count();
    expect_line_error(
        Ontology::parse(CAMEO_TSV, PLOVER_TSV, &mapping),
        MAPPING_FILE,
        line,
        "already mapped",
    );
}

#[test]
fn missing_mapping_row_is_an_error_not_a_none() {
    let mapping = replace_line(MAPPING_TSV, "051\t", None);
    match Ontology::parse(CAMEO_TSV, PLOVER_TSV, &mapping) {
        Err(e @ OntologyError::Table { .. }) => {
            assert_eq!(e.file(), MAPPING_FILE);
            assert_eq!(e.line(), None);
            assert!(e.to_string().contains("051"), "{e}");
        }
        other => panic!("expected a table error, got {other:?}"),
    }
}

#[test]
fn trailing_blank_columns_may_be_omitted() {
    let mapping = replace_line(MAPPING_TSV, "010\t", Some("010\tnone"));
    let ont = Ontology::parse(CAMEO_TSV, PLOVER_TSV, &mapping).expect("short row accepted");
    assert!(ont.cameo("010").expect("010").plover.is_none());
}

#[test]
fn bad_plover_rows() {
    let line = line_of(PLOVER_TSV, "event\tCONSULT\t");
    for (bad, needle) in [
        ("thing\tCONSULT\tphone\tMeetings", "kind"),
        ("event\tCONSULT\tphone,phone\tMeetings", "twice"),
        ("event\tCONSULT\tphone\t", "description"),
        ("event\tnone\t\tNothing", "reserved"),
        ("event\tAGREE\t\tAgain", "already defined"),
    ] {
        let plover = replace_line(PLOVER_TSV, "event\tCONSULT\t", Some(bad));
        expect_line_error(
            Ontology::parse(CAMEO_TSV, &plover, MAPPING_TSV),
            PLOVER_FILE,
            line,
            needle,
        );
    }
    let line = line_of(PLOVER_TSV, "context\tmilitary\t");
    let plover = replace_line(
        PLOVER_TSV,
        "context\tmilitary\t",
        Some("context\tmilitary\ttroops\tArmies"),
    );
    expect_line_error(
        Ontology::parse(CAMEO_TSV, &plover, MAPPING_TSV),
        PLOVER_FILE,
        line,
        "only events",
    );
}

#[test]
fn removing_a_mode_breaks_the_mapping_that_uses_it() {
    let plover = replace_line(
        PLOVER_TSV,
        "event\tCONSULT\t",
        Some("event\tCONSULT\tvisit,third-party,multilateral\tMeetings"),
    );
    let line = line_of(MAPPING_TSV, "041\t");
    expect_line_error(
        Ontology::parse(CAMEO_TSV, &plover, MAPPING_TSV),
        MAPPING_FILE,
        line,
        "phone",
    );
}

#[test]
fn empty_tables() {
    let err = Ontology::parse("# nothing\n", PLOVER_TSV, MAPPING_TSV).expect_err("no header");
    assert_eq!(err.file(), CAMEO_FILE);
    let err =
        Ontology::parse("code\tgoldstein\tname\n", PLOVER_TSV, MAPPING_TSV).expect_err("no codes");
    assert_eq!(err.file(), CAMEO_FILE);
}

#[test]
fn windows_line_endings_are_accepted() {
    let crlf = |s: &str| s.replace('\n', "\r\n");
    let ont = Ontology::parse(&crlf(CAMEO_TSV), &crlf(PLOVER_TSV), &crlf(MAPPING_TSV))
        .expect("CRLF tables");
    assert_eq!(ont.cameo("051").expect("051").name, "Praise or endorse");
}

#[test]
fn load_dir_reads_the_three_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(CAMEO_FILE), CAMEO_TSV).expect("write");
    std::fs::write(dir.path().join(PLOVER_FILE), PLOVER_TSV).expect("write");
    let mapping = replace_line(MAPPING_TSV, "010\t", Some("010\tSUPPORT\t\tdiplomatic"));
    std::fs::write(dir.path().join(MAPPING_FILE), &mapping).expect("write");

    let ont = Ontology::load_dir(dir.path()).expect("load_dir");
    assert_eq!(
        ont.cameo("010")
            .and_then(|c| c.plover.as_ref())
            .map(|m| m.event.as_str()),
        Some("SUPPORT")
    );

    // A bad line is reported with the file's path.
    let cameo = replace_line(CAMEO_TSV, "051\t", Some("051\t?\tPraise or endorse"));
    std::fs::write(dir.path().join(CAMEO_FILE), &cameo).expect("write");
    let path = dir.path().join(CAMEO_FILE).display().to_string();
    expect_line_error(
        Ontology::load_dir(dir.path()),
        &path,
        line_of(&cameo, "051\t"),
        "?",
    );

    // A missing file is an I/O error naming it.
    std::fs::remove_file(dir.path().join(PLOVER_FILE)).expect("remove");
    std::fs::write(dir.path().join(CAMEO_FILE), CAMEO_TSV).expect("write");
    match Ontology::load_dir(dir.path()) {
        Err(e @ OntologyError::Io { .. }) => {
            assert!(e.file().ends_with(PLOVER_FILE), "{e}");
            assert!(e.to_string().contains(PLOVER_FILE), "{e}");
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn shipped_directory_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ontology");
    let ont = Ontology::load_dir(&dir).expect("workspace ontology/ directory");
    assert_eq!(
        ont.cameo_codes().len(),
        Ontology::embedded().cameo_codes().len()
    );
}
