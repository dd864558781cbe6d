//! The councils' funding key: each council's share and the sum against the pot, for
//! admins (who also enter the figures) and for a coordinator's own council.

use crate::domain::problem::FieldProblem;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate, Utc};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::http::{self, FormData};
use super::i18n::Lang;
use super::views::{Frame, Funding, FundingLine, FundingView};
use super::{PageResult, finish, form_session, render, session};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::funding::{self as service, ParametersInput, ResidentsInput};
use crate::services::sessions::Session;

/// Whole kroner as Norwegians write them: "1 000 000 kr" (a non-breaking space between
/// thousands).
pub fn kroner(n: i64) -> String {
    format!(
        "{}\u{a0}kr",
        crate::domain::written::whole(crate::domain::Language::Nb, n)
    )
}

#[derive(Deserialize)]
pub struct Query {
    year: Option<String>,
    done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<Query>,
) -> HttpResponse {
    let result = async {
        let s = session!(req, state);
        let lang = http::lang(&req);
        let this_year = Utc::now().with_timezone(&state.settings.timezone).year();
        let year = q
            .year
            .as_deref()
            .and_then(|y| y.trim().parse::<i32>().ok())
            .unwrap_or(this_year);
        let notice = q.done.as_deref().map(|_| lang.t("common-saved").to_owned());
        page(&req, &state, &s, year, StatusCode::OK, notice, None).await
    }
    .await;
    finish(&req, &state, result)
}

async fn page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    year: i32,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let lang = http::lang(req);
    let mut conn = state.pool.get().await?;
    let (report, missing) = match service::report(&mut conn, &s.user, year).await {
        Ok(r) => (Some(r), None),
        Err(e) if e.code() == ErrorCode::NotFound => {
            (None, Some(lang.t("funding-no-amounts-are-set").to_owned()))
        }
        Err(e) if e.code() == ErrorCode::ValidationFailed => (
            None,
            Some(lang.t("funding-choose-year-from-2000").to_owned()),
        ),
        Err(e) => return Err(e),
    };
    let admin = s.user.role == Role::Admin;
    let councils = if admin {
        crate::services::reference::choices(&mut conn)
            .await?
            .councils
            .into_iter()
            .map(|c| (c.id.to_string(), c.name))
            .collect()
    } else {
        Vec::new()
    };
    let (base_value, per_child_value, pot_value) = report.as_ref().map_or_else(
        || (String::new(), String::new(), String::new()),
        |r| {
            (
                r.base_nok.to_string(),
                r.per_child_nok.to_string(),
                r.pot_nok.to_string(),
            )
        },
    );
    let view = report.map(|r| FundingView {
        base: kroner(r.base_nok),
        per_child: kroner(r.per_child_nok),
        pot: kroner(r.pot_nok),
        total: kroner(r.total_nok),
        remaining: kroner(r.remaining_nok),
        exceeded: r.exceeded,
        csv_href: format!("/console/funding.csv?year={}", r.year),
        lines: r
            .councils
            .iter()
            .map(|c| FundingLine {
                name: c.name.clone(),
                eligible: if c.eligible {
                    lang.t("common-yes")
                } else {
                    lang.t("common-no")
                }
                .to_owned(),
                residents: c.residents_0_19.map_or_else(
                    || lang.t("funding-missing").to_owned(),
                    |n| crate::domain::written::whole(lang.0, i64::from(n)),
                ),
                source: match (&c.source, c.as_of) {
                    (Some(src), Some(d)) => {
                        format!("{src}, {}", crate::domain::written::date(lang.0, d))
                    }
                    _ => String::new(),
                },
                base: kroner(c.base_nok),
                per_child: kroner(c.per_child_part_nok),
                total: kroner(c.total_nok),
            })
            .collect(),
    });
    let page = Funding {
        f: Frame::of(
            req,
            state,
            s,
            lang.t("common-funding-key"),
            "/console/funding",
        ),
        year,
        notice,
        error: error.or(missing),
        report: view,
        admin,
        councils,
        base_value,
        per_child_value,
        pot_value,
    };
    Ok(http::page(status, render(&page)?))
}

pub async fn csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<Query>,
) -> HttpResponse {
    let result = async {
        let s = session!(req, state);
        let year = q
            .year
            .as_deref()
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or_default();
        let mut conn = state.pool.get().await?;
        let report = service::report(&mut conn, &s.user, year).await?;
        let lang = http::lang(&req);
        Ok(crate::routes::funding::csv_response(&report, Some(lang.0)))
    }
    .await;
    finish(&req, &state, result)
}

fn whole(form: &FormData, name: &str) -> Option<i64> {
    form.get(name)
        .and_then(|v| v.replace([' ', '\u{a0}'], "").parse::<i64>().ok())
}

/// Saves a form's figures; a refusal the admin can correct is shown on the page.
async fn save(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    year: i32,
    outcome: Result<(), DomainError>,
) -> PageResult {
    let lang: Lang = http::lang(req);
    match outcome {
        Ok(()) => Ok(http::redirect(&format!(
            "/console/funding?year={year}&done=1"
        ))),
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let fields: Vec<String> = e.field_errors().iter().map(|f| f.field.clone()).collect();
            let text = format!(
                "{} ({})",
                lang.t("funding-not-saved-check-fields"),
                fields.join(", ")
            );
            page(
                req,
                state,
                s,
                year,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(text),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn residents(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let form = FormData::parse(&body);
    let result = async {
        let s = form_session!(req, state, form);
        crate::auth::permissions::require_admin(&s.user)?;
        let year = whole(&form, "year")
            .and_then(|y| i32::try_from(y).ok())
            .unwrap_or_default();
        let council = form
            .get("council_id")
            .and_then(|c| Uuid::parse_str(c).ok())
            .ok_or_else(|| DomainError::not_found("no such council"))?;
        let as_of = form
            .get("as_of")
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let outcome = match (whole(&form, "residents_0_19"), as_of) {
            (Some(residents), Some(as_of)) => {
                let input = ResidentsInput {
                    residents_0_19: residents,
                    source: form.get("source").unwrap_or_default().to_owned(),
                    as_of,
                };
                let mut conn = state.pool.get().await?;
                let user = s.user.clone();
                conn.transaction(async |conn| {
                    service::set_residents(conn, &user, council, year, &input)
                        .await
                        .map(|_| ())
                })
                .await
            }
            (None, _) => Err(DomainError::invalid_field(
                "residents_0_19",
                FieldProblem::NotWholeNumber,
            )),
            (_, None) => Err(DomainError::invalid_field("as_of", FieldProblem::NotDate)),
        };
        save(&req, &state, &s, year, outcome).await
    }
    .await;
    finish(&req, &state, result)
}

pub async fn parameters(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let form = FormData::parse(&body);
    let result = async {
        let s = form_session!(req, state, form);
        crate::auth::permissions::require_admin(&s.user)?;
        let year = whole(&form, "year")
            .and_then(|y| i32::try_from(y).ok())
            .unwrap_or_default();
        let outcome = match (
            whole(&form, "base_nok"),
            whole(&form, "per_child_nok"),
            whole(&form, "pot_nok"),
        ) {
            (Some(base_nok), Some(per_child_nok), Some(pot_nok)) => {
                let input = ParametersInput {
                    base_nok,
                    per_child_nok,
                    pot_nok,
                };
                let mut conn = state.pool.get().await?;
                let user = s.user.clone();
                conn.transaction(async |conn| {
                    service::set_parameters(conn, &user, year, &input)
                        .await
                        .map(|_| ())
                })
                .await
            }
            _ => Err(DomainError::invalid_field(
                "base_nok",
                FieldProblem::NotWholeKroner,
            )),
        };
        save(&req, &state, &s, year, outcome).await
    }
    .await;
    finish(&req, &state, result)
}

#[cfg(test)]
mod tests {
    #[test]
    fn kroner_are_written_the_norwegian_way() {
        assert_eq!(super::kroner(1_000_000), "1\u{a0}000\u{a0}000\u{a0}kr");
        assert_eq!(super::kroner(87), "87\u{a0}kr");
        assert_eq!(super::kroner(-110_000), "−110\u{a0}000\u{a0}kr");
    }
}
