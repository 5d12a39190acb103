//! The Wallets API in the client kit: its `Api` impl, token setters,
//! resource accessors and path table.

use std::sync::Arc;

use crate::client::{Api, Client, ClientBuilder, EnvVars, Sealed, Wiring};
use crate::error::{Error, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::{limit_scope, ErrorDecoder};
use crate::{StaticToken, TokenSource, TransportOptions};

use super::wallet::Wallets;

/// Every path the client calls, relative to the base URL.
pub(crate) mod paths {
    pub const WALLETS: &str = "/api/v1/wallets";
    pub const WALLET: &str = "/api/v1/wallets/{id}";
}

/// Rate-limit classes, for limits you set with
/// [`WalletsClientBuilder::rate_limit`] (the API documents none).
pub mod rate_class {
    use crate::RateClass;

    /// `GET /api/v1/wallets` and `GET /api/v1/wallets/{id}`.
    pub const READ: RateClass = RateClass::custom("wallets.read");
}

/// The Wallets API, as the client kit knows it.
#[derive(Debug, Clone, Copy)]
pub struct WalletsApi;

/// Client for the Wallets API.
///
/// Cheap to clone; clones share the connection pool, rate limiter, retry
/// budget and token source.
pub type WalletsClient = Client<WalletsApi>;

/// Builds a [`WalletsClient`]: set the base URL and a token, then `build()`.
pub type WalletsClientBuilder = ClientBuilder<WalletsApi>;

/// What a [`WalletsClientBuilder`] collects besides the shared settings.
#[derive(Debug, Default)]
pub struct WalletsSettings {
    tokens: Option<Arc<dyn TokenSource>>,
}

impl Sealed for WalletsApi {}

impl Api for WalletsApi {
    const PROVIDER: Provider = Provider::Wallets;
    const NAME: &'static str = "the Wallets API";
    const ENV: EnvVars = EnvVars { credentials: &["WALLETS_TOKEN"], base_url: "WALLETS_BASE_URL" };
    type Settings = WalletsSettings;
    const DECODE_ERROR: ErrorDecoder = super::error::decode;
    type State = ();

    /// The API documents no public host.
    fn default_base_url(_: &WalletsSettings) -> Option<&'static str> {
        None
    }

    fn env_credentials(settings: &mut WalletsSettings, values: Vec<String>) {
        settings.tokens = values.into_iter().next().map(|token| Arc::new(StaticToken::new(token)) as _);
    }

    fn connect(settings: WalletsSettings, base_url: &str, _: &TransportOptions) -> Result<Wiring<()>> {
        let Some(tokens) = settings.tokens else {
            return Err(Error::Config(
                "the Wallets API needs a Bearer token: call token(..) or token_source(..)".into(),
            ));
        };
        Ok(Wiring {
            // The token source names no stable identity: the API is the scope.
            limit_scope: limit_scope(Provider::Wallets, base_url),
            auth: Auth::bearer(tokens),
            secrets: Vec::new(),
            state: (),
        })
    }
}

impl WalletsClient {
    /// Wallet calls: list (one page or a stream) and get by id.
    pub fn wallets(&self) -> Wallets<'_> {
        Wallets { client: self }
    }
}

impl WalletsClientBuilder {
    /// A fixed Bearer token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.settings.tokens = Some(Arc::new(StaticToken::new(token)));
        self
    }

    /// Any source of Bearer tokens: your own [`TokenSource`], or a
    /// [`WaasLogin`](crate::waas::WaasLogin) shared with a WaaS client. On a
    /// 401 the source is asked to [`invalidate`](TokenSource::invalidate) the
    /// token and the call is retried once if it can supply a fresh one.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.settings.tokens = Some(source);
        self
    }
}
