//! The in-memory store against the journal's contract (the integration
//! tests run the same contract against SQLite and PostgreSQL).

use std::time::Duration;

use bytes::Bytes;

use super::*;
use crate::error::JournalErrorKind;

fn intent(reference: &str) -> NewIntent {
    NewIntent {
        provider: "milta".into(),
        operation: "transfers.create".into(),
        reference: reference.into(),
        idempotency_key: Some(format!("key-{reference}")),
        method: "POST".into(),
        path: "/transfers".into(),
        body: Bytes::from_static(b"{\"amount\":\"10.00\"}"),
    }
}

const LONG: Duration = Duration::from_secs(60);

fn kind(e: crate::Error) -> JournalErrorKind {
    match e {
        crate::Error::Journal(e) => e.kind,
        other => panic!("not a journal error: {other}"),
    }
}

#[tokio::test]
async fn one_intent_through_its_life() {
    let j = Journal::in_memory();
    let Claim::Fresh(fresh) = j.claim(intent("T-1"), "a", LONG).await.unwrap() else { panic!("not fresh") };
    assert_eq!((fresh.attempts, fresh.first_sent_at, &fresh.state), (0, None, &IntentState::Pending));
    assert_eq!(fresh.lease.as_ref().map(|l| l.owner.as_str()), Some("a"));
    let Claim::Existing(existing) = j.claim(intent("T-1"), "b", LONG).await.unwrap() else { panic!("not existing") };
    assert_eq!(existing, fresh, "a second claim changes nothing");

    assert_eq!(kind(j.record_attempt(fresh.id, "b").await.unwrap_err()), JournalErrorKind::LeaseLost);
    j.record_attempt(fresh.id, "a").await.unwrap();
    j.record_attempt(fresh.id, "a").await.unwrap();
    let sent = j.get("milta", "T-1").await.unwrap().unwrap();
    assert_eq!(sent.attempts, 2);
    assert!(sent.first_sent_at.is_some());

    let created = IntentState::Created { status: 201, answer: Bytes::from_static(b"{}") };
    j.finish(fresh.id, "a", created.clone()).await.unwrap();
    let again = j.finish(fresh.id, "a", IntentState::Unknown { error: "late".into() }).await.unwrap_err();
    assert_eq!(kind(again), JournalErrorKind::AlreadyFinal);
    let done = j.get("milta", "T-1").await.unwrap().unwrap();
    assert_eq!((done.state, done.lease), (created, None));
    assert!(j.unfinished(None, 10).await.unwrap().is_empty());
    assert_eq!(kind(j.record_attempt(IntentId(99), "a").await.unwrap_err()), JournalErrorKind::NotFound);
}

#[tokio::test]
async fn take_over_waits_for_a_lease_to_run_out() {
    let j = Journal::in_memory();
    let live = j.claim(intent("live"), "a", LONG).await.unwrap().record().id;
    let gone = j.claim(intent("gone"), "a", Duration::ZERO).await.unwrap().record().id;
    assert!(j.take_over(live, "b", LONG).await.unwrap().is_none());
    let taken = j.take_over(gone, "b", LONG).await.unwrap().unwrap();
    assert_eq!(taken.lease.unwrap().owner, "b");
    assert_eq!(kind(j.record_attempt(gone, "a").await.unwrap_err()), JournalErrorKind::LeaseLost);
    assert_eq!(kind(j.finish(gone, "a", IntentState::Pending).await.unwrap_err()), JournalErrorKind::LeaseLost);
    let ids: Vec<_> = j.unfinished(None, 10).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, [live, gone]);
    assert_eq!(j.unfinished(Some(live), 10).await.unwrap()[0].id, gone);
    assert!(j.first_notification("milta", "evt-1").await.unwrap());
    assert!(!j.first_notification("milta", "evt-1").await.unwrap());
    assert!(j.first_notification("milacoins", "evt-1").await.unwrap());
}

#[test]
fn the_journal_and_its_futures_are_send_and_sync() {
    fn send<T: Send>(_: &T) {}
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<Journal>();
    let j = Journal::in_memory();
    send(&j.claim(intent("S"), "a", LONG));
    send(&j.record_attempt(IntentId(1), "a"));
    send(&j.finish(IntentId(1), "a", IntentState::Pending));
    send(&j.unfinished(None, 1));
    send(&j.take_over(IntentId(1), "a", LONG));
    send(&j.get("milta", "S"));
    send(&j.first_notification("milta", "S"));
}
