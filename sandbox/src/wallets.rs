//! The Wallets fake: static Bearer token, `GET /api/v1/wallets` with
//! `page`/`limit` and `X-Page`… headers (newest first), `GET
//! /api/v1/wallets/{id}`, and `{"error":{"name","code","message"}}` errors.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_decimal::Decimal;

use crate::config::WalletsConfig;
use crate::faults::{self, FaultCounts, FaultState, Faults, Injected};
use crate::json::{obj, respond, Json};
use crate::paging;
use crate::seed::Rng;
use crate::variants::{self, walk, Exchange, Stamp, Style, Variants};

/// (currency_id, code, decimal places); JPY has none.
const CURRENCIES: [(u32, &str, u32); 6] =
    [(1, "USD", 2), (2, "EUR", 2), (3, "GBP", 2), (4, "JPY", 0), (5, "KES", 2), (6, "NGN", 2)];

const NAMES: [&str; 8] = ["Main", "Payroll", "Operations", "Marketing", "Treasury", "Payouts", "Refunds", "Savings"];

const LIST_ROUTE: &str = "/api/v1/wallets";
const ONE_ROUTE: &str = "/api/v1/wallets/{id}";

/// How many wallets are seeded (ids 101 to 340).
const SEEDED: u64 = 240;

#[derive(Debug, Clone)]
struct Wallet {
    id: u64,
    currency_id: u32,
    amount: Decimal,
    postpaid: bool,
    name: String,
}

impl Wallet {
    fn to_json(&self) -> Json {
        obj! {
            "id": self.id,
            "currency_id": self.currency_id,
            "amount": self.amount,
            "type": if self.postpaid { "POSTPAID" } else { "PREPAID" },
            "name": self.name,
        }
    }
}

fn seed() -> Vec<Wallet> {
    let mut rng = Rng::new(0x00A1_1E75);
    (101..101 + SEEDED)
        .map(|id| {
            let (currency_id, code, dp) = *rng.pick(&CURRENCIES);
            let postpaid = rng.below(3) == 0;
            let units = rng.below(5_000_000) as i64;
            let units = if postpaid { units - 1_500_000 } else { units };
            let amount = if dp == 0 { Decimal::new(units, 0) } else { Decimal::new(units, 2) };
            Wallet { id, currency_id, amount, postpaid, name: format!("{} {code}", rng.pick(&NAMES)) }
        })
        .collect()
}

/// Shared state of the fake.
pub(crate) struct Wallets {
    token: String,
    wallets: Mutex<Vec<Wallet>>,
    faults: Arc<FaultState>,
}

impl Wallets {
    fn wallets(&self) -> MutexGuard<'_, Vec<Wallet>> {
        self.wallets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn error(status: StatusCode, name: &str, code: &str, message: &str) -> Response {
    respond(status, &obj! {"error": obj! {"name": name, "code": code, "message": message}})
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "BadRequestError", "BAD_REQUEST", message)
}

/// Injected faults; a 500 carries the document's message for the route
/// (the list and the single wallet differ).
fn render_fault(fault: Injected, route: &str) -> Response {
    match fault {
        Injected::TooManyRequests { retry_after_secs } => {
            let mut resp =
                error(StatusCode::TOO_MANY_REQUESTS, "TooManyRequestsError", "TOO_MANY_REQUESTS", "Too many requests");
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            resp
        }
        Injected::ServerError => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "INTERNAL_SERVER_ERROR",
            if route == ONE_ROUTE { "Failed to retrieve wallet" } else { "Could not retrieve wallets" },
        ),
    }
}

async fn bearer(State(w): State<Arc<Wallets>>, req: Request, next: Next) -> Response {
    let token =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if token != Some(w.token.as_str()) {
        return error(
            StatusCode::UNAUTHORIZED,
            "UnauthorizedError",
            "UNAUTHORIZED",
            "Authentication required or failed.",
        );
    }
    next.run(req).await
}

fn int(q: &HashMap<String, String>, name: &str, default: u64, max: u64) -> Option<u64> {
    match q.get(name) {
        None => Some(default),
        Some(raw) => raw.parse().ok().filter(|n| (1..=max).contains(n)),
    }
}

fn currency_matches(filter: &str, currency_id: u32) -> bool {
    filter.parse::<u32>().map_or_else(
        |_| CURRENCIES.iter().any(|(id, code, _)| *id == currency_id && code.eq_ignore_ascii_case(filter)),
        |id| id == currency_id,
    )
}

/// `GET /api/v1/wallets?page&limit&currency&name`.
async fn list(State(w): State<Arc<Wallets>>, q: Result<Query<HashMap<String, String>>, QueryRejection>) -> Response {
    let Ok(Query(q)) = q else { return bad_request("Invalid query parameters") };
    let (Some(page), Some(limit)) = (int(&q, "page", 1, u64::MAX), int(&q, "limit", 50, 10_000)) else {
        return bad_request("Invalid query parameters");
    };
    let wallets = w.wallets();
    let mut matching: Vec<&Wallet> = wallets
        .iter()
        .filter(|x| q.get("currency").is_none_or(|c| currency_matches(c, x.currency_id)))
        .filter(|x| q.get("name").is_none_or(|n| x.name.to_lowercase().contains(&n.to_lowercase())))
        .collect();
    matching.sort_by_key(|w| std::cmp::Reverse(w.id));
    let p = paging::serve(matching, page, limit, w.faults.get().paging);
    let items: Vec<Json> = p.items.into_iter().map(Wallet::to_json).collect();
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("x-page", p.page.to_string()),
        ("x-per-page", p.size.to_string()),
        ("x-total-count", p.total_items.to_string()),
        ("x-total-pages", p.total_pages.to_string()),
        ("x-page-size", items.len().to_string()),
        ("x-has-more", p.has_more.to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    (headers, respond(StatusCode::OK, &Json::Arr(items))).into_response()
}

/// `GET /api/v1/wallets/{id}`.
async fn get_one(State(w): State<Arc<Wallets>>, Path(id): Path<String>) -> Response {
    let Some(id) = id.parse::<u64>().ok().filter(|id| *id > 0) else { return bad_request("Invalid wallet ID") };
    match w.wallets().iter().find(|x| x.id == id) {
        Some(x) => respond(StatusCode::OK, &x.to_json()),
        None => error(StatusCode::NOT_FOUND, "NotFoundError", "NOT_FOUND", "Wallet not found"),
    }
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "NotFoundError", "NOT_FOUND", "Not found")
}

/// Builds the state and the router.
pub(crate) fn build(config: &WalletsConfig) -> (Arc<Wallets>, Router) {
    let w = Arc::new(Wallets {
        token: config.token.clone(),
        wallets: Mutex::new(seed()),
        faults: FaultState::new(config.faults.clone(), render_fault, &[]),
    });
    let router = Router::new()
        .route(LIST_ROUTE, get(list))
        .route(ONE_ROUTE, get(get_one))
        .route_layer(from_fn_with_state(w.faults.clone(), faults::middleware))
        .fallback(not_found)
        .layer(from_fn_with_state(w.clone(), bearer))
        .layer(from_fn_with_state(Variants::new(w.faults.clone(), respell), variants::middleware))
        .with_state(w.clone());
    (w, router)
}

fn no_stamps(_: &str, _: usize) -> Option<Stamp> {
    None
}

/// The document's other readings: ids as strings on every other wallet and
/// also as `wallet_id`, amounts as strings, the error message also at the
/// top level, unknown fields everywhere.
const STYLE: Style = Style {
    amounts: &["amount"],
    ids: &["id", "wallet_id", "currency_id"],
    aliases: &[("id", "wallet_id")],
    stamps: no_stamps,
    free_form: &[],
};

fn respell(body: &mut Json, ex: &Exchange<'_>) {
    if let Some(obj) = body.as_object_mut() {
        if let Some(error) = obj.get_mut("error").and_then(Json::as_object_mut) {
            error.insert("status", Json::Num(ex.status.as_u16().to_string()));
            let message = error.get("message").cloned();
            if let Some(message) = message {
                obj.insert("message", message);
            }
        }
    }
    walk(body, &STYLE);
}

/// A running Wallets fake: its address, token and state.
#[derive(Clone)]
pub struct WalletsSandbox {
    pub(crate) base_url: String,
    pub(crate) state: Arc<Wallets>,
}

impl fmt::Debug for WalletsSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalletsSandbox").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl WalletsSandbox {
    /// Scheme, host and port (`WALLETS_BASE_URL`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The Bearer token accepted (`WALLETS_TOKEN`).
    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// How many wallets exist (240 seeded, ids 101 to 340).
    pub fn wallet_count(&self) -> usize {
        self.state.wallets().len()
    }

    /// A wallet's balance.
    pub fn balance(&self, id: u64) -> Option<Decimal> {
        self.state.wallets().iter().find(|w| w.id == id).map(|w| w.amount)
    }

    /// Sets a wallet's balance; `false` when there is no such wallet.
    pub fn set_balance(&self, id: u64, amount: Decimal) -> bool {
        let mut wallets = self.state.wallets();
        let found = wallets.iter_mut().find(|w| w.id == id);
        found.map(|w| w.amount = amount).is_some()
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
