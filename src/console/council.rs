//! A council's page for its coordinator (admins choose the council): the opt-outs in
//! force, opting out — after a confirmation that says what will happen — and back in,
//! and the history.

use crate::domain::problem::FieldProblem;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{Datelike, NaiveDate};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::i18n;

use super::render;
use super::views::{Council, Frame, OptOutConfirm, OptOutLine};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::opt_outs::{self, Decision, Listing, ReviewInput};
use crate::services::reference;
use crate::services::sessions::Session;
use crate::web::{CouncilPage, Form, Lang, Page, PageResult, SignedIn};

/// The council the page is about: a coordinator's own; for an admin the one asked for,
/// else the first.
async fn council_of(
    s: &Session,
    state: &AppState,
    asked: Option<&str>,
) -> Result<(Uuid, Vec<(String, String)>), DomainError> {
    match s.user.role {
        Role::Coordinator => s
            .user
            .council_id
            .map(|c| (c, Vec::new()))
            .ok_or_else(|| DomainError::forbidden("you have no council")),
        Role::Admin => {
            let mut conn = state.pool.get().await?;
            let councils = reference::choices(&mut conn).await?.councils;
            let chosen = asked
                .and_then(|a| Uuid::parse_str(a).ok())
                .or_else(|| councils.first().map(|c| c.id))
                .ok_or_else(|| DomainError::not_found("no councils"))?;
            Ok((
                chosen,
                councils
                    .into_iter()
                    .map(|c| (c.id.to_string(), c.name))
                    .collect(),
            ))
        }
        _ => Err(DomainError::forbidden(
            "the council page is for coordinators",
        )),
    }
}

#[derive(Deserialize)]
pub struct Query {
    council: Option<String>,
    done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<CouncilPage>,
    q: web::Query<Query>,
) -> PageResult {
    let (council, councils) = council_of(&s, &state, q.council.as_deref()).await?;
    let lang = Lang::of(&req);
    let notice = match q.done.as_deref() {
        Some("out") => Some(lang.t("council-council-has-opted-out")),
        Some("in") => Some(lang.t("council-category-taken-back")),
        Some("review") => Some(lang.t("council-review-recorded-decisions-apply")),
        _ => None,
    }
    .map(str::to_owned);
    page(
        &req,
        &state,
        &s,
        council,
        councils,
        StatusCode::OK,
        notice,
        None,
        None,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "a page drawn in several states")]
async fn page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    council: Uuid,
    councils: Vec<(String, String)>,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    confirm: Option<OptOutConfirm>,
) -> PageResult {
    let lang = Lang::of(req);
    let tz = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let choices = reference::choices(&mut conn).await?;
    let name = |id: Uuid| super::task_fields::category_name(lang, &choices, id);
    let in_force_rows = opt_outs::list(
        &mut conn,
        &state.settings,
        state.clock.now(),
        council,
        Listing::InForce,
    )
    .await?;
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let in_force: Vec<OptOutLine> = in_force_rows
        .iter()
        .map(|o| OptOutLine {
            category_id: o.category_id.to_string(),
            category: name(o.category_id),
            reason: o.reason.clone(),
            since: i18n::short_datetime(lang, tz, o.created_at),
            review_by: crate::domain::written::date(lang.0, o.review_by),
            due: o.review_by <= today,
        })
        .collect();
    let categories = choices
        .categories
        .iter()
        .filter(|c| !in_force_rows.iter().any(|o| o.category_id == c.id))
        .map(|c| (c.id.to_string(), name(c.id)))
        .collect();
    let mut history = Vec::new();
    for o in opt_outs::list(
        &mut conn,
        &state.settings,
        state.clock.now(),
        council,
        Listing::History,
    )
    .await?
    {
        history.push((
            o.created_at,
            format!(
                "{} {}: {}",
                lang.t("council-opted-out"),
                name(o.category_id),
                o.reason
            ),
        ));
        if let Some(ended) = o.ended_at {
            history.push((
                ended,
                format!(
                    "{} {}: {}",
                    lang.t("council-taken-back"),
                    name(o.category_id),
                    end_reason_in(lang, o.end_reason.as_deref().unwrap_or_default())
                ),
            ));
        }
    }
    for (review, decisions) in opt_outs::reviews(&mut conn, &s.user, council).await? {
        history.push((
            review.created_at,
            review_in_words(lang, &review, &decisions, &name),
        ));
    }
    // In the order it happened (the written dates would sort by day of the month).
    history.sort_by_key(|(at, _)| *at);
    let history: Vec<(String, String)> = history
        .into_iter()
        .map(|(at, what)| (i18n::short_datetime(lang, tz, at), what))
        .collect();
    let council_name = reference::place_name(&mut conn, None, Some(council))
        .await?
        .ok_or_else(|| DomainError::not_found("no such council"))?;
    let default_review = today
        .with_year(today.year() + 1)
        .unwrap_or(today + chrono::Duration::days(365))
        .to_string();
    let title = format!("{} {council_name}", lang.t("common-council-2"));
    let page = Council {
        f: Frame::of(req, state, s, &title, "/console/council"),
        council_id: council.to_string(),
        councils,
        notice,
        error,
        in_force,
        confirm,
        categories,
        default_review,
        today: today.to_string(),
        history,
    };
    Ok(Page::html(status, render(&page)?))
}

/// An opt-out's end reason in the page's language: a review writes its own (`yearly review
/// 2026-12-10`), a coordinator's words stay as they were written.
fn end_reason_in(lang: Lang, reason: &str) -> String {
    match reason
        .strip_prefix("yearly review ")
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        Some(held_on) => format!(
            "{} {}",
            lang.t("council-yearly-review"),
            crate::domain::written::date(lang.0, held_on)
        ),
        None => reason.to_owned(),
    }
}

/// A recorded review in one sentence of the page's language: the meeting's date, each
/// decision by category, the participants and the notes.
fn review_in_words(
    lang: Lang,
    review: &crate::services::opt_outs::ReviewRow,
    decisions: &[(Uuid, String)],
    name: &dyn Fn(Uuid) -> String,
) -> String {
    let mut text = format!(
        "{} {}",
        lang.t("council-yearly-review-meeting"),
        crate::domain::written::date(lang.0, review.held_on)
    );
    let said: Vec<String> = decisions
        .iter()
        .map(|(category, decision)| {
            let verb = match decision.as_str() {
                "keep" => lang.t("council-keeps-opt-out"),
                "opt_in" => lang.t("council-opts-back"),
                _ => lang.t("council-takes"),
            };
            format!("{verb} {}", name(*category))
        })
        .collect();
    if said.is_empty() {
        text.push_str(lang.t("council-no-changes"));
    } else {
        text.push_str(": ");
        text.push_str(&said.join("; "));
    }
    text.push('.');
    if !review.participants.is_empty() {
        text.push_str(&format!(
            " {}: {}.",
            lang.t("council-participants"),
            review.participants
        ));
    }
    if !review.notes.is_empty() {
        text.push_str(&format!(" {}: {}", lang.t("common-notes"), review.notes));
    }
    text
}

fn reason_error(lang: Lang) -> String {
    lang.t("council-write-reason-at-most").to_owned()
}

pub async fn opt_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<CouncilPage>,
) -> PageResult {
    let (council, councils) = council_of(&s, &state, form.get("council")).await?;
    let lang = Lang::of(&req);
    let category = form
        .get("category")
        .and_then(|c| Uuid::parse_str(c).ok())
        .ok_or_else(|| DomainError::not_found("no such category"))?;
    let reason = form.get("reason").unwrap_or_default().to_owned();
    let review_by = form
        .get("review_by")
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mut conn = state.pool.get().await?;
    if form.get("confirmed") != Some("yes") {
        // First the consequences, then the change.
        let (withdrawn, kept) = opt_outs::preview(&mut conn, &s.user, council, category).await?;
        let choices = reference::choices(&mut conn).await?;
        let category_name = choices
            .categories
            .iter()
            .find(|c| c.id == category)
            .map(|c| c.name(lang.0).to_owned())
            .unwrap_or_default();
        let confirm = OptOutConfirm {
            category_id: category.to_string(),
            category: category_name,
            reason,
            review_by: review_by.map(|d| d.to_string()).unwrap_or_default(),
            withdrawn,
            kept,
        };
        return page(
            &req,
            &state,
            &s,
            council,
            councils,
            StatusCode::OK,
            None,
            None,
            Some(confirm),
        )
        .await;
    }
    let user = s.user.clone();
    let settings = state.settings.clone();
    let now = state.clock.now();
    let outcome = conn
        .transaction(async |conn| {
            opt_outs::opt_out(
                conn, &settings, now, &user, council, category, &reason, review_by,
            )
            .await
        })
        .await;
    match outcome {
        Ok(_) => Ok(Page::redirect(&format!(
            "/console/council?council={council}&done=out"
        ))),
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            page(
                &req,
                &state,
                &s,
                council,
                councils,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(reason_error(lang)),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn opt_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<CouncilPage>,
) -> PageResult {
    let (council, councils) = council_of(&s, &state, form.get("council")).await?;
    let lang = Lang::of(&req);
    let category = form
        .get("category")
        .and_then(|c| Uuid::parse_str(c).ok())
        .ok_or_else(|| DomainError::not_found("no such category"))?;
    let reason = form.get("reason").unwrap_or_default().to_owned();
    let mut conn = state.pool.get().await?;
    let user = s.user.clone();
    let outcome = conn
        .transaction(async |conn| opt_outs::opt_in(conn, &user, council, category, &reason).await)
        .await;
    match outcome {
        Ok(()) => Ok(Page::redirect(&format!(
            "/console/council?council={council}&done=in"
        ))),
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            page(
                &req,
                &state,
                &s,
                council,
                councils,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(reason_error(lang)),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<CouncilPage>,
) -> PageResult {
    let (council, councils) = council_of(&s, &state, form.get("council")).await?;
    let lang = Lang::of(&req);
    let held_on = form
        .get("held_on")
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mut decisions = Vec::new();
    for (category, value) in form.with_prefix("decision.") {
        let decision = match value {
            "keep" => Decision::Keep,
            "opt_in" => Decision::OptIn,
            "take_on" => Decision::TakeOn,
            _ => continue,
        };
        if let Ok(category) = Uuid::parse_str(category) {
            decisions.push((category, decision));
        }
    }
    let outcome = match held_on {
        Some(held_on) => {
            let input = ReviewInput {
                held_on,
                participants: form.get("participants").unwrap_or_default().to_owned(),
                notes: form.get("notes").unwrap_or_default().to_owned(),
                decisions,
            };
            let mut conn = state.pool.get().await?;
            let user = s.user.clone();
            let settings = state.settings.clone();
            let now = state.clock.now();
            conn.transaction(async |conn| {
                opt_outs::review(conn, &settings, now, &user, council, input)
                    .await
                    .map(|_| ())
            })
            .await
        }
        None => Err(DomainError::invalid_field("held_on", FieldProblem::NotDate)),
    };
    match outcome {
        Ok(()) => Ok(Page::redirect(&format!(
            "/console/council?council={council}&done=review"
        ))),
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let text = lang.t("council-review-was-not-recorded");
            page(
                &req,
                &state,
                &s,
                council,
                councils,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(text.to_owned()),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    council: Option<String>,
    year: Option<String>,
}

/// Three bars of one category: posted, found a volunteer, completed; the figures are
/// written at the bars' ends and stand in the table below too.
fn bars(lang: Lang, caption_id: usize, values: [i64; 3]) -> String {
    let labels = [
        lang.t("common-posted"),
        lang.t("common-found-volunteer"),
        lang.t("common-completed"),
    ];
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 460 78\" role=\"img\" aria-labelledby=\"cat-{caption_id}\">"
    );
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        let y = 4 + i * 24;
        let w = (value as f64 / max as f64 * 260.0).max(1.0);
        svg.push_str(&format!(
            "<text x=\"130\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f24\">{label}</text>\
             <rect x=\"138\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" fill=\"#00509e\"/>\
             <text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"12\" fill=\"#1b1f24\">{value}</text>",
            ty = y + 13,
            tx = 142.0 + w,
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub async fn overview(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<CouncilPage>,
    q: web::Query<OverviewQuery>,
) -> PageResult {
    let (council, _) = council_of(&s, &state, q.council.as_deref()).await?;
    let lang = Lang::of(&req);
    let tz = state.settings.timezone;
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.clock.now().with_timezone(&tz).year());
    let mut conn = state.pool.get().await?;
    let o = opt_outs::overview(&mut conn, &state.settings, &s.user, council, year).await?;
    let name_of = |c: &crate::services::opt_outs::CategoryRow| c.name(lang.0).to_owned();
    let whole = |n: i64| crate::domain::written::whole(lang.0, n);
    let dash = |v: Option<i64>| v.map_or_else(|| "–".to_owned(), whole);
    let categories = o
        .categories
        .iter()
        .enumerate()
        .map(|(i, (c, f))| super::views::OverviewCategory {
            name: name_of(c),
            svg: bars(lang, i + 1, [f.posted, f.claimed, f.completed]),
            cells: vec![
                whole(f.posted),
                whole(f.claimed),
                whole(f.completed),
                whole(f.withdrawn),
                f.minutes.map_or_else(
                    || "–".to_owned(),
                    |m| crate::domain::written::decimal(lang.0, m as f64 / 60.0, 1),
                ),
                dash(f.volunteers),
            ],
        })
        .collect();
    let choices = reference::choices(&mut conn).await?;
    let in_force = o
        .in_force
        .iter()
        .map(|x| {
            let name = choices
                .categories
                .iter()
                .find(|c| c.id == x.category_id)
                .map(&name_of)
                .unwrap_or_default();
            (
                name,
                x.reason.clone(),
                crate::domain::written::date(lang.0, x.review_by),
            )
        })
        .collect();
    let category_name = |id: Uuid| {
        choices
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(&name_of)
            .unwrap_or_default()
    };
    let reviews = o
        .reviews
        .iter()
        .map(|(review, decisions)| review_in_words(lang, review, decisions, &category_name))
        .collect();
    let title = format!(
        "{} {} {year}",
        lang.t("council-meeting-overview"),
        o.council_name
    );
    let page = super::views::Overview {
        f: Frame::of(&req, &state, &s, &title, "/console/council"),
        council_id: council.to_string(),
        year,
        in_force,
        categories,
        reviews,
    };
    Ok(Page::html(StatusCode::OK, render(&page)?))
}
