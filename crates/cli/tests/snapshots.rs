//! Snapshot of the coded demo corpus: every behaviour change of the coder shows up in review.

use std::process::Command;

#[test]
fn demo_corpus_events() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/corpus");
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("code")
        .arg(corpus)
        .output()
        .unwrap();
    assert!(out.status.success());
    // One compact line per event: doc, sentence, source → target, code, words.
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            let side = |v: &serde_json::Value| {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        format!(
                            "{} {} ({})",
                            a["code"].as_str().unwrap(),
                            a["sector"].as_str().unwrap(),
                            a["entity_text"].as_str().unwrap()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            // When and where: the date with its precision and the words it came from, and the
            // place ("-" when the event keeps the document date or has no place).
            let when = format!(
                "{} {} {}",
                e["date"].as_str().unwrap_or("-"),
                e["date_precision"].as_str().unwrap_or("-"),
                e["date_text"]
                    .as_str()
                    .map_or("-".to_string(), |t| format!("{t:?}"))
            );
            let place = e["event_loc"]["name"].as_str().unwrap_or("-");
            format!(
                "{} s{} | {} -> {} | {} {} | {} | {} @ {}",
                e["doc_id"].as_str().unwrap(),
                e["text_info"]["sentence_index"],
                side(&e["actor"]),
                side(&e["recipient"]),
                e["cameo"]["code"].as_str().unwrap(),
                e["event"].as_str().unwrap(),
                e["event_text"].as_str().unwrap(),
                when,
                place
            )
        })
        .collect();
    drop(dir);
    insta::assert_snapshot!(lines.join("\n"));
}

/// Snapshot of the article `dyad extract` reads from each saved-page fixture (body, headline,
/// byline, date, outlet, address): every change of the HTML extractors shows up in review.
#[test]
fn html_fixture_articles() {
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests/fixtures");
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    assert!(names.len() >= 2);
    let mut out = Vec::new();
    for path in names {
        let run = Command::new(env!("CARGO_BIN_EXE_dyad"))
            .arg("extract")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let page: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        out.push(format!(
            "== {}\n{}",
            path.file_name().unwrap().to_string_lossy(),
            serde_json::to_string_pretty(&page).unwrap()
        ));
    }
    insta::assert_snapshot!(out.join("\n"));
}
