//! Serving a router on a loopback listener with hyper directly, so that a
//! fault can close a connection after the handler ran without answering.

use std::fmt;

use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tower_service::Service;

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

/// Accepts connections until the returned task is aborted; aborting it also
/// ends every open connection (they live in the task's `JoinSet`).
pub(crate) fn spawn(listener: TcpListener, router: Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
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
                        Ok::<_, Dropped>(resp)
                    }
                });
                // Errors here are the client going away or a planned drop.
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}
