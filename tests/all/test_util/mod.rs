//! `walletkit::test_util`: the auth matchers, a fixture for every documented
//! operation decoded by its typed call, the failure responders leading to
//! walletkit's documented behaviour, and the lost-answer server.

mod constructors;
mod fixtures;
mod lost_answer;
mod matchers;
mod responders;

use std::time::Duration;

use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::RetryPolicy;

use crate::support::dec;

/// Milta's base path, under which its mocks are mounted.
const MILTA: &str = "/api/v1/partner";

fn milta(uri: &str, retry: RetryPolicy) -> MiltaClient {
    MiltaClient::builder()
        .base_url(format!("{uri}{MILTA}"))
        .credentials("key-id", "key-secret")
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn milacoins(uri: &str, retry: RetryPolicy) -> MilaCoinsClient {
    MilaCoinsClient::builder().base_url(uri).credentials("mila-key", "mila-secret").retry_policy(retry).build().unwrap()
}

/// The batch example's first transfer: `TXN-001`, 10.00 GBP of `PRODUCT_123`.
fn txn_001() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from("TXN-001"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        dec("10.00"),
        "GBP",
    )
}

/// 10.5 EUR into the BTC wallet for `ORDER-42` (the invoice fixture's values).
fn order_42() -> InvoiceRequest {
    InvoiceRequest::new(WalletName::from("BTC"), dec("10.5"), "EUR").external_id("ORDER-42")
}

/// A second, in the tests that wait for one.
const SECOND: Duration = Duration::from_secs(1);
