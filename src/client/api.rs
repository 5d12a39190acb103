//! What a provider tells the kit about itself, once.

use std::fmt;

use reqwest::header::HeaderMap;
use secrecy::SecretString;

use crate::error::{ApiError, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::Transport;
use crate::{RateLimits, Request, TransportOptions};

/// Implemented only inside walletkit: the set of providers is closed.
pub trait Sealed {}

/// The environment variables a client's `from_env` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvVars {
    /// The credentials, read in this order, each required.
    pub credentials: &'static [&'static str],
    /// The base URL; required when the provider documents no public host.
    pub base_url: &'static str,
}

/// A provider's API, as the client kit needs to know it. Implemented once
/// per provider by walletkit (the trait is sealed); users meet it only as
/// the parameter of [`Client`](super::Client) and
/// [`ClientBuilder`](super::ClientBuilder).
pub trait Api: Sealed + Sized + Send + Sync + 'static {
    /// The provider, as errors and traces name it.
    const PROVIDER: Provider;
    /// The API's name in configuration errors.
    const NAME: &'static str;
    /// The environment variables `from_env` reads.
    const ENV: EnvVars;

    /// What a builder collects besides the shared settings: credentials and
    /// provider options, with a `Debug` free of secrets.
    #[doc(hidden)]
    type Settings: Default + fmt::Debug + Send + Sync;
    /// What a client keeps besides its transport.
    #[doc(hidden)]
    type State: Clone + fmt::Debug + Send + Sync + 'static;

    /// The base URL used when none is set (`None`: one is required).
    #[doc(hidden)]
    fn default_base_url(settings: &Self::Settings) -> Option<&'static str>;

    /// The client-side limits a new builder starts with.
    #[doc(hidden)]
    fn default_rate_limits() -> RateLimits {
        RateLimits::default()
    }

    /// Stores the values of [`EnvVars::credentials`], in their order.
    #[doc(hidden)]
    fn env_credentials(settings: &mut Self::Settings, values: Vec<String>);

    /// Turns the settings into auth and client state.
    ///
    /// # Errors
    /// [`crate::Error::Config`] for missing or unusable credentials.
    #[doc(hidden)]
    fn connect(settings: Self::Settings, base_url: &str, options: &TransportOptions) -> Result<Wiring<Self::State>>;

    /// Hands the state the client's transport once it is built (a login
    /// that sends through the client it authenticates).
    #[doc(hidden)]
    fn attach(_state: &Self::State, _transport: Built<'_>) {}

    /// Adds what every request of this client carries (headers, a default
    /// rate class) before it is sent.
    #[doc(hidden)]
    fn prepare(_state: &Self::State, req: Request) -> Request {
        req
    }

    /// Reads an error response (status, headers, body) into an [`ApiError`].
    #[doc(hidden)]
    const DECODE_ERROR: fn(Provider, u16, &HeaderMap, &[u8]) -> ApiError;
}

/// The transport [`Api::attach`] receives.
pub struct Built<'a>(pub(crate) &'a Transport);

/// What [`Api::connect`] hands the transport.
pub struct Wiring<S> {
    /// Applied to every attempt.
    pub(crate) auth: Auth,
    /// A digest naming the credentials, for limits shared across replicas.
    pub(crate) limit_scope: String,
    /// Credentials sent other than through `auth`, blanked from error texts.
    pub(crate) secrets: Vec<SecretString>,
    /// The client's state.
    pub(crate) state: S,
}
