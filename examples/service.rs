//! A small payments service on walletkit (axum), the integration to copy
//! first. Its routes:
//!
//! - `POST /payouts`: a Milta transfer for a business reference. Sending the
//!   same payout again, after a timeout or a restart, gets the same transfer:
//!   the idempotency key follows the payment.
//! - `POST /webhooks/milta`: a Milta webhook, believed only after the
//!   transfer is read back through the API.
//! - `POST /checkouts`: a MilaCoins payment page whose callback comes back here.
//! - `GET|POST /callbacks/milacoins`: the MilaCoins callback, confirmed
//!   through the signed API before the order is marked paid.
//! - `GET /balances`: every Wallets wallet, summed per currency (the
//!   document's `currency_id`, or the code where the server sends one).
//!
//! Run against the embedded sandbox, it drives itself end to end (the
//! sandbox plays the providers and the paying customer), prints what
//! happened and exits:
//!
//! ```sh
//! cargo run --example service
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::TryStreamExt as _;
use serde::Deserialize;
use serde_json::{json, Value};
use walletkit::milacoins::{
    parse_callback, CallbackEvent, CallbackUrl, CancelUrl, CompletedUrl, MilaCoinsClient, PaymentPageRequest,
    WalletName,
};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{InvoiceEnd, Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::wallets::WalletsClient;
use walletkit::{Decimal, Error};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What the service needs: one client per provider (cheap to clone, safe to
/// share) and the orders it has seen paid.
#[derive(Clone)]
struct App {
    milta: MiltaClient,
    milacoins: MilaCoinsClient,
    wallets: WalletsClient,
    callback_url: CallbackUrl,
    paid_orders: Arc<Mutex<Vec<String>>>,
}

/// A payout as the service's own clients send it.
#[derive(Deserialize)]
struct PayoutRequest {
    reference: String,
    product_id: String,
    phone: String,
    /// A JSON string (`"12.50"`), read exactly: no float ever holds it.
    amount: String,
    currency: String,
}

async fn create_payout(State(app): State<App>, Json(payout): Json<PayoutRequest>) -> Response {
    let Ok(amount) = Decimal::from_str_exact(&payout.amount) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": "amount is not a decimal number" })))
            .into_response();
    };
    let transfer = TransferRequest::new(
        ExternalId::from(payout.reference),
        ProductId::from(payout.product_id),
        PhoneNumber::from(payout.phone),
        amount,
        payout.currency,
    );
    match app.milta.transfers().create(&transfer).await {
        Ok(made) => (
            StatusCode::CREATED,
            Json(json!({ "transfer_id": made.transfer_id.as_str(), "status": made.status.to_string() })),
        )
            .into_response(),
        // The server may have acted: the caller sends the same payout again
        // (same key, same answer) instead of treating it as failed.
        Err(e) if e.as_outcome_unknown().is_some() => {
            (StatusCode::ACCEPTED, Json(json!({ "status": "unknown", "error": e.to_string() }))).into_response()
        }
        Err(e) => failure(&e),
    }
}

async fn milta_webhook(State(app): State<App>, parts: Parts, body: Bytes) -> Response {
    // The document defines no webhook signature: read the transfer back.
    match app.milta.transfers().confirm_webhook(&Request::from_parts(parts, body)).await {
        Ok(Some(transfer)) => {
            Json(json!({ "transfer_id": transfer.transfer_id.as_str(), "status": transfer.status.to_string() }))
                .into_response()
        }
        Ok(None) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => failure(&e),
    }
}

#[derive(Deserialize)]
struct CheckoutRequest {
    order: String,
    amount: String,
    currency: String,
}

async fn create_checkout(State(app): State<App>, Json(checkout): Json<CheckoutRequest>) -> Response {
    let Ok(amount) = Decimal::from_str_exact(&checkout.amount) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": "amount is not a decimal number" })))
            .into_response();
    };
    let page = PaymentPageRequest::new(
        WalletName::from("EUR"),
        amount,
        checkout.currency,
        CancelUrl::from("https://shop.example/cancelled?invoice={INVOICE_ID}"),
        CompletedUrl::from("https://shop.example/thanks?invoice={INVOICE_ID}"),
    )
    .external_id(checkout.order)
    .callback_url(app.callback_url.clone());
    match app.milacoins.invoices().create_payment_page(&page).await {
        Ok(invoice) => {
            Json(json!({ "invoice": invoice.id.as_str(), "pay_at": invoice.url.as_deref() })).into_response()
        }
        // Never sent twice blindly: the caller looks the order up by its
        // externalID (`transactions().find_by_external_id`) first.
        Err(e) => failure(&e),
    }
}

/// The callback arrives as a GET (the document puts the event and ids in the
/// URL); a POST is read the same way.
async fn milacoins_callback(State(app): State<App>, parts: Parts, body: Bytes) -> Response {
    let callback = match parse_callback(&Request::from_parts(parts, body)) {
        Ok(callback) => callback,
        Err(e) => return failure(&e),
    };
    // Anyone can call this URL: only the signed API says the order is paid.
    match app.milacoins.confirm(&callback).await {
        Ok(Some(_)) if callback.event == CallbackEvent::Complete => {
            if let Some(order) = callback.external_id {
                app.paid_orders.lock().unwrap_or_else(|e| e.into_inner()).push(order);
            }
            StatusCode::OK.into_response()
        }
        Ok(_) => StatusCode::OK.into_response(),
        Err(e) => failure(&e),
    }
}

async fn balances(State(app): State<App>) -> Response {
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut wallets = app.wallets.wallets().list().stream();
    loop {
        match wallets.try_next().await {
            Ok(Some(wallet)) => {
                let currency = wallet.currency.unwrap_or_else(|| wallet.currency_id.to_string());
                *totals.entry(currency).or_default() += wallet.amount;
            }
            Ok(None) => break,
            Err(e) => return failure(&e),
        }
    }
    let totals: BTreeMap<String, String> = totals.into_iter().map(|(c, sum)| (c, sum.to_string())).collect();
    Json(totals).into_response()
}

/// walletkit's errors are one safe sentence: no secret, key or query string,
/// so they can go back to the caller as they are.
fn failure(e: &Error) -> Response {
    let status = if e.is_retryable() { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::BAD_GATEWAY };
    (status, Json(json!({ "error": e.to_string(), "kind": format!("{:?}", e.kind()) }))).into_response()
}

fn routes(app: App) -> Router {
    Router::new()
        .route("/payouts", post(create_payout))
        .route("/webhooks/milta", post(milta_webhook))
        .route("/checkouts", post(create_checkout))
        .route("/callbacks/milacoins", get(milacoins_callback).post(milacoins_callback))
        .route("/balances", get(balances))
        .with_state(app)
}

/// What one run did, for the end-to-end test to check.
pub struct Report {
    /// The transfer id of the payout, as answered to its first and second sending.
    pub payout_ids: [String; 2],
    /// The order the callback marked paid.
    pub paid_orders: Vec<String>,
    /// The balance summary.
    pub balances: BTreeMap<String, String>,
}

/// Starts the service on the sandbox and plays its callers.
pub async fn run(sandbox: &Sandbox) -> Result<Report, BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = App {
        milta: sandbox.milta().client()?,
        milacoins: sandbox.milacoins().client()?,
        wallets: sandbox.wallets().client()?,
        callback_url: CallbackUrl::for_endpoint(&format!("{base}/callbacks/milacoins"))?,
        paid_orders: Arc::default(),
    };
    let paid_orders = app.paid_orders.clone();
    let service = routes(app);
    let server = tokio::spawn(async move { axum::serve(listener, service).await });
    let caller = Caller { http: reqwest::Client::new(), base };

    // A payout, then the same payout again (the caller timed out, or restarted).
    let payout = json!({
        "reference": "PAYOUT-2026-0001", "product_id": "PRODUCT_123",
        "phone": "+447700900001", "amount": "12.50", "currency": "GBP"
    });
    let first = caller.send(Method::POST, "/payouts", Some(&payout)).await?;
    let again = caller.send(Method::POST, "/payouts", Some(&payout)).await?;
    let payout_ids = [text(&first, "transfer_id")?, text(&again, "transfer_id")?];
    println!("POST /payouts twice: {} then {} ({})", payout_ids[0], payout_ids[1], text(&first, "status")?);

    let webhook = json!({ "transferId": payout_ids[0] });
    let confirmed = caller.send(Method::POST, "/webhooks/milta", Some(&webhook)).await?;
    println!("POST /webhooks/milta: {} is {}", text(&confirmed, "transfer_id")?, text(&confirmed, "status")?);

    let checkout = json!({ "order": "ORDER-0001", "amount": "10.50", "currency": "EUR" });
    let page = caller.send(Method::POST, "/checkouts", Some(&checkout)).await?;
    let invoice = text(&page, "invoice")?;
    println!("POST /checkouts: invoice {invoice}, customer pays at {}", text(&page, "pay_at")?);
    // The customer pays; the sandbox calls the service's callback.
    sandbox.milacoins().end_invoice(&invoice, InvoiceEnd::Complete).await?;
    let paid_orders = wait_for(|| paid_orders.lock().unwrap_or_else(|e| e.into_inner()).clone()).await?;
    println!("GET /callbacks/milacoins: confirmed through the API, paid: {paid_orders:?}");

    let balances = caller.send(Method::GET, "/balances", None).await?;
    let balances: BTreeMap<String, String> = serde_json::from_value(balances)?;
    println!("GET /balances: {balances:?}");

    server.abort();
    Ok(Report { payout_ids, paid_orders, balances })
}

/// The service's own caller, as another team's code would be.
struct Caller {
    http: reqwest::Client,
    base: String,
}

impl Caller {
    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value, BoxError> {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(serde_json::to_vec(body)?);
        }
        let response = request.send().await?;
        let status = response.status();
        let answer: Value = serde_json::from_slice(&response.bytes().await?)?;
        if !status.is_success() {
            return Err(format!("{method} {path} answered {status}: {answer}").into());
        }
        Ok(answer)
    }
}

fn text(answer: &Value, field: &str) -> Result<String, BoxError> {
    answer[field].as_str().map(str::to_owned).ok_or_else(|| format!("no {field} in {answer}").into())
}

/// Waits up to 10 s for the callback to have marked an order paid.
async fn wait_for(read: impl Fn() -> Vec<String>) -> Result<Vec<String>, BoxError> {
    for _ in 0..200 {
        let seen = read();
        if !seen.is_empty() {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("the MilaCoins callback never marked the order paid".into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = async {
        let sandbox = Sandbox::start(SandboxConfig::default()).await?;
        run(&sandbox).await
    }
    .await;
    match result {
        Ok(_) => {
            println!("service: every route done against the embedded sandbox");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("service failed: {e}");
            ExitCode::FAILURE
        }
    }
}
