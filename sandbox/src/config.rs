//! What to start: addresses, credentials, initial state and faults per API.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use rust_decimal::Decimal;

use crate::faults::Faults;
use crate::milacoins::CallbackMethod;

/// Configuration of a whole sandbox. `SandboxConfig::default()` binds every
/// API to a free loopback port with the default credentials and no faults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Address to bind (default `127.0.0.1`).
    pub host: IpAddr,
    /// `None` (or `Some(0)`): a free port per API. `Some(n)`: Milta on `n`,
    /// MilaCoins on `n + 1`, Wallets on `n + 2`, WaaS on `n + 3`.
    pub port_base: Option<u16>,
    /// The Milta Partner fake.
    pub milta: MiltaConfig,
    /// The MilaCoins fake.
    pub milacoins: MilaCoinsConfig,
    /// The Wallets fake.
    pub wallets: WalletsConfig,
    /// The Wallet-as-a-Service fake.
    pub waas: WaasConfig,
    /// Close a keep-alive connection after this long without a byte either
    /// way, as a load balancer in front of an API does (AWS ALB: 60 s).
    /// `None` (the default) keeps connections until the client closes them.
    pub idle_close: Option<Duration>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port_base: None,
            milta: MiltaConfig::default(),
            milacoins: MilaCoinsConfig::default(),
            wallets: WalletsConfig::default(),
            waas: WaasConfig::default(),
            idle_close: None,
        }
    }
}

/// One documented Milta limit: at most `max` requests in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Requests allowed per window.
    pub max: u32,
    /// Length of the sliding window.
    pub window: Duration,
}

impl Limit {
    /// `max` requests per minute.
    pub fn per_minute(max: u32) -> Self {
        Limit { max, window: Duration::from_secs(60) }
    }
}

/// Milta's per-key limits by route class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MiltaLimits {
    /// `GET /inventories/*` (documented: 300/min).
    pub inventories: Limit,
    /// `POST /transfers` and `/transfers/batch` (documented: 60/min).
    pub transfer_create: Limit,
    /// `GET /transfers/{id}` and `DELETE /transfers/{id}` (documented: 300/min).
    pub transfer_read: Limit,
    /// `GET /balance` (documented: 60/min).
    pub balance: Limit,
    /// `POST /pricing` (documented: 120/min).
    pub pricing: Limit,
}

impl MiltaLimits {
    /// The limits the Milta document publishes.
    pub fn documented() -> Self {
        MiltaLimits {
            inventories: Limit::per_minute(300),
            transfer_create: Limit::per_minute(60),
            transfer_read: Limit::per_minute(300),
            balance: Limit::per_minute(60),
            pricing: Limit::per_minute(120),
        }
    }
}

impl Default for MiltaLimits {
    fn default() -> Self {
        Self::documented()
    }
}

/// The Milta Partner fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiltaConfig {
    /// Basic-auth user name (`MILTA_API_KEY_ID`).
    pub key_id: String,
    /// Basic-auth password (`MILTA_API_KEY_SECRET`).
    pub key_secret: String,
    /// The partner account's starting balance, in [`MiltaConfig::currency`].
    pub initial_balance: Decimal,
    /// The partner account's currency; transfers in other currencies are
    /// converted at fixed sandbox rates.
    pub currency: String,
    /// Per-key limits answered with 429 when exceeded; `None` turns them off.
    pub limits: Option<MiltaLimits>,
    /// Fault switches.
    pub faults: Faults,
}

impl Default for MiltaConfig {
    fn default() -> Self {
        MiltaConfig {
            key_id: "sandbox-milta-key-id".into(),
            key_secret: "sandbox-milta-key-secret".into(),
            initial_balance: Decimal::new(10_000_000, 2),
            currency: "GBP".into(),
            limits: Some(MiltaLimits::documented()),
            faults: Faults::default(),
        }
    }
}

/// The MilaCoins fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilaCoinsConfig {
    /// `X-api-key` value (`MILACOINS_API_KEY`).
    pub api_key: String,
    /// HMAC secret (`MILACOINS_SECRET_KEY`).
    pub secret_key: String,
    /// Largest accepted difference between `X-time` and the server clock.
    pub time_window: Duration,
    /// Seconds added to the server's clock (negative: behind), to exercise a
    /// client's clock-offset learning from the `Date` header.
    pub clock_skew_secs: i64,
    /// How a payment page's `callbackUrl` is called when a test ends its
    /// invoice: `GET` (the default; the document puts everything in the URL)
    /// or `POST`.
    pub callback_method: CallbackMethod,
    /// Fault switches.
    pub faults: Faults,
}

impl Default for MilaCoinsConfig {
    fn default() -> Self {
        MilaCoinsConfig {
            api_key: "sandbox-milacoins-api-key".into(),
            secret_key: "sandbox-milacoins-secret-key".into(),
            time_window: Duration::from_secs(30),
            clock_skew_secs: 0,
            callback_method: CallbackMethod::Get,
            faults: Faults::default(),
        }
    }
}

/// The Wallets fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletsConfig {
    /// The static Bearer token accepted (`WALLETS_TOKEN`).
    pub token: String,
    /// Fault switches.
    pub faults: Faults,
}

impl Default for WalletsConfig {
    fn default() -> Self {
        WalletsConfig { token: "sandbox-wallets-token".into(), faults: Faults::default() }
    }
}

/// The Wallet-as-a-Service fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaasConfig {
    /// Login user name (`WAAS_USERNAME`).
    pub username: String,
    /// Login password (`WAAS_PASSWORD`).
    pub password: String,
    /// Lifetime of issued tokens, reported as `expires_in` (seconds); `None`
    /// issues tokens that never expire and leaves `expires_in` out.
    pub token_ttl: Option<Duration>,
    /// Fault switches.
    pub faults: Faults,
}

impl Default for WaasConfig {
    fn default() -> Self {
        WaasConfig {
            username: "sandbox-waas-user".into(),
            password: "sandbox-waas-password".into(),
            token_ttl: Some(Duration::from_secs(3600)),
            faults: Faults::default(),
        }
    }
}
