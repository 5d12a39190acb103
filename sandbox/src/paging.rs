//! Paging shared by every paged list of every API: which slice of a list a
//! request gets, and what the answer claims about the rest. Each API only
//! renders the result in its own shape (Milta's `pagination` block,
//! MilaCoins' `{count, limit, skip, docs}`, the Wallets `X-Page`… headers),
//! so a [`PagingFault`] misbehaves the same way everywhere.

/// What [`PagingFault::LiesAboutTotals`] claims: far more than any seed
/// holds, so a client that trusts totals reads on until a short or empty
/// page stops it.
const CLAIMED: u64 = 1_000_000_000;

/// A paging misbehaviour real servers show, applied to every paged list of
/// an API ([`Faults::paging`](crate::Faults::paging)) to test a client's
/// paging loop and the guards that keep it finite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingFault {
    /// Every request is answered as if it asked for page 1: page 1's items,
    /// page 1's echoes (page 1, skip 0) and totals. A client that counts
    /// pages itself meets the same items again and again.
    IgnoresPage,
    /// Pages past the last repeat the last page's items and echoes instead of
    /// answering empty (an empty list still answers empty).
    RepeatsLastPage,
    /// The items are right for the page asked, but the totals claim
    /// 1,000,000,000 items and as many pages, with more to follow.
    LiesAboutTotals,
    /// The items are right for the page asked, but every answer, empty pages
    /// included, says more follows: pages one past the page asked, items a
    /// page's worth past the end of this page.
    HasMoreForever,
}

/// One page as served, with the echoes and totals its answer carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page<T> {
    /// The items served.
    pub items: Vec<T>,
    /// The page number echoed (1-based).
    pub page: u64,
    /// The page size echoed.
    pub size: u64,
    /// How many items come before the page echoed.
    pub skip: u64,
    /// Items claimed in the whole list.
    pub total_items: u64,
    /// Pages claimed in the whole list.
    pub total_pages: u64,
    /// Whether another page is claimed to follow.
    pub has_more: bool,
}

/// Page `page` (1-based) of `all` with `size` items a page, as `fault`
/// serves it. `page` and `size` are already validated by the API (a `size`
/// of 0 is read as 1 rather than dividing by zero).
pub(crate) fn serve<T>(all: Vec<T>, page: u64, size: u64, fault: Option<PagingFault>) -> Page<T> {
    let size = size.max(1);
    let total = all.len() as u64;
    let pages = total.div_ceil(size);
    let served = match fault {
        Some(PagingFault::IgnoresPage) => 1,
        Some(PagingFault::RepeatsLastPage) if pages > 0 => page.min(pages),
        _ => page,
    };
    let skip = served.saturating_sub(1).saturating_mul(size);
    let items: Vec<T> = all
        .into_iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    let (total_items, total_pages, has_more) = match fault {
        Some(PagingFault::LiesAboutTotals) => (CLAIMED, CLAIMED, true),
        Some(PagingFault::HasMoreForever) => {
            let past_this_page = skip.saturating_add(items.len() as u64).saturating_add(size);
            (past_this_page, served.saturating_add(1), true)
        }
        _ => (total, pages, served < pages),
    };
    Page { items, page: served, size, skip, total_items, total_pages, has_more }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (items, page, skip, total items, total pages, has more) of page
    /// `page` of 10 items, 4 a page.
    fn of_ten(page: u64, fault: Option<PagingFault>) -> (Vec<u32>, u64, u64, u64, u64, bool) {
        let p = serve((1..=10).collect(), page, 4, fault);
        assert_eq!(p.size, 4);
        (p.items, p.page, p.skip, p.total_items, p.total_pages, p.has_more)
    }

    #[test]
    fn plain_pages_tell_the_truth() {
        assert_eq!(of_ten(1, None), (vec![1, 2, 3, 4], 1, 0, 10, 3, true));
        assert_eq!(of_ten(3, None), (vec![9, 10], 3, 8, 10, 3, false));
        assert_eq!(of_ten(4, None), (vec![], 4, 12, 10, 3, false));
        assert_eq!(of_ten(u64::MAX, None).0, Vec::<u32>::new(), "no overflow");
    }

    #[test]
    fn faults_serve_and_claim_as_documented() {
        use PagingFault::*;
        assert_eq!(of_ten(3, Some(IgnoresPage)), (vec![1, 2, 3, 4], 1, 0, 10, 3, true));
        assert_eq!(of_ten(2, Some(RepeatsLastPage)), (vec![5, 6, 7, 8], 2, 4, 10, 3, true));
        assert_eq!(of_ten(9, Some(RepeatsLastPage)), (vec![9, 10], 3, 8, 10, 3, false));
        assert_eq!(of_ten(2, Some(LiesAboutTotals)), (vec![5, 6, 7, 8], 2, 4, CLAIMED, CLAIMED, true));
        assert_eq!(of_ten(3, Some(HasMoreForever)), (vec![9, 10], 3, 8, 14, 4, true));
        assert_eq!(of_ten(5, Some(HasMoreForever)), (vec![], 5, 16, 20, 6, true));
        let empty = serve(Vec::<u32>::new(), 2, 4, Some(RepeatsLastPage));
        assert_eq!((empty.items.len(), empty.page, empty.has_more), (0, 2, false), "nothing to repeat");
    }
}
