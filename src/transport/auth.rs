//! Authentication, applied to every attempt (never once above the retries):
//! Basic, Bearer from a token source, and an HMAC request signer.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, DATE};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::attempt::header_value;
use crate::error::{Error, ErrorKind, Result};

/// Something that hands out Bearer tokens: a fixed token, a login flow, your
/// own vault. Called before every attempt, so it should cache.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// The token to send now.
    fn token(&self) -> BoxFuture<'_, Result<SecretString>>;

    /// The server rejected `rejected` with 401. Return `true` if a fresh token
    /// can be had, so the request is retried once; the default (a fixed token)
    /// returns `false`.
    fn invalidate<'a>(&'a self, rejected: &'a SecretString) -> BoxFuture<'a, bool> {
        let _ = rejected;
        Box::pin(async { false })
    }
}

/// A fixed Bearer token.
#[derive(Clone)]
pub struct StaticToken(SecretString);

impl StaticToken {
    /// Wraps `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(SecretString::from(token.into()))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([REDACTED])")
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<SecretString>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Signs requests with HMAC-SHA256 over `time + METHOD + request target + body`,
/// sending the key, the time and the lowercase hex signature in three headers.
pub(crate) struct HmacSigner {
    key_header: HeaderName,
    time_header: HeaderName,
    signature_header: HeaderName,
    /// The key as a sensitive header value, built once.
    api_key: HeaderValue,
    secret: SecretString,
    /// Seconds to add to the local clock, learned from the server's `Date`
    /// (never more than [`MAX_CLOCK_OFFSET`] either way).
    offset_secs: AtomicI64,
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacSigner")
            .field("key_header", &self.key_header)
            .field("api_key", &"[REDACTED]")
            .field("secret", &"[REDACTED]")
            .field("offset_secs", &self.offset_secs.load(Ordering::Relaxed))
            .finish()
    }
}

impl HmacSigner {
    /// A signer sending `api_key` in `key_header`, the time in `time_header` and
    /// the signature in `signature_header`.
    ///
    /// # Errors
    /// [`Error::Config`] when the key cannot be a header value.
    pub(crate) fn new(
        key_header: &'static str,
        time_header: &'static str,
        signature_header: &'static str,
        api_key: SecretString,
        secret: SecretString,
    ) -> Result<Self> {
        Ok(HmacSigner {
            key_header: HeaderName::from_static(key_header),
            time_header: HeaderName::from_static(time_header),
            signature_header: HeaderName::from_static(signature_header),
            api_key: sensitive(api_key.expose_secret())?,
            secret,
            offset_secs: AtomicI64::new(0),
        })
    }

    /// The current time in whole seconds, corrected by the learned offset.
    fn now_secs(&self) -> i64 {
        let local = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        local.saturating_add(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Learns the offset between our clock and the server's `Date`, when it
    /// is within [`MAX_CLOCK_OFFSET`]; true when learned. A `Date` beyond it
    /// is ignored with a warning: one answer must not move the signing clock
    /// to 2100. Each accepted `Date` replaces the last, so a later
    /// `INVALID_TIME` corrects a wrong or stale offset; successful answers'
    /// `Date` is never read (an accepted `X-time` needs no correction, and
    /// reading every answer would let any answer move the clock).
    fn learn_server_time(&self, server: SystemTime) -> bool {
        match offset_within_bound(server, SystemTime::now()) {
            Some(offset) => {
                self.offset_secs.store(offset, Ordering::Relaxed);
                tracing::debug!(offset_secs = offset, "learned server clock offset");
                true
            }
            None => {
                let server_unix_secs = server.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
                tracing::warn!(
                    server_unix_secs,
                    max_offset_secs = MAX_CLOCK_OFFSET.as_secs(),
                    "ignored the server's Date: more than a day from the local clock (a wrong Date, or a wrong \
                     clock here); not re-signing"
                );
                false
            }
        }
    }

    fn signature(&self, time: &str, method: &str, target: &str, body: &[u8]) -> Result<String> {
        sign(self.secret.expose_secret().as_bytes(), time, method, target, body)
    }

    fn apply(&self, req: &mut reqwest::Request) -> Result<()> {
        let time = self.now_secs().to_string();
        let url = req.url();
        let target = match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_string(),
        };
        let body = req.body().and_then(|b| b.as_bytes()).unwrap_or_default();
        let signature = self.signature(&time, req.method().as_str(), &target, body)?;
        let headers = req.headers_mut();
        headers.insert(self.key_header.clone(), self.api_key.clone());
        headers.insert(self.time_header.clone(), header_value(&time)?);
        headers.insert(self.signature_header.clone(), sensitive(&signature)?);
        Ok(())
    }

    /// The key and the signing secret.
    fn secrets(&self) -> Vec<SecretString> {
        let key = self.api_key.to_str().map(|key| SecretString::from(key.to_string()));
        key.into_iter().chain([self.secret.clone()]).collect()
    }
}

/// Lowercase hex HMAC-SHA256 of `time + METHOD + target + body` under `key`.
///
/// # Errors
/// Never in practice: HMAC accepts keys of any length.
pub(crate) fn sign(key: &[u8], time: &str, method: &str, target: &str, body: &[u8]) -> Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| Error::Config(format!("HMAC key: {e}")))?;
    mac.update(time.as_bytes());
    mac.update(method.to_ascii_uppercase().as_bytes());
    mac.update(target.as_bytes());
    mac.update(body);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// How a client authenticates.
#[derive(Clone)]
pub(crate) enum Auth {
    /// No credentials (login calls themselves).
    None,
    /// `Authorization: Basic …`, precomputed.
    Basic(Arc<Basic>),
    /// `Authorization: Bearer …` from a token source.
    Bearer(Arc<Bearer>),
    /// HMAC-signed headers.
    Hmac(Arc<HmacSigner>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic(_) => f.write_str("Basic([REDACTED])"),
            Auth::Bearer(bearer) => f.debug_tuple("Bearer").field(&bearer.source).finish(),
            Auth::Hmac(signer) => f.debug_tuple("Hmac").field(signer).finish(),
        }
    }
}

/// Basic auth: the header, built once, and what it is built from.
pub(crate) struct Basic {
    header: HeaderValue,
    /// The user, the password and their encoded pair.
    secrets: [SecretString; 3],
}

/// Bearer auth: a token source, and the header built for its latest token
/// (rebuilt only when the token changes, not on every attempt).
pub(crate) struct Bearer {
    source: Arc<dyn TokenSource>,
    header: std::sync::Mutex<Option<(SecretString, HeaderValue)>>,
}

impl Bearer {
    fn header(&self, token: &SecretString) -> Result<HeaderValue> {
        let mut cached = self.header.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((held, value)) = cached.as_ref() {
            if held.expose_secret() == token.expose_secret() {
                return Ok(value.clone());
            }
        }
        let value = sensitive(&format!("Bearer {}", token.expose_secret()))?;
        *cached = Some((token.clone(), value.clone()));
        Ok(value)
    }
}

impl Auth {
    /// `Authorization: Bearer` with tokens from `source`.
    pub(crate) fn bearer(source: Arc<dyn TokenSource>) -> Self {
        Auth::Bearer(Arc::new(Bearer { source, header: std::sync::Mutex::new(None) }))
    }

    /// HTTP Basic with `user` and `password`.
    ///
    /// The header value is built once, marked sensitive (hidden from
    /// `Debug`), and shared by every attempt.
    ///
    /// # Errors
    /// [`Error::Config`] when the credentials cannot form a header.
    pub(crate) fn basic(user: &SecretString, password: &SecretString) -> Result<Self> {
        let raw = format!("{}:{}", user.expose_secret(), password.expose_secret());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        let header = sensitive(&format!("Basic {encoded}"))?;
        Ok(Auth::Basic(Arc::new(Basic {
            header,
            secrets: [user.clone(), password.clone(), SecretString::from(encoded)],
        })))
    }

    /// The credentials this auth holds, to blank from error texts in case
    /// a server echoes them. A Bearer token changes, so the transport adds
    /// the one each attempt carried.
    pub(crate) fn secrets(&self) -> Vec<SecretString> {
        match self {
            Auth::None | Auth::Bearer(_) => Vec::new(),
            Auth::Basic(basic) => basic.secrets.to_vec(),
            Auth::Hmac(signer) => signer.secrets(),
        }
    }

    /// Whether this auth sets the header `name` on the requests it signs
    /// (a caller's per-call header may not replace it).
    pub(crate) fn sets_header(&self, name: &HeaderName) -> bool {
        match self {
            Auth::None => false,
            Auth::Basic(_) | Auth::Bearer(_) => name == AUTHORIZATION,
            Auth::Hmac(signer) => [&signer.key_header, &signer.time_header, &signer.signature_header].contains(&name),
        }
    }

    /// Adds credentials to one attempt; returns the Bearer token used, if any,
    /// so a 401 can invalidate exactly that token.
    pub(crate) async fn apply(&self, req: &mut reqwest::Request) -> Result<Option<SecretString>> {
        match self {
            Auth::None => Ok(None),
            Auth::Basic(basic) => {
                req.headers_mut().insert(AUTHORIZATION, basic.header.clone());
                Ok(None)
            }
            Auth::Bearer(bearer) => {
                let token = bearer.source.token().await?;
                req.headers_mut().insert(AUTHORIZATION, bearer.header(&token)?);
                Ok(Some(token))
            }
            Auth::Hmac(signer) => signer.apply(req).map(|()| None),
        }
    }
}

/// An error answer the credentials might fix.
pub(crate) struct Rejection<'a> {
    pub status: u16,
    pub kind: ErrorKind,
    pub headers: &'a HeaderMap,
    /// The Bearer token the attempt carried, if any.
    pub token_used: Option<&'a SecretString>,
}

impl Auth {
    /// Recovers from a rejection the credentials can fix, so the transport
    /// needs to know no provider's scheme: a Bearer token refused with 401 is
    /// replaced (a login source logs in again), and a signature refused for
    /// clock skew is re-signed with the offset learned from the server's
    /// `Date`. True when the request should be sent again at once; the
    /// transport allows this once per call.
    pub(crate) async fn recover(&self, rejection: &Rejection<'_>) -> bool {
        match self {
            Auth::Bearer(bearer) if rejection.status == 401 => match rejection.token_used {
                Some(token) => bearer.source.invalidate(token).await,
                None => false,
            },
            Auth::Hmac(signer) if rejection.kind == ErrorKind::ClockSkew => match server_date(rejection.headers) {
                Some(date) => {
                    // A `Date` too far off leaves the clock as it was: re-signing would not help.
                    signer.learn_server_time(date)
                }
                None => false,
            },
            _ => false,
        }
    }
}

/// The largest clock offset learned from a server's `Date`: one day. Skew
/// beyond it is not a drifting clock but a wrong `Date` (or a wrong local
/// clock, which only its owner can fix), and signing with it would put every
/// later request's `X-time` wherever that one answer said.
pub const MAX_CLOCK_OFFSET: Duration = Duration::from_secs(24 * 60 * 60);

/// `server - local` in whole seconds, or `None` when it is beyond
/// [`MAX_CLOCK_OFFSET`] either way.
fn offset_within_bound(server: SystemTime, local: SystemTime) -> Option<i64> {
    let (ahead, magnitude) = match server.duration_since(local) {
        Ok(d) => (true, d),
        Err(behind) => (false, behind.duration()),
    };
    if magnitude > MAX_CLOCK_OFFSET {
        return None;
    }
    let secs = i64::try_from(magnitude.as_secs()).ok()?;
    Some(if ahead { secs } else { -secs })
}

fn server_date(headers: &HeaderMap) -> Option<SystemTime> {
    headers.get(DATE).and_then(|v| v.to_str().ok()).and_then(|v| httpdate::parse_http_date(v).ok())
}

/// A header value hidden from `Debug` (and so from reqwest's own logs).
fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::Config("a credential contains characters not allowed in an HTTP header".into()))?;
    v.set_sensitive(true);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_learned_up_to_the_bound_either_way_and_never_beyond() {
        let local = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let day = MAX_CLOCK_OFFSET;
        assert_eq!(offset_within_bound(local + Duration::from_secs(600), local), Some(600));
        assert_eq!(offset_within_bound(local - Duration::from_millis(600_900), local), Some(-600));
        assert_eq!(offset_within_bound(local + day, local), Some(86_400));
        assert_eq!(offset_within_bound(local - day, local), Some(-86_400));
        assert_eq!(offset_within_bound(local + day + Duration::from_secs(1), local), None);
        assert_eq!(offset_within_bound(local - day - Duration::from_secs(1), local), None);
        assert_eq!(offset_within_bound(UNIX_EPOCH, local), None);
        assert_eq!(offset_within_bound(UNIX_EPOCH + Duration::from_secs(4_102_444_800), local), None);
    }

    #[test]
    fn an_ignored_date_keeps_the_offset_and_a_later_one_replaces_it() {
        let signer = HmacSigner::new("x-api-key", "x-time", "x-sig", "k".into(), "s".into()).unwrap();
        let now = SystemTime::now();
        assert!(signer.learn_server_time(now + Duration::from_secs(600)));
        let learned = signer.offset_secs.load(Ordering::Relaxed);
        assert!((599..=601).contains(&learned), "{learned}");
        assert!(!signer.learn_server_time(UNIX_EPOCH + Duration::from_secs(4_102_444_800)));
        assert_eq!(signer.offset_secs.load(Ordering::Relaxed), learned, "an ignored Date changes nothing");
        assert!(signer.learn_server_time(SystemTime::now()));
        assert!(signer.offset_secs.load(Ordering::Relaxed).abs() <= 1, "the next INVALID_TIME re-learns");
    }
}
