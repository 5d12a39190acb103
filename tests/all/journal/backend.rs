//! A store to run the contract on, opened as often as a test likes (a new
//! process, or a new replica, opens it again).

#[cfg(feature = "journal-postgres")]
use std::sync::Arc;

use walletkit::journal::Journal;

#[cfg(feature = "journal-postgres")]
use crate::support::postgres_server::{self, PostgresServer};

pub enum Backend {
    #[cfg(feature = "test-util")]
    Memory(Journal),
    #[cfg(feature = "journal-sqlite")]
    Sqlite(TempDir),
    #[cfg(feature = "journal-postgres")]
    Postgres { url: String, _server: Arc<PostgresServer> },
}

impl Backend {
    #[cfg(feature = "test-util")]
    pub fn memory() -> Backend {
        Backend::Memory(Journal::in_memory())
    }

    /// A new SQLite file in a directory removed at the end.
    #[cfg(feature = "journal-sqlite")]
    pub fn sqlite() -> Backend {
        Backend::Sqlite(TempDir::new())
    }

    /// A new database on the shared server; `None` when PostgreSQL is missing.
    #[cfg(feature = "journal-postgres")]
    pub async fn postgres() -> Option<Backend> {
        let server = postgres_server::shared()?;
        Some(Backend::Postgres { url: server.database().await, _server: server })
    }

    /// The journal, opened again (in memory: the same one).
    pub async fn open(&self) -> Journal {
        match self {
            #[cfg(feature = "test-util")]
            Backend::Memory(journal) => journal.clone(),
            #[cfg(feature = "journal-sqlite")]
            Backend::Sqlite(dir) => Journal::sqlite(dir.path.join("journal.db")).await.unwrap(),
            #[cfg(feature = "journal-postgres")]
            Backend::Postgres { url, .. } => Journal::postgres(url).await.unwrap(),
        }
    }
}

/// A directory of its own, removed on drop.
#[cfg(feature = "journal-sqlite")]
pub struct TempDir {
    pub path: std::path::PathBuf,
}

#[cfg(feature = "journal-sqlite")]
impl TempDir {
    pub fn new() -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("walletkit-journal-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir { path }
    }
}

#[cfg(feature = "journal-sqlite")]
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
