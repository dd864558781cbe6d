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

/// The task a signed view link (of an email sent before the volunteer web) names, if the
/// link is this server's and has not run out.
pub fn viewed_task(ctx: &Context, token: &str) -> Option<Uuid> {
    match signed::verify(&ctx.keys, token, ctx.clock.now()) {
        Some(SignedAction::ViewTask { task_id, .. }) => Some(task_id),
        _ => None,
    }
}
