//! The serve stage: a JSON API over the store (`dyad serve`).
//!
//! - `GET /api/health`: store counts;
//! - `GET /api/events?actor=&recipient=&dyad=CHN-CUB&code=&root=&quad=&since=&until=&q=&limit=&offset=`:
//!   event records, newest first, paginated (`limit` at most 1000, `next_offset` for the next page);
//! - `GET /api/events/{id}`: one event with its mentions and their sentences;
//! - `GET /api/actors?q=&since=&until=&limit=&offset=`: actor codes with their event counts;
//! - `GET /api/dyads?actor=&since=&until=&limit=20`: the directed dyads with the most events;
//! - `GET /api/timeseries`, `/api/network`, `/api/quotes`: the dashboard's aggregates (see
//!   `aggregate`);
//! - `GET /api/stories`, `/api/stories/{id}`: articles grouped into stories (see `stories`);
//! - `GET /`: the web dashboard (see `dashboard`);
//! - `GET /api/openapi.json`: the OpenAPI 3.1 description of every route;
//! - `POST /api/ingest`: JSONL documents to code and store, only with a token.
//!
//! Every error is JSON `{"error": "..."}`: a bad parameter is a 400 naming it, an unknown route a
//! 404, a body over the limit a 413, a request over the time limit a 503. Reads run on a small
//! pool of read-only SQLite connections (WAL lets them read while an ingest writes); the
//! server binds 127.0.0.1 by default.

mod aggregate;
mod dashboard;
mod ingest;
mod params;
mod stories;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
/// The served application, as [`app`] and [`router`] build it.
pub use axum::Router;
use dyad_store::{ActorFilter, DyadFilter, EventFilter, Store, StoreError};
use serde::{Deserialize, Serialize};

use params::{actor_code, bad, search_words, Params};

/// Largest page of events one request returns.
pub const MAX_LIMIT: usize = 1000;

/// Largest `offset` accepted: a page that deep costs a scan of that many index entries; older
/// events are reached by narrowing `until` instead.
pub const MAX_OFFSET: usize = 100_000;

/// Every route the router serves, as (method, path) in OpenAPI's spelling. The OpenAPI test
/// checks each one is documented and served; add new routes here too.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/events"),
    ("get", "/api/events/{id}"),
    ("get", "/api/actors"),
    ("get", "/api/dyads"),
    ("get", "/api/timeseries"),
    ("get", "/api/network"),
    ("get", "/api/quotes"),
    ("get", "/api/stories"),
    ("get", "/api/stories/{id}"),
    ("get", "/api/openapi.json"),
    ("post", "/api/ingest"),
];

/// The OpenAPI 3.1 description served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Bearer token that allows `POST /api/ingest`; `None` makes the server read-only.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Longest a read request may take before it is cut with a 503.
    pub timeout: Duration,
    /// Read-only connections in the pool (reads beyond these wait for a free one).
    pub readers: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            token: None,
            max_body: 10 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            readers: std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8)),
        }
    }
}

/// The server could not start.
#[derive(Debug)]
pub struct ServeError(String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

impl From<StoreError> for ServeError {
    fn from(e: StoreError) -> Self {
        ServeError(e.to_string())
    }
}

/// Read-only connections handed to one request at a time.
struct Pool {
    idle: Mutex<Vec<Store>>,
    permits: Arc<tokio::sync::Semaphore>,
    /// Where to reopen a connection lost to a panic; `None` for a store given in memory.
    path: Option<PathBuf>,
}

impl Pool {
    fn put(&self, store: Store) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(store);
        }
    }

    fn take(&self) -> Result<Store, ApiError> {
        let store = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match (store, &self.path) {
            (Some(s), _) => Ok(s),
            (None, Some(p)) => Store::open_read_only(p).map_err(ApiError::internal),
            (None, None) => Err(ApiError::internal("the store connection was lost")),
        }
    }
}

/// What every handler shares.
struct AppState {
    readers: Pool,
    /// The read-write store and the pipeline for `POST /api/ingest`, when a token allows it.
    writer: Option<ingest::Writer>,
    token: Option<String>,
    /// Largest request body, in bytes.
    max_body: usize,
}

type Shared = Arc<AppState>;

/// The API over one open store (read-only: `POST /api/ingest` answers 403), with default
/// options; an in-memory store works too. Requests are served one at a time on it.
pub fn router(store: Store) -> Router {
    let opts = ServeOptions::default();
    let readers = Pool {
        idle: Mutex::new(vec![store]),
        permits: Arc::new(tokio::sync::Semaphore::new(1)),
        path: None,
    };
    build(
        AppState {
            readers,
            writer: None,
            token: None,
            max_body: opts.max_body,
        },
        &opts,
    )
}

/// The API over the database at `path`: `opts.readers` read-only connections, and with a token
/// a read-write one for `POST /api/ingest`. Opening it read-write first creates the query
/// indexes if the store predates them (once; about a minute per million events).
pub fn app(path: &Path, opts: &ServeOptions) -> Result<Router, ServeError> {
    if !path.exists() {
        return Err(ServeError(format!("no store at {}", path.display())));
    }
    let store = Store::open(path)?;
    let writer = opts.token.as_ref().map(|_| ingest::Writer::new(store));
    let n = opts.readers.max(1);
    let mut idle = Vec::with_capacity(n);
    for _ in 0..n {
        idle.push(Store::open_read_only(path)?);
    }
    let readers = Pool {
        idle: Mutex::new(idle),
        permits: Arc::new(tokio::sync::Semaphore::new(n)),
        path: Some(path.to_path_buf()),
    };
    Ok(build(
        AppState {
            readers,
            writer,
            token: opts.token.clone(),
            max_body: opts.max_body,
        },
        opts,
    ))
}

fn build(state: AppState, opts: &ServeOptions) -> Router {
    let timeout = opts.timeout;
    let reads = Router::new()
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/actors", get(actors))
        .route("/api/dyads", get(dyads))
        .route("/api/openapi.json", get(openapi))
        .merge(aggregate::routes())
        .merge(stories::routes())
        .merge(dashboard::routes())
        .route_layer(axum::middleware::from_fn(
            move |req: Request, next: Next| time_limit(timeout, req, next),
        ));
    // Ingest is exempt from the time limit: coding megabytes of news takes longer, and only
    // a token holder can ask for it.
    Router::new()
        .merge(reads)
        .route("/api/ingest", post(ingest::ingest))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(opts.max_body))
        .with_state(Arc::new(state))
}

/// Serves `app` on `addr` until Ctrl-C; a note goes to stderr when the address is not
/// loopback (anyone who can reach it can read the store).
pub async fn serve(app: Router, addr: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    eprintln!(
        "dyad: dashboard at http://{local}/ (JSON API under http://{local}/api/, described at /api/openapi.json); Ctrl-C stops"
    );
    if !local.ip().is_loopback() {
        eprintln!(
            "dyad: note: {} is not a loopback address; anyone who can reach it can read the store",
            local.ip()
        );
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// An error answer: status and a JSON `{"error": ...}` body.
#[derive(Debug)]
pub(crate) struct ApiError(StatusCode, String);

impl ApiError {
    fn internal(e: impl std::fmt::Display) -> Self {
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        format!(
            "no route {method} {}; the routes are listed at /api/openapi.json",
            uri.path()
        ),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} does not answer {method}", uri.path()),
    )
}

/// Cuts a request that runs longer than `limit` with a 503; dropping the handler's future
/// interrupts its SQLite query (see [`with_store`]).
async fn time_limit(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => ApiError(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {:.0} s and was stopped; narrow it (since/until, actor)",
                limit.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// Interrupts a connection's query when the request waiting for it is dropped (timed out or
/// disconnected), so the connection comes back to the pool at once. The blocking task takes
/// the handle out before it returns the connection, under the same lock, so a late drop never
/// interrupts the connection's next user.
struct InterruptOnDrop(Arc<Mutex<Option<dyad_store::InterruptHandle>>>);

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        if let Ok(mut h) = self.0.lock() {
            if let Some(h) = h.take() {
                h.interrupt();
            }
        }
    }
}

/// Runs a store call on a pooled read-only connection, off the async threads.
async fn with_store<T: Send + 'static>(
    state: Shared,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = state
        .readers
        .permits
        .clone()
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    let store = state.readers.take()?;
    let handle = Arc::new(Mutex::new(Some(store.interrupt_handle())));
    let _guard = InterruptOnDrop(handle.clone());
    let st = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&store)));
        if let Ok(mut h) = handle.lock() {
            h.take();
        }
        st.readers.put(store);
        drop(permit);
        r
    });
    match task.await {
        Ok(Ok(Ok(v))) => Ok(v),
        Ok(Ok(Err(e))) => Err(ApiError::internal(e)),
        Ok(Err(_)) | Err(_) => Err(ApiError::internal("the store query failed unexpectedly")),
    }
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    documents: usize,
    events: usize,
}

async fn health(State(state): State<Shared>) -> Result<Json<Health>, ApiError> {
    let (documents, events) = with_store(state, |s| s.counts()).await?;
    Ok(Json(Health {
        status: "ok",
        documents,
        events,
    }))
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
    /// The `offset` of the next page; `None` on the last page.
    pub next_offset: Option<usize>,
}

/// The events filter and page of `/api/events`' parameters.
fn event_filter(p: &Params) -> Result<EventFilter, ApiError> {
    let mut actor = p.code("actor")?;
    let mut recipient = p.code("recipient")?;
    if let Some(d) = p.text("dyad") {
        let (a, r) = d.split_once('-').ok_or_else(|| {
            bad(
                "dyad",
                format!("{d:?} is not ACTOR-RECIPIENT, e.g. CHN-CUB"),
            )
        })?;
        let (a, r) = (actor_code("dyad", a)?, actor_code("dyad", r)?);
        for (name, given, code) in [("actor", &actor, &a), ("recipient", &recipient, &r)] {
            if given.as_ref().is_some_and(|g| g != code) {
                return Err(bad(name, format!("contradicts dyad {d:?}")));
            }
        }
        actor = Some(a);
        recipient = Some(r);
    }
    let (since, until) = p.date_range()?;
    let code = p.digits("code", 2, 4)?;
    let root = p.digits("root", 2, 2)?;
    if let (Some(c), Some(r)) = (&code, &root) {
        if !c.starts_with(r.as_str()) {
            return Err(bad("code", format!("{c} is not under root {r}")));
        }
    }
    Ok(EventFilter {
        actor,
        recipient,
        code,
        root,
        quad: p.int("quad", 1, 4)?.map(|q| q as u8),
        since,
        until,
        words: p
            .text("q")
            .map(|q| search_words("q", q))
            .transpose()?
            .unwrap_or_default(),
    })
}

async fn events(
    State(state): State<Shared>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<EventPage>, ApiError> {
    let p = Params::new(
        query,
        &[
            "actor",
            "recipient",
            "dyad",
            "code",
            "root",
            "quad",
            "since",
            "until",
            "q",
            "limit",
            "offset",
        ],
    )?;
    let filter = event_filter(&p)?;
    let (limit, offset) = p.page(100, MAX_LIMIT, MAX_OFFSET)?;
    // One more than the page tells whether there is a next page.
    let mut events = with_store(state, move |s| s.event_page(&filter, limit + 1, offset)).await?;
    let next_offset = (events.len() > limit).then_some(offset + limit);
    events.truncate(limit);
    Ok(Json(EventPage {
        events,
        limit,
        offset,
        next_offset,
    }))
}

/// The answer of `/api/events/{id}`.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventDetail {
    /// The event record.
    pub event: dyad_export::EventRecord,
    /// Where documents report it: its own document's mentions, then other documents'.
    pub mentions: Vec<dyad_store::EventMention>,
    /// GDELT-style counts over every document that reports it.
    pub counts: Counts,
}

/// How widely an event is reported.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    /// Mentions over all reports.
    pub mentions: usize,
    /// Distinct outlets.
    pub sources: usize,
    /// Documents.
    pub articles: usize,
}

async fn event(
    State(state): State<Shared>,
    id: Result<axum::extract::Path<String>, PathRejection>,
) -> Result<Json<EventDetail>, ApiError> {
    let axum::extract::Path(id) =
        id.map_err(|e| bad("id", format!("malformed event id: {}", e.body_text())))?;
    if id.is_empty() || id.len() > 128 {
        return Err(bad("id", "an event id has 1 to 128 characters"));
    }
    let key = id.clone();
    let found = with_store(state, move |s| {
        // The id a document gave an event that was merged into another's names that event.
        let Some(key) = s.resolve_event_id(&key)? else {
            return Ok(None);
        };
        let Some(event) = s.event(&key)? else {
            return Ok(None);
        };
        Ok(Some((event, s.event_mentions(&key)?)))
    })
    .await?;
    let Some((event, mentions)) = found else {
        return Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no event with id {id:?}"),
        ));
    };
    let counts = Counts {
        mentions: event.num_mentions(),
        sources: event.num_sources(),
        articles: event.num_articles(),
    };
    Ok(Json(EventDetail {
        counts,
        event,
        mentions,
    }))
}

#[derive(Serialize)]
struct ActorOut {
    code: String,
    events: usize,
    as_actor: usize,
    as_recipient: usize,
}

#[derive(Serialize)]
struct ActorPage {
    actors: Vec<ActorOut>,
    limit: usize,
    offset: usize,
    next_offset: Option<usize>,
}

async fn actors(
    State(state): State<Shared>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ActorPage>, ApiError> {
    let p = Params::new(query, &["q", "since", "until", "limit", "offset"])?;
    let (since, until) = p.date_range()?;
    let q = p.text("q").map(str::to_string);
    if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(bad("q", "at most 100 characters"));
    }
    let (limit, offset) = p.page(100, MAX_LIMIT, MAX_OFFSET)?;
    let f = ActorFilter { q, since, until };
    let mut rows = with_store(state, move |s| s.actor_counts(&f, limit + 1, offset)).await?;
    let next_offset = (rows.len() > limit).then_some(offset + limit);
    rows.truncate(limit);
    Ok(Json(ActorPage {
        actors: rows
            .into_iter()
            .map(|a| ActorOut {
                code: a.code,
                events: a.events,
                as_actor: a.as_actor,
                as_recipient: a.as_recipient,
            })
            .collect(),
        limit,
        offset,
        next_offset,
    }))
}

#[derive(Serialize)]
struct DyadRow {
    actor: String,
    recipient: String,
    events: usize,
    net_goldstein: f64,
}

async fn dyads(
    State(state): State<Shared>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<DyadRow>>, ApiError> {
    let p = Params::new(query, &["actor", "since", "until", "limit"])?;
    let (since, until) = p.date_range()?;
    let f = DyadFilter {
        actor: p.code("actor")?,
        since,
        until,
    };
    let n = p
        .int("limit", 1, MAX_LIMIT as u64)?
        .map_or(20, |n| n as usize);
    let rows = with_store(state, move |s| s.dyads(&f, n)).await?;
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

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}
