//! A canary API key and secret never appear in Debug, errors or traces.
//!
//! In the `traces` binary: tracing caches per-callsite interest globally, so
//! requests from concurrent tests without a subscriber could race the
//! thread-local subscriber this test installs.

use std::time::Duration;

use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::Decimal;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use walletkit::test_util::{MilaCoinsSignature, Target};

use crate::Captured as Capture;

#[tokio::test]
async fn no_secret_in_debug_errors_or_tracing() {
    const KEY: &str = "CANARY-API-KEY-7f3a";
    const SECRET: &str = "CANARY-SECRET-91c2";
    let capture = Capture::default();
    let _guard = capture.install(tracing::Level::TRACE);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(Target("/currencies".into()))
        .and(MilaCoinsSignature::new(KEY, SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"currencies":["EUR"]}"#, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(Target("/wallets".into()))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            r#"{"requestID":"r","name":"FAIL_TO_AUTH","message":"Fail to Authentication","code":4304}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;

    let builder = MilaCoinsClient::builder()
        .credentials(KEY, SECRET)
        .base_url(server.uri())
        .attempt_timeout(Some(Duration::from_millis(200)));
    let builder_debug = format!("{builder:?}");
    let mila = builder.build().unwrap();
    let mut seen = vec![builder_debug, format!("{mila:?}"), format!("{:?}", mila.invoices())];

    assert_eq!(mila.reference().currencies().await.unwrap(), ["EUR"]);
    let auth_error = mila.reference().wallets().await.unwrap_err();
    let lost = mila
        .invoices()
        .create(&InvoiceRequest::new(WalletName::from("BTC"), Decimal::ONE, "EUR").external_id("X"))
        .await
        .unwrap_err();
    for e in [&auth_error, &lost] {
        seen.push(format!("{e}"));
        seen.push(format!("{e:?}"));
    }
    drop(_guard);
    let traced = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(traced.contains("walletkit.request"), "tracing was captured: {traced}");
    seen.push(traced);

    for text in &seen {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains(KEY), "API key leaked: {text}");
    }
}
