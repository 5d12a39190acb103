//! [`LostAnswer`]: a loopback server in front of a mock that lets the mock
//! act on a request, then closes the connection without writing a byte of
//! its answer. wiremock cannot do that itself (its slowest answer is still
//! an answer), and it is the one failure a payment backend must test: the
//! server did the work, the caller cannot know.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONNECTION, CONTENT_TYPE};
use hyper::http::uri::PathAndQuery;
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use wiremock::MockServer;

/// Which requests [`LostAnswer`] loses the answer to: a method, optionally a
/// path, optionally only the first few of them.
///
/// ```
/// use walletkit::test_util::Lose;
///
/// let every_post = Lose::posts();
/// let first_credit = Lose::posts().path("/api/v1/transactions").first(1);
/// let every_delete = Lose::method("DELETE");
/// # let _ = (every_post, first_credit, every_delete, Lose::every_request());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lose {
    method: Option<String>,
    path: Option<String>,
    first: Option<u64>,
}

impl Lose {
    /// Every `POST`.
    pub fn posts() -> Self {
        Lose::method("POST")
    }

    /// Every request with this method (compared in upper case).
    pub fn method(method: &str) -> Self {
        Lose { method: Some(method.to_ascii_uppercase()), path: None, first: None }
    }

    /// Every request, whatever its method.
    pub fn every_request() -> Self {
        Lose { method: None, path: None, first: None }
    }

    /// Only requests to exactly this path (as received, without the query):
    /// include the base URL's path, e.g. `/api/v1/partner/transfers` for a
    /// Milta client whose base URL ends in `/api/v1/partner`.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Only the first `n` requests the rule matches; later ones are answered.
    pub fn first(mut self, n: u64) -> Self {
        self.first = Some(n);
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method) && self.path.as_deref().is_none_or(|p| p == path)
    }
}

/// A loopback HTTP/1.1 server in front of a [`MockServer`]: it forwards
/// every request to the mock unchanged (so the mock records it and answers:
/// the server acted), then, for a request its [`Lose`] rule matches, closes
/// the connection without writing a byte of the answer. Every other request
/// gets the mock's answer as is (status, headers, body bytes).
///
/// Point the client's base URL at [`uri`](LostAnswer::uri). The server stops
/// when the value is dropped.
///
/// If the mock cannot be reached, the request is answered `502 Bad Gateway`
/// with the reason as plain text, never lost: nothing acted on it.
///
/// See the [module documentation](crate::test_util) for a complete test.
pub struct LostAnswer {
    uri: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

struct Shared {
    upstream: SocketAddr,
    rule: Lose,
    /// Requests the rule matched so far.
    matched: AtomicU64,
    /// Answers lost so far.
    lost: AtomicU64,
}

impl Shared {
    /// Whether the answer to this request is to be lost.
    fn loses(&self, method: &str, path: &str) -> bool {
        if !self.rule.matches(method, path) {
            return false;
        }
        let nth = self.matched.fetch_add(1, Ordering::SeqCst).saturating_add(1);
        self.rule.first.is_none_or(|first| nth <= first)
    }
}

impl LostAnswer {
    /// Starts on a free loopback port in front of `mock`.
    ///
    /// # Errors
    /// The listener could not be bound.
    pub async fn start(mock: &MockServer, rule: Lose) -> std::io::Result<LostAnswer> {
        LostAnswer::in_front_of(*mock.address(), rule).await
    }

    /// Starts on a free loopback port in front of any HTTP/1.1 server at
    /// `upstream` (a `walletkit-sandbox` API, a server of your own).
    ///
    /// # Errors
    /// The listener could not be bound.
    pub async fn in_front_of(upstream: SocketAddr, rule: Lose) -> std::io::Result<LostAnswer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let uri = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared { upstream, rule, matched: AtomicU64::new(0), lost: AtomicU64::new(0) });
        let task = tokio::spawn(accept(listener, Arc::clone(&shared)));
        Ok(LostAnswer { uri, shared, task })
    }

    /// `http://127.0.0.1:<port>`: the base URL to give the client (plus
    /// Milta's `/api/v1/partner` if the mocks are mounted under it).
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// How many answers were lost so far.
    pub fn lost(&self) -> u64 {
        self.shared.lost.load(Ordering::SeqCst)
    }
}

impl fmt::Debug for LostAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LostAnswer")
            .field("uri", &self.uri)
            .field("upstream", &self.shared.upstream)
            .field("rule", &self.shared.rule)
            .field("lost", &self.lost())
            .finish()
    }
}

/// Stops accepting and ends every open connection (they live in the
/// accepting task's `JoinSet`).
impl Drop for LostAnswer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The error handed to hyper to make it close a connection without writing.
#[derive(Debug)]
struct Lost;

impl fmt::Display for Lost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("answer lost on purpose by walletkit::test_util::LostAnswer")
    }
}

impl std::error::Error for Lost {}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors or similar: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(Arc::clone(&shared), req));
            // Errors here are the client going away, or an answer lost on purpose.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Forwards `req` to the mock and hands back its answer, or [`Lost`].
async fn answer(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Lost> {
    let lose = shared.loses(req.method().as_str(), req.uri().path());
    let (parts, body) = req.into_parts();
    // A body that cannot be read is a client that went away: nobody to answer.
    let body = body.collect().await.map_err(|_| Lost)?.to_bytes();
    let mut forwarded = Request::new(Full::new(body));
    *forwarded.method_mut() = parts.method;
    *forwarded.uri_mut() =
        Uri::from(parts.uri.path_and_query().cloned().unwrap_or_else(|| PathAndQuery::from_static("/")));
    *forwarded.headers_mut() = end_to_end(parts.headers);
    match forward(shared.upstream, forwarded).await {
        Ok(_) if lose => {
            shared.lost.fetch_add(1, Ordering::SeqCst);
            Err(Lost)
        }
        Ok(resp) => Ok(resp),
        Err(why) => Ok(bad_gateway(&shared.upstream, &why)),
    }
}

/// Sends `req` to `upstream` on a connection of its own and reads the whole answer.
async fn forward(upstream: SocketAddr, req: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, String> {
    let stream = TcpStream::connect(upstream).await.map_err(|e| format!("connect: {e}"))?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
    // Drives the connection; ends once `sender` is dropped below.
    let driver = tokio::spawn(connection);
    let result = async {
        let resp = sender.send_request(req).await.map_err(|e| format!("send: {e}"))?;
        let (mut parts, body) = resp.into_parts();
        let body = body.collect().await.map_err(|e| format!("read the answer: {e}"))?.to_bytes();
        parts.headers = end_to_end(parts.headers);
        Ok(Response::from_parts(parts, Full::new(body)))
    }
    .await;
    drop(sender);
    if result.is_err() {
        driver.abort();
    }
    result
}

/// The headers minus those that describe one connection rather than the message.
fn end_to_end(mut headers: HeaderMap) -> HeaderMap {
    let listed: Vec<String> = headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    for name in ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]
        .into_iter()
        .chain(listed.iter().map(String::as_str))
    {
        headers.remove(name);
    }
    headers
}

fn bad_gateway(upstream: &SocketAddr, why: &str) -> Response<Full<Bytes>> {
    let text = format!("walletkit::test_util::LostAnswer could not forward to {upstream}: {why}");
    let mut resp = Response::new(Full::new(Bytes::from(text)));
    *resp.status_mut() = StatusCode::BAD_GATEWAY;
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_method_path_and_count() {
        let shared = |rule| Shared {
            upstream: SocketAddr::from((Ipv4Addr::LOCALHOST, 1)),
            rule,
            matched: AtomicU64::new(0),
            lost: AtomicU64::new(0),
        };
        let posts = shared(Lose::posts());
        assert!(posts.loses("POST", "/a") && posts.loses("POST", "/b"));
        assert!(!posts.loses("GET", "/a"));

        let first = shared(Lose::method("post").path("/t").first(2));
        assert!(!first.loses("POST", "/other"), "another path does not count");
        assert!(first.loses("POST", "/t") && first.loses("POST", "/t"));
        assert!(!first.loses("POST", "/t"), "the third is answered");

        let all = shared(Lose::every_request().first(0));
        assert!(!all.loses("GET", "/"));
    }

    #[test]
    fn connection_headers_are_not_forwarded() {
        let mut h = HeaderMap::new();
        for (name, value) in
            [("connection", "keep-alive, x-hop"), ("x-hop", "1"), ("keep-alive", "timeout=5"), ("x-end", "2")]
        {
            h.insert(name, HeaderValue::from_static(value));
        }
        h.insert("content-length", HeaderValue::from_static("3"));
        let kept = end_to_end(h);
        let mut names: Vec<_> = kept.keys().map(|k| k.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["content-length", "x-end"]);
    }
}
