//! What every client shares and no client specialises: one `send` path that
//! applies auth per attempt, waits for the rate limiter, enforces timeouts and
//! the body cap, refuses redirects, retries by one policy, and maps every
//! outcome into [`Error`]. The loop is in `send`, one attempt in `attempt`,
//! the decisions in `decide`, the HTTP client in `http_client`.

mod attempt;
pub(crate) mod auth;
pub(crate) mod cached_login;
mod call_headers;
pub(crate) mod decide;
pub(crate) mod hook;
mod http_client;
mod journaled;
#[cfg(feature = "redis")]
pub(crate) mod limiter_bound;
pub(crate) mod meta;
pub(crate) mod metrics;
pub(crate) mod options;
pub(crate) mod paginate;
pub(crate) mod path;
pub(crate) mod ratelimit;
#[cfg(feature = "redis")]
pub(crate) mod redis_ask;
#[cfg(feature = "redis")]
pub(crate) mod redis_limiter;
#[cfg(feature = "redis")]
pub(crate) mod redis_token_cache;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod retry;
mod send;
mod unsent;

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Url;
use secrecy::SecretString;

use crate::error::{ApiError, Error, Provider, Result};
use crate::redact::Secrets;
use auth::Auth;
pub(crate) use journaled::{Journaling, Kept};
use options::{CallOptions, TransportOptions};
use ratelimit::{LocalRateLimiter, RateLimiter, RateLimits};
use retry::RetryBudget;

/// Turns a provider's error response (status, headers, body) into an [`ApiError`].
pub(crate) type ErrorDecoder = fn(Provider, u16, &HeaderMap, &[u8]) -> ApiError;

/// Everything a provider client tells the transport about itself.
pub(crate) struct TransportConfig<'a> {
    pub provider: Provider,
    /// A digest naming the credentials, for limits shared across replicas.
    pub limit_scope: String,
    pub base_url: &'a str,
    pub auth: Auth,
    /// Credentials the client sends other than through `auth` (a login's
    /// body), blanked from error texts like those of `auth`.
    pub secrets: Vec<SecretString>,
    pub options: TransportOptions,
    pub decode_error: ErrorDecoder,
}

/// A cheap-to-clone handle on one connection pool, rate limiter, retry
/// budget and auth state.
#[derive(Clone)]
pub(crate) struct Transport {
    inner: Arc<Inner>,
    /// Per-call settings of this handle (see [`Transport::with_call_options`]).
    call: CallOptions,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    /// `walletkit/<version>` plus the caller's suffix, built once.
    user_agent: HeaderValue,
    provider: Provider,
    auth: Auth,
    options: TransportOptions,
    limiter: Arc<dyn RateLimiter>,
    limits: RateLimits,
    /// Names the credentials for a shared limiter: a digest, never the key.
    limit_scope: String,
    budget: RetryBudget,
    decode_error: ErrorDecoder,
    /// Every credential the client holds, for cleaning error texts.
    secrets: Secrets,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("provider", &self.inner.provider)
            .field("base_url", &self.inner.base.as_str())
            .field("auth", &self.inner.auth)
            .field("options", &self.inner.options)
            .finish()
    }
}

impl Transport {
    /// Whether two handles share one pool, limiter and retry budget (for
    /// tests of a login sending through the client it authenticates).
    #[cfg(test)]
    pub(crate) fn same_as(&self, other: &Transport) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The journal this client's money calls go through, if any.
    pub(crate) fn journaling(&self) -> Option<Journaling> {
        self.inner.options.journal.clone()
    }

    /// [`request::derived_idempotency_key`] under this client's credentials.
    pub(crate) fn derived_idempotency_key(&self, req: &request::Request) -> String {
        request::derived_idempotency_key(&self.inner.limit_scope, req)
    }

    /// Builds a transport, refusing plain HTTP to anything but loopback and
    /// HTTPS without a TLS feature (unless the caller brings a client).
    pub(crate) fn new(config: TransportConfig<'_>) -> Result<Self> {
        let base =
            Url::parse(config.base_url).map_err(|e| Error::Config(format!("the base URL is not a URL ({e})")))?;
        let options = config.options;
        http_client::check_base(&base, &options)?;
        let user_agent = http_client::user_agent(&options)?;
        let http = http_client::http_client(&options, &base)?;
        Ok(Transport {
            call: CallOptions::default(),
            inner: Arc::new(Inner {
                http,
                base,
                user_agent,
                provider: config.provider,
                secrets: Secrets::new(config.auth.secrets().into_iter().chain(config.secrets)),
                auth: config.auth,
                limiter: options.limiter.clone().unwrap_or_else(|| Arc::new(LocalRateLimiter::default())),
                limits: options.rate_limits.clone(),
                limit_scope: config.limit_scope,
                options,
                budget: RetryBudget::new(),
                decode_error: config.decode_error,
            }),
        })
    }

    /// A handle on the same pool, limiter and auth whose calls use `call`'s
    /// retry policy, deadline, attempt timeout and extra headers.
    pub(crate) fn with_call_options(&self, call: CallOptions) -> Self {
        Transport { inner: self.inner.clone(), call: self.call.merged(call) }
    }
}

/// Names the credentials `identity` of `provider` for a shared rate limiter:
/// a truncated SHA-256, so the key itself never reaches Redis or a log.
pub(crate) fn limit_scope(provider: Provider, identity: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{provider}\0{identity}").as_bytes());
    format!("{provider}:{}", hex::encode(&digest[..8]))
}

/// The message of a builder's `Error::Config` when credentials are missing,
/// naming each missing part and its setter: `parts` pairs a description
/// with whether it was set.
pub(crate) fn missing_credentials(provider: &str, parts: &[(&str, bool)]) -> String {
    let missing: Vec<&str> = parts.iter().filter(|(_, set)| !set).map(|(name, _)| *name).collect();
    format!("{provider} needs credentials: set {} (or both with `.credentials(..)`)", missing.join(" and "))
}

/// A credential from the caller, kept secret from the start.
pub(crate) fn secret(value: impl Into<String>) -> SecretString {
    SecretString::from(value.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn config(base_url: &str) -> TransportConfig<'_> {
        TransportConfig {
            provider: Provider::Milta,
            limit_scope: limit_scope(Provider::Milta, "key"),
            base_url,
            auth: Auth::None,
            secrets: Vec::new(),
            options: TransportOptions::default(),
            decode_error: |p, s, _, _| ApiError::new(p, s, ErrorKind::Other, ""),
        }
    }

    /// Runs in CI with `--no-default-features`: HTTPS needs a TLS feature.
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    #[test]
    fn tls_missing_makes_https_a_config_error_naming_the_features() {
        let err = Transport::new(config("https://api.example.com")).unwrap_err();
        assert!(matches!(err, Error::Config(ref m) if m.contains("rustls") && m.contains("native-tls")), "{err}");
        assert!(Transport::new(config("http://127.0.0.1:9")).is_ok(), "loopback HTTP needs no TLS");
        let mut with_client = config("https://api.example.com");
        with_client.options.http_client = Some(reqwest::Client::new());
        assert!(Transport::new(with_client).is_ok(), "a caller's client brings its own TLS");
    }

    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    #[test]
    fn tls_present_makes_https_clients() {
        assert!(Transport::new(config("https://api.example.com")).is_ok());
    }
}
