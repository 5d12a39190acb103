//! The WaaS login (`POST /api/v1/auth/login`) as a cached, single-flight
//! Bearer [`TokenSource`].
//!
//! One login is shared by every concurrent request: the cache is a lock held
//! across the login, so callers arriving meanwhile wait for that login's
//! token instead of starting their own. A 401 drops the token only if it is
//! still the cached one, so fifty requests rejected with the same expired
//! token cause one re-login, not fifty. When the server gives `expires_in`,
//! the token is replaced shortly before it expires (30 s before, or a tenth
//! of its lifetime for tokens living less than five minutes).

use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::client::{paths, rate_class, WaasApi, WaasSettings};
use crate::client::ClientBuilder;
use crate::error::{DecodeError, Error, Provider, Result};
use crate::money::Decimal;
use crate::transport::auth::Auth;
use crate::transport::options::TransportOptions;
use crate::transport::{limit_scope, secret, Transport, TransportConfig};
use crate::wire::{wire_object, Extra, Text, WireDecode};
use crate::TokenSource;
use rust_decimal::prelude::ToPrimitive;

/// The longest head start a token is refreshed with before it expires.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// A WaaS login: exchanges username and password for a Bearer token, caches
/// it, and logs in again when it expires or is rejected.
///
/// [`WaasClient`](super::WaasClient) uses one internally; build one yourself
/// (or take the client's with [`WaasClient::token_source`](super::WaasClient::token_source))
/// to authenticate another client with the same token, such as the Wallets API:
///
/// ```no_run
/// # fn run() -> walletkit::Result<()> {
/// use std::sync::Arc;
/// use walletkit::waas::WaasLogin;
/// use walletkit::wallets::WalletsClient;
///
/// let login = Arc::new(
///     WaasLogin::builder().base_url("https://waas.example.com").credentials("user", "pass").build()?,
/// );
/// let wallets = WalletsClient::builder().base_url("https://wallets.example.com").token_source(login).build()?;
/// # Ok(()) }
/// ```
pub struct WaasLogin {
    transport: Transport,
    username: SecretString,
    password: SecretString,
    cache: Mutex<Option<CachedToken>>,
    /// Names the username for limits and tokens shared across replicas (a digest).
    scope: String,
    /// The token shared by every replica, when configured.
    #[cfg(feature = "redis")]
    shared: Option<crate::RedisTokenCache>,
}

struct CachedToken {
    token: SecretString,
    /// When to log in again; `None` when the server gave no lifetime.
    refresh_at: Option<Instant>,
    /// The rest of the answer.
    details: LoginDetails,
}

impl CachedToken {
    fn usable_at(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

/// When a token obtained at `sent` and living `life` should be replaced;
/// `None` when that is beyond what the clock can represent.
fn refresh_at(sent: Instant, life: Duration) -> Option<Instant> {
    let margin = MAX_REFRESH_MARGIN.min(life / 10);
    sent.checked_add(life.saturating_sub(margin))
}

/// `expires_in` seconds as a duration: fractions dropped, negative as zero,
/// absurdly large as "never" (capped at a hundred years).
fn lifetime(secs: Decimal) -> Duration {
    const CAP: u64 = 100 * 365 * 24 * 3600;
    if secs <= Decimal::ZERO {
        return Duration::ZERO;
    }
    Duration::from_secs(secs.trunc().to_u64().map_or(CAP, |s| s.min(CAP)))
}

impl fmt::Debug for WaasLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.try_lock().map(|c| c.is_some()).ok();
        f.debug_struct("WaasLogin")
            .field("transport", &self.transport)
            .field("username", &"[REDACTED]")
            .field("password", &"[REDACTED]")
            .field("token_cached", &cached)
            .finish()
    }
}

#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
}

wire_object! {
    /// The login answer: `access_token` (also read as `accessToken`), and
    /// `expires_in` (seconds) and `token_type` when given. A body wrapping
    /// these in `data` is accepted too. The token must be a JSON string: a
    /// `token` field or a number is not taken for one.
    struct LoginAnswer {
        /// The Bearer token.
        pub access_token: Option<String> = optional ["access_token", "accessToken"],
        /// Lifetime in seconds; a value that is not a number counts as absent.
        pub expires_in: Option<Decimal> = default ["expires_in", "expiresIn"] via Seconds,
        /// Usually `Bearer`.
        pub token_type: Option<String> = optional ["token_type", "tokenType"] via Text,
        /// The answer, when wrapped; anything unreadable there counts as absent.
        pub data: Option<Box<WrappedAnswer>> = default ["data"] via Wrapped,
    }
}

wire_object! {
    /// The answer inside `data`: the same fields, one level only. A `data`
    /// inside it stays in `extra`, unread: the server decides how deep a
    /// body is, so the decoder never recurses on what it sends.
    struct WrappedAnswer {
        /// The Bearer token.
        pub access_token: Option<String> = optional ["access_token", "accessToken"],
        /// Lifetime in seconds; a value that is not a number counts as absent.
        pub expires_in: Option<Decimal> = default ["expires_in", "expiresIn"] via Seconds,
        /// Usually `Bearer`.
        pub token_type: Option<String> = optional ["token_type", "tokenType"] via Text,
    }
}

/// `expires_in` read exactly from a number or a string, or `None` when it
/// is neither: a lifetime walletkit cannot read only means no early refresh.
struct Seconds;

impl WireDecode for Seconds {
    type Value = Option<Decimal>;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Decimal>, D::Error> {
        crate::wire::with_raw_text(d, |raw| Ok(crate::money::parse_json(raw).ok()))
    }
}

/// A `data` member holding the answer; anything else there is ignored.
struct Wrapped;

impl WireDecode for Wrapped {
    type Value = Option<Box<WrappedAnswer>>;

    fn decode<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Box<WrappedAnswer>>, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Ok(serde_json::from_str::<WrappedAnswer>(raw.get()).ok().map(Box::new))
    }
}

impl LoginAnswer {
    /// The answer that holds the token: this one, or the one in `data`,
    /// with the wrapper's other fields added to its `extra`.
    fn unwrap_data(self) -> LoginAnswer {
        match self {
            LoginAnswer { access_token: None, data: Some(inner), extra: outer, .. } => {
                let WrappedAnswer { access_token, expires_in, token_type, mut extra } = *inner;
                for (name, value) in outer.iter() {
                    extra.insert(name.to_string(), value.to_owned());
                }
                LoginAnswer { access_token, expires_in, token_type, data: None, extra }
            }
            top => top,
        }
    }
}

/// What the last login answered besides the token: its type, lifetime, and
/// every field walletkit does not name (a refresh token, a user id, …).
///
/// `extra` may hold credentials such as a refresh token: treat it as a
/// secret. Its `Debug` lists field names only.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "test-util", derive(Default))]
#[non_exhaustive]
pub struct LoginDetails {
    /// `token_type`, usually `Bearer`.
    pub token_type: Option<String>,
    /// `expires_in`, in seconds, exactly as sent.
    pub expires_in: Option<Decimal>,
    /// Every other field of the answer (of `data`, when it was wrapped), as raw JSON.
    pub extra: Extra,
}

impl WaasLogin {
    /// A builder; set the base URL and credentials, then [`WaasLoginBuilder::build`].
    pub fn builder() -> WaasLoginBuilder {
        ClientBuilder::new()
    }

    /// A login from `WAAS_BASE_URL`, `WAAS_USERNAME` and `WAAS_PASSWORD`.
    ///
    /// # Errors
    /// [`Error::Config`] naming a missing variable (the base URL is required:
    /// WaaS documents no public host), or an invalid base URL.
    pub fn from_env() -> Result<Self> {
        Self::builder().with_env_vars()?.build()
    }

    /// Makes sure a usable token is cached, logging in now if there is none
    /// or it is about to expire. Requests do this on their own; call it to
    /// check the credentials early.
    ///
    /// # Errors
    /// The login's API error ([`crate::ErrorKind::Unauthorized`] for wrong
    /// credentials), transport errors, or [`Error::Decode`] when the answer
    /// has no `access_token`.
    pub async fn ensure_logged_in(&self) -> Result<()> {
        self.current_token().await.map(drop)
    }

    /// What the cached login answered besides the token (`token_type`,
    /// `expires_in`, unknown fields); `None` before the first login or after
    /// [`forget_token`](WaasLogin::forget_token).
    pub async fn details(&self) -> Option<LoginDetails> {
        self.cache.lock().await.as_ref().map(|c| c.details.clone())
    }

    /// Drops the cached token, so the next request logs in again.
    pub async fn forget_token(&self) {
        *self.cache.lock().await = None;
    }

    async fn current_token(&self) -> Result<SecretString> {
        // Held across the login: concurrent callers wait for this one.
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref().filter(|c| c.usable_at(Instant::now())) {
            return Ok(cached.token.clone());
        }
        #[cfg(feature = "redis")]
        let fresh = match &self.shared {
            // Redis's futures are not `Sync`; the wrapper keeps this one `Sync`.
            Some(shared) => sync_wrapper::SyncFuture::new(Box::pin(self.shared_log_in(shared))).await?,
            None => self.log_in().await?,
        };
        #[cfg(not(feature = "redis"))]
        let fresh = self.log_in().await?;
        let token = fresh.token.clone();
        *cache = Some(fresh);
        Ok(token)
    }

    /// The token every replica shares: taken from Redis when there is one,
    /// else logged in by whichever replica holds the login lock while the
    /// others wait for it to appear. The holder extends the lock for as long
    /// as its login runs, so the others wait for a slow login instead of
    /// joining it; the lock lapses one hold after a holder crashed, and then
    /// the next replica takes it. When Redis cannot be asked, this replica
    /// logs in for itself.
    #[cfg(feature = "redis")]
    async fn shared_log_in(&self, shared: &crate::RedisTokenCache) -> Result<CachedToken> {
        use futures_util::future::{select, Either};
        /// Pauses between looks at a lock another replica holds.
        const FIRST_PAUSE: Duration = Duration::from_millis(25);
        const LONGEST_PAUSE: Duration = Duration::from_millis(250);
        let from_shared = |(token, ttl): (SecretString, Option<Duration>)| CachedToken {
            token,
            refresh_at: ttl.and_then(|ttl| Instant::now().checked_add(ttl)),
            details: LoginDetails { token_type: None, expires_in: None, extra: Extra::default() },
        };
        let unavailable = |message: String| {
            tracing::warn!(%message, "shared token cache unavailable; logging in from this replica");
        };
        let mut pause = FIRST_PAUSE;
        loop {
            match shared.get(&self.scope).await {
                Ok(Some(found)) => return Ok(from_shared(found)),
                Ok(None) => {}
                Err(message) => {
                    unavailable(message);
                    return self.log_in().await;
                }
            }
            match shared.try_lock(&self.scope).await {
                Ok(Some(lock)) => {
                    let login = std::pin::pin!(async {
                        let result = match shared.get(&self.scope).await {
                            Ok(Some(found)) => Ok(from_shared(found)),
                            _ => self.log_in().await,
                        };
                        if let Ok(fresh) = &result {
                            let ttl = fresh.refresh_at.map(|at| at.saturating_duration_since(Instant::now()));
                            if let Err(message) = shared.put(&self.scope, &fresh.token, ttl).await {
                                unavailable(message);
                            }
                        }
                        result
                    });
                    // Extended only while the login runs: it stops when the login ends.
                    let kept = std::pin::pin!(shared.keep_locked(&self.scope, &lock));
                    let result = match select(login, kept).await {
                        Either::Left((result, _)) => result,
                        // The lock was lost (it lapsed while Redis could not be asked): finish anyway.
                        Either::Right(((), login)) => login.await,
                    };
                    let _ = shared.unlock(&self.scope, &lock).await;
                    return result;
                }
                // A live holder keeps extending the lock; a crashed one's lapses within a hold.
                Ok(None) => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
                Err(message) => {
                    unavailable(message);
                    return self.log_in().await;
                }
            }
        }
    }

    async fn log_in(&self) -> Result<CachedToken> {
        tracing::debug!("waas login");
        let body = LoginBody { username: self.username.expose_secret(), password: self.password.expose_secret() };
        // Logging in twice is harmless: retried after a 5xx or a lost answer.
        let req = crate::Request::post(paths::LOGIN).json(&body)?.idempotent().rate_class(rate_class::LOGIN);
        let sent = Instant::now();
        let resp = self.transport.send(req).await.map_err(login_error)?;
        let answer: LoginAnswer = resp.json().map_err(|e| withhold_body(e, resp.status))?;
        let answer = answer.unwrap_data();
        let Some(token) = answer.access_token.filter(|t| !t.trim().is_empty()) else {
            return Err(missing_token(resp.status));
        };
        let life = answer.expires_in.map(lifetime);
        tracing::debug!(
            expires_in_secs = life.map(|d| d.as_secs()),
            token_type = answer.token_type.as_deref(),
            "waas login succeeded"
        );
        let details =
            LoginDetails { token_type: answer.token_type, expires_in: answer.expires_in, extra: answer.extra };
        Ok(CachedToken { token: secret(token), refresh_at: life.and_then(|life| refresh_at(sent, life)), details })
    }
}

/// Login failures keep their kind but say they are about the login. The
/// transport has already blanked the credentials from every text (it
/// was given them), whole or cut off by the length cap.
fn login_error(e: Error) -> Error {
    match e {
        Error::Api(mut api) => {
            api.message = format!("login failed: {}", api.message);
            Error::Api(api)
        }
        Error::Network { provider, message, source } => {
            Error::Network { provider, message: format!("login: {message}"), source }
        }
        other => other,
    }
}

/// A login answer that does not decode may hold a token: keep the JSON path,
/// drop the body excerpt and any value serde quoted.
fn withhold_body(e: Error, status: u16) -> Error {
    match e {
        Error::Decode(d) => {
            let message = if d.message.starts_with("missing field") || d.message.starts_with("empty body") {
                d.message
            } else {
                "the login answer is not the expected JSON object".to_string()
            };
            Error::Decode(Box::new(DecodeError {
                provider: Provider::Waas,
                status,
                json_path: d.json_path,
                message,
                excerpt: "[withheld: a login answer may contain a token]".into(),
            }))
        }
        other => other,
    }
}

fn missing_token(status: u16) -> Error {
    Error::Decode(Box::new(DecodeError {
        provider: Provider::Waas,
        status,
        json_path: Some("access_token".into()),
        message: "the login answer has no access_token".into(),
        excerpt: "[withheld: a login answer may contain a token]".into(),
    }))
}

impl TokenSource for WaasLogin {
    fn token(&self) -> BoxFuture<'_, Result<SecretString>> {
        Box::pin(self.current_token())
    }

    /// Drops the cached token if it is the one rejected (another caller may
    /// already have replaced it) and answers `true`: a fresh login is always
    /// possible. The transport retries a call only once, so a token rejected
    /// right after a fresh login ends as [`crate::ErrorKind::Unauthorized`].
    fn invalidate<'a>(&'a self, rejected: &'a SecretString) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if cache.as_ref().is_some_and(|c| c.token.expose_secret() == rejected.expose_secret()) {
                tracing::debug!("waas token rejected; logging in again on the next attempt");
                *cache = None;
            }
            // Only the rejected token: another replica may already share a newer one.
            #[cfg(feature = "redis")]
            if let Some(shared) = &self.shared {
                let removed = sync_wrapper::SyncFuture::new(Box::pin(shared.remove_if(&self.scope, rejected))).await;
                if let Err(message) = removed {
                    tracing::warn!(%message, "shared token cache unavailable; the rejected token stays there");
                }
            }
            true
        })
    }
}

/// Builds a [`WaasLogin`]: the shared setters of every client builder, and
/// WaaS's credential setters.
pub type WaasLoginBuilder = ClientBuilder<WaasApi, WaasLogin>;

impl WaasLoginBuilder {
    /// Builds the login; nothing is sent until a token is needed.
    ///
    /// # Errors
    /// [`Error::Config`] without a base URL or credentials, or with a bad or
    /// plain-HTTP base URL.
    pub fn build(mut self) -> Result<WaasLogin> {
        let base_url = self.resolved_base_url()?;
        let (username, password) = self.settings.credentials("")?;
        WaasLogin::new(&base_url, username, password, self.options, &self.settings)
    }
}

impl WaasLogin {
    /// The username and password, for clients sharing this login to blank
    /// from their error texts.
    pub(crate) fn credentials(&self) -> Vec<SecretString> {
        vec![self.username.clone(), self.password.clone()]
    }

    /// The digest naming this login's user, for shared rate limits.
    pub(crate) fn limit_scope(&self) -> &str {
        &self.scope
    }

    pub(crate) fn new(
        base_url: &str,
        username: SecretString,
        password: SecretString,
        options: TransportOptions,
        settings: &WaasSettings,
    ) -> Result<Self> {
        #[cfg(not(feature = "redis"))]
        let _ = settings;
        let scope = limit_scope(Provider::Waas, username.expose_secret());
        let transport = Transport::new(TransportConfig {
            provider: Provider::Waas,
            limit_scope: scope.clone(),
            base_url,
            auth: Auth::None,
            // Sent in the login's body, so the transport cannot know them otherwise.
            secrets: vec![username.clone(), password.clone()],
            options,
            decode_error: super::error::decode,
        })?;
        Ok(WaasLogin {
            #[cfg(feature = "redis")]
            shared: settings.shared_cache(),
            transport,
            username,
            password,
            cache: Mutex::new(None),
            scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_is_30s_or_a_tenth() {
        let t0 = Instant::now();
        assert_eq!(refresh_at(t0, Duration::from_secs(3600)), Some(t0 + Duration::from_secs(3570)));
        assert_eq!(refresh_at(t0, Duration::from_secs(60)), Some(t0 + Duration::from_secs(54)));
        assert_eq!(refresh_at(t0, Duration::ZERO), Some(t0));
        assert_eq!(lifetime(Decimal::new(36005, 1)), Duration::from_secs(3600));
        assert_eq!(lifetime(Decimal::new(-5, 0)), Duration::ZERO);
        assert_eq!(lifetime(Decimal::MAX), Duration::from_secs(100 * 365 * 24 * 3600));
        let details = LoginDetails { token_type: None, expires_in: None, extra: Extra::default() };
        let cached = CachedToken {
            token: secret("t"),
            refresh_at: Some(t0 + Duration::from_secs(10)),
            details: details.clone(),
        };
        assert!(cached.usable_at(t0 + Duration::from_secs(9)));
        assert!(!cached.usable_at(t0 + Duration::from_secs(10)));
        let forever = CachedToken { token: secret("t"), refresh_at: None, details };
        assert!(forever.usable_at(t0 + Duration::from_secs(1_000_000)));
    }

    fn answer(json: &str) -> LoginAnswer {
        serde_json::from_str::<LoginAnswer>(json).unwrap().unwrap_data()
    }

    #[test]
    fn login_answers_in_every_plausible_shape() {
        let a = answer(r#"{"access_token":"t","expires_in":"3600.5","token_type":null,"user":{"id":7},"n":1e400}"#);
        assert_eq!((a.access_token.as_deref(), a.expires_in), (Some("t"), Some(Decimal::new(36005, 1))));
        assert_eq!(a.token_type, None);
        assert_eq!(a.extra["user"].get(), r#"{"id":7}"#);
        assert_eq!(a.extra["n"].get(), "1e400", "unknown numbers stay exact, even beyond f64");
        let a = answer(r#"{"token":"x","accessToken":"y","access_token":"z","expiresIn":60,"expires_in":"soon"}"#);
        assert_eq!((a.access_token.as_deref(), a.expires_in), (Some("z"), None), "both spellings at once");
        assert_eq!(a.extra["token"].get(), r#""x""#);
        assert_eq!(answer(r#"{"accessToken":"y","expiresIn":60}"#).expires_in, Some(Decimal::from(60)));
        let a =
            answer(r#"{"status":"ok","data":{"access_token":"w","expires_in":12345678901234567.89,"refresh":"r"}}"#);
        assert_eq!(
            (a.access_token.as_deref(), a.expires_in.map(|d| d.to_string())),
            (Some("w"), Some("12345678901234567.89".into()))
        );
        assert_eq!(a.extra.iter().map(|(n, _)| n).collect::<Vec<_>>(), ["refresh", "status"]);
        let a = answer(r#"{"data":"not an object","message":"no token"}"#);
        assert_eq!((a.access_token, a.data), (None, None));
    }
}
