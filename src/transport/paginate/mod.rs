//! Paging: every provider reads its own style (body totals, `skip`/`count`,
//! response headers) into an [`Answer`]; one provider-free engine walks the
//! pages lazily, with optional read-ahead, and decides by one set of rules
//! when a listing ends, so no listing depends on the server behaving.

mod identity;
mod query;
mod rules;
mod walk;

use std::pin::Pin;

use futures_core::Stream;

pub(crate) use identity::{Identify, ItemKey, Keyed};
pub(crate) use query::PageQuery;
pub(crate) use walk::stream_items;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number as asked for (1-based): the client's own
    /// position, whatever the server echoes.
    pub page: u32,
    /// Items per page, when the provider says.
    pub page_size: Option<u32>,
    /// Total items across all pages, when the provider says.
    pub total_items: Option<u64>,
    /// Total pages, when the provider says.
    pub total_pages: Option<u32>,
    /// The next page's number when the paging rules say it is worth asking
    /// for (a full page, not more than asked for, and the server does not
    /// say it is the last), `None` otherwise.
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

/// One page as a provider reads it: the items with their identities, and
/// what the server says of the position and the totals (hints only).
pub(crate) struct Answer<T> {
    /// The items, in the server's order; `keys` holds their identities in
    /// the same order. Kept apart so that a page handed out whole (`get`)
    /// moves its `Vec` instead of copying every item out of a pair.
    pub items: Vec<T>,
    pub keys: Vec<ItemKey>,
    /// The server's echo of the position (its page number, or its skip).
    pub position: Option<u64>,
    /// The server says no page follows (`X-Has-More: false`, totals reached).
    pub says_last: bool,
    pub page_size: Option<u32>,
    pub total_items: Option<u64>,
    pub total_pages: Option<u32>,
}

impl<T> Answer<T> {
    /// An answer of `items` with no hints; providers then set what they read.
    pub(crate) fn new(keyed: Vec<Keyed<T>>) -> Self {
        let (keys, items) = keyed.into_iter().map(|k| (k.key, k.item)).unzip();
        Answer::from_parts(items, keys)
    }

    /// An answer of `items` whose identities are `keys`, in the same order.
    pub(crate) fn from_parts(items: Vec<T>, keys: Vec<ItemKey>) -> Self {
        Answer { items, keys, position: None, says_last: false, page_size: None, total_items: None, total_pages: None }
    }

    /// Whether the totals say page `number` of `asked` items is the last:
    /// it is at or past `total_pages`, or the items up to it reach `total_items`.
    pub(crate) fn totals_end_at(&self, number: u32, asked: u32) -> bool {
        let before = u64::from(number.saturating_sub(1)).saturating_mul(u64::from(asked));
        let read = before.saturating_add(self.items.len() as u64);
        self.total_pages.is_some_and(|last| number >= last) || self.total_items.is_some_and(|total| read >= total)
    }

    /// The page `number` as [`get`](crate::client::Listing::get) returns it,
    /// its `next_page` decided by the rules a stream follows.
    pub(crate) fn into_page(self, number: u32, asked: u32) -> Page<T> {
        let received = self.items.len();
        let facts = rules::PageFacts {
            received,
            new: received,
            asked,
            says_last: self.says_last,
            position: self.position,
            previous_position: None,
        };
        let next = rules::next_page(facts).ok().and_then(|()| number.checked_add(1));
        Page {
            items: self.items,
            page: number,
            page_size: self.page_size,
            total_items: self.total_items,
            total_pages: self.total_pages,
            next_page: next,
        }
    }
}

/// A stream of every item of a listing, fetched page by page as it is consumed.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, crate::Error>> + Send + Sync>>;

#[cfg(test)]
mod tests {
    use super::walk::Plan;
    use super::*;
    use crate::error::{Error, Provider, Result};
    use futures_util::{StreamExt, TryStreamExt};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    fn plan(first: u32, size: u32, prefetch: usize) -> Plan {
        Plan { provider: Provider::Milta, route: "/things", first, size, prefetch, max_pages: 10_000 }
    }

    /// An answer holding `items`, each identified by its number.
    fn answer(items: impl IntoIterator<Item = u32>) -> Answer<u32> {
        Answer::new(items.into_iter().map(|n| Keyed { item: n, key: ItemKey::id(&n.to_string()) }).collect())
    }

    async fn all(s: ItemStream<u32>) -> Result<Vec<u32>> {
        s.try_collect().await
    }

    #[tokio::test]
    async fn walks_pages_lazily_and_stops_on_the_short_page() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let mut s = stream_items(plan(1, 2, 1), move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(answer(if n < 3 { vec![n * 10, n * 10 + 1] } else { vec![n * 10] })) }
        });
        assert_eq!(s.next().await.unwrap().unwrap(), 10);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "second page fetched only when needed");
        let rest: Vec<u32> = s.try_collect().await.unwrap();
        assert_eq!(rest, vec![11, 20, 21, 30]);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    /// A listing of `pages` full pages of 2 items whose totals are known
    /// or not, counting requests in flight at once.
    fn counted(
        pages: u32,
        total_known: bool,
        in_flight: Arc<AtomicU32>,
        peak: Arc<AtomicU32>,
    ) -> impl FnMut(u32) -> futures_util::future::BoxFuture<'static, Result<Answer<u32>>> + Send + 'static {
        move |n| {
            let (in_flight, peak) = (in_flight.clone(), peak.clone());
            Box::pin(async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(u64::from(20 - n % 7))).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                let mut a = answer(if n <= pages { vec![n * 10, n * 10 + 1] } else { vec![] });
                a.total_pages = total_known.then_some(pages);
                a.says_last = a.totals_end_at(n, 2);
                Ok(a)
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn prefetch_keeps_n_requests_in_flight_in_order_when_the_total_is_known() {
        let (in_flight, peak) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let s = stream_items(plan(1, 2, 4), counted(10, true, in_flight.clone(), peak.clone()));
        let want: Vec<u32> = (1..=10).flat_map(|n| [n * 10, n * 10 + 1]).collect();
        assert_eq!(all(s).await.unwrap(), want, "items in page order");
        assert_eq!(peak.load(Ordering::SeqCst), 4, "four requests in flight, never more");
        assert_eq!(in_flight.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_total_pages_are_asked_for_one_at_a_time() {
        let (in_flight, peak) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let s = stream_items(plan(1, 2, 4), counted(5, false, in_flight, peak.clone()));
        assert_eq!(all(s).await.unwrap().len(), 10);
        assert_eq!(peak.load(Ordering::SeqCst), 1, "no page number is known before the previous page");
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_error_ends_the_stream_and_cancels_what_is_in_flight() {
        let (in_flight, peak) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let mut fetch = counted(10, true, in_flight.clone(), peak);
        let failing =
            move |n: u32| if n == 3 { Box::pin(async { Err(Error::InvalidRequest("boom".into())) }) } else { fetch(n) };
        let mut s = stream_items(plan(1, 2, 4), failing);
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
    async fn a_server_that_ignores_page_is_asked_twice_at_most() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        // Always the same full page, claiming a billion pages.
        let ignoring = move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            let mut a = answer([1, 2, 3]);
            a.total_pages = Some(1_000_000_000);
            async move { Ok(a) }
        };
        let s = stream_items(plan(1, 3, 1), ignoring.clone());
        assert_eq!(all(s).await.unwrap(), [1, 2, 3]);
        assert_eq!(calls.swap(0, Ordering::SeqCst), 2, "page 1, and page 2 that brought nothing new");
        // Read-ahead trusts the totals only as far as its window.
        let s = stream_items(plan(1, 3, 4), ignoring);
        assert_eq!(all(s).await.unwrap(), [1, 2, 3]);
        assert_eq!(calls.load(Ordering::SeqCst), 5, "page 1, then pages 2 to 5 at once");
    }

    #[tokio::test]
    async fn the_whole_list_on_the_first_page_is_one_request() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let s = stream_items(plan(1, 20, 1), move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            async { Ok(answer(1..=24)) }
        });
        assert_eq!(all(s).await.unwrap().len(), 24);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_item_already_yielded_is_skipped_and_a_page_of_nothing_new_ends() {
        // Page 2 repeats 3 and 4; page 3 repeats page 2 entirely.
        let s = stream_items(plan(1, 4, 1), |n| async move {
            Ok(answer(match n {
                1 => vec![1, 2, 3, 4],
                2 => vec![3, 4, 5, 6],
                _ => vec![3, 4, 5, 6],
            }))
        });
        assert_eq!(all(s).await.unwrap(), [1, 2, 3, 4, 5, 6]);
    }

    #[tokio::test]
    async fn an_echo_that_does_not_advance_ends_the_listing() {
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let s = stream_items(plan(1, 2, 1), move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            let mut a = answer([n * 10, n * 10 + 1]);
            a.position = Some(1);
            async move { Ok(a) }
        });
        assert_eq!(all(s).await.unwrap(), [10, 11, 20, 21], "page 2's items are new, so they are yielded");
        assert_eq!(calls.load(Ordering::SeqCst), 2, "but its echo says page 1 again: no page 3");
    }

    #[tokio::test]
    async fn empty_page_ends_and_an_error_ends_after_what_came_before() {
        let s = stream_items(plan(1, 1, 1), |n| async move { Ok(answer(if n == 1 { vec![1] } else { vec![] })) });
        assert_eq!(all(s).await.unwrap(), vec![1]);

        let mut s = stream_items(plan(1, 1, 1), |n| async move {
            if n == 2 {
                Err(Error::InvalidRequest("boom".into()))
            } else {
                Ok(answer([n]))
            }
        });
        assert_eq!(s.next().await.unwrap().unwrap(), 1);
        assert!(s.next().await.unwrap().is_err());
        assert!(s.next().await.is_none());
    }

    #[tokio::test]
    async fn the_page_bound_ends_with_an_error_naming_provider_route_and_page() {
        let plan = Plan { max_pages: 3, ..plan(5, 1, 1) };
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let mut s = stream_items(plan, move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(answer([n])) }
        });
        let mut items = Vec::new();
        let err = loop {
            match s.next().await.expect("an error before the end") {
                Ok(n) => items.push(n),
                Err(e) => break e,
            }
        };
        assert_eq!(items, [5, 6, 7], "what came before the bound is yielded");
        let Error::ListingCutShort { provider, ref route, page, ref reason } = err else { panic!("{err:?}") };
        assert_eq!((provider, route.as_str(), page), (Provider::Milta, "/things", 8));
        assert!(reason.contains("max_pages"), "{reason}");
        assert!(err.to_string().contains("milta: listing GET /things cut short before page 8"), "{err}");
        assert!(s.next().await.is_none());
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn pages_that_overlap_are_cut_short_by_the_items_they_bring() {
        // Each full page of 4 brings one new item: a window sliding by one.
        let calls = Arc::new(AtomicU32::new(0));
        let c = calls.clone();
        let s = stream_items(plan(1, 4, 1), move |n| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(answer(n..n + 4)) }
        });
        let err = all(s).await.unwrap_err();
        assert!(matches!(err, Error::ListingCutShort { .. }), "{err}");
        assert!(err.to_string().contains("overlap"), "{err}");
        // (distinct items ÷ 4) + 2 requests at most.
        assert!(calls.load(Ordering::SeqCst) <= 3, "{}", calls.load(Ordering::SeqCst));
    }

    #[test]
    fn a_single_page_says_next_by_the_same_rules() {
        let page = answer([1, 2]).into_page(1, 2);
        assert_eq!((page.page, page.next_page), (1, Some(2)));
        assert_eq!(answer([1]).into_page(1, 2).next_page, None, "short");
        assert_eq!(answer(1..=3).into_page(1, 2).next_page, None, "whole list");
        let mut last = answer([1, 2]);
        last.says_last = true;
        assert_eq!(last.into_page(4, 2).next_page, None);
        assert_eq!(answer([1, 2]).into_page(u32::MAX, 2).next_page, None, "no page after u32::MAX");
    }

    #[test]
    fn totals_end_at_counts_from_the_client_position() {
        let mut a = answer([1, 2]);
        a.total_items = Some(6);
        assert!(!a.totals_end_at(2, 2));
        assert!(a.totals_end_at(3, 2));
        a.total_items = None;
        a.total_pages = Some(3);
        assert!(a.totals_end_at(3, 2) && !a.totals_end_at(2, 2));
        a.total_items = Some(u64::MAX);
        a.total_pages = None;
        assert!(!a.totals_end_at(u32::MAX, u32::MAX), "no overflow");
    }
}
