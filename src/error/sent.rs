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
    /// Path the request was sent to.
    pub path: String,
    /// The idempotency key sent with the request, if any.
    pub idempotency_key: Option<String>,
    /// The caller's reference to reconcile by, as `(field name, value)`,
    /// for example `("externalID", "INV-1")`.
    pub reference: Option<(String, String)>,
    /// How to find out whether the request took effect, for this API.
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
        Sent {
            method: method.into(),
            path: path.into(),
            idempotency_key: None,
            reference: None,
            recovery: None,
            body: None,
            first_sent_at: SystemTime::now(),
        }
    }

    /// The end of a "reconcile" message: by which reference, under which
    /// idempotency key, and how to recover, each when known.
    pub(super) fn write_reconcile_by(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((field, value)) = &self.reference {
            write!(f, " by {field}={value}")?;
        }
        if let Some(key) = &self.idempotency_key {
            write!(f, " [idempotency key {key}]")?;
        }
        if let Some(how) = self.recovery {
            write!(f, "; {how}")?;
        }
        Ok(())
    }
}

/// Every field but the body, of which only the length is shown.
impl fmt::Debug for Sent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sent")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("idempotency_key", &self.idempotency_key)
            .field("reference", &self.reference)
            .field("recovery", &self.recovery)
            .field("body_bytes", &self.body.as_ref().map(Bytes::len))
            .field("first_sent_at", &self.first_sent_at)
            .finish()
    }
}
