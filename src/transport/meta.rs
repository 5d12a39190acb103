//! What the provider answered to a call, for the caller's own logs:
//! `.with_meta()` on any call of any client returns its result together with
//! a [`ResponseMeta`] (status, request id, headers, attempts, time taken).
//!
//! Why a task-local scope and not a second method per call: every typed call
//! of the four clients goes through one transport, so the transport fills a
//! slot the caller's future carries, and no provider method is written twice.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::task::futures::TaskLocalFuture;

use super::attempt::{Attempted, Failure};
use super::request::Request;
use crate::error::{Provider, Result};

/// The header every provider may send its request id in; walletkit reads it
/// for every provider, whatever its error body says.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

type Slot = Arc<Mutex<Option<ResponseMeta>>>;

tokio::task_local! {
    /// Where the transport writes the meta of the call being awaited under `.with_meta()`.
    static META: Slot;
}

/// What the provider answered to the last HTTP call of an operation: the
/// status, its request id, the response headers, how many attempts the call
/// took and how long.
///
/// `Debug` shows a header's value only when its name cannot hold a
/// credential: `Set-Cookie`, `Authorization` and any name with `token`,
/// `secret`, `key`, `session`, `auth`, `sig` or `password` print as
/// `Sensitive`. [`headers`](ResponseMeta::headers) still returns them, for
/// you to read on purpose.
#[derive(Clone)]
pub struct ResponseMeta {
    provider: Provider,
    status: Option<u16>,
    request_id: Option<String>,
    headers: HeaderMap,
    attempts: u32,
    elapsed: Duration,
}

impl ResponseMeta {
    /// The API called.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The status of the last attempt's answer; `None` when it brought no
    /// answer (a lost connection, a timeout).
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The provider's request id for the last answer: its `X-Request-Id`
    /// header, or for an error answer the id its body gave (MilaCoins'
    /// `requestID`). Quote it to the provider's support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The last answer's headers (empty when there was none); values that
    /// may be credentials are marked sensitive, so they stay out of `Debug`.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Attempts the call made: 1 without retries; a retry, and a re-send
    /// with renewed credentials after a 401, each add one.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// From the call's start (rate-limit waits included) to the end of its
    /// last attempt.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("provider", &self.provider)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            // Values marked sensitive print as `Sensitive`.
            .field("headers", &self.headers)
            .finish()
    }
}

/// `.with_meta()` on any walletkit call: its result, and what the provider
/// answered.
///
/// ```no_run
/// use walletkit::milta::MiltaClient;
/// use walletkit::WithMeta;
///
/// # async fn run(milta: MiltaClient) -> walletkit::Result<()> {
/// let (balance, meta) = milta.account().balance().with_meta().await;
/// if let Some(meta) = &meta {
///     println!("status {:?}, request id {:?}, {} attempt(s)", meta.status(), meta.request_id(), meta.attempts());
/// }
/// let balance = balance?;
/// # Ok(()) }
/// ```
///
/// The meta is that of the **last** HTTP call the operation made: the last
/// page a listing read, the resend of a reconciliation. A login the client
/// made first to get a token is never it. It is `None` when nothing was
/// sent (a request refused before sending, an answer the journal already
/// held). An inner `.with_meta()` keeps its calls to itself. Calls the
/// operation hands to other tasks (`tokio::spawn`) are not seen.
pub trait WithMeta<T>: Future<Output = Result<T>> + Sized {
    /// Awaits the call, returning its result and, when something was sent,
    /// the meta of its last HTTP call, on success and on error alike.
    fn with_meta(self) -> MetaFuture<Self> {
        let slot = Slot::default();
        MetaFuture { inner: Box::pin(META.scope(slot.clone(), self)), slot }
    }
}

impl<T, F: Future<Output = Result<T>>> WithMeta<T> for F {}

/// The future of [`WithMeta::with_meta`].
#[must_use = "futures do nothing unless awaited"]
pub struct MetaFuture<F: Future> {
    inner: Pin<Box<TaskLocalFuture<Slot, F>>>,
    slot: Slot,
}

impl<F: Future> fmt::Debug for MetaFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetaFuture")
    }
}

impl<T, F: Future<Output = Result<T>>> Future for MetaFuture<F> {
    type Output = (Result<T>, Option<ResponseMeta>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let result = match self.inner.as_mut().poll(cx) {
            Poll::Ready(result) => result,
            Poll::Pending => return Poll::Pending,
        };
        let meta = self.slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        Poll::Ready((result, meta))
    }
}

/// A call starts: the meta of an earlier call in the same scope is not its
/// meta. A login (sent without the client's auth) leaves the slot alone.
pub(super) fn begin(req: &Request) {
    if !req.without_auth {
        let _ = META.try_with(|slot| *slot.lock().unwrap_or_else(PoisonError::into_inner) = None);
    }
}

/// Attempt number `attempts` of `req` came to `attempted`, `elapsed` after
/// the call started: the call's meta so far, when a caller asked for it.
pub(super) fn observe(provider: Provider, req: &Request, attempts: u32, attempted: &Attempted, elapsed: Duration) {
    if req.without_auth {
        return;
    }
    let _ = META.try_with(|slot| {
        let (status, headers, body_id) = match attempted {
            Attempted::Success { status, headers, .. } => (Some(*status), Some(headers), None),
            Attempted::TooLarge { status, .. } => (Some(*status), None, None),
            Attempted::Failed(Failure::Answer { api, headers }) => {
                (Some(api.status), Some(headers), api.request_id.clone())
            }
            Attempted::Failed(_) => (None, None, None),
        };
        let headers = headers.map(guarded).unwrap_or_default();
        let request_id = body_id.or_else(|| header_request_id(&headers));
        let meta = ResponseMeta { provider, status, request_id, headers, attempts, elapsed };
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(meta);
    });
}

/// The `X-Request-Id` header's value, when printable.
pub(crate) fn header_request_id(headers: &HeaderMap) -> Option<String> {
    let id = headers.get(REQUEST_ID_HEADER)?.to_str().ok()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// A copy of `headers` whose possibly secret values are marked sensitive.
fn guarded(headers: &HeaderMap) -> HeaderMap {
    let mut copy = headers.clone();
    for (name, value) in copy.iter_mut() {
        if may_be_secret(name.as_str()) {
            value.set_sensitive(true);
        }
    }
    copy
}

/// Whether a header named `name` (lowercase) may carry a credential.
fn may_be_secret(name: &str) -> bool {
    const PARTS: [&str; 8] = ["cookie", "auth", "token", "secret", "key", "session", "sig", "password"];
    PARTS.iter().any(|part| name.contains(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn credential_headers_stay_out_of_debug_and_stay_readable() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", HeaderValue::from_static("session=s3cr3t-cookie"));
        headers.insert("x-auth-token", HeaderValue::from_static("t0ken-value"));
        headers.insert("x-api-key", HeaderValue::from_static("k3y-value"));
        headers.insert("x-request-id", HeaderValue::from_static("req-42"));
        let guarded = guarded(&headers);
        let meta = ResponseMeta {
            provider: Provider::Milta,
            status: Some(200),
            request_id: header_request_id(&guarded),
            headers: guarded,
            attempts: 1,
            elapsed: Duration::from_millis(3),
        };
        let debug = format!("{meta:?}");
        for secret in ["s3cr3t-cookie", "t0ken-value", "k3y-value"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("req-42"), "{debug}");
        assert_eq!(meta.request_id(), Some("req-42"));
        assert_eq!(meta.headers().get("set-cookie").unwrap(), "session=s3cr3t-cookie", "still readable");
    }
}
