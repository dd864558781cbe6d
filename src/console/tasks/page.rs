//! The task page: its facts, claimants, invitations and history.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use serde::Deserialize;
use uuid::Uuid;

use super::super::i18n;

use super::super::render;
use super::super::task_fields::{category_name, council_name, private_facts, status_label};
use super::super::views::{ClaimantLine, Frame, TaskPage};
use crate::auth::permissions;
use crate::domain::ids::TaskId;
use crate::domain::task::{ClaimStatus, EventKind, TaskStatus};
use crate::routes::state::AppState;
use crate::services::invitations;
use crate::services::reference::{self as reference};
use crate::services::sessions::Session;
use crate::services::tasks::{self as service};
use crate::web::{Lang, Page, PageResult, SignedIn};

use super::{require_staff, task_id};

fn event_text(lang: Lang, kind: EventKind, fields: &[Option<String>]) -> String {
    let changed = || {
        fields
            .iter()
            .flatten()
            .map(|f| field_label(lang, f))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind {
        EventKind::Created => lang.t("common-posted").to_owned(),
        EventKind::Updated => format!("{}: {}", lang.t("common-edited"), changed()),
        EventKind::Claimed => lang.t("tasks-history-claimed").to_owned(),
        EventKind::Filled => lang.t("tasks-history-filled").to_owned(),
        EventKind::Released | EventKind::Reopened | EventKind::ClaimVoided => {
            lang.t("tasks-history-released").to_owned()
        }
        EventKind::Cancelled => lang.t("common-cancelled").to_owned(),
        EventKind::Completed => lang.t("common-completed").to_owned(),
        EventKind::AutoCompleted => lang.t("tasks-history-auto-completed").to_owned(),
        EventKind::Expired => lang.t("tasks-history-lapsed").to_owned(),
        EventKind::Withdrawn => lang.t("tasks-history-withdrawn").to_owned(),
        EventKind::PrivatePurged => lang.t("tasks-history-private-erased").to_owned(),
    }
}

pub(super) fn field_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "title" => lang.t("tasks-title-2"),
        "description" => lang.t("tasks-description-2"),
        "category_id" => lang.t("tasks-category"),
        "council_id" => lang.t("tasks-council"),
        "starts_at" => lang.t("tasks-start-time"),
        "ends_at" => lang.t("tasks-end-time"),
        "duration_minutes" => lang.t("tasks-duration"),
        "spots" => lang.t("tasks-spots"),
        "area_hint" => lang.t("tasks-area"),
        "private.address" => lang.t("tasks-address"),
        "private.recipient_name" => lang.t("tasks-recipient-s-name"),
        "private.recipient_phone" => lang.t("tasks-recipient-s-phone"),
        "private.notes" => lang.t("tasks-notes"),
        _ => lang.t("tasks-other-fields"),
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn,
    path: web::Path<String>,
    q: web::Query<ShowQuery>,
) -> PageResult {
    let id = task_id(&path)?;
    let notice = q.done.as_deref().map(|d| done_notice(Lang::of(&req), d));
    task_page(&req, &state, &s, id, StatusCode::OK, notice.flatten(), None).await
}

fn done_notice(lang: Lang, done: &str) -> Option<String> {
    let text = match done {
        "posted" => lang.t("tasks-task-published"),
        "saved" => lang.t("tasks-changes-are-saved"),
        "finished" => lang.t("tasks-task-completed"),
        "invited" => lang.t("tasks-invitation-sent"),
        _ => return None,
    };
    Some(text.to_owned())
}

pub(super) async fn task_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    require_staff(&s.user)?;
    let lang = Lang::of(req);
    let tz = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, &s.user, tz, id).await?;
    // The page shows contacts and the private block: the unit's and admins' only.
    permissions::require_unit_member(&s.user, view.task.service_unit_id)?;
    let task = &view.task;
    let choices = reference::choices(&mut conn).await?;
    let unit_name = choices
        .units
        .iter()
        .find(|u| u.id == task.service_unit_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let mut facts = vec![
        (
            lang.t("common-start-time").to_owned(),
            i18n::datetime(lang, tz, task.starts_at),
        ),
        (
            lang.t("common-category").to_owned(),
            category_name(lang, &choices, task.category_id),
        ),
        (
            lang.t("common-neighbourhood-council").to_owned(),
            council_name(lang, &choices, task.council_id),
        ),
        (lang.t("common-service-unit").to_owned(), unit_name),
    ];
    if let Some(d) = task.duration_minutes {
        facts.push((
            lang.t("common-duration").to_owned(),
            format!("{d} {}", lang.t("common-minutes")),
        ));
    }
    if let Some(a) = &task.area_hint {
        facts.push((lang.t("common-area").to_owned(), a.clone()));
    }
    if let Some(r) = &task.cancel_reason {
        facts.push((lang.t("common-reason-cancelling").to_owned(), r.clone()));
    }
    let private = view.private.as_ref().map(|p| {
        private_facts(
            lang,
            [&p.address, &p.recipient_name, &p.recipient_phone, &p.notes],
        )
    });
    // Who holds or held the task: active and completed claims. Released claims are not
    // listed — no page shows a person's releases.
    let claimants: Vec<_> = service::claimants(&mut conn, &s.user, tz, id)
        .await?
        .into_iter()
        .filter(|c| matches!(c.claim.status, ClaimStatus::Active | ClaimStatus::Completed))
        .collect();
    let complete_rows = claimants
        .iter()
        .filter(|c| c.claim.status == ClaimStatus::Active)
        .map(|c| {
            let hours = task
                .duration_minutes
                .map(|m| format!("{}", f64::from(m) / 60.0))
                .unwrap_or_default();
            (c.claim.id.to_string(), c.name.clone(), hours)
        })
        .collect();
    let claimant_lines = claimants
        .iter()
        .map(|c| ClaimantLine {
            name: c.name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone().unwrap_or_default(),
            status: match c.claim.status {
                ClaimStatus::Completed => lang.t("common-completed"),
                _ => lang.t("tasks-has-taken-task"),
            }
            .to_owned(),
            missing: c
                .missing_qualifications
                .iter()
                .map(|q| q.name(lang.0).to_owned())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    // An invitation is "invited" until it lapses (the task starts or fills), whatever the
    // volunteer did with it: a decline is never shown.
    let lapsed = task.status != TaskStatus::Open || task.starts_at <= state.clock.now();
    let invited = invitations::of_task(&mut conn, &s.user, TaskId(id)).await?;
    let invited_ids: std::collections::HashSet<Uuid> =
        invited.iter().map(|(row, _)| row.volunteer_id).collect();
    let invitations = invited
        .into_iter()
        .map(|(_, name)| {
            let state = if lapsed {
                lang.t("tasks-lapsed")
            } else {
                lang.t("tasks-invited")
            };
            (name, state.to_owned())
        })
        .collect();
    let live = task.status.is_live();
    let started = task.starts_at <= state.clock.now();
    let can_invite = task.status == TaskStatus::Open && !started;
    let invite_options = if can_invite {
        invitations::volunteers(
            &mut conn,
            &s.user,
            task.council_id,
            invitations::DirectoryFor {
                category_id: None,
                task_id: Some(task.id),
            },
            None,
            200,
        )
        .await?
        .into_iter()
        .map(|(vid, name, _)| {
            // Someone asked already is marked, so nobody is asked twice by mistake.
            let label = if invited_ids.contains(&vid) {
                format!("{name} ({})", lang.t("tasks-already-invited"))
            } else {
                name
            };
            (vid.to_string(), label)
        })
        .collect()
    } else {
        Vec::new()
    };
    let history = service::events(&mut conn, &s.user, id, None, 200)
        .await?
        .into_iter()
        .map(|e| {
            (
                i18n::short_datetime(lang, tz, e.created_at),
                event_text(lang, e.kind, &e.fields),
            )
        })
        .collect();
    let free = (task.spots - task.active_claims).max(0);
    let page = TaskPage {
        f: Frame::of(req, state, s, &task.title, ""),
        id: id.to_string(),
        title: task.title.clone(),
        notice,
        error,
        status: status_label(lang, task.status).to_owned(),
        status_key: task.status.as_str().to_owned(),
        spots: format!(
            "{free} {} {} {}",
            lang.t("common-of"),
            task.spots,
            lang.t("tasks-spots-free")
        ),
        facts,
        description: task.description.clone(),
        private,
        claimants: claimant_lines,
        invitations,
        live,
        started,
        invite_options,
        can_invite,
        series_id: task.series_id.map(|id| id.to_string()),
        complete_rows,
        history,
    };
    Ok(Page::html(status, render(&page)?))
}
