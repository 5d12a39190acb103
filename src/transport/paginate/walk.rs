//! The one paging engine: walks a listing's pages lazily, in order, with
//! optional read-ahead, yielding each item once, and ends by the rules in
//! [`super::rules`] whatever the server answers.

use std::future::Future;

use futures_util::stream::FuturesOrdered;
use futures_util::{stream, StreamExt, TryStreamExt};
use sync_wrapper::SyncStream;

use super::identity::Seen;
use super::rules::{next_page, request_allowance, PageFacts};
use super::{Answer, ItemStream};
use crate::error::{Error, Provider, Result};

/// What the engine needs to know of a listing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub provider: Provider,
    /// The route, for traces and errors.
    pub route: &'static str,
    /// The first page number asked for.
    pub first: u32,
    /// The page size asked for.
    pub size: u32,
    /// Page requests kept in flight once the server's totals name a last page.
    pub prefetch: usize,
    /// Pages fetched at most; past it the stream ends with an error.
    pub max_pages: u32,
}

/// Streams every item of a listing, fetching page `n` with `fetch(n)`.
///
/// The position is the client's own: page `first`, then `first + 1`, and so
/// on, whatever the server echoes. After each page the rules decide
/// whether another is worth asking for; items already yielded (by id, or by
/// raw JSON where items have none) are skipped. Read-ahead (`prefetch`)
/// runs only while the server's totals name a last page, and never more
/// than the window beyond what the items received justify. A listing cut
/// short by a bound ends with [`Error::ListingCutShort`]; the first error
/// ends the stream and cancels the requests in flight.
pub(crate) fn stream_items<T, F, Fut>(plan: Plan, fetch: F) -> ItemStream<T>
where
    T: Send + 'static,
    F: FnMut(u32) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Answer<T>>> + Send + 'static,
{
    let walk = Walk {
        plan,
        fetch,
        ahead: FuturesOrdered::new(),
        expected: plan.first,
        next: Some(plan.first),
        sent: 0,
        promised_last: None,
        previous_position: None,
        seen: Seen::default(),
        ended: false,
    };
    let chunks = stream::unfold(Some(walk), |state| async move {
        let mut walk = state?;
        // Only when the next page is wanted: a stream nobody reads sends nothing.
        walk.top_up();
        if walk.ahead.is_empty() {
            return walk.cut_short().map(|e| (Err(e), None));
        }
        match walk.ahead.next().await? {
            Ok(answer) => {
                let fresh = walk.admit(answer);
                Some((Ok(fresh), Some(walk)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let items = chunks.map_ok(|fresh| stream::iter(fresh.into_iter().map(Ok))).try_flatten().fuse();
    Box::pin(SyncStream::new(items))
}

/// Where the engine stands between pages.
struct Walk<F, Fut: Future> {
    plan: Plan,
    fetch: F,
    /// Requests in flight, answered in page order.
    ahead: FuturesOrdered<Fut>,
    /// The page number the next answer from `ahead` is for.
    expected: u32,
    /// The next page number to ask for; `None` once `u32` runs out.
    next: Option<u32>,
    /// Page requests sent so far.
    sent: u32,
    /// The last page the server's totals name, used only to read ahead.
    promised_last: Option<u32>,
    /// The server's latest echo of the position.
    previous_position: Option<u64>,
    seen: Seen,
    /// The rules have ended the listing: nothing more is asked for.
    ended: bool,
}

impl<F, Fut, T> Walk<F, Fut>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Answer<T>>>,
{
    /// Asks for the next pages, as many as the window and the bounds allow.
    fn top_up(&mut self) {
        while !self.ended {
            let Some(number) = self.next else { return };
            let window = if self.promised_last.is_some_and(|last| number <= last) { self.plan.prefetch } else { 1 };
            let allowance = request_allowance(self.seen.len(), self.plan.size, window);
            if self.ahead.len() >= window || u64::from(self.sent) >= allowance || self.sent >= self.plan.max_pages {
                return;
            }
            self.ahead.push_back((self.fetch)(number));
            self.sent += 1;
            self.next = number.checked_add(1);
        }
    }

    /// The error for a listing the rules would go on with but a bound stops;
    /// `None` when the rules ended it.
    fn cut_short(&self) -> Option<Error> {
        if self.ended {
            return None;
        }
        let Plan { provider, route, size, max_pages, .. } = self.plan;
        // The end of one sentence (the error's `Display`): short, no ids.
        let reason = if self.sent >= max_pages {
            format!(
                "{max_pages} pages is the bound for one listing: raise it with `.max_pages(n)` or narrow the listing"
            )
        } else if self.next.is_none() {
            "page numbers ran out: narrow the listing".to_string()
        } else {
            // The server may be ignoring `page`, or the list changed while it was read.
            format!(
                "{} pages of {size} brought only {} distinct items, so the pages overlap: list again",
                self.sent,
                self.seen.len()
            )
        };
        tracing::debug!(provider = %provider, route, reason = %reason, "listing cut short");
        Some(Error::ListingCutShort { provider, route: route.to_string(), page: self.expected, reason })
    }

    /// Takes the answer for page `expected`: the items not yielded before,
    /// and whether to go on.
    fn admit(&mut self, answer: Answer<T>) -> Vec<T> {
        let Answer { items, keys, position, says_last, total_pages, .. } = answer;
        let received = items.len();
        let mut fresh = Vec::with_capacity(received);
        for (item, key) in items.into_iter().zip(keys) {
            if self.seen.admit(key) {
                fresh.push(item);
            }
        }
        let number = self.expected;
        let facts = PageFacts {
            received,
            new: fresh.len(),
            asked: self.plan.size,
            says_last,
            position,
            previous_position: self.previous_position,
        };
        match next_page(facts) {
            Ok(()) => {
                self.previous_position = position.or(self.previous_position);
                self.promised_last = total_pages.filter(|last| *last > number);
                self.expected = number.saturating_add(1);
            }
            Err(end) => {
                tracing::debug!(
                    provider = %self.plan.provider,
                    route = self.plan.route,
                    page = number,
                    reason = end.describe(),
                    "listing ends"
                );
                self.ended = true;
                // Dropping the requests in flight cancels them.
                self.ahead = FuturesOrdered::new();
            }
        }
        fresh
    }
}
