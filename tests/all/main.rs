//! The integration tests, as one binary: one link of the crate instead of one
//! per file. A module per provider and per transport concern; the helpers
//! they share live in [`support`].
//!
//! Two tests stay binaries of their own because they change process-wide
//! state: `tests/loopback_proxy.rs` sets the proxy environment variables, and
//! `tests/traces/` installs the tracing subscribers whose output it reads
//! (tracing caches callsite interest per process, so a test running beside
//! them without a subscriber could hide a span).
//!
//! Modules needing a feature are compiled with it: `test_util` and the
//! MilaCoins tests built on its matchers need `test-util`, the Redis replica
//! tests need `redis`, the journal's stores `journal-sqlite` and
//! `journal-postgres` (`cargo test --all-features` runs everything).

mod support;

mod documents;
#[cfg(any(feature = "test-util", feature = "journal-sqlite", feature = "journal-postgres"))]
mod journal;
mod milacoins;
mod milta;
#[cfg(unix)]
mod restart;
mod sandbox_e2e;
mod scenarios;
mod service_example;
#[cfg(feature = "test-util")]
mod test_util;
mod transport;
mod waas;
mod wallets;
