//! How a client retries: the policy, backoff and jitter, `Retry-After`, and
//! a per-client retry budget. The decisions themselves are in `decide`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use super::decide::Attempt;

/// How a client retries failed attempts.
///
/// The default follows the providers' guidance: up to 3 retries, exponential
/// backoff from 1 s capped at 20 s, `Retry-After` honoured up to 60 s, and a
/// 2-minute deadline for the whole call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            deadline: Some(Duration::from_secs(120)),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    /// Maximum number of retries after the first attempt.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// First backoff delay; doubled on each retry.
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Upper bound of a backoff delay.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// Longest `Retry-After` to sleep; a longer one is returned to the caller.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Overall time budget for one call including all retries (`None`: unbounded).
    pub fn deadline(mut self, d: Option<Duration>) -> Self {
        self.deadline = d;
        self
    }
}

/// `base * 2^retries`, capped.
pub(crate) fn backoff_ceiling(policy: &RetryPolicy, retries_done: u32) -> Duration {
    let factor = 1u32.checked_shl(retries_done).unwrap_or(u32::MAX);
    policy.base_delay.saturating_mul(factor).min(policy.max_delay)
}

/// A delay drawn uniformly from `[ceiling / 2, ceiling]`.
///
/// Full jitter (`[0, ceiling]`) can retry at once, which hammers a provider
/// that just said it is overloaded; keeping half the delay avoids that while
/// still spreading clients apart.
pub(crate) fn jitter(ceiling: Duration) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(nanos / 2..=nanos))
}

/// Parses `Retry-After` as delay-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A token bucket shared by every clone of a client, as in the AWS SDKs'
/// standard retry mode: each retry spends tokens, each success earns one back,
/// so a failing provider is not hammered by every task at once.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
}

impl RetryBudget {
    const CAPACITY: u32 = 500;
    const RETRY_COST: u32 = 5;
    const NO_ANSWER_COST: u32 = 10;

    pub(crate) fn new() -> Self {
        RetryBudget { tokens: AtomicU32::new(Self::CAPACITY) }
    }

    fn cost(attempt: Attempt) -> u32 {
        match attempt {
            Attempt::NoAnswer => Self::NO_ANSWER_COST,
            _ => Self::RETRY_COST,
        }
    }

    /// Whether one more retry after `attempt` is affordable.
    pub(crate) fn can_afford(&self, attempt: Attempt) -> bool {
        self.tokens.load(Ordering::Acquire) >= Self::cost(attempt)
    }

    /// Takes the cost of one retry; false when the budget is spent.
    pub(crate) fn withdraw(&self, attempt: Attempt) -> bool {
        let cost = Self::cost(attempt);
        self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost)).is_ok()
    }

    /// Earns one token back after a success.
    pub(crate) fn deposit(&self) {
        let _ =
            self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| (t < Self::CAPACITY).then_some(t + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::decide::Attempt;

    fn status(code: u16) -> Attempt {
        Attempt::Status { status: code, retry_after: None }
    }
    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn jitter_stays_within_half_to_full() {
        for _ in 0..1000 {
            let d = jitter(S(4));
            assert!(d >= S(2) && d <= S(4), "{d:?}");
        }
    }

    #[test]
    fn retry_after_as_seconds_and_http_date() {
        let now = SystemTime::UNIX_EPOCH + S(1_700_000_000);
        assert_eq!(parse_retry_after("5", now), Some(S(5)));
        let date = httpdate::fmt_http_date(now + S(30));
        assert_eq!(parse_retry_after(&date, now), Some(S(30)));
        let past = httpdate::fmt_http_date(now - S(30));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn budget_runs_out_and_refills() {
        let b = RetryBudget::new();
        let mut n = 0;
        while b.withdraw(status(500)) {
            n += 1;
        }
        assert_eq!(n, 100);
        for _ in 0..5 {
            b.deposit();
        }
        assert!(b.withdraw(status(500)));
        assert!(!b.withdraw(status(500)));
    }
}
