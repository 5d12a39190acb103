//! The MilaCoins fake: HMAC-signed requests with a ±30 s `X-time` window,
//! request logs, currencies, wallets, invoices, hosted payment pages and a
//! seeded, filterable transaction history.

mod auth;
mod callbacks;

pub use callbacks::{CallbackCall, CallbackMethod, InvoiceEnd};
mod error;
mod invoices;
mod listing;
mod logs;
mod page;
mod store;
mod transactions;
mod variants;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use crate::clock::Clock;
use crate::config::MilaCoinsConfig;
use crate::faults::{self, FaultCounts, FaultState, Faults};
use crate::json::{obj, respond};

/// Shared state of the fake.
pub(crate) struct MilaCoins {
    api_key: String,
    secret_key: String,
    time_window: Duration,
    clock_skew: TimeDelta,
    callback_method: CallbackMethod,
    base_url: String,
    store: Mutex<store::Store>,
    log: Mutex<logs::Log>,
    faults: Arc<FaultState>,
    clock: Arc<Clock>,
}

impl MilaCoins {
    /// The server clock: the sandbox clock plus the configured skew.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now() + self.clock_skew
    }

    /// The clock the signature window and `Date` use: real time plus the
    /// configured skew, since a caller's `X-time` cannot follow the sandbox
    /// clock's advances.
    pub(crate) fn wall_now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_skew
    }

    fn store(&self) -> MutexGuard<'_, store::Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

async fn currencies() -> Response {
    respond(StatusCode::OK, &obj! {"currencies": store::CURRENCIES})
}

async fn wallets() -> Response {
    respond(StatusCode::OK, &obj! {"wallets": store::WALLETS})
}

/// Builds the state and the router for a fake served at `base_url`.
pub(crate) fn build(config: &MilaCoinsConfig, base_url: &str, clock: Arc<Clock>) -> (Arc<MilaCoins>, Router) {
    let mc = Arc::new(MilaCoins {
        api_key: config.api_key.clone(),
        secret_key: config.secret_key.clone(),
        time_window: config.time_window,
        clock_skew: TimeDelta::seconds(config.clock_skew_secs),
        callback_method: config.callback_method,
        base_url: base_url.to_owned(),
        store: Mutex::new(store::Store::seed()),
        log: Mutex::new(logs::Log::new()),
        faults: FaultState::new(config.faults.clone(), error::render_fault, &[]),
        clock,
    });
    let api = Router::new()
        .route("/logs", get(logs::list))
        .route("/logs/{id}", get(logs::get))
        .route("/currencies", get(currencies))
        .route("/wallets", get(wallets))
        .route("/invoices", post(invoices::create))
        .route("/invoices/payment-page", post(invoices::create_page))
        .route("/transactions", get(transactions::list))
        .route("/transactions/", get(transactions::list))
        .route("/transactions/{id}", get(transactions::get))
        .route_layer(from_fn_with_state(mc.faults.clone(), faults::middleware))
        .fallback(error::not_found)
        .layer(from_fn_with_state(mc.clone(), auth::verify))
        .layer(from_fn_with_state(mc.clone(), auth::date_header))
        .layer(from_fn_with_state(mc.clone(), logs::record))
        // Outside the log: the log keeps the plain answers.
        .layer(from_fn_with_state(
            crate::variants::Variants::new(mc.faults.clone(), variants::respell),
            crate::variants::middleware,
        ))
        .with_state(mc.clone());
    // The hosted page is opened by a browser, without the X-headers: outside
    // the signature check and the API's request log.
    let router = Router::new().route("/pay/{id}", get(page::show)).with_state(mc.clone()).merge(api);
    (mc, router)
}

/// An invoice or payment page created through the MilaCoins fake.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MilaCoinsInvoice {
    /// The transaction id.
    pub id: String,
    /// `invoice` or `paymentPage`.
    pub kind: String,
    /// The caller's `externalID`.
    pub external_id: Option<String>,
    /// Invoice amount.
    pub amount: Decimal,
    /// Invoice currency.
    pub currency: String,
    /// Receiving wallet.
    pub wallet: String,
    /// Payment pages: `cancelUrl` exactly as sent.
    pub cancel_url: Option<String>,
    /// Payment pages: `completedUrl` exactly as sent.
    pub completed_url: Option<String>,
    /// Payment pages: `callbackUrl` exactly as sent.
    pub callback_url: Option<String>,
}

/// A running MilaCoins fake: its address, credentials and state.
#[derive(Clone)]
pub struct MilaCoinsSandbox {
    pub(crate) base_url: String,
    pub(crate) state: Arc<MilaCoins>,
}

impl fmt::Debug for MilaCoinsSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MilaCoinsSandbox").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl MilaCoinsSandbox {
    /// Scheme, host and port (`MILACOINS_BASE_URL`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `X-api-key` value (`MILACOINS_API_KEY`).
    pub fn api_key(&self) -> &str {
        &self.state.api_key
    }

    /// The HMAC secret (`MILACOINS_SECRET_KEY`).
    pub fn secret_key(&self) -> &str {
        &self.state.secret_key
    }

    /// The server clock, skew included.
    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// All transactions, seeded and created.
    pub fn transaction_count(&self) -> usize {
        self.state.store().txns.len()
    }

    /// Invoices and payment pages created through the API, oldest first.
    pub fn invoices(&self) -> Vec<MilaCoinsInvoice> {
        self.state
            .store()
            .txns
            .iter()
            .filter(|t| t.created_by_api)
            .map(|t| MilaCoinsInvoice {
                id: t.id.clone(),
                kind: t.kind.to_owned(),
                external_id: t.external_id.clone(),
                amount: t.invoice_amount,
                currency: t.invoice_currency.clone(),
                wallet: t.wallet.clone(),
                cancel_url: t.page_urls.as_ref().map(|u| u.cancel.clone()),
                completed_url: t.page_urls.as_ref().map(|u| u.completed.clone()),
                callback_url: t.page_urls.as_ref().and_then(|u| u.callback.clone()),
            })
            .collect()
    }

    /// How many invoices and payment pages created through the API carry
    /// `external_id` (more than one is a duplicate).
    pub fn invoices_with_external_id(&self, external_id: &str) -> usize {
        self.state
            .store()
            .txns
            .iter()
            .filter(|t| t.created_by_api && t.external_id.as_deref() == Some(external_id))
            .count()
    }

    /// How many requests have been logged (at most the last 5,000 are kept).
    pub fn log_count(&self) -> usize {
        self.state.log.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// The fault switches in force.
    pub fn faults(&self) -> Faults {
        self.state.faults.get()
    }

    /// Replaces the fault switches (per-endpoint counters restart).
    pub fn set_faults(&self, faults: Faults) {
        self.state.faults.set(faults);
    }

    /// Faults injected so far.
    pub fn fault_counts(&self) -> FaultCounts {
        self.state.faults.counts()
    }
}
