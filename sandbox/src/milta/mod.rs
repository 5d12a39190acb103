//! The Milta Partner fake: Basic auth, the success/error envelope, reference
//! data (whole lists as the document's example shows, paged brands),
//! transfers with idempotent replay, batches, deferred transfers, balance,
//! pricing and the documented per-key limits.

mod account;
mod auth;
mod batch;
mod error;
mod inventory;
mod listing;
mod scenario;
mod state;
mod transfers;
mod variants;

pub use scenario::{TransferMatch, TransferOutcome};

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::clock::Clock;
use crate::config::{MiltaConfig, MiltaLimits};
use crate::faults::{self, FaultCounts, FaultState, Faults};

/// The path prefix of every endpoint (part of the base URL).
pub(crate) const PREFIX: &str = "/api/v1/partner";

/// Shared state of the fake.
pub(crate) struct Milta {
    key_id: String,
    key_secret: String,
    currency: String,
    limits: Option<MiltaLimits>,
    limiter: Mutex<auth::Limiter>,
    inventory: inventory::Inventory,
    book: Mutex<state::Book>,
    faults: Arc<FaultState>,
    clock: Arc<Clock>,
}

impl Milta {
    fn book(&self) -> std::sync::MutexGuard<'_, state::Book> {
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Builds the state and the router.
pub(crate) fn build(config: &MiltaConfig, clock: Arc<Clock>) -> (Arc<Milta>, Router) {
    let milta = Arc::new(Milta {
        key_id: config.key_id.clone(),
        key_secret: config.key_secret.clone(),
        currency: config.currency.clone(),
        limits: config.limits,
        limiter: Mutex::new(auth::Limiter::default()),
        inventory: inventory::Inventory::seed(),
        book: Mutex::new(state::Book::new(config.initial_balance)),
        faults: FaultState::new(config.faults.clone(), error::render_fault, &[]),
        clock,
    });
    let p = |path: &str| format!("{PREFIX}{path}");
    let router = Router::new()
        .route(&p("/inventories/countries"), get(inventory::countries))
        .route(&p("/inventories/currencies"), get(inventory::currencies))
        .route(&p("/inventories/categories"), get(inventory::categories))
        .route(&p("/inventories/providers"), get(inventory::providers))
        .route(&p("/inventories/products"), get(inventory::products))
        .route(&p("/inventories/brands"), get(inventory::brands))
        .route(&p("/transfers"), post(transfers::create))
        .route(&p("/transfers/batch"), post(batch::create))
        .route(&p("/transfers/{id}"), get(transfers::get).delete(transfers::cancel))
        .route(&p("/balance"), get(account::balance))
        .route(&p("/pricing"), post(account::pricing))
        .route_layer(from_fn_with_state(milta.clone(), auth::rate_limit))
        .route_layer(from_fn_with_state(milta.faults.clone(), faults::middleware))
        .fallback(error::not_found)
        .layer(from_fn_with_state(milta.clone(), auth::basic_auth))
        .layer(from_fn_with_state(
            crate::variants::Variants::new(milta.faults.clone(), variants::respell),
            crate::variants::middleware,
        ))
        .with_state(milta.clone());
    (milta, router)
}

/// A transfer as the Milta fake holds it, for assertions in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MiltaTransfer {
    /// Milta's id, e.g. `T-9001`.
    pub transfer_id: String,
    /// The caller's reference.
    pub external_id: String,
    /// `PENDING`, `SCHEDULED`, `COMPLETED`, `FAILED` or `CANCELLED`.
    pub status: String,
    /// Amount sent, in `currency`.
    pub amount: Decimal,
    /// The product's currency.
    pub currency: String,
    /// What the partner balance was charged (amount plus fee, converted).
    pub debit: Decimal,
    /// When a deferred transfer executes.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// The batch that carried it, if any.
    pub batch_id: Option<String>,
}

impl From<&state::Transfer> for MiltaTransfer {
    fn from(t: &state::Transfer) -> Self {
        MiltaTransfer {
            transfer_id: t.id.clone(),
            external_id: t.external_id.clone(),
            status: t.status.as_str().to_owned(),
            amount: t.amount,
            currency: t.currency.clone(),
            debit: t.debit,
            scheduled_at: t.scheduled_at,
            batch_id: t.batch_id.clone(),
        }
    }
}

/// A running Milta fake: its address, credentials and state.
#[derive(Clone)]
pub struct MiltaSandbox {
    pub(crate) base_url: String,
    pub(crate) state: Arc<Milta>,
}

impl fmt::Debug for MiltaSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiltaSandbox").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl MiltaSandbox {
    /// Base URL including `/api/v1/partner` (`MILTA_BASE_URL`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Basic-auth user name (`MILTA_API_KEY_ID`).
    pub fn key_id(&self) -> &str {
        &self.state.key_id
    }

    /// Basic-auth password (`MILTA_API_KEY_SECRET`).
    pub fn key_secret(&self) -> &str {
        &self.state.key_secret
    }

    /// The partner account's current balance.
    pub fn balance(&self) -> Decimal {
        self.state.book().balance
    }

    /// The partner account's currency.
    pub fn currency(&self) -> &str {
        &self.state.currency
    }

    /// Sets the balance, e.g. to provoke `INSUFFICIENT_FUNDS`.
    pub fn set_balance(&self, balance: Decimal) {
        self.state.book().balance = balance;
    }

    /// Every transfer, oldest first.
    pub fn transfers(&self) -> Vec<MiltaTransfer> {
        self.state.book().transfers.iter().map(MiltaTransfer::from).collect()
    }

    /// One transfer by Milta id.
    pub fn transfer(&self, transfer_id: &str) -> Option<MiltaTransfer> {
        self.state.book().transfers.iter().find(|t| t.id == transfer_id).map(MiltaTransfer::from)
    }

    /// How many transfers carry `external_id` (more than one is a duplicate).
    pub fn transfers_with_external_id(&self, external_id: &str) -> usize {
        self.state.book().transfers.iter().filter(|t| t.external_id == external_id).count()
    }

    /// How many products the reference data holds.
    pub fn product_count(&self) -> usize {
        self.state.inventory.product_count()
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
