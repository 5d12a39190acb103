//! `POST /api/v1/clients`, `/api/v1/accounts` and `/api/v1/client-services`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;

use super::error::{code, Refusal};
use super::state::{amount, timestamp, Account, Client, Ledger, Service};
use super::Waas;
use crate::json::{self, obj, respond, FieldError, Fields, Json, Obj};

const ACCOUNT_TYPES: [&str; 7] = [
    "FLOAT_ACCOUNT",
    "AVAILABLE_COLLECTIONS",
    "HYBRID_ACCOUNT",
    "ACQUIRER_RESERVE",
    "ROLLING_RESERVE",
    "COMMISSION_ACCOUNT",
    "COMMISSION_TAX_ACCOUNT",
];

/// Runs a create handler: parse, act under the ledger lock, answer 201.
pub(crate) fn create(w: &Waas, body: &[u8], act: impl FnOnce(&mut Ledger, &Obj) -> Result<Json, Refusal>) -> Response {
    let result = json::object(body)
        .map_err(|msg| Refusal::bad(code::VALIDATION_ERROR, msg))
        .and_then(|body| act(&mut w.ledger(), &body));
    match result {
        Ok(v) => respond(StatusCode::CREATED, &v),
        Err(r) => r.into_response(),
    }
}

/// A code like `EML67BG6W1`: three letters of the name, seven random.
fn code_from(name: &str) -> String {
    let mut prefix: String =
        name.chars().filter(char::is_ascii_alphanumeric).take(3).collect::<String>().to_uppercase();
    while prefix.len() < 3 {
        prefix.push('X');
    }
    let mut n = uuid::Uuid::new_v4().as_u128();
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for _ in 0..7 {
        prefix.push(char::from(alphabet[(n % 36) as usize]));
        n /= 36;
    }
    prefix
}

/// Phone numbers come back as JSON numbers, as in the document's example
/// (digits only and no leading zero; anything else stays a string).
fn phone(raw: &str) -> Json {
    match raw.parse::<u64>() {
        Ok(n) if !raw.starts_with('0') => Json::Num(n.to_string()),
        _ => Json::Str(raw.to_owned()),
    }
}

fn flag(f: &Fields<'_>, name: &str) -> Result<i64, FieldError> {
    let v = f.int(name)?;
    if v == 0 || v == 1 {
        Ok(v)
    } else {
        Err(FieldError::invalid(name, "must be 1 (active) or 0 (inactive)"))
    }
}

fn client(ledger: &mut Ledger, body: &Obj) -> Result<Json, Refusal> {
    let f = Fields(body);
    let name = f.str("client_name")?;
    let email = f.str("client_email")?;
    let phone_number = f.str("client_phone_number")?;
    let contact = f.str("contact_person_name")?;
    let contact_email = f.str("contact_person_email")?;
    let msisdn = f.str("contact_person_msisdn")?;
    let pin = f.str("business_pin")?;
    let country = f.str("country")?;
    let address = f.opt_str("physical_address")?;
    let logo = f.opt_str("logo")?;
    let description = f.opt_str("description")?;
    let active = flag(&f, "is_active")?;
    let client = Client { code: code_from(name) };
    ledger.clients.push(client.clone());
    Ok(obj! {
        "client_id": ledger.clients.len().to_string(),
        "client_name": name,
        "client_email": email,
        "client_phone_number": phone(phone_number),
        "contact_person_name": contact,
        "contact_person_email": contact_email,
        "contact_person_msisdn": phone(msisdn),
        "business_pin": pin,
        "physical_address": address,
        "country": country,
        "description": description,
        "is_active": active,
        "client_code": client.code,
        "logo": logo,
    })
}

fn known_client(ledger: &Ledger, code: &str) -> Result<(), Refusal> {
    if ledger.clients.iter().any(|c| c.code == code) {
        Ok(())
    } else {
        Err(Refusal::not_found(format!("client {code} not found")))
    }
}

fn account(ledger: &mut Ledger, body: &Obj) -> Result<Json, Refusal> {
    let f = Fields(body);
    let client_code = f.str("client_code")?;
    let kind = f.str("account_type_code")?;
    let name = f.str("account_name")?;
    let currency = f.str("currency")?;
    let minimum = f.decimal("minimum_balance")?;
    let can_overdraw = f.opt_bool("can_overdraw")?.unwrap_or(false);
    let status = f.str("status")?;
    let status_description = f.opt_str("status_description")?;
    if !ACCOUNT_TYPES.contains(&kind) {
        return Err(
            FieldError::invalid("account_type_code", format!("must be one of {}", ACCOUNT_TYPES.join(", "))).into()
        );
    }
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(FieldError::invalid("currency", "must be an ISO 4217 code such as KES").into());
    }
    if !matches!(status, "ACTIVE" | "INACTIVE") {
        return Err(FieldError::invalid("status", "must be ACTIVE or INACTIVE").into());
    }
    if !crate::money::fits(minimum, 4) {
        return Err(FieldError::invalid("minimum_balance", "at most 4 decimal places").into());
    }
    known_client(ledger, client_code)?;
    let number = ledger.next_account_number();
    ledger.accounts.push(Account {
        number: number.clone(),
        currency: currency.to_owned(),
        minimum_balance: minimum,
        can_overdraw,
        active: status == "ACTIVE",
        balance: Decimal::ZERO,
        system: false,
    });
    let now = timestamp(ledger.clock.now());
    Ok(obj! {
        "account_id": ledger.accounts.iter().filter(|a| !a.system).count().to_string(),
        "account_number": number,
        "account_name": name,
        "currency": currency,
        "minimum_balance": amount(minimum),
        "can_overdraw": can_overdraw,
        "status": status,
        "status_description": status_description,
        "created_at": now,
        "updated_at": now,
    })
}

fn service(ledger: &mut Ledger, body: &Obj) -> Result<Json, Refusal> {
    let f = Fields(body);
    let client_code = f.str("client_code")?;
    let name = f.str("client_service_name")?;
    let service_code = f.str("service_code")?;
    let has_fee = f.bool("has_transaction_fee")?;
    let fee_type = f.opt_str("transaction_fee_type")?;
    f.opt_decimal("transaction_fee")?;
    let minimum = f.decimal("minimum_transaction_amount")?;
    let maximum = f.decimal("maximum_transaction_amount")?;
    let active = flag(&f, "is_active")?;
    if fee_type.is_some_and(|t| !matches!(t, "FIXED" | "PERCENTAGE")) {
        return Err(FieldError::invalid("transaction_fee_type", "must be FIXED or PERCENTAGE").into());
    }
    if minimum < Decimal::ZERO || maximum < minimum {
        return Err(FieldError::invalid(
            "maximum_transaction_amount",
            "must be at least minimum_transaction_amount, which must not be negative",
        )
        .into());
    }
    known_client(ledger, client_code)?;
    let code = code_from(name);
    ledger.services.push(Service { code: code.clone(), active: active == 1, minimum, maximum });
    let raw = |name: &str| f.raw(name).cloned().unwrap_or(Json::Null);
    Ok(obj! {
        "client_service_id": ledger.services.len().to_string(),
        "client_service_code": code,
        "client_code": client_code,
        "client_service_name": name,
        "service_code": service_code,
        "has_transaction_fee": has_fee,
        "transaction_fee_type": fee_type,
        "transaction_fee": raw("transaction_fee"),
        "minimum_transaction_amount": raw("minimum_transaction_amount"),
        "maximum_transaction_amount": raw("maximum_transaction_amount"),
        "is_active": active,
    })
}

/// `POST /api/v1/clients`.
pub(crate) async fn create_client(State(w): State<Arc<Waas>>, body: Bytes) -> Response {
    create(&w, &body, client)
}

/// `POST /api/v1/accounts`.
pub(crate) async fn create_account(State(w): State<Arc<Waas>>, body: Bytes) -> Response {
    create(&w, &body, account)
}

/// `POST /api/v1/client-services`.
pub(crate) async fn create_service(State(w): State<Arc<Waas>>, body: Bytes) -> Response {
    create(&w, &body, service)
}
