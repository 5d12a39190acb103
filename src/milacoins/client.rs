//! The MilaCoins API in the client kit: its `Api` impl, credential setters,
//! environments, resource accessors and path table.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use crate::client::{Api, Client, ClientBuilder, EnvVars, Sealed, Wiring};
use crate::error::{Error, Provider, Result};
use crate::transport::auth::{Auth, HmacSigner};
use crate::transport::{limit_scope, missing_credentials, secret, ErrorDecoder};
use crate::{Request, TransportOptions};

use super::{invoices::Invoices, logs::Logs, reference::Reference, transactions::Transactions};

/// The documented Sandbox base URL (test networks).
pub const SANDBOX_BASE_URL: &str = "https://sandbox-api.milacoins.com";

/// The documented Production base URL (real money).
pub const PRODUCTION_BASE_URL: &str = "https://api.milacoins.com";

/// Which MilaCoins environment a client talks to. The two are independent:
/// keys, wallets and transactions of one do not exist in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://sandbox-api.milacoins.com`, on test networks (the default).
    #[default]
    Sandbox,
    /// `https://api.milacoins.com`, real funds.
    Production,
}

impl Environment {
    /// The environment's base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Sandbox => SANDBOX_BASE_URL,
            Environment::Production => PRODUCTION_BASE_URL,
        }
    }
}

/// Client-side rate-limit classes. MilaCoins documents no numbers (it
/// answers 4302 when exceeded), so none are set by default; set your
/// contract's with the builder's `rate_limit(class, Some(rate))`.
pub mod rate_class {
    use crate::RateClass;

    /// Every `GET`.
    pub const READ: RateClass = RateClass::custom("milacoins.read");
    /// Every `POST` (invoices, payment pages).
    pub const WRITE: RateClass = RateClass::custom("milacoins.write");
}

/// Every path the client calls, relative to the base URL. Templates with
/// `{id}` are filled with `transport::path::with_id`, which refuses
/// ids that would change the path.
pub(crate) mod paths {
    pub const LOGS: &str = "/logs";
    pub const LOG: &str = "/logs/{id}";
    pub const CURRENCIES: &str = "/currencies";
    pub const WALLETS: &str = "/wallets";
    pub const INVOICES: &str = "/invoices";
    pub const PAYMENT_PAGE: &str = "/invoices/payment-page";
    pub const TRANSACTIONS: &str = "/transactions";
    pub const TRANSACTION: &str = "/transactions/{id}";
}

/// The headers MilaCoins authenticates with (lowercase: header names are
/// case-insensitive and `HeaderName` stores them lowercase).
const KEY_HEADER: &str = "x-api-key";
const TIME_HEADER: &str = "x-time";
const SIGNATURE_HEADER: &str = "x-sig";

/// The MilaCoins payment gateway, as the client kit knows it.
#[derive(Debug, Clone, Copy)]
pub struct MilaCoinsApi;

/// Client for the MilaCoins payment gateway.
///
/// Cheap to clone; clones share the connection pool, retry budget and the
/// clock offset learned from the server.
pub type MilaCoinsClient = Client<MilaCoinsApi>;

/// Builds a [`MilaCoinsClient`]: set the credentials, then `build()`.
pub type MilaCoinsClientBuilder = ClientBuilder<MilaCoinsApi>;

/// What a [`MilaCoinsClientBuilder`] collects besides the shared settings.
#[derive(Debug, Default)]
pub struct MilaCoinsSettings {
    environment: Environment,
    api_key: Option<SecretString>,
    secret_key: Option<SecretString>,
}

impl Sealed for MilaCoinsApi {}

impl Api for MilaCoinsApi {
    const PROVIDER: Provider = Provider::MilaCoins;
    const NAME: &'static str = "MilaCoins";
    const ENV: EnvVars =
        EnvVars { credentials: &["MILACOINS_API_KEY", "MILACOINS_SECRET_KEY"], base_url: "MILACOINS_BASE_URL" };
    type Settings = MilaCoinsSettings;
    const DECODE_ERROR: ErrorDecoder = super::error::decode;
    type State = ();

    fn default_base_url(settings: &MilaCoinsSettings) -> Option<&'static str> {
        Some(settings.environment.base_url())
    }

    fn env_credentials(settings: &mut MilaCoinsSettings, values: Vec<String>) {
        let mut values = values.into_iter().map(secret);
        (settings.api_key, settings.secret_key) = (values.next(), values.next());
    }

    fn connect(settings: MilaCoinsSettings, _: &str, _: &TransportOptions) -> Result<Wiring<()>> {
        let (api_key, secret_key) = match (settings.api_key, settings.secret_key) {
            (Some(api_key), Some(secret_key)) => (api_key, secret_key),
            (api_key, secret_key) => {
                let parts = [
                    ("the API key (`.api_key(..)`)", api_key.is_some()),
                    ("the secret key (`.secret_key(..)`)", secret_key.is_some()),
                ];
                return Err(Error::Config(missing_credentials("MilaCoins", &parts)));
            }
        };
        let limit_scope = limit_scope(Provider::MilaCoins, api_key.expose_secret());
        let signer = HmacSigner::new(KEY_HEADER, TIME_HEADER, SIGNATURE_HEADER, api_key, secret_key)?;
        Ok(Wiring { auth: Auth::Hmac(Arc::new(signer)), limit_scope, secrets: Vec::new(), state: () })
    }

    /// Requests without a class count as reads (`GET`) or writes.
    fn prepare(_: &(), req: Request) -> Request {
        if req.rate_class.is_some() {
            return req;
        }
        let class = if req.method == reqwest::Method::GET { rate_class::READ } else { rate_class::WRITE };
        req.rate_class(class)
    }
}

impl MilaCoinsClient {
    /// API logs: the requests your keys made, as the server recorded them.
    pub fn logs(&self) -> Logs<'_> {
        Logs { client: self }
    }

    /// Reference data: the currencies and wallets available to you.
    pub fn reference(&self) -> Reference<'_> {
        Reference { client: self }
    }

    /// Invoices and hosted payment pages.
    pub fn invoices(&self) -> Invoices<'_> {
        Invoices { client: self }
    }

    /// Transactions: list with filters, or read one.
    pub fn transactions(&self) -> Transactions<'_> {
        Transactions { client: self }
    }
}

impl MilaCoinsClientBuilder {
    /// The API key (sent as `X-api-key`) and the secret key it signs with,
    /// in that order; [`api_key`](Self::api_key) and
    /// [`secret_key`](Self::secret_key) name them where the order is not
    /// obvious at the call site.
    pub fn credentials(self, api_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        self.api_key(api_key).secret_key(secret_key)
    }

    /// The API key, sent as `X-api-key`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.settings.api_key = Some(secret(api_key));
        self
    }

    /// The secret key requests are signed with; it is never sent.
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.settings.secret_key = Some(secret(secret_key));
        self
    }

    /// Sandbox (the default) or Production; a [`base_url`](Self::base_url) wins over it.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.settings.environment = environment;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_carry_the_documented_urls() {
        assert_eq!(Environment::default(), Environment::Sandbox);
        assert_eq!(Environment::Sandbox.base_url(), "https://sandbox-api.milacoins.com");
        assert_eq!(Environment::Production.base_url(), "https://api.milacoins.com");
    }

    #[test]
    fn ids_cannot_escape_their_path() {
        use crate::transport::path::with_id;
        for bad in ["", ".", "..", "a/b", "a?b", "a#b", "a\\b", "%2e%2e", "a b"] {
            assert!(matches!(with_id(paths::TRANSACTION, "id", bad), Err(Error::InvalidRequest(_))), "{bad:?}");
            assert!(matches!(with_id(paths::LOG, "id", bad), Err(Error::InvalidRequest(_))), "{bad:?}");
        }
        assert_eq!(with_id(paths::LOG, "log id", "62d956ed").unwrap().path, "/logs/62d956ed");
        assert_eq!(with_id(paths::TRANSACTION, "transaction id", "62d95a1b").unwrap().path, "/transactions/62d95a1b");
    }

    #[test]
    fn plain_http_is_refused_except_loopback() {
        let build = |url: &str| MilaCoinsClient::builder().credentials("k", "s").base_url(url).build();
        assert!(matches!(build("http://api.milacoins.com"), Err(Error::Config(_))));
        assert!(build("http://127.0.0.1:9").is_ok());
        assert!(build("https://api.milacoins.com").is_ok());
        assert!(matches!(MilaCoinsClient::builder().build(), Err(Error::Config(_))));
    }
}
