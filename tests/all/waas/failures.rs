//! WaaS failures: lost and unreadable answers to money moves, retries, error
//! bodies, requests refused before sending, builders and the environment.

use std::time::Duration;

use chrono::Utc;
use walletkit::waas::{
    AccountName, AccountRequest, AccountStatus, AccountTypeCode, ClientCode, ClientRequest, ClientRequired,
    ClientServiceRequest, ClientServiceRequired, FeeType, ServiceCode, SourceTransactionId, TransactionId, WaasClient,
};
use walletkit::{Decimal, Error, ErrorKind, Provider};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::dec;
use crate::support::fast;
use crate::support::hostile_ids::HOSTILE_IDS;
use crate::support::waas_client as client;

use super::contract::{entry_request, json, minimal_client, setup, transfer_request};
use super::money::{check_documented_transfer, doc_transaction};

/// A client whose attempts give up after 100 ms, against a server that
/// answers after 2 s: every POST loses its answer.
async fn lost_answer_client(server: &MockServer) -> WaasClient {
    let c = WaasClient::builder()
        .base_url(server.uri())
        .credentials("ops", "pw-1")
        .retry_policy(fast())
        .attempt_timeout(Some(Duration::from_millis(100)))
        .build()
        .unwrap();
    c.login().await.unwrap();
    c
}

#[tokio::test]
async fn lost_answers_are_outcome_unknown_with_the_reference_and_never_resent() {
    let server = MockServer::start().await;
    setup(&server).await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(2));
    for p in ["/api/v1/transactions", "/api/v1/account-transfers", "/api/v1/transactions/7607"] {
        let n = if p == "/api/v1/transactions" { 2 } else { 1 }; // credit and debit
        Mock::given(method("POST")).and(path(p)).respond_with(slow.clone()).expect(n).mount(&server).await;
    }
    let c = lost_answer_client(&server).await;
    let reference = SourceTransactionId::generate();
    let credit = entry_request(Decimal::ONE, reference.clone(), Utc::now());
    let transfer = transfer_request(Decimal::ONE, reference.clone());

    let results = [
        (c.transactions().credit(&credit).await.unwrap_err(), "source_transaction_id", reference.as_str()),
        (c.transactions().debit(&credit).await.unwrap_err(), "source_transaction_id", reference.as_str()),
        (c.account_transfers().create(&transfer).await.unwrap_err(), "source_transaction_id", reference.as_str()),
        (c.transactions().reverse(&TransactionId::from("7607")).await.unwrap_err(), "transaction_id", "7607"),
    ];
    for (err, field, value) in results {
        let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(unknown.provider, Provider::Waas);
        assert_eq!(unknown.sent.method, "POST");
        assert_eq!(unknown.sent.reference, Some((field.to_string(), value.to_string())));
        assert!(!err.is_retryable());
        // The reference is a field, never in the sentence, which says what to do.
        assert!(!err.to_string().contains(value), "{err}");
        assert!(err.to_string().contains("a person checks it by its reference"), "{err}");
    }
}

#[test]
fn generated_references_are_unique_uuids() {
    let a = SourceTransactionId::generate();
    let b = SourceTransactionId::generate();
    assert_ne!(a, b);
    assert_eq!(a.as_str().len(), 36);
    assert!(uuid_like(a.as_str()), "{a}");
    fn uuid_like(s: &str) -> bool {
        s.split('-').map(str::len).eq([8, 4, 4, 4, 12]) && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    }
}

#[tokio::test]
async fn server_errors_on_money_moves_are_not_retried_but_429_is() {
    let server = MockServer::start().await;
    setup(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions"))
        .respond_with(ResponseTemplate::new(503).set_body_raw("upstream down", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/account-transfers"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/account-transfers"))
        .respond_with(json(include_str!("../../../fixtures/waas/transfer_response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    // A 503 without Retry-After does not prove nothing was booked: reconcile.
    let err = c.transactions().credit(&doc_transaction()).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert!(unknown.cause.contains("503") && unknown.cause.contains("upstream down"), "{}", unknown.cause);
    assert_eq!(unknown.sent.reference.as_ref().map(|(field, _)| field.as_str()), Some("source_transaction_id"));
    assert!(!err.is_retryable());
    let transfer = transfer_request(Decimal::ONE, "r-429");
    check_documented_transfer(&c.account_transfers().create(&transfer).await.unwrap());
}

#[tokio::test]
async fn undocumented_error_bodies_become_api_errors() {
    let cases: [(u16, &str, ErrorKind, Option<&str>, &str); 4] = [
        (
            400,
            r#"{"message":"Insufficient balance","code":"INSUFFICIENT_FUNDS"}"#,
            ErrorKind::InsufficientFunds,
            Some("INSUFFICIENT_FUNDS"),
            "Insufficient balance",
        ),
        (
            404,
            r#"{"error":{"message":"Account 10000099 not found"}}"#,
            ErrorKind::NotFound,
            None,
            "Account 10000099 not found",
        ),
        (422, "amount: must be positive", ErrorKind::Validation, None, "amount: must be positive"),
        (409, "", ErrorKind::Duplicate, None, "HTTP 409 with an empty body"),
    ];
    for (status, body, kind, code, message) in cases {
        let server = MockServer::start().await;
        setup(&server).await;
        Mock::given(method("POST"))
            .and(path("/api/v1/transactions"))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .expect(1)
            .mount(&server)
            .await;
        let err = client(&server).transactions().debit(&doc_transaction()).await.unwrap_err();
        let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(
            (api.provider, api.status, api.kind, api.code.as_deref(), api.message.as_str()),
            (Provider::Waas, status, kind, code, message)
        );
    }
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).expect(0).mount(&server).await;
    let c = client(&server);
    let t = |amount: Decimal, reference: &str| entry_request(amount, reference, Utc::now());
    let service = |minimum: &str, maximum: &str, has_transaction_fee: bool| {
        ClientServiceRequest::new(ClientServiceRequired {
            client_code: ClientCode::from("C"),
            client_service_name: "n".into(),
            service_code: ServiceCode::from("CUSTOM_SERVICE"),
            has_transaction_fee,
            minimum_transaction_amount: dec(minimum),
            maximum_transaction_amount: dec(maximum),
            is_active: true,
        })
    };
    let errors = [
        c.transactions().credit(&t(Decimal::ZERO, "r")).await.unwrap_err(),
        c.transactions().debit(&t(dec("-1"), "r")).await.unwrap_err(),
        c.transactions().credit(&t(Decimal::ONE, " ")).await.unwrap_err(),
        c.account_transfers().create(&transfer_request(dec("-0.01"), "r")).await.unwrap_err(),
        c.transactions().reverse(&TransactionId::from("../accounts")).await.unwrap_err(),
        c.transactions().reverse(&TransactionId::from("7607?command=CREDIT")).await.unwrap_err(),
        c.transactions().reverse(&TransactionId::from("")).await.unwrap_err(),
        c.client_services().create(&service("10", "1", false)).await.unwrap_err(),
        c.client_services().create(&service("-1", "1", false)).await.unwrap_err(),
        c.client_services()
            .create(&service("1", "10", true).transaction_fee(FeeType::Fixed, dec("-1")))
            .await
            .unwrap_err(),
        c.client_services()
            .create(&service("1", "10", false).transaction_fee(FeeType::Fixed, dec("1")))
            .await
            .unwrap_err(),
        c.clients()
            .create(&ClientRequest::new(ClientRequired { country: " ".into(), ..minimal_client("e") }))
            .await
            .unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
}

/// Required fields are constructor arguments (leaving one out does not
/// compile: see the `compile_fail` examples on `ClientRequired`,
/// `ClientServiceRequired`, `AccountTransferRequired`); blank text is
/// still refused before sending, naming every blank field.
#[tokio::test]
async fn blank_required_text_is_refused_naming_every_blank_field() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).expect(0).mount(&server).await;
    let blank = ClientRequest::new(ClientRequired {
        client_email: " ".into(),
        client_phone_number: String::new(),
        business_pin: "\t".into(),
        ..minimal_client("e")
    });
    let err = client(&server).clients().create(&blank).await.unwrap_err();
    let Error::InvalidRequest(message) = &err else { panic!("{err:?}") };
    assert!(message.ends_with("non-blank client_email, client_phone_number, business_pin"), "{message}");
    assert!(client(&server).clients().create(&ClientRequest::new(minimal_client(""))).await.is_err());
}

#[test]
fn build_and_from_env_need_a_base_url_and_credentials() {
    let err = WaasClient::builder().credentials("u", "p").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("base URL is required")), "{err}");
    let err = WaasClient::builder().base_url("https://waas.example.com").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("credentials")), "{err}");
    let err = WaasClient::builder().base_url("http://waas.example.com").credentials("u", "p").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("plain HTTP")), "{err}");

    // The only test in this binary touching these variables.
    for v in ["WAAS_USERNAME", "WAAS_PASSWORD", "WAAS_BASE_URL"] {
        std::env::remove_var(v);
    }
    let err = WaasClient::from_env().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("WAAS_USERNAME")), "{err}");
    std::env::set_var("WAAS_USERNAME", "u");
    let err = WaasClient::from_env().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("WAAS_PASSWORD")), "{err}");
    std::env::set_var("WAAS_PASSWORD", "p");
    let err = WaasClient::from_env().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("WAAS_BASE_URL") && m.contains("required")), "{err}");
    let err = walletkit::waas::WaasLogin::from_env().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("WAAS_BASE_URL")), "{err}");
    std::env::set_var("WAAS_BASE_URL", "https://waas.example.com");
    WaasClient::from_env().unwrap();
    walletkit::waas::WaasLogin::from_env().unwrap();
    for v in ["WAAS_USERNAME", "WAAS_PASSWORD", "WAAS_BASE_URL"] {
        std::env::remove_var(v);
    }
}

#[test]
fn clients_and_futures_are_send_and_sync() {
    fn check<T: Send + Sync>(_: &T) {}
    let c = WaasClient::builder().base_url("https://waas.example.com").credentials("u", "p").build().unwrap();
    check(&c);
    check(&c.token_source());
    let req = entry_request(Decimal::ONE, "r", Utc::now());
    check(&c.transactions().credit(&req));
    check(&c.login());
}

#[tokio::test]
async fn reverse_refuses_every_hostile_id_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    for id in HOSTILE_IDS {
        let err = c.transactions().reverse(&TransactionId::from(*id)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "not even a login");
}

#[tokio::test]
async fn an_unreadable_success_answer_is_accepted_unreadable_with_the_reference() {
    let server = MockServer::start().await;
    setup(&server).await;
    // Each a 2xx the server sends after acting: truncated, HTML, a field gone.
    let bodies = [
        ("/api/v1/transactions", r#"{"transaction_id":"7607","account":"1000"#),
        ("/api/v1/account-transfers", "<html>OK</html>"),
        ("/api/v1/transactions/7607", r#"{"source_transaction":{"transaction_id":"1"}}"#),
        ("/api/v1/clients", r#"{"client_code":"C1"}"#),
        ("/api/v1/accounts", "[]"),
        ("/api/v1/client-services", ""),
    ];
    for (p, body) in bodies {
        let n = if p == "/api/v1/transactions" { 2 } else { 1 }; // credit and debit
        Mock::given(method("POST"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(201).set_body_raw(body, "application/json"))
            .expect(n)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    let reference = SourceTransactionId::generate();
    let credit = entry_request(Decimal::ONE, reference.clone(), Utc::now());
    let transfer = transfer_request(Decimal::ONE, reference.clone());
    let client_req = ClientRequest::new(minimal_client("n@example.com"));
    let account_req = AccountRequest::new(
        ClientCode::from("C1"),
        AccountTypeCode::FloatAccount,
        AccountName::from("Main"),
        "KES",
        Decimal::ZERO,
        AccountStatus::Active,
    );
    let service_req = ClientServiceRequest::new(ClientServiceRequired {
        client_code: ClientCode::from("C1"),
        client_service_name: "Payouts".into(),
        service_code: ServiceCode::from("CUSTOM_SERVICE"),
        has_transaction_fee: false,
        minimum_transaction_amount: dec("1"),
        maximum_transaction_amount: dec("10"),
        is_active: true,
    });
    let r = reference.as_str();
    let results = [
        (c.transactions().credit(&credit).await.unwrap_err(), "source_transaction_id", r),
        (c.transactions().debit(&credit).await.unwrap_err(), "source_transaction_id", r),
        (c.account_transfers().create(&transfer).await.unwrap_err(), "source_transaction_id", r),
        (c.transactions().reverse(&TransactionId::from("7607")).await.unwrap_err(), "transaction_id", "7607"),
        (c.clients().create(&client_req).await.unwrap_err(), "client_email", "n@example.com"),
        (c.accounts().create(&account_req).await.unwrap_err(), "account_name", "Main"),
        (c.client_services().create(&service_req).await.unwrap_err(), "client_service_name", "Payouts"),
    ];
    for (err, field, value) in results {
        let accepted = err.as_accepted_unreadable().unwrap_or_else(|| panic!("{field}: {err:?}"));
        assert_eq!((accepted.provider, accepted.sent.method.as_str(), accepted.status), (Provider::Waas, "POST", 201));
        assert_eq!(accepted.sent.reference, Some((field.to_string(), value.to_string())));
        assert_eq!(err.kind(), ErrorKind::AcceptedUnreadable);
        assert!(!err.is_retryable(), "{err}");
        assert!(!err.to_string().contains(value) && format!("{err:?}").contains(value), "a field: {err}");
    }
}
