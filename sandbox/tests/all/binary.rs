//! The `walletkit-sandbox` binary: prints export lines, serves, stops on Ctrl-C.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Kills the sandbox process if the test fails before stopping it.
struct KillOnDrop(Option<Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts the binary and reads its 12 export lines.
async fn spawn(args: &[&str]) -> (KillOnDrop, HashMap<String, String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_walletkit-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut guard = KillOnDrop(Some(child));
    let stdout = guard.0.as_mut().unwrap().stdout.take().unwrap();
    let vars: HashMap<String, String> = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .take(12)
            .map(|line| {
                let line = line.unwrap();
                let (name, value) = line.strip_prefix("export ").unwrap().split_once('=').unwrap();
                (name.to_owned(), value.trim_matches('\'').to_owned())
            })
            .collect()
    })
    .await
    .unwrap();
    (guard, vars)
}

/// Sends SIGINT and waits for the exit status.
async fn interrupt(mut guard: KillOnDrop) -> std::process::ExitStatus {
    let mut child = guard.0.take().unwrap();
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap()
}

#[tokio::test]
async fn binary_prints_exports_serves_and_stops_on_sigint() {
    let (guard, vars) = spawn(&["--faults", "wallets:429-first,retry-after=0"]).await;
    for name in [
        "MILTA_BASE_URL",
        "MILTA_API_KEY_ID",
        "MILTA_API_KEY_SECRET",
        "MILACOINS_BASE_URL",
        "MILACOINS_API_KEY",
        "MILACOINS_SECRET_KEY",
        "WALLETS_BASE_URL",
        "WALLETS_TOKEN",
        "WAAS_BASE_URL",
        "WAAS_USERNAME",
        "WAAS_PASSWORD",
        "WALLETKIT_SANDBOX_ADMIN_URL",
    ] {
        assert!(vars.contains_key(name), "{name} missing from {vars:?}");
    }
    assert!(vars["MILTA_BASE_URL"].ends_with("/api/v1/partner"));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}/api/v1/wallets/101", vars["WALLETS_BASE_URL"]);
    let first = client.get(&url).bearer_auth(&vars["WALLETS_TOKEN"]).send().await.unwrap();
    assert_eq!(first.status(), 429, "--faults applied");
    let second = client.get(&url).bearer_auth(&vars["WALLETS_TOKEN"]).send().await.unwrap();
    assert_eq!(second.status(), 200);

    let status = interrupt(guard).await;
    assert!(status.success(), "exits cleanly on Ctrl-C: {status}");
}

#[tokio::test]
async fn sigint_right_after_the_exports_still_stops_cleanly() {
    let (guard, vars) = spawn(&[]).await;
    assert_eq!(vars.len(), 12);
    let status = interrupt(guard).await;
    assert!(status.success(), "the handler is in place before the exports are printed: {status}");
}

#[tokio::test]
async fn the_binary_serves_the_admin_route_for_any_language() {
    let (guard, vars) = spawn(&[]).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let admin = &vars["WALLETKIT_SANDBOX_ADMIN_URL"];
    let milta = |method, path: &str| {
        client
            .request(method, format!("{}{path}", vars["MILTA_BASE_URL"]))
            .basic_auth(&vars["MILTA_API_KEY_ID"], Some(&vars["MILTA_API_KEY_SECRET"]))
    };
    let scenario = client
        .post(format!("{admin}/milta/scenarios"))
        .body(r#"{"next":true,"status":"FAILED"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(scenario.status(), 200);
    assert_eq!(scenario.text().await.unwrap(), r#"{"applied":false}"#);
    let body = r#"{"externalId":"BIN-1","productId":"PRODUCT_123","recipientPhone":"+447700900001","amount":10,"currency":"GBP"}"#;
    let json = |raw: &[u8]| -> serde_json::Value { serde_json::from_slice(raw).unwrap() };
    let created =
        json(&milta(reqwest::Method::POST, "/transfers").body(body).send().await.unwrap().bytes().await.unwrap());
    let id = created["data"]["transferId"].as_str().unwrap();
    let read =
        json(&milta(reqwest::Method::GET, &format!("/transfers/{id}")).send().await.unwrap().bytes().await.unwrap());
    assert_eq!(read["data"]["status"], "FAILED");

    let moved = client.post(format!("{admin}/clock/advance")).body(r#"{"seconds":600}"#).send().await.unwrap();
    let moved = json(&moved.bytes().await.unwrap());
    assert_eq!(moved["offsetSeconds"], 600);
    let status = interrupt(guard).await;
    assert!(status.success(), "{status}");
}
