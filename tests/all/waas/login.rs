//! The WaaS login under concurrency and expiry: one login for many callers,
//! one re-login for many rejections, no loop on a persistent 401, refresh
//! before `expires_in`, and login failures that say what happened.

use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;
use walletkit::waas::{TransactionId, WaasClient, WaasLogin};
use walletkit::{Error, ErrorKind, RetryPolicy, SecretString, TokenSource};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::waas_client as client;

const REVERSAL: &str = include_str!("../../../fixtures/waas/reversal_response.json");

fn login_answer(token: &str, expires_in: Option<u64>) -> ResponseTemplate {
    let body = match expires_in {
        Some(s) => format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{s}}}"#),
        None => format!(r#"{{"access_token":"{token}"}}"#),
    };
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn login() -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(path("/api/v1/auth/login"))
}

/// `POST /api/v1/transactions/{n}?command=REVERSE` with bearer `token`.
fn reversal_with(token: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex(r"^/api/v1/transactions/\d+$"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(REVERSAL, "application/json")
}

fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_raw(r#"{"message":"Unauthorized"}"#, "application/json")
}

async fn fifty_reversals(c: &WaasClient) -> Vec<walletkit::Result<walletkit::waas::TransactionPair>> {
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let c = c.clone();
            tokio::spawn(async move { c.transactions().reverse(&TransactionId::from(format!("{}", 7000 + i))).await })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_without_a_token_share_one_login() {
    let server = MockServer::start().await;
    // A slow login, so every caller arrives while it is in flight.
    login()
        .respond_with(login_answer("t1", Some(3600)).set_delay(Duration::from_millis(200)))
        .expect(1)
        .mount(&server)
        .await;
    reversal_with("t1").respond_with(ok()).expect(50).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(&server).await;

    let results = fifty_reversals(&client(&server)).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_calls_rejected_with_an_expired_token_cause_one_relogin() {
    let server = MockServer::start().await;
    login().respond_with(login_answer("old", None)).up_to_n_times(1).expect(1).mount(&server).await;
    login()
        .respond_with(login_answer("new", None).set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    // The server has expired "old" (no expires_in told us so).
    reversal_with("old").respond_with(unauthorized()).expect(1..=50).mount(&server).await;
    reversal_with("new").respond_with(ok()).expect(50).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(&server).await;

    let c = client(&server);
    c.login().await.unwrap(); // caches "old"
    let results = fifty_reversals(&c).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
}

#[tokio::test]
async fn a_401_right_after_a_fresh_login_is_unauthorized_not_a_loop() {
    let server = MockServer::start().await;
    login().respond_with(login_answer("t", Some(3600))).expect(2).mount(&server).await;
    reversal_with("t").respond_with(unauthorized()).expect(2).mount(&server).await;

    let err = client(&server).transactions().reverse(&TransactionId::from("7609")).await.unwrap_err();
    let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((api.status, api.kind, api.message.as_str()), (401, ErrorKind::Unauthorized, "Unauthorized"));
}

#[tokio::test(start_paused = true)]
async fn the_token_is_refreshed_shortly_before_it_expires() {
    let server = MockServer::start().await;
    login().respond_with(login_answer("first", Some(3600))).up_to_n_times(1).expect(1).mount(&server).await;
    login().respond_with(login_answer("second", Some(3600))).expect(1).mount(&server).await;
    reversal_with("second").respond_with(ok()).expect(1).mount(&server).await;
    let c = WaasClient::builder()
        .base_url(server.uri())
        .credentials("ops", "pw-1")
        .attempt_timeout(None)
        .connect_timeout(None)
        .build()
        .unwrap();

    c.login().await.unwrap();
    tokio::time::advance(Duration::from_secs(3500)).await;
    c.login().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "still fresh after 3500 s of 3600");
    tokio::time::advance(Duration::from_secs(80)).await;
    c.login().await.unwrap(); // within 30 s of expiry: log in again
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    c.transactions().reverse(&TransactionId::from("7609")).await.unwrap();
}

#[tokio::test]
async fn invalidate_drops_only_the_rejected_token() {
    let server = MockServer::start().await;
    login().respond_with(login_answer("a", None)).up_to_n_times(1).expect(1).mount(&server).await;
    login().respond_with(login_answer("b", None)).expect(1).mount(&server).await;
    let login = WaasLogin::builder().base_url(server.uri()).credentials("ops", "pw-1").build().unwrap();

    assert_eq!(login.token().await.unwrap().expose_secret(), "a");
    // A stale rejection (some other token) keeps the cached one.
    assert!(login.invalidate(&SecretString::from("zzz")).await);
    assert_eq!(login.token().await.unwrap().expose_secret(), "a");
    // Rejecting the cached token drops it: the next caller logs in.
    assert!(login.invalidate(&SecretString::from("a")).await);
    assert_eq!(login.token().await.unwrap().expose_secret(), "b");
    assert_eq!(login.token().await.unwrap().expose_secret(), "b");
}

#[tokio::test]
async fn clones_and_other_clients_share_one_login() {
    let server = MockServer::start().await;
    login().respond_with(login_answer("shared", None)).expect(1).mount(&server).await;
    reversal_with("shared").respond_with(ok()).expect(3).mount(&server).await;
    let a = client(&server);
    let b = a.clone();
    let c = WaasClient::builder().base_url(server.uri()).shared_login(a.token_source()).build().unwrap();
    for client in [&a, &b, &c] {
        client.transactions().reverse(&TransactionId::from("7609")).await.unwrap();
    }
}

#[tokio::test]
async fn wrong_credentials_fail_each_call_without_touching_the_api() {
    let server = MockServer::start().await;
    login()
        .respond_with(
            ResponseTemplate::new(401).set_body_raw(r#"{"message":"Invalid credentials"}"#, "application/json"),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(&server).await;
    let c = client(&server);
    for _ in 0..2 {
        let err = c.transactions().reverse(&TransactionId::from("7609")).await.unwrap_err();
        let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!((api.status, api.kind), (401, ErrorKind::Unauthorized));
        assert_eq!(api.message, "login failed: Invalid credentials");
    }
}

#[tokio::test]
async fn odd_login_answers() {
    let cases = [
        (r#"{"data":{"access_token":"wrapped","expires_in":3600.5}}"#, Ok("wrapped")),
        (r#"{"access_token":"top","data":"unrelated"}"#, Ok("top")),
        (r#"{"access_token":"t","expires_in":"3600"}"#, Ok("t")),
        (r#"{"access_token":"t","expires_in":3600.5,"scope":"all","refresh_token":"r"}"#, Ok("t")),
        (r#"{"token":"elsewhere"}"#, Err("no access_token")),
        (r#"{"access_token":""}"#, Err("no access_token")),
        (r#"{"access_token":987654321}"#, Err("not the expected JSON object")),
        ("", Err("empty body")),
    ];
    for (body, want) in cases {
        let server = MockServer::start().await;
        login().respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json")).mount(&server).await;
        let login = WaasLogin::builder().base_url(server.uri()).credentials("ops", "pw-1").build().unwrap();
        match (login.token().await, want) {
            (Ok(t), Ok(expected)) => assert_eq!(t.expose_secret(), expected),
            (Err(Error::Decode(d)), Err(fragment)) => {
                assert!(d.message.contains(fragment), "{body}: {d}");
                assert!(!d.excerpt.contains("987654321") && !d.message.contains("987654321"), "{d}");
            }
            (other, _) => panic!("{body}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_lost_login_answer_is_retried_then_a_network_error() {
    // Logging in twice is harmless, so a lost answer is retried like a GET,
    // and the final error is a retryable network error, not outcome-unknown.
    let server = MockServer::start().await;
    login().respond_with(login_answer("late", None).set_delay(Duration::from_secs(2))).expect(4).mount(&server).await;
    let c = WaasClient::builder()
        .base_url(server.uri())
        .credentials("ops", "pw-1")
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .attempt_timeout(Some(Duration::from_millis(100)))
        .build()
        .unwrap();
    let err = c.login().await.unwrap_err();
    assert!(matches!(&err, Error::Network { message, .. } if message.starts_with("login")), "{err:?}");
    assert!(err.is_retryable());
}

#[test]
fn the_login_is_a_token_source_for_other_clients() {
    let login: Arc<dyn TokenSource> =
        Arc::new(WaasLogin::builder().base_url("https://waas.example.com").credentials("u", "p").build().unwrap());
    walletkit::wallets::WalletsClient::builder()
        .base_url("https://wallets.example.com")
        .token_source(login)
        .build()
        .unwrap();
    let err = WaasLogin::builder().credentials("u", "p").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("base URL is required")), "{err}");
    let err = WaasLogin::builder().base_url("https://waas.example.com").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("credentials")), "{err}");
}
