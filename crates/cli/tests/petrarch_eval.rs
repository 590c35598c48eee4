//! `dyad eval` on PETRARCH validation XML: a small suite written here, and a floor on the
//! PETRARCH-2 unit-test records in ../shared (skipped when they are absent).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn eval(path: &Path) -> (Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("eval")
        .arg(path)
        .output()
        .expect("run dyad");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let v = serde_json::from_str(last).unwrap_or_else(|e| panic!("{last:?}: {e}"));
    (v, stderr)
}

#[test]
fn codes_a_small_suite_with_its_own_dictionaries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("t.actors.txt"),
        "ARNOR [ARN]\nGONDOR [GON]\nOSGILIATH [OSG]\n",
    )
    .unwrap();
    std::fs::write(d.join("t.agents.txt"), "GOVERNMENT [~GOV]\n").unwrap();
    std::fs::write(d.join("t.discards.txt"), "BASEBALL\n+TYPHOON\n").unwrap();
    std::fs::write(
        d.join("t.verbs.txt"),
        "--- RESTORE [064] ---\nRESTORE\n- * TIES [0641]\n- * BAD [064\n\n--- PRAISE [051] ---\nPRAISE\n",
    )
    .unwrap();
    let xml = r#"<Validation>
<Environment>
<Verbfile>t.verbs.txt</Verbfile><Actorfile>t.actors.txt</Actorfile>
<Agentfile>t.agents.txt</Agentfile><Discardfile>t.discards.txt</Discardfile>
<Include>T</Include>
</Environment>
<Sentences>
<Sentence date="19950101" id="T-1" category="T" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="0641"></EventCoding>
<Text>Arnor restored diplomatic ties with Gondor.</Text>
</Sentence>
<Sentence date="19950101" id="T-2" category="T" sentence="true">
<EventCoding sourcecode="GONGOV" targetcode="OSG" eventcode="051"></EventCoding>
<Text>The Gondor government praised Osgiliath.</Text>
</Sentence>
<Sentence date="19950101" id="T-3" category="T" sentence="true">
<EventCoding error="sentencediscard"></EventCoding>
<Text>Arnor praised Gondor at the baseball game.</Text>
</Sentence>
<Sentence date="19950101" id="T-4" category="T" sentence="true">
<EventCoding noevents="True"></EventCoding>
<Text>A typhoon hit the coast as Arnor praised Gondor.</Text>
</Sentence>
<Sentence date="19950101" id="X-1" category="OTHER" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="051"></EventCoding>
<Text>Arnor praised Gondor.</Text>
</Sentence>
</Sentences>
</Validation>
"#;
    let path = d.join("t.records.xml");
    std::fs::write(&path, xml).unwrap();
    let (v, stderr) = eval(&path);
    assert_eq!(v["records"], 4, "{v}");
    assert_eq!(v["skipped"]["category not in <Include>"], 1, "{v}");
    assert_eq!(v["expected_codings"], 2, "{v}");
    assert_eq!(v["no_event_records"], 2, "{v}");
    assert_eq!(v["no_event_correct"], 2, "{v}\n{stderr}");
    assert_eq!(v["reproduced"], 2, "{v}\n{stderr}");
    assert_eq!(v["share"], 1.0, "{v}");
    assert_eq!(v["patterns_converted"], 1, "{v}");
    // The malformed pattern line is named by file and line, and the run goes on.
    assert!(stderr.contains("t.verbs.txt:4:"), "{stderr}");
}

#[test]
fn petrarch_unit_records_floor() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/petrarch-unit/PETR.UnitTest.records.xml");
    if !path.is_file() {
        eprintln!("skipped: {} is absent", path.display());
        return;
    }
    let (v, stderr) = eval(&path);
    assert_eq!(v["records"], 276, "{v}");
    // Floors a little under the measurement when they were last raised (share 0.613,
    // country-level 0.659, 209 of 350 codings); misses and extras go to stderr.
    assert!(v["share"].as_f64().unwrap() >= 0.59, "{v}");
    assert!(v["share_country"].as_f64().unwrap() >= 0.63, "{v}");
    assert!(v["reproduced"].as_u64().unwrap() >= 200, "{v}");
    assert!(v["patterns_converted"].as_u64().unwrap() >= 440, "{v}");
    assert!(stderr.contains("MISS "), "{stderr}");
}
