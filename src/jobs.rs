//! Periodic jobs inside `serve`: expiry of unclaimed started tasks, auto-completion seven
//! days after the end, and forgetting old idempotency keys. Each run is idempotent, and a
//! PostgreSQL advisory lock lets only one process run them at a time.

use std::time::Duration;

use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use tokio::sync::watch;

use crate::db::{DbPool, tasks as task_db};
use crate::domain::task::effective_end;
use crate::error::ApiError;
use crate::services::tasks::{Completion, complete_locked};
use crate::settings::Settings;

const JOBS_LOCK: i64 = 0x6475_676e_6164_0003;
const INTERVAL: Duration = Duration::from_secs(60);

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobReport {
    pub expired: usize,
    pub auto_completed: usize,
    pub idempotency_keys_forgotten: usize,
}

/// Runs every job once, if no other process is running them. `None` when another holds
/// the lock.
pub async fn run_once(pool: &DbPool, _settings: &Settings) -> Result<Option<JobReport>, ApiError> {
    let mut conn = pool.get().await?;
    let locked: bool = {
        use diesel::sql_types::BigInt;
        diesel::define_sql_function!(fn pg_try_advisory_lock(key: BigInt) -> Bool);
        diesel_async::RunQueryDsl::get_result(
            diesel::select(pg_try_advisory_lock(JOBS_LOCK)),
            &mut conn,
        )
        .await?
    };
    if !locked {
        return Ok(None);
    }
    let report = run_jobs(&mut conn, pool).await;
    conn.batch_execute(&format!("SELECT pg_advisory_unlock({JOBS_LOCK})"))
        .await?;
    report.map(Some)
}

async fn run_jobs(conn: &mut AsyncPgConnection, pool: &DbPool) -> Result<JobReport, ApiError> {
    let expired = conn
        .transaction(async |conn| {
            let ids = task_db::expire_unclaimed(conn).await?;
            for id in &ids {
                task_db::insert_event(conn, *id, None, "expired", &[]).await?;
            }
            Ok::<_, ApiError>(ids.len())
        })
        .await?;
    let cutoff = Utc::now() - chrono::Duration::days(7);
    let auto_completed = conn
        .transaction(async |conn| {
            let mut done = 0;
            for task in task_db::ended_with_claims(conn, cutoff).await? {
                if effective_end(task.starts_at, task.ends_at, task.duration_minutes) < cutoff {
                    // Hours default to the task's length; a task with neither an end nor a
                    // duration is credited nothing rather than guessed.
                    complete_locked(
                        conn,
                        None,
                        &task,
                        Completion::default(),
                        Some(0),
                        "auto_completed",
                    )
                    .await?;
                    done += 1;
                }
            }
            Ok::<_, ApiError>(done)
        })
        .await?;
    let report = JobReport {
        expired,
        auto_completed,
        idempotency_keys_forgotten: crate::services::idempotency::purge_expired(pool).await?,
    };
    if report != JobReport::default() {
        tracing::info!(
            tasks.expired = report.expired,
            tasks.auto_completed = report.auto_completed,
            idempotency.forgotten = report.idempotency_keys_forgotten,
            "periodic jobs"
        );
    }
    Ok(report)
}

/// Runs the jobs every minute until `shutdown` turns true.
pub async fn run(pool: DbPool, settings: Settings, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = run_once(&pool, &settings).await {
            tracing::warn!(error = ?e, "periodic jobs failed; will try again");
        }
        tokio::select! {
            _ = tokio::time::sleep(INTERVAL) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
