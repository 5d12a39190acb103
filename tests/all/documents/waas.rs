//! Wallet-as-a-Service examples: each request sent as documented and each
//! response decoded exactly.

use super::*;

/// A WaaS client logged in against `server`. The document shows no login
/// answer beyond naming `access_token`, so this one is made up.
async fn waas(server: &MockServer) -> WaasClient {
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"access_token":"tok-doc"}"#, "application/json"))
        .mount(server)
        .await;
    WaasClient::builder().base_url(server.uri()).credentials("user", "pass").retry_policy(fast()).build().unwrap()
}

/// Answers `verb` `route` with the fixture `name`.
async fn waas_answer(server: &MockServer, verb: &str, route: &str, name: &str) {
    Mock::given(method(verb)).and(path(route)).respond_with(serve(name, 200)).expect(1..).mount(server).await;
}

fn waas_client_request() -> ClientRequest {
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
    .physical_address("456 Elm St")
    .logo("https://example.com/logo2.png")
    .description("Lorem ipsum dolor sit amet consectetur adipiscing elit.")
}

fn waas_account_request() -> AccountRequest {
    AccountRequest::new(
        ClientCode::from("LIPNZPMF7O"),
        AccountTypeCode::FloatAccount,
        AccountName::from("Collection Account KES 2"),
        "KES",
        dec("0"),
        AccountStatus::Active,
    )
    .can_overdraw(false)
    .status_description("Collection Account")
}

fn waas_client_service_request() -> ClientServiceRequest {
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

fn waas_transaction_request() -> TransactionRequest {
    let data = json!({"data": "test"}).as_object().unwrap().clone();
    TransactionRequest::new(
        AccountNumber::from("10000099"),
        ClientServiceCode::from("FLOIQ2XAFJ"),
        TransactionSource::External,
        dec("100.0"),
        SourceTransactionId::from("12325524445"),
        utc(2024, 7, 29, 12, 34, 56, 0),
    )
    .source_transaction_data(data)
    .transaction_narration("Test")
}

fn waas_transfer_request() -> AccountTransferRequest {
    AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: AccountNumber::from("10000014"),
        destination_account_number: AccountNumber::from("10000015"),
        client_service_code: ClientServiceCode::from("INT_NHQ5Y77"),
        transaction_amount: dec("10.0"),
        source_transaction_id: SourceTransactionId::from("1"),
        transaction_source: TransactionSource::Internal,
        transaction_date: utc(2022, 7, 29, 12, 34, 56, 0),
    })
    .source_transaction_data(serde_json::Map::new())
    .transaction_narration("Transfer for payment")
}

#[tokio::test]
async fn waas_client_request_is_sent_as_documented() {
    const NAME: &str = "waas/client_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/clients", "waas/client_response.json").await;
    waas(&server).await.clients().create(&waas_client_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/clients").await);
}

#[tokio::test]
async fn waas_client_response_decodes_exactly() {
    const NAME: &str = "waas/client_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/clients", NAME).await;
    let c = waas(&server).await.clients().create(&waas_client_request()).await.unwrap();
    assert_eq!(c.client_id, ClientId::from("123"), "{NAME}: client_id");
    assert_eq!(c.client_name.as_deref(), Some("Emlyn"), "{NAME}: client_name");
    assert_eq!(c.client_email.as_deref(), Some("[email protected]"), "{NAME}: client_email");
    assert_eq!(c.client_phone_number.as_deref(), Some("7209323323"), "{NAME}: client_phone_number, a number");
    assert_eq!(c.contact_person_name.as_deref(), Some("Emlyn"), "{NAME}: contact_person_name");
    assert_eq!(c.contact_person_email.as_deref(), Some("[email protected]"), "{NAME}: contact_person_email");
    assert_eq!(c.contact_person_msisdn.as_deref(), Some("7209323323"), "{NAME}: contact_person_msisdn, a number");
    assert_eq!(c.business_pin.as_deref(), Some("A102035"), "{NAME}: business_pin");
    assert_eq!(c.physical_address.as_deref(), Some("Nairobi, Kenya"), "{NAME}: physical_address");
    assert_eq!(c.country.as_deref(), Some("Kenya"), "{NAME}: country");
    assert_eq!(c.description.as_deref(), Some("Test"), "{NAME}: description");
    assert_eq!(c.is_active, Some(true), "{NAME}: is_active 1");
    assert_eq!(c.client_code, ClientCode::from("EML67BG6W1"), "{NAME}: client_code");
    assert_eq!(c.logo.as_deref(), Some("https://example.com/logo.png"), "{NAME}: logo");
    assert!(c.extra.is_empty(), "{NAME}: {:?}", c.extra);
}

#[tokio::test]
async fn waas_account_request_is_sent_as_documented() {
    const NAME: &str = "waas/account_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/accounts", "waas/account_response.json").await;
    waas(&server).await.accounts().create(&waas_account_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/accounts").await);
}

#[tokio::test]
async fn waas_account_response_decodes_exactly() {
    const NAME: &str = "waas/account_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/accounts", NAME).await;
    let a = waas(&server).await.accounts().create(&waas_account_request()).await.unwrap();
    assert_eq!(a.account_id, AccountId::from("1"), "{NAME}: account_id");
    assert_eq!(a.account_number, AccountNumber::from("10000110"), "{NAME}: account_number");
    assert_eq!(a.account_name.as_deref(), Some("Float Account 1"), "{NAME}: account_name");
    assert_eq!(a.currency.as_deref(), Some("KES"), "{NAME}: currency");
    assert_opt_amount(NAME, "minimum_balance", a.minimum_balance, "0.1000");
    assert_eq!(a.can_overdraw, Some(false), "{NAME}: can_overdraw");
    assert_eq!(a.status, Some(AccountStatus::Active), "{NAME}: status");
    assert_eq!(a.status_description.as_deref(), Some("Test account"), "{NAME}: status_description");
    let at = Timestamp::At(utc(2024, 9, 5, 17, 14, 4, 734));
    assert_eq!((a.created_at, a.updated_at), (Some(at.clone()), Some(at)), "{NAME}: created_at, updated_at");
    assert_eq!((a.client_code, a.account_type_code), (None, None), "{NAME}: fields the example lacks");
    assert!(a.extra.is_empty(), "{NAME}: {:?}", a.extra);
}

#[tokio::test]
async fn waas_client_service_request_is_sent_as_documented() {
    const NAME: &str = "waas/client_service_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/client-services", "waas/client_service_response.json").await;
    waas(&server).await.client_services().create(&waas_client_service_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/client-services").await);
}

#[tokio::test]
async fn waas_client_service_response_decodes_exactly() {
    const NAME: &str = "waas/client_service_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/client-services", NAME).await;
    let s = waas(&server).await.client_services().create(&waas_client_service_request()).await.unwrap();
    assert_eq!(s.client_service_id.as_str(), "1", "{NAME}: client_service_id");
    assert_eq!(s.client_service_code, ClientServiceCode::from("PAY1CNAELX"), "{NAME}: client_service_code");
    assert_eq!(s.client_code, Some(ClientCode::from("LIPNZPMF7O")), "{NAME}: client_code");
    assert_eq!(s.client_service_name.as_deref(), Some("Payout KES Nairobi"), "{NAME}: client_service_name");
    assert_eq!(s.service_code, Some(ServiceCode::from("CUSTOM_SERVICE")), "{NAME}: service_code");
    assert_eq!(s.has_transaction_fee, Some(true), "{NAME}: has_transaction_fee");
    assert_eq!(s.transaction_fee_type, Some(FeeType::Fixed), "{NAME}: transaction_fee_type");
    assert_opt_amount(NAME, "transaction_fee", s.transaction_fee, "0.0");
    assert_opt_amount(NAME, "minimum_transaction_amount", s.minimum_transaction_amount, "1.0");
    assert_opt_amount(NAME, "maximum_transaction_amount", s.maximum_transaction_amount, "100.0");
    assert_eq!(s.is_active, Some(true), "{NAME}: is_active 1");
    assert!(s.extra.is_empty(), "{NAME}: {:?}", s.extra);
}

#[tokio::test]
async fn waas_transaction_request_is_sent_as_documented_for_credit_and_debit() {
    const NAME: &str = "waas/transaction_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/transactions", "waas/transaction_response.json").await;
    let client = waas(&server).await;
    client.transactions().credit(&waas_transaction_request()).await.unwrap();
    client.transactions().debit(&waas_transaction_request()).await.unwrap();
    let sent = received(&server, "POST", "/api/v1/transactions").await;
    let queries: Vec<_> = sent.iter().map(|(q, _)| q.as_deref()).collect();
    assert_eq!(queries, [Some("command=CREDIT"), Some("command=DEBIT")], "{NAME}");
    for (_, body) in &sent {
        assert_sent_as_documented(NAME, body);
    }
}

/// Every field of a ledger entry in the document's examples.
struct Entry<'a> {
    transaction_id: &'a str,
    account: &'a str,
    client_service: &'a str,
    transaction_type: TransactionType,
    currency: &'a str,
    transaction_amount: &'a str,
    previous_balance: &'a str,
    current_balance: &'a str,
    other_party_account: &'a str,
    other_party_transaction_hash: &'a str,
    transaction_source: TransactionSource,
    source_transaction_id: &'a str,
    /// `source_transaction_data` exactly as the document writes it.
    source_transaction_data: &'a str,
    transaction_narration: &'a str,
    transaction_date: DateTime<Utc>,
}

#[track_caller]
fn assert_entry(name: &str, t: &Transaction, want: Entry<'_>) {
    let id = want.transaction_id;
    assert_eq!(t.transaction_id, TransactionId::from(id), "{name}: transaction_id");
    assert_eq!(t.account, AccountNumber::from(want.account), "{name}: account of {id}");
    assert_eq!(t.client_service, Some(ClientServiceCode::from(want.client_service)), "{name}: client_service of {id}");
    assert_eq!(t.transaction_type, want.transaction_type, "{name}: transaction_type of {id}");
    assert_eq!(t.currency.as_deref(), Some(want.currency), "{name}: currency of {id}");
    assert_amount(name, &format!("transaction_amount of {id}"), t.transaction_amount, want.transaction_amount);
    assert_amount(name, &format!("previous_balance of {id}"), t.previous_balance, want.previous_balance);
    assert_amount(name, &format!("current_balance of {id}"), t.current_balance, want.current_balance);
    assert_eq!(
        t.other_party_account,
        Some(AccountNumber::from(want.other_party_account)),
        "{name}: other_party_account of {id}"
    );
    assert_eq!(
        t.other_party_transaction_hash.as_deref(),
        Some(want.other_party_transaction_hash),
        "{name}: other_party_transaction_hash of {id}"
    );
    assert_eq!(t.transaction_source, Some(want.transaction_source), "{name}: transaction_source of {id}");
    assert_eq!(
        t.source_transaction_id,
        Some(SourceTransactionId::from(want.source_transaction_id)),
        "{name}: source_transaction_id of {id}"
    );
    let data = t.source_transaction_data.as_ref().unwrap_or_else(|| panic!("{name}: source_transaction_data of {id}"));
    assert_eq!(data.get(), want.source_transaction_data, "{name}: source_transaction_data of {id}, as written");
    assert_eq!(t.transaction_narration.as_deref(), Some(want.transaction_narration), "{name}: narration of {id}");
    assert_eq!(t.transaction_date, Some(Timestamp::At(want.transaction_date)), "{name}: transaction_date of {id}");
    assert!(t.extra.is_empty(), "{name}: {id}: {:?}", t.extra);
}

const DASHBOARD: &str = "{\n\"data\": \"Dashboard\"\n}";

#[tokio::test]
async fn waas_transaction_response_decodes_exactly() {
    const NAME: &str = "waas/transaction_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/transactions", NAME).await;
    let t = waas(&server).await.transactions().credit(&waas_transaction_request()).await.unwrap();
    assert_entry(
        NAME,
        &t,
        Entry {
            transaction_id: "7607",
            account: "10000110",
            client_service: "PAY1CNAELX",
            transaction_type: TransactionType::Credit,
            currency: "KES",
            transaction_amount: "96.0000",
            previous_balance: "0.0000",
            current_balance: "96.0000",
            other_party_account: "10000002",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::External,
            source_transaction_id: "121231234",
            source_transaction_data: DASHBOARD,
            transaction_narration: "2131321",
            transaction_date: utc(2024, 9, 5, 17, 47, 0, 0),
        },
    );
}

#[tokio::test]
async fn waas_transfer_request_is_sent_as_documented() {
    const NAME: &str = "waas/transfer_request.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/account-transfers", "waas/transfer_response.json").await;
    waas(&server).await.account_transfers().create(&waas_transfer_request()).await.unwrap();
    assert_sent_as_documented(NAME, &sent_once(&server, NAME, "POST", "/api/v1/account-transfers").await);
}

#[tokio::test]
async fn waas_transfer_response_decodes_exactly() {
    const NAME: &str = "waas/transfer_response.json";
    let server = MockServer::start().await;
    waas_answer(&server, "POST", "/api/v1/account-transfers", NAME).await;
    let pair: TransactionPair = waas(&server).await.account_transfers().create(&waas_transfer_request()).await.unwrap();
    assert_entry(
        NAME,
        &pair.source_transaction,
        Entry {
            transaction_id: "7611",
            account: "10000097",
            client_service: "INTBPHGRXO",
            transaction_type: TransactionType::Debit,
            currency: "KES",
            transaction_amount: "10.0000",
            previous_balance: "2985.0000",
            current_balance: "2975.0000",
            other_party_account: "10000095",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "IFT112242342412324",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1242142421421",
            transaction_date: utc(2024, 9, 5, 18, 36, 42, 774),
        },
    );
    assert_entry(
        NAME,
        &pair.destination_transaction,
        Entry {
            transaction_id: "7612",
            account: "10000095",
            client_service: "INTBPHGRXO",
            transaction_type: TransactionType::Credit,
            currency: "KES",
            transaction_amount: "10.0000",
            previous_balance: "0.0000",
            current_balance: "10.0000",
            other_party_account: "10000097",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "IFT212242342412324",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1242142421421",
            transaction_date: utc(2024, 9, 5, 18, 36, 42, 788),
        },
    );
    assert!(pair.extra.is_empty(), "{NAME}: {:?}", pair.extra);
}

#[tokio::test]
async fn waas_reversal_response_repeats_transaction_id_with_the_same_value_and_decodes_exactly() {
    const NAME: &str = "waas/reversal_response.json";
    // The repeated key, as the document has it: both values are "7610".
    let text = fixture(NAME);
    let raw: &RawValue = serde_json::from_str(&text).unwrap();
    let mut repeats = Vec::new();
    exact_at(raw, "$", &mut Some(&mut repeats)).unwrap();
    assert_eq!(
        repeats,
        [("$.destination_transaction.transaction_id".to_string(), "\"7610\"".to_string(), "\"7610\"".to_string())],
        "{NAME}"
    );

    let server = MockServer::start().await;
    // The document does not say which transaction was reversed; any id serves.
    Mock::given(method("POST"))
        .and(path("/api/v1/transactions/7600"))
        .and(query_param("command", "REVERSE"))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let pair = waas(&server).await.transactions().reverse(&TransactionId::from("7600")).await.unwrap();
    assert_entry(
        NAME,
        &pair.source_transaction,
        Entry {
            transaction_id: "7609",
            account: "10000110",
            client_service: "REVN6D91E4",
            transaction_type: TransactionType::Debit,
            currency: "KES",
            transaction_amount: "997.0000",
            previous_balance: "1093.0000",
            current_balance: "96.0000",
            other_party_account: "10000002",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "RVS11212adas",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1213124",
            transaction_date: utc(2024, 9, 5, 17, 58, 0, 0),
        },
    );
    assert_entry(
        NAME,
        &pair.destination_transaction,
        Entry {
            transaction_id: "7610",
            account: "10000002",
            client_service: "REVN6D91E4",
            transaction_type: TransactionType::Credit,
            currency: "KES",
            transaction_amount: "997.0000",
            previous_balance: "9195.0000",
            current_balance: "10192.0000",
            other_party_account: "10000110",
            other_party_transaction_hash: "N/A",
            transaction_source: TransactionSource::Internal,
            source_transaction_id: "RVS21212adas",
            source_transaction_data: DASHBOARD,
            transaction_narration: "1213124",
            transaction_date: utc(2024, 9, 5, 17, 58, 0, 0),
        },
    );
    assert!(pair.extra.is_empty(), "{NAME}: {:?}", pair.extra);
}
