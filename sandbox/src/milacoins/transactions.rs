//! `GET /transactions` (filters, paging) and `GET /transactions/{id}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::error::{error, DB_INVALID_INPUT, DOCUMENT_NOT_FOUND, INVALID_STATUS, INVALID_WALLET};
use super::listing::{page, params, Params};
use super::store::{STATUSES, WALLETS};
use super::MilaCoins;
use crate::json::respond;

/// Reads an ISO 8601 date (`2020-1-1`) or timestamp as a bound. `from` is
/// inclusive; with `end` the result is an exclusive end: just after a
/// timestamp, or the start of the day after a bare date.
fn instant(raw: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        let t = t.with_timezone(&Utc);
        return Some(if end { t + TimeDelta::nanoseconds(1) } else { t });
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let start = date.and_hms_opt(0, 0, 0)?.and_utc();
    Some(if end { start + TimeDelta::days(1) } else { start })
}

fn bound(q: &HashMap<String, String>, name: &str, end: bool) -> Result<Option<DateTime<Utc>>, Response> {
    match q.get(name) {
        None => Ok(None),
        Some(raw) => instant(raw, end).map(Some).ok_or_else(|| {
            error(DB_INVALID_INPUT, format!("Invalid input data: \"{name}\" must be an ISO 8601 date, got \"{raw}\""))
        }),
    }
}

/// `GET /transactions?limit&page&from&to&wallet&externalID&status&type`,
/// newest first.
pub(crate) async fn list(State(mc): State<Arc<MilaCoins>>, q: Params) -> Response {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e,
    };
    let (from, to) = match (bound(&q, "from", false), bound(&q, "to", true)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    if let Some(w) = q.get("wallet").filter(|w| !WALLETS.contains(&w.as_str())) {
        return error(
            INVALID_WALLET,
            format!("\"{w}\" is not a valid wallet. Valid wallets: \"{}\"", WALLETS.join(",")),
        );
    }
    let statuses: Option<Vec<&str>> = q.get("status").map(|s| s.split(',').map(str::trim).collect());
    if let Some(bad) = statuses.iter().flatten().find(|s| !STATUSES.contains(s)) {
        return error(
            INVALID_STATUS,
            format!("\"{bad}\" is not a valid status. Valid statuses: \"{}\"", STATUSES.join(",")),
        );
    }
    let store = mc.store();
    let matching: Vec<_> = store
        .txns
        .iter()
        .rev()
        .filter(|t| from.is_none_or(|f| t.created_at >= f))
        .filter(|t| to.is_none_or(|end| t.created_at < end))
        .filter(|t| q.get("wallet").is_none_or(|w| t.wallet == *w))
        .filter(|t| q.get("externalID").is_none_or(|x| t.external_id.as_deref() == Some(x.as_str())))
        .filter(|t| statuses.as_ref().is_none_or(|s| s.contains(&t.status)))
        .filter(|t| q.get("type").is_none_or(|k| t.kind == k.as_str()))
        .collect();
    page(&q, matching, mc.faults.get().paging, |t| t.to_json())
}

/// `GET /transactions/{id}`.
pub(crate) async fn get(State(mc): State<Arc<MilaCoins>>, Path(id): Path<String>) -> Response {
    match mc.store().get(&id) {
        Some(t) => respond(StatusCode::OK, &t.to_json()),
        None => error(DOCUMENT_NOT_FOUND, format!("No Transaction found with that ID (id:{id})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_loosely() {
        assert_eq!(instant("2020-1-1", false).unwrap().to_rfc3339(), "2020-01-01T00:00:00+00:00");
        assert_eq!(instant("2022-01-01", true).unwrap().to_rfc3339(), "2022-01-02T00:00:00+00:00");
        assert!(instant("2022-01-01T10:00:00Z", true).is_some());
        assert!(instant("yesterday", false).is_none());
    }
}
