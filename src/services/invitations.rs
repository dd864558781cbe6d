//! Invitations, never assignment: staff may ask a volunteer who has chosen to be invitable.
//! An invitation creates no claim; it lapses when the task starts or fills; a decline is
//! not reported to the unit. Unknown, non-invitable and opted-out volunteers are the same
//! 404, so the endpoint reveals nothing about anyone's choices.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::invitations::{self as db, InvitationRow};
use crate::db::tasks::{self as task_db, TaskRow};
use crate::db::users as users_db;
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::TaskStatus;
use crate::domain::time::local_date;
use crate::notify::greeting_name;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts};

/// Invitations one unit may send one volunteer to tasks that have not started.
pub const MAX_OPEN_PER_UNIT: i64 = 3;

fn no_such_volunteer() -> DomainError {
    DomainError::not_found("no invitable volunteer with this id")
}

fn already_invited() -> DomainError {
    DomainError::new(
        ErrorCode::Conflict,
        "this volunteer is already invited to this task",
    )
}

/// Invites `volunteer_id` to the task. The unit and admins only.
pub async fn invite(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    now: chrono::DateTime<chrono::Utc>,
    task_id: TaskId,
    volunteer_id: UserId,
) -> Result<InvitationRow, DomainError> {
    let task = task_db::find_for_update(conn, task_id.0)
        .await?
        .ok_or_else(|| DomainError::not_found("no such task"))?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    if task.status != TaskStatus::Open || task.starts_at <= now {
        return Err(DomainError::new(
            ErrorCode::TaskNotOpen,
            "only open tasks that have not started take invitations",
        ));
    }
    // Not invitable, opted out of the category and not qualified for it are one answer.
    let on = local_date(task.starts_at, zone);
    if !db::is_invitable(conn, volunteer_id.0, task.category_id, on).await? {
        return Err(no_such_volunteer());
    }
    crate::services::opt_outs::refuse_claim_if_opted_out(conn, &task).await?;
    if task_db::active_claim(conn, task_id, volunteer_id)
        .await?
        .is_some()
    {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "this volunteer already takes part",
        ));
    }
    // Pending, declined and ignored invitations look the same to the unit (principle 1):
    // one answer for "invited before", and the cap counts invitations sent, not answers.
    if db::exists(conn, task_id, volunteer_id).await? {
        return Err(already_invited());
    }
    let sent = db::sent_by_unit_to_upcoming(conn, volunteer_id, task.service_unit_id, now).await?;
    if sent >= MAX_OPEN_PER_UNIT {
        return Err(DomainError::new(
            ErrorCode::RateLimited,
            format!(
                "a unit may invite one volunteer to at most {MAX_OPEN_PER_UNIT} tasks that have not started"
            ),
        )
        .with_retry_after(3600));
    }
    let invitation = match db::insert(conn, task_id, volunteer_id, user.user_id()).await {
        Ok(row) => row,
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => return Err(already_invited()),
        Err(e) => return Err(e.into()),
    };
    send(conn, &task, volunteer_id.0).await?;
    tracing::info!(task.id = %task_id, invitation.id = %invitation.id, "volunteer invited");
    Ok(invitation)
}

async fn send(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    volunteer_id: Uuid,
) -> Result<(), DomainError> {
    let Some(volunteer) = users_db::find(conn, volunteer_id).await? else {
        return Ok(());
    };
    let (unit_name, _, _) = task_db::unit_contact(conn, task.service_unit_id).await?;
    notify::send(
        conn,
        &[Notification::to_user(
            &volunteer,
            Intent::Invitation {
                name: greeting_name(&volunteer),
                task: TaskFacts::of(task),
                unit_name,
            },
        )],
    )
    .await?;
    Ok(())
}

/// What the directory is for: a category, or one task (its category).
#[derive(Debug, Clone, Copy, Default)]
pub struct DirectoryFor {
    pub category_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
}

/// Invitable volunteers for staff and admins: id, name, home council — nothing more.
/// With a category or a task, only those who have not opted out of it. Nobody is left out
/// for a missing qualification (the listing would name who lacks one); inviting such a
/// person answers the same 404 as an unknown one.
pub async fn volunteers(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    council_id: Option<Uuid>,
    wanted: DirectoryFor,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(Uuid, String, Option<Uuid>)>, DomainError> {
    permissions::require_role(user, &[Role::Staff, Role::Admin])?;
    let category_id = match wanted.task_id {
        Some(id) => {
            let task = task_db::find(conn, id)
                .await?
                .ok_or_else(|| DomainError::not_found("no such task"))?;
            permissions::require_unit_member(user, task.service_unit_id)?;
            Some(task.category_id)
        }
        None => wanted.category_id,
    };
    Ok(db::invitable_volunteers(conn, council_id, category_id, after, limit).await?)
}

/// The caller's open invitations.
pub async fn mine(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(InvitationRow, TaskRow)>, DomainError> {
    Ok(db::open_for_volunteer(conn, user.id, now).await?)
}

/// Declines the caller's own invitation; the unit is not told.
pub async fn decline(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
) -> Result<(), DomainError> {
    if db::decline(conn, id, user.id).await? {
        Ok(())
    } else {
        Err(DomainError::not_found("no such invitation"))
    }
}

/// The invitations to a task as the unit sees them: who was invited, never what they did.
pub async fn of_task(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task_id: TaskId,
) -> Result<Vec<(InvitationRow, String)>, DomainError> {
    let task = task_db::find(conn, task_id.0)
        .await?
        .ok_or_else(|| DomainError::not_found("no such task"))?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    Ok(db::for_task(conn, task_id).await?)
}
