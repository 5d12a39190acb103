//! MilaCoins request helpers for the tests. The matchers themselves live in
//! `walletkit::test_util`; [`signature`] is an independent HMAC so the tests
//! do not check the signer with itself.
#![allow(dead_code, unused_imports)]

use hmac::{Hmac, Mac};
use sha2::Sha256;
pub use walletkit::test_util::{request_target as target, MilaCoinsSignature, Target};
use wiremock::Request;

/// Lowercase hex HMAC-SHA256 of `time + METHOD + target + body` under `secret`.
pub fn signature(secret: &[u8], time: &str, method: &str, target: &str, body: &[u8]) -> String {
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
