//! MilaCoins error bodies: `{"requestID","name","message","code"}` with the
//! documented numeric codes.

use reqwest::header::HeaderMap;

use crate::error::{ApiError, ErrorKind, Provider};
use crate::redact::excerpt;
use crate::wire::{wire_object, Text};

wire_object! {
    /// An error body. `requestID` and `requestId` may both be present (the
    /// documented one wins); codes and ids are read from strings or numbers.
    struct Body {
        /// The request's id.
        pub request_id: Option<String> = optional ["requestID", "requestId", "request_id"] via Text,
        /// The documented error name, e.g. `DOCUMENT_NOT_FOUND`.
        pub name: Option<String> = optional ["name"] via Text,
        /// What went wrong.
        pub message: Option<String> = optional ["message"] via Text,
        /// The documented numeric code, e.g. `1604`.
        pub code: Option<String> = optional ["code", "errorCode"] via Text,
    }
}

/// The kind each documented MilaCoins error code means.
pub(crate) fn kind_of(code: &str) -> Option<ErrorKind> {
    Some(match code {
        // PROVIDE_ID, DB_CAST, DB_INVALID_INPUT and the request validators.
        "1603" | "1600" | "1602" | "1001" | "1002" | "1003" | "1004" | "1005" | "1006" | "1007" => {
            ErrorKind::Validation
        }
        // DOCUMENT_NOT_FOUND, NOT_FOUND.
        "1604" | "404" => ErrorKind::NotFound,
        // DB_DUPLICATE.
        "1601" => ErrorKind::Duplicate,
        // LIMIT_ERROR.
        "4302" => ErrorKind::RateLimited,
        // INVALID_TIME: the transport corrects the clock from `Date` and retries once.
        "4303" => ErrorKind::ClockSkew,
        // FAIL_TO_AUTH.
        "4304" => ErrorKind::Unauthorized,
        // IP_WHITE_LIST.
        "4301" => ErrorKind::Forbidden,
        _ => return None,
    })
}

/// The kind a documented error name means, for bodies without a code.
fn kind_of_name(name: &str) -> Option<ErrorKind> {
    let code = match name {
        "PROVIDE_ID" => "1603",
        "DOCUMENT_NOT_FOUND" => "1604",
        "DB_CAST" => "1600",
        "DB_DUPLICATE" => "1601",
        "DB_INVALID_INPUT" => "1602",
        "NOT_FOUND" => "404",
        "LIMIT_ERROR" => "4302",
        "INVALID_TIME" => "4303",
        "FAIL_TO_AUTH" => "4304",
        "IP_WHITE_LIST" => "4301",
        n if n.starts_with("VALIDATION_REQUEST_") => "1001",
        _ => return None,
    };
    kind_of(code)
}

pub(crate) fn decode(provider: Provider, status: u16, _headers: &HeaderMap, body: &[u8]) -> ApiError {
    let Ok(parsed) = serde_json::from_slice::<Body>(body) else {
        return ApiError::new(provider, status, ErrorKind::from_status(status), excerpt(body));
    };
    let code = parsed.code;
    let kind = code
        .as_deref()
        .and_then(kind_of)
        .or_else(|| parsed.name.as_deref().and_then(kind_of_name))
        .unwrap_or_else(|| ErrorKind::from_status(status));
    let message = match (parsed.name, parsed.message) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (Some(text), None) | (None, Some(text)) => text,
        (None, None) => excerpt(body),
    };
    let mut err = ApiError::new(provider, status, kind, message);
    err.code = code;
    err.request_id = parsed.request_id;
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[(u16, u32, &str, ErrorKind)] = &[
        (401, 1603, "PROVIDE_ID", ErrorKind::Validation),
        (404, 1604, "DOCUMENT_NOT_FOUND", ErrorKind::NotFound),
        (401, 1600, "DB_CAST", ErrorKind::Validation),
        (401, 1601, "DB_DUPLICATE", ErrorKind::Duplicate),
        (401, 1602, "DB_INVALID_INPUT", ErrorKind::Validation),
        (404, 404, "NOT_FOUND", ErrorKind::NotFound),
        (429, 4302, "LIMIT_ERROR", ErrorKind::RateLimited),
        (403, 4303, "INVALID_TIME", ErrorKind::ClockSkew),
        (403, 4304, "FAIL_TO_AUTH", ErrorKind::Unauthorized),
        (403, 4301, "IP_WHITE_LIST", ErrorKind::Forbidden),
        (401, 1001, "VALIDATION_REQUEST_INCORRECT_TYPE", ErrorKind::Validation),
        (401, 1002, "VALIDATION_REQUEST_ALLOWED_FILED", ErrorKind::Validation),
        (401, 1003, "VALIDATION_REQUEST_FILED_REQUIRED", ErrorKind::Validation),
        (401, 1004, "VALIDATION_REQUEST_ENUM_VALUE", ErrorKind::Validation),
        (401, 1005, "VALIDATION_REQUEST_ENUM_STATUS", ErrorKind::Validation),
        (401, 1006, "VALIDATION_REQUEST_ENUM_WALLETS", ErrorKind::Validation),
        (401, 1007, "VALIDATION_REQUEST_ENUM_CURRENCY", ErrorKind::Validation),
    ];

    #[test]
    fn every_documented_code_has_a_kind() {
        for (status, code, name, kind) in TABLE {
            let body = format!(r#"{{"requestID":"r-{code}","name":"{name}","message":"m","code":{code}}}"#);
            let e = decode(Provider::MilaCoins, *status, &HeaderMap::new(), body.as_bytes());
            assert_eq!(e.kind, *kind, "{code}");
            assert_eq!(e.code.as_deref(), Some(code.to_string().as_str()));
            assert_eq!(e.request_id.as_deref(), Some(format!("r-{code}").as_str()));
            assert_eq!(e.message, format!("{name}: m"));
            assert_eq!(e.status, *status);
            // The name alone leads to the same kind.
            let body = format!(r#"{{"name":"{name}"}}"#);
            assert_eq!(decode(Provider::MilaCoins, 400, &HeaderMap::new(), body.as_bytes()).kind, *kind, "{name}");
        }
    }

    #[test]
    fn the_documented_example_decodes() {
        let body = include_bytes!("../../fixtures/milacoins/error_not_found.json");
        let e = decode(Provider::MilaCoins, 404, &HeaderMap::new(), body);
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.code.as_deref(), Some("1604"));
        assert_eq!(e.request_id.as_deref(), Some("62d956eda0a3bf0730f5fd18"));
        assert!(e.message.starts_with("DOCUMENT_NOT_FOUND: No Invoice found"), "{}", e.message);
        let shown = e.to_string();
        assert_eq!(shown, "milacoins answered status 404 (1604); check the id.");
        assert!(!shown.contains("62d956eda0a3bf0730f5fd18"), "the request id is a field: {shown}");
    }

    #[test]
    fn both_request_id_spellings_at_once_and_codes_as_numbers_or_strings() {
        for body in [
            r#"{"requestID":"r-1","requestId":"r-2","name":"DOCUMENT_NOT_FOUND","message":"m","code":1604}"#,
            r#"{"requestId":"r-2","requestID":"r-1","name":"DOCUMENT_NOT_FOUND","message":"m","code":"1604"}"#,
            r#"{"requestId":null,"requestID":"r-1","code":1604,"extra":{"a":1}}"#,
        ] {
            let e = decode(Provider::MilaCoins, 404, &HeaderMap::new(), body.as_bytes());
            assert_eq!(e.request_id.as_deref(), Some("r-1"), "{body}");
            assert_eq!((e.kind, e.code.as_deref()), (ErrorKind::NotFound, Some("1604")), "{body}");
        }
        let e = decode(Provider::MilaCoins, 404, &HeaderMap::new(), br#"{"requestId":62956,"code":1604}"#);
        assert_eq!(e.request_id.as_deref(), Some("62956"), "the other spelling alone, as a number");
        let e = decode(
            Provider::MilaCoins,
            429,
            &HeaderMap::new(),
            br#"{"requestID":null,"name":null,"message":null,"code":null}"#,
        );
        assert_eq!((e.kind, e.code, e.request_id), (ErrorKind::RateLimited, None, None), "nulls: the status decides");
    }

    #[test]
    fn unknown_codes_and_foreign_bodies_fall_back_to_the_status() {
        let e = decode(Provider::MilaCoins, 503, &HeaderMap::new(), br#"{"code":9999,"message":"later"}"#);
        assert_eq!((e.kind, e.code.as_deref(), e.message.as_str()), (ErrorKind::Unavailable, Some("9999"), "later"));
        let e = decode(Provider::MilaCoins, 502, &HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(e.message.contains("Bad Gateway"));
        let e = decode(Provider::MilaCoins, 403, &HeaderMap::new(), br#"{"code":"4303"}"#);
        assert_eq!(e.kind, ErrorKind::ClockSkew, "a code sent as a string counts too");
    }
}
