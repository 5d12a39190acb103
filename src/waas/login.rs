//! The WaaS login (`POST /api/v1/auth/login`) as a Bearer [`TokenSource`]:
//! what to send and how to read the answer. Caching, single flight, refresh
//! and sharing across replicas are the transport's `CachedLogin`.

use std::fmt;
use std::sync::{Arc, OnceLock, Weak};

use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use super::client::{paths, rate_class, WaasApi, WaasSettings};
use super::login_answer::{lifetime, LoginAnswer, LoginBody};
use crate::client::ClientBuilder;
use crate::error::{DecodeError, Error, Provider, Result};
use crate::money::Decimal;
use crate::transport::auth::Auth;
use crate::transport::cached_login::{CachedLogin, CachedToken};
use crate::transport::options::TransportOptions;
use crate::transport::{limit_scope, secret, Transport, TransportConfig};
use crate::wire::Extra;
use crate::TokenSource;

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
    /// Its own, or the transport of the client it authenticates (set once built).
    transport: OnceLock<Transport>,
    username: SecretString,
    password: SecretString,
    /// The token, cached and shared; named by a digest of the username.
    cache: CachedLogin<LoginDetails>,
}

impl fmt::Debug for WaasLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.is_cached();
        f.debug_struct("WaasLogin")
            .field("transport", &self.transport.get())
            .field("username", &"[REDACTED]")
            .field("password", &"[REDACTED]")
            .field("token_cached", &cached)
            .finish()
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
        let transport = self.transport.get().ok_or_else(|| Error::Config("the WaaS login has no transport".into()))?;
        let sent = Instant::now();
        let resp = transport.send(req.without_auth()).await.map_err(login_error)?;
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

    /// A login with its own transport, for a [`WaasLoginBuilder`].
    pub(crate) fn new(
        base_url: &str,
        username: SecretString,
        password: SecretString,
        options: TransportOptions,
        settings: &WaasSettings,
    ) -> Result<Self> {
        let transport = Transport::new(TransportConfig {
            provider: Provider::Waas,
            limit_scope: limit_scope(Provider::Waas, username.expose_secret()),
            base_url,
            auth: Auth::None,
            // Sent in the login's body, so the transport cannot know them otherwise.
            secrets: vec![username.clone(), password.clone()],
            options,
            decode_error: super::error::decode,
        })?;
        let login = WaasLogin::unattached(username, password, settings);
        login.attach(&transport);
        Ok(login)
    }

    /// A login that sends through the transport [`attach`](Self::attach)ed
    /// later: that of the client it authenticates, so the login shares its
    /// pool, rate limiter and retry budget.
    pub(crate) fn unattached(username: SecretString, password: SecretString, settings: &WaasSettings) -> Self {
        let scope = limit_scope(Provider::Waas, username.expose_secret());
        // The details of a token known without its answer (from a shared cache).
        let blank = || LoginDetails { token_type: None, expires_in: None, extra: Extra::default() };
        #[cfg(not(feature = "redis"))]
        let cache = CachedLogin::new(scope, blank);
        #[cfg(feature = "redis")]
        let cache = CachedLogin::new(scope, blank, settings.shared_cache());
        #[cfg(not(feature = "redis"))]
        let _ = settings;
        WaasLogin { transport: OnceLock::new(), username, password, cache }
    }

    /// Whether the login sends through `transport`.
    #[cfg(test)]
    pub(crate) fn transport_is(&self, transport: &Transport) -> bool {
        self.transport.get().is_some_and(|t| t.same_as(transport))
    }

    /// Sends the login through `transport`, unless it has one already.
    pub(crate) fn attach(&self, transport: &Transport) {
        let _ = self.transport.set(transport.clone());
    }
}

/// The login as the auth of the client it sends through: held weakly, as
/// the login holds that client's transport (the client holds it strongly).
#[derive(Debug)]
pub(crate) struct LoginRef(pub(crate) Weak<WaasLogin>);

impl TokenSource for LoginRef {
    fn token(&self) -> BoxFuture<'_, Result<SecretString>> {
        Box::pin(async move {
            let login = self.0.upgrade().ok_or_else(|| Error::Config("the WaaS login was dropped".into()))?;
            login.current_token().await
        })
    }

    fn invalidate<'a>(&'a self, rejected: &'a SecretString) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            match self.0.upgrade() {
                Some(login) => login.invalidate(rejected).await,
                None => false,
            }
        })
    }
}

/// The login behind a [`LoginRef`].
pub(crate) fn login_ref(login: &Arc<WaasLogin>) -> Arc<LoginRef> {
    Arc::new(LoginRef(Arc::downgrade(login)))
}
