//! Every fixture, mounted where its operation lives and decoded by the typed
//! call walletkit makes there: a fixture that does not decode, or decodes to
//! other values than its document's, fails here. Each mock expects exactly
//! one call, so a fixture left unexercised fails too.

use chrono::{TimeZone, Utc};
use futures_util::TryStreamExt;
use walletkit::milacoins::{
    CancelUrl, CompletedUrl, LogId, PaymentPageRequest, RefundStatus, TransactionId as MilaTransactionId,
    TransactionStatus, WalletName,
};
use walletkit::milta::{
    ExternalId, PhoneNumber, PricingRequest, ProductId, ProviderId, TransferId, TransferRequest, TransferStatus,
};
use walletkit::test_util::{basic_auth, bearer_token, fixtures, milacoins_signature};
use walletkit::waas::{
    AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTransferRequest, AccountTransferRequired,
    AccountTypeCode, ClientCode, ClientRequest, ClientRequired, ClientServiceCode, ClientServiceRequest,
    ClientServiceRequired, FeeType, ServiceCode, SourceTransactionId, TransactionId as WaasTransactionId,
    TransactionRequest, TransactionSource, TransactionType,
};
use walletkit::wallets::{CurrencyId, WalletId, WalletType};
use walletkit::{ErrorKind, RetryPolicy, Timestamp};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{milacoins, milta, order_42, txn_001, MILTA, SECOND};
use crate::support::{dec, fast, waas_client, wallets_client};

/// Mounts `fixture` at `verb` `route`, expecting exactly one call.
async fn once(server: &MockServer, verb: &str, route: &str, fixture: ResponseTemplate) {
    Mock::given(method(verb)).and(path(route)).respond_with(fixture).expect(1).mount(server).await;
}

#[tokio::test]
async fn every_milta_fixture_decodes_through_its_call() {
    use fixtures::milta as fx;
    let server = MockServer::start().await;
    let routes = [
        ("GET", "/inventories/countries", fx::countries()),
        ("GET", "/inventories/currencies", fx::currencies()),
        ("GET", "/inventories/categories", fx::categories()),
        ("GET", "/inventories/providers", fx::providers()),
        ("GET", "/inventories/products", fx::products()),
        ("GET", "/inventories/brands", fx::brands()),
        ("POST", "/transfers", fx::transfer_created()),
        ("GET", "/transfers/T-9001", fx::transfer_scheduled()),
        ("DELETE", "/transfers/T-9001", fx::transfer_cancelled()),
        ("POST", "/transfers/batch", fx::batch_response()),
        ("GET", "/balance", fx::balance()),
        ("POST", "/pricing", fx::pricing()),
    ];
    for (verb, route, fixture) in routes {
        Mock::given(method(verb))
            .and(path(format!("{MILTA}{route}")))
            .and(basic_auth("key-id", "key-secret"))
            .respond_with(fixture)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = milta(&server.uri(), fast());
    let inv = client.inventories();

    let countries = inv.countries().get().await.unwrap().items;
    let codes: Vec<_> = countries.iter().map(|c| (c.code.as_str(), c.currency_code.as_deref().unwrap())).collect();
    assert_eq!(codes, [("GB", "GBP"), ("FR", "EUR"), ("NG", "NGN")]);
    assert_eq!(countries[0].name.as_deref(), Some("United Kingdom"));

    let currencies = inv.currencies().get().await.unwrap().items;
    let codes: Vec<_> = currencies.iter().map(|c| c.code.as_deref().unwrap()).collect();
    assert_eq!(codes, ["GBP", "EUR", "NGN"]);

    let categories = inv.categories().get().await.unwrap().items;
    let ids: Vec<_> = categories.iter().map(|c| c.category_id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["TOPUP", "BILL_PAYMENT", "MONEY_TRANSFER"]);

    let providers = inv.providers().get().await.unwrap().items;
    assert_eq!(providers[0].provider_id, Some(ProviderId::from("PROVIDER_GB_1")));
    assert_eq!(providers[1].country.as_deref(), Some("NG"));

    let products = inv.products().get().await.unwrap();
    assert_eq!((products.total_items, products.total_pages, products.next_page), (Some(2), Some(1), None));
    let first = &products.items[0];
    assert_eq!(first.product_id, Some(ProductId::from("PRODUCT_123")));
    assert_eq!((first.product_type.as_deref(), first.currency.as_deref()), (Some("TOPUP"), Some("GBP")));
    assert_eq!((first.min_amount, first.max_amount), (Some(dec("5.00")), Some(dec("100.00"))));
    assert_eq!(products.items[1].product_id, Some(ProductId::from("PRODUCT_456")));

    let brands = inv.brands().get().await.unwrap().items;
    let brands: Vec<_> =
        brands.iter().map(|b| (b.brand_id.as_deref().unwrap(), b.category.as_deref().unwrap())).collect();
    assert_eq!(brands, [("BRAND_1", "TOPUP"), ("BRAND_2", "BILL_PAYMENT")]);

    let transfers = client.transfers();
    let created = transfers.create(&txn_001()).await.unwrap();
    assert_eq!((created.transfer_id.as_str(), &created.status), ("T-9001", &TransferStatus::Pending));
    assert_eq!(created.external_id.as_ref().map(|e| e.as_str()), Some("TXN-001"));
    assert_eq!((created.amount, created.currency.as_deref()), (Some(dec("10.00")), Some("GBP")));

    let id = TransferId::from("T-9001");
    let scheduled = transfers.get(&id).await.unwrap();
    assert_eq!(scheduled.status, TransferStatus::Scheduled);
    assert_eq!(scheduled.external_id.as_ref().map(|e| e.as_str()), Some("TXN-20260101-001"));
    assert_eq!(scheduled.scheduled_at, Some(Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap()));
    assert_eq!(scheduled.amount, Some(dec("10.00")));

    let cancelled = transfers.cancel_inside_window(&id).await.unwrap().expect("the cancelled transfer");
    assert_eq!((cancelled.transfer_id, cancelled.status), (id, TransferStatus::Cancelled));

    let second = TransferRequest::new(
        ExternalId::from("TXN-002"),
        ProductId::from("PRODUCT_456"),
        PhoneNumber::from("+447700900002"),
        dec("5.00"),
        "GBP",
    );
    let batch = transfers.batch(&[txn_001(), second]).await.unwrap();
    assert_eq!(batch.batch_id.as_deref(), Some("BATCH-20260101-ABC"));
    assert_eq!((batch.accepted, batch.rejected), (Some(2), Some(0)));
    let entries: Vec<_> = batch
        .transfers
        .iter()
        .map(|e| (e.external_id.as_str(), e.transfer_id.as_ref().unwrap().as_str(), e.status.clone()))
        .collect();
    assert_eq!(
        entries,
        [("TXN-001", "T-9001", TransferStatus::Pending), ("TXN-002", "T-9002", TransferStatus::Pending)]
    );

    let balance = client.account().balance().await.unwrap();
    assert_eq!((balance.amount, balance.currency.as_deref()), (Some(dec("1250.00")), Some("GBP")));

    let price = client
        .account()
        .pricing(&PricingRequest::new(ProductId::from("PRODUCT_123"), dec("10.00"), "GBP"))
        .await
        .unwrap();
    assert_eq!((price.amount, price.fee, price.total), (Some(dec("10.00")), Some(dec("0.50")), Some(dec("10.50"))));
    assert_eq!(price.currency.as_deref(), Some("GBP"));
}

#[tokio::test]
async fn milta_error_fixtures_are_the_documented_kinds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{MILTA}/transfers")))
        .respond_with(fixtures::milta::insufficient_funds())
        .expect(1)
        .mount(&server)
        .await;
    once(&server, "GET", &format!("{MILTA}/balance"), fixtures::milta::rate_limited(SECOND)).await;
    let client = milta(&server.uri(), RetryPolicy::none());

    let err = client.transfers().create(&txn_001()).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::InsufficientFunds, Some(402)));
    assert_eq!(err.as_api().unwrap().code.as_deref(), Some("INSUFFICIENT_FUNDS"));

    let err = client.account().balance().await.unwrap_err();
    assert_eq!((err.kind(), err.retry_after()), (ErrorKind::RateLimited, Some(SECOND)));
    assert_eq!(err.as_api().unwrap().code.as_deref(), Some("RATE_LIMIT_EXCEEDED"));
}

#[tokio::test]
async fn every_milacoins_fixture_decodes_through_its_call() {
    use fixtures::milacoins as fx;
    let server = MockServer::start().await;
    let routes = [
        ("GET", "/logs", fx::logs_page()),
        ("GET", "/logs/62d956eda0a3bf0730f5fd18", fx::log()),
        ("GET", "/currencies", fx::currencies()),
        ("GET", "/wallets", fx::wallets()),
        ("POST", "/invoices", fx::invoice()),
        ("POST", "/invoices/payment-page", fx::payment_page()),
        ("GET", "/transactions", fx::transactions_page()),
        ("GET", "/transactions/62d95a1ba0a3bf0730f5fd2a", fx::transaction()),
    ];
    for (verb, route, fixture) in routes {
        Mock::given(method(verb))
            .and(path(route))
            .and(milacoins_signature("mila-key", "mila-secret"))
            .respond_with(fixture)
            .expect(1)
            .mount(&server)
            .await;
    }
    let mila = milacoins(&server.uri(), fast());

    let logs = mila.logs().list().get().await.unwrap();
    assert_eq!((logs.total_items, logs.items.len()), (Some(3), 2));
    assert_eq!((logs.items[0].status, logs.items[1].method.as_deref()), (Some(200), Some("POST")));
    let log = mila.logs().get(&LogId::from("62d956eda0a3bf0730f5fd18")).await.unwrap();
    assert_eq!((log.uri.as_deref(), log.method.as_deref()), (Some("/currencies"), Some("GET")));

    let currencies = mila.reference().currencies().await.unwrap();
    assert_eq!(currencies.len(), 12);
    assert_eq!(currencies[3].code.as_deref(), Some("EUR"));
    assert_eq!(mila.reference().wallets().await.unwrap(), ["BTC", "ETH", "USDT", "USDC", "LTC"]);

    let invoice = mila.invoices().create(&order_42()).await.unwrap();
    assert_eq!(invoice.id.as_str(), "62d8df9142d15eaa837f8ace");
    assert_eq!((invoice.wallet.as_deref(), invoice.amount), (Some("BTC"), Some(dec("10.5"))));
    assert_eq!((invoice.currency.as_deref(), invoice.external_id.as_deref()), (Some("EUR"), Some("ORDER-42")));
    assert_eq!(invoice.created_at, Some(Utc.with_ymd_and_hms(2022, 7, 21, 13, 45, 49).unwrap()));

    let page_request = PaymentPageRequest::new(
        WalletName::from("USDT"),
        dec("250"),
        "USD",
        CancelUrl::from("https://shop.example/cancel"),
        CompletedUrl::from("https://shop.example/done"),
    )
    .external_id("ORDER-43");
    let page = mila.invoices().create_payment_page(&page_request).await.unwrap();
    assert_eq!((page.id.as_str(), page.amount), ("62d8df9142d15eaa837f8acf", Some(dec("250"))));
    assert!(page.url.unwrap().ends_with("/payment-page/62d8df9142d15eaa837f8acf"));

    let transactions = mila.transactions().list().page_size(50).page(2).get().await.unwrap();
    assert_eq!((transactions.total_items, transactions.next_page), (Some(52), None));
    let statuses: Vec<_> = transactions.items.iter().map(|t| t.status.clone()).collect();
    assert_eq!(statuses, [TransactionStatus::Completed, TransactionStatus::WaitingForConfirmation]);
    assert_eq!(transactions.items[1].invoice_amount, Some(dec("12345678901234567.89")));

    let tx = mila.transactions().get(&MilaTransactionId::from("62d95a1ba0a3bf0730f5fd2a")).await.unwrap();
    assert_eq!((tx.receipt_id.as_deref(), &tx.status), (Some("100231"), &TransactionStatus::OverPaid));
    assert_eq!((tx.invoice_amount, tx.wallet_credited), (Some(dec("10.5")), Some(dec("0.00054221"))));
    let refund = tx.refund.unwrap();
    assert_eq!((refund.status, refund.amount), (Some(RefundStatus::Completed), Some(dec("0.00001627"))));
    assert_eq!(tx.exchange_rate.unwrap().rate, Some(dec("19365.1")));
}

#[tokio::test]
async fn milacoins_error_fixtures_are_the_documented_kinds() {
    let server = MockServer::start().await;
    once(&server, "GET", "/transactions/62d8df9142d15eaa837f8ace", fixtures::milacoins::not_found()).await;
    once(&server, "GET", "/currencies", fixtures::milacoins::rate_limited(SECOND)).await;
    let mila = milacoins(&server.uri(), RetryPolicy::none());

    let err = mila.transactions().get(&MilaTransactionId::from("62d8df9142d15eaa837f8ace")).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::NotFound, Some(404)));
    assert_eq!(err.as_api().unwrap().code.as_deref(), Some("1604"));

    let err = mila.reference().currencies().await.unwrap_err();
    assert_eq!((err.kind(), err.retry_after()), (ErrorKind::RateLimited, Some(SECOND)));
    assert_eq!(err.as_api().unwrap().code.as_deref(), Some("4302"));
}

#[tokio::test]
async fn every_wallets_fixture_decodes_through_its_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets"))
        .and(bearer_token("tok-123"))
        .respond_with(fixtures::wallets::list())
        .expect(1)
        .mount(&server)
        .await;
    once(&server, "GET", "/api/v1/wallets/101", fixtures::wallets::get()).await;
    let client = wallets_client(&server);

    let all: Vec<_> = client.wallets().list().stream().try_collect().await.unwrap();
    let all: Vec<_> =
        all.iter().map(|w| (w.id.clone(), w.currency_id.clone(), w.amount, w.wallet_type.clone())).collect();
    assert_eq!(
        all,
        [
            (WalletId::from(101), CurrencyId::from(1), dec("5000.00"), WalletType::Prepaid),
            (WalletId::from(102), CurrencyId::from(2), dec("2500.50"), WalletType::Prepaid),
            (WalletId::from(103), CurrencyId::from(3), dec("10000.00"), WalletType::Postpaid),
        ]
    );
    let one = client.wallets().get(&WalletId::from(101)).await.unwrap();
    assert_eq!((one.id, one.amount, one.wallet_type), (WalletId::from(101), dec("5000.00"), WalletType::Prepaid));
}

#[tokio::test]
async fn wallets_error_fixtures_are_the_documented_kinds() {
    let cases = [
        (fixtures::wallets::bad_request(), ErrorKind::Validation, 400, "BAD_REQUEST"),
        (fixtures::wallets::unauthorized(), ErrorKind::Unauthorized, 401, "UNAUTHORIZED"),
        (fixtures::wallets::not_found(), ErrorKind::NotFound, 404, "NOT_FOUND"),
        (fixtures::wallets::internal_error(), ErrorKind::ServerError, 500, "INTERNAL_SERVER_ERROR"),
    ];
    for (fixture, kind, status, code) in cases {
        let server = MockServer::start().await;
        once(&server, "GET", "/api/v1/wallets/101", fixture).await;
        let client = walletkit::wallets::WalletsClient::builder()
            .base_url(server.uri())
            .token("tok-123")
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = client.wallets().get(&WalletId::from(101)).await.unwrap_err();
        assert_eq!((err.kind(), err.status()), (kind, Some(status)), "{code}");
        assert_eq!(err.as_api().unwrap().code.as_deref(), Some(code));
    }
}

#[tokio::test]
async fn every_waas_fixture_decodes_through_its_call() {
    use fixtures::waas as fx;
    let server = MockServer::start().await;
    once(&server, "POST", "/api/v1/auth/login", fx::login("w-token")).await;
    let routes = [
        ("/api/v1/clients", None, fx::client()),
        ("/api/v1/accounts", None, fx::account()),
        ("/api/v1/client-services", None, fx::client_service()),
        ("/api/v1/transactions", Some("CREDIT"), fx::transaction()),
        ("/api/v1/transactions", Some("DEBIT"), fx::debit()),
        ("/api/v1/account-transfers", None, fx::transfer()),
        ("/api/v1/transactions/7607", Some("REVERSE"), fx::reversal()),
    ];
    for (route, command, fixture) in routes {
        let mock = Mock::given(method("POST")).and(path(route)).and(bearer_token("w-token"));
        let mock = match command {
            Some(command) => mock.and(query_param("command", command)),
            None => mock,
        };
        mock.respond_with(fixture).expect(1).mount(&server).await;
    }
    let waas = waas_client(&server);

    let client = waas.clients().create(&client_request()).await.unwrap();
    assert_eq!((client.client_id.as_str(), client.client_code.as_str()), ("123", "EML67BG6W1"));
    assert_eq!(client.client_phone_number.as_deref(), Some("7209323323"));
    let details = waas.token_source().details().await.unwrap();
    assert_eq!(details.token_type.as_deref(), Some("Bearer"));

    let account = waas.accounts().create(&account_request()).await.unwrap();
    assert_eq!(account.account_number, AccountNumber::from("10000110"));
    assert_eq!((account.minimum_balance, account.status), (Some(dec("0.1000")), Some(AccountStatus::Active)));

    let service = waas.client_services().create(&client_service_request()).await.unwrap();
    assert_eq!(service.client_service_code, ClientServiceCode::from("PAY1CNAELX"));
    assert_eq!(service.maximum_transaction_amount, Some(dec("100.0")));

    let credit = waas.transactions().credit(&transaction_request()).await.unwrap();
    assert_eq!((credit.transaction_id.as_str(), &credit.transaction_type), ("7607", &TransactionType::Credit));
    assert_eq!((credit.previous_balance, credit.current_balance), (dec("0.0000"), dec("96.0000")));

    let debit = waas.transactions().debit(&transaction_request()).await.unwrap();
    assert_eq!((debit.transaction_id.as_str(), &debit.transaction_type), ("7608", &TransactionType::Debit));
    assert_eq!((debit.transaction_amount, debit.current_balance), (dec("96.0000"), dec("0.0000")));
    assert_eq!(debit.transaction_date, Some(Timestamp::At(Utc.with_ymd_and_hms(2024, 9, 5, 17, 48, 0).unwrap())));

    let pair = waas.account_transfers().create(&transfer_request()).await.unwrap();
    assert_eq!(pair.source_transaction.transaction_id.as_str(), "7611");
    assert_eq!(pair.source_transaction.current_balance, dec("2975.0000"));
    assert_eq!(pair.destination_transaction.transaction_type, TransactionType::Credit);

    let reversal = waas.transactions().reverse(&WaasTransactionId::from("7607")).await.unwrap();
    assert_eq!(reversal.source_transaction.transaction_amount, dec("997.0000"));
    assert_eq!(reversal.destination_transaction.transaction_id.as_str(), "7610");
    assert_eq!(reversal.destination_transaction.current_balance, dec("10192.0000"));
}

/// The document's client request example.
fn client_request() -> ClientRequest {
    ClientRequest::new(ClientRequired {
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
}

/// The document's account request example.
fn account_request() -> AccountRequest {
    AccountRequest::new(
        ClientCode::from("LIPNZPMF7O"),
        AccountTypeCode::FloatAccount,
        AccountName::from("Collection Account KES 2"),
        "KES",
        dec("0"),
        AccountStatus::Active,
    )
}

/// The document's client service request example.
fn client_service_request() -> ClientServiceRequest {
    ClientServiceRequest::new(ClientServiceRequired {
        client_code: ClientCode::from("LIPNZPMF7O"),
        client_service_name: "Payout KES Nairobi".into(),
        service_code: ServiceCode::from("CUSTOM_SERVICE"),
        has_transaction_fee: true,
        minimum_transaction_amount: dec("1.0"),
        maximum_transaction_amount: dec("100.0"),
        is_active: true,
    })
    .transaction_fee(FeeType::Fixed, dec("0.0"))
}

/// The document's transaction request example.
fn transaction_request() -> TransactionRequest {
    TransactionRequest::new(
        AccountNumber::from("10000099"),
        ClientServiceCode::from("FLOIQ2XAFJ"),
        TransactionSource::External,
        dec("100.0"),
        SourceTransactionId::from("12325524445"),
        Utc.with_ymd_and_hms(2024, 7, 29, 12, 34, 56).unwrap(),
    )
}

/// The document's internal transfer request example.
fn transfer_request() -> AccountTransferRequest {
    AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: AccountNumber::from("10000014"),
        destination_account_number: AccountNumber::from("10000015"),
        client_service_code: ClientServiceCode::from("INT_NHQ5Y77"),
        transaction_amount: dec("10.0"),
        source_transaction_id: SourceTransactionId::from("1"),
        transaction_source: TransactionSource::Internal,
        transaction_date: Utc.with_ymd_and_hms(2022, 7, 29, 12, 34, 56).unwrap(),
    })
}
