//! `X-api-key` / `X-time` / `X-Sig` verification and the server clock.
//!
//! The signed string is `X-time` exactly as sent, the method in upper case,
//! the request target exactly as received (path, `?`, raw query) and the
//! raw body bytes; the signature is hex HMAC-SHA256 with the secret key.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::{error, DB_INVALID_INPUT, FAIL_TO_AUTH, INVALID_TIME};
use super::MilaCoins;

/// Largest request body read.
pub(crate) const MAX_BODY: usize = 1 << 20;

/// The string a client signs, exactly as the server rebuilds it.
pub(crate) fn signing_input(time: &str, method: &str, target: &str, body: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(time.len() + method.len() + target.len() + body.len());
    input.extend_from_slice(time.as_bytes());
    input.extend_from_slice(method.to_ascii_uppercase().as_bytes());
    input.extend_from_slice(target.as_bytes());
    input.extend_from_slice(body);
    input
}

/// Whole seconds of an `X-time` value (`1618832932` or `1618832932.344`).
fn seconds(raw: &str) -> Option<i64> {
    let (int, frac) = raw.split_once('.').unwrap_or((raw, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    int.parse().ok()
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Verifies the three headers; answers 4304 or 4303 in the documented body.
pub(crate) async fn verify(State(mc): State<Arc<MilaCoins>>, req: Request, next: Next) -> Response {
    if header(&req, "x-api-key") != Some(mc.api_key.as_str()) {
        return error(FAIL_TO_AUTH, "Fail to Authentication: Check the api key, the secret key and the sign function");
    }
    let time = header(&req, "x-time").unwrap_or_default().to_owned();
    let now = mc.wall_now().timestamp();
    match seconds(&time) {
        None => return error(INVALID_TIME, format!("X-time hadear is invalid: `{time}` is not a number of seconds")),
        Some(t) if t.abs_diff(now) > mc.time_window.as_secs() => {
            return error(
                INVALID_TIME,
                format!("X-time hadear is invalid: {t} is {} s away from the server time {now}", t - now),
            )
        }
        Some(_) => {}
    }
    let signature = header(&req, "x-sig").and_then(|s| hex::decode(s.trim()).ok());
    let (parts, body) = req.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return error(DB_INVALID_INPUT, format!("Invalid input data: the body is larger than {MAX_BODY} bytes"));
    };
    let target = parts.uri.path_and_query().map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    let input = signing_input(&time, parts.method.as_str(), target, &body);
    let valid = signature.is_some_and(|sig| {
        Hmac::<Sha256>::new_from_slice(mc.secret_key.as_bytes())
            .map(|mut mac| {
                mac.update(&input);
                mac.verify_slice(&sig).is_ok()
            })
            .unwrap_or(false)
    });
    if !valid {
        return error(FAIL_TO_AUTH, "Fail to Authentication: Check the api key, the secret key and the sign function");
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Sets `Date` from the server clock (which may be skewed on purpose).
pub(crate) async fn date_header(State(mc): State<Arc<MilaCoins>>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let date = httpdate::fmt_http_date(mc.wall_now().into());
    if let Ok(value) = HeaderValue::from_str(&date) {
        resp.headers_mut().insert(header::DATE, value);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_time_accepts_integers_and_fractions() {
        assert_eq!(seconds("1618832932"), Some(1618832932));
        assert_eq!(seconds("1618832932.344"), Some(1618832932));
        assert_eq!(seconds("-5"), None);
        assert_eq!(seconds(""), None);
        assert_eq!(seconds("12a"), None);
    }

    #[test]
    fn signing_input_is_time_method_target_body() {
        let input = signing_input("1618832932", "get", "/transactions?from=2020-1-1&to=2022-1-1", b"");
        assert_eq!(input, b"1618832932GET/transactions?from=2020-1-1&to=2022-1-1");
    }
}
