//! The WaaS client, its builder, path table and rate-limit classes.

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;

use crate::error::{Error, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::options::{transport_builder_setters, TransportOptions};
use crate::transport::{missing_credentials, secret, Transport, TransportConfig};
use crate::{RawResponse, Request};

use super::accounts::Accounts;
use super::clients::Clients;
use super::login::{env_settings, require_base_url, WaasLogin};
use super::services::ClientServices;
use super::transactions::Transactions;
use super::transfers::AccountTransfers;

/// Every path the client calls, relative to the base URL.
pub(crate) mod paths {
    pub const LOGIN: &str = "/api/v1/auth/login";
    pub const CLIENTS: &str = "/api/v1/clients";
    pub const ACCOUNTS: &str = "/api/v1/accounts";
    pub const CLIENT_SERVICES: &str = "/api/v1/client-services";
    /// Credit and debit (`?command=`).
    pub const TRANSACTIONS: &str = "/api/v1/transactions";
    /// Reversal (`?command=REVERSE`).
    pub const TRANSACTION: &str = "/api/v1/transactions/{id}";
    pub const ACCOUNT_TRANSFERS: &str = "/api/v1/account-transfers";
}

/// Rate-limit classes, for limits you set with [`WaasClientBuilder::rate_limit`]
/// (the API documents none).
pub mod rate_class {
    use crate::RateClass;

    /// `POST /api/v1/auth/login`.
    pub const LOGIN: RateClass = RateClass::custom("waas.login");
    /// Creating clients, accounts and client services.
    pub const SETUP: RateClass = RateClass::custom("waas.setup");
    /// Credits, debits, transfers and reversals.
    pub const TRANSACTIONS: RateClass = RateClass::custom("waas.transactions");
}

/// Client for Wallet-as-a-Service.
///
/// Cheap to clone; clones share the connection pool, rate limiter, retry
/// budget and one cached login.
#[derive(Clone)]
pub struct WaasClient {
    pub(crate) transport: Transport,
    login: Arc<WaasLogin>,
}

impl fmt::Debug for WaasClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaasClient").field("transport", &self.transport).finish()
    }
}

impl WaasClient {
    /// A builder; set the base URL and credentials, then [`WaasClientBuilder::build`].
    pub fn builder() -> WaasClientBuilder {
        WaasClientBuilder {
            base_url: None,
            username: None,
            password: None,
            login: None,
            options: TransportOptions::default(),
        }
    }

    /// A handle on the same pool, limiter and credentials whose calls use
    /// `options`' deadline and retry policy (see [`crate::CallOptions`]).
    pub fn with_call_options(&self, options: crate::CallOptions) -> Self {
        WaasClient { transport: self.transport.with_call_options(options), login: self.login.clone() }
    }

    /// A client from `WAAS_BASE_URL`, `WAAS_USERNAME` and `WAAS_PASSWORD`.
    ///
    /// # Errors
    /// [`Error::Config`] naming a missing variable (the base URL is required:
    /// WaaS documents no public host), or an invalid base URL.
    pub fn from_env() -> Result<Self> {
        let (base_url, username, password) = env_settings()?;
        Self::builder().base_url(base_url).credentials(username, password).build()
    }

    /// Logs in now unless a usable token is cached. Every call does this on
    /// its own; use it to check the credentials early.
    ///
    /// # Errors
    /// As [`WaasLogin::ensure_logged_in`].
    pub async fn login(&self) -> Result<()> {
        self.login.ensure_logged_in().await
    }

    /// This client's login, to authenticate another client (for example the
    /// Wallets API's) with the same cached token.
    pub fn token_source(&self) -> Arc<WaasLogin> {
        self.login.clone()
    }

    /// Client profiles: `POST /api/v1/clients`.
    pub fn clients(&self) -> Clients<'_> {
        Clients { client: self }
    }

    /// Accounts (wallets): `POST /api/v1/accounts`.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { client: self }
    }

    /// Client services: `POST /api/v1/client-services`.
    pub fn client_services(&self) -> ClientServices<'_> {
        ClientServices { client: self }
    }

    /// Credits, debits and reversals: `POST /api/v1/transactions`.
    pub fn transactions(&self) -> Transactions<'_> {
        Transactions { client: self }
    }

    /// Internal transfers: `POST /api/v1/account-transfers`.
    pub fn account_transfers(&self) -> AccountTransfers<'_> {
        AccountTransfers { client: self }
    }

    /// Sends any request with this client's login, retries and errors; for
    /// endpoints walletkit does not know yet.
    ///
    /// # Errors
    /// Any [`Error`] the transport maps.
    pub async fn send_raw(&self, req: Request) -> Result<RawResponse> {
        self.transport.send(req).await
    }
}

/// Builds a [`WaasClient`].
pub struct WaasClientBuilder {
    base_url: Option<String>,
    username: Option<SecretString>,
    password: Option<SecretString>,
    login: Option<Arc<WaasLogin>>,
    options: TransportOptions,
}

impl fmt::Debug for WaasClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaasClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.username.as_ref().map(|_| "[REDACTED]"))
            .field("shared_login", &self.login)
            .field("options", &self.options)
            .finish()
    }
}

impl WaasClientBuilder {
    transport_builder_setters!();

    /// Shares the login token through Redis with every replica using the
    /// same Redis, prefix and user: one login at a time across all of them,
    /// and a rejected token removed only if it is still the shared one.
    #[cfg(feature = "redis")]
    pub fn token_cache(mut self, cache: crate::RedisTokenCache) -> Self {
        self.options.token_cache = Some(cache);
        self
    }

    /// The WaaS username and password, in that order, exchanged for a token
    /// at `POST /api/v1/auth/login`; [`username`](Self::username) and
    /// [`password`](Self::password) name them.
    pub fn credentials(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.username(username).password(password)
    }

    /// The WaaS username.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(secret(username));
        self
    }

    /// The WaaS password.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(secret(password));
        self
    }

    /// Uses an existing login (and its cached token) instead of credentials,
    /// for example one already shared with a Wallets client.
    pub fn shared_login(mut self, login: Arc<WaasLogin>) -> Self {
        self.login = Some(login);
        self
    }

    /// Builds the client; nothing is sent until the first call.
    ///
    /// # Errors
    /// [`Error::Config`] without a base URL or credentials, or with a bad or
    /// plain-HTTP base URL.
    pub fn build(self) -> Result<WaasClient> {
        let base_url = require_base_url(self.base_url)?;
        let login = match (self.login, self.username, self.password) {
            (Some(login), _, _) => login,
            (None, Some(username), Some(password)) => {
                Arc::new(WaasLogin::new(&base_url, username, password, self.options.clone())?)
            }
            (None, username, password) => {
                let parts = [
                    ("a username (`.username(..)`)", username.is_some()),
                    ("a password (`.password(..)`)", password.is_some()),
                ];
                let message = missing_credentials("Wallet-as-a-Service", &parts);
                return Err(Error::Config(format!("{message}, or a `.shared_login(..)`")));
            }
        };
        let transport = Transport::new(TransportConfig {
            provider: Provider::Waas,
            limit_scope: login.limit_scope().to_string(),
            base_url: &base_url,
            auth: Auth::bearer(login.clone()),
            // The WaaS server knows the login's password too, and may echo it.
            secrets: login.credentials(),
            options: self.options,
            decode_error: super::error::decode,
        })?;
        Ok(WaasClient { transport, login })
    }
}
