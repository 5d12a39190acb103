//! A canary secret never shows up in Debug, Display, errors or traces, and
//! clients, futures and streams can cross threads.

use base64::Engine as _;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::{Decimal, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::Captured;

const CANARY_ID: &str = "canary-key-id-7f3a";
const CANARY_SECRET: &str = "canary-secret-c0ffee";

fn assert_clean(what: &str, text: &str) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CANARY_ID}:{CANARY_SECRET}"));
    for needle in [CANARY_SECRET, &basic] {
        assert!(!text.contains(needle), "{what} leaks a secret: {text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn canary_secret_is_absent_from_debug_errors_and_traces() {
    let captured = Captured::default();
    let _guard = captured.install(tracing::Level::TRACE);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"status": "error", "message": "API key is missing or invalid", "code": "INVALID_API_KEY"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_string("{oops")).mount(&server).await;

    let builder = MiltaClient::builder()
        .base_url(format!("{}/api/v1/partner", server.uri()))
        .credentials(CANARY_ID, CANARY_SECRET)
        .retry_policy(RetryPolicy::none());
    assert_clean("builder Debug", &format!("{builder:?}"));
    let milta = builder.build().unwrap();
    assert_clean("client Debug", &format!("{milta:?}"));
    assert_clean("client pretty Debug", &format!("{milta:#?}"));

    let err = milta.account().balance().await.unwrap_err();
    assert_eq!(err.kind(), walletkit::ErrorKind::Unauthorized);
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));

    let err = milta
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
    assert_clean("decode error", &format!("{err} {err:?}"));

    let bad = MiltaClient::builder().base_url("http://example.com").credentials(CANARY_ID, CANARY_SECRET).build();
    assert_clean("config error", &format!("{:?}", bad.unwrap_err()));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("walletkit.request"), "the request span was recorded: {logs}");
    assert!(logs.contains("status=401"), "status is traced: {logs}");
    assert_clean("tracing output", &logs);
}

fn assert_send_sync<T: Send + Sync>(_: &T) {}

#[test]
fn clients_futures_and_streams_are_send_and_sync() {
    let milta = MiltaClient::builder().credentials("a", "b").build().unwrap();
    assert_send_sync(&milta);
    let req =
        TransferRequest::new(ExternalId::from("E"), ProductId::from("P"), PhoneNumber::from("+1"), Decimal::ONE, "GBP");
    let transfers = milta.transfers();
    let create = transfers.create(&req);
    assert_send_sync(&create);
    let inventories = milta.inventories();
    let page = inventories.products().country("GB");
    let get = page.get();
    assert_send_sync(&get);
    assert_send_sync(&page.stream());
    let account = milta.account();
    assert_send_sync(&account.balance());
    assert_send_sync(&transfers.submit_all(&[]));
    assert_send_sync(&milta.send_raw(walletkit::Request::get("/x")));
}

#[test]
fn a_request_debug_shows_names_not_values() {
    let req = walletkit::Request::post("/auth/login")
        .json(&serde_json::json!({"username": "u", "password": CANARY_SECRET}))
        .unwrap()
        .header("X-Custom-Auth", CANARY_SECRET)
        .query("token", CANARY_SECRET);
    let debug = format!("{req:?}");
    assert_clean("Request Debug", &debug);
    assert!(debug.contains("X-Custom-Auth") && debug.contains("/auth/login"), "{debug}");
}
