//! Queries for task series: the template and rule, its private block, and the
//! occurrences (ordinary tasks with `series_id` and `occurrence_date`).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{
    series_events as events, series_follows as follows, task_series as series,
    task_series_private as private, tasks,
};
use crate::db::tasks::{NewTaskRow, TaskRow};
use crate::domain::follow::FollowEnd;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = series, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct SeriesRow {
    pub id: Uuid,
    pub service_unit_id: Uuid,
    pub created_by: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub area_hint: Option<String>,
    pub first_date: NaiveDate,
    pub local_time: NaiveTime,
    pub freq: String,
    pub every: i32,
    pub by_weekday: Vec<String>,
    pub occurrences: Option<i32>,
    pub until: Option<NaiveDate>,
    pub cancelled_from: Option<NaiveDate>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The rule as it stands makes no occurrence before this date (an edit changed it).
    pub rule_from: Option<NaiveDate>,
    /// Bumped by each edit of the terms a follower chose (title, category, council,
    /// weekdays, time of day); a follow made under another version gives nothing.
    pub terms_version: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = private, check_for_backend(diesel::pg::Pg))]
pub struct SeriesPrivateRow {
    pub series_id: Uuid,
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &SeriesRow) -> QueryResult<SeriesRow> {
    diesel::insert_into(series::table)
        .values(row)
        .returning(SeriesRow::as_returning())
        .get_result(conn)
        .await
}

/// Cancels the series from `from` on.
pub async fn cancel_from(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    from: NaiveDate,
) -> QueryResult<SeriesRow> {
    diesel::update(series::table.find(id))
        .set((
            series::cancelled_from.eq(from),
            series::cancelled_at.eq(diesel::dsl::now),
            series::updated_at.eq(diesel::dsl::now),
        ))
        .returning(SeriesRow::as_returning())
        .get_result(conn)
        .await
}

/// The series' open or filled occurrences that start after `now`, by date.
pub async fn upcoming(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<TaskRow>> {
    use crate::domain::task::TaskStatus;
    tasks::table
        .filter(tasks::series_id.eq(id))
        .filter(tasks::starts_at.gt(now))
        .filter(tasks::status.eq_any([TaskStatus::Open, TaskStatus::Filled]))
        .select(TaskRow::as_select())
        .order(tasks::occurrence_date)
        .load(conn)
        .await
}

pub async fn insert_private(
    conn: &mut AsyncPgConnection,
    row: &SeriesPrivateRow,
) -> QueryResult<()> {
    diesel::insert_into(private::table)
        .values(row)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Writes the template's private block, whether or not it had one.
pub async fn upsert_private(
    conn: &mut AsyncPgConnection,
    row: &SeriesPrivateRow,
) -> QueryResult<()> {
    diesel::insert_into(private::table)
        .values(row)
        .on_conflict(private::series_id)
        .do_update()
        .set((
            private::address.eq(&row.address),
            private::recipient_name.eq(&row.recipient_name),
            private::recipient_phone.eq(&row.recipient_phone),
            private::notes.eq(&row.notes),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<SeriesRow>> {
    series::table
        .find(id)
        .select(SeriesRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn private_of(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<SeriesPrivateRow>> {
    private::table
        .find(id)
        .select(SeriesPrivateRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Every series that may still make occurrences after `today`: not cancelled, or
/// cancelled from a later date.
pub async fn live(conn: &mut AsyncPgConnection, today: NaiveDate) -> QueryResult<Vec<SeriesRow>> {
    series::table
        .filter(
            series::cancelled_from
                .is_null()
                .or(series::cancelled_from.gt(today)),
        )
        .select(SeriesRow::as_select())
        .order(series::id)
        .load(conn)
        .await
}

/// The local dates the series already has an occurrence on.
pub async fn occurrence_dates(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Vec<NaiveDate>> {
    tasks::table
        .filter(tasks::series_id.eq(id))
        .select(tasks::occurrence_date.assume_not_null())
        .load(conn)
        .await
}

/// Inserts an occurrence unless the series has one on that date already (another
/// process made it): `None` then.
pub async fn insert_occurrence(
    conn: &mut AsyncPgConnection,
    row: &NewTaskRow,
) -> QueryResult<Option<TaskRow>> {
    diesel::insert_into(tasks::table)
        .values(row)
        .on_conflict_do_nothing()
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// The series' occurrences by date, `limit + 1` after `after` (a date).
pub async fn occurrences(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    after: Option<NaiveDate>,
    limit: i64,
) -> QueryResult<Vec<TaskRow>> {
    let mut query = tasks::table
        .filter(tasks::series_id.eq(id))
        .select(TaskRow::as_select())
        .order(tasks::occurrence_date.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(tasks::occurrence_date.gt(after));
    }
    query.load(conn).await
}

/// Forgets the template's private block once no occurrence keeps one and none is still
/// to come (the retention purge has taken each occurrence's block).
pub async fn purge_private_if_done(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    use crate::db::schema::task_private;
    // The retention purge empties an occurrence's block (the row stays).
    let still_held = task_private::table
        .inner_join(tasks::table)
        .filter(tasks::series_id.eq(id))
        .filter(
            task_private::address
                .is_not_null()
                .or(task_private::recipient_name.is_not_null())
                .or(task_private::recipient_phone.is_not_null())
                .or(task_private::notes.is_not_null()),
        );
    diesel::delete(private::table.filter(private::series_id.eq(id)))
        .filter(diesel::dsl::not(diesel::dsl::exists(still_held)))
        .execute(conn)
        .await
}

/// A volunteer's follow of a series, in force while `ended_at` is empty and `expires_at`
/// has not passed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = follows, check_for_backend(diesel::pg::Pg))]
pub struct FollowRow {
    pub series_id: Uuid,
    pub user_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    /// The series' `terms_version` when the volunteer followed or renewed.
    pub terms_version: i32,
}

/// Starts or renews the volunteer's follow of `series` on its terms as they stand: in
/// force from `at` until `expires_at`.
pub async fn follow(
    conn: &mut AsyncPgConnection,
    series: &SeriesRow,
    user_id: Uuid,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<FollowRow> {
    let row = FollowRow {
        series_id: series.id,
        user_id,
        started_at: at,
        expires_at,
        ended_at: None,
        end_reason: None,
        terms_version: series.terms_version,
    };
    diesel::insert_into(follows::table)
        .values(&row)
        .on_conflict((follows::series_id, follows::user_id))
        .do_update()
        .set((
            follows::started_at.eq(at),
            follows::expires_at.eq(expires_at),
            follows::ended_at.eq(None::<DateTime<Utc>>),
            follows::end_reason.eq(None::<String>),
            follows::terms_version.eq(series.terms_version),
        ))
        .returning(FollowRow::as_returning())
        .get_result(conn)
        .await
}

/// The volunteer's follow of the series, in force or ended.
pub async fn follow_of(
    conn: &mut AsyncPgConnection,
    series_id: Uuid,
    user_id: Uuid,
) -> QueryResult<Option<FollowRow>> {
    follows::table
        .find((series_id, user_id))
        .select(FollowRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The follows of the series not yet ended, oldest first (the first follower is given
/// a one-spot occurrence), locked so that an ending racing the generation waits.
pub async fn live_follows(
    conn: &mut AsyncPgConnection,
    series_id: Uuid,
) -> QueryResult<Vec<FollowRow>> {
    follows::table
        .filter(follows::series_id.eq(series_id))
        .filter(follows::ended_at.is_null())
        .select(FollowRow::as_select())
        .order(follows::started_at.asc())
        .for_update()
        .load(conn)
        .await
}

/// Ends the follows chosen by `filter` that are still in force; returns how many.
async fn end_where<F>(
    conn: &mut AsyncPgConnection,
    filter: F,
    reason: FollowEnd,
    at: DateTime<Utc>,
) -> QueryResult<usize>
where
    F: diesel::BoxableExpression<follows::table, diesel::pg::Pg, SqlType = diesel::sql_types::Bool>,
{
    diesel::update(follows::table)
        .filter(follows::ended_at.is_null())
        .filter(filter)
        .set((
            follows::ended_at.eq(at),
            follows::end_reason.eq(reason.as_str()),
        ))
        .execute(conn)
        .await
}

/// Ends one volunteer's follow of one series.
pub async fn end_follow(
    conn: &mut AsyncPgConnection,
    series_id: Uuid,
    user_id: Uuid,
    reason: FollowEnd,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    end_where(
        conn,
        Box::new(
            follows::series_id
                .eq(series_id)
                .and(follows::user_id.eq(user_id)),
        ),
        reason,
        at,
    )
    .await
}

/// Ends every follow of a person (deactivation, erasure).
pub async fn end_follows_of(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    reason: FollowEnd,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    end_where(conn, Box::new(follows::user_id.eq(user_id)), reason, at).await
}

/// Ends every follow of a series (its cancellation).
pub async fn end_follows_of_series(
    conn: &mut AsyncPgConnection,
    series_id: Uuid,
    reason: FollowEnd,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    end_where(conn, Box::new(follows::series_id.eq(series_id)), reason, at).await
}

/// Ends the follows of the series of `category` in `council` (the council opted out).
pub async fn end_follows_in(
    conn: &mut AsyncPgConnection,
    council: Uuid,
    category: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    let of_those = series::table
        .filter(series::council_id.eq(council))
        .filter(series::category_id.eq(category))
        .select(series::id);
    end_where(
        conn,
        Box::new(follows::series_id.eq_any(of_those)),
        FollowEnd::CouncilOptedOut,
        at,
    )
    .await
}

/// Ends a person's follows of series in the categories they opted out of themselves.
pub async fn end_follows_in_categories(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    categories: &[Uuid],
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    let of_those = series::table
        .filter(series::category_id.eq_any(categories.to_vec()))
        .select(series::id);
    end_where(
        conn,
        Box::new(
            follows::user_id
                .eq(user_id)
                .and(follows::series_id.eq_any(of_those)),
        ),
        FollowEnd::OptedOut,
        at,
    )
    .await
}

/// Ends the follows that ran out before `now`; returns how many.
pub async fn end_expired_follows(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(follows::table)
        .filter(follows::ended_at.is_null())
        .filter(follows::expires_at.le(now))
        .set((
            follows::ended_at.eq(follows::expires_at.nullable()),
            follows::end_reason.eq(FollowEnd::Expired.as_str()),
        ))
        .execute(conn)
        .await
}

/// A person's follows, in force or ended, newest first (their export).
pub async fn follows_of(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<FollowRow>> {
    follows::table
        .filter(follows::user_id.eq(user_id))
        .select(FollowRow::as_select())
        .order(follows::started_at.desc())
        .load(conn)
        .await
}

/// Forgets a person's follows (erasure).
pub async fn delete_follows_of(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::delete(follows::table.filter(follows::user_id.eq(user_id)))
        .execute(conn)
        .await
}

/// One entry of a series' history.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = events, check_for_backend(diesel::pg::Pg))]
pub struct SeriesEventRow {
    pub id: Uuid,
    pub series_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub fields: Vec<String>,
    pub from_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_event(conn: &mut AsyncPgConnection, row: &SeriesEventRow) -> QueryResult<()> {
    diesel::insert_into(events::table)
        .values(row)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The series' history, oldest first.
pub async fn events_of(
    conn: &mut AsyncPgConnection,
    series_id: Uuid,
) -> QueryResult<Vec<SeriesEventRow>> {
    events::table
        .filter(events::series_id.eq(series_id))
        .select(SeriesEventRow::as_select())
        .order((events::created_at.asc(), events::id.asc()))
        .load(conn)
        .await
}

pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<SeriesRow>> {
    series::table
        .find(id)
        .select(SeriesRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Writes the series' template and rule.
pub async fn update(conn: &mut AsyncPgConnection, row: &SeriesRow) -> QueryResult<SeriesRow> {
    diesel::update(series::table.find(row.id))
        .set(row)
        .returning(SeriesRow::as_returning())
        .get_result(conn)
        .await
}
