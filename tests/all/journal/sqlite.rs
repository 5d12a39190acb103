//! What only the SQLite store does: its file, in WAL mode, and its errors.

use walletkit::error::JournalErrorKind;
use walletkit::journal::Journal;

use super::backend::TempDir;
use super::contract::{fresh, intent, kind, LONG};

#[tokio::test]
async fn the_file_is_created_in_wal_mode_and_shared_by_two_opens() {
    let dir = TempDir::new();
    let path = dir.path.join("journal.db");
    let a = Journal::sqlite(&path).await.unwrap();
    let b = Journal::sqlite(&path).await.unwrap();
    fresh(&a, intent("W-1"), "a", LONG).await;
    assert!(path.is_file());
    assert!(dir.path.join("journal.db-wal").is_file(), "WAL mode keeps a -wal file beside the database");
    assert_eq!(b.get("milta", "W-1").await.unwrap().unwrap().reference, "W-1");
    assert!(format!("{a:?}").contains("journal.db"), "{a:?}");
}

#[tokio::test]
async fn a_file_that_cannot_be_opened_is_an_open_error() {
    let dir = TempDir::new();
    let path = dir.path.join("no such directory").join("journal.db");
    let e = Journal::sqlite(&path).await.unwrap_err();
    assert!(e.to_string().starts_with("journal: could not open the SQLite journal /"), "{e}");
    assert_eq!(kind(e), JournalErrorKind::Open);
    std::fs::write(dir.path.join("text.db"), vec![b'x'; 4096]).unwrap();
    let e = Journal::sqlite(dir.path.join("text.db")).await.unwrap_err();
    assert_eq!(kind(e), JournalErrorKind::Open, "not a database");
}
