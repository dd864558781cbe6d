//! The task marketplace: post, edit, cancel, complete, claim and release — each on a
//! connection already inside the caller's transaction (see `services::idempotency`), so the
//! change, its event and its emails commit together.

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::tasks::{
    self as db, ClaimRow, NewTaskRow, TaskChanges, TaskFilter, TaskPrivateRow, TaskRow,
};
use crate::db::{qualifications as qualification_db, reference as reference_db, users as users_db};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::{self as rules, ClaimStatus, EventKind, TaskStatus};
use crate::domain::time::{check_instant, local_date};
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts, UnitFacts};
use crate::notify::{SpotFreed, greeting_name};
use crate::validation::Validator;

fn not_found() -> DomainError {
    DomainError::not_found("no such task")
}

fn not_open(detail: &str) -> DomainError {
    DomainError::new(ErrorCode::TaskNotOpen, detail)
}

/// The private block as given in a request; `None` fields are empty.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateInput {
    pub address: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_phone: Option<String>,
    pub notes: Option<String>,
}

/// Changes to the private block in a PATCH (RFC 7396 merge): an absent field stays as it
/// is, `null` clears it, a value replaces it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivatePatch {
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub recipient_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub recipient_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub notes: Option<Option<String>>,
}

impl PrivatePatch {
    /// The whole block after this patch is applied to `old`.
    pub(crate) fn applied_to(&self, old: &TaskPrivateRow) -> PrivateInput {
        let merge = |patch: &Option<Option<String>>, old: &Option<String>| match patch {
            None => old.clone(),
            Some(new) => new.clone(),
        };
        PrivateInput {
            address: merge(&self.address, &old.address),
            recipient_name: merge(&self.recipient_name, &old.recipient_name),
            recipient_phone: merge(&self.recipient_phone, &old.recipient_phone),
            notes: merge(&self.notes, &old.notes),
        }
    }
}

pub(crate) fn check_private(
    v: &mut Validator,
    task_id: Uuid,
    input: &PrivateInput,
) -> TaskPrivateRow {
    let mut field = |name: &str, value: &Option<String>, max: usize, line: bool| {
        let value = value.as_deref()?;
        let checked = if line {
            crate::domain::check_line(value, max)
        } else {
            rules::check_text(value, max)
        };
        v.check(&format!("private.{name}"), checked)
            .filter(|s| !s.is_empty())
    };
    TaskPrivateRow {
        task_id,
        address: field("address", &input.address, 300, false),
        recipient_name: field("recipient_name", &input.recipient_name, 200, true),
        recipient_phone: field("recipient_phone", &input.recipient_phone, 32, true),
        notes: field("notes", &input.notes, 2000, false),
    }
}

/// A new task as posted.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i32>,
    pub spots: Option<i32>,
    pub area_hint: Option<String>,
    pub private: Option<PrivateInput>,
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
            Some(_) => v.error("category_id", "is not an active category"),
            None => v.error("category_id", "is not a category"),
        }
    }
    if let Some(council_id) = council_id
        && !reference_db::council_is_active(conn, council_id).await?
    {
        v.error("council_id", "is not an active council");
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
            "is required when an admin posts a task",
        ),
        Some(id) if !reference_db::service_unit_exists(conn, id).await? => {
            v.error(&field("service_unit_id"), "is not a service unit")
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
) -> Result<(TaskRow, TaskPrivateRow), DomainError> {
    permissions::require_role(user, &[Role::Staff, Role::Admin])?;
    let unit = posting_unit(user, input.service_unit_id)?;
    let mut v = Validator::new();
    check_category_and_council(conn, &mut v, Some(input.category_id), input.council_id).await?;
    let fields = check_shared_fields(
        conn,
        &mut v,
        "",
        &input.title,
        &input.description,
        unit,
        input.duration_minutes,
        input.spots,
        input.area_hint.as_deref(),
    )
    .await?;
    if let Err(m) = check_instant(input.starts_at) {
        v.error("starts_at", m);
    } else if input.starts_at <= Utc::now() {
        v.error("starts_at", "must be in the future");
    }
    if let Some(end) = input.ends_at {
        if let Err(m) = check_instant(end) {
            v.error("ends_at", m);
        } else if end <= input.starts_at {
            v.error("ends_at", "must be after starts_at");
        }
    }
    let id = Uuid::now_v7();
    let private = check_private(&mut v, id, &input.private.unwrap_or_default());
    v.finish()?;
    let (Some(title), Some(description), Some(spots), Some(unit)) =
        (fields.title, fields.description, fields.spots, unit)
    else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    crate::services::opt_outs::refuse_if_opted_out(conn, input.council_id, input.category_id)
        .await?;
    let task = db::insert(
        conn,
        &NewTaskRow {
            id,
            title,
            description,
            category_id: input.category_id,
            council_id: input.council_id,
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
        if let Err(m) = check_instant(starts_at) {
            v.error("starts_at", m);
        } else if starts_at <= Utc::now() {
            v.error("starts_at", "must be in the future");
        }
        changes.starts_at = Some(starts_at);
        fields.push("starts_at");
    }
    let ends_at = input.ends_at.unwrap_or(task.ends_at);
    if let Some(Err(m)) = ends_at.map(check_instant) {
        v.error("ends_at", m);
    } else if ends_at.is_some_and(|e| e <= starts_at) {
        v.error("ends_at", "must be after starts_at");
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
    let updated = db::update(conn, id, &changes).await?;
    db::insert_event(conn, id, Some(user.id), EventKind::Updated, &fields).await?;
    // More spots on a task that was full: a spot opened, for its watchers.
    if updated.spots > task.spots && task.status == TaskStatus::Filled {
        crate::services::watches::spot_opened(conn, &updated, None).await?;
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

/// Cancels a live task: its active claims are voided and their holders told.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    reason: &str,
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
) -> Result<TaskRow, DomainError> {
    let task = db::find_for_update(conn, id).await?.ok_or_else(not_found)?;
    permissions::require_unit_member(user, task.service_unit_id)?;
    if !task.status.is_live() {
        return Err(not_open("only open or filled tasks can be completed"));
    }
    if task.starts_at > Utc::now() {
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
                    "is not an active claim on this task",
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
            v.error(
                "hours",
                "is required: the task has neither an end time nor a duration",
            );
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
    )
    .await?;
    for claim in &claims {
        let minutes = per_claim.get(&claim.id).copied().or(everyone).unwrap_or(0);
        db::complete_claim(conn, claim.id, minutes).await?;
    }
    db::insert_event(conn, task.id, actor, event, &[]).await?;
    db::find(conn, task.id).await?.ok_or_else(not_found)
}

fn unique_or_check(e: DieselError) -> DomainError {
    match &e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            DomainError::new(ErrorCode::AlreadyClaimed, "you already hold this task")
        }
        DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info)
            if info.constraint_name() == Some("tasks_never_overfilled") =>
        {
            DomainError::new(ErrorCode::TaskFull, "every spot on this task is taken")
        }
        _ => e.into(),
    }
}

/// Claims a task for the caller — only ever for the caller. The task row is locked, the
/// checks run in `docs/PRODUCT.md`'s order (`domain::task::claim_refusal`), and the
/// database refuses an over-fill regardless. Nine statements with the caller's lookup:
/// the caller's qualification records (locked against a revocation), the task's lock
/// (with the unit, the opt-out and the category's requirements) and the caller's claims
/// in one round trip, then the claim, its events and its emails in another.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task_id: TaskId,
    zone: chrono_tz::Tz,
) -> Result<ClaimRow, DomainError> {
    claim_as(conn, user, task_id, zone, true).await
}

/// The claim, with or without the volunteer's own confirmation email (a series claim
/// sends one for all its occurrences).
pub async fn claim_as(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task_id: TaskId,
    zone: chrono_tz::Tz,
    confirm: bool,
) -> Result<ClaimRow, DomainError> {
    let id = task_id.0;
    // Statements that do not wait on one another's answers are pipelined: sent together
    // on the one connection, executed in order by PostgreSQL, answered in one round trip.
    // The records are locked before the task, as a revocation locks them before tasks.
    let shared: &AsyncPgConnection = conn;
    let (mut c0, mut c1, mut c2) = (shared, shared, shared);
    let (records, target, mine) = futures_util::try_join!(
        qualification_db::lock_for_claim(&mut c0, user.id, id),
        db::lock_for_claim(&mut c1, id),
        db::active_claims_with_tasks(&mut c2, user.id),
    )?;
    let target = target.ok_or_else(not_found)?;
    let task = &target.task;
    let held: Vec<_> = records.iter().map(|r| r.held()).collect();
    let missing = crate::domain::qualification::missing(
        &target.required_qualifications,
        &held,
        local_date(task.starts_at, zone),
    );
    let facts = rules::ClaimFacts {
        role_may_claim: user.role.may_claim(),
        email_verified: user.email_verified,
        already_holds: mine.iter().any(|(claim, _)| claim.task_id == id),
        status: task.status,
        starts_at: task.starts_at,
        now: Utc::now(),
        council_opted_out: target.council_opted_out,
        qualification_missing: !missing.is_empty(),
        active_claims: task.active_claims,
        spots: task.spots,
        overlapping: rules::first_overlap(
            (task.id, task.starts_at, task.ends_at, task.duration_minutes),
            mine.iter()
                .map(|(_, t)| (t.id, t.starts_at, t.ends_at, t.duration_minutes)),
        ),
    };
    if let Some(refusal) = rules::claim_refusal(&facts) {
        return Err(refused(conn, task, refusal, &missing).await);
    }

    // What the claim makes of the task, known without reading it again: the trigger adds
    // the claim to the count and fills the task when it is full.
    let mut after = task.clone();
    after.active_claims += 1;
    after.status = TaskStatus::for_claims(after.active_claims, after.spots);
    let filled = after.status == TaskStatus::Filled;
    let facts = TaskFacts::of(&after);
    let unit = UnitFacts {
        name: target.unit_name.clone(),
        email: target.unit_email.clone(),
        phone: target.unit_phone.clone(),
    };
    let mut notices = Vec::with_capacity(3);
    if confirm {
        notices.push(Notification::to_user(
            &user.row,
            Intent::ClaimConfirmation {
                name: greeting_name(&user.row),
                task: facts.clone(),
                unit: unit.clone(),
            },
        ));
    }
    notices.push(Notification::to_unit(
        &unit.email,
        Intent::TaskClaimed {
            task: facts.clone(),
        },
    ));
    // The event names no volunteer: who holds a spot is what the claimants list says, and
    // a claim event with a name would attribute a later release (principle 2).
    let mut events = vec![(None, EventKind::Claimed)];
    if filled {
        notices.push(Notification::to_unit(
            &unit.email,
            Intent::TaskFilled { task: facts },
        ));
        events.push((None, EventKind::Filled));
    }

    // The writes: one round trip. A failed insert aborts the transaction, so the
    // statements after it fail too; its own error is the answer.
    let shared: &AsyncPgConnection = conn;
    let (mut c1, mut c2, mut c3) = (shared, shared, shared);
    let (claim, (), _) = futures_util::try_join!(
        async {
            db::insert_claim(&mut c1, task_id, user.user_id())
                .await
                .map_err(unique_or_check)
        },
        async {
            db::insert_events(&mut c2, id, &events)
                .await
                .map_err(DomainError::from)
        },
        async {
            notify::send(&mut c3, &notices)
                .await
                .map(|_| ())
                .map_err(DomainError::from)
        },
    )?;
    tracing::info!(task.id = %id, user.id = %user.id, claim.id = %claim.id, "task claimed");
    Ok(claim)
}

/// The answer to a refused claim.
async fn refused(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    refusal: rules::ClaimRefusal,
    missing: &[Uuid],
) -> DomainError {
    use rules::ClaimRefusal as R;
    match refusal {
        R::RoleMayNotClaim => DomainError::forbidden("only volunteers and coordinators take tasks"),
        R::EmailNotVerified => DomainError::new(
            ErrorCode::EmailNotVerified,
            "confirm your email address before taking tasks",
        ),
        R::AlreadyClaimed => {
            DomainError::new(ErrorCode::AlreadyClaimed, "you already hold this task")
        }
        R::NotOpen => not_open("this task no longer takes volunteers"),
        // The refusal names council, category, since-when and reason: read only now.
        R::CouncilOptedOut => {
            match crate::services::opt_outs::refuse_claim_if_opted_out(conn, task).await {
                Err(e) => e,
                Ok(()) => DomainError::new(
                    ErrorCode::CouncilOptedOut,
                    "the council has opted out of this category",
                ),
            }
        }
        R::QualificationMissing => DomainError::new(
            ErrorCode::QualificationMissing,
            "this category needs a qualification you have not shown the municipality yet",
        )
        .with_extra("missing", serde_json::json!(missing)),
        R::Full => DomainError::new(ErrorCode::TaskFull, "every spot on this task is taken"),
        R::ScheduleConflict(other) => DomainError::new(
            ErrorCode::ScheduleConflict,
            "you hold another task at the same time",
        )
        .with_extra("conflicting_task_id", serde_json::json!(other)),
    }
}

/// Gives a claim back, until the task ends; the spot reopens at once.
pub async fn release(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
) -> Result<ClaimRow, DomainError> {
    let task = db::find_for_update(conn, id).await?.ok_or_else(not_found)?;
    let Some(claim) = db::active_claim(conn, TaskId(id), user.user_id()).await? else {
        return Err(DomainError::new(
            ErrorCode::NotClaimant,
            "you hold no active claim on this task",
        ));
    };
    if Utc::now() >= rules::effective_end(task.starts_at, task.ends_at, task.duration_minutes) {
        return Err(not_open("the task has ended"));
    }
    release_locked(conn, &task, &claim, ReleaseCause::Volunteer).await
}

/// Releases `claim` on the locked `task`: an event that names no one (neither the
/// volunteer nor whoever closed their account) and the unit's email, naming no one.
pub async fn release_locked(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    claim: &ClaimRow,
    why: ReleaseCause,
) -> Result<ClaimRow, DomainError> {
    let released = db::release_claim(conn, claim.id).await?;
    db::insert_event(conn, task.id, None, EventKind::Released, &[]).await?;
    // Giving back one occurrence of a followed series ends the follow: nothing more is
    // taken in the volunteer's name after they have said no to one.
    if let Some(series_id) = task.series_id {
        crate::db::series::end_follow(
            conn,
            series_id,
            claim.volunteer_id,
            crate::domain::follow::FollowEnd::Released,
            Utc::now(),
        )
        .await?;
    }
    let freed = match why {
        ReleaseCause::Volunteer => SpotFreed::Released,
        ReleaseCause::AccountClosed => SpotFreed::AccountClosed,
    };
    spot_reopened(conn, task, claim, freed).await?;
    tracing::info!(task.id = %task.id, claim.id = %claim.id, "claim released");
    Ok(released)
}

/// Voids `claim` on the locked `task` because its claimant's qualification was revoked:
/// the unit hears of it as of a release, naming neither the person nor the reason.
pub async fn void_locked(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    claim: &ClaimRow,
) -> Result<ClaimRow, DomainError> {
    let voided = db::void_claim(conn, claim.id).await?;
    db::insert_event(conn, task.id, None, EventKind::ClaimVoided, &[]).await?;
    spot_reopened(conn, task, claim, SpotFreed::Voided).await?;
    Ok(voided)
}

/// After `claim` ended on the locked `task`: a filled task that opened again says so,
/// the unit is told a spot is free, and the spot waits for its broadcast (never to the
/// one who left).
async fn spot_reopened(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    claim: &ClaimRow,
    freed: SpotFreed,
) -> Result<(), DomainError> {
    let after = db::find(conn, task.id).await?.ok_or_else(not_found)?;
    crate::services::watches::spot_opened(conn, &after, Some(UserId(claim.volunteer_id))).await?;
    if task.status == TaskStatus::Filled && after.status == TaskStatus::Open {
        db::insert_event(conn, task.id, None, EventKind::Reopened, &[]).await?;
    }
    let unit = db::unit_contact(conn, task.service_unit_id).await?;
    notify::send(
        conn,
        &[Notification::to_unit(
            &unit.1,
            Intent::TaskReleased {
                task: TaskFacts::of(&after),
                freed,
            },
        )],
    )
    .await?;
    Ok(())
}

/// Why a claim is released: the volunteer gave it back, or their account was closed
/// (deactivation, erasure) — the unit is told which, naming no one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseCause {
    Volunteer,
    AccountClosed,
}

/// Releases every active claim of a person (deactivation, erasure) and ends their
/// following of series; each unit is told a spot is free because an account was closed.
pub async fn release_all_of(
    conn: &mut AsyncPgConnection,
    volunteer_id: Uuid,
) -> Result<usize, DomainError> {
    crate::db::series::end_follows_of(
        conn,
        volunteer_id,
        crate::domain::follow::FollowEnd::Deactivated,
        Utc::now(),
    )
    .await?;
    let held = db::active_claims_with_tasks(conn, volunteer_id).await?;
    let count = held.len();
    for (claim, task) in held {
        let Some(task) = db::find_for_update(conn, task.id).await? else {
            continue;
        };
        release_locked(conn, &task, &claim, ReleaseCause::AccountClosed).await?;
    }
    Ok(count)
}

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
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<TaskView>, DomainError> {
    let filter = resolve_filter(conn, user, query).await?;
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
/// opted-out categories and tasks their council has opted out of; staff see their unit's tasks.
pub async fn resolve_filter(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    q: &TaskQuery,
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
                filter.upcoming_only = true;
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
