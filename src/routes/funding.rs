//! The councils' funding key: `GET /api/v1/reports/funding?year=` (JSON; the CSV at
//! `.csv`), and the admin's figures: the amounts per year and each
//! council's residents aged 0–19.

use crate::domain::problem::FieldProblem;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::body::Deferred;
use super::reports::csv_field;
use crate::auth::{AuthUser, permissions};
use crate::db::funding::{ParametersRow, ResidentsRow};
use crate::error::{ApiError, ApiResult};
use crate::routes::state::AppState;
use crate::services::funding::{self as service, FundingReport, ParametersInput, ResidentsInput};

#[derive(Debug, Deserialize)]
pub struct FundingParams {
    pub year: Option<String>,
}

/// A year of the funding key: four digits, 2000 to 2100 (the spec's pattern).
fn year_of(raw: Option<&str>) -> Result<i32, ApiError> {
    raw.filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ApiError::invalid_field("year", FieldProblem::OutsideYears))
}

async fn build(
    state: &AppState,
    user: &AuthUser,
    params: &FundingParams,
) -> ApiResult<FundingReport> {
    let year = year_of(params.year.as_deref())?;
    let mut conn = state.pool.get().await?;
    Ok(service::report(&mut conn, user, year).await?)
}

/// The report as CSV: one line per council, then the total and the pot. `headings` in a
/// person's language for the console's download; `None` gives the API's field names.
pub fn to_csv(r: &FundingReport, headings: Option<crate::domain::Language>) -> String {
    use crate::catalogue::text;
    // A byte-order mark, so that a spreadsheet reads the Norwegian letters as UTF-8.
    let mut out = String::from("\u{feff}");
    out.push_str(match headings {
        None => {
            "council,eligible,residents_0_19,source,as_of,base_nok,per_child_part_nok,total_nok"
        }
        Some(l) => text(l, "csv-funding-headings"),
    });
    out.push_str("\r\n");
    let l = headings.unwrap_or_default();
    let (missing, total, pot) = (
        text(l, "csv-missing"),
        text(l, "csv-total"),
        text(l, "csv-pot"),
    );
    for c in &r.councils {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            csv_field(&c.name),
            c.eligible,
            c.residents_0_19
                .map_or_else(|| missing.to_owned(), |n| n.to_string()),
            csv_field(c.source.as_deref().unwrap_or_default()),
            c.as_of.map(|d| d.to_string()).unwrap_or_default(),
            c.base_nok,
            c.per_child_part_nok,
            c.total_nok,
        ));
    }
    out.push_str(&format!("{total},,,,,,,{}\r\n", r.total_nok));
    out.push_str(&format!("{pot},,,,,,,{}\r\n", r.pot_nok));
    out
}

/// The CSV download; `headings` as in [`to_csv`].
pub fn csv_response(r: &FundingReport, headings: Option<crate::domain::Language>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"dugnad-fordelingsnokkel-{}.csv\"",
                r.year
            ),
        ))
        .body(to_csv(r, headings))
}

pub async fn report(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<FundingParams>,
) -> ApiResult<HttpResponse> {
    let report = build(&state, &user, &query).await?;
    Ok(HttpResponse::Ok().json(report))
}

pub async fn report_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<FundingParams>,
) -> ApiResult<HttpResponse> {
    let report = build(&state, &user, &query).await?;
    Ok(csv_response(&report, None))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParametersRequest {
    pub base_nok: crate::validation::WholeNumber,
    pub per_child_nok: crate::validation::WholeNumber,
    pub pot_nok: crate::validation::WholeNumber,
}

#[derive(Debug, Serialize)]
pub struct ParametersResponse {
    pub year: i32,
    pub base_nok: i64,
    pub per_child_nok: i64,
    pub pot_nok: i64,
}

impl From<ParametersRow> for ParametersResponse {
    fn from(r: ParametersRow) -> Self {
        Self {
            year: r.year,
            base_nok: r.base_nok,
            per_child_nok: r.per_child_nok,
            pot_nok: r.pot_nok,
        }
    }
}

pub async fn set_parameters(
    state: web::Data<AppState>,
    user: AuthUser,
    year: web::Path<String>,
    body: Deferred<ParametersRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let year = year_of(Some(year.as_str()))?;
    let body = body.parse()?;
    let mut conn = state.pool.get().await?;
    let row = service::set_parameters(
        &mut conn,
        &user,
        year,
        &ParametersInput {
            base_nok: i64::from(body.base_nok.0),
            per_child_nok: i64::from(body.per_child_nok.0),
            pot_nok: i64::from(body.pot_nok.0),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ParametersResponse::from(row)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidentsRequest {
    pub residents_0_19: crate::validation::WholeNumber,
    pub source: String,
    pub as_of: NaiveDate,
}

#[derive(Debug, Serialize)]
pub struct ResidentsResponse {
    pub council_id: Uuid,
    pub year: i32,
    pub residents_0_19: i32,
    pub source: String,
    pub as_of: NaiveDate,
}

impl From<ResidentsRow> for ResidentsResponse {
    fn from(r: ResidentsRow) -> Self {
        Self {
            council_id: r.council_id,
            year: r.year,
            residents_0_19: r.residents_0_19,
            source: r.source,
            as_of: r.as_of,
        }
    }
}

pub async fn set_residents(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String)>,
    body: Deferred<ResidentsRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let (council, year) = path.into_inner();
    let year = year_of(Some(&year))?;
    let body = body.parse()?.into_inner();
    let mut conn = state.pool.get().await?;
    let row = service::set_residents(
        &mut conn,
        &user,
        council,
        year,
        &ResidentsInput {
            residents_0_19: i64::from(body.residents_0_19.0),
            source: body.source,
            as_of: body.as_of,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ResidentsResponse::from(row)))
}
