//! What the Redis limiter and token cache share: connecting, and asking
//! with a bound on the wait, so an unreachable Redis is an answer, not a hang.

use std::future::Future;
use std::time::Duration;

use redis::aio::ConnectionManager;

use crate::error::{Error, Result};

/// How long one question to Redis may take before it counts as unavailable.
pub(crate) const ASK_TIMEOUT: Duration = Duration::from_millis(500);

/// A connection manager (it reconnects by itself) to the Redis at `url`.
///
/// # Errors
/// [`Error::Config`] for a bad URL or when Redis cannot be reached now.
pub(crate) async fn connect(url: &str) -> Result<ConnectionManager> {
    let client = redis::Client::open(url).map_err(|e| Error::Config(format!("Redis URL: {e}")))?;
    ConnectionManager::new(client).await.map_err(|e| Error::Config(format!("Redis at {url}: {e}")))
}

/// `ask`'s answer within `limit`, or why there was none.
pub(crate) async fn within<T>(limit: Duration, ask: impl Future<Output = redis::RedisResult<T>>) -> Result<T, String> {
    match tokio::time::timeout(limit, ask).await {
        Ok(answer) => answer.map_err(|e| e.to_string()),
        Err(_) => Err(format!("no answer within {limit:?}")),
    }
}
