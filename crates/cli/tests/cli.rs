//! End-to-end tests of the `dyad` binary: the seeds in ../shared, the store, bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn dyad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dyad"))
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds")
}

fn events(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("invalid JSON line {l:?}: {e}")))
        .collect()
}

fn has_dyad(events: &[Value], src: &str, tgt: &str, root: &str) -> bool {
    events.iter().any(|e| {
        e["actor"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["code"] == src))
            && e["recipient"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["code"] == tgt))
            && (root.is_empty() || e["cameo"]["root"] == root)
    })
}

#[test]
fn codes_the_seed_articles_with_the_public_fields() {
    let out = dyad().arg("code").arg(seeds()).output().expect("run dyad");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let evs = events(&out);
    assert!(evs.len() >= 5, "too few events: {}", evs.len());
    for e in &evs {
        for field in [
            "id",
            "doc_id",
            "date",
            "actor",
            "recipient",
            "event",
            "mode",
            "context",
            "cameo",
            "event_text",
            "sentence",
            "text_info",
            "cite_info",
        ] {
            assert!(e.get(field).is_some(), "missing {field} in {e}");
        }
        for a in e["actor"]
            .as_array()
            .unwrap()
            .iter()
            .chain(e["recipient"].as_array().unwrap())
        {
            assert_eq!(a["code"].as_str().unwrap().len(), 3, "{a}");
            assert!(a.get("sector").is_some() && a.get("entity_text").is_some());
        }
        let c = &e["cameo"];
        assert!(c["code"]
            .as_str()
            .unwrap()
            .starts_with(c["root"].as_str().unwrap()));
        assert!((1..=4).contains(&c["quad_class"].as_u64().unwrap()));
        let (s, t) = (
            e["text_info"]["start"].as_u64().unwrap(),
            e["text_info"]["end"].as_u64().unwrap(),
        );
        assert_eq!(e["sentence"].as_str().unwrap().len() as u64, t - s);
    }
    assert!(
        has_dyad(&evs, "CHN", "CUB", "05"),
        "no China → Cuba support"
    );
    assert!(has_dyad(&evs, "USA", "VEN", ""), "no US → Venezuela event");
    // Seed 001 carries its date on a date line.
    assert!(evs
        .iter()
        .any(|e| e["doc_id"] == "001_3f50df4c612dd481" && e["date"] == "2026-02-06"));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        dyad()
            .args(["code", "--threads", threads])
            .arg(seeds())
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn ingesting_twice_keeps_the_event_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let ingest = || {
        dyad()
            .arg("ingest")
            .arg(seeds())
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap()
    };
    let count = || {
        let out = dyad()
            .args(["events", "--format", "jsonl", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
        events(&out).len()
    };
    assert!(ingest().status.success());
    let first = count();
    assert!(first > 0);
    let second = ingest();
    assert!(second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("5 documents already stored were skipped")
    );
    assert_eq!(count(), first);
    // Queries filter.
    let out = dyad()
        .args([
            "events",
            "--format",
            "jsonl",
            "--actor",
            "CHN",
            "--recipient",
            "CUB",
            "--root",
            "05",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let filtered = events(&out);
    assert!(!filtered.is_empty() && filtered.len() < first);
    assert!(filtered
        .iter()
        .all(|e| has_dyad(std::slice::from_ref(e), "CHN", "CUB", "05")));
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_coded() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(
        p("good.txt"),
        "Talks\n\nHAVANA, March 3 - China firmly supports Cuba, the minister said.\n",
    )
    .unwrap();
    std::fs::write(p("empty.txt"), "").unwrap();
    std::fs::write(p("latin1.txt"), b"Caf\xe9 \xe0 Havana").unwrap();
    std::fs::write(p("lines.jsonl"), "{\"id\": \"j1\", \"text\": \"Russia accused Ukraine of shelling.\"}\nnot json\n{\"id\": \"j3\"}\n").unwrap();
    std::fs::write(
        p("page.html"),
        "<html><head><title>Talks</title><meta property=\"og:site_name\" content=\"Meridian Wire\"></head><body><nav>Home | World</nav><article><p>Japan&#39;s foreign minister met South Korea&#39;s foreign minister in Seoul.</p></article></body></html>",
    )
    .unwrap();
    let big = std::fs::File::create(p("huge.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    let out = dyad()
        .arg("code")
        .arg(dir.path())
        .arg(p("missing.txt"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "without --strict bad inputs do not fail the run: {err}"
    );
    for name in [
        "empty.txt",
        "latin1.txt",
        "lines.jsonl:2",
        "lines.jsonl:3",
        "huge.txt",
        "missing.txt",
    ] {
        assert_eq!(
            err.lines()
                .filter(|l| l.contains(name) && l.contains("error"))
                .count(),
            1,
            "{name}: {err}"
        );
    }
    assert!(!err.contains("panicked"));
    let evs = events(&out);
    assert!(has_dyad(&evs, "CHN", "CUB", "05"));
    assert!(has_dyad(&evs, "RUS", "UKR", "11"));
    let html: Vec<&Value> = evs.iter().filter(|e| e["doc_id"] == "page").collect();
    assert!(has_dyad(
        &html.iter().map(|e| (*e).clone()).collect::<Vec<_>>(),
        "JPN",
        "KOR",
        "04"
    ));
    assert_eq!(html[0]["cite_info"]["publication"], "Meridian Wire");
    assert_eq!(html[0]["cite_info"]["title"], "Talks");
    // --out writes the same lines to a file.
    let out_file = dir.path().join("events.out");
    let to_file = dyad()
        .arg("code")
        .arg(p("good.txt"))
        .arg("--out")
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(to_file.status.success() && to_file.stdout.is_empty());
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(written.lines().count(), 1, "{written}");
    let strict = dyad()
        .arg("code")
        .arg("--strict")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!strict.status.success());
    let nothing = dyad().arg("code").arg(p("missing.txt")).output().unwrap();
    assert!(!nothing.status.success(), "nothing could be read");
}

#[test]
fn stdin_is_read_as_jsonl_with_a_default_date() {
    use std::io::Write;
    let mut child = dyad()
        .args(["code", "--date", "2026-03-01", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\": \"a\", \"text\": \"Japan condemned North Korea.\", \"url\": \"https://example.org/a\"}\n{\"id\": \"b\", \"text\": \"Germany praised France.\", \"date\": \"2026-02-02\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let evs = events(&out);
    assert_eq!(evs.len(), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(evs[0]["date"], "2026-03-01");
    assert_eq!(evs[0]["cite_info"]["url"], "https://example.org/a");
    assert_eq!(evs[1]["date"], "2026-02-02");
    assert_eq!(evs[1]["doc_id"], "b");
}

#[test]
fn demo_runs_and_finds_the_jointly_reported_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = dyad().arg("demo").arg("--db").arg(&db).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("10 fictional wire stories"), "{text}");
    assert!(text.contains("Top dyads"));
    let q = dyad()
        .args([
            "events",
            "--format",
            "jsonl",
            "--actor",
            "KOR",
            "--recipient",
            "JPN",
            "--root",
            "04",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let docs: std::collections::BTreeSet<String> = events(&q)
        .iter()
        .map(|e| e["doc_id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        docs.contains("03_japan_korea_seoul_talks")
            && docs.contains("04_seoul_presses_tokyo_survey_ship"),
        "{docs:?}"
    );
}

#[test]
fn lexicon_directory_overrides_the_compiled_in_files() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    std::fs::write(
        lex.join("predicates.tsv"),
        "# cameo\tplover\tpattern\tflags\tcomment\n051\t\tlaud +\t\ttest entry\n",
    )
    .unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(
        &input,
        "Title\n\nBrazil lauded Argentina. Brazil praised Chile.\n",
    )
    .unwrap();
    let out = dyad()
        .arg("code")
        .arg(&input)
        .arg("--lexicon")
        .arg(&lex)
        .output()
        .unwrap();
    let evs = events(&out);
    assert_eq!(evs.len(), 1, "only the override's entry codes: {evs:?}");
    assert!(has_dyad(&evs, "BRA", "ARG", "05"));
    std::fs::write(lex.join("predicates.tsv"), "051\t\tlaud +\tsometimes\t\n").unwrap();
    let bad = dyad()
        .arg("code")
        .arg(&input)
        .arg("--lexicon")
        .arg(&lex)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("predicates.tsv:1") && err.contains("sometimes"),
        "{err}"
    );
}

#[test]
fn nlp_eval_scores_segmentation_on_the_ewt_dev_treebank() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/treebanks/en-ewt/en_ewt-ud-dev.conllu");
    let out = dyad()
        .args(["nlp", "eval", "--raw"])
        .arg(dev)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["words"].as_u64().unwrap() > 20_000);
    assert_eq!(v["mode"], "raw");
    // Regression floors under the figures measured when this test was written (97.6 and 79.6;
    // UPOS and LAS from raw text 93.4 and 78.4).
    assert!(v["token_f1"].as_f64().unwrap() > 97.0, "{v}");
    assert!(v["sentence_f1"].as_f64().unwrap() > 77.0, "{v}");
    assert!(v["upos"].as_f64().unwrap() > 92.0, "{v}");
    assert!(v["las"].as_f64().unwrap() > 76.0, "{v}");
}

#[test]
fn nlp_eval_scores_tags_and_trees_on_gold_tokens() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/treebanks/en-ewt/en_ewt-ud-dev.conllu");
    let out = dyad().args(["nlp", "eval"]).arg(dev).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mode"], "gold_tokens");
    assert_eq!(v["words"].as_u64(), Some(25_147));
    // Floors under the embedded models' EWT dev figures (UPOS 95.3, lemma 96.9, LAS 83.0).
    assert!(v["upos"].as_f64().unwrap() > 94.5, "{v}");
    assert!(v["lemma"].as_f64().unwrap() > 96.0, "{v}");
    assert!(v["uas"].as_f64().unwrap() > 84.5, "{v}");
    assert!(v["las"].as_f64().unwrap() > 81.5, "{v}");
    assert!(v["tokens_per_sec"].as_f64().unwrap() > 0.0);
}

#[test]
fn nlp_parse_prints_conllu() {
    use std::io::Write;
    let mut child = dyad()
        .args(["nlp", "parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"China's envoy didn't go. He left.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(rows.iter().all(|r| r.len() == 10), "{text}");
    let forms: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(
        forms,
        vec!["China", "'s", "envoy", "did", "n't", "go", ".", "He", "left", "."]
    );
    assert_eq!(text.matches("# text = ").count(), 2);
    // Tags, lemmas and one root per sentence, from the embedded models.
    assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 2, "{text}");
    assert_eq!(rows[5][2], "go");
    assert_eq!(rows[5][3], "VERB");
    assert_eq!(rows[4][2], "not");
    assert_eq!((rows[1][3], rows[1][7]), ("PART", "case"), "{text}");
    assert_eq!((rows[7][7], rows[7][6]), ("nsubj", "2"), "{text}");
}

#[test]
fn actors_lists_mentions_with_the_reason_for_each_code() {
    let out = dyad()
        .args(["actors", "--format", "jsonl"])
        .arg(seeds())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert!(rows.len() > 100, "{} mentions", rows.len());
    let maduro = rows
        .iter()
        .find(|r| r["text"] == "Venezuelan President Nicolas Maduro")
        .expect("the titled mention of Maduro");
    assert_eq!(
        (&maduro["code"], &maduro["sector"]),
        (&Value::from("VEN"), &Value::from("GOV"))
    );
    assert_eq!(maduro["person"], "Nicolas Maduro");
    assert!(maduro["why"].as_str().unwrap().contains("title"));
    // Later surnames resolve by coreference to the titled mention, and say so.
    assert!(rows.iter().any(
        |r| r["text"] == "Diaz-Canel" && r["why"].as_str().unwrap().starts_with("coreference")
    ));
    for r in &rows {
        let (s, e) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
        assert!(s < e && r["sentence_index"].is_u64(), "{r}");
    }
}

#[test]
fn actors_gold_scores_source_actors_on_plover_records() {
    let gold =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/plover-gsr-dev.json");
    let out = dyad()
        .args(["actors", "--gold"])
        .arg(gold)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["with_source"], 160);
    // A floor under the 0.919 measured when it was last raised; misses go to stderr.
    assert!(v["share"].as_f64().unwrap() >= 0.90, "{v}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("MISS PLOVER-GSR01-"));
}

#[test]
fn people_titled_in_an_earlier_run_resolve_untitled_later() {
    // Fictional people, so neither the lexicons nor the office-holder registry know them.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let first = dir.path().join("a.txt");
    let later = dir.path().join("b.txt");
    std::fs::write(
        &first,
        "Talks in Caracas\nCARACAS, March 3 - Venezuelan Trade Minister Marta Quiroga met Cuban officials on Monday.\n",
    )
    .unwrap();
    std::fs::write(
        &later,
        "A rebuke\nMarta Quiroga criticized Washington on Tuesday.\n",
    )
    .unwrap();
    let coded_later = |with_store: bool| {
        let mut cmd = dyad();
        if with_store {
            cmd.arg("ingest").arg(&later).arg("--db").arg(&db);
        } else {
            cmd.arg("code").arg(&later);
        }
        let out = cmd.args(["--date", "2026-03-04"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    // Alone, the untitled name is no actor: nothing is coded.
    assert!(coded_later(false).stdout.is_empty());
    let out = dyad()
        .arg("ingest")
        .arg(&first)
        .arg("--db")
        .arg(&db)
        .args(["--date", "2026-03-03"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    coded_later(true);
    let out = dyad()
        .args(["events", "--format", "jsonl", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let rebuke: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["event_text"] == "criticized")
        .unwrap_or_else(|| panic!("no criticism coded: {text}"));
    assert_eq!(rebuke["actor"][0]["code"], "VEN");
    assert_eq!(rebuke["actor"][0]["entity_text"], "Marta Quiroga");
}

#[test]
fn eval_scores_events_on_plover_gold_and_lists_misses() {
    let gold =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/plover-gsr-dev.json");
    let out = dyad().arg("eval").arg(gold).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["records"], 161);
    // Floors a little under the measurement when they were last raised (0.590 found, 0.20
    // extra events per sentence); the issue's target is 0.75 with at most 0.3 extras.
    assert!(v["type_and_source_share"].as_f64().unwrap() >= 0.55, "{v}");
    assert!(v["extra_per_sentence"].as_f64().unwrap() <= 0.3, "{v}");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        report.contains("MISS PLOVER-GSR01-") && report.contains("EXTRA "),
        "{report}"
    );
}

#[test]
fn extract_explain_reports_every_removed_line_and_goes_on_past_bad_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let story = "Harbour Talks Resume in Mombasa\n\nSign up for our daily briefing\n\nMOMBASA, June 3 - Kenya and Tanzania resumed talks on Tuesday on a shared port.\n\nThe ministers will meet again next month.\n\nYou may also like\n\nRains Flood Coastal Roads Again\n";
    let path = dir.path().join("harbour.txt");
    std::fs::write(&path, story).expect("write story");
    let out = dyad()
        .args(["extract", "--explain"])
        .arg(dir.path().join("missing.txt"))
        .arg(&path)
        .output()
        .expect("run dyad");
    assert_eq!(out.status.code(), Some(2), "one input failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.txt"), "{stderr}");
    let lines = events(&out);
    assert_eq!(lines.len(), 1);
    let doc = &lines[0];
    assert_eq!(doc["title"], "Harbour Talks Resume in Mombasa");
    assert_eq!(doc["kept_lines"], 2);
    let removed: Vec<(&str, &str)> = doc["removed"]
        .as_array()
        .expect("removed list")
        .iter()
        .map(|r| {
            let (s, e) = (
                r["start"].as_u64().unwrap_or(0),
                r["end"].as_u64().unwrap_or(0),
            );
            assert_eq!(
                &story[s as usize..e as usize],
                r["text"].as_str().unwrap_or("")
            );
            (
                r["reason"].as_str().unwrap_or(""),
                r["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        removed,
        vec![
            ("title", "Harbour Talks Resume in Mombasa"),
            ("boilerplate", "Sign up for our daily briefing"),
            ("after_article", "You may also like"),
            ("after_article", "Rains Flood Coastal Roads Again"),
        ]
    );
}

#[test]
fn events_take_the_date_and_place_of_their_own_clause() {
    let story = r#"{"id":"water","date":"2026-03-12","text":"Water Pact Signed\n\nADDIS ABABA, March 12 - Kenya signed a water agreement with Ethiopia in Addis Ababa on Tuesday.\n\nIn 2019, Kenya accused Ethiopia of diverting the river.\n\nThe Kenyan foreign minister will visit Uganda next month, officials said."}"#;
    let mut child = dyad()
        .args(["code", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dyad");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(story.as_bytes()).expect("write story");
    }
    let out = child.wait_with_output().expect("dyad finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = events(&out);
    let find = |code: &str| {
        events
            .iter()
            .find(|e| e["cameo"]["code"] == code && e["actor"][0]["code"] == "KEN")
            .unwrap_or_else(|| panic!("no KEN event {code} in {events:?}"))
    };
    // "on Tuesday" before a Thursday dateline: the Tuesday of that week, not the dateline's day.
    let signed = find("057");
    assert_eq!(signed["date"], "2026-03-10");
    assert_eq!(signed["date_precision"], "day");
    assert_eq!(signed["date_text"], "Tuesday");
    assert_eq!(signed["event_loc"]["name"], "Addis Ababa");
    assert_eq!(signed["event_loc"]["country_code"], "ET");
    // A background clause keeps its own year.
    let accused = find("112");
    assert_eq!(accused["date"], "2019-01-01");
    assert_eq!(accused["date_precision"], "year");
    // A promised visit is dated to next month; with no place in its clause, the dateline city.
    let visit = find("036");
    assert_eq!(visit["date"], "2026-04-01");
    assert_eq!(visit["date_precision"], "month");
    assert_eq!(visit["event_loc"]["name"], "Addis Ababa");
}

#[test]
fn a_gazetteer_in_the_lexicon_directory_replaces_the_compiled_in_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).expect("lexicon dir");
    // A fictional town, in the embedded file's format.
    std::fs::write(
        lex.join("gazetteer.tsv"),
        "# kind\tgeonames_id\tname\tcountry\tadmin1\tlat\tlon\tpopulation\talternate names\nC\t192950\tKenya\tKE\t\t1.0\t38.0\t53000000\t\nC\t337996\tEthiopia\tET\t\t8.0\t38.0\t115000000\t\nP\t900001\tKandoro\tKE\t05\t-1.5\t36.5\t20000\tKandoru\n",
    )
    .expect("write gazetteer");
    let story = r#"{"id":"g","date":"2026-03-12","text":"Talks\n\nKenya signed an accord with Ethiopia in Kandoru on Tuesday."}"#;
    let input = dir.path().join("g.jsonl");
    std::fs::write(&input, story).expect("write story");
    let out = dyad()
        .arg("code")
        .arg(&input)
        .arg("--lexicon")
        .arg(&lex)
        .output()
        .expect("run dyad");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let evs = events(&out);
    let signed = evs
        .iter()
        .find(|e| e["cameo"]["code"] == "057")
        .unwrap_or_else(|| panic!("no signing in {evs:?}"));
    assert_eq!(signed["event_loc"]["name"], "Kandoro");
    assert_eq!(signed["event_loc"]["text"], "Kandoru");
    assert_eq!(signed["event_loc"]["geonames_id"], 900001);

    // A corrupt gazetteer stops the run with its file and line named.
    std::fs::write(
        lex.join("gazetteer.tsv"),
        "P\t1\tShimo\tKE\t05\tnorth\t36.5\t20000\t\n",
    )
    .expect("write gazetteer");
    let bad = dyad()
        .arg("code")
        .arg(&input)
        .arg("--lexicon")
        .arg(&lex)
        .output()
        .expect("run dyad");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("gazetteer.tsv:1") && err.contains("north"),
        "{err}"
    );
}
