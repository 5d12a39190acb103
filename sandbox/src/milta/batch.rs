//! `POST /transfers/batch`: up to 100 transfers, each accepted or rejected
//! on its own; duplicate `externalId`s inside one batch are all rejected.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::error::{code, error_body, success_body};
use super::state::Book;
use super::transfers::{idempotent, open};
use super::Milta;
use crate::json::{obj, Json};

/// Most transfers one batch may carry.
const MAX_BATCH: usize = 100;

fn rejected(external_id: &str, code: &str, message: impl Into<String>) -> Json {
    let message: String = message.into();
    obj! {"externalId": external_id, "status": "REJECTED", "code": code, "message": message}
}

fn run(m: &Milta, book: &mut Book, body: &[u8]) -> (StatusCode, Json) {
    let bad = |msg: String| (StatusCode::BAD_REQUEST, error_body(code::VALIDATION_ERROR, msg));
    let entries = match crate::json::object(body) {
        Err(msg) => return bad(msg),
        Ok(mut obj) => match obj.remove("transfers") {
            Some(Json::Arr(entries)) => entries,
            None | Some(Json::Null) => return bad("transfers is required".into()),
            Some(other) => return bad(format!("transfers must be an array, got {}", other.type_name())),
        },
    };
    if entries.is_empty() || entries.len() > MAX_BATCH {
        return bad(format!("a batch carries 1 to {MAX_BATCH} transfers, got {}", entries.len()));
    }
    let external_id = |e: &Json| e.get("externalId").and_then(Json::as_str).unwrap_or_default().to_owned();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for e in &entries {
        *seen.entry(external_id(e)).or_default() += 1;
    }
    let now = m.clock.now();
    let batch_id = book.next_batch_id(now);
    let mut results = Vec::with_capacity(entries.len());
    let mut accepted = 0;
    for e in &entries {
        let id = external_id(e);
        let outcome = match e {
            Json::Obj(_) if !id.is_empty() && seen.get(&id).copied().unwrap_or(0) > 1 => rejected(
                &id,
                code::TRANSFER_ALREADY_EXISTS,
                format!("externalId {id} appears more than once in this batch"),
            ),
            Json::Obj(entry) => match open(m, book, entry, now, Some(&batch_id)) {
                Ok(t) => {
                    accepted += 1;
                    obj! {"externalId": id, "status": t.status.as_str(), "transferId": t.id}
                }
                Err(r) => rejected(&id, r.code, r.message),
            },
            other => rejected(
                &id,
                code::VALIDATION_ERROR,
                format!("each entry must be an object, got {}", other.type_name()),
            ),
        };
        results.push(outcome);
    }
    let data = obj! {
        "batchId": batch_id,
        "accepted": accepted,
        "rejected": results.len() - accepted,
        "transfers": results,
    };
    (StatusCode::OK, success_body(data))
}

/// `POST /transfers/batch`.
pub(crate) async fn create(State(m): State<Arc<Milta>>, headers: HeaderMap, body: Bytes) -> Response {
    idempotent(&m, &headers, "/transfers/batch", &body, |book| run(&m, book, &body))
}
