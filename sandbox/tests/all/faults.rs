//! Fault switches over plain HTTP and raw TCP: 429s with `Retry-After`,
//! 5xx on a counter, latency, and connections dropped after a POST acted.

use crate::common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{http, milacoins, milta, send, start, start_with, waas, waas_token};
use reqwest::Method;
use serde_json::json;
use walletkit_sandbox::{FaultCounts, Faults, SandboxConfig, Trigger};

/// Sends `request` on a raw socket and returns every byte the server wrote
/// before closing.
async fn raw_exchange(base_url: &str, request: String) -> Vec<u8> {
    let authority = base_url.trim_start_matches("http://").split('/').next().unwrap().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(authority).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("the server closes the connection");
        answer
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn first_request_of_each_endpoint_gets_429_with_retry_after() {
    let config = SandboxConfig::default().with_fault_spec("all:429-first,retry-after=2").unwrap();
    let sb = start_with(config).await;
    let a = send(milta(&sb, Method::GET, "/balance")).await;
    assert_eq!((a.status.as_u16(), a.header("retry-after")), (429, Some("2")));
    assert_eq!(a.json["code"], "RATE_LIMIT_EXCEEDED");
    assert_eq!(send(milta(&sb, Method::GET, "/balance")).await.status, 200);
    assert_eq!(send(milta(&sb, Method::GET, "/inventories/countries")).await.status, 429, "counted per endpoint");
    assert_eq!(send(milta(&sb, Method::GET, "/transfers/T-1")).await.status, 429);
    assert_eq!(send(milta(&sb, Method::GET, "/transfers/T-2")).await.status, 404, "one route, many ids");

    let m = send(milacoins(&sb, Method::GET, "/currencies", "")).await;
    assert_eq!((m.status.as_u16(), m.json["code"].as_u64()), (429, Some(4302)));
    let w =
        send(http().get(format!("{}/api/v1/wallets", sb.wallets().base_url())).bearer_auth(sb.wallets().token())).await;
    assert_eq!((w.status.as_u16(), w.header("retry-after")), (429, Some("2")));
    assert!(w.json["error"]["code"].is_string());
    assert_eq!(sb.milta().fault_counts().too_many_requests, 3);
}

#[tokio::test]
async fn server_errors_on_a_counter_and_only_on_gets_when_asked() {
    let mut config = SandboxConfig::default();
    config.wallets.faults =
        Faults { server_errors: Some(Trigger::Every(3)), server_errors_gets_only: true, ..Faults::default() };
    let sb = start_with(config).await;
    let url = format!("{}/api/v1/wallets/101", sb.wallets().base_url());
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(send(http().get(&url).bearer_auth(sb.wallets().token())).await.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 500, 200, 200, 500]);
    assert_eq!(sb.wallets().fault_counts(), FaultCounts { server_errors: 2, ..FaultCounts::default() });

    sb.waas().set_faults(Faults {
        server_errors: Some(Trigger::Every(1)),
        server_errors_gets_only: true,
        ..Faults::default()
    });
    let token = waas_token(&sb).await;
    let a = send(waas(&sb, &token, "/api/v1/clients", &json!({}))).await;
    assert_eq!(a.status, 400, "POSTs untouched by a GET-only fault");
    sb.waas().set_faults(Faults { server_errors: Some(Trigger::First), ..Faults::default() });
    let a = send(waas(&sb, &token, "/api/v1/clients", &json!({}))).await;
    assert_eq!(a.status, 500);
}

#[tokio::test]
async fn milta_post_acts_then_the_connection_drops_and_the_key_replays() {
    let mut config = SandboxConfig::default().with_fault_spec("milta:drop-first").unwrap();
    config.milta.limits = None;
    let sb = start_with(config).await;
    let body = r#"{"externalId":"DROP-1","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10.00,"currency":"GBP"}"#;
    let m = sb.milta();
    let auth = base64_basic(m.key_id(), m.key_secret());
    let request = format!(
        "POST /api/v1/partner/transfers HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Basic {auth}\r\n\
         Content-Type: application/json\r\nX-Idempotency-Key: drop-key\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let before = m.balance();
    let answer = raw_exchange(m.base_url(), request).await;
    assert!(answer.is_empty(), "no HTTP response at all, got {:?}", String::from_utf8_lossy(&answer));
    assert_eq!(m.transfers_with_external_id("DROP-1"), 1, "the server acted before dropping");
    assert!(m.balance() < before);
    assert_eq!(m.fault_counts().dropped, 1);

    // The client's retry with the same key gets the first answer; nothing is booked twice.
    let retry = send(milta(&sb, Method::POST, "/transfers").header("X-Idempotency-Key", "drop-key").body(body)).await;
    assert_eq!(retry.status, 201);
    assert_eq!(retry.json["data"]["transferId"], m.transfers()[0].transfer_id.as_str());
    assert_eq!(m.transfers_with_external_id("DROP-1"), 1);
    // Only the first POST of the endpoint is dropped.
    let other = r#"{"externalId":"DROP-2","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10.00,"currency":"GBP"}"#;
    assert_eq!(send(milta(&sb, Method::POST, "/transfers").body(other)).await.status, 201);
}

#[tokio::test]
async fn waas_post_drops_after_booking_but_login_never_drops() {
    let sb = start_with(SandboxConfig::default().with_fault_spec("waas:drop-every=1").unwrap()).await;
    let token = waas_token(&sb).await;
    let body = json!({
        "client_name": "Drop", "client_email": "d@example.com", "client_phone_number": "1", "contact_person_name": "D",
        "contact_person_email": "d@example.com", "contact_person_msisdn": "1", "business_pin": "1", "country": "KE",
        "is_active": 1,
    })
    .to_string();
    let request = format!(
        "POST /api/v1/clients HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = raw_exchange(sb.waas().base_url(), request).await;
    assert!(answer.is_empty(), "got {:?}", String::from_utf8_lossy(&answer));
    assert_eq!(sb.waas().fault_counts().dropped, 1);
    let err = http()
        .post(format!("{}/api/v1/clients", sb.waas().base_url()))
        .bearer_auth(&token)
        .body(body)
        .send()
        .await
        .expect_err("reqwest sees the connection close without an answer");
    assert!(!err.is_status());
}

#[tokio::test]
async fn a_refused_post_is_answered_and_does_not_use_up_the_drop() {
    let sb = start_with(SandboxConfig::default().with_fault_spec("waas:drop-first").unwrap()).await;
    let token = waas_token(&sb).await;
    let refused = send(waas(&sb, &token, "/api/v1/clients", &json!({"client_name": "X"}))).await;
    assert_eq!(refused.status, 400, "a 4xx is answered, not dropped");
    assert_eq!(sb.waas().fault_counts().dropped, 0);

    sb.waas().set_faults(Faults { too_many_requests: Some(Trigger::First), ..sb.waas().faults() });
    let limited = send(waas(&sb, &token, "/api/v1/clients", &json!({"client_name": "X"}))).await;
    assert_eq!(limited.status, 429);
    assert_eq!(sb.waas().fault_counts().dropped, 0);

    // The first POST that books something is the one dropped.
    let body = json!({
        "client_name": "Drop", "client_email": "d@example.com", "client_phone_number": "1", "contact_person_name": "D",
        "contact_person_email": "d@example.com", "contact_person_msisdn": "1", "business_pin": "1", "country": "KE",
        "is_active": 1,
    });
    let err = waas(&sb, &token, "/api/v1/clients", &body).send().await.expect_err("dropped without an answer");
    assert!(!err.is_status());
    assert_eq!(sb.waas().fault_counts().dropped, 1);
    assert_eq!(send(waas(&sb, &token, "/api/v1/clients", &body)).await.status, 201, "only the first success drops");
}

#[tokio::test]
async fn latency_is_added_to_every_request() {
    let mut config = SandboxConfig::default();
    config.milacoins.faults.latency = Duration::from_secs(1);
    let sb = start_with(config).await;
    let started = Instant::now();
    let a = send(milacoins(&sb, Method::GET, "/wallets", "")).await;
    assert_eq!(a.status, 200);
    assert!(started.elapsed() >= Duration::from_secs(1));
    sb.milacoins().set_faults(Faults::default());
    let started = Instant::now();
    send(milacoins(&sb, Method::GET, "/wallets", "")).await;
    // Far below the injected second, so a loaded machine does not fail it.
    assert!(started.elapsed() < Duration::from_millis(800));
}

#[tokio::test]
async fn shutdown_closes_listeners_and_open_connections() {
    let sb = start().await;
    let base_url = sb.milta().base_url().to_owned();
    let authority = base_url.trim_start_matches("http://").split('/').next().unwrap().to_owned();
    assert_eq!(send(milta(&sb, Method::GET, "/balance")).await.status, 200);
    // Accepted or still in the backlog, it is closed either way.
    let idle = std::net::TcpStream::connect(&authority).unwrap();
    sb.shutdown().await;

    // No sleep: the listener is closed when `shutdown` returns.
    let err = std::net::TcpStream::connect(&authority).expect_err("the listener is closed");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    let eof = tokio::task::spawn_blocking(move || {
        let mut idle = idle;
        idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 16];
        idle.read(&mut buf)
    })
    .await
    .unwrap();
    let closed = match &eof {
        Ok(n) => *n == 0,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "the open connection is closed: {eof:?}");
}

#[tokio::test]
async fn dropping_the_sandbox_closes_its_listeners_soon() {
    let sb = start().await;
    let authority = sb.milta().base_url().trim_start_matches("http://").split('/').next().unwrap().to_owned();
    drop(sb);
    // Dropping is asynchronous: the listener closes once the runtime polls
    // the aborted task.
    let mut refused = false;
    for _ in 0..100 {
        if let Err(e) = std::net::TcpStream::connect(&authority) {
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the listener is still open a second after drop");
}

fn base64_basic(user: &str, pass: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
}
