//! Reference data: councils, categories and service units (public, paginated).

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{AuthUser, permissions};
use crate::services::reference as service;

use super::body::Deferred;
use crate::db::reference as queries;
use crate::error::ApiResult;
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::routes::state::AppState;

#[derive(Debug, Serialize)]
pub struct CouncilResponse {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    pub eligible: bool,
}

#[derive(Debug, Serialize)]
pub struct CategoryResponse {
    pub id: Uuid,
    pub slug: String,
    pub name_nb: String,
    pub name_nn: String,
    pub name_en: String,
    pub active: bool,
    /// Qualifications a volunteer must hold to take this category's tasks.
    pub required_qualifications: Vec<Uuid>,
}

impl CategoryResponse {
    fn new(r: queries::CategoryRow, requirements: &[(Uuid, Uuid)]) -> Self {
        Self {
            required_qualifications: requirements
                .iter()
                .filter(|(c, _)| *c == r.id)
                .map(|(_, q)| *q)
                .collect(),
            id: r.id,
            slug: r.slug,
            name_nb: r.name_nb,
            name_nn: r.name_nn,
            name_en: r.name_en,
            active: r.active,
        }
    }
}

/// The public view of a unit: its contact details are shown to its tasks' claimants only.
#[derive(Debug, Serialize)]
pub struct ServiceUnitResponse {
    pub id: Uuid,
    pub name: String,
}

pub async fn list_councils(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_councils(&mut conn, &page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page.limit,
        |r| Cursor {
            key: r.name.clone(),
            id: r.id,
        },
        CouncilResponse::from,
    )))
}

pub async fn list_categories(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_categories(&mut conn, &page).await?;
    let requirements = service::requirements(&mut conn).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page.limit,
        |r| Cursor {
            key: r.name_nb.clone(),
            id: r.id,
        },
        |r| CategoryResponse::new(r, &requirements),
    )))
}

pub async fn list_service_units(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_service_units(&mut conn, &page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page.limit,
        |r| Cursor {
            key: r.name.clone(),
            id: r.id,
        },
        |r| ServiceUnitResponse {
            id: r.id,
            name: r.name,
        },
    )))
}

/// A unit with its contact details, as admins see it.
#[derive(Debug, Serialize)]
pub struct ServiceUnitDetailResponse {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

impl From<queries::ServiceUnitRow> for ServiceUnitDetailResponse {
    fn from(r: queries::ServiceUnitRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            email: r.email,
            phone: r.phone,
        }
    }
}

impl From<queries::CouncilRow> for CouncilResponse {
    fn from(r: queries::CouncilRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            active: r.active,
            eligible: r.eligible,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCouncilRequest {
    pub name: String,
}

pub async fn create_council(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Deferred<CreateCouncilRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let row = service::create_council(&state, &user, &body.name).await?;
    Ok(HttpResponse::Created().json(CouncilResponse::from(row)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCouncilRequest {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub eligible: Option<bool>,
}

pub async fn update_council(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<UpdateCouncilRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let row = service::update_council(
        &state,
        &user,
        id.into_inner(),
        body.name.as_deref(),
        body.active,
        body.eligible,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CouncilResponse::from(row)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRequest {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name_nb: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name_nn: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name_en: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub required_qualifications: Option<Vec<Uuid>>,
}

impl From<CategoryRequest> for service::CategoryInput {
    fn from(b: CategoryRequest) -> Self {
        Self {
            slug: b.slug,
            name_nb: b.name_nb,
            name_nn: b.name_nn,
            name_en: b.name_en,
            active: b.active,
            required_qualifications: b.required_qualifications,
        }
    }
}

/// A category as answered to a change, with what it requires now.
async fn category_answer(
    state: &AppState,
    status: actix_web::http::StatusCode,
    row: queries::CategoryRow,
) -> ApiResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let requirements = service::requirements(&mut conn).await?;
    Ok(HttpResponse::build(status).json(CategoryResponse::new(row, &requirements)))
}

pub async fn create_category(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Deferred<CategoryRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let row = service::create_category(&state, &user, body.into_inner().into()).await?;
    category_answer(&state, actix_web::http::StatusCode::CREATED, row).await
}

pub async fn update_category(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<CategoryRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let row =
        service::update_category(&state, &user, id.into_inner(), body.into_inner().into()).await?;
    category_answer(&state, actix_web::http::StatusCode::OK, row).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceUnitRequest {
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::non_null")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    pub phone: Option<Option<String>>,
}

impl From<ServiceUnitRequest> for service::ServiceUnitInput {
    fn from(b: ServiceUnitRequest) -> Self {
        Self {
            name: b.name,
            email: b.email,
            phone: b.phone,
        }
    }
}

pub async fn create_service_unit(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Deferred<ServiceUnitRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let row = service::create_service_unit(&state, &user, body.into_inner().into()).await?;
    Ok(HttpResponse::Created().json(ServiceUnitDetailResponse::from(row)))
}

pub async fn update_service_unit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: Deferred<ServiceUnitRequest>,
) -> ApiResult<HttpResponse> {
    permissions::require_admin(&user)?;
    let body = body.parse()?;
    let row =
        service::update_service_unit(&state, &user, id.into_inner(), body.into_inner().into())
            .await?;
    Ok(HttpResponse::Ok().json(ServiceUnitDetailResponse::from(row)))
}
