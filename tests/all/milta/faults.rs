//! Faults real integrations meet: 429s, 5xx, a connection lost after the
//! server acted, malformed and oversized bodies, and secrets under pressure.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest};
use walletkit::{Decimal, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "/api/v1/partner";

fn builder(uri: &str) -> walletkit::milta::MiltaClientBuilder {
    MiltaClient::builder().base_url(format!("{uri}{BASE}")).credentials("key-id", "key-secret")
}

/// A client whose timers are all under the test's control (paused clock):
/// with real sockets, tokio auto-advances time while waiting on IO, so the
/// attempt and connect timeouts are off here.
fn paused_clock_client(uri: &str) -> MiltaClient {
    builder(uri).attempt_timeout(None).connect_timeout(None).build().unwrap()
}

fn fast_client(uri: &str) -> MiltaClient {
    builder(uri).retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1))).build().unwrap()
}

fn balance_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {"amount": 5, "currency": "GBP"}}))
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_waits_at_least_that_long() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(balance_ok()).mount(&server).await;
    let milta = paused_clock_client(&server.uri());
    let start = Instant::now();
    milta.account().balance().await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(7), "waited only {:?}", start.elapsed());
    assert_eq!(hits(&server).await, 2);
}

#[tokio::test(start_paused = true)]
async fn a_429_without_retry_after_backs_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(429)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("GET")).respond_with(balance_ok()).mount(&server).await;
    let milta = paused_clock_client(&server.uri());
    let start = Instant::now();
    milta.account().balance().await.unwrap();
    // Backoff 1 s then 2 s, each jittered to no less than half.
    assert!(start.elapsed() >= Duration::from_millis(1500), "waited only {:?}", start.elapsed());
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_slept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = fast_client(&server.uri()).account().balance().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.is_retryable());
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_500_on_get_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("GET")).respond_with(balance_ok()).mount(&server).await;
    fast_client(&server.uri()).account().balance().await.unwrap();
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn a_500_on_a_post_without_idempotency_key_is_not_retried_and_is_outcome_unknown() {
    // A 500 does not prove the server did nothing (it may have failed after
    // committing), so the caller must reconcile, not blindly send again.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"status": "error", "message": "boom"})))
        .mount(&server)
        .await;
    let raw = walletkit::Request::post("/anything").json(&json!({"a": 1})).unwrap().reference("externalId", "E-5");
    let err = fast_client(&server.uri()).send_raw(raw).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.reference, Some(("externalId".into(), "E-5".into())));
    assert!(unknown.cause.contains("500") && unknown.cause.contains("boom"), "{}", unknown.cause);
    assert!(!err.is_retryable());
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn a_503_with_retry_after_on_a_post_says_it_was_not_processed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let raw = walletkit::Request::post("/anything").json(&json!({"a": 1})).unwrap();
    let err = fast_client(&server.uri()).send_raw(raw).await.unwrap_err();
    assert_eq!((err.kind(), err.retry_after()), (ErrorKind::Unavailable, Some(Duration::from_secs(3600))));
}

#[tokio::test]
async fn a_keyed_transfer_failing_with_5xx_on_every_attempt_is_outcome_unknown_with_its_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let req = TransferRequest::new(
        ExternalId::from("E-7"),
        ProductId::from("P"),
        PhoneNumber::from("+1"),
        Decimal::ONE,
        "GBP",
    );
    let err = fast_client(&server.uri()).transfers().create_with_key(&req, "key-7").await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.idempotency_key.as_deref(), Some("key-7"), "retry with the same key to reconcile");
    assert_eq!(unknown.sent.reference, Some(("externalId".into(), "E-7".into())));
    assert_eq!(hits(&server).await, 4, "retried three times with the key first");
}

#[tokio::test]
async fn a_500_on_a_keyed_transfer_is_retried_with_the_same_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"status": "success", "data": {"transferId": "T-1", "status": "PENDING"}})),
        )
        .mount(&server)
        .await;
    let req = TransferRequest::new(
        ExternalId::from("E-1"),
        ProductId::from("P"),
        PhoneNumber::from("+1"),
        Decimal::ONE,
        "GBP",
    );
    fast_client(&server.uri()).transfers().create(&req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].headers["x-idempotency-key"], received[1].headers["x-idempotency-key"]);
    assert_eq!(received[0].body, received[1].body);
}

/// What the dropping server saw.
#[derive(Default)]
struct Ledger {
    /// (idempotency key, body) of every request received.
    requests: Vec<(String, Vec<u8>)>,
    /// Transfers created, by idempotency key.
    transfers: HashMap<String, String>,
}

/// A raw HTTP/1.1 server that creates the transfer on every new idempotency
/// key and drops the first connection before answering; a replayed key gets
/// the first transfer back, as Milta's idempotency promises.
async fn dropping_server() -> (String, Arc<Mutex<Ledger>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let state = ledger.clone();
    tokio::spawn(async move {
        let mut first = true;
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let (key, body) = read_request(&mut socket).await;
            let (id, drop_it) = {
                let mut l = state.lock().unwrap();
                l.requests.push((key.clone(), body.clone()));
                let n = l.transfers.len() + 1;
                let id = l.transfers.entry(key).or_insert_with(|| format!("T-{n}")).clone();
                (id, std::mem::take(&mut first))
            };
            if drop_it {
                drop(socket); // acted, then the connection dies before any response
                continue;
            }
            let body = format!(r#"{{"status":"success","data":{{"transferId":"{id}","status":"PENDING"}}}}"#);
            let mut resp = Vec::new();
            write!(
                resp,
                "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            socket.write_all(&resp).await.unwrap();
        }
    });
    (uri, ledger)
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let header = |name: &str| {
                head.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string)).unwrap_or_default()
            };
            let len: usize = header("content-length").parse().unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = socket.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            return (header("x-idempotency-key"), buf[end + 4..end + 4 + len].to_vec());
        }
    }
}

#[tokio::test]
async fn a_transfer_whose_answer_is_lost_is_retried_with_the_same_key_and_body_and_created_once() {
    let (uri, ledger) = dropping_server().await;
    let milta = fast_client(&uri);
    let req = TransferRequest::new(
        ExternalId::from("E-42"),
        ProductId::from("P"),
        PhoneNumber::from("+1"),
        Decimal::new(1050, 2),
        "GBP",
    );
    let transfer = milta.transfers().create(&req).await.unwrap();
    assert_eq!(transfer.transfer_id, TransferId::from("T-1"));
    let l = ledger.lock().unwrap();
    assert_eq!(l.requests.len(), 2, "one lost attempt, one retry");
    assert_eq!(l.requests[0], l.requests[1], "same idempotency key and body bytes");
    assert!(!l.requests[0].0.is_empty());
    assert_eq!(l.transfers.len(), 1, "exactly one transfer exists");
}

#[tokio::test]
async fn a_lost_answer_on_a_post_without_key_is_outcome_unknown_and_not_resent() {
    let (uri, ledger) = dropping_server().await;
    let raw = walletkit::Request::post("/transfers")
        .json(&json!({"externalId": "E-9"}))
        .unwrap()
        .reference("externalId", "E-9");
    let err = fast_client(&uri).send_raw(raw).await.unwrap_err();
    let unknown = err.as_outcome_unknown().expect("outcome unknown");
    assert_eq!(unknown.sent.reference, Some(("externalId".into(), "E-9".into())));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("check whether it took effect before sending it again"), "{err}");
    assert!(!err.to_string().contains("E-9"), "the reference is a field: {err}");
    assert_eq!(ledger.lock().unwrap().requests.len(), 1);
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_that_is_safe_to_retry() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = fast_client(&uri)
        .transfers()
        .create(&TransferRequest::new(
            ExternalId::from("E"),
            ProductId::from("P"),
            PhoneNumber::from("+1"),
            Decimal::ONE,
            "GBP",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert!(err.is_retryable());
}

async fn answer_balance_with(resp: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(format!("{BASE}/balance"))).respond_with(resp).mount(&server).await;
    let milta = builder(&server.uri()).retry_policy(RetryPolicy::none()).max_body_bytes(1024).build().unwrap();
    milta.account().balance().await.unwrap_err()
}

#[tokio::test]
async fn malformed_responses_give_the_right_error_with_a_useful_message() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = answer_balance_with(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    assert_eq!((err.kind(), err.status()), (ErrorKind::Unavailable, Some(502)));
    assert!(err.as_api().is_some_and(|api| api.message.contains("502 Bad Gateway")), "{err:?}");

    let err = answer_balance_with(
        ResponseTemplate::new(200).set_body_raw(r#"{"status":"success","data":{"amou"#, "application/json"),
    )
    .await;
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert!(d.message.contains("EOF"), "{err}");
    assert!(d.excerpt.contains("amou"));

    let err = answer_balance_with(ResponseTemplate::new(200)).await;
    assert!(matches!(&err, Error::Decode(d) if d.message.contains("empty body")), "{err}");

    let err = answer_balance_with(
        ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {"amount": true}})),
    )
    .await;
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.json_path.as_deref(), Some("data.amount"), "{err}");
    assert!(!err.to_string().contains("data.amount"), "the path is a field: {err}");

    let big = format!(r#"{{"status":"success","data":{{"amount":1,"pad":"{}"}}}}"#, "x".repeat(4096));
    let err = answer_balance_with(ResponseTemplate::new(200).set_body_raw(big, "application/json")).await;
    assert!(matches!(&err, Error::Decode(d) if d.message.contains("1024-byte cap")), "{err}");
}

#[tokio::test]
async fn redirects_are_refused_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "https://evil.example/steal"))
        .mount(&server)
        .await;
    let err = fast_client(&server.uri()).account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Redirect);
    let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
    assert!(api.message.contains("evil.example"), "the target is kept in the message: {api:?}");
    assert!(!err.to_string().contains("evil.example"), "{err}");
    assert_eq!(hits(&server).await, 1);
}

#[test]
fn plain_http_to_a_remote_host_and_missing_credentials_are_config_errors() {
    let err = MiltaClient::builder().base_url("http://api.example.com").credentials("a", "b").build().unwrap_err();
    assert!(matches!(err, Error::Config(ref m) if m.contains("plain HTTP")), "{err}");
    let err = MiltaClient::builder().build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

/// Real clock, lower bound only: a paused clock would auto-advance while the
/// runtime waits on the socket, so elapsed virtual time says nothing here.
/// (That the first request is not delayed is proven without IO in the
/// limiter's unit test.)
#[tokio::test]
async fn clones_share_one_rate_limiter() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(balance_ok()).mount(&server).await;
    let window = Duration::from_millis(400);
    let milta = builder(&server.uri())
        .rate_limit(walletkit::milta::rate_class::BALANCE, Some(walletkit::Rate::new(2, window)))
        .build()
        .unwrap();
    let clone = milta.clone();
    let start = std::time::Instant::now();
    milta.account().balance().await.unwrap();
    clone.account().balance().await.unwrap();
    // Third request overall but only the second on `milta`: it waits only if
    // the clone's request counted against the same window.
    milta.account().balance().await.unwrap();
    assert!(start.elapsed() >= window, "the third request waited only {:?}", start.elapsed());
}

#[tokio::test]
async fn rate_limits_can_be_switched_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(balance_ok()).mount(&server).await;
    let milta = builder(&server.uri())
        .rate_limit(walletkit::milta::rate_class::BALANCE, Some(walletkit::Rate::new(1, Duration::from_secs(3600))))
        .rate_limits_enabled(false)
        .build()
        .unwrap();
    for _ in 0..3 {
        milta.account().balance().await.unwrap();
    }
}

#[tokio::test]
async fn pricing_changes_nothing_so_a_500_is_retried_without_an_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {"fee": 1}})))
        .mount(&server)
        .await;
    let req = walletkit::milta::PricingRequest::new(ProductId::from("P"), Decimal::ONE, "GBP");
    let price = fast_client(&server.uri()).account().pricing(&req).await.unwrap();
    assert_eq!(price.fee, Some(Decimal::ONE));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| !r.headers.contains_key("x-idempotency-key")), "pricing needs no key");
}
