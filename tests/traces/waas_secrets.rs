//! No password, username or token (WaaS login or Wallets Bearer) appears in
//! `Debug`, `Display`, errors or TRACE-level tracing output.

use std::time::Duration;

use walletkit::waas::{
    AccountNumber, ClientServiceCode, SourceTransactionId, TransactionId, TransactionRequest, TransactionSource,
    WaasClient, WaasLogin,
};
use walletkit::wallets::{WalletId, WalletsClient};
use walletkit::{Decimal, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::Captured;

const USERNAME: &str = "canary-user-51b2";
const PASSWORD: &str = "canary-PW-7f3a9";
const LOGIN_TOKEN: &str = "canary-LT-e21f";
const WALLETS_TOKEN: &str = "canary-WT-0c8d";
const CANARIES: [&str; 4] = [USERNAME, PASSWORD, LOGIN_TOKEN, WALLETS_TOKEN];

fn assert_clean(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(!text.contains(canary), "{what} leaks {canary}: {text}");
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5))
}

// Current-thread runtime: every span and event is emitted on this thread,
// where the capturing subscriber is installed.
#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_traces() {
    let captured = Captured::default();
    let _guard = captured.install(tracing::Level::TRACE);
    let mut seen: Vec<String> = Vec::new();

    // WaaS: a login, a call rejected once (re-login), a failing call, a lost answer.
    let waas = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(format!(r#"{{"access_token":"{LOGIN_TOKEN}","expires_in":3600}}"#), "application/json"),
        )
        .mount(&waas)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions/1"))
        .and(header("authorization", format!("Bearer {LOGIN_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&waas)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&waas)
        .await;
    let builder = WaasClient::builder()
        .base_url(waas.uri())
        .credentials(USERNAME, PASSWORD)
        .retry_policy(fast())
        .attempt_timeout(Some(Duration::from_millis(100)));
    seen.push(format!("{builder:?}"));
    let c = builder.build().unwrap();
    c.login().await.unwrap();
    let err = c.transactions().reverse(&TransactionId::from("1")).await.unwrap_err();
    seen.push(format!("{err:?} {err}"));
    let credit = TransactionRequest::new(
        AccountNumber::from("1"),
        ClientServiceCode::from("S"),
        TransactionSource::External,
        Decimal::ONE,
        SourceTransactionId::from("ref-1"),
        chrono::Utc::now(),
    );
    let err = c.transactions().credit(&credit).await.unwrap_err();
    assert!(err.as_outcome_unknown().is_some());
    seen.push(format!("{err:?} {err}"));
    seen.push(format!("{c:?} {:?}", c.token_source()));
    assert!(format!("{c:?}").contains("[REDACTED]"));

    // A login rejected with a body that echoes the credentials.
    let echo = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(format!(r#"{{"message":"bad password {PASSWORD} for {USERNAME}"}}"#), "application/json"),
        )
        .mount(&echo)
        .await;
    let login_builder = WaasLogin::builder().base_url(echo.uri()).credentials(USERNAME, PASSWORD);
    seen.push(format!("{login_builder:?}"));
    let login = login_builder.build().unwrap();
    let err = login.ensure_logged_in().await.unwrap_err();
    assert_eq!(err.as_api().unwrap().message, "login failed: bad password [REDACTED] for [REDACTED]");
    seen.push(format!("{err:?} {err} {login:?}"));

    // Wallets: a static token, accepted once and rejected once.
    let wallets = MockServer::start().await;
    Mock::given(path("/api/v1/wallets/101"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(include_str!("../../fixtures/wallets/get.json"), "application/json"),
        )
        .mount(&wallets)
        .await;
    Mock::given(path("/api/v1/wallets/102"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(include_str!("../../fixtures/wallets/error_401.json"), "application/json"),
        )
        .mount(&wallets)
        .await;
    let builder = WalletsClient::builder().base_url(wallets.uri()).token(WALLETS_TOKEN);
    seen.push(format!("{builder:?}"));
    let w = builder.build().unwrap();
    w.wallets().get(&WalletId::from(101)).await.unwrap();
    let err = w.wallets().get(&WalletId::from(102)).await.unwrap_err();
    seen.push(format!("{err:?} {err} {w:?}"));

    for (i, text) in seen.iter().enumerate() {
        assert_clean(&format!("output #{i}"), text);
    }
    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(traces.contains("walletkit.request") && traces.contains("waas login"), "tracing was captured: {traces}");
    assert_clean("tracing output", &traces);
}
