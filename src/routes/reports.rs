//! `GET /api/v1/reports/summary` (JSON, or CSV via `.csv` or `Accept: text/csv`): the
//! programme report. Admins see everything, coordinators their council, staff their unit.
//! Cells counting fewer than three people are suppressed so nobody can be singled out.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::AuthUser;
use crate::db::reference as reference_db;
use crate::db::reports::{self, GroupBy, ReportRow};
use crate::domain::account::Role;
use crate::error::{ApiError, ApiResult};
use crate::pagination::Page;
use crate::startup::AppState;
use crate::validation::Validator;

/// Fewer people than this in a cell and the cell is not shown.
const MIN_PEOPLE: i64 = 3;

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub group_by: Option<String>,
}

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

impl From<&ReportRow> for Figures {
    fn from(r: &ReportRow) -> Self {
        let small = r.active_volunteers < MIN_PEOPLE;
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
                vec![
                    "claims_made",
                    "claims_released",
                    "volunteer_hours",
                    "active_volunteers",
                ]
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

fn parse_query(
    q: &ReportQuery,
    year: i32,
) -> Result<(NaiveDate, NaiveDate, GroupBy, &'static str), ApiError> {
    let mut v = Validator::new();
    let date = |v: &mut Validator, field: &str, raw: &Option<String>, default: NaiveDate| match raw
    {
        None => Some(default),
        Some(s) => v.check(
            field,
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| "must be a date such as 2026-01-31")
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
            v.error("group_by", "must be council, category, month or unit");
            None
        }
    };
    if let (Some(f), Some(t)) = (from, to)
        && (t < f || (t - f).num_days() > 366 * 5)
    {
        v.error("to", "must be on or after from, at most five years later");
    }
    v.finish()?;
    match (from, to, group) {
        (Some(f), Some(t), Some((g, name))) => Ok((f, t, g, name)),
        _ => Err(ApiError::internal(anyhow::anyhow!(
            "validated fields missing"
        ))),
    }
}

async fn build(state: &AppState, user: &AuthUser, q: &ReportQuery) -> Result<Summary, ApiError> {
    let (council, unit) = match user.role {
        Role::Admin => (None, None),
        Role::Coordinator => (user.council_id, None),
        Role::Staff => (None, user.service_unit_id),
        Role::Volunteer => {
            return Err(ApiError::forbidden(
                "reports are for admins, coordinators and staff",
            ));
        }
    };
    if user.role == Role::Coordinator && council.is_none()
        || user.role == Role::Staff && unit.is_none()
    {
        return Err(ApiError::forbidden(
            "you have no council or unit to report on",
        ));
    }
    let tz = state.settings.timezone;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let (from, to, group_by, group_name) = parse_query(q, chrono::Datelike::year(&today))?;
    let start = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| ApiError::invalid_field("from", "is out of range"))
    };
    let (from_utc, to_utc) = (start(from)?, start(to + chrono::Duration::days(1))?);
    let mut conn = state.pool.get().await?;
    let tz_name = tz.name();
    let rows = reports::summary(
        &mut conn, group_by, council, unit, from_utc, to_utc, tz_name,
    )
    .await?;
    let totals = reports::summary(
        &mut conn,
        GroupBy::Total,
        council,
        unit,
        from_utc,
        to_utc,
        tz_name,
    )
    .await?;
    let page = Page {
        limit: 1000,
        after: None,
    };
    let label_of = |key: &Option<String>| -> String { key.clone().unwrap_or_default() };
    let mut labels = std::collections::HashMap::new();
    match group_by {
        GroupBy::Council => {
            for c in reference_db::list_councils(&mut conn, &page).await? {
                labels.insert(c.id.to_string(), c.name);
            }
        }
        GroupBy::Category => {
            for c in reference_db::list_categories(&mut conn, &page).await? {
                labels.insert(c.id.to_string(), c.name_nb);
            }
        }
        GroupBy::Unit => {
            for u in reference_db::list_service_units(&mut conn, &page).await? {
                labels.insert(u.id.to_string(), u.name);
            }
        }
        GroupBy::Month | GroupBy::Total => {}
    }
    let rows = rows
        .iter()
        .map(|r| Row {
            label: match (&r.key, group_by) {
                (None, GroupBy::Council) => "Hele kommunen".to_owned(),
                (Some(k), _) => labels.get(k).cloned().unwrap_or_else(|| label_of(&r.key)),
                (None, _) => String::new(),
            },
            key: r.key.clone(),
            figures: Figures::from(r),
        })
        .collect();
    let totals = totals
        .first()
        .map(Figures::from)
        .unwrap_or_else(|| Figures::from(&empty_row()));
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
    }
}

/// One text cell: a leading `=`, `+`, `-`, `@`, tab or CR would make a spreadsheet read
/// it as a formula (CSV injection), so such a cell starts with `'` instead; then quoted
/// as RFC 4180 asks.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn csv_row(key: &str, label: &str, f: &Figures) -> String {
    let opt_i = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let opt_f = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
    let cells = [
        csv_field(key),
        csv_field(label),
        f.posted.to_string(),
        f.filled.to_string(),
        f.completed.to_string(),
        f.cancelled.to_string(),
        f.expired.to_string(),
        f.withdrawn.to_string(),
        opt_i(f.claims_made),
        opt_i(f.claims_released),
        opt_f(f.volunteer_hours),
        opt_i(f.active_volunteers),
        opt_f(f.median_hours_to_first_claim),
        opt_f(f.share_found_volunteer_before_start),
        csv_field(&f.suppressed.join(" ")),
    ];
    cells.join(",")
}

/// RFC 4180 CSV with a UTF-8 byte-order mark, so spreadsheets show "Østre" correctly.
fn to_csv(s: &Summary) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str("key,label,posted,filled,completed,cancelled,expired,withdrawn,claims_made,claims_released,volunteer_hours,active_volunteers,median_hours_to_first_claim,share_found_volunteer_before_start,suppressed\r\n");
    for r in &s.rows {
        out.push_str(&csv_row(
            r.key.as_deref().unwrap_or(""),
            &r.label,
            &r.figures,
        ));
        out.push_str("\r\n");
    }
    out.push_str(&csv_row("total", "Totalt", &s.totals));
    out.push_str("\r\n");
    out
}

fn csv_response(s: &Summary) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"dugnad-rapport-{}-{}.csv\"",
                s.from, s.to
            ),
        ))
        .body(to_csv(s))
}

pub async fn summary(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let report = build(&state, &user, &query).await?;
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        return Ok(csv_response(&report));
    }
    Ok(HttpResponse::Ok().json(report))
}

pub async fn summary_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let report = build(&state, &user, &query).await?;
    Ok(csv_response(&report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_commas_quotes_or_newlines_are_quoted() {
        assert_eq!(csv_field("Østre Halsen"), "Østre Halsen");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for start in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(
                csv_field(start).trim_start_matches('"').starts_with('\''),
                "{start}"
            );
        }
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("Kvelde"), "Kvelde");
    }
}
