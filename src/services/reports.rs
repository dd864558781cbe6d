//! The programme report: figures per council, category, month or unit for a period, with
//! small-cell suppression (`domain::report`) so no figure about fewer than three people
//! is shown or derivable. Admins see everything and any period; coordinators their
//! council and staff their unit, in whole months only (overlapping periods subtracted
//! from each other would otherwise undo the suppression).

use crate::domain::problem::FieldProblem;
use std::collections::HashSet;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::reference as reference_db;
use crate::db::reports::{self, GroupBy, ReportRow};
use crate::domain::account::Role;
use crate::domain::error::DomainError;
use crate::domain::report::suppress;
use crate::pagination::Page;
use crate::settings::Settings;
use crate::validation::Validator;

/// The person figures a suppressed cell leaves out.
const PERSON_FIGURES: [&str; 4] = [
    "claims_made",
    "claims_released",
    "volunteer_hours",
    "active_volunteers",
];

#[derive(Debug, Serialize)]
pub struct Figures {
    pub posted: i64,
    pub filled: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub expired: i64,
    pub withdrawn: i64,
    pub claims_made: Option<i64>,
    pub claims_released: Option<i64>,
    pub volunteer_hours: Option<f64>,
    pub active_volunteers: Option<i64>,
    pub median_hours_to_first_claim: Option<f64>,
    pub share_found_volunteer_before_start: Option<f64>,
    /// The figures left out because they count fewer than three people.
    pub suppressed: Vec<&'static str>,
}

impl Figures {
    /// The figures of one cell; `small` hides those about people.
    pub fn new(r: &ReportRow, small: bool) -> Self {
        let keep = |v: i64| (!small).then_some(v);
        Self {
            posted: r.posted,
            filled: r.filled,
            completed: r.completed,
            cancelled: r.cancelled,
            expired: r.expired,
            withdrawn: r.withdrawn,
            claims_made: keep(r.claims_made),
            claims_released: keep(r.claims_released),
            volunteer_hours: (!small).then(|| r.minutes as f64 / 60.0),
            active_volunteers: keep(r.active_volunteers),
            median_hours_to_first_claim: r
                .median_hours_to_first_claim
                .map(|h| (h * 100.0).round() / 100.0),
            share_found_volunteer_before_start: (r.tasks_starting > 0).then(|| {
                (r.found_volunteer_before_start as f64 / r.tasks_starting as f64 * 1000.0).round()
                    / 1000.0
            }),
            suppressed: if small {
                PERSON_FIGURES.to_vec()
            } else {
                Vec::new()
            },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub key: Option<String>,
    pub label: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: &'static str,
    pub rows: Vec<Row>,
    pub totals: Figures,
}

/// The rows of one grouping and the totals, with the cells to hide decided together.
pub struct Cells {
    pub rows: Vec<(ReportRow, bool)>,
    pub totals: (ReportRow, bool),
}

/// Figures per `group_by` for `[from, to)` with suppression applied across the rows and
/// the totals. The one way every page and answer gets report figures.
pub async fn cells(
    conn: &mut AsyncPgConnection,
    group_by: GroupBy,
    council: Option<Uuid>,
    unit: Option<Uuid>,
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
    timezone: &str,
) -> Result<Cells, DomainError> {
    let rows = reports::summary(conn, group_by, council, unit, from, to, timezone).await?;
    let totals = reports::summary(conn, GroupBy::Total, council, unit, from, to, timezone)
        .await?
        .pop()
        .unwrap_or_else(empty_row);
    let people: Vec<HashSet<Uuid>> = rows
        .iter()
        .map(|r| r.people.iter().copied().collect())
        .collect();
    let all: HashSet<Uuid> = totals.people.iter().copied().collect();
    let hidden = suppress(&people, &all);
    Ok(Cells {
        rows: rows.into_iter().zip(hidden.rows).collect(),
        totals: (totals, hidden.totals),
    })
}

/// The query of a report, as parsed from the request.
#[derive(Debug, Default, Clone)]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub group_by: Option<String>,
}

fn parse_query(
    q: &ReportQuery,
    year: i32,
    whole_months: bool,
) -> Result<(NaiveDate, NaiveDate, GroupBy, &'static str), DomainError> {
    let mut v = Validator::new();
    let date = |v: &mut Validator, field: &str, raw: &Option<String>, default: NaiveDate| match raw
    {
        None => Some(default),
        Some(s) => v.check(
            field,
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| FieldProblem::NotDate)
                .and_then(crate::domain::time::check_date),
        ),
    };
    let from = date(
        &mut v,
        "from",
        &q.from,
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
    );
    let to = date(
        &mut v,
        "to",
        &q.to,
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let group = match q.group_by.as_deref().unwrap_or("category") {
        "council" => Some((GroupBy::Council, "council")),
        "category" => Some((GroupBy::Category, "category")),
        "month" => Some((GroupBy::Month, "month")),
        "unit" => Some((GroupBy::Unit, "unit")),
        _ => {
            v.error(
                "group_by",
                FieldProblem::OneOf {
                    choices: "council, category, month, unit".into(),
                },
            );
            None
        }
    };
    if whole_months {
        if from.is_some_and(|f| f.day() != 1) {
            v.error("from", FieldProblem::MonthStart);
        }
        if to.is_some_and(|t| (t + chrono::Duration::days(1)).day() != 1) {
            v.error("to", FieldProblem::MonthEnd);
        }
    }
    if let (Some(f), Some(t)) = (from, to)
        && (t < f || (t - f).num_days() > 366 * 5)
    {
        v.error("to", FieldProblem::Period);
    }
    v.finish()?;
    match (from, to, group) {
        (Some(f), Some(t), Some((g, name))) => Ok((f, t, g, name)),
        _ => Err(DomainError::internal(anyhow::anyhow!(
            "validated fields missing"
        ))),
    }
}

/// The report for `user`: their scope (everything, their council or their unit) over the
/// period asked for, suppressed.
pub async fn summary(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    user: &AuthUser,
    q: &ReportQuery,
    now: DateTime<Utc>,
) -> Result<Summary, DomainError> {
    let (council, unit) = match user.role {
        Role::Admin => (None, None),
        Role::Coordinator => (user.council_id, None),
        Role::Staff => (None, user.service_unit_id),
        Role::Volunteer => {
            return Err(DomainError::forbidden(
                "reports are for admins, coordinators and staff",
            ));
        }
    };
    if user.role == Role::Coordinator && council.is_none()
        || user.role == Role::Staff && unit.is_none()
    {
        return Err(DomainError::forbidden(
            "you have no council or unit to report on",
        ));
    }
    let tz = settings.timezone;
    let today = now.with_timezone(&tz).date_naive();
    let (from, to, group_by, group_name) = parse_query(q, today.year(), !user.is_admin())?;
    let start = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| DomainError::invalid_field("from", FieldProblem::OutOfRange))
    };
    let (from_utc, to_utc) = (start(from)?, start(to + chrono::Duration::days(1))?);
    let cells = cells(conn, group_by, council, unit, from_utc, to_utc, tz.name()).await?;
    let page = Page {
        limit: 1000,
        after: None,
    };
    let label_of = |key: &Option<String>| -> String { key.clone().unwrap_or_default() };
    let mut labels = std::collections::HashMap::new();
    match group_by {
        GroupBy::Council => {
            for c in reference_db::list_councils(conn, &page).await? {
                labels.insert(c.id.to_string(), c.name);
            }
        }
        GroupBy::Category => {
            for c in reference_db::list_categories(conn, &page).await? {
                labels.insert(c.id.to_string(), c.name_nb);
            }
        }
        GroupBy::Unit => {
            for u in reference_db::list_service_units(conn, &page).await? {
                labels.insert(u.id.to_string(), u.name);
            }
        }
        GroupBy::Month | GroupBy::Total => {}
    }
    let rows = cells
        .rows
        .iter()
        .map(|(r, small)| Row {
            label: match (&r.key, group_by) {
                (None, GroupBy::Council) => "Hele kommunen".to_owned(),
                (Some(k), _) => labels.get(k).cloned().unwrap_or_else(|| label_of(&r.key)),
                (None, _) => String::new(),
            },
            key: r.key.clone(),
            figures: Figures::new(r, *small),
        })
        .collect();
    let totals = Figures::new(&cells.totals.0, cells.totals.1);
    Ok(Summary {
        from,
        to,
        group_by: group_name,
        rows,
        totals,
    })
}

fn empty_row() -> ReportRow {
    ReportRow {
        key: None,
        posted: 0,
        filled: 0,
        completed: 0,
        cancelled: 0,
        expired: 0,
        withdrawn: 0,
        claims_made: 0,
        claims_released: 0,
        minutes: 0,
        active_volunteers: 0,
        median_hours_to_first_claim: None,
        tasks_starting: 0,
        claimed: 0,
        found_volunteer_before_start: 0,
        people: Vec::new(),
    }
}
