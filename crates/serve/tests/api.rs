//! The API answers queries from a store it does not change.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dyad_doc::{Document, EventActor, Source};
use dyad_export::{CameoInfo, CiteInfo, EventRecord, TextInfo};
use dyad_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

fn record(id: &str, src: &str, tgt: &str, root: &str, date: &str) -> EventRecord {
    let a = |c: &str| EventActor {
        code: c.into(),
        sector: String::new(),
        entity_text: c.into(),
    };
    EventRecord {
        kind: "event".into(),
        id: id.into(),
        doc_id: "d".into(),
        date: Some(date.into()),
        date_precision: Some(dyad_doc::DatePrecision::Day),
        date_text: None,
        event_loc: None,
        actor: vec![a(src)],
        recipient: vec![a(tgt)],
        event: "SUPPORT".into(),
        mode: vec![],
        context: vec![],
        cameo: CameoInfo {
            code: format!("{root}1"),
            root: root.into(),
            quad_class: 1,
            goldstein: 3.4,
        },
        event_text: "supports".into(),
        sentence: "s".into(),
        text_info: TextInfo {
            sentence_index: 0,
            start: 0,
            end: 1,
            event_start: 0,
            event_end: 1,
        },
        cite_info: CiteInfo {
            url: None,
            publication: None,
            title: None,
        },
        mentions: vec![[0, 0, 1]],
        reports: Vec::new(),
        speaker: None,
        rule: String::new(),
        confidence: 0.5,
    }
}

async fn get(app: axum::Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let res = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn events_dyads_and_health() {
    let mut store = Store::in_memory().unwrap();
    let doc = Document::new("d", Source::default(), "text");
    let recs = vec![
        record("a", "CHN", "CUB", "05", "2026-02-05"),
        record("b", "USA", "VEN", "18", "2026-01-03"),
        record("c", "CHN", "CUB", "04", "2026-02-06"),
    ];
    store.insert_batch(&[(doc, recs)]).unwrap();
    let app = dyad_serve::router(store);

    let (s, v) = get(app.clone(), "/api/health").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["events"], 3);

    let (_, v) = get(app.clone(), "/api/events?actor=CHN&recipient=CUB").await;
    let ids: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["a", "c"]);

    let (_, v) = get(app.clone(), "/api/events?since=2026-02-01&limit=1&offset=1").await;
    assert_eq!(v["events"][0]["id"], "c");
    assert_eq!(v["events"].as_array().unwrap().len(), 1);

    let (_, v) = get(app.clone(), "/api/dyads").await;
    assert_eq!(v[0]["actor"], "CHN");
    assert_eq!(v[0]["events"], 2);

    let (s, v) = get(app.clone(), "/api/events?limit=5000").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("limit"));
}
