//! The drip fault: an answer's headers at once, then its body a few bytes at
//! a time with a pause before each piece, the way a stalled or overloaded
//! server (or a slow proxy) sends it. For testing read-idle timeouts.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use hyper::body::{Bytes, Frame, SizeHint};
use tokio::time::Sleep;

/// Response extension asking the server to drip the body: set by the fault
/// middleware, carried out by the server once every layer (MilaCoins' request
/// log reads the whole body) is done with it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dripping {
    pub(crate) bytes: usize,
    pub(crate) pause: Duration,
}

/// `resp`, its body dripped when it carries [`Dripping`].
pub(crate) async fn apply(resp: Response) -> Response {
    match resp.extensions().get::<Dripping>().copied() {
        Some(Dripping { bytes, pause }) => dripped(resp, bytes, pause).await,
        None => resp,
    }
}

/// `resp` with its body sent `bytes` at a time, `pause` before each piece.
async fn dripped(resp: Response, bytes: usize, pause: Duration) -> Response {
    let (parts, body) = resp.into_parts();
    // The sandbox's answers are small JSON documents, already in memory.
    let Ok(whole) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let drip = Drip { rest: whole, bytes: bytes.max(1), pause, sleep: None };
    Response::from_parts(parts, Body::new(drip))
}

struct Drip {
    rest: Bytes,
    bytes: usize,
    pause: Duration,
    sleep: Option<Pin<Box<Sleep>>>,
}

impl hyper::body::Body for Drip {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.rest.is_empty() {
            return Poll::Ready(None);
        }
        let pause = self.pause;
        let sleep = self.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(pause)));
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        self.sleep = None;
        let n = self.bytes.min(self.rest.len());
        let piece = self.rest.split_to(n);
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.rest.len() as u64)
    }
}
