//! Reference data: councils, categories and service units (public, paginated).

use actix_web::{HttpResponse, web};
use serde::Serialize;
use uuid::Uuid;

use crate::db::reference as queries;
use crate::error::ApiResult;
use crate::pagination::{Cursor, PageQuery, Paginated};
use crate::startup::AppState;

#[derive(Debug, Serialize)]
pub struct CouncilResponse {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Serialize)]
pub struct CategoryResponse {
    pub id: Uuid,
    pub slug: String,
    pub name_nb: String,
    pub name_en: String,
    pub active: bool,
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
        |r| CouncilResponse {
            id: r.id,
            name: r.name,
            active: r.active,
        },
    )))
}

pub async fn list_categories(
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.parse()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_categories(&mut conn, &page).await?;
    Ok(HttpResponse::Ok().json(Paginated::from_rows(
        rows,
        page.limit,
        |r| Cursor {
            key: r.name_nb.clone(),
            id: r.id,
        },
        |r| CategoryResponse {
            id: r.id,
            slug: r.slug,
            name_nb: r.name_nb,
            name_en: r.name_en,
            active: r.active,
        },
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
