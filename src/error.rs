//! The one error type every walletkit call returns.
//!
//! Each variant answers the caller's real question, "what do I do next?":
//! retry ([`Error::Connect`], [`Error::Network`], some [`Error::Api`]),
//! reconcile before retrying ([`Error::OutcomeUnknown`]), fix the request
//! ([`Error::InvalidRequest`], [`Error::Config`]) or report the provider
//! ([`Error::Decode`]).

use std::fmt;
use std::time::Duration;

use crate::redact::{server_text, Secrets};

mod callback_mismatch;

pub use callback_mismatch::CallbackMismatch;

/// The source of a transport failure, kept for `Error::source()`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shorthand for `Result<T, walletkit::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The API a request was meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// Milta Wallet Partner API.
    Milta,
    /// MilaCoins payment gateway.
    MilaCoins,
    /// Wallets API.
    Wallets,
    /// Wallet-as-a-Service.
    Waas,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Provider::Milta => "milta",
            Provider::MilaCoins => "milacoins",
            Provider::Wallets => "wallets",
            Provider::Waas => "waas",
        })
    }
}

/// A provider-independent classification of what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Too many requests; wait and retry (see [`ApiError::retry_after`]).
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

/// A response that could not be decoded into the expected type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// Which API answered.
    pub provider: Provider,
    /// HTTP status of the response.
    pub status: u16,
    /// The JSON path that failed (`data.items[3].amount`), when known.
    pub json_path: Option<String>,
    /// What went wrong.
    pub message: String,
    /// The first bytes of the body, made printable: at most 512 characters,
    /// control characters escaped, credentials replaced by `[REDACTED]`.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} response (status {}) could not be decoded", self.provider, self.status)?;
        if let Some(path) = &self.json_path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}; body starts {:?}", self.message, self.excerpt)
    }
}

/// Every failure a walletkit call can return.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The connection could not be established; nothing was sent, so retrying is safe.
    #[error("{provider}: could not connect: {message}")]
    Connect {
        /// Which API was called.
        provider: Provider,
        /// What failed, with its causes on one line.
        message: String,
        /// The underlying error (reqwest's, usually), when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// An idempotent request was sent but no complete answer arrived (timeout, reset).
    #[error("{provider}: no answer: {message}")]
    Network {
        /// Which API was called.
        provider: Provider,
        /// What failed, with its causes on one line.
        message: String,
        /// The underlying error (reqwest's, usually), when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// A request with side effects was sent and either no answer came back or
    /// the server failed (500, 502, 504, or 503 without `Retry-After`), so it
    /// may have acted. Reconcile by the carried reference before sending again.
    #[error("{0}")]
    OutcomeUnknown(Box<OutcomeUnknown>),
    /// A request with side effects was accepted (2xx) but its answer could
    /// not be read. Money may have moved: reconcile, never resend as is.
    #[error("{0}")]
    AcceptedUnreadable(Box<AcceptedUnreadable>),
    /// The response could not be decoded.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The client-side rate limit would hold the call past its deadline, so
    /// it was not sent. Safe to try again after `wait`.
    #[error(
        "{provider}: not sent: the client-side rate limit of {class} would hold it {wait:?}, past the call's deadline"
    )]
    LocalRateLimit {
        /// Which API the call was for.
        provider: Provider,
        /// The rate-limit class.
        class: String,
        /// How long the limiter would have held the call.
        wait: Duration,
    },
    /// A shared rate limiter (Redis) could not be asked and is set to fail
    /// closed, so the call was not sent. Safe to try again.
    #[error("{provider}: not sent: the shared rate limiter is unavailable: {message}")]
    RateLimiterUnavailable {
        /// Which API the call was for.
        provider: Provider,
        /// What failed.
        message: String,
    },
    /// A listing was cut short by one of its bounds (pages per listing, or
    /// requests the items received can justify) while its pages still
    /// looked full: what it yielded is not known to be the whole list.
    #[error("{provider}: listing GET {route} cut short before page {page}: {reason}")]
    ListingCutShort {
        /// Which API was listed.
        provider: Provider,
        /// The listing's route, e.g. `/inventories/products`.
        route: String,
        /// The page that would have been asked for next.
        page: u32,
        /// Which bound ended it, and what to do.
        reason: String,
    },
    /// A callback claims what the provider's signed API contradicts (another
    /// invoice, another order, another status or amount): do not act on it.
    #[error("{0}")]
    CallbackMismatch(Box<CallbackMismatch>),
    /// The request was refused before sending.
    #[error("request refused before sending: {0}")]
    InvalidRequest(String),
    /// The client could not be configured.
    #[error("configuration error: {0}")]
    Config(String),
}

impl Error {
    /// The normalised kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => e.kind,
            Error::Connect { .. } => ErrorKind::Connect,
            Error::Network { .. } => ErrorKind::Network,
            Error::OutcomeUnknown(_) => ErrorKind::OutcomeUnknown,
            Error::AcceptedUnreadable(_) => ErrorKind::AcceptedUnreadable,
            Error::Decode(_) => ErrorKind::Decode,
            Error::LocalRateLimit { .. } => ErrorKind::RateLimited,
            Error::RateLimiterUnavailable { .. } => ErrorKind::Unavailable,
            Error::InvalidRequest(_) => ErrorKind::InvalidRequest,
            Error::Config(_) => ErrorKind::Config,
            Error::ListingCutShort { .. } => ErrorKind::ListingCutShort,
            Error::CallbackMismatch(_) => ErrorKind::CallbackMismatch,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::AcceptedUnreadable(e) => Some(e.status),
            _ => None,
        }
    }

    /// Whether sending the same request again later is safe and may succeed.
    ///
    /// False for [`Error::OutcomeUnknown`] and [`Error::AcceptedUnreadable`]: reconcile first.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.kind, ErrorKind::RateLimited | ErrorKind::Unavailable | ErrorKind::ServerError),
            Error::Connect { .. }
            | Error::Network { .. }
            | Error::LocalRateLimit { .. }
            | Error::RateLimiterUnavailable { .. } => true,
            _ => false,
        }
    }

    /// How long to wait before trying again: the server's `Retry-After`, or
    /// the client-side rate limit's wait for [`Error::LocalRateLimit`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            Error::LocalRateLimit { wait, .. } => Some(*wait),
            _ => None,
        }
    }

    /// The API error, when the server answered with one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The reconciliation details, when an accepted answer could not be read.
    pub fn as_accepted_unreadable(&self) -> Option<&AcceptedUnreadable> {
        match self {
            Error::AcceptedUnreadable(e) => Some(e),
            _ => None,
        }
    }

    /// What a callback claimed and the API contradicted, when it did.
    pub fn as_callback_mismatch(&self) -> Option<&CallbackMismatch> {
        match self {
            Error::CallbackMismatch(e) => Some(e),
            _ => None,
        }
    }

    /// The reconciliation details, when the outcome is unknown.
    pub fn as_outcome_unknown(&self) -> Option<&OutcomeUnknown> {
        match self {
            Error::OutcomeUnknown(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
