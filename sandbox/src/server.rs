//! Serving a router on a loopback listener with hyper directly, so that a
//! fault can close a connection after the handler ran without answering.

use std::fmt;
use std::time::Duration;

use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tower_service::Service;

use crate::idle::Watched;

/// Response extension asking the server to close the connection instead of
/// writing the response (the handler has already acted).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// The peer address, inserted into every request's extensions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) std::net::SocketAddr);

/// The error handed to hyper to make it abort the connection.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose by a sandbox fault")
    }
}

impl std::error::Error for Dropped {}

/// One served listener: the accepting task and the switch that stops it.
#[derive(Debug)]
pub(crate) struct Served {
    task: JoinHandle<()>,
    stop: Option<oneshot::Sender<()>>,
}

impl Served {
    /// Stops at once without waiting: the listener and the open connections
    /// close when the runtime next polls the aborted tasks.
    pub(crate) fn abort(&self) {
        self.task.abort();
    }

    /// Stops accepting, closes the listener, aborts every open connection
    /// and returns once all of them are gone.
    pub(crate) async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // An error is only a cancelled task, which is stopped all the same.
        let _ = (&mut self.task).await;
    }
}

/// Accepts connections until stopped; stopping or aborting it also ends
/// every open connection (they live in the task's `JoinSet`).
/// With `idle_close`, a connection without a byte either way for that long
/// is closed, as a load balancer does ([`crate::idle`]).
pub(crate) fn spawn(listener: TcpListener, router: Router, idle_close: Option<Duration>) -> Served {
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        tokio::select! {
            // A send or a dropped sender: either way, stop.
            _ = stopped => {}
            () = accept(&listener, &router, idle_close, &mut connections) => {}
        }
        drop(listener);
        connections.shutdown().await;
    });
    Served { task, stop: Some(stop) }
}

async fn accept(listener: &TcpListener, router: &Router, idle_close: Option<Duration>, connections: &mut JoinSet<()>) {
    loop {
        while connections.try_join_next().is_some() {}
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of descriptors or similar: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        let router = router.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(Peer(peer));
                let mut router = router.clone();
                async move {
                    let resp: Response = match router.call(req).await {
                        Ok(resp) => resp,
                        Err(never) => match never {},
                    };
                    if resp.extensions().get::<DropConnection>().is_some() {
                        return Err(Dropped);
                    }
                    Ok::<_, Dropped>(crate::drip::apply(resp).await)
                }
            });
            let (stream, activity) = Watched::new(stream);
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            // Errors here are the client going away or a planned drop.
            let Some(idle) = idle_close else {
                let _ = conn.await;
                return;
            };
            loop {
                tokio::select! {
                    _ = conn.as_mut() => return,
                    () = tokio::time::sleep_until(activity.idle_at(idle)) => {
                        if activity.idle_at(idle) <= tokio::time::Instant::now() {
                            conn.as_mut().graceful_shutdown();
                            let _ = conn.await;
                            return;
                        }
                    }
                }
            }
        });
    }
}
