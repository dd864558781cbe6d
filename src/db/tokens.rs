//! Queries for refresh tokens and single-use email tokens (both stored hashed).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{email_tokens, login_unlocks, refresh_tokens, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RefreshTokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The family's login proved a second-factor code.
    pub code_proved: bool,
}

pub async fn insert_refresh(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
    code_proved: bool,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::now_v7()),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(expires_at),
            refresh_tokens::code_proved.eq(code_proved),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks a token live at `now` used, atomically: of two concurrent uses only one gets the
/// row.
pub async fn use_refresh(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<RefreshTokenRow>> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null())
            .filter(refresh_tokens::expires_at.gt(now)),
    )
    .set(refresh_tokens::used_at.eq(now))
    .returning(RefreshTokenRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

pub async fn find_refresh(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn revoke_family(conn: &mut AsyncPgConnection, family_id: Uuid) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
}

/// Revokes every refresh token of the person and ends their console sessions: what a
/// password change, a new address and a deactivation all must do.
pub async fn revoke_all_for_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<usize> {
    crate::db::console::delete_sessions_of(conn, user_id).await?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_tokens, check_for_backend(diesel::pg::Pg))]
pub struct EmailTokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: String,
    pub email: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub claim_id: Option<Uuid>,
    pub email_kind: Option<String>,
}

/// A single-use link token as stored: the purpose says what it is for; a verify token may
/// name the address it confirms, a release token the claim, an unsubscribe token the kind.
#[derive(Debug, Insertable)]
#[diesel(table_name = email_tokens)]
pub struct NewEmailToken<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: &'a str,
    pub token_hash: &'a [u8],
    pub email: Option<&'a str>,
    pub claim_id: Option<Uuid>,
    pub email_kind: Option<&'a str>,
    pub expires_at: DateTime<Utc>,
}

impl<'a> NewEmailToken<'a> {
    pub fn new(
        user_id: Uuid,
        purpose: &'a str,
        token_hash: &'a [u8],
        expires_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            user_id,
            purpose,
            token_hash,
            email: None,
            claim_id: None,
            email_kind: None,
            expires_at,
        }
    }
}

pub async fn insert_email_token(
    conn: &mut impl crate::db::PgConn,
    token: &NewEmailToken<'_>,
) -> QueryResult<()> {
    diesel::insert_into(email_tokens::table)
        .values(token)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Retires the user's unused tokens of the row's purpose and stores the new one: a new
/// link supersedes the ones sent before.
pub async fn replace_email_token(
    conn: &mut AsyncPgConnection,
    token: &NewEmailToken<'_>,
) -> QueryResult<()> {
    retire_email_tokens(conn, token.user_id, token.purpose).await?;
    insert_email_token(conn, token).await
}

/// Consumes a token of one of `purposes` live at `now`, atomically (single use even under
/// races).
pub async fn use_email_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
    purposes: &[&str],
    now: DateTime<Utc>,
) -> QueryResult<Option<EmailTokenRow>> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::token_hash.eq(token_hash))
            .filter(email_tokens::purpose.eq_any(purposes))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now)),
    )
    .set(email_tokens::used_at.eq(now))
    .returning(EmailTokenRow::as_returning())
    .get_result(conn)
    .await
    .optional()
}

/// A token of one of `purposes` live at `now`, without consuming it.
pub async fn find_live_email_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
    purposes: &[&str],
    now: DateTime<Utc>,
) -> QueryResult<Option<EmailTokenRow>> {
    email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .filter(email_tokens::purpose.eq_any(purposes))
        .filter(email_tokens::used_at.is_null())
        .filter(email_tokens::expires_at.gt(now))
        .select(EmailTokenRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Retires a user's unused tokens of `purpose` (a new one supersedes them).
pub async fn retire_email_tokens(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    purpose: &str,
) -> QueryResult<usize> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
}

/// Whether the account was sent an unlock link after `since`. The account's row is
/// locked first, so of parallel right passwords one sends a link and the rest see it.
pub async fn login_unlock_asked_since(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    users::table
        .find(user_id)
        .select(users::id)
        .for_update()
        .first::<Uuid>(conn)
        .await?;
    diesel::select(diesel::dsl::exists(
        login_unlocks::table
            .filter(login_unlocks::user_id.eq(user_id))
            .filter(login_unlocks::asked_at.gt(since)),
    ))
    .get_result(conn)
    .await
}

/// Records the unlock link `token_id`, sent for `network` (hashed).
pub async fn insert_login_unlock(
    conn: &mut AsyncPgConnection,
    token_id: Uuid,
    user_id: Uuid,
    network: &[u8],
) -> QueryResult<()> {
    diesel::insert_into(login_unlocks::table)
        .values((
            login_unlocks::token_id.eq(token_id),
            login_unlocks::user_id.eq(user_id),
            login_unlocks::network.eq(network),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Unlocks the network of the link `token_id` was sent for, until `until`.
pub async fn unlock_login(
    conn: &mut AsyncPgConnection,
    token_id: Uuid,
    until: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(login_unlocks::table.find(token_id))
        .set(login_unlocks::unlocked_until.eq(until))
        .execute(conn)
        .await
        .map(|n| n == 1)
}

/// Whether the owner unlocked `network` for the account and the unlock holds at `now`.
pub async fn login_unlocked(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    network: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        login_unlocks::table
            .filter(login_unlocks::user_id.eq(user_id))
            .filter(login_unlocks::network.eq(network))
            .filter(login_unlocks::unlocked_until.gt(now)),
    ))
    .get_result(conn)
    .await
}

/// Forgets unlock links asked for before `before` (their unlocks have long run out).
pub async fn forget_login_unlocks(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::delete(login_unlocks::table.filter(login_unlocks::asked_at.lt(before)))
        .execute(conn)
        .await
}
