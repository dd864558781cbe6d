//! Periodic jobs inside `serve`: reminders 24 hours before a task, the daily digest,
//! qualification expiry notices, occurrences of task series eight weeks ahead, the retention purge of private blocks, expiry of unclaimed
//! started tasks, auto-completion seven days after the end, and forgetting old idempotency
//! keys. Each run is idempotent, and a PostgreSQL advisory lock lets only one process run
//! them at a time.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use secrecy::ExposeSecret;
use tokio::sync::watch;

use crate::db::{DbPool, tasks as task_db, users as users_db};
use crate::domain::error::DomainError;
use crate::domain::task::EventKind;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts, greeting_name};
use crate::services::tasks::{Completion, complete_locked};
use crate::settings::Settings;

const JOBS_LOCK: i64 = 0x6475_676e_6164_0003;
const INTERVAL: Duration = Duration::from_secs(60);

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobReport {
    pub inactivity_warnings: usize,
    pub inactive_erased: usize,
    pub private_purged: usize,
    pub reminders: usize,
    pub digests: usize,
    pub expired: usize,
    pub auto_completed: usize,
    pub idempotency_keys_forgotten: usize,
    /// Dead, dropped and never-delivered emails past `DUGNAD_OUTBOX_RETENTION_DAYS`.
    pub outbox_forgotten: usize,
    /// Volunteers told a qualification runs out within thirty days.
    pub qualification_notices: usize,
    /// Occurrences of task series made up to eight weeks ahead.
    pub occurrences_generated: usize,
    /// Tasks whose freed spot was broadcast to watchers and volunteers nearby.
    pub spots_broadcast: usize,
    /// Authenticator keys an earlier version kept in the clear, sealed now.
    pub totp_secrets_sealed: usize,
}

/// Runs every job once as at `now` (the clock's time: reminders are due relative to it),
/// if no other process is running them. `None` when another holds the lock.
pub async fn run_once_at(
    pool: &DbPool,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Option<JobReport>, DomainError> {
    let mut conn = pool.get().await?;
    let locked: bool = {
        use diesel::sql_types::BigInt;
        diesel::define_sql_function!(fn pg_try_advisory_lock(key: BigInt) -> Bool);
        diesel_async::RunQueryDsl::get_result(
            diesel::select(pg_try_advisory_lock(JOBS_LOCK)),
            &mut conn,
        )
        .await?
    };
    if !locked {
        return Ok(None);
    }
    let report = run_jobs(&mut conn, settings, now).await;
    conn.batch_execute(&format!("SELECT pg_advisory_unlock({JOBS_LOCK})"))
        .await?;
    report.map(Some)
}

async fn run_jobs(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<JobReport, DomainError> {
    let reminders = conn
        .transaction(async |conn| send_reminders(conn, now).await)
        .await?;
    let digests = conn
        .transaction(async |conn| send_digests(conn, settings.timezone, now).await)
        .await?;
    let qualification_notices = conn
        .transaction(async |conn| {
            crate::services::qualifications::send_expiry_notices(conn, settings.timezone, now).await
        })
        .await?;
    let occurrences_generated =
        crate::services::series::generate_due(conn, settings.timezone, now).await?;
    let private_purged = crate::services::retention::purge(conn, now, settings.retention_days)
        .await?
        .len();
    let spots_broadcast =
        crate::services::watches::broadcast_due(conn, settings.timezone, settings.quiet_hours, now)
            .await?;
    crate::db::watches::end_started(conn, now).await?;
    // Unlock links of the failed-login step-up: each unlock lasts an hour.
    crate::db::tokens::forget_login_unlocks(conn, now - chrono::Duration::days(1)).await?;
    let outbox_forgotten =
        crate::db::outbox::purge_older_than(conn, settings.outbox_retention_days).await?;
    let (inactivity_warnings, inactive_erased) =
        crate::services::erasure::inactive_accounts(conn, now).await?;
    let expired = conn
        .transaction(async |conn| {
            let ids = task_db::expire_unclaimed(conn, now).await?;
            for id in &ids {
                task_db::insert_event(conn, *id, None, EventKind::Expired, &[]).await?;
            }
            Ok::<_, DomainError>(ids.len())
        })
        .await?;
    let cutoff = now - chrono::Duration::days(7);
    let auto_completed = conn
        .transaction(async |conn| {
            let mut done = 0;
            for task in task_db::ended_with_claims(conn, cutoff).await? {
                // Hours default to the task's length; a task with neither an end nor a
                // duration is credited nothing rather than guessed.
                complete_locked(
                    conn,
                    None,
                    &task,
                    Completion::default(),
                    Some(0),
                    EventKind::AutoCompleted,
                    now,
                )
                .await?;
                done += 1;
            }
            Ok::<_, DomainError>(done)
        })
        .await?;
    // Console sessions past their 12 hours open nothing; their rows go too.
    crate::db::console::purge_expired_sessions(conn, now).await?;
    crate::db::console::forget_drafts(conn, now - crate::services::sessions::DRAFT_TTL).await?;
    let totp_secrets_sealed = crate::services::second_factor::seal_clear_secrets(
        conn,
        &crate::auth::keys::ServerKeys::from_settings(settings),
    )
    .await?;
    let report = JobReport {
        inactivity_warnings,
        inactive_erased,
        private_purged,
        reminders,
        digests,
        expired,
        auto_completed,
        idempotency_keys_forgotten: crate::db::idempotency::purge_expired(conn).await?,
        outbox_forgotten,
        qualification_notices,
        occurrences_generated,
        spots_broadcast,
        totp_secrets_sealed,
    };
    if report != JobReport::default() {
        tracing::info!(
            reminders.sent = report.reminders,
            digests.sent = report.digests,
            qualifications.expiry_notices = report.qualification_notices,
            series.occurrences = report.occurrences_generated,
            spots.broadcast = report.spots_broadcast,
            tasks.expired = report.expired,
            tasks.auto_completed = report.auto_completed,
            idempotency.forgotten = report.idempotency_keys_forgotten,
            "periodic jobs"
        );
    }
    Ok(report)
}

/// Reminders 24 hours before the start, each with a one-click release link.
async fn send_reminders(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let mut notices = Vec::new();
    for (claim, task) in task_db::take_due_reminders(conn, now).await? {
        let Some(volunteer) = users_db::find(conn, claim.volunteer_id).await? else {
            continue;
        };
        notices.push(Notification::to_user(
            &volunteer,
            Intent::Reminder {
                name: greeting_name(&volunteer),
                task: TaskFacts::of(&task),
                claim_id: claim.id,
            },
        ));
    }
    Ok(notify::send(conn, &notices).await?)
}

/// The daily digest of new matching tasks, for those who asked; nothing when nothing is new.
async fn send_digests(
    conn: &mut AsyncPgConnection,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let mut notices = Vec::new();
    for (user, previous) in users_db::digest_due(conn, now).await? {
        if !users_db::take_digest(conn, user.id, previous, now).await? {
            continue;
        }
        let since = previous.unwrap_or(now - chrono::Duration::hours(24));
        let tasks = task_db::digest_for(conn, &user, zone.name(), since, now).await?;
        if tasks.is_empty() {
            continue;
        }
        notices.push(Notification::to_user(
            &user,
            Intent::NewTasksDigest {
                name: greeting_name(&user),
                tasks: tasks.iter().map(TaskFacts::of).collect(),
            },
        ));
    }
    Ok(notify::send(conn, &notices).await?)
}

/// Runs the jobs every minute until `shutdown` turns true.
/// Broadcasts freed spots as they open: woken by the `NOTIFY` of a pending opening's
/// commit, so a watcher hears within seconds of the release, not at the next minute's
/// job (which still broadcasts what waited out the quiet hours). Every process may run
/// it; an opening is locked by the one that broadcasts it.
pub async fn run_broadcasts(
    pool: DbPool,
    settings: Settings,
    clock: crate::clock::Clock,
    shutdown: watch::Receiver<bool>,
) {
    let broadcast = || async {
        let mut conn = pool.get().await?;
        let n = crate::services::watches::broadcast_due(
            &mut conn,
            settings.timezone,
            settings.quiet_hours,
            clock.now(),
        )
        .await?;
        Ok::<_, anyhow::Error>(n)
    };
    crate::db::listen::drain_loop(
        settings.database_url.expose_secret().to_owned(),
        "dugnad_spot_opened",
        INTERVAL,
        shutdown,
        "freed-spot broadcast",
        broadcast,
    )
    .await;
}

pub async fn run(
    pool: DbPool,
    settings: Settings,
    clock: crate::clock::Clock,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = run_once_at(&pool, &settings, clock.now()).await {
            tracing::warn!(error = ?e, "periodic jobs failed; will try again");
        }
        tokio::select! {
            _ = tokio::time::sleep(INTERVAL) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
