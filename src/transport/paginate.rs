//! Paging: every provider reduces its own style (body totals, `skip`/`count`,
//! response headers) to a [`Page`] that says where the next page is; one
//! generic stream walks the pages lazily.

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;
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
}

impl PageQuery {
    /// A query of `path` whose page size goes in `size_param`, at most `max_size`.
    pub(crate) fn new(path: &'static str, size_param: &'static str, max_size: u32) -> Self {
        PageQuery { path, rate_class: None, filters: Vec::new(), page: 1, size: None, size_param, max_size }
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

/// Streams the items of every page from `first`, calling `fetch(page)` only
/// when the previous page is used up. Ends after the first error, on an empty
/// page, and on a page that does not advance (so a provider bug cannot loop).
pub(crate) fn stream_items<T, F, Fut>(first: u32, fetch: F) -> ItemStream<T>
where
    T: Send + 'static,
    F: FnMut(u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    let pages = stream::try_unfold((Some(first), fetch), |(next, mut fetch)| async move {
        let Some(number) = next else {
            return Ok::<_, crate::error::Error>(None);
        };
        let page = fetch(number).await?;
        let following = page.next_page.filter(|n| *n > number && !page.items.is_empty());
        Ok(Some((page.items, (following, fetch))))
    });
    let items = pages.map_ok(|items| stream::iter(items.into_iter().map(Ok))).try_flatten().fuse();
    Box::pin(SyncStream::new(items))
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
        let mut s = stream_items(1, move |n| {
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

    #[tokio::test]
    async fn a_page_that_does_not_advance_ends_the_stream() {
        let s = stream_items(2, |n| async move { Ok(Page::new(vec![n], n, Some(n))) });
        let all: Vec<u32> = s.try_collect().await.unwrap();
        assert_eq!(all, vec![2]);
    }

    #[tokio::test]
    async fn empty_page_ends_and_error_ends_after_yielding_it() {
        let s =
            stream_items(1, |n| async move { Ok(Page::new(if n == 1 { vec![1] } else { vec![] }, n, Some(n + 1))) });
        assert_eq!(s.try_collect::<Vec<u32>>().await.unwrap(), vec![1]);

        let mut s = stream_items(1, |n| async move {
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
