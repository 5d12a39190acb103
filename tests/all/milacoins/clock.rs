//! Clock skew: a server whose clock runs ten minutes ahead answers
//! `INVALID_TIME` (4303) with its `Date`; the client learns the offset,
//! retries once, and signs later requests with the corrected time.

use crate::support::milacoins_sig as sig;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use walletkit::milacoins::MilaCoinsClient;
use walletkit::{ErrorKind, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use sig::{MilaCoinsSignature, Target};

const SKEW: Duration = Duration::from_secs(600);
const WINDOW_SECS: u64 = 30;

/// A server whose clock is `SKEW` ahead and which accepts `X-time` within
/// `WINDOW_SECS` of its own clock.
struct SkewedServer;

impl SkewedServer {
    fn now() -> SystemTime {
        SystemTime::now() + SKEW
    }
}

impl Respond for SkewedServer {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let server_now = Self::now();
        let server_secs = server_now.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        let sent = sig::x_time(req).unwrap_or(0);
        if (sent - server_secs).unsigned_abs() > WINDOW_SECS {
            return ResponseTemplate::new(403).insert_header("date", httpdate::fmt_http_date(server_now)).set_body_raw(
                r#"{"requestID":"r","name":"INVALID_TIME","message":"X-time hadear is invalid:","code":4303}"#,
                "application/json",
            );
        }
        ResponseTemplate::new(200).set_body_raw(r#"{"currencies":["EUR","USD"]}"#, "application/json")
    }
}

fn client(server: &MockServer) -> MilaCoinsClient {
    MilaCoinsClient::builder()
        .credentials("k", "s")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

async fn skewed_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(Target("/currencies".into()))
        .and(MilaCoinsSignature::new("k", "s"))
        .respond_with(SkewedServer)
        .mount(&server)
        .await;
    server
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn the_offset_is_learned_from_date_and_kept_by_the_client() {
    let server = skewed_server().await;
    let mila = client(&server);

    // First call: rejected once, corrected from `Date`, retried.
    assert_eq!(mila.reference().currencies().await.unwrap(), ["EUR", "USD"]);
    assert_eq!(request_count(&server).await, 2, "one rejection, one retry");
    let received = server.received_requests().await.unwrap();
    let server_secs = SkewedServer::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let (first, retry) = (sig::x_time(&received[0]).unwrap(), sig::x_time(&received[1]).unwrap());
    assert!((server_secs - first) >= 590, "first X-time {first} was the local clock");
    assert!((server_secs - retry).abs() <= 5, "retry X-time {retry} is the server's clock ({server_secs})");

    // Second call, on a clone: signed with the corrected time from the start.
    let clone = mila.clone();
    assert_eq!(clone.reference().currencies().await.unwrap(), ["EUR", "USD"]);
    assert_eq!(request_count(&server).await, 3, "exactly one request for the second call");

    // A separate client has its own clock and must learn it again.
    client(&server).reference().currencies().await.unwrap();
    assert_eq!(request_count(&server).await, 5);
}

#[tokio::test]
async fn without_a_date_header_the_clock_error_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            r#"{"requestID":"r","name":"INVALID_TIME","message":"X-time hadear is invalid:","code":4303}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = client(&server).reference().currencies().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ClockSkew);
    // The mock server adds its own `Date`, so one corrected retry happens, and then no more.
    assert!(request_count(&server).await <= 2);
}

const INVALID_TIME: &str =
    r#"{"requestID":"r","name":"INVALID_TIME","message":"X-time hadear is invalid:","code":4303}"#;

/// A server that rejects the first request with `INVALID_TIME` and `date`,
/// then accepts everything.
async fn rejects_once_with_date(date: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403).insert_header("date", date).set_body_raw(INVALID_TIME, "application/json"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"currencies":["EUR"]}"#, "application/json"))
        .mount(&server)
        .await;
    server
}

fn local_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Issue 22, item 9: one answer dated 2100 (or 1970) must not move the
/// signing clock; every request keeps signing near the local time.
#[tokio::test]
async fn a_date_beyond_the_bound_never_moves_the_signing_clock() {
    for date in ["Fri, 01 Jan 2100 00:00:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"] {
        let server = rejects_once_with_date(date).await;
        let mila = client(&server);
        let first = mila.reference().currencies().await;
        for _ in 0..2 {
            mila.reference().currencies().await.unwrap();
        }
        let now = local_secs();
        for (i, req) in server.received_requests().await.unwrap().iter().enumerate() {
            let sent = sig::x_time(req).unwrap();
            assert!((sent - now).abs() <= 60, "{date}: request {i} carried X-time {sent}, local clock {now}");
        }
        let err = first.expect_err("an unbelievable Date is not a reason to re-sign");
        assert_eq!(err.kind(), ErrorKind::ClockSkew, "{date}: {err}");
        assert_eq!(request_count(&server).await, 3, "{date}: no re-sign with the same clock");
    }
}

/// Within the bound the offset is learned, and a later `INVALID_TIME`
/// replaces it: the clock follows the server back when it is corrected.
#[tokio::test]
async fn a_later_invalid_time_relearns_the_offset() {
    let ahead = SystemTime::now() + Duration::from_secs(3600);
    let server = rejects_once_with_date(&httpdate::fmt_http_date(ahead)).await;
    let mila = client(&server);
    mila.reference().currencies().await.unwrap();
    let received = server.received_requests().await.unwrap();
    let learned = sig::x_time(&received[1]).unwrap();
    assert!((learned - local_secs() - 3600).abs() <= 5, "retry signed an hour ahead: {learned}");

    // The server's clock is fixed: its next INVALID_TIME carries the true time.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("date", httpdate::fmt_http_date(SystemTime::now()))
                .set_body_raw(INVALID_TIME, "application/json"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"currencies":["EUR"]}"#, "application/json"))
        .mount(&server)
        .await;
    mila.reference().currencies().await.unwrap();
    mila.reference().currencies().await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3, "one rejection, one re-sign, one plain call");
    for req in &received[1..] {
        let sent = sig::x_time(req).unwrap();
        assert!((sent - local_secs()).abs() <= 5, "signed with the relearned clock: {sent}");
    }
}
