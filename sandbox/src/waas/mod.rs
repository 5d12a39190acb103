//! The Wallet-as-a-Service fake: login tokens with an optional expiry,
//! clients, accounts, client services and a double-entry ledger whose
//! balances move, refuse overdraws and reverse exactly once. Starts empty.

mod auth;
mod entities;
mod error;
mod ledger;
mod scenario;
mod state;
mod variants;

pub use scenario::WaasMatch;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::middleware::from_fn_with_state;
use axum::routing::post;
use axum::Router;
use rust_decimal::Decimal;

use crate::clock::Clock;
use crate::config::WaasConfig;
use crate::faults::{self, FaultCounts, FaultState, Faults};

/// Shared state of the fake.
pub(crate) struct Waas {
    username: String,
    password: String,
    token_ttl: Option<Duration>,
    tokens: Mutex<HashMap<String, Option<tokio::time::Instant>>>,
    ledger: Mutex<state::Ledger>,
    faults: Arc<FaultState>,
    clock: Arc<Clock>,
    logins: AtomicU64,
}

impl Waas {
    fn ledger(&self) -> MutexGuard<'_, state::Ledger> {
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Builds the state and the router.
pub(crate) fn build(config: &WaasConfig, clock: Arc<Clock>) -> (Arc<Waas>, Router) {
    let w = Arc::new(Waas {
        username: config.username.clone(),
        password: config.password.clone(),
        token_ttl: config.token_ttl,
        tokens: Mutex::new(HashMap::new()),
        ledger: Mutex::new(state::Ledger::new(clock.clone())),
        faults: FaultState::new(config.faults.clone(), error::render_fault, &[auth::LOGIN]),
        clock,
        logins: AtomicU64::new(0),
    });
    let router = Router::new()
        .route(auth::LOGIN, post(auth::login))
        .route("/api/v1/clients", post(entities::create_client))
        .route("/api/v1/accounts", post(entities::create_account))
        .route("/api/v1/client-services", post(entities::create_service))
        .route("/api/v1/transactions", post(ledger::transactions))
        .route("/api/v1/transactions/{id}", post(ledger::reversal))
        .route("/api/v1/account-transfers", post(ledger::account_transfers))
        .route_layer(from_fn_with_state(w.faults.clone(), faults::middleware))
        .fallback(error::not_found)
        .layer(from_fn_with_state(w.clone(), auth::bearer))
        .layer(from_fn_with_state(
            crate::variants::Variants::new(w.faults.clone(), variants::respell),
            crate::variants::middleware,
        ))
        .with_state(w.clone());
    (w, router)
}

/// One ledger line of the WaaS fake, for assertions in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaasEntry {
    /// The line's `transaction_id`.
    pub transaction_id: String,
    /// The account it moved.
    pub account: String,
    /// `true` for CREDIT, `false` for DEBIT.
    pub credit: bool,
    /// Amount moved.
    pub amount: Decimal,
    /// Balance after the line.
    pub balance_after: Decimal,
    /// The line's `source_transaction_id` as answered (transfers prefix
    /// `IFT1`/`IFT2`, reversals `RVS1`/`RVS2`, as in the document).
    pub source_transaction_id: String,
    /// The `source_transaction_id` of the request that caused it (for a
    /// reversal: of the request it reversed).
    pub request_key: String,
    /// Whether the line belongs to a reversal.
    pub reversal: bool,
}

/// A running WaaS fake: its address, credentials and ledger.
#[derive(Clone)]
pub struct WaasSandbox {
    pub(crate) base_url: String,
    pub(crate) state: Arc<Waas>,
}

impl fmt::Debug for WaasSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaasSandbox").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl WaasSandbox {
    /// Scheme, host and port (`WAAS_BASE_URL`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Login user name (`WAAS_USERNAME`).
    pub fn username(&self) -> &str {
        &self.state.username
    }

    /// Login password (`WAAS_PASSWORD`).
    pub fn password(&self) -> &str {
        &self.state.password
    }

    /// How many credits, debits and transfers were booked for the request
    /// `source_transaction_id` (reversals not counted; more than one is a
    /// duplicate).
    pub fn transactions_with_source_id(&self, source_transaction_id: &str) -> usize {
        self.state.ledger().ops.iter().filter(|op| op.reversal_of.is_none() && op.key == source_transaction_id).count()
    }

    /// How many reversals were booked for the request `source_transaction_id`.
    pub fn reversals_of_source_id(&self, source_transaction_id: &str) -> usize {
        self.state.ledger().ops.iter().filter(|op| op.reversal_of.is_some() && op.key == source_transaction_id).count()
    }

    /// Every ledger line (settlement legs included), oldest first.
    pub fn entries(&self) -> Vec<WaasEntry> {
        let ledger = self.state.ledger();
        ledger
            .entries
            .iter()
            .map(|e| WaasEntry {
                transaction_id: e.id.clone(),
                account: e.account.clone(),
                credit: e.credit,
                amount: e.amount,
                balance_after: e.current,
                source_transaction_id: e.source_transaction_id.clone(),
                request_key: ledger.ops[e.op].key.clone(),
                reversal: ledger.ops[e.op].reversal_of.is_some(),
            })
            .collect()
    }

    /// An account's balance (client accounts and the per-currency
    /// settlement accounts on the other side of credits and debits).
    pub fn balance(&self, account_number: &str) -> Option<Decimal> {
        self.state.ledger().accounts.iter().find(|a| a.number == account_number).map(|a| a.balance)
    }

    /// How many successful logins the fake has answered (each issues a
    /// token).
    pub fn logins(&self) -> u64 {
        self.state.logins.load(Ordering::SeqCst)
    }

    /// Invalidates every issued token, so the next call gets a 401.
    pub fn expire_tokens(&self) {
        self.state.tokens.lock().unwrap_or_else(PoisonError::into_inner).clear();
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
