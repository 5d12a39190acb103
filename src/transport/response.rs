//! A successful response, read in full under the size cap.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::request::Request;
use crate::error::{redacted_excerpt, AcceptedUnreadable, DecodeError, Error, Provider, Result};

/// A 2xx response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) provider: Provider,
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
    /// Set when the request may have had side effects: what a caller needs
    /// to reconcile if this answer cannot be read.
    pub(crate) accepted: Option<Box<Sent>>,
}

/// What was sent, for a request the server may have acted on.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    pub method: String,
    pub path: String,
    pub idempotency_key: Option<String>,
    pub reference: Option<(String, String)>,
    pub recovery: Option<&'static str>,
}

impl From<Request> for Sent {
    /// Moves the references out of the finished request: nothing is copied.
    fn from(req: Request) -> Self {
        Sent {
            method: req.method.as_str().to_string(),
            path: req.path,
            idempotency_key: req.idempotency_key.map(|(_, key)| key),
            reference: req.reference,
            recovery: req.recovery,
        }
    }
}

impl RawResponse {
    /// Decodes the body as JSON into `T`, naming the JSON path that failed.
    ///
    /// # Errors
    /// [`Error::Decode`] with the status, path and a body excerpt; on a
    /// request with side effects, [`Error::AcceptedUnreadable`] instead, with
    /// the references to reconcile by.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        // Plain serde first: tracking the path costs allocations on every
        // key, so it is paid only to explain a failure.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = if self.body.iter().all(u8::is_ascii_whitespace) {
                "empty body where JSON was expected".to_string()
            } else {
                inner.to_string()
            };
            self.unreadable((path != ".").then_some(path.as_str()), message)
        })
    }

    /// The error for an answer that could not be read: [`Error::AcceptedUnreadable`]
    /// when the request may have had side effects, [`Error::Decode`] otherwise.
    pub(crate) fn unreadable(&self, json_path: Option<&str>, message: String) -> Error {
        let json_path = json_path.map(str::to_string);
        let excerpt = redacted_excerpt(&self.body);
        match &self.accepted {
            Some(sent) => {
                let sent = sent.as_ref().clone();
                tracing::warn!(
                    provider = %self.provider,
                    method = %sent.method,
                    path = %sent.path,
                    status = self.status,
                    reference = ?sent.reference,
                    idempotency_key = ?sent.idempotency_key,
                    "accepted but unreadable answer; reconcile before resending"
                );
                Error::AcceptedUnreadable(Box::new(AcceptedUnreadable {
                    provider: self.provider,
                    method: sent.method,
                    path: sent.path,
                    status: self.status,
                    idempotency_key: sent.idempotency_key,
                    reference: sent.reference,
                    recovery: sent.recovery,
                    json_path,
                    message,
                    excerpt,
                }))
            }
            None => Error::Decode(Box::new(DecodeError {
                provider: self.provider,
                status: self.status,
                json_path,
                message,
                excerpt,
            })),
        }
    }

    /// A header's value as text, when present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}
