//! The admins' user pages: search by name or email and role; create staff, coordinators
//! and admins (the set-password email goes out); change role, unit and council;
//! deactivate with its consequences stated; resend an invitation; record and revoke what a
//! volunteer showed (a police certificate, a signed confidentiality declaration).

use crate::domain::problem::FieldProblem;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::account::role_label;
use crate::web::http::{self, FormData};

use super::render;
use super::views::{FieldKind, FormField, Frame, QualificationSection, RecordLine, User, Users};
use crate::domain::account::Role;
use crate::domain::error::{DomainError, ErrorCode, FieldError};
use crate::domain::time::local_date;
use crate::routes::state::AppState;
use crate::services::qualifications;
use crate::services::reference::{self, Choices};
use crate::services::sessions::Session;
use crate::services::users::UserRow;
use crate::services::users::{self as service, AccountChanges, NewAccount};
use crate::web::{Admin, Form, Lang, Page, PageResult, SignedIn};

const ROLES: [Role; 4] = [Role::Staff, Role::Coordinator, Role::Admin, Role::Volunteer];

fn role_options(lang: Lang, with_volunteer: bool) -> Vec<(String, String)> {
    ROLES
        .iter()
        .filter(|r| with_volunteer || **r != Role::Volunteer)
        .map(|r| (r.as_str().to_owned(), role_label(lang, *r).to_owned()))
        .collect()
}

fn field_messages(lang: Lang, errors: &[FieldError]) -> HashMap<String, String> {
    errors
        .iter()
        .map(|e| (e.field.clone(), e.problem.message(lang.0)))
        .collect()
}

/// The fields of an account's role, unit and council.
fn link_fields(
    lang: Lang,
    choices: &Choices,
    role: &str,
    unit: &str,
    council: &str,
    errors: &HashMap<String, String>,
    with_volunteer: bool,
) -> Vec<FormField> {
    let select = |name: &'static str,
                  label: &'static str,
                  options: Vec<(String, String)>,
                  value: &str| FormField {
        name,
        label,
        hint: None,
        kind: FieldKind::Select(options),
        value: value.to_owned(),
        required: false,
        numeric: false,
        maxlength: None,
        error: errors.get(name).cloned(),
    };
    let mut units = vec![(String::new(), lang.t("users-none").to_owned())];
    units.extend(
        choices
            .units
            .iter()
            .map(|u| (u.id.to_string(), u.name.clone())),
    );
    let mut councils = vec![(String::new(), lang.t("users-none").to_owned())];
    councils.extend(
        choices
            .councils
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone())),
    );
    vec![
        select(
            "role",
            lang.t("common-role"),
            role_options(lang, with_volunteer),
            role,
        ),
        select(
            "service_unit_id",
            lang.t("users-service-unit-staff"),
            units,
            unit,
        ),
        select(
            "council_id",
            lang.t("users-council-coordinators"),
            councils,
            council,
        ),
    ]
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    done: Option<String>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "the list and the create form share one page"
)]
async fn list_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    q: &str,
    role: &str,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    typed: &FormData,
    errors: HashMap<String, String>,
) -> PageResult {
    let lang = Lang::of(req);
    let mut conn = state.pool.get().await?;
    let rows = service::search(&mut conn, &s.user, q, Role::parse(role), 100).await?;
    let choices = reference::choices(&mut conn).await?;
    let text = |name: &'static str, label: &'static str, kind: &'static str| FormField {
        name,
        label,
        hint: None,
        kind: FieldKind::Text(kind),
        value: typed.get(name).unwrap_or_default().to_owned(),
        required: true,
        numeric: false,
        maxlength: Some(200),
        error: errors.get(name).cloned(),
    };
    let mut fields = vec![
        text("name", lang.t("common-name"), "text"),
        text("email", lang.t("common-email"), "email"),
        FormField {
            required: false,
            ..text("phone", lang.t("common-phone"), "tel")
        },
    ];
    fields.extend(link_fields(
        lang,
        &choices,
        typed.get("role").unwrap_or("staff"),
        typed.get("service_unit_id").unwrap_or_default(),
        typed.get("council_id").unwrap_or_default(),
        &errors,
        false,
    ));
    let mut roles = vec![(String::new(), lang.t("common-all").to_owned())];
    roles.extend(role_options(lang, true));
    let page = Users {
        f: Frame::of(req, state, s, lang.t("common-users"), "/console/users"),
        notice,
        error,
        q: q.to_owned(),
        role: role.to_owned(),
        roles,
        rows: rows
            .iter()
            .map(|u| {
                (
                    format!("/console/users/{}", u.id),
                    u.name.clone(),
                    u.email.clone(),
                    Role::parse(&u.role)
                        .map(|r| role_label(lang, r))
                        .unwrap_or_default()
                        .to_owned(),
                    if u.active {
                        lang.t("users-active")
                    } else {
                        lang.t("common-deactivated")
                    }
                    .to_owned(),
                )
            })
            .collect(),
        fields,
    };
    Ok(Page::html(status, render(&page)?))
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Admin>,
    q: web::Query<ListQuery>,
) -> PageResult {
    let lang = Lang::of(&req);
    let notice = q
        .done
        .as_deref()
        .map(|_| lang.t("users-user-created-email-way").to_owned());
    list_page(
        &req,
        &state,
        &s,
        q.q.as_deref().unwrap_or_default(),
        q.role.as_deref().unwrap_or_default(),
        StatusCode::OK,
        notice,
        None,
        &FormData::parse(b""),
        HashMap::new(),
    )
    .await
}

fn uuid_field(form: &FormData, name: &str) -> Option<Uuid> {
    form.get(name).and_then(|v| Uuid::parse_str(v).ok())
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
    let lang = Lang::of(&req);
    let role = form
        .get("role")
        .and_then(Role::parse)
        .filter(|r| *r != Role::Volunteer);
    let outcome = match role {
        Some(role) => {
            service::create(
                &state,
                &s.user,
                NewAccount {
                    email: form.get("email").unwrap_or_default().to_owned(),
                    name: form.get("name").unwrap_or_default().to_owned(),
                    role,
                    service_unit_id: uuid_field(&form, "service_unit_id")
                        .filter(|_| role == Role::Staff),
                    council_id: uuid_field(&form, "council_id")
                        .filter(|_| role == Role::Coordinator),
                    phone: form.get("phone").map(str::to_owned),
                    language: None,
                },
            )
            .await
        }
        None => Err(DomainError::invalid_field(
            "role",
            FieldProblem::OneOf {
                choices: "staff, coordinator, admin".into(),
            },
        )),
    };
    match outcome {
        Ok(_) => Ok(Page::redirect("/console/users?done=created")),
        Err(e)
            if matches!(
                e.code(),
                ErrorCode::ValidationFailed | ErrorCode::EmailTaken
            ) =>
        {
            let error = (e.code() == ErrorCode::EmailTaken)
                .then(|| lang.t("users-account-with-email-address").to_owned());
            let errors = field_messages(lang, e.field_errors());
            list_page(
                &req,
                &state,
                &s,
                "",
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                error,
                &form,
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn user_id(path: &web::Path<String>) -> Result<Uuid, DomainError> {
    http::path_id(path, "no such user")
}

async fn user_page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let lang = Lang::of(req);
    let mut conn = state.pool.get().await?;
    let user: UserRow = service::find(&mut conn, &s.user, id).await?;
    let awaits_password = service::awaits_password(&mut conn, &s.user, id).await?;
    let choices = reference::choices(&mut conn).await?;
    let role = Role::parse(&user.role).unwrap_or(Role::Volunteer);
    let unit = user
        .service_unit_id
        .and_then(|u| choices.units.iter().find(|x| x.id == u))
        .map(|u| u.name.clone());
    let council = user
        .council_id
        .and_then(|c| choices.councils.iter().find(|x| x.id == c))
        .map(|c| c.name.clone());
    let mut facts = vec![
        (lang.t("common-email").to_owned(), user.email.clone()),
        (
            lang.t("common-phone").to_owned(),
            user.phone.clone().unwrap_or_default(),
        ),
        (
            lang.t("common-role").to_owned(),
            role_label(lang, role).to_owned(),
        ),
        (
            lang.t("common-status").to_owned(),
            if user.active {
                lang.t("users-active")
            } else {
                lang.t("common-deactivated")
            }
            .to_owned(),
        ),
    ];
    if let Some(unit) = unit {
        facts.push((lang.t("common-service-unit").to_owned(), unit));
    }
    if let Some(council) = council {
        facts.push((lang.t("common-council").to_owned(), council));
    }
    if awaits_password {
        facts.push((
            lang.t("common-password").to_owned(),
            lang.t("users-not-chosen-yet").to_owned(),
        ));
    }
    let fields = link_fields(
        lang,
        &choices,
        role.as_str(),
        &user
            .service_unit_id
            .map(|u| u.to_string())
            .unwrap_or_default(),
        &user.council_id.map(|c| c.to_string()).unwrap_or_default(),
        &HashMap::new(),
        role == Role::Volunteer,
    );
    let qualifications = if role.may_claim() {
        Some(qualification_section(&mut conn, lang, state, s, id).await?)
    } else {
        None
    };
    let page = User {
        f: Frame::of(req, state, s, &user.name, "/console/users"),
        id: id.to_string(),
        notice,
        error,
        facts,
        active: user.active,
        can_resend: awaits_password && user.active,
        fields,
        qualifications,
    };
    Ok(Page::html(status, render(&page)?))
}

/// A person's records with their state today, and the active types to record.
async fn qualification_section(
    conn: &mut diesel_async::AsyncPgConnection,
    lang: Lang,
    state: &AppState,
    s: &Session,
    id: Uuid,
) -> Result<QualificationSection, DomainError> {
    let kinds = qualifications::list(conn).await?;
    let today = local_date(state.clock.now(), state.settings.timezone);
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| crate::domain::written::date(lang.0, d));
    let records = qualifications::of_user(conn, &s.user, id)
        .await?
        .into_iter()
        .map(|r| {
            let name = kinds
                .iter()
                .find(|k| k.id == r.qualification_id)
                .map(|k| k.name(lang.0).to_owned())
                .unwrap_or_default();
            let state = if r.revoked_at.is_some() {
                lang.t("users-revoked")
            } else if r.valid_until.is_some_and(|u| u < today) {
                lang.t("common-expired")
            } else {
                lang.t("users-valid")
            };
            RecordLine {
                id: r.id.to_string(),
                name,
                seen_on: date(Some(r.seen_on)).unwrap_or_default(),
                issued_on: date(r.issued_on).unwrap_or_default(),
                valid_until: date(r.valid_until)
                    .unwrap_or_else(|| lang.t("common-no-expiry").to_owned()),
                state: state.to_owned(),
                revocable: r.revoked_at.is_none(),
            }
        })
        .collect();
    Ok(QualificationSection {
        records,
        kinds: kinds
            .iter()
            .filter(|k| k.active)
            .map(|k| (k.id.to_string(), k.name(lang.0).to_owned()))
            .collect(),
        today: today.to_string(),
    })
}

/// What an admin could not record, in words they can act on.
fn record_refusal(lang: Lang, e: &DomainError) -> String {
    let mut out = Vec::new();
    for field in e.field_errors() {
        out.push(match field.field.as_str() {
            "seen_on" => lang.t("users-date-was-shown-signed"),
            "issued_on" => lang.t("users-issue-date-missing-after"),
            "qualification_id" => lang.t("users-choose-qualification"),
            _ => lang.t("users-only-volunteers-coordinators-hold"),
        });
    }
    out.dedup();
    out.join(" ")
}

fn form_date(form: &FormData, name: &str) -> Result<Option<chrono::NaiveDate>, DomainError> {
    form.get(name)
        .map(|raw| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| DomainError::invalid_field(name, FieldProblem::NotDate))
        })
        .transpose()
}

pub async fn record_qualification(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form,
    path: web::Path<String>,
) -> PageResult {
    let id = user_id(&path)?;
    let lang = Lang::of(&req);
    let today = local_date(state.clock.now(), state.settings.timezone);
    let outcome = async {
        let kind = uuid_field(&form, "qualification_id").ok_or_else(|| {
            DomainError::invalid_field("qualification_id", FieldProblem::NotActiveQualification)
        })?;
        let seen_on = form_date(&form, "seen_on")?
            .ok_or_else(|| DomainError::invalid_field("seen_on", FieldProblem::Required))?;
        let input = qualifications::RecordInput {
            qualification_id: kind,
            seen_on,
            issued_on: form_date(&form, "issued_on")?,
        };
        let mut conn = state.pool.get().await?;
        conn.transaction(async |conn| qualifications::record(conn, &s.user, id, input, today).await)
            .await
    }
    .await;
    match outcome {
        Ok(_) => Ok(Page::redirect(&format!(
            "/console/users/{id}?done=recorded"
        ))),
        Err(e) if e.code() == ErrorCode::ValidationFailed => {
            let text = record_refusal(lang, &e);
            user_page(
                &req,
                &state,
                &s,
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

pub async fn revoke_qualification(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form { session: s, .. }: Form,
    path: web::Path<(String, String)>,
) -> PageResult {
    let (person, record) = path.into_inner();
    let not_found = || DomainError::not_found("no such qualification record");
    let id = Uuid::parse_str(&person).map_err(|_| not_found())?;
    let record = Uuid::parse_str(&record).map_err(|_| not_found())?;
    let zone = state.settings.timezone;
    let mut conn = state.pool.get().await?;
    let outcome = conn
        .transaction(async |conn| {
            qualifications::revoke(conn, &s.user, zone, id, record, state.clock.now()).await
        })
        .await
        .map(|_| "revoked");
    change(&req, &state, &s, id, outcome).await
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
    let id = user_id(&path)?;
    let lang = Lang::of(&req);
    let notice = q.done.as_deref().map(|d| {
        match d {
            "resent" => lang.t("users-invitation-sent-again"),
            "deactivated" => lang.t("users-account-deactivated"),
            "recorded" => lang.t("users-qualification-recorded"),
            "revoked" => lang.t("users-qualification-revoked-tasks-that"),
            _ => lang.t("common-saved"),
        }
        .to_owned()
    });
    user_page(&req, &state, &s, id, StatusCode::OK, notice, None).await
}

/// Runs an admin's change to an account; refusals they can act on show on the page.
async fn change(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    id: Uuid,
    outcome: Result<&'static str, DomainError>,
) -> PageResult {
    let lang = Lang::of(req);
    match outcome {
        Ok(done) => Ok(Page::redirect(&format!("/console/users/{id}?done={done}"))),
        Err(e) if matches!(e.code(), ErrorCode::ValidationFailed | ErrorCode::Conflict) => {
            let text = match e.code() {
                ErrorCode::Conflict => lang.t("users-that-did-not-work"),
                _ => lang.t("users-role-links-do-not"),
            };
            user_page(
                req,
                state,
                s,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(text.to_owned()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form,
    path: web::Path<String>,
) -> PageResult {
    let id = user_id(&path)?;
    let role = form.get("role").and_then(Role::parse);
    let changes = AccountChanges {
        role,
        service_unit_id: Some(
            uuid_field(&form, "service_unit_id").filter(|_| role == Some(Role::Staff)),
        ),
        council_id: Some(
            uuid_field(&form, "council_id").filter(|_| role == Some(Role::Coordinator)),
        ),
        ..Default::default()
    };
    let outcome = service::update(&state, &s.user, id, changes)
        .await
        .map(|_| "saved");
    change(&req, &state, &s, id, outcome).await
}

async fn set_active(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form,
    path: web::Path<String>,
    active: bool,
) -> PageResult {
    let id = user_id(&path)?;
    // Deactivating signs the person out everywhere and releases their tasks: the
    // form's checkbox must say so was meant.
    if !active && form.get("confirm") != Some("yes") {
        let lang = Lang::of(&req);
        return user_page(
            &req,
            &state,
            &s,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(lang.t("users-tick-box-confirm-that").to_owned()),
        )
        .await;
    }
    let changes = AccountChanges {
        active: Some(active),
        ..Default::default()
    };
    let outcome = service::update(&state, &s.user, id, changes)
        .await
        .map(|_| if active { "activated" } else { "deactivated" });
    change(&req, &state, &s, id, outcome).await
}

pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Form,
    path: web::Path<String>,
) -> PageResult {
    set_active(req, state, form, path, false).await
}

pub async fn activate(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Form,
    path: web::Path<String>,
) -> PageResult {
    set_active(req, state, form, path, true).await
}

pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form { session: s, .. }: Form,
    path: web::Path<String>,
) -> PageResult {
    let id = user_id(&path)?;
    let outcome = service::resend_invitation(&state, &s.user, id)
        .await
        .map(|_| "resent");
    change(&req, &state, &s, id, outcome).await
}
