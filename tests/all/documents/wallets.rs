//! Wallets examples: the list with its documented headers, one wallet, errors.

use super::*;

fn wallets(server: &MockServer, retry: RetryPolicy) -> WalletsClient {
    WalletsClient::builder().base_url(server.uri()).token("tok-doc").retry_policy(retry).build().unwrap()
}

/// The document's `Name: value` header lines.
fn documented_headers(name: &str) -> Vec<(String, String)> {
    fixture(name)
        .lines()
        .map(|line| {
            let (k, v) = line.split_once(": ").unwrap_or_else(|| panic!("{name}: {line:?} is not `Name: value`"));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// The list example with the document's headers.
fn wallets_list_response() -> ResponseTemplate {
    let mut t = serve("wallets/list_response.json", 200);
    for (k, v) in documented_headers("wallets/list_response_headers.txt") {
        t = t.insert_header(k.as_str(), v.as_str());
    }
    t
}

#[track_caller]
fn assert_wallet(name: &str, w: &Wallet, id: u64, currency_id: u64, amount: &str, wallet_type: WalletType) {
    assert_eq!(w.id, WalletId::from(id), "{name}: id");
    assert_eq!(w.id.as_str(), id.to_string(), "{name}: id digit for digit");
    assert_eq!(w.currency_id, CurrencyId::from(currency_id), "{name}: currency_id of {id}");
    assert_amount(name, &format!("amount of {id}"), w.amount, amount);
    assert_eq!(w.wallet_type, wallet_type, "{name}: type of {id}");
    assert_eq!((w.name.as_deref(), w.currency.as_deref()), (None, None), "{name}: fields the example lacks");
    assert!(w.extra.is_empty(), "{name}: {:?}", w.extra);
}

#[tokio::test]
async fn wallets_list_response_decodes_exactly_with_its_documented_headers() {
    const NAME: &str = "wallets/list_response.json";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets"))
        .and(query_param("page", "1"))
        .respond_with(wallets_list_response())
        .expect(1)
        .mount(&server)
        .await;
    let page = wallets(&server, fast()).wallets().list().get().await.unwrap();
    assert_eq!(page.items.len(), 3, "{NAME}");
    assert_wallet(NAME, &page.items[0], 101, 1, "5000.00", WalletType::Prepaid);
    assert_wallet(NAME, &page.items[1], 102, 2, "2500.50", WalletType::Prepaid);
    assert_wallet(NAME, &page.items[2], 103, 3, "10000.00", WalletType::Postpaid);
    // X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Has-More.
    assert_eq!(
        (page.page, page.page_size, page.total_items, page.total_pages, page.has_more()),
        (1, Some(50), Some(5), Some(1), false),
        "wallets/list_response_headers.txt"
    );
}

#[tokio::test]
async fn wallets_list_headers_claim_five_items_for_three_in_the_body_and_x_page_size_has_no_typed_field() {
    const NAME: &str = "wallets/list_response_headers.txt";
    let headers = documented_headers(NAME);
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!((header("X-Page-Size"), header("X-Total-Count")), (Some("5"), Some("5")), "{NAME}");
    let body: Vec<Value> = serde_json::from_str(&fixture("wallets/list_response.json")).unwrap();
    assert_eq!(body.len(), 3, "wallets/list_response.json");
    // walletkit's `Page` has no field for X-Page-Size ("actual items in the
    // current page"): the items are the body's. X-Total-Count is reported as sent.
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api/v1/wallets")).respond_with(wallets_list_response()).mount(&server).await;
    let page = wallets(&server, fast()).wallets().list().get().await.unwrap();
    assert_eq!((page.items.len(), page.total_items), (3, Some(5)), "{NAME}");
}

#[tokio::test]
async fn wallets_get_response_decodes_exactly() {
    const NAME: &str = "wallets/get_response.json";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/wallets/101"))
        .respond_with(serve(NAME, 200))
        .expect(1)
        .mount(&server)
        .await;
    let w = wallets(&server, fast()).wallets().get(&WalletId::from(101)).await.unwrap();
    assert_wallet(NAME, &w, 101, 1, "5000.00", WalletType::Prepaid);
}

#[tokio::test]
async fn wallets_error_responses_decode_into_their_kind_code_and_message() {
    let cases = [
        ("wallets/list_error_400.json", 400, ErrorKind::Validation, "BAD_REQUEST", "Invalid query parameters"),
        (
            "wallets/list_error_401.json",
            401,
            ErrorKind::Unauthorized,
            "UNAUTHORIZED",
            "Authentication required or failed.",
        ),
        (
            "wallets/list_error_500.json",
            500,
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Could not retrieve wallets",
        ),
        ("wallets/get_error_400.json", 400, ErrorKind::Validation, "BAD_REQUEST", "Invalid wallet ID"),
        ("wallets/get_error_404.json", 404, ErrorKind::NotFound, "NOT_FOUND", "Wallet not found"),
        (
            "wallets/get_error_500.json",
            500,
            ErrorKind::ServerError,
            "INTERNAL_SERVER_ERROR",
            "Failed to retrieve wallet",
        ),
    ];
    for (name, status, kind, code, message) in cases {
        let server = MockServer::start().await;
        let listing = name.starts_with("wallets/list_");
        let route = if listing { "/api/v1/wallets" } else { "/api/v1/wallets/101" };
        Mock::given(method("GET")).and(path(route)).respond_with(serve(name, status)).expect(1).mount(&server).await;
        let client = wallets(&server, RetryPolicy::none());
        let err = if listing {
            client.wallets().list().get().await.unwrap_err()
        } else {
            client.wallets().get(&WalletId::from(101)).await.unwrap_err()
        };
        let api = err.as_api().unwrap_or_else(|| panic!("{name}: {err:?}"));
        assert_eq!(
            (api.provider, api.status, api.kind, api.code.as_deref(), api.message.as_str()),
            (Provider::Wallets, status, kind, Some(code), message),
            "{name}"
        );
    }
}
