//! The tests that read what walletkit traces, as a binary of their own:
//! tracing caches callsite interest per process, so a test running beside
//! them without a subscriber could hide a span (and a secret check that sees
//! no trace proves nothing). Every test here that makes calls installs its
//! own capturing subscriber.

mod fields;
mod levels;
#[cfg(feature = "test-util")]
mod milacoins_secrets;
mod milta_secrets;
mod waas_secrets;

use std::io::Write;
use std::sync::{Arc, Mutex};

/// Everything a subscriber writes, shared with the test.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Makes this thread's subscriber one that writes every event down to
    /// `level` here, until the guard is dropped.
    pub fn install(&self, level: tracing::Level) -> tracing::subscriber::DefaultGuard {
        let subscriber =
            tracing_subscriber::fmt().with_max_level(level).with_writer(self.clone()).with_ansi(false).finish();
        tracing::subscriber::set_default(subscriber)
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}
