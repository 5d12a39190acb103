//! wiremock matchers for MilaCoins requests, self-contained so it can move
//! into a `test-util` feature unchanged.
//!
//! [`MilaCoinsSignature`] recomputes `X-Sig` from the raw request the mock
//! server received: `X-time + METHOD + path?query (as received) + raw body
//! bytes`, HMAC-SHA256 with the test secret, lowercase hex. A request signed
//! over different bytes than were sent does not match, so the mock answers
//! 404 and the test fails. [`Target`] matches the path and query exactly as
//! received (no decoding, no reordering).
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use wiremock::{Match, Request};

/// The request target as received: the path, plus `?` and the raw query.
pub fn target(req: &Request) -> String {
    match req.url.query() {
        Some(q) => format!("{}?{}", req.url.path(), q),
        None => req.url.path().to_string(),
    }
}

/// Lowercase hex HMAC-SHA256 of `time + METHOD + target + body` under `secret`.
pub fn signature(secret: &[u8], time: &str, method: &str, target: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length; the empty string never equals a real signature.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(time.as_bytes());
    mac.update(method.to_ascii_uppercase().as_bytes());
    mac.update(target.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// A header's value as text.
pub fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The integer seconds in `X-time`.
pub fn x_time(req: &Request) -> Option<i64> {
    header(req, "x-time").and_then(|t| t.parse().ok())
}

/// Matches requests carrying the expected `X-api-key` and a valid `X-Sig`.
#[derive(Debug, Clone)]
pub struct MilaCoinsSignature {
    api_key: String,
    secret: Vec<u8>,
    max_skew: Option<Duration>,
}

impl MilaCoinsSignature {
    /// Verifies against `api_key` and `secret`; the time is not checked.
    pub fn new(api_key: &str, secret: &str) -> Self {
        MilaCoinsSignature { api_key: api_key.to_string(), secret: secret.as_bytes().to_vec(), max_skew: None }
    }

    /// Also requires `X-time` within `skew` of this machine's clock.
    pub fn max_skew(mut self, skew: Duration) -> Self {
        self.max_skew = Some(skew);
        self
    }

    /// Why `req` is not correctly signed, or `Ok`.
    pub fn verify(&self, req: &Request) -> Result<(), String> {
        let key = header(req, "x-api-key").ok_or("no X-api-key header")?;
        if key != self.api_key {
            return Err(format!("X-api-key is {key:?}, expected {:?}", self.api_key));
        }
        let time = header(req, "x-time").ok_or("no X-time header")?;
        let secs: i64 = time.parse().map_err(|_| format!("X-time {time:?} is not integer seconds"))?;
        if let Some(skew) = self.max_skew {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs() as i64;
            if (secs - now).unsigned_abs() > skew.as_secs() {
                return Err(format!("X-time {secs} is more than {skew:?} from now ({now})"));
            }
        }
        let sent = header(req, "x-sig").ok_or("no X-Sig header")?;
        let want = signature(&self.secret, time, req.method.as_str(), &target(req), &req.body);
        if sent != want {
            return Err(format!(
                "X-Sig mismatch for {} {} (body {} bytes): got {sent}, recomputed {want}",
                req.method,
                target(req),
                req.body.len()
            ));
        }
        Ok(())
    }
}

impl Match for MilaCoinsSignature {
    fn matches(&self, req: &Request) -> bool {
        match self.verify(req) {
            Ok(()) => true,
            Err(why) => {
                eprintln!("MilaCoinsSignature rejected a request: {why}");
                false
            }
        }
    }
}

/// Matches the path and query exactly as received.
#[derive(Debug, Clone)]
pub struct Target(pub String);

impl Match for Target {
    fn matches(&self, req: &Request) -> bool {
        let got = target(req);
        if got != self.0 {
            eprintln!("Target: got {got}, expected {}", self.0);
        }
        got == self.0
    }
}
