//! WaaS answers in every reading the document allows: both spellings, amounts as
//! strings or numbers, nulls and unknown fields; credential setters.

use walletkit::waas::{
    Account, Client, ClientService, ClientServiceCode, SourceTransactionId, Transaction, TransactionPair,
    TransactionType, WaasClient,
};
use walletkit::Error;
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer};

use crate::support::dec;

use super::contract::{at, json};

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
