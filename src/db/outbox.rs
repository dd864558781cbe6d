//! Queries for the one outbox: rows of every channel written inside a caller's
//! transaction, leased with `FOR UPDATE SKIP LOCKED`, and marked with each delivery's
//! outcome. A channel is data here, not a table of its own.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Interval, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::outbox;

/// One row: what to say (`facts`), to whom, by which channel, and how delivery went.
/// A sent or dropped email keeps only its metadata.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxRow {
    pub id: Uuid,
    pub channel: String,
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub to_address: Option<String>,
    pub device_id: Option<Uuid>,
    pub notification_id: Option<Uuid>,
    pub language: String,
    pub facts: Option<serde_json::Value>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_id: Option<String>,
}

/// `None` is bound as NULL, not written as `DEFAULT`: the SQL is then the same whoever
/// the rows are for, and the statement can stay prepared.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewOutboxRow {
    pub id: Uuid,
    pub channel: &'static str,
    pub kind: &'static str,
    pub user_id: Option<Uuid>,
    pub to_address: Option<String>,
    pub device_id: Option<Uuid>,
    pub notification_id: Option<Uuid>,
    pub language: &'static str,
    pub facts: Option<serde_json::Value>,
}

/// Inserts the rows, of any channels, in one statement.
pub async fn insert(conn: &mut impl crate::db::PgConn, rows: &[NewOutboxRow]) -> QueryResult<()> {
    crate::db::insert_prepared!(conn, outbox::table, rows).map(|_| ())
}

/// Rows to write, each with what its recipient's choice is worth: `None` to write it
/// whatever they chose (what is not theirs to turn off), `Some(default)` to write it as
/// their row in `notification_preferences` says, or by `default` when they have none.
pub struct Gated<'a> {
    pub rows: &'a [NewOutboxRow],
    pub defaults: &'a [Option<bool>],
}

/// The statement of [`insert_wanted`]. Its SQL never varies (the rows travel as arrays),
/// so its connection keeps it prepared, whatever the number of rows.
struct InsertWanted {
    ids: Vec<Uuid>,
    channels: Vec<&'static str>,
    kinds: Vec<&'static str>,
    users: Vec<Option<Uuid>>,
    addresses: Vec<Option<String>>,
    devices: Vec<Option<Uuid>>,
    notifications: Vec<Option<Uuid>>,
    languages: Vec<&'static str>,
    facts: Vec<Option<serde_json::Value>>,
    defaults: Vec<Option<bool>>,
}

impl diesel::query_builder::QueryId for InsertWanted {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for InsertWanted {
    type SqlType = BigInt;
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for InsertWanted {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{Bool, Jsonb, Nullable, Uuid as SqlUuid};
        out.push_sql(
            "WITH written AS (INSERT INTO outbox (id, channel, kind, user_id, to_address, device_id, \
                                                  notification_id, language, facts) \
             SELECT r.id, r.channel, r.kind, r.user_id, r.to_address, r.device_id, \
                    r.notification_id, r.language, r.facts \
               FROM unnest(",
        );
        out.push_bind_param::<Array<SqlUuid>, _>(&self.ids)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.channels)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.kinds)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<SqlUuid>>, _>(&self.users)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.addresses)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<SqlUuid>>, _>(&self.devices)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<SqlUuid>>, _>(&self.notifications)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.languages)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<Jsonb>>, _>(&self.facts)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<Bool>>, _>(&self.defaults)?;
        out.push_sql(
            ") AS r(id, channel, kind, user_id, to_address, device_id, notification_id, language, \
                    facts, default_on) \
              WHERE r.default_on IS NULL \
                 OR coalesce((SELECT p.enabled FROM notification_preferences p \
                               WHERE p.user_id = r.user_id AND p.kind = r.kind \
                                 AND p.channel = r.channel), r.default_on) \
             RETURNING channel) \
             SELECT count(*) FILTER (WHERE channel = 'email') FROM written",
        );
        Ok(())
    }
}

/// Writes the rows their recipients want, in one statement that reads their choices
/// itself (no round trip of its own to read them first). Returns how many emails it
/// wrote.
pub async fn insert_wanted(
    conn: &mut impl crate::db::PgConn,
    gated: Gated<'_>,
) -> QueryResult<usize> {
    if gated.rows.is_empty() {
        return Ok(0);
    }
    let rows = gated.rows;
    let query = InsertWanted {
        ids: rows.iter().map(|r| r.id).collect(),
        channels: rows.iter().map(|r| r.channel).collect(),
        kinds: rows.iter().map(|r| r.kind).collect(),
        users: rows.iter().map(|r| r.user_id).collect(),
        addresses: rows.iter().map(|r| r.to_address.clone()).collect(),
        devices: rows.iter().map(|r| r.device_id).collect(),
        notifications: rows.iter().map(|r| r.notification_id).collect(),
        languages: rows.iter().map(|r| r.language).collect(),
        facts: rows.iter().map(|r| r.facts.clone()).collect(),
        defaults: gated.defaults.to_vec(),
    };
    let emails: i64 = query.get_result(conn).await?;
    Ok(usize::try_from(emails).unwrap_or_default())
}

fn interval(d: Duration) -> diesel::data_types::PgInterval {
    diesel::data_types::PgInterval::from_microseconds(
        i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
    )
}

/// Leases up to `limit` due pending rows of `channels`: they are pushed `lease` into the
/// future and their attempt counted, so another worker skips them now and retries them if
/// this one dies.
pub async fn lease_due(
    conn: &mut AsyncPgConnection,
    channels: &[&str],
    limit: i64,
    lease: Duration,
) -> QueryResult<Vec<OutboxRow>> {
    diesel::sql_query(
        "UPDATE outbox SET next_attempt_at = now() + $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now() \
                         AND channel = ANY($3) \
                      ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) \
         RETURNING *",
    )
    .bind::<BigInt, _>(limit)
    .bind::<Interval, _>(interval(lease))
    .bind::<Array<Text>, _>(channels)
    .load(conn)
    .await
}

/// Marks delivered rows sent, in one statement (one commit) for the whole batch. An
/// email forgets what it said and its address is masked, its Message-ID kept.
pub async fn mark_sent(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    id_domain: &str,
) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL, \
                facts = CASE WHEN channel = 'email' THEN NULL ELSE facts END, \
                message_id = CASE WHEN channel = 'email' THEN '<' || id || '@' || $2 || '>' END, \
                to_address = CASE WHEN channel = 'email' \
                    THEN left(split_part(to_address, '@', 1), 1) || '***@' || split_part(to_address, '@', 2) \
                    ELSE to_address END \
          WHERE id = ANY($1) AND status = 'pending'",
    )
    .bind::<Array<diesel::sql_types::Uuid>, _>(ids)
    .bind::<Text, _>(id_domain)
    .execute(conn)
    .await
    .map(|_| ())
}

/// An email that resolved to nothing to send: kept as metadata, with the reason.
pub async fn mark_dropped(conn: &mut AsyncPgConnection, id: Uuid, reason: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE outbox SET status = 'dropped', facts = NULL, last_error = $2, \
                to_address = left(split_part(to_address, '@', 1), 1) || '***@' || split_part(to_address, '@', 2) \
          WHERE id = $1 AND channel = 'email'",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<Text, _>(reason)
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
    diesel::update(outbox::table.find(id))
        .set((
            outbox::user_id.eq(user_id),
            outbox::to_address.eq(to),
            outbox::language.eq(language),
            outbox::facts.eq(facts),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Forgets rows older than `days` that are of no more use: dead, dropped and
/// never-delivered rows of every channel, and sent rows of every channel but email (a
/// sent email is only metadata already, kept for the person's export).
pub async fn purge_older_than(conn: &mut AsyncPgConnection, days: u32) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM outbox WHERE (status <> 'sent' OR channel <> 'email') \
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
        "UPDATE outbox SET next_attempt_at = now() + $2, last_error = $3 WHERE id = $1 AND status = 'pending'",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .bind::<Interval, _>(interval(delay))
    .bind::<Text, _>(error)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn mark_dead(conn: &mut AsyncPgConnection, id: Uuid, error: &str) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((outbox::status.eq("dead"), outbox::last_error.eq(error)))
        .execute(conn)
        .await
        .map(|_| ())
}

/// (channel, status, count) of the pending and dead rows, for `/metrics`.
pub async fn depth(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(String, String, i64)>> {
    outbox::table
        .filter(outbox::status.eq_any(["pending", "dead"]))
        .group_by((outbox::channel, outbox::status))
        .select((outbox::channel, outbox::status, diesel::dsl::count_star()))
        .order((outbox::channel, outbox::status))
        .load(conn)
        .await
}

/// Rows of one status (and of one channel, if given), oldest first after `after`;
/// `limit + 1` rows.
pub async fn list(
    conn: &mut AsyncPgConnection,
    status: &str,
    channel: Option<&str>,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let mut query = outbox::table
        .filter(outbox::status.eq(status.to_owned()))
        .select(OutboxRow::as_select())
        .order(outbox::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(channel) = channel {
        query = query.filter(outbox::channel.eq(channel.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(outbox::id.gt(after));
    }
    query.load(conn).await
}

/// Puts a pending or dead row (of `channel`, if given) back in the queue, due now, with
/// a fresh attempt budget. `None` when there is no such row; a sent or dropped row is
/// returned unchanged.
pub async fn requeue(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    channel: Option<&str>,
) -> QueryResult<Option<OutboxRow>> {
    let Some(row) = outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?
        .filter(|row| channel.is_none_or(|c| row.channel == c))
    else {
        return Ok(None);
    };
    if row.status == "sent" || row.status == "dropped" {
        return Ok(Some(row));
    }
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(diesel::dsl::now),
        ))
        .returning(OutboxRow::as_returning())
        .get_result(conn)
        .await
        .map(Some)
}

/// The rows written for a person by `channel`, oldest first, for their export.
pub async fn of_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    channel: &str,
) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::user_id.eq(user_id))
        .filter(outbox::channel.eq(channel.to_owned()))
        .select(OutboxRow::as_select())
        .order(outbox::id)
        .load(conn)
        .await
}
