//! Posting a task and editing it: the checks of a new task, the edit with its version
//! check, and what claimants are told of a change.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{PrivateInput, PrivatePatch, check_private, not_found, not_open};
use crate::auth::{AuthUser, permissions};
use crate::db::tasks::{self as db, NewTaskRow, TaskChanges, TaskPrivateRow, TaskRow};
use crate::db::{reference as reference_db, users as users_db};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::task::{self as rules, EventKind, TaskStatus};
use crate::domain::time::{check_future, check_instant};
use crate::notify::greeting_name;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts};
use crate::validation::Validator;

/// What a task and a series template share, as the poster gives them.
#[derive(Debug, Clone)]
pub struct TaskFields {
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    pub spots: Option<i32>,
    pub area_hint: Option<String>,
    pub private: Option<PrivateInput>,
}

/// A new task as posted: the shared fields and when.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub fields: TaskFields,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// The shared fields of a new task or series checked into `v`, naming each in a 422 with
/// `prefix` (`""` for a task, `"template."` for a series): the category and council, the
/// public fields, and the unit it is posted for (a staff member's own; the one an admin
/// names).
pub(crate) async fn check_fields(
    conn: &mut AsyncPgConnection,
    v: &mut Validator,
    user: &AuthUser,
    prefix: &str,
    input: &TaskFields,
) -> Result<(CheckedFields, Option<Uuid>), DomainError> {
    let unit = posting_unit(user, input.service_unit_id)?;
    check_category_and_council(conn, v, Some(input.category_id), input.council_id).await?;
    let fields = check_shared_fields(
        conn,
        v,
        prefix,
        &input.title,
        &input.description,
        unit,
        input.duration_minutes,
        input.spots,
        input.area_hint.as_deref(),
    )
    .await?;
    Ok((fields, unit))
}

pub(crate) async fn check_category_and_council(
    conn: &mut AsyncPgConnection,
    v: &mut Validator,
    category_id: Option<Uuid>,
    council_id: Option<Uuid>,
) -> Result<(), DomainError> {
    if let Some(category_id) = category_id {
        match reference_db::find_category(conn, category_id).await? {
            Some(c) if c.active => {}
            Some(_) => v.error("category_id", FieldProblem::NotActiveCategory),
            None => v.error("category_id", FieldProblem::NotCategory),
        }
    }
    if let Some(council_id) = council_id
        && !reference_db::council_is_active(conn, council_id).await?
    {
        v.error("council_id", FieldProblem::NotActiveCouncil);
    }
    Ok(())
}

/// The public fields a task and a series template share, checked.
pub(crate) struct CheckedFields {
    pub title: Option<String>,
    pub description: Option<String>,
    pub duration_minutes: Option<i32>,
    pub spots: Option<i32>,
    pub area_hint: Option<String>,
}

/// Checks the public fields a task and a series template share, naming each in a 422
/// with `prefix` (`""` for a task, `"template."` for a series), and that the unit exists.
#[expect(clippy::too_many_arguments, reason = "one argument per shared field")]
pub(crate) async fn check_shared_fields(
    conn: &mut AsyncPgConnection,
    v: &mut Validator,
    prefix: &str,
    title: &str,
    description: &str,
    unit: Option<Uuid>,
    duration_minutes: Option<i32>,
    spots: Option<i32>,
    area_hint: Option<&str>,
) -> Result<CheckedFields, DomainError> {
    let field = |name: &str| format!("{prefix}{name}");
    let title = v.check(&field("title"), rules::check_title(title));
    let description = v.check(&field("description"), rules::check_text(description, 5000));
    match unit {
        None => v.error(
            &field("service_unit_id"),
            FieldProblem::RequiredWhenAdminPosts,
        ),
        Some(id) if !reference_db::service_unit_exists(conn, id).await? => {
            v.error(&field("service_unit_id"), FieldProblem::NotServiceUnit)
        }
        Some(_) => {}
    }
    let duration_minutes = duration_minutes
        .and_then(|d| v.check(&field("duration_minutes"), rules::check_duration(d)));
    let spots = v.check(&field("spots"), rules::check_spots(spots.unwrap_or(1)));
    let area_hint = area_hint
        .and_then(|a| v.check(&field("area_hint"), crate::domain::check_line(a, 200)))
        .filter(|a| !a.is_empty());
    Ok(CheckedFields {
        title,
        description,
        duration_minutes,
        spots,
        area_hint,
    })
}

/// The unit a task or series is posted for: a staff member's own (naming another is
/// 403), the one an admin names.
pub(crate) fn posting_unit(
    user: &AuthUser,
    requested: Option<Uuid>,
) -> Result<Option<Uuid>, DomainError> {
    match (user.role, requested) {
        (Role::Staff, Some(unit)) if Some(unit) != user.service_unit_id => Err(
            DomainError::forbidden("staff post for their own service unit only"),
        ),
        (Role::Staff, _) => Ok(user.service_unit_id),
        (_, unit) => Ok(unit),
    }
}

/// Posts a task for the caller's unit (staff) or a named unit (admins).
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    input: NewTask,
    now: DateTime<Utc>,
) -> Result<(TaskRow, TaskPrivateRow), DomainError> {
    permissions::require_role(user, &[Role::Staff, Role::Admin])?;
    let mut v = Validator::new();
    let (fields, unit) = check_fields(conn, &mut v, user, "", &input.fields).await?;
    v.check("starts_at", check_future(input.starts_at, now));
    if let Some(end) = input.ends_at {
        if let Err(m) = check_instant(end) {
            v.error("ends_at", m);
        } else if end <= input.starts_at {
            v.error("ends_at", FieldProblem::NotAfterStart);
        }
    }
    let id = Uuid::now_v7();
    let private = check_private(&mut v, id, &input.fields.private.unwrap_or_default());
    v.finish()?;
    let (Some(title), Some(description), Some(spots), Some(unit)) =
        (fields.title, fields.description, fields.spots, unit)
    else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let TaskFields {
        category_id,
        council_id,
        ..
    } = input.fields;
    crate::services::opt_outs::refuse_if_opted_out(conn, council_id, category_id).await?;
    let task = db::insert(
        conn,
        &NewTaskRow {
            id,
            title,
            description,
            category_id,
            council_id,
            service_unit_id: unit,
            created_by: Some(user.id),
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            duration_minutes: fields.duration_minutes,
            spots,
            area_hint: fields.area_hint,
            series_id: None,
            occurrence_date: None,
        },
    )
    .await?;
    db::upsert_private(conn, &private).await?;
    db::insert_event(conn, id, Some(user.id), EventKind::Created, &[]).await?;
    tracing::info!(task.id = %id, user.id = %user.id, "task posted");
    Ok((task, private))
}

/// Changes to a task; `Some(None)` clears a nullable field.
#[derive(Debug, Clone, Default)]
pub struct TaskEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    pub council_id: Option<Option<Uuid>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub duration_minutes: Option<Option<i32>>,
    pub spots: Option<i32>,
    pub area_hint: Option<Option<String>>,
    pub private: Option<PrivatePatch>,
}

/// Edits a live task. `if_match` is the version from `If-Match`; a stale one is 412,
/// checked after the edit itself is found valid.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    if_match: Option<i32>,
    input: TaskEdit,
    now: DateTime<Utc>,
) -> Result<(TaskRow, Option<TaskPrivateRow>), DomainError> {
    let task = db::find_for_update(conn, id).await?.ok_or_else(not_found)?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    if !task.status.is_live() {
        return Err(not_open("only open or filled tasks can be edited"));
    }
    let mut v = Validator::new();
    let mut changes = TaskChanges::default();
    let mut fields: Vec<&str> = Vec::new();
    if let Some(title) = &input.title
        && let Some(t) = v.check("title", rules::check_title(title))
        && t != task.title
    {
        changes.title = Some(t);
        fields.push("title");
    }
    if let Some(description) = &input.description
        && let Some(d) = v.check("description", rules::check_text(description, 5000))
        && d != task.description
    {
        changes.description = Some(d);
        fields.push("description");
    }
    let new_category = input.category_id.filter(|c| *c != task.category_id);
    let new_council = input.council_id.filter(|c| *c != task.council_id);
    check_category_and_council(conn, &mut v, new_category, new_council.flatten()).await?;
    if let Some(c) = new_category {
        changes.category_id = Some(c);
        fields.push("category_id");
    }
    if let Some(c) = new_council {
        changes.council_id = Some(c);
        fields.push("council_id");
    }
    let starts_at = input.starts_at.unwrap_or(task.starts_at);
    if input.starts_at.is_some_and(|s| s != task.starts_at) {
        v.check("starts_at", check_future(starts_at, now));
        changes.starts_at = Some(starts_at);
        fields.push("starts_at");
    }
    let ends_at = input.ends_at.unwrap_or(task.ends_at);
    if let Some(Err(m)) = ends_at.map(check_instant) {
        v.error("ends_at", m);
    } else if ends_at.is_some_and(|e| e <= starts_at) {
        v.error("ends_at", FieldProblem::NotAfterStart);
    }
    if input.ends_at.is_some_and(|e| e != task.ends_at) {
        changes.ends_at = Some(ends_at);
        fields.push("ends_at");
    }
    if let Some(duration) = input.duration_minutes
        && duration != task.duration_minutes
    {
        let checked = duration.map(|d| v.check("duration_minutes", rules::check_duration(d)));
        changes.duration_minutes = Some(checked.flatten());
        fields.push("duration_minutes");
    }
    let spots = match input.spots {
        Some(s) => v
            .check("spots", rules::check_spots(s))
            .unwrap_or(task.spots),
        None => task.spots,
    };
    if spots != task.spots {
        changes.spots = Some(spots);
        fields.push("spots");
    }
    if let Some(area) = &input.area_hint {
        let checked = area
            .as_deref()
            .and_then(|a| v.check("area_hint", crate::domain::check_line(a, 200)))
            .filter(|a| !a.is_empty());
        if checked != task.area_hint {
            changes.area_hint = Some(checked);
            fields.push("area_hint");
        }
    }
    let old_private = db::private_of(conn, id)
        .await?
        .unwrap_or_else(|| TaskPrivateRow {
            task_id: id,
            ..Default::default()
        });
    let private = input
        .private
        .as_ref()
        .map(|patch| check_private(&mut v, id, &patch.applied_to(&old_private)));
    v.finish()?;
    // A request that is wrong in itself is 422 whatever version it names; only a
    // well-formed edit is held against the version it was made from.
    if let Some(expected) = if_match
        && expected != task.version
    {
        return Err(DomainError::new(
            ErrorCode::PreconditionFailed,
            "the task has changed since you read it; fetch it again",
        ));
    }
    if spots < task.active_claims {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            format!(
                "{} volunteers hold this task; spots cannot go below that",
                task.active_claims
            ),
        ));
    }
    if new_category.is_some() || new_council.is_some() {
        let council = new_council.unwrap_or(task.council_id);
        let category = new_category.unwrap_or(task.category_id);
        crate::services::opt_outs::refuse_if_opted_out(conn, council, category).await?;
    }
    if changes.spots.is_some() {
        let full = task.active_claims == spots;
        changes.status = Some(if full {
            TaskStatus::Filled
        } else {
            TaskStatus::Open
        });
    }
    if let Some(p) = &private {
        for (name, old, new) in [
            ("private.address", &old_private.address, &p.address),
            (
                "private.recipient_name",
                &old_private.recipient_name,
                &p.recipient_name,
            ),
            (
                "private.recipient_phone",
                &old_private.recipient_phone,
                &p.recipient_phone,
            ),
            ("private.notes", &old_private.notes, &p.notes),
        ] {
            if old != new {
                fields.push(name);
            }
        }
        db::upsert_private(conn, p).await?;
    }
    if fields.is_empty() {
        return Ok((task, Some(old_private)));
    }
    let updated = db::update(conn, id, &changes, now).await?;
    db::insert_event(conn, id, Some(user.id), EventKind::Updated, &fields).await?;
    // More spots on a task that was full: a spot opened, for its watchers.
    if updated.spots > task.spots && task.status == TaskStatus::Filled {
        crate::services::watches::spot_opened(conn, &updated, None, now).await?;
    }
    // Claimants hear about it (the email names no values, private or not).
    let mut notices = Vec::new();
    for claim in db::active_claims_of_task(conn, id).await? {
        if let Some(volunteer) = users_db::find(conn, claim.volunteer_id).await? {
            notices.push(Notification::to_user(
                &volunteer,
                Intent::TaskChanged {
                    name: greeting_name(&volunteer),
                    task: TaskFacts::of(&updated),
                },
            ));
        }
    }
    notify::send(conn, &notices).await?;
    Ok((updated, Some(private.unwrap_or(old_private))))
}

/// Whether `unit` posted a task of `title` starting at `starts_at` since `since` (the
/// console asks before posting what looks like the same task again).
pub async fn posted_just_now(
    conn: &mut AsyncPgConnection,
    unit: Uuid,
    title: &str,
    starts_at: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<bool, DomainError> {
    Ok(db::posted_just_now(conn, unit, title, starts_at, since).await?)
}
