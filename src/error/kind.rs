//! A provider-independent classification of what went wrong.

/// A provider-independent classification of what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Too many requests; wait and retry (see [`ApiError::retry_after`](super::ApiError::retry_after)).
    RateLimited,
    /// Credentials missing, wrong or expired.
    Unauthorized,
    /// Authenticated but not allowed (for example an IP allow-list).
    Forbidden,
    /// The signature's timestamp was outside the server's window.
    ClockSkew,
    /// The resource does not exist.
    NotFound,
    /// The request was understood but its content is invalid.
    Validation,
    /// The amount is outside the allowed range.
    InvalidAmount,
    /// The recipient is wrong or unknown.
    InvalidRecipient,
    /// The product is not available.
    ProductUnavailable,
    /// The account balance is too low.
    InsufficientFunds,
    /// The resource already exists; reconcile by the caller's reference.
    Duplicate,
    /// An upstream provider is temporarily unavailable; retry later.
    Unavailable,
    /// The server failed; retrying an idempotent request may help.
    ServerError,
    /// The server answered with a redirect, which walletkit never follows.
    Redirect,
    /// An API error that fits none of the other kinds.
    Other,
    /// The connection could not be established; nothing was sent.
    Connect,
    /// The request was sent but no complete answer arrived.
    Network,
    /// A request with side effects was sent and its outcome is unknown.
    OutcomeUnknown,
    /// A request with side effects was accepted (2xx) but its answer could not be read.
    AcceptedUnreadable,
    /// The response could not be decoded.
    Decode,
    /// The request was refused before it was sent.
    InvalidRequest,
    /// The client configuration is invalid.
    Config,
    /// A listing was cut short by a bound before the server's pages ended it.
    ListingCutShort,
    /// A callback's claim is contradicted by the provider's API; do not act on it.
    CallbackMismatch,
    /// The journal of money movements could not record or read an intent.
    Journal,
}

impl ErrorKind {
    /// The kind an HTTP status implies when the body names no code.
    pub fn from_status(status: u16) -> Self {
        match status {
            300..=399 => ErrorKind::Redirect,
            400 | 422 => ErrorKind::Validation,
            401 => ErrorKind::Unauthorized,
            402 => ErrorKind::InsufficientFunds,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Duplicate,
            429 => ErrorKind::RateLimited,
            502..=504 => ErrorKind::Unavailable,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::Other,
        }
    }
}
