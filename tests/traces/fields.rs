//! Traces named after OpenTelemetry's HTTP client conventions, with the
//! route template instead of raw ids, and a warning for unknown outcomes.
//! (In the `traces` binary: tracing caches callsite interest per process, so
//! a test running beside others without a subscriber could hide the span.)

use std::time::Duration;

use serde_json::json;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest};
use walletkit::{Decimal, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::Captured;

fn ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "status": "success", "data": data }))
}

#[tokio::test(flavor = "current_thread")]
async fn traces_name_the_route_not_the_id_and_warn_on_unknown_outcomes() {
    let captured = Captured::default();
    let _guard = captured.install(tracing::Level::DEBUG);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!({"transferId": "T-SECRETISH-9", "status": "PENDING"})))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let m = MiltaClient::builder()
        .base_url(format!("{}/api/v1/partner", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    m.transfers().get(&TransferId::from("T-SECRETISH-9")).await.unwrap();
    let transfer = TransferRequest::new(
        ExternalId::from("TXN-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::TEN,
        "GBP",
    );
    m.transfers().create_with_key(&transfer, "key-9").await.unwrap_err();

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let ours: Vec<&str> = text.lines().filter(|l| l.contains("walletkit")).collect();
    let ours = ours.join("\n");
    for field in [
        "http.request.method=GET",
        "url.template=\"/transfers/{id}\"",
        "server.address=\"127.0.0.1\"",
        "walletkit.provider=milta",
    ] {
        assert!(ours.contains(field), "missing {field} in:\n{ours}");
    }
    assert!(!ours.contains("T-SECRETISH-9"), "a raw id leaked into the span:\n{ours}");
    let warn = ours.lines().find(|l| l.contains("WARN")).unwrap_or_else(|| panic!("no warning in:\n{ours}"));
    assert!(warn.contains("outcome unknown") && warn.contains("externalId=TXN-1"), "{warn}");
    assert!(!warn.contains("key-9"), "the idempotency key stays in the error's fields: {warn}");
}
