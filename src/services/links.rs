//! One-click links in emails: unsubscribing from one kind of email (RFC 8058, also through
//! the `List-Unsubscribe` header) and giving a claim back from a reminder. The pages behind
//! them only show a button; the POST does the work. The links are signed, not stored
//! (`auth::signed`); tokens stored by earlier versions keep working until they expire.

use crate::domain::problem::FieldProblem;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::signed::{self, SignedAction};
use crate::auth::tokens;
use crate::db::tasks as task_db;
use crate::db::tokens as token_db;
use crate::db::users as users_db;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::notification::{Channel, NotificationKind, Preference};
use crate::domain::task::effective_end;
use crate::services::Context;
use crate::services::tasks::ReleaseCause;

fn dead_link() -> DomainError {
    DomainError::invalid_field("token", FieldProblem::DeadLink)
}

/// The person and kind an unsubscribe token names: a signed one, or a stored one from
/// an earlier version (used up here).
async fn unsubscribe_target(
    conn: &mut AsyncPgConnection,
    ctx: &Context,
    token: &str,
) -> Result<(Uuid, String), DomainError> {
    if signed::is_signed(token) {
        return match signed::verify(&ctx.keys, token, ctx.clock.now()) {
            Some(SignedAction::Unsubscribe { user_id, kind }) => Ok((user_id, kind)),
            _ => Err(dead_link()),
        };
    }
    let row = token_db::use_email_token(
        conn,
        &tokens::hash(token),
        &["unsubscribe"],
        ctx.clock.now(),
    )
    .await?
    .ok_or_else(dead_link)?;
    Ok((row.user_id, row.email_kind.ok_or_else(dead_link)?))
}

/// Turns off the kind of email the token names. Returns the kind.
pub async fn unsubscribe(
    conn: &mut AsyncPgConnection,
    ctx: &Context,
    token: &str,
) -> Result<String, DomainError> {
    let (user_id, kind) = unsubscribe_target(conn, ctx, token).await?;
    let chosen = NotificationKind::parse(&kind)
        .filter(|k| matches!(k.preference(Channel::Email), Preference::Optional { .. }))
        .ok_or_else(dead_link)?;
    let user = users_db::find(conn, user_id).await?.ok_or_else(dead_link)?;
    crate::db::preferences::set(conn, user.id, &[(chosen, Channel::Email, false)]).await?;
    tracing::info!(user.id = %user.id, email.kind = %kind, "unsubscribed");
    Ok(kind)
}

/// Gives back the claim a reminder's link names, before the task ends.
pub async fn release(
    conn: &mut AsyncPgConnection,
    ctx: &Context,
    token: &str,
) -> Result<task_db::ClaimRow, DomainError> {
    let (user_id, claim_id) = if signed::is_signed(token) {
        match signed::verify(&ctx.keys, token, ctx.clock.now()) {
            Some(SignedAction::Release { user_id, claim_id }) => (user_id, claim_id),
            _ => return Err(dead_link()),
        }
    } else {
        let row =
            token_db::use_email_token(conn, &tokens::hash(token), &["release"], ctx.clock.now())
                .await?
                .ok_or_else(dead_link)?;
        (row.user_id, row.claim_id.ok_or_else(dead_link)?)
    };
    let held = task_db::active_claims_with_tasks(conn, user_id).await?;
    let Some((claim, task)) = held.into_iter().find(|(c, _)| c.id == claim_id) else {
        return Err(DomainError::new(
            ErrorCode::NotClaimant,
            "this claim was already given back or has ended",
        ));
    };
    let task = task_db::find_for_update(conn, task.id)
        .await?
        .ok_or_else(dead_link)?;
    if ctx.clock.now() >= effective_end(task.starts_at, task.ends_at, task.duration_minutes) {
        return Err(DomainError::new(
            ErrorCode::TaskNotOpen,
            "the task has ended",
        ));
    }
    crate::services::tasks::release_locked(
        conn,
        &task,
        &claim,
        ReleaseCause::Volunteer,
        ctx.clock.now(),
    )
    .await
}

/// What the task page of a volunteer's "Se oppdraget" link shows: the task as its
/// person may see it (the private block only while they hold it) and, while they do and
/// it has not started, a signed token that gives the claim back.
pub struct TaskPage {
    pub view: crate::services::tasks::TaskView,
    pub category: Option<crate::db::reference::CategoryRow>,
    pub release_token: Option<String>,
}

/// Reads the task a signed view link names, as its person may see it now. A link of a
/// deactivated or erased account, or for a task that person may no longer see, is dead.
pub async fn task_page(
    conn: &mut AsyncPgConnection,
    ctx: &Context,
    zone: chrono_tz::Tz,
    token: &str,
) -> Result<TaskPage, DomainError> {
    let Some(SignedAction::ViewTask { user_id, task_id }) =
        signed::verify(&ctx.keys, token, ctx.clock.now())
    else {
        return Err(dead_link());
    };
    let user = users_db::find(conn, user_id)
        .await?
        .filter(|u| u.active)
        .and_then(crate::auth::AuthUser::from_row)
        .ok_or_else(dead_link)?;
    let view = crate::services::tasks::get(conn, &user, zone, task_id)
        .await
        .map_err(|e| match e.code() {
            ErrorCode::NotFound => dead_link(),
            _ => e,
        })?;
    let category = crate::db::reference::find_category(conn, view.task.category_id).await?;
    let release_token = view
        .my_claim
        .as_ref()
        .filter(|c| c.status == crate::domain::task::ClaimStatus::Active)
        .filter(|_| ctx.clock.now() < view.task.starts_at)
        .map(|claim| {
            signed::sign(
                &ctx.keys,
                &SignedAction::Release {
                    user_id,
                    claim_id: claim.id,
                },
                view.task.starts_at,
            )
        });
    Ok(TaskPage {
        category,
        view,
        release_token,
    })
}
