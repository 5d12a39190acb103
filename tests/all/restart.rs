//! The Milta key follows the payment across processes: a process that dies
//! while a transfer's answer is in flight leaves nothing behind, and a new
//! process sending the same payment gets the transfer the first one made.
//!
//! The processes are this test binary run again on one test
//! ([`child_sends_the_payment`]), which does nothing unless the parent test
//! hands it the sandbox's address.

use std::os::unix::process::ExitStatusExt as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::Command;
use walletkit::milta::{ExternalId, MiltaClient, PhoneNumber, ProductId, TransferRequest};
use walletkit::sandbox::{Faults, Sandbox, SandboxConfig};
use walletkit::Decimal;

const CHILD: &str = "restart::child_sends_the_payment";
const BASE_URL: &str = "WALLETKIT_RESTART_TEST_MILTA_URL";
const KEY_ID: &str = "WALLETKIT_RESTART_TEST_KEY_ID";
const KEY_SECRET: &str = "WALLETKIT_RESTART_TEST_KEY_SECRET";
const EXTERNAL_ID: &str = "RESTART-PROCESS-1";

fn the_payment() -> TransferRequest {
    TransferRequest::new(
        ExternalId::from(EXTERNAL_ID),
        ProductId::from("PRODUCT_123"),
        PhoneNumber::from("+447700900001"),
        Decimal::new(1250, 2),
        "GBP",
    )
}

/// The child process: a service that sends the payment with a client that
/// has never seen it, and prints the transfer id it is told.
#[tokio::test]
#[ignore = "a child process of a_payment_sent_again_by_a_new_process_after_a_kill_is_made_once"]
async fn child_sends_the_payment() {
    let (Ok(url), Ok(id), Ok(secret)) = (std::env::var(BASE_URL), std::env::var(KEY_ID), std::env::var(KEY_SECRET))
    else {
        return;
    };
    let milta = MiltaClient::builder().base_url(url).credentials(id, secret).build().unwrap();
    let made = milta.transfers().create(&the_payment()).await.unwrap();
    println!("\ntransfer_id={}", made.transfer_id.as_str());
}

fn child(sandbox: &Sandbox) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([CHILD, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(BASE_URL, sandbox.milta().base_url())
        .env(KEY_ID, sandbox.milta().key_id())
        .env(KEY_SECRET, sandbox.milta().key_secret())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

#[tokio::test]
async fn a_payment_sent_again_by_a_new_process_after_a_kill_is_made_once() {
    // The sandbox makes the transfer, then holds the answer back.
    let mut config = SandboxConfig::default();
    config.milta.faults.answer_latency = Duration::from_secs(120);
    let sandbox = Sandbox::start(config).await.unwrap();

    let mut first = child(&sandbox).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while sandbox.milta().transfers_with_external_id(EXTERNAL_ID) == 0 {
        if let Some(status) = first.try_wait().unwrap() {
            let output = first.wait_with_output().await.unwrap();
            panic!("the first process ended ({status}) before the sandbox made the transfer: {output:?}");
        }
        assert!(Instant::now() < deadline, "the first process never reached the sandbox");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Killed while its answer is in flight: nothing it knew survives.
    first.start_kill().unwrap();
    let killed = first.wait_with_output().await.unwrap();
    assert_eq!(killed.status.signal(), Some(9), "{killed:?}");
    assert!(!String::from_utf8_lossy(&killed.stdout).contains("transfer_id="), "the first answer was never read");

    sandbox.milta().set_faults(Faults::default());
    let second = child(&sandbox).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&second.stderr));
    // libtest prints the line after the test's name, not on a line of its own.
    let answered = stdout.split("transfer_id=").nth(1).and_then(|rest| rest.split_whitespace().next());
    let answered = answered.unwrap_or_else(|| panic!("the second process printed no transfer id: {stdout}"));

    assert_eq!(sandbox.milta().transfers_with_external_id(EXTERNAL_ID), 1, "sent twice, made once");
    let made = sandbox.milta().transfers().into_iter().find(|t| t.external_id == EXTERNAL_ID).unwrap();
    assert_eq!(answered, made.transfer_id, "the new process is told the transfer the killed one made");
}
