//! Every listing ends, whatever the server does: random server behaviours
//! played against each paging style (Milta's `pagination` block,
//! MilaCoins' `count`/`skip`, the Wallets `X-*` headers) through the real
//! clients on a loopback server. A fixed seed, a few hundred cases.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde::Deserialize;
use serde_json::{json, Value};
use walletkit::milacoins::MilaCoinsClient;
use walletkit::milta::MiltaClient;
use walletkit::wallets::WalletsClient;
use walletkit::{Error, ItemStream, RetryPolicy};

/// How the server pages.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Behaviour {
    /// Honours `page` and the size; what it says of totals and position is true.
    Honours,
    /// Answers page 1 to every page; `whole`: the whole list, every time.
    IgnoresPage { whole: bool },
    /// Pages past the last repeat the last page.
    RepeatsLastPage,
    /// Returns `extra` more items than asked for, from the right offset.
    MoreThanAsked { extra: usize },
    /// Items true; totals claim `total` items.
    LiesAboutTotals { total: u64 },
    /// Items true; every page says more follow.
    HasMoreForever,
    /// Page `page` comes back empty; the rest as `Honours`.
    EmptyAt { page: u32 },
    /// After `after` requests the list changes: `delta` new items at the
    /// front (newest first), or as many removed from the front.
    Changes { after: u32, delta: i32 },
    /// Each page starts `by` items after the one before, as if items were
    /// added at the front before every request: pages overlap.
    Slides { by: u32 },
}

impl Behaviour {
    /// Whether every item must come, exactly once, in order.
    fn well_behaved(self) -> bool {
        self == Behaviour::Honours
    }
}

/// One case: how many items the server holds, how it pages, how it is read.
#[derive(Debug, Clone, Copy)]
struct Case {
    held: u32,
    size: u32,
    prefetch: usize,
    behaviour: Behaviour,
    /// Whether the server echoes the position (page number, skip).
    echoes: bool,
    /// Whether the server sends totals and "has more" (those that lie always do).
    totals: bool,
}

impl Case {
    /// The most items the server ever holds during the case.
    fn most_held(&self) -> u64 {
        match self.behaviour {
            Behaviour::Changes { delta, .. } if delta > 0 => u64::from(self.held) + delta.unsigned_abs() as u64,
            _ => u64::from(self.held),
        }
    }

    /// The request bound: (items held ÷ page size) + 2, widened by the
    /// read-ahead window beyond the first page.
    fn request_bound(&self) -> u64 {
        self.most_held() / u64::from(self.size) + 1 + self.prefetch as u64
    }
}

/// The server's state: the case in play and the requests it has seen.
#[derive(Default)]
struct Server {
    case: Option<Case>,
    requests: u32,
    /// The case being played; its clients' base URLs start with it, so a
    /// request a previous case's stream left in flight is not counted.
    generation: u64,
}

type Shared = Arc<Mutex<Server>>;

/// What the server answers for one page: items, and the hints it sends.
struct Served {
    ids: Vec<u64>,
    /// Echo of the page number (None: no echo).
    page: Option<u32>,
    total_items: Option<u64>,
    total_pages: Option<u64>,
    more: Option<bool>,
}

/// The model: which items page `page` of `size` holds under the behaviour,
/// at the server's `request`th request (1-based).
fn serve(case: Case, page: u32, size: u32, request: u32) -> Served {
    let mut list: Vec<u64> = (1..=u64::from(case.held)).collect();
    if let Behaviour::Changes { after, delta } = case.behaviour {
        if request > after {
            if delta > 0 {
                let fresh = (u64::from(case.held) + 1)..=(u64::from(case.held) + delta.unsigned_abs() as u64);
                list.splice(0..0, fresh.rev());
            } else {
                list.drain(..(delta.unsigned_abs() as usize).min(list.len()));
            }
        }
    }
    let size_us = size as usize;
    let total = list.len() as u64;
    let pages = total.div_ceil(u64::from(size));
    let slice = |p: u32| -> Vec<u64> {
        let start = (p.saturating_sub(1) as usize).saturating_mul(size_us).min(list.len());
        list[start..(start + size_us).min(list.len())].to_vec()
    };
    let honest = |p: u32| Served {
        ids: slice(p),
        page: Some(p),
        total_items: Some(total),
        total_pages: Some(pages),
        more: Some(u64::from(p) < pages),
    };
    match case.behaviour {
        Behaviour::Honours | Behaviour::Changes { .. } => honest(page),
        Behaviour::IgnoresPage { whole: false } => honest(1),
        Behaviour::IgnoresPage { whole: true } => Served { ids: list.clone(), ..honest(1) },
        Behaviour::RepeatsLastPage => honest(if u64::from(page) > pages && pages > 0 { pages as u32 } else { page }),
        Behaviour::MoreThanAsked { extra } => {
            let start = (page.saturating_sub(1) as usize).saturating_mul(size_us).min(list.len());
            Served { ids: list[start..(start + size_us + extra).min(list.len())].to_vec(), ..honest(page) }
        }
        Behaviour::LiesAboutTotals { total: claimed } => Served {
            total_items: Some(claimed),
            total_pages: Some(claimed.div_ceil(u64::from(size))),
            more: Some(u64::from(page) < claimed.div_ceil(u64::from(size))),
            ..honest(page)
        },
        Behaviour::HasMoreForever => Served {
            total_items: Some(u64::from(page) * u64::from(size) + u64::from(size)),
            total_pages: Some(u64::from(page) + 1),
            more: Some(true),
            ..honest(page)
        },
        Behaviour::EmptyAt { page: empty } if page == empty => Served { ids: Vec::new(), ..honest(page) },
        Behaviour::EmptyAt { .. } => honest(page),
        Behaviour::Slides { by } => {
            let start = (page.saturating_sub(1) as usize).saturating_mul(by as usize).min(list.len());
            Served { ids: list[start..(start + size_us).min(list.len())].to_vec(), ..honest(page) }
        }
    }
}

#[derive(Deserialize)]
struct Params {
    page: u32,
    #[serde(alias = "pageSize", alias = "limit")]
    size: u32,
}

/// Counts the request and answers from the model, when it is the current case's.
fn answer(state: &Shared, generation: u64, params: &Params) -> Option<(Case, Served)> {
    let mut server = state.lock().unwrap_or_else(PoisonError::into_inner);
    if generation != server.generation {
        return None;
    }
    server.requests += 1;
    let case = server.case?;
    let mut served = serve(case, params.page, params.size, server.requests);
    if !case.echoes {
        served.page = None;
    }
    let lies = matches!(case.behaviour, Behaviour::LiesAboutTotals { .. } | Behaviour::HasMoreForever);
    if !case.totals && !lies {
        (served.total_items, served.total_pages, served.more) = (None, None, None);
    }
    Some((case, served))
}

async fn milta(
    State(state): State<Shared>,
    Path(generation): Path<u64>,
    Query(params): Query<Params>,
) -> axum::response::Response {
    let Some((_, served)) = answer(&state, generation, &params) else {
        return axum::http::StatusCode::GONE.into_response();
    };
    let items: Vec<Value> = served.ids.iter().map(|id| json!({"productId": format!("P-{id}"), "name": "n"})).collect();
    let mut data = json!({ "items": items });
    // Nothing to say of position or totals: no block, as in the document's example.
    if served.page.is_some() || served.total_items.is_some() {
        data["pagination"] = json!({
            "page": served.page, "pageSize": params.size,
            "totalItems": served.total_items, "totalPages": served.total_pages,
        });
    }
    axum::Json(json!({"status": "success", "data": data})).into_response()
}

async fn milacoins(
    State(state): State<Shared>,
    Path(generation): Path<u64>,
    Query(params): Query<Params>,
) -> axum::response::Response {
    let Some((_, served)) = answer(&state, generation, &params) else {
        return axum::http::StatusCode::GONE.into_response();
    };
    let docs: Vec<Value> = served.ids.iter().map(|id| json!({"id": id.to_string(), "status": "completed"})).collect();
    let mut body = json!({ "docs": docs, "limit": params.size });
    if let Some(page) = served.page {
        body["skip"] = json!(u64::from(page.saturating_sub(1)) * u64::from(params.size));
    }
    if let Some(count) = served.total_items {
        body["count"] = json!(count);
    }
    axum::Json(body).into_response()
}

async fn wallets(
    State(state): State<Shared>,
    Path(generation): Path<u64>,
    Query(params): Query<Params>,
) -> axum::response::Response {
    let Some((_, served)) = answer(&state, generation, &params) else {
        return axum::http::StatusCode::GONE.into_response();
    };
    let items: Vec<Value> =
        served.ids.iter().map(|id| json!({"id": id, "currency_id": 1, "amount": 1, "type": "PREPAID"})).collect();
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: Option<String>| {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(HeaderName::from_static(name), v);
        }
    };
    put("x-page", served.page.map(|p| p.to_string()));
    put("x-per-page", Some(params.size.to_string()));
    put("x-total-count", served.total_items.map(|t| t.to_string()));
    put("x-total-pages", served.total_pages.map(|t| t.to_string()));
    put("x-page-size", Some(items.len().to_string()));
    put("x-has-more", served.more.map(|m| m.to_string()));
    (headers, axum::Json(Value::Array(items))).into_response()
}

/// The paging styles, each through its real client.
#[derive(Debug, Clone, Copy)]
enum Style {
    Milta,
    MilaCoins,
    Wallets,
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    state: Shared,
    base: String,
    /// One connection pool for every case's clients (building one per client is slow).
    http: reqwest::Client,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let state = Shared::default();
        let app = Router::new()
            .route("/{generation}/api/v1/partner/inventories/products", get(milta))
            .route("/{generation}/transactions", get(milacoins))
            .route("/{generation}/api/v1/wallets", get(wallets))
            .with_state(state.clone());
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        runtime.spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        Harness { runtime, state, base, http }
    })
}

/// The three clients, on the server under the case `generation`.
fn clients(h: &Harness, generation: u64) -> (MiltaClient, MilaCoinsClient, WalletsClient) {
    let base = format!("{}/{generation}", h.base);
    let retry = RetryPolicy::none();
    let milta = MiltaClient::builder()
        .base_url(format!("{base}/api/v1/partner"))
        .credentials("id", "secret")
        .rate_limits_enabled(false)
        .retry_policy(retry)
        .http_client(h.http.clone())
        .build()
        .unwrap();
    let milacoins = MilaCoinsClient::builder()
        .base_url(base.clone())
        .credentials("key", "secret")
        .retry_policy(retry)
        .http_client(h.http.clone())
        .build()
        .unwrap();
    let wallets = WalletsClient::builder()
        .base_url(base)
        .token("t")
        .retry_policy(retry)
        .http_client(h.http.clone())
        .build()
        .unwrap();
    (milta, milacoins, wallets)
}

/// Streams the listing in `style` under `case`: the ids yielded, how the
/// stream ended, and how many requests the server saw.
fn play(style: Style, case: Case) -> (Vec<String>, Result<(), Error>, u32) {
    let h = harness();
    let generation = {
        let mut server = h.state.lock().unwrap_or_else(PoisonError::into_inner);
        *server = Server { case: Some(case), requests: 0, generation: server.generation + 1 };
        server.generation
    };
    let (milta, milacoins, wallets) = clients(h, generation);
    let stream: ItemStream<String> = match style {
        Style::Milta => Box::pin(
            milta
                .inventories()
                .products()
                .page_size(case.size)
                .prefetch(case.prefetch)
                .stream()
                .map(|r| r.map(|p| p.product_id.map(|id| id.to_string()).unwrap_or_default())),
        ),
        Style::MilaCoins => Box::pin(
            milacoins
                .transactions()
                .list()
                .page_size(case.size)
                .prefetch(case.prefetch)
                .stream()
                .map(|r| r.map(|t| format!("P-{}", t.id))),
        ),
        Style::Wallets => Box::pin(
            wallets
                .wallets()
                .list()
                .page_size(case.size)
                .prefetch(case.prefetch)
                .stream()
                .map(|r| r.map(|w| format!("P-{}", w.id))),
        ),
    };
    let (ids, ended) = h.runtime.block_on(async {
        let collect = async {
            let mut stream = stream;
            let mut ids = Vec::new();
            while let Some(item) = stream.next().await {
                match item {
                    Ok(id) => ids.push(id),
                    Err(e) => return (ids, Err(e)),
                }
            }
            (ids, Ok(()))
        };
        tokio::time::timeout(Duration::from_secs(20), collect).await.expect("the stream ends")
    });
    let requests = h.state.lock().unwrap_or_else(PoisonError::into_inner).requests;
    (ids, ended, requests)
}

fn behaviours() -> impl Strategy<Value = Behaviour> {
    prop_oneof![
        4 => Just(Behaviour::Honours),
        1 => any::<bool>().prop_map(|whole| Behaviour::IgnoresPage { whole }),
        1 => Just(Behaviour::RepeatsLastPage),
        1 => (1usize..5).prop_map(|extra| Behaviour::MoreThanAsked { extra }),
        1 => prop_oneof![Just(0u64), Just(1), 0u64..100, Just(1_000_000_000), Just(u64::MAX)]
            .prop_map(|total| Behaviour::LiesAboutTotals { total }),
        1 => Just(Behaviour::HasMoreForever),
        1 => (1u32..6).prop_map(|page| Behaviour::EmptyAt { page }),
        1 => (1u32..5, -8i32..12).prop_map(|(after, delta)| Behaviour::Changes { after, delta }),
        1 => (1u32..8).prop_map(|by| Behaviour::Slides { by }),
    ]
}

fn cases() -> impl Strategy<Value = (Style, Case)> {
    let style = prop_oneof![Just(Style::Milta), Just(Style::MilaCoins), Just(Style::Wallets)];
    let prefetch = prop_oneof![3 => Just(1usize), 1 => 2usize..5];
    (style, 0u32..40, 1u32..8, prefetch, behaviours(), any::<bool>(), any::<bool>()).prop_map(
        |(style, held, size, prefetch, behaviour, echoes, totals)| {
            (style, Case { held, size, prefetch, behaviour, echoes, totals })
        },
    )
}

proptest! {
    #![proptest_config(Config {
        cases: 300,
        rng_seed: RngSeed::Fixed(17),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn every_listing_ends_within_its_bound_and_never_repeats_an_item((style, case) in cases()) {
        let (ids, ended, requests) = play(style, case);
        prop_assert!(
            u64::from(requests) <= case.request_bound(),
            "{style:?} {case:?}: {requests} requests, bound {}", case.request_bound()
        );
        let distinct: HashSet<&String> = ids.iter().collect();
        prop_assert_eq!(distinct.len(), ids.len(), "{:?} {:?}: an item came twice: {:?}", style, case, ids);
        if let Err(e) = &ended {
            prop_assert!(matches!(e, Error::ListingCutShort { .. }), "{:?} {:?}: {}", style, case, e);
        }
        // Only a list that changes under the stream can leave it without
        // evidence of its end; every other server's pages give it.
        if !matches!(case.behaviour, Behaviour::Changes { .. } | Behaviour::Slides { .. }) {
            prop_assert!(ended.is_ok(), "{:?} {:?}: {:?}", style, case, ended);
        }
        if case.behaviour == (Behaviour::IgnoresPage { whole: true }) && case.held > case.size {
            prop_assert_eq!(requests, 1, "{:?} {:?}: the whole list at once is one request", style, case);
        }
        if case.behaviour.well_behaved() && case.prefetch == 1 {
            // True totals end it on the last page; without them a full last
            // page costs one more request, which comes back empty.
            let pages = if case.totals { case.held.div_ceil(case.size).max(1) } else { case.held / case.size + 1 };
            prop_assert!(requests <= pages, "{:?} {:?}: {} requests", style, case, requests);
        }
        if case.behaviour.well_behaved() {
            let want: Vec<String> = (1..=case.held).map(|id| format!("P-{id}")).collect();
            prop_assert!(ended.is_ok(), "{:?} {:?}: {:?}", style, case, ended);
            prop_assert_eq!(ids, want, "{:?} {:?}", style, case);
        }
    }
}

/// The incident: a server that follows the Milta document's reference-data
/// example returns the whole list with no pagination block, whatever `page`
/// says. 24 providers: one request. Exactly a page's worth (20): a second
/// request, which brings nothing new. Nothing is yielded twice.
#[tokio::test]
async fn a_whole_list_without_a_pagination_block_ends_after_what_it_can_justify() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    for (held, requests) in [(24u32, 1u64), (20, 2), (3, 1), (0, 1)] {
        let server = MockServer::start().await;
        let items: Vec<Value> = (1..=held).map(|n| json!({"providerId": format!("PRV-{n}"), "name": "n"})).collect();
        Mock::given(method("GET"))
            .and(path("/api/v1/partner/inventories/providers"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"status": "success", "data": {"items": items}})),
            )
            .expect(requests)
            .mount(&server)
            .await;
        let milta = MiltaClient::builder()
            .base_url(format!("{}/api/v1/partner", server.uri()))
            .credentials("id", "secret")
            .build()
            .unwrap();
        let ids: Vec<String> = milta
            .inventories()
            .providers()
            .stream()
            .map(|r| r.unwrap().provider_id.unwrap().to_string())
            .collect()
            .await;
        let want: Vec<String> = (1..=held).map(|n| format!("PRV-{n}")).collect();
        assert_eq!(ids, want, "{held} providers");
        server.verify().await;
    }
}
