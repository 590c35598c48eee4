//! The serve stage: a read-only JSON API over the store.
//!
//! - `GET /api/health`: store counts;
//! - `GET /api/events?actor=CHN&recipient=CUB&root=05&since=2026-01-01&until=...&limit=100&offset=0`:
//!   event records, newest filters first, paginated (`limit` at most 1000);
//! - `GET /api/dyads?limit=20`: the directed dyads with the most events and their net Goldstein.
//!
//! It binds 127.0.0.1 by default and never writes to the store.

mod aggregate;
mod dashboard;

use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use dyad_store::{EventQuery, Store};
use serde::{Deserialize, Serialize};

/// Largest page of events one request returns.
pub const MAX_LIMIT: usize = 1000;

type Shared = Arc<Mutex<Store>>;

/// The API's routes over an open store.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/dyads", get(dyads))
        .merge(aggregate::routes())
        .merge(dashboard::routes())
        .with_state(Arc::new(Mutex::new(store)))
}

/// Serves the API on `addr` until Ctrl-C.
pub async fn serve(store: Store, addr: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let at = listener.local_addr()?;
    eprintln!("dyad: dashboard at http://{at}/ (JSON API under http://{at}/api/); Ctrl-C stops");
    axum::serve(listener, router(store))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// An error answer: status and a JSON `{"error": ...}` body.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

/// Runs a store call off the async threads.
async fn with_store<T: Send + 'static>(
    store: Shared,
    f: impl FnOnce(&Store) -> Result<T, dyad_store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || {
        let guard = store.lock().map_err(|_| {
            ApiError(
                StatusCode::INTERNAL_SERVER_ERROR,
                "store lock poisoned".into(),
            )
        })?;
        f(&guard).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    documents: usize,
    events: usize,
}

async fn health(State(store): State<Shared>) -> Result<Json<Health>, ApiError> {
    let (documents, events) = with_store(store, |s| s.counts()).await?;
    Ok(Json(Health {
        status: "ok",
        documents,
        events,
    }))
}

/// Query parameters of `/api/events`.
#[derive(Debug, Deserialize)]
pub struct EventParams {
    actor: Option<String>,
    recipient: Option<String>,
    root: Option<String>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// One page of events.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventPage {
    /// The events on this page.
    pub events: Vec<dyad_export::EventRecord>,
    /// Page size used.
    pub limit: usize,
    /// Events skipped before this page.
    pub offset: usize,
}

async fn events(
    State(store): State<Shared>,
    Query(p): Query<EventParams>,
) -> Result<Json<EventPage>, ApiError> {
    let limit = p.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            format!("limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let offset = p.offset.unwrap_or(0);
    let q = EventQuery {
        actor: p.actor,
        recipient: p.recipient,
        root: p.root,
        since: p.since,
        until: p.until,
        limit: Some(limit),
        offset: Some(offset),
    };
    let events = with_store(store, move |s| s.events(&q)).await?;
    Ok(Json(EventPage {
        events,
        limit,
        offset,
    }))
}

#[derive(Deserialize)]
struct DyadParams {
    limit: Option<usize>,
}

#[derive(Serialize)]
struct DyadRow {
    actor: String,
    recipient: String,
    events: usize,
    net_goldstein: f64,
}

async fn dyads(
    State(store): State<Shared>,
    Query(p): Query<DyadParams>,
) -> Result<Json<Vec<DyadRow>>, ApiError> {
    let n = p.limit.unwrap_or(20).clamp(1, MAX_LIMIT);
    let rows = with_store(store, move |s| s.top_dyads(n)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|d| DyadRow {
                actor: d.actor,
                recipient: d.recipient,
                events: d.events,
                net_goldstein: (d.net_goldstein * 10.0).round() / 10.0,
            })
            .collect(),
    ))
}
