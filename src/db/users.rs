//! Queries for users and their own category opt-outs. The password hash is read only by
//! the functions that need it, never as part of [`UserRow`].

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{user_category_opt_outs as opt_outs, users};
use crate::domain::notification::{Channel, NotificationKind};
use crate::pagination::Page;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: String,
    pub service_unit_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub language: String,
    pub email_verified: bool,
    pub invitable: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub role: &'a str,
    pub service_unit_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub language: &'a str,
    pub email_verified: bool,
}

/// The fields a profile or admin update may change; `None` leaves a column as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub role: Option<String>,
    pub service_unit_id: Option<Option<Uuid>>,
    pub council_id: Option<Option<Uuid>>,
    pub language: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub invitable: Option<bool>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &NewUserRow<'_>) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(row)
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Locks the row for the rest of the transaction.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The account with this address in any letter case, with its password hash.
pub async fn find_by_email_with_hash(
    conn: &mut AsyncPgConnection,
    normalized_email: &str,
) -> QueryResult<Option<(UserRow, Option<String>)>> {
    users::table
        .filter(lower(users::email).eq(normalized_email))
        .select((UserRow::as_select(), users::password_hash))
        .first(conn)
        .await
        .optional()
}

pub async fn password_hash(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .select(users::password_hash)
        .first(conn)
        .await
}

pub async fn email_exists(
    conn: &mut AsyncPgConnection,
    normalized_email: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(lower(users::email).eq(normalized_email)),
    ))
    .get_result(conn)
    .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &UserChanges,
) -> QueryResult<UserRow> {
    diesel::update(users::table.find(id))
        .set((changes, users::updated_at.eq(diesel::dsl::now)))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
}

/// Records that the person used the service (for the inactivity rule of erasure).
pub async fn touch_last_active(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::last_active_at.eq(diesel::dsl::now),
            users::inactivity_warned_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Active admins other than `except`, locked so two demotions cannot race past zero.
pub async fn other_active_admins(conn: &mut AsyncPgConnection, except: Uuid) -> QueryResult<i64> {
    let ids: Vec<Uuid> = users::table
        .select(users::id)
        .filter(users::role.eq("admin"))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except))
        .for_update()
        .load(conn)
        .await?;
    Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
}

/// Users ordered by creation (ids are UUID v7), `page.limit + 1` rows.
pub async fn list(
    conn: &mut AsyncPgConnection,
    role: Option<&str>,
    page: &Page,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::id.asc())
        .limit(page.limit + 1)
        .into_boxed();
    if let Some(role) = role {
        query = query.filter(users::role.eq(role.to_owned()));
    }
    if let Some(after) = &page.after {
        query = query.filter(users::id.gt(after.id));
    }
    query.load(conn).await
}

/// Accounts whose name or address contains `q` (any case), of `role` if given, by name;
/// at most `limit`.
pub async fn search(
    conn: &mut AsyncPgConnection,
    q: &str,
    role: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let mut query = users::table
        .select(UserRow::as_select())
        .order((users::name.asc(), users::id.asc()))
        .limit(limit)
        .into_boxed();
    if !q.is_empty() {
        query = query.filter(
            users::name
                .ilike(pattern.clone())
                .or(users::email.ilike(pattern)),
        );
    }
    if let Some(role) = role {
        query = query.filter(users::role.eq(role.to_owned()));
    }
    query.load(conn).await
}

pub async fn category_opt_outs(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<Uuid>> {
    opt_outs::table
        .select(opt_outs::category_id)
        .filter(opt_outs::user_id.eq(user_id))
        .order(opt_outs::category_id)
        .load(conn)
        .await
}

/// Replaces the person's category opt-outs with `categories`.
pub async fn set_category_opt_outs(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    categories: &[Uuid],
) -> QueryResult<()> {
    diesel::delete(opt_outs::table.filter(opt_outs::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = categories
        .iter()
        .map(|c| (opt_outs::user_id.eq(user_id), opt_outs::category_id.eq(*c)))
        .collect();
    diesel::insert_into(opt_outs::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|_| ())
}

/// People whose daily digest is due at `now`: they asked for it, and the last one is a day
/// old (or there was none).
pub async fn digest_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(UserRow, Option<DateTime<Utc>>)>> {
    users::table
        .filter(crate::db::preferences::wants(
            NotificationKind::NewTasksDigest,
            Channel::Email,
        ))
        .filter(users::active.eq(true))
        .filter(users::email_verified.eq(true))
        .filter(users::role.eq_any(["volunteer", "coordinator"]))
        .filter(
            users::last_digest_at
                .is_null()
                .or(users::last_digest_at.le(now - chrono::Duration::hours(24))),
        )
        .select((UserRow::as_select(), users::last_digest_at))
        .load(conn)
        .await
}

/// Moves the digest mark from `previous` to `now`; `false` if another process moved it first.
pub async fn take_digest(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    previous: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let target = users::table.filter(users::id.eq(id));
    let updated = match previous {
        Some(p) => {
            diesel::update(target.filter(users::last_digest_at.eq(p)))
                .set(users::last_digest_at.eq(now))
                .execute(conn)
                .await?
        }
        None => {
            diesel::update(target.filter(users::last_digest_at.is_null()))
                .set(users::last_digest_at.eq(now))
                .execute(conn)
                .await?
        }
    };
    Ok(updated == 1)
}

/// Anonymises a person's row in place: claims and report totals keep pointing at it, but
/// nothing in it names anyone any more. Their own side tables of this module are deleted
/// (erasure deletes the others: devices, watches, preferences).
pub async fn anonymise(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    use crate::db::schema::{email_tokens, idempotency_keys, invitations, outbox, refresh_tokens};
    diesel::delete(opt_outs::table.filter(opt_outs::user_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::user_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(email_tokens::table.filter(email_tokens::user_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::user_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(invitations::table.filter(invitations::volunteer_id.eq(id)))
        .execute(conn)
        .await?;
    // What was written for them by every channel goes; devices go too.
    diesel::delete(outbox::table.filter(outbox::user_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(format!("erased-{}@erased.invalid", id.simple())),
            users::name.eq("Slettet bruker"),
            users::phone.eq(None::<String>),
            users::password_hash.eq(None::<String>),
            users::council_id.eq(None::<Uuid>),
            users::active.eq(false),
            users::email_verified.eq(false),
            users::invitable.eq(false),
            users::erased_at.eq(diesel::dsl::now),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Accounts unused since `before` that were not warned yet.
pub async fn inactive_unwarned(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::erased_at.is_null())
        .filter(users::last_active_at.lt(before))
        .filter(users::inactivity_warned_at.is_null())
        .select(UserRow::as_select())
        .load(conn)
        .await
}

/// Accounts warned before `warned_before` and still unused since the warning.
pub async fn inactive_warned(
    conn: &mut AsyncPgConnection,
    warned_before: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    users::table
        .filter(users::erased_at.is_null())
        .filter(users::inactivity_warned_at.le(warned_before))
        .filter(users::last_active_at.lt(users::inactivity_warned_at.assume_not_null()))
        .select(users::id)
        .load(conn)
        .await
}

pub async fn mark_warned(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::inactivity_warned_at.eq(at))
        .execute(conn)
        .await
        .map(|_| ())
}

#[cfg(test)]
impl UserRow {
    /// An active, verified volunteer with every default preference, for unit tests.
    pub fn example() -> Self {
        let now = chrono::Utc::now();
        Self {
            id: Uuid::now_v7(),
            email: "kari@example.no".into(),
            name: "Kari".into(),
            phone: None,
            role: "volunteer".into(),
            service_unit_id: None,
            council_id: None,
            language: "nb".into(),
            email_verified: true,
            invitable: false,
            active: true,
            created_at: now,
            updated_at: now,
        }
    }
}
