//! Milta Partner API examples: the success, error and paginated envelopes,
//! batches, countries, deferred transfers and the transfer status.

use super::*;

const MILTA_BASE: &str = "/api/v1/partner";

fn milta_path(rest: &str) -> String {
    format!("{MILTA_BASE}{rest}")
}

fn milta(server: &MockServer, retry: RetryPolicy) -> MiltaClient {
    MiltaClient::builder()
        .base_url(format!("{}{MILTA_BASE}", server.uri()))
        .credentials("key-id", "key-secret")
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn milta_batch_transfers() -> [TransferRequest; 2] {
    [
        TransferRequest::new(
            ExternalId::from("TXN-001"),
            ProductId::from("PRODUCT_123"),
            PhoneNumber::from("+447700900001"),
            dec("10.00"),
            "GBP",
        ),
        TransferRequest::new(
            ExternalId::from("TXN-002"),
            ProductId::from("PRODUCT_456"),
            PhoneNumber::from("+447700900002"),
            dec("5.00"),
            "GBP",
        ),
    ]
}

fn milta_deferred_transfer() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from("TXN-20260101-001"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        dec("10.00"),
        "GBP",
    )
    .scheduled_at(utc(2026, 1, 15, 9, 0, 0, 0))
}

#[tokio::test]
async fn milta_success_envelope_has_a_comment_so_is_not_json_and_only_its_shape_is_checked() {
    const NAME: &str = "milta/success_envelope.txt";
    let text = fixture(NAME);
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{NAME}: the `//` comment makes it invalid JSON");

    // Served verbatim, it is a decode error, not a success and not a panic.
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(milta_path("/balance"))).respond_with(serve(NAME, 200)).mount(&server).await;
    let err = milta(&server, RetryPolicy::none()).account().balance().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)), "{NAME}: {err}");

    // Without the comment line it is the envelope every endpoint uses: a
    // `status` of "success" and a `data` object (empty here).
    let shape: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    assert_eq!(serde_json::from_str::<Value>(&shape).unwrap(), json!({"status": "success", "data": {}}), "{NAME}");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/balance")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(shape, "application/json"))
        .mount(&server)
        .await;
    let balance = milta(&server, RetryPolicy::none()).account().balance().await.unwrap();
    assert_eq!((balance.amount, balance.currency.as_deref()), (None, None), "{NAME}");
    assert!(balance.extra.is_empty(), "{NAME}: {:?}", balance.extra);
}

#[tokio::test]
async fn milta_error_envelope_decodes_with_its_message_and_the_kind_of_each_documented_status() {
    const NAME: &str = "milta/error_envelope.json";
    // The document gives no status for its example; its status table lists
    // these four error statuses. Without a `code`, the status decides the kind.
    for (status, kind) in [
        (400, ErrorKind::Validation),
        (401, ErrorKind::Unauthorized),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::ServerError),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(milta_path("/balance")))
            .respond_with(serve(NAME, status))
            .expect(1)
            .mount(&server)
            .await;
        let err = milta(&server, RetryPolicy::none()).account().balance().await.unwrap_err();
        let api = err.as_api().unwrap_or_else(|| panic!("{NAME} at {status}: {err:?}"));
        assert_eq!(api.provider, Provider::Milta, "{NAME} at {status}");
        assert_eq!(
            (api.status, api.kind, api.code.as_deref(), api.message.as_str()),
            (status, kind, None, "Error description with details about what went wrong"),
            "{NAME} at {status}"
        );
    }
}

#[tokio::test]
async fn milta_paginated_response_elides_its_items_so_only_its_pagination_is_checked() {
    const NAME: &str = "milta/paginated_response.txt";
    let text = fixture(NAME);
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{NAME}: `[ ... ]` makes it invalid JSON");

    // Served verbatim, it is a decode error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/inventories/products")))
        .and(query_param("page", "1"))
        .respond_with(serve(NAME, 200))
        .mount(&server)
        .await;
    let err = milta(&server, RetryPolicy::none()).inventories().products().get().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Decode, Some(200)), "{NAME}: {err}");

    // With the elided items as an empty list, every pagination field is read.
    assert_eq!(text.matches("[ ... ]").count(), 1, "{NAME}");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/inventories/products")))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(text.replace("[ ... ]", "[]"), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = milta(&server, RetryPolicy::none()).inventories().products().get().await.unwrap();
    assert!(page.items.is_empty(), "{NAME}");
    assert_eq!(
        (page.page, page.page_size, page.total_items, page.total_pages),
        (1, Some(20), Some(84), Some(5)),
        "{NAME}: page, pageSize, totalItems, totalPages"
    );
}

#[tokio::test]
async fn milta_batch_request_is_sent_as_documented() {
    const NAME: &str = "milta/batch_request.json";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(milta_path("/transfers/batch")))
        .respond_with(serve("milta/batch_response.json", 200))
        .expect(1)
        .mount(&server)
        .await;
    milta(&server, fast()).transfers().batch(&milta_batch_transfers()).await.unwrap();
    let sent = sent_once(&server, NAME, "POST", &milta_path("/transfers/batch")).await;
    assert_sent_as_documented(NAME, &sent);
}

#[tokio::test]
async fn milta_batch_response_decodes_exactly() {
    const NAME: &str = "milta/batch_response.json";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(milta_path("/transfers/batch")))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let batch = milta(&server, fast()).transfers().batch(&milta_batch_transfers()).await.unwrap();
    assert_eq!(batch.batch_id.as_deref(), Some("BATCH-20260101-ABC"), "{NAME}: batchId");
    assert_eq!((batch.accepted, batch.rejected), (Some(2), Some(0)), "{NAME}: accepted, rejected");
    assert!(batch.unreadable.is_empty() && batch.extra.is_empty(), "{NAME}: {batch:?}");
    let entries: Vec<_> = batch
        .transfers
        .iter()
        .map(|e| (e.external_id.as_str(), e.status.clone(), e.transfer_id.as_ref().map(TransferId::as_str)))
        .collect();
    assert_eq!(
        entries,
        [("TXN-001", TransferStatus::Pending, Some("T-9001")), ("TXN-002", TransferStatus::Pending, Some("T-9002")),],
        "{NAME}: transfers"
    );
    for entry in &batch.transfers {
        assert!(entry.message.is_none() && entry.code.is_none() && entry.kind.is_none(), "{NAME}: {entry:?}");
        assert!(entry.extra.is_empty(), "{NAME}: {entry:?}");
        assert!(entry.is_accepted(), "{NAME}: {entry:?}");
    }
}

#[tokio::test]
async fn milta_countries_response_decodes_exactly() {
    const NAME: &str = "milta/countries_response.json";
    let server = MockServer::start().await;
    // Method and path only: whether the page size is sent is the paging code's business.
    Mock::given(method("GET"))
        .and(path(milta_path("/inventories/countries")))
        .and(query_param("page", "1"))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let page = milta(&server, fast()).inventories().countries().get().await.unwrap();
    let countries: Vec<_> =
        page.items.iter().map(|c| (c.code.as_str(), c.name.as_deref(), c.currency_code.as_deref())).collect();
    assert_eq!(
        countries,
        [
            ("GB", Some("United Kingdom"), Some("GBP")),
            ("FR", Some("France"), Some("EUR")),
            ("NG", Some("Nigeria"), Some("NGN")),
        ],
        "{NAME}: code, name, currencyCode"
    );
    assert!(page.items.iter().all(|c| c.extra.is_empty()), "{NAME}: {:?}", page.items);
    // No pagination block: the listing is this one page.
    assert_eq!((page.page, page.total_items, page.total_pages), (1, None, None), "{NAME}");
    assert!(!page.has_more(), "{NAME}");
}

#[tokio::test]
async fn milta_deferred_transfer_request_is_sent_as_documented() {
    const NAME: &str = "milta/deferred_transfer_request.json";
    let server = MockServer::start().await;
    // The document answers the deferred transfer with its status example.
    Mock::given(method("POST"))
        .and(path(milta_path("/transfers")))
        .respond_with(serve("milta/transfer_status_response.json", 201))
        .expect(1)
        .mount(&server)
        .await;
    let created = milta(&server, fast()).transfers().create(&milta_deferred_transfer()).await.unwrap();
    assert_eq!(created.status, TransferStatus::Scheduled, "{NAME}");
    let sent = sent_once(&server, NAME, "POST", &milta_path("/transfers")).await;
    assert_sent_as_documented(NAME, &sent);
}

#[tokio::test]
async fn milta_transfer_status_response_decodes_exactly() {
    const NAME: &str = "milta/transfer_status_response.json";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(milta_path("/transfers/T-9001")))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let t = milta(&server, fast()).transfers().get(&TransferId::from("T-9001")).await.unwrap();
    assert_eq!(t.transfer_id.as_str(), "T-9001", "{NAME}: transferId");
    assert_eq!(t.external_id.as_ref().map(ExternalId::as_str), Some("TXN-20260101-001"), "{NAME}: externalId");
    assert_eq!(t.status, TransferStatus::Scheduled, "{NAME}: status");
    assert_eq!(t.scheduled_at, Some(utc(2026, 1, 15, 9, 0, 0, 0)), "{NAME}: scheduledAt");
    assert_opt_amount(NAME, "amount", t.amount, "10.00");
    assert_eq!(t.currency.as_deref(), Some("GBP"), "{NAME}: currency");
    assert!(t.extra.is_empty(), "{NAME}: {:?}", t.extra);
}
