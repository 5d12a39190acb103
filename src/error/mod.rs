//! The one error type every walletkit call returns.
//!
//! Each variant answers the caller's real question, "what do I do next?":
//! retry ([`Error::Connect`], [`Error::Network`], some [`Error::Api`]),
//! reconcile before retrying ([`Error::OutcomeUnknown`]), fix the request
//! ([`Error::InvalidRequest`], [`Error::Config`]) or report the provider
//! ([`Error::Decode`]).
//!
//! Every `Display` is one sentence under 200 characters that says what
//! happened and what to do, safe to log or return: it never holds a
//! reference of the call (idempotency key, `externalId`, transfer id), a
//! URL, a secret or a server's own words, which may repeat any of those.
//! They are fields, reached through the accessors (`as_api`,
//! `as_outcome_unknown`, …) and shown by `Debug`; log them where you log
//! details.

use std::time::Duration;

mod api;
mod brief;
mod callback_mismatch;
mod decode;
mod journal;
mod kind;
mod provider;
mod reconcile;
mod sent;

pub use api::ApiError;
pub use callback_mismatch::CallbackMismatch;
pub use decode::DecodeError;
pub use journal::{JournalError, JournalErrorKind};
pub use kind::ErrorKind;
pub use provider::Provider;
pub use reconcile::{AcceptedUnreadable, OutcomeUnknown};
pub use sent::Sent;

pub(crate) use brief::{brief, last_cause};

/// The source of a transport failure, kept for `Error::source()`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shorthand for `Result<T, walletkit::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure a walletkit call can return.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The connection could not be established; nothing was sent, so retrying is safe.
    #[error(
        "{provider} could not be reached ({}); nothing was sent, so trying again is safe.",
        brief(last_cause(message), 64)
    )]
    Connect {
        /// Which API was called.
        provider: Provider,
        /// What failed, with its causes on one line (never the URL);
        /// `Display` shows the innermost cause, cut to 64 characters.
        message: String,
        /// The underlying error (reqwest's, usually, without the URL), when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// An idempotent request was sent but no complete answer arrived (timeout, reset).
    #[error(
        "{provider} sent no complete answer ({}); the call has no side effects, so sending it again is safe.",
        brief(last_cause(message), 64)
    )]
    Network {
        /// Which API was called.
        provider: Provider,
        /// What failed, with its causes on one line (never the URL);
        /// `Display` shows the innermost cause, cut to 64 characters.
        message: String,
        /// The underlying error (reqwest's, usually, without the URL), when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// A request with side effects was sent and either no answer came back or
    /// the server failed (500, 502, 504, or 503 without `Retry-After`), so it
    /// may have acted. The sentence ends with what to do for this call
    /// ([`Sent::recovery`], only what the provider's document offers): Milta,
    /// send the same request again within 24 h; MilaCoins, look for the
    /// invoice's `externalID` among the transactions; WaaS, which documents no
    /// read, a person checks it. The README's "After a lost answer" table
    /// has every money call.
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
        "{provider}: not sent, as the client-side rate limit of {class} would hold it {} s, past the call's \
         deadline; try again after that wait.",
        seconds(*wait)
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
    #[error(
        "{provider}: not sent, as the shared rate limiter is unavailable ({}); try again later.",
        brief(last_cause(message), 64)
    )]
    RateLimiterUnavailable {
        /// Which API the call was for.
        provider: Provider,
        /// What failed; `Display` shows its innermost cause, cut to 64 characters.
        message: String,
    },
    /// A listing was cut short by one of its bounds (pages per listing, or
    /// requests the items received can justify) while its pages still
    /// looked full: what it yielded is not known to be the whole list.
    #[error("{provider}: listing GET {} cut short before page {page}; {reason}.", brief(route, 48))]
    ListingCutShort {
        /// Which API was listed.
        provider: Provider,
        /// The listing's route, e.g. `/inventories/products`.
        route: String,
        /// The page that would have been asked for next.
        page: u32,
        /// Which bound ended it, and what to do, as the end of a sentence.
        reason: String,
    },
    /// A callback claims what the provider's signed API contradicts (another
    /// invoice, another order, another status or amount): do not act on it.
    #[error("{0}")]
    CallbackMismatch(Box<CallbackMismatch>),
    /// The journal of money movements could not record or read an intent
    /// (see [`JournalErrorKind`]). Before a send, nothing was sent; after
    /// one, the intent stays unfinished for recovery.
    #[error(transparent)]
    Journal(Box<JournalError>),
    /// The request was refused before sending (or, for a callback, could
    /// not be read): fix it. The text says why and names no reference of the
    /// call (no id, key or URL: you hold them).
    #[error("invalid request: {}.", brief(.0, 170))]
    InvalidRequest(String),
    /// The client could not be configured. The text says what is missing or
    /// wrong and never holds a URL or a secret.
    #[error("configuration error: {}.", brief(.0, 170))]
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
            Error::Journal(_) => ErrorKind::Journal,
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

    /// What was sent and what could not be read, when an accepted answer
    /// could not be read.
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

    /// What was sent (method, route, references, key, body, first use) and
    /// what to do ([`Sent::recovery`]), when the outcome is unknown.
    pub fn as_outcome_unknown(&self) -> Option<&OutcomeUnknown> {
        match self {
            Error::OutcomeUnknown(e) => Some(e),
            _ => None,
        }
    }
}

impl From<JournalError> for Error {
    fn from(e: JournalError) -> Self {
        Error::Journal(Box::new(e))
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// A wait in whole seconds for a sentence, never `0` for a wait that is not none.
fn seconds(wait: Duration) -> u64 {
    let whole = wait.as_secs();
    if wait.subsec_nanos() > 0 {
        whole + 1
    } else {
        whole
    }
}
