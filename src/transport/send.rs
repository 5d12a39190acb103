//! The send loop: one span per call, and attempts until the pure decisions
//! in [`decide`] say stop. This only carries the decisions out, and reports
//! each attempt to the trace and the caller's hook.

use std::time::SystemTime;

use reqwest::header::HeaderMap;
use reqwest::Url;
use secrecy::SecretString;
use tokio::time::Instant;
use tracing::Instrument;

use super::attempt::{Attempted, Failure};
use super::auth::Rejection;
use super::decide::{self, Attempt, Ending, Progress, Step, StopReason};
use super::hook::{AttemptInfo, AttemptOutcome, AttemptReport};
use super::journaled::Sending;
use super::meta;
use super::metrics::{self, Observer};
use super::ratelimit::Refusal;
use super::request::Request;
use super::response::RawResponse;
use super::retry::{self, RetryPolicy};
use super::Transport;
use crate::error::{ApiError, Error, OutcomeUnknown, Provider, Result};
use crate::redact::Secrets;

impl Transport {
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
        // Before the journal hears of it: a refused header sends nothing.
        self.check_call_headers(&req)?;
        meta::begin(&req);
        let call = async {
            let journaled = req.journal_operation.clone().zip(req.reference.as_ref().map(|(_, value)| value.clone()));
            match (&self.inner.options.journal, journaled) {
                (Some(journaling), Some((operation, reference))) => {
                    self.send_journaled(journaling, req, operation, reference).await
                }
                _ => self.execute(req, None).await,
            }
        };
        sync_wrapper::SyncFuture::new(Box::pin(call.instrument(span))).await
    }

    /// The loop: each attempt's result goes to [`decide`], whose step this
    /// carries out. With `journaled`, each attempt is counted in the journal
    /// before it starts, and one the journal refuses is not sent.
    pub(super) async fn execute(&self, req: Request, journaled: Option<&Sending<'_>>) -> Result<RawResponse> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let call = self.call_for(req)?;
        let observer = Observer::new(inner.provider, &call.req, &inner.base);
        let (mut attempts, mut retries_done, mut recovered) = (0u32, 0u32, false);
        loop {
            if let Err(e) = self.wait_for_rate_limit(&call.req, call.deadline_at).await {
                span.record("walletkit.outcome", "not_sent_rate_limit");
                return Err(e);
            }
            if let Some(sending) = journaled {
                sending.before_attempt().await?;
            }
            attempts += 1;
            // Built and signed before the hook hears of it: a request refused
            // here was never an attempt, and every `on_start` gets its `on_end`.
            let mut http_req = self.build_attempt(&call.req, &call.url)?;
            let token_used = if call.req.without_auth { None } else { inner.auth.apply(&mut http_req).await? };
            let (method, route) = (call.req.method.as_str(), call.req.route());
            let info = AttemptInfo { provider: inner.provider, method, route, attempt: attempts };
            if let Some(hook) = &inner.options.hook {
                hook.0.on_start(&info);
            }
            let attempt_started = Instant::now();
            let attempted = self.attempt(http_req, &call.url, token_used.as_ref()).await;
            let latency = attempt_started.elapsed();
            observer.attempt(&attempted, latency);
            meta::observe(inner.provider, &call.req, attempts, &attempted, call.started.elapsed());
            attempted.detail(attempts, &call.url, &inner.secrets);
            let status = attempted.status();
            let failed = attempted.failure();
            let report = |outcome, next: &str| {
                attempt_line(&info, status, failed, latency, next);
                if let Some(hook) = &inner.options.hook {
                    hook.0.on_end(&AttemptReport { info, status, latency, outcome });
                }
            };

            let failure = match attempted {
                Attempted::Success { status, headers, body } => {
                    report(AttemptOutcome::Success, "done");
                    finish(&span, &observer, Some(status), attempts, "success");
                    inner.budget.deposit();
                    let secrets = inner.secrets.with_token(token_used);
                    return Ok(call.answer(inner.provider, status, headers, body, secrets));
                }
                Attempted::TooLarge { status, limit } => {
                    report(AttemptOutcome::Failed, "stop");
                    finish(&span, &observer, Some(status), attempts, "too_large");
                    let resp = call.answer(inner.provider, status, HeaderMap::new(), Vec::new(), inner.secrets.clone());
                    return Err(resp.unreadable(None, format!("response body exceeds the {limit}-byte cap")));
                }
                Attempted::Failed(failure) => failure,
            };
            if let Failure::Answer { api, headers } = &failure {
                if !recovered && self.recover(api, headers, token_used.as_ref()).await {
                    recovered = true;
                    observer.retry(&failure);
                    report(AttemptOutcome::Retry, "retry with renewed credentials");
                    continue;
                }
            }

            let attempt = failure.decided();
            let budget_left = inner.budget.can_afford(attempt);
            let progress =
                Progress { retries_done, elapsed: call.started.elapsed(), idempotent: call.idempotent, budget_left };
            match decide::next_step(&call.policy, progress, attempt, retry::jitter) {
                Step::Retry(delay) if inner.budget.withdraw(attempt) => {
                    observer.retry(&failure);
                    report(AttemptOutcome::Retry, &format!("retry in {} ms", delay.as_millis()));
                    tokio::time::sleep(delay).await;
                    retries_done += 1;
                }
                step => {
                    let stop = match step {
                        Step::Stop(reason) => format!("stop: {}", stop_name(reason)),
                        Step::Retry(_) => format!("stop: {}", stop_name(StopReason::BudgetSpent)),
                    };
                    report(AttemptOutcome::Failed, &stop);
                    let ending = decide::ending(attempt, call.side_effects);
                    finish(&span, &observer, status, attempts, ending_name(ending));
                    return Err(self.ending_error(call, ending, failure));
                }
            }
        }
    }

    /// Everything about a call that its attempts share, fixed before the
    /// first; a malformed idempotency key is refused here, before anything goes out.
    fn call_for(&self, req: Request) -> Result<Call> {
        let policy = self.call.policy(req.retry, self.inner.options.retry);
        let url = self.url_for(&req);
        req.check_idempotency_key()?;
        let started = Instant::now();
        Ok(Call {
            idempotent: req.is_idempotent(),
            side_effects: may_have_side_effects(&req),
            url,
            started,
            sent_at: SystemTime::now(),
            // A deadline past what the clock holds (`Duration::MAX`) is none.
            deadline_at: policy.deadline.and_then(|d| started.checked_add(d)),
            policy,
            req,
        })
    }

    /// Whether credentials renewed after the error answer `api` (a 4xx, which
    /// proves the server did nothing) make sending the request again worth it.
    async fn recover(&self, api: &ApiError, headers: &HeaderMap, token_used: Option<&SecretString>) -> bool {
        let status = api.status;
        decide::refused_unacted(status)
            && self.inner.auth.recover(&Rejection { status, kind: api.kind, headers, token_used }).await
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
                metrics::limiter_wait(inner.provider, class, waited);
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
    fn ending_error(&self, call: Call, ending: Ending, last: Failure) -> Error {
        let provider = self.inner.provider;
        if ending != Ending::OutcomeUnknown {
            return last.into_error(provider);
        }
        let cause = last.cause();
        let sent = call.req.into_sent(call.sent_at);
        // The one warning of an unknown outcome: the call and the reference
        // to reconcile by. The idempotency key and the full cause stay in
        // the error's fields.
        tracing::warn!(
            %provider,
            method = %sent.method,
            route = %sent.route,
            reference = %sent.reference.as_ref().map(|(field, value)| format!("{field}={value}")).unwrap_or_default(),
            cause = %crate::error::brief(&cause, 64),
            "outcome unknown; reconcile before sending again"
        );
        Error::OutcomeUnknown(Box::new(OutcomeUnknown { provider, sent, cause }))
    }
}

/// One call: the request and what its attempts share.
struct Call {
    req: Request,
    url: Url,
    policy: RetryPolicy,
    /// Whether sending the request twice has the effect of sending it once.
    idempotent: bool,
    side_effects: bool,
    started: Instant,
    /// The key's first use, unless this is a resend that carries it.
    sent_at: SystemTime,
    deadline_at: Option<Instant>,
}

impl Call {
    /// The call's answer (a 2xx, or an oversized one read as empty). Only a
    /// 2xx to a request with side effects was accepted: it keeps what was
    /// sent, to reconcile by if the answer cannot be read.
    fn answer(
        self,
        provider: Provider,
        status: u16,
        headers: HeaderMap,
        body: Vec<u8>,
        secrets: Secrets,
    ) -> RawResponse {
        let ending = decide::ending(Attempt::Status { status, retry_after: None }, self.side_effects);
        let accepted = match ending {
            Ending::Success { side_effects: true } => Some(Box::new(self.req.into_sent(self.sent_at))),
            _ => None,
        };
        RawResponse { provider, status, headers, body, accepted, secrets }
    }
}

/// Records how the call ended on its span, once: a field recorded again
/// would be printed again by a formatting subscriber.
fn finish(span: &tracing::Span, observer: &Observer, status: Option<u16>, attempts: u32, outcome: &'static str) {
    if let Some(status) = status {
        span.record("http.response.status_code", status);
    }
    span.record("http.request.resend_count", attempts - 1);
    span.record("walletkit.outcome", outcome);
    observer.end(attempts, outcome);
}

/// One attempt as one short `debug` line: what was asked (method and route
/// template, never a query or an id), what came of it (the status, or the
/// `failure` when there is none or it is not all), how long it took, and
/// what happens next. It is an event of its own, outside the call's span, so
/// a subscriber that prints span fields on every line still prints it short;
/// the detail is at `trace`, inside the span.
fn attempt_line(
    info: &AttemptInfo<'_>,
    status: Option<u16>,
    failure: Option<&str>,
    latency: std::time::Duration,
    next: &str,
) {
    let elapsed_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
    let route = info.route.split(['?', '#']).next().unwrap_or_default();
    let (provider, method, attempt) = (info.provider, info.method, info.attempt);
    match (status, failure) {
        (Some(status), None) => tracing::debug!(
            target: "walletkit",
            parent: None,
            %provider, method, route, status, elapsed_ms, attempt, next, "attempt"
        ),
        (Some(status), Some(failure)) => tracing::debug!(
            target: "walletkit",
            parent: None,
            %provider, method, route, status, failure, elapsed_ms, attempt, next, "attempt"
        ),
        (None, failure) => tracing::debug!(
            target: "walletkit",
            parent: None,
            %provider, method, route, failure = failure.unwrap_or("no answer"), elapsed_ms, attempt, next, "attempt"
        ),
    }
}

/// Why a call stopped, for its last attempt's line.
fn stop_name(reason: StopReason) -> &'static str {
    match reason {
        StopReason::NotRetryable => "not retryable",
        StopReason::RetriesExhausted => "retries used up",
        StopReason::WaitTooLong => "server asks for a longer wait",
        StopReason::Deadline => "deadline",
        StopReason::BudgetSpent => "retry budget spent",
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

/// Whether the server may have changed something even though the call failed:
/// any request not idempotent by nature. A keyed request counts too: the key
/// makes our retries safe, but a failed call still needs reconciling (retry
/// with the same key, or look up the caller's reference).
fn may_have_side_effects(req: &Request) -> bool {
    !req.is_idempotent() || req.idempotency_key.is_some()
}
