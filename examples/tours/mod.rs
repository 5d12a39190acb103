//! The flows the examples run, shared by the per-provider examples, the
//! quickstart and the end-to-end tests (which include this module), plus
//! where each client points: the real API when its environment variables are
//! set, otherwise the sandbox embedded in-process.
#![allow(dead_code)] // each example uses only its own provider's tour

pub mod callbacks;
pub mod milacoins;
pub mod milta;
pub mod waas;
pub mod wallets;

use std::process::ExitCode;

use walletkit::milacoins::MilaCoinsClient;
use walletkit::milta::MiltaClient;
use walletkit::sandbox::{Sandbox, SandboxClient as _, SandboxConfig};
use walletkit::waas::WaasClient;
use walletkit::wallets::WalletsClient;

/// Any error an example can end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Hands out clients: from the environment when a provider's credential
/// variables are set, otherwise from one sandbox started on first need.
#[derive(Default)]
pub struct Connections {
    sandbox: Option<Sandbox>,
}

impl Connections {
    async fn sandbox(&mut self, provider: &str, variables: &str) -> Result<&Sandbox, BoxError> {
        if self.sandbox.is_none() {
            self.sandbox = Some(Sandbox::start(SandboxConfig::default()).await?);
        }
        println!("{provider}: {variables} not set, using the embedded sandbox");
        self.sandbox.as_ref().ok_or_else(|| "the sandbox did not start".into())
    }

    /// A Milta client (`MILTA_API_KEY_ID`, `MILTA_API_KEY_SECRET`, `MILTA_BASE_URL`).
    pub async fn milta(&mut self) -> Result<MiltaClient, BoxError> {
        if any_set(&["MILTA_API_KEY_ID", "MILTA_API_KEY_SECRET"]) {
            return Ok(MiltaClient::from_env()?);
        }
        Ok(self.sandbox("milta", "MILTA_API_KEY_ID/SECRET").await?.milta().client()?)
    }

    /// A MilaCoins client (`MILACOINS_API_KEY`, `MILACOINS_SECRET_KEY`, `MILACOINS_BASE_URL`).
    pub async fn milacoins(&mut self) -> Result<MilaCoinsClient, BoxError> {
        if any_set(&["MILACOINS_API_KEY", "MILACOINS_SECRET_KEY"]) {
            return Ok(MilaCoinsClient::from_env()?);
        }
        Ok(self.sandbox("milacoins", "MILACOINS_API_KEY/SECRET_KEY").await?.milacoins().client()?)
    }

    /// A Wallets client (`WALLETS_BASE_URL`, `WALLETS_TOKEN`).
    pub async fn wallets(&mut self) -> Result<WalletsClient, BoxError> {
        if any_set(&["WALLETS_TOKEN"]) {
            return Ok(WalletsClient::from_env()?);
        }
        Ok(self.sandbox("wallets", "WALLETS_TOKEN").await?.wallets().client()?)
    }

    /// A WaaS client (`WAAS_BASE_URL`, `WAAS_USERNAME`, `WAAS_PASSWORD`).
    pub async fn waas(&mut self) -> Result<WaasClient, BoxError> {
        if any_set(&["WAAS_USERNAME", "WAAS_PASSWORD"]) {
            return Ok(WaasClient::from_env()?);
        }
        Ok(self.sandbox("waas", "WAAS_USERNAME/PASSWORD").await?.waas().client()?)
    }
}

fn any_set(names: &[&str]) -> bool {
    names.iter().any(|name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty()))
}

/// `10.5 EUR`, or `unknown` when the server did not say.
pub fn money(amount: Option<walletkit::Decimal>, currency: Option<&str>) -> String {
    match amount {
        Some(a) => format!("{} {}", a.normalize(), currency.unwrap_or("")).trim_end().to_string(),
        None => "unknown".into(),
    }
}

/// Prints walletkit's traces as the `RUST_LOG` variable asks, for example
/// `RUST_LOG=walletkit=debug`: one span per call, one event per attempt.
/// (An application installs its own subscriber; walletkit never does.)
pub fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let Some(targets) =
        std::env::var("RUST_LOG").ok().and_then(|v| v.parse::<tracing_subscriber::filter::Targets>().ok())
    else {
        return;
    };
    let layer = tracing_subscriber::fmt::layer().with_target(false).with_writer(std::io::stderr);
    let _ = tracing_subscriber::registry().with(layer).with(targets).try_init();
}

/// Prints how `example` ended and turns it into the process's exit code.
pub fn exit(example: &str, result: Result<(), BoxError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{example} failed: {e}");
            if let Some(unknown) = e.downcast_ref::<walletkit::Error>().and_then(walletkit::Error::as_outcome_unknown) {
                // The line above says what to do; the references are fields.
                eprintln!("its reference: {:?}", unknown.sent.reference);
            }
            ExitCode::FAILURE
        }
    }
}
