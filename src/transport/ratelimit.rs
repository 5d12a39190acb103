//! Client-side rate limits per route class.
//!
//! Each class is an exact sliding window: at most `max` requests start in any
//! interval of length `per`. Requests reserve the next free slot in arrival
//! order under a lock and then sleep until it, so hundreds of waiting tasks
//! neither stampede nor slip past the limit. A token bucket (GCRA, as in
//! `governor`) would allow a full burst plus refill inside one window, which
//! is exactly what a "60 requests per minute" server counts as a violation,
//! and `governor`'s waiting does not follow tokio's clock, which the tests
//! pause.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::time::Instant;

/// A rate: at most `max` requests per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub(crate) max: u32,
    pub(crate) per: Duration,
}

impl Rate {
    /// How far apart a request and the one `max` places before it start:
    /// the window plus 2 % headroom. The server counts arrivals, not our
    /// start times, and a request that starts on time may arrive a few
    /// milliseconds late (scheduling, a busy connection); without headroom
    /// the next window's first request can land inside the server's count
    /// and meet a 429. 2 % costs at most 2 % of the allowed rate.
    pub(crate) fn spacing(&self) -> Duration {
        self.per.saturating_add(self.per / 50)
    }

    /// `max` requests per minute.
    pub fn per_minute(max: u32) -> Self {
        Rate { max, per: Duration::from_secs(60) }
    }

    /// `max` requests per `per`.
    pub fn new(max: u32, per: Duration) -> Self {
        Rate { max, per }
    }
}

/// A client-side rate-limit class: the requests one limit counts. Each
/// provider's classes are constants in its `rate_class` module
/// (`walletkit::milta::rate_class::TRANSFER_CREATE`), so a misspelt class
/// does not compile instead of silently setting no limit:
///
/// ```compile_fail
/// walletkit::milta::MiltaClient::builder().rate_limit("milta.balanse", None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateClass(&'static str);

impl RateClass {
    /// A class of your own, for requests you build and send with a client's
    /// `send_raw`; the provider's classes are in its `rate_class` module.
    pub const fn custom(name: &'static str) -> Self {
        RateClass(name)
    }

    /// The class's name, as a shared limiter keys it.
    pub const fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RateClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The client-side limits of a client: one [`Rate`] per route class.
///
/// Enabled by default (with no classes), so a limit set through a builder's
/// `rate_limit` takes effect without also switching limits on.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub(crate) enabled: bool,
    pub(crate) rates: Vec<(&'static str, Rate)>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits { enabled: true, rates: Vec::new() }
    }
}

impl RateLimits {
    /// Limits enforcing `rates`.
    pub fn new(rates: &[(RateClass, Rate)]) -> Self {
        RateLimits { enabled: true, rates: rates.iter().map(|(class, rate)| (class.name(), *rate)).collect() }
    }

    /// Sets (or with `None` removes) the limit of one class.
    pub fn set(&mut self, class: RateClass, rate: Option<Rate>) {
        self.rates.retain(|(c, _)| *c != class.name());
        if let Some(rate) = rate {
            self.rates.push((class.name(), rate));
        }
    }
}

/// About thirty years: "never" for a timer, without overflowing `Instant`.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

#[derive(Debug)]
struct Window {
    rate: Rate,
    /// Start times granted so far, oldest first; at most `rate.max` kept.
    granted: Mutex<VecDeque<Instant>>,
}

impl Window {
    /// Reserves the earliest start time that keeps every window within the rate.
    fn reserve(&self, now: Instant, latest: Option<Instant>) -> Result<Instant, Instant> {
        let max = self.rate.max.max(1) as usize;
        let mut granted = match self.granted.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let slot = if granted.len() < max {
            now
        } else {
            // The request `max` places back must have left the window.
            let oldest = granted[granted.len() - max];
            // A window too long to add is one no request ever leaves: far future.
            let free = oldest.checked_add(self.rate.spacing()).unwrap_or_else(|| now + FAR_FUTURE);
            now.max(free)
        };
        if latest.is_some_and(|latest| slot > latest) {
            return Err(slot);
        }
        granted.push_back(slot);
        while granted.len() > max {
            granted.pop_front();
        }
        Ok(slot)
    }
}

/// Why a request was not allowed to start.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The request could start only after the call's deadline; nothing was
    /// reserved. Carries the wait that would have been needed.
    PastDeadline(Duration),
    /// A shared limiter could not be asked (and is set to fail closed).
    Unavailable(String),
}

/// Where client-side rate limits are kept. The in-process sliding window is
/// the default; `RedisRateLimiter` (feature `redis`) shares one
/// window per API key and route class across every replica.
///
/// `scope` names the credentials (a digest, never the key itself), so one
/// limiter can serve clients of different keys.
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Waits until a request of `class` may start under `rate` and returns
    /// how long it waited, or refuses when that start would be after
    /// `latest` (the call's deadline), reserving nothing.
    fn acquire<'a>(
        &'a self,
        scope: &'a str,
        class: &'a str,
        rate: Rate,
        latest: Option<Instant>,
    ) -> BoxFuture<'a, Result<Duration, Refusal>>;
}

/// The in-process limiter: one exact sliding window per scope and class,
/// created on first use, shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct LocalRateLimiter {
    windows: Mutex<Vec<ScopedWindow>>,
}

/// The window of one scope (API key digest) and route class.
#[derive(Debug)]
struct ScopedWindow {
    scope: String,
    class: String,
    window: Arc<Window>,
}

impl LocalRateLimiter {
    fn window(&self, scope: &str, class: &str, rate: Rate) -> Arc<Window> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        // A handful of classes per client: a short list beats hashing.
        if let Some(w) = windows.iter().find(|w| w.scope == scope && w.class == class) {
            return w.window.clone();
        }
        let window = Arc::new(Window { rate, granted: Mutex::new(VecDeque::new()) });
        windows.push(ScopedWindow { scope: scope.to_string(), class: class.to_string(), window: window.clone() });
        window
    }

    /// The wait for a start of `class` under `rate`, reserved; see [`RateLimiter::acquire`].
    pub(crate) async fn acquire_local(
        &self,
        scope: &str,
        class: &str,
        rate: Rate,
        latest: Option<Instant>,
    ) -> Result<Duration, Refusal> {
        let window = self.window(scope, class, rate);
        let now = Instant::now();
        match window.reserve(now, latest) {
            Ok(slot) => {
                // A slot that is already due starts at once: a sleep would
                // wait for the timer's next tick (up to a millisecond).
                if slot > now {
                    tokio::time::sleep_until(slot).await;
                }
                Ok(slot - now)
            }
            Err(slot) => Err(Refusal::PastDeadline(slot - now)),
        }
    }
}

impl RateLimiter for LocalRateLimiter {
    fn acquire<'a>(
        &'a self,
        scope: &'a str,
        class: &'a str,
        rate: Rate,
        latest: Option<Instant>,
    ) -> BoxFuture<'a, Result<Duration, Refusal>> {
        Box::pin(self.acquire_local(scope, class, rate, latest))
    }
}

impl RateLimits {
    /// The rate of `class`, when limits are on and the class has one.
    pub(crate) fn rate(&self, class: &str) -> Option<Rate> {
        if !self.enabled {
            return None;
        }
        self.rates.iter().find(|(c, _)| *c == class).map(|(_, rate)| *rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_free_slot_is_granted_at_once_without_a_timer() {
        use futures_util::FutureExt;
        // A request with room in its window must not wait for the timer's
        // next tick (a millisecond): that capped 16 tasks at 16 calls per
        // millisecond with a limit far out of reach.
        let limiter = LocalRateLimiter::default();
        for _ in 0..3 {
            let granted = limiter.acquire("s", "c", Rate::new(10, Duration::from_secs(1)), None).now_or_never();
            assert_eq!(granted, Some(Ok(Duration::ZERO)));
        }
    }

    #[tokio::test]
    async fn a_window_past_what_the_clock_holds_refuses_instead_of_panicking() {
        let forever = Rate::new(1, Duration::MAX);
        assert_eq!(forever.spacing(), Duration::MAX);
        let limiter = LocalRateLimiter::default();
        let soon = Some(Instant::now() + Duration::from_secs(1));
        assert!(limiter.acquire("s", "c", forever, soon).await.is_ok());
        assert!(matches!(limiter.acquire("s", "c", forever, soon).await, Err(Refusal::PastDeadline(_))));
    }

    #[tokio::test(start_paused = true)]
    async fn two_hundred_tasks_never_exceed_the_rate_and_the_first_is_not_delayed() {
        let rate = Rate::new(10, Duration::from_secs(1));
        let limiter = Arc::new(LocalRateLimiter::default());
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let l = limiter.clone();
            tasks.push(tokio::spawn(async move {
                l.acquire_local("k", "c", rate, None).await.unwrap();
                Instant::now()
            }));
        }
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort();
        assert_eq!(times[0], start, "first request must not wait");
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..].iter().take_while(|u| **u < *t + rate.per).count();
            assert!(in_window <= 10, "{in_window} requests within one window starting at {i}");
        }
        // 200 requests at 10/s need 19 full windows (plus 2 % headroom each)
        // after the first burst, no more.
        assert_eq!(*times.last().unwrap() - start, rate.spacing() * 19);
    }

    #[test]
    fn only_enabled_limits_with_a_rate_apply() {
        let mut limits = RateLimits::new(&[(RateClass::custom("c"), Rate::new(1, Duration::from_secs(60)))]);
        assert_eq!(limits.rate("c"), Some(Rate::new(1, Duration::from_secs(60))));
        assert_eq!(limits.rate("other"), None);
        limits.enabled = false;
        assert_eq!(limits.rate("c"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_reserves_nothing() {
        let limiter = LocalRateLimiter::default();
        let rate = Rate::new(1, Duration::from_secs(60));
        let start = Instant::now();
        assert_eq!(limiter.acquire_local("k", "c", rate, Some(start)).await, Ok(Duration::ZERO));
        let soon = Some(start + Duration::from_secs(10));
        let refused = limiter.acquire_local("k", "c", rate, soon).await;
        assert_eq!(refused, Err(Refusal::PastDeadline(Duration::from_millis(61_200))));
        assert_eq!(Instant::now(), start, "nothing slept");
        // The refused call took no slot: the next one gets the first free one.
        let later = Some(start + Duration::from_secs(62));
        assert_eq!(limiter.acquire_local("k", "c", rate, later).await, Ok(Duration::from_millis(61_200)));
        // Another key has a window of its own.
        assert_eq!(limiter.acquire_local("other-key", "c", rate, None).await, Ok(Duration::ZERO));
    }
}
