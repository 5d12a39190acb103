//! A request as plain data: what to send, and how it may be retried.

use std::time::SystemTime;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::retry::RetryPolicy;
use crate::error::{Error, Result, Sent};

/// One API call described as data, handed to the transport to send.
///
/// Provider clients build these for every typed operation; you can build one
/// yourself to call an endpoint walletkit does not know yet, with the same
/// auth, retries, rate limits and errors (see each client's `send_raw`).
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The route template (`/transfers/{id}`), for traces and metrics that
    /// must not carry raw ids; `None` when the path has no id in it.
    pub(crate) route: Option<&'static str>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Bytes>,
    pub(crate) idempotency_key: Option<(String, String)>,
    pub(crate) safe_to_repeat: bool,
    pub(crate) reference: Option<(String, String)>,
    pub(crate) recovery: Option<&'static str>,
    pub(crate) rate_class: Option<&'static str>,
    pub(crate) retry: Option<RetryPolicy>,
    /// When the idempotency key was first used, for a resend; `None` for a
    /// first send, which starts the clock when the call starts.
    pub(crate) first_sent_at: Option<SystemTime>,
    /// Sent without the client's auth (a login sent through the client it authenticates).
    pub(crate) without_auth: bool,
    /// A money movement, named for the journal (`transfers.create`): with a
    /// journal and a reference, it is stored before it is sent.
    pub(crate) journal_operation: Option<std::borrow::Cow<'static, str>>,
}

/// Names and sizes only: bodies and header values can hold credentials (a
/// login's password, a caller's own auth header).
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |pairs: &[(String, String)]| pairs.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("body_bytes", &self.body.as_ref().map(Bytes::len))
            .field("idempotent", &self.is_idempotent())
            .finish()
    }
}

/// A request path, and the route template it was made from when it holds an
/// id (`/transfers/T-1` from `/transfers/{id}`). Plain strings convert into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath {
    pub(crate) path: String,
    pub(crate) route: Option<&'static str>,
}

impl RequestPath {
    /// `path`, made from the route template `route` (used in traces and
    /// metrics instead of the raw path).
    pub fn with_route(path: impl Into<String>, route: &'static str) -> Self {
        RequestPath { path: path.into(), route: Some(route) }
    }
}

impl From<String> for RequestPath {
    fn from(path: String) -> Self {
        RequestPath { path, route: None }
    }
}

impl From<&str> for RequestPath {
    fn from(path: &str) -> Self {
        RequestPath { path: path.to_string(), route: None }
    }
}

impl From<&String> for RequestPath {
    fn from(path: &String) -> Self {
        RequestPath { path: path.clone(), route: None }
    }
}

impl Request {
    /// A request with `method` to `path`, relative to the client's base URL.
    pub fn new(method: Method, path: impl Into<RequestPath>) -> Self {
        let RequestPath { path, route } = path.into();
        Request {
            method,
            path,
            route,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotency_key: None,
            safe_to_repeat: false,
            reference: None,
            recovery: None,
            rate_class: None,
            retry: None,
            first_sent_at: None,
            without_auth: false,
            journal_operation: None,
        }
    }

    /// A `GET` request.
    pub fn get(path: impl Into<RequestPath>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A `POST` request.
    pub fn post(path: impl Into<RequestPath>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A `DELETE` request.
    pub fn delete(path: impl Into<RequestPath>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Appends a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Appends a query parameter when `value` is `Some`.
    pub fn query_opt<V: ToString>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Adds a header; an invalid name or value is refused when the request is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Serialises `body` once, as compact JSON, to be sent byte for byte on every attempt.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the value cannot be serialised.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("request body could not be serialised: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// Sends this idempotency key in header `name` on every attempt, which
    /// makes the request safe to retry after a lost answer.
    ///
    /// The key must be 1 to 255 visible ASCII characters (`!` to `~`, no
    /// space); any other key is refused with [`Error::InvalidRequest`] when
    /// the request is sent, before anything goes out.
    pub fn idempotency_key(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.idempotency_key = Some((name.into(), key.into()));
        self
    }

    /// Declares that sending this request twice has the same effect as once
    /// although its method does not say so (a login, a price quote), so it is
    /// retried after a 5xx or a lost answer like a `GET`.
    pub fn idempotent(mut self) -> Self {
        self.safe_to_repeat = true;
        self
    }

    /// The caller's reference (`field`, `value`) reported if the outcome is unknown.
    pub fn reference(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.reference = Some((field.into(), value.into()));
        self
    }

    /// How to find out whether this request took effect, told with an
    /// unknown outcome (`"resend with the same idempotency key within 24 h"`).
    pub fn recovery(mut self, how: &'static str) -> Self {
        self.recovery = Some(how);
        self
    }

    /// Marks a money movement the client's journal stores before sending it,
    /// under `operation` (`transfers.create`) and the request's reference.
    pub(crate) fn journaled(mut self, operation: &'static str) -> Self {
        self.journal_operation = Some(operation.into());
        self
    }

    /// Sends this request without the client's auth: the login that obtains it.
    pub(crate) fn without_auth(mut self) -> Self {
        self.without_auth = true;
        self
    }

    /// Counts this request against the client-side rate limit of `class`.
    pub fn rate_class(mut self, class: super::ratelimit::RateClass) -> Self {
        self.rate_class = Some(class.name());
        self
    }

    /// When this request's idempotency key was first sent, for a resend of a
    /// request whose outcome is unknown (pass its
    /// [`first_sent_at`](crate::Sent::first_sent_at)): an unknown
    /// outcome of this call then reports that time too, so the key's age
    /// keeps counting from its first use instead of restarting on every resend.
    pub fn first_sent_at(mut self, at: SystemTime) -> Self {
        self.first_sent_at = Some(at);
        self
    }

    /// Overrides the client's retry policy for this request only.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Whether sending this request twice has the same effect as once:
    /// safe methods, requests marked [`idempotent`](Request::idempotent), and
    /// anything carrying an idempotency key.
    pub fn is_idempotent(&self) -> bool {
        matches!(self.method, Method::GET | Method::HEAD | Method::DELETE | Method::PUT)
            || self.safe_to_repeat
            || self.idempotency_key.is_some()
    }

    /// The idempotency key this request carries, if any.
    pub fn idempotency_key_value(&self) -> Option<&str> {
        self.idempotency_key.as_ref().map(|(_, k)| k.as_str())
    }

    /// The route template for traces and metrics: the template an id was
    /// put into, or the path itself.
    pub fn route(&self) -> &str {
        self.route.unwrap_or(&self.path)
    }

    /// The request body exactly as it will be sent.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// What this request was, once sent: the references move out, nothing
    /// is copied. `first_sent_at` is the key's first use, when this is no resend.
    pub(crate) fn into_sent(self, first_sent_at: SystemTime) -> Sent {
        Sent {
            method: self.method.as_str().to_string(),
            route: self.route().to_string(),
            path: self.path,
            idempotency_key: self.idempotency_key.map(|(_, key)| key),
            reference: self.reference,
            recovery: self.recovery,
            body: self.body,
            first_sent_at: self.first_sent_at.unwrap_or(first_sent_at),
        }
    }

    /// Refuses an idempotency key the server could not be trusted to tell
    /// apart from another (see [`check_idempotency_key`]).
    pub(crate) fn check_idempotency_key(&self) -> Result<()> {
        match &self.idempotency_key {
            Some((_, key)) => check_idempotency_key(key),
            None => Ok(()),
        }
    }
}

/// The longest idempotency key accepted, in bytes (Stripe's limit; the
/// provider documents name none).
pub(crate) const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// The one rule for idempotency keys, applied to every keyed request before
/// anything is sent: 1 to [`MAX_IDEMPOTENCY_KEY_LEN`] visible ASCII
/// characters (0x21 `!` to 0x7E `~`).
///
/// Why: an empty key reads as no key at the server while this client would
/// still retry as if the request were protected; a long one may be cut, and
/// two keys cut to one would answer one transfer with another's outcome.
/// Space is refused too: HTTP strips it around a header value, so `"k "` and
/// `"k"` would be one key there and two here. Control and non-ASCII bytes are
/// not valid (or not portable) in a header.
pub(crate) fn check_idempotency_key(key: &str) -> Result<()> {
    let problem = if key.is_empty() {
        "is empty".to_string()
    } else if key.len() > MAX_IDEMPOTENCY_KEY_LEN {
        format!("is {} bytes long", key.len())
    } else if !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        // The key is not echoed: it may carry the very bytes that break a log line.
        "has a space, a control or a non-ASCII character".to_string()
    } else {
        return Ok(());
    };
    Err(Error::InvalidRequest(format!(
        "the idempotency key {problem}; a key must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} visible ASCII characters \
         (`!` to `~`, no space)"
    )))
}

/// The idempotency key that follows the payment: a UUID (RFC 9562 custom
/// layout) from the SHA-256 of the credentials' `scope`, the method, the
/// path and the exact body bytes. The same request from the same account
/// always carries the same key, in this process or after a restart, so the
/// server answers a repeat with the original outcome; a request that
/// differs by one byte carries another key.
pub(crate) fn derived_idempotency_key(scope: &str, req: &Request) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for part in [scope.as_bytes(), req.method.as_str().as_bytes(), req.path.as_bytes(), req.body().unwrap_or_default()]
    {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_key_follows_scope_method_path_and_exact_body() {
        let req = |path: &str, body: &str| {
            Request::post(path).json(&serde_json::value::RawValue::from_string(body.into()).unwrap()).unwrap()
        };
        let key = derived_idempotency_key("milta:ab", &req("/transfers", r#"{"amount":10.00}"#));
        assert!(check_idempotency_key(&key).is_ok(), "{key}");
        assert_eq!(key, derived_idempotency_key("milta:ab", &req("/transfers", r#"{"amount":10.00}"#)), "stable");
        for other in [
            derived_idempotency_key("milta:cd", &req("/transfers", r#"{"amount":10.00}"#)),
            derived_idempotency_key("milta:ab", &req("/transfers/batch", r#"{"amount":10.00}"#)),
            derived_idempotency_key("milta:ab", &req("/transfers", r#"{"amount":10.0}"#)),
            derived_idempotency_key("milta:ab", &Request::get("/transfers")),
        ] {
            assert_ne!(key, other);
        }
        // Parts are length-prefixed: moving a byte from one part to the next is another key.
        assert_ne!(
            derived_idempotency_key("milta:a", &req("b/transfers", "{}")),
            derived_idempotency_key("milta:ab", &req("/transfers", "{}"))
        );
    }

    #[test]
    fn idempotency_keys_are_1_to_255_visible_ascii_characters() {
        let longest = "k".repeat(MAX_IDEMPOTENCY_KEY_LEN);
        for ok in ["k", "0f8fad5b-d9cb-469f-a165-70867728950e", "!~", longest.as_str()] {
            assert!(check_idempotency_key(ok).is_ok(), "{ok:?}");
        }
        let too_long = "k".repeat(MAX_IDEMPOTENCY_KEY_LEN + 1);
        for bad in ["", too_long.as_str(), "a\nb", "a\rb", "a b", " k", "k ", "a\tb", "\u{7f}", "cl\u{e9}", "a\0b"] {
            let err = check_idempotency_key(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("idempotency key")), "{bad:?}: {err}");
        }
    }

    #[test]
    fn only_a_keyed_request_is_checked() {
        assert!(Request::post("/x").check_idempotency_key().is_ok());
        assert!(Request::post("/x").idempotency_key("K", "").check_idempotency_key().is_err());
        assert!(Request::post("/x").idempotency_key("K", "k-1").check_idempotency_key().is_ok());
    }
}
