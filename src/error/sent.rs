//! What was sent: the one description of a request the server may have
//! acted on, made by the transport and carried by both reconcile errors.

use std::fmt;
use std::time::SystemTime;

use bytes::Bytes;

/// A request as it went out, with what a caller needs to find out whether
/// it took effect: the references to reconcile by and the exact body.
#[derive(Clone)]
#[non_exhaustive]
pub struct Sent {
    /// HTTP method.
    pub method: String,
    /// Path the request was sent to (ids included, no query).
    pub path: String,
    /// The route template the path was made from (`/transfers/{id}`), or
    /// the path when it holds no id: what `Display` names, never the raw ids.
    pub route: String,
    /// The idempotency key sent with the request, if any.
    pub idempotency_key: Option<String>,
    /// The caller's reference to reconcile by, as `(field name, value)`,
    /// for example `("externalID", "INV-1")`.
    pub reference: Option<(String, String)>,
    /// What to do to find out whether the request took effect, for this
    /// API and call, as the end of a sentence (the errors' `Display` ends
    /// with it): only what the provider's document offers.
    pub recovery: Option<&'static str>,
    /// The body exactly as sent, so a resend under the same key can be
    /// checked byte for byte against it. Kept out of `Debug` and `Display`:
    /// it holds the caller's business data.
    pub body: Option<Bytes>,
    /// When the idempotency key was first sent. It belongs to the key, not to
    /// this attempt: a resend under the same key keeps it, so the key's age
    /// (Milta keeps a key for 24 hours) never restarts.
    pub first_sent_at: SystemTime,
}

impl Sent {
    /// A `method` `path` request sent now, without references or body; set
    /// those with the fields.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        let path = path.into();
        Sent {
            method: method.into(),
            route: path.clone(),
            path,
            idempotency_key: None,
            reference: None,
            recovery: None,
            body: None,
            first_sent_at: SystemTime::now(),
        }
    }

    /// The call as a `Display` names it: the method and the route template
    /// (at most 48 characters, never a query).
    pub(super) fn call(&self) -> String {
        let route = self.route.split(['?', '#']).next().unwrap_or_default();
        format!("{} {}", self.method, super::brief::brief(route, 48))
    }
}

/// Every field but the body, of which only the length is shown.
impl fmt::Debug for Sent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sent")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("route", &self.route)
            .field("idempotency_key", &self.idempotency_key)
            .field("reference", &self.reference)
            .field("recovery", &self.recovery)
            .field("body_bytes", &self.body.as_ref().map(Bytes::len))
            .field("first_sent_at", &self.first_sent_at)
            .finish()
    }
}
