//! Queries for tasks, their private blocks, claims and events.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::PgConn;
use crate::db::schema::{
    category_qualifications, claims, qualifications, service_units, task_events, task_private,
    tasks, users,
};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::{ClaimStatus, EventKind, TaskStatus};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tasks, check_for_backend(diesel::pg::Pg))]
pub struct TaskRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Uuid,
    pub created_by: Option<Uuid>,
    pub status: TaskStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub active_claims: i32,
    pub area_hint: Option<String>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The series this task is an occurrence of, and its local date in it.
    pub series_id: Option<Uuid>,
    pub occurrence_date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tasks)]
pub struct NewTaskRow {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Uuid,
    pub created_by: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i32>,
    pub spots: i32,
    pub area_hint: Option<String>,
    pub series_id: Option<Uuid>,
    pub occurrence_date: Option<chrono::NaiveDate>,
}

/// Changes to a task's public fields; `None` leaves a column as it is.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = tasks)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    pub council_id: Option<Option<Uuid>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub duration_minutes: Option<Option<i32>>,
    pub spots: Option<i32>,
    pub area_hint: Option<Option<String>>,
    pub status: Option<TaskStatus>,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = task_private, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct TaskPrivateRow {
    pub task_id: Uuid,
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claims, check_for_backend(diesel::pg::Pg))]
pub struct ClaimRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub volunteer_id: Uuid,
    pub status: ClaimStatus,
    pub claimed_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub minutes: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = task_events, check_for_backend(diesel::pg::Pg))]
pub struct TaskEventRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub kind: EventKind,
    pub fields: Vec<Option<String>>,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &NewTaskRow) -> QueryResult<TaskRow> {
    diesel::insert_into(tasks::table)
        .values(row)
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
}

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

/// A task locked for a claim, with what the claim needs to know of its surroundings.
#[derive(Debug, Clone)]
pub struct ClaimTarget {
    pub task: TaskRow,
    pub unit_name: String,
    pub unit_email: String,
    pub unit_phone: Option<String>,
    /// The task's council has opted out of its category.
    pub council_opted_out: bool,
    /// What the task's category requires (of active qualification types).
    pub required_qualifications: Vec<Uuid>,
}

/// The task, the unit's name, email and phone, whether the council has not opted out,
/// and the category's requirements.
type ClaimTargetRow = (
    TaskRow,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Vec<Uuid>,
);

/// The task, locked for the rest of the transaction, with its unit's contact and whether
/// its council has opted out of its category: one statement. Only the task row is
/// locked (the unit and the opt-outs are read in subqueries), so claims on different
/// tasks of one unit do not wait for each other.
pub async fn lock_for_claim(conn: &mut impl PgConn, id: Uuid) -> QueryResult<Option<ClaimTarget>> {
    let unit = || service_units::table.filter(service_units::id.eq(tasks::service_unit_id));
    let found: Option<ClaimTargetRow> = tasks::table
        .find(id)
        .select((
            TaskRow::as_select(),
            unit().select(service_units::name).single_value(),
            unit().select(service_units::email).single_value(),
            unit().select(service_units::phone).single_value(),
            crate::db::opt_outs::task_not_opted_out(),
            // Written with diesel's `array`, not as an SQL string: a string makes diesel
            // prepare the whole statement afresh on every claim.
            diesel::dsl::array(
                category_qualifications::table
                    .inner_join(qualifications::table)
                    .filter(qualifications::active)
                    .filter(category_qualifications::category_id.eq(tasks::category_id))
                    .select(category_qualifications::qualification_id)
                    .order(category_qualifications::qualification_id),
            ),
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    Ok(found.map(
        |(task, name, email, phone, not_opted_out, required)| ClaimTarget {
            task,
            unit_name: name.unwrap_or_default(),
            unit_email: email.unwrap_or_default(),
            unit_phone: phone,
            council_opted_out: !not_opted_out,
            required_qualifications: required,
        },
    ))
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

/// Inserts several events of one task in one statement.
pub async fn insert_events(
    conn: &mut impl PgConn,
    task_id: Uuid,
    events: &[(Option<Uuid>, EventKind)],
) -> QueryResult<()> {
    let rows: Vec<_> = events
        .iter()
        .map(|(actor, kind)| {
            (
                task_events::id.eq(Uuid::now_v7()),
                task_events::task_id.eq(task_id),
                task_events::actor_id.eq(*actor),
                task_events::kind.eq(*kind),
            )
        })
        .collect();
    crate::db::insert_prepared!(conn, task_events::table, &rows[..]).map(|_| ())
}

/// Applies `changes` and bumps the version.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &TaskChanges,
) -> QueryResult<TaskRow> {
    diesel::update(tasks::table.find(id))
        .set((
            changes,
            tasks::version.eq(tasks::version + 1),
            tasks::updated_at.eq(diesel::dsl::now),
        ))
        .returning(TaskRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn private_of(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
) -> QueryResult<Option<TaskPrivateRow>> {
    task_private::table
        .find(task_id)
        .select(TaskPrivateRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn private_of_many(
    conn: &mut AsyncPgConnection,
    task_ids: &[Uuid],
) -> QueryResult<Vec<TaskPrivateRow>> {
    task_private::table
        .filter(task_private::task_id.eq_any(task_ids))
        .select(TaskPrivateRow::as_select())
        .load(conn)
        .await
}

pub async fn upsert_private(conn: &mut AsyncPgConnection, row: &TaskPrivateRow) -> QueryResult<()> {
    diesel::insert_into(task_private::table)
        .values(row)
        .on_conflict(task_private::task_id)
        .do_update()
        .set(row)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Tasks with a private block that still holds something and that ended — or were
/// cancelled, expired or withdrawn — before `ended_before`.
pub async fn private_due_for_purge(
    conn: &mut AsyncPgConnection,
    ended_before: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    use diesel::sql_types::{Array, Text, Timestamptz};
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        task_id: Uuid,
    }
    let stopped = [
        TaskStatus::Cancelled,
        TaskStatus::Expired,
        TaskStatus::Withdrawn,
    ];
    let rows: Vec<Due> = diesel::sql_query(
        "SELECT p.task_id
           FROM task_private p JOIN tasks t ON t.id = p.task_id
          WHERE (p.address IS NOT NULL OR p.recipient_name IS NOT NULL OR p.recipient_phone IS NOT NULL OR p.notes IS NOT NULL)
            AND CASE WHEN t.status = ANY($2) THEN t.updated_at
                     ELSE task_effective_end(t.starts_at, t.ends_at, t.duration_minutes)
                END <= $1
          ORDER BY p.task_id",
    )
    .bind::<Timestamptz, _>(ended_before)
    .bind::<Array<Text>, _>(&stopped[..])
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.task_id).collect())
}

/// Empties the private blocks of these tasks and records a `private_purged` event (no
/// values) on each: two statements whatever the number of tasks. Returns the blocks emptied.
pub async fn purge_private(conn: &mut AsyncPgConnection, task_ids: &[Uuid]) -> QueryResult<usize> {
    use diesel::sql_types::{Array, Uuid as SqlUuid};
    let event_ids: Vec<Uuid> = task_ids.iter().map(|_| Uuid::now_v7()).collect();
    diesel::sql_query(
        "WITH batch AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS b (task_id, event_id)), \
              purged AS (UPDATE task_private p \
                            SET address = NULL, recipient_name = NULL, recipient_phone = NULL, notes = NULL \
                           FROM batch WHERE p.task_id = batch.task_id \
                         RETURNING p.task_id, batch.event_id) \
         INSERT INTO task_events (id, task_id, actor_id, kind, fields) \
         SELECT event_id, task_id, NULL, $3, '{}' FROM purged",
    )
    .bind::<Array<SqlUuid>, _>(task_ids)
    .bind::<Array<SqlUuid>, _>(&event_ids)
    .bind::<diesel::sql_types::Text, _>(EventKind::PrivatePurged)
    .execute(conn)
    .await
}

pub async fn insert_event(
    conn: &mut impl PgConn,
    task_id: Uuid,
    actor_id: Option<Uuid>,
    kind: EventKind,
    fields: &[&str],
) -> QueryResult<()> {
    let fields: Vec<Option<String>> = fields.iter().map(|f| Some((*f).to_owned())).collect();
    diesel::insert_into(task_events::table)
        .values((
            task_events::id.eq(Uuid::now_v7()),
            task_events::task_id.eq(task_id),
            task_events::actor_id.eq(actor_id),
            task_events::kind.eq(kind),
            task_events::fields.eq(fields),
        ))
        .execute(conn)
        .await
        .map(|_| ())
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

pub async fn insert_claim(
    conn: &mut impl PgConn,
    task_id: TaskId,
    volunteer_id: UserId,
) -> QueryResult<ClaimRow> {
    diesel::insert_into(claims::table)
        .values((
            claims::id.eq(Uuid::now_v7()),
            claims::task_id.eq(task_id),
            claims::volunteer_id.eq(volunteer_id),
        ))
        .returning(ClaimRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn active_claim(
    conn: &mut AsyncPgConnection,
    task_id: TaskId,
    volunteer_id: UserId,
) -> QueryResult<Option<ClaimRow>> {
    claims::table
        .filter(claims::task_id.eq(task_id))
        .filter(claims::volunteer_id.eq(volunteer_id))
        .filter(claims::status.eq(ClaimStatus::Active))
        .select(ClaimRow::as_select())
        .first(conn)
        .await
        .optional()
}

pub async fn active_claims_of_task(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
) -> QueryResult<Vec<ClaimRow>> {
    claims::table
        .filter(claims::task_id.eq(task_id))
        .filter(claims::status.eq(ClaimStatus::Active))
        .select(ClaimRow::as_select())
        .order(claims::id)
        .load(conn)
        .await
}

/// The volunteer's active claims, with their tasks: the claim checks use them both to see
/// whether this task is already held and whether another overlaps it.
pub async fn active_claims_with_tasks(
    conn: &mut impl PgConn,
    volunteer_id: Uuid,
) -> QueryResult<Vec<(ClaimRow, TaskRow)>> {
    claims::table
        .inner_join(tasks::table)
        .filter(claims::volunteer_id.eq(volunteer_id))
        .filter(claims::status.eq(ClaimStatus::Active))
        .select((ClaimRow::as_select(), TaskRow::as_select()))
        .load(conn)
        .await
}

pub async fn release_claim(conn: &mut AsyncPgConnection, claim_id: Uuid) -> QueryResult<ClaimRow> {
    diesel::update(claims::table.find(claim_id))
        .set((
            claims::status.eq(ClaimStatus::Released),
            claims::released_at.eq(diesel::dsl::now),
        ))
        .returning(ClaimRow::as_returning())
        .get_result(conn)
        .await
}

/// Voids one claim (a revoked qualification): it counts no more, and the spot reopens.
pub async fn void_claim(conn: &mut AsyncPgConnection, claim_id: Uuid) -> QueryResult<ClaimRow> {
    diesel::update(claims::table.find(claim_id))
        .set(claims::status.eq(ClaimStatus::Voided))
        .returning(ClaimRow::as_returning())
        .get_result(conn)
        .await
}

pub async fn void_active_claims(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
) -> QueryResult<Vec<ClaimRow>> {
    diesel::update(
        claims::table
            .filter(claims::task_id.eq(task_id))
            .filter(claims::status.eq(ClaimStatus::Active)),
    )
    .set(claims::status.eq(ClaimStatus::Voided))
    .returning(ClaimRow::as_returning())
    .get_results(conn)
    .await
}

pub async fn complete_claim(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    minutes: i32,
) -> QueryResult<ClaimRow> {
    diesel::update(claims::table.find(claim_id))
        .set((
            claims::status.eq(ClaimStatus::Completed),
            claims::completed_at.eq(diesel::dsl::now),
            claims::minutes.eq(minutes),
        ))
        .returning(ClaimRow::as_returning())
        .get_result(conn)
        .await
}

/// The caller's most relevant claim per task (active first, else the latest).
pub async fn my_claims_on(
    conn: &mut AsyncPgConnection,
    volunteer_id: Uuid,
    task_ids: &[Uuid],
) -> QueryResult<Vec<ClaimRow>> {
    claims::table
        .filter(claims::volunteer_id.eq(volunteer_id))
        .filter(claims::task_id.eq_any(task_ids))
        .select(ClaimRow::as_select())
        .order((claims::task_id, claims::id.desc()))
        .load(conn)
        .await
}

/// Who holds or did the task — active and completed claims — with their contact details,
/// for the task's unit. Released and voided claims are never listed: the unit sees that a
/// spot was given back and when, never by whom (principle 2).
pub async fn claims_with_volunteers(
    conn: &mut AsyncPgConnection,
    task_id: Uuid,
) -> QueryResult<Vec<(ClaimRow, String, String, Option<String>)>> {
    claims::table
        .inner_join(users::table)
        .filter(claims::task_id.eq(task_id))
        .filter(claims::status.eq_any([ClaimStatus::Active, ClaimStatus::Completed]))
        .select((
            ClaimRow::as_select(),
            users::name,
            users::email,
            users::phone,
        ))
        .order(claims::id)
        .load(conn)
        .await
}

/// The caller's claims, newest first, with their tasks; `limit + 1` rows.
pub async fn claims_of_volunteer(
    conn: &mut AsyncPgConnection,
    volunteer_id: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<(ClaimRow, TaskRow)>> {
    let mut query = claims::table
        .inner_join(tasks::table)
        .filter(claims::volunteer_id.eq(volunteer_id))
        .select((ClaimRow::as_select(), TaskRow::as_select()))
        .order(claims::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(claims::id.lt(before));
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
    /// Only tasks starting later than now (the volunteer's default feed).
    pub upcoming_only: bool,
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
    if filter.upcoming_only {
        query = query.filter(tasks::starts_at.gt(diesel::dsl::now));
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

/// Open tasks whose start has passed at `now` with no active claim become `expired`.
pub async fn expire_unclaimed(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    diesel::update(
        tasks::table
            .filter(tasks::status.eq(TaskStatus::Open))
            .filter(tasks::active_claims.eq(0))
            .filter(tasks::starts_at.le(now)),
    )
    .set((
        tasks::status.eq(TaskStatus::Expired),
        tasks::version.eq(tasks::version + 1),
        tasks::updated_at.eq(diesel::dsl::now),
    ))
    .returning(tasks::id)
    .get_results(conn)
    .await
}

diesel::define_sql_function! {
    /// The effective end of a task in SQL (migration 14); the same rule as
    /// `domain::task::effective_end`, which a test checks.
    fn task_effective_end(
        starts_at: diesel::sql_types::Timestamptz,
        ends_at: diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        duration_minutes: diesel::sql_types::Nullable<diesel::sql_types::Integer>,
    ) -> diesel::sql_types::Timestamptz;
}

/// Live tasks with active claims that ended (by their effective end) before
/// `ended_before`, locked, skipping any another transaction holds.
pub async fn ended_with_claims(
    conn: &mut AsyncPgConnection,
    ended_before: DateTime<Utc>,
) -> QueryResult<Vec<TaskRow>> {
    tasks::table
        .filter(tasks::status.eq_any([TaskStatus::Open, TaskStatus::Filled]))
        .filter(tasks::active_claims.gt(0))
        .filter(tasks::starts_at.lt(ended_before))
        .filter(
            task_effective_end(tasks::starts_at, tasks::ends_at, tasks::duration_minutes)
                .lt(ended_before),
        )
        .select(TaskRow::as_select())
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

/// How many tasks these people posted.
pub async fn count_created_by(conn: &mut AsyncPgConnection, people: &[Uuid]) -> QueryResult<i64> {
    tasks::table
        .filter(tasks::created_by.eq_any(people))
        .count()
        .get_result(conn)
        .await
}

/// Marks the active claims due a reminder at `now` — the task starts within 24 hours, the
/// claim was made before that window opened, and no reminder went out for this start time —
/// and returns them with their tasks. The update is the guard: of two processes only one
/// gets each claim.
pub async fn take_due_reminders(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<(ClaimRow, TaskRow)>> {
    let day = chrono::Duration::hours(24);
    let due: Vec<Uuid> = claims::table
        .inner_join(tasks::table)
        .filter(claims::status.eq(ClaimStatus::Active))
        .filter(tasks::status.eq_any([TaskStatus::Open, TaskStatus::Filled]))
        .filter(tasks::starts_at.gt(now))
        .filter(tasks::starts_at.le(now + day))
        .filter(claims::reminder_sent_for.is_distinct_from(tasks::starts_at.nullable()))
        .select(claims::id)
        .load(conn)
        .await?;
    let mut out = Vec::new();
    for claim_id in due {
        let Some((claim, task)) = claims::table
            .inner_join(tasks::table)
            .filter(claims::id.eq(claim_id))
            .select((ClaimRow::as_select(), TaskRow::as_select()))
            .first::<(ClaimRow, TaskRow)>(conn)
            .await
            .optional()?
        else {
            continue;
        };
        if claim.claimed_at > task.starts_at - day {
            continue;
        }
        let taken = diesel::update(
            claims::table
                .filter(claims::id.eq(claim.id))
                .filter(claims::reminder_sent_for.is_distinct_from(task.starts_at)),
        )
        .set(claims::reminder_sent_for.eq(task.starts_at))
        .execute(conn)
        .await?;
        if taken == 1 {
            out.push((claim, task));
        }
    }
    Ok(out)
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

/// Withdraws the council's open, unclaimed tasks of a category (an opt-out came into
/// force); returns them.
pub async fn withdraw_unclaimed(
    conn: &mut AsyncPgConnection,
    council_id: Uuid,
    category_id: Uuid,
) -> QueryResult<Vec<TaskRow>> {
    diesel::update(
        tasks::table
            .filter(tasks::council_id.eq(council_id))
            .filter(tasks::category_id.eq(category_id))
            .filter(tasks::status.eq(TaskStatus::Open))
            .filter(tasks::active_claims.eq(0)),
    )
    .set((
        tasks::status.eq(TaskStatus::Withdrawn),
        tasks::version.eq(tasks::version + 1),
        tasks::updated_at.eq(diesel::dsl::now),
    ))
    .returning(TaskRow::as_returning())
    .get_results(conn)
    .await
}
