//! MilaCoins examples: the documented error response.

use super::*;

#[tokio::test]
async fn milacoins_error_response_decodes_into_the_documented_kind_code_and_message() {
    const NAME: &str = "milacoins/error_response.json";
    let server = MockServer::start().await;
    // The document does not say which call answered; its error table gives
    // 404 for code 1604 (DOCUMENT_NOT_FOUND). A read by id is the natural one.
    Mock::given(method("GET"))
        .and(path("/transactions/62d8df9142d15eaa837f8ace"))
        .respond_with(serve(NAME, 404))
        .expect(1)
        .mount(&server)
        .await;
    let client = walletkit::milacoins::MilaCoinsClient::builder()
        .credentials("mila-key", "mila-secret")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .transactions()
        .get(&walletkit::milacoins::TransactionId::from("62d8df9142d15eaa837f8ace"))
        .await
        .unwrap_err();
    let api = err.as_api().unwrap_or_else(|| panic!("{NAME}: {err:?}"));
    assert_eq!((api.provider, api.status, api.kind), (Provider::MilaCoins, 404, ErrorKind::NotFound), "{NAME}");
    assert_eq!(api.code.as_deref(), Some("1604"), "{NAME}: code");
    assert_eq!(api.request_id.as_deref(), Some("62d956eda0a3bf0730f5fd18"), "{NAME}: requestID");
    assert_eq!(
        api.message, "DOCUMENT_NOT_FOUND: No Invoice found with that ID (id:62d8df9142d15eaa837f8ace)",
        "{NAME}: name and message"
    );
    assert!(!err.is_retryable(), "{NAME}");
}
