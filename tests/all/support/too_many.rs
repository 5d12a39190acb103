//! An attempt hook counting the 429s a client meets.

use std::sync::atomic::{AtomicU64, Ordering};

use walletkit::{AttemptHook, AttemptReport};

#[derive(Default)]
pub struct TooMany(AtomicU64);

impl TooMany {
    pub fn seen(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl AttemptHook for TooMany {
    fn on_end(&self, report: &AttemptReport<'_>) {
        if report.status == Some(429) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}
