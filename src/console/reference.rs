//! The admins' reference data: councils (and whether they are in the funding key),
//! categories (created, deactivated — never deleted) and service units.

use crate::domain::problem::FieldProblem;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use serde::Deserialize;
use uuid::Uuid;

use super::render;
use super::views::{Frame, QualificationLine, Reference};
use crate::auth::permissions;
use crate::domain::error::{DomainError, ErrorCode};
use crate::routes::state::AppState;
use crate::services::qualifications::TypeInput;
use crate::services::reference::{self as service, CategoryInput, ServiceUnitInput};
use crate::services::sessions::Session;
use crate::web::http::{self, FormData};
use crate::web::{Admin, Form, Lang, Page, PageResult, SignedIn};

async fn page(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    permissions::require_admin(&s.user)?;
    let lang = Lang::of(req);
    let mut conn = state.pool.get().await?;
    let all = service::everything(&mut conn).await?;
    let kinds = crate::services::qualifications::list(&mut conn).await?;
    let required = service::requirements(&mut conn).await?;
    let requirements = all
        .categories
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                kinds
                    .iter()
                    .map(|k| {
                        (
                            k.id.to_string(),
                            k.name(lang.0).to_owned(),
                            required.contains(&(c.id, k.id)),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let qualifications = kinds
        .into_iter()
        .map(|k| QualificationLine {
            id: k.id.to_string(),
            slug: k.slug,
            name_nb: k.name_nb,
            name_nn: k.name_nn,
            name_en: k.name_en,
            description_nb: k.description_nb,
            description_en: k.description_en,
            legal_basis: k.legal_basis,
            valid_months: k.valid_months.map(|m| m.to_string()).unwrap_or_default(),
            max_age_days: k
                .max_age_days_when_seen
                .map(|d| d.to_string())
                .unwrap_or_default(),
            active: k.active,
        })
        .collect();
    let page = Reference {
        requirements,
        qualifications,
        f: Frame::of(
            req,
            state,
            s,
            lang.t("reference-reference-data"),
            "/console/reference",
        ),
        notice,
        error,
        councils: all
            .councils
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone(), c.active, c.eligible))
            .collect(),
        categories: all
            .categories
            .iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    c.name_nb.clone(),
                    c.name_nn.clone(),
                    c.name_en.clone(),
                    c.slug.clone(),
                    c.active,
                )
            })
            .collect(),
        units: all
            .units
            .iter()
            .map(|u| {
                (
                    u.id.to_string(),
                    u.name.clone(),
                    u.email.clone(),
                    u.phone.clone().unwrap_or_default(),
                )
            })
            .collect(),
    };
    Ok(Page::html(status, render(&page)?))
}

#[derive(Deserialize)]
pub struct Query {
    done: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: SignedIn<Admin>,
    q: web::Query<Query>,
) -> PageResult {
    let lang = Lang::of(&req);
    let notice = q.done.as_deref().map(|_| lang.t("common-saved").to_owned());
    page(&req, &state, &s, StatusCode::OK, notice, None).await
}

/// Saves one change; a refusal the admin can correct is shown on the page.
async fn saved<T>(
    req: &HttpRequest,
    state: &AppState,
    s: &Session,
    outcome: Result<T, DomainError>,
) -> PageResult {
    let lang = Lang::of(req);
    match outcome {
        Ok(_) => Ok(Page::redirect("/console/reference?done=saved")),
        Err(e)
            if e.code().is_callers()
                && !matches!(e.code(), ErrorCode::Forbidden | ErrorCode::NotFound) =>
        {
            let text = match e.code() {
                ErrorCode::Conflict => lang.t("reference-name-slug-exists-already"),
                _ => lang.t("reference-not-saved-check-fields"),
            };
            page(
                req,
                state,
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(text.to_owned()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn flag(form: &FormData, name: &str) -> Option<bool> {
    match form.get(name) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// A whole number field of a form: empty means none; text that is no number is refused.
fn number(form: &FormData, name: &str) -> Result<Option<i32>, DomainError> {
    form.get(name)
        .map(|raw| {
            raw.parse::<i32>()
                .map_err(|_| DomainError::invalid_field(name, FieldProblem::NotWholeNumber))
        })
        .transpose()
}

/// A field a person may leave empty to mean "as before" (or "as the bokmål").
fn optional(form: &FormData, name: &str) -> Option<String> {
    form.get(name)
        .filter(|v| !v.trim().is_empty())
        .map(str::to_owned)
}

/// The type's fields as the full form gives them (the toggle form gives only `in_use`).
fn type_input(form: &FormData, creating: bool) -> Result<TypeInput, DomainError> {
    let full = creating || form.get("full").is_some();
    let text = |name: &str| full.then(|| form.get(name).unwrap_or_default().to_owned());
    Ok(TypeInput {
        slug: creating.then(|| form.get("slug").unwrap_or_default().to_owned()),
        name_nb: text("name_nb"),
        // Left empty, a new type takes its bokmål name and an edit keeps the old one.
        name_nn: optional(form, "name_nn"),
        name_en: text("name_en"),
        description_nb: text("description_nb"),
        description_en: text("description_en"),
        legal_basis: text("legal_basis"),
        valid_months: if full {
            Some(number(form, "valid_months")?)
        } else {
            None
        },
        max_age_days_when_seen: if full {
            Some(number(form, "max_age_days")?)
        } else {
            None
        },
        active: flag(form, "in_use"),
    })
}

pub async fn create_qualification(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
    let outcome = async {
        let input = type_input(&form, true)?;
        let mut conn = state.pool.get().await?;
        crate::services::qualifications::create_type(&mut conn, &s.user, &input).await
    }
    .await;
    saved(&req, &state, &s, outcome).await
}

pub async fn update_qualification(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
    path: web::Path<String>,
) -> PageResult {
    let id = id_of(&path)?;
    let outcome = async {
        let input = type_input(&form, false)?;
        let mut conn = state.pool.get().await?;
        crate::services::qualifications::update_type(&mut conn, &s.user, id, &input).await
    }
    .await;
    saved(&req, &state, &s, outcome).await
}

fn id_of(path: &web::Path<String>) -> Result<Uuid, DomainError> {
    http::path_id(path, "no such record")
}

pub async fn create_council(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
    let outcome =
        service::create_council(&state, &s.user, form.get("name").unwrap_or_default()).await;
    saved(&req, &state, &s, outcome).await
}

pub async fn update_council(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
    path: web::Path<String>,
) -> PageResult {
    let id = id_of(&path)?;
    let outcome = service::update_council(
        &state,
        &s.user,
        id,
        None,
        flag(&form, "in_use"),
        flag(&form, "eligible"),
    )
    .await;
    saved(&req, &state, &s, outcome).await
}

pub async fn create_category(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
    let input = CategoryInput {
        slug: form.get("slug").map(str::to_owned),
        name_nb: form.get("name_nb").map(str::to_owned),
        name_nn: optional(&form, "name_nn"),
        name_en: form.get("name_en").map(str::to_owned),
        active: Some(true),
        required_qualifications: None,
    };
    let outcome = service::create_category(&state, &s.user, input).await;
    saved(&req, &state, &s, outcome).await
}

pub async fn update_category(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
    path: web::Path<String>,
) -> PageResult {
    let id = id_of(&path)?;
    let input = CategoryInput {
        slug: None,
        name_nb: form.get("name_nb").map(str::to_owned),
        name_nn: optional(&form, "name_nn"),
        name_en: form.get("name_en").map(str::to_owned),
        active: flag(&form, "in_use"),
        // The edit form lists every qualification as a checkbox `requires.{id}`.
        required_qualifications: form.get("requirements_shown").map(|_| {
            form.with_prefix("requires.")
                .filter_map(|(id, _)| Uuid::parse_str(id).ok())
                .collect()
        }),
    };
    let outcome = service::update_category(&state, &s.user, id, input).await;
    saved(&req, &state, &s, outcome).await
}

pub async fn create_unit(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
) -> PageResult {
    let input = ServiceUnitInput {
        name: form.get("name").map(str::to_owned),
        email: form.get("email").map(str::to_owned),
        phone: Some(form.get("phone").map(str::to_owned)),
    };
    let outcome = service::create_service_unit(&state, &s.user, input).await;
    saved(&req, &state, &s, outcome).await
}

pub async fn update_unit(
    req: HttpRequest,
    state: web::Data<AppState>,
    Form {
        session: s,
        data: form,
        ..
    }: Form<Admin>,
    path: web::Path<String>,
) -> PageResult {
    let id = id_of(&path)?;
    let input = ServiceUnitInput {
        name: form.get("name").map(str::to_owned),
        email: form.get("email").map(str::to_owned),
        phone: Some(form.get("phone").map(str::to_owned)),
    };
    let outcome = service::update_service_unit(&state, &s.user, id, input).await;
    saved(&req, &state, &s, outcome).await
}
