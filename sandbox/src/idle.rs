//! Closing keep-alive connections that stay idle, the way a load balancer
//! does (AWS ALB after 60 s without a byte either way, nginx after 75 s): a
//! client that keeps pooled connections longer may write its next request
//! on a socket being closed, and lose it.
//!
//! [`Watched`] wraps a connection's socket and notes when a byte last went
//! either way; the server asks hyper to close the connection once none has
//! for the configured time (hyper closes an idle HTTP/1 connection at once
//! and lets one in flight finish first).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// When a byte last went either way on one connection.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    opened: Instant,
    /// Nanoseconds from `opened` to the last byte.
    last: Arc<AtomicU64>,
}

impl Activity {
    fn touch(&self) {
        let now = u64::try_from(self.opened.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.last.store(now, Ordering::Relaxed);
    }

    /// When the connection becomes idle for `idle` if nothing moves.
    pub(crate) fn idle_at(&self, idle: Duration) -> Instant {
        self.opened + Duration::from_nanos(self.last.load(Ordering::Relaxed)) + idle
    }
}

/// A socket that notes its traffic in an [`Activity`].
#[derive(Debug)]
pub(crate) struct Watched {
    stream: TcpStream,
    activity: Activity,
}

impl Watched {
    pub(crate) fn new(stream: TcpStream) -> (Watched, Activity) {
        let activity = Activity { opened: Instant::now(), last: Arc::new(AtomicU64::new(0)) };
        (Watched { stream, activity: activity.clone() }, activity)
    }
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
