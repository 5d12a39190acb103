//! What the integration tests share: the fast retry policy, client builders
//! on a wiremock server, exact decimals, the hostile ids every id-taking call
//! must refuse, the independent MilaCoins signature checker, a real
//! `redis-server` with a 429 counter for the replica tests, and a real
//! PostgreSQL for the journal's.

pub mod hostile_ids;
#[cfg(feature = "test-util")]
pub mod milacoins_sig;
#[cfg(feature = "journal-postgres")]
pub mod postgres_server;
#[cfg(feature = "redis")]
pub mod redis_server;
#[cfg(feature = "redis")]
pub mod too_many;

use std::time::Duration;

use walletkit::waas::{
    AccountName, AccountNumber, AccountRequest, AccountStatus, AccountTypeCode, ClientRequest, ClientRequired,
    ClientServiceCode, ClientServiceRequest, ClientServiceRequired, ServiceCode, WaasClient,
};
use walletkit::wallets::WalletsClient;
use walletkit::{Decimal, RetryPolicy};
use wiremock::MockServer;

/// Retries as in production, minus the waiting: 1 ms, then at most 5 ms.
pub fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5))
}

/// An exact decimal; a literal that does not fit exactly fails the test.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// A WaaS client logging in as `ops` on `server`, retrying [`fast`].
pub fn waas_client(server: &MockServer) -> WaasClient {
    WaasClient::builder().base_url(server.uri()).credentials("ops", "pw-1").retry_policy(fast()).build().unwrap()
}

/// A Wallets client with the static token `tok-123` on `server`, retrying [`fast`].
pub fn wallets_client(server: &MockServer) -> WalletsClient {
    WalletsClient::builder().base_url(server.uri()).token("tok-123").retry_policy(fast()).build().unwrap()
}

/// A WaaS client profile named `name` with every field the document
/// requires, in values the sandbox accepts.
pub fn waas_client_request(name: &str) -> ClientRequest {
    ClientRequest::new(ClientRequired {
        client_name: name.into(),
        client_email: format!("{}@example.com", name.to_lowercase()),
        client_phone_number: "254700000000".into(),
        contact_person_name: "Admin".into(),
        contact_person_email: "admin@example.com".into(),
        contact_person_msisdn: "254700000000".into(),
        business_pin: "PIN".into(),
        country: "Kenya".into(),
        is_active: true,
    })
}

/// Through `waas`: a client profile named `name`, an empty KES float
/// account and a service taking 1 to 100,000 per movement.
pub async fn waas_account(waas: &WaasClient, name: &str) -> (AccountNumber, ClientServiceCode) {
    let client = waas.clients().create(&waas_client_request(name)).await.unwrap();
    let account = AccountRequest::new(
        client.client_code.clone(),
        AccountTypeCode::FloatAccount,
        AccountName::from("main"),
        "KES",
        Decimal::ZERO,
        AccountStatus::Active,
    );
    let account = waas.accounts().create(&account).await.unwrap();
    let service = waas
        .client_services()
        .create(&ClientServiceRequest::new(ClientServiceRequired {
            client_code: client.client_code,
            client_service_name: format!("{name} service"),
            service_code: ServiceCode::from("CUSTOM_SERVICE"),
            has_transaction_fee: false,
            minimum_transaction_amount: Decimal::ONE,
            maximum_transaction_amount: Decimal::new(100_000, 0),
            is_active: true,
        }))
        .await
        .unwrap();
    (account.account_number, service.client_service_code)
}
