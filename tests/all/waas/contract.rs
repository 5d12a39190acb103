//! Wallet-as-a-Service contract tests: every operation's exact request
//! (method, path, query, headers, body bytes) against the document's
//! examples, the document's responses decoded exactly, lost answers,
//! errors and client-side validation.

use chrono::{DateTime, Utc};
use serde_json::Value;
use walletkit::waas::{
    Account, AccountId, AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTransferRequest,
    AccountTransferRequired, AccountTypeCode, Client, ClientCode, ClientId, ClientRequest, ClientRequired,
    ClientService, ClientServiceCode, ClientServiceRequest, ClientServiceRequired, FeeType, ServiceCode,
    SourceTransactionId, TransactionRequest, TransactionSource,
};
use walletkit::Decimal;
use wiremock::matchers::{any, body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::dec;
use crate::support::waas_client as client;

pub(super) const TOKEN: &str = "tok-abc";

pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A credit or debit of `amount` on account `1` under service `S`.
pub(super) fn entry_request(
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
pub(super) fn transfer_request(amount: Decimal, reference: impl Into<SourceTransactionId>) -> AccountTransferRequest {
    AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: AccountNumber::from("1"),
        destination_account_number: AccountNumber::from("2"),
        client_service_code: ClientServiceCode::from("S"),
        transaction_amount: amount,
        source_transaction_id: reference.into(),
        transaction_source: TransactionSource::Internal,
        transaction_date: Utc::now(),
    })
}

/// Every required field of a client profile, active.
pub(super) fn minimal_client(email: &str) -> ClientRequired {
    ClientRequired {
        client_name: "N".into(),
        client_email: email.into(),
        client_phone_number: "1".into(),
        contact_person_name: "C".into(),
        contact_person_email: "f".into(),
        contact_person_msisdn: "2".into(),
        business_pin: "P".into(),
        country: "Kenya".into(),
        is_active: true,
    }
}

pub(super) fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

/// A document example as the exact bytes walletkit sends: compact, keys in
/// the document's order, numbers in shortest form (`100.0` becomes `100`).
/// Done on the text, since a parsed map would not keep the key order.
pub(super) fn wire_body(example: &str) -> String {
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
pub(super) async fn setup(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(json(&format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#)))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(599)).with_priority(u8::MAX).expect(0).mount(server).await;
}

/// Exact query string.
pub(super) fn query_is(expected: Option<&'static str>) -> impl Fn(&Request) -> bool {
    move |r: &Request| r.url.query() == expected
}

/// A protected POST with a JSON body: bearer token, JSON content type.
pub(super) fn post_json(p: &str, query: Option<&'static str>, body: String) -> wiremock::MockBuilder {
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
    post_json("/api/v1/clients", None, wire_body(include_str!("../../../fixtures/waas/client_request.json")))
        .respond_with(json(include_str!("../../../fixtures/waas/client_response.json")))
        .expect(1)
        .mount(&server)
        .await;

    let req = ClientRequest::new(ClientRequired {
        client_name: "LIPAD".into(),
        client_email: "[email protected]".into(),
        client_phone_number: "254712345678".into(),
        contact_person_name: "Admin".into(),
        contact_person_email: "[email protected]".into(),
        contact_person_msisdn: "254712345678".into(),
        business_pin: "1".into(),
        country: "Canada".into(),
        is_active: true,
    })
    .physical_address("456 Elm St")
    .logo("https://example.com/logo2.png")
    .description("Lorem ipsum dolor sit amet consectetur adipiscing elit.");
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
    let req = ClientRequest::new(ClientRequired { is_active: false, ..minimal_client("e") });
    let created = client(&server).clients().create(&req).await.unwrap();
    assert_eq!((created.client_id.as_str(), created.is_active), ("9", Some(false)));
    assert_eq!(created.client_name, None);
}

#[tokio::test]
async fn create_account_sends_the_documented_payload() {
    let server = MockServer::start().await;
    setup(&server).await;
    post_json("/api/v1/accounts", None, wire_body(include_str!("../../../fixtures/waas/account_request.json")))
        .respond_with(json(include_str!("../../../fixtures/waas/account_response.json")))
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
    let body = wire_body(include_str!("../../../fixtures/waas/client_service_request.json"));
    assert!(body.contains(r#""transaction_fee":0,"minimum_transaction_amount":1,"maximum_transaction_amount":100,"#));
    post_json("/api/v1/client-services", None, body)
        .respond_with(json(include_str!("../../../fixtures/waas/client_service_response.json")))
        .expect(1)
        .mount(&server)
        .await;

    let req = ClientServiceRequest::new(ClientServiceRequired {
        client_code: ClientCode::from("LIPNZPMF7O"),
        client_service_name: "Payout KES Nairobi".into(),
        service_code: ServiceCode::from("CUSTOM_SERVICE"),
        has_transaction_fee: true,
        minimum_transaction_amount: Decimal::new(10, 1),
        maximum_transaction_amount: Decimal::new(1000, 1),
        is_active: true,
    })
    .transaction_fee(FeeType::Fixed, Decimal::new(0, 1));
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
