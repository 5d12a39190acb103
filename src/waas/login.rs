//! The WaaS login (`POST /api/v1/auth/login`) as a Bearer [`TokenSource`]:
//! what to send and how to read the answer. Caching, single flight, refresh
//! and sharing across replicas are the transport's `CachedLogin`.

use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use tokio::time::Instant;

use super::client::{paths, rate_class, WaasApi, WaasSettings};
use crate::client::ClientBuilder;
use crate::error::{DecodeError, Error, Provider, Result};
use crate::money::Decimal;
use crate::transport::auth::Auth;
use crate::transport::cached_login::{CachedLogin, CachedToken};
use crate::transport::options::TransportOptions;
use crate::transport::{limit_scope, secret, Transport, TransportConfig};
use crate::wire::{wire_object, Extra, Text, WireDecode};
use crate::TokenSource;
use rust_decimal::prelude::ToPrimitive;

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
    /// The token, cached and shared; named by a digest of the username.
    cache: CachedLogin<LoginDetails>,
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
        let cached = self.cache.is_cached();
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
        self.cache.details().await
    }

    /// Drops the cached token, so the next request logs in again.
    pub async fn forget_token(&self) {
        self.cache.forget().await;
    }

    async fn current_token(&self) -> Result<SecretString> {
        self.cache.token(|| self.log_in()).await
    }

    async fn log_in(&self) -> Result<CachedToken<LoginDetails>> {
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
        Ok(CachedToken::new(secret(token), sent, life, details))
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
            self.cache.invalidate(rejected).await;
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
        self.cache.scope()
    }

    pub(crate) fn new(
        base_url: &str,
        username: SecretString,
        password: SecretString,
        options: TransportOptions,
        settings: &WaasSettings,
    ) -> Result<Self> {
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
        // The details of a token known without its answer (from a shared cache).
        let blank = || LoginDetails { token_type: None, expires_in: None, extra: Extra::default() };
        #[cfg(not(feature = "redis"))]
        let cache = CachedLogin::new(scope, blank);
        #[cfg(feature = "redis")]
        let cache = CachedLogin::new(scope, blank, settings.shared_cache());
        #[cfg(not(feature = "redis"))]
        let _ = settings;
        Ok(WaasLogin { transport, username, password, cache })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_drop_fractions_and_cap_at_a_century() {
        assert_eq!(lifetime(Decimal::new(36005, 1)), Duration::from_secs(3600));
        assert_eq!(lifetime(Decimal::new(-5, 0)), Duration::ZERO);
        assert_eq!(lifetime(Decimal::MAX), Duration::from_secs(100 * 365 * 24 * 3600));
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
