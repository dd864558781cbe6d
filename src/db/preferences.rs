//! Queries for a person's notification preferences: one row per (person, kind, channel)
//! that differs from the default, which is the code's
//! ([`NotificationKind::preference`](crate::domain::notification::NotificationKind::preference)).

use chrono::{DateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{notification_preferences as prefs, users};
use crate::domain::notification::{Channel, NotificationKind, Preference};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = prefs, check_for_backend(diesel::pg::Pg))]
pub struct PreferenceRow {
    pub user_id: Uuid,
    pub kind: String,
    pub channel: String,
    pub enabled: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = prefs)]
struct NewPreference<'a> {
    user_id: Uuid,
    kind: &'a str,
    channel: &'a str,
    enabled: bool,
}

/// The choices of these people, in one query.
pub async fn of_users(
    conn: &mut impl crate::db::PgConn,
    ids: &[Uuid],
) -> QueryResult<Vec<PreferenceRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    prefs::table
        .filter(prefs::user_id.eq_any(ids))
        .select(PreferenceRow::as_select())
        .load(conn)
        .await
}

/// Records `choices` of one person, in one statement; a choice made before is replaced.
pub async fn set(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    choices: &[(NotificationKind, Channel, bool)],
) -> QueryResult<()> {
    if choices.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewPreference<'_>> = choices
        .iter()
        .map(|(kind, channel, enabled)| NewPreference {
            user_id,
            kind: kind.as_str(),
            channel: channel.as_str(),
            enabled: *enabled,
        })
        .collect();
    diesel::insert_into(prefs::table)
        .values(&rows)
        .on_conflict((prefs::user_id, prefs::kind, prefs::channel))
        .do_update()
        .set((
            prefs::enabled.eq(diesel::upsert::excluded(prefs::enabled)),
            prefs::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn delete_of_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::delete(prefs::table.filter(prefs::user_id.eq(user_id)))
        .execute(conn)
        .await
}

/// A condition on `users`: the person wants `kind` by `channel` — by the row they chose,
/// or by the default when they chose nothing.
pub fn wants(
    kind: NotificationKind,
    channel: Channel,
) -> Box<dyn BoxableExpression<users::table, Pg, SqlType = Bool>> {
    let chose = |enabled: bool| {
        exists(
            prefs::table
                .filter(prefs::user_id.eq(users::id))
                .filter(prefs::kind.eq(kind.as_str()))
                .filter(prefs::channel.eq(channel.as_str()))
                .filter(prefs::enabled.eq(enabled)),
        )
    };
    match kind.preference(channel) {
        Preference::Always => Box::new(true.into_sql::<Bool>()),
        Preference::Never => Box::new(false.into_sql::<Bool>()),
        Preference::Optional { default: true } => Box::new(not(chose(false))),
        Preference::Optional { default: false } => Box::new(chose(true)),
    }
}
