//! Money movement: `POST /api/v1/transactions?command=CREDIT|DEBIT`,
//! `POST /api/v1/account-transfers` and
//! `POST /api/v1/transactions/{id}?command=REVERSE`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::entities::create;
use super::error::{code, Refusal};
use super::state::{amount, Ledger, Posting};
use super::Waas;
use crate::json::{obj, respond, FieldError, Fields, Json, Obj};

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

fn command(q: Params) -> Result<String, Refusal> {
    let Ok(Query(q)) = q else { return Err(Refusal::bad(code::VALIDATION_ERROR, "invalid query string")) };
    q.get("command")
        .map(|c| c.to_ascii_uppercase())
        .ok_or_else(|| Refusal::bad(code::VALIDATION_ERROR, "the command query parameter is required"))
}

/// The fields every movement carries, validated.
struct Movement<'a> {
    service: &'a str,
    source: &'a str,
    amount: Decimal,
    key: &'a str,
    date: DateTime<Utc>,
    data: Json,
    narration: Json,
}

fn movement<'a>(f: &Fields<'a>) -> Result<Movement<'a>, Refusal> {
    let service = f.str("client_service_code")?;
    let source = f.str("transaction_source")?;
    let value = f.decimal("transaction_amount")?;
    let key = f.str("source_transaction_id")?;
    let raw_date = f.str("transaction_date")?;
    let data = f.opt_object("source_transaction_data")?.cloned().unwrap_or(Json::Null);
    let narration = f.opt_str("transaction_narration")?.map_or(Json::Null, |n| Json::Str(n.to_owned()));
    if value <= Decimal::ZERO || !crate::money::fits(value, 4) {
        return Err(FieldError::invalid("transaction_amount", "must be positive with at most 4 decimal places").into());
    }
    let date = DateTime::parse_from_rfc3339(raw_date)
        .map_err(|_| FieldError::invalid("transaction_date", format!("must be ISO 8601, got \"{raw_date}\"")))?
        .with_timezone(&Utc);
    Ok(Movement { service, source, amount: value, key, date, data, narration })
}

/// Refuses a reused `source_transaction_id`, an unknown or inactive
/// service, and an amount outside the service's limits.
fn admit(ledger: &Ledger, m: &Movement<'_>) -> Result<(), Refusal> {
    if ledger.keys.contains(m.key) {
        return Err(Refusal::new(
            StatusCode::CONFLICT,
            code::DUPLICATE_TRANSACTION,
            format!("a transaction with source_transaction_id {} already exists", m.key),
        ));
    }
    let service = ledger.service(m.service)?;
    if !service.active {
        return Err(Refusal::bad(code::INACTIVE, format!("client service {} is inactive", m.service)));
    }
    if m.amount < service.minimum || m.amount > service.maximum {
        return Err(Refusal::bad(
            code::AMOUNT_OUT_OF_RANGE,
            format!(
                "transaction_amount {} is outside the service's range {} to {}",
                amount(m.amount),
                amount(service.minimum),
                amount(service.maximum)
            ),
        ));
    }
    Ok(())
}

fn active_account(ledger: &Ledger, number: &str) -> Result<usize, Refusal> {
    let i = ledger.account(number)?;
    if !ledger.accounts[i].active {
        return Err(Refusal::bad(code::INACTIVE, format!("account {number} is inactive")));
    }
    Ok(i)
}

fn credit_or_debit(ledger: &mut Ledger, body: &Obj, credit: bool) -> Result<Json, Refusal> {
    let f = Fields(body);
    let number = f.str("account_number")?;
    let m = movement(&f)?;
    admit(ledger, &m)?;
    let account = active_account(ledger, number)?;
    let settlement = ledger.settlement(&ledger.accounts[account].currency.clone());
    let (debit, credit_to) = if credit { (settlement, account) } else { (account, settlement) };
    let posting = Posting {
        service: m.service,
        amount: m.amount,
        source: m.source,
        ids: (m.key.to_owned(), m.key.to_owned()),
        data: m.data,
        narration: m.narration,
        date: m.date,
        key: m.key.to_owned(),
        reversal_of: None,
    };
    let op = ledger.post(debit, credit_to, posting)?;
    ledger.keys.insert(m.key.to_owned());
    let (d, c) = ledger.ops[op].lines;
    Ok(ledger.entries[if credit { c } else { d }].to_json())
}

fn transfer(ledger: &mut Ledger, body: &Obj) -> Result<Json, Refusal> {
    let f = Fields(body);
    let from = f.str("source_account_number")?;
    let to = f.str("destination_account_number")?;
    let m = movement(&f)?;
    if from == to {
        return Err(FieldError::invalid("destination_account_number", "must differ from source_account_number").into());
    }
    admit(ledger, &m)?;
    let (a, b) = (active_account(ledger, from)?, active_account(ledger, to)?);
    if ledger.accounts[a].currency != ledger.accounts[b].currency {
        return Err(Refusal::bad(
            code::CURRENCY_MISMATCH,
            format!("account {from} is in {} and {to} in {}", ledger.accounts[a].currency, ledger.accounts[b].currency),
        ));
    }
    let posting = Posting {
        service: m.service,
        amount: m.amount,
        source: m.source,
        ids: (format!("IFT1{}", m.key), format!("IFT2{}", m.key)),
        data: m.data,
        narration: m.narration,
        date: m.date,
        key: m.key.to_owned(),
        reversal_of: None,
    };
    let op = ledger.post(a, b, posting)?;
    ledger.keys.insert(m.key.to_owned());
    Ok(pair(ledger, op))
}

/// `{source_transaction, destination_transaction}` of an operation.
fn pair(ledger: &Ledger, op: usize) -> Json {
    let (d, c) = ledger.ops[op].lines;
    obj! {"source_transaction": ledger.entries[d].to_json(), "destination_transaction": ledger.entries[c].to_json()}
}

/// Reverses the operation a transaction id belongs to, exactly once: the
/// credited account is debited back and the debited one credited.
fn reverse(ledger: &mut Ledger, id: &str) -> Result<Json, Refusal> {
    let entry = ledger
        .entries
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| Refusal::not_found(format!("transaction {id} not found")))?;
    let op_index = entry.op;
    let op = ledger.ops[op_index].clone();
    if op.reversal_of.is_some() {
        return Err(Refusal::bad(code::NOT_REVERSIBLE, format!("transaction {id} is itself a reversal")));
    }
    if op.reversed {
        return Err(Refusal::new(
            StatusCode::CONFLICT,
            code::ALREADY_REVERSED,
            format!("transaction {id} has already been reversed"),
        ));
    }
    let (orig_debit, orig_credit) = (ledger.entries[op.lines.0].clone(), ledger.entries[op.lines.1].clone());
    let debit = ledger.account(&orig_credit.account)?;
    let credit = ledger.account(&orig_debit.account)?;
    let posting = Posting {
        service: &orig_credit.service,
        amount: orig_credit.amount,
        source: "INTERNAL",
        ids: (format!("RVS1{}", op.key), format!("RVS2{}", op.key)),
        data: orig_credit.data.clone(),
        narration: Json::Str(format!("Reversal of transaction {}", orig_credit.id)),
        date: ledger.clock.now(),
        key: op.key.clone(),
        reversal_of: Some(op_index),
    };
    let new_op = ledger.post(debit, credit, posting)?;
    ledger.ops[op_index].reversed = true;
    Ok(pair(ledger, new_op))
}

/// `POST /api/v1/transactions?command=CREDIT|DEBIT`.
pub(crate) async fn transactions(State(w): State<Arc<Waas>>, q: Params, body: Bytes) -> Response {
    let credit = match command(q).as_deref() {
        Ok("CREDIT") => true,
        Ok("DEBIT") => false,
        Ok(other) => {
            return Refusal::bad(code::VALIDATION_ERROR, format!("command must be CREDIT or DEBIT, got {other}"))
                .into_response()
        }
        Err(r) => return r.clone().into_response(),
    };
    create(&w, &body, |ledger, body| credit_or_debit(ledger, body, credit))
}

/// `POST /api/v1/account-transfers`.
pub(crate) async fn account_transfers(State(w): State<Arc<Waas>>, body: Bytes) -> Response {
    create(&w, &body, transfer)
}

/// `POST /api/v1/transactions/{id}?command=REVERSE`.
pub(crate) async fn reversal(State(w): State<Arc<Waas>>, Path(id): Path<String>, q: Params) -> Response {
    let result = match command(q).as_deref() {
        Ok("REVERSE") => reverse(&mut w.ledger(), &id),
        Ok(other) => Err(Refusal::bad(code::VALIDATION_ERROR, format!("command must be REVERSE, got {other}"))),
        Err(r) => Err(r.clone()),
    };
    match result {
        Ok(v) => respond(StatusCode::CREATED, &v),
        Err(r) => r.into_response(),
    }
}
