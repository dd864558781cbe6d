//! Queries for console sessions, enrolled authenticators and recovery codes. Tokens and
//! codes are stored only as their SHA-256.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{
    console_drafts as drafts, console_sessions as sessions, recovery_codes, user_totp, users,
};
use crate::db::users::UserRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg))]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub stage: String,
    pub pending_totp_secret: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Where the sign-in goes once its second factor is proved.
    pub resume: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub token_hash: &'a [u8],
    pub csrf_token: &'a str,
    pub stage: &'a str,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The sign-in proved a second-factor code (or enrolled one).
    pub code_proved: bool,
    pub resume: Option<&'a str>,
}

pub async fn insert_session(conn: &mut AsyncPgConnection, row: &NewSession<'_>) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The session of `token_hash` that has not ended at `now`, with its user, in one
/// statement (whether it has been idle too long is its role's to say).
pub async fn live_session(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<(SessionRow, UserRow)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .await
        .optional()
}

/// Records a request at `now`; the session's row is kept until `ends`.
pub async fn touch_session(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
    ends: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(ends),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_stage(conn: &mut AsyncPgConnection, id: Uuid, stage: &str) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set((
            sessions::stage.eq(stage),
            sessions::pending_totp_secret.eq(None::<Vec<u8>>),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_pending_secret(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    secret: &[u8],
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::pending_totp_secret.eq(secret))
        .execute(conn)
        .await
        .map(|_| ())
}

/// The person and anti-forgery token of the session of `token_hash`, live or not (an
/// idle session's row stays until its absolute end).
pub async fn session_owner(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<(Uuid, String)>> {
    sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .select((sessions::user_id, sessions::csrf_token))
        .first(conn)
        .await
        .optional()
}

/// A form kept across an expired session: the path it was posted to, the page it was on,
/// and its fields, sealed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drafts, check_for_backend(diesel::pg::Pg))]
pub struct DraftRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub path: String,
    pub return_to: String,
    pub sealed: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_draft(conn: &mut AsyncPgConnection, row: &DraftRow) -> QueryResult<()> {
    diesel::insert_into(drafts::table)
        .values(row)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Takes (and forgets) the draft `id` of `user_id`, if it was kept after `since`.
pub async fn take_draft(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<Option<DraftRow>> {
    diesel::delete(
        drafts::table
            .find(id)
            .filter(drafts::user_id.eq(user_id))
            .filter(drafts::created_at.gt(since)),
    )
    .returning(DraftRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// Forgets drafts kept before `before`.
pub async fn forget_drafts(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(drafts::table.filter(drafts::created_at.lt(before)))
        .execute(conn)
        .await
}

pub async fn delete_session(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(id)).execute(conn).await
}

/// Ends every console session of a person (password change, deactivation, a new address).
pub async fn delete_sessions_of(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
        .execute(conn)
        .await
}

/// Forgets sessions past their absolute end.
pub async fn purge_expired_sessions(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now)))
        .execute(conn)
        .await
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_totp, check_for_backend(diesel::pg::Pg))]
pub struct TotpRow {
    pub user_id: Uuid,
    pub secret: Vec<u8>,
    pub last_step: Option<i64>,
    /// Wrong codes in a row (authenticator and recovery codes alike).
    pub failed_codes: i32,
    /// Set once `failed_codes` reached the lock: no code is accepted until a password reset.
    pub codes_locked_at: Option<DateTime<Utc>>,
}

/// The person's authenticator, locked for the rest of the transaction (two codes checked
/// at once must not both pass).
pub async fn totp_for_update(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Option<TotpRow>> {
    user_totp::table
        .find(user_id)
        .select(TotpRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

pub async fn has_totp(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(user_totp::table.find(user_id)))
        .get_result(conn)
        .await
}

pub async fn set_last_step(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    step: i64,
) -> QueryResult<()> {
    diesel::update(user_totp::table.find(user_id))
        .set(user_totp::last_step.eq(step))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Records the count of wrong codes in a row, and the lock when it was reached.
pub async fn set_failed_codes(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    failed: i32,
    locked_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    diesel::update(user_totp::table.find(user_id))
        .set((
            user_totp::failed_codes.eq(failed),
            user_totp::codes_locked_at.eq(locked_at),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Replaces the stored (sealed) authenticator key.
pub async fn set_secret(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    secret: &[u8],
) -> QueryResult<()> {
    diesel::update(user_totp::table.find(user_id))
        .set(user_totp::secret.eq(secret))
        .execute(conn)
        .await
        .map(|_| ())
}

/// The authenticator keys still kept in the clear (exactly `key_len` bytes, which no
/// sealed value is).
pub async fn clear_secrets(
    conn: &mut AsyncPgConnection,
    key_len: usize,
) -> QueryResult<Vec<(Uuid, Vec<u8>)>> {
    let len = i32::try_from(key_len).unwrap_or(i32::MAX);
    user_totp::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("octet_length(secret) = ")
                .bind::<diesel::sql_types::Integer, _>(len),
        )
        .select((user_totp::user_id, user_totp::secret))
        .load(conn)
        .await
}

/// Lifts a code lock and forgets the wrong codes (the address was proved again).
pub async fn unlock_codes(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<()> {
    set_failed_codes(conn, user_id, 0, None).await
}

/// Enrols an authenticator (replacing an earlier one) with its first accepted step.
pub async fn enrol(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    secret: &[u8],
    step: i64,
) -> QueryResult<()> {
    diesel::insert_into(user_totp::table)
        .values((
            user_totp::user_id.eq(user_id),
            user_totp::secret.eq(secret),
            user_totp::last_step.eq(step),
        ))
        .on_conflict(user_totp::user_id)
        .do_update()
        .set((
            user_totp::secret.eq(secret),
            user_totp::last_step.eq(step),
            user_totp::enabled_at.eq(diesel::dsl::now),
            user_totp::failed_codes.eq(0),
            user_totp::codes_locked_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Replaces the person's recovery codes with `hashes`.
pub async fn replace_recovery_codes(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    hashes: &[Vec<u8>],
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = hashes
        .iter()
        .map(|h| {
            (
                recovery_codes::id.eq(Uuid::now_v7()),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(h),
            )
        })
        .collect();
    diesel::insert_into(recovery_codes::table)
        .values(&rows)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Uses an unused recovery code of the person; `false` when there is none with this hash.
pub async fn use_recovery_code(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    hash: &[u8],
) -> QueryResult<bool> {
    diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

pub async fn unused_recovery_codes(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
        .await
}
