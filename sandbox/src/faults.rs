//! Fault switches: 429s, 5xx, dropped connections after successful POSTs,
//! latency, dripped bodies, `variants` (the documents' other plausible readings) and paging
//! misbehaviours.
//!
//! Every trigger counts per endpoint (method plus route template, e.g.
//! `GET /transfers/{id}`) and per fault, so behaviour is deterministic: with
//! [`Trigger::First`] the first request of each endpoint meets the fault and
//! the retry goes through.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::paging::PagingFault;
use crate::server::DropConnection;

/// When a fault fires, counted per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// On the first request of each endpoint only.
    First,
    /// On every Nth request of each endpoint (`Every(1)` is every request,
    /// `Every(3)` a third of them; 0 never fires).
    Every(u32),
}

impl Trigger {
    /// Whether the `n`th (1-based) request meets the fault.
    pub fn fires(self, n: u64) -> bool {
        match self {
            Trigger::First => n == 1,
            Trigger::Every(0) => false,
            Trigger::Every(every) => n.is_multiple_of(u64::from(every)),
        }
    }
}

/// The fault switches of one API. The default injects nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faults {
    /// Answer 429 with `Retry-After` (the request is not processed).
    pub too_many_requests: Option<Trigger>,
    /// The `Retry-After` value, in seconds, of injected 429s (default 1).
    pub retry_after_secs: u32,
    /// Answer 500 before processing (the request is not processed).
    pub server_errors: Option<Trigger>,
    /// Limit injected 500s to `GET` requests.
    pub server_errors_gets_only: bool,
    /// Process a POST, then, when it succeeded (2xx), close the connection
    /// without answering. Only successful POSTs count towards the trigger
    /// (a refused POST is answered and does not consume `First`). Login
    /// requests are never dropped.
    pub drop_after_post: Option<Trigger>,
    /// Added before every request is processed.
    pub latency: Duration,
    /// Added after a request is processed and before its answer is written:
    /// the server has acted while the client still waits, the moment a
    /// client process that dies loses the answer.
    pub answer_latency: Duration,
    /// Send every answer's body [`Faults::drip_bytes`] at a time with this
    /// pause before each piece (headers go at once): a stalled stream, for
    /// read-idle timeouts. The whole body takes about `len / drip_bytes`
    /// pauses.
    pub drip: Option<Duration>,
    /// The size of each dripped piece (default 8 bytes).
    pub drip_bytes: usize,
    /// Serve the plausible alternative readings of the API's document
    /// instead of its plain spelling: both id spellings and alias fields side
    /// by side, amounts as strings (WaaS: as numbers), identifiers as numbers
    /// or strings, unknown extra fields in every object, `null` for absent
    /// optional fields and other timestamp formats. Values stay exactly
    /// equal, and neither state nor validation changes.
    ///
    /// For Milta it also serves our reading of the document's Paging section
    /// where its reference-data example shows none: the reference lists
    /// (countries, currencies, categories, providers, products) are paged
    /// with a `pagination` block, as brands always are, and then lose that
    /// block on odd pages. Without `variants` they answer, as the example
    /// does, every item and no `pagination` block, whatever `page` says.
    pub variants: bool,
    /// Misbehave on every paged list of the API: Milta's brands (and its
    /// reference lists when [`Faults::variants`] pages them), MilaCoins'
    /// `GET /logs` and `GET /transactions`, and Wallets' `GET /api/v1/wallets`.
    pub paging: Option<PagingFault>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            too_many_requests: None,
            retry_after_secs: 1,
            server_errors: None,
            server_errors_gets_only: false,
            drop_after_post: None,
            latency: Duration::ZERO,
            answer_latency: Duration::ZERO,
            drip: None,
            drip_bytes: 8,
            variants: false,
            paging: None,
        }
    }
}

/// How many faults an API has injected so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// 429s answered by [`Faults::too_many_requests`].
    pub too_many_requests: u64,
    /// 500s answered by [`Faults::server_errors`].
    pub server_errors: u64,
    /// Connections closed by [`Faults::drop_after_post`].
    pub dropped: u64,
}

/// Which injected error to render, in the API's own error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Injected {
    TooManyRequests { retry_after_secs: u32 },
    ServerError,
}

/// Renders an injected error in one API's format, for the matched route
/// template (e.g. `/api/v1/wallets/{id}`).
pub(crate) type Render = fn(Injected, &str) -> Response;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Stage {
    RateLimit,
    ServerError,
    Drop,
}

/// Runtime fault state of one API: the switches, counters and totals.
pub(crate) struct FaultState {
    faults: RwLock<Faults>,
    counters: Mutex<HashMap<(Stage, String), u64>>,
    counts: Mutex<FaultCounts>,
    render: Render,
    never_drop: &'static [&'static str],
}

impl FaultState {
    pub(crate) fn new(faults: Faults, render: Render, never_drop: &'static [&'static str]) -> Arc<Self> {
        Arc::new(FaultState {
            faults: RwLock::new(faults),
            counters: Mutex::new(HashMap::new()),
            counts: Mutex::new(FaultCounts::default()),
            render,
            never_drop,
        })
    }

    pub(crate) fn get(&self) -> Faults {
        self.faults.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the switches and restarts the per-endpoint counters.
    pub(crate) fn set(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(PoisonError::into_inner) = faults;
        self.counters.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    pub(crate) fn counts(&self) -> FaultCounts {
        *self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bump(&self, stage: Stage, endpoint: &str) -> u64 {
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let n = counters.entry((stage, endpoint.to_owned())).or_insert(0);
        *n += 1;
        *n
    }

    fn record(&self, f: impl FnOnce(&mut FaultCounts)) {
        f(&mut self.counts.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// The fault middleware; install with `route_layer` so the route is known.
pub(crate) async fn middleware(State(state): State<Arc<FaultState>>, req: Request, next: Next) -> Response {
    let faults = state.get();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let route =
        req.extensions().get::<MatchedPath>().map_or_else(|| req.uri().path().to_owned(), |m| m.as_str().into());
    let method = req.method().clone();
    let endpoint = format!("{method} {route}");

    if let Some(trigger) = faults.too_many_requests {
        if trigger.fires(state.bump(Stage::RateLimit, &endpoint)) {
            state.record(|c| c.too_many_requests += 1);
            return (state.render)(Injected::TooManyRequests { retry_after_secs: faults.retry_after_secs }, &route);
        }
    }
    if let Some(trigger) = faults.server_errors {
        let applies = !faults.server_errors_gets_only || method == Method::GET;
        if applies && trigger.fires(state.bump(Stage::ServerError, &endpoint)) {
            state.record(|c| c.server_errors += 1);
            return (state.render)(Injected::ServerError, &route);
        }
    }
    let droppable = method == Method::POST && !state.never_drop.contains(&route.as_str());
    let mut resp = next.run(req).await;
    // Only a POST that changed state (2xx) counts towards the trigger and
    // loses its answer; a refused one is answered as usual.
    if droppable
        && resp.status().is_success()
        && faults.drop_after_post.is_some_and(|t| t.fires(state.bump(Stage::Drop, &endpoint)))
    {
        state.record(|c| c.dropped += 1);
        resp.extensions_mut().insert(DropConnection);
    }
    if !faults.answer_latency.is_zero() {
        tokio::time::sleep(faults.answer_latency).await;
    }
    if let Some(pause) = faults.drip {
        // Applied by the server, outside every layer that reads the body.
        resp.extensions_mut().insert(crate::drip::Dripping { bytes: faults.drip_bytes, pause });
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_count_per_endpoint() {
        assert!(Trigger::First.fires(1));
        assert!(!Trigger::First.fires(2));
        let every3: Vec<bool> = (1..=6).map(|n| Trigger::Every(3).fires(n)).collect();
        assert_eq!(every3, [false, false, true, false, false, true]);
        assert!(Trigger::Every(1).fires(1));
        assert!(!Trigger::Every(0).fires(1));
    }
}
