//! Notifications acted on once, on a real SQLite file against the sandbox:
//! a re-delivered MilaCoins callback or Milta webhook, or the same one at
//! two replicas sharing the journal, is `First` exactly once.

use walletkit::journal::Once;
use walletkit::milacoins::{parse_callback, Callback, InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{ExternalId, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{InvoiceEnd, Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::{Decimal, ErrorKind};

use super::backend::Backend;

/// A MilaCoins callback as the sandbox sends it (a `GET` with the ids in the query).
fn callback(event: &str, invoice: &str, external: &str) -> Callback {
    let uri = format!("/hooks/milacoins?event={event}&invoice={invoice}&external={external}");
    parse_callback(&http::Request::get(uri).body(Vec::<u8>::new()).unwrap()).unwrap()
}

/// A paid invoice with external id `external`: its id.
async fn paid_invoice(sb: &Sandbox, external: &str) -> String {
    let invoice = InvoiceRequest::new(WalletName::from("EUR"), Decimal::new(1050, 2), "EUR").external_id(external);
    let made = sb.milacoins().client().unwrap().invoices().create(&invoice).await.unwrap();
    let id = made.id.as_str().to_string();
    sb.milacoins().end_invoice(&id, InvoiceEnd::Complete).await.unwrap();
    id
}

fn mila(sb: &Sandbox, journal: walletkit::journal::Journal) -> MilaCoinsClient {
    sb.milacoins().client_builder().journal(journal).build().unwrap()
}

#[tokio::test]
async fn a_redelivered_callback_is_first_once_and_another_event_is_first_again() {
    let store = Backend::sqlite();
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let id = paid_invoice(&sb, "ORDER-1").await;
    let mila = mila(&sb, store.open().await);
    let complete = callback("complete", &id, "ORDER-1");

    let first = mila.confirm_once(&complete).await.unwrap().unwrap();
    assert!(matches!(&first, Once::First(tx) if tx.id.as_str() == id), "{first:?}");
    // Delivered again, to this process and to a restarted one.
    let again = mila.confirm_once(&complete).await.unwrap().unwrap();
    assert!(matches!(&again, Once::Repeat(tx) if tx.id.as_str() == id), "{again:?}");
    let restarted = self::mila(&sb, store.open().await);
    assert!(!restarted.confirm_once(&complete).await.unwrap().unwrap().is_first());

    // Another event of the same invoice is another notification.
    sb.milacoins().end_invoice(&id, InvoiceEnd::Cancel).await.unwrap();
    let cancel = callback("cancel", &id, "ORDER-1");
    assert!(mila.confirm_once(&cancel).await.unwrap().unwrap().is_first());
    assert!(!mila.confirm_once(&cancel).await.unwrap().unwrap().is_first());
    // The old `complete`, now contradicted by the API, is refused and records nothing.
    let err = mila.confirm_once(&complete).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CallbackMismatch, "{err:?}");
}

#[tokio::test]
async fn a_refused_or_unknown_callback_records_nothing() {
    let store = Backend::sqlite();
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let id = paid_invoice(&sb, "ORDER-2").await;
    let mila = mila(&sb, store.open().await);
    // A forged `cancel` of a paid invoice is refused, and its key stays free.
    sb.milacoins().end_invoice(&id, InvoiceEnd::Complete).await.unwrap();
    assert!(mila.confirm_once(&callback("cancel", &id, "ORDER-2")).await.is_err());
    assert!(mila.confirm_once(&callback("complete", "NO-SUCH", "NO-SUCH")).await.unwrap().is_none());
    assert!(mila.confirm_once(&callback("complete", &id, "ORDER-2")).await.unwrap().unwrap().is_first());
}

#[tokio::test]
async fn replicas_racing_the_same_callback_get_exactly_one_first() {
    let store = Backend::sqlite();
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let id = paid_invoice(&sb, "ORDER-3").await;
    let complete = callback("complete", &id, "ORDER-3");
    let (a, b) = (mila(&sb, store.open().await), mila(&sb, store.open().await));
    let mut racers = Vec::new();
    for i in 0..8 {
        let replica = if i % 2 == 0 { a.clone() } else { b.clone() };
        let complete = complete.clone();
        racers.push(tokio::spawn(async move { replica.confirm_once(&complete).await }));
    }
    let mut firsts = 0;
    for racer in racers {
        if racer.await.unwrap().unwrap().unwrap().is_first() {
            firsts += 1;
        }
    }
    assert_eq!(firsts, 1, "one of eight deliveries over two replicas acts");
}

#[tokio::test]
async fn a_redelivered_milta_webhook_is_first_once_also_at_another_replica() {
    let store = Backend::sqlite();
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let payment = TransferRequest::new(
        ExternalId::from("PAYOUT-1"),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1250, 2),
        "GBP",
    );
    let made = sb.milta().client().unwrap().transfers().create(&payment).await.unwrap();
    let body = format!(r#"{{"transferId":"{}"}}"#, made.transfer_id.as_str());
    let webhook = || http::Request::post("/hooks/milta").body(body.clone()).unwrap();
    let a = sb.milta().client_builder().journal(store.open().await).build().unwrap();
    let b = sb.milta().client_builder().journal(store.open().await).build().unwrap();

    let (ta, tb) = (a.transfers(), b.transfers());
    let (wa, wb) = (webhook(), webhook());
    let (one, two) = tokio::join!(ta.confirm_webhook_once(&wa), tb.confirm_webhook_once(&wb));
    let (one, two) = (one.unwrap().unwrap(), two.unwrap().unwrap());
    assert_eq!(one.clone().into_inner().transfer_id, made.transfer_id);
    // Both read the same (final) status, so the same notification: one acts.
    assert_eq!(one.clone().into_inner().status, two.clone().into_inner().status);
    assert_eq!([one.is_first(), two.is_first()].iter().filter(|f| **f).count(), 1, "{one:?} {two:?}");
    assert!(!a.transfers().confirm_webhook_once(&webhook()).await.unwrap().unwrap().is_first());
    // A body naming no transfer records nothing.
    let ping = http::Request::post("/hooks/milta").body(r#"{"event":"ping"}"#).unwrap();
    assert!(a.transfers().confirm_webhook_once(&ping).await.unwrap().is_none());
}

#[tokio::test]
async fn without_a_journal_confirm_once_is_a_config_error_and_sends_nothing() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mila = sb.milacoins().client().unwrap();
    let err = mila.confirm_once(&callback("complete", "INV-1", "ORDER-4")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err:?}");
    let milta = sb.milta().client().unwrap();
    let err = milta.transfers().confirm_webhook_once(&http::Request::new(r#"{"transferId":"T-1"}"#)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err:?}");
    assert_eq!(sb.milacoins().log_count(), 0, "nothing was read");
}
