//! Milta error bodies: `{"status":"error","message":…}`, with a `code` from
//! the documented table when the server sends one.

use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::error::{excerpt, ApiError, ErrorKind, Provider};

#[derive(Deserialize)]
struct Body {
    message: Option<String>,
    code: Option<String>,
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

pub(crate) fn decode(provider: Provider, status: u16, _headers: &HeaderMap, body: &[u8]) -> ApiError {
    let parsed: Option<Body> = serde_json::from_slice(body).ok();
    let (message, code) = match parsed {
        Some(b) => (b.message, b.code),
        None => (None, None),
    };
    let kind = code.as_deref().and_then(kind_of).unwrap_or_else(|| ErrorKind::from_status(status));
    let message = message.unwrap_or_else(|| excerpt(body));
    let mut err = ApiError::new(provider, status, kind, message);
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
    fn without_code_the_status_decides() {
        let e = decode(Provider::Milta, 401, &HeaderMap::new(), br#"{"status":"error","message":"bad key"}"#);
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Unauthorized, "bad key"));
        let e = decode(Provider::Milta, 502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(e.message.contains("Bad Gateway"));
    }
}
