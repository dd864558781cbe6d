//! A task's end: cancelled by its unit (claims voided, holders told) or completed with
//! the hours done.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{not_found, not_open};
use crate::auth::{AuthUser, permissions};
use crate::db::tasks::{self as db, TaskChanges, TaskRow};
use crate::db::users as users_db;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::task::{self as rules, EventKind, TaskStatus};
use crate::notify::greeting_name;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts};
use crate::validation::Validator;

/// Cancels a live task: its active claims are voided and their holders told.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<TaskRow, DomainError> {
    let task = db::find_for_update(conn, id).await?.ok_or_else(not_found)?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    let reason =
        rules::check_reason(reason).map_err(|m| DomainError::invalid_field("reason", m))?;
    let reason = reason.as_str();
    if !task.status.is_live() {
        return Err(not_open("only open or filled tasks can be cancelled"));
    }
    let cancelled = db::update(
        conn,
        id,
        &TaskChanges {
            status: Some(TaskStatus::Cancelled),
            cancel_reason: Some(reason.to_owned()),
            ..Default::default()
        },
        now,
    )
    .await?;
    let voided = db::void_active_claims(conn, id).await?;
    db::insert_event(conn, id, Some(user.id), EventKind::Cancelled, &[]).await?;
    let mut notices = Vec::new();
    for claim in voided {
        if let Some(volunteer) = users_db::find(conn, claim.volunteer_id).await? {
            notices.push(Notification::to_user(
                &volunteer,
                Intent::TaskCancelled {
                    name: greeting_name(&volunteer),
                    task: TaskFacts::of(&cancelled),
                    reason: reason.to_owned(),
                },
            ));
        }
    }
    notify::send(conn, &notices).await?;
    db::find(conn, id).await?.ok_or_else(not_found)
}

/// Hours on completion: one figure for everyone, or per claim.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    pub hours: Option<f64>,
    pub hours_by_claim: Option<std::collections::HashMap<Uuid, f64>>,
}

/// Completes a task that has started: active claims become completed with their hours.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    input: Completion,
    now: DateTime<Utc>,
) -> Result<TaskRow, DomainError> {
    let task = db::find_for_update(conn, id).await?.ok_or_else(not_found)?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    if !task.status.is_live() {
        return Err(not_open("only open or filled tasks can be completed"));
    }
    if task.starts_at > now {
        return Err(DomainError::new(
            ErrorCode::TaskNotStarted,
            "a task can be completed once it has started",
        ));
    }
    complete_locked(
        conn,
        Some(user.id),
        &task,
        input,
        None,
        EventKind::Completed,
        now,
    )
    .await
}

/// Completes a locked, live task (also used by the auto-completion job, which passes
/// `fallback_minutes` for tasks whose length is unknown).
pub async fn complete_locked(
    conn: &mut AsyncPgConnection,
    actor: Option<Uuid>,
    task: &TaskRow,
    input: Completion,
    fallback_minutes: Option<i32>,
    event: EventKind,
    now: DateTime<Utc>,
) -> Result<TaskRow, DomainError> {
    let claims = db::active_claims_of_task(conn, task.id).await?;
    let mut v = Validator::new();
    let everyone = match input.hours {
        Some(h) => v.check("hours", rules::hours_to_minutes(h)),
        None => rules::default_minutes(task.starts_at, task.ends_at, task.duration_minutes)
            .or(fallback_minutes),
    };
    let mut per_claim = std::collections::HashMap::new();
    if let Some(by_claim) = &input.hours_by_claim {
        for (claim_id, hours) in by_claim {
            if !claims.iter().any(|c| c.id == *claim_id) {
                v.error(
                    &format!("hours_by_claim.{claim_id}"),
                    FieldProblem::NotActiveClaim,
                );
            } else if let Some(m) = v.check(
                &format!("hours_by_claim.{claim_id}"),
                rules::hours_to_minutes(*hours),
            ) {
                per_claim.insert(*claim_id, m);
            }
        }
    }
    for claim in &claims {
        if !per_claim.contains_key(&claim.id) && everyone.is_none() && v.is_ok() {
            v.error("hours", FieldProblem::NoEndKnown);
        }
    }
    v.finish()?;
    db::update(
        conn,
        task.id,
        &TaskChanges {
            status: Some(TaskStatus::Completed),
            ..Default::default()
        },
        now,
    )
    .await?;
    for claim in &claims {
        let minutes = per_claim.get(&claim.id).copied().or(everyone).unwrap_or(0);
        db::complete_claim(conn, claim.id, minutes).await?;
    }
    db::insert_event(conn, task.id, actor, event, &[]).await?;
    db::find(conn, task.id).await?.ok_or_else(not_found)
}
