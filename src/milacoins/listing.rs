//! MilaCoins paging: `limit`/`page` in the query, `{count, limit, skip, docs}`
//! in the body. Pages are 1-based; the last page is the one where
//! `skip + docs.len()` reaches `count`, or an empty one.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::client::{MilaCoinsApi, MilaCoinsClient};
use crate::error::Result;
use crate::transport::paginate::{Answer, Identify, Keyed, PageQuery};
use crate::transport::response::RawResponse;
use crate::wire::Hint;

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

/// A listing: set filters and paging (page size 1 to [`MAX_LIMIT`], 100
/// unless set, sent as `limit`), then [`get`](Listing::get) one page or
/// [`stream`](Listing::stream) every item.
pub type Listing<T> = crate::client::Listing<T, MilaCoinsApi>;

impl<T: DeserializeOwned + Identify + Send + 'static> Listing<T> {
    pub(crate) fn new(client: &MilaCoinsClient, path: &'static str) -> Self {
        Listing::with_style(client, PageQuery::new(path, "limit", DEFAULT_LIMIT, MAX_LIMIT), decode_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Provider;
    use crate::Page;

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

    #[tokio::test]
    #[allow(deprecated)]
    async fn limit_is_the_deprecated_name_of_page_size() {
        let mila = MilaCoinsClient::builder().credentials("k", "s").base_url("http://127.0.0.1:9").build().unwrap();
        let err = mila.logs().list().limit(501).get().await.unwrap_err();
        assert!(err.to_string().contains("limit must be between 1 and 500, got 501"), "{err}");
    }
}
