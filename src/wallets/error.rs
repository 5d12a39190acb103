//! Wallets error bodies: `{"error":{"name","code","message"}}`, with the
//! documented codes mapped to kinds and anything else classified by status.

use crate::error::{ApiError, ErrorKind, Provider};
use crate::redact::excerpt;
use crate::wire::{wire_object, ErrorDetail, ErrorDetailWire, Text};
use reqwest::header::HeaderMap;

wire_object! {
    /// The error body: `error` as documented, or a flat `code`/`message`.
    struct Body {
        /// The documented `{"name","code","message"}`, or a bare message.
        pub error: Option<ErrorDetail> = optional ["error"] via ErrorDetailWire,
        /// A flat code, when `error` carries none.
        pub code: Option<String> = optional ["code"] via Text,
        /// A flat message, when `error` carries none.
        pub message: Option<String> = optional ["message"] via Text,
    }
}

/// The kind each documented Wallets error code means.
pub(crate) fn kind_of(code: &str) -> Option<ErrorKind> {
    Some(match code {
        "BAD_REQUEST" => ErrorKind::Validation,
        "UNAUTHORIZED" => ErrorKind::Unauthorized,
        "NOT_FOUND" => ErrorKind::NotFound,
        "INTERNAL_SERVER_ERROR" => ErrorKind::ServerError,
        _ => return None,
    })
}

pub(crate) fn decode(provider: Provider, status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let (name, code, message) = match serde_json::from_slice::<Body>(body) {
        Ok(Body { error: Some(i), code, message, .. }) => (i.name, i.code.or(code), i.message.or(message)),
        Ok(Body { error: None, code, message, .. }) => (None, code, message),
        Err(_) => (None, None, None),
    };
    let kind = code.as_deref().and_then(kind_of).unwrap_or_else(|| ErrorKind::from_status(status));
    let message = match (message, name) {
        (Some(m), _) => excerpt(m.as_bytes()),
        (None, Some(n)) => excerpt(n.as_bytes()),
        (None, None) if body.iter().all(u8::is_ascii_whitespace) => format!("HTTP {status} with an empty body"),
        (None, None) => excerpt(body),
    };
    let mut err = ApiError::new(provider, status, kind, message);
    err.code = code;
    err.request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_a_kind() {
        let table = [
            (400, "BadRequestError", "BAD_REQUEST", ErrorKind::Validation),
            (401, "UnauthorizedError", "UNAUTHORIZED", ErrorKind::Unauthorized),
            (404, "NotFoundError", "NOT_FOUND", ErrorKind::NotFound),
            (500, "InternalServerError", "INTERNAL_SERVER_ERROR", ErrorKind::ServerError),
        ];
        for (status, name, code, kind) in table {
            // A 200-range status proves the code, not the status, decides.
            let body = format!(r#"{{"error":{{"name":"{name}","code":"{code}","message":"m {code}"}}}}"#);
            let e = decode(Provider::Wallets, 418, &HeaderMap::new(), body.as_bytes());
            assert_eq!(e.kind, kind, "{code}");
            assert_eq!(e.code.as_deref(), Some(code));
            assert_eq!(e.message, format!("m {code}"));
            let e = decode(Provider::Wallets, status, &HeaderMap::new(), body.as_bytes());
            assert_eq!((e.status, e.kind), (status, kind));
        }
    }

    #[test]
    fn other_bodies_fall_back_to_the_status() {
        let e = decode(Provider::Wallets, 502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(e.message.contains("Bad Gateway"));
        let e = decode(Provider::Wallets, 404, &HeaderMap::new(), b"");
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.message, "HTTP 404 with an empty body");
        let e = decode(Provider::Wallets, 429, &HeaderMap::new(), br#"{"error":{"code":"SLOW_DOWN"}}"#);
        assert_eq!((e.kind, e.code.as_deref()), (ErrorKind::RateLimited, Some("SLOW_DOWN")));
    }

    #[test]
    fn near_misses_of_the_documented_shape_keep_their_message() {
        let d = |body: &str| decode(Provider::Wallets, 400, &HeaderMap::new(), body.as_bytes());
        let e = d(r#"{"error":{"code":4001,"message":"bad limit","name":null,"at":1e400}}"#);
        assert_eq!((e.code.as_deref(), e.message.as_str()), (Some("4001"), "bad limit"));
        let e = d(r#"{"error":"Invalid wallet ID"}"#);
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Validation, "Invalid wallet ID"));
        let e = d(r#"{"code":"NOT_FOUND","message":"gone"}"#);
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::NotFound, "gone"));
        let e = d(r#"{"error":[1],"message":"flat"}"#);
        assert_eq!(e.message, "flat");
    }
}
