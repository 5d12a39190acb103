//! What a hostile server writes into its answers never reaches a caller's
//! logs as written: the client's own secrets and every credential-like
//! value are blanked from errors (whole, or cut off by the length cap), and
//! every server text in an error is capped and has its control characters
//! escaped, so it can neither flood a log nor forge a line in it.

use base64::Engine as _;
use walletkit::milacoins::MilaCoinsClient;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::waas::WaasLogin;
use walletkit::wallets::{WalletId, WalletsClient};
use walletkit::{Decimal, Error, ErrorKind, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY_ID: &str = "kid-5e6f-0000";
const KEY_SECRET: &str = "ks-9a8b7c-0000";
const BEARER: &str = "bt-c0ffee-1234";
const PASSWORD: &str = "CorrectHorseBattery9";

/// The longest error text any of these answers may produce: the capped
/// server texts plus walletkit's own words.
const SHORT: usize = 2_000;

/// Fails if `needle`, or any start of it of four characters or more, is in
/// the error's `Display`, `Debug` or pretty `Debug`.
fn assert_absent(err: &Error, needle: &str) {
    let starts: Vec<&str> = (4..=needle.len()).map(|n| &needle[..n]).collect();
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        for start in &starts {
            assert!(!text.contains(start), "{start:?} (of {needle:?}) leaks: {text}");
        }
    }
}

fn milta(server: &MockServer) -> MiltaClient {
    MiltaClient::builder()
        .base_url(format!("{}/api/v1/partner", server.uri()))
        .credentials(KEY_ID, KEY_SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn transfer() -> TransferRequest {
    TransferRequest::new(ExternalId::from("E-1"), ProductId::from("P"), PhoneNumber::from("+1"), Decimal::ONE, "GBP")
}

/// `len` characters of filler, so a secret after it straddles a length cap.
fn filler(len: usize) -> String {
    "x".repeat(len)
}

#[tokio::test]
async fn a_401_that_repeats_the_clients_credentials_does_not_print_them() {
    let server = MockServer::start().await;
    let echo = |message: String| {
        ResponseTemplate::new(401)
            .set_body_json(serde_json::json!({"error": {"code": "UNAUTHORIZED", "message": message}}))
    };
    Mock::given(path("/api/v1/wallets/101"))
        .respond_with(echo(format!("the credential {BEARER} has expired")))
        .mount(&server)
        .await;
    // Cut by the cap seven characters into the token: `…bt-c0ff…`.
    Mock::given(path("/api/v1/wallets/102"))
        .respond_with(echo(format!("{} {BEARER} has expired", filler(503))))
        .mount(&server)
        .await;
    let wallets = WalletsClient::builder().base_url(server.uri()).token(BEARER).build().unwrap();
    for id in [101, 102] {
        let err = wallets.wallets().get(&WalletId::from(id)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
        // Blanked, whole or (cut again by the cap) in part, in the message
        // kept in full (`Display` shows only its start).
        assert!(err.as_api().is_some_and(|api| api.message.contains("[REDACT")), "{err:?}");
        assert_absent(&err, BEARER);
    }

    // Milta's Basic credentials: the key secret and the encoded pair.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY_ID}:{KEY_SECRET}"));
    Mock::given(method("GET"))
        .and(path("/api/v1/partner/balance"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "status": "error",
            "code": "INVALID_API_KEY",
            "message": format!("key {KEY_ID} with secret {KEY_SECRET} (sent as Basic {basic}) is revoked"),
        })))
        .mount(&server)
        .await;
    let err = milta(&server).account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    for secret in [KEY_ID, KEY_SECRET, &basic] {
        assert_absent(&err, secret);
    }

    // MilaCoins' signing key and secret.
    Mock::given(path("/wallets"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "name": "FAIL_TO_AUTH",
            "code": 4304,
            "message": "no account for mk-77aa-0000 signed with ms-88bb-0000",
        })))
        .mount(&server)
        .await;
    let mila = MilaCoinsClient::builder()
        .credentials("mk-77aa-0000", "ms-88bb-0000")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = mila.reference().wallets().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    assert_absent(&err, "mk-77aa-0000");
    assert_absent(&err, "ms-88bb-0000");
}

#[tokio::test]
async fn a_400_body_with_access_token_and_password_does_not_print_them() {
    let server = MockServer::start().await;
    // No message: the error shows an excerpt of the body.
    Mock::given(method("GET"))
        .and(path("/api/v1/partner/balance"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"status":"error","echo":{"access_token":"at-4a1b-leak","Password":"pw-5c2d-leak"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = milta(&server).account().balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    let message = &err.as_api().unwrap_or_else(|| panic!("{err:?}")).message;
    assert!(message.contains(r#""access_token":"[REDACTED]""#), "the key stays, its value goes: {message}");
    assert_absent(&err, "at-4a1b-leak");
    assert_absent(&err, "pw-5c2d-leak");

    // A validation message naming the fields it refuses, and a message in `key=value` text.
    Mock::given(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"errors":{"access_token":["at-6e3f-leak is malformed"],"password":"pw-7a4b-leak"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let login = WaasLogin::builder().base_url(server.uri()).credentials("ops", "pw-not-echoed").build().unwrap();
    let err = login.ensure_logged_in().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert_absent(&err, "at-6e3f-leak");
    assert_absent(&err, "pw-7a4b-leak");

    Mock::given(path("/wallets"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"requestID":"r-1","name":"DB_INVALID_INPUT","message":"rejected refresh_token=rt-8c5d-leak&client_secret=cs-9e6f-leak","code":1602}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let mila = MilaCoinsClient::builder()
        .credentials("mila-key-1234", "mila-secret-5678")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = mila.reference().wallets().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    assert_absent(&err, "rt-8c5d-leak");
    assert_absent(&err, "cs-9e6f-leak");
}

#[tokio::test]
async fn a_2xx_body_that_cannot_be_read_does_not_print_credentials() {
    let server = MockServer::start().await;
    // Cut short, so it cannot be read: the error shows its start.
    let body = format!(
        r#"{{"status":"success","data":{{"x-api-key":"xak-1a2b-leak","jwt":"jwt-3c4d-leak","Bearer":"br-5e6f-leak","echo":"{KEY_SECRET}","balance":"#
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = milta(&server);
    let read = client.account().balance().await.unwrap_err();
    assert!(matches!(read, Error::Decode(_)), "{read:?}");
    let accepted = client.transfers().create(&transfer()).await.unwrap_err();
    assert!(matches!(accepted, Error::AcceptedUnreadable(_)), "{accepted:?}");
    let excerpts = [
        matches!(&read, Error::Decode(d) if d.excerpt.contains("x-api-key")),
        accepted.as_accepted_unreadable().is_some_and(|a| a.excerpt.contains("x-api-key")),
    ];
    assert_eq!(excerpts, [true, true], "the excerpt is still there: {read:?} {accepted:?}");
    for err in [&read, &accepted] {
        for leaked in ["xak-1a2b-leak", "jwt-3c4d-leak", "br-5e6f-leak", KEY_SECRET] {
            assert_absent(err, leaked);
        }
    }
}

#[tokio::test]
async fn the_waas_login_error_blanks_a_password_cut_in_half_by_the_cap() {
    let server = MockServer::start().await;
    // Copies of the password every 21 characters: whatever the cap, a copy
    // is cut somewhere in the middle (at 512 characters, four in: `Corr…`).
    let message = format!("pw={}", format!("{PASSWORD},").repeat(60));
    Mock::given(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({ "message": message })))
        .mount(&server)
        .await;
    let login = WaasLogin::builder().base_url(server.uri()).credentials("ops-user-3f2e", PASSWORD).build().unwrap();
    let err = login.ensure_logged_in().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err}");
    let message = &err.as_api().unwrap_or_else(|| panic!("{err:?}")).message;
    assert!(message.contains("login failed: pw=[REDACTED]") && message.ends_with('…'), "{message}");
    assert_absent(&err, PASSWORD);
}

#[tokio::test]
async fn a_huge_message_with_line_breaks_is_capped_and_escaped() {
    let server = MockServer::start().await;
    let forged = "\r\n2030-01-01T00:00:00Z INFO payment settled amount=1000000\r\n";
    let message = format!("{forged}{}", "y".repeat(1024 * 1024));
    let error =
        serde_json::json!({"status": "error", "message": message, "code": format!("E{forged}{}", "z".repeat(100_000))});
    Mock::given(method("GET"))
        .and(path("/api/v1/partner/balance"))
        .respond_with(ResponseTemplate::new(400).set_body_json(&error))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/partner/transfers"))
        .respond_with(ResponseTemplate::new(500).set_body_json(&error))
        .mount(&server)
        .await;
    // The same text in MilaCoins' request id, and in a Wallets request id header.
    Mock::given(path("/wallets"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"requestID": message, "name": "NOT_FOUND", "message": forged, "code": 404}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/wallets/1"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "r".repeat(8 * 1024)))
        .mount(&server)
        .await;

    let client = milta(&server);
    let api = client.account().balance().await.unwrap_err();
    let unknown = client.transfers().create(&transfer()).await.unwrap_err();
    assert!(matches!(unknown, Error::OutcomeUnknown(_)), "{unknown:?}");
    let mila = MilaCoinsClient::builder()
        .credentials("mila-key-1234", "mila-secret-5678")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let id = mila.reference().wallets().await.unwrap_err();
    let wallets = WalletsClient::builder().base_url(server.uri()).token("t-123456").build().unwrap();
    let header = wallets.wallets().get(&WalletId::from(1)).await.unwrap_err();

    for err in [&api, &unknown, &id, &header] {
        let shown = err.to_string();
        assert!(shown.len() < SHORT, "{} bytes: {}", shown.len(), &shown[..SHORT.min(shown.len())]);
        assert!(!shown.contains(['\r', '\n']), "a raw line break: {shown}");
        assert!(format!("{err:?}").len() < 2 * SHORT, "Debug is short too");
    }
    assert_eq!(
        api.to_string(),
        "milta answered status 400 (Validation); fix the request.",
        "a forged code is not shown"
    );
    let api = api.as_api().unwrap();
    assert!(api.message.contains(r"\r\n2030-01-01T00:00:00Z INFO payment settled"), "escaped, still readable: {api:?}");
    assert!(api.message.chars().count() <= 512 && api.message.ends_with('…'), "{}", api.message);
    assert!(api.code.as_deref().is_some_and(|c| c.chars().count() <= 512 && c.starts_with(r"E\r\n")), "{api:?}");
    let id = id.as_api().unwrap();
    assert!(id.request_id.as_deref().is_some_and(|r| r.chars().count() <= 512), "{id:?}");
    let header = header.as_api().unwrap();
    assert!(header.request_id.as_deref().is_some_and(|r| r.chars().count() <= 512), "{header:?}");
}
