//! What the Redis limiter and token cache share: connecting and asking, each
//! bounded by a timeout of its own, so an unreachable, silent or refusing
//! Redis is an answer, not a hang, and never one that shows its password.

use std::future::Future;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// How long [`crate::RedisRateLimiter`] and [`crate::RedisTokenCache`] wait
/// for Redis: to connect (default 5 s) and for each question (default 1 s).
///
/// Both are bounds of their own, not shares of a call's deadline: a healthy
/// Redis that is far away needs a longer ask timeout, not a longer deadline.
///
/// ```no_run
/// # async fn run() -> walletkit::Result<()> {
/// use std::time::Duration;
/// use walletkit::{RedisOptions, RedisRateLimiter};
///
/// let options = RedisOptions::default().ask_timeout(Duration::from_millis(300));
/// let limiter = RedisRateLimiter::connect_with("redis://127.0.0.1/", "payouts", options).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedisOptions {
    connect_timeout: Duration,
    ask_timeout: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions { connect_timeout: Duration::from_secs(5), ask_timeout: Duration::from_secs(1) }
    }
}

impl RedisOptions {
    /// The longest a connection (TCP, `AUTH`, `SELECT`) may take, at
    /// `connect` and at every reconnection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest one question to Redis may take before Redis counts as
    /// unavailable for it (default 1 s).
    pub fn ask_timeout(mut self, timeout: Duration) -> Self {
        self.ask_timeout = timeout;
        self
    }
}

/// A connection manager (it reconnects by itself) with the bound on each
/// question and the URL's secrets to keep out of every message.
#[derive(Clone)]
pub(crate) struct Link {
    connection: ConnectionManager,
    ask_timeout: Duration,
    secrets: Secrets,
}

/// Connects to the Redis at `url` within `options`' connect timeout.
///
/// The manager does not retry a failed connection on its own schedule (its
/// default backs off for minutes): the next question tries again, once, and
/// waits no longer than its ask timeout.
///
/// # Errors
/// [`Error::Config`] for a bad URL, a refused password, or when Redis cannot
/// be reached within the connect timeout; the message never holds the URL's
/// password.
pub(crate) async fn connect(url: &str, options: RedisOptions) -> Result<Link> {
    let secrets = Secrets::of(url);
    let target = without_credentials(url);
    let fail = |why: String| Error::Config(secrets.redact(&format!("the Redis at {target} could not be used ({why})")));
    let client = redis::Client::open(url).map_err(|e| fail(e.to_string()))?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(options.connect_timeout)
        .set_response_timeout(options.ask_timeout)
        .set_number_of_retries(0);
    // The manager's own timeout bounds each attempt; this one the whole of `connect`.
    match tokio::time::timeout(options.connect_timeout, ConnectionManager::new_with_config(client, config)).await {
        Ok(Ok(connection)) => Ok(Link { connection, ask_timeout: options.ask_timeout, secrets }),
        Ok(Err(e)) if !e.is_timeout() => Err(fail(e.to_string())),
        Ok(Err(_)) | Err(_) => Err(fail(format!("no connection within {:?}", options.connect_timeout))),
    }
}

impl Link {
    /// A handle on the shared connection, for one question.
    pub(crate) fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    /// `ask`'s answer within the ask timeout, or why there was none.
    pub(crate) async fn ask<T>(&self, ask: impl Future<Output = redis::RedisResult<T>>) -> Result<T, String> {
        match tokio::time::timeout(self.ask_timeout, ask).await {
            Ok(answer) => answer.map_err(|e| self.secrets.redact(&e.to_string())),
            Err(_) => Err(format!("no answer within {:?}", self.ask_timeout)),
        }
    }
}

/// `url` as it may be shown: its host and port (or a socket's path), never
/// its user, password or query (`?pass=` is a password too), and nothing of
/// it when it does not parse.
fn without_credentials(url: &str) -> String {
    match url::Url::parse(url) {
        // The host and port only: an error's text holds no URL.
        Ok(parsed) => match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            // A socket: its path.
            (None, _) => parsed.path().to_string(),
        },
        Err(_) => "(a URL that does not parse)".to_string(),
    }
}

/// The passwords a Redis URL carries, as written and percent-decoded.
#[derive(Clone, Default)]
struct Secrets(Vec<SecretString>);

impl Secrets {
    fn of(url: &str) -> Secrets {
        let mut found: Vec<String> = Vec::new();
        match url::Url::parse(url) {
            Ok(parsed) => {
                found.extend(parsed.password().map(str::to_string));
                found.extend(parsed.query_pairs().filter(|(k, _)| k == "pass").map(|(_, v)| v.into_owned()));
            }
            // Unparsed: whatever sits between `://` and the last `@` before the path.
            Err(_) => {
                let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
                let authority = rest.split('/').next().unwrap_or(rest);
                if let Some((userinfo, _)) = authority.rsplit_once('@') {
                    found.push(userinfo.split_once(':').map_or(userinfo, |(_, pw)| pw).to_string());
                }
            }
        }
        let decoded: Vec<String> = found.iter().map(|s| percent_decoded(s)).collect();
        found.extend(decoded);
        found.retain(|s| !s.is_empty());
        // Longest first, so a password containing another is replaced whole.
        found.sort_by_key(|s| std::cmp::Reverse(s.len()));
        found.dedup();
        Secrets(found.into_iter().map(SecretString::from).collect())
    }

    fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.0 {
            out = out.replace(secret.expose_secret(), "[REDACTED]");
        }
        out
    }
}

/// `%XX` escapes decoded (as the redis crate decodes a URL's password);
/// anything else kept as it is.
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_credentials() {
        assert_eq!(without_credentials("redis://user:pw@10.0.0.5:6380/2"), "10.0.0.5:6380");
        assert_eq!(without_credentials("redis+unix:///run/redis.sock?db=1&pass=pw"), "/run/redis.sock");
        assert_eq!(without_credentials("redis://:pw@[::1"), "(a URL that does not parse)");
    }

    #[test]
    fn every_form_of_the_password_is_redacted() {
        let s = Secrets::of("redis://default:p%40ss%2Fw0rd@host/");
        assert_eq!(s.redact("a p%40ss%2Fw0rd b p@ss/w0rd c"), "a [REDACTED] b [REDACTED] c");
        let s = Secrets::of("redis+unix:///sock?pass=s3cr3t");
        assert_eq!(s.redact("bad s3cr3t"), "bad [REDACTED]");
        let s = Secrets::of("redis://:hunter2@[::1");
        assert_eq!(s.redact("could not parse redis://:hunter2@[::1"), "could not parse redis://:[REDACTED]@[::1");
        assert_eq!(Secrets::of("redis://host/").redact("text"), "text");
        assert_eq!(percent_decoded("a%2Fb%zz%4"), "a/b%zz%4");
    }
}
