//! Settings every client shares: timeouts, retries, body cap, rate limits.

use std::time::Duration;

use super::hook::Hook;
use super::ratelimit::RateLimits;
use super::retry::RetryPolicy;

/// Transport settings common to all four clients; set them through each
/// client's builder.
#[derive(Debug, Clone)]
pub struct TransportOptions {
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) max_body_bytes: usize,
    pub(crate) rate_limits: RateLimits,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) hook: Option<Hook>,
    pub(crate) limiter: Option<std::sync::Arc<dyn super::ratelimit::RateLimiter>>,
    /// Login tokens shared across replicas (used by login-based auth).
    #[cfg(feature = "redis")]
    pub(crate) token_cache: Option<super::redis_token_cache::RedisTokenCache>,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            retry: RetryPolicy::default(),
            connect_timeout: Some(Duration::from_secs(5)),
            attempt_timeout: Some(Duration::from_secs(30)),
            max_body_bytes: 8 * 1024 * 1024,
            rate_limits: RateLimits::default(),
            http_client: None,
            user_agent_suffix: None,
            hook: None,
            limiter: None,
            #[cfg(feature = "redis")]
            token_cache: None,
        }
    }
}

/// Settings for the calls made through one client handle, overriding the
/// client's: `client.with_call_options(CallOptions::new().deadline(..))`
/// returns a cheap handle sharing the pool, limiter and credentials.
///
/// A retry policy set on a raw [`crate::Request`] still wins for that request;
/// the deadline here applies to it too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    retry: Option<RetryPolicy>,
    deadline: Option<Option<Duration>>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The retry policy for these calls.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The overall time budget of each call, retries and rate-limit waits
    /// included (`None`: unbounded).
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// `later`'s settings over these.
    pub(crate) fn merged(self, later: CallOptions) -> Self {
        CallOptions { retry: later.retry.or(self.retry), deadline: later.deadline.or(self.deadline) }
    }

    /// The policy a call uses: the request's own, else these options', else
    /// the client's; then this deadline, when set.
    pub(crate) fn policy(&self, request: Option<RetryPolicy>, client: RetryPolicy) -> RetryPolicy {
        let mut policy = request.or(self.retry).unwrap_or(client);
        if let Some(deadline) = self.deadline {
            policy.deadline = deadline;
        }
        policy
    }
}

/// Generates the builder setters shared by every client builder. The builder
/// needs fields `base_url: Option<String>` and `options: TransportOptions`.
#[allow(unused_macros)]
macro_rules! transport_builder_setters {
    () => {
        /// Overrides the base URL (for a sandbox, a proxy, or a test server).
        /// HTTPS is required except for loopback hosts.
        pub fn base_url(mut self, url: impl Into<String>) -> Self {
            self.base_url = Some(url.into());
            self
        }

        /// Sets the retry policy for every call (overridable per request).
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options.retry = policy;
            self
        }

        /// Connect timeout (default 5 s; `None` for none).
        pub fn connect_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.options.connect_timeout = timeout;
            self
        }

        /// Timeout of one attempt, from sending to the last body byte
        /// (default 30 s; `None` for none).
        pub fn attempt_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.options.attempt_timeout = timeout;
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
        /// retries are the idempotency-safe ones). `connect_timeout` is then
        /// yours to set on it; the attempt timeout, body cap, rate limits and
        /// retries still apply. walletkit's own client never proxies a
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
        pub fn attempt_hook(mut self, hook: impl $crate::AttemptHook + 'static) -> Self {
            self.options.hook = Some($crate::transport::hook::Hook(std::sync::Arc::new(hook)));
            self
        }

        /// Keeps the client-side limits in `limiter` instead of this
        /// process, e.g. [`RedisRateLimiter`](crate::RedisRateLimiter) so every
        /// replica using the same API key shares one window per route class.
        pub fn rate_limiter(mut self, limiter: impl $crate::RateLimiter + 'static) -> Self {
            self.options.limiter = Some(std::sync::Arc::new(limiter));
            self
        }

        /// Sets, or with `None` removes, the client-side limit of one route class.
        pub fn rate_limit(mut self, class: $crate::RateClass, rate: Option<$crate::Rate>) -> Self {
            self.options.rate_limits.set(class, rate);
            self
        }
    };
}
#[allow(unused_imports)]
pub(crate) use transport_builder_setters;
