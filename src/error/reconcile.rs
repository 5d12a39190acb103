//! The two errors that say "the server may have acted: reconcile before
//! sending again".

use std::fmt;

use super::Provider;

/// What a caller needs to find out whether a lost request took effect.
#[derive(Clone)]
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// Which API the request went to.
    pub provider: Provider,
    /// HTTP method.
    pub method: String,
    /// Path the request was sent to.
    pub path: String,
    /// The idempotency key sent with the request, if any.
    pub idempotency_key: Option<String>,
    /// The caller's reference to reconcile by, as `(field name, value)`,
    /// for example `("externalID", "INV-1")`.
    pub reference: Option<(String, String)>,
    /// Why the outcome is unknown: the lost answer, or the server's failure.
    pub cause: String,
    /// When the idempotency key was first sent. It belongs to the key, not to
    /// this attempt: a resend under the same key keeps it, so the key's age
    /// (Milta keeps a key for 24 hours) never restarts.
    pub first_sent_at: std::time::SystemTime,
    /// How to find out whether the request took effect, for this API.
    pub recovery: Option<&'static str>,
    /// The body exactly as sent, so a resend under the same key can be
    /// checked byte for byte against it. Kept out of `Debug` and `Display`:
    /// it holds the caller's business data.
    pub sent_body: Option<bytes::Bytes>,
}

/// Every field but the body, of which only the length is shown.
impl fmt::Debug for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutcomeUnknown")
            .field("provider", &self.provider)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("idempotency_key", &self.idempotency_key)
            .field("reference", &self.reference)
            .field("cause", &self.cause)
            .field("first_sent_at", &self.first_sent_at)
            .field("recovery", &self.recovery)
            .field("sent_body_bytes", &self.sent_body.as_ref().map(bytes::Bytes::len))
            .finish()
    }
}

impl OutcomeUnknown {
    /// The details of a `method` `path` call to `provider` whose outcome is
    /// unknown because of `cause`; set the references with the fields.
    pub fn new(
        provider: Provider,
        method: impl Into<String>,
        path: impl Into<String>,
        cause: impl Into<String>,
    ) -> Self {
        OutcomeUnknown {
            provider,
            method: method.into(),
            path: path.into(),
            idempotency_key: None,
            reference: None,
            cause: cause.into(),
            first_sent_at: std::time::SystemTime::now(),
            recovery: None,
            sent_body: None,
        }
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: sent, but the outcome is unknown ({}); reconcile before retrying",
            self.provider, self.method, self.path, self.cause
        )?;
        write_reconcile_by(f, self.reference.as_ref(), self.idempotency_key.as_deref(), self.recovery)
    }
}

/// The end of a "reconcile" message: by which reference, under which
/// idempotency key, and how to recover, each when known.
fn write_reconcile_by(
    f: &mut fmt::Formatter<'_>,
    reference: Option<&(String, String)>,
    idempotency_key: Option<&str>,
    recovery: Option<&str>,
) -> fmt::Result {
    if let Some((field, value)) = reference {
        write!(f, " by {field}={value}")?;
    }
    if let Some(key) = idempotency_key {
        write!(f, " [idempotency key {key}]")?;
    }
    if let Some(how) = recovery {
        write!(f, "; {how}")?;
    }
    Ok(())
}

/// A call with side effects that the server accepted (a 2xx) but whose
/// answer could not be read: money may have moved. Never resend it as is;
/// reconcile by the carried reference first.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AcceptedUnreadable {
    /// Which API answered.
    pub provider: Provider,
    /// HTTP method.
    pub method: String,
    /// Path the request was sent to.
    pub path: String,
    /// HTTP status of the accepted answer.
    pub status: u16,
    /// The idempotency key sent with the request, if any.
    pub idempotency_key: Option<String>,
    /// The caller's reference to reconcile by, as `(field name, value)`.
    pub reference: Option<(String, String)>,
    /// How to find out whether the request took effect, for this API.
    pub recovery: Option<&'static str>,
    /// The JSON path that failed (`data.transferId`), when known.
    pub json_path: Option<String>,
    /// What could not be read.
    pub message: String,
    /// The first bytes of the body, made printable: at most 512 characters,
    /// control characters escaped, credentials replaced by `[REDACTED]`.
    pub excerpt: String,
}

impl AcceptedUnreadable {
    /// The details of a `method` `path` call to `provider` accepted with
    /// `status` whose answer could not be read (`message`); set the
    /// references with the fields.
    pub fn new(
        provider: Provider,
        method: impl Into<String>,
        path: impl Into<String>,
        status: u16,
        message: impl Into<String>,
    ) -> Self {
        AcceptedUnreadable {
            provider,
            method: method.into(),
            path: path.into(),
            status,
            idempotency_key: None,
            reference: None,
            recovery: None,
            json_path: None,
            message: message.into(),
            excerpt: String::new(),
        }
    }
}

impl fmt::Display for AcceptedUnreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} was accepted (status {}) but its answer could not be read",
            self.provider, self.method, self.path, self.status
        )?;
        if let Some(path) = &self.json_path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}; the server may have acted, do not resend: reconcile", self.message)?;
        write_reconcile_by(f, self.reference.as_ref(), self.idempotency_key.as_deref(), self.recovery)?;
        write!(f, "; body starts {:?}", self.excerpt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    #[test]
    fn accepted_unreadable_says_not_to_resend_and_is_not_retryable() {
        let e = Error::AcceptedUnreadable(Box::new(AcceptedUnreadable {
            provider: Provider::Milta,
            method: "POST".into(),
            path: "/transfers".into(),
            status: 201,
            idempotency_key: Some("k".into()),
            reference: Some(("externalId".into(), "TXN-1".into())),
            recovery: None,
            json_path: Some("data.transferId".into()),
            message: "bad".into(),
            excerpt: "{}".into(),
        }));
        assert!(!e.is_retryable());
        assert_eq!((e.kind(), e.status()), (ErrorKind::AcceptedUnreadable, Some(201)));
        let text = e.to_string();
        for part in
            ["accepted (status 201)", "do not resend", "externalId=TXN-1", "idempotency key k", "data.transferId"]
        {
            assert!(text.contains(part), "{part}: {text}");
        }
    }
}
