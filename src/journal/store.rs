//! What every store does, each operation one atomic statement in its database.

use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;

use super::{Claim, IntentId, IntentRecord, IntentState, NewIntent};
use crate::error::{JournalError, JournalErrorKind};

/// One store's answer.
pub(crate) type Answer<'a, T> = BoxFuture<'a, Result<T, JournalError>>;

/// A journal's storage. Uniqueness and leases are decided by the database
/// (or, in memory, under one lock), never by comparing values read earlier.
/// `Debug` names the store and never a password.
pub(crate) trait Store: Send + Sync + fmt::Debug {
    fn claim<'a>(&'a self, new: NewIntent, owner: &'a str, lease: Duration) -> Answer<'a, Claim>;
    fn record_attempt<'a>(&'a self, id: IntentId, owner: &'a str) -> Answer<'a, ()>;
    fn finish<'a>(&'a self, id: IntentId, owner: &'a str, state: IntentState) -> Answer<'a, ()>;
    fn release<'a>(&'a self, id: IntentId, owner: &'a str) -> Answer<'a, ()>;
    fn unfinished(&self, after: Option<IntentId>, limit: u32) -> Answer<'_, Vec<IntentRecord>>;
    fn take_over<'a>(&'a self, id: IntentId, owner: &'a str, lease: Duration) -> Answer<'a, Option<IntentRecord>>;
    fn get<'a>(&'a self, provider: &'a str, reference: &'a str) -> Answer<'a, Option<IntentRecord>>;
    fn first_notification<'a>(&'a self, provider: &'a str, key: &'a str) -> Answer<'a, bool>;
}

/// The longest lease stored: a year, far past any call, and far from the
/// databases' date limits.
const MAX_LEASE: Duration = Duration::from_secs(365 * 24 * 3600);

/// `lease` in whole milliseconds, at most [`MAX_LEASE`].
pub(crate) fn lease_millis(lease: Duration) -> i64 {
    lease.min(MAX_LEASE).as_millis() as i64
}

/// Why a change to intent `id` by `owner` matched no row, from what the row
/// holds now (`None`: no such intent): the row changes only under a lease,
/// so this reading only explains a refusal, it decides nothing.
pub(crate) fn refused(id: IntentId, now: Option<(bool, Option<&str>)>, owner: &str) -> JournalError {
    match now {
        None => JournalError::new(JournalErrorKind::NotFound, format!("no intent has id {id}")),
        Some((true, _)) => JournalError::new(
            JournalErrorKind::AlreadyFinal,
            format!("intent {id} already has a final outcome, which is never overwritten"),
        ),
        Some((false, holder)) => {
            let by = match holder {
                Some(h) if h == owner => "its lease ran out",
                Some(_) => "another owner took it over",
                None => "it was released",
            };
            JournalError::new(
                JournalErrorKind::LeaseLost,
                format!("intent {id} is no longer leased to this owner ({by}): do not send it"),
            )
        }
    }
}

/// A statement for `what` failed in the database.
#[cfg(any(feature = "journal-sqlite", feature = "journal-postgres"))]
pub(crate) fn failed(what: &str, e: sqlx::Error) -> JournalError {
    JournalError::from_cause(JournalErrorKind::Database, what, e, &Default::default(), true)
}
