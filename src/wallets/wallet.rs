//! Wallets: `GET /api/v1/wallets` (paged by response headers) and
//! `GET /api/v1/wallets/{id}`.

use std::cmp::Ordering;

use super::client::{paths, rate_class, WalletsClient};
use crate::enums::wire_enum;
use crate::error::{DecodeError, Error, Provider, Result};
use crate::ids::string_id;
use crate::money::{Decimal, Money};
use crate::transport::paginate::{stream_pages, PageQuery};
use crate::transport::path::with_id;
use crate::wire::{wire_object, Text};
use crate::{ItemStream, Page, RawResponse, Request};
use futures_util::{StreamExt, TryStreamExt};

/// Largest `limit` the API accepts.
pub const MAX_LIMIT: u32 = 10_000;

/// Pages in a row holding only wallets a stream already yielded before it
/// gives up: a server that ignores `page` would otherwise be asked forever.
const MAX_PAGES_WITHOUT_NEWS: u32 = 100;

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
        WalletId(id.to_string())
    }
}

impl From<u64> for CurrencyId {
    fn from(id: u64) -> Self {
        CurrencyId(id.to_string())
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
        pub id: WalletId = required ["id", "wallet_id", "walletId"],
        /// The wallet's currency (`currency_id`, or `currencyId`).
        pub currency_id: CurrencyId = required ["currency_id", "currencyId"],
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
    /// `GET /api/v1/wallets`: set filters and paging on the listing, then
    /// [`get`](WalletListing::get) one page or [`stream`](WalletListing::stream) them all.
    pub fn list(&self) -> WalletListing {
        let query = PageQuery::new(paths::WALLETS, "limit", MAX_LIMIT).rate_class(rate_class::READ);
        WalletListing { client: self.client.clone(), query }
    }

    /// `GET /api/v1/wallets/{id}`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an id that is not one path segment
    /// (empty, `..`, `/`, `?`, whitespace, …), before anything is sent; API
    /// errors ([`crate::ErrorKind::NotFound`] for an unknown id) and
    /// transport errors.
    pub async fn get(&self, id: &WalletId) -> Result<Wallet> {
        let path = with_id(paths::WALLET, "wallet id", id.as_str())?;
        let req = Request::get(path).rate_class(rate_class::READ);
        self.client.send_raw(req).await?.json()
    }
}

/// A wallet listing (newest first: the API sorts by id, descending).
#[derive(Debug, Clone)]
pub struct WalletListing {
    client: WalletsClient,
    query: PageQuery,
}

impl WalletListing {
    /// Keeps up to `pages` page requests in flight while streaming, once a
    /// page has said how many there are (default 1: one page at a time).
    /// Items still come in order; every request goes through the client's
    /// rate limiter and retry rules, and the first error stops the stream
    /// and cancels the requests still in flight.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.query.set_prefetch(pages);
        self
    }

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

    /// Only wallets in this currency (`currency`).
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.query.set("currency", currency);
        self
    }

    /// Only wallets with this name (`name`).
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
    /// [`Error::InvalidRequest`] for page 0 or a limit outside 1–10,000
    /// (before sending); API and transport errors.
    pub async fn get(&self) -> Result<Page<Wallet>> {
        self.fetch(self.query.first_page()).await
    }

    /// Streams every wallet from the chosen page on, fetching each page only
    /// when the previous one is used up. Ends on `X-Has-More: false`, on the
    /// last page, on an empty page, or after the first error.
    ///
    /// **Never the same wallet twice.** The API pages by offset over a
    /// newest-first order, so a wallet created while the stream runs pushes
    /// every older one a place down, and the next page starts with wallets
    /// already yielded. The stream remembers the lowest id it yielded (one
    /// number, whatever the listing's size) and skips any later wallet whose
    /// id is not lower; ids that are not integers are skipped when they were
    /// on the previous page. A page holding only wallets already yielded is
    /// passed over for the next one.
    ///
    /// **What it can miss.** Wallets created after the stream started are not
    /// yielded (they sort before its position). A wallet deleted while it runs
    /// pulls every later one a place up, so the wallet that moves across a
    /// page boundary is never seen: list again if you need certainty.
    ///
    /// The document's own example lists ids in ascending order despite its
    /// note. Should a page's ids not descend, skipping by "lower than the
    /// lowest" would drop new wallets, so from that page on the stream only
    /// skips ids seen on the previous page (logged as a warning); it can then
    /// repeat a wallet where that page meets the one before it.
    ///
    /// After 100 pages in a row holding only wallets already yielded, the
    /// stream ends with [`Error::Decode`] rather than ask forever.
    pub fn stream(&self) -> ItemStream<Wallet> {
        let listing = self.clone();
        let pages = stream_pages(self.query.first_page(), self.query.prefetch(), move |page| {
            let listing = listing.clone();
            async move { listing.fetch(page).await }
        });
        // In page order (also with prefetch): the rule needs pages in sequence.
        // The first error ends the stream without asking for another page.
        let start = (Box::pin(pages), Seen::new(), 0u32);
        let items = futures_util::stream::unfold(Some(start), |state| async move {
            let (mut pages, mut seen, passed_over) = state?;
            let page = match pages.next().await? {
                Ok(page) => page,
                Err(e) => return Some((Err(e), None)),
            };
            let received = page.items.len();
            let fresh = seen.admit(page.items);
            let passed_over = if fresh.is_empty() && received > 0 { passed_over + 1 } else { 0 };
            if passed_over >= MAX_PAGES_WITHOUT_NEWS {
                return Some((Err(no_news(page.page)), None));
            }
            Some((Ok(fresh), Some((pages, seen, passed_over))))
        })
        .map_ok(|fresh| futures_util::stream::iter(fresh.into_iter().map(Ok)))
        .try_flatten()
        .fuse();
        Box::pin(sync_wrapper::SyncStream::new(items))
    }
}

/// The error ending a stream whose pages stopped bringing new wallets.
fn no_news(page: u32) -> Error {
    Error::Decode(Box::new(DecodeError {
        provider: Provider::Wallets,
        status: 200,
        json_path: None,
        message: format!(
            "{MAX_PAGES_WITHOUT_NEWS} pages in a row, up to page {page}, held only wallets already yielded; \
             the server may be ignoring `page`"
        ),
        excerpt: String::new(),
    }))
}

/// What a stream remembers so it never yields a wallet twice: the lowest
/// integer id yielded, and the previous page's ids that the numeric rule
/// cannot judge (non-integers; every id once the order proved unreliable).
#[derive(Debug)]
struct Seen {
    lowest: Option<String>,
    previous: Vec<String>,
    descending: bool,
}

impl Seen {
    fn new() -> Self {
        Seen { lowest: None, previous: Vec::new(), descending: true }
    }

    /// The wallets of the next page not yielded before, in order.
    fn admit(&mut self, items: Vec<Wallet>) -> Vec<Wallet> {
        if self.descending && !integer_ids_descend(&items) {
            self.descending = false;
            tracing::warn!(
                provider = %Provider::Wallets,
                "wallet ids are not in the documented newest-first order; the stream now skips only ids \
                 seen on the previous page"
            );
        }
        let mut this_page = Vec::new();
        let mut admitted = Vec::with_capacity(items.len());
        for wallet in items {
            let id = wallet.id.as_str();
            let numeric = self.descending && is_integer(id);
            let already = match (&self.lowest, numeric) {
                (Some(lowest), true) => compare_integers(id, lowest) != Ordering::Less,
                _ => self.previous.iter().any(|p| p == id),
            };
            if !numeric {
                this_page.push(id.to_string());
            }
            if !already {
                if numeric && self.lowest.as_deref().is_none_or(|l| compare_integers(id, l) == Ordering::Less) {
                    self.lowest = Some(id.to_string());
                }
                admitted.push(wallet);
            }
        }
        self.previous = this_page;
        admitted
    }
}

/// Whether no integer id on the page is above an integer id before it.
fn integer_ids_descend(items: &[Wallet]) -> bool {
    let mut ids = items.iter().map(|w| w.id.as_str()).filter(|id| is_integer(id));
    let Some(mut before) = ids.next() else { return true };
    for id in ids {
        if compare_integers(id, before) == Ordering::Greater {
            return false;
        }
        before = id;
    }
    true
}

/// An optional `-` and at least one ASCII digit, nothing else.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Compares two texts [`is_integer`] accepts by value, at any length.
fn compare_integers(a: &str, b: &str) -> Ordering {
    fn split(t: &str) -> (bool, &str) {
        match t.strip_prefix('-') {
            Some(digits) => (true, digits.trim_start_matches('0')),
            None => (false, t.trim_start_matches('0')),
        }
    }
    let ((a_negative, a), (b_negative, b)) = (split(a), split(b));
    let magnitude = a.len().cmp(&b.len()).then_with(|| a.cmp(b));
    // `-0` is zero: no digits left on either side compares equal.
    match (a_negative && !a.is_empty(), b_negative && !b.is_empty()) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
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
    let items: Vec<Wallet> = resp.json_list(limit.map_or(50, |l| l as usize))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn wallets(ids: &[&str]) -> Vec<Wallet> {
        ids.iter()
            .map(|id| {
                serde_json::from_str(&format!(r#"{{"id":"{id}","currency_id":1,"amount":1,"type":"PREPAID"}}"#))
                    .unwrap()
            })
            .collect()
    }

    fn admit(seen: &mut Seen, ids: &[&str]) -> Vec<String> {
        seen.admit(wallets(ids)).into_iter().map(|w| w.id.0).collect()
    }

    #[test]
    fn integers_compare_by_value_at_any_length() {
        let cmp = compare_integers;
        assert_eq!(cmp("10", "9"), Ordering::Greater);
        assert_eq!(cmp("0010", "10"), Ordering::Equal);
        assert_eq!(cmp("-5", "3"), Ordering::Less);
        assert_eq!(cmp("-5", "-30"), Ordering::Greater);
        assert_eq!(cmp("-0", "0"), Ordering::Equal);
        assert_eq!(cmp("123456789012345678901234567890", "99999999999999999999"), Ordering::Greater);
        assert!(is_integer("-12") && is_integer("0") && !is_integer("-") && !is_integer("1.5") && !is_integer("w-1"));
    }

    #[test]
    fn newest_first_pages_shifted_by_inserts_yield_each_wallet_once() {
        let mut seen = Seen::new();
        assert_eq!(admit(&mut seen, &["100", "99", "98"]), ["100", "99", "98"]);
        // Two wallets created meanwhile: page 2 starts with 99 and 98 again.
        assert_eq!(admit(&mut seen, &["99", "98", "97"]), ["97"]);
        assert_eq!(admit(&mut seen, &["96", "95", "94"]), ["96", "95", "94"]);
        assert_eq!(seen.lowest.as_deref(), Some("94"));
        assert!(seen.previous.is_empty(), "integer ids keep nothing per page");
    }

    #[test]
    fn text_ids_are_skipped_when_on_the_previous_page() {
        let mut seen = Seen::new();
        assert_eq!(admit(&mut seen, &["w-c", "w-b"]), ["w-c", "w-b"]);
        assert_eq!(admit(&mut seen, &["w-b", "w-a"]), ["w-a"]);
        assert_eq!(admit(&mut seen, &["w-9"]), ["w-9"]);
    }

    #[test]
    fn ascending_pages_switch_to_the_previous_page_rule_instead_of_dropping_wallets() {
        let mut seen = Seen::new();
        assert_eq!(admit(&mut seen, &["101", "102", "103"]), ["101", "102", "103"]);
        assert!(!seen.descending);
        assert_eq!(admit(&mut seen, &["103", "104"]), ["104"]);
        assert_eq!(admit(&mut seen, &["105"]), ["105"]);
    }
}
