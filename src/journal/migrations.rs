//! The stores' schemas, embedded in walletkit and applied by sqlx's
//! migrator when a store opens (no `sqlx::migrate!`: it needs sqlx's
//! `macros`, a second build of the driver for a proc macro).

use std::borrow::Cow;

use futures_util::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{MigrateError, Migration, MigrationSource, MigrationType, Migrator};

/// Migrations as `(version, description, sql)`, in the files
/// `migrations/<store>/<version>_<description>.sql` (sqlx-cli's layout).
pub(crate) type Embedded = &'static [(i64, &'static str, &'static str)];

#[derive(Debug)]
struct Source(Embedded);

impl MigrationSource<'static> for Source {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        let migrations = self
            .0
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, Cow::Borrowed(sql), false)
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// The migrator for `migrations`. It tolerates versions it does not know
/// (a newer walletkit's, in a rolling deploy): migrations only ever add.
pub(crate) async fn migrator(migrations: Embedded) -> Result<Migrator, MigrateError> {
    let mut migrator = Migrator::new(Source(migrations)).await?;
    migrator.set_ignore_missing(true);
    Ok(migrator)
}
