//! `/api/stories`: articles grouped into developing stories as the store received them.
//!
//! - `GET /api/stories?since=&until=&min_articles=&limit=&offset=`: stories, latest first, as
//!   `{"stories": [{"id", "title", "first_date", "last_date", "documents"}], "limit", "offset",
//!   "next_offset"}`;
//! - `GET /api/stories/{id}`: `{"story", "documents": [{"doc_id", "title", "url",
//!   "publication", "date", "duplicate_of"}]}`, its articles in date order, reprints naming
//!   their original; 404 for an unknown id.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use dyad_store::{Story, StoryDocument, StoryQuery};
use serde::Serialize;

use crate::params::{bad, Params};
use crate::{with_store, ApiError, Shared, MAX_LIMIT, MAX_OFFSET};

/// The routes of this module.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
}

/// One page of stories.
#[derive(Serialize)]
struct StoryPage {
    stories: Vec<Story>,
    limit: usize,
    offset: usize,
    next_offset: Option<usize>,
}

async fn stories(
    State(state): State<Shared>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<StoryPage>, ApiError> {
    let p = Params::new(
        query,
        &["since", "until", "min_articles", "limit", "offset"],
    )?;
    let (since, until) = p.date_range()?;
    let min = p.int("min_articles", 1, 1_000_000)?.map(|n| n as usize);
    let (limit, offset) = p.page(50, MAX_LIMIT, MAX_OFFSET)?;
    let q = StoryQuery {
        since,
        until,
        min_documents: min,
        limit: Some(limit + 1),
        offset: Some(offset),
    };
    let mut stories = with_store(state, move |s| s.stories(&q)).await?;
    let next_offset = (stories.len() > limit).then_some(offset + limit);
    stories.truncate(limit);
    Ok(Json(StoryPage {
        stories,
        limit,
        offset,
        next_offset,
    }))
}

/// One story with its articles.
#[derive(Serialize)]
struct StoryDetail {
    story: Story,
    documents: Vec<StoryDocument>,
}

async fn story(
    State(state): State<Shared>,
    id: Result<axum::extract::Path<String>, PathRejection>,
) -> Result<Json<StoryDetail>, ApiError> {
    let axum::extract::Path(id) =
        id.map_err(|e| bad("id", format!("malformed story id: {}", e.body_text())))?;
    let n: i64 = id
        .parse()
        .map_err(|_| bad("id", format!("a story id is a number, not {id:?}")))?;
    match with_store(state, move |s| s.story(n)).await? {
        Some((story, documents)) => Ok(Json(StoryDetail { story, documents })),
        None => Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no story with id {n}"),
        )),
    }
}
