//! A journal operation that failed.

use std::fmt;

use super::BoxError;
use crate::redact::{escaped, Secrets, CUT};

/// How much of a database's own message an error keeps: enough to act on,
/// short enough that the whole error stays one line under 200 characters.
#[cfg_attr(not(any(feature = "journal-sqlite", feature = "journal-postgres")), allow(dead_code))]
const CAUSE_CHARS: usize = 120;

/// What went wrong in the journal of money movements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JournalErrorKind {
    /// The store could not be opened or its schema could not be brought up to date.
    Open,
    /// A statement failed or the database could not be reached: nothing was
    /// recorded by this call. Do not send what it was to record.
    Database,
    /// The intent is no longer leased to this owner (the lease expired and
    /// another owner took it over, or it was released): do not send it.
    LeaseLost,
    /// The intent already has a final outcome, which is never overwritten.
    AlreadyFinal,
    /// No intent has this id.
    NotFound,
    /// The business reference already has an intent for another request
    /// (another body, path or call): nothing was sent.
    ReferenceTaken,
    /// The reference's intent is still being sent by a call, here or on
    /// another replica, or awaits `recover()`: nothing was sent.
    Unfinished,
    /// The reference's intent has ended (rejected, awaiting a person's
    /// review, or made and found by `recover()`, which stores no answer to
    /// return: read it by its reference): nothing was sent; a new payment
    /// needs a new reference.
    Finished,
    /// A stored row holds what this version cannot read (a newer schema, or an edit by hand).
    Unreadable,
}

/// A journal operation that failed, with the database's reason when it gave
/// one (cut, escaped, and never holding the connection's password).
#[derive(Debug)]
#[non_exhaustive]
pub struct JournalError {
    /// What went wrong, for deciding what to do.
    pub kind: JournalErrorKind,
    /// The one-line description shown by `Display`.
    pub message: String,
    source: Option<BoxError>,
}

impl JournalError {
    /// An error of `kind` described by `message` (already safe to show).
    pub(crate) fn new(kind: JournalErrorKind, message: impl Into<String>) -> Self {
        JournalError { kind, message: message.into(), source: None }
    }

    /// `what` failed because of `cause`, whose text is cut, escaped and
    /// scrubbed of `secrets`; `cause` is kept as the source only when it
    /// cannot hold a secret (`keep_source`).
    #[cfg_attr(not(any(feature = "journal-sqlite", feature = "journal-postgres")), allow(dead_code))]
    pub(crate) fn from_cause<E>(
        kind: JournalErrorKind,
        what: &str,
        cause: E,
        secrets: &Secrets,
        keep_source: bool,
    ) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let (mut text, cut) = escaped(&cause.to_string(), CAUSE_CHARS);
        secrets.scrub(&mut text, cut);
        if cut {
            text.push(CUT);
        }
        let source: Option<BoxError> = if keep_source { Some(Box::new(cause)) } else { None };
        JournalError { kind, message: format!("{what}: {text}"), source }
    }
}

/// One sentence, like every walletkit error: it ends with a period.
impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = if self.message.ends_with('.') { "" } else { "." };
        write!(f, "journal: {}{end}", self.message)
    }
}

impl std::error::Error for JournalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    #[test]
    fn causes_are_cut_escaped_and_scrubbed_into_one_short_line() {
        let secrets = Secrets::new([SecretString::from("s3cret-pw")]);
        let cause = std::io::Error::other(format!("auth for s3cret-pw failed\r\nlevel=INFO {}", "x".repeat(10_000)));
        let e = JournalError::from_cause(
            JournalErrorKind::Open,
            "could not open the PostgreSQL journal",
            cause,
            &secrets,
            false,
        );
        let text = e.to_string();
        assert!(
            text.starts_with("journal: could not open the PostgreSQL journal: auth for [REDACTED] failed\\r\\nlevel"),
            "{text}"
        );
        assert!(!text.contains("s3cret") && !text.contains('\n'), "{text}");
        assert!(text.chars().count() < 200, "{} chars", text.chars().count());
        assert!(std::error::Error::source(&e).is_none(), "an open error keeps no source that could hold the URL");
    }
}
