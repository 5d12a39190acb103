//! `POST /invoices` and `POST /invoices/payment-page`: both become
//! transactions retrievable through `/transactions`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::error::{error, field, DB_INVALID_INPUT, INVALID_CURRENCY, INVALID_WALLET, NOT_ALLOWED_FIELD};
use super::store::{Customer, PageUrls, Txn, CURRENCIES, WALLETS};
use super::MilaCoins;
use crate::json::{self, respond, FieldError, Fields, Obj};

const INVOICE_FIELDS: [&str; 5] = ["wallet", "amount", "currency", "externalID", "expiredAt"];
const PAGE_FIELDS: [&str; 6] =
    ["cancelUrl", "completedUrl", "callbackUrl", "customerEmail", "customerLastName", "customerFirstName"];

/// How long an invoice stays payable when `expiredAt` is not given.
const DEFAULT_EXPIRY: TimeDelta = TimeDelta::minutes(15);

/// The fields both kinds share, validated.
struct Common {
    wallet: String,
    amount: Decimal,
    currency: String,
    external_id: Option<String>,
    expired_at: Option<DateTime<Utc>>,
}

fn common(body: &Obj, allowed: &[&str]) -> Result<Common, Response> {
    if let Some(extra) = body.keys().find(|k| !allowed.contains(k)) {
        return Err(error(NOT_ALLOWED_FIELD, format!("\"{extra}\" Filed: not allowed on this request")));
    }
    let f = Fields(body);
    let wallet = f.str("wallet").map_err(|e| field(&e))?;
    let amount = f.decimal("amount").map_err(|e| field(&e))?;
    let currency = f.str("currency").map_err(|e| field(&e))?;
    let external_id = f.opt_str("externalID").map_err(|e| field(&e))?;
    let expired_at = match f.opt_str("expiredAt").map_err(|e| field(&e))? {
        None => None,
        Some(raw) => Some(DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            field(&FieldError::invalid("expiredAt", format!("must be an ISO 8601 time, got \"{raw}\"")))
        })?),
    };
    if !WALLETS.contains(&wallet) {
        return Err(error(
            INVALID_WALLET,
            format!("\"{wallet}\" is not a valid wallet. Valid wallets: \"{}\"", WALLETS.join(",")),
        ));
    }
    if !CURRENCIES.contains(&currency) {
        return Err(error(
            INVALID_CURRENCY,
            format!("\"{currency}\" is not a valid currency. Valid currencies: {}", CURRENCIES.join(",")),
        ));
    }
    if amount <= Decimal::ZERO || amount.normalize().scale() > 8 {
        return Err(error(DB_INVALID_INPUT, format!("Invalid input data: \"amount\" must be positive, got {amount}")));
    }
    Ok(Common {
        wallet: wallet.to_owned(),
        amount,
        currency: currency.to_owned(),
        external_id: external_id.map(str::to_owned),
        expired_at,
    })
}

fn record(
    mc: &MilaCoins,
    c: Common,
    kind: &'static str,
    urls: Option<PageUrls>,
    customer: Option<Customer>,
) -> Response {
    let now = mc.now();
    let mut store = mc.store();
    let id = store.next_id(now);
    let txn = Txn {
        receipt_id: store.next_receipt(),
        kind,
        status: if kind == "invoice" { "new" } else { "init" },
        wallet: c.wallet,
        invoice_currency: c.currency,
        invoice_amount: c.amount,
        wallet_credited: Decimal::ZERO,
        network: None,
        network_amount_received: Decimal::ZERO,
        exchange_rate: None,
        address: None,
        txs: Vec::new(),
        external_id: c.external_id,
        customer,
        created_at: now,
        expired_at: c.expired_at.unwrap_or(now + DEFAULT_EXPIRY),
        url: Some(format!("{}/pay/{id}", mc.base_url)),
        page_urls: urls,
        created_by_api: true,
        id,
    };
    let body = txn.invoice_json();
    store.txns.push(txn);
    respond(StatusCode::CREATED, &body)
}

/// `POST /invoices`.
pub(crate) async fn create(State(mc): State<Arc<MilaCoins>>, body: Bytes) -> Response {
    let body = match json::object(&body) {
        Ok(b) => b,
        Err(msg) => return error(DB_INVALID_INPUT, format!("Invalid input data: {msg}")),
    };
    match common(&body, &INVOICE_FIELDS) {
        Ok(c) => record(&mc, c, "invoice", None, None),
        Err(e) => e,
    }
}

/// `POST /invoices/payment-page`; the redirect and callback URLs are kept
/// exactly as sent, `{INVOICE_ID}`-style placeholders included.
pub(crate) async fn create_page(State(mc): State<Arc<MilaCoins>>, body: Bytes) -> Response {
    let body = match json::object(&body) {
        Ok(b) => b,
        Err(msg) => return error(DB_INVALID_INPUT, format!("Invalid input data: {msg}")),
    };
    let allowed: Vec<&str> = INVOICE_FIELDS.iter().chain(PAGE_FIELDS.iter()).copied().collect();
    let c = match common(&body, &allowed) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let f = Fields(&body);
    let page = (|| -> Result<_, FieldError> {
        let urls = PageUrls {
            cancel: f.str("cancelUrl")?.to_owned(),
            completed: f.str("completedUrl")?.to_owned(),
            callback: f.opt_str("callbackUrl")?.map(str::to_owned),
        };
        let customer = Customer {
            first_name: f.opt_str("customerFirstName")?.map(str::to_owned),
            last_name: f.opt_str("customerLastName")?.map(str::to_owned),
            email: f.opt_str("customerEmail")?.map(str::to_owned),
        };
        Ok((urls, customer))
    })();
    match page {
        Ok((urls, customer)) => record(&mc, c, "paymentPage", Some(urls), Some(customer)),
        Err(e) => field(&e),
    }
}
