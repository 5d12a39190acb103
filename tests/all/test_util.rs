//! The `test-util` matchers accept what the clients send and reject anything else.

use walletkit::milta::MiltaClient;
use walletkit::test_util::{basic_auth, bearer_token, fixtures, milacoins_signature};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn basic_auth_matcher_accepts_the_client_and_rejects_other_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/p/inventories/countries"))
        .and(basic_auth("id", "secret"))
        .respond_with(fixtures::milta::countries())
        .mount(&server)
        .await;
    let good =
        MiltaClient::builder().base_url(format!("{}/p", server.uri())).credentials("id", "secret").build().unwrap();
    assert_eq!(good.inventories().countries().get().await.unwrap().items.len(), 3);
    let bad = MiltaClient::builder().base_url(format!("{}/p", server.uri())).credentials("id", "nope").build().unwrap();
    assert_eq!(bad.inventories().countries().get().await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn bearer_and_signature_matchers_check_the_raw_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(bearer_token("t0k")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let http = reqwest::Client::new();
    let ok = http.get(server.uri()).bearer_auth("t0k").send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let wrong = http.get(server.uri()).bearer_auth("other").send().await.unwrap();
    assert_eq!(wrong.status(), 404);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(milacoins_signature("key", "secret"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // Computed outside Rust:
    // printf '%s' '1700000000POST/invoices?a=b{"amount":10.5}' | openssl dgst -sha256 -hmac secret
    let mac = "633b6ec19935c906510c50fbcddea7808b98315d5de4190c192bf7cd7cd8b136";
    let signed = |body: &'static str| {
        http.post(format!("{}/invoices?a=b", server.uri()))
            .header("x-api-key", "key")
            .header("x-time", "1700000000")
            .header("x-sig", mac)
            .body(body)
    };
    assert_eq!(signed(r#"{"amount":10.5}"#).send().await.unwrap().status(), 200);
    let tampered = signed(r#"{"amount":10.5}"#).body(r#"{"amount":99}"#);
    assert_eq!(tampered.send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn fixture_responders_decode_through_the_clients() {
    use futures_util::TryStreamExt;
    use walletkit::milacoins::{MilaCoinsClient, TransactionId};
    use walletkit::waas::{TransactionId as WaasTransactionId, WaasClient};
    use walletkit::wallets::{WalletId, WalletsClient};

    let server = MockServer::start().await;
    Mock::given(path("/transactions/62d95a1ba0a3bf0730f5fd2a"))
        .and(milacoins_signature("k", "s"))
        .respond_with(fixtures::milacoins::transaction())
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/wallets"))
        .and(bearer_token("t"))
        .respond_with(fixtures::wallets::list())
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/wallets/101")).respond_with(fixtures::wallets::get()).mount(&server).await;
    Mock::given(path("/api/v1/auth/login")).respond_with(fixtures::waas::login("w")).mount(&server).await;
    Mock::given(path("/api/v1/transactions/7609"))
        .and(bearer_token("w"))
        .respond_with(fixtures::waas::reversal())
        .mount(&server)
        .await;

    let mila = MilaCoinsClient::builder().base_url(server.uri()).credentials("k", "s").build().unwrap();
    let tx = mila.transactions().get(&TransactionId::from("62d95a1ba0a3bf0730f5fd2a")).await.unwrap();
    assert_eq!(tx.id.as_str(), "62d95a1ba0a3bf0730f5fd2a");

    let wallets = WalletsClient::builder().base_url(server.uri()).token("t").build().unwrap();
    let all: Vec<_> = wallets.wallets().list().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(wallets.wallets().get(&WalletId::from(101)).await.unwrap().id, WalletId::from(101));

    let waas = WaasClient::builder().base_url(server.uri()).credentials("u", "p").build().unwrap();
    let reversal = waas.transactions().reverse(&WaasTransactionId::from("7609")).await.unwrap();
    assert_eq!(reversal.source_transaction.current_balance.to_string(), "96.0000");
}

/// With `test-util`, every result type a caller matches on can be built in a
/// unit test without JSON: `Default` plus field assignment, or a constructor.
#[test]
fn result_types_can_be_built_without_json() {
    use walletkit::milta::{BatchEntry, ExternalId, SubmitOutcome, Transfer, TransferId, TransferStatus};
    use walletkit::{ApiError, Decimal, Error, ErrorKind, OutcomeUnknown, Page, Provider};

    let mut transfer = Transfer::default();
    transfer.transfer_id = TransferId::from("T-1");
    transfer.status = TransferStatus::Completed;
    transfer.amount = Some(Decimal::new(1050, 2));
    assert!(matches!(transfer.status, TransferStatus::Completed));

    let mut entry = BatchEntry::default();
    entry.external_id = ExternalId::from("TXN-1");
    entry.status = TransferStatus::Rejected;
    entry.kind = Some(ErrorKind::InsufficientFunds);
    let outcome = SubmitOutcome::Entry(entry);
    assert!(matches!(outcome, SubmitOutcome::Entry(ref e) if !e.is_accepted()));

    let mut page = Page::new(vec![transfer], 1, Some(2));
    page.total_items = Some(40);
    assert!(page.has_more());

    let mut unknown = OutcomeUnknown::new(Provider::Milta, "POST", "/transfers", "connection reset");
    unknown.sent.reference = Some(("externalId".into(), "TXN-1".into()));
    let err = Error::OutcomeUnknown(Box::new(unknown));
    assert!(!err.is_retryable());
    let api: Error = ApiError::new(Provider::Milta, 402, ErrorKind::InsufficientFunds, "top up").with_code("X").into();
    assert_eq!(api.kind(), ErrorKind::InsufficientFunds);

    let mut invoice = walletkit::milacoins::Invoice::default();
    invoice.amount = Some(Decimal::TEN);
    let mut tx = walletkit::milacoins::Transaction::default();
    tx.receipt_id = Some("101".into());
    let mut ledger = walletkit::waas::Transaction::default();
    ledger.transaction_amount = Decimal::new(96, 0);
    let mut wallet = walletkit::wallets::Wallet::default();
    wallet.amount = Decimal::new(500050, 2);
    assert_eq!((invoice.amount, ledger.transaction_amount), (Some(Decimal::TEN), Decimal::new(96, 0)));
    assert_eq!((tx.receipt_id.as_deref(), wallet.amount.to_string().as_str()), (Some("101"), "5000.50"));
}
