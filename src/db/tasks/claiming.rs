//! Claims: the claim's lock and checks, taking, releasing, voiding and completing, and
//! the claims a job or a page lists.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::PgConn;
use crate::db::schema::{
    category_qualifications, claims, qualifications, service_units, tasks, users,
};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::{ClaimStatus, TaskStatus};

use super::{ClaimRow, TaskRow, task_effective_end};

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
