//! What walletkit costs on top of hand-written reqwest, measured side by side.
//!
//! `cargo bench --bench overhead` runs both clients against the same
//! in-process loopback server of fixture answers (no state, so the server's
//! work is the same for both) and prints, per scenario and concurrency:
//! requests per second, client CPU per call (the client runs alone on one
//! thread: its own CPU clock) and heap allocations per call (counted on the
//! client thread only), then walletkit's ratios to raw. Then decode-only
//! figures for a 100-item page of each provider, paging with read-ahead
//! against 20 ms of latency, and peak RSS while streaming 1,000,000 items.
//!
//! Nothing is asserted: timings on a shared machine are for reading.
//! `BENCHMARKS.md` records the figures and the machine.
//!
//! The raw side is what a careful hand-written client does: one shared
//! `reqwest::Client` without redirects, the same headers, serde structs with
//! the documented fields (amounts as `f64`, ids as documented), no retries,
//! no rate limiter, no tracing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::{StreamExt, TryStreamExt};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use walletkit::milacoins::{InvoiceRequest, MilaCoinsClient, WalletName};
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::waas::{
    AccountNumber, ClientServiceCode, SourceTransactionId, TransactionRequest, TransactionSource, WaasClient,
};
use walletkit::wallets::WalletsClient;
use walletkit::{Decimal, Rate, RetryPolicy};

// ---------------------------------------------------------------------------
// Counting allocator: counts allocations made on threads that opted in.

struct Counting;

thread_local! {
    static COUNT_HERE: Cell<bool> = const { Cell::new(false) };
}
static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: defers every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNT_HERE.try_with(Cell::get).unwrap_or(false) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNT_HERE.try_with(Cell::get).unwrap_or(false) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Pins the calling thread (and the threads it starts later) to one CPU, so
/// the client and the fixture server do not take turns on the same core.
/// Does nothing on a machine with a single CPU.
fn pin_to_cpu(cpu: usize) {
    if std::thread::available_parallelism().map_or(1, usize::from) <= cpu {
        return;
    }
    // SAFETY: the set is a plain bitmask we own; pid 0 is the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// Peak resident memory of the process (VmHWM), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets VmHWM to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

// ---------------------------------------------------------------------------
// The fixture server: fixed answers, no state, optional latency.

const BASIC: &str = "Basic a2V5LWlkOmtleS1zZWNyZXQ="; // key-id:key-secret

#[derive(Clone)]
struct Fixtures {
    countries: Arc<String>,
    transfer: Arc<String>,
    currencies: Arc<String>,
    invoice: Arc<String>,
    credit: Arc<String>,
    wallet: Arc<String>,
    latency: Duration,
}

fn wallets_json(page: u64, limit: u64) -> String {
    let mut out = String::with_capacity(limit as usize * 80);
    out.push('[');
    for i in 0..limit {
        let id = 10_000_000_000 - (page - 1) * limit - i;
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id":{id},"currency_id":{},"amount":{}.{:02},"type":"{}"}}"#,
            1 + id % 5,
            id % 100_000,
            id % 100,
            if id.is_multiple_of(2) { "PREPAID" } else { "POSTPAID" }
        ));
    }
    out.push(']');
    out
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<u64>,
    limit: Option<u64>,
    total: Option<u64>,
}

async fn wallets_page(State(f): State<Fixtures>, Query(q): Query<PageParams>) -> Response {
    if !f.latency.is_zero() {
        tokio::time::sleep(f.latency).await;
    }
    let (page, limit) = (q.page.unwrap_or(1), q.limit.unwrap_or(50));
    let total = q.total.unwrap_or(100 * limit);
    let pages = total.div_ceil(limit);
    let count = if page > pages { 0 } else { limit.min(total - (page - 1) * limit) };
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("x-page", page),
        ("x-per-page", limit),
        ("x-total-count", total),
        ("x-total-pages", pages),
        ("x-page-size", count),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
    headers.insert("x-has-more", HeaderValue::from_static(if page < pages { "true" } else { "false" }));
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    (headers, wallets_json(page, count)).into_response()
}

fn json(body: &Arc<String>, status: StatusCode) -> Response {
    (status, [("content-type", "application/json")], body.as_str().to_owned()).into_response()
}

async fn fixture_server(latency: Duration) -> String {
    let read = |name: &str| Arc::new(std::fs::read_to_string(format!("fixtures/{name}")).expect(name));
    let envelope = |data: &str| Arc::new(format!(r#"{{"status":"success","data":{data}}}"#));
    let f = Fixtures {
        countries: read("milta/countries.json"),
        transfer: envelope(
            r#"{"transferId":"T-9001","externalId":"TXN-001","status":"PENDING","amount":10.00,"currency":"GBP"}"#,
        ),
        currencies: read("milacoins/currencies.json"),
        invoice: read("milacoins/invoice.json"),
        credit: read("waas/transaction_response.json"),
        wallet: Arc::new(r#"{"id":101,"currency_id":1,"amount":5000.00,"type":"PREPAID"}"#.to_string()),
        latency,
    };
    let app = Router::new()
        .route(
            "/api/v1/partner/inventories/countries",
            get(|State(f): State<Fixtures>| async move { json(&f.countries, StatusCode::OK) }),
        )
        .route(
            "/api/v1/partner/transfers",
            post(|State(f): State<Fixtures>| async move { json(&f.transfer, StatusCode::CREATED) }),
        )
        .route("/currencies", get(|State(f): State<Fixtures>| async move { json(&f.currencies, StatusCode::OK) }))
        .route("/invoices", post(|State(f): State<Fixtures>| async move { json(&f.invoice, StatusCode::OK) }))
        .route(
            "/api/v1/auth/login",
            post(|| async { json(&Arc::new(r#"{"access_token":"tok","expires_in":86400}"#.into()), StatusCode::OK) }),
        )
        .route("/api/v1/transactions", post(|State(f): State<Fixtures>| async move { json(&f.credit, StatusCode::OK) }))
        .route("/api/v1/wallets", get(wallets_page))
        .route("/api/v1/wallets/101", get(|State(f): State<Fixtures>| async move { json(&f.wallet, StatusCode::OK) }))
        .with_state(f);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        pin_to_cpu(1);
        let rt =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let _ = tx.send(format!("http://{}", listener.local_addr().expect("addr")));
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

// ---------------------------------------------------------------------------
// Hand-written reqwest: the baseline.

#[derive(Deserialize)]
struct RawEnvelope<T> {
    data: T,
}

#[derive(Deserialize)]
struct RawItems<T> {
    items: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RawCountry {
    code: String,
    name: String,
    currency_code: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RawTransferRequest<'a> {
    external_id: &'a str,
    product_id: &'a str,
    recipient_phone: &'a str,
    amount: f64,
    currency: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RawTransfer {
    transfer_id: String,
    external_id: Option<String>,
    status: String,
    amount: Option<f64>,
    currency: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawCurrencies {
    currencies: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RawInvoiceRequest<'a> {
    wallet: &'a str,
    amount: f64,
    currency: &'a str,
    #[serde(rename = "externalID")]
    external_id: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct RawInvoice {
    id: String,
    wallet: Option<String>,
    amount: Option<f64>,
    currency: Option<String>,
    #[serde(rename = "externalID")]
    external_id: Option<String>,
    url: Option<String>,
    expired_at: Option<i64>,
    created_at: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawWallet {
    id: u64,
    currency_id: u64,
    amount: f64,
    #[serde(rename = "type")]
    wallet_type: String,
}

#[derive(Serialize)]
struct RawCreditRequest<'a> {
    account_number: &'a str,
    client_service_code: &'a str,
    transaction_source: &'a str,
    transaction_amount: &'a str,
    source_transaction_id: &'a str,
    transaction_date: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct RawLedgerEntry {
    transaction_id: String,
    account: String,
    client_service: Option<String>,
    transaction_type: String,
    currency: Option<String>,
    transaction_amount: String,
    previous_balance: String,
    current_balance: String,
    other_party_account: Option<String>,
    other_party_transaction_hash: Option<String>,
    transaction_source: Option<String>,
    source_transaction_id: Option<String>,
    source_transaction_data: Option<serde_json::Value>,
    transaction_narration: Option<String>,
    transaction_date: Option<String>,
}

struct Raw {
    http: reqwest::Client,
    base: String,
    agent: HeaderValue,
}

impl Raw {
    fn new(base: &str) -> Self {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Raw { http, base: base.to_string(), agent: HeaderValue::from_static("raw/1") }
    }

    fn sign(time: &str, method: &str, target: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").expect("hmac");
        mac.update(time.as_bytes());
        mac.update(method.as_bytes());
        mac.update(target.as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    fn now() -> String {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0).to_string()
    }

    async fn milta_countries(&self) -> usize {
        let resp = self
            .http
            .get(format!("{}/api/v1/partner/inventories/countries?page=1", self.base))
            .header("authorization", BASIC)
            .header("accept", "application/json")
            .header("user-agent", self.agent.clone())
            .send()
            .await
            .expect("send");
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice::<RawEnvelope<RawItems<RawCountry>>>(&body).expect("decode").data.items.len()
    }

    async fn milta_transfer(&self) -> usize {
        let body = serde_json::to_vec(&RawTransferRequest {
            external_id: "TXN-001",
            product_id: "PRODUCT_123",
            recipient_phone: "+447700900001",
            amount: 10.0,
            currency: "GBP",
        })
        .expect("encode");
        let resp = self
            .http
            .post(format!("{}/api/v1/partner/transfers", self.base))
            .header("authorization", BASIC)
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .header("user-agent", self.agent.clone())
            .header("x-idempotency-key", uuid::Uuid::new_v4().to_string())
            .body(body)
            .send()
            .await
            .expect("send");
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice::<RawEnvelope<RawTransfer>>(&body).expect("decode").data.transfer_id.len()
    }

    async fn milacoins_currencies(&self) -> usize {
        let time = Self::now();
        let sig = Self::sign(&time, "GET", "/currencies", b"");
        let resp = self
            .http
            .get(format!("{}/currencies", self.base))
            .header("x-api-key", "key")
            .header("x-time", time)
            .header("x-sig", sig)
            .header("accept", "application/json")
            .header("user-agent", self.agent.clone())
            .send()
            .await
            .expect("send");
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice::<RawCurrencies>(&body).expect("decode").currencies.len()
    }

    async fn milacoins_invoice(&self) -> usize {
        let body = serde_json::to_vec(&RawInvoiceRequest {
            wallet: "BTC",
            amount: 10.5,
            currency: "EUR",
            external_id: "ORDER-42",
        })
        .expect("encode");
        let time = Self::now();
        let sig = Self::sign(&time, "POST", "/invoices", &body);
        let resp = self
            .http
            .post(format!("{}/invoices", self.base))
            .header("x-api-key", "key")
            .header("x-time", time)
            .header("x-sig", sig)
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .header("user-agent", self.agent.clone())
            .body(body)
            .send()
            .await
            .expect("send");
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice::<RawInvoice>(&body).expect("decode").id.len()
    }

    async fn wallets_page(&self) -> usize {
        let resp = self
            .http
            .get(format!("{}/api/v1/wallets?limit=100&page=1", self.base))
            .header("authorization", "Bearer tok")
            .header("accept", "application/json")
            .header("user-agent", self.agent.clone())
            .send()
            .await
            .expect("send");
        let total: u64 = resp.headers().get("x-total-count").and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(0);
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice::<Vec<RawWallet>>(&body).expect("decode").len() + total as usize
    }

    async fn waas_credit(&self) -> usize {
        let id = uuid::Uuid::new_v4().to_string();
        let body = serde_json::to_vec(&RawCreditRequest {
            account_number: "10000110",
            client_service_code: "PAY1CNAELX",
            transaction_source: "EXTERNAL",
            transaction_amount: "96",
            source_transaction_id: &id,
            transaction_date: "2024-09-05T17:47:00.000Z",
        })
        .expect("encode");
        let resp = self
            .http
            .post(format!("{}/api/v1/transactions?command=CREDIT", self.base))
            .header("authorization", "Bearer tok")
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .header("user-agent", self.agent.clone())
            .body(body)
            .send()
            .await
            .expect("send");
        let body = resp.bytes().await.expect("body");
        serde_json::from_slice::<RawLedgerEntry>(&body).expect("decode").transaction_id.len()
    }
}

// ---------------------------------------------------------------------------
// walletkit: the same calls through the SDK.

struct Kit {
    milta: MiltaClient,
    mila: MilaCoinsClient,
    wallets: WalletsClient,
    waas: WaasClient,
}

impl Kit {
    /// Rate limits off, as the baseline has none; with `-- limiter` on, each
    /// class the calls use limited to 1,000,000 per second (never reached), so
    /// the limiter's bookkeeping is measured without any waiting.
    fn new(base: &str) -> Self {
        let no_retry = RetryPolicy::none();
        let on = limiter();
        let never = Some(Rate::new(1_000_000, Duration::from_secs(1)));
        Kit {
            milta: MiltaClient::builder()
                .base_url(format!("{base}/api/v1/partner"))
                .credentials("key-id", "key-secret")
                .rate_limits_enabled(on)
                .rate_limit(walletkit::milta::rate_class::INVENTORIES, never)
                .rate_limit(walletkit::milta::rate_class::TRANSFER_CREATE, never)
                .retry_policy(no_retry)
                .build()
                .expect("milta"),
            mila: MilaCoinsClient::builder()
                .base_url(base)
                .credentials("key", "secret")
                .rate_limits_enabled(on)
                .rate_limit(walletkit::milacoins::rate_class::READ, never)
                .rate_limit(walletkit::milacoins::rate_class::WRITE, never)
                .retry_policy(no_retry)
                .build()
                .expect("milacoins"),
            wallets: WalletsClient::builder()
                .base_url(base)
                .token("tok")
                .rate_limits_enabled(on)
                .rate_limit(walletkit::wallets::rate_class::READ, never)
                .retry_policy(no_retry)
                .build()
                .expect("wallets"),
            waas: WaasClient::builder()
                .base_url(base)
                .credentials("user", "pass")
                .rate_limits_enabled(on)
                .rate_limit(walletkit::waas::rate_class::TRANSACTIONS, never)
                .rate_limit(walletkit::waas::rate_class::LOGIN, never)
                .retry_policy(no_retry)
                .build()
                .expect("waas"),
        }
    }

    async fn milta_countries(&self) -> usize {
        self.milta.inventories().countries().get().await.expect("countries").items.len()
    }

    async fn milta_transfer(&self) -> usize {
        let t = TransferRequest::new(
            ExternalId::from("TXN-001"),
            ProductId::from("PRODUCT_123"),
            PhoneNumber::from("+447700900001"),
            Decimal::TEN,
            "GBP",
        );
        self.milta.transfers().create(&t).await.expect("transfer").transfer_id.len()
    }

    async fn milacoins_currencies(&self) -> usize {
        self.mila.reference().currencies().await.expect("currencies").len()
    }

    async fn milacoins_invoice(&self) -> usize {
        let req = InvoiceRequest::new(WalletName::from("BTC"), Decimal::new(105, 1), "EUR").external_id("ORDER-42");
        self.mila.invoices().create(&req).await.expect("invoice").id.len()
    }

    async fn wallets_page(&self) -> usize {
        let page = self.wallets.wallets().list().page_size(100).get().await.expect("wallets");
        page.items.len() + page.total_items.unwrap_or(0) as usize
    }

    async fn waas_credit(&self) -> usize {
        let req = TransactionRequest::new(
            AccountNumber::from("10000110"),
            ClientServiceCode::from("PAY1CNAELX"),
            TransactionSource::External,
            Decimal::new(96, 0),
            SourceTransactionId::from(uuid::Uuid::new_v4().to_string()),
            chrono::Utc::now(),
        );
        self.waas.transactions().credit(&req).await.expect("credit").transaction_id.len()
    }
}

// ---------------------------------------------------------------------------
// The harness: one client thread, N calls at concurrency C.

type Call<'a> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = usize> + 'a>> + 'a>;

#[derive(Clone, Copy)]
struct Figures {
    per_sec: f64,
    cpu_us: f64,
    allocs: f64,
}

async fn measure(call: &Call<'_>, calls: u32, concurrency: u32) -> Figures {
    let calls = if quick() { (calls / 100).max(concurrency) } else { calls };
    for _ in 0..concurrency.max(8) {
        std::hint::black_box(call().await); // warm the pool and the login
    }
    ALLOCS.store(0, Ordering::Relaxed);
    COUNT_HERE.with(|c| c.set(true));
    let (wall, cpu) = (Instant::now(), thread_cpu());
    let per_task = calls / concurrency;
    futures_util::future::join_all((0..concurrency).map(|_| async {
        for _ in 0..per_task {
            std::hint::black_box(call().await);
        }
    }))
    .await;
    let (wall, cpu) = (wall.elapsed(), thread_cpu() - cpu);
    COUNT_HERE.with(|c| c.set(false));
    let done = f64::from(per_task * concurrency);
    Figures {
        per_sec: done / wall.as_secs_f64(),
        cpu_us: cpu.as_secs_f64() * 1e6 / done,
        allocs: ALLOCS.load(Ordering::Relaxed) as f64 / done,
    }
}

/// The better of two runs, figure by figure.
fn best(held: Option<Figures>, new: Figures) -> Figures {
    match held {
        None => new,
        Some(h) => Figures {
            per_sec: h.per_sec.max(new.per_sec),
            cpu_us: h.cpu_us.min(new.cpu_us),
            allocs: h.allocs.min(new.allocs),
        },
    }
}

fn report(name: &str, concurrency: u32, raw: Figures, kit: Figures) {
    println!(
        "{name:<26} c={concurrency:<3} raw {:>7.0}/s {:>6.1} µs {:>6.1} allocs | walletkit {:>7.0}/s {:>6.1} µs {:>6.1} allocs | req/s {:.2}× cpu {:.2}× allocs {:.2}×",
        raw.per_sec,
        raw.cpu_us,
        raw.allocs,
        kit.per_sec,
        kit.cpu_us,
        kit.allocs,
        kit.per_sec / raw.per_sec,
        kit.cpu_us / raw.cpu_us,
        kit.allocs / raw.allocs,
    );
}

fn decode_figures<F: Fn() -> usize>(decode: F) -> (f64, f64) {
    let n: u32 = if quick() { 20 } else { 2_000 };
    for _ in 0..n / 40 {
        std::hint::black_box(decode());
    }
    ALLOCS.store(0, Ordering::Relaxed);
    COUNT_HERE.with(|c| c.set(true));
    let (wall, cpu) = (Instant::now(), thread_cpu());
    for _ in 0..n {
        std::hint::black_box(decode());
    }
    let cpu = (thread_cpu() - cpu).max(Duration::from_nanos(1)).min(wall.elapsed().max(Duration::from_nanos(1)));
    COUNT_HERE.with(|c| c.set(false));
    (cpu.as_secs_f64() * 1e6 / f64::from(n), ALLOCS.load(Ordering::Relaxed) as f64 / f64::from(n))
}

/// The raw side of a decode row, a function of its own so that callgrind
/// counts each side's instructions apart (`callgrind_annotate --inclusive=yes
/// | grep -E 'overhead::(raw|kit)_side'`, one row picked by name).
#[inline(never)]
fn raw_side(decode: &dyn Fn() -> usize) -> usize {
    // Distinct bodies: identical ones would be folded into one symbol.
    decode() + std::hint::black_box(0)
}

/// The walletkit side of a decode row; see [`raw_side`].
#[inline(never)]
fn kit_side(decode: &dyn Fn() -> usize) -> usize {
    decode() + std::hint::black_box(1) - 1
}

fn decode_only() {
    println!("\n-- decode only, a 100-item page (µs and allocations per page)");
    let products = format!(
        r#"{{"status":"success","data":{{"items":[{}],"pagination":{{"page":1,"pageSize":100,"totalItems":100,"totalPages":1}}}}}}"#,
        (0..100)
            .map(|i| format!(r#"{{"productId":"PR-{i}","name":"Top-up {i}","providerId":"P-1","country":"GB","currency":"GBP","productType":"TOPUP","minAmount":1.5,"maxAmount":500}}"#))
            .collect::<Vec<_>>()
            .join(",")
    );
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct RawProduct {
        product_id: String,
        name: String,
        provider_id: String,
        country: String,
        currency: String,
        product_type: String,
        min_amount: f64,
        max_amount: f64,
    }
    #[derive(Deserialize)]
    struct KitItems<T> {
        items: Vec<T>,
    }
    let tx = std::fs::read_to_string("fixtures/milacoins/transaction.json").expect("transaction fixture");
    let transactions = format!(r#"{{"count":100,"limit":100,"skip":0,"docs":[{}]}}"#, vec![tx.trim(); 100].join(","));
    #[derive(Deserialize)]
    struct Docs<T> {
        docs: Vec<T>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct RawRefund {
        id: String,
        status: String,
        network: Option<String>,
        amount: Option<f64>,
        agent: Option<String>,
        created_at: Option<String>,
        address: Option<String>,
        #[serde(rename = "txID")]
        tx_id: Option<String>,
    }
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct RawRate {
        base: String,
        quote: String,
        rate: f64,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct RawCustomer {
        first_name: Option<String>,
        last_name: Option<String>,
        email: Option<String>,
    }
    /// Every field the document names for a transaction.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct RawMilaTransaction {
        id: String,
        #[serde(rename = "receiptID")]
        receipt_id: Option<u64>,
        #[serde(rename = "type")]
        transaction_type: Option<String>,
        status: String,
        refund: Option<RawRefund>,
        invoice_currency: Option<String>,
        invoice_amount: Option<f64>,
        wallet: Option<String>,
        wallet_credited: Option<f64>,
        network: Option<String>,
        network_amount_received: Option<f64>,
        exchange_rate: Option<RawRate>,
        address: Option<String>,
        txs: Vec<String>,
        #[serde(rename = "externalID")]
        external_id: Option<String>,
        customer: Option<RawCustomer>,
        created_at: Option<String>,
    }
    let wallets = wallets_json(1, 100);
    let invoice = std::fs::read_to_string("fixtures/milacoins/invoice.json").expect("invoice fixture");
    let invoices = format!("[{}]", vec![invoice.trim(); 100].join(","));
    let transfer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("fixtures/milta/transfer_scheduled.json").expect("transfer"))
            .expect("transfer fixture");
    let transfers = format!("[{}]", vec![transfer["data"].to_string(); 100].join(","));
    /// Every field the document names for a transfer.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct RawMiltaTransfer {
        transfer_id: String,
        external_id: Option<String>,
        status: String,
        scheduled_at: Option<String>,
        amount: Option<f64>,
        currency: Option<String>,
    }
    let ledger = std::fs::read_to_string("fixtures/waas/transaction_response.json").expect("waas fixture");
    let ledger = format!("[{}]", vec![ledger.trim(); 100].join(","));

    type Decode<'a> = Box<dyn Fn() -> usize + 'a>;
    let rows: [(&str, Decode<'_>, Decode<'_>); 6] = [
        (
            "milta products",
            Box::new(|| {
                serde_json::from_str::<RawEnvelope<RawItems<RawProduct>>>(&products).expect("raw").data.items.len()
            }),
            Box::new(|| {
                serde_json::from_str::<RawEnvelope<KitItems<walletkit::milta::Product>>>(&products)
                    .expect("kit")
                    .data
                    .items
                    .len()
            }),
        ),
        (
            "milacoins transactions",
            Box::new(|| serde_json::from_str::<Docs<RawMilaTransaction>>(&transactions).expect("raw").docs.len()),
            Box::new(|| {
                serde_json::from_str::<Docs<walletkit::milacoins::Transaction>>(&transactions).expect("kit").docs.len()
            }),
        ),
        (
            "milta transfers",
            Box::new(|| serde_json::from_str::<Vec<RawMiltaTransfer>>(&transfers).expect("raw").len()),
            Box::new(|| serde_json::from_str::<Vec<walletkit::milta::Transfer>>(&transfers).expect("kit").len()),
        ),
        (
            "milacoins invoices",
            Box::new(|| serde_json::from_str::<Vec<RawInvoice>>(&invoices).expect("raw").len()),
            Box::new(|| serde_json::from_str::<Vec<walletkit::milacoins::Invoice>>(&invoices).expect("kit").len()),
        ),
        (
            "wallets",
            Box::new(|| serde_json::from_str::<Vec<RawWallet>>(&wallets).expect("raw").len()),
            Box::new(|| serde_json::from_str::<Vec<walletkit::wallets::Wallet>>(&wallets).expect("kit").len()),
        ),
        (
            "waas ledger entries",
            Box::new(|| serde_json::from_str::<Vec<RawLedgerEntry>>(&ledger).expect("raw").len()),
            Box::new(|| serde_json::from_str::<Vec<walletkit::waas::Transaction>>(&ledger).expect("kit").len()),
        ),
    ];
    for (name, raw, kit) in rows.iter().filter(|row| picks(row.0)) {
        let (mut raw_us, mut raw_allocs, mut kit_us, mut kit_allocs) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
        for _ in 0..if quick() { 1 } else { 5 } {
            let (us, allocs) = decode_figures(|| raw_side(raw));
            (raw_us, raw_allocs) = (raw_us.min(us), raw_allocs.min(allocs));
            let (us, allocs) = decode_figures(|| kit_side(kit));
            (kit_us, kit_allocs) = (kit_us.min(us), kit_allocs.min(allocs));
        }
        println!(
            "{name:<24} raw {raw_us:>7.1} µs {raw_allocs:>6.0} allocs | walletkit {kit_us:>7.1} µs {kit_allocs:>6.0} allocs | time {:.2}× allocs {:.2}×",
            kit_us / raw_us,
            kit_allocs / raw_allocs
        );
    }
}

async fn paging(base_slow: &str, base_fast: &str) {
    println!("\n-- paging: 100 pages of 100 wallets, 20 ms server latency");
    for prefetch in [1usize, 4, 8] {
        let wallets = WalletsClient::builder()
            .base_url(base_slow)
            .token("tok")
            .rate_limits_enabled(false)
            .build()
            .expect("wallets");
        let started = Instant::now();
        let n = wallets
            .wallets()
            .list()
            .page_size(100)
            .prefetch(prefetch)
            .stream()
            .try_fold(0u64, |n, _| async move { Ok(n + 1) })
            .await
            .expect("stream");
        println!("stream() prefetch({prefetch}): {n} wallets in {:.2} s", started.elapsed().as_secs_f64());
    }

    println!("\n-- streaming 1,000,000 wallets (pages of 10,000), peak RSS of the whole process");
    let raw = Raw::new(base_fast);
    reset_peak_rss();
    let before = peak_rss_kib();
    let started = Instant::now();
    let mut count = 0usize;
    for page in 1..=100u64 {
        let resp = raw
            .http
            .get(format!("{base_fast}/api/v1/wallets?limit=10000&page={page}&total=1000000"))
            .header("authorization", "Bearer tok")
            .send()
            .await
            .expect("send");
        let body = resp.bytes().await.expect("body");
        count += serde_json::from_slice::<Vec<RawWallet>>(&body).expect("decode").len();
    }
    println!(
        "raw reqwest, page by page:     {count} wallets, {:>8.0} items/s, VmHWM {} MiB (baseline {} MiB)",
        count as f64 / started.elapsed().as_secs_f64(),
        peak_rss_kib() / 1024,
        before / 1024
    );
    for prefetch in [1usize, 4] {
        let wallets = WalletsClient::builder()
            .base_url(base_fast)
            .token("tok")
            .rate_limits_enabled(false)
            .build()
            .expect("wallets");
        reset_peak_rss();
        let before = peak_rss_kib();
        let started = Instant::now();
        let listing = wallets.wallets().list().page_size(10_000).prefetch(prefetch);
        let mut items = listing.stream();
        let mut count = 0usize;
        while let Some(w) = items.next().await {
            std::hint::black_box(w.expect("wallet"));
            count += 1;
        }
        println!(
            "walletkit stream prefetch({prefetch}): {count} wallets, {:>8.0} items/s, VmHWM {} MiB (baseline {} MiB)",
            count as f64 / started.elapsed().as_secs_f64(),
            peak_rss_kib() / 1024,
            before / 1024
        );
    }
}

const SECTIONS: [&str; 3] = ["calls", "decode", "paging"];

/// `quick`: a hundredth of the calls, for running under
/// `valgrind --tool=callgrind`, whose instruction counts do not vary with
/// the machine's load the way CPU time does.
fn quick() -> bool {
    named().iter().any(|n| n == "quick")
}

/// `limiter`: walletkit's clients with their rate limiter on (limits set
/// out of reach), to measure what the limiter itself costs.
fn limiter() -> bool {
    named().iter().any(|n| n == "limiter")
}

/// The concurrencies to run: `c1`, `c16`, `c64` pick; all three when none is named.
fn concurrencies() -> Vec<u32> {
    let named = named();
    let picked: Vec<u32> = [1, 16, 64].into_iter().filter(|c| named.contains(&format!("c{c}"))).collect();
    if picked.is_empty() {
        vec![1, 16, 64]
    } else {
        picked
    }
}

/// The names given after `--`: `cargo bench --bench overhead -- decode` runs
/// one section (`calls`, `decode`, `paging`); other words pick the per-call
/// scenarios whose name contains them (`-- calls wallets`).
fn named() -> Vec<String> {
    std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect()
}

/// Whether section `section` runs: all of them when none is named.
fn wants(section: &str) -> bool {
    let named = named();
    !named.iter().any(|n| SECTIONS.contains(&n.as_str())) || named.iter().any(|n| n == section)
}

/// Whether per-call scenario `name` runs: all of them when none is picked.
fn picks(name: &str) -> bool {
    let knobs = ["quick", "limiter", "c1", "c16", "c64"];
    let words: Vec<String> =
        named().into_iter().filter(|n| !SECTIONS.contains(&n.as_str()) && !knobs.contains(&n.as_str())).collect();
    words.is_empty() || words.iter().any(|w| name.contains(w.as_str()))
}

fn main() {
    if wants("decode") {
        decode_only();
    }
    if !wants("calls") && !wants("paging") {
        return;
    }
    let base = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt")
        .block_on(fixture_server(Duration::ZERO));
    let slow = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt")
        .block_on(fixture_server(Duration::from_millis(20)));
    pin_to_cpu(0);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    rt.block_on(async {
        let raw = Raw::new(&base);
        let kit = Kit::new(&base);
        println!(
            "-- per call: raw reqwest vs walletkit, client on one thread (req/s, client CPU µs/call, allocations/call)"
        );
        let scenarios: Vec<(&str, Call<'_>, Call<'_>, u32)> = vec![
            (
                "milta GET countries",
                Box::new(|| Box::pin(raw.milta_countries())),
                Box::new(|| Box::pin(kit.milta_countries())),
                4_000,
            ),
            (
                "milta POST transfer",
                Box::new(|| Box::pin(raw.milta_transfer())),
                Box::new(|| Box::pin(kit.milta_transfer())),
                4_000,
            ),
            (
                "milacoins signed GET",
                Box::new(|| Box::pin(raw.milacoins_currencies())),
                Box::new(|| Box::pin(kit.milacoins_currencies())),
                4_000,
            ),
            (
                "milacoins signed POST",
                Box::new(|| Box::pin(raw.milacoins_invoice())),
                Box::new(|| Box::pin(kit.milacoins_invoice())),
                4_000,
            ),
            (
                "wallets page of 100",
                Box::new(|| Box::pin(raw.wallets_page())),
                Box::new(|| Box::pin(kit.wallets_page())),
                1_000,
            ),
            ("waas credit", Box::new(|| Box::pin(raw.waas_credit())), Box::new(|| Box::pin(kit.waas_credit())), 4_000),
            // The noise floor: the same raw client on both sides. Any ratio
            // away from 1.00× here is the machine, not walletkit.
            (
                "control: raw vs raw GET",
                Box::new(|| Box::pin(raw.milta_countries())),
                Box::new(|| Box::pin(raw.milta_countries())),
                4_000,
            ),
        ];
        for (name, raw_call, kit_call, calls) in scenarios.iter().filter(|s| wants("calls") && picks(s.0)) {
            for concurrency in concurrencies() {
                // Six rounds, best of each side: a shared 2-core machine adds
                // noise, never speed. With a fixed order the side that ran
                // second measured up to 10-18 % better, so the order
                // alternates: raw first, then walletkit first.
                let (mut raw_best, mut kit_best) = (None, None);
                for round in 0..6 {
                    if round % 2 == 0 {
                        raw_best = Some(best(raw_best, measure(raw_call, *calls, concurrency).await));
                        kit_best = Some(best(kit_best, measure(kit_call, *calls, concurrency).await));
                    } else {
                        kit_best = Some(best(kit_best, measure(kit_call, *calls, concurrency).await));
                        raw_best = Some(best(raw_best, measure(raw_call, *calls, concurrency).await));
                    }
                }
                if let (Some(raw_fig), Some(kit_fig)) = (raw_best, kit_best) {
                    report(name, concurrency, raw_fig, kit_fig);
                }
            }
        }
        if wants("paging") {
            paging(&slow, &base).await;
        }
    });
}
