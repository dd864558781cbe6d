//! PostgreSQL access: the connection pool, database creation and embedded migrations.
//!
//! The pool has wait/create/recycle timeouts and every connection a `statement_timeout`,
//! so an unreachable or overloaded database becomes a quick 503 rather than a hang.
//! Creation and migration run under advisory locks: several processes starting at once
//! against one new database all succeed.

pub mod console;
pub mod devices;
pub mod funding;
pub mod idempotency;
pub mod invitations;
pub mod listen;
pub mod local;
pub mod mapping;
pub mod opt_outs;
pub mod outbox;
pub mod preferences;
pub mod qualifications;
pub mod rate_limits;
pub mod reference;
pub mod reports;
pub mod schema;
pub mod series;
pub mod stats;
pub mod tasks;
pub mod tls;
pub mod tokens;
pub mod users;
pub mod watches;

use std::time::Duration;

use anyhow::Context;
use diesel::ConnectionError;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;
use secrecy::ExposeSecret;
use url::Url;

use crate::domain::error::DomainError;
use crate::settings::Settings;

/// Every migration, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type DbPool = Pool<AsyncPgConnection>;

/// A connection queries can run on: `AsyncPgConnection` itself, or `&AsyncPgConnection`,
/// through which several queries are pipelined (sent at once, answered in order).
pub trait PgConn: diesel_async::AsyncConnectionCore<Backend = diesel::pg::Pg> {}
impl<C: diesel_async::AsyncConnectionCore<Backend = diesel::pg::Pg>> PgConn for C {}
pub type DbConn = Object<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// `insert_prepared!(conn, table, rows)`: inserts the slice `rows` in one statement that
/// each connection prepares once. Diesel prepares a multi-row insert afresh on every call
/// unless its row count is part of its type, so the counts a request writes (one to four
/// rows) go as arrays; longer lists, rare, as the slice. Evaluates to `QueryResult<usize>`.
macro_rules! insert_prepared {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        let query = diesel::insert_into($table);
        match rows.len() {
            0 => Ok(0),
            1 => query.values(&rows[0]).execute($conn).await,
            2 => {
                query
                    .values(<&[_; 2]>::try_from(rows).expect("two rows"))
                    .execute($conn)
                    .await
            }
            3 => {
                query
                    .values(<&[_; 3]>::try_from(rows).expect("three rows"))
                    .execute($conn)
                    .await
            }
            4 => {
                query
                    .values(<&[_; 4]>::try_from(rows).expect("four rows"))
                    .execute($conn)
                    .await
            }
            _ => query.values(rows).execute($conn).await,
        }
    }};
}
pub(crate) use insert_prepared;

/// Advisory lock keys (arbitrary constants, fixed forever).
const CREATE_DATABASE_LOCK: i64 = 0x6475_676e_6164_0001;
const MIGRATE_LOCK: i64 = 0x6475_676e_6164_0002;

/// How PostgreSQL plans the service's prepared statements (`plan_cache_mode`), set on
/// every connection; the benchmark's replay uses the same.
pub const PLAN_CACHE_MODE: &str = "force_generic_plan";

/// Connections of the pool for a process's background work: the delivery worker, the
/// freed-spot broadcasts and the periodic jobs, one connection each at a time, and one
/// to spare.
pub const BACKGROUND_POOL_SIZE: usize = 4;

/// The pools for requests: `DUGNAD_DB_POOL_SIZE` split evenly over the HTTP worker
/// threads, one pool each. A connection's driver runs on the runtime that opened it, and
/// connections are opened lazily by the first task that needs one; a pool per thread keeps
/// each request's round trips on its own thread. One pool shared by every thread let a
/// request borrow a connection opened by another thread or by the background work, and
/// each round trip then crossed threads twice: measured with the load benchmark, 436
/// against 683 claims/s and 1,201 against 2,504 browse pages/s (docs/PERFORMANCE.md).
pub fn build_request_pools(settings: &Settings) -> anyhow::Result<Vec<DbPool>> {
    let workers = settings.http_workers.max(1);
    let each = settings.db_pool_size.div_ceil(workers);
    (0..workers).map(|_| build_pool(settings, each)).collect()
}

/// The request pools' figures added up, as one pool of the process would show them.
pub fn pools_status(pools: &[DbPool]) -> deadpool::Status {
    pools.iter().map(DbPool::status).fold(
        deadpool::Status {
            max_size: 0,
            size: 0,
            available: 0,
            waiting: 0,
        },
        |sum, s| deadpool::Status {
            max_size: sum.max_size + s.max_size,
            size: sum.size + s.size,
            available: sum.available + s.available,
            waiting: sum.waiting + s.waiting,
        },
    )
}

/// Builds a pool of at most `size` connections. Connections are opened lazily.
pub fn build_pool(settings: &Settings, size: usize) -> anyhow::Result<DbPool> {
    let statement_timeout_ms = settings.database.statement_timeout.as_millis();
    let statement_log = settings.database.statement_log.clone();
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    // No `SELECT 1` per checkout: a connection whose server went away reports itself
    // closed and is dropped on return; a request that meets one gets a 503 like any other
    // database failure. This saves a round trip per checkout (two per request).
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(move |url| {
        let statement_log = statement_log.clone();
        async move {
            let mut conn = tls::establish(url).await?;
            if let Some(log) = statement_log {
                diesel_async::AsyncConnection::set_instrumentation(&mut conn, log);
            }
            // Generic plans: every statement is prepared once per connection, and with the
            // default (`auto`) PostgreSQL re-plans the task list on every execution because
            // a custom plan looks cheaper; the re-planning cost twice the query at 1M tasks
            // (measured with pgbench). The statements' plans do not depend on the values.
            conn.batch_execute(&format!(
                "SET statement_timeout = {statement_timeout_ms}; SET application_name = 'dugnad'; \
                 SET plan_cache_mode = {PLAN_CACHE_MODE}"
            ))
            .await
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        }
        .boxed()
    });
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(
        settings.database_url.expose_secret(),
        config,
    );
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(settings.database.wait_timeout))
        .create_timeout(Some(settings.database.connect_timeout))
        .recycle_timeout(Some(settings.database.recycle_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .context("building the database pool")
}

/// Creates the database if missing, runs pending migrations and loads the municipality's
/// reference data into empty tables. Safe to run from several processes at once.
pub async fn prepare(settings: &Settings) -> anyhow::Result<()> {
    let url = settings.database_url.expose_secret();
    ensure_database_exists(url).await?;
    let mut conn = connect_with_timeout(url).await?;
    conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATE_LOCK})"))
        .await
        .context("taking the migration lock")?;
    // The lock is released when `migrate_and_load` closes the connection, even on error.
    migrate_and_load(conn, settings).await
}

async fn migrate_and_load(conn: AsyncPgConnection, settings: &Settings) -> anyhow::Result<()> {
    let mut wrapper: AsyncConnectionWrapper<AsyncPgConnection> = conn.into();
    let mut wrapper = tokio::task::spawn_blocking(move || {
        let applied = wrapper
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
        for version in applied {
            tracing::info!(migration.version = %version, "applied migration");
        }
        anyhow::Ok(wrapper)
    })
    .await
    .context("migration thread")??;
    let data = crate::reference::MunicipalityData::load(&settings.municipality)
        .map_err(|message| anyhow::anyhow!("DUGNAD_MUNICIPALITY: {message}"))?;
    reference::load_if_empty(&mut wrapper, &data)
        .await
        .context("loading reference data")?;
    Ok(())
}

async fn connect_with_timeout(url: &str) -> anyhow::Result<AsyncPgConnection> {
    tokio::time::timeout(Duration::from_secs(10), tls::establish(url))
        .await
        .context("timed out connecting to PostgreSQL")?
        .context("connecting to PostgreSQL")
}

/// Creates the database named in `url` when it does not exist yet. Connects to the
/// `postgres` maintenance database only when the target is missing.
pub async fn ensure_database_exists(url: &str) -> anyhow::Result<()> {
    match raw_connect(url).await {
        Ok(_) => return Ok(()),
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::INVALID_CATALOG_NAME) => {}
        Err(e) => {
            return Err(match local::explain(url, &e) {
                Some(plain) => plain.into(),
                None => anyhow::Error::new(e).context("connecting to PostgreSQL"),
            });
        }
    }
    let mut parsed = Url::parse(url).context("DATABASE_URL is not a URL")?;
    let name = parsed.path().trim_start_matches('/').to_owned();
    parsed.set_path("/postgres");
    let client = raw_connect(parsed.as_str())
        .await
        .context("connecting to the `postgres` maintenance database to create the database")?;
    client
        .batch_execute(&format!("SELECT pg_advisory_lock({CREATE_DATABASE_LOCK})"))
        .await?;
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await?
        .is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE {}", quote_identifier(&name)))
            .await
            .with_context(|| format!("creating database {name}"))?;
        tracing::info!(database = %name, "created database");
    }
    client
        .batch_execute(&format!(
            "SELECT pg_advisory_unlock({CREATE_DATABASE_LOCK})"
        ))
        .await?;
    Ok(())
}

/// A plain tokio-postgres connection for maintenance work (creating databases, LISTEN).
pub async fn raw_connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tls::connector()).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "maintenance connection closed");
        }
    });
    Ok(client)
}

/// Quotes a PostgreSQL identifier.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Checks the database answers, within the pool's timeouts.
pub async fn ping(pool: &DbPool) -> Result<(), DomainError> {
    let mut conn = pool.get().await?;
    conn.batch_execute("SELECT 1").await?;
    Ok(())
}

// How database failures reach the caller: a lost connection or an overloaded pool is a
// 503 to retry, a lost race on a unique key a 409, anything else a 500 with its cause logged.

impl From<PoolError> for DomainError {
    fn from(e: crate::db::PoolError) -> Self {
        Self::unavailable(e)
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &e {
            Error::NotFound => Self::not_found("no such resource"),
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => Self::unavailable(e),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                // A racing insert that lost: a conflict for the client, never a 5xx.
                Self::new(
                    crate::domain::error::ErrorCode::Conflict,
                    "a conflicting record already exists",
                )
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("statement timeout") =>
            {
                Self::unavailable(e)
            }
            _ if lost_connection(&e) => Self::unavailable(e),
            _ => Self::internal(e),
        }
    }
}

/// Whether an error means the database went away under the request (restarted, backend
/// terminated, connection dropped), so the answer is a 503 to retry, not a 500. A commit
/// that failed this way is ambiguous; a retry with the same Idempotency-Key settles it.
fn lost_connection(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    const SIGNS: &[&str] = &[
        "connection closed",
        "terminating connection",
        "server closed the connection",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "connection reset",
        "broken pipe",
        "unexpected EOF",
        "error communicating with the server",
    ];
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => SIGNS.iter().any(|s| info.message().contains(s)),
        Error::BrokenTransactionManager => true,
        Error::RollbackErrorOnCommit { commit_error, .. } => lost_connection(commit_error),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::*;
    use crate::domain::error::ErrorCode;

    fn database_error(message: &str) -> Error {
        Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(message.to_owned()))
    }

    #[test]
    fn a_database_that_went_away_is_a_503_and_a_real_fault_a_500() {
        for gone in [
            "connection closed",
            "terminating connection due to administrator command",
            "the database system is shutting down",
        ] {
            assert_eq!(
                DomainError::from(database_error(gone)).code(),
                ErrorCode::ServiceUnavailable,
                "{gone}"
            );
        }
        assert_eq!(
            DomainError::from(Error::BrokenTransactionManager).code(),
            ErrorCode::ServiceUnavailable
        );
        assert_eq!(
            DomainError::from(database_error("column \"x\" does not exist")).code(),
            ErrorCode::Internal
        );
    }
}
