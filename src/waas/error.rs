//! WaaS error bodies, which the document does not describe: whatever comes
//! (a JSON object of any common shape, a JSON string, plain text, nothing)
//! becomes an [`ApiError`] with the status, a code when one is found, and a
//! short message.

use std::fmt;

use reqwest::header::HeaderMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::{ApiError, ErrorKind, Provider};
use crate::redact::excerpt;

/// Keys that commonly carry the human-readable message, most specific first.
const MESSAGE_KEYS: [&str; 7] = ["message", "error_description", "detail", "msg", "title", "error", "errors"];
/// Keys that commonly carry a machine-readable code.
const CODE_KEYS: [&str; 4] = ["code", "error_code", "errorCode", "status_code"];
/// How deep to look into nested objects such as `{"error":{"message":…}}`.
const MAX_DEPTH: usize = 4;

/// A kind for codes in the usual upper-snake spelling; unknown codes leave
/// the status to decide.
fn kind_of(code: &str) -> Option<ErrorKind> {
    let code = code.to_ascii_uppercase();
    Some(match code.as_str() {
        c if c.contains("INSUFFICIENT") => ErrorKind::InsufficientFunds,
        c if c.contains("DUPLICATE") || c.contains("ALREADY_EXISTS") => ErrorKind::Duplicate,
        "NOT_FOUND" => ErrorKind::NotFound,
        "UNAUTHORIZED" | "UNAUTHENTICATED" | "INVALID_TOKEN" | "TOKEN_EXPIRED" => ErrorKind::Unauthorized,
        "FORBIDDEN" => ErrorKind::Forbidden,
        "VALIDATION_ERROR" | "BAD_REQUEST" => ErrorKind::Validation,
        _ => return None,
    })
}

/// One JSON value of an error body, read without `serde_json::Value`: a
/// number stays its raw text (a code like `12345678901234567890123` is kept
/// digit for digit, with or without serde_json's `arbitrary_precision`) and
/// an object keeps its keys in the order sent.
enum Json {
    Text(String),
    Number(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
    /// `null`, `true`, `false`.
    Other,
}

impl Json {
    /// Reads one raw JSON value, containers down to `depth` levels (deeper
    /// than the searches look is not read); malformed parts read as [`Json::Other`].
    fn parse(raw: &str, depth: usize) -> Json {
        match raw.trim_start().as_bytes().first() {
            Some(b'"') => serde_json::from_str(raw).map_or(Json::Other, Json::Text),
            Some(b'-' | b'0'..=b'9') => Json::Number(raw.trim().to_string()),
            _ if depth == 0 => Json::Other,
            Some(b'[') => serde_json::from_str::<Vec<Box<RawValue>>>(raw).map_or(Json::Other, |items| {
                Json::List(items.iter().map(|v| Json::parse(v.get(), depth - 1)).collect())
            }),
            Some(b'{') => serde_json::from_str::<Fields>(raw).map_or(Json::Other, |fields| {
                Json::Object(fields.0.into_iter().map(|(k, v)| (k, Json::parse(v.get(), depth - 1))).collect())
            }),
            _ => Json::Other,
        }
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// An object's members in the order sent, values still raw.
struct Fields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push((key, value));
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(FieldsVisitor).map_err(de::Error::custom)
    }
}

/// A message from a JSON value: a string, strings joined from an array, or
/// the message found inside a nested object.
fn message_in(value: &Json, depth: usize) -> Option<String> {
    match value {
        Json::Text(s) if !s.trim().is_empty() => Some(s.clone()),
        Json::List(items) => {
            let parts: Vec<String> = items.iter().filter_map(|v| message_in(v, depth + 1)).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Json::Object(fields) if depth < MAX_DEPTH => {
            let direct = MESSAGE_KEYS.iter().find_map(|k| value.get(k).and_then(|v| message_in(v, depth + 1)));
            // Field-keyed validation errors: {"errors":{"amount":["too small"]}}.
            direct.or_else(|| {
                let parts: Vec<String> = fields
                    .iter()
                    .filter_map(|(field, v)| match v {
                        Json::Text(_) | Json::List(_) => message_in(v, depth + 1).map(|m| format!("{field}: {m}")),
                        _ => None,
                    })
                    .collect();
                (!parts.is_empty()).then(|| parts.join("; "))
            })
        }
        _ => None,
    }
}

/// A code: a string or number under one of [`CODE_KEYS`], here or nested.
fn code_in(value: &Json, depth: usize) -> Option<String> {
    match value {
        Json::Object(_) => {}
        Json::List(items) if depth < MAX_DEPTH => return items.first().and_then(|v| code_in(v, depth + 1)),
        _ => return None,
    }
    let here = CODE_KEYS.iter().find_map(|k| match value.get(k) {
        Some(Json::Text(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.clone()),
        _ => None,
    });
    if here.is_some() || depth >= MAX_DEPTH {
        return here;
    }
    ["error", "errors"].iter().find_map(|k| value.get(k).and_then(|v| code_in(v, depth + 1)))
}

pub(crate) fn decode(provider: Provider, status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let value = std::str::from_utf8(body)
        .ok()
        .filter(|text| serde_json::from_str::<&RawValue>(text).is_ok())
        .map_or(Json::Other, |text| Json::parse(text, MAX_DEPTH + 2));
    let (code, message) = match &value {
        Json::Object(_) => (code_in(&value, 0), message_in(&value, 0)),
        Json::Text(s) => (None, Some(s.clone())),
        _ => (None, None),
    };
    let message = match message {
        Some(m) => excerpt(m.as_bytes()),
        None if body.iter().all(u8::is_ascii_whitespace) => format!("HTTP {status} with an empty body"),
        None => excerpt(body),
    };
    let kind = code.as_deref().and_then(kind_of).unwrap_or_else(|| ErrorKind::from_status(status));
    let mut err = ApiError::new(provider, status, kind, message);
    err.code = code;
    err.request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(status: u16, body: &str) -> ApiError {
        decode(Provider::Waas, status, &HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn common_json_shapes() {
        let table: [(u16, &str, ErrorKind, Option<&str>, &str); 10] = [
            (
                400,
                r#"{"message":"Account not found","code":"NOT_FOUND"}"#,
                ErrorKind::NotFound,
                Some("NOT_FOUND"),
                "Account not found",
            ),
            (
                400,
                r#"{"error":{"code":"INSUFFICIENT_BALANCE","message":"Balance too low"}}"#,
                ErrorKind::InsufficientFunds,
                Some("INSUFFICIENT_BALANCE"),
                "Balance too low",
            ),
            (
                400,
                r#"{"statusCode":400,"message":["amount must be positive","date is required"],"error":"Bad Request"}"#,
                ErrorKind::Validation,
                None,
                "amount must be positive; date is required",
            ),
            (
                422,
                r#"{"message":"The given data was invalid.","errors":{"amount":["too small"]}}"#,
                ErrorKind::Validation,
                None,
                "The given data was invalid.",
            ),
            (
                422,
                r#"{"errors":{"amount":["too small"],"currency":"unknown"}}"#,
                ErrorKind::Validation,
                None,
                "amount: too small; currency: unknown",
            ),
            (
                409,
                r#"{"error":"duplicate source_transaction_id"}"#,
                ErrorKind::Duplicate,
                None,
                "duplicate source_transaction_id",
            ),
            (401, r#"{"detail":"Token expired"}"#, ErrorKind::Unauthorized, None, "Token expired"),
            (400, r#"{"status":"error","error_code":1204,"msg":"x"}"#, ErrorKind::Validation, Some("1204"), "x"),
            (
                400,
                r#"{"errors":[{"code":"DUPLICATE_REFERENCE","message":"seen"}]}"#,
                ErrorKind::Duplicate,
                Some("DUPLICATE_REFERENCE"),
                "seen",
            ),
            (403, r#"{"success":false}"#, ErrorKind::Forbidden, None, r#"{"success":false}"#),
        ];
        for (status, body, kind, code, message) in table {
            let e = d(status, body);
            assert_eq!(
                (e.status, e.kind, e.code.as_deref(), e.message.as_str()),
                (status, kind, code, message),
                "{body}"
            );
        }
    }

    #[test]
    fn text_empty_and_long_bodies() {
        let e = d(502, "<html>Bad Gateway</html>");
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Unavailable, "<html>Bad Gateway</html>"));
        let e = d(500, "");
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::ServerError, "HTTP 500 with an empty body"));
        let e = d(400, r#""plain json string""#);
        assert_eq!(e.message, "plain json string");
        let e = d(400, "12345678901234567890123");
        assert_eq!((e.code, e.message.as_str()), (None, "12345678901234567890123"));
        let long = format!(r#"{{"message":"{}"}}"#, "x".repeat(5000));
        assert!(d(400, &long).message.chars().count() <= 512);
        assert!(d(400, &"y".repeat(5000)).message.chars().count() <= 512);
    }

    #[test]
    fn numeric_codes_are_kept_digit_for_digit_and_odd_values_do_not_fail() {
        let e = d(400, r#"{"code":12345678901234567890123,"message":"m","at":1e400,"fee":0.1000}"#);
        assert_eq!((e.code.as_deref(), e.message.as_str()), (Some("12345678901234567890123"), "m"));
        let e = d(400, r#"{"error":{"error_code":-1.50,"detail":"d"}}"#);
        assert_eq!((e.code.as_deref(), e.message.as_str()), (Some("-1.50"), "d"));
        let e = d(422, r#"{"errors":{"b":"second","a":["first"]}}"#);
        assert_eq!(e.message, "b: second; a: first", "members in the order sent");
        let e = d(400, r#"{"message":"m","code":"X""#);
        assert_eq!(e.message, r#"{"message":"m","code":"X""#, "malformed JSON is shown as text");
    }
}
