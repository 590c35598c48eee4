//! The dashboard end to end in headless Chromium: the page loads, draws the timeline and the
//! network from the API, filters and pages the event table, shows the evidence of a row with
//! its words marked, lists quotes, escapes markup from the data, and leaves a screenshot under
//! `target/test-artifacts/`.
//!
//! It needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`).
//! Without them it prints a skip notice and passes, unless `DYAD_REQUIRE_BROWSER=1` (CI sets it).
//! `DYAD_CHROMIUM` and `DYAD_CHROMEDRIVER` point at other binaries.

use std::collections::HashMap;
use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dyad_doc::{Document, EventActor, Source, SourceFormat};
use dyad_export::{CameoInfo, CiteInfo, EventRecord, TextInfo};
use dyad_store::{EventQuery, Store};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Demo stories (fictional, written for dyad) the test codes with the real pipeline.
const STORIES: &[(&str, &str)] = &[
    (
        "01_brazil_argentina_energy",
        include_str!("../../../demo/corpus/01_brazil_argentina_energy.txt"),
    ),
    (
        "03_japan_korea_seoul_talks",
        include_str!("../../../demo/corpus/03_japan_korea_seoul_talks.txt"),
    ),
    (
        "05_india_pakistan_expulsions",
        include_str!("../../../demo/corpus/05_india_pakistan_expulsions.txt"),
    ),
    (
        "06_germany_turkey_ankara_dialogue",
        include_str!("../../../demo/corpus/06_germany_turkey_ankara_dialogue.txt"),
    ),
    (
        "10_iran_saudi_riyadh_visit",
        include_str!("../../../demo/corpus/10_iran_saudi_riyadh_visit.txt"),
    ),
];

/// A sentence carrying markup, stored as an event record: the page must show it as text.
const HOSTILE: &str = "Officials in <b>Havana</b> said <img src=x onerror=\"window.__xss=1\"> China pledged aid to Cuba.";

fn find_binary(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.exists());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Kills chromedriver however the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn hostile_record() -> (Document, Vec<EventRecord>) {
    let doc = Document::new("hostile-markup", Source::default(), HOSTILE);
    let actor = |code: &str, text: &str| EventActor {
        code: code.into(),
        sector: "GOV".into(),
        entity_text: text.into(),
    };
    let pledged = HOSTILE.find("pledged").unwrap();
    let record = EventRecord {
        kind: "event".into(),
        id: "hostile0000000001".into(),
        doc_id: "hostile-markup".into(),
        date: Some("2026-03-11".into()),
        date_precision: None,
        date_text: None,
        event_loc: None,
        actor: vec![actor("CHN", "China")],
        recipient: vec![actor("CUB", "Cuba")],
        event: "AID".into(),
        mode: vec![],
        context: vec![],
        cameo: CameoInfo {
            code: "070".into(),
            root: "07".into(),
            quad_class: 2,
            goldstein: 7.0,
        },
        event_text: "pledged aid to".into(),
        sentence: HOSTILE.into(),
        text_info: TextInfo {
            sentence_index: 0,
            start: 0,
            end: HOSTILE.len(),
            event_start: pledged,
            event_end: pledged + "pledged".len(),
        },
        cite_info: CiteInfo {
            url: Some("javascript:window.__xss=2".into()),
            publication: Some("<i>Wire</i>".into()),
            title: None,
        },
        mentions: vec![],
        reports: Vec::new(),
        speaker: None,
        rule: String::new(),
        confidence: 0.9,
    };
    (doc, vec![record])
}

/// Codes the stories into a fresh store and adds the hostile record.
fn store(dir: &Path) -> Store {
    let pipeline = dyad_pipeline::Pipeline::new(&Default::default()).unwrap();
    let docs = STORIES
        .iter()
        .map(|(name, text)| {
            let source = Source {
                path: format!("demo:{name}"),
                line: None,
                format: SourceFormat::Text,
            };
            Document::new(*name, source, *text)
        })
        .collect();
    let mut batch: Vec<_> = pipeline
        .process_batch(docs)
        .into_iter()
        .map(|d| {
            let d = d.unwrap();
            let r = pipeline.records(&d);
            (d, r)
        })
        .collect();
    batch.push(hostile_record());
    let mut store = Store::open(&dir.join("dash.db")).unwrap();
    store.insert_batch(&batch).unwrap();
    store
}

/// Waits (bounded) until `script` returns true in the page.
async fn until(c: &Client, what: &str, script: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = c
            .execute(&format!("return !!({script});"), vec![])
            .await
            .map_err(|e| format!("{what}: {e}"))?;
        if v == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what} ({script})"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn js(c: &Client, script: &str) -> Result<Value, String> {
    c.execute(script, vec![]).await.map_err(|e| e.to_string())
}

macro_rules! check {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// Fills a field (clearing it first) through the keyboard, as a user would.
async fn type_into(c: &Client, css: &str, text: &str) -> Result<(), String> {
    let field = c
        .find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?;
    field.clear().await.map_err(|e| e.to_string())?;
    field.send_keys(text).await.map_err(|e| e.to_string())
}

async fn click(c: &Client, css: &str) -> Result<(), String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("clicking {css}: {e}"))
}

async fn screenshot(c: &Client, name: &str) -> Result<PathBuf, String> {
    let png = c.screenshot().await.map_err(|e| e.to_string())?;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .join("test-artifacts");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(name);
    std::fs::write(&path, png).map_err(|e| e.to_string())?;
    println!("dashboard screenshot: {}", path.display());
    Ok(path)
}

/// The user's walk through the dashboard; `kor` holds the store's KOR-sourced events whose actor
/// and predicate words are in their sentence, by id.
async fn walk(c: &Client, base: &str, kor: &HashMap<String, EventRecord>) -> Result<(), String> {
    c.goto(base).await.map_err(|e| e.to_string())?;

    // Timeline and network drawn from the aggregate endpoints.
    until(
        c,
        "the timeline",
        "document.querySelector('#timeline-chart svg .series-line')",
    )
    .await?;
    until(
        c,
        "the network",
        "document.querySelector('#network-chart svg .edge')",
    )
    .await?;
    let lines = js(
        c,
        "return document.querySelectorAll('#timeline-chart .series').length",
    )
    .await?;
    check!(
        lines == json!(2),
        "the timeline should start with the two busiest dyads, got {lines}"
    );
    let points = js(
        c,
        "return document.querySelectorAll('#timeline-chart circle.point').length",
    )
    .await?;
    check!(
        points.as_u64().unwrap_or(0) >= 2,
        "the timeline has no data points: {points}"
    );
    let edges = js(
        c,
        "return document.querySelectorAll('#network-chart .edge').length",
    )
    .await?;
    let nodes = js(
        c,
        "return document.querySelectorAll('#network-chart .node').length",
    )
    .await?;
    check!(
        edges.as_u64().unwrap_or(0) >= 4,
        "too few network edges: {edges}"
    );
    check!(
        nodes.as_u64().unwrap_or(0) >= 5,
        "too few network nodes: {nodes}"
    );
    let kinds = js(
        c,
        "return [document.querySelectorAll('#network-chart .edge.coop').length, \
                 document.querySelectorAll('#network-chart .edge.conflict').length]",
    )
    .await?;
    check!(
        kinds[0].as_u64().unwrap_or(0) > 0 && kinds[1].as_u64().unwrap_or(0) > 0,
        "the network should show cooperative and conflictual dyads (India-Pakistan): {kinds}"
    );

    // A second dyad typed by the user joins the timeline.
    type_into(c, "#dyad-input", "kor > jpn").await?;
    click(c, "#dyad-form button[type=submit]").await?;
    until(
        c,
        "the added dyad",
        "document.querySelector('#timeline-chart .series[data-dyad=\"KOR>JPN\"] .point')",
    )
    .await?;
    let chips = js(
        c,
        "return Array.from(document.querySelectorAll('#dyad-chips .chip')).map(c => c.textContent)",
    )
    .await?;
    check!(
        chips.as_array().is_some_and(|a| a.len() == 3)
            && chips[2]
                .as_str()
                .is_some_and(|t| t.starts_with("KOR → JPN") && t.contains(" event")),
        "the chips should list the added dyad with its totals: {chips}"
    );

    // The event table, then filtered by source actor.
    until(
        c,
        "event rows",
        "document.querySelector('#events-table tbody tr.event-row')",
    )
    .await?;
    let before = js(
        c,
        "return Array.from(document.querySelectorAll('#events-table tr.event-row')).map(r => r.dataset.actor)",
    )
    .await?;
    let before: Vec<String> = serde_json::from_value(before).map_err(|e| e.to_string())?;
    check!(
        before.iter().any(|a| !a.split(' ').any(|c| c == "KOR")),
        "the unfiltered table should list more than KOR's events: {before:?}"
    );
    type_into(c, "#f-actor", "kor").await?;
    click(c, "#event-filters button[type=submit]").await?;
    until(
        c,
        "the filtered table",
        "(document.getElementById('events-table').dataset.filter || '').startsWith('KOR>')",
    )
    .await?;
    let after = js(
        c,
        "return Array.from(document.querySelectorAll('#events-table tr.event-row')).map(r => r.dataset.actor)",
    )
    .await?;
    let after: Vec<String> = serde_json::from_value(after).map_err(|e| e.to_string())?;
    check!(!after.is_empty(), "no KOR events in the table");
    check!(
        after.iter().all(|a| a.split(' ').any(|c| c == "KOR")),
        "a row of the KOR table has another source: {after:?}"
    );
    check!(after != before, "filtering did not change the rows");

    // The evidence of a KOR event whose words are all in its sentence: actor and predicate marked.
    let ids = js(c, "return Array.from(document.querySelectorAll('#events-table tr.event-row')).map(r => r.dataset.id)").await?;
    let ids: Vec<String> = serde_json::from_value(ids).map_err(|e| e.to_string())?;
    let Some(kor) = ids.iter().find_map(|id| kor.get(id)) else {
        return Err(format!(
            "no row of {ids:?} is a KOR event with its words in its sentence"
        ));
    };
    click(
        c,
        &format!("#events-table tr.event-row[data-id='{}']", kor.id),
    )
    .await?;
    until(
        c,
        "the evidence",
        "document.querySelector('#evidence blockquote.sentence')",
    )
    .await?;
    let sentence = js(
        c,
        "return document.querySelector('#evidence blockquote.sentence').textContent",
    )
    .await?;
    check!(
        sentence == json!(kor.sentence),
        "evidence sentence {sentence} is not {:?}",
        kor.sentence
    );
    let pred = js(c, "return Array.from(document.querySelectorAll('#evidence .sentence mark.hl-pred')).map(m => m.textContent)").await?;
    let pred: Vec<String> = serde_json::from_value(pred).map_err(|e| e.to_string())?;
    check!(
        pred.len() == 1
            && kor
                .event_text
                .to_lowercase()
                .contains(&pred[0].to_lowercase()),
        "predicate marks {pred:?} should be the words {:?}",
        kor.event_text
    );
    let actors = js(c, "return Array.from(document.querySelectorAll('#evidence .sentence mark.hl-actor')).map(m => m.textContent)").await?;
    let actors: Vec<String> = serde_json::from_value(actors).map_err(|e| e.to_string())?;
    check!(
        !actors.is_empty()
            && actors.iter().all(|m| kor
                .actor
                .iter()
                .any(|a| a.entity_text.eq_ignore_ascii_case(m))),
        "actor marks {actors:?} should be the words of {:?}",
        kor.actor
    );
    let facts = js(
        c,
        "return document.querySelector('#evidence .facts').textContent",
    )
    .await?;
    let facts = facts.as_str().unwrap_or_default();
    check!(
        facts.contains(&kor.cameo.code) && facts.contains(kor.date.as_deref().unwrap_or("?")),
        "the evidence facts lack the CAMEO code or date: {facts}"
    );
    screenshot(c, "dashboard.png").await?;

    // Markup in the data stays text: the hostile record, found through the network's arrow.
    type_into(c, "#f-actor", "CHN").await?;
    type_into(c, "#f-recipient", "CUB").await?;
    click(c, "#event-filters button[type=submit]").await?;
    until(
        c,
        "the CHN>CUB table",
        "(document.getElementById('events-table').dataset.filter || '').startsWith('CHN>CUB')",
    )
    .await?;
    click(c, "#events-table tr.event-row[data-id=hostile0000000001]").await?;
    until(c, "the hostile evidence", "(document.querySelector('#evidence blockquote.sentence') || {}).textContent.includes('Havana')").await?;
    let text = js(
        c,
        "return document.querySelector('#evidence blockquote.sentence').textContent",
    )
    .await?;
    check!(
        text == json!(HOSTILE),
        "the hostile sentence was not shown as text: {text}"
    );
    let injected = js(
        c,
        "return [window.__xss === undefined, document.querySelectorAll('main img, main b, main i').length, \
                 Array.from(document.querySelectorAll('#evidence a')).map(a => a.getAttribute('href'))]",
    )
    .await?;
    check!(
        injected == json!([true, 0, []]),
        "markup or a javascript: link from the data reached the page: {injected}"
    );

    // The quotes view, then filtered by speaker and by the search box.
    click(c, "#tab-quotes").await?;
    until(
        c,
        "quotes",
        "document.querySelector('#quotes-list li.quote')",
    )
    .await?;
    let speakers = js(c, "return Array.from(document.querySelectorAll('#quotes-list li.quote')).map(q => q.dataset.speaker)").await?;
    let speakers: Vec<String> = serde_json::from_value(speakers).map_err(|e| e.to_string())?;
    check!(
        speakers.iter().any(|s| s == "BRA"),
        "no Brazilian quote listed: {speakers:?}"
    );
    type_into(c, "#f-speaker", "BRA").await?;
    click(c, "#quote-filters button[type=submit]").await?;
    until(
        c,
        "BRA quotes",
        "(document.getElementById('quotes-list').dataset.filter || '').startsWith('BRA>')",
    )
    .await?;
    let only = js(c, "return Array.from(document.querySelectorAll('#quotes-list li.quote')).map(q => q.dataset.speaker)").await?;
    let only: Vec<String> = serde_json::from_value(only).map_err(|e| e.to_string())?;
    check!(
        !only.is_empty() && only.iter().all(|s| s == "BRA"),
        "the speaker filter let others through: {only:?}"
    );
    type_into(c, "#q", "energy").await?;
    click(c, "#global button[type=submit]").await?;
    until(
        c,
        "searched quotes",
        "(document.getElementById('quotes-list').dataset.filter || '').includes('|energy|')",
    )
    .await?;
    let found = js(c, "return Array.from(document.querySelectorAll('#quotes-list .quote-text')).map(q => q.textContent.toLowerCase())").await?;
    let found: Vec<String> = serde_json::from_value(found).map_err(|e| e.to_string())?;
    check!(
        !found.is_empty() && found.iter().all(|q| q.contains("energy")),
        "the search kept quotes without the word: {found:?}"
    );
    screenshot(c, "dashboard-quotes.png").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_in_headless_chromium() {
    let required = std::env::var("DYAD_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let chromium = find_binary(
        "DYAD_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find_binary("DYAD_CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        assert!(
            !required,
            "DYAD_REQUIRE_BROWSER=1 but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "SKIPPED dashboard_in_headless_chromium: chromium and chromedriver not found \
             (apt-get install chromium chromium-driver, or set DYAD_CHROMIUM / DYAD_CHROMEDRIVER)"
        );
        return;
    };

    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let kor: HashMap<String, EventRecord> = store
        .events(&EventQuery {
            actor: Some("KOR".into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|e| {
            let s = e.sentence.to_lowercase();
            s.contains(&e.event_text.to_lowercase())
                && e.actor
                    .iter()
                    .any(|a| s.contains(&a.entity_text.to_lowercase()))
        })
        .map(|e| (e.id.clone(), e))
        .collect();
    assert!(!kor.is_empty(), "the Korean stories code a KOR event");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, dyad_serve::router(store)).await;
    });

    // chromedriver picks no port itself: take a free one and hand it over.
    let port = StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let log = std::fs::File::create(dir.path().join("chromedriver.log")).unwrap();
    let _driver = Driver(
        Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let webdriver = format!("http://127.0.0.1:{port}");
    let profile = dir.path().join("profile");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,1400",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    // The driver takes a moment to listen; retry the session until it answers (bounded).
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        match builder.capabilities(caps.clone()).connect(&webdriver).await {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no WebDriver session from {}: {e}", driver.display()),
        }
    };
    let result = walk(&client, &base, &kor).await;
    if result.is_err() {
        let _ = screenshot(&client, "dashboard-failure.png").await;
    }
    let _ = client.close().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}
