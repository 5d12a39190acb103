//! The stateful fakes of the four APIs (the `walletkit-sandbox` crate, feature
//! `sandbox`), with ready clients for them: a test needs no environment
//! variables and no builder wiring, and parallel tests each start their own.
//!
//! ```
//! use walletkit::sandbox::{Sandbox, SandboxClient as _, SandboxConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! let milta = sandbox.milta().client()?;
//! let balance = milta.account().balance().await?;
//! assert!(balance.amount.is_some());
//! // Adjust before building: `sandbox.waas().client_builder().retry_policy(…).build()?`.
//! # Ok(()) }
//! ```
//!
//! Add it for tests only:
//! `[dev-dependencies] walletkit = { version = "…", features = ["sandbox"] }`.

pub use walletkit_sandbox::*;

use crate::error::Result;
use crate::milacoins::{MilaCoinsClient, MilaCoinsClientBuilder};
use crate::milta::{MiltaClient, MiltaClientBuilder};
use crate::waas::{WaasClient, WaasClientBuilder};
use crate::wallets::{WalletsClient, WalletsClientBuilder};

/// A walletkit client for one of the sandbox's fakes: its base URL and
/// credentials filled in.
pub trait SandboxClient {
    /// The client's builder.
    type Builder;
    /// The client.
    type Client;

    /// A builder pointed at this fake, to adjust (retries, timeouts,
    /// limits) before `build()`.
    fn client_builder(&self) -> Self::Builder;

    /// A client pointed at this fake with the default settings.
    ///
    /// # Errors
    /// Only what `build()` can return; the sandbox's own settings are valid.
    fn client(&self) -> Result<Self::Client>;
}

impl SandboxClient for MiltaSandbox {
    type Builder = MiltaClientBuilder;
    type Client = MiltaClient;

    fn client_builder(&self) -> MiltaClientBuilder {
        MiltaClient::builder().base_url(self.base_url()).credentials(self.key_id(), self.key_secret())
    }

    fn client(&self) -> Result<MiltaClient> {
        self.client_builder().build()
    }
}

impl SandboxClient for MilaCoinsSandbox {
    type Builder = MilaCoinsClientBuilder;
    type Client = MilaCoinsClient;

    fn client_builder(&self) -> MilaCoinsClientBuilder {
        MilaCoinsClient::builder().base_url(self.base_url()).credentials(self.api_key(), self.secret_key())
    }

    fn client(&self) -> Result<MilaCoinsClient> {
        self.client_builder().build()
    }
}

impl SandboxClient for WalletsSandbox {
    type Builder = WalletsClientBuilder;
    type Client = WalletsClient;

    fn client_builder(&self) -> WalletsClientBuilder {
        WalletsClient::builder().base_url(self.base_url()).token(self.token())
    }

    fn client(&self) -> Result<WalletsClient> {
        self.client_builder().build()
    }
}

impl SandboxClient for WaasSandbox {
    type Builder = WaasClientBuilder;
    type Client = WaasClient;

    fn client_builder(&self) -> WaasClientBuilder {
        WaasClient::builder().base_url(self.base_url()).credentials(self.username(), self.password())
    }

    fn client(&self) -> Result<WaasClient> {
        self.client_builder().build()
    }
}
