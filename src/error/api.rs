//! An error answer from the API.

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
    /// The provider's own error code, as it sent it (`INSUFFICIENT_FUNDS`, `1604`, …).
    ///
    /// Like `message` and `request_id`, what the server sent is kept to
    /// 512 characters (ending with `…` when cut), with control characters
    /// escaped (`\n`) and credentials replaced by `[REDACTED]`.
    pub code: Option<String>,
    /// The provider's message, or a short excerpt of the body when it sent none.
    pub message: String,
    /// The provider's request id, when it sent one.
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

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} API error {} ({:?}", self.provider, self.status, self.kind)?;
        if let Some(code) = &self.code {
            write!(f, ", code {code}")?;
        }
        write!(f, "): {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " [retry after {}s]", wait.as_secs_f32())?;
        }
        Ok(())
    }
}
