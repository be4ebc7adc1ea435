//! What every request passes through: the token check and the time limit.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::errors::ApiError;
use super::state::AppState;

/// Endpoints open without the token: they tell nothing about the index's content.
const OPEN_PATHS: &[&str] = &["/health", "/openapi.json"];

/// 401 without the token (when the server has one), 503 when the request outlives the
/// time limit, else the endpoint's answer.
pub(crate) async fn guard(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let open = OPEN_PATHS.contains(&request.uri().path());
    if !open && !authorized(state.token.as_deref(), request.headers()) {
        return ApiError::unauthorized().into_response();
    }
    match tokio::time::timeout(state.timeout, next.run(request)).await {
        Ok(response) => response,
        // The search itself runs on in its thread; the library bounds its cost.
        Err(_) => ApiError::timeout(state.timeout.as_secs_f64()).into_response(),
    }
}

/// True when there is no token, or `headers` carry `Authorization: Bearer <token>`.
fn authorized(token: Option<&str>, headers: &HeaderMap) -> bool {
    let Some(token) = token else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    given.is_some_and(|g| same_bytes(g.trim().as_bytes(), token.as_bytes()))
}

/// Compares in time independent of where the bytes differ (the length may show).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_must_match_exactly() {
        let mut h = HeaderMap::new();
        assert!(authorized(None, &h));
        assert!(!authorized(Some("s3cret"), &h));
        h.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        assert!(authorized(Some("s3cret"), &h));
        assert!(!authorized(Some("s3cre"), &h));
        h.insert(header::AUTHORIZATION, "Basic s3cret".parse().unwrap());
        assert!(!authorized(Some("s3cret"), &h));
    }
}
