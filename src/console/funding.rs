//! The councils' funding key: each council's share and the sum against the pot, for
//! admins (who also enter the figures) and for a coordinator's own council.

use crate::domain::problem::FieldProblem;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{Datelike, NaiveDate};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use uuid::Uuid;

use crate::web::http::FormData;

use super::render;
use super::views::{Frame, Funding, FundingLine, FundingView};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::funding::{self as service, ParametersInput, ResidentsInput};
use crate::services::sessions::Session;
use crate::web::{Admin, Form, Lang, Page, PageResult, SignedIn};

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
    s: SignedIn,
    q: web::Query<Query>,
) -> PageResult {
    let lang = Lang::of(&req);
    let this_year = state
        .clock
        .now()
        .with_timezone(&state.settings.timezone)
        .year();
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .unwrap_or(this_year);
    let notice = q.done.as_deref().map(|_| lang.t("common-saved").to_owned());
    page(&req, &state, &s, year, StatusCode::OK, notice, None).await
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
    let lang = Lang::of(req);
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
        Err(e) => return Err(e.into()),
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
    Ok(Page::html(status, render(&page)?))
}

pub async fn csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    q: web::Query<Query>,
) -> PageResult {
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or_default();
    let mut conn = state.pool.get().await?;
    let report = service::report(&mut conn, &s.user, year).await?;
    let lang = Lang::of(&req);
    Ok(Page::export(crate::routes::funding::csv_response(
        &report,
        Some(lang.0),
    )))
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
    let lang: Lang = Lang::of(req);
    match outcome {
        Ok(()) => Ok(Page::redirect(&format!(
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
        Err(e) => Err(e.into()),
    }
}

pub async fn residents(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
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

pub async fn parameters(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
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

#[cfg(test)]
mod tests {
    #[test]
    fn kroner_are_written_the_norwegian_way() {
        assert_eq!(super::kroner(1_000_000), "1\u{a0}000\u{a0}000\u{a0}kr");
        assert_eq!(super::kroner(87), "87\u{a0}kr");
        assert_eq!(super::kroner(-110_000), "−110\u{a0}000\u{a0}kr");
    }
}
