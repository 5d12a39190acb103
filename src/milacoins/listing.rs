//! MilaCoins paging: `limit`/`page` in the query, `{count, limit, skip, docs}`
//! in the body. Pages are 1-based; the last page is the one where
//! `skip + docs.len()` reaches `count`, or an empty one.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::client::MilaCoinsClient;
use crate::error::{Provider, Result};
use crate::transport::paginate::{stream_items, Answer, Identify, Keyed, PageQuery};
use crate::transport::response::RawResponse;
use crate::wire::Hint;
use crate::{ItemStream, Page};

/// The largest `limit` the API accepts.
pub const MAX_LIMIT: u32 = 500;

/// The API's default `limit`, sent when none is set.
const DEFAULT_LIMIT: u32 = 100;

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned + Identify")]
struct PageBody<T> {
    #[serde(default)]
    count: Hint,
    #[serde(default)]
    limit: Hint,
    #[serde(default)]
    skip: Hint,
    docs: Vec<Keyed<T>>,
}

/// Reads page `requested` of `asked` items. `skip` is the server's echo of
/// the position and `count` can say this is the last page, never that
/// another follows (the paging rules decide that from the items).
pub(crate) fn decode_page<T: DeserializeOwned + Identify>(
    resp: &RawResponse,
    requested: u32,
    asked: u32,
) -> Result<Answer<T>> {
    let PageBody { count, limit, skip, docs } = resp.json::<PageBody<T>>()?;
    let count = count.0;
    let mut answer = Answer::new(docs);
    answer.position = skip.0;
    answer.page_size = limit.as_u32().filter(|l| *l > 0);
    answer.total_items = count;
    answer.total_pages = count.and_then(|count| u32::try_from(count.div_ceil(u64::from(asked.max(1)))).ok());
    answer.says_last = answer.totals_end_at(requested, asked);
    Ok(answer)
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

impl<T: DeserializeOwned + Identify + Send + 'static> Listing<T> {
    pub(crate) fn new(client: &MilaCoinsClient, path: &'static str) -> Self {
        let query = PageQuery::new(path, "limit", DEFAULT_LIMIT, MAX_LIMIT);
        Listing { client: client.clone(), query, _item: PhantomData }
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

    /// Items per page: 1 to [`MAX_LIMIT`] (100 unless set, always sent).
    pub fn limit(mut self, limit: u32) -> Self {
        self.query.set_size(limit);
        self
    }

    /// The most pages a [`stream`](Listing::stream) fetches (default
    /// 10,000); a listing that still has full pages past it ends with
    /// [`crate::Error::ListingCutShort`], never silently.
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.query.set_max_pages(pages);
        self
    }

    async fn fetch(&self, page: u32) -> Result<Answer<T>> {
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
        let first = self.query.first_page();
        Ok(self.fetch(first).await?.into_page(first, self.query.size()))
    }

    /// Streams every item from the chosen page on, fetching pages lazily.
    ///
    /// Ends after a page that is short, empty, holds more than the limit,
    /// brings no item not yet yielded or whose `skip` does not advance; when
    /// `count` is reached; or at the first error. Each item is yielded once
    /// (by its id).
    pub fn stream(&self) -> ItemStream<T> {
        let listing = self.clone();
        stream_items(self.query.plan(Provider::MilaCoins), move |page| {
            let listing = listing.clone();
            async move { listing.fetch(page).await }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listed number, identified by itself.
    #[derive(Debug, PartialEq, Deserialize)]
    struct N(u32);

    impl Identify for N {
        fn identity(&self) -> Option<&str> {
            None
        }
    }

    fn page(body: &str, requested: u32, asked: u32) -> Page<N> {
        let resp = RawResponse {
            provider: Provider::MilaCoins,
            status: 200,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
            accepted: None,
            secrets: Default::default(),
        };
        decode_page(&resp, requested, asked).unwrap().into_page(requested, asked)
    }

    #[test]
    fn count_can_end_a_listing_but_never_prolong_it() {
        let p = page(r#"{"count":5,"limit":2,"skip":0,"docs":[1,2]}"#, 1, 2);
        assert_eq!((p.next_page, p.total_pages, p.total_items, p.page_size), (Some(2), Some(3), Some(5), Some(2)));
        assert_eq!(page(r#"{"count":5,"limit":2,"skip":2,"docs":[3,4]}"#, 2, 2).next_page, Some(3));
        assert_eq!(page(r#"{"count":5,"limit":2,"skip":4,"docs":[5]}"#, 3, 2).next_page, None, "short");
        assert_eq!(page(r#"{"count":4,"limit":2,"skip":2,"docs":[3,4]}"#, 2, 2).next_page, None, "full last page");
        assert_eq!(
            page(r#"{"count":1,"limit":2,"skip":0,"docs":[1,2]}"#, 1, 2).next_page,
            None,
            "count below what came"
        );
        let lying = page(r#"{"count":1000000000,"limit":2,"skip":0,"docs":[1]}"#, 1, 2);
        assert_eq!(lying.next_page, None, "a short page ends it whatever count says");
        let odd = page(r#"{"count":-1,"limit":"x","skip":1e99,"docs":[1,2]}"#, 1, 2);
        assert_eq!((odd.next_page, odd.total_items, odd.page_size), (Some(2), None, None), "odd hints read as absent");
    }

    #[test]
    fn empty_pages_missing_totals_and_oversized_pages() {
        assert_eq!(page(r#"{"count":9,"limit":2,"skip":8,"docs":[]}"#, 5, 2).next_page, None);
        assert_eq!(page(r#"{"docs":[1,2]}"#, 1, 2).next_page, Some(2), "full page, no totals");
        assert_eq!(page(r#"{"docs":[1,2,3]}"#, 1, 2).next_page, None, "more than asked: the whole list");
        assert_eq!(page(r#"{"docs":[1]}"#, 1, 2).next_page, None);
    }
}
