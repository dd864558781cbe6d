//! `GET /api/v1/reports/summary` (JSON; the CSV at `.csv`): the
//! programme report. Admins see everything, coordinators their council, staff their unit.
//! Cells counting fewer than three people are suppressed so nobody can be singled out.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::routes::state::AppState;
use crate::services::reports::{self as service, Figures, ReportQuery, Summary};

#[derive(Debug, Deserialize)]
pub struct ReportParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub group_by: Option<String>,
}

impl From<ReportParams> for ReportQuery {
    fn from(p: ReportParams) -> Self {
        Self {
            from: p.from,
            to: p.to,
            group_by: p.group_by,
        }
    }
}

async fn build(state: &AppState, user: &AuthUser, params: ReportParams) -> ApiResult<Summary> {
    let mut conn = state.pool.get().await?;
    Ok(service::summary(
        &mut conn,
        &state.settings,
        user,
        &params.into(),
        state.clock.now(),
    )
    .await?)
}

/// One text cell: a leading `=`, `+`, `-`, `@`, tab or CR would make a spreadsheet read
/// it as a formula (CSV injection), so such a cell starts with `'` instead; then quoted
/// as RFC 4180 asks.
pub fn csv_field(value: &str) -> String {
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

/// The CSV's header line for programs: the API's field names.
const CSV_FIELDS: &str = "key,label,posted,filled,completed,cancelled,expired,withdrawn,claims_made,claims_released,volunteer_hours,active_volunteers,median_hours_to_first_claim,share_found_volunteer_before_start,suppressed";

/// RFC 4180 CSV with a UTF-8 byte-order mark, so spreadsheets show "Østre" correctly.
/// `headings` in a language for people; `None` gives the API's field names.
fn to_csv(s: &Summary, headings: Option<crate::domain::Language>) -> String {
    use crate::catalogue::text;
    let mut out = String::from("\u{feff}");
    // The same columns with headings for people, for the console's download.
    out.push_str(match headings {
        None => CSV_FIELDS,
        Some(l) => text(l, "csv-report-headings"),
    });
    out.push_str("\r\n");
    for r in &s.rows {
        out.push_str(&csv_row(
            r.key.as_deref().unwrap_or(""),
            &r.label,
            &r.figures,
        ));
        out.push_str("\r\n");
    }
    let total = text(headings.unwrap_or_default(), "csv-total");
    out.push_str(&csv_row("total", total, &s.totals));
    out.push_str("\r\n");
    out
}

/// The CSV download; `headings` as in [`to_csv`].
pub fn csv_response(s: &Summary, headings: Option<crate::domain::Language>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"dugnad-rapport-{}-{}.csv\"",
                s.from, s.to
            ),
        ))
        .body(to_csv(s, headings))
}

pub async fn summary(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    let report = build(&state, &user, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(report))
}

pub async fn summary_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ReportParams>,
) -> ApiResult<HttpResponse> {
    let report = build(&state, &user, query.into_inner()).await?;
    Ok(csv_response(&report, None))
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
