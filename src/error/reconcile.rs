//! The two errors that say "the server may have acted: reconcile before
//! sending again", each carrying what was [`Sent`].

use std::fmt;

use super::brief::brief;
use super::{Provider, Sent};

/// What a caller needs to find out whether a lost request took effect.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OutcomeUnknown {
    /// Which API the request went to.
    pub provider: Provider,
    /// What was sent: method, path, references, body and when the key was first sent.
    pub sent: Sent,
    /// Why the outcome is unknown, in full: the lost answer, or the
    /// server's failure with its code and words in parentheses (`Display`
    /// shows what comes before them, cut to 44 characters).
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

/// One sentence: the call (route, no ids), a short cause and what to do
/// ([`Sent::recovery`]). The references, the key and the full cause are fields.
impl fmt::Display for OutcomeUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: outcome unknown ({}); {}.",
            self.provider,
            self.sent.call(),
            brief(shown_cause(&self.cause), 44),
            self.sent.recovery.unwrap_or(CHECK_FIRST)
        )
    }
}

/// The part of a cause a sentence shows: before any parenthesis, where a
/// server's code and words start (`status 502 (INTERNAL_ERROR: …)` shows
/// `status 502`).
fn shown_cause(cause: &str) -> &str {
    cause.split_once(" (").map_or(cause, |(before, _)| before)
}

/// What to do after an unknown outcome when the call names no recovery.
const CHECK_FIRST: &str = "check whether it took effect before sending it again";

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

/// One sentence: the call (route, no ids), its status and what to do. What
/// could not be read, the excerpt and the references are fields.
impl fmt::Display for AcceptedUnreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} was accepted (status {}) but its answer could not be read; it took effect, so do not send it \
             again: reconcile by its reference.",
            self.provider,
            self.sent.call(),
            self.status
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    #[test]
    fn accepted_unreadable_says_not_to_resend_and_is_not_retryable() {
        let mut accepted = AcceptedUnreadable::new(Provider::Milta, "POST", "/transfers", 201, "bad");
        accepted.sent.idempotency_key = Some("key-77".into());
        accepted.sent.reference = Some(("externalId".into(), "TXN-1".into()));
        accepted.sent.body = Some(bytes::Bytes::from_static(br#"{"pin":"1234"}"#));
        accepted.json_path = Some("data.transferId".into());
        accepted.excerpt = "{}".into();
        let e = Error::AcceptedUnreadable(Box::new(accepted));
        assert!(!e.is_retryable());
        assert_eq!((e.kind(), e.status()), (ErrorKind::AcceptedUnreadable, Some(201)));
        let text = e.to_string();
        assert_eq!(
            text,
            "milta POST /transfers was accepted (status 201) but its answer could not be read; it took effect, so \
             do not send it again: reconcile by its reference."
        );
        let debug = format!("{e:?}");
        for part in ["TXN-1", "key-77", "data.transferId"] {
            assert!(!text.contains(part), "a reference or server text in Display: {text}");
            assert!(debug.contains(part), "{part} is a field: {debug}");
        }
        for shown in [text, debug, format!("{e:#?}")] {
            assert!(!shown.contains("1234"), "the body sent is never shown: {shown}");
        }
    }

    #[test]
    fn an_unknown_outcome_names_the_route_a_short_cause_and_the_recovery() {
        let mut unknown = OutcomeUnknown::new(Provider::Waas, "POST", "/api/v1/transactions/7607", "x".repeat(600));
        unknown.sent.route = "/api/v1/transactions/{id}".into();
        unknown.sent.reference = Some(("transaction_id".into(), "7607".into()));
        let text = unknown.to_string();
        assert!(text.starts_with("waas POST /api/v1/transactions/{id}: outcome unknown (xxx"), "{text}");
        assert!(text.ends_with("…); check whether it took effect before sending it again."), "{text}");
        assert!(!text.contains("7607") && text.chars().count() < 200, "{text}");
        unknown.sent.recovery = Some("do this");
        assert!(unknown.to_string().ends_with("; do this."));
    }
}
