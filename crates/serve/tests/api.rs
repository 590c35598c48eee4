//! The API over a small store of fictional events: filters, pages, detail, errors, ingest and
//! the OpenAPI description.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dyad_doc::{Document, EventActor, Source};
use dyad_export::{CameoInfo, CiteInfo, EventRecord, TextInfo};
use dyad_serve::ServeOptions;
use dyad_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The fictional wire story the events below come from; sentences at byte ranges 0..44,
/// 45..95 and 96..138.
const STORY: &str = "Ruritania pledged oil supplies to Freedonia. \
Freedonia thanked Ruritania for the oil agreement. \
Borduria accused Syldavia of border raids.";

struct Ev {
    id: &'static str,
    actor: &'static str,
    recipient: &'static str,
    code: &'static str,
    quad: u8,
    date: Option<&'static str>,
    sentence: usize,
}

fn record(e: &Ev, doc: &str) -> EventRecord {
    let a = |c: &str| EventActor {
        code: c.into(),
        sector: "GOV".into(),
        entity_text: format!("{c} officials"),
    };
    let ranges = [(0, 44), (45, 95), (96, 138)];
    let (start, end) = ranges[e.sentence];
    EventRecord {
        kind: "event".into(),
        id: e.id.into(),
        doc_id: doc.into(),
        date: e.date.map(str::to_string),
        date_precision: e.date.map(|_| dyad_doc::DatePrecision::Day),
        date_text: None,
        event_loc: None,
        actor: vec![a(e.actor)],
        recipient: vec![a(e.recipient)],
        event: "SUPPORT".into(),
        mode: vec![],
        context: vec![],
        cameo: CameoInfo {
            code: e.code.into(),
            root: e.code[..2].into(),
            quad_class: e.quad,
            goldstein: if e.quad <= 2 { 5.0 } else { -4.0 },
        },
        event_text: "pledged".into(),
        sentence: STORY[start..end].into(),
        text_info: TextInfo {
            sentence_index: e.sentence,
            start,
            end,
            event_start: start,
            event_end: start + 1,
        },
        cite_info: CiteInfo {
            url: Some("https://news.example/story".into()),
            publication: Some("Example Wire".into()),
            title: Some("Oil and raids".into()),
        },
        // The first event is reported twice: in sentence 0 and again in sentence 1.
        mentions: if e.id == "ev-a" {
            vec![[0, 0, 44], [1, 45, 95]]
        } else {
            vec![[e.sentence, start, end]]
        },
        reports: Vec::new(),
        speaker: None,
        rule: "test".into(),
        confidence: 0.9,
    }
}

const EVENTS: &[Ev] = &[
    Ev {
        id: "ev-a",
        actor: "RUR",
        recipient: "FRE",
        code: "0233",
        quad: 1,
        date: Some("2026-02-05"),
        sentence: 0,
    },
    Ev {
        id: "ev-b",
        actor: "FRE",
        recipient: "RUR",
        code: "051",
        quad: 1,
        date: Some("2026-02-06"),
        sentence: 1,
    },
    Ev {
        id: "ev-c",
        actor: "BOR",
        recipient: "SYL",
        code: "112",
        quad: 3,
        date: Some("2026-01-10"),
        sentence: 2,
    },
    Ev {
        id: "ev-d",
        actor: "RUR",
        recipient: "FRE",
        code: "042",
        quad: 1,
        date: Some("2026-02-06"),
        sentence: 0,
    },
    Ev {
        id: "ev-e",
        actor: "RUR",
        recipient: "SYL",
        code: "190",
        quad: 4,
        date: None,
        sentence: 2,
    },
];

fn fill(store: &mut Store) {
    let mut doc = Document::new("story-1", Source::default(), STORY);
    doc.text = STORY.into();
    doc.url = Some("https://news.example/story".into());
    doc.title = Some("Oil and raids".into());
    doc.publication = Some("Example Wire".into());
    doc.date = chrono::NaiveDate::from_ymd_opt(2026, 2, 6);
    let recs = EVENTS.iter().map(|e| record(e, "story-1")).collect();
    store.insert_batch(&[(doc, recs)]).unwrap();
}

/// A store file filled with the fictional events, and the app over it.
fn app_with(dir: &Path, opts: &ServeOptions) -> Router {
    let path = dir.join("api.db");
    if !path.exists() {
        let mut store = Store::open(&path).unwrap();
        fill(&mut store);
    }
    dyad_serve::app(&path, opts).unwrap()
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, serde_json::Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert!(
        ctype.starts_with("application/json"),
        "{status}: content-type {ctype:?}, body {:?}",
        String::from_utf8_lossy(&bytes)
    );
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, serde_json::Value) {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn filters_select_and_order_events() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let cases: &[(&str, &[&str])] = &[
        // Newest first, ties by id, undated last.
        ("/api/events", &["ev-b", "ev-d", "ev-a", "ev-c", "ev-e"]),
        ("/api/events?actor=RUR", &["ev-d", "ev-a", "ev-e"]),
        ("/api/events?actor=rur", &["ev-d", "ev-a", "ev-e"]),
        ("/api/events?recipient=RUR", &["ev-b"]),
        ("/api/events?dyad=RUR-FRE", &["ev-d", "ev-a"]),
        ("/api/events?dyad=FRE-RUR", &["ev-b"]),
        ("/api/events?actor=RUR&recipient=SYL", &["ev-e"]),
        ("/api/events?code=02", &["ev-a"]),
        ("/api/events?code=0233", &["ev-a"]),
        ("/api/events?code=04", &["ev-d"]),
        ("/api/events?root=11", &["ev-c"]),
        ("/api/events?quad=1", &["ev-b", "ev-d", "ev-a"]),
        ("/api/events?quad=1&actor=RUR", &["ev-d", "ev-a"]),
        ("/api/events?since=2026-02-06", &["ev-b", "ev-d"]),
        ("/api/events?until=2026-02-05", &["ev-a", "ev-c"]),
        ("/api/events?actor=RUR&until=2026-02-05", &["ev-a"]),
        (
            "/api/events?dyad=RUR-FRE&since=2026-02-01&until=2026-02-05",
            &["ev-a"],
        ),
        ("/api/events?q=border", &["ev-c", "ev-e"]),
        ("/api/events?q=OIL+agreement", &["ev-b"]),
        ("/api/events?q=oil&actor=RUR", &["ev-d", "ev-a"]),
        // Search words are words, not FTS syntax.
        ("/api/events?q=border%20OR%20oil", &[]),
        ("/api/events?q=%22border%22*%20(-%20AND", &[]),
        ("/api/events?q=%22border%22*%20(-", &["ev-c", "ev-e"]),
        ("/api/events?actor=ZZZ", &[]),
        (
            "/api/events?actor=&recipient=",
            &["ev-b", "ev-d", "ev-a", "ev-c", "ev-e"],
        ),
    ];
    for (uri, want) in cases {
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
        assert_eq!(ids(&v), *want, "{uri}");
    }
}

#[tokio::test]
async fn pages_link_to_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let (_, v) = get(&app, "/api/events?limit=2").await;
    assert_eq!(ids(&v), ["ev-b", "ev-d"]);
    assert_eq!(
        (v["limit"].as_u64(), v["offset"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(v["next_offset"], 2);
    let (_, v) = get(&app, "/api/events?limit=2&offset=2").await;
    assert_eq!(ids(&v), ["ev-a", "ev-c"]);
    assert_eq!(v["next_offset"], 4);
    let (_, v) = get(&app, "/api/events?limit=2&offset=4").await;
    assert_eq!(ids(&v), ["ev-e"]);
    assert!(v["next_offset"].is_null());
    let (_, v) = get(&app, "/api/events?actor=RUR&limit=3").await;
    assert!(v["next_offset"].is_null(), "exactly one full page: {v}");
    let (_, v) = get(&app, "/api/events?limit=2&offset=40").await;
    assert_eq!(ids(&v), Vec::<String>::new());
    assert!(v["next_offset"].is_null());
}

#[tokio::test]
async fn an_event_comes_with_its_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let (s, v) = get(&app, "/api/events/ev-a").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["event"]["id"], "ev-a");
    assert_eq!(v["event"]["cameo"]["code"], "0233");
    let m = v["mentions"].as_array().unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["text"], "Ruritania pledged oil supplies to Freedonia.");
    assert_eq!(
        m[1]["text"],
        "Freedonia thanked Ruritania for the oil agreement."
    );
    assert_eq!(m[1]["sentence_index"], 1);
    assert_eq!(
        (m[1]["start"].as_u64(), m[1]["end"].as_u64()),
        (Some(45), Some(95))
    );
    assert_eq!(m[0]["doc_id"], "story-1");
    assert_eq!(m[0]["publication"], "Example Wire");
    assert_eq!(m[0]["url"], "https://news.example/story");
    assert_eq!(m[0]["title"], "Oil and raids");
    assert_eq!(m[0]["date"], "2026-02-06");

    let (s, v) = get(&app, "/api/events/no-such-event").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("no-such-event"));
}

#[tokio::test]
async fn actors_and_dyads_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let (s, v) = get(&app, "/api/actors").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let a = &v["actors"];
    // RUR: actor of a, d, e and recipient of b.
    assert_eq!(a[0]["code"], "RUR");
    assert_eq!(
        (
            a[0]["events"].as_u64(),
            a[0]["as_actor"].as_u64(),
            a[0]["as_recipient"].as_u64()
        ),
        (Some(4), Some(3), Some(1))
    );
    assert_eq!(a[1]["code"], "FRE");
    assert_eq!(a.as_array().unwrap().len(), 4);
    assert!(v["next_offset"].is_null());

    let (_, v) = get(&app, "/api/actors?q=sy").await;
    assert_eq!(v["actors"][0]["code"], "SYL");
    assert_eq!(v["actors"].as_array().unwrap().len(), 1);
    let (_, v) = get(&app, "/api/actors?limit=1&offset=1").await;
    assert_eq!(v["actors"][0]["code"], "FRE");
    assert_eq!(v["next_offset"], 2);
    let (_, v) = get(&app, "/api/actors?since=2026-02-06").await;
    assert_eq!(v["actors"][0]["events"], 2);

    let (s, v) = get(&app, "/api/dyads").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["actor"], "RUR");
    assert_eq!(v[0]["recipient"], "FRE");
    assert_eq!(v[0]["events"], 2);
    assert_eq!(v[0]["net_goldstein"], 10.0);
    let (_, v) = get(&app, "/api/dyads?actor=SYL").await;
    let pairs: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}-{}",
                d["actor"].as_str().unwrap(),
                d["recipient"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(pairs, ["BOR-SYL", "RUR-SYL"]);
    let (_, v) = get(&app, "/api/dyads?since=2026-02-06&limit=1").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["events"], 1);
}

#[tokio::test]
async fn bad_requests_are_json_errors_naming_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let cases = [
        ("/api/events?since=2026-13-01", "since"),
        ("/api/events?until=yesterday", "until"),
        ("/api/events?since=2026-03-01&until=2026-01-01", "since"),
        ("/api/events?limit=0", "limit"),
        ("/api/events?limit=5000", "limit"),
        ("/api/events?limit=ten", "limit"),
        ("/api/events?limit=-1", "limit"),
        ("/api/events?offset=99999999999999999999999", "offset"),
        ("/api/events?quad=5", "quad"),
        ("/api/events?quad=x", "quad"),
        ("/api/events?code=4", "code"),
        ("/api/events?code=04a", "code"),
        ("/api/events?root=4", "root"),
        ("/api/events?root=04&code=05", "code"),
        ("/api/events?dyad=CHN", "dyad"),
        ("/api/events?dyad=CHN-", "dyad"),
        ("/api/events?dyad=CHN-CUB&actor=USA", "actor"),
        ("/api/events?actor=CHN%27%3B--", "actor"),
        ("/api/events?q=%2B%2B%2B", "q"),
        ("/api/events?actr=CHN", "actr"),
        ("/api/events?limit=1&limit=2", "limit"),
        ("/api/actors?limit=0", "limit"),
        ("/api/actors?since=2026-02-30", "since"),
        ("/api/dyads?until=2026", "until"),
        ("/api/dyads?actor=C-H", "actor"),
    ];
    for (uri, name) in cases {
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.starts_with(&format!("{name}:")), "{uri}: {msg}");
    }
    let (s, v) = get(&app, "/api/nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("/api/nothing"));
    // Outside /api/ too (the dashboard answers only / and /assets/).
    let (s, _) = get(&app, "/nothing-here").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = send(
        &app,
        Request::delete("/api/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
}

fn post(body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post("/api/ingest").header("content-type", "application/x-ndjson");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn ingest_needs_a_configured_token() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let (s, v) = send(&app, post("{\"text\": \"x\"}", Some("anything"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(v["error"].as_str().unwrap().contains("read-only server"));

    let opts = ServeOptions {
        token: Some("correct-horse-battery".into()),
        max_body: 2000,
        ..Default::default()
    };
    let app = app_with(dir.path(), &opts);
    for token in [None, Some("wrong"), Some("correct-horse-batter"), Some("")] {
        let (s, _) = send(&app, post("{\"text\": \"x\"}", token)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{token:?}");
    }
    let big = format!("{{\"text\": \"{}\"}}", "word ".repeat(500));
    // A request built without Content-Length: the body is cut while it is read.
    let (s, v) = send(&app, post(&big, Some("correct-horse-battery"))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    // With a declared length it is refused before it is read.
    let req = Request::post("/api/ingest")
        .header("authorization", "Bearer correct-horse-battery")
        .header("content-length", big.len().to_string())
        .body(Body::from(big.clone()))
        .unwrap();
    let (s, _) = send(&app, req).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let (s, v) = send(&app, post("  \n", Some("correct-horse-battery"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn ingest_codes_and_stores_documents() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ServeOptions {
        token: Some("correct-horse-battery".into()),
        ..Default::default()
    };
    let app = app_with(dir.path(), &opts);
    let story = "The Chinese government signed a trade agreement with Cuba on Tuesday, \
                 the foreign ministry in Beijing said.";
    let body = format!(
        "{}\nnot json\n{{\"id\": \"no-text\"}}\n\n{}\n",
        serde_json::json!({"id": "wire-1", "text": story, "date": "2026-02-03", "url": "https://news.example/wire-1", "title": "Trade pact", "publication": "Example Wire"}),
        serde_json::json!({"id": "wire-1-again", "text": story}),
    );
    let (s, v) = send(&app, post(&body, Some("correct-horse-battery"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["documents"], 1, "{v}");
    assert_eq!(v["skipped"], 1, "the same text again: {v}");
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{v}");
    assert!(errors[0].as_str().unwrap().starts_with("line 2:"), "{v}");
    assert!(errors[1].as_str().unwrap().starts_with("line 3:"), "{v}");
    let stored = v["events"].as_u64().unwrap();
    assert!(stored >= 1, "{v}");

    // The readers see what the writer stored.
    let (_, v) = get(&app, "/api/health").await;
    assert_eq!(v["documents"], 2);
    assert_eq!(v["events"].as_u64(), Some(EVENTS.len() as u64 + stored));
    let (_, v) = get(&app, "/api/events?actor=CHN").await;
    assert!(!ids(&v).is_empty(), "{v}");
    assert_eq!(v["events"][0]["doc_id"], "wire-1");
    let (_, v) = get(&app, "/api/events?q=trade+agreement").await;
    assert!(!ids(&v).is_empty(), "{v}");
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with(dir.path(), &ServeOptions::default());
    let (s, doc) = get(&app, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in dyad_serve::ROUTES {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is served but not documented"
        );
        // And served: the router does not answer it with its unknown-route 404.
        let uri = path.replace("{id}", "ev-a");
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let (s, v) = send(&app, req).await;
        assert!(
            !(s == StatusCode::NOT_FOUND && v["error"].as_str().unwrap().starts_with("no route")),
            "{method} {path} is listed in ROUTES but not served"
        );
    }
    // The dashboard's endpoints are described too.
    for path in ["/api/timeseries", "/api/network", "/api/quotes"] {
        assert!(paths.contains_key(path), "{path}");
    }
    // Every $ref points at a schema that exists.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = dyad_serve::OPENAPI;
    for r in text.split("\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(schemas.contains_key(name), "missing schema {name}");
    }
}

#[tokio::test]
async fn an_in_memory_store_is_served_read_only() {
    let mut store = Store::in_memory().unwrap();
    fill(&mut store);
    let app = dyad_serve::router(store);
    let (s, v) = get(&app, "/api/health").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["events"], 5);
    let (_, v) = get(&app, "/api/events?dyad=RUR-FRE").await;
    assert_eq!(ids(&v), ["ev-d", "ev-a"]);
    let (s, _) = send(&app, post("{\"text\": \"x\"}", Some("t"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
