//! The sandbox's one clock: real time plus an offset that only grows, so a
//! test crosses a day-long validity or a token's lifetime in a call instead
//! of waiting.
//!
//! Every fake reads its time here: Milta's idempotency keys, cancellation
//! window, `scheduledAt` and rate windows, MilaCoins' `createdAt` and
//! `expiredAt`, WaaS token expiry and ledger dates. The one exception is
//! MilaCoins' signature window (`X-time`, ±30 s) and its `Date` header: they
//! compare with the caller's own clock, which the offset cannot move.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// The furthest the clock goes ahead (about a century), so no date or
/// instant arithmetic can overflow.
const MAX_OFFSET_MS: u64 = 100 * 365 * 24 * 3600 * 1000;

/// Real time plus an offset in milliseconds that [`Clock::advance`] grows.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicU64,
}

impl Clock {
    /// How far the clock has been moved ahead of real time.
    pub(crate) fn offset(&self) -> Duration {
        Duration::from_millis(self.offset_ms.load(Ordering::SeqCst))
    }

    /// The sandbox's wall-clock time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let offset = TimeDelta::from_std(self.offset()).unwrap_or_default();
        let now = Utc::now();
        now.checked_add_signed(offset).unwrap_or(now)
    }

    /// The sandbox's monotonic time (tokio's, so paused-time tests still
    /// control it), for lifetimes and rate windows.
    pub(crate) fn instant(&self) -> tokio::time::Instant {
        let now = tokio::time::Instant::now();
        now.checked_add(self.offset()).unwrap_or(now)
    }

    /// Moves the clock ahead by `by` (whole milliseconds; never backwards,
    /// at most a century in all) and returns the new time.
    pub(crate) fn advance(&self, by: Duration) -> DateTime<Utc> {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let _ = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| Some(o.saturating_add(ms).min(MAX_OFFSET_MS)));
        self.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_both_clocks_forward_only() {
        let clock = Clock::default();
        let (wall, mono) = (clock.now(), clock.instant());
        let after = clock.advance(Duration::from_secs(24 * 3600));
        assert!(after - wall >= TimeDelta::hours(24), "{wall} -> {after}");
        assert!(clock.instant() - mono >= Duration::from_secs(24 * 3600));
        assert_eq!(clock.offset(), Duration::from_secs(24 * 3600));
        clock.advance(Duration::ZERO);
        assert_eq!(clock.offset(), Duration::from_secs(24 * 3600));
    }
}
