//! What staff do to a posted task from its page: cancel, complete (with hours), invite.

use crate::domain::problem::FieldProblem;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use crate::domain::error::{DomainError, ErrorCode, FieldError};
use crate::domain::ids::{TaskId, UserId};
use crate::routes::state::AppState;
use crate::services::invitations;
use crate::services::sessions::Session;
use crate::services::tasks::{self as service};
use crate::web::{Form, Lang, Page, PageResult, Staff};

use super::page::{field_label, task_page};
use super::task_id;

/// Runs a task action from the task page; a refusal the person can act on is shown on
/// the task page, anything else as an error page.
async fn task_action(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    outcome: Result<&'static str, DomainError>,
) -> PageResult {
    let lang = Lang::of(req);
    match outcome {
        Ok("called-off") => Ok(Page::redirect("/console/tasks?done=called-off")),
        Ok(done) => Ok(Page::redirect(&format!("/console/tasks/{id}?done={done}"))),
        Err(e)
            if e.code().is_callers()
                && !matches!(
                    e.code(),
                    ErrorCode::NotFound | ErrorCode::Forbidden | ErrorCode::RateLimited
                ) =>
        {
            let text = match e.code() {
                ErrorCode::ValidationFailed => e
                    .field_errors()
                    .first()
                    .map(|f| {
                        format!(
                            "{}: {}",
                            field_label_action(lang, &f.field),
                            f.problem.message(lang.0)
                        )
                    })
                    .unwrap_or_default(),
                ErrorCode::TaskNotStarted => lang.t("tasks-complete-not-started").to_owned(),
                ErrorCode::TaskNotOpen => lang.t("tasks-not-now").to_owned(),
                ErrorCode::Conflict => lang.t("tasks-already-invited-or-claimed").to_owned(),
                _ => e.detail().to_owned(),
            };
            task_page(
                req,
                state,
                s,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(text),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn field_label_action(lang: Lang, field: &str) -> &'static str {
    match field {
        "reason" => lang.t("common-reason"),
        f if f.starts_with("hours") => lang.t("tasks-hours"),
        _ => field_label(lang, field),
    }
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
    let id = task_id(&path)?;
    let reason = form.get("reason").unwrap_or_default().to_owned();
    let mut conn = state.pool.get().await?;
    let user = s.user.clone();
    let outcome = conn
        .transaction(async |conn| {
            service::cancel(conn, &user, id, &reason, state.clock.now())
                .await
                .map(|_| "called-off")
        })
        .await;
    task_action(&req, &state, &s, id, outcome).await
}

pub async fn complete(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Staff>,
    path: web::Path<String>,
) -> PageResult {
    let id = task_id(&path)?;
    let mut by_claim = HashMap::new();
    let mut bad = Vec::new();
    for (claim, raw) in form.with_prefix("hours.") {
        match (Uuid::parse_str(claim), raw.replace(',', ".").parse::<f64>()) {
            (Ok(c), Ok(h)) => {
                by_claim.insert(c, h);
            }
            _ => bad.push(FieldError::new("hours", FieldProblem::NotHours)),
        }
    }
    let outcome = if bad.is_empty() {
        let mut conn = state.pool.get().await?;
        let user = s.user.clone();
        let input = service::Completion {
            hours: None,
            hours_by_claim: (!by_claim.is_empty()).then_some(by_claim),
        };
        conn.transaction(async |conn| {
            service::complete(conn, &user, id, input, state.clock.now())
                .await
                .map(|_| "finished")
        })
        .await
    } else {
        Err(DomainError::validation(bad))
    };
    task_action(&req, &state, &s, id, outcome).await
}

pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Staff>,
    path: web::Path<String>,
) -> PageResult {
    let id = task_id(&path)?;
    let volunteer = form
        .get("volunteer_id")
        .and_then(|v| Uuid::parse_str(v).ok())
        .ok_or_else(|| DomainError::not_found("no invitable volunteer with this id"))?;
    let mut conn = state.pool.get().await?;
    let user = s.user.clone();
    let outcome = conn
        .transaction(async |conn| {
            invitations::invite(
                conn,
                &user,
                state.settings.timezone,
                state.clock.now(),
                TaskId(id),
                UserId(volunteer),
            )
            .await
            .map(|_| "invited")
        })
        .await;
    task_action(&req, &state, &s, id, outcome).await
}
