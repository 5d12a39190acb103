//! What every store promises, one function per promise.

use std::time::Duration;

use bytes::Bytes;
use walletkit::error::JournalErrorKind;
use walletkit::journal::{Claim, IntentRecord, IntentState, Journal, NewIntent};
use walletkit::{Error, ErrorKind};

use super::backend::Backend;

pub const LONG: Duration = Duration::from_secs(600);

/// An intent for `reference` at Milta.
pub fn intent(reference: &str) -> NewIntent {
    NewIntent {
        provider: "milta".into(),
        operation: "transfers.create".into(),
        reference: reference.into(),
        idempotency_key: Some(format!("idem-{reference}")),
        method: "POST".into(),
        path: "/transfers?dry=0".into(),
        body: Bytes::from(format!("{{\"externalId\":\"{reference}\",\"amount\":\"10.00\"}}")),
    }
}

pub async fn fresh(j: &Journal, new: NewIntent, owner: &str, lease: Duration) -> IntentRecord {
    match j.claim(new, owner, lease).await.unwrap() {
        Claim::Fresh(record) => record,
        Claim::Existing(record) => panic!("not fresh: {record:?}"),
    }
}

/// The journal error's kind; the error is also a walletkit `Error` of kind `Journal`.
pub fn kind(e: Error) -> JournalErrorKind {
    assert_eq!(e.kind(), ErrorKind::Journal, "{e}");
    assert!(e.to_string().starts_with("journal: ") && e.to_string().len() < 200, "{e}");
    match e {
        Error::Journal(e) => e.kind,
        other => panic!("not a journal error: {other}"),
    }
}

/// Waits until a lease of `Duration::ZERO` taken now has surely run out on
/// the database's clock (its milliseconds), so no test depends on luck.
async fn lease_runs_out() {
    tokio::time::sleep(Duration::from_millis(5)).await;
}

pub async fn claim_is_fresh_once_then_existing(b: &Backend) {
    let j = b.open().await;
    let new = intent("T-1");
    let first = fresh(&j, new.clone(), "replica-a", LONG).await;
    assert_eq!(
        (&first.provider, &first.operation, &first.reference, &first.idempotency_key),
        (&new.provider, &new.operation, &new.reference, &new.idempotency_key)
    );
    assert_eq!((&first.method, &first.path, &first.body), (&new.method, &new.path, &new.body));
    assert_eq!((first.attempts, first.first_sent_at, &first.state), (0, None, &IntentState::Pending));
    let lease = first.lease.clone().unwrap();
    assert_eq!(lease.owner, "replica-a");
    let lasts = lease.until - first.created_at;
    assert!(lasts > chrono::Duration::seconds(590) && lasts <= chrono::Duration::seconds(600), "{lasts}");

    let mut other = intent("T-1");
    other.body = Bytes::from_static(b"another body");
    other.idempotency_key = None;
    match j.claim(other, "replica-b", LONG).await.unwrap() {
        Claim::Existing(existing) => assert_eq!(existing, first, "the first intent, unchanged"),
        Claim::Fresh(f) => panic!("a second intent for one reference: {f:?}"),
    }
    assert_eq!(j.get("milta", "T-1").await.unwrap().unwrap(), first);
    assert_eq!(j.get("milta", "T-2").await.unwrap(), None);
}

pub async fn a_reference_is_unique_per_provider_only(b: &Backend) {
    let j = b.open().await;
    let milta = fresh(&j, intent("ORDER-9"), "a", LONG).await;
    let mut new = intent("ORDER-9");
    new.provider = "milacoins".into();
    new.operation = "invoices.create".into();
    let milacoins = fresh(&j, new, "a", LONG).await;
    assert_ne!(milta.id, milacoins.id);
    assert_eq!(j.get("milta", "ORDER-9").await.unwrap().unwrap().id, milta.id);
    assert_eq!(j.get("milacoins", "ORDER-9").await.unwrap().unwrap().operation, "invoices.create");
    assert!(matches!(j.claim(intent("ORDER-9"), "b", LONG).await.unwrap(), Claim::Existing(r) if r.id == milta.id));
}

pub async fn record_attempt_counts_and_needs_a_live_lease(b: &Backend) {
    let j = b.open().await;
    let id = fresh(&j, intent("A-1"), "a", LONG).await.id;
    assert_eq!(kind(j.record_attempt(id, "b").await.unwrap_err()), JournalErrorKind::LeaseLost);
    j.record_attempt(id, "a").await.unwrap();
    let once = j.get("milta", "A-1").await.unwrap().unwrap();
    assert_eq!(once.attempts, 1);
    let first_sent = once.first_sent_at.expect("stamped on the first attempt");
    assert!(first_sent >= once.created_at);
    j.record_attempt(id, "a").await.unwrap();
    let twice = j.get("milta", "A-1").await.unwrap().unwrap();
    assert_eq!((twice.attempts, twice.first_sent_at), (2, Some(first_sent)), "the first time stays");

    // A lease that ran out allows no attempt, taken over or not.
    let id = fresh(&j, intent("A-2"), "a", Duration::ZERO).await.id;
    lease_runs_out().await;
    let e = j.record_attempt(id, "a").await.unwrap_err();
    assert!(e.to_string().contains("its lease ran out"), "{e}");
    assert_eq!(kind(e), JournalErrorKind::LeaseLost);
    j.take_over(id, "b", LONG).await.unwrap().expect("free to take");
    let e = j.record_attempt(id, "a").await.unwrap_err();
    assert!(e.to_string().contains("another owner took it over"), "{e}");
    j.record_attempt(id, "b").await.unwrap();
    assert_eq!(j.get("milta", "A-2").await.unwrap().unwrap().attempts, 1);

    j.finish(id, "b", IntentState::Rejected { status: Some(422), error: "bad".into() }).await.unwrap();
    assert_eq!(kind(j.record_attempt(id, "b").await.unwrap_err()), JournalErrorKind::AlreadyFinal);
    assert!(j.unfinished(None, 1000).await.unwrap().iter().all(|r| r.id != id));
}

pub async fn finish_never_overwrites_a_final_outcome(b: &Backend) {
    let j = b.open().await;
    let finals = [
        IntentState::Created { status: 201, answer: Bytes::from_static(b"{\"transferId\":\"tr-1\"}") },
        IntentState::Rejected { status: Some(402), error: "insufficient funds".into() },
        IntentState::Rejected { status: None, error: "refused before sending".into() },
        IntentState::NeedsReview { evidence: "WaaS has no read; sent at 12:00 with body …".into() },
    ];
    for (n, state) in finals.into_iter().enumerate() {
        let reference = format!("F-{n}");
        let id = fresh(&j, intent(&reference), "a", LONG).await.id;
        assert_eq!(kind(j.finish(id, "b", state.clone()).await.unwrap_err()), JournalErrorKind::LeaseLost);
        j.finish(id, "a", state.clone()).await.unwrap();
        let done = j.get("milta", &reference).await.unwrap().unwrap();
        assert_eq!((&done.state, &done.lease), (&state, &None), "stored, lease released");
        for again in [IntentState::Unknown { error: "late".into() }, IntentState::Pending, state.clone()] {
            assert_eq!(kind(j.finish(id, "a", again).await.unwrap_err()), JournalErrorKind::AlreadyFinal);
        }
        assert!(j.take_over(id, "c", LONG).await.unwrap().is_none(), "a final intent is not taken over");
        assert_eq!(j.get("milta", &reference).await.unwrap().unwrap(), done, "unchanged");
    }
}

pub async fn unknown_goes_back_to_recovery(b: &Backend) {
    let j = b.open().await;
    let id = fresh(&j, intent("U-1"), "a", LONG).await.id;
    j.record_attempt(id, "a").await.unwrap();
    let unknown = IntentState::Unknown { error: "no answer after 30 s".into() };
    j.finish(id, "a", unknown.clone()).await.unwrap();
    let listed = j.unfinished(None, 100).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id, &listed[0].state, &listed[0].lease, listed[0].attempts), (id, &unknown, &None, 1));
    let e = j.record_attempt(id, "a").await.unwrap_err();
    assert!(e.to_string().contains("it was released"), "{e}");
    let taken = j.take_over(id, "recovery", LONG).await.unwrap().unwrap();
    assert_eq!(taken.state, unknown);
    j.record_attempt(id, "recovery").await.unwrap();
    let created = IntentState::Created { status: 200, answer: Bytes::from_static(b"{}") };
    j.finish(id, "recovery", created.clone()).await.unwrap();
    let done = j.get("milta", "U-1").await.unwrap().unwrap();
    assert_eq!((done.state, done.attempts), (created, 2));
    assert!(j.unfinished(None, 100).await.unwrap().is_empty());
}

pub async fn take_over_respects_live_leases_and_takes_expired_ones(b: &Backend) {
    let j = b.open().await;
    let live = fresh(&j, intent("L-live"), "a", LONG).await;
    let expired = fresh(&j, intent("L-expired"), "a", Duration::ZERO).await;
    lease_runs_out().await;
    assert_eq!(j.take_over(live.id, "b", LONG).await.unwrap(), None);
    let taken = j.take_over(expired.id, "b", Duration::from_secs(30)).await.unwrap().expect("expired: taken");
    let lease = taken.lease.clone().unwrap();
    assert_eq!(lease.owner, "b");
    assert!(lease.until > expired.lease.unwrap().until);
    assert_eq!((&taken.body, taken.attempts, &taken.state), (&expired.body, 0, &IntentState::Pending));
    assert_eq!(j.take_over(expired.id, "c", LONG).await.unwrap(), None, "b's lease is live now");
    assert_eq!(j.get("milta", "L-live").await.unwrap().unwrap().lease.unwrap().owner, "a", "unchanged");
    // Its own owner cannot take a live lease again either: only one drives it.
    assert_eq!(j.take_over(expired.id, "b", LONG).await.unwrap(), None);
}

pub async fn unfinished_lists_oldest_first_in_pages(b: &Backend) {
    let j = b.open().await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(fresh(&j, intent(&format!("P-{n}")), "a", LONG).await.id);
    }
    j.finish(ids[1], "a", IntentState::Created { status: 201, answer: Bytes::new() }).await.unwrap();
    j.finish(ids[4], "a", IntentState::NeedsReview { evidence: "x".into() }).await.unwrap();
    j.finish(ids[5], "a", IntentState::Unknown { error: "lost".into() }).await.unwrap();
    let want = [ids[0], ids[2], ids[3], ids[5], ids[6]];
    let all: Vec<_> = j.unfinished(None, 100).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(all, want, "pending and unknown, leased or not, oldest first");
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = j.unfinished(after, 2).await.unwrap();
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        paged.extend(page.iter().map(|r| r.id));
    }
    assert_eq!(paged, want);
    assert!(j.unfinished(None, 0).await.unwrap().is_empty());
}

pub async fn first_notification_is_true_once(b: &Backend) {
    let j = b.open().await;
    assert!(j.first_notification("milacoins", "inv-1:complete").await.unwrap());
    assert!(!j.first_notification("milacoins", "inv-1:complete").await.unwrap());
    assert!(j.first_notification("milacoins", "inv-1:expired").await.unwrap());
    assert!(j.first_notification("milta", "inv-1:complete").await.unwrap(), "keys are per provider");
    let again = b.open().await;
    assert!(!again.first_notification("milacoins", "inv-1:complete").await.unwrap());
}

pub async fn data_survives_reopening(b: &Backend) {
    let j = b.open().await;
    let id = fresh(&j, intent("R-1"), "a", LONG).await.id;
    j.record_attempt(id, "a").await.unwrap();
    j.finish(id, "a", IntentState::Created { status: 201, answer: Bytes::from_static(b"{\"ok\":true}") })
        .await
        .unwrap();
    let open = fresh(&j, intent("R-2"), "a", LONG).await;
    assert!(j.first_notification("milta", "evt-1").await.unwrap());
    let before = (j.get("milta", "R-1").await.unwrap(), j.get("milta", "R-2").await.unwrap());
    drop(j);

    let j = b.open().await;
    let after = (j.get("milta", "R-1").await.unwrap(), j.get("milta", "R-2").await.unwrap());
    assert_eq!(after, before);
    assert_eq!(j.unfinished(None, 10).await.unwrap(), std::slice::from_ref(&open));
    assert!(matches!(j.claim(intent("R-1"), "b", LONG).await.unwrap(), Claim::Existing(r) if r.id == id));
    assert!(!j.first_notification("milta", "evt-1").await.unwrap());
    j.record_attempt(open.id, "a").await.unwrap();
}

pub async fn bodies_and_answers_round_trip_byte_for_byte(b: &Backend) {
    let j = b.open().await;
    let mut body: Vec<u8> = (0..=255u8).collect();
    body.extend_from_slice(b"\0\xff\xfe not UTF-8 \xc3\x28 \r\n");
    body.extend((0..256 * 1024).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let mut new = intent("B-1");
    new.body = Bytes::from(body.clone());
    new.path = "/transfers?note=caf%C3%A9&x=%00".into();
    let record = fresh(&j, new, "a", LONG).await;
    assert_eq!(record.body, body);
    let answer = Bytes::from(body.iter().rev().copied().collect::<Vec<u8>>());
    j.finish(record.id, "a", IntentState::Created { status: 201, answer: answer.clone() }).await.unwrap();
    let read = b.open().await.get("milta", "B-1").await.unwrap().unwrap();
    assert_eq!(read.body, body);
    assert_eq!(read.path, "/transfers?note=caf%C3%A9&x=%00");
    assert_eq!(read.state, IntentState::Created { status: 201, answer });
    let empty = fresh(&j, NewIntent { body: Bytes::new(), ..intent("B-2") }, "a", LONG).await;
    assert_eq!(empty.body, Bytes::new());
}

pub async fn release_frees_the_reference_of_a_pending_intent_its_owner_holds(b: &Backend) {
    let j = b.open().await;
    let first = fresh(&j, intent("T-R"), "replica-a", LONG).await;
    assert_eq!(kind(j.release(first.id, "replica-b").await.unwrap_err()), JournalErrorKind::LeaseLost);
    j.release(first.id, "replica-a").await.unwrap();
    assert!(j.get("milta", "T-R").await.unwrap().is_none(), "released: gone");
    let again = fresh(&j, intent("T-R"), "replica-b", LONG).await;
    assert_ne!(again.id, first.id);
    // A final intent is never released.
    j.finish(again.id, "replica-b", IntentState::Rejected { status: Some(400), error: "no".into() }).await.unwrap();
    assert_eq!(kind(j.release(again.id, "replica-b").await.unwrap_err()), JournalErrorKind::AlreadyFinal);
}
