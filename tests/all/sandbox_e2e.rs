//! End to end: every example's flow against the shipped sandbox, clean and
//! under faults, and the sandbox's state proving nothing was booked twice.

#[path = "../../examples/tours/mod.rs"]
mod tours;

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use walletkit::milacoins::{InvoiceRequest, WalletName};
use walletkit::sandbox::{CallbackMethod, Faults, Sandbox, SandboxClient as _, SandboxConfig, Trigger};
use walletkit::waas::{
    AccountName, AccountRequest, AccountStatus, AccountTransferRequest, AccountTransferRequired, AccountTypeCode,
    ClientServiceRequest, ClientServiceRequired, ServiceCode, SourceTransactionId, TransactionRequest,
    TransactionSource,
};
use walletkit::Decimal;

use crate::support::{fast, waas_client_request};

async fn sandbox(spec: &str) -> Sandbox {
    Sandbox::start(SandboxConfig::default().with_fault_spec(spec).unwrap()).await.unwrap()
}

async fn run_all_tours(sb: &Sandbox) {
    tours::milta::tour(&sb.milta().client_builder().retry_policy(fast()).build().unwrap()).await.unwrap();
    tours::milacoins::tour(&sb.milacoins().client_builder().retry_policy(fast()).build().unwrap()).await.unwrap();
    tours::wallets::tour(&sb.wallets().client_builder().retry_policy(fast()).build().unwrap()).await.unwrap();
    tours::waas::tour(&sb.waas().client_builder().retry_policy(fast()).build().unwrap()).await.unwrap();
}

/// Every Milta transfer exists once per `externalId`; returns how many there are.
fn assert_no_duplicate_transfers(sb: &Sandbox) -> usize {
    let transfers = sb.milta().transfers();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for t in &transfers {
        *seen.entry(t.external_id.as_str()).or_default() += 1;
    }
    let duplicated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "duplicated transfers: {duplicated:?}");
    transfers.len()
}

/// The MilaCoins tour created one invoice and one payment page, each once,
/// the page with its redirect URLs as given.
fn assert_one_invoice_and_one_payment_page(sb: &Sandbox) {
    let invoices = sb.milacoins().invoices();
    assert_eq!(invoices.len(), 2, "{invoices:?}");
    assert_eq!((invoices[0].cancel_url.as_deref(), invoices[0].completed_url.as_deref()), (None, None));
    assert!(invoices[1].cancel_url.as_deref().is_some_and(|u| u.contains("/cancel?invoice={INVOICE_ID}")));
    assert!(invoices[1].completed_url.as_deref().is_some_and(|u| u.contains("/done?invoice={INVOICE_ID}")));
}

#[tokio::test]
async fn every_example_flow_runs_against_the_sandbox() {
    let sb = sandbox("none").await;
    run_all_tours(&sb).await;
    // One single, one deferred, 150 batched.
    assert_eq!(assert_no_duplicate_transfers(&sb), 152);
    assert_one_invoice_and_one_payment_page(&sb);
    // Double entry: credit, debit, transfer and reversal book two lines each.
    assert_eq!(sb.waas().entries().len(), 8);
}

#[tokio::test]
async fn every_flow_finishes_with_429s_and_5xx_on_gets() {
    let sb = sandbox("all:429-first,retry-after=0,5xx-every=2,5xx-gets-only").await;
    run_all_tours(&sb).await;
    for (api, counts) in [
        ("milta", sb.milta().fault_counts()),
        ("milacoins", sb.milacoins().fault_counts()),
        ("wallets", sb.wallets().fault_counts()),
        ("waas", sb.waas().fault_counts()),
    ] {
        assert!(counts.too_many_requests > 0, "{api} saw no 429: {counts:?}");
        if api != "waas" {
            assert!(counts.server_errors > 0, "{api} saw no 5xx: {counts:?}");
        }
    }
    assert_eq!(assert_no_duplicate_transfers(&sb), 152);
    assert_one_invoice_and_one_payment_page(&sb);
}

/// The sandbox serves the documents' other plausible readings: both id
/// spellings, aliases side by side, amounts as strings, `null`s, unknown
/// fields, other timestamp formats, lists with and without pagination.
#[tokio::test]
async fn every_example_flow_runs_against_the_documents_other_readings() {
    let sb = sandbox("all:variants").await;
    run_all_tours(&sb).await;
    assert_eq!(assert_no_duplicate_transfers(&sb), 152);
    assert_one_invoice_and_one_payment_page(&sb);
    assert_eq!(sb.waas().entries().len(), 8);
}

/// Servers that page badly: each tour still finishes, with every money
/// movement booked once. Under `variants` Milta's reference lists are paged
/// too, so every paged list of every API meets the fault.
#[tokio::test]
async fn every_example_flow_finishes_against_servers_that_page_badly() {
    for fault in ["ignores-page", "repeats-last-page", "lies-about-totals", "has-more-forever"] {
        for spec in [format!("all:{fault}"), format!("all:variants,{fault}")] {
            let sb = sandbox(&spec).await;
            tokio::time::timeout(Duration::from_secs(120), run_all_tours(&sb))
                .await
                .unwrap_or_else(|_| panic!("the tours did not finish under {spec}"));
            assert_eq!(assert_no_duplicate_transfers(&sb), 152, "{spec}");
            assert_one_invoice_and_one_payment_page(&sb);
        }
    }
}

#[tokio::test]
async fn every_flow_finishes_under_variants_with_429s_and_5xx_on_gets() {
    let sb = sandbox("all:variants,429-first,retry-after=0,5xx-every=2,5xx-gets-only").await;
    run_all_tours(&sb).await;
    assert_eq!(assert_no_duplicate_transfers(&sb), 152);
}

/// The recipe after a lost answer, per provider, leaves exactly one
/// transfer or invoice: Milta resends with the same key; MilaCoins looks
/// the invoice up before creating it again.
#[tokio::test]
async fn the_unknown_outcome_recipes_leave_exactly_one_transfer_and_one_invoice() {
    use walletkit::milta::{ExternalId, PhoneNumber, ProductId, TransferRequest};
    let sb = sandbox("milta+milacoins:drop-every=1").await;
    let milta = sb.milta().client_builder().retry_policy(fast()).build().unwrap();
    let transfer = TransferRequest::new(
        ExternalId::from("RECIPE-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::ONE,
        "GBP",
    );
    let err = milta.transfers().create(&transfer).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("{err:?}")).clone();
    assert_eq!(sb.milta().transfers_with_external_id("RECIPE-1"), 1, "the server acted before the answer was lost");
    sb.milta().set_faults(Faults::default());
    let resent = milta.transfers().resend(&transfer, &unknown).await.unwrap();
    assert_eq!(sb.milta().transfers_with_external_id("RECIPE-1"), 1, "the resend answered with the same transfer");
    assert_eq!(resent.external_id.as_ref().map(|e| e.as_str()), Some("RECIPE-1"));

    let mila = sb.milacoins().client_builder().retry_policy(fast()).build().unwrap();
    let invoice = walletkit::milacoins::InvoiceRequest::new(
        walletkit::milacoins::WalletName::from("EUR"),
        Decimal::new(1050, 2),
        "EUR",
    )
    .external_id("RECIPE-2");
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    assert!(err.as_outcome_unknown().is_some(), "{err:?}");
    sb.milacoins().set_faults(Faults::default());
    let found = mila.transactions().find_by_external_id("RECIPE-2").await.unwrap();
    assert!(found.is_some(), "the lost invoice is found, so it is not created again");
    assert_eq!(sb.milacoins().invoices_with_external_id("RECIPE-2"), 1);
}

/// A service that lost a transfer's answer and restarted (a new client, no
/// memory of the first call, not even its `OutcomeUnknown`) sends the same
/// payment again: the key follows the payment, so the sandbox answers with
/// the transfer it made, and one transfer exists.
#[tokio::test]
async fn the_same_payment_sent_again_after_a_restart_is_made_once() {
    use walletkit::milta::{ExternalId, PhoneNumber, ProductId, TransferRequest};
    let sb = sandbox("milta:drop-first").await;
    let transfer = TransferRequest::new(
        ExternalId::from("RESTART-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1250, 2),
        "GBP",
    );
    // No retry: the process dies with the answer lost.
    let before_restart = sb.milta().client_builder().retry_policy(fast().max_retries(0)).build().unwrap();
    let err = before_restart.transfers().create(&transfer).await.unwrap_err();
    assert!(err.as_outcome_unknown().is_some(), "{err:?}");
    assert_eq!(sb.milta().transfers_with_external_id("RESTART-1"), 1, "the server acted before the answer was lost");
    drop(before_restart);

    let after_restart = sb.milta().client_builder().retry_policy(fast()).build().unwrap();
    let made = after_restart.transfers().create(&transfer).await.unwrap();
    assert_eq!(sb.milta().transfers_with_external_id("RESTART-1"), 1, "sent again, made once");
    let only = sb.milta().transfers().into_iter().find(|t| t.external_id == "RESTART-1").unwrap();
    assert_eq!(made.transfer_id.as_str(), only.transfer_id, "the answer names the transfer first made");

    // A payment that differs in one field is another payment, with another key.
    let other = TransferRequest::new(
        ExternalId::from("RESTART-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1251, 2),
        "GBP",
    );
    let err = after_restart.transfers().create(&other).await.unwrap_err();
    assert_eq!(err.kind(), walletkit::ErrorKind::Duplicate, "{err}");
    assert_eq!(sb.milta().transfers_with_external_id("RESTART-1"), 1);
}

/// MilaCoins callbacks: a receiver gets the callbacks of a completed and a
/// cancelled payment page and confirms each through the signed API.
#[tokio::test]
async fn the_callbacks_example_runs_end_to_end() {
    let sb = sandbox("none").await;
    let calls = tours::callbacks::tour(&sb).await.unwrap();
    assert!(calls.iter().all(|c| c.method == CallbackMethod::Get && c.status == 200), "{calls:?}");
    let pages = sb.milacoins().invoices();
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.callback_url.as_deref().is_some_and(|u| u.contains("{EVENT}"))), "{pages:?}");
}

/// The same receiver (one route for GET and POST) reads, with the same
/// `parse_callback`, callbacks the sandbox POSTs with a JSON body.
#[tokio::test]
async fn the_callbacks_example_runs_end_to_end_when_callbacks_are_posted() {
    let mut config = SandboxConfig::default();
    config.milacoins.callback_method = CallbackMethod::Post;
    let sb = Sandbox::start(config).await.unwrap();
    let calls = tours::callbacks::tour(&sb).await.unwrap();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.method == CallbackMethod::Post && c.status == 200), "{calls:?}");
}

#[tokio::test]
async fn milta_flow_finishes_through_idempotent_retries_when_posts_lose_their_answer() {
    let sb = sandbox("milta:drop-every=2").await;
    tours::milta::tour(&sb.milta().client_builder().retry_policy(fast()).build().unwrap()).await.unwrap();
    assert!(sb.milta().fault_counts().dropped >= 2, "{:?}", sb.milta().fault_counts());
    assert_eq!(assert_no_duplicate_transfers(&sb), 152);
}

#[tokio::test]
async fn a_milacoins_invoice_whose_answer_is_lost_is_outcome_unknown_and_booked_once() {
    let sb = sandbox("milacoins:drop-first").await;
    let mila = sb.milacoins().client_builder().retry_policy(fast()).build().unwrap();
    let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(1050, 2), "EUR").external_id("ORDER-1");
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("expected outcome unknown, got {err}"));
    assert_eq!(unknown.sent.reference, Some(("externalID".into(), "ORDER-1".into())));
    assert_eq!(sb.milacoins().invoices_with_external_id("ORDER-1"), 1, "the server acted once and was not asked again");
}

#[tokio::test]
async fn waas_money_movements_whose_answer_is_lost_are_outcome_unknown_and_booked_once() {
    let sb = sandbox("none").await;
    let waas = sb.waas().client_builder().retry_policy(fast()).build().unwrap();
    let client = waas.clients().create(&waas_client_request("E2E")).await.unwrap();
    let account = |name: &str| {
        AccountRequest::new(
            client.client_code.clone(),
            AccountTypeCode::FloatAccount,
            AccountName::from(name),
            "KES",
            Decimal::ZERO,
            AccountStatus::Active,
        )
    };
    let main = waas.accounts().create(&account("main")).await.unwrap();
    let other = waas.accounts().create(&account("other")).await.unwrap();
    let service = waas
        .client_services()
        .create(&ClientServiceRequest::new(ClientServiceRequired {
            client_code: client.client_code.clone(),
            client_service_name: "svc".into(),
            service_code: ServiceCode::from("CUSTOM_SERVICE"),
            has_transaction_fee: false,
            minimum_transaction_amount: Decimal::ONE,
            maximum_transaction_amount: Decimal::new(10_000, 0),
            is_active: true,
        }))
        .await
        .unwrap();
    waas.transactions()
        .credit(&TransactionRequest::new(
            main.account_number.clone(),
            service.client_service_code.clone(),
            TransactionSource::External,
            Decimal::new(500, 0),
            SourceTransactionId::generate(),
            Utc::now(),
        ))
        .await
        .unwrap();

    sb.waas().set_faults(Faults { drop_after_post: Some(Trigger::Every(1)), ..Faults::default() });

    let credit_id = SourceTransactionId::generate();
    let credit = TransactionRequest::new(
        main.account_number.clone(),
        service.client_service_code.clone(),
        TransactionSource::External,
        Decimal::new(10, 0),
        credit_id.clone(),
        Utc::now(),
    );
    let err = waas.transactions().credit(&credit).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("expected outcome unknown, got {err}"));
    assert_eq!(unknown.sent.reference, Some(("source_transaction_id".into(), credit_id.as_str().to_string())));
    assert_eq!(sb.waas().transactions_with_source_id(credit_id.as_str()), 1);

    let transfer_id = SourceTransactionId::generate();
    let transfer = AccountTransferRequest::new(AccountTransferRequired {
        source_account_number: main.account_number.clone(),
        destination_account_number: other.account_number.clone(),
        client_service_code: service.client_service_code.clone(),
        transaction_amount: Decimal::new(25, 0),
        source_transaction_id: transfer_id.clone(),
        transaction_source: TransactionSource::Internal,
        transaction_date: Utc::now(),
    });
    let err = waas.account_transfers().create(&transfer).await.unwrap_err();
    assert_eq!(
        err.as_outcome_unknown().and_then(|u| u.sent.reference.clone()),
        Some(("source_transaction_id".into(), transfer_id.as_str().to_string()))
    );
    assert_eq!(sb.waas().transactions_with_source_id(transfer_id.as_str()), 1);
    // Credit 500, credit 10, transfer out 25: each booked exactly once.
    assert_eq!(sb.waas().balance(main.account_number.as_str()), Some(Decimal::new(485, 0)));
}
