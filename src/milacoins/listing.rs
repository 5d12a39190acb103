//! MilaCoins paging: `limit`/`page` in the query, `{count, limit, skip, docs}`
//! in the body. Pages are 1-based; the last page is the one where
//! `skip + docs.len()` reaches `count`, or an empty one.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::client::MilaCoinsClient;
use crate::error::Result;
use crate::transport::paginate::{stream_items, PageQuery};
use crate::transport::response::RawResponse;
use crate::{ItemStream, Page};

/// The largest `limit` the API accepts (its default is 100).
pub const MAX_LIMIT: u32 = 500;

#[derive(Deserialize)]
struct PageBody<T> {
    count: Option<u64>,
    limit: Option<u32>,
    skip: Option<u64>,
    docs: Vec<T>,
}

/// Decodes one page and works out whether another follows.
pub(crate) fn decode_page<T: DeserializeOwned>(
    resp: &RawResponse,
    requested_page: u32,
    requested_limit: Option<u32>,
) -> Result<Page<T>> {
    let PageBody { count, limit, skip, docs } = resp.json::<PageBody<T>>()?;
    let limit = limit.filter(|l| *l > 0).or(requested_limit);
    let seen = docs.len() as u64;
    let next = if docs.is_empty() {
        None
    } else {
        let skip = skip.or_else(|| limit.map(|l| u64::from(requested_page.saturating_sub(1)) * u64::from(l)));
        match (count, skip) {
            (Some(count), Some(skip)) => (skip.saturating_add(seen) < count).then(|| requested_page.saturating_add(1)),
            // Neither skip nor limit: the position cannot be told.
            (Some(_), None) => None,
            // No total: a full page suggests more.
            (None, _) => limit.filter(|l| seen >= u64::from(*l)).map(|_| requested_page.saturating_add(1)),
        }
    };
    let mut page = Page::new(docs, requested_page, next);
    page.page_size = limit;
    page.total_items = count;
    page.total_pages = match (count, limit) {
        (Some(count), Some(limit)) => u32::try_from(count.div_ceil(u64::from(limit))).ok(),
        _ => None,
    };
    Ok(page)
}

/// A listing: set filters and paging, then [`get`](Listing::get) one page or
/// [`stream`](Listing::stream) every item.
#[derive(Debug)]
pub struct Listing<T> {
    client: MilaCoinsClient,
    query: PageQuery,
    _item: PhantomData<fn() -> T>,
}

// By hand: a derive would demand `T: Clone`, which a listing never needs.
impl<T> Clone for Listing<T> {
    fn clone(&self) -> Self {
        Listing { client: self.client.clone(), query: self.query.clone(), _item: PhantomData }
    }
}

impl<T: DeserializeOwned + Send + 'static> Listing<T> {
    pub(crate) fn new(client: &MilaCoinsClient, path: &'static str) -> Self {
        Listing { client: client.clone(), query: PageQuery::new(path, "limit", MAX_LIMIT), _item: PhantomData }
    }

    /// Sets `name` to `value`, replacing an earlier value.
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

    /// Items per page: 1 to [`MAX_LIMIT`] (the server's default is 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.query.set_size(limit);
        self
    }

    async fn fetch(&self, page: u32) -> Result<Page<T>> {
        let resp = self.client.send_raw(self.query.request(page)?).await?;
        decode_page(&resp, page, self.query.size())
    }

    /// Fetches one page.
    ///
    /// # Errors
    /// [`crate::Error::InvalidRequest`] for page 0 or a limit over
    /// [`MAX_LIMIT`]; API and transport errors; [`crate::Error::Decode`] for a
    /// body that is not a page.
    pub async fn get(&self) -> Result<Page<T>> {
        self.fetch(self.query.first_page()).await
    }

    /// Streams every item from the chosen page on, fetching pages lazily; ends
    /// after the last page, an empty page, or the first error.
    pub fn stream(&self) -> ItemStream<T> {
        let listing = self.clone();
        stream_items(self.query.first_page(), self.query.prefetch(), move |page| {
            let listing = listing.clone();
            async move { listing.fetch(page).await }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Provider;

    fn page(body: &str, requested: u32) -> Page<u32> {
        let resp = RawResponse {
            provider: Provider::MilaCoins,
            status: 200,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
            accepted: None,
        };
        decode_page(&resp, requested, None).unwrap()
    }

    #[test]
    fn next_page_follows_count_and_skip() {
        let p = page(r#"{"count":5,"limit":2,"skip":0,"docs":[1,2]}"#, 1);
        assert_eq!((p.next_page, p.total_pages, p.total_items, p.page_size), (Some(2), Some(3), Some(5), Some(2)));
        let p = page(r#"{"count":5,"limit":2,"skip":2,"docs":[3,4]}"#, 2);
        assert_eq!(p.next_page, Some(3));
        let p = page(r#"{"count":5,"limit":2,"skip":4,"docs":[5]}"#, 3);
        assert_eq!(p.next_page, None);
        let p = page(r#"{"count":4,"limit":2,"skip":2,"docs":[3,4]}"#, 2);
        assert_eq!(p.next_page, None, "exactly full last page");
    }

    #[test]
    fn empty_pages_and_missing_totals_end_the_listing() {
        assert_eq!(page(r#"{"count":9,"limit":2,"skip":8,"docs":[]}"#, 5).next_page, None);
        assert_eq!(page(r#"{"docs":[1,2]}"#, 1).next_page, None);
        assert_eq!(page(r#"{"limit":2,"docs":[1,2]}"#, 1).next_page, Some(2), "full page without count");
        assert_eq!(page(r#"{"count":3,"limit":2,"docs":[1,2]}"#, 1).next_page, Some(2), "skip derived");
    }
}
