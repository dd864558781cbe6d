//! Recurring tasks in the console: the "gjentas" part of `Ny oppgave`, posting a series
//! from that form, and the series page — its dates with their claim state, its history,
//! and cancelling it from a date. The rules are the API's, through the same use cases
//! (`services::series`).

use crate::domain::problem::FieldProblem;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use uuid::Uuid;

use super::i18n;
use crate::web::http::{self};

use super::render;
use super::task_fields::{
    Parsed, Values, category_name, council_name, private_facts, status_label,
};
use super::views::{FieldKind, FormField, Frame, OccurrenceLine, RecurrenceForm, SeriesPage};
use crate::auth::{AuthUser, permissions};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode, FieldError};
use crate::domain::recurrence::{End, Freq, SeriesEventKind, weekday_str};
use crate::domain::time::local_date;
use crate::routes::state::AppState;
use crate::services::reference;
use crate::services::series::SeriesRow;
use crate::services::series::{self as service, NewSeries};
use crate::services::sessions::Session;
use crate::web::{Form, Lang, Page, PageResult, SignedIn, Staff};

/// Occurrences on one page of the series.
const PAGE_SIZE: i64 = 50;

/// The rule's weekday codes, Monday first, as the form's checkboxes send them.
const WEEKDAY_CODES: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];

fn weekday_name(lang: Lang, code: &str) -> &'static str {
    WEEKDAY_CODES
        .iter()
        .position(|c| *c == code)
        .map_or("", |i| crate::domain::written::weekday(lang.0, i))
}

/// The recurrence part of a new task's form, with the values as typed and their errors.
pub(super) fn form(lang: Lang, v: &Values, errors: &HashMap<String, String>) -> RecurrenceForm {
    let field = |name: &'static str, label: &'static str, kind: FieldKind, value: &str| FormField {
        name,
        label,
        hint: None,
        kind,
        value: value.to_owned(),
        required: false,
        numeric: false,
        maxlength: None,
        error: errors.get(name).cloned(),
    };
    let freqs = vec![
        (String::new(), lang.t("series-no-just-once").to_owned()),
        ("daily".to_owned(), lang.t("series-every-day").to_owned()),
        ("weekly".to_owned(), lang.t("series-every-week").to_owned()),
        (
            "monthly".to_owned(),
            lang.t("series-every-month").to_owned(),
        ),
    ];
    RecurrenceForm {
        head: vec![
            field(
                "recurrence.freq",
                lang.t("series-repeats"),
                FieldKind::Select(freqs),
                &v.freq,
            ),
            FormField {
                hint: Some(lang.t("series-1-every-time-2")),
                numeric: true,
                maxlength: Some(1),
                ..field(
                    "recurrence.interval",
                    lang.t("series-interval"),
                    FieldKind::Text("text"),
                    &v.interval,
                )
            },
        ],
        weekdays: WEEKDAY_CODES
            .iter()
            .map(|code| {
                (
                    *code,
                    weekday_name(lang, code),
                    v.by_weekday.iter().any(|d| d == code),
                )
            })
            .collect(),
        weekday_error: errors.get("recurrence.by_weekday").cloned(),
        tail: vec![
            FormField {
                hint: Some(lang.t("series-fill-either-number-times")),
                numeric: true,
                maxlength: Some(3),
                ..field(
                    "recurrence.count",
                    lang.t("series-number-times"),
                    FieldKind::Text("text"),
                    &v.count,
                )
            },
            field(
                "recurrence.until",
                lang.t("series-until-including"),
                FieldKind::Text("date"),
                &v.until,
            ),
        ],
        end_error: errors.get("recurrence").cloned(),
    }
}

/// A use case's field name as the form names it: the template's fields are the task
/// form's own, and the first start is its start time.
fn form_field(field: &str) -> String {
    match field {
        "first_starts_at" => "starts_at".to_owned(),
        f => f.strip_prefix("template.").unwrap_or(f).to_owned(),
    }
}

/// The use case's refusal with its field names as the form has them.
pub(super) fn errors_by_field(lang: Lang, errors: &[FieldError]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in errors {
        out.entry(form_field(&e.field))
            .or_insert_with(|| e.problem.message(lang.0));
    }
    out
}

/// Parses the recurrence fields the form sent and posts the series in the caller's
/// transaction; returns its id. A field that does not parse is refused with the others.
pub(super) async fn post(
    conn: &mut AsyncPgConnection,
    user: &AuthUser,
    zone: chrono_tz::Tz,
    v: &Values,
    mut first: Parsed,
    now: DateTime<Utc>,
) -> Result<Uuid, DomainError> {
    let mut errors = std::mem::take(&mut first.errors);
    let mut whole = |field: &str, raw: &str| -> Option<i64> {
        if raw.is_empty() {
            return None;
        }
        let parsed = raw.parse::<i64>().ok();
        if parsed.is_none() {
            errors.push(FieldError {
                field: field.into(),
                problem: FieldProblem::NotWholeNumber,
            });
        }
        parsed
    };
    let interval = whole("recurrence.interval", &v.interval);
    let count = whole("recurrence.count", &v.count);
    let until = if v.until.is_empty() {
        None
    } else {
        let parsed = NaiveDate::parse_from_str(&v.until, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.push(FieldError {
                field: "recurrence.until".into(),
                problem: FieldProblem::NotDate,
            });
        }
        parsed
    };
    if !errors.is_empty() {
        return Err(DomainError::validation(errors));
    }
    let input = NewSeries {
        template: first.task_fields(v),
        first_starts_at: first.starts_at.unwrap_or_default(),
        freq: v.freq.clone(),
        interval,
        by_weekday: v.by_weekday.clone(),
        count,
        until,
    };
    let (series, _) = service::create(conn, user, zone, input, now).await?;
    Ok(series.id)
}

// ---- the series page ----

#[derive(Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
    after: Option<String>,
}

fn series_id(path: &web::Path<String>) -> Result<Uuid, DomainError> {
    http::path_id(path, "no such series")
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    path: web::Path<String>,
    q: web::Query<ShowQuery>,
) -> PageResult {
    let id = series_id(&path)?;
    let lang = Lang::of(&req);
    let notice = match q.done.as_deref() {
        Some("posted") => Some(lang.t("series-series-published")),
        Some("called-off") => Some(lang.t("series-dates-from-chosen-date")),
        _ => None,
    }
    .map(str::to_owned);
    let after = q
        .after
        .as_deref()
        .and_then(|a| NaiveDate::parse_from_str(a, "%Y-%m-%d").ok());
    series_page(&req, &state, &s, id, after, StatusCode::OK, notice, None).await
}

/// How the rule reads: "hver uke (tirsdag, torsdag), 10 ganger".
fn rule_text(lang: Lang, s: &SeriesRow) -> String {
    let rule = service::rule_of(s);
    let every = match (rule.freq, rule.interval) {
        (Freq::Daily, 1) => lang.t("series-every-day-2").to_owned(),
        (Freq::Weekly, 1) => lang.t("series-every-week-2").to_owned(),
        (Freq::Monthly, 1) => lang.t("series-every-month-2").to_owned(),
        (Freq::Daily, n) => format!("{} {n}. {}", lang.t("series-every"), lang.t("series-day")),
        (Freq::Weekly, n) => format!("{} {n}. {}", lang.t("series-every"), lang.t("series-week")),
        (Freq::Monthly, n) => {
            format!("{} {n}. {}", lang.t("series-every"), lang.t("series-month"))
        }
    };
    let days = if rule.by_weekday.is_empty() {
        String::new()
    } else {
        let names: Vec<_> = rule
            .by_weekday
            .iter()
            .map(|d| weekday_name(lang, weekday_str(*d)))
            .collect();
        format!(" ({})", names.join(", "))
    };
    let end = match rule.end {
        End::Count(n) => format!(", {n} {}", lang.t("series-times")),
        End::Until(d) => format!(
            ", {} {}",
            lang.t("series-until"),
            crate::domain::written::date(lang.0, d)
        ),
    };
    format!("{every}{days}{end}")
}

fn event_text(lang: Lang, kind: &str, fields: &[String], from: Option<NaiveDate>) -> String {
    let from = from
        .map(|d| {
            format!(
                " {} {}",
                lang.t("series-from"),
                crate::domain::written::date(lang.0, d)
            )
        })
        .unwrap_or_default();
    match SeriesEventKind::parse(kind) {
        Some(SeriesEventKind::Created) => lang.t("series-history-posted").to_owned(),
        Some(SeriesEventKind::Edited) => {
            format!("{}{from}: {}", lang.t("common-edited"), fields.join(", "))
        }
        Some(SeriesEventKind::Cancelled) => format!("{}{from}", lang.t("common-cancelled")),
        None => kind.to_owned(),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page, drawn after a show or a refusal"
)]
async fn series_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    after: Option<NaiveDate>,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    permissions::require_role(&s.user, &[Role::Staff, Role::Admin])?;
    let lang = Lang::of(req);
    let tz = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, &s.user, id, after, PAGE_SIZE).await?;
    // The page shows the private block and the history: the unit's and admins' only.
    permissions::require_unit_member(&s.user, view.series.service_unit_id)?;
    let series = &view.series;
    let choices = reference::choices(&mut conn).await?;
    let mut facts = vec![
        (
            lang.t("series-first-date").to_owned(),
            crate::domain::written::date(lang.0, service::first_occurrence(series)),
        ),
        (
            lang.t("series-time-day").to_owned(),
            crate::domain::written::clock(
                lang.0,
                chrono::Timelike::hour(&series.local_time),
                chrono::Timelike::minute(&series.local_time),
            ),
        ),
        (lang.t("series-repeats").to_owned(), rule_text(lang, series)),
        (
            lang.t("common-category").to_owned(),
            category_name(lang, &choices, series.category_id),
        ),
        (
            lang.t("common-neighbourhood-council").to_owned(),
            council_name(lang, &choices, series.council_id),
        ),
        (
            lang.t("common-number-spots").to_owned(),
            series.spots.to_string(),
        ),
    ];
    if let Some(d) = series.duration_minutes {
        facts.push((
            lang.t("common-duration").to_owned(),
            format!("{d} {}", lang.t("common-minutes")),
        ));
    }
    if let Some(a) = &series.area_hint {
        facts.push((lang.t("common-area").to_owned(), a.clone()));
    }
    if let Some(d) = series.cancelled_from {
        facts.push((
            lang.t("series-cancelled-from").to_owned(),
            crate::domain::written::date(lang.0, d),
        ));
    }
    let private = view.private.as_ref().map(|p| {
        private_facts(
            lang,
            [&p.address, &p.recipient_name, &p.recipient_phone, &p.notes],
        )
    });
    let limit = usize::try_from(PAGE_SIZE).unwrap_or(50);
    let next = (view.occurrences.len() > limit)
        .then(|| {
            view.occurrences
                .get(limit - 1)
                .and_then(|t| t.occurrence_date)
        })
        .flatten()
        .map(|d| format!("/console/series/{id}?after={d}"));
    let occurrences = view
        .occurrences
        .iter()
        .take(limit)
        .map(|t| OccurrenceLine {
            task_id: t.id.to_string(),
            starts: i18n::datetime(lang, tz, t.starts_at),
            status: status_label(lang, t.status).to_owned(),
            status_key: t.status.as_str().to_owned(),
            taken: format!(
                "{} {} {} {}",
                t.active_claims,
                lang.t("common-of"),
                t.spots,
                lang.t("series-spots-taken")
            ),
        })
        .collect();
    let history = view
        .events
        .unwrap_or_default()
        .into_iter()
        .map(|e| {
            (
                i18n::short_datetime(lang, tz, e.created_at),
                event_text(lang, &e.kind, &e.fields, e.from_date),
            )
        })
        .collect();
    let today = local_date(state.clock.now(), tz);
    let page = SeriesPage {
        f: Frame::of(req, state, s, &series.title, ""),
        id: id.to_string(),
        title: series.title.clone(),
        notice,
        error,
        facts,
        description: series.description.clone(),
        private,
        occurrences,
        next,
        live: series.cancelled_from.is_none_or(|d| d > today),
        today: today.to_string(),
        history,
    };
    Ok(Page::html(status, render(&page)?))
}

pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Staff>,
    path: web::Path<String>,
) -> PageResult {
    let id = series_id(&path)?;
    let lang = Lang::of(&req);
    let tz = state.settings.timezone;
    let reason = form.get("reason").unwrap_or_default().to_owned();
    let from = form
        .get("from")
        .map(|raw| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| DomainError::invalid_field("from", FieldProblem::NotDate))
        })
        .transpose();
    let mut conn = state.pool.get().await?;
    let user = s.user.clone();
    let outcome = match from {
        Ok(from) => {
            conn.transaction(async |conn| {
                service::cancel(conn, &user, tz, id, &reason, from, state.clock.now()).await
            })
            .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Page::redirect(&format!(
            "/console/series/{id}?done=called-off"
        ))),
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let text = e
                .field_errors()
                .first()
                .map(|f| {
                    let label = match f.field.as_str() {
                        "reason" => lang.t("common-reason"),
                        _ => lang.t("series-from-date"),
                    };
                    format!("{label}: {}", f.problem.message(lang.0))
                })
                .unwrap_or_default();
            series_page(
                &req,
                &state,
                &s,
                id,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(text),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
