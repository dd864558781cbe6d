//! Retention of data about the person helped: a task's private block is purged
//! `DUGNAD_RETENTION_DAYS` after the task ends, is cancelled, expires or is withdrawn. A
//! task event records the purge (never the values). Idempotent; the jobs run it under
//! their lock, and `dugnad purge --dry-run` shows what it would do.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::tasks as task_db;
use crate::domain::error::DomainError;

#[derive(QueryableByName)]
struct Due {
    #[diesel(sql_type = SqlUuid)]
    task_id: Uuid,
}

/// Tasks whose private block is due for purging at `now`.
pub async fn due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    retention_days: u32,
) -> Result<Vec<Uuid>, DomainError> {
    let rows: Vec<Due> = diesel::sql_query(
        "SELECT p.task_id
           FROM task_private p JOIN tasks t ON t.id = p.task_id
          WHERE (p.address IS NOT NULL OR p.recipient_name IS NOT NULL OR p.recipient_phone IS NOT NULL OR p.notes IS NOT NULL)
            AND CASE
                  WHEN t.status IN ('cancelled', 'expired', 'withdrawn') THEN t.updated_at
                  ELSE coalesce(t.ends_at, t.starts_at + make_interval(mins => t.duration_minutes), t.starts_at + interval '1 hour')
                END <= $1 - make_interval(days => $2)
          ORDER BY p.task_id",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<Integer, _>(i32::try_from(retention_days).unwrap_or(i32::MAX))
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.task_id).collect())
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
