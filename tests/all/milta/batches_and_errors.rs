//! Milta contract, continued: batches and submit_all, balance and pricing, the
//! documented error codes, amounts refused or kept exact, credential setters.

use serde_json::json;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, SubmitOutcome, TransferId, TransferRequest};
use walletkit::{Decimal, Error, ErrorKind};
use wiremock::matchers::{body_string, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::contract::{fixture, fixture_with_status, gbp, ok, p, setup, BASE, BASIC};

#[tokio::test]
async fn batch_sends_the_document_example_and_refuses_over_100() {
    let (server, milta) = setup().await;
    let expected =
        std::fs::read_to_string(format!("{}/fixtures/milta/batch_request.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    Mock::given(method("POST"))
        .and(path(p("/transfers/batch")))
        .and(header_exists("x-idempotency-key"))
        .and(body_string(expected.trim()))
        .respond_with(fixture("batch_response.json"))
        .expect(1)
        .mount(&server)
        .await;
    let transfers = [
        TransferRequest::new(
            ExternalId::from("TXN-001"),
            ProductId::from("PRODUCT_123"),
            PhoneNumber::from("+447700900001"),
            gbp(1000, 2),
            "GBP",
        ),
        TransferRequest::new(
            ExternalId::from("TXN-002"),
            ProductId::from("PRODUCT_456"),
            PhoneNumber::from("+447700900002"),
            gbp(500, 2),
            "GBP",
        ),
    ];
    let resp = milta.transfers().batch(&transfers).await.unwrap();
    assert_eq!(
        (resp.batch_id.as_deref(), resp.accepted, resp.rejected),
        (Some("BATCH-20260101-ABC"), Some(2), Some(0))
    );
    assert_eq!(resp.transfers[1].transfer_id, Some(TransferId::from("T-9002")));

    let many: Vec<_> = (0..101)
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
    let err = milta.transfers().batch(&many).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("100")), "{err}");
    let err = milta.transfers().batch(&[]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

/// Answers a batch by echoing entries in reverse order, rejecting every tenth.
struct BatchEcho;

impl wiremock::Respond for BatchEcho {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        let mut entries: Vec<_> = body["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let id = t["externalId"].as_str().unwrap();
                let n: u32 = id.trim_start_matches("X-").parse().unwrap();
                if n.is_multiple_of(10) {
                    json!({"externalId": id, "status": "REJECTED", "message": "duplicate externalId"})
                } else {
                    json!({"externalId": id, "status": "PENDING", "transferId": format!("T-{n}")})
                }
            })
            .collect();
        entries.reverse();
        ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {
            "batchId": "B", "accepted": 0, "rejected": 0, "transfers": entries
        }}))
    }
}

#[tokio::test]
async fn submit_all_splits_into_batches_of_100_and_keeps_input_order() {
    let (server, milta) = setup().await;
    Mock::given(method("POST")).and(path(p("/transfers/batch"))).respond_with(BatchEcho).expect(2).mount(&server).await;
    let transfers: Vec<_> = (0..150)
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
    let outcomes = milta.transfers().submit_all(&transfers).await.unwrap();
    assert_eq!(outcomes.len(), 150);
    for (i, outcome) in outcomes.iter().enumerate() {
        let SubmitOutcome::Entry(entry) = outcome else { panic!("entry {i} missing: {outcome:?}") };
        assert_eq!(entry.external_id.as_str(), format!("X-{i}"));
        assert_eq!(entry.is_accepted(), i % 10 != 0, "entry {i}");
    }
    let sizes: Vec<usize> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["transfers"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 50]);
}

#[tokio::test]
async fn balance_and_pricing() {
    let (server, milta) = setup().await;
    // The document names these endpoints without examples; shapes are assumed.
    Mock::given(method("GET"))
        .and(path(p("/balance")))
        .and(header("authorization", BASIC))
        .respond_with(ok(json!({"balance": 1500.25, "currency": "GBP"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("/pricing")))
        .and(body_string(r#"{"productId":"PRODUCT_123","amount":10.5,"currency":"GBP","country":"GB"}"#))
        .respond_with(ok(json!({"amount": 10.5, "fee": "0.30", "total": 10.8, "currency": "GBP", "promotion": null})))
        .expect(1)
        .mount(&server)
        .await;
    let balance = milta.account().balance().await.unwrap();
    assert_eq!((balance.amount, balance.currency.as_deref()), (Some(gbp(150025, 2)), Some("GBP")));
    let price = milta
        .account()
        .pricing(
            &walletkit::milta::PricingRequest::new(ProductId::from("PRODUCT_123"), gbp(1050, 2), "GBP").country("GB"),
        )
        .await
        .unwrap();
    assert_eq!((price.fee, price.total), (Some(gbp(30, 2)), Some(gbp(108, 1))));
    assert!(price.extra.contains_key("promotion"));
}

#[tokio::test]
async fn documented_error_codes_map_to_kinds_and_duplicates_are_distinguishable() {
    let (server, milta) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("/transfers")))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "status": "error", "message": "A transfer with this external ID already exists", "code": "TRANSFER_ALREADY_EXISTS"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("/balance")))
        .respond_with(fixture_with_status("error_insufficient_funds.json", 402))
        .mount(&server)
        .await;
    let err = milta
        .transfers()
        .create(&TransferRequest::new(
            ExternalId::from("DUP"),
            ProductId::from("P"),
            PhoneNumber::from("+1"),
            Decimal::ONE,
            "GBP",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Duplicate);
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.as_api().unwrap().code.as_deref(), Some("TRANSFER_ALREADY_EXISTS"));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("(TRANSFER_ALREADY_EXISTS); the reference is taken"), "{err}");
    let err = milta.account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InsufficientFunds);
}

#[tokio::test]
async fn non_positive_amounts_are_refused_before_sending() {
    let (server, milta) = setup().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(0).mount(&server).await;
    for amount in [Decimal::ZERO, Decimal::NEGATIVE_ONE] {
        let err = milta
            .transfers()
            .create(&TransferRequest::new(
                ExternalId::from("Z"),
                ProductId::from("P"),
                PhoneNumber::from("+1"),
                amount,
                "GBP",
            ))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    }
}

#[tokio::test]
async fn flattened_types_keep_huge_amounts_exact() {
    // `Balance` keeps unknown fields through `#[serde(flatten)]`, which buffers
    // values; arbitrary-precision numbers must survive the buffer.
    let (server, milta) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("/balance")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"status":"success","data":{"amount":12345678901234567.89,"reserved":0.1,"currency":"GBP"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let balance = milta.account().balance().await.unwrap();
    assert_eq!(balance.amount.unwrap().to_string(), "12345678901234567.89");
    assert_eq!(balance.extra["reserved"].to_string(), "0.1");
}

#[tokio::test]
async fn named_credential_setters_send_the_same_basic_auth_in_any_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(p("/inventories/countries")))
        .and(header("authorization", BASIC))
        .respond_with(fixture("countries.json"))
        .expect(1)
        .mount(&server)
        .await;
    let milta = MiltaClient::builder()
        .base_url(format!("{}{BASE}", server.uri()))
        .key_secret("key-secret")
        .key_id("key-id")
        .build()
        .unwrap();
    milta.inventories().countries().get().await.unwrap();

    let err = MiltaClient::builder().key_secret("key-secret").build().unwrap_err();
    let Error::Config(message) = &err else { panic!("a config error: {err}") };
    assert!(message.contains("`.key_id(..)`") && !message.contains("`.key_secret(..)`"), "{message}");
    assert!(!message.contains("key-secret"), "the secret never appears in the message: {message}");
    let err = MiltaClient::builder().build().unwrap_err().to_string();
    assert!(err.contains("`.key_id(..)`") && err.contains("`.key_secret(..)`"), "{err}");
}
