//! The Wallets client, its builder and path table.

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::options::{transport_builder_setters, TransportOptions};
use crate::transport::{limit_scope, Transport, TransportConfig};
use crate::{env, RawResponse, Request, StaticToken, TokenSource};

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

/// Client for the Wallets API.
///
/// Cheap to clone; clones share the connection pool, rate limiter, retry
/// budget and token source.
#[derive(Clone)]
pub struct WalletsClient {
    pub(crate) transport: Transport,
}

impl fmt::Debug for WalletsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalletsClient").field("transport", &self.transport).finish()
    }
}

impl WalletsClient {
    /// A builder; set the base URL and a token, then [`WalletsClientBuilder::build`].
    pub fn builder() -> WalletsClientBuilder {
        WalletsClientBuilder { base_url: None, tokens: None, options: TransportOptions::default() }
    }

    /// A handle on the same pool, limiter and credentials whose calls use
    /// `options`' deadline and retry policy (see [`crate::CallOptions`]).
    pub fn with_call_options(&self, options: crate::CallOptions) -> Self {
        WalletsClient { transport: self.transport.with_call_options(options) }
    }

    /// A client from `WALLETS_BASE_URL` and `WALLETS_TOKEN`.
    ///
    /// # Errors
    /// [`Error::Config`] naming a missing variable (the base URL is required:
    /// the API documents no public host), or an invalid base URL.
    pub fn from_env() -> Result<Self> {
        let token = env::required("WALLETS_TOKEN")?;
        let base_url = env::optional("WALLETS_BASE_URL").ok_or_else(|| {
            Error::Config(
                "environment variable WALLETS_BASE_URL is not set; the Wallets API documents no public host, \
                 so a base URL is required"
                    .into(),
            )
        })?;
        Self::builder().base_url(base_url).token(token).build()
    }

    /// Wallet calls: list (one page or a stream) and get by id.
    pub fn wallets(&self) -> Wallets<'_> {
        Wallets { client: self }
    }

    /// Sends any request with this client's auth, retries and errors; for
    /// endpoints walletkit does not know yet.
    ///
    /// # Errors
    /// Any [`Error`] the transport maps.
    pub async fn send_raw(&self, req: Request) -> Result<RawResponse> {
        self.transport.send(req).await
    }
}

/// Builds a [`WalletsClient`].
pub struct WalletsClientBuilder {
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenSource>>,
    options: TransportOptions,
}

impl fmt::Debug for WalletsClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalletsClientBuilder")
            .field("base_url", &self.base_url)
            .field("token_source", &self.tokens)
            .field("options", &self.options)
            .finish()
    }
}

impl WalletsClientBuilder {
    transport_builder_setters!();

    /// A fixed Bearer token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.tokens = Some(Arc::new(StaticToken::new(token)));
        self
    }

    /// Any source of Bearer tokens: your own [`TokenSource`], or a
    /// [`WaasLogin`](crate::waas::WaasLogin) shared with a WaaS client. On a
    /// 401 the source is asked to [`invalidate`](TokenSource::invalidate) the
    /// token and the call is retried once if it can supply a fresh one.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.tokens = Some(source);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] without a base URL or a token, or with a bad or
    /// plain-HTTP base URL.
    pub fn build(self) -> Result<WalletsClient> {
        let Some(base_url) = self.base_url else {
            return Err(Error::Config(
                "the Wallets API documents no public host: a base URL is required (call base_url(..) \
                 or set WALLETS_BASE_URL)"
                    .into(),
            ));
        };
        let Some(tokens) = self.tokens else {
            return Err(Error::Config(
                "the Wallets API needs a Bearer token: call token(..) or token_source(..)".into(),
            ));
        };
        let transport = Transport::new(TransportConfig {
            provider: Provider::Wallets,
            // The token source names no stable identity: the API is the scope.
            limit_scope: limit_scope(Provider::Wallets, &base_url),
            base_url: &base_url,
            auth: Auth::bearer(tokens),
            secrets: Vec::new(),
            options: self.options,
            decode_error: super::error::decode,
        })?;
        Ok(WalletsClient { transport })
    }
}
