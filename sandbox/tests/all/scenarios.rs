//! Scenarios and the sandbox clock: Milta transfers forced FAILED, PENDING
//! or executed when `scheduledAt` passes; the 24-hour idempotency validity
//! and the 5-minute cancellation window crossed; MilaCoins invoices ended
//! under-, over-, late-paid or expired; WaaS insufficient balance and token
//! expiry; and all of it over the admin route.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use walletkit_sandbox::{InvoiceEnd, Sandbox, TransferMatch, TransferOutcome, WaasMatch};

use crate::common::{self, http, milacoins, milta, send, start, waas, waas_token};
use crate::milta::transfer;
use crate::waas::{movement, setup};

const DAY: Duration = Duration::from_secs(24 * 3600);

async fn create(sb: &Sandbox, body: &Value, key: Option<&str>) -> common::Answer {
    let mut req = milta(sb, Method::POST, "/transfers").body(body.to_string());
    if let Some(key) = key {
        req = req.header("X-Idempotency-Key", key);
    }
    send(req).await
}

async fn status(sb: &Sandbox, id: &str) -> String {
    let a = send(milta(sb, Method::GET, &format!("/transfers/{id}"))).await;
    assert_eq!(a.status, 200, "{}", a.json);
    a.json["data"]["status"].as_str().unwrap().to_owned()
}

fn deferred(external_id: &str, at: DateTime<Utc>) -> Value {
    let mut t = transfer(external_id, "10");
    t["deferred"] = json!(true);
    t["scheduledAt"] = json!(at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    t
}

#[tokio::test]
async fn milta_transfer_named_by_external_id_fails_and_is_refunded() {
    let sb = start().await;
    let before = sb.milta().balance();
    assert_eq!(sb.milta().scenario(TransferMatch::ExternalId("F-1".into()), TransferOutcome::Fail), None);
    let other = create(&sb, &transfer("OK-1", "10"), None).await;
    let failing = create(&sb, &transfer("F-1", "10"), None).await;
    assert_eq!(failing.json["data"]["status"], "PENDING", "created as any transfer is");
    let id = failing.json["data"]["transferId"].as_str().unwrap();
    assert_eq!(status(&sb, id).await, "FAILED");
    assert_eq!(status(&sb, id).await, "FAILED", "final");
    assert_eq!(status(&sb, other.json["data"]["transferId"].as_str().unwrap()).await, "COMPLETED");
    assert_eq!(before - sb.milta().balance(), sb.milta().transfers()[0].debit, "only the completed one is charged");
}

#[tokio::test]
async fn milta_transfer_stays_pending_until_a_scenario_fails_it() {
    let sb = start().await;
    sb.milta().scenario(TransferMatch::Next, TransferOutcome::StayPending);
    let a = create(&sb, &transfer("P-1", "10"), None).await;
    let id = a.json["data"]["transferId"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(status(&sb, &id).await, "PENDING");
    }
    let b = create(&sb, &transfer("P-2", "10"), None).await;
    assert_eq!(status(&sb, b.json["data"]["transferId"].as_str().unwrap()).await, "COMPLETED", "Next is spent once");
    let now = sb.milta().scenario(TransferMatch::TransferId(id.clone()), TransferOutcome::Fail).unwrap();
    assert_eq!(now.status, "PENDING", "applies at the next read");
    assert_eq!(status(&sb, &id).await, "FAILED");
}

#[tokio::test]
async fn deferred_transfer_executes_when_the_clock_crosses_scheduled_at() {
    let sb = start().await;
    let at = sb.now() + TimeDelta::hours(2);
    let a = create(&sb, &deferred("S-1", at), None).await;
    assert_eq!(a.status, 201, "{}", a.json);
    let id = a.json["data"]["transferId"].as_str().unwrap().to_owned();
    assert_eq!(status(&sb, &id).await, "SCHEDULED");
    sb.advance(Duration::from_secs(2 * 3600 - 60));
    assert_eq!(status(&sb, &id).await, "SCHEDULED", "a minute before");
    sb.advance(Duration::from_secs(61));
    assert_eq!(status(&sb, &id).await, "COMPLETED");

    // Executed into a scenario's outcome: PENDING, then FAILED.
    let at = sb.now() + TimeDelta::hours(1);
    sb.milta().scenario(TransferMatch::ExternalId("S-2".into()), TransferOutcome::StayPending);
    let b = create(&sb, &deferred("S-2", at), None).await;
    let id = b.json["data"]["transferId"].as_str().unwrap().to_owned();
    sb.advance(Duration::from_secs(3601));
    assert_eq!(status(&sb, &id).await, "PENDING");
    sb.milta().scenario(TransferMatch::TransferId(id.clone()), TransferOutcome::Fail);
    assert_eq!(status(&sb, &id).await, "FAILED");
}

#[tokio::test]
async fn the_clock_closes_the_cancellation_window() {
    let sb = start().await;
    let a = create(&sb, &deferred("W-1", sb.now() + TimeDelta::minutes(30)), None).await;
    let id = a.json["data"]["transferId"].as_str().unwrap().to_owned();
    sb.advance(Duration::from_secs(24 * 60 + 59));
    assert_eq!(status(&sb, &id).await, "SCHEDULED");
    sb.advance(Duration::from_secs(2));
    let late = send(milta(&sb, Method::DELETE, &format!("/transfers/{id}"))).await;
    assert_eq!((late.status.as_u16(), late.json["code"].as_str()), (409, Some("CANCELLATION_NOT_ALLOWED")));

    let b = create(&sb, &deferred("W-2", sb.now() + TimeDelta::minutes(30)), None).await;
    let id = b.json["data"]["transferId"].as_str().unwrap().to_owned();
    sb.advance(Duration::from_secs(24 * 60 + 50));
    let in_time = send(milta(&sb, Method::DELETE, &format!("/transfers/{id}"))).await;
    assert_eq!(in_time.status, 200, "{}", in_time.json);
}

#[tokio::test]
async fn idempotency_keys_expire_after_24_hours_on_the_clock() {
    let sb = start().await;
    let body = transfer("K-1", "10");
    let first = create(&sb, &body, Some("key-1")).await;
    assert_eq!(first.status, 201);
    sb.advance(DAY - Duration::from_secs(60));
    let replay = create(&sb, &body, Some("key-1")).await;
    assert_eq!(replay.header("x-idempotent-replayed"), Some("true"));
    assert_eq!(replay.raw, first.raw);
    sb.advance(Duration::from_secs(61));
    let late = create(&sb, &body, Some("key-1")).await;
    assert_eq!(late.header("x-idempotent-replayed"), None);
    assert_eq!((late.status.as_u16(), late.json["code"].as_str()), (409, Some("TRANSFER_ALREADY_EXISTS")));
    assert_eq!(sb.milta().transfers_with_external_id("K-1"), 1);
    // The refusal is now the key's first answer, replayed for 24 hours.
    let again = create(&sb, &body, Some("key-1")).await;
    assert_eq!((again.header("x-idempotent-replayed"), &again.raw), (Some("true"), &late.raw));
}

/// Creates a payment page calling `endpoint` back; returns its id.
async fn page(sb: &Sandbox, endpoint: &str, external_id: &str) -> String {
    let body = json!({
        "wallet": "EUR", "amount": 20, "currency": "EUR", "externalID": external_id,
        "cancelUrl": "https://shop.example/cancel", "completedUrl": "https://shop.example/done",
        "callbackUrl": format!("{endpoint}?event={{EVENT}}&invoice={{INVOICE_ID}}"),
    });
    let a = send(milacoins(sb, Method::POST, "/invoices/payment-page", &body.to_string())).await;
    assert_eq!(a.status, 201, "{}", a.json);
    a.json["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn milacoins_invoices_end_with_each_documented_status_and_its_callback() {
    let (endpoint, mut seen) = crate::milacoins::receiver().await;
    let sb = start().await;
    let cases = [
        (InvoiceEnd::UnderPaid, "underPaid", None, "18"),
        (InvoiceEnd::OverPaid, "overPaid", Some("complete"), "22"),
        (InvoiceEnd::PaidLate, "paidLate", None, "20"),
        (InvoiceEnd::Expired, "invalid", Some("cancel"), "0"),
    ];
    for (i, (end, status, event, credited)) in cases.into_iter().enumerate() {
        let external = format!("order-{i}");
        let id = page(&sb, &endpoint, &external).await;
        let call = sb.milacoins().end_invoice_by_external_id(&external, end).await.unwrap();
        assert_eq!(call.is_some(), event.is_some(), "{status}");
        if let Some(event) = event {
            let (_, target, _, _) = seen.recv().await.unwrap();
            assert_eq!(target, format!("/hook?event={event}&invoice={id}"));
        }
        let read = send(milacoins(&sb, Method::GET, &format!("/transactions/{id}"), "")).await;
        assert_eq!(read.json["status"], status, "{}", read.json);
        assert_eq!(common::dec(&read.raw_at("/walletCredited")).normalize().to_string(), credited);
    }
    assert!(seen.try_recv().is_err(), "no other callback");
    assert!(sb.milacoins().end_invoice("nope", InvoiceEnd::UnderPaid).await.is_err());
}

#[tokio::test]
async fn waas_refuses_the_named_movement_for_insufficient_balance() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    let (service, float, overdraw) = setup(&sb, &token).await;
    let post = |cmd: &str, account: &str, key: &str| {
        waas(&sb, &token, &format!("/api/v1/transactions?command={cmd}"), &movement(account, &service, "50", key))
    };
    assert_eq!(send(post("CREDIT", &float, "C-1")).await.status, 201);
    sb.waas().refuse_insufficient_balance(WaasMatch::SourceTransactionId("D-2".into()));
    sb.waas().refuse_insufficient_balance(WaasMatch::Account(overdraw.clone()));
    assert_eq!(send(post("DEBIT", &float, "D-1")).await.status, 201, "another key passes");
    let refused = send(post("DEBIT", &float, "D-2")).await;
    assert_eq!((refused.status.as_u16(), refused.json["code"].as_str()), (400, Some("INSUFFICIENT_FUNDS")));
    assert_eq!(sb.waas().transactions_with_source_id("D-2"), 0, "nothing booked");
    let refused = send(post("DEBIT", &overdraw, "D-3")).await;
    assert_eq!(refused.json["code"], "INSUFFICIENT_FUNDS", "even an account that may overdraw");
    assert_eq!(send(post("DEBIT", &overdraw, "D-4")).await.status, 201, "spent once");
    assert_eq!(sb.waas().balance(&float).unwrap().to_string(), "0");
}

#[tokio::test]
async fn waas_tokens_expire_when_the_clock_crosses_expires_in() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    assert_eq!(sb.waas().logins(), 1);
    let call = || waas(&sb, &token, "/api/v1/accounts", &json!({}));
    assert_eq!(send(call()).await.status, 400, "valid token: the body is what is refused");
    sb.advance(Duration::from_secs(3599));
    assert_eq!(send(call()).await.status, 400);
    sb.advance(Duration::from_secs(1));
    let expired = send(call()).await;
    assert_eq!(expired.status, 401);
    assert!(expired.raw.windows(7).any(|w| w == b"expired"), "{}", expired.json);
}

async fn admin(sb: &Sandbox, path: &str, body: Value) -> common::Answer {
    send(http().post(format!("{}{path}", sb.admin_url())).body(body.to_string())).await
}

#[tokio::test]
async fn the_admin_route_drives_the_clock_and_every_scenario_over_http() {
    let sb = start().await;
    assert!(sb.admin_url().ends_with("/__sandbox"));
    let clock = send(http().get(format!("{}/clock", sb.admin_url()))).await;
    assert_eq!(clock.json["offsetSeconds"], 0);

    // Milta: FAILED by externalId, then the key's 24 hours crossed.
    let a = admin(&sb, "/milta/scenarios", json!({"externalId": "A-1", "status": "FAILED"})).await;
    assert_eq!((a.status.as_u16(), &a.json), (200, &json!({"applied": false})));
    let created = create(&sb, &transfer("A-1", "10"), Some("k")).await;
    let id = created.json["data"]["transferId"].as_str().unwrap().to_owned();
    assert_eq!(status(&sb, &id).await, "FAILED");
    let a = admin(&sb, "/milta/scenarios", json!({"transferId": id, "status": "PENDING"})).await;
    assert_eq!(a.json["applied"], true);
    assert_eq!(a.json["transfer"]["status"], "FAILED", "a final status stays");

    let moved = admin(&sb, "/clock/advance", json!({"seconds": 86_401})).await;
    assert_eq!(moved.json["offsetSeconds"], 86_401);
    let now: DateTime<Utc> = moved.json["now"].as_str().unwrap().parse().unwrap();
    assert!(now - Utc::now() > TimeDelta::hours(24));
    assert!(sb.now() >= now);
    let late = create(&sb, &transfer("A-1", "10"), Some("k")).await;
    assert_eq!(late.json["code"], "TRANSFER_ALREADY_EXISTS", "the key expired on the sandbox clock");

    // Served under every listener's origin too.
    let waas_origin = send(http().get(format!("{}/__sandbox/clock", sb.waas().base_url()))).await;
    assert_eq!(waas_origin.json["offsetSeconds"], 86_401);

    // MilaCoins by externalID.
    let invoice = json!({"wallet": "EUR", "amount": 10, "currency": "EUR", "externalID": "inv-1"}).to_string();
    let inv = send(milacoins(&sb, Method::POST, "/invoices", &invoice)).await;
    let end = admin(&sb, "/milacoins/invoices/end", json!({"externalID": "inv-1", "status": "overPaid"})).await;
    assert_eq!(end.json, json!({"id": inv.json["id"], "status": "overPaid", "callback": null}));
    let read =
        send(milacoins(&sb, Method::GET, &format!("/transactions/{}", inv.json["id"].as_str().unwrap()), "")).await;
    assert_eq!(read.json["status"], "overPaid");

    // WaaS: the next debit.
    let w = admin(&sb, "/waas/scenarios", json!({"next": true, "error": "INSUFFICIENT_FUNDS"})).await;
    assert_eq!(w.json, json!({"waiting": true}));
    let token = waas_token(&sb).await;
    let (service, float, _) = setup(&sb, &token).await;
    let credit = waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(&float, &service, "5", "C"));
    assert_eq!(send(credit).await.status, 201, "a credit is never refused");
    let debit = waas(&sb, &token, "/api/v1/transactions?command=DEBIT", &movement(&float, &service, "5", "D"));
    assert_eq!(send(debit).await.json["code"], "INSUFFICIENT_FUNDS");

    // Refusals name the problem.
    for (path, body, says) in [
        ("/clock/advance", json!({"seconds": -1}), "invalid body"),
        ("/clock/advance", json!({"secs": 1}), "invalid body"),
        ("/milta/scenarios", json!({"status": "FAILED"}), "exactly one"),
        ("/milta/scenarios", json!({"next": true, "externalId": "x", "status": "FAILED"}), "exactly one"),
        ("/milta/scenarios", json!({"next": true, "status": "failed"}), "COMPLETED, FAILED or PENDING"),
        ("/milacoins/invoices/end", json!({"id": "nope", "status": "underPaid"}), "no invoice"),
        ("/milacoins/invoices/end", json!({"id": "x", "status": "expiredAt"}), "status must be"),
        ("/waas/scenarios", json!({"next": true, "error": "NOPE"}), "INSUFFICIENT_FUNDS"),
    ] {
        let a = admin(&sb, path, body.clone()).await;
        assert_eq!(a.status, 400, "{path} {body}");
        assert!(a.json["error"].as_str().unwrap().contains(says), "{path} {body}: {}", a.json);
    }
    assert_eq!(sb.clock_offset(), Duration::from_secs(86_401), "refused advances moved nothing");
}
