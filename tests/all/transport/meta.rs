//! Request ids on every provider's errors, and `.with_meta()` on a typed
//! call of every provider: status, request id, attempts (a retry counted),
//! on success and on error, never the login's answer.

use walletkit::milacoins::{MilaCoinsClient, TransactionId};
use walletkit::milta::MiltaClient;
use walletkit::waas::TransactionId as WaasTransactionId;
use walletkit::wallets::WalletId;
use walletkit::{Error, WithMeta};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{fast, waas_client, wallets_client};

const MILTA_BALANCE: &str = include_str!("../../../fixtures/milta/balance.json");
const MILACOINS_TRANSACTION: &str = include_str!("../../../fixtures/milacoins/transaction.json");
const WALLET: &str = include_str!("../../../fixtures/wallets/get.json");
const REVERSAL: &str = include_str!("../../../fixtures/waas/reversal_response.json");

fn milta(server: &MockServer) -> MiltaClient {
    MiltaClient::builder()
        .base_url(server.uri())
        .credentials("key-id", "key-secret")
        .retry_policy(fast())
        .build()
        .unwrap()
}

fn milacoins(server: &MockServer) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("mila-key", "mila-secret")
        .retry_policy(fast())
        .build()
        .unwrap()
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// `status` once, then `ok`, both with their own request id.
async fn retried_once(server: &MockServer, status: u16, ok: &str) {
    Mock::given(method("GET"))
        .respond_with(json(status, "{}").insert_header("x-request-id", "first-attempt"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET")).respond_with(json(200, ok).insert_header("x-request-id", "req-ok")).mount(server).await;
}

fn api(err: Error) -> Box<walletkit::ApiError> {
    match err {
        Error::Api(api) => api,
        other => panic!("an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn milta_errors_carry_the_x_request_id_header_in_an_error_status_and_in_a_2xx_envelope() {
    let server = MockServer::start().await;
    let body = r#"{"status":"error","message":"too much","code":"INVALID_AMOUNT"}"#;
    Mock::given(method("GET"))
        .and(path("/balance"))
        .respond_with(json(400, body).insert_header("X-Request-Id", "milta-400"))
        .mount(&server)
        .await;
    let e = api(milta(&server).account().balance().await.unwrap_err());
    assert_eq!((e.status, e.request_id.as_deref()), (400, Some("milta-400")));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(200, body).insert_header("X-Request-Id", "milta-200"))
        .mount(&server)
        .await;
    let e = api(milta(&server).account().balance().await.unwrap_err());
    assert_eq!((e.status, e.request_id.as_deref()), (200, Some("milta-200")), "the envelope's error too");
}

#[tokio::test]
async fn milacoins_errors_carry_the_body_request_id_else_the_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json(404, r#"{"requestID":"body-id","name":"DOCUMENT_NOT_FOUND","message":"m","code":1604}"#)
                .insert_header("x-request-id", "header-id"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            json(404, r#"{"name":"DOCUMENT_NOT_FOUND","code":1604}"#).insert_header("x-request-id", "header-id"),
        )
        .mount(&server)
        .await;
    let client = milacoins(&server);
    let id = TransactionId::from("62d95a1ba0a3bf0730f5fd2a");
    let e = api(client.transactions().get(&id).await.unwrap_err());
    assert_eq!(e.request_id.as_deref(), Some("body-id"), "the body's own id first");
    let e = api(client.transactions().get(&id).await.unwrap_err());
    assert_eq!(e.request_id.as_deref(), Some("header-id"), "the header when the body has none");
}

#[tokio::test]
async fn wallets_and_waas_errors_carry_the_x_request_id_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json(404, r#"{"error":{"name":"NotFound","code":404,"message":"no"}}"#)
                .insert_header("x-request-id", "w-404"),
        )
        .mount(&server)
        .await;
    let e = api(wallets_client(&server).wallets().get(&WalletId::from(101)).await.unwrap_err());
    assert_eq!((e.status, e.request_id.as_deref()), (404, Some("w-404")));

    let server = MockServer::start().await;
    Mock::given(path("/api/v1/auth/login")).respond_with(json(200, r#"{"access_token":"tok"}"#)).mount(&server).await;
    Mock::given(path_regex(r"^/api/v1/transactions/\d+$"))
        .respond_with(json(404, r#"{"message":"no such transaction"}"#).insert_header("x-request-id", "waas-404"))
        .mount(&server)
        .await;
    let e = api(waas_client(&server).transactions().reverse(&WaasTransactionId::from("7001")).await.unwrap_err());
    assert_eq!((e.status, e.request_id.as_deref()), (404, Some("waas-404")));
}

#[tokio::test]
async fn milta_meta_counts_a_retry_and_reads_the_last_answer() {
    let server = MockServer::start().await;
    retried_once(&server, 503, MILTA_BALANCE).await;
    let client = milta(&server);
    // The future is `Send`: it can be spawned like the call itself.
    let (balance, meta) = tokio::spawn(async move { client.account().balance().with_meta().await }).await.unwrap();
    balance.unwrap();
    let meta = meta.expect("a call was sent");
    assert_eq!((meta.status(), meta.request_id(), meta.attempts()), (Some(200), Some("req-ok"), 2));
    assert_eq!(meta.provider(), walletkit::Provider::Milta);
    assert_eq!(meta.headers().get("x-request-id").unwrap(), "req-ok");
}

#[tokio::test]
async fn milacoins_meta_counts_a_retried_429() {
    let server = MockServer::start().await;
    retried_once(&server, 429, MILACOINS_TRANSACTION).await;
    let id = TransactionId::from("62d95a1ba0a3bf0730f5fd2a");
    let (transaction, meta) = milacoins(&server).transactions().get(&id).with_meta().await;
    transaction.unwrap();
    let meta = meta.unwrap();
    assert_eq!((meta.status(), meta.request_id(), meta.attempts()), (Some(200), Some("req-ok"), 2));
}

#[tokio::test]
async fn wallets_meta_counts_a_retry_and_an_error_has_meta_too() {
    let server = MockServer::start().await;
    retried_once(&server, 500, WALLET).await;
    let (wallet, meta) = wallets_client(&server).wallets().get(&WalletId::from(101)).with_meta().await;
    wallet.unwrap();
    let meta = meta.unwrap();
    assert_eq!((meta.status(), meta.request_id(), meta.attempts()), (Some(200), Some("req-ok"), 2));

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(404, "{}").insert_header("x-request-id", "w-404"))
        .mount(&server)
        .await;
    let (wallet, meta) = wallets_client(&server).wallets().get(&WalletId::from(101)).with_meta().await;
    assert!(matches!(wallet, Err(Error::Api(_))));
    let meta = meta.expect("the error's answer");
    assert_eq!((meta.status(), meta.request_id(), meta.attempts()), (Some(404), Some("w-404"), 1));
}

#[tokio::test]
async fn waas_meta_is_the_call_s_not_the_login_s() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/auth/login"))
        .respond_with(json(200, r#"{"access_token":"tok"}"#).insert_header("x-request-id", "login-req"))
        .mount(&server)
        .await;
    Mock::given(path_regex(r"^/api/v1/transactions/\d+$"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-request-id", "first-attempt"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path_regex(r"^/api/v1/transactions/\d+$"))
        .respond_with(json(200, REVERSAL).insert_header("x-request-id", "req-ok"))
        .mount(&server)
        .await;
    let waas = waas_client(&server);
    let (pair, meta) = waas.transactions().reverse(&WaasTransactionId::from("7001")).with_meta().await;
    pair.unwrap();
    let meta = meta.unwrap();
    assert_eq!((meta.status(), meta.request_id(), meta.attempts()), (Some(200), Some("req-ok"), 2));

    // A fresh client whose login is refused: the login's answer is never the call's meta.
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/auth/login"))
        .respond_with(json(401, r#"{"message":"bad credentials"}"#).insert_header("x-request-id", "login-req"))
        .mount(&server)
        .await;
    let (refused, meta) =
        waas_client(&server).transactions().reverse(&WaasTransactionId::from("7002")).with_meta().await;
    assert!(matches!(refused, Err(Error::Api(ref e)) if e.status == 401), "{refused:?}");
    assert!(meta.is_none(), "the call itself was never sent: {meta:?}");
}

#[tokio::test]
async fn the_last_call_of_an_operation_is_its_meta() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(200, "{}").insert_header("x-request-id", "first"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(201, "{}").insert_header("x-request-id", "second"))
        .mount(&server)
        .await;
    let wallets = wallets_client(&server);
    let both = async {
        wallets.send_raw(walletkit::Request::get("/one")).await?;
        wallets.send_raw(walletkit::Request::post("/two").idempotent()).await
    };
    let (answer, meta) = both.with_meta().await;
    assert_eq!(answer.unwrap().status, 201);
    assert_eq!(meta.unwrap().request_id(), Some("second"));

    // A last call refused before sending (an empty idempotency key) leaves none, not the first call's.
    let both = async {
        wallets.send_raw(walletkit::Request::get("/one")).await?;
        wallets.send_raw(walletkit::Request::post("/two").idempotency_key("Idempotency-Key", "")).await
    };
    let (answer, meta) = both.with_meta().await;
    assert!(matches!(answer, Err(Error::InvalidRequest(_))));
    assert!(meta.is_none(), "{meta:?}");
}
