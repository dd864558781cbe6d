//! Posting a task and editing one: the form, its errors, a repeated submit, and a form
//! kept across an ended session drawn again.

use crate::domain::problem::FieldProblem;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::super::i18n;
use crate::web::http::FormData;

use super::super::render;
use super::super::task_fields::{Parsed, Values, category_name, council_name, opt};
use super::super::views::{FieldKind, FormField, Frame, TaskForm};
use crate::auth::permissions;
use crate::domain::error::{DomainError, ErrorCode, FieldError};
use crate::routes::state::AppState;
use crate::services::form_submits;
use crate::services::reference::{self as reference, Choices};
use crate::services::sessions::Session;
use crate::services::tasks::{self as service, NewTask, PrivatePatch, TaskEdit};
use crate::web::{Form, Lang, Page, PageResult, Refusal, SignedIn, Staff};

use super::{errors_by_field, require_staff, task_id};

/// The form's values parsed; a new task's start must come after `now`.
fn parse_values(tz: chrono_tz::Tz, v: &Values, creating: bool, now: DateTime<Utc>) -> Parsed {
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
    if creating && starts_at.is_some_and(|t| t <= now) {
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
        .then(|| super::super::series::form(lang, v, &spec.errors));
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
pub async fn redraw(
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
    let now = state.clock.now();
    let parsed = parse_values(tz, &values, true, now);
    let series = !values.freq.is_empty();
    let outcome = if series {
        let user = s.user.clone();
        let key = key.clone();
        let values = values.clone();
        conn.transaction(async |conn| {
            let id = super::super::series::post(conn, &user, tz, &values, parsed, now).await?;
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
            state.clock.now() - chrono::Duration::minutes(10),
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
            fields: parsed.task_fields(&values),
            starts_at: parsed.starts_at.unwrap_or_default(),
            ends_at: None,
        };
        let user = s.user.clone();
        let key = key.clone();
        conn.transaction(async |conn| {
            let (task, _) = service::create(conn, &user, input, state.clock.now()).await?;
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
                        super::super::series::errors_by_field(lang, e.field_errors())
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
    let parsed = parse_values(tz, &values, false, state.clock.now());
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
        conn.transaction(async |conn| {
            service::update(conn, &user, id, Some(version), edit, state.clock.now()).await
        })
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
