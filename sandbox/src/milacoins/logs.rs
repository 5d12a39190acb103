//! Every request is logged; `GET /logs` and `GET /logs/{id}` return them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, PoisonError};

use axum::body::{to_bytes, Body};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};

use super::auth::MAX_BODY;
use super::error::{error, DB_INVALID_INPUT, DOCUMENT_NOT_FOUND, REQUEST_ID};
use super::listing::{page, params, Params};
use super::MilaCoins;
use crate::json::{obj, respond, Json, Obj};
use crate::server::Peer;

/// Most entries kept; older ones are dropped.
const CAPACITY: usize = 5_000;
/// Larger response bodies are summarised rather than kept.
const KEEP_RESPONSE: usize = 16 * 1024;
/// Largest response body the logger buffers.
const MAX_RESPONSE: usize = 64 << 20;

/// One logged request.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    id: String,
    status: u16,
    ip: String,
    method: String,
    uri: String,
    user_agent: Option<String>,
    headers: Json,
    body: Json,
    params: Json,
    query: Json,
    response: Json,
    error: Option<String>,
    created_at: DateTime<Utc>,
}

impl Entry {
    fn to_json(&self) -> Json {
        obj! {
            "id": self.id,
            "status": self.status,
            "ip": self.ip,
            "method": self.method,
            "uri": self.uri,
            "device": obj! {"userAgent": self.user_agent},
            "headers": self.headers,
            "location": Json::Null,
            "body": self.body,
            "params": self.params,
            "query": self.query,
            "response": self.response,
            "error": self.error,
            "createdAt": self.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        }
    }
}

/// The log, newest last.
pub(crate) type Log = VecDeque<Entry>;

/// A body as JSON (numbers exactly as sent), or as text when it is not JSON.
fn parse(bytes: &[u8]) -> Json {
    if bytes.is_empty() {
        return Json::Null;
    }
    Json::parse(bytes).unwrap_or_else(|_| Json::Str(String::from_utf8_lossy(bytes).into_owned()))
}

/// The URL parameters of the routes that have one (`/logs/{id}`,
/// `/transactions/{id}`), named as the document names them.
fn url_params(path: &str) -> Json {
    let mut params = Obj::new();
    let mut segments = path.trim_start_matches('/').split('/');
    if let (Some("logs" | "transactions"), Some(id), None) = (segments.next(), segments.next(), segments.next()) {
        if !id.is_empty() {
            params.insert("id", Json::Str(id.to_owned()));
        }
    }
    Json::Obj(params)
}

/// Logs the request and its answer; sets the request id used in error bodies.
pub(crate) async fn record(State(mc): State<Arc<MilaCoins>>, req: Request, next: Next) -> Response {
    let id = crate::seed::fresh_object_id();
    let (parts, body) = req.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return REQUEST_ID.sync_scope(id, || {
            error(DB_INVALID_INPUT, format!("Invalid input data: the body is larger than {MAX_BODY} bytes"))
        });
    };
    let mut headers = Obj::new();
    for (name, value) in &parts.headers {
        let shown = match name.as_str() {
            "x-sig" | "x-api-key" | "authorization" => "[REDACTED]".to_owned(),
            _ => String::from_utf8_lossy(value.as_bytes()).into_owned(),
        };
        headers.insert(name.as_str(), Json::Str(shown));
    }
    let query: HashMap<String, String> = parts.uri.query().and_then(serde_urlencoded_like).unwrap_or_default();
    let mut query: Vec<(String, String)> = query.into_iter().collect();
    query.sort();
    let query = Obj::from(query.into_iter().map(|(k, v)| (k, Json::Str(v))).collect::<Vec<_>>());
    let mut entry = Entry {
        id: id.clone(),
        status: 0,
        ip: parts.extensions.get::<Peer>().map(|p| p.0.ip().to_string()).unwrap_or_default(),
        method: parts.method.to_string(),
        uri: parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        user_agent: parts.headers.get("user-agent").and_then(|v| v.to_str().ok()).map(str::to_owned),
        headers: Json::Obj(headers),
        body: parse(&body),
        params: url_params(parts.uri.path()),
        query: Json::Obj(query),
        response: Json::Null,
        error: None,
        created_at: mc.now(),
    };
    let resp = REQUEST_ID.scope(id, next.run(Request::from_parts(parts, Body::from(body)))).await;
    let (parts, body) = resp.into_parts();
    let bytes = to_bytes(body, MAX_RESPONSE).await.unwrap_or_default();
    entry.status = parts.status.as_u16();
    entry.response = if bytes.len() <= KEEP_RESPONSE {
        parse(&bytes)
    } else {
        obj! {"truncated": true, "bytes": bytes.len()}
    };
    if parts.status.as_u16() >= 400 {
        entry.error = entry.response.get("name").and_then(Json::as_str).map(str::to_owned);
    }
    {
        let mut log = mc.log.lock().unwrap_or_else(PoisonError::into_inner);
        if log.len() >= CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Splits a raw query into decoded pairs (last one wins).
fn serde_urlencoded_like(q: &str) -> Option<HashMap<String, String>> {
    axum::extract::Query::<HashMap<String, String>>::try_from_uri(&format!("/?{q}").parse().ok()?).ok().map(|q| q.0)
}

/// `GET /logs?limit&page`, newest first.
pub(crate) async fn list(State(mc): State<Arc<MilaCoins>>, q: Params) -> Response {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e,
    };
    let log = mc.log.lock().unwrap_or_else(PoisonError::into_inner);
    page(&q, log.iter().rev().collect(), mc.faults.get().paging, Entry::to_json)
}

/// `GET /logs/{id}`.
pub(crate) async fn get(State(mc): State<Arc<MilaCoins>>, Path(id): Path<String>) -> Response {
    let log = mc.log.lock().unwrap_or_else(PoisonError::into_inner);
    match log.iter().find(|e| e.id == id) {
        Some(e) => respond(StatusCode::OK, &e.to_json()),
        None => error(DOCUMENT_NOT_FOUND, format!("No Log found with that ID (id:{id})")),
    }
}
