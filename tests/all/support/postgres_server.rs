//! A real PostgreSQL server for tests, started by the tests themselves in a
//! temporary directory on a free loopback port (its Unix socket in that
//! directory too), with password authentication over TCP. Never a mock.
//!
//! `initdb` and `postgres` are found on `PATH` or in Debian's
//! `/usr/lib/postgresql/<version>/bin`. Both refuse to run as root, so as
//! root they run as `nobody` (through `setpriv`, which execs: the process we
//! hold is the server itself), in a directory given to `nobody`.
//!
//! Tests running at the same time share one server ([`shared`]), each in a
//! database of its own; the last one to finish stops it.

use std::net::TcpListener;
use std::os::unix::fs::chown;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};

/// The superuser's password; a test looks for it in every error text.
pub const PASSWORD: &str = "pw-Sup3r-s3cret";

/// `nobody` and `nogroup` on Debian.
const NOBODY: u32 = 65534;

pub struct PostgresServer {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    databases: AtomicU32,
}

/// The server the tests running now share, started when none runs.
/// `None` (after saying so) when PostgreSQL is not installed; with
/// `WALLETKIT_REQUIRE_POSTGRES` set (as CI sets it) that fails instead.
pub fn shared() -> Option<Arc<PostgresServer>> {
    static SHARED: Mutex<Weak<PostgresServer>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(server) = shared.upgrade() {
        return Some(server);
    }
    let server = Arc::new(PostgresServer::start(false)?);
    *shared = Arc::downgrade(&server);
    Some(server)
}

impl PostgresServer {
    /// A server of its own; `fsync` as in production (the journal bench) or
    /// off (tests need no durability across a machine crash).
    pub fn start(fsync: bool) -> Option<Self> {
        let Some(bin) = binaries() else {
            assert!(
                std::env::var_os("WALLETKIT_REQUIRE_POSTGRES").is_none(),
                "WALLETKIT_REQUIRE_POSTGRES is set but PostgreSQL (initdb) is not installed"
            );
            eprintln!("PostgreSQL not installed: skipping (see README, 'Running the tests')");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap();
        let dir = std::env::temp_dir().join(format!("walletkit-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pwfile = dir.join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        let as_root = is_root();
        if as_root {
            chown(&dir, Some(NOBODY), Some(NOBODY)).unwrap();
            chown(&pwfile, Some(NOBODY), Some(NOBODY)).unwrap();
        }
        let data = dir.join("data");
        let initdb = unprivileged(as_root, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "walletkit", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync", "--no-instructions"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .expect("initdb runs");
        assert!(initdb.status.success(), "initdb failed: {}", String::from_utf8_lossy(&initdb.stderr));
        let log = std::fs::File::create(dir.join("postgres.log")).unwrap();
        let child = unprivileged(as_root, &bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.display()))
            .arg("-c")
            .arg(if fsync { "fsync=on" } else { "fsync=off" })
            // Many pools at once.
            .args(["-c", "max_connections=300"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        let mut server = PostgresServer { port, dir, child: Some(child), databases: AtomicU32::new(0) };
        server.wait_ready(&bin);
        Some(server)
    }

    /// Waits (bounded) until the server accepts connections.
    fn wait_ready(&mut self, bin: &Path) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = Command::new(bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            let exited = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            let log = || std::fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default();
            assert!(exited.is_none(), "postgres exited ({exited:?}): {}", log());
            assert!(Instant::now() < deadline, "postgres did not accept connections on port {}: {}", self.port, log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The URL of database `db`, with the superuser's password.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://walletkit:{PASSWORD}@127.0.0.1:{}/{db}", self.port)
    }

    /// The URL of database `db` through the Unix socket (trusted, no password).
    pub fn socket_url(&self, db: &str) -> String {
        format!("postgres://walletkit@localhost/{db}?host={}&port={}", self.dir.display(), self.port)
    }

    /// A new empty database of the test's own; its URL.
    pub async fn database(&self) -> String {
        let name = format!("t{}", self.databases.fetch_add(1, Ordering::Relaxed));
        let mut admin = sqlx::PgConnection::connect(&self.url("postgres")).await.unwrap();
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        admin.close().await.unwrap();
        self.url(&name)
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // A fast shutdown removes the server's shared memory; kill only
            // when it does not end in time.
            let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The directory holding `initdb`, `postgres` and `pg_isready`.
fn binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.join("initdb").is_file())
        // A link on PATH (as /usr/local/bin/initdb may be): the others live beside its target.
        .and_then(|d| Some(std::fs::canonicalize(d.join("initdb")).ok()?.parent()?.to_owned()));
    on_path.or_else(|| {
        let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
            .filter(|(_, bin)| bin.join("initdb").is_file())
            .collect();
        debian.sort();
        debian.pop().map(|(_, bin)| bin)
    })
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `program`, as `nobody` when we are root.
fn unprivileged(as_root: bool, program: &Path) -> Command {
    if !as_root {
        return Command::new(program);
    }
    let mut command = Command::new("setpriv");
    command.args([format!("--reuid={NOBODY}"), format!("--regid={NOBODY}"), "--clear-groups".into(), "--".into()]);
    command.arg(program);
    command
}
