//! The auth matchers accept what the clients send and reject anything else.

use walletkit::milta::MiltaClient;
use walletkit::test_util::{basic_auth, bearer_token, fixtures, milacoins_signature};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn basic_auth_matcher_accepts_the_client_and_rejects_other_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/p/inventories/countries"))
        .and(basic_auth("id", "secret"))
        .respond_with(fixtures::milta::countries())
        .mount(&server)
        .await;
    let good =
        MiltaClient::builder().base_url(format!("{}/p", server.uri())).credentials("id", "secret").build().unwrap();
    assert_eq!(good.inventories().countries().get().await.unwrap().items.len(), 3);
    let bad = MiltaClient::builder().base_url(format!("{}/p", server.uri())).credentials("id", "nope").build().unwrap();
    assert_eq!(bad.inventories().countries().get().await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn bearer_and_signature_matchers_check_the_raw_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(bearer_token("t0k")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let http = reqwest::Client::new();
    let ok = http.get(server.uri()).bearer_auth("t0k").send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let wrong = http.get(server.uri()).bearer_auth("other").send().await.unwrap();
    assert_eq!(wrong.status(), 404);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(milacoins_signature("key", "secret"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // Computed outside Rust:
    // printf '%s' '1700000000POST/invoices?a=b{"amount":10.5}' | openssl dgst -sha256 -hmac secret
    let mac = "633b6ec19935c906510c50fbcddea7808b98315d5de4190c192bf7cd7cd8b136";
    let signed = |body: &'static str| {
        http.post(format!("{}/invoices?a=b", server.uri()))
            .header("x-api-key", "key")
            .header("x-time", "1700000000")
            .header("x-sig", mac)
            .body(body)
    };
    assert_eq!(signed(r#"{"amount":10.5}"#).send().await.unwrap().status(), 200);
    let tampered = signed(r#"{"amount":10.5}"#).body(r#"{"amount":99}"#);
    assert_eq!(tampered.send().await.unwrap().status(), 404);
}
