//! Queries for the email outbox: enqueue inside a caller's transaction, claim due rows
//! with a lease (`FOR UPDATE SKIP LOCKED`), and record each delivery's outcome.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Interval};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::email_outbox;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = email_outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxRow {
    pub id: Uuid,
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub headers: serde_json::Value,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = email_outbox)]
pub struct NewOutboxRow<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub user_id: Option<Uuid>,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    pub headers: serde_json::Value,
}

pub async fn insert(conn: &mut impl crate::db::PgConn, row: &NewOutboxRow<'_>) -> QueryResult<()> {
    diesel::insert_into(email_outbox::table)
        .values(row)
        .execute(conn)
        .await
        .map(|_| ())
}

fn interval(d: Duration) -> diesel::data_types::PgInterval {
    diesel::data_types::PgInterval::from_microseconds(
        i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
    )
}

/// Leases up to `limit` due pending rows: they are pushed `lease` into the future and their
/// attempt counted, so another worker skips them now and retries them if this one dies.
pub async fn lease_due(
    conn: &mut AsyncPgConnection,
    limit: i64,
    lease: Duration,
) -> QueryResult<Vec<OutboxRow>> {
    diesel::sql_query(
        "UPDATE email_outbox SET next_attempt_at = now() + $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= now() \
                      ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING *",
    )
    .bind::<BigInt, _>(limit)
    .bind::<Interval, _>(interval(lease))
    .load(conn)
    .await
}

/// Marks delivered rows sent, in one statement (one commit) for the whole batch.
pub async fn mark_sent(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(ids)))
        .set((
            email_outbox::status.eq("sent"),
            email_outbox::sent_at.eq(diesel::dsl::now),
            email_outbox::last_error.eq(None::<String>),
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
        "UPDATE email_outbox SET next_attempt_at = now() + $2, last_error = $3 WHERE id = $1 AND status = 'pending'",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<Interval, _>(interval(delay))
    .bind::<diesel::sql_types::Text, _>(error)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn mark_dead(conn: &mut AsyncPgConnection, id: Uuid, error: &str) -> QueryResult<()> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq("dead"),
            email_outbox::last_error.eq(error),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Pending and dead counts, for `/metrics`.
pub async fn depth(conn: &mut AsyncPgConnection) -> QueryResult<(i64, i64)> {
    let pending = email_outbox::table
        .filter(email_outbox::status.eq("pending"))
        .count()
        .get_result(conn)
        .await?;
    let dead = email_outbox::table
        .filter(email_outbox::status.eq("dead"))
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
) -> QueryResult<Vec<OutboxRow>> {
    let mut query = email_outbox::table
        .filter(email_outbox::status.eq(status.to_owned()))
        .select(OutboxRow::as_select())
        .order(email_outbox::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(email_outbox::id.gt(after));
    }
    query.load(conn).await
}

/// Puts a pending or dead row back in the queue, due now, with a fresh attempt budget.
/// `None` when there is no such row; a sent row is returned unchanged.
pub async fn requeue(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<OutboxRow>> {
    let Some(row) = email_outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    if row.status == "sent" {
        return Ok(Some(row));
    }
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq("pending"),
            email_outbox::attempts.eq(0),
            email_outbox::next_attempt_at.eq(diesel::dsl::now),
        ))
        .returning(OutboxRow::as_returning())
        .get_result(conn)
        .await
        .map(Some)
}

/// The emails written for a person: kind, status and times (not the bodies).
pub async fn sent_to_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<(String, String, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    email_outbox::table
        .filter(email_outbox::user_id.eq(user_id))
        .select((
            email_outbox::kind,
            email_outbox::status,
            email_outbox::created_at,
            email_outbox::sent_at,
        ))
        .order(email_outbox::id)
        .load(conn)
        .await
}
