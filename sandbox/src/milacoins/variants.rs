//! MilaCoins' answers in the document's other plausible readings (the
//! `variants` fault switch): `requestId` beside `requestID`, `_id` beside
//! `id` and `…Id` beside every `…ID`, amounts as strings, `receiptID` as a
//! string on every other transaction, `createdAt`/`updatedAt` (typed String)
//! as epoch milliseconds, ISO 8601 at `+02:00` or with microseconds, and the
//! invoice's epoch-millisecond `createdAt`/`expiredAt` (typed Number) as ISO
//! strings, `null` for absent optional fields, unknown fields everywhere.
//! Logged payloads (`headers`, `body`, `params`, `query`, `response`) are
//! left exactly as they were recorded.

use crate::json::{Json, Obj};
use crate::variants::{alias_field, null_if_absent, walk, Exchange, Stamp, Style};

const STYLE: Style = Style {
    amounts: &["amount", "invoiceAmount", "walletCredited", "networkAmountReceived", "rate"],
    ids: &["receiptID", "receiptId"],
    aliases: &[
        ("id", "_id"),
        ("requestID", "requestId"),
        ("externalID", "externalId"),
        ("receiptID", "receiptId"),
        ("txID", "txId"),
    ],
    stamps,
    free_form: &["headers", "body", "params", "query", "response"],
};

/// Timestamps cycle through three spellings down a list.
fn stamps(field: &str, index: usize) -> Option<Stamp> {
    match field {
        "createdAt" | "updatedAt" | "expiredAt" => {
            Some([Stamp::EpochMs, Stamp::OffsetMillis, Stamp::Micros][index % 3])
        }
        _ => None,
    }
}

pub(crate) fn respell(body: &mut Json, ex: &Exchange<'_>) {
    if let Some(obj) = body.as_object_mut().filter(|_| ex.status.is_success()) {
        match obj.get_mut("docs") {
            Some(Json::Arr(docs)) => docs.iter_mut().filter_map(Json::as_object_mut).for_each(document),
            _ => document(obj),
        }
    }
    walk(body, &STYLE);
}

/// A transaction or log entry: `updatedAt` beside `createdAt`; for a
/// transaction, `null` payment-page URLs when it has none and `null` for an
/// empty `txs`.
fn document(doc: &mut Obj) {
    let is_transaction = doc.contains_key("receiptID");
    let is_log = doc.contains_key("uri") && doc.contains_key("method");
    if !is_transaction && !is_log {
        return;
    }
    alias_field(doc, "createdAt", "updatedAt");
    if is_transaction {
        null_if_absent(doc, &["cancelUrl", "completedUrl", "callbackUrl"]);
        if matches!(doc.get("txs"), Some(Json::Arr(txs)) if txs.is_empty()) {
            doc.insert("txs", Json::Null);
        }
    }
}
