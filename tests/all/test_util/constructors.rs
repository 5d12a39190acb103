//! Result types a caller matches on can be built without JSON.

/// With `test-util`, every result type a caller matches on can be built in a
/// unit test without JSON: `Default` plus field assignment, or a constructor.
#[test]
fn result_types_can_be_built_without_json() {
    use walletkit::milta::{BatchEntry, ExternalId, SubmitOutcome, Transfer, TransferId, TransferStatus};
    use walletkit::{ApiError, Decimal, Error, ErrorKind, OutcomeUnknown, Page, Provider};

    let mut transfer = Transfer::default();
    transfer.transfer_id = TransferId::from("T-1");
    transfer.status = TransferStatus::Completed;
    transfer.amount = Some(Decimal::new(1050, 2));
    assert!(matches!(transfer.status, TransferStatus::Completed));

    let mut entry = BatchEntry::default();
    entry.external_id = ExternalId::from("TXN-1");
    entry.status = TransferStatus::Rejected;
    entry.kind = Some(ErrorKind::InsufficientFunds);
    let outcome = SubmitOutcome::Entry(entry);
    assert!(matches!(outcome, SubmitOutcome::Entry(ref e) if !e.is_accepted()));

    let mut page = Page::new(vec![transfer], 1, Some(2));
    page.total_items = Some(40);
    assert!(page.has_more());

    let mut unknown = OutcomeUnknown::new(Provider::Milta, "POST", "/transfers", "connection reset");
    unknown.sent.reference = Some(("externalId".into(), "TXN-1".into()));
    let err = Error::OutcomeUnknown(Box::new(unknown));
    assert!(!err.is_retryable());
    let api: Error = ApiError::new(Provider::Milta, 402, ErrorKind::InsufficientFunds, "top up").with_code("X").into();
    assert_eq!(api.kind(), ErrorKind::InsufficientFunds);

    let mut invoice = walletkit::milacoins::Invoice::default();
    invoice.amount = Some(Decimal::TEN);
    let mut tx = walletkit::milacoins::Transaction::default();
    tx.receipt_id = Some("101".into());
    let mut ledger = walletkit::waas::Transaction::default();
    ledger.transaction_amount = Decimal::new(96, 0);
    let mut wallet = walletkit::wallets::Wallet::default();
    wallet.amount = Decimal::new(500050, 2);
    assert_eq!((invoice.amount, ledger.transaction_amount), (Some(Decimal::TEN), Decimal::new(96, 0)));
    assert_eq!((tx.receipt_id.as_deref(), wallet.amount.to_string().as_str()), (Some("101"), "5000.50"));
}
