//! WaaS error bodies. The document gives none; the sandbox answers in the
//! document's snake_case, `{"status_code","error","code","message"}`, with
//! the codes below.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::faults::Injected;
use crate::json::{obj, respond, FieldError};

/// The sandbox's error codes (the document names none).
pub(crate) mod code {
    pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const DUPLICATE_TRANSACTION: &str = "DUPLICATE_TRANSACTION";
    pub const INSUFFICIENT_FUNDS: &str = "INSUFFICIENT_FUNDS";
    pub const ALREADY_REVERSED: &str = "ALREADY_REVERSED";
    pub const NOT_REVERSIBLE: &str = "NOT_REVERSIBLE";
    pub const INACTIVE: &str = "INACTIVE";
    pub const AMOUNT_OUT_OF_RANGE: &str = "AMOUNT_OUT_OF_RANGE";
    pub const CURRENCY_MISMATCH: &str = "CURRENCY_MISMATCH";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
}

/// A refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Refusal { status, code, message: message.into() }
    }

    pub(crate) fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::NOT_FOUND, code::NOT_FOUND, message)
    }
}

impl From<FieldError> for Refusal {
    fn from(e: FieldError) -> Self {
        Refusal::bad(code::VALIDATION_ERROR, e.message())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let reason = self.status.canonical_reason().unwrap_or("Error");
        let body =
            obj! {"status_code": self.status.as_u16(), "error": reason, "code": self.code, "message": self.message};
        respond(self.status, &body)
    }
}

/// Injected faults.
pub(crate) fn render_fault(fault: Injected, _route: &str) -> Response {
    match fault {
        Injected::TooManyRequests { retry_after_secs } => {
            let mut resp =
                Refusal::new(StatusCode::TOO_MANY_REQUESTS, code::RATE_LIMITED, "Too many requests").into_response();
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            resp
        }
        Injected::ServerError => {
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, code::INTERNAL_ERROR, "Internal server error")
                .into_response()
        }
    }
}

/// Unknown routes.
pub(crate) async fn not_found() -> Response {
    Refusal::not_found("No such endpoint").into_response()
}
