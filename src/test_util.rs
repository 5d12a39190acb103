//! Helpers for your own wiremock tests (feature `test-util`): matchers that
//! check each provider's auth on a received request, and responders built
//! from the documents' examples.
//!
//! ```no_run
//! # async fn t() {
//! use walletkit::test_util::{basic_auth, fixtures};
//! use wiremock::{matchers::path, Mock, MockServer};
//!
//! let server = MockServer::start().await;
//! Mock::given(path("/api/v1/partner/inventories/countries"))
//!     .and(basic_auth("key-id", "key-secret"))
//!     .respond_with(fixtures::milta::countries())
//!     .mount(&server)
//!     .await;
//! # }
//! ```

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
    MilaCoinsSignature { api_key: api_key.to_string(), secret: secret.to_string() }
}

/// The matcher built by [`milacoins_signature`].
#[derive(Clone)]
pub struct MilaCoinsSignature {
    api_key: String,
    secret: String,
}

impl std::fmt::Debug for MilaCoinsSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MilaCoinsSignature([REDACTED])")
    }
}

impl MilaCoinsSignature {
    /// Whether `request` is signed correctly, and why not.
    pub fn verify(&self, request: &Request) -> Result<(), String> {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        if header("x-api-key") != Some(self.api_key.as_str()) {
            return Err("X-api-key missing or wrong".into());
        }
        let time = header("x-time").ok_or("X-time missing")?;
        if time.parse::<i64>().is_err() {
            return Err(format!("X-time {time:?} is not integer seconds"));
        }
        let signature = header("x-sig").ok_or("X-Sig missing")?;
        let target = match request.url.query() {
            Some(q) => format!("{}?{}", request.url.path(), q),
            None => request.url.path().to_string(),
        };
        let expected = sign(self.secret.as_bytes(), time, request.method.as_str(), &target, &request.body)
            .map_err(|e| e.to_string())?;
        if expected == signature {
            Ok(())
        } else {
            Err(format!("X-Sig does not match the bytes received for {} {target}", request.method))
        }
    }
}

impl Match for MilaCoinsSignature {
    fn matches(&self, request: &Request) -> bool {
        self.verify(request).is_ok()
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
}
