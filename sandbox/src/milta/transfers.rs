//! `POST /transfers`, `GET /transfers/{id}`, `DELETE /transfers/{id}`, and
//! the `X-Idempotency-Key` replay shared with batches.

use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, TimeDelta, Utc};

use super::account::{quote, Refusal};
use super::error::{code, error, error_body, respond, success, success_body};
use super::state::{Book, Status, Stored, Transfer, IDEMPOTENCY_TTL};
use super::Milta;
use crate::json::{self, FieldError, Fields, Json, Obj};

/// How long before `scheduledAt` a deferred transfer can still be cancelled.
pub(crate) const CANCELLATION_WINDOW: TimeDelta = TimeDelta::minutes(5);

fn valid_phone(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Validates one transfer entry, charges the balance and records it.
pub(crate) fn open(
    milta: &Milta,
    book: &mut Book,
    entry: &Obj,
    now: DateTime<Utc>,
    batch_id: Option<&str>,
) -> Result<Transfer, Refusal> {
    let f = Fields(entry);
    let external_id = f.str("externalId")?;
    let product_id = f.str("productId")?;
    let phone = f.str("recipientPhone")?;
    let amount = f.decimal("amount")?;
    let currency = f.str("currency")?;
    let deferred = f.opt_bool("deferred")?.unwrap_or(false);
    let scheduled_at = match f.opt_str("scheduledAt")? {
        None if deferred => return Err(FieldError::Missing("scheduledAt".into()).into()),
        None => None,
        Some(_) if !deferred => {
            return Err(FieldError::invalid("scheduledAt", "requires \"deferred\": true").into());
        }
        Some(raw) => {
            let at = DateTime::parse_from_rfc3339(raw)
                .map_err(|e| FieldError::invalid("scheduledAt", format!("not an ISO 8601 timestamp: {e}")))?
                .with_timezone(&Utc);
            if at <= now {
                return Err(FieldError::invalid("scheduledAt", "must be in the future").into());
            }
            Some(at)
        }
    };
    let (product, q) = quote(milta, product_id, amount, currency)?;
    if !valid_phone(phone) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            code::INVALID_RECIPIENT,
            format!("recipientPhone `{phone}` is not an international number like +447700900001"),
        ));
    }
    if book.has_external_id(external_id) {
        return Err(Refusal::new(
            StatusCode::CONFLICT,
            code::TRANSFER_ALREADY_EXISTS,
            format!("a transfer with externalId {external_id} already exists"),
        ));
    }
    if book.balance < q.debit {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            code::INSUFFICIENT_FUNDS,
            format!(
                "balance {} {} is below the {} {} this transfer costs",
                book.balance, milta.currency, q.debit, milta.currency
            ),
        ));
    }
    book.balance -= q.debit;
    let id = book.next_transfer_id();
    let transfer = Transfer {
        outcome: book.rules.take(&id, external_id),
        id,
        external_id: external_id.to_owned(),
        product_id: product.id,
        recipient_phone: phone.to_owned(),
        amount: q.amount,
        currency: product.currency.to_owned(),
        fee: q.fee,
        total: q.total,
        debit: q.debit,
        status: if scheduled_at.is_some() { Status::Scheduled } else { Status::Pending },
        scheduled_at,
        created_at: now,
        batch_id: batch_id.map(str::to_owned),
    };
    book.transfers.push(transfer.clone());
    Ok(transfer)
}

/// Runs `act` at most once per `X-Idempotency-Key`: a replay with the same
/// key and body returns the first status and body byte for byte.
pub(crate) fn idempotent(
    milta: &Milta,
    headers: &HeaderMap,
    path: &str,
    body: &Bytes,
    act: impl FnOnce(&mut Book) -> (StatusCode, Json),
) -> Response {
    let key = match headers.get("x-idempotency-key").map(HeaderValue::to_str) {
        None => None,
        Some(Ok(k)) if !k.is_empty() && k.len() <= 255 => Some(k.to_owned()),
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                code::VALIDATION_ERROR,
                "X-Idempotency-Key must be 1 to 255 characters",
            )
        }
    };
    let now = milta.clock.now();
    let mut book = milta.book.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(key) = &key {
        book.idempotency.retain(|_, s| now - s.at < IDEMPOTENCY_TTL);
        if let Some(stored) = book.idempotency.get(key) {
            if stored.path != path || stored.request != body.as_ref() {
                return error(
                    StatusCode::CONFLICT,
                    code::IDEMPOTENCY_KEY_REUSED,
                    "this X-Idempotency-Key was used with a different request",
                );
            }
            let mut resp = respond(stored.status, stored.body.clone());
            resp.headers_mut().insert("x-idempotent-replayed", HeaderValue::from_static("true"));
            return resp;
        }
    }
    let (status, value) = act(&mut book);
    let rendered = value.to_string().into_bytes();
    if let Some(key) = key {
        let stored = Stored { path: path.to_owned(), request: body.to_vec(), status, body: rendered.clone(), at: now };
        book.idempotency.insert(key, stored);
    }
    respond(status, rendered)
}

/// `POST /transfers`.
pub(crate) async fn create(State(m): State<Arc<Milta>>, headers: HeaderMap, body: Bytes) -> Response {
    idempotent(&m, &headers, "/transfers", &body, |book| {
        let entry = match json::object(&body) {
            Ok(e) => e,
            Err(msg) => return (StatusCode::BAD_REQUEST, error_body(code::VALIDATION_ERROR, msg)),
        };
        match open(&m, book, &entry, m.clock.now(), None) {
            Ok(t) => (StatusCode::CREATED, success_body(t.to_json())),
            Err(r) => (r.status, error_body(r.code, r.message)),
        }
    })
}

fn unknown(id: &str) -> Response {
    error(StatusCode::NOT_FOUND, code::NOT_FOUND, format!("no transfer with id {id}"))
}

/// `GET /transfers/{id}`.
pub(crate) async fn get(State(m): State<Arc<Milta>>, Path(id): Path<String>) -> Response {
    let now = m.clock.now();
    let mut book = m.book.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(t) = book.advance(&id, now) else { return unknown(&id) };
    success(StatusCode::OK, t.to_json())
}

/// `DELETE /transfers/{id}`: cancels a SCHEDULED transfer until five
/// minutes before `scheduledAt` and refunds its charge.
pub(crate) async fn cancel(State(m): State<Arc<Milta>>, Path(id): Path<String>) -> Response {
    let now = m.clock.now();
    let mut book = m.book.lock().unwrap_or_else(PoisonError::into_inner);
    let scheduled = book.find_mut(&id).map(|t| t.status == Status::Scheduled);
    let t = match scheduled {
        None => return unknown(&id),
        // Only a SCHEDULED transfer executes here: a PENDING one stays as
        // the cancellation finds it.
        Some(true) => book.advance(&id, now),
        Some(false) => book.find_mut(&id),
    };
    let Some(t) = t else { return unknown(&id) };
    let refused = |m: String| error(StatusCode::CONFLICT, code::CANCELLATION_NOT_ALLOWED, m);
    match (t.status, t.scheduled_at) {
        (Status::Scheduled, Some(at)) if at - now >= CANCELLATION_WINDOW => {
            t.status = Status::Cancelled;
            let (refund, data) = (t.debit, t.to_json());
            book.balance += refund;
            success(StatusCode::OK, data)
        }
        (Status::Scheduled, Some(at)) => refused(format!(
            "transfer {id} executes at {at}; deferred transfers can only be cancelled until 5 minutes before"
        )),
        (status, _) => refused(format!("transfer {id} is {} and cannot be cancelled", status.as_str())),
    }
}
