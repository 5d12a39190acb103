//! Wallets: `GET /api/v1/wallets` (paged by response headers) and
//! `GET /api/v1/wallets/{id}`.

use super::client::{paths, rate_class, WalletsApi, WalletsClient};
use crate::client::Listing;
use crate::error::Result;
use crate::transport::paginate::{Answer, ItemKey, PageQuery};
use crate::transport::path::with_id;
use crate::wire::money::{Decimal, Money};
use crate::wire::string_id;
use crate::wire::wire_enum;
use crate::wire::{wire_object, Text};
use crate::{RawResponse, Request};

/// Largest `limit` the API accepts.
pub const MAX_LIMIT: u32 = 10_000;

/// The API's default `limit`, sent when none is set.
const DEFAULT_LIMIT: u32 = 50;

string_id!(
    /// A wallet's globally unique id, e.g. `101`. The document's ids are
    /// JSON numbers; a string is read too, digit for digit.
    WalletId
);

string_id!(
    /// The id of a wallet's currency, e.g. `1`, read from a number or a string.
    CurrencyId
);

impl From<u64> for WalletId {
    fn from(id: u64) -> Self {
        WalletId(smol_str::format_smolstr!("{id}"))
    }
}

impl From<u64> for CurrencyId {
    fn from(id: u64) -> Self {
        CurrencyId(smol_str::format_smolstr!("{id}"))
    }
}

impl WalletId {
    /// The id as a number, when it is one (the document's ids are).
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

impl CurrencyId {
    /// The id as a number, when it is one (the document's ids are).
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

wire_enum!(
    /// How a wallet is funded.
    WalletType {
        /// Pre-funded: the balance is loaded before purchases.
        Prepaid = "PREPAID",
        /// Credit-based: the balance may go negative up to a credit limit.
        Postpaid = "POSTPAID",
    }
);

wire_object! {
    /// A wallet and its current balance: the document's four fields, plus
    /// the name and currency code its listing filters by, when sent.
    pub struct Wallet {
        /// Unique wallet id (`id`; `wallet_id` and `walletId` read too).
        pub id: WalletId = required ["id", "wallet_id", "walletId"] via WalletId,
        /// The wallet's currency (`currency_id`, or `currencyId`).
        pub currency_id: CurrencyId = required ["currency_id", "currencyId"] via CurrencyId,
        /// Current balance, exact from a JSON number or string. Negative for
        /// an overdrawn POSTPAID wallet; no fraction for zero-decimal currencies.
        pub amount: Decimal = required ["amount", "balance"] via Money,
        /// Prepaid or postpaid (`type`; `wallet_type` and `walletType` read too).
        pub wallet_type: WalletType = required ["type", "wallet_type", "walletType"],
        /// The wallet's name, when sent (the listing filters by it; the
        /// document's response table does not show it).
        pub name: Option<String> = optional ["name", "wallet_name", "walletName"] via Text,
        /// The currency's code (`KES`), when sent (the listing filters by
        /// currency; the document's response table shows only `currency_id`).
        pub currency: Option<String> = optional ["currency", "currency_code", "currencyCode"] via Text,
    }
}

/// Wallet calls; see [`WalletsClient::wallets`].
#[derive(Debug, Clone, Copy)]
pub struct Wallets<'a> {
    pub(crate) client: &'a WalletsClient,
}

impl Wallets<'_> {
    /// `GET /api/v1/wallets`: set filters and paging on the listing (page
    /// size 1 to 10,000, 50 unless set, sent as `limit`), then
    /// [`get`](Listing::get) one page, with the totals from the response
    /// headers, or [`stream`](Listing::stream) them all.
    ///
    /// **Never the same wallet twice.** The API pages by offset over a
    /// newest-first order, so a wallet created while the stream runs pushes
    /// every older one a place down, and the next page starts with wallets
    /// already yielded. The stream remembers the id of every wallet it
    /// yielded (16 bytes each) and skips it when it comes again, in
    /// whatever order the server lists them.
    ///
    /// **What it can miss.** Wallets created after the stream started are not
    /// yielded (they sort before its position). A wallet deleted while it runs
    /// pulls every later one a place up, so the wallet that moves across a
    /// page boundary is never seen: list again if you need certainty. When
    /// so many wallets are created meanwhile that the pages bring fewer new
    /// wallets than their size can justify, the stream ends with
    /// [`crate::Error::ListingCutShort`] rather than guess.
    pub fn list(&self) -> WalletListing {
        let query = PageQuery::new(paths::WALLETS, "limit", DEFAULT_LIMIT, MAX_LIMIT).rate_class(rate_class::READ);
        Listing::with_style(self.client, query, header_page)
    }

    /// `GET /api/v1/wallets/{id}`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for an id that is not one path segment
    /// (empty, `..`, `/`, `?`, whitespace, …), before anything is sent; API
    /// errors ([`crate::ErrorKind::NotFound`] for an unknown id) and
    /// transport errors.
    pub async fn get(&self, id: &WalletId) -> Result<Wallet> {
        let path = with_id(paths::WALLET, "wallet id", id.as_str())?;
        let req = Request::get(path).rate_class(rate_class::READ);
        self.client.send_raw(req).await?.json()
    }
}

/// A wallet listing (newest first: the API sorts by id, descending); see
/// [`Wallets::list`].
pub type WalletListing = Listing<Wallet, WalletsApi>;

impl WalletListing {
    /// Only wallets in this currency (`currency`).
    pub fn currency(self, currency: impl Into<String>) -> Self {
        self.filter("currency", currency)
    }

    /// Only wallets with this name (`name`).
    pub fn name(self, name: impl Into<String>) -> Self {
        self.filter("name", name)
    }
}

/// A paging header as a number; absent or unreadable counts as absent.
fn number<T: std::str::FromStr>(resp: &RawResponse, name: &str) -> Option<T> {
    resp.header(name).and_then(|v| v.trim().parse().ok())
}

/// Reads page `requested` of `asked` wallets from a JSON array body and the
/// `X-Page`, `X-Per-Page`, `X-Total-Count`, `X-Total-Pages` and
/// `X-Has-More` headers. `X-Page` is the server's echo of the position;
/// `X-Has-More: false` and the totals can say this is the last page, never
/// that another follows (the paging rules decide that from the wallets).
pub(crate) fn header_page(resp: &RawResponse, requested: u32, asked: u32) -> Result<Answer<Wallet>> {
    let wallets: Vec<Wallet> = resp.json_list(asked as usize)?;
    let keys = wallets.iter().map(|w| ItemKey::id(w.id.as_str())).collect();
    let mut answer = Answer::from_parts(wallets, keys);
    answer.position = number(resp, "X-Page");
    answer.page_size = number(resp, "X-Per-Page");
    answer.total_items = number(resp, "X-Total-Count");
    answer.total_pages = number(resp, "X-Total-Pages");
    let no_more =
        resp.header("X-Has-More").is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "false" | "0"));
    answer.says_last = no_more || answer.totals_end_at(requested, asked);
    Ok(answer)
}
