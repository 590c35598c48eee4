//! The dashboard's aggregate endpoints, counted by the store in SQL:
//!
//! - `GET /api/timeseries?actor=CHN&recipient=CUB&interval=week&since=&until=&root=&quad=`:
//!   events, net Goldstein, cooperation and conflict per day, ISO week (from Monday) or month
//!   of one directed dyad (either side may be left out to mean any actor); `interval=auto` (the
//!   default) picks the width from the series' span (days up to three months, weeks up to two years,
//!   months beyond) and the answer's `interval` says which;
//! - `GET /api/network?since=&until=&limit=50&min_events=1`: the directed dyads with the most
//!   events in range and the actors they join;
//! - `GET /api/quotes?speaker=&addressee=&q=&since=&until=&limit=50&offset=0`: who said what,
//!   paginated.
//!
//! A bad parameter is a 400 whose JSON error names it; parameters left empty count as absent,
//! so a form can send every field.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use dyad_store::aggregate::{rebucket, Interval, NetworkQuery, QuoteSearch, SeriesQuery};
use serde::Serialize;

use crate::{with_store, ApiError, Shared, MAX_LIMIT};

/// Most dyads one `/api/network` answer draws.
pub const MAX_EDGES: usize = 500;

/// The aggregate routes, to merge into the API's router.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/timeseries", get(timeseries))
        .route("/api/network", get(network))
        .route("/api/quotes", get(quotes))
}

/// Decoded query parameters; a key given twice keeps its last value.
struct Params(Vec<(String, String)>);

fn bad(param: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, format!("{param}: {why}"))
}

impl Params {
    fn new(raw: Option<String>) -> Self {
        let raw = raw.unwrap_or_default();
        Params(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
                .collect(),
        )
    }

    /// The value of `key`, or `None` when absent or empty.
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn date(&self, key: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.get(key)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| bad(key, format!("expected a date YYYY-MM-DD, got {v:?}")))
            })
            .transpose()
    }

    /// `since` and `until`, checked to be in order.
    fn range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
        let (since, until) = (self.date("since")?, self.date("until")?);
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(bad("since", format!("{s} is after until ({u})")));
            }
        }
        Ok((since, until))
    }

    fn number(&self, key: &str, default: usize, min: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        match v.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(bad(
                key,
                format!("expected a whole number from {min} to {max}, got {v:?}"),
            )),
        }
    }

    /// An actor code (`CHN`, `IGO`), upper-cased.
    fn code(&self, key: &str) -> Result<Option<String>, ApiError> {
        self.get(key)
            .map(|v| {
                if v.len() <= 16 && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    Ok(v.to_ascii_uppercase())
                } else {
                    Err(bad(
                        key,
                        format!("expected an actor code like CHN, got {v:?}"),
                    ))
                }
            })
            .transpose()
    }
}

/// Goldstein sums to two decimals, so sums of one-decimal values print cleanly.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One bucket of `/api/timeseries`.
#[derive(Debug, Serialize)]
struct Point {
    period: String,
    events: usize,
    net_goldstein: f64,
    cooperation: usize,
    conflict: usize,
}

#[derive(Debug, Serialize)]
struct Series {
    actor: Option<String>,
    recipient: Option<String>,
    interval: &'static str,
    series: Vec<Point>,
}

async fn timeseries(
    State(store): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Series>, ApiError> {
    let p = Params::new(raw);
    // `auto` asks for days and sums them into the width that fits the series' span.
    let (mut interval, auto) = match p.get("interval") {
        None | Some("auto") => (Interval::Day, true),
        Some(v) => (
            Interval::parse(v).ok_or_else(|| {
                bad(
                    "interval",
                    format!("expected day, week, month or auto, got {v:?}"),
                )
            })?,
            false,
        ),
    };
    let (since, until) = p.range()?;
    let root = p
        .get("root")
        .map(|v| match v.parse::<u8>() {
            Ok(n @ 1..=20) if v.len() == 2 => Ok(format!("{n:02}")),
            _ => Err(bad(
                "root",
                format!("expected a CAMEO root code 01 to 20, got {v:?}"),
            )),
        })
        .transpose()?;
    let quad = p
        .get("quad")
        .map(|v| match v.parse::<u8>() {
            Ok(n @ 1..=4) => Ok(n),
            _ => Err(bad(
                "quad",
                format!("expected a QuadClass 1 to 4, got {v:?}"),
            )),
        })
        .transpose()?;
    let q = SeriesQuery {
        actor: p.code("actor")?,
        recipient: p.code("recipient")?,
        interval,
        since,
        until,
        root,
        quad,
    };
    let (actor, recipient) = (q.actor.clone(), q.recipient.clone());
    let mut points = with_store(store, move |s| s.timeseries(&q)).await?;
    if auto {
        let day = |p: Option<&dyad_store::aggregate::SeriesPoint>| {
            p.and_then(|p| NaiveDate::parse_from_str(&p.period, "%Y-%m-%d").ok())
        };
        if let (Some(first), Some(last)) = (day(points.first()), day(points.last())) {
            interval = Interval::fitting(first, last);
            points = rebucket(points, interval);
        }
    }
    Ok(Json(Series {
        actor,
        recipient,
        interval: interval.as_str(),
        series: points
            .into_iter()
            .map(|p| Point {
                period: p.period,
                events: p.events,
                net_goldstein: round2(p.net_goldstein),
                cooperation: p.cooperation,
                conflict: p.conflict,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize)]
struct Node {
    code: String,
    events: usize,
}

#[derive(Debug, Serialize)]
struct Edge {
    actor: String,
    recipient: String,
    events: usize,
    net_goldstein: f64,
    cooperation: usize,
    conflict: usize,
}

#[derive(Debug, Serialize)]
struct NetworkBody {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

async fn network(
    State(store): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<NetworkBody>, ApiError> {
    let p = Params::new(raw);
    let (since, until) = p.range()?;
    let q = NetworkQuery {
        since,
        until,
        limit: p.number("limit", 50, 1, MAX_EDGES)?,
        min_events: p.number("min_events", 1, 1, 1_000_000_000)?,
    };
    let net = with_store(store, move |s| s.network(&q)).await?;
    Ok(Json(NetworkBody {
        nodes: net
            .nodes
            .into_iter()
            .map(|n| Node {
                code: n.code,
                events: n.events,
            })
            .collect(),
        edges: net
            .edges
            .into_iter()
            .map(|e| Edge {
                actor: e.actor,
                recipient: e.recipient,
                events: e.events,
                net_goldstein: round2(e.net_goldstein),
                cooperation: e.cooperation,
                conflict: e.conflict,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize)]
struct QuotePage {
    quotes: Vec<dyad_export::QuoteRecord>,
    limit: usize,
    offset: usize,
    /// The offset of the next page, or null on the last one.
    next_offset: Option<usize>,
}

async fn quotes(
    State(store): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<QuotePage>, ApiError> {
    let p = Params::new(raw);
    let (since, until) = p.range()?;
    let limit = p.number("limit", 50, 1, MAX_LIMIT)?;
    let offset = p.number("offset", 0, 0, i64::MAX as usize)?;
    let q = QuoteSearch {
        speaker: p.code("speaker")?,
        addressee: p.code("addressee")?,
        text: p.get("q").map(str::to_string),
        since,
        until,
        // One more than asked tells whether a next page exists.
        limit: limit + 1,
        offset,
    };
    let mut quotes = with_store(store, move |s| s.search_quotes(&q)).await?;
    let next_offset = (quotes.len() > limit).then_some(offset + limit);
    quotes.truncate(limit);
    Ok(Json(QuotePage {
        quotes,
        limit,
        offset,
        next_offset,
    }))
}
