//! The API a request was meant for.

use std::fmt;

/// The API a request was meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// Milta Wallet Partner API.
    Milta,
    /// MilaCoins payment gateway.
    MilaCoins,
    /// Wallets API.
    Wallets,
    /// Wallet-as-a-Service.
    Waas,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Provider::Milta => "milta",
            Provider::MilaCoins => "milacoins",
            Provider::Wallets => "wallets",
            Provider::Waas => "waas",
        })
    }
}
