//! Clients with a journal, against the sandbox, on a real SQLite file: a
//! reference is sent once, a lost answer is settled by `recover()` with each
//! provider's recipe, and a journaled reference never goes out twice.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chrono::Utc;
use walletkit::error::JournalErrorKind;
use walletkit::journal::{IntentState, Recovered};
use walletkit::milacoins::{InvoiceRequest, WalletName};
use walletkit::milta::{ExternalId, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{Faults, Sandbox, SandboxClient as _, SandboxConfig, Trigger};
use walletkit::waas::{SourceTransactionId, TransactionRequest, TransactionSource};
use walletkit::{AttemptHook, AttemptInfo, Decimal, ErrorKind, RetryPolicy};

use super::backend::Backend;

/// Counts the attempts a client starts: what actually went out.
#[derive(Default, Clone)]
struct Attempts(Arc<AtomicU32>);

impl AttemptHook for Attempts {
    fn on_start(&self, _: &AttemptInfo<'_>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Attempts {
    fn count(&self) -> u32 {
        self.0.load(Ordering::SeqCst)
    }
}

fn payment(reference: &str) -> TransferRequest {
    TransferRequest::new(
        ExternalId::from(reference),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1250, 2),
        "GBP",
    )
}

async fn sandbox(milta: Faults, milacoins: Faults, waas: Faults) -> Sandbox {
    let mut config = SandboxConfig::default();
    (config.milta.faults, config.milacoins.faults, config.waas.faults) = (milta, milacoins, waas);
    Sandbox::start(config).await.unwrap()
}

fn drop_first() -> Faults {
    Faults { drop_after_post: Some(Trigger::First), ..Faults::default() }
}

#[tokio::test]
async fn a_journaled_transfer_is_sent_once_and_its_stored_answer_answers_again() {
    let store = Backend::sqlite();
    let sb = sandbox(Faults::default(), Faults::default(), Faults::default()).await;
    let attempts = Attempts::default();
    let milta = sb.milta().client_builder().journal(store.open().await).attempt_hook(attempts.clone()).build().unwrap();

    let made = milta.transfers().create(&payment("J-1")).await.unwrap();
    // Another process (a new journal on the same file, a new client) sends the same payment.
    let again = sb.milta().client_builder().journal(store.open().await).attempt_hook(attempts.clone()).build().unwrap();
    let answered = again.transfers().create(&payment("J-1")).await.unwrap();

    assert_eq!(answered.transfer_id, made.transfer_id);
    assert_eq!(attempts.count(), 1, "the second call was answered from the journal, nothing was sent");
    assert_eq!(sb.milta().transfers_with_external_id("J-1"), 1);
    let record = store.open().await.get("milta", "J-1").await.unwrap().unwrap();
    assert!(matches!(record.state, IntentState::Created { status: 201, .. }), "{record:?}");
    assert_eq!(record.attempts, 1);

    // The same reference for another payment sends nothing either.
    let mut other = payment("J-1");
    other = other.scheduled_at(Utc::now() + chrono::Duration::days(1));
    let err = milta.transfers().create(&other).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Journal, "{err:?}");
    assert_eq!(attempts.count(), 1);
}

#[tokio::test]
async fn a_lost_milta_answer_is_settled_by_recover_under_the_same_key() {
    let store = Backend::sqlite();
    let sb = sandbox(drop_first(), Faults::default(), Faults::default()).await;
    let attempts = Attempts::default();
    let milta = sb
        .milta()
        .client_builder()
        .journal(store.open().await)
        .retry_policy(RetryPolicy::none())
        .attempt_hook(attempts.clone())
        .build()
        .unwrap();

    let err = milta.transfers().create(&payment("J-2")).await.unwrap_err();
    assert!(err.as_outcome_unknown().is_some(), "{err:?}");
    let record = store.open().await.get("milta", "J-2").await.unwrap().unwrap();
    assert!(matches!(record.state, IntentState::Unknown { .. }), "{record:?}");
    // Sent again before recovery: refused by the journal, nothing goes out.
    let err = milta.transfers().create(&payment("J-2")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Journal, "{err:?}");
    assert_eq!(attempts.count(), 1);

    let verdicts = milta.recover().await.unwrap();
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert_eq!((verdicts[0].reference.as_str(), &verdicts[0].outcome), ("J-2", &Recovered::Created));
    assert_eq!(sb.milta().transfers_with_external_id("J-2"), 1, "sent again under its key, made once");
    // Now the payment answers from the journal, with the transfer Milta made.
    let made = milta.transfers().create(&payment("J-2")).await.unwrap();
    let only = sb.milta().transfers().into_iter().find(|t| t.external_id == "J-2").unwrap();
    assert_eq!(made.transfer_id.as_str(), only.transfer_id);
    assert_eq!(attempts.count(), 2, "one send, one recovery resend");
    assert!(milta.recover().await.unwrap().is_empty(), "nothing left to recover");
}

#[tokio::test]
async fn a_lost_invoice_is_found_by_its_external_id() {
    let store = Backend::sqlite();
    let sb = sandbox(Faults::default(), drop_first(), Faults::default()).await;
    let mila = sb.milacoins().client_builder().journal(store.open().await).build().unwrap();
    let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(1050, 2), "EUR").external_id("J-3");
    assert!(mila.invoices().create(&invoice).await.unwrap_err().as_outcome_unknown().is_some());
    let verdicts = mila.recover().await.unwrap();
    assert_eq!(verdicts.iter().map(|v| &v.outcome).collect::<Vec<_>>(), [&Recovered::Found]);
    assert_eq!(sb.milacoins().invoices_with_external_id("J-3"), 1, "found, not created again");
    // Asked again, it is made and nothing is sent; recovery stored no answer to return.
    let err = mila.invoices().create(&invoice).await.unwrap_err();
    assert!(matches!(&err, walletkit::Error::Journal(j) if j.kind == JournalErrorKind::Finished), "{err:?}");
    assert!(err.to_string().contains("was made"), "{err}");
    assert_eq!(sb.milacoins().invoices_with_external_id("J-3"), 1);
}

/// WaaS documents no read: a credit whose answer was lost ends with a person.
#[cfg(feature = "test-util")]
#[tokio::test]
async fn a_lost_waas_credit_needs_a_person_and_is_never_sent_again() {
    use walletkit::test_util::{fixtures, Lose, LostAnswer};
    use walletkit::waas::{AccountNumber, ClientServiceCode, WaasClient};
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer};

    let mock = MockServer::start().await;
    Mock::given(path("/api/v1/auth/login")).respond_with(fixtures::waas::login("w")).mount(&mock).await;
    Mock::given(path("/api/v1/transactions")).respond_with(fixtures::waas::transaction()).mount(&mock).await;
    let lost = LostAnswer::start(&mock, Lose::posts().path("/api/v1/transactions")).await.unwrap();
    let store = Backend::sqlite();
    let waas = WaasClient::builder()
        .base_url(lost.uri())
        .credentials("ops", "pw-J")
        .journal(store.open().await)
        .build()
        .unwrap();
    let credit = TransactionRequest::new(
        AccountNumber::from("10000099"),
        ClientServiceCode::from("FLOIQ2XAFJ"),
        TransactionSource::External,
        Decimal::TEN,
        SourceTransactionId::from("J-4"),
        Utc::now(),
    );
    assert!(waas.transactions().credit(&credit).await.unwrap_err().as_outcome_unknown().is_some());

    let verdicts = waas.recover().await.unwrap();
    let [verdict] = verdicts.as_slice() else { panic!("{verdicts:?}") };
    let Recovered::NeedsReview(evidence) = &verdict.outcome else { panic!("{verdict:?}") };
    assert!(evidence.contains("J-4") && evidence.contains("offers no read"), "{evidence}");
    assert!(!evidence.contains("pw-J"), "{evidence}");
    let err = waas.transactions().credit(&credit).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Journal, "{err:?}");
    let credits =
        mock.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == "/api/v1/transactions");
    assert_eq!(credits.count(), 1, "sent once, never again");
}

#[tokio::test]
async fn replicas_sending_the_same_reference_at_once_send_it_once() {
    let store = Backend::sqlite();
    let sb = sandbox(Faults::default(), Faults::default(), Faults::default()).await;
    let attempts = Attempts::default();
    let mut replicas = Vec::new();
    for _ in 0..8 {
        let journal = store.open().await;
        let milta = sb.milta().client_builder().journal(journal).attempt_hook(attempts.clone()).build().unwrap();
        replicas.push(tokio::spawn(async move { milta.transfers().create(&payment("J-5")).await }));
    }
    let mut answered = 0;
    for replica in replicas {
        match replica.await.unwrap() {
            Ok(_) => answered += 1,
            Err(e) => assert_eq!(e.kind(), ErrorKind::Journal, "{e:?}"),
        }
    }
    assert!(answered >= 1);
    assert_eq!(attempts.count(), 1, "one replica sent it; the others were answered or refused by the journal");
    assert_eq!(sb.milta().transfers_with_external_id("J-5"), 1);
}

#[tokio::test]
async fn a_journaled_batch_whose_answer_was_lost_is_settled_by_recover_and_then_answered_from_the_journal() {
    let store = Backend::sqlite();
    let sb = sandbox(drop_first(), Faults::default(), Faults::default()).await;
    let attempts = Attempts::default();
    let milta = sb
        .milta()
        .client_builder()
        .journal(store.open().await)
        .retry_policy(RetryPolicy::none())
        .attempt_hook(attempts.clone())
        .build()
        .unwrap();
    let batch: Vec<TransferRequest> = (0..3).map(|i| payment(&format!("JB-{i}"))).collect();
    assert!(milta.transfers().batch(&batch).await.unwrap_err().as_outcome_unknown().is_some());
    let verdicts = milta.recover().await.unwrap();
    assert_eq!(verdicts.iter().map(|v| &v.outcome).collect::<Vec<_>>(), [&Recovered::Created], "{verdicts:?}");
    let answered = milta.transfers().batch(&batch).await.unwrap();
    assert_eq!(answered.transfers.len(), 3);
    assert_eq!(attempts.count(), 2, "the batch, its resend under the same key, then the journal's answer");
    for i in 0..3 {
        assert_eq!(sb.milta().transfers_with_external_id(&format!("JB-{i}")), 1);
    }
}
