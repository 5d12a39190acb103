//! HTTP Basic authentication and the documented per-key rate limits.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, PoisonError};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use tokio::time::Instant;

use super::error::{code, error, too_many_requests};
use super::Milta;
use crate::config::{Limit, MiltaLimits};

/// Refuses requests without the configured Basic credentials.
pub(crate) async fn basic_auth(State(milta): State<Arc<Milta>>, req: Request, next: Next) -> Response {
    let ok = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .is_some_and(|pair| pair.split_once(':') == Some((milta.key_id.as_str(), milta.key_secret.as_str())));
    if !ok {
        let mut resp = error(StatusCode::UNAUTHORIZED, code::INVALID_API_KEY, "API key is missing or invalid");
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"milta\""));
        return resp;
    }
    next.run(req).await
}

/// The limit class of an endpoint, as the document groups them.
fn class(limits: &MiltaLimits, method: &Method, route: &str) -> Option<(&'static str, Limit)> {
    let route = route.strip_prefix(super::PREFIX).unwrap_or(route);
    Some(match (method.as_str(), route) {
        ("GET", r) if r.starts_with("/inventories/") => ("inventories", limits.inventories),
        ("POST", "/transfers" | "/transfers/batch") => ("transfer_create", limits.transfer_create),
        ("GET" | "DELETE", "/transfers/{id}") => ("transfer_read", limits.transfer_read),
        ("GET", "/balance") => ("balance", limits.balance),
        ("POST", "/pricing") => ("pricing", limits.pricing),
        _ => return None,
    })
}

/// Request start times per class, for exact sliding windows.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    seen: HashMap<&'static str, VecDeque<Instant>>,
}

impl Limiter {
    /// `Ok` and counts the request, or `Err(seconds to wait)`.
    fn admit(&mut self, class: &'static str, limit: Limit, now: Instant) -> Result<(), u64> {
        let seen = self.seen.entry(class).or_default();
        while seen.front().is_some_and(|t| now.duration_since(*t) >= limit.window) {
            seen.pop_front();
        }
        if seen.len() >= limit.max as usize {
            let wait = seen.front().map_or(limit.window, |oldest| limit.window.saturating_sub(now - *oldest));
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        seen.push_back(now);
        Ok(())
    }
}

/// Answers 429 with `Retry-After` once a class is over its limit.
pub(crate) async fn rate_limit(State(milta): State<Arc<Milta>>, req: Request, next: Next) -> Response {
    if let Some(limits) = &milta.limits {
        let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_default();
        if let Some((class, limit)) = class(limits, req.method(), &route) {
            let verdict =
                milta.limiter.lock().unwrap_or_else(PoisonError::into_inner).admit(class, limit, milta.clock.instant());
            if let Err(wait) = verdict {
                return too_many_requests(wait.max(1));
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn sliding_window_counts_admitted_requests() {
        let mut l = Limiter::default();
        let limit = Limit { max: 2, window: Duration::from_secs(60) };
        let t0 = Instant::now();
        assert!(l.admit("c", limit, t0).is_ok());
        assert!(l.admit("c", limit, t0 + Duration::from_secs(10)).is_ok());
        assert_eq!(l.admit("c", limit, t0 + Duration::from_secs(20)), Err(40));
        assert!(l.admit("c", limit, t0 + Duration::from_secs(60)).is_ok());
    }
}
