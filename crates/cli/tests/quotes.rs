//! `dyad code --quotes`: quote JSON lines next to the event lines, a snapshot of the quotes in
//! the demo corpus, and quotes kept by `dyad ingest`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn demo_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/corpus")
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("invalid JSON line {l:?}: {e}")))
        .collect()
}

#[test]
fn code_with_quotes_writes_quote_lines_after_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wire.txt");
    std::fs::write(
        &file,
        "Cuba and China pledge closer ties\n\nBEIJING, Feb 5 - Chinese Foreign Minister Wang Yi met Cuban Foreign Minister Bruno Rodriguez on Thursday.\n\n\"China firmly supports Cuba in safeguarding its sovereignty,\" Wang told Rodriguez.\n",
    )
    .unwrap();
    let plain = dyad().arg("code").arg(&file).output().unwrap();
    assert!(plain.status.success());
    let plain = lines(&plain.stdout);
    assert!(!plain.is_empty());
    assert!(plain.iter().all(|l| l["type"] == "event"));

    let out = dyad()
        .args(["code", "--quotes"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let all = lines(&out.stdout);
    let (events, quotes): (Vec<_>, Vec<_>) = all.iter().partition(|l| l["type"] == "event");
    assert_eq!(
        events.len(),
        plain.len(),
        "events are unchanged by --quotes"
    );
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    let q = quotes[0];
    assert_eq!(q["type"], "quote");
    assert_eq!(q["doc_id"], "wire");
    assert_eq!(q["kind"], "direct");
    assert_eq!(
        q["text"],
        "China firmly supports Cuba in safeguarding its sovereignty"
    );
    assert_eq!(q["speaker"]["code"], "CHN");
    assert_eq!(q["speaker"]["name"], "Wang");
    assert_eq!(q["addressee"]["code"], "CUB");
    assert_eq!(q["cue"], "told");
    assert_eq!(q["closed"], true);
    assert_eq!(q["sentences"], serde_json::json!([1]));
    let (start, end) = (
        q["start"].as_u64().unwrap() as usize,
        q["end"].as_u64().unwrap() as usize,
    );
    assert!(start < end);
}

#[test]
fn ingest_stores_the_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let out = dyad()
        .arg("ingest")
        .arg(demo_corpus())
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let coded = dyad()
        .args(["code", "--quotes"])
        .arg(demo_corpus())
        .output()
        .unwrap();
    let n = lines(&coded.stdout)
        .iter()
        .filter(|l| l["type"] == "quote")
        .count();
    assert!(n > 0);
    assert!(
        stderr.contains(&format!("events and {n} quotes")),
        "{stderr}"
    );
}

/// One compact line per quote in the demo corpus: doc, sentences, kind, speaker → addressee,
/// cue, text. Review every line when it changes.
#[test]
fn demo_corpus_quotes() {
    let out = dyad()
        .args(["code", "--quotes"])
        .arg(demo_corpus())
        .output()
        .unwrap();
    assert!(out.status.success());
    let party = |p: &Value| {
        if p.is_null() {
            return "-".to_string();
        }
        format!(
            "{} {} ({})",
            p["code"].as_str().unwrap_or("?"),
            p["sector"].as_str().unwrap_or(""),
            p["name"].as_str().unwrap_or("")
        )
    };
    let quotes: Vec<String> = lines(&out.stdout)
        .iter()
        .filter(|l| l["type"] == "quote")
        .map(|q| {
            format!(
                "{} s{} | {} | {} -> {} | {} | {}{}",
                q["doc_id"].as_str().unwrap_or(""),
                q["sentences"],
                q["kind"].as_str().unwrap_or(""),
                party(&q["speaker"]),
                party(&q["addressee"]),
                q["cue"].as_str().unwrap_or("-"),
                q["text"].as_str().unwrap_or(""),
                if q["closed"] == true {
                    ""
                } else {
                    " [unclosed]"
                }
            )
        })
        .collect();
    insta::assert_snapshot!(quotes.join("\n"));
}
