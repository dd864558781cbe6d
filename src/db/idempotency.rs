//! Queries for idempotency records: the first answer to a request with an
//! `Idempotency-Key`, per (user, method, path, key), kept 24 hours.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::idempotency_keys as keys;

/// Which request a record is for.
#[derive(Debug, Clone, Copy)]
pub struct RecordKey<'a> {
    pub user_id: Uuid,
    pub method: &'a str,
    pub path: &'a str,
    pub key: &'a str,
}

/// A stored answer.
#[derive(Debug, Clone, Queryable)]
pub struct StoredAnswer {
    pub request_hash: Vec<u8>,
    pub response_status: i32,
    pub response_body: serde_json::Value,
    pub response_etag: Option<String>,
}

diesel::define_sql_function!(fn pg_try_advisory_xact_lock(key: BigInt) -> Bool);

/// Takes the transaction-level advisory lock `lock` without waiting; `false` when another
/// transaction holds it.
pub async fn try_lock(conn: &mut AsyncPgConnection, lock: i64) -> QueryResult<bool> {
    diesel::select(pg_try_advisory_xact_lock(lock))
        .get_result(conn)
        .await
}

fn cutoff() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::hours(24)
}

/// The live record of `key`, if any.
pub async fn find(
    conn: &mut AsyncPgConnection,
    key: RecordKey<'_>,
) -> QueryResult<Option<StoredAnswer>> {
    keys::table
        .filter(keys::user_id.eq(key.user_id))
        .filter(keys::method.eq(key.method))
        .filter(keys::path.eq(key.path))
        .filter(keys::key.eq(key.key))
        .filter(keys::created_at.gt(cutoff()))
        .select((
            keys::request_hash,
            keys::response_status,
            keys::response_body,
            keys::response_etag,
        ))
        .first(conn)
        .await
        .optional()
}

/// Stores the first answer of `key`; an expired record of the same key is replaced, a
/// live one never overwritten.
pub async fn store(
    conn: &mut AsyncPgConnection,
    key: RecordKey<'_>,
    answer: &StoredAnswer,
) -> QueryResult<()> {
    diesel::delete(
        keys::table
            .filter(keys::user_id.eq(key.user_id))
            .filter(keys::method.eq(key.method))
            .filter(keys::path.eq(key.path))
            .filter(keys::key.eq(key.key))
            .filter(keys::created_at.le(cutoff())),
    )
    .execute(conn)
    .await?;
    insert(conn, key, answer).await.map(|_| ())
}

/// Inserts a record unless one of the key exists; the number of rows written.
async fn insert(
    conn: &mut AsyncPgConnection,
    key: RecordKey<'_>,
    answer: &StoredAnswer,
) -> QueryResult<usize> {
    diesel::insert_into(keys::table)
        .values((
            keys::user_id.eq(key.user_id),
            keys::method.eq(key.method),
            keys::path.eq(key.path),
            keys::key.eq(key.key),
            keys::request_hash.eq(&answer.request_hash),
            keys::response_status.eq(answer.response_status),
            keys::response_body.eq(&answer.response_body),
            keys::response_etag.eq(&answer.response_etag),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
}

/// Forgets records older than 24 hours.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
    diesel::delete(keys::table.filter(keys::created_at.le(cutoff())))
        .execute(conn)
        .await
}

/// Stores the first answer of `key` and says whether this call stored it: `false` when
/// a live record of the key exists (a concurrent insert waits for the other transaction
/// and then finds it), so the caller can roll its work back.
pub async fn store_first(
    conn: &mut AsyncPgConnection,
    key: RecordKey<'_>,
    answer: &StoredAnswer,
) -> QueryResult<bool> {
    if find(conn, key).await?.is_some() {
        return Ok(false);
    }
    diesel::delete(
        keys::table
            .filter(keys::user_id.eq(key.user_id))
            .filter(keys::method.eq(key.method))
            .filter(keys::path.eq(key.path))
            .filter(keys::key.eq(key.key)),
    )
    .execute(conn)
    .await?;
    insert(conn, key, answer).await.map(|n| n == 1)
}
