//! Claiming and releasing: the claim's checks in PRODUCT.md's order, releases (by the
//! volunteer, a closed account or a voided claim) and the spot they free.

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{not_found, not_open};
use crate::auth::AuthUser;
use crate::db::qualifications as qualification_db;
use crate::db::tasks::{self as db, ClaimRow, TaskRow};
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::{self as rules, EventKind, TaskStatus};
use crate::domain::time::local_date;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts, UnitFacts};
use crate::notify::{SpotFreed, greeting_name};

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
    now: DateTime<Utc>,
) -> Result<ClaimRow, DomainError> {
    claim_as(conn, user, task_id, zone, true, now).await
}

/// The claim, with or without the volunteer's own confirmation email (a series claim
/// sends one for all its occurrences).
pub async fn claim_as(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task_id: TaskId,
    zone: chrono_tz::Tz,
    confirm: bool,
    now: DateTime<Utc>,
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
        now,
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
    now: DateTime<Utc>,
) -> Result<ClaimRow, DomainError> {
    let task = db::find_for_update(conn, id).await?.ok_or_else(not_found)?;
    let Some(claim) = db::active_claim(conn, TaskId(id), user.user_id()).await? else {
        return Err(DomainError::new(
            ErrorCode::NotClaimant,
            "you hold no active claim on this task",
        ));
    };
    if now >= rules::effective_end(task.starts_at, task.ends_at, task.duration_minutes) {
        return Err(not_open("the task has ended"));
    }
    release_locked(conn, &task, &claim, ReleaseCause::Volunteer, now).await
}

/// Releases `claim` on the locked `task`: an event that names no one (neither the
/// volunteer nor whoever closed their account) and the unit's email, naming no one.
pub async fn release_locked(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    claim: &ClaimRow,
    why: ReleaseCause,
    now: DateTime<Utc>,
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
            now,
        )
        .await?;
    }
    let freed = match why {
        ReleaseCause::Volunteer => SpotFreed::Released,
        ReleaseCause::AccountClosed => SpotFreed::AccountClosed,
    };
    spot_reopened(conn, task, claim, freed, now).await?;
    tracing::info!(task.id = %task.id, claim.id = %claim.id, "claim released");
    Ok(released)
}

/// Voids `claim` on the locked `task` because its claimant's qualification was revoked:
/// the unit hears of it as of a release, naming neither the person nor the reason.
pub async fn void_locked(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    claim: &ClaimRow,
    now: DateTime<Utc>,
) -> Result<ClaimRow, DomainError> {
    let voided = db::void_claim(conn, claim.id).await?;
    db::insert_event(conn, task.id, None, EventKind::ClaimVoided, &[]).await?;
    spot_reopened(conn, task, claim, SpotFreed::Voided, now).await?;
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
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let after = db::find(conn, task.id).await?.ok_or_else(not_found)?;
    crate::services::watches::spot_opened(conn, &after, Some(UserId(claim.volunteer_id)), now)
        .await?;
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
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    crate::db::series::end_follows_of(
        conn,
        volunteer_id,
        crate::domain::follow::FollowEnd::Deactivated,
        now,
    )
    .await?;
    let held = db::active_claims_with_tasks(conn, volunteer_id).await?;
    let count = held.len();
    for (claim, task) in held {
        let Some(task) = db::find_for_update(conn, task.id).await? else {
            continue;
        };
        release_locked(conn, &task, &claim, ReleaseCause::AccountClosed, now).await?;
    }
    Ok(count)
}
