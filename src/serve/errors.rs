//! Errors as the HTTP API answers them: a status and the JSON object
//! `{"error": {"code", "message", "position"?}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{Error, ErrorKind};

/// One failed request: its status, a stable snake_case `code` for programs, a one-line
/// lower-case `message`, and for a bad query the 1-based character position in `q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// Stable name of the error (see the OpenAPI document's `Error` schema).
    pub(crate) code: &'static str,
    /// What went wrong, in lower case, one line.
    pub(crate) message: String,
    /// 1-based character position in the query, for `bad_query`.
    pub(crate) position: Option<usize>,
}

/// The body of an error answer.
#[derive(Serialize)]
struct WireError<'a> {
    error: WireErrorDetail<'a>,
}

/// The `error` object; also one entry of a batch answer that failed.
#[derive(Serialize)]
pub(crate) struct WireErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            position: None,
        }
    }

    /// 400 `bad_parameter`: a parameter or body field that is missing, unknown, of the
    /// wrong type or out of range.
    pub(crate) fn bad_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_parameter", message)
    }

    /// 404 `not_found`.
    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 405 `method_not_allowed`.
    pub(crate) fn method_not_allowed() -> ApiError {
        let message = "this endpoint does not take that method";
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            message,
        )
    }

    /// 413 `body_too_large`: a body over `limit` bytes.
    pub(crate) fn body_too_large(limit: usize) -> ApiError {
        let message = format!("the request body is larger than {limit} bytes");
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", message)
    }

    /// 401 `unauthorized`: no `Authorization: Bearer` header with the server's token.
    pub(crate) fn unauthorized() -> ApiError {
        let message = "this server requires the header `Authorization: Bearer <token>`";
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 503 `timeout`: the request took longer than `seconds`.
    pub(crate) fn timeout(seconds: f64) -> ApiError {
        let message = format!("the request took longer than {seconds} s and was abandoned");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", message)
    }

    /// 500 `internal`.
    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The `error` object of this error, for a batch entry.
    pub(crate) fn detail(&self) -> WireErrorDetail<'_> {
        WireErrorDetail {
            code: self.code,
            message: &self.message,
            position: self.position,
        }
    }
}

impl From<Error> for ApiError {
    /// The status by [`Error::kind`]: 400 for input, 503 for a missing or busy index,
    /// 500 for the rest.
    fn from(e: Error) -> ApiError {
        let message = e.to_string();
        let (status, code) = match (&e, e.kind()) {
            (Error::QueryParse { .. }, _) => (StatusCode::BAD_REQUEST, "bad_query"),
            (Error::EmptyQuery(_), _) => (StatusCode::BAD_REQUEST, "empty_query"),
            (Error::InvalidGlob { .. }, _) => (StatusCode::BAD_REQUEST, "bad_glob"),
            (_, ErrorKind::Input) => (StatusCode::BAD_REQUEST, "bad_request"),
            (_, ErrorKind::NotFound) => (StatusCode::SERVICE_UNAVAILABLE, "index_missing"),
            (_, ErrorKind::Busy) => (StatusCode::SERVICE_UNAVAILABLE, "index_busy"),
            (_, ErrorKind::Internal) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let position = match e {
            Error::QueryParse { position, .. } => Some(position),
            _ => None,
        };
        ApiError {
            status,
            code,
            message,
            position,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = WireError {
            error: self.detail(),
        };
        let mut response = super::json_response(self.status, &body);
        if self.status == StatusCode::UNAUTHORIZED {
            let bearer = HeaderValue::from_static("Bearer");
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, bearer);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parse_error_is_400_with_its_position() {
        let e = ApiError::from(Error::QueryParse {
            position: 7,
            message: "unclosed quote".into(),
        });
        assert_eq!(
            (e.status, e.code, e.position),
            (StatusCode::BAD_REQUEST, "bad_query", Some(7))
        );
    }

    #[test]
    fn a_missing_index_is_503() {
        let e = ApiError::from(Error::IndexNotFound { path: "idx".into() });
        assert_eq!(
            (e.status, e.code),
            (StatusCode::SERVICE_UNAVAILABLE, "index_missing")
        );
    }
}
