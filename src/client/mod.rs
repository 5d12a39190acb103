//! The client kit: what every provider's client shares, written once.
//!
//! A provider plugs in by implementing the sealed [`Api`] trait once (its
//! name, default base URL, how credentials become auth, how its errors read,
//! its default rate limits and environment variables). It then gets one
//! [`ClientBuilder`] with every transport setter, one [`Client`] holding the
//! transport (`send_raw`, `with_call_options`, a `Debug` free of secrets),
//! and one [`Listing`] over the paging engine. Its own module adds only its
//! credential setters, its resource accessors and its page style, and names
//! the generic types with aliases (`XClient = Client<XApi>`).

mod api;
mod builder;
mod core;
mod listing;
mod once;
mod recover;

pub use api::{Api, EnvVars};
pub(crate) use api::{Built, Sealed, Wiring};
pub use builder::ClientBuilder;
pub use core::Client;
pub use listing::Listing;
pub(crate) use recover::{evidence, rebuilt, Recipe};
