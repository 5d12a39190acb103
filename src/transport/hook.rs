//! A hook called around every attempt, for metrics without forking.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Provider;

/// Called on every attempt of every call a client makes (retries and
/// re-sends after a credential refresh included). Keep it cheap: it runs on
/// the request path.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use walletkit::{AttemptHook, AttemptReport};
///
/// #[derive(Default)]
/// struct Failures(AtomicU64);
///
/// impl AttemptHook for Failures {
///     fn on_end(&self, report: &AttemptReport<'_>) {
///         if report.status.is_none_or(|s| s >= 500) {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait AttemptHook: Send + Sync {
    /// Before an attempt is sent.
    fn on_start(&self, attempt: &AttemptInfo<'_>) {
        let _ = attempt;
    }

    /// After an attempt, with what came of it.
    fn on_end(&self, report: &AttemptReport<'_>) {
        let _ = report;
    }
}

/// A shared hook is a hook: keep an `Arc` to read what it recorded.
impl<H: AttemptHook + ?Sized> AttemptHook for Arc<H> {
    fn on_start(&self, attempt: &AttemptInfo<'_>) {
        (**self).on_start(attempt);
    }

    fn on_end(&self, report: &AttemptReport<'_>) {
        (**self).on_end(report);
    }
}

/// Which attempt of which call.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttemptInfo<'a> {
    /// The API called.
    pub provider: Provider,
    /// HTTP method.
    pub method: &'a str,
    /// The route template (`/transfers/{id}`), never a raw id.
    pub route: &'a str,
    /// 1 for the first attempt of a call.
    pub attempt: u32,
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttemptReport<'a> {
    /// Which attempt this was.
    pub info: AttemptInfo<'a>,
    /// The HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// From sending to the last body byte (or the failure).
    pub latency: Duration,
    /// What the client does next.
    pub outcome: AttemptOutcome,
}

/// What the client does after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// A 2xx: the call succeeds (decoding follows).
    Success,
    /// The call goes on with another attempt.
    Retry,
    /// The call ends with an error.
    Failed,
}

/// A hook as a client option.
#[derive(Clone)]
pub(crate) struct Hook(pub Arc<dyn AttemptHook>);

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AttemptHook")
    }
}
