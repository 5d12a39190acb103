//! What every client shares and no client specialises: one `send` path that
//! applies auth per attempt, waits for the rate limiter, enforces timeouts and
//! the body cap, refuses redirects, retries by one policy, and maps every
//! outcome into [`Error`].

pub(crate) mod auth;
pub(crate) mod cached_login;
pub(crate) mod decide;
pub(crate) mod hook;
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

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, LOCATION, RETRY_AFTER, USER_AGENT};
use reqwest::Url;
use secrecy::SecretString;
use tokio::time::Instant;
use tracing::Instrument;

use crate::error::{ApiError, Error, ErrorKind, OutcomeUnknown, Provider, Result};
use crate::redact::{server_text, Secrets};
use auth::{Auth, Rejection};
use decide::{Attempt, Ending, Progress, Step};
use hook::{AttemptInfo, AttemptOutcome, AttemptReport};
use options::{CallOptions, TransportOptions};
use ratelimit::{LocalRateLimiter, RateLimiter, RateLimits, Refusal};
use request::Request;
use response::{RawResponse, Sent};
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

/// Why an attempt produced no response to decode.
enum AttemptFailure {
    Connect(reqwest::Error),
    NoAnswer {
        message: String,
        source: Option<reqwest::Error>,
    },
    TooLarge {
        status: u16,
        limit: usize,
    },
    /// The caller's client followed a redirect; `to` is the final URL
    /// without its query.
    Redirected {
        status: u16,
        to: String,
    },
}

impl AttemptFailure {
    fn no_answer(e: reqwest::Error) -> Self {
        AttemptFailure::NoAnswer { message: error_chain(&e), source: Some(e) }
    }
}

/// A call's last attempt, kept for the error it ends with.
enum Last {
    Answer { api: ApiError },
    Connect(reqwest::Error),
    NoAnswer { message: String, source: Option<reqwest::Error> },
}

impl Transport {
    /// Builds a transport, refusing plain HTTP to anything but loopback and
    /// HTTPS without a TLS feature (unless the caller brings a client).
    pub(crate) fn new(config: TransportConfig<'_>) -> Result<Self> {
        let base = Url::parse(config.base_url)
            .map_err(|e| Error::Config(format!("base URL `{}` is not a URL: {e}", config.base_url)))?;
        check_scheme(&base)?;
        let options = config.options;
        if base.scheme() == "https"
            && options.http_client.is_none()
            && !cfg!(any(feature = "rustls", feature = "native-tls"))
        {
            return Err(Error::Config(format!(
                "base URL `{base}` is HTTPS, but walletkit was built without TLS: enable its `rustls` (default) \
                 or `native-tls` feature, or pass your own client with `.http_client(..)`"
            )));
        }
        let mut agent = concat!("walletkit/", env!("CARGO_PKG_VERSION")).to_string();
        if let Some(suffix) = &options.user_agent_suffix {
            agent.push(' ');
            agent.push_str(suffix);
        }
        let user_agent = HeaderValue::from_str(&agent)
            .map_err(|_| Error::Config(format!("user agent suffix {:?} is not a valid header value", agent)))?;
        let http = match &options.http_client {
            Some(client) => client.clone(),
            None => default_http_client(&options, &base)?,
        };
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
    /// retry policy and deadline.
    pub(crate) fn with_call_options(&self, call: CallOptions) -> Self {
        Transport { inner: self.inner.clone(), call: self.call.merged(call) }
    }

    /// Sends `req`, retrying as the policy allows, and returns the 2xx response.
    ///
    /// One span per call, named and fielded after OpenTelemetry's HTTP client
    /// conventions (the route template, never raw ids; never credentials or
    /// bodies). The future is `Send + Sync` whatever the HTTP stack's futures are.
    pub(crate) async fn send(&self, req: Request) -> Result<RawResponse> {
        let base = &self.inner.base;
        let span = tracing::info_span!(
            "walletkit.request",
            otel.kind = "client",
            "walletkit.provider" = %self.inner.provider,
            "http.request.method" = %req.method,
            "url.template" = req.route(),
            "server.address" = base.host_str().unwrap_or_default(),
            "server.port" = base.port_or_known_default(),
            "http.response.status_code" = tracing::field::Empty,
            "http.request.resend_count" = tracing::field::Empty,
            "walletkit.outcome" = tracing::field::Empty,
        );
        sync_wrapper::SyncFuture::new(Box::pin(self.execute(req).instrument(span))).await
    }

    fn url_for(&self, req: &Request) -> Url {
        let mut url = self.inner.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), req.path);
        url.set_path(&path);
        url.set_query(None);
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
        }
        url
    }

    fn build_attempt(&self, req: &Request, url: &Url) -> Result<reqwest::Request> {
        let mut http_req = reqwest::Request::new(req.method.clone(), url.clone());
        let headers = http_req.headers_mut();
        headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        for (name, value) in &req.headers {
            headers.insert(header_name(name)?, header_value(value)?);
        }
        if let Some((name, key)) = &req.idempotency_key {
            headers.insert(header_name(name)?, header_value(key)?);
        }
        if let Some(body) = &req.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            // `Bytes`: every attempt sends the same buffer, shared, not copied.
            *http_req.body_mut() = Some(body.clone().into());
        }
        Ok(http_req)
    }

    /// The send loop: each attempt's result goes through the pure decisions
    /// in [`decide`]; this only carries them out, and reports each attempt
    /// to the trace and the caller's hook.
    async fn execute(&self, req: Request) -> Result<RawResponse> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let policy = self.call.policy(req.retry, inner.options.retry);
        let idempotent = req.is_idempotent();
        let side_effects = may_have_side_effects(&req);
        let url = self.url_for(&req);
        req.check_idempotency_key()?;
        let started = Instant::now();
        let first_sent_at = req.first_sent_at.unwrap_or_else(SystemTime::now);
        // A deadline past what the clock holds (`Duration::MAX`) is none.
        let deadline_at = policy.deadline.and_then(|d| started.checked_add(d));
        let method = req.method.as_str();
        let mut retries_done = 0u32;
        let mut attempts = 0u32;
        let mut recovered = false;

        loop {
            if let Err(e) = self.wait_for_rate_limit(&req, deadline_at).await {
                span.record("walletkit.outcome", "not_sent_rate_limit");
                return Err(e);
            }
            attempts += 1;
            // Built and signed before the hook hears of it: a request refused
            // here was never an attempt, and every `on_start` gets its `on_end`.
            let mut http_req = self.build_attempt(&req, &url)?;
            let token_used = if req.without_auth { None } else { inner.auth.apply(&mut http_req).await? };
            let info = AttemptInfo { provider: inner.provider, method, route: req.route(), attempt: attempts };
            if let Some(hook) = &inner.options.hook {
                hook.0.on_start(&info);
            }
            let report = |status: Option<u16>, latency, outcome| {
                if let Some(hook) = &inner.options.hook {
                    hook.0.on_end(&AttemptReport { info, status, latency, outcome });
                }
            };
            let attempt_started = Instant::now();
            let result = self.attempt(http_req, &url).await;
            let latency = attempt_started.elapsed();
            let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);

            let (attempt, last) = match result {
                Ok((status, headers, body)) if (200..300).contains(&status) => {
                    tracing::debug!(attempt = attempts, status, latency_ms, "response");
                    report(Some(status), latency, AttemptOutcome::Success);
                    span.record("http.response.status_code", status);
                    span.record("http.request.resend_count", attempts - 1);
                    span.record("walletkit.outcome", "success");
                    inner.budget.deposit();
                    let accepted = match decide::ending(Attempt::Status { status, retry_after: None }, side_effects) {
                        Ending::Success { side_effects: true } => Some(Box::new(Sent::from(req))),
                        _ => None,
                    };
                    let secrets = inner.secrets.with_token(token_used);
                    return Ok(RawResponse { provider: inner.provider, status, headers, body, accepted, secrets });
                }
                Ok((status, headers, body)) => {
                    tracing::debug!(attempt = attempts, status, latency_ms, "error response");
                    let api = self.api_error(status, &headers, &body, token_used.as_ref());
                    if !recovered && decide::refused_unacted(status) {
                        let rejection =
                            Rejection { status, kind: api.kind, headers: &headers, token_used: token_used.as_ref() };
                        if inner.auth.recover(&rejection).await {
                            recovered = true;
                            report(Some(status), latency, AttemptOutcome::Retry);
                            tracing::debug!(attempt = attempts, status, "credentials renewed; sending again");
                            continue;
                        }
                    }
                    span.record("http.response.status_code", status);
                    (Attempt::Status { status, retry_after: api.retry_after }, Last::Answer { api })
                }
                Err(AttemptFailure::Connect(e)) => {
                    tracing::debug!(attempt = attempts, latency_ms, error = %error_chain(&e), "connect failed");
                    (Attempt::ConnectFailed, Last::Connect(e))
                }
                Err(AttemptFailure::NoAnswer { message, source }) => {
                    tracing::debug!(attempt = attempts, latency_ms, %message, "no answer");
                    (Attempt::NoAnswer, Last::NoAnswer { message, source })
                }
                Err(AttemptFailure::Redirected { status, to }) => {
                    tracing::debug!(attempt = attempts, status, latency_ms, %to, "answer came from another URL");
                    let mut api = ApiError::new(inner.provider, status, ErrorKind::Redirect, "");
                    api.message = format!(
                        "the HTTP client followed a redirect to {to}; walletkit never follows redirects \
                         (credentials would be forwarded): build your client with redirect::Policy::none()"
                    );
                    (Attempt::Redirected, Last::Answer { api })
                }
                Err(AttemptFailure::TooLarge { status, limit }) => {
                    report(Some(status), latency, AttemptOutcome::Failed);
                    span.record("walletkit.outcome", "too_large");
                    let resp = RawResponse {
                        provider: inner.provider,
                        status,
                        headers: HeaderMap::new(),
                        body: Vec::new(),
                        // Only a 2xx was accepted; an oversized error answer is a plain decode error.
                        accepted: (side_effects && (200..300).contains(&status)).then(|| Box::new(Sent::from(req))),
                        secrets: inner.secrets.clone(),
                    };
                    return Err(resp.unreadable(None, format!("response body exceeds the {limit}-byte cap")));
                }
            };

            let status = match attempt {
                Attempt::Status { status, .. } => Some(status),
                _ => None,
            };
            let progress = Progress {
                retries_done,
                elapsed: started.elapsed(),
                idempotent,
                budget_left: inner.budget.can_afford(attempt),
            };
            match decide::next_step(&policy, progress, attempt, retry::jitter) {
                Step::Retry(delay) if inner.budget.withdraw(attempt) => {
                    report(status, latency, AttemptOutcome::Retry);
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    tracing::debug!(attempt = attempts, "retry.delay_ms" = delay_ms, "retrying");
                    tokio::time::sleep(delay).await;
                    retries_done += 1;
                }
                step => {
                    report(status, latency, AttemptOutcome::Failed);
                    let ending = decide::ending(attempt, side_effects);
                    span.record("http.request.resend_count", attempts - 1);
                    span.record("walletkit.outcome", ending_name(ending));
                    tracing::debug!(attempt = attempts, ?step, "stopping");
                    return Err(self.ending_error(&req, ending, last, first_sent_at));
                }
            }
        }
    }

    /// Waits for the client-side limit of the request's class, traced and
    /// bounded by the call's deadline.
    async fn wait_for_rate_limit(&self, req: &Request, deadline_at: Option<Instant>) -> Result<()> {
        let inner = &*self.inner;
        let Some((class, rate)) = req.rate_class.and_then(|c| Some((c, inner.limits.rate(c)?))) else {
            return Ok(());
        };
        match inner.limiter.acquire(&inner.limit_scope, class, rate, deadline_at).await {
            Ok(waited) => {
                if !waited.is_zero() {
                    let wait_ms = u64::try_from(waited.as_millis()).unwrap_or(u64::MAX);
                    tracing::debug!(class, wait_ms, "waited for the client-side rate limit");
                }
                Ok(())
            }
            Err(Refusal::PastDeadline(wait)) => {
                let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                tracing::debug!(class, wait_ms, "rate limit wait passes the deadline");
                Err(Error::LocalRateLimit { provider: inner.provider, class: class.to_string(), wait })
            }
            Err(Refusal::Unavailable(message)) => {
                tracing::warn!(class, %message, "shared rate limiter unavailable; not sent");
                Err(Error::RateLimiterUnavailable { provider: inner.provider, message })
            }
        }
    }

    /// The error a call ends with, as [`decide::ending`] classified it.
    fn ending_error(&self, req: &Request, ending: Ending, last: Last, first_sent_at: SystemTime) -> Error {
        let provider = self.inner.provider;
        match (ending, last) {
            (Ending::OutcomeUnknown, last) => {
                let cause = match last {
                    Last::Answer { api } => api.to_string(),
                    Last::Connect(e) => error_chain(&e),
                    Last::NoAnswer { message, .. } => message,
                };
                let sent = Sent::from(req.clone());
                tracing::warn!(
                    %provider,
                    method = %sent.method,
                    path = %sent.path,
                    reference = ?sent.reference,
                    idempotency_key = ?sent.idempotency_key,
                    %cause,
                    "outcome unknown; reconcile before resending"
                );
                Error::OutcomeUnknown(Box::new(OutcomeUnknown {
                    provider,
                    method: sent.method,
                    path: sent.path,
                    idempotency_key: sent.idempotency_key,
                    reference: sent.reference,
                    recovery: sent.recovery,
                    cause,
                    first_sent_at,
                    sent_body: req.body.clone(),
                }))
            }
            (_, Last::Answer { api }) => Error::from(api),
            (_, Last::Connect(e)) => Error::Connect { provider, message: error_chain(&e), source: Some(Box::new(e)) },
            (_, Last::NoAnswer { message, source }) => {
                Error::Network { provider, message, source: source.map(|e| Box::new(e) as crate::error::BoxError) }
            }
        }
    }

    /// One attempt: send, then read the whole body under the cap and timeout.
    async fn attempt(&self, req: reqwest::Request, url: &Url) -> Result<(u16, HeaderMap, Vec<u8>), AttemptFailure> {
        let inner = &*self.inner;
        let exchange = async {
            let mut resp = inner.http.execute(req).await.map_err(|e| {
                if e.is_connect() {
                    AttemptFailure::Connect(e)
                } else {
                    AttemptFailure::no_answer(e)
                }
            })?;
            let status = resp.status().as_u16();
            if resp.url() != url {
                let to = resp.url();
                let to = format!("{}://{}{}", to.scheme(), to.host_str().unwrap_or_default(), to.path());
                let to = server_text(&to, &inner.secrets);
                return Err(AttemptFailure::Redirected { status, to });
            }
            let limit = inner.options.max_body_bytes;
            let announced = resp.content_length().unwrap_or(0);
            if announced > limit as u64 {
                return Err(AttemptFailure::TooLarge { status, limit });
            }
            let headers = std::mem::take(resp.headers_mut());
            // Sized once from Content-Length (already capped), not grown chunk by chunk.
            let mut body = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
            while let Some(chunk) = resp.chunk().await.map_err(AttemptFailure::no_answer)? {
                if body.len() + chunk.len() > limit {
                    return Err(AttemptFailure::TooLarge { status, limit });
                }
                body.extend_from_slice(&chunk);
            }
            Ok((status, headers, body))
        };
        match inner.options.attempt_timeout {
            Some(t) => tokio::time::timeout(t, exchange).await.unwrap_or_else(|_| {
                Err(AttemptFailure::NoAnswer { message: format!("timed out after {t:?}"), source: None })
            }),
            None => exchange.await,
        }
    }

    /// The provider's reading of an error answer, its texts cleaned of
    /// credentials, of the client's secrets and of the `token` the attempt
    /// carried, whatever the provider.
    fn api_error(&self, status: u16, headers: &HeaderMap, body: &[u8], token: Option<&SecretString>) -> ApiError {
        let secrets = self.inner.secrets.with_token(token.cloned());
        let mut api = (self.inner.decode_error)(self.inner.provider, status, headers, body).cleaned(&secrets);
        if api.retry_after.is_none() {
            api.retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
        }
        if (300..400).contains(&status) {
            let to = headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(|to| server_text(to, &secrets));
            let to = to.as_deref().unwrap_or("?");
            api.kind = ErrorKind::Redirect;
            api.message = format!("redirect to {to} refused (credentials are never forwarded)");
        }
        api
    }
}

/// The outcome recorded on a call's span.
fn ending_name(ending: Ending) -> &'static str {
    match ending {
        Ending::Success { .. } => "success",
        Ending::ApiError => "api_error",
        Ending::Connect => "connect_error",
        Ending::Network => "network_error",
        Ending::OutcomeUnknown => "outcome_unknown",
    }
}

/// walletkit's own client: no redirects, the connect timeout, the chosen TLS.
/// A loopback base never goes through a proxy (`HTTP_PROXY` and the like):
/// plain HTTP is allowed there only because it never leaves the machine,
/// and a proxy would carry it, `Authorization` included, in cleartext.
fn default_http_client(options: &TransportOptions, base: &Url) -> Result<reqwest::Client> {
    let mut http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if is_loopback(base) {
        http = http.no_proxy();
    }
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    {
        http = http.tls_backend_native();
    }
    if let Some(t) = options.connect_timeout {
        http = http.connect_timeout(t);
    }
    http.build().map_err(|e| Error::Config(format!("HTTP client: {e}")))
}

/// Whether the server may have changed something even though the call failed:
/// any request not idempotent by nature. A keyed request counts too: the key
/// makes our retries safe, but a failed call still needs reconciling (retry
/// with the same key, or look up the caller's reference).
fn may_have_side_effects(req: &Request) -> bool {
    !req.is_idempotent() || req.idempotency_key.is_some()
}

/// HTTPS, or plain HTTP to a loopback host only.
fn check_scheme(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::Config(format!(
            "plain HTTP is refused for non-loopback host `{}`; use https",
            url.host_str().unwrap_or_default()
        ))),
        other => Err(Error::Config(format!("unsupported URL scheme `{other}`"))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn header_name(name: &str) -> Result<HeaderName> {
    HeaderName::try_from(name).map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))
}

fn header_value(value: &str) -> Result<HeaderValue> {
    // The value is not echoed: it may be a credential.
    HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest("a header value has invalid characters".into()))
}

/// The error and its sources on one line (reqwest's top-level message alone
/// says little).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
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

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in ["https://api.example.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"] {
            assert!(check_scheme(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for bad in ["http://api.example.com", "http://10.0.0.1", "ftp://localhost"] {
            assert!(matches!(check_scheme(&Url::parse(bad).unwrap()), Err(Error::Config(_))), "{bad}");
        }
    }
}
