//! A task's private block: read only for those who may see it, purged after the task.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::task_private;
use crate::domain::task::{EventKind, TaskStatus};

use super::TaskPrivateRow;

pub async fn private_of(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
) -> QueryResult<Option<TaskPrivateRow>> {
    task_private::table
        .find(task_id)
        .select(TaskPrivateRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn private_of_many(
    conn: &mut AsyncPgConnection,
    task_ids: &[Uuid],
) -> QueryResult<Vec<TaskPrivateRow>> {
    task_private::table
        .filter(task_private::task_id.eq_any(task_ids))
        .select(TaskPrivateRow::as_select())
        .load(conn)
        .await
}

pub async fn upsert_private(conn: &mut AsyncPgConnection, row: &TaskPrivateRow) -> QueryResult<()> {
    diesel::insert_into(task_private::table)
        .values(row)
        .on_conflict(task_private::task_id)
        .do_update()
        .set(row)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Tasks with a private block that still holds something and that ended — or were
/// cancelled, expired or withdrawn — before `ended_before`.
pub async fn private_due_for_purge(
    conn: &mut AsyncPgConnection,
    ended_before: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    use diesel::sql_types::{Array, Text, Timestamptz};
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        task_id: Uuid,
    }
    let stopped = [
        TaskStatus::Cancelled,
        TaskStatus::Expired,
        TaskStatus::Withdrawn,
    ];
    let rows: Vec<Due> = diesel::sql_query(
        "SELECT p.task_id
           FROM task_private p JOIN tasks t ON t.id = p.task_id
          WHERE (p.address IS NOT NULL OR p.recipient_name IS NOT NULL OR p.recipient_phone IS NOT NULL OR p.notes IS NOT NULL)
            AND CASE WHEN t.status = ANY($2) THEN t.updated_at
                     ELSE task_effective_end(t.starts_at, t.ends_at, t.duration_minutes)
                END <= $1
          ORDER BY p.task_id",
    )
    .bind::<Timestamptz, _>(ended_before)
    .bind::<Array<Text>, _>(&stopped[..])
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.task_id).collect())
}

/// Empties the private blocks of these tasks and records a `private_purged` event (no
/// values) on each: two statements whatever the number of tasks. Returns the blocks emptied.
pub async fn purge_private(conn: &mut AsyncPgConnection, task_ids: &[Uuid]) -> QueryResult<usize> {
    use diesel::sql_types::{Array, Uuid as SqlUuid};
    let event_ids: Vec<Uuid> = task_ids.iter().map(|_| Uuid::now_v7()).collect();
    diesel::sql_query(
        "WITH batch AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS b (task_id, event_id)), \
              purged AS (UPDATE task_private p \
                            SET address = NULL, recipient_name = NULL, recipient_phone = NULL, notes = NULL \
                           FROM batch WHERE p.task_id = batch.task_id \
                         RETURNING p.task_id, batch.event_id) \
         INSERT INTO task_events (id, task_id, actor_id, kind, fields) \
         SELECT event_id, task_id, NULL, $3, '{}' FROM purged",
    )
    .bind::<Array<SqlUuid>, _>(task_ids)
    .bind::<Array<SqlUuid>, _>(&event_ids)
    .bind::<diesel::sql_types::Text, _>(EventKind::PrivatePurged)
    .execute(conn)
    .await
}
