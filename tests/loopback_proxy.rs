//! A loopback base URL is never sent through a proxy: plain HTTP is allowed
//! there only because it never leaves the machine. Its own binary, because
//! it sets the process-wide proxy variables.

use std::time::Duration;

use walletkit::wallets::{WalletId, WalletsClient};
use walletkit::RetryPolicy;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_loopback_call_goes_direct_even_with_a_proxy_in_the_environment() {
    let proxy = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(502)).mount(&proxy).await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets/101"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(include_str!("../fixtures/wallets/get.json"), "application/json"),
        )
        .mount(&server)
        .await;
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(name, proxy.uri());
    }
    for name in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(name);
    }

    let wallets = WalletsClient::builder()
        .base_url(server.uri())
        .token("secret-token")
        .retry_policy(RetryPolicy::default().max_retries(0))
        .attempt_timeout(Some(Duration::from_secs(10)))
        .build()
        .unwrap();
    let result = wallets.wallets().get(&WalletId::from("101")).await;

    let proxied = proxy.received_requests().await.unwrap();
    assert!(proxied.is_empty(), "the proxy saw {} request(s), token included", proxied.len());
    assert!(result.is_ok(), "{result:?}");
}
