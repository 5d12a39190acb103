//! When to retry and how long to wait: one pure decision function, a policy,
//! and a per-client retry budget.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

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

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The server answered with this status.
    Status { status: u16, retry_after: Option<Duration> },
    /// The connection was never established: nothing was sent.
    ConnectFailed,
    /// The request went out and no full answer came back.
    NoAnswer,
}

/// The decision for the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Return this outcome to the caller.
    Stop,
    /// Retry after a jittered backoff of at most this long.
    Backoff(Duration),
    /// Retry after exactly this long (the server's `Retry-After`).
    Wait(Duration),
    /// The server asked for a longer wait than the policy allows: return it.
    WaitTooLong,
}

/// Decides whether to retry after `retries_done` retries.
///
/// 429 is retried for every method (the server did not process it), connect
/// failures too (nothing was sent); 5xx and lost answers only when the request
/// is idempotent.
pub(crate) fn decide(policy: &RetryPolicy, retries_done: u32, idempotent: bool, attempt: Attempt) -> Decision {
    let retry_after = match attempt {
        Attempt::Status { status, retry_after } => {
            let retryable = status == 429 || (idempotent && matches!(status, 500 | 502 | 503 | 504));
            if !retryable {
                return Decision::Stop;
            }
            retry_after
        }
        Attempt::ConnectFailed => None,
        Attempt::NoAnswer if idempotent => None,
        Attempt::NoAnswer => return Decision::Stop,
    };
    if let Some(wait) = retry_after {
        if wait > policy.max_retry_after {
            return Decision::WaitTooLong;
        }
    }
    if retries_done >= policy.max_retries {
        return Decision::Stop;
    }
    match retry_after {
        Some(wait) => Decision::Wait(wait),
        None => Decision::Backoff(backoff_ceiling(policy, retries_done)),
    }
}

/// `base * 2^retries`, capped.
fn backoff_ceiling(policy: &RetryPolicy, retries_done: u32) -> Duration {
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

    /// Takes the cost of one retry; false when the budget is spent.
    pub(crate) fn withdraw(&self, attempt: Attempt) -> bool {
        let cost = match attempt {
            Attempt::NoAnswer => Self::NO_ANSWER_COST,
            _ => Self::RETRY_COST,
        };
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
    use Attempt::*;
    use Decision::*;

    fn status(code: u16) -> Attempt {
        Status { status: code, retry_after: None }
    }
    fn status_after(code: u16, secs: u64) -> Attempt {
        Status { status: code, retry_after: Some(Duration::from_secs(secs)) }
    }
    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn decision_table() {
        let p = RetryPolicy::default();
        #[rustfmt::skip]
        let table: &[(u32, bool, Attempt, Decision)] = &[
            // retries done, idempotent, outcome, decision
            (0, false, status(429), Backoff(S(1))),
            (1, false, status(429), Backoff(S(2))),
            (2, true, status(429), Backoff(S(4))),
            (3, true, status(429), Stop),
            (0, false, status_after(429, 7), Wait(S(7))),
            (0, true, status_after(503, 2), Wait(S(2))),
            (0, false, status_after(429, 60), Wait(S(60))),
            (0, false, status_after(429, 61), WaitTooLong),
            (3, false, status_after(429, 61), WaitTooLong),
            (0, true, status(500), Backoff(S(1))),
            (0, true, status(502), Backoff(S(1))),
            (0, true, status(503), Backoff(S(1))),
            (0, true, status(504), Backoff(S(1))),
            (0, false, status(500), Stop),
            (0, false, status(503), Stop),
            (0, true, status(501), Stop),
            (0, true, status(400), Stop),
            (0, true, status(401), Stop),
            (0, true, status(404), Stop),
            (0, false, ConnectFailed, Backoff(S(1))),
            (2, false, ConnectFailed, Backoff(S(4))),
            (3, false, ConnectFailed, Stop),
            (0, true, NoAnswer, Backoff(S(1))),
            (0, false, NoAnswer, Stop),
        ];
        for (i, (done, idem, attempt, want)) in table.iter().enumerate() {
            assert_eq!(decide(&p, *done, *idem, *attempt), *want, "row {i}: {attempt:?}");
        }
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy::default().max_retries(40);
        assert_eq!(decide(&p, 10, true, status(500)), Backoff(S(20)));
        assert_eq!(decide(&p, 35, true, status(500)), Backoff(S(20)));
    }

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
