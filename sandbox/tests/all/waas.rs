//! The WaaS fake over plain HTTP: login tokens, entities, a ledger that
//! refuses overdraws, rejects duplicate references and reverses exactly once.

use crate::common;

use std::time::Duration;

use common::{http, send, start, start_with, waas, waas_token};
use serde_json::json;
use walletkit_sandbox::{Sandbox, SandboxConfig};

/// Creates a client, a service (1 to 1000) and two KES accounts; returns
/// (service code, account without overdraft, account allowed to overdraw).
pub(crate) async fn setup(sb: &Sandbox, token: &str) -> (String, String, String) {
    let client = send(waas(
        sb,
        token,
        "/api/v1/clients",
        &json!({
            "client_name": "LIPAD", "client_email": "client@lipad.example", "client_phone_number": "254712345678",
            "contact_person_name": "Admin", "contact_person_email": "admin@lipad.example",
            "contact_person_msisdn": "254712345678", "business_pin": "1", "physical_address": "456 Elm St",
            "country": "Canada", "logo": "https://example.com/logo2.png", "description": "Lorem", "is_active": 1,
        }),
    ))
    .await;
    assert_eq!(client.status, 201, "{}", client.json);
    let code = client.json["client_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 10);
    let account = |name: &str, overdraw: bool| {
        json!({
            "client_code": code, "account_type_code": "FLOAT_ACCOUNT", "account_name": name,
            "currency": "KES", "minimum_balance": 0, "can_overdraw": overdraw, "status": "ACTIVE",
        })
    };
    let a = send(waas(sb, token, "/api/v1/accounts", &account("Float", false))).await;
    assert_eq!(a.status, 201, "{}", a.json);
    assert_eq!(a.json["minimum_balance"], "0.0000");
    let b = send(waas(sb, token, "/api/v1/accounts", &account("Credit line", true))).await;
    let service = send(waas(
        sb,
        token,
        "/api/v1/client-services",
        &json!({
            "client_code": code, "client_service_name": "Payout KES Nairobi", "service_code": "CUSTOM_SERVICE",
            "has_transaction_fee": true, "transaction_fee_type": "FIXED", "transaction_fee": 0.0,
            "minimum_transaction_amount": 1.0, "maximum_transaction_amount": 1000.0, "is_active": 1,
        }),
    ))
    .await;
    assert_eq!(service.status, 201, "{}", service.json);
    assert_eq!(service.json["maximum_transaction_amount"].to_string(), "1000.0", "numbers echoed as sent");
    (
        service.json["client_service_code"].as_str().unwrap().to_owned(),
        a.json["account_number"].as_str().unwrap().to_owned(),
        b.json["account_number"].as_str().unwrap().to_owned(),
    )
}

/// A credit or debit as JSON text, the amount exactly as given (it may be
/// a quoted string, to send the wrong type).
pub(crate) fn movement(account: &str, service: &str, amount: &str, key: &str) -> String {
    format!(
        r#"{{"account_number":"{account}","client_service_code":"{service}","transaction_source":"EXTERNAL",
            "transaction_amount":{amount},"source_transaction_id":"{key}","source_transaction_data":{{"data":"test"}},
            "transaction_narration":"Test","transaction_date":"2024-07-29T12:34:56Z"}}"#
    )
}

#[tokio::test]
async fn login_is_required_and_tokens_expire() {
    let sb = start().await;
    let url = format!("{}/api/v1/clients", sb.waas().base_url());
    assert_eq!(send(http().post(&url).body("{}")).await.status, 401);
    assert_eq!(send(http().post(&url).bearer_auth("made-up").body("{}")).await.status, 401);
    let bad = json!({"username": sb.waas().username(), "password": "wrong"});
    let a = send(http().post(format!("{}/api/v1/auth/login", sb.waas().base_url())).body(bad.to_string())).await;
    assert_eq!(a.status, 401);
    let login = json!({"username": sb.waas().username(), "password": sb.waas().password()});
    let a = send(http().post(format!("{}/api/v1/auth/login", sb.waas().base_url())).body(login.to_string())).await;
    assert_eq!((a.json["token_type"].as_str(), a.json["expires_in"].as_u64()), (Some("Bearer"), Some(3600)));
    let token = a.json["access_token"].as_str().unwrap();
    assert_eq!(send(http().post(&url).bearer_auth(token).body("{}")).await.status, 400, "authenticated, invalid body");
    sb.waas().expire_tokens();
    assert_eq!(send(http().post(&url).bearer_auth(token).body("{}")).await.status, 401);

    let mut config = SandboxConfig::default();
    config.waas.token_ttl = Some(Duration::ZERO);
    let sb = start_with(config).await;
    let token = waas_token(&sb).await;
    let url = format!("{}/api/v1/clients", sb.waas().base_url());
    let expired = send(http().post(&url).bearer_auth(&token).body("{}")).await;
    assert_eq!(expired.status, 401);
    assert!(expired.json["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    let a = send(waas(&sb, &token, "/api/v1/clients", &json!({"client_name": "X"}))).await;
    assert_eq!(a.status, 400);
    assert!(a.json["message"].as_str().unwrap().contains("client_email"), "{}", a.json);
    let keys: Vec<&String> = a.json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "error", "message", "status_code"], "the document's snake_case (keys sorted)");
    assert_eq!((a.json["status_code"].as_u64(), a.json["error"].as_str()), (Some(400), Some("Bad Request")));
    let (service, account, _) = setup(&sb, &token).await;
    let m = movement(&account, &service, r#""10""#, "V-1");
    let a = send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &m)).await;
    assert_eq!(a.status, 400);
    assert!(a.json["message"].as_str().unwrap().contains("transaction_amount"));
    let a =
        send(waas(&sb, &token, "/api/v1/transactions?command=STEAL", &movement(&account, &service, "10", "V-2"))).await;
    assert_eq!(a.status, 400);
    let a =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement("999", &service, "10", "V-3"))).await;
    assert_eq!(a.status, 404);
    let a =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(&account, &service, "5000", "V-4")))
            .await;
    assert_eq!(a.status, 400, "above the service maximum");
    let long = movement(&account, &service, "10.0000000000000000000000000001", "V-5");
    let a = send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &long)).await;
    assert_eq!((a.status.as_u16(), a.json["code"].as_str()), (400, Some("VALIDATION_ERROR")), "not rounded to 10");
    assert_eq!(sb.waas().entries().len(), 0);
}

#[tokio::test]
async fn ledger_moves_refuses_overdraw_and_duplicates() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    let (service, float, credit_line) = setup(&sb, &token).await;
    let credit =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(&float, &service, "96", "C-1"))).await;
    assert_eq!(credit.status, 201, "{}", credit.json);
    let e = &credit.json;
    assert_eq!(
        (
            e["transaction_type"].as_str(),
            e["transaction_amount"].as_str(),
            e["previous_balance"].as_str(),
            e["current_balance"].as_str()
        ),
        (Some("CREDIT"), Some("96.0000"), Some("0.0000"), Some("96.0000"))
    );
    assert_eq!(e["other_party_transaction_hash"], "N/A");
    assert_eq!(e["source_transaction_id"], "C-1");
    assert_eq!(e["transaction_date"], "2024-07-29T12:34:56.000Z");

    let dup =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(&float, &service, "96", "C-1"))).await;
    assert_eq!(dup.status, 409);
    assert_eq!(sb.waas().transactions_with_source_id("C-1"), 1);

    let over =
        send(waas(&sb, &token, "/api/v1/transactions?command=DEBIT", &movement(&float, &service, "100", "D-1"))).await;
    assert_eq!(over.status, 400, "{}", over.json);
    assert_eq!(over.json["code"], "INSUFFICIENT_FUNDS");
    assert_eq!(sb.waas().balance(&float).unwrap().to_string(), "96");
    assert_eq!(sb.waas().transactions_with_source_id("D-1"), 0);

    let debit =
        send(waas(&sb, &token, "/api/v1/transactions?command=DEBIT", &movement(&float, &service, "90.5", "D-2"))).await;
    assert_eq!(debit.json["current_balance"], "5.5000");
    let overdraw =
        send(waas(&sb, &token, "/api/v1/transactions?command=DEBIT", &movement(&credit_line, &service, "40", "D-3")))
            .await;
    assert_eq!(overdraw.status, 201, "can_overdraw allows a negative balance");
    assert_eq!(overdraw.json["current_balance"], "-40.0000");

    let transfer = json!({
        "source_account_number": float, "destination_account_number": credit_line, "client_service_code": service,
        "transaction_amount": 5.5, "source_transaction_id": "T-1", "transaction_source": "INTERNAL",
        "source_transaction_data": {}, "transaction_narration": "Transfer", "transaction_date": "2022-07-29T12:34:56Z",
    });
    let t = send(waas(&sb, &token, "/api/v1/account-transfers", &transfer)).await;
    assert_eq!(t.status, 201, "{}", t.json);
    assert_eq!(t.json["source_transaction"]["current_balance"], "0.0000");
    assert_eq!(t.json["destination_transaction"]["current_balance"], "-34.5000");
    assert_eq!(t.json["source_transaction"]["other_party_account"], credit_line.as_str());
    let again = send(waas(&sb, &token, "/api/v1/account-transfers", &transfer)).await;
    assert_eq!(again.status, 409);
    let mut broke = transfer.clone();
    broke["source_transaction_id"] = json!("T-2");
    let refused = send(waas(&sb, &token, "/api/v1/account-transfers", &broke)).await;
    assert_eq!(refused.json["code"], "INSUFFICIENT_FUNDS", "the float account is empty now");
}

#[tokio::test]
async fn reversal_is_exact_and_happens_once() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    let (service, float, _) = setup(&sb, &token).await;
    let credit =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(&float, &service, "997", "R-1"))).await;
    let id = credit.json["transaction_id"].as_str().unwrap().to_owned();
    let settlement = credit.json["other_party_account"].as_str().unwrap().to_owned();
    let settlement_before = sb.waas().balance(&settlement).unwrap();

    let url = format!("/api/v1/transactions/{id}?command=REVERSE");
    let reversed = send(waas(&sb, &token, &url, &json!({}))).await;
    assert_eq!(reversed.status, 201, "{}", reversed.json);
    let src = &reversed.json["source_transaction"];
    let dst = &reversed.json["destination_transaction"];
    assert_eq!((src["account"].as_str(), src["transaction_type"].as_str()), (Some(float.as_str()), Some("DEBIT")));
    assert_eq!(
        (src["transaction_amount"].as_str(), src["current_balance"].as_str()),
        (Some("997.0000"), Some("0.0000"))
    );
    assert_eq!(
        (dst["account"].as_str(), dst["transaction_type"].as_str()),
        (Some(settlement.as_str()), Some("CREDIT"))
    );
    assert_eq!(sb.waas().balance(&float).unwrap(), rust_decimal::Decimal::ZERO);
    assert_eq!(sb.waas().balance(&settlement).unwrap(), settlement_before + rust_decimal::Decimal::from(997));

    let twice = send(waas(&sb, &token, &url, &json!({}))).await;
    assert_eq!(twice.status, 409);
    assert_eq!(twice.json["code"], "ALREADY_REVERSED");
    assert_eq!(sb.waas().reversals_of_source_id("R-1"), 1);
    let reversal_id = src["transaction_id"].as_str().unwrap();
    let of_reversal =
        send(waas(&sb, &token, &format!("/api/v1/transactions/{reversal_id}?command=REVERSE"), &json!({}))).await;
    assert_eq!(of_reversal.status, 400);
    let unknown = send(waas(&sb, &token, "/api/v1/transactions/424242?command=REVERSE", &json!({}))).await;
    assert_eq!(unknown.status, 404);
    let no_command = send(waas(&sb, &token, &format!("/api/v1/transactions/{id}"), &json!({}))).await;
    assert_eq!(no_command.status, 400);
    assert_eq!(sb.waas().entries().len(), 4, "one credit and one reversal, two lines each");
}

#[tokio::test]
async fn a_posting_that_would_overflow_a_balance_is_refused_whole() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    let client = send(waas(
        &sb,
        &token,
        "/api/v1/clients",
        &json!({
            "client_name": "Big", "client_email": "b@example.com", "client_phone_number": "1",
            "contact_person_name": "B", "contact_person_email": "b@example.com", "contact_person_msisdn": "1",
            "business_pin": "1", "country": "KE", "is_active": 1,
        }),
    ))
    .await;
    let code = client.json["client_code"].as_str().unwrap().to_owned();
    let account = |overdraw: bool| {
        json!({
            "client_code": code, "account_type_code": "FLOAT_ACCOUNT", "account_name": "Big",
            "currency": "KES", "minimum_balance": 0, "can_overdraw": overdraw, "status": "ACTIVE",
        })
    };
    let a = send(waas(&sb, &token, "/api/v1/accounts", &account(true))).await;
    let b = send(waas(&sb, &token, "/api/v1/accounts", &account(false))).await;
    let (a, b) = (a.json["account_number"].as_str().unwrap(), b.json["account_number"].as_str().unwrap());
    // Decimal::MAX as the service maximum, so only the balances can overflow.
    let service = format!(
        r#"{{"client_code":"{code}","client_service_name":"Big","service_code":"CUSTOM_SERVICE",
            "has_transaction_fee":false,"minimum_transaction_amount":1,
            "maximum_transaction_amount":79228162514264337593543950335,"is_active":1}}"#
    );
    let service = send(waas(&sb, &token, "/api/v1/client-services", &service)).await;
    assert_eq!(service.status, 201, "{}", service.json);
    assert_eq!(service.raw_at("/maximum_transaction_amount"), "79228162514264337593543950335");
    let service = service.json["client_service_code"].as_str().unwrap();

    let five = "50000000000000000000000000000";
    let credit =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(b, service, five, "O-1"))).await;
    assert_eq!(credit.status, 201, "{}", credit.json);
    let before: Vec<_> = sb.waas().entries();
    let balances = |sb: &Sandbox| (sb.waas().balance(a), sb.waas().balance(b));
    let balances_before = balances(&sb);

    // B would go past Decimal::MAX; A may overdraw, so only the credit line overflows.
    let transfer = |amount: &str| -> String {
        format!(
            r#"{{"source_account_number":"{a}","destination_account_number":"{b}","client_service_code":"{service}",
                "transaction_amount":{amount},"source_transaction_id":"O-2","transaction_source":"INTERNAL",
                "transaction_date":"2024-07-29T12:34:56Z"}}"#
        )
    };
    let four = "40000000000000000000000000000";
    let refused = send(waas(&sb, &token, "/api/v1/account-transfers", &transfer(four))).await;
    assert_eq!(refused.status, 400, "{}", refused.json);
    assert_eq!(refused.json["code"], "VALIDATION_ERROR");
    // The settlement account (already at -5e28) would overflow on the debit line.
    let credit =
        send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &movement(a, service, four, "O-3"))).await;
    assert_eq!(credit.status, 400, "{}", credit.json);
    assert_eq!(sb.waas().entries(), before, "no line of either posting was booked");
    assert_eq!(balances(&sb), balances_before);
    assert_eq!(sb.waas().transactions_with_source_id("O-2"), 0);

    let fine = send(waas(&sb, &token, "/api/v1/account-transfers", &transfer("1"))).await;
    assert_eq!(fine.status, 201, "the refused key is still free: {}", fine.json);
}

#[tokio::test]
async fn amounts_are_read_and_written_exactly() {
    let sb = start().await;
    let token = waas_token(&sb).await;
    let client = send(waas(
        &sb,
        &token,
        "/api/v1/clients",
        &json!({
            "client_name": "Exact", "client_email": "e@example.com", "client_phone_number": "1",
            "contact_person_name": "E", "contact_person_email": "e@example.com", "contact_person_msisdn": "1",
            "business_pin": "1", "country": "KE", "is_active": 1,
        }),
    ))
    .await;
    let code = client.json["client_code"].as_str().unwrap().to_owned();
    let account = json!({
        "client_code": code, "account_type_code": "FLOAT_ACCOUNT", "account_name": "Exact",
        "currency": "KES", "minimum_balance": 0, "status": "ACTIVE",
    });
    let account = send(waas(&sb, &token, "/api/v1/accounts", &account)).await;
    let account = account.json["account_number"].as_str().unwrap().to_owned();
    let service = format!(
        r#"{{"client_code":"{code}","client_service_name":"Exact","service_code":"CUSTOM_SERVICE",
            "has_transaction_fee":false,"minimum_transaction_amount":0.123456789012345678,
            "maximum_transaction_amount":12345678901234567.89,"is_active":1}}"#
    );
    let service = send(waas(&sb, &token, "/api/v1/client-services", &service)).await;
    assert_eq!(service.status, 201, "{}", service.json);
    assert_eq!(service.raw_at("/minimum_transaction_amount"), "0.123456789012345678");
    assert_eq!(service.raw_at("/maximum_transaction_amount"), "12345678901234567.89");
    let service = service.json["client_service_code"].as_str().unwrap().to_owned();

    let big = movement(&account, &service, "12345678901234567.89", "X-1");
    let credit = send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &big)).await;
    assert_eq!(credit.status, 201, "{}", credit.json);
    assert_eq!(credit.raw_at("/transaction_amount"), r#""12345678901234567.8900""#);
    assert_eq!(sb.waas().balance(&account), Some(common::decimal("12345678901234567.89")));
    // Above the service maximum by one cent: refused, so it was not rounded.
    let over = movement(&account, &service, "12345678901234567.90", "X-2");
    let refused = send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &over)).await;
    assert_eq!((refused.status.as_u16(), refused.json["code"].as_str()), (400, Some("AMOUNT_OUT_OF_RANGE")));
    // Eighteen places are read as eighteen places, and refused as more than four.
    let fine = movement(&account, &service, "0.123456789012345678", "X-3");
    let refused = send(waas(&sb, &token, "/api/v1/transactions?command=CREDIT", &fine)).await;
    assert_eq!(refused.status, 400, "{}", refused.json);
    assert!(refused.json["message"].as_str().unwrap().contains("4 decimal places"), "{}", refused.json);
    assert_eq!(sb.waas().transactions_with_source_id("X-3"), 0);
}
