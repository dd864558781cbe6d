//! Reading tasks: one task, the filtered lists, a task's history and the digest.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::PgConn;
use crate::db::schema::{claims, service_units, task_events, tasks};
use crate::domain::task::{ClaimStatus, TaskStatus};

use super::{TaskEventRow, TaskRow};

pub async fn find(conn: &mut impl PgConn, id: Uuid) -> QueryResult<Option<TaskRow>> {
    tasks::table
        .find(id)
        .select(TaskRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The task, locked for the rest of the transaction: claims, releases and edits of one
/// task are serialised here.
pub async fn find_for_update(conn: &mut impl PgConn, id: Uuid) -> QueryResult<Option<TaskRow>> {
    tasks::table
        .find(id)
        .select(TaskRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Whether `unit` posted a task with this title and start since `since` (a second post of
/// the same form, most likely).
pub async fn posted_just_now(
    conn: &mut AsyncPgConnection,
    unit: Uuid,
    title: &str,
    starts_at: DateTime<Utc>,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tasks::table
            .filter(tasks::service_unit_id.eq(unit))
            .filter(tasks::title.eq(title))
            .filter(tasks::starts_at.eq(starts_at))
            .filter(tasks::created_at.gt(since)),
    ))
    .get_result(conn)
    .await
}

pub async fn events(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<TaskEventRow>> {
    let mut query = task_events::table
        .filter(task_events::task_id.eq(task_id))
        .select(TaskEventRow::as_select())
        .order(task_events::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(task_events::id.gt(after));
    }
    query.load(conn).await
}

/// A unit's public contact details.
pub async fn unit_contact(
    conn: &mut impl PgConn,
    unit_id: Uuid,
) -> QueryResult<(String, String, Option<String>)> {
    service_units::table
        .find(unit_id)
        .select((
            service_units::name,
            service_units::email,
            service_units::phone,
        ))
        .first(conn)
        .await
}

/// Filters of a task list, already resolved to what the caller may see.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub statuses: Vec<TaskStatus>,
    pub category_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only tasks this volunteer holds an active or completed claim on.
    pub claimed_by: Option<Uuid>,
    /// Leave out these categories (the volunteer's own opt-outs).
    pub exclude_categories: Vec<Uuid>,
    /// Only tasks starting later than this, the time of the request (the volunteer's
    /// default feed).
    pub starting_after: Option<chrono::DateTime<chrono::Utc>>,
    /// Leave out tasks whose council has opted out of their category.
    pub hide_opted_out: bool,
    /// Nothing can match (a volunteer asked only for statuses they may not see).
    pub matches_nothing: bool,
}

/// Tasks by start time, `limit + 1` rows after the cursor `(starts_at, id)`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    filter: &TaskFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<TaskRow>> {
    if filter.matches_nothing {
        return Ok(Vec::new());
    }
    let mut query = tasks::table
        .select(TaskRow::as_select())
        .order((tasks::starts_at.asc(), tasks::id.asc()))
        .limit(limit + 1)
        .into_boxed();
    // One status is compared with `=`, so the (…, status, starts_at, id) indexes give
    // the order and LIMIT stops early, also in a generic prepared plan.
    match filter.statuses.as_slice() {
        [] => {}
        [one] => query = query.filter(tasks::status.eq(*one)),
        many => query = query.filter(tasks::status.eq_any(many.to_vec())),
    }
    if let Some(c) = filter.category_id {
        query = query.filter(tasks::category_id.eq(c));
    }
    if let Some(c) = filter.council_id {
        query = query.filter(tasks::council_id.eq(c));
    }
    if let Some(u) = filter.service_unit_id {
        query = query.filter(tasks::service_unit_id.eq(u));
    }
    if let Some(from) = filter.from {
        query = query.filter(tasks::starts_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(tasks::starts_at.lt(to));
    }
    if let Some(now) = filter.starting_after {
        query = query.filter(tasks::starts_at.gt(now));
    }
    if !filter.exclude_categories.is_empty() {
        query = query.filter(tasks::category_id.ne_all(filter.exclude_categories.clone()));
    }
    if filter.hide_opted_out {
        query = query.filter(crate::db::opt_outs::task_not_opted_out());
    }
    if let Some(volunteer) = filter.claimed_by {
        let mine = claims::table
            .select(claims::task_id)
            .filter(claims::volunteer_id.eq(volunteer))
            .filter(claims::status.eq_any([ClaimStatus::Active, ClaimStatus::Completed]));
        query = query.filter(tasks::id.eq_any(mine));
    }
    if let Some((starts_at, id)) = after {
        // The `>=` is implied by the `OR`, but only it can bound an index range scan.
        query = query.filter(tasks::starts_at.ge(starts_at)).filter(
            tasks::starts_at
                .gt(starts_at)
                .or(tasks::starts_at.eq(starts_at).and(tasks::id.gt(id))),
        );
    }
    query.load(conn).await
}

/// How many tasks these people posted.
pub async fn count_created_by(conn: &mut AsyncPgConnection, people: &[Uuid]) -> QueryResult<i64> {
    tasks::table
        .filter(tasks::created_by.eq_any(people))
        .count()
        .get_result(conn)
        .await
}

/// New open tasks for one person's digest: posted in `(since, until]`, not started at
/// `until`, in their home council or municipality-wide, minus their own opted-out
/// categories, anything their council has opted out of, and tasks whose category needs a
/// qualification they hold no valid record of for the task's date in `zone`.
pub async fn digest_for(
    conn: &mut AsyncPgConnection,
    user: &crate::db::users::UserRow,
    zone: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<TaskRow>> {
    use crate::db::schema::{council_opt_outs as oo, user_category_opt_outs as uo};
    let own = uo::table
        .select(uo::category_id)
        .filter(uo::user_id.eq(user.id));
    let council_opted_out = oo::table
        .filter(oo::ended_at.is_null())
        .filter(oo::council_id.nullable().eq(tasks::council_id))
        .filter(oo::category_id.eq(tasks::category_id));
    let mut query = tasks::table
        .filter(tasks::status.eq(TaskStatus::Open))
        .filter(tasks::created_at.gt(since))
        .filter(tasks::created_at.le(until))
        .filter(tasks::starts_at.gt(until))
        .filter(tasks::category_id.ne_all(own))
        .filter(diesel::dsl::not(diesel::dsl::exists(council_opted_out)))
        .select(TaskRow::as_select())
        .order((tasks::starts_at, tasks::id))
        .limit(50)
        .into_boxed()
        .filter(crate::db::qualifications::task_qualifies(user.id, zone));
    query = match user.council_id {
        Some(c) => query.filter(tasks::council_id.eq(c).or(tasks::council_id.is_null())),
        None => query.filter(tasks::council_id.is_null()),
    };
    query.load(conn).await
}
