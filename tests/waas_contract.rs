//! Wallet-as-a-Service contract tests: every operation's exact request
//! (method, path, query, headers, body bytes) against the document's
//! examples, the document's responses decoded exactly, lost answers,
//! errors and client-side validation.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use walletkit::waas::{
    Account, AccountId, AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTransferRequest,
    AccountTypeCode, Client, ClientCode, ClientId, ClientRequest, ClientService, ClientServiceCode,
    ClientServiceRequest, FeeType, ServiceCode, SourceTransactionId, Transaction, TransactionId, TransactionPair,
    TransactionRequest, TransactionSource, TransactionType, WaasClient,
};
use walletkit::{Decimal, Error, ErrorKind, Provider, RetryPolicy};
use wiremock::matchers::{any, body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common {
    pub mod hostile_ids;
}
use common::hostile_ids::HOSTILE_IDS;

const TOKEN: &str = "tok-abc";

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5))
}

fn client(server: &MockServer) -> WaasClient {
    WaasClient::builder().base_url(server.uri()).credentials("ops", "pw-1").retry_policy(fast()).build().unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A credit or debit of `amount` on account `1` under service `S`.
fn entry_request(
    amount: Decimal,
    reference: impl Into<SourceTransactionId>,
    date: DateTime<Utc>,
) -> TransactionRequest {
    TransactionRequest::new(
        AccountNumber::from("1"),
        ClientServiceCode::from("S"),
        TransactionSource::External,
        amount,
        reference.into(),
        date,
    )
}

/// A transfer of `amount` from account `1` to account `2` under service `S`.
fn transfer_request(amount: Decimal, reference: impl Into<SourceTransactionId>) -> AccountTransferRequest {
    AccountTransferRequest::builder()
        .source_account_number(AccountNumber::from("1"))
        .destination_account_number(AccountNumber::from("2"))
        .client_service_code(ClientServiceCode::from("S"))
        .transaction_amount(amount)
        .source_transaction_id(reference.into())
        .transaction_source(TransactionSource::Internal)
        .build()
        .unwrap()
}

/// A client profile with every required field set and nothing else.
fn minimal_client(email: &str) -> walletkit::waas::ClientRequestBuilder {
    ClientRequest::builder()
        .client_name("N")
        .client_email(email)
        .client_phone_number("1")
        .contact_person_name("C")
        .contact_person_email("f")
        .contact_person_msisdn("2")
        .business_pin("P")
        .country("Kenya")
}

fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

/// A document example as the exact bytes walletkit sends: compact, keys in
/// the document's order, numbers in shortest form (`100.0` becomes `100`).
/// Done on the text, since a parsed map would not keep the key order.
fn wire_body(example: &str) -> String {
    assert!(serde_json::from_str::<Value>(example).is_ok(), "fixture is JSON");
    let mut out = String::new();
    let mut chars = example.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            c if c.is_whitespace() => {}
            c if c == '-' || c.is_ascii_digit() => {
                let mut number = String::from(c);
                while let Some(&n) = chars.peek() {
                    if !(n.is_ascii_digit() || matches!(n, '.' | 'e' | 'E' | '+' | '-')) {
                        break;
                    }
                    number.push(n);
                    chars.next();
                }
                out.push_str(&walletkit::money::shortest(walletkit::money::parse(&number).unwrap()));
            }
            c => out.push(c),
        }
    }
    out
}

/// Logs in once with the test credentials, and fails on any unexpected request.
async fn setup(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(json(&format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#)))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(server).await;
}

/// Exact query string.
fn query_is(expected: Option<&'static str>) -> impl Fn(&Request) -> bool {
    move |r: &Request| r.url.query() == expected
}

/// A protected POST with a JSON body: bearer token, JSON content type.
fn post_json(p: &str, query: Option<&'static str>, body: String) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path(p))
        .and(query_is(query))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_string(body))
}

#[tokio::test]
async fn login_posts_the_credentials_without_auth() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .and(query_is(None))
        .and(header("content-type", "application/json"))
        .and(|r: &Request| !r.headers.contains_key("authorization"))
        .and(body_string(r#"{"username":"ops","password":"pw-1"}"#))
        .respond_with(json(r#"{"access_token":"tok-abc","unknown":{"nested":[1,2]}}"#))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(c.token_source().details().await, None, "nothing before the first login");
    c.login().await.unwrap();
    c.login().await.unwrap(); // cached: no second login
    let details = c.token_source().details().await.unwrap();
    assert_eq!((details.token_type, details.expires_in), (None, None));
    assert_eq!(details.extra["unknown"].get(), r#"{"nested":[1,2]}"#, "unknown answer fields stay reachable");
    assert_eq!(details.extra.len(), 1, "the token is not among them");
}

#[tokio::test]
async fn create_client_sends_the_documented_payload() {
    let server = MockServer::start().await;
    setup(&server).await;
    post_json("/api/v1/clients", None, wire_body(include_str!("../fixtures/waas/client_request.json")))
        .respond_with(json(include_str!("../fixtures/waas/client_response.json")))
        .expect(1)
        .mount(&server)
        .await;

    let req = ClientRequest::builder()
        .client_name("LIPAD")
        .client_email("[email protected]")
        .client_phone_number("254712345678")
        .contact_person_name("Admin")
        .contact_person_email("[email protected]")
        .contact_person_msisdn("254712345678")
        .business_pin("1")
        .physical_address("456 Elm St")
        .country("Canada")
        .logo("https://example.com/logo2.png")
        .description("Lorem ipsum dolor sit amet consectetur adipiscing elit.")
        .is_active(true)
        .build()
        .unwrap();
    let created: Client = client(&server).clients().create(&req).await.unwrap();

    assert_eq!(created.client_id, ClientId::from("123"));
    assert_eq!(created.client_code, ClientCode::from("EML67BG6W1"));
    assert_eq!(created.client_phone_number.as_deref(), Some("7209323323"), "sent as a number, read as text");
    assert_eq!(created.contact_person_msisdn.as_deref(), Some("7209323323"));
    assert_eq!(created.business_pin.as_deref(), Some("A102035"));
    assert_eq!(created.is_active, Some(true));
    assert_eq!(created.client_name.as_deref(), Some("Emlyn"));
    assert_eq!(created.physical_address.as_deref(), Some("Nairobi, Kenya"));
    assert_eq!(created.country.as_deref(), Some("Kenya"));
    assert_eq!(created.description.as_deref(), Some("Test"));
    assert_eq!(created.logo.as_deref(), Some("https://example.com/logo.png"));
}

#[tokio::test]
async fn inactive_flags_are_sent_as_zero_and_optional_fields_are_omitted() {
    let server = MockServer::start().await;
    setup(&server).await;
    let body = r#"{"client_name":"N","client_email":"e","client_phone_number":"1","contact_person_name":"C","contact_person_email":"f","contact_person_msisdn":"2","business_pin":"P","country":"Kenya","is_active":0}"#;
    post_json("/api/v1/clients", None, body.into())
        .respond_with(json(r#"{"client_id":9,"client_code":"X1","client_phone_number":"1","is_active":0}"#))
        .expect(1)
        .mount(&server)
        .await;
    let req = minimal_client("e").is_active(false).build().unwrap();
    let created = client(&server).clients().create(&req).await.unwrap();
    assert_eq!((created.client_id.as_str(), created.is_active), ("9", Some(false)));
    assert_eq!(created.client_name, None);
}

#[tokio::test]
async fn create_account_sends_the_documented_payload() {
    let server = MockServer::start().await;
    setup(&server).await;
    post_json("/api/v1/accounts", None, wire_body(include_str!("../fixtures/waas/account_request.json")))
        .respond_with(json(include_str!("../fixtures/waas/account_response.json")))
        .expect(1)
        .mount(&server)
        .await;

    let req = AccountRequest::new(
        ClientCode::from("LIPNZPMF7O"),
        AccountTypeCode::FloatAccount,
        AccountName::from("Collection Account KES 2"),
        "KES",
        Decimal::ZERO,
        AccountStatus::Active,
    )
    .can_overdraw(false)
    .status_description("Collection Account");
    let account: Account = client(&server).accounts().create(&req).await.unwrap();

    assert_eq!(account.account_id, AccountId::from("1"));
    assert_eq!(account.account_number, AccountNumber::from("10000110"));
    assert_eq!(account.account_name.as_deref(), Some("Float Account 1"));
    assert_eq!(account.currency.as_deref(), Some("KES"));
    assert_eq!(account.minimum_balance.unwrap().to_string(), "0.1000", "four-decimal string read exactly");
    assert_eq!(account.can_overdraw, Some(false));
    assert_eq!(account.status, Some(AccountStatus::Active));
    assert_eq!(account.status_description.as_deref(), Some("Test account"));
    assert_eq!(account.created_at, Some(at("2024-09-05T17:14:04.734Z").into()));
    assert_eq!(account.updated_at, Some(at("2024-09-05T17:14:04.734Z").into()));
}

#[test]
fn all_seven_account_types_round_trip_and_unknown_ones_are_kept() {
    let codes = [
        (AccountTypeCode::FloatAccount, "FLOAT_ACCOUNT"),
        (AccountTypeCode::AvailableCollections, "AVAILABLE_COLLECTIONS"),
        (AccountTypeCode::HybridAccount, "HYBRID_ACCOUNT"),
        (AccountTypeCode::AcquirerReserve, "ACQUIRER_RESERVE"),
        (AccountTypeCode::RollingReserve, "ROLLING_RESERVE"),
        (AccountTypeCode::CommissionAccount, "COMMISSION_ACCOUNT"),
        (AccountTypeCode::CommissionTaxAccount, "COMMISSION_TAX_ACCOUNT"),
    ];
    for (code, wire) in codes {
        assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{wire}\""));
        assert_eq!(serde_json::from_str::<AccountTypeCode>(&format!("\"{wire}\"")).unwrap(), code);
    }
    let unknown: AccountTypeCode = serde_json::from_str(r#""ESCROW""#).unwrap();
    assert_eq!(unknown, AccountTypeCode::Unknown("ESCROW".into()));
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""ESCROW""#);
    assert_eq!(FeeType::from("PERCENTAGE"), FeeType::Percentage);
    assert_eq!(FeeType::Fixed.as_str(), "FIXED");
}

#[tokio::test]
async fn create_client_service_sends_the_documented_payload() {
    let server = MockServer::start().await;
    setup(&server).await;
    let body = wire_body(include_str!("../fixtures/waas/client_service_request.json"));
    assert!(body.contains(r#""transaction_fee":0,"minimum_transaction_amount":1,"maximum_transaction_amount":100,"#));
    post_json("/api/v1/client-services", None, body)
        .respond_with(json(include_str!("../fixtures/waas/client_service_response.json")))
        .expect(1)
        .mount(&server)
        .await;

    let req = ClientServiceRequest::new(
        ClientCode::from("LIPNZPMF7O"),
        "Payout KES Nairobi",
        ServiceCode::from("CUSTOM_SERVICE"),
        Decimal::new(10, 1)..=Decimal::new(1000, 1),
    )
    .transaction_fee(FeeType::Fixed, Decimal::new(0, 1))
    .is_active(true);
    let service: ClientService = client(&server).client_services().create(&req).await.unwrap();

    assert_eq!(service.client_service_id.as_str(), "1");
    assert_eq!(service.client_service_code, ClientServiceCode::from("PAY1CNAELX"));
    assert_eq!(service.client_code, Some(ClientCode::from("LIPNZPMF7O")));
    assert_eq!(service.client_service_name.as_deref(), Some("Payout KES Nairobi"));
    assert_eq!(service.service_code, Some(ServiceCode::from("CUSTOM_SERVICE")));
    assert_eq!(service.has_transaction_fee, Some(true));
    assert_eq!(service.transaction_fee_type, Some(FeeType::Fixed));
    assert_eq!(service.transaction_fee.unwrap().to_string(), "0.0");
    assert_eq!(service.minimum_transaction_amount, Some(dec("1")));
    assert_eq!(service.maximum_transaction_amount, Some(dec("100")));
    assert_eq!(service.is_active, Some(true));
}

fn doc_transaction() -> TransactionRequest {
    let data = serde_json::from_str(r#"{"data":"test"}"#).unwrap();
    TransactionRequest::new(
        AccountNumber::from("10000099"),
        ClientServiceCode::from("FLOIQ2XAFJ"),
        TransactionSource::External,
        Decimal::new(1000, 1),
        SourceTransactionId::from("12325524445"),
        at("2024-07-29T12:34:56Z"),
    )
    .source_transaction_data(data)
    .transaction_narration("Test")
}

fn check_documented_credit(t: &Transaction) {
    assert_eq!(t.transaction_id, TransactionId::from("7607"));
    assert_eq!(t.account, AccountNumber::from("10000110"));
    assert_eq!(t.client_service, Some(ClientServiceCode::from("PAY1CNAELX")));
    assert_eq!(t.transaction_type, TransactionType::Credit);
    assert_eq!(t.currency.as_deref(), Some("KES"));
    assert_eq!(t.transaction_amount.to_string(), "96.0000");
    assert_eq!(t.previous_balance.to_string(), "0.0000");
    assert_eq!(t.current_balance.to_string(), "96.0000");
    assert_eq!(t.balance_change(), Some(dec("96")));
    assert_eq!(t.other_party_account, Some(AccountNumber::from("10000002")));
    assert_eq!(t.other_party_transaction_hash.as_deref(), Some("N/A"));
    assert_eq!(t.transaction_source, Some(TransactionSource::External));
    assert_eq!(t.source_transaction_id, Some(SourceTransactionId::from("121231234")));
    let data = t.source_transaction_data.as_ref().unwrap();
    assert_eq!(data.decode::<Value>().unwrap(), serde_json::json!({"data": "Dashboard"}));
    assert_eq!(t.transaction_narration.as_deref(), Some("2131321"));
    assert_eq!(t.transaction_date, Some(at("2024-09-05T17:47:00.000Z").into()));
}

#[tokio::test]
async fn credit_and_debit_post_the_documented_payload_with_their_command() {
    let server = MockServer::start().await;
    setup(&server).await;
    let body = wire_body(include_str!("../fixtures/waas/transaction_request.json"));
    assert!(
        body.contains(r#""transaction_amount":100,"#)
            && body.ends_with(r#""transaction_date":"2024-07-29T12:34:56Z"}"#)
    );
    for command in ["CREDIT", "DEBIT"] {
        let q: &'static str = if command == "CREDIT" { "command=CREDIT" } else { "command=DEBIT" };
        post_json("/api/v1/transactions", Some(q), body.clone())
            .respond_with(json(include_str!("../fixtures/waas/transaction_response.json")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    check_documented_credit(&c.transactions().credit(&doc_transaction()).await.unwrap());
    check_documented_credit(&c.transactions().debit(&doc_transaction()).await.unwrap());
}

fn check_documented_transfer(pair: &TransactionPair) {
    let (s, d) = (&pair.source_transaction, &pair.destination_transaction);
    assert_eq!((s.transaction_id.as_str(), d.transaction_id.as_str()), ("7611", "7612"));
    assert_eq!(
        (s.transaction_type.clone(), d.transaction_type.clone()),
        (TransactionType::Debit, TransactionType::Credit)
    );
    assert_eq!((s.account.as_str(), d.account.as_str()), ("10000097", "10000095"));
    assert_eq!(s.transaction_amount.to_string(), "10.0000");
    assert_eq!((s.previous_balance, s.current_balance), (dec("2985.0000"), dec("2975.0000")));
    assert_eq!((s.balance_change(), d.balance_change()), (Some(dec("-10")), Some(dec("10"))));
    assert_eq!(s.transaction_source, Some(TransactionSource::Internal));
    assert_eq!(s.other_party_account, Some(AccountNumber::from("10000095")));
    assert_eq!(d.source_transaction_id, Some(SourceTransactionId::from("IFT212242342412324")));
    assert_eq!(d.transaction_date, Some(at("2024-09-05T18:36:42.788Z").into()));
}

#[tokio::test]
async fn account_transfer_posts_the_documented_payload() {
    let server = MockServer::start().await;
    setup(&server).await;
    let body = wire_body(include_str!("../fixtures/waas/transfer_request.json"));
    assert!(body.contains(r#""transaction_amount":10,"#) && body.contains(r#""source_transaction_data":{}"#));
    post_json("/api/v1/account-transfers", None, body)
        .respond_with(json(include_str!("../fixtures/waas/transfer_response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let req = AccountTransferRequest::builder()
        .source_account_number(AccountNumber::from("10000014"))
        .destination_account_number(AccountNumber::from("10000015"))
        .client_service_code(ClientServiceCode::from("INT_NHQ5Y77"))
        .transaction_amount(Decimal::new(100, 1))
        .source_transaction_id(SourceTransactionId::from("1"))
        .transaction_source(TransactionSource::Internal)
        .source_transaction_data(serde_json::Map::new())
        .transaction_narration("Transfer for payment")
        .transaction_date(at("2022-07-29T12:34:56Z"))
        .build()
        .unwrap();
    check_documented_transfer(&client(&server).account_transfers().create(&req).await.unwrap());
}

#[tokio::test]
async fn reversal_posts_no_body_and_reads_the_documented_answer() {
    let server = MockServer::start().await;
    setup(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions/7609"))
        .and(query_is(Some("command=REVERSE")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(|r: &Request| r.body.is_empty() && !r.headers.contains_key("content-type"))
        .respond_with(json(include_str!("../fixtures/waas/reversal_response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let pair = client(&server).transactions().reverse(&TransactionId::from("7609")).await.unwrap();
    let (s, d) = (&pair.source_transaction, &pair.destination_transaction);
    assert_eq!(s.transaction_id.as_str(), "7609");
    assert_eq!(d.transaction_id.as_str(), "7610", "the repeated key is accepted");
    assert_eq!((s.previous_balance, s.current_balance), (dec("1093.0000"), dec("96.0000")));
    assert_eq!(s.transaction_amount.to_string(), "997.0000");
    assert_eq!(d.current_balance.to_string(), "10192.0000");
    assert_eq!(d.balance_change(), Some(dec("997")));
    assert_eq!(s.client_service, Some(ClientServiceCode::from("REVN6D91E4")));
}

#[tokio::test]
async fn ledger_amounts_are_exact_in_every_form() {
    let server = MockServer::start().await;
    setup(&server).await;
    // Numbers beyond f64's precision, four-decimal strings, negatives.
    let body = r#"{"transaction_id":1,"account":10000110,"transaction_type":"DEBIT","transaction_amount":12345678901234567.89,
        "previous_balance":"-0.5000","current_balance":-12345678901234568.39,"transaction_source":"PARTNER",
        "source_transaction_data":{"x":1.10}}"#;
    post_json(
        "/api/v1/transactions",
        Some("command=DEBIT"),
        wire_body(include_str!("../fixtures/waas/transaction_request.json")),
    )
    .respond_with(json(body))
    .mount(&server)
    .await;
    let t = client(&server).transactions().debit(&doc_transaction()).await.unwrap();
    assert_eq!(t.transaction_id.as_str(), "1");
    assert_eq!(t.account.as_str(), "10000110");
    assert_eq!(t.transaction_amount.to_string(), "12345678901234567.89");
    assert_eq!(t.previous_balance.to_string(), "-0.5000");
    assert_eq!(t.current_balance.to_string(), "-12345678901234568.39");
    assert_eq!(t.balance_change(), Some(dec("-12345678901234567.89")));
    assert_eq!(serde_json::to_string(&t.source_transaction_data).unwrap(), r#"{"x":1.10}"#, "nested data untouched");
    assert_eq!(t.source_transaction_data.as_ref().unwrap().get(), r#"{"x":1.10}"#);
    assert_eq!(t.transaction_source, Some(TransactionSource::Unknown("PARTNER".into())));
}

#[test]
fn request_amounts_are_written_in_shortest_exact_form() {
    for (amount, wire) in
        [("96.0000", "96"), ("0.10", "0.1"), ("12345678901234567.89", "12345678901234567.89"), ("1e3", "1000")]
    {
        let amount = walletkit::money::parse(amount).unwrap();
        let req = entry_request(amount, "r", at("2024-01-01T00:00:00Z"));
        let body = serde_json::to_string(&req).unwrap();
        assert!(body.contains(&format!(r#""transaction_amount":{wire},"#)), "{body}");
    }
    let req = entry_request(Decimal::ONE, "r", at("2024-01-01T00:00:00.25Z"));
    assert!(serde_json::to_string(&req).unwrap().contains(r#""transaction_date":"2024-01-01T00:00:00.250Z""#));
}

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
        assert!(err.to_string().contains(value), "{err}");
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
        .respond_with(json(include_str!("../fixtures/waas/transfer_response.json")))
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
    let service =
        |amounts| ClientServiceRequest::new(ClientCode::from("C"), "n", ServiceCode::from("CUSTOM_SERVICE"), amounts);
    let errors = [
        c.transactions().credit(&t(Decimal::ZERO, "r")).await.unwrap_err(),
        c.transactions().debit(&t(dec("-1"), "r")).await.unwrap_err(),
        c.transactions().credit(&t(Decimal::ONE, " ")).await.unwrap_err(),
        c.account_transfers().create(&transfer_request(dec("-0.01"), "r")).await.unwrap_err(),
        c.transactions().reverse(&TransactionId::from("../accounts")).await.unwrap_err(),
        c.transactions().reverse(&TransactionId::from("7607?command=CREDIT")).await.unwrap_err(),
        c.transactions().reverse(&TransactionId::from("")).await.unwrap_err(),
        c.client_services().create(&service(dec("10")..=dec("1"))).await.unwrap_err(),
        c.client_services().create(&service(dec("-1")..=dec("1"))).await.unwrap_err(),
        c.client_services()
            .create(&service(dec("1")..=dec("10")).transaction_fee(FeeType::Fixed, dec("-1")))
            .await
            .unwrap_err(),
        c.client_services()
            .create(&service(dec("1")..=dec("10")).transaction_fee(FeeType::Fixed, dec("1")).has_transaction_fee(false))
            .await
            .unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
}

#[test]
fn builders_name_every_missing_required_field() {
    let err = ClientRequest::builder().client_name("N").client_email(" ").country("Kenya").build().unwrap_err();
    let Error::InvalidRequest(message) = &err else { panic!("{err:?}") };
    for field in [
        "client_email",
        "client_phone_number",
        "contact_person_name",
        "contact_person_email",
        "contact_person_msisdn",
        "business_pin",
    ] {
        assert!(message.contains(field), "{field}: {message}");
    }
    assert!(!message.contains("client_name") && !message.contains("country"), "{message}");

    let err = AccountTransferRequest::builder()
        .source_account_number(AccountNumber::from("1"))
        .transaction_amount(Decimal::ONE)
        .build()
        .unwrap_err();
    let Error::InvalidRequest(message) = &err else { panic!("{err:?}") };
    assert!(message.contains("destination_account_number"), "{message}");
    assert!(message.contains("client_service_code") && message.contains("source_transaction_id"), "{message}");
    assert!(!message.contains("source_account_number") && !message.contains("transaction_amount"), "{message}");

    // The document's required source and date, when not set: INTERNAL, and now.
    let before = Utc::now();
    let transfer = AccountTransferRequest::builder()
        .source_account_number(AccountNumber::from("1"))
        .destination_account_number(AccountNumber::from("2"))
        .client_service_code(ClientServiceCode::from("S"))
        .transaction_amount(Decimal::ONE)
        .source_transaction_id(SourceTransactionId::from("r"))
        .build()
        .unwrap();
    let body = serde_json::to_value(&transfer).unwrap();
    assert_eq!(body["transaction_source"], "INTERNAL");
    let date = at(body["transaction_date"].as_str().unwrap());
    assert!(date >= before - chrono::TimeDelta::seconds(1) && date <= Utc::now(), "{date}");
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
    let client_req = minimal_client("n@example.com").build().unwrap();
    let account_req = AccountRequest::new(
        ClientCode::from("C1"),
        AccountTypeCode::FloatAccount,
        AccountName::from("Main"),
        "KES",
        Decimal::ZERO,
        AccountStatus::Active,
    );
    let service_req = ClientServiceRequest::new(
        ClientCode::from("C1"),
        "Payouts",
        ServiceCode::from("CUSTOM_SERVICE"),
        dec("1")..=dec("10"),
    );
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
        assert!(err.to_string().contains(value), "{err}");
    }
}

fn entry(json: &str) -> Transaction {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

const ENTRY_MINIMUM: &str = r#""transaction_type":"CREDIT","transaction_amount":"1.0000","previous_balance":"0.0000","current_balance":"1.0000""#;

#[test]
fn ledger_entries_accept_both_spellings_at_once() {
    let t = entry(
        r#"{"id":9,"transactionId":8,"transaction_id":"7607","accountNumber":"2","account_number":"3","account":"10000110",
            "clientServiceCode":"Z","client_service_code":"Y","client_service":"PAY1CNAELX","transactionType":"DEBIT",
            "transaction_type":"CREDIT","amount":"5.0000","transaction_amount":"96.0000","previous_balance":"0.0000",
            "current_balance":"96.0000","sourceTransactionId":"s2","source_transaction_id":"s1",
            "transactionDate":"2020-01-01T00:00:00Z","transaction_date":"2024-09-05T17:47:00.000Z"}"#,
    );
    assert_eq!((t.transaction_id.as_str(), t.account.as_str()), ("7607", "10000110"));
    assert_eq!(t.client_service, Some(ClientServiceCode::from("PAY1CNAELX")));
    assert_eq!((t.transaction_type.clone(), t.transaction_amount), (TransactionType::Credit, dec("96.0000")));
    assert_eq!(t.source_transaction_id, Some(SourceTransactionId::from("s1")));
    assert_eq!(t.transaction_date, Some(at("2024-09-05T17:47:00Z").into()));
    assert!(t.extra.is_empty(), "{:?}", t.extra);
    // Each alternative alone.
    let t = entry(&format!(r#"{{"transactionId":8,"accountNumber":2,"clientServiceCode":"Z",{ENTRY_MINIMUM}}}"#));
    assert_eq!((t.transaction_id.as_str(), t.account.as_str()), ("8", "2"));
    let t = entry(
        r#"{"id":9,"account_number":3,"transactionType":"DEBIT","amount":5,"previous_balance":5,"current_balance":0}"#,
    );
    assert_eq!((t.transaction_id.as_str(), t.account.as_str(), t.transaction_amount), ("9", "3", dec("5")));

    let pair: TransactionPair = serde_json::from_str(&format!(
        r#"{{"sourceTransaction":{{"transaction_id":1,"account":1,{ENTRY_MINIMUM}}},
            "source_transaction":{{"transaction_id":2,"account":2,{ENTRY_MINIMUM}}},
            "destinationTransaction":{{"transaction_id":3,"account":3,{ENTRY_MINIMUM}}}}}"#
    ))
    .unwrap();
    assert_eq!(
        (pair.source_transaction.transaction_id.as_str(), pair.destination_transaction.transaction_id.as_str()),
        ("2", "3")
    );
}

#[test]
fn ledger_amounts_are_exact_as_strings_and_as_numbers() {
    for (raw, want) in [
        ("12345678901234567.89", "12345678901234567.89"),
        (r#""12345678901234567.89""#, "12345678901234567.89"),
        ("0.123456789012345678", "0.123456789012345678"),
        (r#""0.123456789012345678""#, "0.123456789012345678"),
        (r#""96.0000""#, "96.0000"),
        ("96.0000", "96.0000"),
    ] {
        let t = entry(&format!(
            r#"{{"transaction_id":1,"account":1,"transaction_type":"CREDIT","transaction_amount":{raw},
                "previous_balance":{raw},"current_balance":{raw}}}"#
        ));
        for amount in [t.transaction_amount, t.previous_balance, t.current_balance] {
            assert_eq!(amount.to_string(), want, "{raw}");
        }
    }
}

#[test]
fn ledger_entries_take_null_for_every_optional_field_and_keep_unknown_ones() {
    let t = entry(&format!(
        r#"{{"transaction_id":7607,"account":10000110,{ENTRY_MINIMUM},"client_service":null,"currency":null,
            "other_party_account":null,"other_party_transaction_hash":null,"transaction_source":null,
            "source_transaction_id":null,"source_transaction_data":null,"transaction_narration":null,
            "transaction_date":null,"fee":12345678901234567.89,"meta":{{"a":[1,{{"b":0.1000}}]}},"tiny":1e-400}}"#
    ));
    assert_eq!((t.transaction_id.as_str(), t.account.as_str()), ("7607", "10000110"), "ids from numbers");
    assert_eq!(
        (&t.client_service, &t.currency, &t.other_party_account, &t.other_party_transaction_hash),
        (&None, &None, &None, &None)
    );
    assert_eq!((&t.transaction_source, &t.source_transaction_id, &t.source_transaction_data), (&None, &None, &None));
    assert_eq!((&t.transaction_narration, &t.transaction_date), (&None, &None));
    assert_eq!(t.extra["fee"].get(), "12345678901234567.89");
    assert_eq!(t.extra["meta"].get(), r#"{"a":[1,{"b":0.1000}]}"#);
    assert_eq!(t.extra["tiny"].get(), "1e-400");
    assert_eq!(t.extra.len(), 3);
    // A date in no known format is kept, not a reason to lose the answer.
    let t = entry(&format!(r#"{{"transaction_id":"1","account":"1",{ENTRY_MINIMUM},"transaction_date":"yesterday"}}"#));
    assert_eq!(t.transaction_date, Some(walletkit::Timestamp::Unparsed(r#""yesterday""#.into())));
}

#[test]
fn setup_answers_accept_alternatives_nulls_numbers_and_unknown_fields() {
    let c: Client = serde_json::from_str(
        r#"{"id":1,"clientId":2,"client_id":"123","clientCode":"X","client_code":"EML67BG6W1","client_name":null,
            "client_email":null,"client_phone_number":254712345678901234567890,"contact_person_name":null,
            "contact_person_email":null,"contact_person_msisdn":null,"business_pin":102035,"physical_address":null,
            "country":null,"description":null,"isActive":0,"is_active":"1","logo":null,
            "created_at":"2024-09-05T17:14:04.734Z","limits":{"daily":12345678901234567.89}}"#,
    )
    .unwrap();
    assert_eq!((c.client_id.as_str(), c.client_code.as_str()), ("123", "EML67BG6W1"));
    assert_eq!(c.client_phone_number.as_deref(), Some("254712345678901234567890"), "digit for digit");
    assert_eq!((c.business_pin.as_deref(), c.is_active), (Some("102035"), Some(true)));
    assert_eq!((&c.client_name, &c.country, &c.logo, &c.contact_person_msisdn), (&None, &None, &None, &None));
    assert_eq!(c.extra["limits"].get(), r#"{"daily":12345678901234567.89}"#);
    assert_eq!(c.extra.len(), 2, "{:?}", c.extra);
    assert!(serde_json::from_str::<Client>(r#"{"clientId":5,"clientCode":"K"}"#).is_ok(), "alternatives alone");

    let a: Account = serde_json::from_str(
        r#"{"accountId":9,"account_id":1,"accountNumber":"1","account_number":10000110,"account_name":null,
            "client_code":null,"account_type_code":null,"currency":null,"minimum_balance":12345678901234567.89,
            "can_overdraw":1,"status":null,"status_description":null,"created_at":null,"updated_at":1725556444734,
            "balance":"96.0000"}"#,
    )
    .unwrap();
    assert_eq!((a.account_id.as_str(), a.account_number.as_str()), ("1", "10000110"));
    assert_eq!(a.minimum_balance.map(|d| d.to_string()).as_deref(), Some("12345678901234567.89"));
    assert_eq!((a.can_overdraw, &a.status, &a.created_at), (Some(true), &None, &None));
    assert_eq!(a.updated_at, Some(at("2024-09-05T17:14:04.734Z").into()), "epoch milliseconds read too");
    assert_eq!(a.extra["balance"].get(), r#""96.0000""#);
    let a: Account =
        serde_json::from_str(r#"{"id":"7","accountNumber":"8","minimum_balance":"0.123456789012345678"}"#).unwrap();
    assert_eq!((a.account_id.as_str(), a.minimum_balance), (("7"), Some(dec("0.123456789012345678"))));

    let s: ClientService = serde_json::from_str(
        r#"{"clientServiceId":3,"client_service_id":1,"clientServiceCode":"Q","client_service_code":"PAY1CNAELX",
            "client_code":null,"client_service_name":null,"service_code":null,"has_transaction_fee":0,
            "transaction_fee_type":null,"transaction_fee":"0.1000","minimum_transaction_amount":"0.123456789012345678",
            "maximum_transaction_amount":12345678901234567.89,"is_active":null,"currency":"KES"}"#,
    )
    .unwrap();
    assert_eq!((s.client_service_id.as_str(), s.client_service_code.as_str()), ("1", "PAY1CNAELX"));
    assert_eq!((s.has_transaction_fee, s.transaction_fee), (Some(false), Some(dec("0.1000"))));
    assert_eq!(s.minimum_transaction_amount, Some(dec("0.123456789012345678")));
    assert_eq!(s.maximum_transaction_amount.unwrap().to_string(), "12345678901234567.89");
    assert_eq!((&s.client_code, &s.transaction_fee_type, s.is_active), (&None, &None, None));
    assert_eq!(s.extra["currency"].get(), r#""KES""#);
    assert!(serde_json::from_str::<ClientService>(r#"{"id":5,"clientServiceCode":"K"}"#).is_ok());
}

#[tokio::test]
async fn named_credential_setters_log_in_like_credentials_in_any_order() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .and(body_string(r#"{"username":"ops","password":"pw-1"}"#))
        .respond_with(json(r#"{"access_token":"tok-abc"}"#))
        .expect(2)
        .mount(&server)
        .await;
    let client = WaasClient::builder().base_url(server.uri()).password("pw-1").username("ops").build().unwrap();
    client.login().await.unwrap();
    let login = walletkit::waas::WaasLogin::builder().base_url(server.uri()).password("pw-1").username("ops").build();
    login.unwrap().ensure_logged_in().await.unwrap();

    let err = WaasClient::builder().base_url(server.uri()).username("ops").build().unwrap_err();
    let Error::Config(message) = &err else { panic!("a config error: {err}") };
    assert!(message.contains("`.password(..)`") && !message.contains("`.username(..)`"), "{message}");
    assert!(message.contains("shared_login"), "{message}");
    let err = walletkit::waas::WaasLogin::builder().base_url(server.uri()).password("pw-1").build().unwrap_err();
    assert!(err.to_string().contains("`.username(..)`") && !err.to_string().contains("pw-1"), "{err}");
}
