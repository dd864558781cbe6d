//! Queries for task series: the template and rule, its private block, and the
//! occurrences (ordinary tasks with `series_id` and `occurrence_date`).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{task_series as series, task_series_private as private, tasks};
use crate::db::tasks::{NewTaskRow, TaskRow};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = series, check_for_backend(diesel::pg::Pg))]
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
