//! `GET /balance`, `POST /pricing`, and the fee and conversion rules that
//! transfers share with pricing.

use std::str::FromStr;
use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;

use super::error::{code, error, success};
use super::inventory::Product;
use super::Milta;
use crate::json::{self, obj, FieldError, Fields, Json, Obj};
use crate::money::{fits, fixed};

/// A refused request: status, documented code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Refusal { status, code, message: message.into() }
    }

    pub(crate) fn response(&self) -> Response {
        error(self.status, self.code, self.message.clone())
    }
}

impl From<FieldError> for Refusal {
    fn from(e: FieldError) -> Self {
        Refusal::new(StatusCode::BAD_REQUEST, code::VALIDATION_ERROR, e.message())
    }
}

/// Value of one unit of each currency in GBP (fixed sandbox rates).
const RATES_TO_GBP: [(&str, &str); 6] =
    [("GBP", "1"), ("EUR", "0.85"), ("USD", "0.79"), ("NGN", "0.00052"), ("KES", "0.0061"), ("INR", "0.0095")];

fn rate_to_gbp(currency: &str) -> Decimal {
    RATES_TO_GBP
        .iter()
        .find(|(c, _)| *c == currency)
        .and_then(|(_, r)| Decimal::from_str(r).ok())
        .unwrap_or(Decimal::ONE)
}

/// The rate from `from` to `to`, to 6 places.
pub(crate) fn exchange_rate(from: &str, to: &str) -> Decimal {
    rate_to_gbp(from).checked_div(rate_to_gbp(to)).map_or(Decimal::ONE, |r| r.round_dp(6))
}

/// A priced order: the fee is 1.5 % of the amount, rounded to cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quote {
    pub amount: Decimal,
    pub fee: Decimal,
    pub total: Decimal,
    pub rate: Decimal,
    /// `total` in the account currency, rounded to cents.
    pub debit: Decimal,
}

/// Checks product, currency and amount, and prices the order.
pub(crate) fn quote(
    milta: &Milta,
    product_id: &str,
    amount: Decimal,
    currency: &str,
) -> Result<(Product, Quote), Refusal> {
    let unavailable = |m: String| Refusal::new(StatusCode::BAD_REQUEST, code::PRODUCT_NOT_AVAILABLE, m);
    let product = milta
        .inventory
        .product(product_id)
        .ok_or_else(|| unavailable(format!("product {product_id} is not available")))?;
    if !product.currency.eq_ignore_ascii_case(currency) {
        return Err(unavailable(format!("product {product_id} is sold in {}, not {currency}", product.currency)));
    }
    if amount <= Decimal::ZERO || !fits(amount, 2) || amount < product.min_amount || amount > product.max_amount {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_AMOUNT,
            format!(
                "amount {amount} is outside the allowed range {}..{} {} (at most 2 decimal places)",
                product.min_amount, product.max_amount, product.currency
            ),
        ));
    }
    let amount = fixed(amount, 2);
    let fee = fixed(amount * Decimal::new(15, 3), 2);
    let total = amount + fee;
    let rate = exchange_rate(product.currency, &milta.currency);
    let debit = (total * rate_to_gbp(product.currency))
        .checked_div(rate_to_gbp(&milta.currency))
        .map_or(total, |d| fixed(d, 2));
    Ok((product.clone(), Quote { amount, fee, total, rate, debit }))
}

/// `GET /balance`.
pub(crate) async fn balance(State(m): State<Arc<Milta>>) -> Response {
    let balance = m.book.lock().unwrap_or_else(PoisonError::into_inner).balance;
    success(StatusCode::OK, obj! {"amount": fixed(balance, 2), "currency": m.currency})
}

fn pricing_body(m: &Milta, body: &Obj) -> Result<Json, Refusal> {
    let f = Fields(body);
    let product_id = f.str("productId")?;
    let amount = f.decimal("amount")?;
    let currency = f.str("currency")?;
    f.opt_str("country")?;
    let (product, q) = quote(m, product_id, amount, currency)?;
    // The document sends callers here for the allowed range ("Check min/max
    // amounts via the pricing endpoint"), so the quote carries it.
    Ok(obj! {
        "productId": product.id,
        "amount": q.amount,
        "fee": q.fee,
        "total": q.total,
        "currency": product.currency,
        "exchangeRate": q.rate,
        "debitAmount": q.debit,
        "debitCurrency": m.currency,
        "minAmount": product.min_amount,
        "maxAmount": product.max_amount,
    })
}

/// `POST /pricing {productId, amount, currency}`.
pub(crate) async fn pricing(State(m): State<Arc<Milta>>, body: Bytes) -> Response {
    let body = match json::object(&body) {
        Ok(b) => b,
        Err(msg) => return error(StatusCode::BAD_REQUEST, code::VALIDATION_ERROR, msg),
    };
    match pricing_body(&m, &body) {
        Ok(data) => success(StatusCode::OK, data),
        Err(r) => r.response(),
    }
}
