//! The staff's pages: the unit's task list, posting a task, the task page with its
//! claimants and history, editing, cancelling, completing and inviting.

use crate::domain::problem::FieldProblem;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use uuid::Uuid;

use super::i18n;
use crate::web::http::{self, FormData};

use super::render;
use super::task_fields::{
    Parsed, Values, category_name, council_name, opt, private_facts, status_label,
};
use super::views::{
    ClaimantLine, FieldKind, FormField, Frame, TaskForm, TaskLine, TaskPage, Tasks,
};
use crate::auth::{AuthUser, permissions};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode, FieldError};
use crate::domain::ids::{TaskId, UserId};
use crate::domain::task::{ClaimStatus, EventKind, TaskStatus};
use crate::routes::state::AppState;
use crate::services::form_submits;
use crate::services::invitations;
use crate::services::reference::{self as reference, Choices};
use crate::services::sessions::Session;
use crate::services::tasks::{self as service, NewTask, PrivateInput, PrivatePatch, TaskEdit};
use crate::web::{Form, Lang, Page, PageResult, Refusal, SignedIn, Staff};

const PAGE_SIZE: i64 = 25;

fn require_staff(user: &AuthUser) -> Result<(), DomainError> {
    permissions::require_role(user, &[Role::Staff, Role::Admin])
}

fn errors_by_field(lang: Lang, errors: &[FieldError]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in errors {
        out.entry(e.field.clone())
            .or_insert_with(|| e.problem.message(lang.0));
    }
    out
}

// ---- the list ----

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
    done: Option<String>,
}

fn day_start(tz: chrono_tz::Tz, raw: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    crate::domain::time::check_date(date).ok()?;
    tz.from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Staff>,
    q: web::Query<ListQuery>,
) -> PageResult {
    list_page(&req, &state, &s, q.into_inner()).await
}

async fn list_page(req: &HttpRequest, state: &AppState, s: &Session, q: ListQuery) -> PageResult {
    let lang = Lang::of(req);
    let tz = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let choices = reference::choices(&mut conn).await?;
    let status_raw = q.status.clone().unwrap_or_else(|| "live".into());
    let statuses = match status_raw.as_str() {
        "all" => Vec::new(),
        "live" => vec![TaskStatus::Open, TaskStatus::Filled],
        other => TaskStatus::parse(other).into_iter().collect(),
    };
    let mut error = None;
    let mut parse_day = |raw: &Option<String>, plus_day: bool| -> Option<DateTime<Utc>> {
        let raw = raw.as_deref().filter(|r| !r.is_empty())?;
        let day = day_start(tz, raw).map(|t| {
            if plus_day {
                t + chrono::Duration::days(1)
            } else {
                t
            }
        });
        if day.is_none() {
            error = Some(lang.t("tasks-date-invalid").to_owned());
        }
        day
    };
    let from = parse_day(&q.from, false);
    let to = parse_day(&q.to, true);
    let category_id = q.category.as_deref().and_then(|c| Uuid::parse_str(c).ok());
    let query = service::TaskQuery {
        statuses,
        category_id,
        from,
        to,
        ..Default::default()
    };
    let after = q.after.as_deref().and_then(|a| {
        let (when, id) = a.split_once('_')?;
        Some((
            DateTime::parse_from_rfc3339(when).ok()?.with_timezone(&Utc),
            Uuid::parse_str(id).ok()?,
        ))
    });
    let mut views = service::list(
        &mut conn,
        &s.user,
        state.settings.timezone,
        &query,
        after,
        PAGE_SIZE,
    )
    .await?;
    let next = if views.len() > PAGE_SIZE as usize {
        views.truncate(PAGE_SIZE as usize);
        views.last().map(|v| {
            let cursor = format!(
                "{}_{}",
                v.task
                    .starts_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
                v.task.id
            );
            let mut params = url::form_urlencoded::Serializer::new(String::new());
            params.append_pair("status", &status_raw);
            for (k, val) in [("category", &q.category), ("from", &q.from), ("to", &q.to)] {
                if let Some(val) = val {
                    params.append_pair(k, val);
                }
            }
            params.append_pair("after", &cursor);
            format!("/console/tasks?{}", params.finish())
        })
    } else {
        None
    };
    let rows = views
        .iter()
        .map(|v| TaskLine {
            href: format!("/console/tasks/{}", v.task.id),
            title: v.task.title.clone(),
            starts: i18n::short_datetime(lang, tz, v.task.starts_at),
            category: category_name(lang, &choices, v.task.category_id),
            status: status_label(lang, v.task.status).to_owned(),
            status_key: v.task.status.as_str().to_owned(),
            spots: format!("{} / {}", v.task.active_claims, v.task.spots),
        })
        .collect();
    let mut status_options = vec![
        ("live".to_owned(), lang.t("tasks-open-filled").to_owned()),
        ("all".to_owned(), lang.t("common-all").to_owned()),
    ];
    for st in [
        TaskStatus::Open,
        TaskStatus::Filled,
        TaskStatus::Completed,
        TaskStatus::Cancelled,
        TaskStatus::Expired,
        TaskStatus::Withdrawn,
    ] {
        status_options.push((st.as_str().to_owned(), status_label(lang, st).to_owned()));
    }
    let notice = match q.done.as_deref() {
        Some("called-off") => Some(lang.t("tasks-task-cancelled").to_owned()),
        _ => None,
    };
    let page = Tasks {
        f: Frame::of(req, state, s, lang.t("common-tasks"), "/console/tasks"),
        notice,
        statuses: status_options,
        status: status_raw,
        categories: choices
            .categories
            .iter()
            .map(|c| (c.id.to_string(), category_name(lang, &choices, c.id)))
            .collect(),
        category: category_id.map(|c| c.to_string()).unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        error,
        rows,
        next,
    };
    Ok(Page::html(StatusCode::OK, render(&page)?))
}

// ---- the form ----

fn parse_values(tz: chrono_tz::Tz, v: &Values, creating: bool) -> Parsed {
    let mut errors = Vec::new();
    let mut err = |field: &str, problem: FieldProblem| errors.push(FieldError::new(field, problem));
    let uuid = |raw: &str| Uuid::parse_str(raw).ok();
    let category_id = uuid(&v.category_id);
    if category_id.is_none() {
        err("category_id", FieldProblem::NotCategory);
    }
    let starts_at = match i18n::from_input(tz, &v.starts_at) {
        Ok(t) => Some(t),
        Err(_) if v.starts_at.is_empty() => {
            err("starts_at", FieldProblem::Required);
            None
        }
        Err(m) => {
            err("starts_at", m);
            None
        }
    };
    let mut whole = |field: &str, raw: &str| -> Option<i32> {
        if raw.is_empty() {
            return None;
        }
        let parsed = raw.parse::<i32>().ok();
        if parsed.is_none() {
            err(field, FieldProblem::NotWholeNumber);
        }
        parsed
    };
    let duration_minutes = whole("duration_minutes", &v.duration_minutes);
    let spots = whole("spots", &v.spots);
    // The domain's own checks of the fields that parsed, so that every error shows at
    // once; the use case runs them again.
    use crate::domain::task as rules;
    if let Err(m) = rules::check_title(&v.title) {
        err("title", m);
    }
    if let Some(Err(m)) = duration_minutes.map(rules::check_duration) {
        err("duration_minutes", m);
    }
    if let Some(Err(m)) = spots.map(rules::check_spots) {
        err("spots", m);
    }
    if creating && starts_at.is_some_and(|t| t <= Utc::now()) {
        err("starts_at", FieldProblem::NotInFuture);
    }
    Parsed {
        category_id,
        council_id: uuid(&v.council_id),
        service_unit_id: uuid(&v.service_unit_id),
        starts_at,
        duration_minutes,
        spots,
        errors,
    }
}

struct FormSpec<'a> {
    title: &'static str,
    action: String,
    submit: &'static str,
    version: Option<i32>,
    values: &'a Values,
    errors: HashMap<String, String>,
    notice: Option<String>,
    general_error: Option<String>,
    ask_duplicate: bool,
}

fn form_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    choices: &Choices,
    status: StatusCode,
    spec: FormSpec<'_>,
) -> PageResult {
    let lang = Lang::of(req);
    let v = spec.values;
    let e = |name: &str| spec.errors.get(name).cloned();
    let text = |name: &'static str, label: &'static str, value: &str, max: u32| FormField {
        name,
        label,
        hint: None,
        kind: FieldKind::Text("text"),
        value: value.to_owned(),
        required: false,
        numeric: false,
        maxlength: Some(max),
        error: e(name),
    };
    let mut categories = vec![(String::new(), lang.t("tasks-choose").to_owned())];
    categories.extend(
        choices
            .categories
            .iter()
            .map(|c| (c.id.to_string(), category_name(lang, choices, c.id))),
    );
    let mut councils = vec![(String::new(), council_name(lang, choices, None))];
    councils.extend(
        choices
            .councils
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone())),
    );
    let mut public_fields = vec![
        FormField {
            hint: Some(lang.t("tasks-title-public-text-every")),
            required: true,
            ..text("title", lang.t("tasks-title"), &v.title, 200)
        },
        FormField {
            kind: FieldKind::Area,
            hint: Some(lang.t("tasks-public-text-too")),
            ..text(
                "description",
                lang.t("tasks-description"),
                &v.description,
                5000,
            )
        },
        FormField {
            kind: FieldKind::Select(categories),
            required: true,
            maxlength: None,
            ..text("category_id", lang.t("common-category"), &v.category_id, 0)
        },
        FormField {
            kind: FieldKind::Select(councils),
            maxlength: None,
            ..text(
                "council_id",
                lang.t("common-neighbourhood-council"),
                &v.council_id,
                0,
            )
        },
    ];
    if s.user.is_admin() && spec.version.is_none() {
        let mut units = vec![(String::new(), lang.t("tasks-choose").to_owned())];
        units.extend(
            choices
                .units
                .iter()
                .map(|u| (u.id.to_string(), u.name.clone())),
        );
        public_fields.push(FormField {
            kind: FieldKind::Select(units),
            required: true,
            maxlength: None,
            ..text(
                "service_unit_id",
                lang.t("common-service-unit"),
                &v.service_unit_id,
                0,
            )
        });
    }
    public_fields.extend([
        FormField {
            kind: FieldKind::Text("datetime-local"),
            required: true,
            maxlength: None,
            ..text("starts_at", lang.t("common-start-time"), &v.starts_at, 0)
        },
        FormField {
            numeric: true,
            maxlength: Some(5),
            ..text(
                "duration_minutes",
                lang.t("tasks-duration-minutes"),
                &v.duration_minutes,
                5,
            )
        },
        FormField {
            numeric: true,
            ..text("spots", lang.t("common-number-spots"), &v.spots, 2)
        },
        FormField {
            hint: Some(lang.t("tasks-rough-area-example-torstrand")),
            ..text("area_hint", lang.t("common-area"), &v.area_hint, 200)
        },
    ]);
    let private_fields = vec![
        text("private.address", lang.t("common-address"), &v.address, 300),
        text(
            "private.recipient_name",
            lang.t("common-recipient-s-name"),
            &v.recipient_name,
            200,
        ),
        FormField {
            kind: FieldKind::Text("tel"),
            ..text(
                "private.recipient_phone",
                lang.t("common-recipient-s-phone"),
                &v.recipient_phone,
                32,
            )
        },
        FormField {
            kind: FieldKind::Area,
            ..text("private.notes", lang.t("common-notes"), &v.notes, 2000)
        },
    ];
    let recurrence = spec
        .version
        .is_none()
        .then(|| super::series::form(lang, v, &spec.errors));
    let page = TaskForm {
        f: Frame::of(
            req,
            state,
            s,
            spec.title,
            if spec.version.is_none() {
                "/console/tasks/new"
            } else {
                ""
            },
        ),
        action: spec.action,
        submit: spec.submit,
        // Every form drawn gets a fresh key: a key whose answer was a refusal would
        // otherwise replay that refusal forever.
        idempotency_key: Uuid::new_v4().to_string(),
        version: spec.version,
        notice: spec.notice,
        general_error: spec.general_error,
        ask_duplicate: spec.ask_duplicate,
        has_errors: !spec.errors.is_empty(),
        public_fields,
        private_fields,
        recurrence,
    };
    Ok(Page::html(status, render(&page)?))
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Staff>,
) -> PageResult {
    let lang = Lang::of(&req);
    let mut conn = state.pool.get().await?;
    let choices = reference::choices(&mut conn).await?;
    let values = Values {
        spots: "1".into(),
        duration_minutes: "60".into(),
        interval: "1".into(),
        ..Default::default()
    };
    form_page(
        &req,
        &state,
        &s,
        &choices,
        StatusCode::OK,
        FormSpec {
            title: lang.t("common-new-task"),
            action: "/console/tasks/new".into(),
            submit: lang.t("tasks-publish"),
            version: None,
            values: &values,
            errors: HashMap::new(),
            notice: None,
            general_error: None,
            ask_duplicate: false,
        },
    )
}

/// Draws again, as it was typed, a form kept across an expired session: a new task (or
/// series) or a task's edit, for someone who may still post or edit it. Nothing is saved
/// until it is sent again. `None` for a form of any other path.
pub(super) async fn redraw(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    path: &str,
    form: &FormData,
) -> Result<Option<Page>, Refusal> {
    let lang = Lang::of(req);
    let edited = path
        .strip_prefix("/console/tasks/")
        .and_then(|rest| rest.strip_suffix("/edit"))
        .and_then(|id| id.parse::<Uuid>().ok());
    if path != "/console/tasks/new" && edited.is_none() {
        return Ok(None);
    }
    require_staff(&s.user)?;
    let mut conn = state.pool.get().await?;
    let (title, action, submit, version) = match edited {
        Some(id) => {
            // Still the person's to edit (they may have moved unit since).
            let view = service::get(&mut conn, &s.user, state.settings.timezone, id).await?;
            permissions::require_unit_member(&s.user, view.task.service_unit_id)?;
            (
                lang.t("common-edit-task"),
                format!("/console/tasks/{id}/edit"),
                lang.t("common-save"),
                // The version it was read at: a task changed since is refused on saving.
                Some(
                    form.get("version")
                        .and_then(|v| v.parse::<i32>().ok())
                        .unwrap_or(view.task.version),
                ),
            )
        }
        None => (
            lang.t("common-new-task"),
            path.to_owned(),
            lang.t("tasks-publish"),
            None,
        ),
    };
    let choices = reference::choices(&mut conn).await?;
    let values = Values::from_form(form);
    form_page(
        req,
        state,
        s,
        &choices,
        StatusCode::OK,
        FormSpec {
            title,
            action,
            submit,
            version,
            values: &values,
            errors: HashMap::new(),
            notice: Some(lang.t("tasks-here-form-as-filled").to_owned()),
            general_error: None,
            ask_duplicate: false,
        },
    )
    .map(Some)
}

/// What a repeated submit of the form finds: the page of the task or series its first
/// submit posted.
async fn posted_before(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    key: &str,
) -> Result<Option<String>, DomainError> {
    Ok(form_submits::led_to(conn, user, NEW_TASK_FORM, key)
        .await?
        .filter(|v| v.starts_with("/console/")))
}

/// The path the new-task form posts to, and its key's namespace.
const NEW_TASK_FORM: &str = "/console/tasks/new";

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Staff>,
) -> PageResult {
    let lang = Lang::of(&req);
    let tz = state.settings.timezone;
    let key = form
        .get("idempotency_key")
        .filter(|k| k.len() <= 64)
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let mut conn = state.pool.get().await?;
    if let Some(location) = posted_before(&mut conn, s.user.id, &key).await? {
        return Ok(Page::redirect(&location));
    }
    let values = Values::from_form(&form);
    let parsed = parse_values(tz, &values, true);
    let series = !values.freq.is_empty();
    let outcome = if series {
        let user = s.user.clone();
        let key = key.clone();
        let values = values.clone();
        conn.transaction(async |conn| {
            let id = super::series::post(conn, &user, tz, &values, parsed).await?;
            remember_post(conn, user.id, &key, format!("/console/series/{id}")).await
        })
        .await
    } else if parsed.errors.is_empty()
        && form.get("confirm_duplicate") != Some("yes")
        && let Some(unit) = parsed.service_unit_id.or(s.user.service_unit_id)
        && service::posted_just_now(
            &mut conn,
            unit,
            values.title.trim(),
            parsed.starts_at.unwrap_or_default(),
            Utc::now() - chrono::Duration::minutes(10),
        )
        .await?
    {
        // The back button and `Publiser` again, most likely: ask before a second one.
        let choices = reference::choices(&mut conn).await?;
        return form_page(
            &req,
            &state,
            &s,
            &choices,
            StatusCode::CONFLICT,
            FormSpec {
                title: lang.t("common-new-task"),
                action: "/console/tasks/new".into(),
                submit: lang.t("tasks-publish"),
                version: None,
                values: &values,
                errors: HashMap::new(),
                notice: None,
                general_error: Some(lang.t("tasks-just-posted-identical-task").to_owned()),
                ask_duplicate: true,
            },
        );
    } else if parsed.errors.is_empty() {
        let input = NewTask {
            title: values.title.clone(),
            description: values.description.clone(),
            category_id: parsed.category_id.unwrap_or_default(),
            council_id: parsed.council_id,
            service_unit_id: parsed.service_unit_id,
            starts_at: parsed.starts_at.unwrap_or_default(),
            ends_at: None,
            duration_minutes: parsed.duration_minutes,
            spots: parsed.spots,
            area_hint: opt(&values.area_hint),
            private: Some(PrivateInput {
                address: opt(&values.address),
                recipient_name: opt(&values.recipient_name),
                recipient_phone: opt(&values.recipient_phone),
                notes: opt(&values.notes),
            }),
        };
        let user = s.user.clone();
        let key = key.clone();
        conn.transaction(async |conn| {
            let (task, _) = service::create(conn, &user, input).await?;
            remember_post(conn, user.id, &key, format!("/console/tasks/{}", task.id)).await
        })
        .await
    } else {
        Err(DomainError::validation(parsed.errors))
    };
    match outcome {
        Ok(location) => Ok(Page::redirect(&format!("{location}?done=posted"))),
        Err(e) if crate::services::form_submits::is_submitted_twice(&e) => {
            match posted_before(&mut conn, s.user.id, &key).await? {
                Some(location) => Ok(Page::redirect(&location)),
                None => Err(e.into()),
            }
        }
        Err(e)
            if e.code() == ErrorCode::ValidationFailed
                || e.code() == ErrorCode::CouncilOptedOut =>
        {
            let choices = reference::choices(&mut conn).await?;
            let general_error = (e.code() == ErrorCode::CouncilOptedOut)
                .then(|| lang.t("tasks-council-has-opted-out").to_owned());
            form_page(
                &req,
                &state,
                &s,
                &choices,
                StatusCode::UNPROCESSABLE_ENTITY,
                FormSpec {
                    title: lang.t("common-new-task"),
                    action: "/console/tasks/new".into(),
                    submit: lang.t("tasks-publish"),
                    version: None,
                    values: &values,
                    errors: if series {
                        super::series::errors_by_field(lang, e.field_errors())
                    } else {
                        errors_by_field(lang, e.field_errors())
                    },
                    notice: None,
                    general_error,
                    ask_duplicate: false,
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// Records in the post's transaction where the form's first submit led, so that a
/// repeated submit (a double click, a reload) finds it rather than posting again; the
/// same form submitted twice at once posts once (the other is `Conflict`).
async fn remember_post(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    key: &str,
    location: String,
) -> Result<String, DomainError> {
    form_submits::remember(conn, user, NEW_TASK_FORM, key, location).await
}

// ---- the task page ----

fn task_id(path: &web::Path<String>) -> Result<Uuid, DomainError> {
    http::path_id(path, "no such task")
}

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

fn field_label(lang: Lang, field: &str) -> &'static str {
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

async fn task_page(
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
    let lapsed = task.status != TaskStatus::Open || task.starts_at <= Utc::now();
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
    let started = task.starts_at <= Utc::now();
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

// ---- edit ----

pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Staff>,
    path: web::Path<String>,
) -> PageResult {
    let id = task_id(&path)?;
    let lang = Lang::of(&req);
    let tz = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let view = service::get(&mut conn, &s.user, tz, id).await?;
    permissions::require_unit_member(&s.user, view.task.service_unit_id)?;
    let t = &view.task;
    let p = view.private.clone().unwrap_or_default();
    let values = Values {
        title: t.title.clone(),
        description: t.description.clone(),
        category_id: t.category_id.to_string(),
        council_id: t.council_id.map(|c| c.to_string()).unwrap_or_default(),
        service_unit_id: t.service_unit_id.to_string(),
        starts_at: i18n::to_input(tz, t.starts_at),
        // The console describes a task's length by its duration; a task posted with an
        // end (through the API) shows the minutes between its start and its end.
        duration_minutes: t
            .duration_minutes
            .or_else(|| {
                t.ends_at
                    .and_then(|e| i32::try_from((e - t.starts_at).num_minutes()).ok())
            })
            .map(|d| d.to_string())
            .unwrap_or_default(),
        spots: t.spots.to_string(),
        area_hint: t.area_hint.clone().unwrap_or_default(),
        address: p.address.unwrap_or_default(),
        recipient_name: p.recipient_name.unwrap_or_default(),
        recipient_phone: p.recipient_phone.unwrap_or_default(),
        notes: p.notes.unwrap_or_default(),
        ..Values::default()
    };
    let choices = reference::choices(&mut conn).await?;
    form_page(
        &req,
        &state,
        &s,
        &choices,
        StatusCode::OK,
        FormSpec {
            title: lang.t("common-edit-task"),
            action: format!("/console/tasks/{id}/edit"),
            submit: lang.t("common-save"),
            version: Some(t.version),
            values: &values,
            errors: HashMap::new(),
            notice: None,
            general_error: None,
            ask_duplicate: false,
        },
    )
}

pub async fn update(
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
    let lang = Lang::of(&req);
    let tz = state.settings.timezone;
    let values = Values::from_form(&form);
    let parsed = parse_values(tz, &values, false);
    let version = form.get("version").and_then(|v| v.parse::<i32>().ok());
    let mut conn = state.pool.get().await?;
    let outcome = if parsed.errors.is_empty() {
        let edit = TaskEdit {
            title: Some(values.title.clone()),
            description: Some(values.description.clone()),
            category_id: parsed.category_id,
            council_id: Some(parsed.council_id),
            starts_at: parsed.starts_at,
            // A duration from the form replaces an end the task had, so that moving
            // the start never leaves an end before it (an error on a field the form
            // does not have).
            ends_at: parsed.duration_minutes.is_some().then_some(None),
            duration_minutes: Some(parsed.duration_minutes),
            spots: parsed.spots,
            area_hint: Some(opt(&values.area_hint)),
            private: Some(PrivatePatch {
                address: Some(opt(&values.address)),
                recipient_name: Some(opt(&values.recipient_name)),
                recipient_phone: Some(opt(&values.recipient_phone)),
                notes: Some(opt(&values.notes)),
            }),
        };
        let user = s.user.clone();
        // A form without its version cannot prove it saw the task as it is now.
        let version = version.unwrap_or(-1);
        conn.transaction(async |conn| service::update(conn, &user, id, Some(version), edit).await)
            .await
            .map(|_| ())
    } else {
        Err(DomainError::validation(parsed.errors))
    };
    let form_again =
        |status: StatusCode,
         errors: HashMap<String, String>,
         general: Option<String>,
         version: Option<i32>| { (status, errors, general, version) };
    let (status, errors, general, shown_version) = match outcome {
        Ok(()) => return Ok(Page::redirect(&format!("/console/tasks/{id}?done=saved"))),
        Err(e) if e.code() == ErrorCode::PreconditionFailed => {
            // The form stays as the person typed it, with the version they saw, so
            // saving again is refused again until they reload.
            form_again(
                StatusCode::CONFLICT,
                HashMap::new(),
                Some(lang.t("tasks-someone-else-changed-task").to_owned()),
                version,
            )
        }
        Err(e) if e.code() == ErrorCode::ValidationFailed => form_again(
            StatusCode::UNPROCESSABLE_ENTITY,
            errors_by_field(lang, e.field_errors()),
            None,
            version,
        ),
        Err(e)
            if matches!(
                e.code(),
                ErrorCode::Conflict | ErrorCode::CouncilOptedOut | ErrorCode::TaskNotOpen
            ) =>
        {
            let text = match e.code() {
                ErrorCode::CouncilOptedOut => lang.t("tasks-council-has-opted-out-2"),
                ErrorCode::TaskNotOpen => lang.t("tasks-only-open-filled-tasks"),
                _ => lang.t("tasks-number-spots-cannot-go"),
            };
            form_again(
                StatusCode::CONFLICT,
                HashMap::new(),
                Some(text.to_owned()),
                version,
            )
        }
        Err(e) => return Err(e.into()),
    };
    let choices = reference::choices(&mut conn).await?;
    form_page(
        &req,
        &state,
        &s,
        &choices,
        status,
        FormSpec {
            title: lang.t("common-edit-task"),
            action: format!("/console/tasks/{id}/edit"),
            submit: lang.t("common-save"),
            version: shown_version,
            values: &values,
            errors,
            notice: None,
            general_error: general,
            ask_duplicate: false,
        },
    )
}

// ---- cancel, complete, invite ----

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
            service::cancel(conn, &user, id, &reason)
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
            service::complete(conn, &user, id, input)
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
                TaskId(id),
                UserId(volunteer),
            )
            .await
            .map(|_| "invited")
        })
        .await;
    task_action(&req, &state, &s, id, outcome).await
}
