//! MilaCoins error bodies: `{"requestID","name","message","code"}` with the
//! documented numeric codes and their HTTP statuses.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use crate::faults::Injected;
use crate::json::{obj, respond, FieldError};

tokio::task_local! {
    /// The id of the request being served, shared by its error body and its log entry.
    pub(crate) static REQUEST_ID: String;
}

/// The current request's id (a fresh one outside a request).
pub(crate) fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| crate::seed::fresh_object_id())
}

/// One documented error: code, name, HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code {
    pub code: u32,
    pub name: &'static str,
    pub status: StatusCode,
}

const fn c(code: u32, name: &'static str, status: u16) -> Code {
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    Code { code, name, status }
}

pub(crate) const NOT_FOUND_ROUTE: Code = c(404, "NOT_FOUND", 404);
pub(crate) const DOCUMENT_NOT_FOUND: Code = c(1604, "DOCUMENT_NOT_FOUND", 404);
pub(crate) const DB_INVALID_INPUT: Code = c(1602, "DB_INVALID_INPUT", 401);
pub(crate) const LIMIT_ERROR: Code = c(4302, "LIMIT_ERROR", 429);
pub(crate) const INVALID_TIME: Code = c(4303, "INVALID_TIME", 403);
pub(crate) const FAIL_TO_AUTH: Code = c(4304, "FAIL_TO_AUTH", 403);
pub(crate) const INCORRECT_TYPE: Code = c(1001, "VALIDATION_REQUEST_INCORRECT_TYPE", 401);
pub(crate) const NOT_ALLOWED_FIELD: Code = c(1002, "VALIDATION_REQUEST_ALLOWED_FILED", 401);
pub(crate) const REQUIRED_FIELD: Code = c(1003, "VALIDATION_REQUEST_FILED_REQUIRED", 401);
pub(crate) const INVALID_STATUS: Code = c(1005, "VALIDATION_REQUEST_ENUM_STATUS", 401);
pub(crate) const INVALID_WALLET: Code = c(1006, "VALIDATION_REQUEST_ENUM_WALLETS", 401);
pub(crate) const INVALID_CURRENCY: Code = c(1007, "VALIDATION_REQUEST_ENUM_CURRENCY", 401);
/// Not in the document's table: an injected server error.
pub(crate) const INTERNAL_ERROR: Code = c(500, "INTERNAL_ERROR", 500);

/// An error response in the documented shape.
pub(crate) fn error(code: Code, message: impl Into<String>) -> Response {
    let message: String = message.into();
    respond(code.status, &obj! {"requestID": request_id(), "name": code.name, "message": message, "code": code.code})
}

/// A field error in the documented wording (`"amount" Filed: is required`).
pub(crate) fn field(e: &FieldError) -> Response {
    match e {
        FieldError::Missing(f) => error(REQUIRED_FIELD, format!("\"{f}\" Filed: is required")),
        FieldError::WrongType { field, expected, got } => error(
            INCORRECT_TYPE,
            format!("\"{field}\" Filed: Incorrect type, required: \"{expected}\", but got:\"{got}\""),
        ),
        FieldError::Invalid { field, reason } => {
            error(DB_INVALID_INPUT, format!("Invalid input data: \"{field}\" {reason}"))
        }
    }
}

/// Injected faults in MilaCoins' format.
pub(crate) fn render_fault(fault: Injected, _route: &str) -> Response {
    match fault {
        Injected::TooManyRequests { retry_after_secs } => {
            let mut resp = error(LIMIT_ERROR, "Too many requests, please try again later.");
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            resp
        }
        Injected::ServerError => error(INTERNAL_ERROR, "Internal server error"),
    }
}

/// Unknown routes.
pub(crate) async fn not_found() -> Response {
    error(NOT_FOUND_ROUTE, "Not Found")
}
