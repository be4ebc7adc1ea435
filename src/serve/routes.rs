//! The endpoints: each turns a request into one library call on the blocking pool and
//! its result into JSON. The API is specified in `openapi.json` beside this file.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Router};

use super::answer::{BatchAnswer, SearchAnswer};
use super::errors::ApiError;
use super::params::{BatchParams, PassageParams, SearchParams};
use super::state::{with_engine, AppState};
use super::{guard, json_response, MAX_BODY_BYTES};
use crate::printer::wire::WireHit;

/// The OpenAPI 3 document of the API, served at `/openapi.json`.
const OPENAPI: &str = include_str!("openapi.json");

/// The router of every endpoint, with the token check, the time limit and the body limit.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/search", get(search_get).post(search_post))
        .route("/search/batch", post(search_batch))
        .route("/passage", get(passage))
        .route("/stats", get(stats))
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError::not_found("no such endpoint; see /openapi.json") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

type Answer = Result<Response, ApiError>;

/// `GET /search?q=...`: the options as query parameters.
async fn search_get(State(state): State<Arc<AppState>>, uri: Uri) -> Answer {
    search(&state, SearchParams::from_query(uri.query())?).await
}

/// `POST /search`: the options as a JSON object.
async fn search_post(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    search(&state, SearchParams::from_json(&body_bytes(body)?)?).await
}

async fn search(state: &Arc<AppState>, params: SearchParams) -> Answer {
    let request = params.to_request()?;
    let context = params.with_context();
    with_engine(state, move |engine| {
        let response = engine.search(&request)?;
        Ok(json_response(
            StatusCode::OK,
            &SearchAnswer::new(&response, context),
        ))
    })
    .await
}

/// `POST /search/batch`: `{"queries": [options, ...]}` answered in order. Options the
/// document does not allow fail the whole batch (400); a query the library refuses
/// (`bad_query`, `empty_query`, `bad_glob`) gets an error entry and the rest are answered.
async fn search_batch(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let batch = BatchParams::from_json(&body_bytes(body)?)?;
    let mut requests = Vec::with_capacity(batch.queries.len());
    for (i, params) in batch.queries.iter().enumerate() {
        let request = params.to_request().map_err(|mut e| {
            e.message = format!("queries[{i}]: {}", e.message);
            e
        })?;
        requests.push((request, params.with_context()));
    }
    with_engine(&state, move |engine| {
        let mut results = Vec::with_capacity(requests.len());
        for (request, context) in &requests {
            match engine.search(request).map_err(ApiError::from) {
                Ok(response) => results.push(Ok((response, *context))),
                Err(e) if e.status == StatusCode::BAD_REQUEST => results.push(Err(e)),
                Err(e) => return Err(e),
            }
        }
        Ok(json_response(StatusCode::OK, &BatchAnswer::new(&results)))
    })
    .await
}

/// `GET /passage?path=P&passage=N&context=K`: one passage with its neighbours.
async fn passage(State(state): State<Arc<AppState>>, uri: Uri) -> Answer {
    let p = PassageParams::from_query(uri.query())?;
    with_engine(&state, move |engine| {
        let hit = engine.passage(&p.path, p.passage, p.context)?;
        let hit = hit.ok_or_else(|| {
            let msg = format!("the index holds no passage {} of `{}`", p.passage, p.path);
            ApiError::not_found(msg)
        })?;
        Ok(json_response(
            StatusCode::OK,
            &WireHit::new(&hit, None, true),
        ))
    })
    .await
}

/// `GET /stats`: what `passage stats --json` prints.
async fn stats(State(state): State<Arc<AppState>>) -> Answer {
    let dir = state.index.clone();
    with_engine(&state, move |_| {
        let stats = crate::index::stats(&dir)?;
        Ok(json_response(StatusCode::OK, &stats))
    })
    .await
}

/// `GET /health`: 200 `{"status": "ok", "index": true|false}` (whether an index is open).
async fn health(State(state): State<Arc<AppState>>) -> Response {
    let ready = match with_engine(&state, |_| Ok(())).await {
        Ok(()) => true,
        Err(_) => state.is_ready(),
    };
    let body = serde_json::json!({ "status": "ok", "index": ready });
    json_response(StatusCode::OK, &body)
}

/// `GET /openapi.json`.
async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The body, or 413 when it is over [`MAX_BODY_BYTES`] (400 when it cannot be read).
fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::body_too_large(MAX_BODY_BYTES),
        _ => ApiError::bad_parameter(format!("the body could not be read: {}", e.body_text())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_names_every_endpoint() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
        for (path, method) in [
            ("/search", "get"),
            ("/search", "post"),
            ("/search/batch", "post"),
            ("/passage", "get"),
            ("/stats", "get"),
            ("/health", "get"),
            ("/openapi.json", "get"),
        ] {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
        let limit = &doc["paths"]["/search"]["get"]["parameters"][1]["schema"]["maximum"];
        assert_eq!(limit.as_u64(), Some(super::super::params::MAX_HITS as u64));
    }
}
