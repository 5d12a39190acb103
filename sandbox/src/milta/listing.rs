//! How Milta answers a list.
//!
//! The document's only reference-data example (`GET /inventories/countries`)
//! is `data.items` without a `pagination` block, so the reference lists
//! answer every item whatever `page` says. Its Paging section
//! (`page`/`pageSize`, a `pagination` block) is our reading for them, served
//! with `variants`. Brands come from the provider's method reference, with
//! `page`/`limit`, and are always paged.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;

use super::error::{code, error, success};
use crate::faults::Faults;
use crate::json::{obj, Json};
use crate::paging::{serve, PagingFault};

/// Query parameters, or the extractor's refusal.
pub(crate) type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The query as a map, or a validation error.
pub(crate) fn params(q: Params) -> Result<HashMap<String, String>, Response> {
    q.map(|Query(q)| q).map_err(|e| error(StatusCode::BAD_REQUEST, code::VALIDATION_ERROR, e.body_text()))
}

/// The parameter a list reads its page size from, and its maximum (the
/// default is the document's 20 for both).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SizeParam {
    name: &'static str,
    max: u64,
}

/// The document's `pageSize` (max 100).
pub(crate) const PAGE_SIZE: SizeParam = SizeParam { name: "pageSize", max: 100 };
/// The method reference's `limit` for brands (max 200).
pub(crate) const LIMIT: SizeParam = SizeParam { name: "limit", max: 200 };

/// Reads a positive integer parameter with a default and a maximum.
fn positive(q: &HashMap<String, String>, name: &str, default: u64, max: u64) -> Result<u64, Response> {
    let Some(raw) = q.get(name) else { return Ok(default) };
    match raw.parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            code::VALIDATION_ERROR,
            format!("{name} must be an integer from 1 to {max}, got `{raw}`"),
        )),
    }
}

/// `page` and the page size, validated.
fn page_and_size(q: &HashMap<String, String>, size: SizeParam) -> Result<(u64, u64), Response> {
    Ok((positive(q, "page", 1, u64::MAX)?, positive(q, size.name, 20, size.max)?))
}

/// A reference list: as the document's example by default, paged with
/// `variants`.
pub(crate) fn reference(items: Vec<Json>, q: &HashMap<String, String>, faults: &Faults) -> Response {
    if faults.variants {
        paged(items, q, PAGE_SIZE, faults.paging)
    } else {
        whole(items, q)
    }
}

/// Every item and no `pagination` block, as the document's example. A
/// malformed `page` or `pageSize` is still refused; a valid one selects
/// nothing.
fn whole(items: Vec<Json>, q: &HashMap<String, String>) -> Response {
    match page_and_size(q, PAGE_SIZE) {
        Ok(_) => success(StatusCode::OK, obj! {"items": items}),
        Err(e) => e,
    }
}

/// One page with the document's `pagination` block (plus `limit` for a list
/// paged by `limit`), as `fault` serves it.
pub(crate) fn paged(
    items: Vec<Json>,
    q: &HashMap<String, String>,
    size: SizeParam,
    fault: Option<PagingFault>,
) -> Response {
    let (page, per_page) = match page_and_size(q, size) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let p = serve(items, page, per_page, fault);
    let mut pagination = obj! {
        "page": p.page, "pageSize": p.size, "totalItems": p.total_items, "totalPages": p.total_pages,
    };
    if let Some(block) = pagination.as_object_mut().filter(|_| size.name == LIMIT.name) {
        block.insert("limit", Json::Num(p.size.to_string()));
    }
    success(StatusCode::OK, obj! {"items": p.items, "pagination": pagination})
}
