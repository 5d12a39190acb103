//! Every way a call goes on or ends, decided in one place by pure functions
//! of what happened, so the rules that keep money safe are tables with
//! tests, not only end-to-end behaviour. The send loop in `transport` only
//! carries the decisions out.

use std::time::Duration;

use super::retry::{backoff_ceiling, RetryPolicy};

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The server answered with this status (any status, 2xx included).
    Status { status: u16, retry_after: Option<Duration> },
    /// The connection was never established: nothing was sent.
    ConnectFailed,
    /// The request went out and no full answer came back.
    NoAnswer,
    /// A caller's HTTP client followed a redirect: the answer came from
    /// another URL, which may have acted on the request.
    Redirected,
}

/// Where a call stands when an attempt has failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Progress {
    /// Retries already made.
    pub retries_done: u32,
    /// Time since the call started.
    pub elapsed: Duration,
    /// Whether sending the request twice has the effect of sending it once.
    pub idempotent: bool,
    /// Whether the client's retry budget affords one more retry.
    pub budget_left: bool,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Send again after this delay.
    Retry(Duration),
    /// End the call with [`ending`]'s error.
    Stop(StopReason),
}

/// Why a call stops retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopReason {
    /// The failure is not one a retry can fix (or could repeat a side effect).
    NotRetryable,
    /// The policy's retries are used up.
    RetriesExhausted,
    /// The server asked for a longer wait than the policy sleeps.
    WaitTooLong,
    /// Waiting would pass the call's deadline.
    Deadline,
    /// The client's retry budget is spent.
    BudgetSpent,
}

/// Decides whether to retry after a failed attempt.
///
/// 429 is retried for every method (the server did not process it), connect
/// failures too (nothing was sent); 5xx and lost answers only when the request
/// is idempotent. `draw` turns a backoff ceiling into the jittered delay.
pub(crate) fn next_step(
    policy: &RetryPolicy,
    progress: Progress,
    attempt: Attempt,
    draw: impl FnOnce(Duration) -> Duration,
) -> Step {
    let retry_after = match attempt {
        Attempt::Status { status, retry_after } => {
            let retryable = status == 429 || (progress.idempotent && matches!(status, 500 | 502 | 503 | 504));
            if !retryable {
                return Step::Stop(StopReason::NotRetryable);
            }
            retry_after
        }
        Attempt::ConnectFailed => None,
        Attempt::NoAnswer if progress.idempotent => None,
        Attempt::NoAnswer | Attempt::Redirected => return Step::Stop(StopReason::NotRetryable),
    };
    if retry_after.is_some_and(|wait| wait > policy.max_retry_after) {
        return Step::Stop(StopReason::WaitTooLong);
    }
    if progress.retries_done >= policy.max_retries {
        return Step::Stop(StopReason::RetriesExhausted);
    }
    let delay = match retry_after {
        Some(wait) => wait,
        None => draw(backoff_ceiling(policy, progress.retries_done)),
    };
    // Checked: a server's `Retry-After` may be as long as a `u64` of seconds.
    if policy.deadline.is_some_and(|deadline| progress.elapsed.checked_add(delay).is_none_or(|end| end > deadline)) {
        return Step::Stop(StopReason::Deadline);
    }
    if !progress.budget_left {
        return Step::Stop(StopReason::BudgetSpent);
    }
    Step::Retry(delay)
}

/// Whether an error answer proves the server refused the request without
/// acting on it, so credentials renewed after it (a new token, a re-signed
/// clock) may send it again: a 4xx. A 5xx proves nothing, whatever code
/// its body carries.
pub(crate) fn refused_unacted(status: u16) -> bool {
    (400..500).contains(&status)
}

/// How a call ends, given its last attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// A 2xx. With `side_effects`, an answer that cannot be read is
    /// accepted-but-unreadable (the server acted), never a plain decode error.
    Success { side_effects: bool },
    /// The API's error answer.
    ApiError,
    /// Nothing was sent: safe to retry later.
    Connect,
    /// An idempotent request lost its answer: safe to retry later.
    Network,
    /// A request with side effects lost its answer or met a server failure
    /// (500, 502, 504, or 503 without `Retry-After`), which does not prove the
    /// server did nothing: reconcile, never resend blindly.
    OutcomeUnknown,
}

/// The ending of a call whose last attempt was `attempt`. `side_effects`:
/// the request may change something (not idempotent by nature, or keyed).
pub(crate) fn ending(attempt: Attempt, side_effects: bool) -> Ending {
    match attempt {
        Attempt::Status { status: 200..=299, .. } => Ending::Success { side_effects },
        Attempt::Status { status: 500 | 502 | 504, .. } | Attempt::Status { status: 503, retry_after: None }
            if side_effects =>
        {
            Ending::OutcomeUnknown
        }
        // A redirect answering a request with side effects (a 303 after a
        // POST is the server saying "done, look there") does not prove
        // that nothing happened.
        Attempt::Status { status: 300..=399, .. } if side_effects => Ending::OutcomeUnknown,
        Attempt::Status { .. } => Ending::ApiError,
        Attempt::ConnectFailed => Ending::Connect,
        Attempt::NoAnswer | Attempt::Redirected if side_effects => Ending::OutcomeUnknown,
        Attempt::NoAnswer => Ending::Network,
        Attempt::Redirected => Ending::ApiError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Attempt::*;
    use Step::*;
    use StopReason::*;

    fn status(code: u16) -> Attempt {
        Status { status: code, retry_after: None }
    }
    fn status_after(code: u16, secs: u64) -> Attempt {
        Status { status: code, retry_after: Some(Duration::from_secs(secs)) }
    }
    const S: fn(u64) -> Duration = Duration::from_secs;

    fn progress(retries_done: u32, idempotent: bool) -> Progress {
        Progress { retries_done, elapsed: Duration::ZERO, idempotent, budget_left: true }
    }

    #[test]
    fn retry_table() {
        let p = RetryPolicy::default();
        #[rustfmt::skip]
        let table: &[(u32, bool, Attempt, Step)] = &[
            // retries done, idempotent, outcome, step (backoff drawn at its ceiling)
            (0, false, status(429), Retry(S(1))),
            (1, false, status(429), Retry(S(2))),
            (2, true, status(429), Retry(S(4))),
            (3, true, status(429), Stop(RetriesExhausted)),
            (0, false, status_after(429, 7), Retry(S(7))),
            (0, true, status_after(503, 2), Retry(S(2))),
            (0, false, status_after(429, 60), Retry(S(60))),
            (0, false, status_after(429, 61), Stop(WaitTooLong)),
            (3, false, status_after(429, 61), Stop(WaitTooLong)),
            (0, true, status(500), Retry(S(1))),
            (0, true, status(502), Retry(S(1))),
            (0, true, status(503), Retry(S(1))),
            (0, true, status(504), Retry(S(1))),
            (0, false, status(500), Stop(NotRetryable)),
            (0, false, status(503), Stop(NotRetryable)),
            (0, true, status(501), Stop(NotRetryable)),
            (0, true, status(400), Stop(NotRetryable)),
            (0, true, status(401), Stop(NotRetryable)),
            (0, true, status(404), Stop(NotRetryable)),
            (0, false, ConnectFailed, Retry(S(1))),
            (2, false, ConnectFailed, Retry(S(4))),
            (3, false, ConnectFailed, Stop(RetriesExhausted)),
            (0, true, NoAnswer, Retry(S(1))),
            (0, false, NoAnswer, Stop(NotRetryable)),
            (0, true, Redirected, Stop(NotRetryable)),
            (0, false, Redirected, Stop(NotRetryable)),
        ];
        for (i, (done, idem, attempt, want)) in table.iter().enumerate() {
            assert_eq!(next_step(&p, progress(*done, *idem), *attempt, |c| c), *want, "row {i}: {attempt:?}");
        }
    }

    #[test]
    fn backoff_is_capped_and_jitter_is_applied() {
        let p = RetryPolicy::default().max_retries(40);
        assert_eq!(next_step(&p, progress(10, true), status(500), |c| c), Retry(S(20)));
        assert_eq!(next_step(&p, progress(35, true), status(500), |c| c), Retry(S(20)));
        assert_eq!(next_step(&p, progress(2, true), status(500), |c| c / 2), Retry(S(2)));
    }

    #[test]
    fn deadline_and_budget_stop_a_retry_that_would_otherwise_happen() {
        let p = RetryPolicy::default().deadline(Some(S(10)));
        let at = |elapsed: u64| Progress { elapsed: S(elapsed), ..progress(0, true) };
        assert_eq!(next_step(&p, at(9), status(500), |c| c), Retry(S(1)));
        assert_eq!(next_step(&p, at(9), status_after(429, 2), |c| c), Stop(Deadline));
        assert_eq!(next_step(&p, at(10), ConnectFailed, |c| c), Stop(Deadline));
        let unbounded = RetryPolicy::default().deadline(None);
        assert_eq!(next_step(&unbounded, at(10_000), status(500), |c| c), Retry(S(1)));
        let broke = Progress { budget_left: false, ..progress(0, true) };
        assert_eq!(next_step(&p, broke, status(500), |c| c), Stop(BudgetSpent));
        // A refusal is a refusal whatever the budget.
        assert_eq!(next_step(&p, broke, status(400), |c| c), Stop(NotRetryable));
    }

    /// A `Retry-After` as long as a `u64` of seconds, after a slow attempt,
    /// with the cap raised: no overflow, the deadline still decides.
    #[test]
    fn a_huge_retry_after_is_weighed_without_overflow() {
        let raised = RetryPolicy::default().max_retry_after(Duration::MAX).deadline(Some(Duration::MAX));
        let slow = Progress { elapsed: S(30), ..progress(0, false) };
        for wait in [Duration::MAX, S(u64::MAX), Duration::MAX - S(29)] {
            let huge = Status { status: 429, retry_after: Some(wait) };
            assert_eq!(next_step(&raised, slow, huge, |c| c), Stop(Deadline), "{wait:?}");
        }
        let unbounded = raised.deadline(None);
        let huge = Status { status: 429, retry_after: Some(Duration::MAX) };
        assert_eq!(next_step(&unbounded, slow, huge, |c| c), Retry(Duration::MAX));
    }

    #[test]
    fn only_a_4xx_proves_nothing_was_done() {
        assert!([400, 401, 403, 429, 499].into_iter().all(refused_unacted));
        assert!(![200, 303, 500, 502, 503, 504].into_iter().any(refused_unacted));
    }

    /// The money-safety table: with side effects, nothing that might have
    /// acted is ever reported as safe to send again.
    #[test]
    fn ending_table() {
        #[rustfmt::skip]
        let table: &[(Attempt, bool, Ending)] = &[
            (status(200), false, Ending::Success { side_effects: false }),
            (status(201), true, Ending::Success { side_effects: true }),
            (status(204), true, Ending::Success { side_effects: true }),
            (status(400), true, Ending::ApiError),
            (status(401), false, Ending::ApiError),
            (status(409), true, Ending::ApiError),
            (status(429), true, Ending::ApiError),
            (status(500), true, Ending::OutcomeUnknown),
            (status(502), true, Ending::OutcomeUnknown),
            (status(504), true, Ending::OutcomeUnknown),
            (status(503), true, Ending::OutcomeUnknown),
            (status_after(503, 5), true, Ending::ApiError),
            (status(501), true, Ending::ApiError),
            (status(500), false, Ending::ApiError),
            (status(503), false, Ending::ApiError),
            (status(302), true, Ending::OutcomeUnknown),
            (status(303), true, Ending::OutcomeUnknown),
            (status(307), true, Ending::OutcomeUnknown),
            (status(303), false, Ending::ApiError),
            (ConnectFailed, true, Ending::Connect),
            (ConnectFailed, false, Ending::Connect),
            (NoAnswer, true, Ending::OutcomeUnknown),
            (NoAnswer, false, Ending::Network),
            (Redirected, true, Ending::OutcomeUnknown),
            (Redirected, false, Ending::ApiError),
        ];
        for (i, (attempt, side_effects, want)) in table.iter().enumerate() {
            assert_eq!(ending(*attempt, *side_effects), *want, "row {i}: {attempt:?} side effects {side_effects}");
        }
    }
}
