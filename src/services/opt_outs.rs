//! Councils opt out of categories — honoured everywhere, in the same transaction: posting
//! is refused, open unclaimed tasks are withdrawn (their units emailed), claimed tasks keep
//! their claims but take no new ones and leave every feed. Opting back in restores nothing.
//! Yearly reviews apply several decisions atomically.

use crate::domain::problem::FieldProblem;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
/// A yearly review as the services answer it.
pub use crate::db::opt_outs::ReviewRow;
use crate::db::opt_outs::{self as db, OptOutRow};
/// A category as the services answer it.
pub use crate::db::reference::CategoryRow;
use crate::db::tasks::{self as task_db, TaskFilter, TaskRow};
use crate::db::{reference as reference_db, stats};
use crate::domain::error::{DomainError, ErrorCode};
use crate::domain::task::EventKind;
use crate::notify::{self, Notification};
use crate::notify::{Intent, TaskFacts};
use crate::settings::Settings;
use crate::validation::Validator;

fn opted_out(row: &OptOutRow, council_name: &str, category_name: &str) -> DomainError {
    DomainError::new(
        ErrorCode::CouncilOptedOut,
        format!(
            "{council_name} has opted out of «{category_name}» since {}: {}",
            row.created_at.date_naive(),
            row.reason
        ),
    )
    .with_extra("council_id", serde_json::json!(row.council_id))
    .with_extra("category_id", serde_json::json!(row.category_id))
    .with_extra(
        "since",
        serde_json::json!(crate::domain::time::Timestamp(row.created_at)),
    )
    .with_extra("reason", serde_json::json!(row.reason))
}

async fn refusal(
    conn: &mut AsyncPgConnection,
    row: &OptOutRow,
) -> Result<DomainError, DomainError> {
    let council = reference_db::find_council(conn, row.council_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let category = reference_db::find_category(conn, row.category_id)
        .await?
        .map(|c| c.name_nb)
        .unwrap_or_default();
    Ok(opted_out(row, &council, &category))
}

/// 409 `council_opted_out` when posting (or moving) a task of `category` to `council`.
pub async fn refuse_if_opted_out(
    conn: &mut AsyncPgConnection,
    council: Option<Uuid>,
    category: Uuid,
) -> Result<(), DomainError> {
    let Some(council) = council else {
        return Ok(());
    };
    match db::in_force(conn, council, category).await? {
        Some(row) => Err(refusal(conn, &row).await?),
        None => Ok(()),
    }
}

/// 409 `council_opted_out` when claiming a task whose council has opted out of its category.
pub async fn refuse_claim_if_opted_out(
    conn: &mut AsyncPgConnection,
    task: &TaskRow,
) -> Result<(), DomainError> {
    refuse_if_opted_out(conn, task.council_id, task.category_id).await
}

/// Feeds leave out tasks whose council has opted out of their category.
pub fn hide_opted_out(filter: &mut TaskFilter) {
    filter.hide_opted_out = true;
}

fn require_coordinator_or_admin(user: &AuthUser, council: Uuid) -> Result<(), DomainError> {
    permissions::require_council_coordinator(user, council)
}

async fn require_council(
    conn: &mut AsyncPgConnection,
    council: Uuid,
) -> Result<String, DomainError> {
    reference_db::find_council(conn, council)
        .await?
        .map(|c| c.name)
        .ok_or_else(|| DomainError::not_found("no such council"))
}

/// Opts `council` out of `category`. Returns the opt-out and whether it is new.
#[expect(
    clippy::too_many_arguments,
    reason = "the decision's fields, who makes it and when"
)]
pub async fn opt_out(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &AuthUser,
    council: Uuid,
    category: Uuid,
    reason: &str,
    review_by: Option<NaiveDate>,
) -> Result<(OptOutRow, bool), DomainError> {
    let council_name = require_council(conn, council).await?;
    require_coordinator_or_admin(user, council)?;
    if reference_db::find_category(conn, category).await?.is_none() {
        return Err(DomainError::not_found("no such category"));
    }
    let mut v = Validator::new();
    let reason = v
        .check("reason", crate::domain::task::check_reason(reason))
        .unwrap_or_default();
    let reason = reason.as_str();
    let today = now.with_timezone(&settings.timezone).date_naive();
    let review_by = review_by.unwrap_or_else(|| one_year_after(today));
    if let Err(m) = crate::domain::time::check_date(review_by) {
        v.error("review_by", m);
    } else if review_by <= today {
        v.error("review_by", FieldProblem::NotInFuture);
    }
    v.finish()?;
    if let Some(existing) = db::in_force(conn, council, category).await? {
        return Ok((existing, false));
    }
    let row = match db::insert(conn, council, category, reason, review_by, user.id).await {
        Ok(row) => row,
        // Someone opted out at the same moment: theirs is in force.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {
            let existing = db::in_force(conn, council, category).await?;
            return existing
                .map(|e| (e, false))
                .ok_or_else(|| DomainError::new(ErrorCode::Conflict, "try again"));
        }
        Err(e) => return Err(e.into()),
    };
    let mut notices = Vec::new();
    for task in task_db::withdraw_unclaimed(conn, council, category, now).await? {
        task_db::insert_event(conn, task.id, Some(user.id), EventKind::Withdrawn, &[]).await?;
        let unit = task_db::unit_contact(conn, task.service_unit_id).await?;
        notices.push(Notification::to_unit(
            &unit.1,
            Intent::TaskWithdrawn {
                task: TaskFacts::of(&task),
                council: council_name.clone(),
                reason: reason.to_owned(),
            },
        ));
    }
    notify::send(conn, &notices).await?;
    // No occurrence of the council's series in the category is made now, and following
    // them ends: a volunteer follows again themselves if the council opts back in.
    crate::db::series::end_follows_in(conn, council, category, now).await?;
    tracing::info!(council.id = %council, category.id = %category, user.id = %user.id, "council opted out");
    Ok((row, true))
}

fn one_year_after(day: NaiveDate) -> NaiveDate {
    day.with_year(day.year() + 1)
        .unwrap_or_else(|| day + chrono::Duration::days(365))
}

/// What opting `council` out of `category` would do now: how many open tasks would be
/// withdrawn, and how many claimed tasks keep their volunteers.
pub async fn preview(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    council: Uuid,
    category: Uuid,
) -> Result<(i64, i64), DomainError> {
    require_council(conn, council).await?;
    require_coordinator_or_admin(user, council)?;
    Ok(db::opt_out_effect(conn, council, category).await?)
}

/// Opts back in. Withdrawn tasks stay withdrawn.
pub async fn opt_in(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    council: Uuid,
    category: Uuid,
    reason: &str,
) -> Result<(), DomainError> {
    require_council(conn, council).await?;
    require_coordinator_or_admin(user, council)?;
    let reason = crate::domain::task::check_reason(reason)
        .map_err(|m| DomainError::invalid_field("reason", m))?;
    let reason = reason.as_str();
    let row = db::in_force(conn, council, category)
        .await?
        .ok_or_else(|| DomainError::not_found("the council has not opted out of this category"))?;
    db::end(conn, row.id, user.id, reason).await?;
    Ok(())
}

/// Which opt-outs to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    InForce,
    History,
    Due,
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    council: Uuid,
    listing: Listing,
) -> Result<Vec<OptOutRow>, DomainError> {
    require_council(conn, council).await?;
    let today = now.with_timezone(&settings.timezone).date_naive();
    Ok(match listing {
        Listing::InForce => db::list_in_force(conn, Some(council), None).await?,
        Listing::Due => db::list_in_force(conn, Some(council), Some(today)).await?,
        Listing::History => db::history(conn, council).await?,
    })
}

/// Opt-outs past their review date across councils (admins).
pub async fn due_everywhere(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &AuthUser,
) -> Result<Vec<OptOutRow>, DomainError> {
    permissions::require_admin(user)?;
    let today = now.with_timezone(&settings.timezone).date_naive();
    Ok(db::list_in_force(conn, None, Some(today)).await?)
}

/// One decision of a yearly review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The opt-out stays; its review moves to a year after the meeting.
    Keep,
    /// The council opts back in.
    OptIn,
    /// The council agrees to take the category on.
    TakeOn,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::OptIn => "opt_in",
            Self::TakeOn => "take_on",
        }
    }
}

pub struct ReviewInput {
    pub held_on: NaiveDate,
    pub participants: String,
    pub notes: String,
    pub decisions: Vec<(Uuid, Decision)>,
}

/// Records a yearly review and applies its decisions — all or none.
pub async fn review(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &AuthUser,
    council: Uuid,
    input: ReviewInput,
) -> Result<(ReviewRow, Vec<(Uuid, String)>), DomainError> {
    require_council(conn, council).await?;
    require_coordinator_or_admin(user, council)?;
    let mut v = Validator::new();
    let today = now.with_timezone(&settings.timezone).date_naive();
    if let Err(m) = crate::domain::time::check_date(input.held_on) {
        v.error("held_on", m);
    } else if input.held_on > today {
        v.error("held_on", FieldProblem::InFuture);
    }
    v.check(
        "participants",
        crate::domain::check_text(&input.participants, 2000),
    );
    v.check("notes", crate::domain::check_text(&input.notes, 10000));
    let mut seen = std::collections::HashSet::new();
    for (i, (category, decision)) in input.decisions.iter().enumerate() {
        let field = format!("decisions[{i}]");
        if !seen.insert(*category) {
            v.error(&field, FieldProblem::CategoryTwice);
            continue;
        }
        if reference_db::find_category(conn, *category)
            .await?
            .is_none()
        {
            v.error(&field, FieldProblem::NotCategory);
            continue;
        }
        let in_force = db::in_force(conn, council, *category).await?;
        match (decision, in_force.is_some()) {
            (Decision::Keep | Decision::OptIn, false) => v.error(&field, FieldProblem::NotOptedOut),
            (Decision::TakeOn, true) => v.error(&field, FieldProblem::OptBackInFirst),
            _ => {}
        }
    }
    v.finish()?;
    let row = db::insert_review(
        conn,
        council,
        input.held_on,
        input.participants.trim(),
        input.notes.trim(),
        user.id,
    )
    .await?;
    let mut applied = Vec::new();
    for (category, decision) in &input.decisions {
        db::insert_decision(conn, row.id, *category, decision.as_str()).await?;
        let in_force = db::in_force(conn, council, *category).await?;
        match (decision, in_force) {
            (Decision::Keep, Some(o)) => {
                db::set_review_by(conn, o.id, one_year_after(input.held_on)).await?
            }
            (Decision::OptIn, Some(o)) => {
                db::end(
                    conn,
                    o.id,
                    user.id,
                    &format!("yearly review {}", input.held_on),
                )
                .await?
            }
            _ => {}
        }
        applied.push((*category, decision.as_str().to_owned()));
    }
    Ok((row, applied))
}

pub async fn reviews(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    council: Uuid,
) -> Result<Vec<(ReviewRow, Vec<(Uuid, String)>)>, DomainError> {
    require_council(conn, council).await?;
    require_coordinator_or_admin(user, council)?;
    Ok(db::reviews(conn, council).await?)
}

/// The yearly-meeting page's data.
pub struct Overview {
    pub council_id: Uuid,
    pub council_name: String,
    pub year: i32,
    /// The year's bounds in the municipality's time zone.
    pub from: chrono::DateTime<Utc>,
    pub to: chrono::DateTime<Utc>,
    pub categories: Vec<(crate::db::reference::CategoryRow, stats::CategoryFigures)>,
    pub in_force: Vec<OptOutRow>,
    pub history: Vec<OptOutRow>,
    pub reviews: Vec<(ReviewRow, Vec<(Uuid, String)>)>,
}

pub async fn overview(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &AuthUser,
    council: Uuid,
    year: i32,
) -> Result<Overview, DomainError> {
    let council_name = require_council(conn, council).await?;
    require_coordinator_or_admin(user, council)?;
    let tz = settings.timezone;
    let start = |y: i32| {
        tz.with_ymd_and_hms(y, 1, 1, 0, 0, 0)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| DomainError::invalid_field("year", FieldProblem::OutOfRange))
    };
    let (from, to) = (start(year)?, start(year + 1)?);
    let figures = stats::by_category(conn, Some(council), from, to).await?;
    let mut categories = Vec::new();
    for f in figures {
        if let Some(c) = reference_db::find_category(conn, f.category_id).await? {
            categories.push((c, f));
        }
    }
    categories.sort_by(|a, b| a.0.name_nb.cmp(&b.0.name_nb));
    let history = db::history(conn, council)
        .await?
        .into_iter()
        .filter(|o| o.created_at < to && o.ended_at.is_none_or(|e| e >= from))
        .collect();
    Ok(Overview {
        council_id: council,
        council_name,
        year,
        from,
        to,
        categories,
        in_force: db::list_in_force(conn, Some(council), None).await?,
        history,
        reviews: db::reviews(conn, council).await?,
    })
}
