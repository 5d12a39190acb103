//! `limit`/`page` query paging into `{count, limit, skip, docs}`.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;

use super::error::{error, DB_INVALID_INPUT, INCORRECT_TYPE};
use crate::json::{obj, respond, Json};
use crate::paging::{serve, PagingFault};

/// Query parameters, or the extractor's refusal.
pub(crate) type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The query as a map, or a 1602 error.
pub(crate) fn params(q: Params) -> Result<HashMap<String, String>, Response> {
    q.map(|Query(q)| q).map_err(|e| error(DB_INVALID_INPUT, format!("Invalid input data: {}", e.body_text())))
}

/// A positive integer parameter within `1..=max`.
pub(crate) fn int(q: &HashMap<String, String>, name: &str, default: u64, max: u64) -> Result<u64, Response> {
    let Some(raw) = q.get(name) else { return Ok(default) };
    let Ok(n) = raw.parse::<u64>() else {
        return Err(error(
            INCORRECT_TYPE,
            format!("\"{name}\" Filed: Incorrect type, required: \"number\", but got:\"string\""),
        ));
    };
    if !(1..=max).contains(&n) {
        return Err(error(DB_INVALID_INPUT, format!("Invalid input data: \"{name}\" must be from 1 to {max}")));
    }
    Ok(n)
}

/// Pages `matching` (already filtered and ordered) with `limit` (≤ 500,
/// default 100) and a 1-based `page`, as `fault` serves it.
pub(crate) fn page<T>(
    q: &HashMap<String, String>,
    matching: Vec<T>,
    fault: Option<PagingFault>,
    render: impl Fn(T) -> Json,
) -> Response {
    let (limit, page) = match (int(q, "limit", 100, 500), int(q, "page", 1, u64::MAX)) {
        (Ok(l), Ok(p)) => (l, p),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let p = serve(matching, page, limit, fault);
    let docs: Vec<Json> = p.items.into_iter().map(render).collect();
    respond(StatusCode::OK, &obj! {"count": p.total_items, "limit": p.size, "skip": p.skip, "docs": docs})
}
