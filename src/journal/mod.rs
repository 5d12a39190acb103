//! A durable journal of money movements: each money call is stored before
//! its first byte is sent, with its attempts and outcome as they happen, so
//! a process that dies mid-call leaves what recovery needs, and a business
//! reference is sent at most once per provider across every replica.
//!
//! Two real stores: an SQLite file for one machine (feature
//! `journal-sqlite`) and PostgreSQL for many replicas (feature
//! `journal-postgres`). Uniqueness and leases are decided by the database,
//! each operation one atomic statement; times and leases use the
//! **database's clock**, so replicas' clocks never matter.
//!
//! The flow of one call: [`Journal::claim`] (a [`Claim::Existing`] sends
//! nothing), [`Journal::record_attempt`] before each attempt's first byte
//! (it fails once the lease is lost, and then nothing may be sent),
//! [`Journal::finish`] with the outcome. Recovery lists
//! [`Journal::unfinished`] intents and drives each one it wins with
//! [`Journal::take_over`], so two replicas never drive the same intent.
//!
//! The store's schema is created and upgraded when it is opened, by
//! migrations embedded in walletkit that only ever add: an older walletkit
//! still opens a store a newer one upgraded.
// Without a store feature there is no store to use what the stores share.
#![cfg_attr(
    not(any(test, feature = "test-util", feature = "journal-sqlite", feature = "journal-postgres")),
    allow(dead_code)
)]

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

#[cfg(any(test, feature = "journal-sqlite", feature = "journal-postgres"))]
mod columns;
mod intent;
#[cfg(any(test, feature = "test-util"))]
mod memory;
#[cfg(any(feature = "journal-sqlite", feature = "journal-postgres"))]
mod migrations;
mod once;
#[cfg(feature = "journal-postgres")]
mod postgres;
#[cfg(feature = "journal-sqlite")]
mod sqlite;
mod state;
mod store;
mod verdict;

pub use intent::{Claim, IntentId, IntentRecord, Lease, NewIntent};
pub use once::Once;
pub use state::IntentState;
pub use verdict::{Recovered, Verdict};

use crate::error::JournalError;
use store::Store;

/// The journal of money movements. Clones share the same store.
#[derive(Clone)]
pub struct Journal {
    store: Arc<dyn Store>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Journal").field(&self.store).finish()
    }
}

type Result<T> = std::result::Result<T, crate::Error>;

fn done<T>(r: std::result::Result<T, JournalError>) -> Result<T> {
    r.map_err(crate::Error::from)
}

impl Journal {
    /// The journal in the SQLite file at `path`, created when missing, in
    /// WAL mode with full syncs (an intent stored is on disk). For one
    /// machine: processes there may share the file; give it a file of its own.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the file cannot be
    /// opened or its schema brought up to date.
    #[cfg(feature = "journal-sqlite")]
    pub async fn sqlite(path: impl AsRef<std::path::Path>) -> Result<Journal> {
        let store = sqlite::SqliteStore::open(path.as_ref()).await?;
        Ok(Journal { store: Arc::new(store) })
    }

    /// The journal in the PostgreSQL database at `url`
    /// (`postgres://user:password@host:port/database`), in a schema
    /// `walletkit` of its own that it creates (so it needs that right the
    /// first time). Every replica opens the same URL; opening at the same
    /// time is safe (an advisory lock orders the schema upgrades).
    ///
    /// The URL is read as libpq reads it: what it leaves out comes from the
    /// `PG*` environment variables and `~/.pgpass`. TLS is not offered yet:
    /// reach the database over a private network or a Unix socket
    /// (`postgres://user@localhost/db?host=/run/postgresql`); `sslmode=require`
    /// fails to connect. The password never appears in errors or `Debug`.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the URL is invalid, the
    /// database cannot be reached, or its schema cannot be brought up to date.
    #[cfg(feature = "journal-postgres")]
    pub async fn postgres(url: &str) -> Result<Journal> {
        let store = postgres::PostgresStore::open(url).await?;
        Ok(Journal { store: Arc::new(store) })
    }

    /// A journal in this process's memory, on its clock: for unit tests.
    #[cfg(any(test, feature = "test-util"))]
    pub fn in_memory() -> Journal {
        Journal { store: Arc::new(memory::MemoryStore::default()) }
    }

    /// Stores `new` before anything is sent, leased to `owner` for `lease`.
    /// Its (provider, reference) is unique: when an intent already has it,
    /// that one is returned as [`Claim::Existing`] and nothing changes.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the store fails; then send nothing.
    pub async fn claim(&self, new: NewIntent, owner: &str, lease: Duration) -> Result<Claim> {
        done(self.store.claim(new, owner, lease).await)
    }

    /// Counts an attempt, just before its first byte is sent, and stamps the
    /// first one's time. Only while `owner` holds a live lease.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the lease was lost
    /// ([`LeaseLost`](crate::error::JournalErrorKind::LeaseLost)), the intent
    /// is final, or the store fails: in every case, do not send.
    pub async fn record_attempt(&self, id: IntentId, owner: &str) -> Result<()> {
        done(self.store.record_attempt(id, owner).await)
    }

    /// Stores the outcome and releases the lease. `Created`, `Rejected` and
    /// `NeedsReview` are final; `Unknown` (and `Pending`, for an intent left
    /// unsent) leave it to recovery. `owner` must still be the lease's owner,
    /// also when the lease ran out, as long as nobody took it over.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the intent is already
    /// final ([`AlreadyFinal`](crate::error::JournalErrorKind::AlreadyFinal)),
    /// another owner holds it, or the store fails.
    pub async fn finish(&self, id: IntentId, owner: &str, state: IntentState) -> Result<()> {
        done(self.store.finish(id, owner, state).await)
    }

    /// Forgets a `Pending` intent `owner` holds, when the provider cannot
    /// have acted on it (nothing was sent, or the answer said so for now: a
    /// 429): its reference is free again.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when `owner` does not hold
    /// it, it is no longer pending, or the store fails.
    pub async fn release(&self, id: IntentId, owner: &str) -> Result<()> {
        done(self.store.release(id, owner).await)
    }

    /// Up to `limit` intents that are `Pending` or `Unknown`, oldest first,
    /// after the intent `after` (the last of the previous page), leased or not.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the store fails.
    pub async fn unfinished(&self, after: Option<IntentId>, limit: u32) -> Result<Vec<IntentRecord>> {
        done(self.store.unfinished(after, limit).await)
    }

    /// Leases the unfinished intent `id` to `owner` when nobody holds a live
    /// lease on it, in one statement: of several owners trying at once, one
    /// wins. `None` when another owner holds it or it is final.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the store fails.
    pub async fn take_over(&self, id: IntentId, owner: &str, lease: Duration) -> Result<Option<IntentRecord>> {
        done(self.store.take_over(id, owner, lease).await)
    }

    /// The intent for `reference` at `provider`, if any.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the store fails.
    pub async fn get(&self, provider: &str, reference: &str) -> Result<Option<IntentRecord>> {
        done(self.store.get(provider, reference).await)
    }

    /// True exactly once per (`provider`, `notification_key`) across every
    /// replica: the first to ask handles the notification, a re-delivery or
    /// another replica's copy gets false. Ask after confirming it, just
    /// before acting on it.
    ///
    /// # Errors
    ///
    /// [`Error::Journal`](crate::Error::Journal) when the store fails; then
    /// do not act (the sender delivers it again).
    pub async fn first_notification(&self, provider: &str, notification_key: &str) -> Result<bool> {
        done(self.store.first_notification(provider, notification_key).await)
    }
}

#[cfg(test)]
mod tests;
