//! Client-side rate limits shared through Redis (feature `redis`): every
//! replica that uses the same Redis, key prefix and API key counts against
//! one exact sliding window per route class.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::time::Instant;

use super::limiter_bound;
use super::ratelimit::{LocalRateLimiter, Rate, RateLimiter, Refusal};
use super::redis_ask::{connect, Link, RedisOptions};
use crate::error::Result;

/// The window as one atomic script, timed by the Redis server's clock (never
/// a replica's): drop starts older than the window, admit when fewer than
/// `max` remain, else answer how many milliseconds until the oldest leaves.
/// A sorted set of start times per key, each member unique.
const WINDOW_SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
";

/// What a [`RedisRateLimiter`] does when Redis cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WhenUnavailable {
    /// Count in this process instead (logged at `warn`): each replica then
    /// enforces the limit alone, so N replicas may send up to N times it
    /// until Redis is back. Calls keep flowing. The default.
    #[default]
    LocalWindow,
    /// Send nothing: calls fail with [`crate::Error::RateLimiterUnavailable`]
    /// (retryable) until Redis answers again.
    FailClosed,
}

/// A [`RateLimiter`] shared by every replica through Redis.
///
/// ```no_run
/// # async fn run() -> walletkit::Result<()> {
/// use walletkit::milta::MiltaClient;
/// use walletkit::RedisRateLimiter;
///
/// let limiter = RedisRateLimiter::connect("redis://127.0.0.1/", "payouts").await?;
/// let milta = MiltaClient::builder().credentials("KEY_ID", "SECRET").rate_limiter(limiter).build()?;
/// # Ok(()) }
/// ```
///
/// The connection manager reconnects by itself; while Redis is unreachable
/// or slower than the ask timeout ([`RedisOptions`], default 1 s) the limiter
/// follows its [`WhenUnavailable`] policy, never blocks past the call's
/// deadline nor past its [`max_wait`](Self::max_wait), and never panics.
pub struct RedisRateLimiter {
    link: Link,
    prefix: String,
    script: redis::Script,
    when_unavailable: WhenUnavailable,
    fallback: LocalRateLimiter,
    degraded: AtomicBool,
    max_wait: Duration,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("prefix", &self.prefix)
            .field("when_unavailable", &self.when_unavailable)
            .field("max_wait", &self.max_wait)
            .field("degraded", &self.degraded.load(Ordering::Relaxed))
            .finish()
    }
}

impl RedisRateLimiter {
    /// Connects to the Redis at `url` (`redis://[:password@]host:port/db`)
    /// with the default [`RedisOptions`]; windows live under keys
    /// `<prefix>:rl:<api key digest>:<route class>`.
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
        Ok(RedisRateLimiter {
            link: connect(url, options).await?,
            prefix: prefix.into(),
            script: redis::Script::new(WINDOW_SCRIPT),
            when_unavailable: WhenUnavailable::default(),
            fallback: LocalRateLimiter::default(),
            degraded: AtomicBool::new(false),
            max_wait: limiter_bound::DEFAULT_MAX_WAIT,
        })
    }

    /// What to do while Redis cannot be asked (default: count locally).
    pub fn when_unavailable(mut self, policy: WhenUnavailable) -> Self {
        self.when_unavailable = policy;
        self
    }

    /// The longest one call may wait for the shared window in all (default
    /// 3 minutes), whatever Redis answers, beside the call's deadline; past
    /// it, or after 1000 `wait` answers in a row, the call fails with
    /// [`crate::Error::RateLimiterUnavailable`] and nothing is sent.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Asks Redis once, within the ask timeout: `Ok(None)` admitted,
    /// `Ok(Some(wait))` full for `wait`.
    async fn ask(&self, key: &str, rate: Rate) -> std::result::Result<Option<Duration>, String> {
        let window_ms = u64::try_from(rate.spacing().as_millis()).unwrap_or(u64::MAX);
        let member = uuid::Uuid::new_v4().simple().to_string();
        let mut connection = self.link.connection();
        let mut invocation = self.script.key(key);
        invocation.arg(rate.max.max(1)).arg(window_ms).arg(member);
        match self.link.ask(invocation.invoke_async::<u64>(&mut connection)).await? {
            0 => Ok(None),
            wait_ms => Ok(Some(Duration::from_millis(wait_ms))),
        }
    }

    async fn acquire_shared(
        &self,
        scope: &str,
        class: &str,
        rate: Rate,
        latest: Option<Instant>,
    ) -> std::result::Result<Duration, Refusal> {
        let key = format!("{}:rl:{scope}:{class}", self.prefix);
        let started = Instant::now();
        let mut waits = 0u32;
        loop {
            let asked = match latest {
                Some(latest) => match tokio::time::timeout_at(latest, self.ask(&key, rate)).await {
                    Ok(asked) => asked,
                    // The call's deadline ran out, not Redis: no reason to count alone.
                    Err(_) => return Err(Refusal::PastDeadline(started.elapsed())),
                },
                None => self.ask(&key, rate).await,
            };
            match asked {
                Ok(None) => {
                    if self.degraded.swap(false, Ordering::Relaxed) {
                        tracing::info!(class, "shared rate limiter reachable again");
                    }
                    return Ok(started.elapsed());
                }
                Ok(Some(wait)) => {
                    let until = Instant::now() + wait;
                    if latest.is_some_and(|latest| until > latest) {
                        return Err(Refusal::PastDeadline(until - started));
                    }
                    waits += 1;
                    if let Some(message) = limiter_bound::exceeded(waits, until - started, self.max_wait) {
                        tracing::warn!(class, %message, "shared rate limiter wait bounded");
                        return Err(Refusal::Unavailable(message));
                    }
                    tokio::time::sleep_until(until).await;
                }
                Err(message) => {
                    if !self.degraded.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            class,
                            %message,
                            policy = ?self.when_unavailable,
                            "shared rate limiter unavailable"
                        );
                    }
                    return match self.when_unavailable {
                        WhenUnavailable::LocalWindow => {
                            let waited = self.fallback.acquire_local(scope, class, rate, latest).await?;
                            Ok(started.elapsed().max(waited))
                        }
                        WhenUnavailable::FailClosed => Err(Refusal::Unavailable(message)),
                    };
                }
            }
        }
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(
        &'a self,
        scope: &'a str,
        class: &'a str,
        rate: Rate,
        latest: Option<Instant>,
    ) -> BoxFuture<'a, std::result::Result<Duration, Refusal>> {
        Box::pin(self.acquire_shared(scope, class, rate, latest))
    }
}
