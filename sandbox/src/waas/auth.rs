//! `POST /api/v1/auth/login` and the Bearer check on every other route.

use std::sync::{Arc, PoisonError};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{code, Refusal};
use super::Waas;
use crate::json::{self, obj, respond, Fields, Json};

/// The login path, which needs no token.
pub(crate) const LOGIN: &str = "/api/v1/auth/login";

/// `POST /api/v1/auth/login {username, password}`.
pub(crate) async fn login(State(w): State<Arc<Waas>>, body: Bytes) -> Response {
    let body = match json::object(&body) {
        Ok(b) => b,
        Err(msg) => return Refusal::bad(code::VALIDATION_ERROR, msg).into_response(),
    };
    let f = Fields(&body);
    let (user, pass) = match (f.str("username"), f.str("password")) {
        (Ok(u), Ok(p)) => (u, p),
        (Err(e), _) | (_, Err(e)) => return Refusal::from(e).into_response(),
    };
    if user != w.username || pass != w.password {
        return Refusal::new(StatusCode::UNAUTHORIZED, code::UNAUTHORIZED, "Invalid username or password")
            .into_response();
    }
    let token = format!("waas_{}", uuid::Uuid::new_v4().simple());
    w.logins.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let expires = w.token_ttl.map(|ttl| w.clock.instant() + ttl);
    w.tokens.lock().unwrap_or_else(PoisonError::into_inner).insert(token.clone(), expires);
    let mut body = obj! {"access_token": token, "token_type": "Bearer"};
    if let (Some(ttl), Some(obj)) = (w.token_ttl, body.as_object_mut()) {
        obj.insert("expires_in", Json::Num(ttl.as_secs().to_string()));
    }
    respond(StatusCode::OK, &body)
}

/// Requires a valid, unexpired token except on the login route.
pub(crate) async fn bearer(State(w): State<Arc<Waas>>, req: Request, next: Next) -> Response {
    if req.uri().path() == LOGIN {
        return next.run(req).await;
    }
    let token =
        req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let verdict = match token {
        None => Err("Authorization: Bearer <access_token> is required"),
        Some(t) => match w.tokens.lock().unwrap_or_else(PoisonError::into_inner).get(t) {
            None => Err("The access token is invalid"),
            Some(Some(expires)) if w.clock.instant() >= *expires => Err("The access token has expired"),
            Some(_) => Ok(()),
        },
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(message) => Refusal::new(StatusCode::UNAUTHORIZED, code::UNAUTHORIZED, message).into_response(),
    }
}
