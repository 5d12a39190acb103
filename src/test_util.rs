//! Helpers for your own wiremock tests (feature `test-util`): matchers that
//! check each provider's auth on a received request, and responders built
//! from the documents' examples.
//!
//! ```
//! use walletkit::milta::MiltaClient;
//! use walletkit::test_util::{basic_auth, fixtures};
//! use wiremock::matchers::{method, path};
//! use wiremock::{Mock, MockServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = MockServer::start().await;
//! Mock::given(method("GET"))
//!     .and(path("/api/v1/partner/inventories/countries"))
//!     .and(basic_auth("key-id", "key-secret"))
//!     .respond_with(fixtures::milta::countries())
//!     .expect(1)
//!     .mount(&server)
//!     .await;
//!
//! // Milta's base URL includes `/api/v1/partner`; the others are scheme and host.
//! let milta = MiltaClient::builder()
//!     .base_url(format!("{}/api/v1/partner", server.uri()))
//!     .credentials("key-id", "key-secret")
//!     .build()
//!     .unwrap();
//! let countries = milta.inventories().countries().get().await.unwrap();
//! assert_eq!(countries.items[0].code, "GB");
//! # }
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use wiremock::{Match, Request};

use crate::transport::auth::sign;

/// Matches `Authorization: Basic base64(user:password)`.
pub fn basic_auth(user: &str, password: &str) -> HeaderEquals {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    HeaderEquals { name: "authorization", value: format!("Basic {encoded}") }
}

/// Matches `Authorization: Bearer <token>`.
pub fn bearer_token(token: &str) -> HeaderEquals {
    HeaderEquals { name: "authorization", value: format!("Bearer {token}") }
}

/// Matches a header with exactly this value; built by [`basic_auth`] and [`bearer_token`].
#[derive(Clone)]
pub struct HeaderEquals {
    name: &'static str,
    value: String,
}

impl std::fmt::Debug for HeaderEquals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HeaderEquals({}: [REDACTED])", self.name)
    }
}

impl Match for HeaderEquals {
    fn matches(&self, request: &Request) -> bool {
        request.headers.get(self.name).is_some_and(|v| v.as_bytes() == self.value.as_bytes())
    }
}

/// Matches a MilaCoins request whose `X-Sig` is the HMAC-SHA256 of
/// `X-time + METHOD + path?query + body` recomputed from the raw request as
/// received, with the right `X-api-key`. A request signed over other bytes
/// than were sent does not match.
pub fn milacoins_signature(api_key: &str, secret: &str) -> MilaCoinsSignature {
    MilaCoinsSignature::new(api_key, secret)
}

/// The request target as received: the path, plus `?` and the raw query.
pub fn request_target(request: &Request) -> String {
    match request.url.query() {
        Some(q) => format!("{}?{}", request.url.path(), q),
        None => request.url.path().to_string(),
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Checks a MilaCoins request's key and signature; see [`milacoins_signature`].
#[derive(Clone)]
pub struct MilaCoinsSignature {
    api_key: String,
    secret: String,
    max_skew: Option<Duration>,
}

impl std::fmt::Debug for MilaCoinsSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MilaCoinsSignature").field("secret", &"[REDACTED]").field("max_skew", &self.max_skew).finish()
    }
}

impl MilaCoinsSignature {
    /// Verifies against `api_key` and `secret`; the time is not checked.
    pub fn new(api_key: &str, secret: &str) -> Self {
        MilaCoinsSignature { api_key: api_key.to_string(), secret: secret.to_string(), max_skew: None }
    }

    /// Also requires `X-time` within `skew` of this machine's clock.
    pub fn max_skew(mut self, skew: Duration) -> Self {
        self.max_skew = Some(skew);
        self
    }

    /// `Ok` when `request` is correctly signed, otherwise why not.
    ///
    /// # Errors
    /// A description of the first check that failed.
    pub fn verify(&self, request: &Request) -> Result<(), String> {
        let key = header(request, "x-api-key").ok_or("no X-api-key header")?;
        if key != self.api_key {
            return Err("X-api-key is not the expected key".into());
        }
        let time = header(request, "x-time").ok_or("no X-time header")?;
        let secs: i64 = time.parse().map_err(|_| format!("X-time {time:?} is not integer seconds"))?;
        if let Some(skew) = self.max_skew {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
            let now = i64::try_from(now).map_err(|e| e.to_string())?;
            if (secs - now).unsigned_abs() > skew.as_secs() {
                return Err(format!("X-time {secs} is more than {skew:?} from now ({now})"));
            }
        }
        let sent = header(request, "x-sig").ok_or("no X-Sig header")?;
        let target = request_target(request);
        let want = sign(self.secret.as_bytes(), time, request.method.as_str(), &target, &request.body)
            .map_err(|e| e.to_string())?;
        if sent != want {
            return Err(format!(
                "X-Sig mismatch for {} {target} (body {} bytes): got {sent}, recomputed {want}",
                request.method,
                request.body.len()
            ));
        }
        Ok(())
    }
}

impl Match for MilaCoinsSignature {
    fn matches(&self, request: &Request) -> bool {
        match self.verify(request) {
            Ok(()) => true,
            Err(why) => {
                // wiremock reports only "no match"; say why on the test's stderr.
                eprintln!("MilaCoinsSignature rejected a request: {why}");
                false
            }
        }
    }
}

/// Matches the path and query exactly as received (no decoding, no reordering).
#[derive(Debug, Clone)]
pub struct Target(pub String);

impl Match for Target {
    fn matches(&self, request: &Request) -> bool {
        request_target(request) == self.0
    }
}

/// Responders built from the documents' examples, under `fixtures/`.
pub mod fixtures {
    use wiremock::ResponseTemplate;

    fn json(status: u16, body: &'static str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }

    /// Milta Partner examples.
    pub mod milta {
        use super::*;

        /// `GET /inventories/countries` (200).
        pub fn countries() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milta/countries.json"))
        }
        /// `GET /transfers/T-9001`: a scheduled transfer (200).
        pub fn transfer_scheduled() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milta/transfer_scheduled.json"))
        }
        /// `POST /transfers/batch` (200).
        pub fn batch_response() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milta/batch_response.json"))
        }
        /// An `INSUFFICIENT_FUNDS` error (402).
        pub fn insufficient_funds() -> ResponseTemplate {
            json(402, include_str!("../fixtures/milta/error_insufficient_funds.json"))
        }
    }

    /// MilaCoins examples (response shapes from the document's field tables).
    pub mod milacoins {
        use super::*;

        /// `GET /currencies` (200).
        pub fn currencies() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milacoins/currencies.json"))
        }
        /// `GET /wallets` (200).
        pub fn wallets() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milacoins/wallets.json"))
        }
        /// `POST /invoices` (201).
        pub fn invoice() -> ResponseTemplate {
            json(201, include_str!("../fixtures/milacoins/invoice.json"))
        }
        /// `POST /invoices/payment-page` (201).
        pub fn payment_page() -> ResponseTemplate {
            json(201, include_str!("../fixtures/milacoins/payment_page.json"))
        }
        /// `GET /transactions`: the last page of a listing (200).
        pub fn transactions_page() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milacoins/transactions_page.json"))
        }
        /// `GET /transactions/{id}` (200).
        pub fn transaction() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milacoins/transaction.json"))
        }
        /// `GET /logs` (200).
        pub fn logs_page() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milacoins/logs_page.json"))
        }
        /// `GET /logs/{id}` (200).
        pub fn log() -> ResponseTemplate {
            json(200, include_str!("../fixtures/milacoins/log.json"))
        }
        /// The document's `DOCUMENT_NOT_FOUND` error (404, code 1604).
        pub fn not_found() -> ResponseTemplate {
            json(404, include_str!("../fixtures/milacoins/error_not_found.json"))
        }
    }

    /// Wallets API examples.
    pub mod wallets {
        use super::*;

        /// `GET /api/v1/wallets`: the document's three wallets as the only page,
        /// with the paging headers.
        pub fn list() -> ResponseTemplate {
            json(200, include_str!("../fixtures/wallets/list.json"))
                .insert_header("X-Page", "1")
                .insert_header("X-Per-Page", "50")
                .insert_header("X-Total-Count", "3")
                .insert_header("X-Total-Pages", "1")
                .insert_header("X-Page-Size", "3")
                .insert_header("X-Has-More", "false")
        }
        /// `GET /api/v1/wallets/101` (200).
        pub fn get() -> ResponseTemplate {
            json(200, include_str!("../fixtures/wallets/get.json"))
        }
        /// The document's 401.
        pub fn unauthorized() -> ResponseTemplate {
            json(401, include_str!("../fixtures/wallets/error_401.json"))
        }
        /// The document's 404.
        pub fn not_found() -> ResponseTemplate {
            json(404, include_str!("../fixtures/wallets/error_404.json"))
        }
    }

    /// Wallet-as-a-Service examples.
    pub mod waas {
        use super::*;

        /// `POST /api/v1/auth/login` handing out `token` for an hour (200).
        /// The document shows no login response beyond `access_token`.
        pub fn login(token: &str) -> ResponseTemplate {
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": token, "token_type": "Bearer", "expires_in": 3600
            }))
        }
        /// `POST /api/v1/clients` (201).
        pub fn client() -> ResponseTemplate {
            json(201, include_str!("../fixtures/waas/client_response.json"))
        }
        /// `POST /api/v1/accounts` (201).
        pub fn account() -> ResponseTemplate {
            json(201, include_str!("../fixtures/waas/account_response.json"))
        }
        /// `POST /api/v1/client-services` (201).
        pub fn client_service() -> ResponseTemplate {
            json(201, include_str!("../fixtures/waas/client_service_response.json"))
        }
        /// `POST /api/v1/transactions?command=CREDIT` (201).
        pub fn transaction() -> ResponseTemplate {
            json(201, include_str!("../fixtures/waas/transaction_response.json"))
        }
        /// `POST /api/v1/account-transfers` (201).
        pub fn transfer() -> ResponseTemplate {
            json(201, include_str!("../fixtures/waas/transfer_response.json"))
        }
        /// `POST /api/v1/transactions/{id}?command=REVERSE` (201).
        pub fn reversal() -> ResponseTemplate {
            json(201, include_str!("../fixtures/waas/reversal_response.json"))
        }
    }
}
