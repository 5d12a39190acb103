//! After an unknown outcome: waiting for a Milta transfer's final status,
//! resending a Milta transfer with its idempotency key, finding a MilaCoins
//! invoice by its externalID, and errors that say how to reconcile.

use std::time::Duration;

use serde_json::json;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferId, TransferRequest, TransferStatus};
use walletkit::{Decimal, Error, RetryPolicy};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "/api/v1/partner";

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

fn milta(server: &MockServer) -> MiltaClient {
    MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(fast())
        .build()
        .unwrap()
}

fn transfer_answer(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"status": "success", "data": {"transferId": "T-1", "status": status}}))
}

fn transfer() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from("TXN-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::TEN,
        "GBP",
    )
}

#[tokio::test]
async fn waiting_for_a_final_status_polls_until_there_is_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/transfers/T-1")))
        .respond_with(transfer_answer("PENDING"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/transfers/T-1")))
        .respond_with(transfer_answer("COMPLETED"))
        .expect(1)
        .mount(&server)
        .await;
    let done =
        milta(&server).transfers().wait_for_final(&TransferId::from("T-1"), Duration::from_secs(30)).await.unwrap();
    assert_eq!(done.status, TransferStatus::Completed);
}

#[tokio::test]
async fn waiting_gives_the_last_status_when_the_timeout_passes() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(transfer_answer("PENDING")).mount(&server).await;
    let last =
        milta(&server).transfers().wait_for_final(&TransferId::from("T-1"), Duration::from_millis(700)).await.unwrap();
    assert!(!last.status.is_final());
}

#[tokio::test]
async fn waiting_with_the_longest_timeout_does_not_overflow_the_clock() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(transfer_answer("PENDING")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(transfer_answer("COMPLETED")).mount(&server).await;
    let done = milta(&server).transfers().wait_for_final(&TransferId::from("T-1"), Duration::MAX).await.unwrap();
    assert_eq!(done.status, TransferStatus::Completed);
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "one pause of 0.5 s, then the final read");
}

#[tokio::test]
async fn an_unknown_transfer_is_resent_with_the_same_key_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(4).mount(&server).await;
    Mock::given(method("POST"))
        .and(header("x-idempotency-key", "key-1"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"status": "success", "data": {"transferId": "T-1", "externalId": "TXN-1", "status": "PENDING"}}),
        ))
        .mount(&server)
        .await;
    let m = milta(&server);
    let err = m.transfers().create_with_key(&transfer(), "key-1").await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}")).clone();
    assert!(err.to_string().contains("send it again unchanged within 24 h"), "{err}");
    assert!(!err.to_string().contains("key-1") && format!("{err:?}").contains("key-1"), "the key is a field: {err}");

    let created = m.transfers().resend(&transfer(), &unknown).await.unwrap();
    assert_eq!(created.transfer_id.as_str(), "T-1");
    let posts = server.received_requests().await.unwrap();
    let bodies: Vec<_> = posts.iter().map(|r| r.body.clone()).collect();
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "the same body every time");
    assert!(posts.iter().all(|r| r.headers.get("x-idempotency-key").is_some_and(|k| k == "key-1")));

    // Another transfer cannot be sent under this outcome's key.
    let other = TransferRequest::new(
        ExternalId::from("TXN-2"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::TEN,
        "GBP",
    );
    let err = m.transfers().resend(&other, &unknown).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref msg) if msg.contains("differs")), "{err}");
    assert!(!err.to_string().contains("TXN-1"), "no reference in the text: {err}");
}

/// Issue 22, item 4: Milta keeps a key 24 hours from its first use, so a
/// resend that is lost again must report the key's first use, not its own:
/// otherwise every unknown resend would restart the clock and the key could be
/// sent after the server has forgotten it (and made a second transfer).
#[tokio::test]
async fn a_lost_resend_keeps_the_keys_first_use() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let m = milta(&server);
    let err = m.transfers().create_with_key(&transfer(), "key-1").await.unwrap_err();
    let first = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}")).clone();
    tokio::time::sleep(Duration::from_millis(20)).await;

    let err = m.transfers().resend(&transfer(), &first).await.unwrap_err();
    let second = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}")).clone();
    assert_eq!(second.sent.idempotency_key.as_deref(), Some("key-1"));
    assert_eq!(second.sent.first_sent_at, first.sent.first_sent_at, "the key's age counts from its first use");

    // So the 24 hours run out on the key, however many resends came between.
    let sent = server.received_requests().await.unwrap().len();
    let mut aged = second.clone();
    aged.sent.first_sent_at -= Duration::from_secs(24 * 3600);
    let err = m.transfers().resend(&transfer(), &aged).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref msg) if msg.contains("24 h")), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), sent, "nothing sent");
}

/// Issue 22, item 15: a resend must carry the very body first sent under the
/// key; Milta may answer a changed body with the first transfer (the caller
/// believes the new amount went out) or make a second one.
#[tokio::test]
async fn a_resend_refuses_any_body_but_the_one_first_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(4).mount(&server).await;
    Mock::given(method("POST")).respond_with(transfer_answer("PENDING")).mount(&server).await;
    let m = milta(&server);
    let err = m.transfers().create_with_key(&transfer(), "key-1").await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}")).clone();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(unknown.sent.body.as_deref(), Some(&sent[0].body[..]), "the unknown keeps the bytes sent");
    for shown in [format!("{err:?}"), err.to_string()] {
        assert!(!shown.contains("+447700900001") && !shown.contains("PRODUCT_123"), "no body in {shown}");
    }

    let more = TransferRequest::new(
        ExternalId::from("TXN-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(11, 0),
        "GBP",
    );
    let later = transfer().scheduled_at(chrono::Utc::now() + chrono::TimeDelta::days(1));
    for changed in [&more, &later] {
        let err = m.transfers().resend(changed, &unknown).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref msg) if msg.contains("differs")), "{err}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), sent.len(), "nothing sent");

    m.transfers().resend(&transfer(), &unknown).await.unwrap();
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), sent.len() + 1);
    assert_eq!(all[sent.len()].body, sent[0].body, "the identical request resends fine");
}

/// Issue 22, item 15: the same for a batch, which was not checked at all.
#[tokio::test]
async fn a_batch_resend_refuses_any_body_but_the_one_first_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(4).mount(&server).await;
    let entries: Vec<_> = (0..3)
        .map(|i| json!({"externalId": format!("X-{i}"), "status": "PENDING", "transferId": format!("T-{i}")}))
        .collect();
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {"transfers": entries}})),
        )
        .mount(&server)
        .await;
    let item = |i: usize, amount: Decimal| {
        TransferRequest::new(
            ExternalId::from(format!("X-{i}")),
            ProductId::from("P"),
            PhoneNumber::from("+1"),
            amount,
            "GBP",
        )
    };
    let batch: Vec<_> = (0..3).map(|i| item(i, Decimal::ONE)).collect();
    let m = milta(&server);
    let err = m.transfers().batch_with_key(&batch, "batch-key").await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}")).clone();
    let sent = server.received_requests().await.unwrap();

    let mut one_changed = batch.clone();
    one_changed[1] = item(1, Decimal::TWO);
    let mut reordered = batch.clone();
    reordered.swap(0, 1);
    for changed in [&one_changed[..], &reordered[..], &batch[..2]] {
        let err = m.transfers().resend_batch(changed, &unknown).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref msg) if msg.contains("differs")), "{err}");
    }
    // A single transfer cannot be sent under the batch's key either.
    let err = m.transfers().resend(&batch[0], &unknown).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), sent.len(), "nothing sent");

    let again = m.transfers().resend_batch(&batch, &unknown).await.unwrap();
    assert_eq!(again.transfers.len(), 3);
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), sent.len() + 1);
    assert_eq!(all[sent.len()].body, sent[0].body, "the identical batch resends fine");
    assert_eq!(all[sent.len()].headers["x-idempotency-key"], "batch-key");
}

#[tokio::test]
async fn a_milacoins_invoice_is_found_by_its_external_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions"))
        .and(query_param("externalID", "ORDER-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "count": 2, "limit": 100, "skip": 0,
            "docs": [
                {"id": "t-0", "status": "paid", "externalID": "ORDER-10"},
                {"id": "t-1", "status": "paid", "externalID": "ORDER-1", "invoiceAmount": 10.5}
            ]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transactions"))
        .and(query_param("externalID", "ORDER-404"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"count": 0, "limit": 100, "skip": 0, "docs": []})),
        )
        .mount(&server)
        .await;
    let mila = walletkit::milacoins::MilaCoinsClient::builder()
        .base_url(server.uri())
        .credentials("k", "s")
        .retry_policy(fast())
        .build()
        .unwrap();
    let found = mila.transactions().find_by_external_id("ORDER-1").await.unwrap().unwrap();
    assert_eq!((found.id.as_str(), found.invoice_amount), ("t-1", Some(Decimal::new(105, 1))), "exact match only");
    assert!(mila.transactions().find_by_external_id("ORDER-404").await.unwrap().is_none());
}

#[tokio::test]
async fn a_lost_waas_credit_says_there_is_no_read_endpoint() {
    use walletkit::waas::{
        AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "t"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let waas = WaasClient::builder().base_url(server.uri()).credentials("u", "p").retry_policy(fast()).build().unwrap();
    let credit = TransactionRequest::new(
        AccountNumber::from("10000110"),
        ClientServiceCode::from("SVC"),
        TransactionSource::External,
        Decimal::TEN,
        SourceTransactionId::from("SRC-1"),
        chrono::Utc::now(),
    );
    let err = waas.transactions().credit(&credit).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(unknown.sent.reference, Some(("source_transaction_id".into(), "SRC-1".into())));
    assert!(err.to_string().contains("no read is documented, so a person checks it"), "{err}");
    assert!(!err.to_string().contains("SRC-1"), "the reference is a field: {err}");
}

#[tokio::test]
async fn watching_a_payout_run_yields_each_change_until_all_are_final() {
    let server = MockServer::start().await;
    for (id, statuses) in [("T-1", vec!["PENDING", "COMPLETED"]), ("T-2", vec!["PENDING", "PENDING", "FAILED"])] {
        let last = statuses.len() - 1;
        for (i, status) in statuses.into_iter().enumerate() {
            let answer = ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success", "data": {"transferId": id, "status": status}}));
            let mock = Mock::given(method("GET")).and(path(format!("{BASE}/transfers/{id}"))).respond_with(answer);
            if i < last {
                mock.up_to_n_times(1).mount(&server).await
            } else {
                mock.mount(&server).await
            }
        }
    }
    let ids = [TransferId::from("T-1"), TransferId::from("T-2")];
    let changes: Vec<_> =
        futures_util::TryStreamExt::try_collect(milta(&server).transfers().watch(ids, Duration::from_millis(20)))
            .await
            .unwrap();
    let seen: Vec<_> = changes.iter().map(|t| format!("{} {}", t.transfer_id, t.status)).collect();
    assert_eq!(seen, ["T-1 PENDING", "T-2 PENDING", "T-1 COMPLETED", "T-2 FAILED"], "no repeat of an unchanged status");
    assert_eq!(server.received_requests().await.unwrap().len(), 5, "reads stop once a transfer is final");
}

#[tokio::test]
async fn a_webhook_is_a_hint_confirmed_by_reading_the_transfer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/transfers/T-1")))
        .respond_with(transfer_answer("COMPLETED"))
        .expect(1)
        .mount(&server)
        .await;
    let m = milta(&server);
    // As a framework hands it over: a POST with a JSON body.
    let webhook = |body: &'static str| {
        http::Request::post("/hooks/milta")
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(bytes::Bytes::from_static(body.as_bytes()))
            .unwrap()
    };
    let confirmed =
        m.transfers().confirm_webhook(&webhook(r#"{"data":{"transferId":"T-1","status":"FAILED"}}"#)).await.unwrap();
    assert_eq!(confirmed.unwrap().status, TransferStatus::Completed, "the API's status, not the webhook's claim");
    assert!(m.transfers().confirm_webhook(&webhook(r#"{"ping":true}"#)).await.unwrap().is_none());
    let err = m.transfers().confirm_webhook(&webhook(r#"{"transferId":"../balance"}"#)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
}

#[tokio::test]
async fn submit_all_names_the_batch_of_each_failure_so_it_can_be_resent_as_a_unit() {
    use walletkit::milta::SubmitOutcome;
    let server = MockServer::start().await;
    let entries = |from: usize, to: usize| {
        let transfers: Vec<_> = (from..to)
            .map(|i| json!({"externalId": format!("X-{i}"), "status": "PENDING", "transferId": format!("T-{i}")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {"transfers": transfers}}))
    };
    // The first batch goes through; the second meets 502s until given up, then succeeds on resend.
    Mock::given(method("POST")).respond_with(entries(0, 100)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).up_to_n_times(4).mount(&server).await;
    Mock::given(method("POST")).respond_with(entries(100, 150)).mount(&server).await;
    let all: Vec<_> = (0..150)
        .map(|i| {
            TransferRequest::new(
                ExternalId::from(format!("X-{i}")),
                ProductId::from("P"),
                PhoneNumber::from("+1"),
                Decimal::ONE,
                "GBP",
            )
        })
        .collect();
    let m = milta(&server);
    let outcomes = m.transfers().submit_all(&all).await.unwrap();
    assert!(matches!(&outcomes[0], SubmitOutcome::Entry(_)));
    let SubmitOutcome::BatchFailed { error, batch, .. } = &outcomes[120] else { panic!("{:?}", outcomes[120]) };
    assert_eq!(batch.index, 1);
    let unknown = error.as_outcome_unknown().expect("a lost batch is outcome unknown");
    assert_eq!(unknown.sent.idempotency_key.as_deref(), Some(batch.idempotency_key.as_str()));
    let again = m.transfers().resend_batch(&all[batch.index * 100..], unknown).await.unwrap();
    assert_eq!(again.transfers.len(), 50);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(last.headers.get("x-idempotency-key").unwrap(), batch.idempotency_key.as_str());
}
