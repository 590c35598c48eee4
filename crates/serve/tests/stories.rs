//! The API over events merged across documents and over stories: one event reported by two
//! fictional outlets, its detail with both documents' mentions and counts, the merged report's
//! id resolving to it, and the story endpoints with their errors.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dyad_doc::{Document, Source};
use dyad_export::formats::synthetic_record;
use dyad_export::EventRecord;
use dyad_serve::ServeOptions;
use dyad_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

const FIRST: &str = "Ruritania's foreign minister met her Freedonian counterpart in Strelsau.";
const SECOND: &str =
    "Talks in Strelsau. Freedonia's envoy and the Ruritanian minister met on Tuesday.";

/// Ruritania meets Freedonia, as document `doc` (its text `text`, sentence at `start..end`)
/// reports it on `date`.
fn meeting(
    id: &str,
    doc: &str,
    publication: &str,
    date: &str,
    start: usize,
    end: usize,
) -> EventRecord {
    let mut r = synthetic_record(0);
    r.id = id.into();
    r.doc_id = doc.into();
    r.date = Some(date.into());
    r.actor[0].code = "RUR".into();
    r.recipient[0].code = "FRE".into();
    r.cameo.code = "040".into();
    r.cameo.root = "04".into();
    r.event_loc = None;
    r.cite_info.publication = Some(publication.into());
    r.cite_info.url = Some(format!("https://{doc}.example/a"));
    r.text_info.sentence_index = usize::from(start > 0);
    r.text_info.start = start;
    r.text_info.end = end;
    r.mentions = vec![[r.text_info.sentence_index, start, end]];
    r
}

fn document(id: &str, text: &str, date: &str) -> Document {
    let mut d = Document::new(id, Source::default(), text);
    d.text = text.into();
    d.url = Some(format!("https://{id}.example/a"));
    d.date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    d
}

fn app(dir: &std::path::Path) -> Router {
    let path = dir.join("merged.db");
    let mut store = Store::open(&path).unwrap();
    let first = meeting(
        "ev-first",
        "alpha",
        "Alpha Wire",
        "2026-03-03",
        0,
        FIRST.len(),
    );
    let second = meeting(
        "ev-second",
        "beta",
        "Beta Times",
        "2026-03-04",
        19,
        SECOND.len(),
    );
    store
        .insert_batch(&[(document("alpha", FIRST, "2026-03-03"), vec![first])])
        .unwrap();
    let stats = store
        .insert_batch(&[(document("beta", SECOND, "2026-03-04"), vec![second])])
        .unwrap();
    assert_eq!(stats.merged, 1);
    drop(store);
    dyad_serve::app(&path, &ServeOptions::default()).unwrap()
}

async fn get(app: &Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let req = Request::get(uri).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn an_event_reported_by_two_outlets_is_listed_once_with_both_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let (s, v) = get(&app, "/api/events?dyad=RUR-FRE").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["events"].as_array().unwrap().len(), 1, "{v}");

    let (s, v) = get(&app, "/api/events/ev-first").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["counts"]["articles"], 2);
    assert_eq!(v["counts"]["sources"], 2);
    assert_eq!(v["counts"]["mentions"], 2);
    let mentions = v["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 2);
    assert_eq!(mentions[0]["doc_id"], "alpha");
    assert_eq!(mentions[0]["text"], FIRST);
    assert_eq!(mentions[1]["doc_id"], "beta");
    assert_eq!(mentions[1]["publication"], "Beta Times");
    assert_eq!(mentions[1]["date"], "2026-03-04");
    assert_eq!(
        mentions[1]["text"],
        "Freedonia's envoy and the Ruritanian minister met on Tuesday."
    );

    // The id the second outlet's report had names the merged event.
    let (s, v) = get(&app, "/api/events/ev-second").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["event"]["id"], "ev-first");
    let (s, _) = get(&app, "/api/events/ev-none").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn stories_are_listed_and_shown_and_bad_requests_are_400s() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    // Documents without tagged names share no story terms: one story each.
    let (s, v) = get(&app, "/api/stories").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let stories = v["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 2);
    assert_eq!(stories[0]["last_date"], "2026-03-04");
    assert_eq!(v["next_offset"], serde_json::Value::Null);
    let (_, v) = get(&app, "/api/stories?limit=1").await;
    assert_eq!(v["next_offset"], 1);
    let (_, v) = get(&app, "/api/stories?min_articles=2").await;
    assert!(v["stories"].as_array().unwrap().is_empty());
    let (_, v) = get(&app, "/api/stories?until=2026-03-03").await;
    assert_eq!(v["stories"].as_array().unwrap().len(), 1);

    let id = stories[1]["id"].as_i64().unwrap();
    let (s, v) = get(&app, &format!("/api/stories/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["story"]["id"], id);
    assert_eq!(v["documents"][0]["doc_id"], "alpha");
    assert_eq!(v["documents"][0]["duplicate_of"], serde_json::Value::Null);

    for (uri, status, name) in [
        ("/api/stories/abc", StatusCode::BAD_REQUEST, "id"),
        ("/api/stories/99999", StatusCode::NOT_FOUND, ""),
        ("/api/stories?limit=0", StatusCode::BAD_REQUEST, "limit"),
        (
            "/api/stories?since=2026-02-31",
            StatusCode::BAD_REQUEST,
            "since",
        ),
        (
            "/api/stories?min_articles=0",
            StatusCode::BAD_REQUEST,
            "min_articles",
        ),
        ("/api/stories?story=1", StatusCode::BAD_REQUEST, "story"),
    ] {
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, status, "{uri}: {v}");
        assert!(v["error"].as_str().unwrap().starts_with(name), "{uri}: {v}");
    }
}
