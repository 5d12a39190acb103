//! When a listing ends: one pure decision per page, the same for every
//! provider. The server's totals, "has more" flags and echoes of the
//! position are hints that can only end a listing, never prolong it; only a
//! full page of items not seen before justifies asking for the next one.

/// Why a listing ends after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The page held no item.
    Empty,
    /// The page held more items than were asked for: the server sent the
    /// whole list (as a reference-data example of the documents does).
    WholeList,
    /// Every item on the page was already yielded: the server repeats itself.
    NothingNew,
    /// The server's echo of the position (page number, skip) did not advance.
    PositionStuck,
    /// Fewer items than asked for: the last page.
    Short,
    /// The server says so (totals reached, `X-Has-More: false`).
    ServerSaysLast,
}

impl End {
    /// Words for the `debug` trace that ends a listing.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            End::Empty => "an empty page",
            End::WholeList => "more items than asked for: the whole list",
            End::NothingNew => "every item on the page was already yielded",
            End::PositionStuck => "the server's page number or skip did not advance",
            End::Short => "a short page",
            End::ServerSaysLast => "the server's totals or has-more flag say it is the last page",
        }
    }
}

/// What one page says, reduced to what the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageFacts {
    /// Items on the page.
    pub received: usize,
    /// Of those, items not yielded before in this listing.
    pub new: usize,
    /// The page size asked for.
    pub asked: u32,
    /// The server's own "no more" (a hint that may only end the listing).
    pub says_last: bool,
    /// The server's echo of this page's position, when it sends one.
    pub position: Option<u64>,
    /// The echo on the page before, when there was one.
    pub previous_position: Option<u64>,
}

/// Whether the page after this one is worth asking for; `Err` says why not.
pub(crate) fn next_page(f: PageFacts) -> Result<(), End> {
    let asked = usize::try_from(f.asked).unwrap_or(usize::MAX);
    if f.received == 0 {
        Err(End::Empty)
    } else if f.received > asked {
        Err(End::WholeList)
    } else if f.new == 0 {
        Err(End::NothingNew)
    } else if matches!((f.position, f.previous_position), (Some(now), Some(before)) if now <= before) {
        Err(End::PositionStuck)
    } else if f.received < asked {
        Err(End::Short)
    } else if f.says_last {
        Err(End::ServerSaysLast)
    } else {
        Ok(())
    }
}

/// How many requests a listing may have sent, in flight included, once it
/// has received `distinct` items in pages of `size`: one per page's worth
/// of distinct items, plus the first, plus `window` read ahead. With a
/// window of 1 no server, however it behaves, gets more than
/// (items it holds ÷ page size) + 2 requests.
pub(crate) fn request_allowance(distinct: usize, size: u32, window: usize) -> u64 {
    let pages = distinct as u64 / u64::from(size.max(1));
    pages.saturating_add(1).saturating_add(window as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(received: usize, new: usize, asked: u32) -> PageFacts {
        PageFacts { received, new, asked, says_last: false, position: None, previous_position: None }
    }

    #[test]
    fn the_rules_as_a_table() {
        let f = facts;
        let stuck = PageFacts { position: Some(1), previous_position: Some(1), ..f(20, 20, 20) };
        let back = PageFacts { position: Some(0), previous_position: Some(40), ..f(20, 20, 20) };
        let forward = PageFacts { position: Some(40), previous_position: Some(20), ..f(20, 20, 20) };
        let first_echo = PageFacts { position: Some(1), ..f(20, 20, 20) };
        let last = PageFacts { says_last: true, ..f(20, 20, 20) };
        let short_and_last = PageFacts { says_last: true, ..f(3, 3, 20) };
        let cases: [(&str, PageFacts, Result<(), End>); 12] = [
            ("full page of new items", f(20, 20, 20), Ok(())),
            ("full page, some new", f(20, 1, 20), Ok(())),
            ("empty page", f(0, 0, 20), Err(End::Empty)),
            ("more than asked: the whole list", f(24, 24, 20), Err(End::WholeList)),
            ("nothing new", f(20, 0, 20), Err(End::NothingNew)),
            ("short page", f(3, 3, 20), Err(End::Short)),
            ("server says last on a full page", last, Err(End::ServerSaysLast)),
            ("short and last", short_and_last, Err(End::Short)),
            ("echo did not advance", stuck, Err(End::PositionStuck)),
            ("echo went back", back, Err(End::PositionStuck)),
            ("echo advanced", forward, Ok(())),
            ("first echo has nothing to compare", first_echo, Ok(())),
        ];
        for (name, facts, want) in cases {
            assert_eq!(next_page(facts), want, "{name}");
        }
    }

    #[test]
    fn totals_and_has_more_never_prolong_a_listing() {
        // There is no "has more" input at all: only `says_last`, which ends.
        for received in [0, 1, 19, 21] {
            assert!(next_page(facts(received, received, 20)).is_err(), "{received} items of 20");
        }
    }

    #[test]
    fn the_allowance_is_one_request_per_page_of_distinct_items_plus_two() {
        assert_eq!(request_allowance(0, 20, 1), 2, "the first request, and one more at most");
        assert_eq!(request_allowance(20, 20, 1), 3);
        assert_eq!(request_allowance(39, 20, 1), 3);
        assert_eq!(request_allowance(40, 20, 4), 7, "read-ahead widens it by the window");
        assert_eq!(request_allowance(5, 0, 1), 7, "a zero size counts as one");
        assert_eq!(request_allowance(usize::MAX, 1, usize::MAX), u64::MAX, "saturates");
    }
}
