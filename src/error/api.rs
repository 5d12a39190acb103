//! An error answer from the API.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use super::{ErrorKind, Provider};
use crate::redact::{server_text, Secrets};

/// The API answered with an error status.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// Which API answered.
    pub provider: Provider,
    /// HTTP status code.
    pub status: u16,
    /// Normalised classification.
    pub kind: ErrorKind,
    /// The provider's own error code, as it sent it (`INSUFFICIENT_FUNDS`,
    /// `1604`, …); `Display` shows it when it reads as a code (at most 32
    /// letters, digits, `_`, `-`, `.`), else the kind.
    ///
    /// Like `message` and `request_id`, what the server sent is kept to
    /// 512 characters (ending with `…` when cut), with control characters
    /// escaped (`\n`) and credentials replaced by `[REDACTED]`.
    pub code: Option<String>,
    /// The provider's message, or a short excerpt of the body when it sent
    /// none, cleaned as `code` says. Never in `Display`: a server's words
    /// may repeat a reference or a link; log this field where you log
    /// details.
    pub message: String,
    /// The provider's request id, when it sent one (a reference: never in `Display`).
    pub request_id: Option<String>,
    /// How long the server asked us to wait, from `Retry-After`.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// An error of `kind` with only a status and message; providers fill in the rest.
    pub fn new(provider: Provider, status: u16, kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError { provider, status, kind, code: None, message: message.into(), request_id: None, retry_after: None }
    }

    /// Sets the provider's raw error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the provider's request id.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// The error with every text the server chose bounded, escaped and
    /// cleaned of credentials and of the client's `secrets`. Every error
    /// answer passes here before a caller sees it, whichever provider's
    /// decoder read it.
    pub(crate) fn cleaned(mut self, secrets: &Secrets) -> Self {
        self.message = server_text(&self.message, secrets);
        self.code = self.code.map(|code| server_text(&code, secrets));
        self.request_id = self.request_id.map(|id| server_text(&id, secrets));
        self
    }
}

/// One sentence: who answered what (the provider's code, or the kind when
/// it sent none) and what to do. The provider's message is a field, never
/// in the sentence: a server's words may repeat any reference (an id, your
/// `externalId`) or a link. So are the request id and `Retry-After`.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code.as_deref().filter(|code| is_code(code)) {
            Some(code) => write!(f, "{} answered status {} ({code})", self.provider, self.status)?,
            None => write!(f, "{} answered status {} ({:?})", self.provider, self.status, self.kind)?,
        }
        write!(f, "; {}.", self.advice())
    }
}

/// Whether a provider's code reads as one (`INSUFFICIENT_FUNDS`, `1604`):
/// at most 32 letters, digits, `_`, `-` or `.`. Anything else is a server's
/// words, which the sentence does not quote.
fn is_code(code: &str) -> bool {
    (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

impl ApiError {
    /// What to do about an error of this kind, as the end of a sentence.
    fn advice(&self) -> Cow<'static, str> {
        let wait = |then: &str| match self.retry_after {
            Some(wait) => Cow::Owned(format!("wait {} s, then {then}", wait.as_secs().max(1))),
            None => Cow::Owned(format!("wait, then {then}")),
        };
        Cow::Borrowed(match self.kind {
            ErrorKind::RateLimited => return wait("try again"),
            ErrorKind::Unavailable | ErrorKind::ServerError => return wait("try again"),
            ErrorKind::Unauthorized => "check the credentials",
            ErrorKind::Forbidden => "check the key's permissions and IP allow-list",
            ErrorKind::ClockSkew => "check the system clock",
            ErrorKind::NotFound => "check the id",
            ErrorKind::Validation => "fix the request",
            ErrorKind::InvalidAmount => "choose an amount in the allowed range",
            ErrorKind::InvalidRecipient => "check the recipient",
            ErrorKind::ProductUnavailable => "choose another product",
            ErrorKind::InsufficientFunds => "add funds, then try again",
            ErrorKind::Duplicate => "the reference is taken, so do not send it again",
            ErrorKind::Redirect if (300..400).contains(&self.status) => {
                "check the base URL (redirects are never followed)"
            }
            ErrorKind::Redirect => "build your HTTP client with redirect::Policy::none()",
            _ => "see the provider's code and message",
        })
    }
}
