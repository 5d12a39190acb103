//! MilaCoins: the document's contract, request signing, the server clock
//! and callbacks. All but the callbacks use the `test-util` matchers.

mod callbacks;
#[cfg(feature = "test-util")]
mod clock;
#[cfg(feature = "test-util")]
mod contract;
#[cfg(feature = "test-util")]
mod edge_cases;
#[cfg(feature = "test-util")]
mod signing;
