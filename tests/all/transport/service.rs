//! walletkit inside someone else's service: your own HTTP client and user
//! agent, a hook per attempt, redirects from a caller's client refused,
//! rate-limit waits bounded by the deadline, transport errors that keep
//! their source, and per-call options.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest};
use walletkit::wallets::WalletsClient;
use walletkit::{AttemptHook, AttemptOutcome, AttemptReport, Decimal, Error, ErrorKind, Rate, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "/api/v1/partner";

fn milta(server: &MockServer) -> walletkit::milta::MiltaClientBuilder {
    MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
}

fn ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "status": "success", "data": data }))
}

fn transfer() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from("TXN-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::TEN,
        "GBP",
    )
}

#[tokio::test]
async fn one_caller_client_serves_several_walletkit_clients_with_a_user_agent_suffix() {
    let server = MockServer::start().await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-caller-client", reqwest::header::HeaderValue::from_static("1"));
    let shared = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(defaults)
        .build()
        .unwrap();
    let agent = concat!("walletkit/", env!("CARGO_PKG_VERSION"), " acme-payouts/2.3");
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/balance")))
        .and(header("x-from-caller-client", "1"))
        .and(header("user-agent", agent))
        .respond_with(ok(json!({"balance": 1})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets/101"))
        .and(header("x-from-caller-client", "1"))
        .and(header("user-agent", agent))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 101, "currency_id": 1, "amount": 5, "type": "PREPAID"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let m = milta(&server).http_client(shared.clone()).user_agent_suffix("acme-payouts/2.3").build().unwrap();
    let w = WalletsClient::builder()
        .base_url(server.uri())
        .token("t")
        .http_client(shared)
        .user_agent_suffix("acme-payouts/2.3")
        .build()
        .unwrap();
    m.account().balance().await.unwrap();
    w.wallets().get(&walletkit::wallets::WalletId::from(101u64)).await.unwrap();
}

#[tokio::test]
async fn an_invalid_user_agent_suffix_is_a_config_error() {
    let server = MockServer::start().await;
    let err = milta(&server).user_agent_suffix("bad\nsuffix").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
}

#[tokio::test]
async fn a_redirect_followed_by_a_caller_client_is_refused_and_a_redirected_post_is_outcome_unknown() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    for (verb, route, status) in [("GET", "/balance", 302), ("POST", "/transfers", 307)] {
        Mock::given(method(verb))
            .and(path(format!("{BASE}{route}")))
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", format!("{}/landed", elsewhere.uri())),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(path("/landed")).respond_with(ok(json!({"balance": 1}))).mount(&elsewhere).await;
    let following = reqwest::Client::builder().build().unwrap(); // follows redirects: a caller's mistake
    let m = milta(&server).http_client(following).build().unwrap();

    let err = m.account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Redirect, "{err}");
    assert!(err.to_string().contains("redirect::Policy::none()"), "{err}");
    let err = m.transfers().create_with_key(&transfer(), "key-1").await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.idempotency_key.as_deref(), Some("key-1"));
    assert_eq!(elsewhere.received_requests().await.unwrap().len(), 2, "both were forwarded by the caller's client");
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl AttemptHook for Recorder {
    fn on_start(&self, a: &walletkit::AttemptInfo<'_>) {
        self.0.lock().unwrap().push(format!("start {} {} #{}", a.method, a.route, a.attempt));
    }
    fn on_end(&self, r: &AttemptReport<'_>) {
        let outcome = match r.outcome {
            AttemptOutcome::Success => "success",
            AttemptOutcome::Retry => "retry",
            AttemptOutcome::Failed => "failed",
            _ => "other",
        };
        self.0.lock().unwrap().push(format!("end #{} {:?} {outcome}", r.info.attempt, r.status));
    }
}

#[tokio::test]
async fn the_attempt_hook_sees_every_attempt_with_the_route_template() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/transfers/T-77")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/transfers/T-77")))
        .respond_with(ok(json!({"transferId": "T-77", "status": "PENDING"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/transfers/T-78")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"status": "error", "message": "no"})))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let m = milta(&server).attempt_hook(recorder.clone()).build().unwrap();
    m.transfers().get(&TransferId::from("T-77")).await.unwrap();
    m.transfers().get(&TransferId::from("T-78")).await.unwrap_err();
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "start GET /transfers/{id} #1",
            "end #1 Some(503) retry",
            "start GET /transfers/{id} #2",
            "end #2 Some(200) success",
            "start GET /transfers/{id} #1",
            "end #1 Some(404) failed",
        ]
    );
}

#[tokio::test]
async fn a_rate_limit_wait_past_the_deadline_is_not_sent_and_says_how_long() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok(json!({"balance": 1}))).expect(1).mount(&server).await;
    let m = milta(&server)
        .rate_limit(walletkit::milta::rate_class::BALANCE, Some(Rate::new(1, Duration::from_secs(60))))
        .retry_policy(RetryPolicy::default().deadline(Some(Duration::from_secs(5))))
        .build()
        .unwrap();
    m.account().balance().await.unwrap();
    let started = std::time::Instant::now();
    let err = m.account().balance().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "it did not wait for a slot it could not use");
    assert!(matches!(err, Error::LocalRateLimit { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.is_retryable());
    assert!(err.retry_after().is_some_and(|w| w > Duration::from_secs(50)), "{err:?}");
}

#[tokio::test]
async fn connect_failures_keep_their_source_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let m = MiltaClient::builder()
        .base_url(format!("http://127.0.0.1:{port}{BASE}"))
        .credentials("k", "s")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = m.account().balance().await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    let source = std::error::Error::source(&err).expect("the reqwest error is kept");
    assert!(source.downcast_ref::<reqwest::Error>().is_some_and(|e| e.is_connect()), "{source:?}");
}

#[tokio::test]
async fn per_call_options_override_the_clients_retry_policy_and_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let m = milta(&server).build().unwrap();

    let once = m.with_call_options(walletkit::CallOptions::new().retry_policy(RetryPolicy::none()));
    once.account().balance().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no retries for this handle");

    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    m.account().balance().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4, "the client itself still retries 3 times");

    // A deadline shorter than the first backoff stops after one attempt.
    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let slow = milta(&server).retry_policy(RetryPolicy::default()).build().unwrap();
    let hurried = slow.with_call_options(walletkit::CallOptions::new().deadline(Some(Duration::from_millis(100))));
    let started = std::time::Instant::now();
    hurried.account().balance().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn every_client_takes_per_call_options() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let none = walletkit::CallOptions::new().retry_policy(RetryPolicy::none());
    let fast = RetryPolicy::default().base_delay(Duration::from_millis(1));
    let w = WalletsClient::builder().base_url(server.uri()).token("t").retry_policy(fast).build().unwrap();
    w.with_call_options(none.clone()).wallets().get(&walletkit::wallets::WalletId::from(1u64)).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let mila = walletkit::milacoins::MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("k", "s")
        .retry_policy(fast)
        .build()
        .unwrap();
    mila.with_call_options(none.clone()).reference().currencies().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let waas = walletkit::waas::WaasClient::builder().base_url(server.uri()).credentials("u", "p").build().unwrap();
    let _handle: walletkit::waas::WaasClient = waas.with_call_options(none);
}
