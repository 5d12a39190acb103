//! Settings every client shares: timeouts, retries, body cap, rate limits.

use std::time::Duration;

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
