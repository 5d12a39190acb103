//! The in-memory store, for unit tests: the same contract under one lock,
//! on the process's clock. Nothing survives the process.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::store::{refused, Answer, Store};
use super::{Claim, IntentId, IntentRecord, IntentState, Lease, NewIntent};

#[derive(Debug, Default)]
pub(crate) struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Index `i` holds the intent with id `i + 1`, `None` once released.
    intents: Vec<Option<IntentRecord>>,
    notifications: HashSet<(String, String)>,
}

impl MemoryStore {
    /// The lock, also after a panic elsewhere: every change below is
    /// complete before it could panic, so the data stays whole.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn intent(&mut self, id: IntentId) -> Option<&mut IntentRecord> {
        usize::try_from(id.0 - 1).ok().and_then(|i| self.intents.get_mut(i)).and_then(Option::as_mut)
    }
}

fn lease_until(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + chrono::Duration::milliseconds(super::store::lease_millis(lease))
}

fn live(record: &IntentRecord, owner: &str, now: DateTime<Utc>) -> bool {
    record.lease.as_ref().is_some_and(|l| l.owner == owner && l.until > now)
}

fn why(record: Option<&IntentRecord>) -> Option<(bool, Option<&str>)> {
    record.map(|r| (r.state.is_final(), r.lease.as_ref().map(|l| l.owner.as_str())))
}

impl Store for MemoryStore {
    fn claim<'a>(&'a self, new: NewIntent, owner: &'a str, lease: Duration) -> Answer<'a, Claim> {
        let now = Utc::now();
        let mut inner = self.lock();
        let existing =
            inner.intents.iter().flatten().find(|r| r.provider == new.provider && r.reference == new.reference);
        let claim = match existing {
            Some(record) => Claim::Existing(record.clone()),
            None => {
                let record = IntentRecord {
                    id: IntentId(inner.intents.len() as i64 + 1),
                    provider: new.provider,
                    operation: new.operation,
                    reference: new.reference,
                    idempotency_key: new.idempotency_key,
                    method: new.method,
                    path: new.path,
                    body: new.body,
                    created_at: now,
                    attempts: 0,
                    first_sent_at: None,
                    state: IntentState::Pending,
                    updated_at: now,
                    lease: Some(Lease { owner: owner.to_owned(), until: lease_until(now, lease) }),
                };
                inner.intents.push(Some(record.clone()));
                Claim::Fresh(record)
            }
        };
        Box::pin(async move { Ok(claim) })
    }

    fn record_attempt<'a>(&'a self, id: IntentId, owner: &'a str) -> Answer<'a, ()> {
        let now = Utc::now();
        let mut inner = self.lock();
        let answer = match inner.intent(id) {
            Some(r) if !r.state.is_final() && live(r, owner, now) => {
                r.attempts = r.attempts.saturating_add(1);
                r.first_sent_at.get_or_insert(now);
                r.updated_at = now;
                Ok(())
            }
            other => Err(refused(id, why(other.as_deref()), owner)),
        };
        Box::pin(async move { answer })
    }

    fn finish<'a>(&'a self, id: IntentId, owner: &'a str, state: IntentState) -> Answer<'a, ()> {
        let now = Utc::now();
        let mut inner = self.lock();
        let answer = match inner.intent(id) {
            Some(r) if !r.state.is_final() && r.lease.as_ref().is_some_and(|l| l.owner == owner) => {
                r.state = state;
                r.lease = None;
                r.updated_at = now;
                Ok(())
            }
            other => Err(refused(id, why(other.as_deref()), owner)),
        };
        Box::pin(async move { answer })
    }

    fn release<'a>(&'a self, id: IntentId, owner: &'a str) -> Answer<'a, ()> {
        let mut inner = self.lock();
        let answer = match inner.intent(id) {
            Some(r) if r.state == IntentState::Pending && r.lease.as_ref().is_some_and(|l| l.owner == owner) => {
                if let Some(slot) = usize::try_from(id.0 - 1).ok().and_then(|i| inner.intents.get_mut(i)) {
                    *slot = None;
                }
                Ok(())
            }
            other => Err(refused(id, why(other.as_deref()), owner)),
        };
        Box::pin(async move { answer })
    }

    fn unfinished(&self, after: Option<IntentId>, limit: u32) -> Answer<'_, Vec<IntentRecord>> {
        let inner = self.lock();
        let after = after.map_or(0, |id| id.0);
        let list = inner
            .intents
            .iter()
            .flatten()
            .filter(|r| r.id.0 > after && !r.state.is_final())
            .take(limit as usize)
            .cloned()
            .collect();
        Box::pin(async move { Ok(list) })
    }

    fn take_over<'a>(&'a self, id: IntentId, owner: &'a str, lease: Duration) -> Answer<'a, Option<IntentRecord>> {
        let now = Utc::now();
        let mut inner = self.lock();
        let taken = match inner.intent(id) {
            Some(r) if !r.state.is_final() && r.lease.as_ref().is_none_or(|l| l.until <= now) => {
                r.lease = Some(Lease { owner: owner.to_owned(), until: lease_until(now, lease) });
                r.updated_at = now;
                Some(r.clone())
            }
            _ => None,
        };
        Box::pin(async move { Ok(taken) })
    }

    fn get<'a>(&'a self, provider: &'a str, reference: &'a str) -> Answer<'a, Option<IntentRecord>> {
        let inner = self.lock();
        let found =
            inner.intents.iter().flatten().find(|r| r.provider == provider && r.reference == reference).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn first_notification<'a>(&'a self, provider: &'a str, key: &'a str) -> Answer<'a, bool> {
        let first = self.lock().notifications.insert((provider.to_owned(), key.to_owned()));
        Box::pin(async move { Ok(first) })
    }
}
