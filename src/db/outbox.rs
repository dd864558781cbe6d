//! Queries for the email outbox: enqueue inside a caller's transaction, claim due rows
//! with a lease (`FOR UPDATE SKIP LOCKED`), and record each delivery's outcome.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Interval};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::email_outbox;

/// One row: what to say (`facts`, while it is still needed), to whom, and how delivery
/// went. Sent and dropped rows keep only their metadata.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = email_outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxRow {
    pub id: Uuid,
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub to_address: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub language: String,
    pub facts: Option<serde_json::Value>,
    pub message_id: Option<String>,
}

/// `None` is bound as NULL, not written as `DEFAULT`: the SQL is then the same whoever
/// the rows are for, and the statement can stay prepared.
#[derive(Debug, Insertable)]
#[diesel(table_name = email_outbox, treat_none_as_default_value = false)]
pub struct NewOutboxRow {
    pub id: Uuid,
    pub kind: &'static str,
    pub user_id: Option<Uuid>,
    pub to_address: String,
    pub language: &'static str,
    pub facts: Option<serde_json::Value>,
}

/// Inserts the rows in one statement.
pub async fn insert(conn: &mut impl crate::db::PgConn, rows: &[NewOutboxRow]) -> QueryResult<()> {
    crate::db::insert_prepared!(conn, email_outbox::table, rows).map(|_| ())
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

/// Marks delivered rows sent, in one statement (one commit) for the whole batch: what
/// they said is forgotten, the address masked, the Message-ID kept.
pub async fn mark_sent(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    id_domain: &str,
) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "UPDATE email_outbox SET status = 'sent', sent_at = now(), last_error = NULL, facts = NULL, \
                message_id = '<' || id || '@' || $2 || '>', \
                to_address = left(split_part(to_address, '@', 1), 1) || '***@' || split_part(to_address, '@', 2) \
          WHERE id = ANY($1) AND status = 'pending'",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(ids)
    .bind::<diesel::sql_types::Text, _>(id_domain)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A row that resolved to nothing to send: kept as metadata, with the reason.
pub async fn mark_dropped(conn: &mut AsyncPgConnection, id: Uuid, reason: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE email_outbox SET status = 'dropped', facts = NULL, last_error = $2, \
                to_address = left(split_part(to_address, '@', 1), 1) || '***@' || split_part(to_address, '@', 2) \
          WHERE id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<diesel::sql_types::Text, _>(reason)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A request row resolved: now addressed to `user_id` at `to`, saying `facts`.
pub async fn resolve(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Uuid,
    to: &str,
    language: &str,
    facts: serde_json::Value,
) -> QueryResult<()> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::user_id.eq(user_id),
            email_outbox::to_address.eq(to),
            email_outbox::language.eq(language),
            email_outbox::facts.eq(facts),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Forgets dead, dropped and long-pending rows older than `days` (sent rows are only
/// metadata already and stay for the person's export).
pub async fn purge_older_than(conn: &mut AsyncPgConnection, days: u32) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM email_outbox WHERE status IN ('pending', 'dead', 'dropped') \
          AND created_at < now() - make_interval(days => $1)",
    )
    .bind::<diesel::sql_types::Integer, _>(i32::try_from(days).unwrap_or(i32::MAX))
    .execute(conn)
    .await
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
    if row.status == "sent" || row.status == "dropped" {
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
