//! `dyad eval` on time-expression gold data: floors on TempEval-3 platinum and MEANTIME in
//! ../shared (skipped, with a note, when they are absent). The floors sit a few points under
//! the figures measured when the tagger was written.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn eval(path: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("eval")
        .arg(path)
        .output()
        .expect("run dyad");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{last:?}: {e}"))
}

fn shared(rel: &str) -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/timex")
        .join(rel);
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: {} is absent", p.display());
        None
    }
}

fn floor(v: &Value, key: &str, min: f64) {
    let got = v[key].as_f64().unwrap_or(0.0);
    assert!(got >= min, "{key} {got} < {min}: {v}");
}

#[test]
fn tempeval3_platinum_floor() {
    let Some(p) = shared("te3-platinum") else {
        return;
    };
    let v = eval(&p);
    assert_eq!(v["documents"], 20);
    // Measured: relaxed F1 0.935, strict F1 0.891, value F1 0.862.
    floor(&v, "relaxed_f1", 0.90);
    floor(&v, "strict_f1", 0.85);
    floor(&v, "value_f1", 0.82);
}

#[test]
fn meantime_floor() {
    let Some(p) = shared("meantime") else {
        return;
    };
    let v = eval(&p);
    assert_eq!(v["documents"], 120);
    // Measured: relaxed F1 0.928, strict F1 0.880, value F1 0.840.
    floor(&v, "relaxed_f1", 0.89);
    floor(&v, "strict_f1", 0.84);
    floor(&v, "value_f1", 0.80);
}
