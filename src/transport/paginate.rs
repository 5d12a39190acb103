//! Paging: every provider reduces its own style (body totals, `skip`/`count`,
//! response headers) to a [`Page`] that says where the next page is; one
//! provider-free engine walks the pages lazily, with optional read-ahead.

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
use futures_util::stream::FuturesOrdered;
use futures_util::{stream, StreamExt, TryStreamExt};
use sync_wrapper::SyncStream;

use super::request::Request;
use crate::error::{Error, Result};

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number (1-based).
    pub page: u32,
    /// Items per page, when the provider says.
    pub page_size: Option<u32>,
    /// Total items across all pages, when the provider says.
    pub total_items: Option<u64>,
    /// Total pages, when the provider says.
    pub total_pages: Option<u32>,
    /// The next page's number, or `None` on the last page.
    pub next_page: Option<u32>,
}

impl<T> Page<T> {
    /// A page of `items` numbered `page`, followed by `next_page` (`None`
    /// on the last); providers then set the totals they know. Public so
    /// your tests can build pages without JSON.
    pub fn new(items: Vec<T>, page: u32, next_page: Option<u32>) -> Self {
        Page { items, page, page_size: None, total_items: None, total_pages: None, next_page }
    }

    /// Whether another page follows.
    pub fn has_more(&self) -> bool {
        self.next_page.is_some()
    }
}

/// The request side of a paged listing, shared by every provider: path,
/// filters, first page and page size, validated before anything is sent.
/// Query order is filters, then size, then page (MilaCoins signs it as sent).
#[derive(Debug, Clone)]
pub(crate) struct PageQuery {
    path: &'static str,
    rate_class: Option<&'static str>,
    filters: Vec<(&'static str, String)>,
    page: u32,
    size: Option<u32>,
    size_param: &'static str,
    max_size: u32,
    prefetch: usize,
}

impl PageQuery {
    /// A query of `path` whose page size goes in `size_param`, at most `max_size`.
    pub(crate) fn new(path: &'static str, size_param: &'static str, max_size: u32) -> Self {
        PageQuery {
            path,
            rate_class: None,
            filters: Vec::new(),
            page: 1,
            size: None,
            size_param,
            max_size,
            prefetch: 1,
        }
    }

    /// Counts each page request against this client-side rate-limit class.
    pub(crate) fn rate_class(mut self, class: &'static str) -> Self {
        self.rate_class = Some(class);
        self
    }

    /// Sets filter `name` to `value`, replacing an earlier value.
    pub(crate) fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.filters.retain(|(n, _)| *n != name);
        self.filters.push((name, value.into()));
    }

    /// Adds `value` to the comma-separated list in filter `name`, once.
    pub(crate) fn append(&mut self, name: &'static str, value: &str) {
        match self.filters.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) if !list.split(',').any(|v| v == value) => {
                list.push(',');
                list.push_str(value);
            }
            Some(_) => {}
            None => self.filters.push((name, value.to_string())),
        }
    }

    /// The first page to fetch.
    pub(crate) fn first_page(&self) -> u32 {
        self.page
    }

    /// Sets the first page to fetch.
    pub(crate) fn set_page(&mut self, page: u32) {
        self.page = page;
    }

    /// How many page requests a stream keeps in flight (at least 1).
    pub(crate) fn prefetch(&self) -> usize {
        self.prefetch
    }

    /// Keeps up to `pages` page requests in flight while streaming.
    pub(crate) fn set_prefetch(&mut self, pages: usize) {
        self.prefetch = pages.max(1);
    }

    /// The requested page size, if any.
    pub(crate) fn size(&self) -> Option<u32> {
        self.size
    }

    /// Sets the page size.
    pub(crate) fn set_size(&mut self, size: u32) {
        self.size = Some(size);
    }

    /// The request for page `page`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for page 0 or a size outside `1..=max_size`.
    pub(crate) fn request(&self, page: u32) -> Result<Request> {
        if page == 0 {
            return Err(Error::InvalidRequest("page numbers start at 1".into()));
        }
        let mut req = Request::get(self.path);
        if let Some(class) = self.rate_class {
            req = req.rate_class(class);
        }
        for (name, value) in &self.filters {
            req = req.query(*name, value);
        }
        if let Some(size) = self.size {
            if size == 0 || size > self.max_size {
                let (name, max) = (self.size_param, self.max_size);
                return Err(Error::InvalidRequest(format!("{name} must be between 1 and {max}, got {size}")));
            }
            req = req.query(self.size_param, size);
        }
        Ok(req.query("page", page))
    }
}

/// A stream of every item of a listing, fetched page by page as it is consumed.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send + Sync>>;

/// Streams the items of every page from `first`; see [`stream_pages`].
pub(crate) fn stream_items<T, F, Fut>(first: u32, prefetch: usize, fetch: F) -> ItemStream<T>
where
    T: Send + 'static,
    F: FnMut(u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    let pages = stream_pages(first, prefetch, fetch);
    let items = pages.map_ok(|page| stream::iter(page.items.into_iter().map(Ok))).try_flatten().fuse();
    Box::pin(SyncStream::new(items))
}

/// Where the engine stands between pages.
struct Walk<F, Fut: Future> {
    fetch: F,
    /// Requests in flight, answered in page order.
    ahead: FuturesOrdered<Fut>,
    /// The page number the next answer from `ahead` is for.
    expected: u32,
    /// The highest page number requested so far.
    requested: u32,
    /// The last page, once a page has said how many there are.
    last: Option<u32>,
    /// The next page to ask for when the total is unknown (one at a time).
    next_unknown: Option<u32>,
    prefetch: usize,
}

impl<F, Fut, T> Walk<F, Fut>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    /// Asks for every page whose number is known, up to `prefetch` in flight.
    fn top_up(&mut self) {
        while self.ahead.len() < self.prefetch {
            let number = match (self.last, self.next_unknown) {
                (Some(last), _) if self.requested < last => self.requested + 1,
                (None, Some(next)) if self.ahead.is_empty() => next,
                _ => return,
            };
            self.next_unknown = None;
            self.requested = number;
            self.ahead.push_back((self.fetch)(number));
        }
    }
}

/// Streams every page from `first` in order, asking for a page only when its
/// number is known: when a page has given the total, up to `prefetch` page
/// requests are in flight (each through the client's rate limiter and retry
/// rules); otherwise the next page is asked for once the previous one says
/// it exists. Ends after the first error, on an empty page, and on a page
/// that does not advance (so a provider bug cannot loop); ending drops the
/// requests still in flight, which cancels them.
pub(crate) fn stream_pages<T, F, Fut>(
    first: u32,
    prefetch: usize,
    fetch: F,
) -> impl Stream<Item = Result<Page<T>>> + Send + 'static
where
    T: Send + 'static,
    F: FnMut(u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    let walk = Walk {
        fetch,
        ahead: FuturesOrdered::new(),
        expected: first,
        requested: first.saturating_sub(1),
        last: None,
        next_unknown: Some(first),
        prefetch: prefetch.max(1),
    };
    stream::unfold(Some(walk), |state| async move {
        let mut walk = state?;
        // Only when the next page is wanted: a stream nobody reads sends nothing.
        walk.top_up();
        let number = walk.expected;
        let page = match walk.ahead.next().await? {
            Ok(page) => page,
            Err(e) => return Some((Err(e), None)),
        };
        let following = page.next_page.filter(|n| *n > number && !page.items.is_empty());
        let Some(following) = following else {
            return Some((Ok(page), None));
        };
        let known_last = page.total_pages.filter(|total| *total >= following).or(walk.last);
        match known_last {
            // Consecutive pages with a known end: every number up to it is known.
            Some(last) if following == number + 1 => walk.last = Some(last.max(following)),
            // Otherwise one at a time; requests made on the old plan no longer apply.
            _ => {
                if walk.requested != number {
                    walk.ahead = FuturesOrdered::new();
                }
                walk.last = None;
                walk.requested = number;
                walk.next_unknown = Some(following);
            }
        }
        walk.expected = following;
        Some((Ok(page), Some(walk)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn walks_pages_lazily_and_stops_at_the_end() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let mut s = stream_items(1, 1, move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move {
                let items = vec![n * 10, n * 10 + 1];
                Ok(Page::new(items, n, (n < 3).then_some(n + 1)))
            }
        });
        assert_eq!(s.next().await.unwrap().unwrap(), 10);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "second page fetched only when needed");
        let rest: Vec<u32> = s.try_collect().await.unwrap();
        assert_eq!(rest, vec![11, 20, 21, 30, 31]);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    /// A fake listing of `pages` pages of 2 items that says its total,
    /// counting requests in flight at once.
    fn counted(
        pages: u32,
        total_known: bool,
        in_flight: Arc<AtomicU32>,
        peak: Arc<AtomicU32>,
    ) -> impl FnMut(u32) -> futures_util::future::BoxFuture<'static, Result<Page<u32>>> + Send + 'static {
        move |n| {
            let (in_flight, peak) = (in_flight.clone(), peak.clone());
            Box::pin(async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(u64::from(20 - n % 7))).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                if n == 0 || n > pages {
                    return Err(Error::InvalidRequest(format!("page {n} does not exist")));
                }
                let mut page = Page::new(vec![n * 10, n * 10 + 1], n, (n < pages).then_some(n + 1));
                page.total_pages = total_known.then_some(pages);
                Ok(page)
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn prefetch_keeps_n_requests_in_flight_in_order_when_the_total_is_known() {
        let (in_flight, peak) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let s = stream_items(1, 4, counted(10, true, in_flight.clone(), peak.clone()));
        let all: Vec<u32> = s.try_collect().await.unwrap();
        let want: Vec<u32> = (1..=10).flat_map(|n| [n * 10, n * 10 + 1]).collect();
        assert_eq!(all, want, "items in page order");
        assert_eq!(peak.load(Ordering::SeqCst), 4, "four requests in flight, never more");
        assert_eq!(in_flight.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_total_pages_are_asked_for_one_at_a_time() {
        let (in_flight, peak) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let all: Vec<u32> = stream_items(1, 4, counted(5, false, in_flight, peak.clone())).try_collect().await.unwrap();
        assert_eq!(all.len(), 10);
        assert_eq!(peak.load(Ordering::SeqCst), 1, "no page number is known before the previous page");
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_error_ends_the_stream_and_cancels_what_is_in_flight() {
        let (in_flight, peak) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let fetch = counted(10, true, in_flight.clone(), peak);
        let failing = {
            let mut fetch = fetch;
            move |n: u32| if n == 3 { Box::pin(async { Err(Error::InvalidRequest("boom".into())) }) } else { fetch(n) }
        };
        let mut s = stream_items(1, 4, failing);
        let mut items = Vec::new();
        let err = loop {
            match s.next().await {
                Some(Ok(item)) => items.push(item),
                Some(Err(e)) => break e,
                None => panic!("the error was not reported"),
            }
        };
        assert!(matches!(err, Error::InvalidRequest(_)));
        assert_eq!(items, vec![10, 11, 20, 21]);
        assert!(s.next().await.is_none());
        drop(s);
        assert_eq!(in_flight.load(Ordering::SeqCst), 0, "pages 4 and 5 were cancelled, not left running");
    }

    #[tokio::test]
    async fn a_page_that_does_not_advance_ends_the_stream() {
        let s = stream_items(2, 1, |n| async move { Ok(Page::new(vec![n], n, Some(n))) });
        let all: Vec<u32> = s.try_collect().await.unwrap();
        assert_eq!(all, vec![2]);
    }

    #[tokio::test]
    async fn empty_page_ends_and_error_ends_after_yielding_it() {
        let s =
            stream_items(1, 1, |n| async move { Ok(Page::new(if n == 1 { vec![1] } else { vec![] }, n, Some(n + 1))) });
        assert_eq!(s.try_collect::<Vec<u32>>().await.unwrap(), vec![1]);

        let mut s = stream_items(1, 1, |n| async move {
            if n == 2 {
                Err(Error::InvalidRequest("boom".into()))
            } else {
                Ok(Page::new(vec![n], n, Some(n + 1)))
            }
        });
        assert_eq!(s.next().await.unwrap().unwrap(), 1);
        assert!(s.next().await.unwrap().is_err());
        assert!(s.next().await.is_none());
    }
}
