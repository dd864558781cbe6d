//! Queries for watching full tasks and for the spots that open on them: who watches
//! (nobody else reads it), the openings waiting for the job, and who hears of one.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::{
    claims, spot_openings, task_watches, tasks, user_category_opt_outs, users,
};
use crate::db::tasks::TaskRow;
use crate::db::users::UserRow;
use crate::domain::notification::{Channel, NotificationKind};
use crate::domain::task::ClaimStatus;

/// Starts watching. Returns whether the watch is new and since when it stands (an
/// existing watch keeps its first time).
pub async fn watch(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<(bool, DateTime<Utc>)> {
    let new = diesel::insert_into(task_watches::table)
        .values((
            task_watches::task_id.eq(task_id),
            task_watches::user_id.eq(user_id),
            task_watches::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?
        > 0;
    let since = task_watches::table
        .find((task_id, user_id))
        .select(task_watches::created_at)
        .first(conn)
        .await?;
    Ok((new, since))
}

/// Stops watching; false when the person did not watch it.
pub async fn unwatch(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
    user_id: Uuid,
) -> QueryResult<bool> {
    diesel::delete(
        task_watches::table
            .filter(task_watches::task_id.eq(task_id))
            .filter(task_watches::user_id.eq(user_id)),
    )
    .execute(conn)
    .await
    .map(|n| n > 0)
}

/// The person's watches of tasks that have not started, soonest first, with the tasks.
pub async fn of_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(DateTime<Utc>, TaskRow)>> {
    task_watches::table
        .inner_join(tasks::table)
        .filter(task_watches::user_id.eq(user_id))
        .filter(tasks::starts_at.gt(now))
        .select((task_watches::created_at, TaskRow::as_select()))
        .order((tasks::starts_at.asc(), tasks::id.asc()))
        .load(conn)
        .await
}

/// Every watch the person holds, for their export.
pub async fn all_of_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> QueryResult<Vec<(Uuid, DateTime<Utc>)>> {
    task_watches::table
        .filter(task_watches::user_id.eq(user_id))
        .select((task_watches::task_id, task_watches::created_at))
        .order(task_watches::created_at)
        .load(conn)
        .await
}

/// Forgets the person's watches (erasure).
pub async fn delete_of_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::delete(task_watches::table.filter(task_watches::user_id.eq(user_id)))
        .execute(conn)
        .await
}

/// Ends the watches of tasks that have started.
pub async fn end_started(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(
        task_watches::table.filter(
            task_watches::task_id.eq_any(
                tasks::table
                    .filter(tasks::starts_at.le(now))
                    .select(tasks::id),
            ),
        ),
    )
    .execute(conn)
    .await
}

/// Notes that a spot opened on `task_id` because `leaver` left (or because spots were
/// raised, with no one to leave out); the job broadcasts it.
pub async fn record_opening(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
    leaver: Option<Uuid>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let leavers: Vec<Uuid> = leaver.into_iter().collect();
    diesel::insert_into(spot_openings::table)
        .values((
            spot_openings::task_id.eq(task_id),
            spot_openings::pending_since.eq(now),
            spot_openings::leavers.eq(&leavers),
        ))
        .on_conflict(spot_openings::task_id)
        .do_update()
        .set((
            spot_openings::pending_since.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >(
                "coalesce(spot_openings.pending_since, excluded.pending_since)",
            )),
            spot_openings::leavers.eq(diesel::dsl::sql::<
                diesel::sql_types::Array<diesel::sql_types::Uuid>,
            >("spot_openings.leavers || excluded.leavers")),
        ))
        .execute(conn)
        .await
        .map(|_| ())
}

/// One opening waiting for its broadcast.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = spot_openings, check_for_backend(diesel::pg::Pg))]
pub struct OpeningRow {
    pub task_id: Uuid,
    pub pending_since: Option<DateTime<Utc>>,
    pub leavers: Vec<Uuid>,
    pub last_broadcast_at: Option<DateTime<Utc>>,
}

/// The openings waiting for a broadcast, locked (another process skips them).
pub async fn pending(conn: &mut AsyncPgConnection) -> QueryResult<Vec<OpeningRow>> {
    spot_openings::table
        .filter(spot_openings::pending_since.is_not_null())
        .select(OpeningRow::as_select())
        .order(spot_openings::pending_since)
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

/// The opening is dealt with: broadcast at `broadcast_at`, or dropped (`None`).
pub async fn settle(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
    broadcast_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let empty: Vec<Uuid> = Vec::new();
    let query = diesel::update(spot_openings::table.find(task_id));
    match broadcast_at {
        Some(at) => {
            query
                .set((
                    spot_openings::pending_since.eq(None::<DateTime<Utc>>),
                    spot_openings::leavers.eq(&empty),
                    spot_openings::last_broadcast_at.eq(at),
                ))
                .execute(conn)
                .await
        }
        None => {
            query
                .set((
                    spot_openings::pending_since.eq(None::<DateTime<Utc>>),
                    spot_openings::leavers.eq(&empty),
                ))
                .execute(conn)
                .await
        }
    }
    .map(|_| ())
}

/// Who hears that a spot opened on `task`: its watchers and, when `near` (within 72 hours
/// of the start), the volunteers who asked for spots in the task's council (any council
/// for a municipality-wide task). Never one of `leavers`, never a holder of the task, never
/// someone who opted out of its category or lacks a qualification it requires on its
/// local start date `on`.
pub async fn recipients(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    on: NaiveDate,
    leavers: &[Uuid],
    near: bool,
) -> QueryResult<Vec<(UserRow, bool)>> {
    let watching = exists(
        task_watches::table
            .filter(task_watches::task_id.eq(task.id))
            .filter(task_watches::user_id.eq(users::id)),
    );
    let asked = crate::db::preferences::wants(NotificationKind::SpotOpened, Channel::Email).or(
        crate::db::preferences::wants(NotificationKind::SpotOpened, Channel::Fcm),
    );
    let mut query = users::table
        .filter(users::active.eq(true))
        .filter(users::email_verified.eq(true))
        .filter(users::role.eq_any(["volunteer", "coordinator"]))
        .filter(not(users::id.eq_any(leavers.to_vec())))
        .filter(not(exists(
            claims::table
                .filter(claims::task_id.eq(task.id))
                .filter(claims::volunteer_id.eq(users::id))
                .filter(claims::status.eq(ClaimStatus::Active)),
        )))
        .filter(not(exists(
            user_category_opt_outs::table
                .filter(user_category_opt_outs::user_id.eq(users::id))
                .filter(user_category_opt_outs::category_id.eq(task.category_id)),
        )))
        .filter(crate::db::qualifications::user_qualifies(
            task.category_id,
            on,
        ))
        .into_boxed();
    query = match (near, task.council_id) {
        (false, _) => query.filter(watching),
        (true, Some(council)) => {
            query.filter(watching.or(asked.and(users::council_id.eq(council))))
        }
        (true, None) => query.filter(watching.or(asked)),
    };
    query
        .select((UserRow::as_select(), watching))
        .order(users::id)
        .load(conn)
        .await
}
