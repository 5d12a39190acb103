//! Matchers that check each provider's auth on a request as received, and
//! the request target exactly as it arrived.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use wiremock::{Match, Request};

use crate::transport::auth::sign;

/// Matches `Authorization: Basic base64(user:password)`.
pub fn basic_auth(user: &str, password: &str) -> HeaderEquals {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    HeaderEquals { name: "authorization", value: format!("Basic {encoded}") }
}

/// Matches `Authorization: Bearer <token>`.
pub fn bearer_token(token: &str) -> HeaderEquals {
    HeaderEquals { name: "authorization", value: format!("Bearer {token}") }
}

/// Matches a header with exactly this value; built by [`basic_auth`] and [`bearer_token`].
#[derive(Clone)]
pub struct HeaderEquals {
    name: &'static str,
    value: String,
}

impl std::fmt::Debug for HeaderEquals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HeaderEquals({}: [REDACTED])", self.name)
    }
}

impl Match for HeaderEquals {
    fn matches(&self, request: &Request) -> bool {
        request.headers.get(self.name).is_some_and(|v| v.as_bytes() == self.value.as_bytes())
    }
}

/// Matches a MilaCoins request whose `X-Sig` is the HMAC-SHA256 of
/// `X-time + METHOD + path?query + body` recomputed from the raw request as
/// received, with the right `X-api-key`. A request signed over other bytes
/// than were sent does not match.
pub fn milacoins_signature(api_key: &str, secret: &str) -> MilaCoinsSignature {
    MilaCoinsSignature::new(api_key, secret)
}

/// The request target as received: the path, plus `?` and the raw query.
pub fn request_target(request: &Request) -> String {
    match request.url.query() {
        Some(q) => format!("{}?{}", request.url.path(), q),
        None => request.url.path().to_string(),
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks a MilaCoins request's key and signature; see [`milacoins_signature`].
#[derive(Clone)]
pub struct MilaCoinsSignature {
    api_key: String,
    secret: String,
    max_skew: Option<Duration>,
}

impl std::fmt::Debug for MilaCoinsSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MilaCoinsSignature").field("secret", &"[REDACTED]").field("max_skew", &self.max_skew).finish()
    }
}

impl MilaCoinsSignature {
    /// Verifies against `api_key` and `secret`; the time is not checked.
    pub fn new(api_key: &str, secret: &str) -> Self {
        MilaCoinsSignature { api_key: api_key.to_string(), secret: secret.to_string(), max_skew: None }
    }

    /// Also requires `X-time` within `skew` of this machine's clock.
    pub fn max_skew(mut self, skew: Duration) -> Self {
        self.max_skew = Some(skew);
        self
    }

    /// `Ok` when `request` is correctly signed, otherwise why not.
    ///
    /// # Errors
    /// A description of the first check that failed.
    pub fn verify(&self, request: &Request) -> Result<(), String> {
        let key = header(request, "x-api-key").ok_or("no X-api-key header")?;
        if key != self.api_key {
            return Err("X-api-key is not the expected key".into());
        }
        let time = header(request, "x-time").ok_or("no X-time header")?;
        let secs: i64 = time.parse().map_err(|_| format!("X-time {time:?} is not integer seconds"))?;
        if let Some(skew) = self.max_skew {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
            let now = i64::try_from(now).map_err(|e| e.to_string())?;
            if (secs - now).unsigned_abs() > skew.as_secs() {
                return Err(format!("X-time {secs} is more than {skew:?} from now ({now})"));
            }
        }
        let sent = header(request, "x-sig").ok_or("no X-Sig header")?;
        let target = request_target(request);
        let want = sign(self.secret.as_bytes(), time, request.method.as_str(), &target, &request.body)
            .map_err(|e| e.to_string())?;
        if sent != want {
            return Err(format!(
                "X-Sig mismatch for {} {target} (body {} bytes): got {sent}, recomputed {want}",
                request.method,
                request.body.len()
            ));
        }
        Ok(())
    }
}

impl Match for MilaCoinsSignature {
    fn matches(&self, request: &Request) -> bool {
        match self.verify(request) {
            Ok(()) => true,
            Err(why) => {
                // wiremock reports only "no match"; say why on the test's stderr.
                eprintln!("MilaCoinsSignature rejected a request: {why}");
                false
            }
        }
    }
}

/// Matches the path and query exactly as received (no decoding, no reordering).
#[derive(Debug, Clone)]
pub struct Target(pub String);

impl Match for Target {
    fn matches(&self, request: &Request) -> bool {
        request_target(request) == self.0
    }
}
