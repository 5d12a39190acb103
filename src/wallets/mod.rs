//! Wallets API: list the authenticated client's wallets (one page, or every
//! wallet as a stream paged by response headers that never yields a wallet
//! twice) and read one by id, with a Bearer token.
//!
//! The API documents no public host, so a base URL is always required. The
//! token is either fixed ([`WalletsClientBuilder::token`]) or comes from any
//! [`TokenSource`](crate::TokenSource), for example the Wallet-as-a-Service
//! login ([`crate::waas::WaasLogin`]).
//!
//! ```no_run
//! # async fn run() -> walletkit::Result<()> {
//! use futures_util::TryStreamExt;
//! use walletkit::wallets::{WalletId, WalletsClient};
//!
//! let wallets = WalletsClient::builder()
//!     .base_url("https://wallets.example.com")
//!     .token("YOUR_ACCESS_TOKEN")
//!     .build()?;
//!
//! let mut all = wallets.wallets().list().page_size(500).stream();
//! while let Some(wallet) = all.try_next().await? {
//!     println!("#{} {} {}", wallet.id, wallet.wallet_type, wallet.amount);
//! }
//! let one = wallets.wallets().get(&WalletId::from(101)).await?;
//! println!("wallet 101 holds {}", one.amount);
//! # Ok(()) }
//! ```

mod client;
mod error;
mod wallet;

pub use client::{rate_class, WalletsApi, WalletsClient, WalletsClientBuilder};
pub use wallet::{CurrencyId, Wallet, WalletId, WalletListing, WalletType, Wallets, MAX_LIMIT};
