//! Reference data: `GET /currencies` and `GET /wallets`.

use serde::Deserialize;

use super::client::{paths, MilaCoinsClient};
use crate::error::Result;
use crate::Request;

#[derive(Deserialize)]
struct CurrenciesBody {
    currencies: Vec<String>,
}

#[derive(Deserialize)]
struct WalletsBody {
    wallets: Vec<String>,
}

/// Reference-data calls; see [`MilaCoinsClient::reference`].
#[derive(Debug, Clone, Copy)]
pub struct Reference<'a> {
    pub(crate) client: &'a MilaCoinsClient,
}

impl Reference<'_> {
    /// `GET /currencies`: the invoice currencies you may price in (ISO 4217,
    /// e.g. `EUR`).
    ///
    /// # Errors
    /// API and transport errors; [`crate::Error::Decode`] for another shape.
    pub async fn currencies(&self) -> Result<Vec<String>> {
        let body: CurrenciesBody = self.client.send_raw(Request::get(paths::CURRENCIES)).await?.json()?;
        Ok(body.currencies)
    }

    /// `GET /wallets`: the wallets you can receive payments to (e.g. `BTC`).
    ///
    /// # Errors
    /// API and transport errors; [`crate::Error::Decode`] for another shape.
    pub async fn wallets(&self) -> Result<Vec<String>> {
        let body: WalletsBody = self.client.send_raw(Request::get(paths::WALLETS)).await?.json()?;
        Ok(body.wallets)
    }
}
