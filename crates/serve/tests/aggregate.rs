//! The dashboard's endpoints: answer shapes, SQL aggregation over many events, and 400s that
//! name the bad parameter.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use dyad_doc::{Document, EventActor, Source};
use dyad_export::{CameoInfo, CiteInfo, EventRecord, TextInfo};
use dyad_store::Store;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn record(id: String, src: &str, tgt: &str, date: String, quad: u8, goldstein: f64) -> EventRecord {
    let a = |c: &str| EventActor {
        code: c.into(),
        sector: "GOV".into(),
        entity_text: c.into(),
    };
    EventRecord {
        kind: "event".into(),
        id,
        doc_id: "d".into(),
        date: Some(date),
        date_precision: None,
        date_text: None,
        event_loc: None,
        actor: vec![a(src)],
        recipient: vec![a(tgt)],
        event: "CONSULT".into(),
        mode: vec![],
        context: vec![],
        cameo: CameoInfo {
            code: "040".into(),
            root: "04".into(),
            quad_class: quad,
            goldstein,
        },
        event_text: "met".into(),
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
        mentions: vec![],
        reports: Vec::new(),
        speaker: None,
        rule: String::new(),
        confidence: 1.0,
    }
}

/// 20,000 events over 2025: CHN→CUB cooperating every day, USA→CUB in conflict.
fn big_store() -> Store {
    let mut store = Store::in_memory().unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let mut recs = Vec::new();
    for i in 0..20_000u32 {
        let day = (start + chrono::Days::new(u64::from(i % 365))).to_string();
        recs.push(if i % 2 == 0 {
            record(
                format!("c{i}"),
                "CHN",
                "CUB",
                day,
                1 + (i % 4 == 0) as u8,
                2.0,
            )
        } else {
            record(format!("u{i}"), "USA", "CUB", day, 4, -5.0)
        });
    }
    let doc = Document::new("d", Source::default(), "text");
    store.insert_batch(&[(doc, recs)]).unwrap();
    store
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Option<String>, Value) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, kind, body)
}

#[tokio::test]
async fn timeseries_buckets_a_dyad_by_month_and_week() {
    let app = dyad_serve::router(big_store());
    let (s, _, v) = get(
        &app,
        "/api/timeseries?actor=chn&recipient=CUB&interval=month",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (&v["actor"], &v["recipient"], &v["interval"]),
        (&"CHN".into(), &"CUB".into(), &"month".into())
    );
    let series = v["series"].as_array().unwrap();
    assert_eq!(series.len(), 12);
    assert_eq!(series[0]["period"], "2025-01-01");
    let events: u64 = series.iter().map(|p| p["events"].as_u64().unwrap()).sum();
    assert_eq!(events, 10_000);
    // Every CHN→CUB event is cooperative at +2.
    assert_eq!(series[0]["cooperation"], series[0]["events"]);
    assert_eq!(series[0]["conflict"], 0);
    let jan = series[0]["events"].as_f64().unwrap();
    assert_eq!(series[0]["net_goldstein"].as_f64().unwrap(), 2.0 * jan);

    let (_, _, w) = get(
        &app,
        "/api/timeseries?recipient=CUB&interval=week&since=2025-03-01&until=2025-03-31&quad=4",
    )
    .await;
    let weeks = w["series"].as_array().unwrap();
    // 2025-03-01 is a Saturday: its week starts on Monday 24 February.
    assert_eq!(weeks[0]["period"], "2025-02-24");
    assert_eq!(weeks.last().unwrap()["period"], "2025-03-31");
    assert!(weeks
        .iter()
        .all(|p| p["cooperation"] == 0 && p["conflict"] == p["events"]));
    assert_eq!(w["actor"], Value::Null);
}

#[tokio::test]
async fn an_automatic_interval_fits_the_span_and_says_which_it_took() {
    let app = dyad_serve::router(big_store());
    let interval = |v: &Value| v["interval"].as_str().unwrap().to_string();
    // A year of events: weeks, the same buckets an explicit week asks for.
    let (s, _, auto) = get(&app, "/api/timeseries?actor=CHN&recipient=CUB").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(interval(&auto), "week");
    let (_, _, weeks) = get(
        &app,
        "/api/timeseries?actor=CHN&recipient=CUB&interval=week",
    )
    .await;
    assert_eq!(auto["series"], weeks["series"]);
    // A month: days.
    let (_, _, march) = get(
        &app,
        "/api/timeseries?actor=CHN&recipient=CUB&interval=auto&since=2025-03-01&until=2025-03-31",
    )
    .await;
    assert_eq!(interval(&march), "day");
    assert_eq!(march["series"].as_array().unwrap().len(), 31);
}

#[tokio::test]
async fn network_ranks_dyads_and_quotes_page() {
    let app = dyad_serve::router(big_store());
    let (s, _, v) = get(&app, "/api/network?limit=1").await;
    assert_eq!(s, StatusCode::OK);
    let edges = v["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["events"], 10_000);
    assert_eq!(edges[0]["actor"], "CHN");
    let nodes: Vec<_> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["code"].as_str().unwrap(), n["events"].as_u64().unwrap()))
        .collect();
    assert_eq!(nodes, [("CUB", 20_000), ("CHN", 10_000)]);
    let (_, _, all) = get(&app, "/api/network?since=2025-12-31&min_events=1").await;
    let e = &all["edges"][1];
    assert_eq!(
        (e["actor"].as_str(), e["conflict"].as_u64()),
        (Some("USA"), e["events"].as_u64())
    );
    let (_, _, none) = get(&app, "/api/network?min_events=10001").await;
    assert_eq!(none["edges"], Value::Array(vec![]));

    let (s, _, q) = get(&app, "/api/quotes?speaker=CHN&limit=5").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(q["quotes"], Value::Array(vec![]));
    assert_eq!(
        (q["limit"].as_u64(), q["offset"].as_u64()),
        (Some(5), Some(0))
    );
    assert_eq!(q["next_offset"], Value::Null);
}

#[tokio::test]
async fn bad_parameters_are_400s_naming_them() {
    let app = dyad_serve::router(Store::in_memory().unwrap());
    for (uri, param) in [
        ("/api/timeseries?interval=year", "interval"),
        ("/api/timeseries?since=2025-02-30", "since"),
        ("/api/timeseries?until=yesterday", "until"),
        ("/api/timeseries?root=5", "root"),
        ("/api/timeseries?quad=7", "quad"),
        ("/api/timeseries?actor=C%27N", "actor"),
        ("/api/timeseries?since=2025-03-01&until=2025-02-01", "since"),
        ("/api/network?limit=0", "limit"),
        ("/api/network?limit=100000", "limit"),
        ("/api/network?min_events=-1", "min_events"),
        ("/api/quotes?limit=many", "limit"),
        ("/api/quotes?offset=-3", "offset"),
        ("/api/quotes?speaker=%3Cscript%3E", "speaker"),
    ] {
        let (s, kind, v) = get(&app, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(kind.as_deref(), Some("application/json"), "{uri}");
        let msg = v["error"].as_str().unwrap_or_default();
        assert!(msg.starts_with(&format!("{param}:")), "{uri}: {msg}");
    }
    // Empty fields, as a form sends them, are absent.
    let (s, _, _) = get(&app, "/api/timeseries?actor=&since=&interval=").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn the_dashboard_and_its_assets_are_served() {
    let app = dyad_serve::router(Store::in_memory().unwrap());
    let (s, kind, page) = get(&app, "/").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(kind.as_deref(), Some("text/html; charset=utf-8"));
    assert!(page.as_str().unwrap().contains("Dyad timeline"));
    let (s, kind, _) = get(&app, "/assets/app.js").await;
    assert_eq!(
        (s, kind.as_deref()),
        (StatusCode::OK, Some("text/javascript; charset=utf-8"))
    );
    let (s, kind, _) = get(&app, "/assets/style.css").await;
    assert_eq!(
        (s, kind.as_deref()),
        (StatusCode::OK, Some("text/css; charset=utf-8"))
    );
    let (s, _, _) = get(&app, "/assets/..%2Fsrc%2Flib.rs").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
