//! Writing tasks: a new task, an edit, its events, and the jobs' expiry and withdrawal.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::PgConn;
use crate::db::schema::{task_events, tasks};
use crate::domain::task::{EventKind, TaskStatus};

use super::{NewTaskRow, TaskChanges, TaskRow};

pub async fn insert(conn: &mut AsyncPgConnection, row: &NewTaskRow) -> QueryResult<TaskRow> {
    diesel::insert_into(tasks::table)
        .values(row)
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
}

/// Inserts several events of one task in one statement.
pub async fn insert_events(
    conn: &mut impl PgConn,
    task_id: Uuid,
    events: &[(Option<Uuid>, EventKind)],
) -> QueryResult<()> {
    let rows: Vec<_> = events
        .iter()
        .map(|(actor, kind)| {
            (
                task_events::id.eq(Uuid::now_v7()),
                task_events::task_id.eq(task_id),
                task_events::actor_id.eq(*actor),
                task_events::kind.eq(*kind),
            )
        })
        .collect();
    crate::db::insert_prepared!(conn, task_events::table, &rows[..]).map(|_| ())
}

/// Applies `changes` at `now` and bumps the version.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &TaskChanges,
    now: DateTime<Utc>,
) -> QueryResult<TaskRow> {
    diesel::update(tasks::table.find(id))
        .set((
            changes,
            tasks::version.eq(tasks::version + 1),
            tasks::updated_at.eq(now),
        ))
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn insert_event(
    conn: &mut impl PgConn,
    task_id: Uuid,
    actor_id: Option<Uuid>,
    kind: EventKind,
    fields: &[&str],
) -> QueryResult<()> {
    let fields: Vec<Option<String>> = fields.iter().map(|f| Some((*f).to_owned())).collect();
    diesel::insert_into(task_events::table)
        .values((
            task_events::id.eq(Uuid::now_v7()),
            task_events::task_id.eq(task_id),
            task_events::actor_id.eq(actor_id),
            task_events::kind.eq(kind),
            task_events::fields.eq(fields),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Open tasks whose start has passed at `now` with no active claim become `expired`.
pub async fn expire_unclaimed(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        tasks::table
            .filter(tasks::status.eq(TaskStatus::Open))
            .filter(tasks::active_claims.eq(0))
            .filter(tasks::starts_at.le(now)),
    )
    .set((
        tasks::status.eq(TaskStatus::Expired),
        tasks::version.eq(tasks::version + 1),
        tasks::updated_at.eq(now),
    ))
    .returning(tasks::id)
    .get_results(conn)
    .await
}

/// Withdraws the council's open, unclaimed tasks of a category (an opt-out came into
/// force at `now`); returns them.
pub async fn withdraw_unclaimed(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
    category_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<TaskRow>> {
    diesel::update(
        tasks::table
            .filter(tasks::council_id.eq(council_id))
            .filter(tasks::category_id.eq(category_id))
            .filter(tasks::status.eq(TaskStatus::Open))
            .filter(tasks::active_claims.eq(0)),
    )
    .set((
        tasks::status.eq(TaskStatus::Withdrawn),
        tasks::version.eq(tasks::version + 1),
        tasks::updated_at.eq(now),
    ))
    .returning(TaskRow::as_returning())
    .get_results(conn)
    .await
}
