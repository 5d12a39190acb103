//! Helpers shared by the sandbox's tests: plain HTTP, MilaCoins signing.
#![allow(dead_code)]

use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
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

/// Status, headers and JSON body of a response.
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

/// A WaaS request with a Bearer token and a JSON body.
pub fn waas(sb: &Sandbox, token: &str, path: &str, body: &Value) -> reqwest::RequestBuilder {
    http()
        .post(format!("{}{path}", sb.waas().base_url()))
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
}
