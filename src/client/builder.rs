//! One builder for every client: the shared transport settings as ordinary
//! methods; each provider adds its credential setters in its own module.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::{Api, Built, Client};
use crate::error::{Error, Result};
use crate::transport::hook::Hook;
use crate::transport::{Transport, TransportConfig};
use crate::{env, AttemptHook, Rate, RateClass, RateLimiter, RetryPolicy, TransportOptions};

/// Builds a [`Client`] of API `A` (each provider names its own:
/// `XClientBuilder` is `ClientBuilder<XApi>`). `Out` is what `build()` makes: the client,
/// unless a provider builds something else with the same settings.
pub struct ClientBuilder<A: Api, Out = Client<A>> {
    pub(crate) base_url: Option<String>,
    pub(crate) options: TransportOptions,
    pub(crate) settings: A::Settings,
    out: PhantomData<fn() -> Out>,
}

/// The settings, credentials redacted.
impl<A: Api, Out> fmt::Debug for ClientBuilder<A, Out> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("provider", &A::PROVIDER)
            .field("base_url", &self.base_url)
            .field("settings", &self.settings)
            .field("options", &self.options)
            .finish()
    }
}

impl<A: Api> ClientBuilder<A> {
    /// Builds the client; nothing is sent until the first call.
    ///
    /// # Errors
    /// [`Error::Config`] without credentials, without a base URL where the
    /// provider documents no public host, or with a bad or plain-HTTP base URL.
    pub fn build(self) -> Result<Client<A>> {
        let base_url = self.resolved_base_url()?;
        let wiring = A::connect(self.settings, &base_url, &self.options)?;
        let transport = Transport::new(TransportConfig {
            provider: A::PROVIDER,
            limit_scope: wiring.limit_scope,
            base_url: &base_url,
            auth: wiring.auth,
            secrets: wiring.secrets,
            options: self.options,
            decode_error: A::DECODE_ERROR,
        })?;
        A::attach(&wiring.state, Built(&transport));
        Ok(Client { transport, state: wiring.state })
    }
}

impl<A: Api, Out> ClientBuilder<A, Out> {
    /// A builder with the provider's default settings and rate limits.
    pub(crate) fn new() -> Self {
        ClientBuilder {
            base_url: None,
            options: TransportOptions { rate_limits: A::default_rate_limits(), ..TransportOptions::default() },
            settings: A::Settings::default(),
            out: PhantomData,
        }
    }

    /// This builder with the credentials and base URL of [`Api::ENV`].
    pub(crate) fn with_env_vars(mut self) -> Result<Self> {
        let values = A::ENV.credentials.iter().map(|name| env::required(name)).collect::<Result<Vec<_>>>()?;
        A::env_credentials(&mut self.settings, values);
        match env::optional(A::ENV.base_url) {
            Some(url) => self.base_url = Some(url),
            None if A::default_base_url(&self.settings).is_none() => {
                return Err(Error::Config(format!(
                    "environment variable {} is not set; {} documents no public host, so a base URL is required",
                    A::ENV.base_url,
                    A::NAME
                )))
            }
            None => {}
        }
        Ok(self)
    }

    /// The base URL set, else the provider's default.
    ///
    /// # Errors
    /// [`Error::Config`] when neither exists.
    pub(crate) fn resolved_base_url(&self) -> Result<String> {
        match (&self.base_url, A::default_base_url(&self.settings)) {
            (Some(url), _) => Ok(url.clone()),
            (None, Some(url)) => Ok(url.to_string()),
            (None, None) => Err(Error::Config(format!(
                "{} documents no public host: a base URL is required (call base_url(..) or set {})",
                A::NAME,
                A::ENV.base_url
            ))),
        }
    }

    /// Overrides the base URL (for a sandbox, a proxy, or a test server).
    /// HTTPS is required except for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the retry policy for every call (overridable per request).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// Connect timeout (default 5 s; `None` for none).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.options.connect_timeout = timeout;
        self
    }

    /// Timeout of one attempt, from sending to the last body byte
    /// (default 30 s; `None` for none).
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.options.attempt_timeout = timeout;
        self
    }

    /// How long an answer's body may go without a byte before the attempt
    /// ends (default 10 s; `None` for none), beside the attempt timeout: a
    /// stalled answer fails fast even when the attempt timeout is generous.
    /// It counts from the answer's headers (the server's thinking time
    /// before it answers is the attempt timeout's), holds for a client
    /// passed with [`http_client`](Self::http_client) too, and ends the
    /// attempt like any lost answer: retried when the call is safe to send
    /// again, else [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
    pub fn read_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.options.read_idle_timeout = timeout;
        self
    }

    /// How long walletkit's own HTTP client keeps an unused keep-alive
    /// connection (default 20 s; `None` keeps it until the far side closes
    /// it). Keep it below the idle timeout of whatever is in front of the
    /// API (AWS ALB 60 s, nginx 75 s): a request written on a connection
    /// the far side is closing is lost, and a money call without an
    /// idempotency key then ends as outcome unknown. Ignored when you pass
    /// your own client (set `pool_idle_timeout` on it).
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.options.pool_idle_timeout = timeout;
        self
    }

    /// Largest response body read (default 8 MiB); a larger one is a decode error.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.options.max_body_bytes = bytes;
        self
    }

    /// Turns client-side rate limiting on or off.
    pub fn rate_limits_enabled(mut self, enabled: bool) -> Self {
        self.options.rate_limits.enabled = enabled;
        self
    }

    /// Sends through your own `reqwest::Client` (proxies, custom roots,
    /// pool settings; one client may serve several walletkit clients).
    ///
    /// walletkit's safety rules need it to **not follow redirects**
    /// (`reqwest::redirect::Policy::none()`): a followed redirect would
    /// forward credential headers such as `X-Sig` to another host, so an
    /// answer from any URL but the one requested is refused as an error
    /// (and, for a request with side effects, reported as outcome
    /// unknown). It should not retry by itself either (walletkit's
    /// retries are the idempotency-safe ones). `connect_timeout` and
    /// `pool_idle_timeout` are then yours to set on it (keep the idle one
    /// below your load balancer's); the attempt and read-idle timeouts,
    /// body cap, rate limits and retries still apply. walletkit's own client never proxies a
    /// loopback base URL (plain HTTP would cross the proxy in
    /// cleartext); give yours `.no_proxy()` when it talks to loopback.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http_client = Some(client);
        self
    }

    /// Appended to the `User-Agent` (`walletkit/0.1.0 your-app/2.3`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.options.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Calls `hook` around every attempt (method, route, attempt number;
    /// then status, latency and outcome), for metrics.
    pub fn attempt_hook(mut self, hook: impl AttemptHook + 'static) -> Self {
        self.options.hook = Some(Hook(Arc::new(hook)));
        self
    }

    /// Keeps the client-side limits in `limiter` instead of this
    /// process, e.g. `RedisRateLimiter` (feature `redis`) so every
    /// replica using the same API key shares one window per route class.
    pub fn rate_limiter(mut self, limiter: impl RateLimiter + 'static) -> Self {
        self.options.limiter = Some(Arc::new(limiter));
        self
    }

    /// Sets, or with `None` removes, the client-side limit of one route
    /// class (the provider's `rate_class` module names them).
    pub fn rate_limit(mut self, class: RateClass, rate: Option<Rate>) -> Self {
        self.options.rate_limits.set(class, rate);
        self
    }

    /// Stores every money call in `journal` before its first byte is sent
    /// (the intent, each attempt, the outcome), so a process that dies
    /// mid-call leaves what [`recover`](crate::client::Client::recover)
    /// needs, and a business reference already journaled, by this or any
    /// replica, is never sent again: its stored answer is returned, or its
    /// state as [`Error::Journal`](crate::Error::Journal). Reads are never
    /// journaled. A call holds its intent for `lease` (2 minutes unless set
    /// with [`journal_lease`](Self::journal_lease)); after that, recovery
    /// may take it over.
    pub fn journal(mut self, journal: crate::journal::Journal) -> Self {
        self.options.journal = Some(crate::transport::Journaling::new(journal, JOURNAL_LEASE));
        self
    }

    /// How long a call holds its intent before recovery may take it over:
    /// longer than a call lasts (its retries and waits), short enough that a
    /// dead process's intents are recovered soon. Set after
    /// [`journal`](Self::journal).
    pub fn journal_lease(mut self, lease: Duration) -> Self {
        if let Some(journaling) = &mut self.options.journal {
            journaling.lease = lease;
        }
        self
    }
}

/// How long a call holds its intent unless set: past a default call's
/// four attempts of 30 s and their waits.
const JOURNAL_LEASE: Duration = Duration::from_secs(120);
