//! The README's recipes ("After a lost answer", and following a transfer or
//! an invoice to its end) against the sandbox, each told through a scenario
//! or the sandbox clock: a Milta transfer forced PENDING then FAILED, one
//! executed when the clock crosses `scheduledAt`, idempotency keys and the
//! cancellation window outlived, MilaCoins invoices paid short, over, late
//! or never, a WaaS token outlived and a WaaS balance that does not suffice.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use futures_util::StreamExt;
use walletkit::milacoins::{
    parse_callback, Callback, CallbackUrl, CancelUrl, CompletedUrl, InvoiceRequest, PaymentPageRequest,
    TransactionStatus, WalletName,
};
use walletkit::milta::{ExternalId, PhoneNumber, ProductId, Transfer, TransferId, TransferRequest, TransferStatus};
use walletkit::sandbox::{
    Faults, InvoiceEnd, Sandbox, SandboxClient as _, SandboxConfig, TransferMatch, TransferOutcome, Trigger, WaasMatch,
};
use walletkit::waas::{
    AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::{Decimal, ErrorKind};

use crate::support::{self, fast};

const DAY: Duration = Duration::from_secs(24 * 3600);

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// The watch's next change, within 5 s: a status that never changes fails
/// the test instead of hanging it.
async fn next_change(watch: &mut walletkit::ItemStream<Transfer>) -> Option<Transfer> {
    let next = tokio::time::timeout(Duration::from_secs(5), watch.next()).await;
    next.expect("a change within 5 s").map(|t| t.unwrap())
}

fn transfer(external_id: &str) -> TransferRequest {
    TransferRequest::new(
        ExternalId::from(external_id),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1000, 2),
        "GBP",
    )
}

/// Milta recipe, within 24 hours: the answer is lost, `resend` under the
/// same key 23 hours later (on the sandbox clock) is answered with the
/// transfer first made.
#[tokio::test]
async fn milta_lost_answer_resent_within_24_hours_is_the_first_transfer() {
    let sb = sandbox().await;
    sb.milta().set_faults(Faults { drop_after_post: Some(Trigger::First), ..Faults::default() });
    let milta = sb.milta().client_builder().retry_policy(fast().max_retries(0)).build().unwrap();
    let request = transfer("LOST-1");
    let err = milta.transfers().create(&request).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("expected outcome unknown, got {err}"));
    sb.advance(DAY - Duration::from_secs(3600));
    let made = milta.transfers().resend(&request, unknown).await.unwrap();
    let booked = sb.milta().transfers();
    assert_eq!(booked.len(), 1);
    assert_eq!(made.transfer_id.as_str(), booked[0].transfer_id, "the replay names the transfer first made");
}

/// Milta recipe, after 24 hours: Milta no longer knows the key, so the same
/// request is not deduplicated by it: its `externalId` is taken
/// (`ErrorKind::Duplicate`), nothing is booked twice, and the recipe reads
/// the transfer by id.
#[tokio::test]
async fn milta_lost_answer_after_24_hours_is_a_duplicate_and_read_by_id() {
    let sb = sandbox().await;
    sb.milta().set_faults(Faults { drop_after_post: Some(Trigger::First), ..Faults::default() });
    let milta = sb.milta().client_builder().retry_policy(fast().max_retries(0)).build().unwrap();
    let request = transfer("LOST-2");
    let err = milta.transfers().create(&request).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("expected outcome unknown, got {err}")).clone();
    sb.advance(DAY + Duration::from_secs(1));
    let err = milta.transfers().resend(&request, &unknown).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Duplicate, "{err}");
    let err = milta.transfers().create(&request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Duplicate, "create again: the key is forgotten, the externalId is not");
    assert_eq!(sb.milta().transfers_with_external_id("LOST-2"), 1, "booked once");
    // The recipe's way out: read it by id (from a webhook, a statement…).
    let id = TransferId::from(sb.milta().transfers()[0].transfer_id.as_str());
    assert_eq!(milta.transfers().get(&id).await.unwrap().status, TransferStatus::Completed);
}

/// Tracking: a transfer held PENDING, then failed, is followed by `watch`
/// through both statuses and by `wait_for_final` to FAILED.
#[tokio::test]
async fn a_transfer_held_pending_then_failed_is_tracked_to_failed() {
    let sb = sandbox().await;
    let milta = sb.milta().client().unwrap();
    sb.milta().scenario(TransferMatch::ExternalId("TRACK-1".into()), TransferOutcome::StayPending);
    let created = milta.transfers().create(&transfer("TRACK-1")).await.unwrap();
    let transfers = milta.transfers();
    let mut watch = transfers.watch([created.transfer_id.clone()], Duration::from_millis(20));
    let first = next_change(&mut watch).await.unwrap();
    assert_eq!(first.status, TransferStatus::Pending);
    let still = milta.transfers().wait_for_final(&created.transfer_id, Duration::from_millis(600)).await.unwrap();
    assert_eq!(still.status, TransferStatus::Pending, "held: the wait times out on a pending transfer");
    sb.milta().scenario(TransferMatch::TransferId(created.transfer_id.as_str().into()), TransferOutcome::Fail);
    let second = next_change(&mut watch).await.unwrap();
    assert_eq!(second.status, TransferStatus::Failed);
    assert!(next_change(&mut watch).await.is_none(), "the watch ends once every transfer is final");
    let done = milta.transfers().wait_for_final(&created.transfer_id, Duration::from_secs(5)).await.unwrap();
    assert_eq!(done.status, TransferStatus::Failed);
}

/// Tracking a deferred transfer: SCHEDULED until the clock crosses
/// `scheduledAt`, then executed.
#[tokio::test]
async fn a_scheduled_transfer_executes_when_the_clock_crosses_scheduled_at() {
    let sb = sandbox().await;
    let milta = sb.milta().client().unwrap();
    let at = sb.now() + TimeDelta::hours(6);
    let created = milta.transfers().create(&transfer("LATER-1").scheduled_at(at)).await.unwrap();
    assert_eq!(created.status, TransferStatus::Scheduled);
    let transfers = milta.transfers();
    let mut watch = transfers.watch([created.transfer_id.clone()], Duration::from_millis(20));
    assert_eq!(next_change(&mut watch).await.unwrap().status, TransferStatus::Scheduled);
    sb.advance(Duration::from_secs(6 * 3600 + 1));
    let executed = next_change(&mut watch).await.unwrap();
    assert_eq!(executed.status, TransferStatus::Completed);
}

/// The 5-minute cancellation window crossed on the sandbox clock: the
/// client's own check (on its clock) lets the call go, and Milta refuses it.
#[tokio::test]
async fn cancelling_after_the_clock_closed_the_window_is_refused_by_milta() {
    let sb = sandbox().await;
    let milta = sb.milta().client().unwrap();
    let at = sb.now() + TimeDelta::minutes(30);
    let created = milta.transfers().create(&transfer("CANCEL-1").scheduled_at(at)).await.unwrap();
    sb.advance(Duration::from_secs(26 * 60));
    let err = milta.transfers().cancel(&created).await.unwrap_err();
    assert_eq!(err.as_api().and_then(|a| a.code.as_deref()), Some("CANCELLATION_NOT_ALLOWED"), "{err}");
    assert_eq!(sb.milta().transfer(created.transfer_id.as_str()).unwrap().status, "SCHEDULED");

    let in_time = milta.transfers().create(&transfer("CANCEL-2").scheduled_at(sb.now() + TimeDelta::minutes(30))).await;
    let in_time = in_time.unwrap();
    sb.advance(Duration::from_secs(20 * 60));
    let cancelled = milta.transfers().cancel(&in_time).await.unwrap();
    assert_eq!(cancelled.map(|t| t.status), Some(TransferStatus::Cancelled));
}

/// MilaCoins recipe: the invoice's answer is lost, `find_by_external_id`
/// finds it instead of creating it again, and reads the status a scenario
/// gave it (paid short, which calls no callback).
#[tokio::test]
async fn milacoins_lost_invoice_is_found_by_external_id_with_its_underpaid_status() {
    let sb = sandbox().await;
    sb.milacoins().set_faults(Faults { drop_after_post: Some(Trigger::First), ..Faults::default() });
    let mila = sb.milacoins().client_builder().retry_policy(fast()).build().unwrap();
    let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(2000, 2), "EUR").external_id("SHORT-1");
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    assert!(err.as_outcome_unknown().is_some(), "{err:?}");
    let found = mila.transactions().find_by_external_id("SHORT-1").await.unwrap().expect("found, not created again");
    assert_eq!(found.status, TransactionStatus::New);
    let call = sb.milacoins().end_invoice_by_external_id("SHORT-1", InvoiceEnd::UnderPaid).await.unwrap();
    assert_eq!(call, None, "the document names no event for a short payment");
    let found = mila.transactions().find_by_external_id("SHORT-1").await.unwrap().unwrap();
    assert_eq!(found.status, TransactionStatus::UnderPaid);
    assert_eq!(found.wallet_credited, Some(Decimal::new(18, 0)));
    assert_eq!(sb.milacoins().invoices_with_external_id("SHORT-1"), 1);
}

/// MilaCoins callbacks for each end: `overPaid` confirms a `complete`,
/// an expired invoice (`invalid`) a `cancel`, and a `complete` claimed for
/// an invoice paid late is refused by `confirm`.
#[tokio::test]
async fn milacoins_callbacks_are_confirmed_with_the_status_each_end_leaves() {
    let sb = sandbox().await;
    let mila = sb.milacoins().client().unwrap();
    let (tx, mut received) = tokio::sync::mpsc::unbounded_channel::<Callback>();
    let receive = move |req: axum::extract::Request| {
        let tx = tx.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 16).await.unwrap();
            tx.send(parse_callback(&http::Request::from_parts(parts, body)).unwrap()).unwrap();
            "ok"
        }
    };
    let app = axum::Router::new().route("/hook", axum::routing::get(receive.clone()).post(receive));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let page = |external: &str| {
        PaymentPageRequest::new(
            WalletName::from("EUR"),
            Decimal::new(20, 0),
            "EUR",
            CancelUrl::from("https://shop.example/cancel"),
            CompletedUrl::from("https://shop.example/done"),
        )
        .external_id(external)
        .callback_url(CallbackUrl::for_endpoint(&endpoint).unwrap())
    };
    for (external, end, status) in [
        ("OVER-1", InvoiceEnd::OverPaid, TransactionStatus::OverPaid),
        ("GONE-1", InvoiceEnd::Expired, TransactionStatus::Invalid),
    ] {
        let invoice = mila.invoices().create_payment_page(&page(external)).await.unwrap();
        let call = sb.milacoins().end_invoice(invoice.id.as_str(), end).await.unwrap().expect("a callback");
        assert_eq!(call.status, 200);
        let callback = received.recv().await.unwrap();
        let confirmed = mila.confirm(&callback).await.unwrap().expect("known invoice");
        assert_eq!((confirmed.external_id.as_deref(), confirmed.status), (Some(external), status));
    }

    // Paid late: no callback; a `complete` claiming otherwise is refused.
    let late = mila.invoices().create_payment_page(&page("LATE-1")).await.unwrap();
    assert_eq!(sb.milacoins().end_invoice(late.id.as_str(), InvoiceEnd::PaidLate).await.unwrap(), None);
    assert!(received.try_recv().is_err());
    let forged = http::Request::get(format!("/hook?event=complete&invoice={}&external=LATE-1", late.id.as_str()))
        .body(Vec::new())
        .unwrap();
    let forged = parse_callback(&forged).unwrap();
    let err = mila.confirm(&forged).await.unwrap_err();
    let mismatch = err.as_callback_mismatch().unwrap_or_else(|| panic!("expected a mismatch, got {err}"));
    assert_eq!(mismatch.fetched.as_deref(), Some("paidLate"), "{mismatch:?}");
}

/// A WaaS client, a client profile, an empty KES account and a service.
async fn waas_account(sb: &Sandbox) -> (WaasClient, AccountNumber, ClientServiceCode) {
    let waas = sb.waas().client_builder().retry_policy(fast()).build().unwrap();
    let (account, service) = support::waas_account(&waas, "Scenarios").await;
    (waas, account, service)
}

fn movement(account: &AccountNumber, service: &ClientServiceCode, amount: i64) -> TransactionRequest {
    TransactionRequest::new(
        account.clone(),
        service.clone(),
        TransactionSource::External,
        Decimal::new(amount, 0),
        SourceTransactionId::generate(),
        Utc::now(),
    )
}

/// WaaS: a balance that does not suffice is a definite refusal,
/// `ErrorKind::InsufficientFunds`, never an unknown outcome, and nothing is
/// booked; a lost answer, by contrast, is `OutcomeUnknown` carrying the
/// reference a person checks the ledger by (the recipe).
#[tokio::test]
async fn waas_insufficient_balance_is_a_refusal_and_a_lost_answer_awaits_a_person() {
    let sb = sandbox().await;
    let (waas, account, service) = waas_account(&sb).await;
    waas.transactions().credit(&movement(&account, &service, 500)).await.unwrap();
    let debit = movement(&account, &service, 100);
    sb.waas()
        .refuse_insufficient_balance(WaasMatch::SourceTransactionId(debit.source_transaction_id().as_str().into()));
    let err = waas.transactions().debit(&debit).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InsufficientFunds, "{err}");
    assert!(err.as_outcome_unknown().is_none());
    assert_eq!(sb.waas().transactions_with_source_id(debit.source_transaction_id().as_str()), 0);

    sb.waas().set_faults(Faults { drop_after_post: Some(Trigger::First), ..Faults::default() });
    let lost = movement(&account, &service, 100);
    let err = waas.transactions().debit(&lost).await.unwrap_err();
    let unknown = err.as_outcome_unknown().unwrap_or_else(|| panic!("expected outcome unknown, got {err}"));
    let reference = unknown.sent.reference.clone().map(|(_, v)| v);
    assert_eq!(reference.as_deref(), Some(lost.source_transaction_id().as_str()));
    // What the person sees in the ledger: it was booked, once.
    assert_eq!(sb.waas().transactions_with_source_id(lost.source_transaction_id().as_str()), 1);
    assert_eq!(sb.waas().balance(account.as_str()), Some(Decimal::new(400, 0)));
}

/// A WaaS token outlived on the sandbox clock: the next call meets a 401,
/// and the client logs in again exactly once and goes on.
#[tokio::test]
async fn a_token_expiry_crossed_by_the_clock_makes_the_client_log_in_again_once() {
    let sb = sandbox().await;
    let (waas, account, service) = waas_account(&sb).await;
    assert_eq!(sb.waas().logins(), 1);
    sb.advance(Duration::from_secs(3600));
    waas.transactions().credit(&movement(&account, &service, 5)).await.unwrap();
    assert_eq!(sb.waas().logins(), 2, "one fresh login after the 401");
    waas.transactions().credit(&movement(&account, &service, 5)).await.unwrap();
    assert_eq!(sb.waas().logins(), 2, "the new token is used");
    assert_eq!(sb.waas().balance(account.as_str()), Some(Decimal::new(10, 0)));
}
