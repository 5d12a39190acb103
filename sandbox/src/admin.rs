//! The admin route: the clock and the scenarios over HTTP, under the
//! reserved prefix `/__sandbox` (no provider document uses it) on every
//! listener, so tests in any language can drive the binary. JSON in and out;
//! a refused request answers `400 {"error": "..."}`.
//!
//! | Request | Body | Answer |
//! |---|---|---|
//! | `GET /__sandbox/clock` | | `{"now": "2026-…Z", "offsetSeconds": 0}` |
//! | `POST /__sandbox/clock/advance` | `{"seconds": 86401}` | as `GET /__sandbox/clock` |
//! | `POST /__sandbox/milta/scenarios` | one of `"next": true`, `"externalId"`, `"transferId"`; and `"status"`: `COMPLETED`, `FAILED` or `PENDING` | `{"applied": false}` (waiting for the transfer) or `{"applied": true, "transfer": {"transferId", "externalId", "status"}}` |
//! | `POST /__sandbox/milacoins/invoices/end` | one of `"id"`, `"externalID"`; and `"status"`: `completed`, `invalid`, `underPaid`, `overPaid`, `paidLate` or `expired` | `{"id", "status", "callback": null or {"method", "url", "status"}}` |
//! | `POST /__sandbox/waas/scenarios` | one of `"next": true`, `"sourceTransactionId"`, `"accountNumber"`; and `"error": "INSUFFICIENT_FUNDS"` | `{"waiting": true}` |

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::SecondsFormat;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::clock::Clock;
use crate::milacoins::{CallbackMethod, InvoiceEnd, MilaCoinsSandbox};
use crate::milta::{MiltaSandbox, TransferMatch, TransferOutcome};
use crate::waas::{WaasMatch, WaasSandbox};

/// The reserved path prefix.
pub(crate) const PREFIX: &str = "/__sandbox";

/// What the admin handlers reach.
#[derive(Clone)]
pub(crate) struct Admin {
    pub(crate) clock: Arc<Clock>,
    pub(crate) milta: MiltaSandbox,
    pub(crate) milacoins: MilaCoinsSandbox,
    pub(crate) waas: WaasSandbox,
}

/// The admin router, to merge into every listener's router.
pub(crate) fn router(admin: Admin) -> Router {
    Router::new()
        .route(&format!("{PREFIX}/clock"), get(clock))
        .route(&format!("{PREFIX}/clock/advance"), post(advance))
        .route(&format!("{PREFIX}/milta/scenarios"), post(milta))
        .route(&format!("{PREFIX}/milacoins/invoices/end"), post(milacoins))
        .route(&format!("{PREFIX}/waas/scenarios"), post(waas))
        .with_state(admin)
}

fn answer(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn refuse(message: impl Into<String>) -> Response {
    answer(StatusCode::BAD_REQUEST, &json!({"error": message.into()}))
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| refuse(format!("invalid body: {e}")))
}

fn clock_json(clock: &Clock) -> Value {
    json!({
        "now": clock.now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "offsetSeconds": clock.offset().as_secs(),
    })
}

async fn clock(State(a): State<Admin>) -> Response {
    answer(StatusCode::OK, &clock_json(&a.clock))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: u64,
}

async fn advance(State(a): State<Admin>, body: Bytes) -> Response {
    let Advance { seconds } = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    a.clock.advance(Duration::from_secs(seconds));
    answer(StatusCode::OK, &clock_json(&a.clock))
}

/// Exactly one selector must be given.
fn one<T>(choices: Vec<Option<T>>, names: &str) -> Result<T, Response> {
    let mut given: Vec<T> = choices.into_iter().flatten().collect();
    match given.len() {
        1 => Ok(given.remove(0)),
        _ => Err(refuse(format!("give exactly one of {names}"))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct MiltaScenario {
    #[serde(default)]
    next: bool,
    external_id: Option<String>,
    transfer_id: Option<String>,
    status: String,
}

async fn milta(State(a): State<Admin>, body: Bytes) -> Response {
    let s: MiltaScenario = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let which = match one(
        vec![
            s.next.then_some(TransferMatch::Next),
            s.external_id.map(TransferMatch::ExternalId),
            s.transfer_id.map(TransferMatch::TransferId),
        ],
        "\"next\": true, \"externalId\", \"transferId\"",
    ) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let Some(outcome) = TransferOutcome::from_status(&s.status) else {
        return refuse(format!("status must be COMPLETED, FAILED or PENDING, got {:?}", s.status));
    };
    let body = match a.milta.scenario(which, outcome) {
        None => json!({"applied": false}),
        Some(t) => json!({
            "applied": true,
            "transfer": {"transferId": t.transfer_id, "externalId": t.external_id, "status": t.status},
        }),
    };
    answer(StatusCode::OK, &body)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndInvoice {
    id: Option<String>,
    #[serde(rename = "externalID")]
    external_id: Option<String>,
    status: String,
}

async fn milacoins(State(a): State<Admin>, body: Bytes) -> Response {
    let s: EndInvoice = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(end) = InvoiceEnd::parse(&s.status) else {
        return refuse(format!(
            "status must be completed, invalid, underPaid, overPaid, paidLate or expired, got {:?}",
            s.status
        ));
    };
    let by_id = match one(vec![s.id.map(|id| (true, id)), s.external_id.map(|e| (false, e))], "\"id\", \"externalID\"")
    {
        Ok(w) => w,
        Err(r) => return r,
    };
    let ended = match &by_id {
        (true, id) => a.milacoins.end_invoice(id, end).await,
        (false, external) => a.milacoins.end_invoice_by_external_id(external, end).await,
    };
    let call = match ended {
        Ok(call) => call,
        Err(message) => return refuse(message),
    };
    let id = match &by_id {
        (true, id) => Some(id.clone()),
        (false, external) => {
            a.milacoins.invoices().into_iter().rev().find(|i| i.external_id.as_deref() == Some(external)).map(|i| i.id)
        }
    };
    let callback = call.map(|c| {
        let method = match c.method {
            CallbackMethod::Post => "POST",
            _ => "GET",
        };
        json!({"method": method, "url": c.url, "status": c.status})
    });
    answer(StatusCode::OK, &json!({"id": id, "status": end.status(), "callback": callback}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WaasScenario {
    #[serde(default)]
    next: bool,
    source_transaction_id: Option<String>,
    account_number: Option<String>,
    error: String,
}

async fn waas(State(a): State<Admin>, body: Bytes) -> Response {
    let s: WaasScenario = match parse(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if s.error != "INSUFFICIENT_FUNDS" {
        return refuse(format!("error must be INSUFFICIENT_FUNDS, got {:?}", s.error));
    }
    let which = match one(
        vec![
            s.next.then_some(WaasMatch::Next),
            s.source_transaction_id.map(WaasMatch::SourceTransactionId),
            s.account_number.map(WaasMatch::Account),
        ],
        "\"next\": true, \"sourceTransactionId\", \"accountNumber\"",
    ) {
        Ok(w) => w,
        Err(r) => return r,
    };
    a.waas.refuse_insufficient_balance(which);
    answer(StatusCode::OK, &json!({"waiting": true}))
}
