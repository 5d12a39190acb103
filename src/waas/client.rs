//! The WaaS API in the client kit: its `Api` impl, credential setters,
//! resource accessors, path table and rate-limit classes.

use std::sync::Arc;

use secrecy::SecretString;

use crate::client::{Api, Built, Client, ClientBuilder, EnvVars, Sealed, Wiring};
use crate::error::{Error, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::{missing_credentials, secret, ErrorDecoder};
use crate::{TokenSource, TransportOptions};

use super::accounts::Accounts;
use super::clients::Clients;
use super::login::{login_ref, WaasLogin};
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

/// Wallet-as-a-Service, as the client kit knows it.
#[derive(Debug, Clone, Copy)]
pub struct WaasApi;

/// Client for Wallet-as-a-Service.
///
/// Cheap to clone; clones share the connection pool, rate limiter, retry
/// budget and one cached login.
pub type WaasClient = Client<WaasApi>;

/// Builds a [`WaasClient`]: set the base URL and credentials, then `build()`.
pub type WaasClientBuilder = ClientBuilder<WaasApi>;

/// What a [`WaasClientBuilder`] (or a [`WaasLoginBuilder`](super::WaasLoginBuilder))
/// collects besides the shared settings.
#[derive(Debug, Default)]
pub struct WaasSettings {
    pub(crate) username: Option<SecretString>,
    pub(crate) password: Option<SecretString>,
    login: Option<Arc<WaasLogin>>,
    /// Login tokens shared across replicas.
    #[cfg(feature = "redis")]
    pub(crate) token_cache: Option<crate::RedisTokenCache>,
}

impl WaasSettings {
    /// The username and password, or the error naming what is missing
    /// (and `alternative`, what would do instead).
    pub(crate) fn credentials(&mut self, alternative: &str) -> Result<(SecretString, SecretString)> {
        match (self.username.take(), self.password.take()) {
            (Some(username), Some(password)) => Ok((username, password)),
            (username, password) => {
                let parts = [
                    ("a username (`.username(..)`)", username.is_some()),
                    ("a password (`.password(..)`)", password.is_some()),
                ];
                let message = missing_credentials("Wallet-as-a-Service", &parts);
                Err(Error::Config(format!("{message}{alternative}")))
            }
        }
    }

    /// The Redis token cache, when one is set.
    #[cfg(feature = "redis")]
    pub(crate) fn shared_cache(&self) -> Option<crate::RedisTokenCache> {
        self.token_cache.clone()
    }
}

impl Sealed for WaasApi {}

impl Api for WaasApi {
    const PROVIDER: Provider = Provider::Waas;
    const NAME: &'static str = "Wallet-as-a-Service";
    const ENV: EnvVars = EnvVars { credentials: &["WAAS_USERNAME", "WAAS_PASSWORD"], base_url: "WAAS_BASE_URL" };
    type Settings = WaasSettings;
    const DECODE_ERROR: ErrorDecoder = super::error::decode;
    type State = Arc<WaasLogin>;

    /// WaaS documents no public host.
    fn default_base_url(_: &WaasSettings) -> Option<&'static str> {
        None
    }

    fn env_credentials(settings: &mut WaasSettings, values: Vec<String>) {
        let mut values = values.into_iter().map(secret);
        (settings.username, settings.password) = (values.next(), values.next());
    }

    fn connect(mut settings: WaasSettings, _: &str, _: &TransportOptions) -> Result<Wiring<Arc<WaasLogin>>> {
        let (login, auth): (_, Arc<dyn TokenSource>) = match settings.login.take() {
            Some(login) => (login.clone(), login),
            None => {
                let (username, password) = settings.credentials(", or a `.shared_login(..)`")?;
                // Sends through this client's transport, attached once it is built.
                let login = Arc::new(WaasLogin::unattached(username, password, &settings));
                let auth = login_ref(&login);
                (login, auth)
            }
        };
        Ok(Wiring {
            limit_scope: login.limit_scope().to_string(),
            auth: Auth::bearer(auth),
            // The WaaS server knows the login's password too, and may echo it.
            secrets: login.credentials(),
            state: login,
        })
    }

    /// A login built for this client sends through its transport; a shared
    /// one keeps its own.
    fn attach(login: &Arc<WaasLogin>, transport: Built<'_>) {
        login.attach(transport.0);
    }
}

impl WaasClient {
    /// Logs in now unless a usable token is cached. Every call does this on
    /// its own; use it to check the credentials early.
    ///
    /// # Errors
    /// As [`WaasLogin::ensure_logged_in`].
    pub async fn login(&self) -> Result<()> {
        self.state.ensure_logged_in().await
    }

    /// This client's login, to authenticate another client (for example the
    /// Wallets API's) with the same cached token.
    pub fn token_source(&self) -> Arc<WaasLogin> {
        self.state.clone()
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
}

/// The credential setters of a [`WaasClientBuilder`] and a
/// [`WaasLoginBuilder`](super::WaasLoginBuilder).
impl<Out> ClientBuilder<WaasApi, Out> {
    /// Shares the login token through Redis with every replica using the
    /// same Redis, prefix and user: one login at a time across all of them,
    /// and a rejected token removed only if it is still the shared one.
    #[cfg(feature = "redis")]
    pub fn token_cache(mut self, cache: crate::RedisTokenCache) -> Self {
        self.settings.token_cache = Some(cache);
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
        self.settings.username = Some(secret(username));
        self
    }

    /// The WaaS password.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.settings.password = Some(secret(password));
        self
    }
}

impl WaasClientBuilder {
    /// Uses an existing login (and its cached token) instead of credentials,
    /// for example one already shared with a Wallets client.
    pub fn shared_login(mut self, login: Arc<WaasLogin>) -> Self {
        self.settings.login = Some(login);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[tokio::test]
    async fn the_login_sends_through_the_client_and_outlives_it_without_a_cycle() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(paths::LOGIN))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"access_token":"t"}"#))
            .expect(1)
            .mount(&server)
            .await;
        let waas = WaasClient::builder().base_url(server.uri()).credentials("u", "p").build().unwrap();
        let login = waas.token_source();
        assert!(login.transport_is(&waas.transport), "one transport: one pool, limiter and retry budget");
        drop(waas);
        // Still usable by another client (the Wallets API's) once the WaaS client is gone.
        login.ensure_logged_in().await.unwrap();
        let weak = Arc::downgrade(&login);
        drop(login);
        assert!(weak.upgrade().is_none(), "the client's transport holds its login weakly");
    }
}
