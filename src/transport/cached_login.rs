//! A login's token, cached and shared: the provider-free half of every
//! login-based Bearer auth.
//!
//! One login is shared by every concurrent request: the cache is a lock held
//! across the login, so callers arriving meanwhile wait for that login's
//! token instead of starting their own. A 401 drops the token only if it is
//! still the cached one, so fifty requests rejected with the same expired
//! token cause one re-login, not fifty. A token is replaced shortly before
//! the lifetime its login gave (30 s before, or a tenth of its lifetime for
//! tokens living less than five minutes). With a Redis token cache, every
//! replica shares one token and one login at a time.

use std::future::Future;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::Result;

/// The longest head start a token is refreshed with before it expires.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// A token and what its login answered besides it (`D`).
pub(crate) struct CachedToken<D> {
    pub(crate) token: SecretString,
    /// When to log in again; `None` when the login gave no lifetime.
    pub(crate) refresh_at: Option<Instant>,
    /// The rest of the answer.
    pub(crate) details: D,
}

impl<D> CachedToken<D> {
    /// A token obtained at `sent` that lives `life`, when known.
    pub(crate) fn new(token: SecretString, sent: Instant, life: Option<Duration>, details: D) -> Self {
        CachedToken { token, refresh_at: life.and_then(|life| refresh_at(sent, life)), details }
    }

    fn usable_at(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

/// When a token obtained at `sent` and living `life` should be replaced;
/// `None` when that is beyond what the clock can represent.
fn refresh_at(sent: Instant, life: Duration) -> Option<Instant> {
    let margin = MAX_REFRESH_MARGIN.min(life / 10);
    sent.checked_add(life.saturating_sub(margin))
}

/// The cached token of one login, single flight, optionally shared across
/// replicas through Redis.
pub(crate) struct CachedLogin<D> {
    cache: Mutex<Option<CachedToken<D>>>,
    /// Names the login's user for tokens shared across replicas (a digest).
    scope: String,
    /// The details of a token found in the shared cache (which keeps only tokens).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    blank: fn() -> D,
    /// The token every replica shares, when configured.
    #[cfg(feature = "redis")]
    shared: Option<super::redis_token_cache::RedisTokenCache>,
}

impl<D: Clone + Send> CachedLogin<D> {
    /// An empty cache for the user named by `scope`; `blank` gives the
    /// details of a token taken from the shared cache.
    pub(crate) fn new(
        scope: String,
        blank: fn() -> D,
        #[cfg(feature = "redis")] shared: Option<super::redis_token_cache::RedisTokenCache>,
    ) -> Self {
        CachedLogin {
            cache: Mutex::new(None),
            scope,
            blank,
            #[cfg(feature = "redis")]
            shared,
        }
    }

    /// The digest naming the login's user.
    pub(crate) fn scope(&self) -> &str {
        &self.scope
    }

    /// Whether a token is cached; `None` while the cache is busy.
    pub(crate) fn is_cached(&self) -> Option<bool> {
        self.cache.try_lock().map(|c| c.is_some()).ok()
    }

    /// What the cached login answered besides the token.
    pub(crate) async fn details(&self) -> Option<D> {
        self.cache.lock().await.as_ref().map(|c| c.details.clone())
    }

    /// Drops the cached token, so the next request logs in again.
    pub(crate) async fn forget(&self) {
        *self.cache.lock().await = None;
    }

    /// The cached token, or a fresh one from `log_in` when there is none
    /// or it is about to expire.
    pub(crate) async fn token<F, Fut>(&self, log_in: F) -> Result<SecretString>
    where
        F: Fn() -> Fut + Send + Sync,
        Fut: Future<Output = Result<CachedToken<D>>> + Send,
    {
        // Held across the login: concurrent callers wait for this one.
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref().filter(|c| c.usable_at(Instant::now())) {
            return Ok(cached.token.clone());
        }
        #[cfg(feature = "redis")]
        let fresh = match &self.shared {
            // Redis's futures are not `Sync`; the wrapper keeps this one `Sync`.
            Some(shared) => sync_wrapper::SyncFuture::new(Box::pin(self.shared_log_in(shared, log_in))).await?,
            None => log_in().await?,
        };
        #[cfg(not(feature = "redis"))]
        let fresh = log_in().await?;
        let token = fresh.token.clone();
        *cache = Some(fresh);
        Ok(token)
    }

    /// The token every replica shares: taken from Redis when there is one,
    /// else logged in by whichever replica holds the login lock while the
    /// others wait for it to appear. The holder extends the lock for as long
    /// as its login runs, so the others wait for a slow login instead of
    /// joining it; the lock lapses one hold after a holder crashed, and then
    /// the next replica takes it. When Redis cannot be asked, this replica
    /// logs in for itself.
    #[cfg(feature = "redis")]
    async fn shared_log_in<F, Fut>(
        &self,
        shared: &super::redis_token_cache::RedisTokenCache,
        log_in: F,
    ) -> Result<CachedToken<D>>
    where
        F: Fn() -> Fut + Send + Sync,
        Fut: Future<Output = Result<CachedToken<D>>> + Send,
    {
        use futures_util::future::{select, Either};
        /// Pauses between looks at a lock another replica holds.
        const FIRST_PAUSE: Duration = Duration::from_millis(25);
        const LONGEST_PAUSE: Duration = Duration::from_millis(250);
        /// The longest this replica waits on another's login before logging
        /// in for itself: a lock kept alive for ever (a stuck holder, a
        /// broken Redis) must not hold this call for ever.
        const LONGEST_WAIT: Duration = Duration::from_secs(60);
        let waiting_since = Instant::now();
        let from_shared = |(token, ttl): (SecretString, Option<Duration>)| CachedToken {
            token,
            refresh_at: ttl.and_then(|ttl| Instant::now().checked_add(ttl)),
            details: (self.blank)(),
        };
        let unavailable = |message: String| {
            tracing::warn!(%message, "shared token cache unavailable; logging in from this replica");
        };
        let mut pause = FIRST_PAUSE;
        loop {
            match shared.get(&self.scope).await {
                Ok(Some(found)) => return Ok(from_shared(found)),
                Ok(None) => {}
                Err(message) => {
                    unavailable(message);
                    return log_in().await;
                }
            }
            match shared.try_lock(&self.scope).await {
                Ok(Some(lock)) => {
                    let login = std::pin::pin!(async {
                        let result = match shared.get(&self.scope).await {
                            Ok(Some(found)) => Ok(from_shared(found)),
                            _ => log_in().await,
                        };
                        if let Ok(fresh) = &result {
                            let ttl = fresh.refresh_at.map(|at| at.saturating_duration_since(Instant::now()));
                            if let Err(message) = shared.put(&self.scope, &fresh.token, ttl).await {
                                unavailable(message);
                            }
                        }
                        result
                    });
                    // Extended only while the login runs: it stops when the login ends.
                    let kept = std::pin::pin!(shared.keep_locked(&self.scope, &lock));
                    let result = match select(login, kept).await {
                        Either::Left((result, _)) => result,
                        // The lock was lost (it lapsed while Redis could not be asked): finish anyway.
                        Either::Right(((), login)) => login.await,
                    };
                    let _ = shared.unlock(&self.scope, &lock).await;
                    return result;
                }
                // A live holder keeps extending the lock; a crashed one's lapses within a hold.
                Ok(None) if waiting_since.elapsed() >= LONGEST_WAIT => {
                    tracing::warn!("another replica's login has held the lock for 60 s; logging in from this replica");
                    return log_in().await;
                }
                Ok(None) => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
                Err(message) => {
                    unavailable(message);
                    return log_in().await;
                }
            }
        }
    }

    /// Drops the cached token if it is the one rejected (another caller may
    /// already have replaced it), here and in the shared cache.
    pub(crate) async fn invalidate(&self, rejected: &SecretString) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|c| c.token.expose_secret() == rejected.expose_secret()) {
            tracing::debug!("login token rejected; logging in again on the next attempt");
            *cache = None;
        }
        // Only the rejected token: another replica may already share a newer one.
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            let removed = sync_wrapper::SyncFuture::new(Box::pin(shared.remove_if(&self.scope, rejected))).await;
            if let Err(message) = removed {
                tracing::warn!(%message, "shared token cache unavailable; the rejected token stays there");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_is_30s_or_a_tenth() {
        let t0 = Instant::now();
        assert_eq!(refresh_at(t0, Duration::from_secs(3600)), Some(t0 + Duration::from_secs(3570)));
        assert_eq!(refresh_at(t0, Duration::from_secs(60)), Some(t0 + Duration::from_secs(54)));
        assert_eq!(refresh_at(t0, Duration::ZERO), Some(t0));
        let cached = CachedToken::new(SecretString::from("t"), t0, Some(Duration::from_secs(100)), ());
        assert!(cached.usable_at(t0 + Duration::from_secs(89)));
        assert!(!cached.usable_at(t0 + Duration::from_secs(90)));
        let forever = CachedToken::new(SecretString::from("t"), t0, None, ());
        assert!(forever.usable_at(t0 + Duration::from_secs(1_000_000)));
    }
}
