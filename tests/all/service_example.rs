//! `examples/service.rs`, the integration users copy first, run end to end
//! against the sandbox and checked against the sandbox's own state.

#[path = "../../examples/service.rs"]
#[allow(dead_code)] // its `main` is the example's, not the test's
mod service;

use walletkit::sandbox::{Sandbox, SandboxConfig};
use walletkit::Decimal;

#[tokio::test]
async fn the_service_example_does_each_task_once() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let report = service::run(&sandbox).await.unwrap();

    // The payout sent twice is one transfer, and both answers name it.
    assert_eq!(sandbox.milta().transfers_with_external_id("PAYOUT-2026-0001"), 1);
    let made = sandbox.milta().transfers().into_iter().find(|t| t.external_id == "PAYOUT-2026-0001").unwrap();
    assert_eq!(report.payout_ids, [made.transfer_id.clone(), made.transfer_id]);

    // The order is paid once the callback is confirmed through the API.
    assert_eq!(report.paid_orders, ["ORDER-0001"]);
    assert_eq!(sandbox.milacoins().invoices_with_external_id("ORDER-0001"), 1);

    // The per-currency totals add up to every wallet the sandbox holds
    // (a checksum: a wallet missed or counted twice changes it).
    let held: Decimal = (0..=u64::from(u16::MAX)).filter_map(|id| sandbox.wallets().balance(id)).sum();
    let summed: Decimal = report.balances.values().map(|v| v.parse::<Decimal>().unwrap()).sum();
    assert_eq!(summed, held, "{:?}", report.balances);
    assert!(report.balances.len() > 1, "{:?}", report.balances);
}
