//! Helpers shared by the sandbox's tests: plain HTTP, MilaCoins signing,
//! exact reading of numbers from a body's raw text.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use serde_json::Value;
use sha2::Sha256;
use walletkit_sandbox::{Sandbox, SandboxConfig};

pub async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.expect("sandbox starts")
}

pub async fn start_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client")
}

/// Status, headers and JSON body of a response. `json` reads numbers
/// through `f64`: use [`Answer::raw_at`] and [`Answer::dec`] for exact ones.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub raw: Vec<u8>,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The exact JSON text at a JSON pointer (`/data/amount`, `/0/id`).
    pub fn raw_at(&self, pointer: &str) -> String {
        let text = std::str::from_utf8(&self.raw).expect("UTF-8 body");
        raw_at(text, pointer).unwrap_or_else(|| panic!("nothing at {pointer} in {text}"))
    }

    /// The exact decimal at a JSON pointer, given as a number or a string.
    pub fn dec(&self, pointer: &str) -> Decimal {
        dec(&self.raw_at(pointer))
    }
}

/// The exact JSON text at a JSON pointer, read through `RawValue` so numbers
/// keep their digits; `None` when the pointer leads nowhere.
pub fn raw_at(text: &str, pointer: &str) -> Option<String> {
    let mut current = text.trim().to_owned();
    for token in pointer.split('/').skip(1) {
        let next = match current.as_bytes().first()? {
            b'{' => {
                let map: HashMap<String, &RawValue> = serde_json::from_str(&current).ok()?;
                map.get(token)?.get().to_owned()
            }
            b'[' => {
                let items: Vec<&RawValue> = serde_json::from_str(&current).ok()?;
                items.get(token.parse::<usize>().ok()?)?.get().to_owned()
            }
            _ => return None,
        };
        current = next.trim().to_owned();
    }
    Some(current)
}

/// A decimal from raw JSON text: a number, or a string holding one.
pub fn dec(raw: &str) -> Decimal {
    let text = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(raw);
    let parsed = if text.contains(['e', 'E']) { Decimal::from_scientific(text) } else { Decimal::from_str_exact(text) };
    parsed.unwrap_or_else(|e| panic!("{raw} is not an exact decimal: {e}"))
}

/// A decimal from a literal, e.g. `decimal("10.50")`.
pub fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub async fn send(req: reqwest::RequestBuilder) -> Answer {
    let resp = req.send().await.expect("response");
    let status = resp.status();
    let headers = resp.headers().clone();
    let raw = resp.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Answer { status, headers, raw, json }
}

/// Milta request with Basic auth.
pub fn milta(sb: &Sandbox, method: Method, path: &str) -> reqwest::RequestBuilder {
    let m = sb.milta();
    http().request(method, format!("{}{path}", m.base_url())).basic_auth(m.key_id(), Some(m.key_secret()))
}

/// Hex HMAC-SHA256 over `time + METHOD + target + body`.
pub fn milacoins_sig(secret: &str, time: &str, method: &str, target: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(time.as_bytes());
    mac.update(method.as_bytes());
    mac.update(target.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// A MilaCoins request signed at `time` (seconds) over `target` (path and query).
pub fn milacoins_at(sb: &Sandbox, method: Method, target: &str, body: &str, time: i64) -> reqwest::RequestBuilder {
    let mc = sb.milacoins();
    let time = time.to_string();
    let sig = milacoins_sig(mc.secret_key(), &time, method.as_str(), target, body.as_bytes());
    let mut req = http()
        .request(method, format!("{}{target}", mc.base_url()))
        .header("X-api-key", mc.api_key())
        .header("X-time", time)
        .header("X-Sig", sig);
    if !body.is_empty() {
        req = req.header("Content-Type", "application/json").body(body.to_owned());
    }
    req
}

/// A MilaCoins request signed now.
pub fn milacoins(sb: &Sandbox, method: Method, target: &str, body: &str) -> reqwest::RequestBuilder {
    milacoins_at(sb, method, target, body, chrono::Utc::now().timestamp())
}

/// A WaaS access token.
pub async fn waas_token(sb: &Sandbox) -> String {
    let w = sb.waas();
    let body = serde_json::json!({"username": w.username(), "password": w.password()});
    let a = send(http().post(format!("{}/api/v1/auth/login", w.base_url())).body(body.to_string())).await;
    assert_eq!(a.status, 200, "{}", a.json);
    a.json["access_token"].as_str().unwrap().to_owned()
}

/// A WaaS request with a Bearer token and a JSON body (a `Value`, or JSON
/// text when numbers must be sent exactly).
pub fn waas(sb: &Sandbox, token: &str, path: &str, body: &dyn Display) -> reqwest::RequestBuilder {
    http()
        .post(format!("{}{path}", sb.waas().base_url()))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
}
