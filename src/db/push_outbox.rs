//! Queries for the push outbox: rows written inside a change's transaction, one per
//! (notification, device), leased with `FOR UPDATE SKIP LOCKED` and marked with their
//! outcome — the same pattern as the email outbox.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Interval};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::push_outbox;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = push_outbox, check_for_backend(diesel::pg::Pg))]
pub struct PushRow {
    pub id: Uuid,
    pub notification_id: Uuid,
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = push_outbox)]
pub struct NewPushRow {
    pub id: Uuid,
    pub notification_id: Uuid,
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
}

/// Inserts the rows in one statement; a (notification, device) written already is kept
/// as it is.
pub async fn insert(conn: &mut impl crate::db::PgConn, rows: &[NewPushRow]) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(push_outbox::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
}

fn interval(d: Duration) -> diesel::data_types::PgInterval {
    diesel::data_types::PgInterval::from_microseconds(
        i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
    )
}

/// Leases up to `limit` due pending rows: pushed `lease` into the future with their
/// attempt counted, so another worker skips them now and retries them if this one dies.
pub async fn lease_due(
    conn: &mut AsyncPgConnection,
    limit: i64,
    lease: Duration,
) -> QueryResult<Vec<PushRow>> {
    diesel::sql_query(
        "UPDATE push_outbox SET next_attempt_at = now() + $2, attempts = attempts + 1 \
          WHERE id IN (SELECT id FROM push_outbox WHERE status = 'pending' AND next_attempt_at <= now() \
                       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING *",
    )
    .bind::<BigInt, _>(limit)
    .bind::<Interval, _>(interval(lease))
    .load(conn)
    .await
}

/// Marks delivered rows sent, in one statement for the batch.
pub async fn mark_sent(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(
        push_outbox::table
            .filter(push_outbox::id.eq_any(ids))
            .filter(push_outbox::status.eq("pending")),
    )
    .set((
        push_outbox::status.eq("sent"),
        push_outbox::sent_at.eq(diesel::dsl::now),
        push_outbox::last_error.eq(None::<String>),
    ))
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn mark_retry(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    delay: Duration,
    error: &str,
) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE push_outbox SET next_attempt_at = now() + $2, last_error = $3 WHERE id = $1 AND status = 'pending'",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<Interval, _>(interval(delay))
    .bind::<diesel::sql_types::Text, _>(error)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn mark_dead(conn: &mut AsyncPgConnection, id: Uuid, error: &str) -> QueryResult<()> {
    diesel::update(push_outbox::table.find(id))
        .set((
            push_outbox::status.eq("dead"),
            push_outbox::last_error.eq(error),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Drops the pushes not yet sent to a device that changes hands.
pub async fn delete_for_device(
    conn: &mut AsyncPgConnection,
    device_id: Uuid,
) -> QueryResult<usize> {
    diesel::delete(
        push_outbox::table
            .filter(push_outbox::device_id.eq(device_id))
            .filter(push_outbox::status.ne("sent")),
    )
    .execute(conn)
    .await
}

/// Forgets pushes older than `days`, whatever their status (the outbox's retention).
pub async fn purge_older_than(conn: &mut AsyncPgConnection, days: u32) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM push_outbox WHERE created_at < now() - make_interval(days => $1)",
    )
    .bind::<diesel::sql_types::Integer, _>(i32::try_from(days).unwrap_or(i32::MAX))
    .execute(conn)
    .await
}

/// Pending and dead counts, for `/metrics`.
pub async fn depth(conn: &mut AsyncPgConnection) -> QueryResult<(i64, i64)> {
    let pending = push_outbox::table
        .filter(push_outbox::status.eq("pending"))
        .count()
        .get_result(conn)
        .await?;
    let dead = push_outbox::table
        .filter(push_outbox::status.eq("dead"))
        .count()
        .get_result(conn)
        .await?;
    Ok((pending, dead))
}

/// Rows of one status, oldest first after `after`; `limit + 1` rows.
pub async fn list(
    conn: &mut AsyncPgConnection,
    status: &str,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<PushRow>> {
    let mut query = push_outbox::table
        .filter(push_outbox::status.eq(status.to_owned()))
        .select(PushRow::as_select())
        .order(push_outbox::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(push_outbox::id.gt(after));
    }
    query.load(conn).await
}

/// Puts a pending or dead push back in the queue, due now; `None` when there is none.
pub async fn requeue(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<PushRow>> {
    diesel::update(
        push_outbox::table
            .find(id)
            .filter(push_outbox::status.ne("sent")),
    )
    .set((
        push_outbox::status.eq("pending"),
        push_outbox::attempts.eq(0),
        push_outbox::next_attempt_at.eq(diesel::dsl::now),
    ))
    .returning(PushRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn exists(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(push_outbox::table.find(id)))
        .get_result(conn)
        .await
}

/// The pushes written for a person, for their export.
pub async fn of_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<PushRow>> {
    push_outbox::table
        .filter(push_outbox::user_id.eq(user_id))
        .select(PushRow::as_select())
        .order(push_outbox::id)
        .load(conn)
        .await
}
