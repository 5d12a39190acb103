//! What only the PostgreSQL store does: its own schema, beside the
//! application's tables and migrations, and a password that never shows.

use std::error::Error as _;

use sqlx::{Connection, Executor};
use walletkit::error::JournalErrorKind;
use walletkit::journal::Journal;

use super::backend::Backend;
use super::contract::{fresh, intent, kind, LONG};
use crate::support::postgres_server::{self, PASSWORD};

/// Every text an error shows: its Display, Debug and sources.
fn texts(e: &walletkit::Error) -> String {
    let mut all = format!("{e}\n{e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        all.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    all
}

#[tokio::test]
async fn the_password_never_shows() {
    let Some(server) = postgres_server::shared() else { return };
    let url = server.database().await;
    let j = Journal::postgres(&url).await.unwrap();
    let debug = format!("{j:?}");
    assert!(!debug.contains(PASSWORD) && debug.contains("127.0.0.1"), "{debug}");

    let port = server.port;
    let failing = [
        // Wrong password: the server refuses it.
        (format!("postgres://walletkit:{PASSWORD}-wrong@127.0.0.1:{port}/postgres"), "password authentication failed"),
        // No such database.
        (format!("postgres://walletkit:{PASSWORD}@127.0.0.1:{port}/missing"), "does not exist"),
        // A parameter sqlx does not know, quoted back by its parser.
        (format!("postgres://walletkit:{PASSWORD}@127.0.0.1:{port}/postgres?sslmode={PASSWORD}"), ""),
        // TLS asked for, which is not offered.
        (format!("postgres://walletkit:{PASSWORD}@127.0.0.1:{port}/postgres?sslmode=require"), ""),
        // Nobody listening.
        (format!("postgres://walletkit:{PASSWORD}@127.0.0.1:1/postgres"), ""),
    ];
    for (url, says) in failing {
        let e = Journal::postgres(&url).await.unwrap_err();
        let all = texts(&e);
        assert!(!all.contains(PASSWORD) && !all.contains("Sup3r"), "{all}");
        assert!(e.to_string().contains(says), "{e}");
        assert!(e.to_string().chars().count() < 200, "{e}");
        assert_eq!(kind(e), JournalErrorKind::Open);
    }
}

#[tokio::test]
async fn a_unix_socket_reaches_the_database_without_tls() {
    let Some(server) = postgres_server::shared() else { return };
    let url = server.database().await;
    let db = url.rsplit('/').next().unwrap();
    let j = Journal::postgres(&server.socket_url(db)).await.unwrap();
    fresh(&j, intent("SOCK-1"), "a", LONG).await;
    let over_tcp = Journal::postgres(&url).await.unwrap();
    assert_eq!(over_tcp.get("milta", "SOCK-1").await.unwrap().unwrap().reference, "SOCK-1");
}

#[tokio::test]
async fn the_journal_keeps_to_its_schema_beside_the_applications_migrations() {
    let Some(Backend::Postgres { url, _server }) = Backend::postgres().await else { return };
    // The application's own sqlx migrations, version 1, in `public`.
    let mut app = sqlx::PgConnection::connect(&url).await.unwrap();
    app.execute(
        "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
         installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, \
         execution_time BIGINT NOT NULL); \
         INSERT INTO _sqlx_migrations VALUES (1, 'app', now(), true, '\\x00', 1); \
         CREATE TABLE intents (id INT)",
    )
    .await
    .unwrap();
    let j = Journal::postgres(&url).await.unwrap();
    fresh(&j, intent("S-1"), "a", LONG).await;
    let ours: i64 = sqlx::query_scalar("SELECT count(*) FROM walletkit.intents").fetch_one(&mut app).await.unwrap();
    let theirs: i64 =
        sqlx::query_scalar("SELECT count(*) FROM public._sqlx_migrations").fetch_one(&mut app).await.unwrap();
    assert_eq!((ours, theirs), (1, 1), "the application's table and migrations are untouched");
    let applied: i64 =
        sqlx::query_scalar("SELECT count(*) FROM walletkit._sqlx_migrations").fetch_one(&mut app).await.unwrap();
    assert_eq!(applied, 1);
}
