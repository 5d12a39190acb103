//! The SQLite store: one file, for the processes of one machine. Every
//! operation is one statement, so SQLite's write lock (waited for up to
//! [`BUSY_TIMEOUT`]) orders them; times are SQLite's clock in Unix ms.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use sqlx::migrate::MigrateError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::Row;

use super::store::{failed, lease_millis, refused, Answer, Store};
use super::{migrations, Claim, IntentId, IntentRecord, IntentState, Lease, NewIntent};
use crate::error::{JournalError, JournalErrorKind};

const MIGRATIONS: migrations::Embedded = &[(1, "journal", include_str!("migrations/sqlite/0001_journal.sql"))];

/// How long a statement waits for another connection's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections per store; writes take turns anyway, reads run beside them.
const MAX_CONNECTIONS: u32 = 8;

/// SQLite's clock, in Unix milliseconds (`julianday` exists in every version).
macro_rules! now {
    () => {
        "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
    };
}

macro_rules! columns {
    () => {
        "id, provider, operation, reference, idempotency_key, method, path, body, created_at, updated_at, \
         attempts, first_sent_at, state, status, answer, detail, lease_owner, lease_until"
    };
}

pub(crate) struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).finish()
    }
}

impl SqliteStore {
    pub(crate) async fn open(path: &Path) -> Result<Self, JournalError> {
        // Processes opening a new file at once meet "busy" answers SQLite
        // gives at once instead of waiting (switching the file to WAL, or
        // two migrators turning a read into a write): try again, for as long
        // as a statement would wait. Two may also both apply a migration;
        // SQLite lets one commit, and the other, trying again once, finds
        // it applied.
        let give_up = tokio::time::Instant::now() + BUSY_TIMEOUT;
        let mut migration_failed = false;
        loop {
            let e = match Self::try_open(path).await {
                Ok(pool) => return Ok(SqliteStore { pool, path: path.to_owned() }),
                Err(e) => e,
            };
            let again = if is_busy(&e) {
                tokio::time::Instant::now() < give_up
            } else {
                matches!(e, MigrateError::ExecuteMigration(..)) && !std::mem::replace(&mut migration_failed, true)
            };
            if !again {
                return Err(match e {
                    MigrateError::Execute(e) => open_failed(path, e),
                    e => open_failed(path, e),
                });
            }
            tokio::time::sleep(Duration::from_millis(10 + fastrand::u64(0..40))).await;
        }
    }

    /// The pool on `path`, its schema brought up to date.
    async fn try_open(path: &Path) -> Result<SqlitePool, MigrateError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS).connect_with(options).await?;
        migrations::migrator(MIGRATIONS).await?.run(&pool).await?;
        Ok(pool)
    }

    /// Whether intent `id` is final and who holds its lease, to explain a refusal.
    async fn why(&self, id: IntentId) -> Result<Option<(bool, Option<String>)>, JournalError> {
        let row = sqlx::query("SELECT state, lease_owner FROM intents WHERE id = ?1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| failed("reading an intent", e))?;
        row.map(|row| {
            let state: String = get(&row, id.0, "state")?;
            Ok((!matches!(state.as_str(), "pending" | "unknown"), get(&row, id.0, "lease_owner")?))
        })
        .transpose()
    }

    async fn refusal(&self, id: IntentId, owner: &str) -> JournalError {
        match self.why(id).await {
            Ok(now) => refused(id, now.as_ref().map(|(fin, holder)| (*fin, holder.as_deref())), owner),
            Err(e) => e,
        }
    }
}

/// Whether SQLite answered "busy" (`SQLITE_BUSY`, or one of its extended codes).
fn is_busy(e: &MigrateError) -> bool {
    let db = match e {
        MigrateError::Execute(sqlx::Error::Database(db)) => db,
        MigrateError::ExecuteMigration(sqlx::Error::Database(db), _) => db,
        _ => return false,
    };
    db.code().and_then(|code| code.parse::<i32>().ok()).is_some_and(|code| code & 0xff == 5)
}

fn open_failed<E: std::error::Error + Send + Sync + 'static>(path: &Path, e: E) -> JournalError {
    let (shown, cut) = crate::redact::escaped(&path.display().to_string(), 60);
    let what = format!("could not open the SQLite journal {shown}{}", if cut { "…" } else { "" });
    JournalError::from_cause(JournalErrorKind::Open, &what, e, &Default::default(), true)
}

fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    id: i64,
    column: &str,
) -> Result<T, JournalError> {
    row.try_get(column).map_err(|_| super::columns::unreadable(id, column))
}

fn time(id: i64, column: &str, millis: i64) -> Result<DateTime<Utc>, JournalError> {
    DateTime::from_timestamp_millis(millis).ok_or_else(|| super::columns::unreadable(id, column))
}

fn record(row: &SqliteRow) -> Result<IntentRecord, JournalError> {
    let id: i64 = row.try_get("id").map_err(|_| super::columns::unreadable(0, "id"))?;
    let attempts: i64 = get(row, id, "attempts")?;
    let first_sent_at: Option<i64> = get(row, id, "first_sent_at")?;
    let lease_owner: Option<String> = get(row, id, "lease_owner")?;
    let lease_until: Option<i64> = get(row, id, "lease_until")?;
    let state: String = get(row, id, "state")?;
    Ok(IntentRecord {
        id: IntentId(id),
        provider: get(row, id, "provider")?,
        operation: get(row, id, "operation")?,
        reference: get(row, id, "reference")?,
        idempotency_key: get(row, id, "idempotency_key")?,
        method: get(row, id, "method")?,
        path: get(row, id, "path")?,
        body: Bytes::from(get::<Vec<u8>>(row, id, "body")?),
        created_at: time(id, "created_at", get(row, id, "created_at")?)?,
        attempts: u32::try_from(attempts).map_err(|_| super::columns::unreadable(id, "attempts"))?,
        first_sent_at: first_sent_at.map(|t| time(id, "first_sent_at", t)).transpose()?,
        state: IntentState::from_columns(
            id,
            &state,
            get(row, id, "status")?,
            get(row, id, "answer")?,
            get(row, id, "detail")?,
        )?,
        updated_at: time(id, "updated_at", get(row, id, "updated_at")?)?,
        lease: match (lease_owner, lease_until) {
            (Some(owner), Some(until)) => Some(Lease { owner, until: time(id, "lease_until", until)? }),
            _ => None,
        },
    })
}

impl Store for SqliteStore {
    fn claim<'a>(&'a self, new: NewIntent, owner: &'a str, lease: Duration) -> Answer<'a, Claim> {
        Box::pin(async move {
            let inserted = sqlx::query(concat!(
                "INSERT INTO intents (provider, operation, reference, idempotency_key, method, path, body, \
                 created_at, updated_at, lease_owner, lease_until) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ",
                now!(),
                ", ",
                now!(),
                ", ?8, ",
                now!(),
                " + ?9) ON CONFLICT (provider, reference) DO NOTHING RETURNING ",
                columns!()
            ))
            .bind(&new.provider)
            .bind(&new.operation)
            .bind(&new.reference)
            .bind(&new.idempotency_key)
            .bind(&new.method)
            .bind(&new.path)
            .bind(&new.body[..])
            .bind(owner)
            .bind(lease_millis(lease))
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| failed("storing an intent", e))?;
            if let Some(row) = inserted {
                return Ok(Claim::Fresh(record(&row)?));
            }
            match self.get(&new.provider, &new.reference).await? {
                Some(existing) => Ok(Claim::Existing(existing)),
                None => Err(JournalError::new(
                    JournalErrorKind::Database,
                    "storing an intent: its reference was taken, then not found",
                )),
            }
        })
    }

    fn record_attempt<'a>(&'a self, id: IntentId, owner: &'a str) -> Answer<'a, ()> {
        Box::pin(async move {
            let done = sqlx::query(concat!(
                "UPDATE intents SET attempts = attempts + 1, first_sent_at = coalesce(first_sent_at, ",
                now!(),
                "), updated_at = ",
                now!(),
                " WHERE id = ?1 AND lease_owner = ?2 AND lease_until > ",
                now!(),
                " AND state IN ('pending', 'unknown')"
            ))
            .bind(id.0)
            .bind(owner)
            .execute(&self.pool)
            .await
            .map_err(|e| failed("recording an attempt", e))?;
            if done.rows_affected() == 1 {
                Ok(())
            } else {
                Err(self.refusal(id, owner).await)
            }
        })
    }

    fn finish<'a>(&'a self, id: IntentId, owner: &'a str, state: IntentState) -> Answer<'a, ()> {
        Box::pin(async move {
            let c = state.columns();
            let done = sqlx::query(concat!(
                "UPDATE intents SET state = ?3, status = ?4, answer = ?5, detail = ?6, \
                 lease_owner = NULL, lease_until = NULL, updated_at = ",
                now!(),
                " WHERE id = ?1 AND lease_owner = ?2 AND state IN ('pending', 'unknown')"
            ))
            .bind(id.0)
            .bind(owner)
            .bind(c.state)
            .bind(c.status)
            .bind(c.answer)
            .bind(c.detail)
            .execute(&self.pool)
            .await
            .map_err(|e| failed("storing an outcome", e))?;
            if done.rows_affected() == 1 {
                Ok(())
            } else {
                Err(self.refusal(id, owner).await)
            }
        })
    }

    fn release<'a>(&'a self, id: IntentId, owner: &'a str) -> Answer<'a, ()> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM intents WHERE id = ?1 AND lease_owner = ?2 AND state = 'pending'")
                .bind(id.0)
                .bind(owner)
                .execute(&self.pool)
                .await
                .map_err(|e| failed("releasing an intent", e))?;
            if done.rows_affected() == 1 {
                Ok(())
            } else {
                Err(self.refusal(id, owner).await)
            }
        })
    }

    fn unfinished(&self, after: Option<IntentId>, limit: u32) -> Answer<'_, Vec<IntentRecord>> {
        Box::pin(async move {
            let rows = sqlx::query(concat!(
                "SELECT ",
                columns!(),
                " FROM intents WHERE state IN ('pending', 'unknown') AND id > ?1 ORDER BY id LIMIT ?2"
            ))
            .bind(after.map_or(0, |id| id.0))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| failed("listing unfinished intents", e))?;
            rows.iter().map(record).collect()
        })
    }

    fn take_over<'a>(&'a self, id: IntentId, owner: &'a str, lease: Duration) -> Answer<'a, Option<IntentRecord>> {
        Box::pin(async move {
            let row = sqlx::query(concat!(
                "UPDATE intents SET lease_owner = ?2, lease_until = ",
                now!(),
                " + ?3, updated_at = ",
                now!(),
                " WHERE id = ?1 AND state IN ('pending', 'unknown') AND (lease_until IS NULL OR lease_until <= ",
                now!(),
                ") RETURNING ",
                columns!()
            ))
            .bind(id.0)
            .bind(owner)
            .bind(lease_millis(lease))
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| failed("taking over an intent", e))?;
            row.as_ref().map(record).transpose()
        })
    }

    fn get<'a>(&'a self, provider: &'a str, reference: &'a str) -> Answer<'a, Option<IntentRecord>> {
        Box::pin(async move {
            let row =
                sqlx::query(concat!("SELECT ", columns!(), " FROM intents WHERE provider = ?1 AND reference = ?2"))
                    .bind(provider)
                    .bind(reference)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| failed("reading an intent", e))?;
            row.as_ref().map(record).transpose()
        })
    }

    fn first_notification<'a>(&'a self, provider: &'a str, key: &'a str) -> Answer<'a, bool> {
        Box::pin(async move {
            let done = sqlx::query(concat!(
                "INSERT INTO notifications (provider, key, handled_at) VALUES (?1, ?2, ",
                now!(),
                ") ON CONFLICT DO NOTHING"
            ))
            .bind(provider)
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(|e| failed("recording a notification", e))?;
            Ok(done.rows_affected() == 1)
        })
    }
}
