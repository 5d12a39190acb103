//! The PostgreSQL store, shared by every replica: uniqueness by a UNIQUE
//! constraint, leases by single `UPDATE … WHERE` statements (PostgreSQL
//! re-checks the condition on the row a concurrent update left), times by
//! the server's `now()`. Its tables live in the schema `walletkit`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Connection, Row};

use super::store::{failed, lease_millis, refused, Answer, Store};
use super::{migrations, Claim, IntentId, IntentRecord, IntentState, Lease, NewIntent};
use crate::error::{JournalError, JournalErrorKind};
use crate::redact::Secrets;

const MIGRATIONS: migrations::Embedded = &[(1, "journal", include_str!("migrations/postgres/0001_journal.sql"))];

/// Connections per replica's pool.
const MAX_CONNECTIONS: u32 = 10;

/// How long a call waits for a free connection (or a new one) before failing.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The advisory lock held while the schema is created and upgraded, so
/// replicas opening at once take turns (the bytes of "walletk").
const SCHEMA_LOCK: i64 = 0x0077_616c_6c65_746b;

macro_rules! columns {
    () => {
        "id, provider, operation, reference, idempotency_key, method, path, body, created_at, updated_at, \
         attempts, first_sent_at, state, status, answer, detail, lease_owner, lease_until"
    };
}

/// `now()` plus a lease given in milliseconds as parameter `$n`.
macro_rules! lease_end {
    ($n:literal) => {
        concat!("now() + $", $n, "::float8 * interval '1 millisecond'")
    };
}

pub(crate) struct PostgresStore {
    pool: PgPool,
    /// Where, for `Debug`: host, port and database, never the password.
    at: String,
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore").field("at", &self.at).finish()
    }
}

impl PostgresStore {
    pub(crate) async fn open(url: &str) -> Result<Self, JournalError> {
        let secrets = Secrets::new(password(url));
        let options = PgConnectOptions::from_str(url).map_err(|e| open_failed(e, &secrets))?;
        let at =
            format!("{}:{}/{}", options.get_host(), options.get_port(), options.get_database().unwrap_or_default());
        migrate(&options).await.map_err(|e| open_failed(e, &secrets))?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options);
        Ok(PostgresStore { pool, at })
    }

    /// Whether intent `id` is final and who holds its lease, to explain a refusal.
    async fn refusal(&self, id: IntentId, owner: &str) -> JournalError {
        let row = sqlx::query("SELECT state, lease_owner FROM walletkit.intents WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await;
        let row = match row {
            Ok(row) => row,
            Err(e) => return failed("reading an intent", e),
        };
        let now = row.map(|row| {
            let state: String = row.try_get("state").unwrap_or_default();
            let holder: Option<String> = row.try_get("lease_owner").unwrap_or_default();
            (!matches!(state.as_str(), "pending" | "unknown"), holder)
        });
        refused(id, now.as_ref().map(|(fin, holder)| (*fin, holder.as_deref())), owner)
    }
}

/// The URL's password, percent-decoded and as written, to scrub from errors.
fn password(url: &str) -> Vec<SecretString> {
    let Some(raw) = url::Url::parse(url).ok().and_then(|u| u.password().map(str::to_owned)) else {
        return Vec::new();
    };
    let decoded = percent_decode(&raw);
    vec![SecretString::from(raw), SecretString::from(decoded)]
}

/// `%XX` escapes decoded (the `url` crate keeps them in a password).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Creates the schema and applies the migrations on one connection of its
/// own, under [`SCHEMA_LOCK`] (released when the connection closes, also
/// on failure). sqlx's migrator keeps its table in `walletkit` too, apart
/// from the application's own migrations.
async fn migrate(options: &PgConnectOptions) -> Result<(), sqlx::Error> {
    let mut conn = options.connect().await?;
    let result = async {
        sqlx::query("SELECT pg_advisory_lock($1)").bind(SCHEMA_LOCK).execute(&mut conn).await?;
        sqlx::query("CREATE SCHEMA IF NOT EXISTS walletkit").execute(&mut conn).await?;
        sqlx::query("SET search_path TO walletkit").execute(&mut conn).await?;
        let migrator = migrations::migrator(MIGRATIONS).await?;
        migrator.run(&mut conn).await?;
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    result
}

fn open_failed(e: sqlx::Error, secrets: &Secrets) -> JournalError {
    // sqlx's own error is not kept as the source: a configuration error may
    // quote the URL.
    JournalError::from_cause(JournalErrorKind::Open, "could not open the PostgreSQL journal", e, secrets, false)
}

fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    id: i64,
    column: &str,
) -> Result<T, JournalError> {
    row.try_get(column).map_err(|_| super::columns::unreadable(id, column))
}

fn record(row: &PgRow) -> Result<IntentRecord, JournalError> {
    let id: i64 = row.try_get("id").map_err(|_| super::columns::unreadable(0, "id"))?;
    let attempts: i32 = get(row, id, "attempts")?;
    let status: Option<i32> = get(row, id, "status")?;
    let lease_owner: Option<String> = get(row, id, "lease_owner")?;
    let lease_until: Option<DateTime<Utc>> = get(row, id, "lease_until")?;
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
        created_at: get(row, id, "created_at")?,
        attempts: u32::try_from(attempts).map_err(|_| super::columns::unreadable(id, "attempts"))?,
        first_sent_at: get(row, id, "first_sent_at")?,
        state: IntentState::from_columns(
            id,
            &state,
            status.map(i64::from),
            get(row, id, "answer")?,
            get(row, id, "detail")?,
        )?,
        updated_at: get(row, id, "updated_at")?,
        lease: match (lease_owner, lease_until) {
            (Some(owner), Some(until)) => Some(Lease { owner, until }),
            _ => None,
        },
    })
}

impl Store for PostgresStore {
    fn claim<'a>(&'a self, new: NewIntent, owner: &'a str, lease: Duration) -> Answer<'a, Claim> {
        Box::pin(async move {
            // On a conflict with an insert not yet committed, PostgreSQL
            // waits for it; DO NOTHING then leaves the row as it is.
            let inserted = sqlx::query(concat!(
                "INSERT INTO walletkit.intents (provider, operation, reference, idempotency_key, method, path, body, \
                 created_at, updated_at, lease_owner, lease_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now(), $8, ",
                lease_end!(9),
                ") ON CONFLICT (provider, reference) DO NOTHING RETURNING ",
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
            let done = sqlx::query(
                "UPDATE walletkit.intents SET attempts = attempts + 1, first_sent_at = coalesce(first_sent_at, now()), \
                 updated_at = now() \
                 WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND state IN ('pending', 'unknown')",
            )
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
            let done = sqlx::query(
                "UPDATE walletkit.intents SET state = $3, status = $4, answer = $5, detail = $6, \
                 lease_owner = NULL, lease_until = NULL, updated_at = now() \
                 WHERE id = $1 AND lease_owner = $2 AND state IN ('pending', 'unknown')",
            )
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
            let done =
                sqlx::query("DELETE FROM walletkit.intents WHERE id = $1 AND lease_owner = $2 AND state = 'pending'")
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
                " FROM walletkit.intents WHERE state IN ('pending', 'unknown') AND id > $1 ORDER BY id LIMIT $2"
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
            // Of two updates racing on the row, the second waits for the
            // first and re-checks this WHERE on the lease the first wrote.
            let row = sqlx::query(concat!(
                "UPDATE walletkit.intents SET lease_owner = $2, lease_until = ",
                lease_end!(3),
                ", updated_at = now() \
                 WHERE id = $1 AND state IN ('pending', 'unknown') AND (lease_until IS NULL OR lease_until <= now()) \
                 RETURNING ",
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
            let row = sqlx::query(concat!(
                "SELECT ",
                columns!(),
                " FROM walletkit.intents WHERE provider = $1 AND reference = $2"
            ))
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
            let done = sqlx::query(
                "INSERT INTO walletkit.notifications (provider, key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(provider)
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(|e| failed("recording a notification", e))?;
            Ok(done.rows_affected() == 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_found_as_written_and_decoded() {
        use secrecy::ExposeSecret;
        let found = password("postgres://app:p%40ss%2Fw0rd@db:5432/pay");
        let found: Vec<&str> = found.iter().map(|s| s.expose_secret()).collect();
        assert_eq!(found, ["p%40ss%2Fw0rd", "p@ss/w0rd"]);
        assert!(password("postgres://app@db/pay").is_empty());
        assert_eq!(percent_decode("a%zz%4"), "a%zz%4", "broken escapes stay as they are");
    }
}
