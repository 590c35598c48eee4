//! `POST /api/ingest`: JSONL documents coded with the pipeline and stored, for token holders.

use std::sync::{Mutex, OnceLock};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use dyad_pipeline::{Options, Pipeline};
use dyad_store::Store;
use serde::Serialize;

use crate::{ApiError, Shared};

/// The read-write store and the pipeline (loaded on the first ingest: its lexicons take a
/// moment and a read-only server never needs them).
pub(crate) struct Writer {
    store: Mutex<Store>,
    pipeline: OnceLock<Result<Pipeline, String>>,
}

impl Writer {
    pub(crate) fn new(store: Store) -> Self {
        Writer {
            store: Mutex::new(store),
            pipeline: OnceLock::new(),
        }
    }
}

/// What one ingest did.
#[derive(Debug, Default, Serialize)]
pub(crate) struct IngestReport {
    documents: usize,
    skipped: usize,
    events: usize,
    quotes: usize,
    errors: Vec<String>,
}

/// Equal strings, compared in time that depends only on their lengths (a token is not guessed
/// byte by byte from response times).
fn same_token(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) async fn ingest(
    State(state): State<Shared>,
    req: Request,
) -> Result<Json<IngestReport>, ApiError> {
    let (Some(token), Some(_)) = (&state.token, &state.writer) else {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            "read-only server: start dyad serve with --token (or DYAD_TOKEN) to allow ingest"
                .into(),
        ));
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if !given.is_some_and(|g| same_token(g.as_bytes(), token.as_bytes())) {
        return Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "missing or wrong token: send Authorization: Bearer TOKEN".into(),
        ));
    }
    let too_big = || {
        ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "request body over the server's limit of {} bytes (--max-body); send fewer documents per request",
                state.max_body
            ),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_body as u64) {
        return Err(too_big());
    }
    // A body without a length (chunked) is cut at the limit while it is read.
    let body = axum::body::to_bytes(req.into_body(), state.max_body)
        .await
        .map_err(|e| {
            if std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            {
                too_big()
            } else {
                ApiError(StatusCode::BAD_REQUEST, format!("reading the body: {e}"))
            }
        })?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            "empty body: send JSONL documents, one {\"id\", \"text\", ...} object per line".into(),
        ));
    }
    let task = tokio::task::spawn_blocking(move || code_and_store(&state, &body));
    task.await
        .map_err(|_| ApiError::internal("ingest failed unexpectedly"))?
        .map(Json)
}

/// Parses, codes and stores the JSONL `body`; a bad line is one error and the rest go on.
fn code_and_store(state: &Shared, body: &[u8]) -> Result<IngestReport, ApiError> {
    let writer = state
        .writer
        .as_ref()
        .ok_or_else(|| ApiError::internal("no writer"))?;
    let mut report = IngestReport::default();
    let mut docs = Vec::new();
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match dyad_ingest::jsonl_document(line, "line", i + 1) {
            Ok(d) => docs.push(d),
            Err(e) => report.errors.push(format!("line {}: {}", i + 1, e.message)),
        }
    }
    // One ingest at a time: they share the store's writer and the pipeline's learned people.
    let mut store = writer
        .store
        .lock()
        .map_err(|_| ApiError::internal("the store writer is unusable after an earlier failure"))?;
    let pipeline = writer
        .pipeline
        .get_or_init(|| {
            let p = Pipeline::new(&Options::default()).map_err(|e| e.to_string())?;
            p.add_learned(store.people().map_err(|e| e.to_string())?);
            Ok(p)
        })
        .as_ref()
        .map_err(|e| ApiError::internal(format!("loading the pipeline: {e}")))?;
    let mut fresh = Vec::with_capacity(docs.len());
    for d in docs {
        if store
            .has_document(&d.content_hash())
            .map_err(ApiError::internal)?
        {
            report.skipped += 1;
        } else {
            fresh.push(d);
        }
    }
    let batch = pipeline.code_for_store(fresh);
    for e in &batch.errors {
        report.errors.push(e.to_string());
    }
    let stats = store
        .insert_batch(&batch.documents)
        .map_err(ApiError::internal)?;
    store
        .upsert_people(&batch.people)
        .map_err(ApiError::internal)?;
    report.documents = stats.documents;
    report.skipped += stats.skipped;
    report.events = stats.events;
    report.quotes = stats.quotes;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token(b"s3cret", b"s3cret"));
        assert!(!same_token(b"s3cret", b"s3cres"));
        assert!(!same_token(b"s3cret", b"s3cret!"));
        assert!(!same_token(b"", b"x"));
    }
}
