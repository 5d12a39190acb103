//! The `{"status":"success","data":…}` envelope and Milta's body paging.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::api_error;
use crate::error::Result;
use crate::transport::paginate::{Answer, Identify, Keyed};
use crate::transport::response::RawResponse;
use crate::wire::{wire_object, Hint, Text};

/// The page size the document says a listing uses when none is asked for.
pub(crate) const DEFAULT_PAGE_SIZE: u32 = 20;

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Envelope<T> {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, deserialize_with = "code")]
    code: Option<String>,
    #[serde(default = "none")]
    data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

fn code<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    use serde::de::DeserializeSeed;
    crate::wire::ViaOption::<Text>::new().deserialize(d)
}

/// Decodes the `data` member of a success envelope. A 2xx whose envelope
/// says `"status": "error"` is the API error it reports, not a decode error.
pub(crate) fn data<T: DeserializeOwned>(resp: &RawResponse) -> Result<T> {
    let envelope = resp.json::<Envelope<T>>()?;
    if envelope.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("error")) {
        return Err(resp.reported(api_error(resp.status, envelope.code, envelope.message, &resp.body)));
    }
    envelope.data.ok_or_else(|| resp.unreadable(Some("data"), "the success envelope has no `data`".into()))
}

wire_object! {
    /// The documented pagination block, every member an optional hint: a
    /// value that is not a count reads as absent, never as a failed page.
    struct Pagination {
        /// This page.
        pub page: Option<Hint> = optional ["page"],
        /// Items per page.
        pub page_size: Option<Hint> = optional ["pageSize", "limit"],
        /// All items.
        pub total_items: Option<Hint> = optional ["totalItems", "total"],
        /// All pages.
        pub total_pages: Option<Hint> = optional ["totalPages"],
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned + Identify")]
struct Items<T> {
    items: Vec<Keyed<T>>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

/// Reads `data.items` and the optional `data.pagination` of page `requested`
/// of `asked` items. The block is a hint: its `page` is an echo of the
/// position, and its totals can say this is the last page, never that
/// another follows (the paging rules decide that from the items). The
/// document's reference-data example has no block at all.
pub(crate) fn page<T: DeserializeOwned + Identify>(
    resp: &RawResponse,
    requested: u32,
    asked: u32,
) -> Result<Answer<T>> {
    let Items { items, pagination } = data::<Items<T>>(resp)?;
    let mut answer = Answer::new(items);
    if let Some(p) = pagination {
        answer.position = p.page.and_then(|h| h.0);
        answer.page_size = p.page_size.and_then(Hint::as_u32);
        answer.total_items = p.total_items.and_then(|h| h.0);
        answer.total_pages = p.total_pages.and_then(Hint::as_u32);
        answer.says_last = answer.totals_end_at(requested, asked);
    }
    Ok(answer)
}
