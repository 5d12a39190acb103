//! What every provider's calls share: paging, reconciling unknown outcomes,
//! hostile servers and their text, embedding in a service, and rate limits
//! shared by replicas through Redis.

mod call_options;
mod error_texts;
mod hostile_server;
mod hostile_text;
mod meta;
#[cfg(feature = "metrics")]
mod metrics;
mod paging;
mod read_idle;
mod reconcile;
#[cfg(feature = "redis")]
mod redis_replicas;
mod service;
mod stale_connections;
