//! The Milta client, its builder, localisation headers and path table.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Provider, Result};
use crate::transport::auth::Auth;
use crate::transport::options::{transport_builder_setters, TransportOptions};
use crate::transport::{limit_scope, missing_credentials, secret, Transport, TransportConfig};
use crate::{env, Rate, RateLimits, RawResponse, Request};

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

/// Client for the Milta Wallet Partner API.
///
/// Cheap to clone; clones share the connection pool, rate limiter and retry budget.
#[derive(Clone)]
pub struct MiltaClient {
    pub(crate) transport: Transport,
    locale: Locale,
}

impl fmt::Debug for MiltaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiltaClient").field("transport", &self.transport).field("locale", &self.locale).finish()
    }
}

impl MiltaClient {
    /// A builder; set the credentials, then [`MiltaClientBuilder::build`].
    pub fn builder() -> MiltaClientBuilder {
        MiltaClientBuilder {
            base_url: None,
            key_id: None,
            key_secret: None,
            locale: Locale::default(),
            options: TransportOptions { rate_limits: default_rate_limits(), ..TransportOptions::default() },
        }
    }

    /// A client from `MILTA_API_KEY_ID`, `MILTA_API_KEY_SECRET` and optionally `MILTA_BASE_URL`.
    ///
    /// # Errors
    /// [`Error::Config`] naming the missing variable, or an invalid base URL.
    pub fn from_env() -> Result<Self> {
        let mut builder =
            Self::builder().credentials(env::required("MILTA_API_KEY_ID")?, env::required("MILTA_API_KEY_SECRET")?);
        if let Some(url) = env::optional("MILTA_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// A handle on the same pool, limiter and credentials whose calls use
    /// `options`' deadline and retry policy:
    /// `milta.with_call_options(CallOptions::new().deadline(Some(d))).transfers().create(&t)`.
    pub fn with_call_options(&self, options: crate::CallOptions) -> Self {
        MiltaClient { transport: self.transport.with_call_options(options), locale: self.locale.clone() }
    }

    /// A handle whose calls send `locale`'s headers instead of the client's.
    pub fn with_locale(&self, locale: Locale) -> Self {
        MiltaClient { transport: self.transport.clone(), locale }
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

    /// Sends any request with this client's auth, locale, retries and errors;
    /// for endpoints walletkit does not know yet.
    ///
    /// # Errors
    /// Any [`Error`] the transport maps.
    pub async fn send_raw(&self, req: Request) -> Result<RawResponse> {
        self.transport.send(self.locale.apply(req)).await
    }
}

/// Builds a [`MiltaClient`].
pub struct MiltaClientBuilder {
    base_url: Option<String>,
    key_id: Option<SecretString>,
    key_secret: Option<SecretString>,
    locale: Locale,
    options: TransportOptions,
}

impl fmt::Debug for MiltaClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiltaClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.key_id.as_ref().map(|_| "[REDACTED]"))
            .field("locale", &self.locale)
            .field("options", &self.options)
            .finish()
    }
}

impl MiltaClientBuilder {
    transport_builder_setters!();

    /// The API Key ID (Basic username) and API Key Secret (Basic password),
    /// in that order; [`key_id`](Self::key_id) and
    /// [`key_secret`](Self::key_secret) name them where the order is not
    /// obvious at the call site.
    pub fn credentials(self, key_id: impl Into<String>, key_secret: impl Into<String>) -> Self {
        self.key_id(key_id).key_secret(key_secret)
    }

    /// The API Key ID (the Basic username).
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(secret(key_id));
        self
    }

    /// The API Key Secret (the Basic password).
    pub fn key_secret(mut self, key_secret: impl Into<String>) -> Self {
        self.key_secret = Some(secret(key_secret));
        self
    }

    /// Localisation headers sent on every request.
    pub fn locale(mut self, locale: Locale) -> Self {
        self.locale = locale;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] without credentials, or with a bad or plain-HTTP base URL.
    pub fn build(self) -> Result<MiltaClient> {
        let (id, secret) = match (self.key_id, self.key_secret) {
            (Some(id), Some(secret)) => (id, secret),
            (id, secret) => {
                let parts = [
                    ("the API Key ID (`.key_id(..)`)", id.is_some()),
                    ("the API Key Secret (`.key_secret(..)`)", secret.is_some()),
                ];
                return Err(Error::Config(missing_credentials("Milta", &parts)));
            }
        };
        let transport = Transport::new(TransportConfig {
            provider: Provider::Milta,
            limit_scope: limit_scope(Provider::Milta, id.expose_secret()),
            base_url: self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            auth: Auth::basic(&id, &secret)?,
            secrets: Vec::new(),
            options: self.options,
            decode_error: super::error::decode,
        })?;
        Ok(MiltaClient { transport, locale: self.locale })
    }
}
