//! Queries for invitations and for finding invitable volunteers.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::{ClaimStatus, TaskStatus};
use uuid::Uuid;

use crate::db::schema::{claims, invitations, tasks, user_category_opt_outs as opt_outs, users};
use crate::db::tasks::TaskRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations, check_for_backend(diesel::pg::Pg))]
pub struct InvitationRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub volunteer_id: Uuid,
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub declined_at: Option<DateTime<Utc>>,
}

/// Invitable, active volunteers (id, name, home council), optionally of one council and
/// without an opt-out of one category; `limit + 1` rows after `after`. Never filtered by
/// qualification: the difference between two listings would name who lacks a police
/// certificate (special-category data, GDPR art. 10).
pub async fn invitable_volunteers(
    conn: &mut AsyncPgConnection,
    council_id: Option<Uuid>,
    category_id: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<(Uuid, String, Option<Uuid>)>> {
    let mut query = users::table
        .filter(users::role.eq("volunteer"))
        .filter(users::active.eq(true))
        .filter(users::invitable.eq(true))
        .select((users::id, users::name, users::council_id))
        .order(users::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(c) = council_id {
        query = query.filter(users::council_id.eq(c));
    }
    if let Some(k) = category_id {
        let opted = opt_outs::table
            .select(opt_outs::user_id)
            .filter(opt_outs::category_id.eq(k));
        query = query.filter(users::id.ne_all(opted));
    }
    if let Some(after) = after {
        query = query.filter(users::id.gt(after));
    }
    query.load(conn).await
}

/// Whether the person may be invited to a task of `category_id` on the local date `on`:
/// invitable, not opted out of it, and qualified for it.
pub async fn is_invitable(
    conn: &mut AsyncPgConnection,
    volunteer_id: Uuid,
    category_id: Uuid,
    on: chrono::NaiveDate,
) -> QueryResult<bool> {
    let opted = opt_outs::table
        .filter(opt_outs::user_id.eq(volunteer_id))
        .filter(opt_outs::category_id.eq(category_id));
    diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::id.eq(volunteer_id))
            .filter(users::role.eq("volunteer"))
            .filter(users::active.eq(true))
            .filter(users::invitable.eq(true))
            .filter(diesel::dsl::not(diesel::dsl::exists(opted)))
            .filter(crate::db::qualifications::user_qualifies(category_id, on)),
    ))
    .get_result(conn)
    .await
}

/// The person's open invitations with their tasks, newest first, as they see them: not
/// declined, the task open (so not full), not started, not already claimed by them, and
/// neither the task's council nor the person opted out of its category.
pub async fn open_for_volunteer(
    conn: &mut AsyncPgConnection,
    volunteer_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> QueryResult<Vec<(InvitationRow, TaskRow)>> {
    let held = claims::table
        .select(claims::task_id)
        .filter(claims::volunteer_id.eq(volunteer_id))
        .filter(claims::status.eq(ClaimStatus::Active));
    let own_opt_outs = opt_outs::table
        .select(opt_outs::category_id)
        .filter(opt_outs::user_id.eq(volunteer_id));
    invitations::table
        .inner_join(tasks::table)
        .filter(invitations::volunteer_id.eq(volunteer_id))
        .filter(invitations::declined_at.is_null())
        .filter(tasks::status.eq(TaskStatus::Open))
        .filter(tasks::starts_at.gt(now))
        .filter(tasks::id.ne_all(held))
        .filter(tasks::category_id.ne_all(own_opt_outs))
        .filter(crate::db::opt_outs::task_not_opted_out())
        .select((InvitationRow::as_select(), TaskRow::as_select()))
        .order(invitations::id.desc())
        .load(conn)
        .await
}

/// How many invitations `unit` has sent the person to tasks that have not started,
/// whatever the person answered: the cap counts what the unit did, so that a decline
/// changes nothing the unit can observe.
pub async fn sent_by_unit_to_upcoming(
    conn: &mut AsyncPgConnection,
    volunteer_id: UserId,
    unit_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> QueryResult<i64> {
    invitations::table
        .inner_join(tasks::table)
        .filter(invitations::volunteer_id.eq(volunteer_id))
        .filter(tasks::service_unit_id.eq(unit_id))
        .filter(tasks::starts_at.gt(now))
        .count()
        .get_result(conn)
        .await
}

/// Whether the person was ever invited to the task (answered or not).
pub async fn exists(
    conn: &mut AsyncPgConnection,
    task_id: TaskId,
    volunteer_id: UserId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        invitations::table
            .filter(invitations::task_id.eq(task_id))
            .filter(invitations::volunteer_id.eq(volunteer_id)),
    ))
    .get_result(conn)
    .await
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    task_id: TaskId,
    volunteer_id: UserId,
    invited_by: UserId,
) -> QueryResult<InvitationRow> {
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(Uuid::now_v7()),
            invitations::task_id.eq(task_id),
            invitations::volunteer_id.eq(volunteer_id),
            invitations::invited_by.eq(invited_by),
        ))
        .returning(InvitationRow::as_returning())
        .get_result(conn)
        .await
}

/// Declines the person's own invitation; `false` when there is none to decline.
pub async fn decline(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    volunteer_id: Uuid,
) -> QueryResult<bool> {
    diesel::update(
        invitations::table
            .filter(invitations::id.eq(id))
            .filter(invitations::volunteer_id.eq(volunteer_id))
            .filter(invitations::declined_at.is_null()),
    )
    .set(invitations::declined_at.eq(diesel::dsl::now))
    .execute(conn)
    .await
    .map(|n| n == 1)
}

/// Every invitation a person received.
pub async fn all_for_volunteer(
    conn: &mut AsyncPgConnection,
    volunteer_id: Uuid,
) -> QueryResult<Vec<InvitationRow>> {
    invitations::table
        .filter(invitations::volunteer_id.eq(volunteer_id))
        .select(InvitationRow::as_select())
        .order(invitations::id)
        .load(conn)
        .await
}

/// Every invitation to a task with the invited person's name, oldest first — declined
/// ones too, since the unit must not be able to tell a decline from silence.
pub async fn for_task(
    conn: &mut AsyncPgConnection,
    task_id: TaskId,
) -> QueryResult<Vec<(InvitationRow, String)>> {
    invitations::table
        .inner_join(users::table.on(users::id.eq(invitations::volunteer_id)))
        .filter(invitations::task_id.eq(task_id))
        .order(invitations::created_at.asc())
        .select((InvitationRow::as_select(), users::name))
        .load(conn)
        .await
}
