//! What a caller may see: task views with or without the private block, lists and
//! filters, one's own claims, a task's claimants and its history.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::not_found;
use crate::auth::{AuthUser, permissions};
use crate::db::tasks::{self as db, ClaimRow, TaskFilter, TaskPrivateRow, TaskRow};
use crate::db::{qualifications as qualification_db, users as users_db};
use crate::domain::account::Role;
use crate::domain::error::DomainError;
use crate::domain::task::{ClaimStatus, TaskStatus};
use crate::domain::time::local_date;

/// What a caller sees of one task.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: TaskRow,
    pub private: Option<TaskPrivateRow>,
    pub my_claim: Option<ClaimRow>,
    pub unit: Option<(String, String, Option<String>)>,
    /// What the task's category requires (of active qualification types).
    pub required_qualifications: Vec<Uuid>,
    /// For a volunteer or coordinator: which of those they hold no valid record of for
    /// this task's date. `None` for staff and admins, who do not claim.
    pub missing_qualifications: Option<Vec<Uuid>>,
}

/// Whether the caller may read the private block: the unit, admins, active claimants.
pub fn may_see_private(user: &AuthUser, task: &TaskRow, my_claim: Option<&ClaimRow>) -> bool {
    user.is_admin()
        || (user.role == Role::Staff && user.service_unit_id == Some(task.service_unit_id))
        || my_claim.is_some_and(|c| c.status == ClaimStatus::Active)
}

/// Whether a volunteer or coordinator may see the task at all: live tasks, and any task
/// they have claimed.
fn may_see(user: &AuthUser, task: &TaskRow, my_claim: Option<&ClaimRow>) -> bool {
    !user.role.may_claim() || task.status.is_live() || my_claim.is_some()
}

/// Builds the views of `tasks` for `user` with at most four queries, whatever the page
/// size (plus the unit's contact per task the caller holds).
pub async fn views(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    tasks: Vec<TaskRow>,
) -> Result<Vec<TaskView>, DomainError> {
    let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
    let mine = db::my_claims_on(conn, user.id, &ids).await?;
    let mut categories: Vec<Uuid> = tasks.iter().map(|t| t.category_id).collect();
    categories.sort_unstable();
    categories.dedup();
    let requirements = if tasks.is_empty() {
        Vec::new()
    } else {
        qualification_db::requirements_of(conn, &categories).await?
    };
    let held: Vec<_> = if user.role.may_claim() && !requirements.is_empty() {
        qualification_db::unrevoked_of_many(conn, &[user.id])
            .await?
            .iter()
            .map(|r| r.held())
            .collect()
    } else {
        Vec::new()
    };
    let mut privates = std::collections::HashMap::new();
    let allowed: Vec<Uuid> = tasks
        .iter()
        .filter(|t| {
            let claim = pick_claim(&mine, t.id);
            may_see_private(user, t, claim)
        })
        .map(|t| t.id)
        .collect();
    if !allowed.is_empty() {
        for p in db::private_of_many(conn, &allowed).await? {
            privates.insert(p.task_id, p);
        }
    }
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let my_claim = pick_claim(&mine, task.id).cloned();
        let private = if allowed.contains(&task.id) {
            Some(privates.remove(&task.id).unwrap_or_else(|| TaskPrivateRow {
                task_id: task.id,
                ..Default::default()
            }))
        } else {
            None
        };
        let unit = if my_claim
            .as_ref()
            .is_some_and(|c| c.status == ClaimStatus::Active)
        {
            Some(db::unit_contact(conn, task.service_unit_id).await?)
        } else {
            None
        };
        let required: Vec<Uuid> = requirements
            .iter()
            .filter(|(category, _)| *category == task.category_id)
            .map(|(_, q)| *q)
            .collect();
        let missing = user.role.may_claim().then(|| {
            crate::domain::qualification::missing(
                &required,
                &held,
                local_date(task.starts_at, zone),
            )
        });
        out.push(TaskView {
            task,
            private,
            my_claim,
            unit,
            required_qualifications: required,
            missing_qualifications: missing,
        });
    }
    Ok(out)
}

/// Active claim first, else the newest.
fn pick_claim(mine: &[ClaimRow], task_id: Uuid) -> Option<&ClaimRow> {
    let on_task = mine.iter().filter(|c| c.task_id == task_id);
    on_task
        .clone()
        .find(|c| c.status == ClaimStatus::Active)
        .or_else(|| on_task.max_by_key(|c| c.id))
}

/// One task as the caller may see it.
pub async fn get(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
) -> Result<TaskView, DomainError> {
    let task = db::find(conn, id).await?.ok_or_else(not_found)?;
    let view = views(conn, user, zone, vec![task])
        .await?
        .pop()
        .ok_or_else(not_found)?;
    if !may_see(user, &view.task, view.my_claim.as_ref()) {
        return Err(not_found());
    }
    Ok(view)
}

/// A page of tasks for the caller (`limit + 1` views after `after`), with the caller's
/// defaults and filters applied.
pub async fn list(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    query: &TaskQuery,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<TaskView>, DomainError> {
    let filter = resolve_filter(conn, user, query, now).await?;
    let rows = db::list(conn, &filter, after, limit).await?;
    views(conn, user, zone, rows).await
}

/// The caller's own claims, newest first, each with its task as they may see it.
pub async fn my_claims(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(ClaimRow, TaskView)>, DomainError> {
    let rows = db::claims_of_volunteer(conn, user.id, after, limit).await?;
    let (claims, tasks): (Vec<ClaimRow>, Vec<_>) = rows.into_iter().unzip();
    let views = views(conn, user, zone, tasks).await?;
    Ok(claims.into_iter().zip(views).collect())
}

/// The filters of `GET /tasks` as the caller gave them.
#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    pub statuses: Vec<TaskStatus>,
    pub category_id: Option<Uuid>,
    pub council_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub mine: Option<bool>,
}

/// Resolves the caller's filters and defaults: volunteers see open tasks minus their own
/// opted-out categories and tasks their council has opted out of, of those that start after
/// `now`; staff see their unit's tasks.
pub async fn resolve_filter(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    q: &TaskQuery,
    now: DateTime<Utc>,
) -> Result<TaskFilter, DomainError> {
    let mut filter = TaskFilter {
        category_id: q.category_id,
        council_id: q.council_id,
        from: q.from,
        to: q.to,
        statuses: q.statuses.clone(),
        ..Default::default()
    };
    match user.role {
        Role::Volunteer | Role::Coordinator => {
            if q.mine == Some(true) {
                filter.claimed_by = Some(user.id);
            } else {
                // Volunteers see live tasks only, open ones unless they ask for full ones.
                filter.statuses = if filter.statuses.is_empty() {
                    vec![TaskStatus::Open]
                } else {
                    filter
                        .statuses
                        .into_iter()
                        .filter(|s| s.is_live())
                        .collect()
                };
                filter.matches_nothing = filter.statuses.is_empty();
                filter.starting_after = Some(now);
                filter.exclude_categories = users_db::category_opt_outs(conn, user.id).await?;
                crate::services::opt_outs::hide_opted_out(&mut filter);
            }
        }
        Role::Staff => {
            if q.mine != Some(false) {
                filter.service_unit_id = user.service_unit_id;
            }
        }
        Role::Admin => {}
    }
    Ok(filter)
}

/// A claimant of a task as the unit sees them.
pub struct ClaimantView {
    pub claim: ClaimRow,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// For an active claim: the required qualifications the claimant holds no valid
    /// record of for the task's date (one ran out since the claim). Names only, no dates.
    pub missing_qualifications: Vec<qualification_db::QualificationRow>,
}

/// The task's claims with contact details: for the unit and admins only.
pub async fn claimants(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
) -> Result<Vec<ClaimantView>, DomainError> {
    let task = db::find(conn, id).await?.ok_or_else(not_found)?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    let missing = qualification_db::missing_of_claimants(
        conn,
        task.id,
        task.category_id,
        local_date(task.starts_at, zone),
    )
    .await?;
    let types = if missing.iter().any(|(_, m)| !m.is_empty()) {
        qualification_db::list(conn).await?
    } else {
        Vec::new()
    };
    Ok(db::claims_with_volunteers(conn, id)
        .await?
        .into_iter()
        .map(|(claim, name, email, phone)| {
            let lacking = missing
                .iter()
                .filter(|(person, _)| {
                    *person == claim.volunteer_id && claim.status == ClaimStatus::Active
                })
                .flat_map(|(_, ids)| ids.iter())
                .filter_map(|q| types.iter().find(|t| t.id == *q).cloned())
                .collect();
            ClaimantView {
                claim,
                name,
                email,
                phone,
                missing_qualifications: lacking,
            }
        })
        .collect())
}

/// The task's history: for the unit and admins only.
pub async fn events(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<db::TaskEventRow>, DomainError> {
    let task = db::find(conn, id).await?.ok_or_else(not_found)?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    Ok(db::events(conn, id, after, limit).await?)
}
