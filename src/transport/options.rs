//! Settings every client shares: timeouts, retries, body cap, rate limits.

use std::time::Duration;

use super::call_headers::CallHeaders;
use super::hook::Hook;
use super::ratelimit::RateLimits;
use super::retry::RetryPolicy;

/// Transport settings common to every client; set them through the client's
/// builder ([`ClientBuilder`](crate::client::ClientBuilder)).
#[derive(Debug, Clone)]
pub struct TransportOptions {
    pub(crate) retry: RetryPolicy,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    /// No byte of an answer's body for this long ends the attempt.
    pub(crate) read_idle_timeout: Option<Duration>,
    /// How long walletkit's own client keeps an unused connection.
    pub(crate) pool_idle_timeout: Option<Duration>,
    pub(crate) max_body_bytes: usize,
    pub(crate) rate_limits: RateLimits,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) hook: Option<Hook>,
    pub(crate) limiter: Option<std::sync::Arc<dyn super::ratelimit::RateLimiter>>,
    /// Where money calls are stored before they are sent.
    pub(crate) journal: Option<super::Journaling>,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            retry: RetryPolicy::default(),
            connect_timeout: Some(Duration::from_secs(5)),
            attempt_timeout: Some(Duration::from_secs(30)),
            read_idle_timeout: Some(DEFAULT_READ_IDLE_TIMEOUT),
            pool_idle_timeout: Some(DEFAULT_POOL_IDLE_TIMEOUT),
            max_body_bytes: 8 * 1024 * 1024,
            rate_limits: RateLimits::default(),
            http_client: None,
            user_agent_suffix: None,
            hook: None,
            limiter: None,
            journal: None,
        }
    }
}

/// How long walletkit's own client keeps an idle connection: well below the
/// idle timeouts of the load balancers in front of APIs (AWS ALB 60 s,
/// nginx 75 s), so the client, not the far side, closes it, and a request
/// is never written on a socket the far side is closing.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// How long an answer's body may go without a byte before the attempt ends.
pub const DEFAULT_READ_IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// Settings for the calls made through one client handle, overriding the
/// client's: `client.with_call_options(CallOptions::new().deadline(..))`
/// returns a cheap handle sharing the pool, limiter and credentials.
///
/// A retry policy set on a raw [`crate::Request`] still wins for that request;
/// the deadline here applies to it too.
///
/// ```
/// use std::time::Duration;
/// use walletkit::CallOptions;
///
/// let options = CallOptions::new()
///     .attempt_timeout(Some(Duration::from_secs(5)))
///     .header("X-Correlation-Id", "order-1234")?;
/// // Credentials and idempotency keys are walletkit's to set:
/// assert!(CallOptions::new().header("Authorization", "Bearer x").is_err());
/// assert!(CallOptions::new().header("X-Note", "two\r\nlines").is_err());
/// # Ok::<(), walletkit::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    retry: Option<RetryPolicy>,
    deadline: Option<Option<Duration>>,
    attempt_timeout: Option<Option<Duration>>,
    headers: CallHeaders,
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

    /// The timeout of each attempt of these calls, from sending to the last
    /// body byte, instead of the client's (`None`: unbounded).
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Adds a header to every request of these calls (a correlation id, a
    /// tenant tag), replacing one of the same name added before.
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) for an invalid name or value
    /// (CR, LF and other control characters included), and for a header
    /// walletkit sets itself: credentials (`Authorization`, cookies), any
    /// `*idempotency*` name, and the framing ones (`Host`, `Content-Length`,
    /// `Content-Type`...). A header that the request itself or the provider's
    /// signing carries (`X-Sig`, `X-Api-Key`...) is refused when the call is
    /// made, before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> crate::Result<Self> {
        self.headers.add(name, value)?;
        Ok(self)
    }

    /// `later`'s settings over these.
    pub(crate) fn merged(&self, later: CallOptions) -> Self {
        CallOptions {
            retry: later.retry.or(self.retry),
            deadline: later.deadline.or(self.deadline),
            attempt_timeout: later.attempt_timeout.or(self.attempt_timeout),
            headers: self.headers.merged(later.headers),
        }
    }

    /// The attempt timeout: these options', else the client's.
    pub(crate) fn attempt_timeout_or(&self, client: Option<Duration>) -> Option<Duration> {
        self.attempt_timeout.unwrap_or(client)
    }

    /// The extra headers of these calls.
    pub(crate) fn headers(&self) -> &CallHeaders {
        &self.headers
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
