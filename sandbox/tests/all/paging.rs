//! Paging misbehaviours (`Faults::paging`) on every paged list: Milta's
//! brands and, with `variants`, its reference lists; MilaCoins' logs and
//! transactions; the Wallets list. Each is checked against the plain answer
//! for its items and for the exact echoes and totals it claims.

use crate::common;

use common::{http, milacoins, milta, send, start_with, Answer};
use reqwest::Method;
use serde_json::{json, Value};
use walletkit_sandbox::{Faults, PagingFault, Sandbox, SandboxConfig};

/// What `LiesAboutTotals` claims.
const CLAIMED: u64 = 1_000_000_000;

/// A sandbox without faults, with Milta's limits off.
async fn sandbox() -> Sandbox {
    let mut config = SandboxConfig::default();
    config.milta.limits = None;
    start_with(config).await
}

fn paging(fault: PagingFault) -> Faults {
    Faults { paging: Some(fault), ..Faults::default() }
}

/// `field` of every item, e.g. the ids of a page.
fn ids(items: &Value, field: &str) -> Vec<Value> {
    items.as_array().unwrap().iter().map(|i| i[field].clone()).collect()
}

async fn brands(sb: &Sandbox, page: u64) -> Answer {
    send(milta(sb, Method::GET, &format!("/inventories/brands?page={page}&limit=10"))).await
}

fn pagination(page: u64, total_items: u64, total_pages: u64) -> Value {
    json!({"page": page, "pageSize": 10, "limit": 10, "totalItems": total_items, "totalPages": total_pages})
}

#[tokio::test]
async fn milta_brands_misbehave_as_asked() {
    let sb = sandbox().await;
    // 34 brands, 10 a page: 10, 10, 10, 4.
    let mut plain = Vec::new();
    for page in 1..=4 {
        plain.push(ids(&brands(&sb, page).await.json["data"]["items"], "brandId"));
    }
    assert_eq!(brands(&sb, 4).await.json["data"]["pagination"], pagination(4, 34, 4));

    sb.milta().set_faults(paging(PagingFault::IgnoresPage));
    let a = brands(&sb, 3).await;
    assert_eq!(ids(&a.json["data"]["items"], "brandId"), plain[0], "page 1's items");
    assert_eq!(a.json["data"]["pagination"], pagination(1, 34, 4), "page 1's echoes");

    sb.milta().set_faults(paging(PagingFault::RepeatsLastPage));
    assert_eq!(ids(&brands(&sb, 2).await.json["data"]["items"], "brandId"), plain[1], "pages in range are right");
    for page in [5, 9] {
        let a = brands(&sb, page).await;
        assert_eq!(ids(&a.json["data"]["items"], "brandId"), plain[3], "page {page} repeats the last");
        assert_eq!(a.json["data"]["pagination"], pagination(4, 34, 4), "page {page}: the last page's echoes");
    }

    sb.milta().set_faults(paging(PagingFault::LiesAboutTotals));
    let a = brands(&sb, 2).await;
    assert_eq!(ids(&a.json["data"]["items"], "brandId"), plain[1]);
    assert_eq!(a.json["data"]["pagination"], pagination(2, CLAIMED, CLAIMED));

    sb.milta().set_faults(paging(PagingFault::HasMoreForever));
    let a = brands(&sb, 4).await;
    assert_eq!(ids(&a.json["data"]["items"], "brandId"), plain[3]);
    assert_eq!(a.json["data"]["pagination"], pagination(4, 30 + 4 + 10, 5), "one page past the page asked");
    let empty = brands(&sb, 5).await;
    assert_eq!(empty.json["data"]["items"], json!([]));
    assert_eq!(empty.json["data"]["pagination"], pagination(5, 40 + 10, 6), "an empty page says more follows too");
}

#[tokio::test]
async fn milta_reference_lists_misbehave_only_when_variants_page_them() {
    let sb = sandbox().await;
    let countries = |sb: &Sandbox, page: u64| {
        send(milta(sb, Method::GET, &format!("/inventories/countries?page={page}&pageSize=2")))
    };
    // As the document's example, the whole list: nothing to misbehave on.
    sb.milta().set_faults(paging(PagingFault::LiesAboutTotals));
    let whole = countries(&sb, 2).await;
    assert!(whole.json["data"].get("pagination").is_none());
    assert_eq!(whole.json["data"]["items"].as_array().unwrap().len(), 7);

    // Paged by `variants` (which drops the block on odd pages): totals lie.
    let all = ids(&whole.json["data"]["items"], "code");
    sb.milta().set_faults(Faults { variants: true, ..paging(PagingFault::LiesAboutTotals) });
    let a = countries(&sb, 2).await;
    assert_eq!(ids(&a.json["data"]["items"], "code"), all[2..4]);
    let p = &a.json["data"]["pagination"];
    assert_eq!(
        (p["page"].as_u64(), p["pageSize"].as_u64(), p["totalItems"].as_u64(), p["totalPages"].as_u64()),
        (Some(2), Some(2), Some(CLAIMED), Some(CLAIMED))
    );
    // 7 countries, 2 a page: page 4 is the last, echoed for page 6.
    sb.milta().set_faults(Faults { variants: true, ..paging(PagingFault::RepeatsLastPage) });
    let a = countries(&sb, 6).await;
    assert_eq!(ids(&a.json["data"]["items"], "code"), all[6..]);
    let p = &a.json["data"]["pagination"];
    assert_eq!((p["page"].as_u64(), p["totalItems"].as_u64(), p["totalPages"].as_u64()), (Some(4), Some(7), Some(4)));
    sb.milta().set_faults(Faults { variants: true, ..paging(PagingFault::IgnoresPage) });
    let a = countries(&sb, 4).await;
    assert_eq!(ids(&a.json["data"]["items"], "code"), all[..2], "page 1's items");
    assert!(a.json["data"].get("pagination").is_none(), "page 1 echoed, an odd page: no block");
}

/// Every transaction id, newest first, as plain pages of 500.
async fn transaction_ids(sb: &Sandbox, page: u64) -> Vec<Value> {
    let a = send(milacoins(sb, Method::GET, &format!("/transactions?limit=500&page={page}"), "")).await;
    ids(&a.json["docs"], "id")
}

/// (count, limit, skip, number of docs) of an answer.
fn envelope(a: &Answer) -> (u64, u64, u64, usize) {
    let n = |f: &str| a.json[f].as_u64().unwrap_or_else(|| panic!("{f} in {}", a.json));
    (n("count"), n("limit"), n("skip"), a.json["docs"].as_array().unwrap().len())
}

#[tokio::test]
async fn milacoins_transactions_misbehave_as_asked() {
    let sb = sandbox().await;
    let count = sb.milacoins().transaction_count() as u64;
    let last = count.div_ceil(500);
    assert!(last >= 3 && !count.is_multiple_of(500), "a short last page: {count}");
    let (first, last_ids) = (transaction_ids(&sb, 1).await, transaction_ids(&sb, last).await);
    let second = transaction_ids(&sb, 2).await;
    let get = |page: u64| send(milacoins(&sb, Method::GET, &format!("/transactions?limit=500&page={page}"), ""));
    let tail = (count - (last - 1) * 500) as usize;

    sb.milacoins().set_faults(paging(PagingFault::IgnoresPage));
    let a = get(last).await;
    assert_eq!(ids(&a.json["docs"], "id"), first, "page 1's docs");
    assert_eq!(envelope(&a), (count, 500, 0, 500), "page 1's skip");

    sb.milacoins().set_faults(paging(PagingFault::RepeatsLastPage));
    let a = get(last + 2).await;
    assert_eq!(ids(&a.json["docs"], "id"), last_ids, "the last page again");
    assert_eq!(envelope(&a), (count, 500, (last - 1) * 500, tail), "the last page's skip");

    sb.milacoins().set_faults(paging(PagingFault::LiesAboutTotals));
    let a = get(2).await;
    assert_eq!(ids(&a.json["docs"], "id"), second);
    assert_eq!(envelope(&a), (CLAIMED, 500, 500, 500));

    sb.milacoins().set_faults(paging(PagingFault::HasMoreForever));
    let a = get(last).await;
    assert_eq!(ids(&a.json["docs"], "id"), last_ids);
    let skip = (last - 1) * 500;
    assert_eq!(envelope(&a), (skip + tail as u64 + 500, 500, skip, tail), "count = skip + docs + limit");
    let a = get(last + 1).await;
    assert_eq!(envelope(&a), (last * 500 + 500, 500, last * 500, 0), "an empty page says more follows too");
}

#[tokio::test]
async fn milacoins_logs_misbehave_as_asked() {
    let config = SandboxConfig::default().with_fault_spec("milacoins:ignores-page").unwrap();
    let sb = start_with(config).await;
    for _ in 0..5 {
        send(milacoins(&sb, Method::GET, "/currencies", "")).await;
    }
    // Each answer counts the entries logged before it (the request itself
    // is logged once answered).
    let logs = |page: u64| send(milacoins(&sb, Method::GET, &format!("/logs?limit=2&page={page}"), ""));
    let n = sb.milacoins().log_count() as u64;
    let a = logs(3).await;
    assert_eq!(envelope(&a), (n, 2, 0, 2), "page 1, whatever was asked");
    assert_eq!(a.json["docs"][0]["uri"], "/currencies", "the newest entries");

    sb.milacoins().set_faults(paging(PagingFault::RepeatsLastPage));
    let n = sb.milacoins().log_count() as u64;
    let skip = (n.div_ceil(2) - 1) * 2;
    let a = logs(100).await;
    assert_eq!(envelope(&a), (n, 2, skip, (n - skip) as usize), "the last page's echoes");
    assert_eq!(a.json["docs"][a.json["docs"].as_array().unwrap().len() - 1]["uri"], "/currencies", "the oldest entry");

    sb.milacoins().set_faults(paging(PagingFault::LiesAboutTotals));
    assert_eq!(envelope(&logs(2).await), (CLAIMED, 2, 2, 2));

    sb.milacoins().set_faults(paging(PagingFault::HasMoreForever));
    assert_eq!(envelope(&logs(100).await), (198 + 2, 2, 198, 0));
}

async fn wallets(sb: &Sandbox, page: u64) -> Answer {
    let url = format!("{}/api/v1/wallets?limit=100&page={page}", sb.wallets().base_url());
    send(http().get(url).bearer_auth(sb.wallets().token())).await
}

/// X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Page-Size, X-Has-More.
fn headers(a: &Answer) -> [String; 6] {
    ["x-page", "x-per-page", "x-total-count", "x-total-pages", "x-page-size", "x-has-more"]
        .map(|h| a.header(h).unwrap_or_else(|| panic!("{h} missing")).to_owned())
}

fn expect(page: u64, total: u64, pages: u64, size: usize, more: bool) -> [String; 6] {
    [page.to_string(), "100".into(), total.to_string(), pages.to_string(), size.to_string(), more.to_string()]
}

#[tokio::test]
async fn wallets_misbehave_as_asked() {
    let sb = sandbox().await;
    // 240 wallets, 100 a page: 100, 100, 40.
    let (first, third) = (wallets(&sb, 1).await, wallets(&sb, 3).await);
    assert_eq!(headers(&third), expect(3, 240, 3, 40, false));
    let (first, third) = (ids(&first.json, "id"), ids(&third.json, "id"));

    sb.wallets().set_faults(paging(PagingFault::IgnoresPage));
    let a = wallets(&sb, 3).await;
    assert_eq!(ids(&a.json, "id"), first, "page 1's wallets");
    assert_eq!(headers(&a), expect(1, 240, 3, 100, true), "page 1's headers");

    sb.wallets().set_faults(paging(PagingFault::RepeatsLastPage));
    let a = wallets(&sb, 7).await;
    assert_eq!(ids(&a.json, "id"), third, "the last page again");
    assert_eq!(headers(&a), expect(3, 240, 3, 40, false), "the last page's headers");

    sb.wallets().set_faults(paging(PagingFault::LiesAboutTotals));
    let a = wallets(&sb, 3).await;
    assert_eq!(ids(&a.json, "id"), third);
    assert_eq!(headers(&a), expect(3, CLAIMED, CLAIMED, 40, true));

    sb.wallets().set_faults(paging(PagingFault::HasMoreForever));
    let a = wallets(&sb, 3).await;
    assert_eq!(ids(&a.json, "id"), third);
    assert_eq!(headers(&a), expect(3, 200 + 40 + 100, 4, 40, true));
    let empty = wallets(&sb, 4).await;
    assert_eq!(empty.json, json!([]));
    assert_eq!(headers(&empty), expect(4, 300 + 100, 5, 0, true), "an empty page says more follows too");
}
