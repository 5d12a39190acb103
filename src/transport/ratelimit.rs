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

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
        self.per + self.per / 50
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
    pub fn new(rates: &[(&'static str, Rate)]) -> Self {
        RateLimits { enabled: true, rates: rates.to_vec() }
    }

    /// Sets (or with `None` removes) the limit of one class.
    pub fn set(&mut self, class: &'static str, rate: Option<Rate>) {
        self.rates.retain(|(c, _)| *c != class);
        if let Some(rate) = rate {
            self.rates.push((class, rate));
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

/// The limiter of one client, shared by all its clones.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLimiter {
    windows: Arc<HashMap<&'static str, Window>>,
}

impl RateLimiter {
    pub(crate) fn new(limits: &RateLimits) -> Self {
        let windows = if limits.enabled {
            limits
                .rates
                .iter()
                .map(|(class, rate)| (*class, Window { rate: *rate, granted: Mutex::new(VecDeque::new()) }))
                .collect()
        } else {
            HashMap::new()
        };
        RateLimiter { windows: Arc::new(windows) }
    }

    /// Waits until a request of `class` may start and returns how long it
    /// waited. When that would be after `latest` (the call's deadline), it
    /// reserves nothing and returns the wait that would have been needed.
    pub(crate) async fn acquire(&self, class: Option<&str>, latest: Option<Instant>) -> Result<Duration, Duration> {
        let Some(window) = class.and_then(|c| self.windows.get(c)) else {
            return Ok(Duration::ZERO);
        };
        let now = Instant::now();
        match window.reserve(now, latest) {
            Ok(slot) => {
                tokio::time::sleep_until(slot).await;
                Ok(slot - now)
            }
            Err(slot) => Err(slot - now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn two_hundred_tasks_never_exceed_the_rate_and_the_first_is_not_delayed() {
        let rate = Rate::new(10, Duration::from_secs(1));
        let limiter = RateLimiter::new(&RateLimits::new(&[("c", rate)]));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let l = limiter.clone();
            tasks.push(tokio::spawn(async move {
                l.acquire(Some("c"), None).await.unwrap();
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

    #[tokio::test(start_paused = true)]
    async fn unlimited_class_and_disabled_limits_do_not_wait() {
        let mut limits = RateLimits::new(&[("c", Rate::new(1, Duration::from_secs(60)))]);
        let limiter = RateLimiter::new(&limits);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire(Some("other"), None).await.unwrap();
            limiter.acquire(None, None).await.unwrap();
        }
        assert_eq!(Instant::now(), start);
        limits.enabled = false;
        let off = RateLimiter::new(&limits);
        for _ in 0..5 {
            off.acquire(Some("c"), None).await.unwrap();
        }
        assert_eq!(Instant::now(), start);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_reserves_nothing() {
        let limiter = RateLimiter::new(&RateLimits::new(&[("c", Rate::new(1, Duration::from_secs(60)))]));
        let start = Instant::now();
        assert_eq!(limiter.acquire(Some("c"), Some(start)).await, Ok(Duration::ZERO));
        let soon = Some(start + Duration::from_secs(10));
        assert_eq!(limiter.acquire(Some("c"), soon).await, Err(Duration::from_millis(61_200)));
        assert_eq!(Instant::now(), start, "nothing slept");
        // The refused call took no slot: the next one gets the first free one.
        let later = Some(start + Duration::from_secs(62));
        assert_eq!(limiter.acquire(Some("c"), later).await, Ok(Duration::from_millis(61_200)));
    }
}
