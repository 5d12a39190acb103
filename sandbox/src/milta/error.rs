//! Milta's envelope: `{"status":"success","data":…}` and
//! `{"status":"error","message":…,"code":…}` with the documented codes.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::faults::Injected;
use crate::json::{obj, Json};

/// Documented codes, plus the sandbox's names for cases the document leaves out.
pub(crate) mod code {
    pub const INVALID_API_KEY: &str = "INVALID_API_KEY";
    pub const INSUFFICIENT_FUNDS: &str = "INSUFFICIENT_FUNDS";
    pub const INVALID_RECIPIENT: &str = "INVALID_RECIPIENT";
    pub const PRODUCT_NOT_AVAILABLE: &str = "PRODUCT_NOT_AVAILABLE";
    pub const RATE_LIMIT_EXCEEDED: &str = "RATE_LIMIT_EXCEEDED";
    pub const TRANSFER_ALREADY_EXISTS: &str = "TRANSFER_ALREADY_EXISTS";
    pub const INVALID_AMOUNT: &str = "INVALID_AMOUNT";
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
    /// Not in the document: a missing, mistyped or malformed field.
    pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
    /// Not in the document: unknown transfer or route.
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// Not in the document: cancelling a transfer that is not SCHEDULED or is
    /// inside the five-minute window.
    pub const CANCELLATION_NOT_ALLOWED: &str = "CANCELLATION_NOT_ALLOWED";
    /// Not in the document: an idempotency key reused with another body.
    pub const IDEMPOTENCY_KEY_REUSED: &str = "IDEMPOTENCY_KEY_REUSED";
}

/// The error body.
pub(crate) fn error_body(code: &str, message: impl Into<String>) -> Json {
    let message: String = message.into();
    obj! {"status": "error", "message": message, "code": code}
}

/// The success body.
pub(crate) fn success_body(data: Json) -> Json {
    obj! {"status": "success", "data": data}
}

/// A JSON response with a pre-rendered body.
pub(crate) fn respond(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

pub(crate) fn json_response(status: StatusCode, body: &Json) -> Response {
    respond(status, body.to_string().into_bytes())
}

/// An error response.
pub(crate) fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    json_response(status, &error_body(code, message))
}

/// A success response.
pub(crate) fn success(status: StatusCode, data: Json) -> Response {
    json_response(status, &success_body(data))
}

/// A 429 with `Retry-After`.
pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut resp = error(
        StatusCode::TOO_MANY_REQUESTS,
        code::RATE_LIMIT_EXCEEDED,
        "Too many requests in a short time period; retry later",
    );
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    resp
}

/// Injected faults in Milta's format.
pub(crate) fn render_fault(fault: Injected, _route: &str) -> Response {
    match fault {
        Injected::TooManyRequests { retry_after_secs } => too_many_requests(u64::from(retry_after_secs)),
        Injected::ServerError => {
            error(StatusCode::INTERNAL_SERVER_ERROR, code::INTERNAL_ERROR, "Unexpected server-side error occurred")
        }
    }
}

/// Unknown routes.
pub(crate) async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, code::NOT_FOUND, "No such endpoint")
}
