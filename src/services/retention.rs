//! Retention of data about the person helped: a task's private block is purged
//! `DUGNAD_RETENTION_DAYS` after the task ends, is cancelled, expires or is withdrawn. A
//! task event records the purge (never the values). Idempotent; the jobs run it under
//! their lock, and `dugnad purge --dry-run` shows what it would do.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::db::tasks as task_db;
use crate::domain::error::DomainError;

/// Tasks whose private block is due for purging at `now`.
pub async fn due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    retention_days: u32,
) -> Result<Vec<Uuid>, DomainError> {
    Ok(task_db::private_due_for_purge(
        conn,
        now - chrono::Duration::days(i64::from(retention_days)),
    )
    .await?)
}

/// Tasks purged per transaction: a backlog (a first run over an imported history, a long
/// stop) is worked through in short transactions instead of one that holds every row.
const PURGE_BATCH: usize = 500;

/// Purges what is due at `now`; returns the tasks purged. Each batch commits on its own,
/// with its events; a batch that fails is found due again on the next run.
pub async fn purge(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    retention_days: u32,
) -> Result<Vec<Uuid>, DomainError> {
    let ids = due(conn, now, retention_days).await?;
    for batch in ids.chunks(PURGE_BATCH) {
        conn.transaction(async |conn| task_db::purge_private(conn, batch).await)
            .await?;
    }
    if !ids.is_empty() {
        tracing::info!(tasks = ids.len(), "purged private blocks past retention");
    }
    Ok(ids)
}
