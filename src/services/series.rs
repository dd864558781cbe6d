//! Recurring tasks: staff post a series (a template and a rule); its occurrences are
//! ordinary tasks, generated at creation and by the periodic job up to eight weeks ahead,
//! each at the template's local wall-clock time in `DUGNAD_TIMEZONE`. Generation is
//! idempotent — one occurrence per (series, date), held by a unique key — and pauses
//! while the series' council has opted out of its category.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
/// A series as the services answer it.
pub use crate::db::series::SeriesRow;
use crate::db::series::{self as db, FollowRow, SeriesEventRow, SeriesPrivateRow};
use crate::db::tasks::{self as task_db, NewTaskRow, TaskPrivateRow, TaskRow};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::follow::{self, FollowEnd};
use crate::domain::recurrence::{self, End, Freq, Recurrence, SeriesEventKind};
use crate::domain::task::{self as rules, EventKind};
use crate::domain::time::{check_future, local_date};
use crate::services::tasks::{
    PrivatePatch, TaskFields, check_category_and_council, check_private, check_shared_fields,
};
use crate::validation::Validator;

/// How far ahead occurrences exist.
pub const HORIZON: Duration = Duration::weeks(8);

/// A series as posted: the task fields of `POST /tasks` without a start or an end, the
/// first start, and the rule.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub template: TaskFields,
    pub first_starts_at: DateTime<Utc>,
    pub freq: String,
    pub interval: Option<i64>,
    pub by_weekday: Vec<String>,
    pub count: Option<i64>,
    pub until: Option<NaiveDate>,
}

/// The rule a stored series follows.
/// The local date of the series' first occurrence: the first date of its rule, which is
/// not the date of `first_starts_at` when that falls on another weekday than the rule's.
pub fn first_occurrence(s: &SeriesRow) -> NaiveDate {
    rule_of(s)
        .dates(s.first_date, NaiveDate::MAX)
        .first()
        .copied()
        .unwrap_or(s.first_date)
}

pub fn rule_of(s: &SeriesRow) -> Recurrence {
    Recurrence {
        freq: Freq::parse(&s.freq).unwrap_or(Freq::Weekly),
        interval: u32::try_from(s.every).unwrap_or(1),
        by_weekday: s
            .by_weekday
            .iter()
            .filter_map(|d| recurrence::parse_weekday(d))
            .collect(),
        end: match (s.occurrences, s.until) {
            (Some(n), _) => End::Count(u32::try_from(n).unwrap_or(1)),
            (None, Some(d)) => End::Until(d),
            (None, None) => End::Count(1),
        },
    }
}

/// Posts a series for the caller's unit (staff) or a named unit (admins), and generates
/// its occurrences up to eight weeks after `now`.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    input: NewSeries,
    now: DateTime<Utc>,
) -> Result<(SeriesRow, Vec<TaskRow>), DomainError> {
    permissions::require_role(user, &[Role::Staff, Role::Admin])?;
    let mut v = Validator::new();
    let (fields, unit) =
        crate::services::tasks::check_fields(conn, &mut v, user, "template.", &input.template)
            .await?;
    v.check("first_starts_at", check_future(input.first_starts_at, now));
    let id = Uuid::now_v7();
    let private = check_private(
        &mut v,
        id,
        &input.template.private.clone().unwrap_or_default(),
    );
    let local = input.first_starts_at.with_timezone(&zone);
    let first = local.date_naive();
    let rule = match Recurrence::check(
        &input.freq,
        input.interval,
        &input.by_weekday,
        input.count,
        input.until,
        first,
    ) {
        Ok(rule) => Some(rule),
        Err(errors) => {
            for (field, message) in errors {
                v.error(field, message);
            }
            None
        }
    };
    v.finish()?;
    let (Some(title), Some(description), Some(spots), Some(unit), Some(rule)) =
        (fields.title, fields.description, fields.spots, unit, rule)
    else {
        return Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let (category_id, council_id) = (input.template.category_id, input.template.council_id);
    crate::services::opt_outs::refuse_if_opted_out(conn, council_id, category_id).await?;
    let row = db::insert(
        conn,
        &SeriesRow {
            id,
            service_unit_id: unit,
            created_by: Some(user.id),
            title,
            description,
            category_id,
            council_id,
            duration_minutes: fields.duration_minutes,
            spots,
            area_hint: fields.area_hint,
            first_date: first,
            local_time: local.time(),
            freq: rule.freq.as_str().to_owned(),
            every: i32::try_from(rule.interval).unwrap_or(1),
            by_weekday: rule
                .by_weekday
                .iter()
                .map(|d| recurrence::weekday_str(*d).to_owned())
                .collect(),
            occurrences: match rule.end {
                End::Count(n) => i32::try_from(n).ok(),
                End::Until(_) => None,
            },
            until: match rule.end {
                End::Until(d) => Some(d),
                End::Count(_) => None,
            },
            cancelled_from: None,
            cancelled_at: None,
            created_at: now,
            updated_at: now,
            rule_from: None,
            terms_version: 1,
        },
    )
    .await?;
    if private
        != (TaskPrivateRow {
            task_id: id,
            ..Default::default()
        })
    {
        db::insert_private(
            conn,
            &SeriesPrivateRow {
                series_id: id,
                address: private.address,
                recipient_name: private.recipient_name,
                recipient_phone: private.recipient_phone,
                notes: private.notes,
            },
        )
        .await?;
    }
    record(
        conn,
        id,
        Some(user.id),
        SeriesEventKind::Created,
        Vec::new(),
        None,
        now,
    )
    .await?;
    let made = generate(conn, &row, zone, now, Some(user.id)).await?;
    tracing::info!(series.id = %id, occurrences = made.len(), "task series posted");
    Ok((row, made))
}

/// Makes the series' missing occurrences that start after `now` and fall on a local date
/// up to eight weeks ahead; none while the council has opted out of the category. A date
/// another process made already is skipped (the unique key decides).
pub async fn generate(
    conn: &mut AsyncPgConnection,
    series: &SeriesRow,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
    actor: Option<Uuid>,
) -> Result<Vec<TaskRow>, DomainError> {
    generate_to(
        conn,
        series,
        zone,
        now,
        actor,
        local_date(now + HORIZON, zone),
    )
    .await
}

/// [`generate`] up to the local date `horizon` (an edit makes what comes before its date
/// by the rule as it was).
async fn generate_to(
    conn: &mut AsyncPgConnection,
    series: &SeriesRow,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    horizon: NaiveDate,
) -> Result<Vec<TaskRow>, DomainError> {
    if let Some(council) = series.council_id
        && crate::db::opt_outs::in_force(conn, council, series.category_id)
            .await?
            .is_some()
    {
        return Ok(Vec::new());
    }
    let have = db::occurrence_dates(conn, series.id).await?;
    let template = db::private_of(conn, series.id).await?;
    let mut made = Vec::new();
    for date in rule_of(series).dates(series.first_date, horizon) {
        if have.contains(&date)
            || series.cancelled_from.is_some_and(|from| date >= from)
            || series.rule_from.is_some_and(|from| date < from)
        {
            continue;
        }
        let starts_at = recurrence::resolve(date, series.local_time, &zone);
        if starts_at <= now {
            continue;
        }
        let id = Uuid::now_v7();
        let Some(task) = db::insert_occurrence(
            conn,
            &NewTaskRow {
                id,
                title: series.title.clone(),
                description: series.description.clone(),
                category_id: series.category_id,
                council_id: series.council_id,
                service_unit_id: series.service_unit_id,
                created_by: series.created_by,
                starts_at,
                ends_at: None,
                duration_minutes: series.duration_minutes,
                spots: series.spots,
                area_hint: series.area_hint.clone(),
                series_id: Some(series.id),
                occurrence_date: Some(date),
            },
        )
        .await?
        else {
            continue;
        };
        if let Some(p) = &template {
            task_db::upsert_private(
                conn,
                &TaskPrivateRow {
                    task_id: id,
                    address: p.address.clone(),
                    recipient_name: p.recipient_name.clone(),
                    recipient_phone: p.recipient_phone.clone(),
                    notes: p.notes.clone(),
                },
            )
            .await?;
        }
        task_db::insert_event(conn, id, actor, EventKind::Created, &[]).await?;
        made.push(task);
    }
    give_to_followers(conn, series, &made, zone, now).await?;
    Ok(made)
}

/// The periodic job: every live series, each in its own transaction. Returns how many
/// occurrences were made; forgets the private block of series with nothing left to hold.
pub async fn generate_due(
    conn: &mut AsyncPgConnection,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let mut made = 0;
    db::end_expired_follows(conn, now).await?;
    for series in db::live(conn, local_date(now, zone)).await? {
        made += conn
            .transaction(async |conn| {
                let new = generate(conn, &series, zone, now, None).await?;
                let horizon = local_date(now + HORIZON, zone);
                let rule = rule_of(&series);
                let all = rule.dates(series.first_date, NaiveDate::MAX);
                let exhausted = all.last().is_none_or(|last| *last <= horizon);
                if exhausted {
                    db::purge_private_if_done(conn, series.id).await?;
                }
                Ok::<_, DomainError>(new.len())
            })
            .await?;
    }
    Ok(made)
}

/// Cancels the series' occurrences from the local date `from` (today when absent) on:
/// each live one that has not started is cancelled as a task is (its claimants emailed
/// with the reason), and none is made from that date on. The unit and admins only.
/// Returns the series and how many occurrences were cancelled.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
    reason: &str,
    from: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(SeriesRow, usize), DomainError> {
    let series = db::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such series"))?;
    permissions::require_unit_member(user, series.service_unit_id)?;
    rules::check_reason(reason).map_err(|m| DomainError::invalid_field("reason", m))?;
    let from = from.unwrap_or_else(|| local_date(now, zone));
    // An earlier cancellation in force stands; a later `from` cannot undo it.
    let from = series
        .cancelled_from
        .map_or(from, |earlier| earlier.min(from));
    let series = db::cancel_from(conn, id, from).await?;
    db::end_follows_of_series(conn, id, FollowEnd::SeriesCancelled, now).await?;
    record(
        conn,
        id,
        Some(user.id),
        SeriesEventKind::Cancelled,
        Vec::new(),
        Some(from),
        now,
    )
    .await?;
    let occurrences: Vec<TaskRow> = db::upcoming(conn, id, now)
        .await?
        .into_iter()
        .filter(|t| t.occurrence_date.is_some_and(|d| d >= from))
        .collect();
    for task in &occurrences {
        crate::services::tasks::cancel(conn, user, task.id, reason, now).await?;
    }
    tracing::info!(series.id = %id, occurrences = occurrences.len(), "task series cancelled");
    Ok((series, occurrences.len()))
}

/// What a series claim did with one occurrence: the claim, or the code it was refused
/// with (`task_full`, `schedule_conflict`, `qualification_missing` …).
pub struct Outcome {
    pub task: TaskRow,
    pub claim: Option<crate::db::tasks::ClaimRow>,
    pub refused: Option<crate::domain::error::ErrorCode>,
}

/// What a series claim did: each occurrence, and the follow when one was asked for —
/// in force, or the code that kept it from starting.
pub struct SeriesClaim {
    pub outcomes: Vec<Outcome>,
    pub following: Option<FollowRow>,
    pub follow_refused: Option<ErrorCode>,
}

/// Tries to claim `task` for `user` in a savepoint, so that a refusal rolls back alone:
/// the claim, or the caller's refusal code.
async fn try_claim(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    task: &TaskRow,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Result<crate::db::tasks::ClaimRow, ErrorCode>, DomainError> {
    let attempt = conn
        .transaction(async |conn| {
            crate::services::tasks::claim_as(conn, user, task.id.into(), zone, false, now).await
        })
        .await;
    match attempt {
        Ok(claim) => Ok(Ok(claim)),
        Err(e) if e.code().is_callers() => Ok(Err(e.code())),
        Err(e) => Err(e),
    }
}

/// Claims for the caller every occurrence of the series that has not started, each with
/// every check of a single claim (a refusal of one leaves the others); one confirmation
/// email for all that were taken. With `follow`, the caller also follows the series (or
/// renews their follow) for twelve weeks from `now`, unless the council has opted out of
/// its category, the series is over, or an occurrence was refused for a reason that would
/// end the follow at once.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
    follow: bool,
    now: DateTime<Utc>,
) -> Result<SeriesClaim, DomainError> {
    let series = db::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such series"))?;
    if !user.role.may_claim() {
        return Err(DomainError::forbidden(
            "only volunteers and coordinators take tasks",
        ));
    }
    let mut outcomes = Vec::new();
    for task in db::upcoming(conn, id, now).await? {
        let (claim, refused) = match try_claim(conn, user, &task, zone, now).await? {
            Ok(claim) => (Some(claim), None),
            Err(code) => (None, Some(code)),
        };
        outcomes.push(Outcome {
            task,
            claim,
            refused,
        });
    }
    let taken: Vec<crate::notify::TaskFacts> = outcomes
        .iter()
        .filter(|o| o.claim.is_some())
        .map(|o| crate::notify::TaskFacts::of(&o.task))
        .collect();
    if !taken.is_empty() {
        let (name, email, phone) = task_db::unit_contact(conn, series.service_unit_id).await?;
        crate::notify::send(
            conn,
            &[crate::notify::Notification::to_user(
                &user.row,
                crate::notify::Intent::SeriesClaimConfirmation {
                    name: crate::notify::greeting_name(&user.row),
                    tasks: taken,
                    unit: crate::notify::UnitFacts { name, email, phone },
                },
            )],
        )
        .await?;
    }
    let (mut following, mut follow_refused) = (None, None);
    if follow {
        match follow_bar(conn, &series, &outcomes, zone, now).await? {
            Some(code) => follow_refused = Some(code),
            None => {
                following =
                    Some(db::follow(conn, &series, user.id, now, follow::expires(now)).await?);
                tracing::info!(series.id = %id, user.id = %user.id, "series followed");
            }
        }
    }
    Ok(SeriesClaim {
        outcomes,
        following,
        follow_refused,
    })
}

/// What keeps a follow from starting now: the series is over, its council has opted out
/// of its category, or one of the occurrences just tried was refused for a reason that
/// would end the follow at once.
async fn follow_bar(
    conn: &mut AsyncPgConnection,
    series: &SeriesRow,
    outcomes: &[Outcome],
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Option<ErrorCode>, DomainError> {
    if series
        .cancelled_from
        .is_some_and(|from| from <= local_date(now, zone))
    {
        return Ok(Some(ErrorCode::TaskNotOpen));
    }
    if let Some(council) = series.council_id
        && crate::db::opt_outs::in_force(conn, council, series.category_id)
            .await?
            .is_some()
    {
        return Ok(Some(ErrorCode::CouncilOptedOut));
    }
    Ok(outcomes
        .iter()
        .filter_map(|o| o.refused)
        .find(|code| FollowEnd::for_refusal(*code).is_some()))
}

/// Gives each new occurrence to the series' followers, oldest follow first, with every
/// check of a single claim. A refusal that bars the volunteer from the series (an opt-out,
/// a missing qualification) ends their follow; a full occurrence or a clash with another
/// of their tasks skips only that one. Every claim made sends the volunteer a notice with
/// a one-click release link, whatever their preferences. Returns the claims made.
async fn give_to_followers(
    conn: &mut AsyncPgConnection,
    series: &SeriesRow,
    made: &[TaskRow],
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    if made.is_empty() {
        return Ok(0);
    }
    let mut given = 0;
    for f in db::live_follows(conn, series.id).await? {
        if !follow::in_force(f.expires_at, now) {
            db::end_follow(conn, series.id, f.user_id, FollowEnd::Expired, f.expires_at).await?;
            continue;
        }
        if f.terms_version != series.terms_version {
            db::end_follow(conn, series.id, f.user_id, FollowEnd::TermsChanged, now).await?;
            continue;
        }
        let follower = crate::db::users::find(conn, f.user_id).await?;
        let Some(follower) = follower.filter(|u| u.active).and_then(AuthUser::from_row) else {
            db::end_follow(conn, series.id, f.user_id, FollowEnd::Deactivated, now).await?;
            continue;
        };
        let own_opt_outs = crate::db::users::category_opt_outs(conn, follower.id).await?;
        if own_opt_outs.contains(&series.category_id) {
            db::end_follow(conn, series.id, f.user_id, FollowEnd::OptedOut, now).await?;
            continue;
        }
        for task in made {
            match try_claim(conn, &follower, task, zone, now).await? {
                Ok(claim) => {
                    given += 1;
                    crate::notify::send(
                        conn,
                        &[crate::notify::Notification::to_user(
                            &follower.row,
                            crate::notify::Intent::FollowClaim {
                                name: crate::notify::greeting_name(&follower.row),
                                task: crate::notify::TaskFacts::of(task),
                                claim_id: claim.id,
                                follow_until: f.expires_at,
                            },
                        )],
                    )
                    .await?;
                }
                Err(code) => {
                    if let Some(end) = FollowEnd::for_refusal(code) {
                        db::end_follow(conn, series.id, f.user_id, end, now).await?;
                        tracing::info!(series.id = %series.id, user.id = %f.user_id, reason = end.as_str(), "series follow ended");
                        break;
                    }
                }
            }
        }
    }
    Ok(given)
}

/// Ends every live follow of `series` because its terms changed, and tells each follower.
async fn end_follows_for_new_terms(
    conn: &mut AsyncPgConnection,
    series: &SeriesRow,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let mut notices = Vec::new();
    for f in db::live_follows(conn, series.id).await? {
        db::end_follow(conn, series.id, f.user_id, FollowEnd::TermsChanged, now).await?;
        tracing::info!(series.id = %series.id, user.id = %f.user_id, reason = FollowEnd::TermsChanged.as_str(), "series follow ended");
        if let Some(follower) = crate::db::users::find(conn, f.user_id).await? {
            notices.push(crate::notify::Notification::to_user(
                &follower,
                crate::notify::Intent::FollowEnded {
                    name: crate::notify::greeting_name(&follower),
                    title: series.title.clone(),
                },
            ));
        }
    }
    crate::notify::send(conn, &notices).await?;
    Ok(())
}

/// Gives back the caller's claims on every occurrence of the series that has not
/// started, and stops their following it; the units are told as for any release.
/// Returns the released claims.
pub async fn release(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<crate::db::tasks::ClaimRow>, DomainError> {
    db::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such series"))?;
    db::end_follow(conn, id, user.id, FollowEnd::Released, now).await?;
    let mut released = Vec::new();
    for task in db::upcoming(conn, id, now).await? {
        if task_db::active_claim(conn, task.id.into(), user.user_id())
            .await?
            .is_some()
        {
            released.push(crate::services::tasks::release(conn, user, task.id, now).await?);
        }
    }
    Ok(released)
}

/// A series with its private block and history where the caller may see them (the unit
/// and admins), and the caller's own follow of it.
pub struct SeriesView {
    pub series: SeriesRow,
    pub private: Option<SeriesPrivateRow>,
    pub events: Option<Vec<SeriesEventRow>>,
    pub following: Option<FollowRow>,
    pub occurrences: Vec<TaskRow>,
}

/// Records what happened to the series as a whole.
async fn record(
    conn: &mut AsyncPgConnection,
    series_id: Uuid,
    actor: Option<Uuid>,
    kind: SeriesEventKind,
    fields: Vec<String>,
    from_date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    db::insert_event(
        conn,
        &SeriesEventRow {
            id: Uuid::now_v7(),
            series_id,
            actor_id: actor,
            kind: kind.as_str().to_owned(),
            fields,
            from_date,
            created_at: now,
        },
    )
    .await?;
    Ok(())
}

/// One series and a page of its occurrences; anyone signed in may read the public part.
pub async fn get(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    after: Option<NaiveDate>,
    limit: i64,
) -> Result<SeriesView, DomainError> {
    let series = db::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such series"))?;
    let sees_private = user.is_admin()
        || (user.role == Role::Staff && user.service_unit_id == Some(series.service_unit_id));
    let private = if sees_private {
        Some(db::private_of(conn, id).await?.unwrap_or(SeriesPrivateRow {
            series_id: id,
            ..Default::default()
        }))
    } else {
        None
    };
    let events = if sees_private {
        Some(db::events_of(conn, id).await?)
    } else {
        None
    };
    let following = if user.role.may_claim() {
        db::follow_of(conn, id, user.id).await?
    } else {
        None
    };
    let occurrences = db::occurrences(conn, id, after, limit).await?;
    Ok(SeriesView {
        series,
        private,
        events,
        following,
        occurrences,
    })
}

/// Changes to a series from a local date on; `Some(None)` clears a nullable field.
#[derive(Debug, Clone, Default)]
pub struct SeriesEdit {
    /// The first local date the edit applies to; today when absent.
    pub from: Option<NaiveDate>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    pub council_id: Option<Option<Uuid>>,
    pub duration_minutes: Option<Option<i32>>,
    pub spots: Option<i32>,
    pub area_hint: Option<Option<String>>,
    /// The new local wall-clock time of every occurrence from `from` on.
    pub local_time: Option<chrono::NaiveTime>,
    /// New weekdays of a weekly series from `from` on.
    pub by_weekday: Option<Vec<String>>,
    /// Changes to the template's private block, for it and the occurrences from `from` on.
    pub private: Option<PrivatePatch>,
}

/// Edits a series from `from` on (the unit and admins). The occurrences before `from` keep
/// what they were (those not made yet are made first, by the rule as it was). From `from`
/// on, each live occurrence that has not started is edited as a task is (its claimants
/// emailed, an `updated` event), or cancelled when a new weekday moves its date and
/// nobody holds it; an occurrence is never deleted, since each has its creation event and
/// the task history is append-only. Occurrences not made yet follow the new template and
/// rule. A change of category, council or weekday for an occurrence with active claims is
/// 409, and nothing is changed. A weekday change ends a `count` series on the date the old
/// rule ended it.
pub async fn edit(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
    input: SeriesEdit,
    now: DateTime<Utc>,
) -> Result<SeriesRow, DomainError> {
    let old = db::find_for_update(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such series"))?;
    permissions::require_unit_member(user, old.service_unit_id)?;
    let today = local_date(now, zone);
    let from = input.from.unwrap_or(today);
    let mut v = Validator::new();
    if from < today {
        v.error("from", FieldProblem::InPast);
    }
    let mut new = old.clone();
    let mut fields: Vec<&str> = Vec::new();
    let title = input.title.clone().unwrap_or_else(|| old.title.clone());
    let description = input
        .description
        .clone()
        .unwrap_or_else(|| old.description.clone());
    let duration = input.duration_minutes.unwrap_or(old.duration_minutes);
    let area = input
        .area_hint
        .clone()
        .unwrap_or_else(|| old.area_hint.clone());
    let checked = check_shared_fields(
        conn,
        &mut v,
        "template.",
        &title,
        &description,
        Some(old.service_unit_id),
        duration,
        Some(input.spots.unwrap_or(old.spots)),
        area.as_deref(),
    )
    .await?;
    let old_private = db::private_of(conn, id).await?.unwrap_or(SeriesPrivateRow {
        series_id: id,
        ..Default::default()
    });
    let new_private = input.private.as_ref().map(|patch| {
        let merged = patch.applied_to(&TaskPrivateRow {
            task_id: id,
            address: old_private.address.clone(),
            recipient_name: old_private.recipient_name.clone(),
            recipient_phone: old_private.recipient_phone.clone(),
            notes: old_private.notes.clone(),
        });
        let checked = check_private(&mut v, id, &merged);
        SeriesPrivateRow {
            series_id: id,
            address: checked.address,
            recipient_name: checked.recipient_name,
            recipient_phone: checked.recipient_phone,
            notes: checked.notes,
        }
    });
    let new_private = new_private.filter(|p| *p != old_private);
    let new_category = input.category_id.filter(|c| *c != old.category_id);
    let new_council = input.council_id.filter(|c| *c != old.council_id);
    check_category_and_council(conn, &mut v, new_category, new_council.flatten()).await?;
    let new_days = match &input.by_weekday {
        Some(days) if Freq::parse(&old.freq) != Some(Freq::Weekly) => {
            v.error("by_weekday", FieldProblem::WeeklyOnly);
            None
        }
        Some(days) => {
            let mut parsed = Vec::new();
            for d in days {
                match recurrence::parse_weekday(d) {
                    Some(day) if !parsed.contains(&day) => parsed.push(day),
                    _ => v.error("by_weekday", FieldProblem::WeekdaysOnce),
                }
            }
            parsed.sort_by_key(chrono::Weekday::num_days_from_monday);
            let names: Vec<String> = parsed
                .iter()
                .map(|d| recurrence::weekday_str(*d).to_owned())
                .collect();
            (names != old.by_weekday && !names.is_empty()).then_some(names)
        }
        None => None,
    };
    v.finish()?;
    if old.cancelled_from.is_some_and(|c| c <= from) {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "the series is cancelled from that date",
        ));
    }
    if let (Some(t), Some(d), Some(s)) = (checked.title, checked.description, checked.spots) {
        for (name, changed) in [
            ("title", t != old.title),
            ("description", d != old.description),
            ("spots", s != old.spots),
            (
                "duration_minutes",
                checked.duration_minutes != old.duration_minutes,
            ),
            ("area_hint", checked.area_hint != old.area_hint),
        ] {
            if changed {
                fields.push(name);
            }
        }
        new.title = t;
        new.description = d;
        new.spots = s;
        new.duration_minutes = checked.duration_minutes;
        new.area_hint = checked.area_hint;
    }
    if let Some(c) = new_category {
        new.category_id = c;
        fields.push("category_id");
    }
    if let Some(c) = new_council {
        new.council_id = c;
        fields.push("council_id");
    }
    if let Some(t) = input.local_time.filter(|t| *t != old.local_time) {
        new.local_time = t;
        fields.push("local_time");
    }
    if new_category.is_some() || new_council.is_some() {
        crate::services::opt_outs::refuse_if_opted_out(conn, new.council_id, new.category_id)
            .await?;
    }
    if let Some(private) = &new_private {
        db::upsert_private(conn, private).await?;
        // The event names the block, never what it holds.
        fields.push("private");
    }
    if fields.is_empty() && new_days.is_none() {
        return Ok(old);
    }
    // What comes before `from` keeps the rule and template it had.
    if let Some(day_before) = from.pred_opt() {
        generate_to(conn, &old, zone, now, Some(user.id), day_before).await?;
    }
    // A follower chose the series as it was: new terms end every follow, and each
    // follower is told (they may follow again).
    let new_terms = new_days.is_some()
        || fields
            .iter()
            .any(|f| ["title", "category_id", "council_id", "local_time"].contains(f));
    if new_terms {
        new.terms_version = old.terms_version + 1;
        end_follows_for_new_terms(conn, &old, now).await?;
    }
    if let Some(days) = new_days {
        let old_rule = rule_of(&old);
        if let End::Count(_) = old_rule.end {
            new.until = old_rule
                .dates(old.first_date, NaiveDate::MAX)
                .last()
                .copied();
            new.occurrences = None;
        }
        new.by_weekday = days;
        new.rule_from = Some(from);
        fields.push("by_weekday");
    }
    let rule = rule_of(&new);
    let new_dates = rule.dates(old.first_date, NaiveDate::MAX);
    for task in db::upcoming(conn, id, now).await? {
        let Some(date) = task.occurrence_date.filter(|d| *d >= from) else {
            continue;
        };
        let held = task.active_claims > 0;
        if !new_dates.contains(&date) {
            if held {
                return Err(DomainError::new(
                    ErrorCode::Conflict,
                    format!(
                        "the occurrence on {date} has volunteers; a new weekday cannot move it"
                    ),
                ));
            }
            crate::services::tasks::cancel(
                conn,
                user,
                task.id,
                "Serien er flyttet til andre ukedager.",
                now,
            )
            .await?;
            continue;
        }
        if held && (new_category.is_some() || new_council.is_some()) {
            return Err(DomainError::new(
                ErrorCode::Conflict,
                format!("the occurrence on {date} has volunteers; its category and council stay"),
            ));
        }
        let edit = crate::services::tasks::TaskEdit {
            title: Some(new.title.clone()),
            description: Some(new.description.clone()),
            category_id: Some(new.category_id),
            council_id: Some(new.council_id),
            starts_at: Some(recurrence::resolve(date, new.local_time, &zone)),
            duration_minutes: Some(new.duration_minutes),
            spots: Some(new.spots),
            area_hint: Some(new.area_hint.clone()),
            private: new_private.as_ref().and(input.private.clone()),
            ..Default::default()
        };
        crate::services::tasks::update(conn, user, task.id, None, edit, now).await?;
    }
    new.updated_at = now;
    let new = db::update(conn, &new).await?;
    record(
        conn,
        id,
        Some(user.id),
        SeriesEventKind::Edited,
        fields.iter().map(|f| (*f).to_owned()).collect(),
        Some(from),
        now,
    )
    .await?;
    generate(conn, &new, zone, now, Some(user.id)).await?;
    tracing::info!(series.id = %id, "task series edited");
    Ok(new)
}
