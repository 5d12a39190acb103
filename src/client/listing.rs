//! One listing for every provider: filters and paging set on it, then one
//! page or a stream of every item, walked by the provider-free engine.

use std::fmt;

use super::{Api, Client};
use crate::error::Result;
use crate::transport::paginate::{stream_items, Answer, PageQuery};
use crate::{ItemStream, Page, RawResponse};

/// A provider's page style: reads page `requested` of `asked` items from a
/// response into the engine's [`Answer`] (the items with their identities,
/// and the server's hints about position and totals).
pub(crate) type PageDecoder<T> = fn(&RawResponse, u32, u32) -> Result<Answer<T>>;

/// A listing of `T` from API `A`: set filters and paging, then
/// [`get`](Listing::get) one page or [`stream`](Listing::stream) every item.
/// Each provider names its own with an alias and adds its filters.
pub struct Listing<T, A: Api> {
    client: Client<A>,
    query: PageQuery,
    decode: PageDecoder<T>,
}

// By hand: a derive would demand `T: Clone` and `A: Clone`, which a listing never needs.
impl<T, A: Api> Clone for Listing<T, A> {
    fn clone(&self) -> Self {
        Listing { client: self.client.clone(), query: self.query.clone(), decode: self.decode }
    }
}

impl<T, A: Api> fmt::Debug for Listing<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing").field("client", &self.client).field("query", &self.query).finish()
    }
}

impl<T, A: Api> Listing<T, A> {
    /// A listing of `query` through `client`, its pages read by `decode`.
    pub(crate) fn with_style(client: &Client<A>, query: PageQuery, decode: PageDecoder<T>) -> Self {
        Listing { client: client.clone(), query, decode }
    }

    /// Sets query parameter `name` to `value`, replacing an earlier value.
    pub(crate) fn filter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.set(name, value);
        self
    }

    /// Appends `value` to the comma-separated list in `name`.
    pub(crate) fn append(mut self, name: &'static str, value: &str) -> Self {
        self.query.append(name, value);
        self
    }

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

    /// Items per page, 1 to the endpoint's maximum (sent as the provider
    /// names it: `pageSize` or `limit`); the document's default unless
    /// set, and always sent.
    pub fn page_size(mut self, size: u32) -> Self {
        self.query.set_size(size);
        self
    }

    /// The former name of [`page_size`](Listing::page_size) on the
    /// listings whose API calls the page size `limit`.
    #[deprecated(note = "use `page_size`, the one name every listing uses")]
    pub fn limit(self, limit: u32) -> Self {
        self.page_size(limit)
    }

    /// The most pages a [`stream`](Listing::stream) fetches (default
    /// 10,000); a listing that still has full pages past it ends with
    /// [`crate::Error::ListingCutShort`], never silently.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.query.set_max_pages(pages);
        self
    }
}

impl<T: Send + 'static, A: Api> Listing<T, A> {
    async fn fetch(&self, page: u32) -> Result<Answer<T>> {
        let resp = self.client.send_raw(self.query.request(page)?).await?;
        (self.decode)(&resp, page, self.query.size())
    }

    /// Fetches one page, with the totals the provider gives.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for page 0 or a page size outside
    /// the endpoint's bounds, before anything is sent; API and transport
    /// errors; [`crate::Error::Decode`] for a body that is not a page.
    pub async fn get(&self) -> Result<Page<T>> {
        let first = self.query.first_page();
        Ok(self.fetch(first).await?.into_page(first, self.query.size()))
    }

    /// Streams every item from the chosen page on, fetching each page only
    /// when the previous one is used up.
    ///
    /// Ends after a page that is short, empty, holds more than the page
    /// size (a server answering with the whole list), brings no item not
    /// yet yielded, or whose echo of the position (page number, skip) does
    /// not advance; when the server's totals or last-page flag say so; or
    /// at the first error. Each item is yielded once (by its id, or its raw
    /// JSON where it has none), however the server repeats it; pages that
    /// bring fewer new items than their size can justify, or more pages
    /// than [`max_pages`](Listing::max_pages), end with
    /// [`crate::Error::ListingCutShort`] rather than guess.
    pub fn stream(&self) -> ItemStream<T> {
        let listing = self.clone();
        stream_items(self.query.plan(A::PROVIDER), move |page| {
            let listing = listing.clone();
            async move { listing.fetch(page).await }
        })
    }
}
