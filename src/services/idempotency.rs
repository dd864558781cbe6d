//! Retry safety for mobile clients. A request with an `Idempotency-Key` runs once per
//! (user, method, path, key) for 24 hours: a retry with the same body gets the first 2xx or
//! 4xx answer again, a different body is 422, and a retry while the first still runs is
//! 409 `idempotency_in_progress`. A 2xx answer is stored in the same transaction as the
//! change it reports; a task's private block is never stored, and the body is kept only as
//! an HMAC under a server key.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::keys::ServerKeys;
use crate::db::DbPool;
use crate::db::schema::idempotency_keys as keys;
use crate::error::{ApiError, ErrorCode};

/// An answer to send and perhaps to replay.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
    pub etag: Option<String>,
    /// True when this is a replay of an earlier answer.
    pub replayed: bool,
}

impl Answer {
    pub fn new(status: u16, body: serde_json::Value, etag: Option<String>) -> Self {
        Self {
            status,
            body,
            etag,
            replayed: false,
        }
    }
}

/// Which request this is.
pub struct Scope<'a> {
    /// Keys the stored digest of the body, so a copy of the table confirms no guess.
    pub keys: &'a ServerKeys,
    pub user_id: Uuid,
    pub method: &'a str,
    pub path: &'a str,
    pub key: Option<&'a str>,
    pub body: &'a serde_json::Value,
}

impl Scope<'_> {
    fn request_hash(&self) -> Vec<u8> {
        self.keys
            .request_digest(&serde_json::to_vec(self.body).unwrap_or_default())
    }

    fn lock_key(&self, key: &str) -> i64 {
        let mut h = Sha256::new();
        for part in [
            self.user_id.to_string().as_str(),
            self.method,
            self.path,
            key,
        ] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        let digest = h.finalize();
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(bytes)
    }
}

diesel::define_sql_function!(fn pg_try_advisory_xact_lock(key: BigInt) -> Bool);

#[derive(Queryable)]
struct StoredRow {
    request_hash: Vec<u8>,
    response_status: i32,
    response_body: serde_json::Value,
    response_etag: Option<String>,
}

/// Strips what must never be stored: the private block (and the unit's contact, which is
/// re-read on replay along with it).
fn storable(body: &serde_json::Value) -> serde_json::Value {
    let mut body = body.clone();
    if let Some(map) = body.as_object_mut() {
        map.remove("private");
        map.remove("unit");
    }
    body
}

fn cutoff() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::hours(24)
}

async fn find(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
    key: &str,
) -> QueryResult<Option<StoredRow>> {
    keys::table
        .filter(keys::user_id.eq(scope.user_id))
        .filter(keys::method.eq(scope.method))
        .filter(keys::path.eq(scope.path))
        .filter(keys::key.eq(key))
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

async fn store(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
    key: &str,
    answer: &Answer,
) -> QueryResult<()> {
    // An expired row of the same key is replaced; a live one is never overwritten.
    diesel::delete(
        keys::table
            .filter(keys::user_id.eq(scope.user_id))
            .filter(keys::method.eq(scope.method))
            .filter(keys::path.eq(scope.path))
            .filter(keys::key.eq(key))
            .filter(keys::created_at.le(cutoff())),
    )
    .execute(conn)
    .await?;
    diesel::insert_into(keys::table)
        .values((
            keys::user_id.eq(scope.user_id),
            keys::method.eq(scope.method),
            keys::path.eq(scope.path),
            keys::key.eq(key),
            keys::request_hash.eq(scope.request_hash()),
            keys::response_status.eq(i32::from(answer.status)),
            keys::response_body.eq(storable(&answer.body)),
            keys::response_etag.eq(answer.etag.clone()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|_| ())
}

/// Call first inside the request's transaction. Returns the earlier answer to replay, or
/// `None` to go ahead; refuses a concurrent run (409) and a different body (422).
pub async fn begin(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
) -> Result<Option<Answer>, ApiError> {
    let Some(key) = scope.key else {
        return Ok(None);
    };
    let locked: bool = diesel::select(pg_try_advisory_xact_lock(scope.lock_key(key)))
        .get_result(conn)
        .await?;
    if !locked {
        return Err(ApiError::new(
            ErrorCode::IdempotencyInProgress,
            "a request with this Idempotency-Key is still running",
        )
        .with_retry_after(1));
    }
    match find(conn, scope, key).await? {
        Some(row) if row.request_hash != scope.request_hash() => Err(ApiError::invalid_field(
            "Idempotency-Key",
            "was used before with a different request body",
        )),
        Some(row) => Ok(Some(Answer {
            status: u16::try_from(row.response_status).unwrap_or(500),
            body: row.response_body,
            etag: row.response_etag,
            replayed: true,
        })),
        None => Ok(None),
    }
}

/// Call last inside the request's transaction with the answer it produced.
pub async fn finish(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
    answer: &Answer,
) -> Result<(), ApiError> {
    if let Some(key) = scope.key
        && !answer.replayed
    {
        store(conn, scope, key, answer).await?;
    }
    Ok(())
}

/// Call after the transaction: a client error (4xx) rolled the change back, so it is
/// remembered in a transaction of its own — unless the failure was about the key itself.
pub async fn remember_failure(
    conn: &mut AsyncPgConnection,
    scope: &Scope<'_>,
    result: Result<Answer, ApiError>,
) -> Result<Answer, ApiError> {
    let (Some(key), Err(e)) = (scope.key, &result) else {
        return result;
    };
    if !e.code().status().is_client_error()
        || e.code() == ErrorCode::IdempotencyInProgress
        || e.is_field_error("Idempotency-Key")
    {
        return result;
    }
    let answer = Answer::new(e.code().status().as_u16(), e.body_json(), None);
    let lock = scope.lock_key(key);
    conn.transaction(async |conn| {
        let locked: bool = diesel::select(pg_try_advisory_xact_lock(lock))
            .get_result(conn)
            .await?;
        if locked && find(conn, scope, key).await?.is_none() {
            store(conn, scope, key, &answer).await?;
        }
        Ok::<_, ApiError>(())
    })
    .await?;
    result
}

/// Forgets keys older than 24 hours.
pub async fn purge_expired(pool: &DbPool) -> Result<usize, ApiError> {
    let mut conn = pool.get().await?;
    Ok(
        diesel::delete(keys::table.filter(keys::created_at.le(cutoff())))
            .execute(&mut conn)
            .await?,
    )
}
