//! Wallets: `GET /api/v1/wallets` (paged by response headers) and
//! `GET /api/v1/wallets/{id}`.

use serde::Deserialize;

use super::client::{paths, rate_class, WalletsClient};
use crate::enums::wire_enum;
use crate::error::Result;
use crate::money::Decimal;
use crate::transport::paginate::{stream_items, PageQuery};
use crate::{ItemStream, Page, RawResponse, Request};

/// Largest `limit` the API accepts.
pub const MAX_LIMIT: u32 = 10_000;

/// Declares a numeric newtype identifier (the Wallets API's ids are JSON numbers).
macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// The identifier as a number.
            pub fn get(self) -> u64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                $name(id)
            }
        }
    };
}

numeric_id!(
    /// A wallet's globally unique id, e.g. `101`.
    WalletId
);

numeric_id!(
    /// The id of a wallet's currency, e.g. `1`.
    CurrencyId
);

wire_enum!(
    /// How a wallet is funded.
    WalletType {
        /// Pre-funded: the balance is loaded before purchases.
        Prepaid = "PREPAID",
        /// Credit-based: the balance may go negative up to a credit limit.
        Postpaid = "POSTPAID",
    }
);

/// A wallet and its current balance.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Wallet {
    /// Unique wallet id.
    pub id: WalletId,
    /// The wallet's currency.
    pub currency_id: CurrencyId,
    /// Current balance, exact. Negative for an overdrawn POSTPAID wallet;
    /// no fraction for zero-decimal currencies.
    #[serde(with = "crate::money::number")]
    pub amount: Decimal,
    /// Prepaid or postpaid.
    #[serde(rename = "type")]
    pub wallet_type: WalletType,
}

/// Wallet calls; see [`WalletsClient::wallets`].
#[derive(Debug, Clone, Copy)]
pub struct Wallets<'a> {
    pub(crate) client: &'a WalletsClient,
}

impl Wallets<'_> {
    /// `GET /api/v1/wallets`: set filters and paging on the listing, then
    /// [`get`](WalletListing::get) one page or [`stream`](WalletListing::stream) them all.
    pub fn list(&self) -> WalletListing {
        let query = PageQuery::new(paths::WALLETS, "limit", MAX_LIMIT).rate_class(rate_class::READ);
        WalletListing { client: self.client.clone(), query }
    }

    /// `GET /api/v1/wallets/{id}`.
    ///
    /// # Errors
    /// API errors ([`crate::ErrorKind::NotFound`] for an unknown id) and
    /// transport errors.
    pub async fn get(&self, id: WalletId) -> Result<Wallet> {
        let req = Request::get(format!("{}/{}", paths::WALLETS, id)).rate_class(rate_class::READ);
        self.client.send_raw(req).await?.json()
    }
}

/// A wallet listing (newest first, as the API sorts by id descending).
#[derive(Debug, Clone)]
pub struct WalletListing {
    client: WalletsClient,
    query: PageQuery,
}

impl WalletListing {
    /// The first page to fetch (1-based, default 1).
    pub fn page(mut self, page: u32) -> Self {
        self.query.set_page(page);
        self
    }

    /// Wallets per page, 1 to 10,000 (the API's default is 50).
    pub fn limit(mut self, limit: u32) -> Self {
        self.query.set_size(limit);
        self
    }

    /// Only wallets in this currency.
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.query.set("currency", currency);
        self
    }

    /// Only wallets with this name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.query.set("name", name);
        self
    }

    async fn fetch(&self, page: u32) -> Result<Page<Wallet>> {
        let resp = self.client.send_raw(self.query.request(page)?).await?;
        header_page(&resp, page, self.query.size())
    }

    /// Fetches one page, with the totals from the response headers.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for page 0 or a limit outside 1–10,000
    /// (before sending); API and transport errors.
    pub async fn get(&self) -> Result<Page<Wallet>> {
        self.fetch(self.query.first_page()).await
    }

    /// Streams every wallet from the chosen page on, fetching each page only
    /// when the previous one is used up. Ends on `X-Has-More: false`, on the
    /// last page, on an empty page, or after the first error.
    pub fn stream(&self) -> ItemStream<Wallet> {
        let listing = self.clone();
        stream_items(self.query.first_page(), move |page| {
            let listing = listing.clone();
            async move { listing.fetch(page).await }
        })
    }
}

/// A paging header as a number; absent or unreadable counts as absent.
fn number<T: std::str::FromStr>(resp: &RawResponse, name: &str) -> Option<T> {
    resp.header(name).and_then(|v| v.trim().parse().ok())
}

/// Builds a [`Page`] from a JSON array body and the `X-Page`, `X-Per-Page`,
/// `X-Total-Count`, `X-Total-Pages`, `X-Page-Size` and `X-Has-More` headers.
///
/// The next page exists when `X-Has-More` says so; without it, when the
/// page is before `X-Total-Pages`; without either, when the page is full.
pub(crate) fn header_page(resp: &RawResponse, requested: u32, limit: Option<u32>) -> Result<Page<Wallet>> {
    let items: Vec<Wallet> = resp.json()?;
    let current: u32 = number(resp, "X-Page").filter(|n| *n >= 1).unwrap_or(requested);
    let per_page: Option<u32> = number(resp, "X-Per-Page");
    let total_pages: Option<u32> = number(resp, "X-Total-Pages");
    let has_more = resp.header("X-Has-More").and_then(|v| match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    });
    let more = match (has_more, total_pages) {
        (Some(more), _) => more,
        (None, Some(total)) => current < total,
        (None, None) => per_page.or(limit).is_some_and(|size| size > 0 && items.len() >= size as usize),
    };
    let next = if more && !items.is_empty() { current.checked_add(1) } else { None };
    let mut page = Page::new(items, current, next);
    page.page_size = per_page;
    page.total_items = number(resp, "X-Total-Count");
    page.total_pages = total_pages;
    Ok(page)
}
