//! Recurring tasks: staff post a series (a template and a rule); its occurrences are
//! ordinary tasks, generated at creation and by the periodic job up to eight weeks ahead,
//! each at the template's local wall-clock time in `DUGNAD_TIMEZONE`. Generation is
//! idempotent — one occurrence per (series, date), held by a unique key — and pauses
//! while the series' council has opted out of its category.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::db::series::{self as db, SeriesPrivateRow, SeriesRow};
use crate::db::tasks::{self as task_db, NewTaskRow, TaskPrivateRow, TaskRow};
use crate::domain::account::Role;
use crate::domain::error::DomainError;
use crate::domain::recurrence::{self, End, Freq, Recurrence};
use crate::domain::task::{self as rules, EventKind};
use crate::domain::time::{check_instant, local_date};
use crate::services::tasks::{
    PrivateInput, check_category_and_council, check_private, check_shared_fields,
};
use crate::validation::Validator;

/// How far ahead occurrences exist.
pub const HORIZON: Duration = Duration::weeks(8);

/// A series as posted: the task fields of `POST /tasks` without a start or an end, the
/// first start, and the rule.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub title: String,
    pub description: String,
    pub category_id: Uuid,
    pub council_id: Option<Uuid>,
    pub service_unit_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    pub spots: Option<i32>,
    pub area_hint: Option<String>,
    pub private: Option<PrivateInput>,
    pub first_starts_at: DateTime<Utc>,
    pub freq: String,
    pub interval: Option<i64>,
    pub by_weekday: Vec<String>,
    pub count: Option<i64>,
    pub until: Option<NaiveDate>,
}

/// The rule a stored series follows.
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
    let unit = crate::services::tasks::posting_unit(user, input.service_unit_id)?;
    let mut v = Validator::new();
    check_category_and_council(conn, &mut v, Some(input.category_id), input.council_id).await?;
    let fields = check_shared_fields(
        conn,
        &mut v,
        "template.",
        &input.title,
        &input.description,
        unit,
        input.duration_minutes,
        input.spots,
        input.area_hint.as_deref(),
    )
    .await?;
    if let Err(m) = check_instant(input.first_starts_at) {
        v.error("first_starts_at", m);
    } else if input.first_starts_at <= now {
        v.error("first_starts_at", "must be in the future");
    }
    let id = Uuid::now_v7();
    let private = check_private(&mut v, id, &input.private.clone().unwrap_or_default());
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
    crate::services::opt_outs::refuse_if_opted_out(conn, input.council_id, input.category_id)
        .await?;
    let row = db::insert(
        conn,
        &SeriesRow {
            id,
            service_unit_id: unit,
            created_by: Some(user.id),
            title,
            description,
            category_id: input.category_id,
            council_id: input.council_id,
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
    if let Some(council) = series.council_id
        && crate::db::opt_outs::in_force(conn, council, series.category_id)
            .await?
            .is_some()
    {
        return Ok(Vec::new());
    }
    let horizon = local_date(now + HORIZON, zone);
    let have = db::occurrence_dates(conn, series.id).await?;
    let template = db::private_of(conn, series.id).await?;
    let mut made = Vec::new();
    for date in rule_of(series).dates(series.first_date, horizon) {
        if have.contains(&date) || series.cancelled_from.is_some_and(|from| date >= from) {
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
    let occurrences: Vec<TaskRow> = db::upcoming(conn, id, now)
        .await?
        .into_iter()
        .filter(|t| t.occurrence_date.is_some_and(|d| d >= from))
        .collect();
    for task in &occurrences {
        crate::services::tasks::cancel(conn, user, task.id, reason).await?;
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

/// Claims for the caller every occurrence of the series that has not started, each with
/// every check of a single claim (a refusal of one leaves the others); one confirmation
/// email for all that were taken.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Outcome>, DomainError> {
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
        // Each occurrence in a savepoint: a refused one rolls back alone.
        let attempt = conn
            .transaction(async |conn| {
                crate::services::tasks::claim_as(conn, user, task.id.into(), zone, false).await
            })
            .await;
        match attempt {
            Ok(claim) => outcomes.push(Outcome {
                task,
                claim: Some(claim),
                refused: None,
            }),
            Err(e) if e.code().is_callers() => outcomes.push(Outcome {
                task,
                claim: None,
                refused: Some(e.code()),
            }),
            Err(e) => return Err(e),
        }
    }
    let taken: Vec<crate::email::TaskFacts> = outcomes
        .iter()
        .filter(|o| o.claim.is_some())
        .map(|o| crate::email::TaskFacts::of(&o.task))
        .collect();
    if !taken.is_empty() {
        let (name, email, phone) = task_db::unit_contact(conn, series.service_unit_id).await?;
        crate::notify::send(
            conn,
            &[crate::notify::Notification::to_user(
                &user.row,
                crate::email::Intent::SeriesClaimConfirmation {
                    name: crate::email::intent::greeting_name(&user.row),
                    tasks: taken,
                    unit: crate::email::UnitFacts { name, email, phone },
                },
            )],
        )
        .await?;
    }
    Ok(outcomes)
}

/// Gives back the caller's claims on every occurrence of the series that has not
/// started; the units are told as for any release. Returns the released claims.
pub async fn release(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<crate::db::tasks::ClaimRow>, DomainError> {
    db::find(conn, id)
        .await?
        .ok_or_else(|| DomainError::not_found("no such series"))?;
    let mut released = Vec::new();
    for task in db::upcoming(conn, id, now).await? {
        if task_db::active_claim(conn, task.id.into(), user.user_id())
            .await?
            .is_some()
        {
            released.push(crate::services::tasks::release(conn, user, task.id).await?);
        }
    }
    Ok(released)
}

/// A series with its private block where the caller may see it (the unit and admins).
pub struct SeriesView {
    pub series: SeriesRow,
    pub private: Option<SeriesPrivateRow>,
    pub occurrences: Vec<TaskRow>,
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
    let occurrences = db::occurrences(conn, id, after, limit).await?;
    Ok(SeriesView {
        series,
        private,
        occurrences,
    })
}
