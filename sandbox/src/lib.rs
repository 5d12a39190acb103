//! # walletkit-sandbox
//!
//! Stateful fakes of the four APIs walletkit speaks (Milta Partner,
//! MilaCoins, Wallets, Wallet-as-a-Service), each on its own loopback
//! listener, checking credentials and signatures the way the providers'
//! documents describe, with seeded reference data, real state (transfers,
//! invoices, a ledger), documented paging and error bodies, and switches for
//! the faults real integrations meet.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use walletkit_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("Milta at {}", sandbox.milta().base_url());
//! for (name, value) in sandbox.env_vars() {
//!     println!("export {name}={value}");
//! }
//! // ... point clients at it; state is inspectable:
//! assert_eq!(sandbox.milta().transfers_with_external_id("TXN-1"), 0);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Handlers return early with a ready `Response` as their error; boxing it
// everywhere would only add noise to a test server.
#![allow(clippy::result_large_err)]

mod admin;
mod clock;
mod config;
mod drip;
mod faults;
mod idle;
mod json;
mod milacoins;
mod milta;
mod money;
mod paging;
mod seed;
mod server;
mod spec;
mod variants;
mod waas;
mod wallets;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// The README's example, compiled as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use tokio::net::TcpListener;

pub use config::{Limit, MilaCoinsConfig, MiltaConfig, MiltaLimits, SandboxConfig, WaasConfig, WalletsConfig};
pub use faults::{FaultCounts, Faults, Trigger};
pub use milacoins::{CallbackCall, CallbackMethod, InvoiceEnd, MilaCoinsInvoice, MilaCoinsSandbox};
pub use milta::{MiltaSandbox, MiltaTransfer, TransferMatch, TransferOutcome};
pub use paging::PagingFault;
pub use spec::FaultSpecError;
pub use waas::{WaasEntry, WaasMatch, WaasSandbox};
pub use wallets::WalletsSandbox;

/// A running sandbox.
///
/// Dropping it stops every listener and connection, but only best-effort and
/// asynchronously: the serving tasks are aborted, and their listeners and
/// connections close when the runtime next polls them, shortly after `drop`
/// returns. Await [`Sandbox::shutdown`] to know they are closed.
#[derive(Debug)]
pub struct Sandbox {
    milta: MiltaSandbox,
    milacoins: MilaCoinsSandbox,
    wallets: WalletsSandbox,
    waas: WaasSandbox,
    clock: Arc<clock::Clock>,
    admin_url: String,
    servers: Vec<server::Served>,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
    }
}

async fn bind(config: &SandboxConfig, offset: u16) -> std::io::Result<(TcpListener, SocketAddr)> {
    let port = match config.port_base {
        None | Some(0) => 0,
        Some(base) => base.checked_add(offset).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("port base {base} + {offset} overflows"))
        })?,
    };
    let listener = TcpListener::bind(SocketAddr::new(config.host, port)).await?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

fn url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

impl Sandbox {
    /// Binds the four listeners and starts serving on the current tokio
    /// runtime.
    ///
    /// # Errors
    /// An I/O error when a listener cannot be bound (port taken, bad host).
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let (milta_listener, milta_addr) = bind(&config, 0).await?;
        let (milacoins_listener, milacoins_addr) = bind(&config, 1).await?;
        let (wallets_listener, wallets_addr) = bind(&config, 2).await?;
        let (waas_listener, waas_addr) = bind(&config, 3).await?;

        let clock = Arc::new(clock::Clock::default());
        let (milta_state, milta_router) = milta::build(&config.milta, clock.clone());
        let milacoins_url = url(milacoins_addr);
        let (milacoins_state, milacoins_router) = milacoins::build(&config.milacoins, &milacoins_url, clock.clone());
        let (wallets_state, wallets_router) = wallets::build(&config.wallets);
        let (waas_state, waas_router) = waas::build(&config.waas, clock.clone());

        let milta = MiltaSandbox { base_url: format!("{}{}", url(milta_addr), milta::PREFIX), state: milta_state };
        let milacoins = MilaCoinsSandbox { base_url: milacoins_url, state: milacoins_state };
        let waas = WaasSandbox { base_url: url(waas_addr), state: waas_state };
        let admin = admin::router(admin::Admin {
            clock: clock.clone(),
            milta: milta.clone(),
            milacoins: milacoins.clone(),
            waas: waas.clone(),
        });
        let servers = vec![
            server::spawn(milta_listener, milta_router.merge(admin.clone()), config.idle_close),
            server::spawn(milacoins_listener, milacoins_router.merge(admin.clone()), config.idle_close),
            server::spawn(wallets_listener, wallets_router.merge(admin.clone()), config.idle_close),
            server::spawn(waas_listener, waas_router.merge(admin), config.idle_close),
        ];
        Ok(Sandbox {
            milta,
            admin_url: format!("{}{}", url(milacoins_addr), admin::PREFIX),
            milacoins,
            wallets: WalletsSandbox { base_url: url(wallets_addr), state: wallets_state },
            waas,
            clock,
            servers,
        })
    }

    /// Stops every listener and connection and returns once they are all
    /// closed: a new connection to any of the base URLs is refused (unless
    /// something else has bound the port since), and connections that were
    /// open have been closed without an answer to any request in flight.
    pub async fn shutdown(mut self) {
        for server in std::mem::take(&mut self.servers) {
            server.shutdown().await;
        }
    }

    /// The Milta Partner fake.
    pub fn milta(&self) -> &MiltaSandbox {
        &self.milta
    }

    /// The MilaCoins fake.
    pub fn milacoins(&self) -> &MilaCoinsSandbox {
        &self.milacoins
    }

    /// The Wallets fake.
    pub fn wallets(&self) -> &WalletsSandbox {
        &self.wallets
    }

    /// The Wallet-as-a-Service fake.
    pub fn waas(&self) -> &WaasSandbox {
        &self.waas
    }

    /// The sandbox clock's time: real time plus every [`Sandbox::advance`]
    /// so far. Every fake reads its time here (Milta's idempotency keys,
    /// cancellation window, `scheduledAt` and rate windows; MilaCoins'
    /// `createdAt`; WaaS token lifetimes and ledger dates), except
    /// MilaCoins' `X-time` window and `Date` header, which compare with the
    /// caller's own clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Moves the sandbox clock ahead by `by` (whole milliseconds; it never
    /// moves back, and stops a century ahead) and returns the new time:
    /// crosses Milta's 24-hour idempotency validity, its 5-minute
    /// cancellation window and a deferred transfer's `scheduledAt`, and a
    /// WaaS token's `expires_in`, without waiting. Also
    /// `POST /__sandbox/clock/advance {"seconds": N}`.
    ///
    /// A request then sees the new time; times the caller picks from its own
    /// clock (a `scheduledAt`, an `expiredAt`) should be taken from
    /// [`Sandbox::now`] instead once the clock has moved.
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        self.clock.advance(by)
    }

    /// How far [`Sandbox::advance`] has moved the clock in all.
    pub fn clock_offset(&self) -> Duration {
        self.clock.offset()
    }

    /// The admin route's base (`WALLETKIT_SANDBOX_ADMIN_URL`), e.g.
    /// `http://127.0.0.1:4101/__sandbox`: the clock and the scenarios over
    /// HTTP, for tests in any language. Every listener serves it under the
    /// reserved prefix `/__sandbox`; this URL uses the MilaCoins one. See
    /// the crate README for the requests.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The environment variables walletkit's `from_env()` constructors and
    /// examples read, pointing at this sandbox, in a stable order.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MILTA_BASE_URL", self.milta.base_url().to_owned()),
            ("MILTA_API_KEY_ID", self.milta.key_id().to_owned()),
            ("MILTA_API_KEY_SECRET", self.milta.key_secret().to_owned()),
            ("MILACOINS_BASE_URL", self.milacoins.base_url().to_owned()),
            ("MILACOINS_API_KEY", self.milacoins.api_key().to_owned()),
            ("MILACOINS_SECRET_KEY", self.milacoins.secret_key().to_owned()),
            ("WALLETS_BASE_URL", self.wallets.base_url().to_owned()),
            ("WALLETS_TOKEN", self.wallets.token().to_owned()),
            ("WAAS_BASE_URL", self.waas.base_url().to_owned()),
            ("WAAS_USERNAME", self.waas.username().to_owned()),
            ("WAAS_PASSWORD", self.waas.password().to_owned()),
            ("WALLETKIT_SANDBOX_ADMIN_URL", self.admin_url.clone()),
        ]
    }
}
