//! Queries for the devices people registered for push notifications. A token is unique:
//! registering it again, by anyone, moves it to the new owner.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::devices;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = devices, check_for_backend(diesel::pg::Pg))]
pub struct DeviceRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub token: String,
    pub platform: String,
    pub app_version: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The most devices one person keeps; registering one more forgets the least recently
/// registered.
pub const MAX_PER_USER: i64 = 20;

/// Registers `row.token` for `row.user_id`: a new device, or the person's own row with
/// that token renewed (its id kept). A token another person registered before becomes a
/// new device with a new id — the old row and its pushes go — so a device id says nothing
/// about who held the token. Beyond [`MAX_PER_USER`] the oldest devices are forgotten.
pub async fn register(conn: &mut AsyncPgConnection, row: &DeviceRow) -> QueryResult<DeviceRow> {
    let existing = devices::table
        .filter(devices::token.eq(&row.token))
        .select(DeviceRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if let Some(old) = &existing
        && old.user_id != row.user_id
    {
        diesel::delete(devices::table.find(old.id))
            .execute(conn)
            .await?;
    }
    let saved = diesel::insert_into(devices::table)
        .values(row)
        .on_conflict(devices::token)
        .do_update()
        .set((
            devices::user_id.eq(row.user_id),
            devices::platform.eq(&row.platform),
            devices::app_version.eq(&row.app_version),
            devices::updated_at.eq(row.updated_at),
        ))
        .returning(DeviceRow::as_returning())
        .get_result(conn)
        .await?;
    let kept = devices::table
        .filter(devices::user_id.eq(row.user_id))
        .select(devices::id)
        .order((devices::updated_at.desc(), devices::id.desc()))
        .limit(MAX_PER_USER)
        .load::<Uuid>(conn)
        .await?;
    diesel::delete(
        devices::table
            .filter(devices::user_id.eq(row.user_id))
            .filter(devices::id.ne_all(kept)),
    )
    .execute(conn)
    .await?;
    Ok(saved)
}

/// A person's devices, oldest first.
pub async fn of_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<DeviceRow>> {
    devices::table
        .filter(devices::user_id.eq(user_id))
        .select(DeviceRow::as_select())
        .order(devices::id)
        .load(conn)
        .await
}

/// The devices of these people.
pub async fn of_users(
    conn: &mut impl crate::db::PgConn,
    user_ids: &[Uuid],
) -> QueryResult<Vec<DeviceRow>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    devices::table
        .filter(devices::user_id.eq_any(user_ids))
        .select(DeviceRow::as_select())
        .order(devices::id)
        .load(conn)
        .await
}

/// The tokens of these devices, by device id (a device deleted meanwhile is absent).
pub async fn tokens(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<std::collections::HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = devices::table
        .filter(devices::id.eq_any(ids))
        .select((devices::id, devices::token))
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Forgets one of the person's devices; false when they have none with that id.
pub async fn delete_of_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    id: Uuid,
) -> QueryResult<bool> {
    diesel::delete(
        devices::table
            .filter(devices::id.eq(id))
            .filter(devices::user_id.eq(user_id)),
    )
    .execute(conn)
    .await
    .map(|n| n > 0)
}

/// Forgets the person's device with this token (a logout from it).
pub async fn delete_token_of_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    token: &str,
) -> QueryResult<usize> {
    diesel::delete(
        devices::table
            .filter(devices::token.eq(token))
            .filter(devices::user_id.eq(user_id)),
    )
    .execute(conn)
    .await
}

/// Forgets every device of the person (deactivation, erasure); their pushes go with them.
pub async fn delete_all_of_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::delete(devices::table.filter(devices::user_id.eq(user_id)))
        .execute(conn)
        .await
}

/// Forgets a device FCM no longer knows (its pushes go with it).
pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(devices::table.find(id)).execute(conn).await
}
