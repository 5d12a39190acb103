//! Login tokens shared through Redis (feature `redis`): one login at a time
//! across every replica, the token cached with its lifetime, and a rejected
//! token removed only if it is still the one cached.

use std::fmt;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::redis_ask::{connect, Link, RedisOptions};
use crate::error::Result;

/// Deletes KEYS[1] only when it still holds ARGV[1]: a replica removes its
/// own rejected token or lock, never a newer one.
const DELETE_IF_EQUAL: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Extends KEYS[1] to ARGV[2] ms only while it still holds ARGV[1]: a
/// replica keeps its own login lock alive, never one another took after it lapsed.
const EXTEND_IF_EQUAL: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

/// How long a login lock lasts unless its holder extends it (see
/// [`RedisTokenCache::login_lock_hold`]).
const LOCK_HOLD: Duration = Duration::from_secs(10);

/// A Redis-backed cache of login tokens for clients whose auth logs in
/// (Wallet-as-a-Service): replicas using the same Redis, prefix and user
/// share one token and log in one at a time.
///
/// The token is stored in Redis as the bearer credential it is: protect that
/// Redis as you protect the password (network access, `requirepass`/ACLs).
/// When Redis cannot be asked, each replica logs in for itself (logged at
/// `warn`).
///
/// The login lock lapses after its hold (10 s) unless its holder extends
/// it: the replica logging in extends it every third of the hold for as long
/// as its login runs (a login is bounded by its own timeouts and deadline),
/// so a slow login is never joined by the others, and a crashed replica
/// blocks them for one hold at most.
///
/// ```no_run
/// # async fn run() -> walletkit::Result<()> {
/// use walletkit::waas::WaasClient;
/// use walletkit::RedisTokenCache;
///
/// let cache = RedisTokenCache::connect("redis://127.0.0.1/", "payouts").await?;
/// let waas = WaasClient::builder()
///     .base_url("https://waas.example.com")
///     .credentials("user", "password")
///     .token_cache(cache)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisTokenCache {
    link: Link,
    prefix: String,
    delete_if_equal: redis::Script,
    extend_if_equal: redis::Script,
    lock_hold: Duration,
}

impl fmt::Debug for RedisTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenCache")
            .field("prefix", &self.prefix)
            .field("lock_hold", &self.lock_hold)
            .finish_non_exhaustive()
    }
}

type Asked<T> = std::result::Result<T, String>;

impl RedisTokenCache {
    /// Connects to the Redis at `url` (`redis://[:password@]host:port/db`)
    /// with the default [`RedisOptions`]; tokens live under
    /// `<prefix>:token:<user digest>`, login locks under `<prefix>:login:<user digest>`.
    ///
    /// # Errors
    /// [`crate::Error::Config`] for a bad URL, a refused password, or when
    /// Redis cannot be reached within the connect timeout (5 s). The message
    /// never shows the URL's password.
    pub async fn connect(url: &str, prefix: impl Into<String>) -> Result<Self> {
        Self::connect_with(url, prefix, RedisOptions::default()).await
    }

    /// [`connect`](Self::connect) with other timeouts.
    ///
    /// # Errors
    /// As [`connect`](Self::connect).
    pub async fn connect_with(url: &str, prefix: impl Into<String>, options: RedisOptions) -> Result<Self> {
        Ok(RedisTokenCache {
            link: connect(url, options).await?,
            prefix: prefix.into(),
            delete_if_equal: redis::Script::new(DELETE_IF_EQUAL),
            extend_if_equal: redis::Script::new(EXTEND_IF_EQUAL),
            lock_hold: LOCK_HOLD,
        })
    }

    /// How long the login lock lasts unless its holder extends it (default
    /// 10 s): how long a replica that crashed mid-login keeps the others
    /// waiting. Keep it well above the ask timeout, which bounds each
    /// extension; at least 100 ms.
    pub fn login_lock_hold(mut self, hold: Duration) -> Self {
        self.lock_hold = hold.max(Duration::from_millis(100));
        self
    }

    fn token_key(&self, scope: &str) -> String {
        format!("{}:token:{scope}", self.prefix)
    }

    fn lock_key(&self, scope: &str) -> String {
        format!("{}:login:{scope}", self.prefix)
    }

    async fn timed<T>(&self, ask: impl std::future::Future<Output = redis::RedisResult<T>>) -> Asked<T> {
        self.link.ask(ask).await
    }

    /// The shared token of `scope` and how long it is still to be used.
    pub(crate) async fn get(&self, scope: &str) -> Asked<Option<(SecretString, Option<Duration>)>> {
        let mut c = self.link.connection();
        let key = self.token_key(scope);
        let (token, ttl_ms): (Option<String>, i64) =
            self.timed(redis::pipe().get(&key).pttl(&key).query_async(&mut c)).await?;
        Ok(token.map(|t| (SecretString::from(t), u64::try_from(ttl_ms).ok().map(Duration::from_millis))))
    }

    /// Shares `token` for `scope`, to be used for `ttl` (forever when `None`).
    pub(crate) async fn put(&self, scope: &str, token: &SecretString, ttl: Option<Duration>) -> Asked<()> {
        let mut c = self.link.connection();
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.token_key(scope)).arg(token.expose_secret());
        if let Some(ttl) = ttl {
            cmd.arg("PX").arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1));
        }
        self.timed(cmd.query_async::<()>(&mut c)).await
    }

    /// Removes the shared token of `scope` if it is still `token`.
    pub(crate) async fn remove_if(&self, scope: &str, token: &SecretString) -> Asked<()> {
        let mut c = self.link.connection();
        let mut invocation = self.delete_if_equal.key(self.token_key(scope));
        invocation.arg(token.expose_secret());
        self.timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }

    /// Takes the login lock of `scope` for one hold: its id when taken.
    pub(crate) async fn try_lock(&self, scope: &str) -> Asked<Option<String>> {
        let mut c = self.link.connection();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.lock_key(scope)).arg(&id).arg("NX").arg("PX").arg(self.hold_ms());
        let taken: Option<String> = self.timed(cmd.query_async(&mut c)).await?;
        Ok(taken.map(|_| id))
    }

    /// Extends the login lock of `scope` by one hold if it is still `id`'s:
    /// `false` when it lapsed and another replica may hold it now.
    async fn extend(&self, scope: &str, id: &str) -> Asked<bool> {
        let mut c = self.link.connection();
        let mut invocation = self.extend_if_equal.key(self.lock_key(scope));
        invocation.arg(id).arg(self.hold_ms());
        self.timed(invocation.invoke_async::<i64>(&mut c)).await.map(|extended| extended == 1)
    }

    /// Keeps the login lock of `scope` while `id` holds it, extending it
    /// every third of the hold; ends only when the lock was lost. Run it
    /// beside the login and drop it when the login ends: it never outlives
    /// the login, so the lock outlives the login by one hold at most.
    pub(crate) async fn keep_locked(&self, scope: &str, id: &str) {
        let every = self.lock_hold / 3;
        loop {
            tokio::time::sleep(every).await;
            match self.extend(scope, id).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!("the shared login lock lapsed during the login; another replica may log in too");
                    return;
                }
                // Not lost yet: the next try still comes before the lock lapses.
                Err(message) => tracing::warn!(%message, "could not extend the shared login lock"),
            }
        }
    }

    fn hold_ms(&self) -> u64 {
        u64::try_from(self.lock_hold.as_millis()).unwrap_or(u64::MAX).max(1)
    }

    /// Releases the login lock of `scope` if it is still `id`'s.
    pub(crate) async fn unlock(&self, scope: &str, id: &str) -> Asked<()> {
        let mut c = self.link.connection();
        let mut invocation = self.delete_if_equal.key(self.lock_key(scope));
        invocation.arg(id);
        self.timed(invocation.invoke_async::<i64>(&mut c)).await.map(drop)
    }
}
