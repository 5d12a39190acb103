//! WaaS answers in the document's other plausible readings (the `variants`
//! fault switch): amounts as JSON numbers instead of four-decimal strings
//! (and the echoed service limits as strings), identifiers and account
//! numbers as numbers and phone numbers as strings, camelCase beside the
//! login's snake_case and `statusCode` beside `status_code`, other
//! timestamp formats, `null` for absent optional fields, unknown fields
//! everywhere, and a reversal's `destination_transaction` repeating
//! `transaction_id` at its end, exactly as the document's example does.

use axum::http::Method;

use super::auth::LOGIN;
use crate::json::{Json, Obj};
use crate::variants::{null_if_absent, walk, Exchange, Stamp, Style};

const STYLE: Style = Style {
    amounts: &[
        "transaction_amount",
        "previous_balance",
        "current_balance",
        "minimum_balance",
        "transaction_fee",
        "minimum_transaction_amount",
        "maximum_transaction_amount",
    ],
    ids: &[
        "client_id",
        "account_id",
        "client_service_id",
        "transaction_id",
        "account_number",
        "account",
        "other_party_account",
        "client_phone_number",
        "contact_person_msisdn",
    ],
    aliases: &[
        ("access_token", "accessToken"),
        ("token_type", "tokenType"),
        ("expires_in", "expiresIn"),
        ("status_code", "statusCode"),
    ],
    stamps,
    free_form: &["source_transaction_data"],
};

fn stamps(field: &str, _index: usize) -> Option<Stamp> {
    match field {
        "transaction_date" => Some(Stamp::OffsetMillis),
        "created_at" => Some(Stamp::Offset),
        "updated_at" => Some(Stamp::Micros),
        _ => None,
    }
}

/// `POST /api/v1/transactions/{id}` (a reversal), not `/api/v1/transactions`.
fn is_reversal(ex: &Exchange<'_>) -> bool {
    *ex.method == Method::POST && ex.path.strip_prefix("/api/v1/transactions/").is_some_and(|id| !id.is_empty())
}

pub(crate) fn respell(body: &mut Json, ex: &Exchange<'_>) {
    let success = ex.status.is_success();
    if let Some(obj) = body.as_object_mut().filter(|_| success && ex.path == LOGIN) {
        null_if_absent(obj, &["refresh_token"]);
    }
    walk(body, &STYLE);
    if success && is_reversal(ex) {
        if let Some(Json::Obj(destination)) = body.as_object_mut().and_then(|b| b.get_mut("destination_transaction")) {
            repeat_transaction_id(destination);
        }
    }
}

fn repeat_transaction_id(line: &mut Obj) {
    if let Some(id) = line.get("transaction_id").cloned() {
        line.push_duplicate("transaction_id", id);
    }
}
