//! A freed spot finds a volunteer: a volunteer watches a full task, and when a spot
//! opens before the start its watchers — and, within 72 hours of the start, the volunteers
//! who asked to hear of spots near them — are told by push and email. Nobody is given the
//! spot: the first to claim it gets it. At most one broadcast per task per six hours, none
//! in the quiet hours (held until they end). Nobody but the watcher sees a watch.

use chrono::{DateTime, Duration, Timelike, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::tasks::{self as task_db, TaskRow};
use crate::db::watches as db;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::push::QuietHours;
use crate::domain::task::TaskStatus;
use crate::domain::time::local_date;
use crate::notify::greeting_name;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts};

/// The least time between two broadcasts of one task's spots.
pub const BROADCAST_GAP: Duration = Duration::hours(6);

/// How close to the start the volunteers who asked hear of a spot (watchers always do).
pub const NEAR_START: Duration = Duration::hours(72);

/// Starts watching a full task that has not started. Returns whether the watch is new,
/// since when it stands, and the task.
pub async fn watch(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(bool, DateTime<Utc>, TaskRow), DomainError> {
    if !user.role.may_claim() {
        return Err(DomainError::forbidden("only volunteers watch tasks"));
    }
    let task = task_db::find(conn, task_id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such task"))?;
    if !task.status.is_live() || task.starts_at <= now {
        return Err(DomainError::new(
            ErrorCode::TaskNotOpen,
            "the task takes no volunteers any more",
        ));
    }
    if task_db::active_claim(conn, TaskId(task_id), user.user_id())
        .await?
        .is_some()
    {
        return Err(DomainError::new(
            ErrorCode::AlreadyClaimed,
            "you hold this task already",
        ));
    }
    if task.status == TaskStatus::Open {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "a spot is free: claim it instead of watching",
        ));
    }
    let (new, since) = db::watch(conn, task_id, user.id, now).await?;
    Ok((new, since, task))
}

/// Stops watching; 404 when the caller did not watch the task.
pub async fn unwatch(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task_id: Uuid,
) -> Result<(), DomainError> {
    if db::unwatch(conn, task_id, user.id).await? {
        Ok(())
    } else {
        Err(DomainError::not_found("you do not watch this task"))
    }
}

/// The caller's watches of tasks that have not started, with the tasks.
pub async fn mine(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, TaskRow)>, DomainError> {
    Ok(db::of_user(conn, user.id, now).await?)
}

/// Notes, in the transaction of the change, that a spot opened on `task` because
/// `leaver` left (none when spots were raised); the periodic job broadcasts it.
pub async fn spot_opened(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
    leaver: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    if task.starts_at > now {
        db::record_opening(conn, task.id, leaver.map(|u| u.0), now).await?;
    }
    Ok(())
}

/// Broadcasts the spots that opened, unless it is the quiet hours (they wait). A task
/// that filled again, started, is opted out, or was broadcast less than six hours ago is
/// let be. Returns how many tasks were broadcast.
pub async fn broadcast_due(
    conn: &mut AsyncPgConnection,
    zone: chrono_tz::Tz,
    quiet: Option<QuietHours>,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    if quiet.is_some_and(|q| q.contains(now.with_timezone(&zone).hour())) {
        return Ok(0);
    }
    conn.transaction(async |conn| {
        let mut broadcast = 0;
        for opening in db::pending(conn).await? {
            let Some(task) = task_db::find(conn, opening.task_id).await? else {
                continue;
            };
            let opted_out = match task.council_id {
                Some(council) => crate::db::opt_outs::in_force(conn, council, task.category_id)
                    .await?
                    .is_some(),
                None => false,
            };
            let recent = opening
                .last_broadcast_at
                .is_some_and(|at| now - at < BROADCAST_GAP);
            if task.status != TaskStatus::Open || task.starts_at <= now || opted_out || recent {
                db::settle(conn, task.id, None).await?;
                continue;
            }
            let near = task.starts_at - now <= NEAR_START;
            let on = local_date(task.starts_at, zone);
            let people = db::recipients(conn, &task, on, &opening.leavers, near).await?;
            let notices: Vec<Notification> = people
                .iter()
                .map(|(person, watching)| {
                    Notification::to_user(
                        person,
                        Intent::SpotOpened {
                            name: greeting_name(person),
                            task: TaskFacts::of(&task),
                            watching: *watching,
                        },
                    )
                })
                .collect();
            notify::send(conn, &notices).await?;
            db::settle(conn, task.id, Some(now)).await?;
            tracing::info!(task.id = %task.id, recipients = notices.len(), "freed spot broadcast");
            broadcast += 1;
        }
        Ok::<_, DomainError>(broadcast)
    })
    .await
}
