//! The two errors that say "the server may have acted: reconcile before
//! sending again", each carrying what was [`Sent`].

use std::fmt;

use super::{Provider, Sent};

/// What a caller needs to find out whether a lost request took effect.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// Which API the request went to.
    pub provider: Provider,
    /// What was sent: method, path, references, body and when the key was first sent.
    pub sent: Sent,
    /// Why the outcome is unknown: the lost answer, or the server's failure.
    pub cause: String,
}

impl OutcomeUnknown {
    /// The details of a `method` `path` call to `provider` whose outcome is
    /// unknown because of `cause`; set the references with the fields of `sent`.
    pub fn new(
        provider: Provider,
        method: impl Into<String>,
        path: impl Into<String>,
        cause: impl Into<String>,
    ) -> Self {
        OutcomeUnknown { provider, sent: Sent::new(method, path), cause: cause.into() }
    }
}

impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: sent, but the outcome is unknown ({}); reconcile before retrying",
            self.provider, self.sent.method, self.sent.path, self.cause
        )?;
        self.sent.write_reconcile_by(f)
    }
}

/// A call with side effects that the server accepted (a 2xx) but whose
/// answer could not be read: money may have moved. Never resend it as is;
/// reconcile by the carried reference first.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AcceptedUnreadable {
    /// Which API answered.
    pub provider: Provider,
    /// What was sent: method, path, references, body and when the key was first sent.
    pub sent: Sent,
    /// HTTP status of the accepted answer.
    pub status: u16,
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
    /// references with the fields of `sent`.
    pub fn new(
        provider: Provider,
        method: impl Into<String>,
        path: impl Into<String>,
        status: u16,
        message: impl Into<String>,
    ) -> Self {
        AcceptedUnreadable {
            provider,
            sent: Sent::new(method, path),
            status,
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
            self.provider, self.sent.method, self.sent.path, self.status
        )?;
        if let Some(path) = &self.json_path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}; the server may have acted, do not resend: reconcile", self.message)?;
        self.sent.write_reconcile_by(f)?;
        write!(f, "; body starts {:?}", self.excerpt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    #[test]
    fn accepted_unreadable_says_not_to_resend_and_is_not_retryable() {
        let mut accepted = AcceptedUnreadable::new(Provider::Milta, "POST", "/transfers", 201, "bad");
        accepted.sent.idempotency_key = Some("k".into());
        accepted.sent.reference = Some(("externalId".into(), "TXN-1".into()));
        accepted.sent.body = Some(bytes::Bytes::from_static(br#"{"pin":"1234"}"#));
        accepted.json_path = Some("data.transferId".into());
        accepted.excerpt = "{}".into();
        let e = Error::AcceptedUnreadable(Box::new(accepted));
        assert!(!e.is_retryable());
        assert_eq!((e.kind(), e.status()), (ErrorKind::AcceptedUnreadable, Some(201)));
        let text = e.to_string();
        for part in
            ["accepted (status 201)", "do not resend", "externalId=TXN-1", "idempotency key k", "data.transferId"]
        {
            assert!(text.contains(part), "{part}: {text}");
        }
        for shown in [text, format!("{e:?}"), format!("{e:#?}")] {
            assert!(!shown.contains("1234"), "the body sent is never shown: {shown}");
        }
    }
}
