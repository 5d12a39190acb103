//! Milta error bodies: `{"status":"error","message":…}`, with a `code` from
//! the documented table when the server sends one.

use reqwest::header::HeaderMap;

use crate::error::{ApiError, ErrorKind, Provider};
use crate::redact::excerpt;
use crate::wire::{wire_object, Text};

wire_object! {
    /// An error body; the code may arrive as a string or a number.
    struct Body {
        /// What went wrong.
        pub message: Option<String> = optional ["message", "error"],
        /// A documented code, when sent.
        pub code: Option<String> = optional ["code", "errorCode"] via Text,
    }
}

/// The kind each documented Milta error code means.
pub(crate) fn kind_of(code: &str) -> Option<ErrorKind> {
    Some(match code {
        "INVALID_API_KEY" => ErrorKind::Unauthorized,
        "INSUFFICIENT_FUNDS" => ErrorKind::InsufficientFunds,
        "INVALID_RECIPIENT" => ErrorKind::InvalidRecipient,
        "PRODUCT_NOT_AVAILABLE" => ErrorKind::ProductUnavailable,
        "RATE_LIMIT_EXCEEDED" => ErrorKind::RateLimited,
        "TRANSFER_ALREADY_EXISTS" => ErrorKind::Duplicate,
        "INVALID_AMOUNT" => ErrorKind::InvalidAmount,
        "PROVIDER_UNAVAILABLE" => ErrorKind::Unavailable,
        "INTERNAL_ERROR" => ErrorKind::ServerError,
        _ => return None,
    })
}

pub(crate) fn decode(_provider: Provider, status: u16, _headers: &HeaderMap, body: &[u8]) -> ApiError {
    let parsed: Option<Body> = serde_json::from_slice(body).ok();
    let (message, code) = match parsed {
        Some(b) => (b.message, b.code),
        None => (None, None),
    };
    api_error(status, code, message, body)
}

/// The error a Milta body reports, whatever the HTTP status (a 2xx envelope
/// may say `"status": "error"` too).
pub(crate) fn api_error(status: u16, code: Option<String>, message: Option<String>, body: &[u8]) -> ApiError {
    let kind = code.as_deref().and_then(kind_of).unwrap_or_else(|| ErrorKind::from_status(status));
    let message = message.unwrap_or_else(|| excerpt(body));
    let mut err = ApiError::new(Provider::Milta, status, kind, message);
    err.code = code;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_a_kind() {
        let table = [
            ("INVALID_API_KEY", ErrorKind::Unauthorized),
            ("INSUFFICIENT_FUNDS", ErrorKind::InsufficientFunds),
            ("INVALID_RECIPIENT", ErrorKind::InvalidRecipient),
            ("PRODUCT_NOT_AVAILABLE", ErrorKind::ProductUnavailable),
            ("RATE_LIMIT_EXCEEDED", ErrorKind::RateLimited),
            ("TRANSFER_ALREADY_EXISTS", ErrorKind::Duplicate),
            ("INVALID_AMOUNT", ErrorKind::InvalidAmount),
            ("PROVIDER_UNAVAILABLE", ErrorKind::Unavailable),
            ("INTERNAL_ERROR", ErrorKind::ServerError),
        ];
        for (code, kind) in table {
            let body = format!(r#"{{"status":"error","message":"m","code":"{code}"}}"#);
            let e = decode(Provider::Milta, 400, &HeaderMap::new(), body.as_bytes());
            assert_eq!(e.kind, kind, "{code}");
            assert_eq!(e.code.as_deref(), Some(code));
        }
    }

    #[test]
    fn numeric_codes_are_kept_as_text() {
        let e = decode(Provider::Milta, 400, &HeaderMap::new(), br#"{"status":"error","message":"m","code":1042}"#);
        assert_eq!((e.code.as_deref(), e.kind), (Some("1042"), ErrorKind::Validation));
    }

    #[test]
    fn without_code_the_status_decides() {
        let e = decode(Provider::Milta, 401, &HeaderMap::new(), br#"{"status":"error","message":"bad key"}"#);
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Unauthorized, "bad key"));
        let e = decode(Provider::Milta, 502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(e.message.contains("Bad Gateway"));
    }
}
