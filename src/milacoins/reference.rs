//! Reference data: `GET /currencies` and `GET /wallets`.
//!
//! The document gives both lists as arrays of strings (`["EUR", …]`,
//! `["BTC", …]`). Entries are also read as objects (`{"code":"EUR",…}`,
//! `{"name":"BTC",…}`), keeping every other field in `extra`.

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};

use super::client::{paths, MilaCoinsClient};
use crate::error::Result;
use crate::wire::{wire_object, Extra, RawJson, Text};
use crate::Request;

/// An invoice currency you may price in.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "test-util", derive(Default))]
#[non_exhaustive]
pub struct Currency {
    /// ISO 4217 code, e.g. `EUR`: the entry itself when the server sends a
    /// string (the document's shape), else `code` or `currencyCode`.
    pub code: Option<String>,
    /// Display name, when the entry is an object that has one.
    pub name: Option<String>,
    /// Fields of an object entry this version does not name, as raw JSON.
    pub extra: Extra,
}

/// A wallet you can receive payments to.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "test-util", derive(Default))]
#[non_exhaustive]
pub struct Wallet {
    /// The wallet's name, e.g. `BTC`: what invoices take as `wallet` and
    /// [`Listing::wallet`](super::Listing::wallet) filters by. The entry
    /// itself when the server sends a string (the document's shape), else
    /// `name`, `wallet` or `code`.
    pub name: Option<String>,
    /// The network, when the entry is an object that names one.
    pub network: Option<String>,
    /// Fields of an object entry this version does not name, as raw JSON.
    pub extra: Extra,
}

wire_object! {
    /// A currency entry sent as an object.
    struct CurrencyObject {
        /// ISO 4217 code.
        pub code: Option<String> = optional ["code", "currencyCode", "currency", "symbol"] via Text,
        /// Display name.
        pub name: Option<String> = optional ["name"],
    }
}

wire_object! {
    /// A wallet entry sent as an object.
    struct WalletObject {
        /// The wallet's name.
        pub name: Option<String> = optional ["name", "wallet", "code", "currencyCode"] via Text,
        /// Network.
        pub network: Option<String> = optional ["network"],
    }
}

/// A list entry: a string (the document's shape) or an object.
enum Entry<O> {
    Text(String),
    Object(O),
}

impl<'de, O: DeserializeOwned> Deserialize<'de> for Entry<O> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = RawJson::deserialize(d)?;
        let entry =
            if raw.get().starts_with('"') { raw.decode().map(Entry::Text) } else { raw.decode().map(Entry::Object) };
        entry.map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(match Entry::<CurrencyObject>::deserialize(d)? {
            Entry::Text(code) => Currency { code: Some(code), name: None, extra: Extra::default() },
            Entry::Object(o) => Currency { code: o.code, name: o.name, extra: o.extra },
        })
    }
}

impl<'de> Deserialize<'de> for Wallet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(match Entry::<WalletObject>::deserialize(d)? {
            Entry::Text(name) => Wallet { name: Some(name), network: None, extra: Extra::default() },
            Entry::Object(o) => Wallet { name: o.name, network: o.network, extra: o.extra },
        })
    }
}

/// A currency equals its code: `currency == "EUR"`.
impl PartialEq<str> for Currency {
    fn eq(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

/// A currency equals its code: `currency == "EUR"`.
impl PartialEq<&str> for Currency {
    fn eq(&self, code: &&str) -> bool {
        self == *code
    }
}

/// A wallet equals its name: `wallet == "BTC"`.
impl PartialEq<str> for Wallet {
    fn eq(&self, name: &str) -> bool {
        self.name.as_deref() == Some(name)
    }
}

/// A wallet equals its name: `wallet == "BTC"`.
impl PartialEq<&str> for Wallet {
    fn eq(&self, name: &&str) -> bool {
        self == *name
    }
}

wire_object! {
    /// `GET /currencies`.
    struct CurrenciesBody {
        /// The entries.
        pub currencies: Vec<Currency> = required ["currencies"],
    }
}

wire_object! {
    /// `GET /wallets`.
    struct WalletsBody {
        /// The entries.
        pub wallets: Vec<Wallet> = required ["wallets"],
    }
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
    pub async fn currencies(&self) -> Result<Vec<Currency>> {
        let body: CurrenciesBody = self.client.send_raw(Request::get(paths::CURRENCIES)).await?.json()?;
        Ok(body.currencies)
    }

    /// `GET /wallets`: the wallets you can receive payments to (e.g. `BTC`).
    ///
    /// # Errors
    /// API and transport errors; [`crate::Error::Decode`] for another shape.
    pub async fn wallets(&self) -> Result<Vec<Wallet>> {
        let body: WalletsBody = self.client.send_raw(Request::get(paths::WALLETS)).await?.json()?;
        Ok(body.wallets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_string_lists() {
        let body: CurrenciesBody =
            serde_json::from_str(include_str!("../../fixtures/milacoins/currencies.json")).unwrap();
        assert_eq!(body.currencies.len(), 12);
        assert!(body.currencies.iter().any(|c| *c == "EUR"));
        assert_eq!(body.currencies[3], Currency { code: Some("EUR".into()), name: None, extra: Extra::default() });
        let body: WalletsBody = serde_json::from_str(include_str!("../../fixtures/milacoins/wallets.json")).unwrap();
        assert_eq!(body.wallets, ["BTC", "ETH", "USDT", "USDC", "LTC"]);
    }

    #[test]
    fn object_entries_in_every_spelling_both_at_once_and_nulls() {
        let body: CurrenciesBody = serde_json::from_str(
            r#"{"currencies":["EUR",{"code":"USD","name":"US Dollar","rate":12345678901234567.89},
                {"currencyCode":"GBP"},{"currencyCode":"xx","code":"ILS","meta":{"a":[1]}},
                {"code":null,"name":null},{"code":392}],"count":6}"#,
        )
        .unwrap();
        let codes: Vec<_> = body.currencies.iter().map(|c| c.code.as_deref()).collect();
        assert_eq!(codes, [Some("EUR"), Some("USD"), Some("GBP"), Some("ILS"), None, Some("392")]);
        assert_eq!(body.currencies[1].name.as_deref(), Some("US Dollar"));
        assert_eq!(body.currencies[1].extra["rate"].get(), "12345678901234567.89");
        assert_eq!(body.currencies[3].extra["meta"].get(), r#"{"a":[1]}"#);
        assert_eq!(body.currencies[3].extra.len(), 1);
        assert_eq!(body.extra["count"].get(), "6");

        let body: WalletsBody = serde_json::from_str(
            r#"{"wallets":["BTC",{"name":"ETH","network":"ERC20","balance":0.123456789012345678},
                {"wallet":"USDT","code":"x","name":"USDT-TRC20"},{"code":"LTC"},{"name":null,"network":null}]}"#,
        )
        .unwrap();
        let names: Vec<_> = body.wallets.iter().map(|w| w.name.as_deref()).collect();
        assert_eq!(names, [Some("BTC"), Some("ETH"), Some("USDT-TRC20"), Some("LTC"), None]);
        assert_eq!(body.wallets[1].network.as_deref(), Some("ERC20"));
        assert_eq!(body.wallets[1].extra["balance"].get(), "0.123456789012345678");
        assert!(body.wallets[2].extra.is_empty() && body.wallets[4].extra.is_empty());
        assert_eq!(body.wallets[0], "BTC");
        assert!(body.wallets[0] != "ETH");
    }

    #[test]
    fn a_missing_list_is_an_error_not_an_empty_list() {
        assert!(serde_json::from_str::<WalletsBody>(r#"{"data":["BTC"]}"#).is_err());
        assert!(serde_json::from_str::<CurrenciesBody>(r#"{"currencies":null}"#).is_err());
        assert!(serde_json::from_str::<WalletsBody>(r#"{"wallets":[true]}"#).is_err());
    }
}
