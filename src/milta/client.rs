//! The Milta API in the client kit: its `Api` impl, credential setters,
//! localisation headers, resource accessors and path table.

use secrecy::{ExposeSecret, SecretString};

use crate::client::{Api, Client, ClientBuilder, EnvVars, Sealed, Wiring};
use crate::error::{Error, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::{limit_scope, missing_credentials, secret, ErrorDecoder};
use crate::{Rate, RateLimits, Request, TransportOptions};

use super::{account::Account, inventories::Inventories, transfers::Transfers};

/// The documented base URL (the provider's development environment).
pub const DEFAULT_BASE_URL: &str = "https://api.dev.wallet.milta.be/api/v1/partner";

/// Every path the client calls, relative to the base URL.
pub(crate) mod paths {
    pub const COUNTRIES: &str = "/inventories/countries";
    pub const CURRENCIES: &str = "/inventories/currencies";
    pub const CATEGORIES: &str = "/inventories/categories";
    pub const PROVIDERS: &str = "/inventories/providers";
    pub const PRODUCTS: &str = "/inventories/products";
    pub const BRANDS: &str = "/inventories/brands";
    pub const TRANSFERS: &str = "/transfers";
    pub const TRANSFER: &str = "/transfers/{id}";
    pub const TRANSFERS_BATCH: &str = "/transfers/batch";
    pub const BALANCE: &str = "/balance";
    pub const PRICING: &str = "/pricing";
}

/// Rate-limit classes with the documented per-key limits.
pub mod rate_class {
    use crate::RateClass;

    /// `GET /inventories/*`: 300 per minute.
    pub const INVENTORIES: RateClass = RateClass::custom("milta.inventories");
    /// `POST /transfers` (and batches): 60 per minute.
    pub const TRANSFER_CREATE: RateClass = RateClass::custom("milta.transfers.create");
    /// `GET /transfers/*`: 300 per minute.
    pub const TRANSFER_READ: RateClass = RateClass::custom("milta.transfers.read");
    /// `GET /balance`: 60 per minute.
    pub const BALANCE: RateClass = RateClass::custom("milta.balance");
    /// `POST /pricing`: 120 per minute.
    pub const PRICING: RateClass = RateClass::custom("milta.pricing");
}

/// The header carrying the idempotency key on transfer creation.
pub(crate) const IDEMPOTENCY_HEADER: &str = "X-Idempotency-Key";

fn default_rate_limits() -> RateLimits {
    RateLimits::new(&[
        (rate_class::INVENTORIES, Rate::per_minute(300)),
        (rate_class::TRANSFER_CREATE, Rate::per_minute(60)),
        (rate_class::TRANSFER_READ, Rate::per_minute(300)),
        (rate_class::BALANCE, Rate::per_minute(60)),
        (rate_class::PRICING, Rate::per_minute(120)),
    ])
}

/// Localisation headers: `Accept-Language`, `X-Currency`, `X-Country`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locale {
    /// Preferred language, e.g. `en-GB`.
    pub language: Option<String>,
    /// Preferred display currency (ISO 4217), e.g. `GBP`.
    pub currency: Option<String>,
    /// Target country (ISO 3166-1 alpha-2), e.g. `GB`.
    pub country: Option<String>,
}

impl Locale {
    /// A locale with all three headers.
    pub fn new(language: impl Into<String>, currency: impl Into<String>, country: impl Into<String>) -> Self {
        Locale { language: Some(language.into()), currency: Some(currency.into()), country: Some(country.into()) }
    }

    fn apply(&self, mut req: Request) -> Request {
        for (name, value) in
            [("Accept-Language", &self.language), ("X-Currency", &self.currency), ("X-Country", &self.country)]
        {
            if let Some(v) = value {
                req = req.header(name, v.as_str());
            }
        }
        req
    }
}

/// The Milta Wallet Partner API, as the client kit knows it.
#[derive(Debug, Clone, Copy)]
pub struct MiltaApi;

/// Client for the Milta Wallet Partner API.
///
/// Cheap to clone; clones share the connection pool, rate limiter and retry budget.
pub type MiltaClient = Client<MiltaApi>;

/// Builds a [`MiltaClient`]: set the credentials, then `build()`.
pub type MiltaClientBuilder = ClientBuilder<MiltaApi>;

/// What a [`MiltaClientBuilder`] collects besides the shared settings.
#[derive(Debug, Default)]
pub struct MiltaSettings {
    key_id: Option<SecretString>,
    key_secret: Option<SecretString>,
    locale: Locale,
}

impl Sealed for MiltaApi {}

impl Api for MiltaApi {
    const PROVIDER: Provider = Provider::Milta;
    const NAME: &'static str = "Milta";
    const ENV: EnvVars =
        EnvVars { credentials: &["MILTA_API_KEY_ID", "MILTA_API_KEY_SECRET"], base_url: "MILTA_BASE_URL" };
    type Settings = MiltaSettings;
    const DECODE_ERROR: ErrorDecoder = super::error::decode;
    type State = Locale;

    fn default_base_url(_: &MiltaSettings) -> Option<&'static str> {
        Some(DEFAULT_BASE_URL)
    }

    fn default_rate_limits() -> RateLimits {
        default_rate_limits()
    }

    fn env_credentials(settings: &mut MiltaSettings, values: Vec<String>) {
        let mut values = values.into_iter().map(secret);
        (settings.key_id, settings.key_secret) = (values.next(), values.next());
    }

    fn connect(settings: MiltaSettings, _: &str, _: &TransportOptions) -> Result<Wiring<Locale>> {
        let (id, secret) = match (settings.key_id, settings.key_secret) {
            (Some(id), Some(secret)) => (id, secret),
            (id, secret) => {
                let parts = [
                    ("the API Key ID (`.key_id(..)`)", id.is_some()),
                    ("the API Key Secret (`.key_secret(..)`)", secret.is_some()),
                ];
                return Err(Error::Config(missing_credentials("Milta", &parts)));
            }
        };
        Ok(Wiring {
            limit_scope: limit_scope(Provider::Milta, id.expose_secret()),
            auth: Auth::basic(&id, &secret)?,
            secrets: Vec::new(),
            state: settings.locale,
        })
    }

    fn prepare(locale: &Locale, req: Request) -> Request {
        locale.apply(req)
    }
}

impl MiltaClient {
    /// A handle whose calls send `locale`'s headers instead of the client's.
    pub fn with_locale(&self, locale: Locale) -> Self {
        Client { transport: self.transport.clone(), state: locale }
    }

    /// Reference data: countries, currencies, categories, providers, products, brands.
    pub fn inventories(&self) -> Inventories<'_> {
        Inventories { client: self }
    }

    /// Transfers: create, deferred, status, cancel, batch.
    pub fn transfers(&self) -> Transfers<'_> {
        Transfers { client: self }
    }

    /// Balance and pricing.
    pub fn account(&self) -> Account<'_> {
        Account { client: self }
    }
}

impl MiltaClientBuilder {
    /// The API Key ID (Basic username) and API Key Secret (Basic password),
    /// in that order; [`key_id`](Self::key_id) and
    /// [`key_secret`](Self::key_secret) name them where the order is not
    /// obvious at the call site.
    pub fn credentials(self, key_id: impl Into<String>, key_secret: impl Into<String>) -> Self {
        self.key_id(key_id).key_secret(key_secret)
    }

    /// The API Key ID (the Basic username).
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.settings.key_id = Some(secret(key_id));
        self
    }

    /// The API Key Secret (the Basic password).
    pub fn key_secret(mut self, key_secret: impl Into<String>) -> Self {
        self.settings.key_secret = Some(secret(key_secret));
        self
    }

    /// Localisation headers sent on every request.
    pub fn locale(mut self, locale: Locale) -> Self {
        self.settings.locale = locale;
        self
    }
}
