//! WaaS money moves: credit, debit, account transfer and reversal posted as
//! documented, and ledger amounts exact in every form.

use serde_json::Value;
use walletkit::waas::{
    AccountNumber, AccountTransferRequest, AccountTransferRequired, ClientServiceCode, SourceTransactionId,
    Transaction, TransactionId, TransactionPair, TransactionRequest, TransactionSource, TransactionType,
};
use walletkit::Decimal;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request};

use crate::support::dec;
use crate::support::waas_client as client;

use super::contract::{at, entry_request, json, post_json, query_is, setup, wire_body, TOKEN};

pub(super) fn doc_transaction() -> TransactionRequest {
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
    let body = wire_body(include_str!("../../../fixtures/waas/transaction_request.json"));
    assert!(
        body.contains(r#""transaction_amount":100,"#)
            && body.ends_with(r#""transaction_date":"2024-07-29T12:34:56Z"}"#)
    );
    for command in ["CREDIT", "DEBIT"] {
        let q: &'static str = if command == "CREDIT" { "command=CREDIT" } else { "command=DEBIT" };
        post_json("/api/v1/transactions", Some(q), body.clone())
            .respond_with(json(include_str!("../../../fixtures/waas/transaction_response.json")))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    check_documented_credit(&c.transactions().credit(&doc_transaction()).await.unwrap());
    check_documented_credit(&c.transactions().debit(&doc_transaction()).await.unwrap());
}

pub(super) fn check_documented_transfer(pair: &TransactionPair) {
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
    let body = wire_body(include_str!("../../../fixtures/waas/transfer_request.json"));
    assert!(body.contains(r#""transaction_amount":10,"#) && body.contains(r#""source_transaction_data":{}"#));
    post_json("/api/v1/account-transfers", None, body)
        .respond_with(json(include_str!("../../../fixtures/waas/transfer_response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let req = AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: AccountNumber::from("10000014"),
        destination_account_number: AccountNumber::from("10000015"),
        client_service_code: ClientServiceCode::from("INT_NHQ5Y77"),
        transaction_amount: Decimal::new(100, 1),
        source_transaction_id: SourceTransactionId::from("1"),
        transaction_source: TransactionSource::Internal,
        transaction_date: at("2022-07-29T12:34:56Z"),
    })
    .source_transaction_data(serde_json::Map::new())
    .transaction_narration("Transfer for payment");
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
        .respond_with(json(include_str!("../../../fixtures/waas/reversal_response.json")))
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
        wire_body(include_str!("../../../fixtures/waas/transaction_request.json")),
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
